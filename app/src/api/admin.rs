//! Server functions of administration: users and their grants, the audit
//! log, integration tokens and the JSON API's reference.

use domain::{AuditEntry, Page, UserSummary};
#[cfg(feature = "ssr")]
use domain::{EntityId, Role, UserId};
#[cfg(feature = "ssr")]
use domain::{Msg, Noun};
use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// Every user with their grants (admin).
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::list(&cx.services.db, &who)
        .await
        .map_err(fail)
}

/// Creates a user (admin).
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    password: String,
) -> Result<i32, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    let id = service::users::create(&cx.services.db, &who, &email, &display_name, &password)
        .await
        .map_err(fail)?;
    Ok(id.0)
}

/// Grants a role, naming the entity by code, SOATO or TIN (admin).
#[server(endpoint = "grant_role")]
pub async fn grant_role(user_id: i32, role: String, entity_code: String) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    let role = Role::parse(&role).map_err(|e| fail(e.into()))?;
    let entity = if entity_code.trim().is_empty() {
        None
    } else {
        let e = service::registry::find_by_code(&cx.services.db, entity_code.trim())
            .await
            .map_err(fail)?
            .ok_or_else(|| {
                fail(
                    domain::ParseError::new(
                        "entity_code",
                        Msg::NotFound {
                            what: Noun::Entity,
                            which: entity_code.to_string(),
                        },
                    )
                    .into(),
                )
            })?;
        Some(EntityId(e.id))
    };
    service::users::grant(&cx.services.db, &who, UserId(user_id), role, entity)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Revokes a grant (admin).
#[server(endpoint = "revoke_grant")]
pub async fn revoke_grant(grant_id: i32) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::revoke(&cx.services.db, &who, grant_id)
        .await
        .map_err(fail)
}

/// Sets a new password for a user, who must change it at next sign-in (admin).
#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: i32, password: String) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::reset_password(&cx.services.db, &who, UserId(user_id), &password)
        .await
        .map_err(fail)
}

/// Enables or disables an account (admin).
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i32, active: bool) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::set_active(&cx.services.db, &who, UserId(user_id), active)
        .await
        .map_err(fail)
}

/// The audit log, newest first, optionally for one object type (admin).
#[server(endpoint = "list_audit")]
pub async fn list_audit(
    object_type: Option<String>,
    object_id: Option<String>,
    page: u64,
) -> Result<Page<AuditEntry>, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    let filter = service::audit::AuditFilter {
        object_type: object_type.filter(|t| !t.is_empty()),
        object_id: object_id.filter(|t| !t.is_empty()),
        ..Default::default()
    };
    service::audit::list(&cx.services.db, &who, &filter, page)
        .await
        .map_err(fail)
}

/// The JSON API's reference, from its OpenAPI document.
#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<domain::ApiReference, AppError> {
    Ok((*context()?.api_reference).clone())
}

/// Every integration token (admin).
#[server(endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<domain::ApiToken>, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::feeds::list(&cx.services.db, &p, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Issues an integration token (admin); codes are separated by commas,
/// spaces or lines. The secret comes back this once.
#[server(endpoint = "issue_api_token")]
pub async fn issue_api_token(
    name: String,
    source_system: String,
    indicators: String,
    entities: String,
    expires_on: String,
    locked_indicators: String,
) -> Result<domain::IssuedToken, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let codes = |s: &str| {
        s.split([',', ' ', '\n', '\r', '\t', ';'])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let new = domain::NewApiToken {
        name,
        source_system,
        indicators: codes(&indicators),
        entities: codes(&entities),
        expires_on,
        locked_indicators: codes(&locked_indicators),
    };
    service::feeds::issue(&cx.services.db, &p, &new, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Revokes an integration token at once (admin).
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::feeds::revoke(&cx.services.db, &p, id, chrono::Utc::now())
        .await
        .map(|_| ())
        .map_err(fail)
}
