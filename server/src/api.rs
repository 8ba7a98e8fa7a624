//! The JSON API under `/api/v1`: tokens for API clients, the signed-in
//! user, and the public registry. Errors are RFC 9457 problem documents.

use crate::startup::AppState;
use axum::{
    Extension, Json, Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use domain::{EntityId, EntityKind, RegistryQuery};
use serde::Deserialize;
use serde_json::json;
use service::{Principal, ServiceError};

/// The `/api/v1` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(token))
        .route("/auth/refresh", post(refresh))
        .route("/auth/sign-out", post(sign_out))
        .route("/me", get(me))
        .route("/entities", get(entities))
        .route("/entities/{id}", get(entity))
}

/// An API error as `application/problem+json`.
pub struct Problem(ServiceError);

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        Problem(e)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let (status, title) = match &self.0 {
            ServiceError::Unauthenticated | ServiceError::BadCredentials => {
                (StatusCode::UNAUTHORIZED, "unauthenticated")
            }
            ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, "not found"),
            ServiceError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid input"),
            ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ServiceError::Db(_) | ServiceError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        };
        let detail = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = ?self.0, "API request failed");
            "internal error; it has been logged".to_owned()
        } else {
            self.0.to_string()
        };
        let mut body = json!({ "type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail });
        if let ServiceError::Invalid(p) = &self.0 {
            body["errors"] = json!([{ "pointer": format!("/{}", p.field), "detail": p.message }]);
        }
        let mut resp = (status, Json(body)).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

type ApiResult<T> = Result<Json<T>, Problem>;

#[derive(Deserialize)]
struct TokenRequest {
    email: String,
    password: String,
}

fn token_body(t: &service::auth::Tokens, ttl_secs: i64) -> serde_json::Value {
    json!({
        "access_token": t.access,
        "refresh_token": t.refresh,
        "token_type": "Bearer",
        "expires_in": ttl_secs,
    })
}

async fn token(
    State(st): State<AppState>,
    Json(req): Json<TokenRequest>,
) -> ApiResult<serde_json::Value> {
    let s = &st.ctx.services;
    let (tokens, _) = service::auth::sign_in(
        &s.db,
        &s.auth,
        &req.email,
        &req.password,
        Some("api".into()),
    )
    .await?;
    Ok(Json(token_body(&tokens, s.auth.access_ttl.num_seconds())))
}

#[derive(Deserialize)]
struct RefreshRequest {
    refresh_token: String,
}

async fn refresh(
    State(st): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<serde_json::Value> {
    let s = &st.ctx.services;
    let (tokens, _) = service::auth::refresh(&s.db, &s.auth, &req.refresh_token).await?;
    Ok(Json(token_body(&tokens, s.auth.access_ttl.num_seconds())))
}

async fn sign_out(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
) -> Result<StatusCode, Problem> {
    let Some(Extension(p)) = who else {
        return Err(ServiceError::Unauthenticated.into());
    };
    service::auth::sign_out(&st.ctx.services.db, &p.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(who: Option<Extension<Principal>>) -> ApiResult<domain::CurrentUser> {
    let Some(Extension(p)) = who else {
        return Err(ServiceError::Unauthenticated.into());
    };
    Ok(Json(p.user))
}

#[derive(Deserialize)]
struct EntitiesParams {
    q: Option<String>,
    kind: Option<String>,
    page: Option<u64>,
    include_retired: Option<bool>,
}

async fn entities(
    State(st): State<AppState>,
    Query(p): Query<EntitiesParams>,
) -> ApiResult<domain::Page<domain::EntitySummary>> {
    let kind = match p.kind.as_deref() {
        Some(k) if !k.is_empty() => Some(EntityKind::parse(k).map_err(ServiceError::from)?),
        _ => None,
    };
    let query = RegistryQuery {
        q: p.q.unwrap_or_default(),
        kind,
        include_retired: p.include_retired.unwrap_or(false),
        page: p.page.unwrap_or(0),
    };
    Ok(Json(
        service::registry::search(&st.ctx.services.db, &query).await?,
    ))
}

async fn entity(State(st): State<AppState>, Path(id): Path<i32>) -> ApiResult<serde_json::Value> {
    let (e, children) = service::registry::get(&st.ctx.services.db, EntityId(id)).await?;
    Ok(Json(json!({ "entity": e, "children": children })))
}
