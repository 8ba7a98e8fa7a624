//! Server functions of the registry: search, one entity, counts per kind,
//! and the admin's add, edit and retire.

#[cfg(feature = "ssr")]
use domain::{EntityId, EntityInput, Names};
use domain::{EntityKind, EntitySummary, Page, RegistryQuery};
use leptos::prelude::*;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// Searches the registry (public).
#[server(endpoint = "search_registry")]
pub async fn search_registry(query: RegistryQuery) -> Result<Page<EntitySummary>, AppError> {
    let cx = context()?;
    service::registry::search(&cx.services.db, &query)
        .await
        .map_err(fail)
}

/// One registry entity with what it contains (public).
#[server(endpoint = "get_entity")]
pub async fn get_entity(id: i32) -> Result<(EntitySummary, Vec<EntitySummary>), AppError> {
    let cx = context()?;
    service::registry::get(&cx.services.db, EntityId(id))
        .await
        .map_err(fail)
}

/// The fields of the entity form, as the browser posts them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityForm {
    /// Kind (stable string).
    pub kind: String,
    /// Subkind.
    pub subkind: String,
    /// Code.
    pub code: String,
    /// TIN.
    pub tin: String,
    /// Name, Uzbek Latin.
    pub name_uz_latn: String,
    /// Name, Uzbek Cyrillic.
    pub name_uz_cyrl: String,
    /// Name, Russian.
    pub name_ru: String,
    /// Name, English.
    pub name_en: String,
    /// Parent's code, SOATO or TIN.
    pub parent_code: String,
    /// Website.
    pub website: String,
    /// Valid from.
    pub valid_from: String,
    /// Valid to.
    pub valid_to: String,
    /// Why (edits).
    pub reason: String,
}

/// Adds an entity (admin, audited) and opens its page.
#[server(endpoint = "create_entity")]
pub async fn create_entity(form: EntityForm) -> Result<i32, AppError> {
    save_entity(None, form).await
}

/// Edits an entity (admin, audited) and opens its page.
#[server(endpoint = "update_entity")]
pub async fn update_entity(id: i32, form: EntityForm) -> Result<i32, AppError> {
    save_entity(Some(id), form).await
}

#[cfg(feature = "ssr")]
async fn save_entity(id: Option<i32>, form: EntityForm) -> Result<i32, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    let db = &cx.services.db;
    let kind = EntityKind::parse(&form.kind).map_err(|e| fail(e.into()))?;
    let parent_id = if form.parent_code.trim().is_empty() {
        None
    } else {
        let p = service::registry::find_by_code(db, form.parent_code.trim())
            .await
            .map_err(fail)?
            .ok_or_else(|| {
                fail(
                    domain::ParseError::new(
                        "parent_code",
                        format!("no entity with code {:?}", form.parent_code),
                    )
                    .into(),
                )
            })?;
        Some(EntityId(p.id))
    };
    let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let input = EntityInput {
        kind,
        subkind: form.subkind,
        code: form.code,
        tin: blank(&form.tin),
        names: Names {
            uz_latn: form.name_uz_latn,
            uz_cyrl: form.name_uz_cyrl,
            ru: form.name_ru,
            en: form.name_en,
        },
        parent_id,
        website: blank(&form.website),
        valid_from: form.valid_from,
        valid_to: blank(&form.valid_to),
    };
    let id = match id {
        Some(id) => {
            service::registry::update(
                db,
                &who,
                EntityId(id),
                &input,
                blank(&form.reason).as_deref(),
            )
            .await
            .map_err(fail)?;
            id
        }
        None => {
            service::registry::create(db, &who, &input)
                .await
                .map_err(fail)?
                .0
        }
    };
    leptos_axum::redirect(&format!("/registry/{id}"));
    Ok(id)
}

/// Retires an entity from a date (admin, audited).
#[server(endpoint = "retire_entity")]
pub async fn retire_entity(id: i32, valid_to: String, reason: String) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::registry::retire(&cx.services.db, &who, EntityId(id), &valid_to, &reason)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/registry/{id}"));
    Ok(())
}

/// Registry counts per kind, for the home page (public).
#[server(endpoint = "registry_counts")]
pub async fn registry_counts() -> Result<Vec<(EntityKind, u64)>, AppError> {
    let cx = context()?;
    service::registry::counts(&cx.services.db)
        .await
        .map_err(fail)
}
