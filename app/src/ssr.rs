//! Server-side glue for server functions: the services in context, the
//! principal the middleware attached to the request, the session cookies,
//! and the mapping of service errors to HTTP statuses.

use http::{HeaderValue, StatusCode, header::SET_COOKIE, request::Parts};
use leptos::prelude::*;

use crate::error::AppError;
pub use crate::locale::{
    LANG_COOKIE, accepted_locale, cookie_value, locale_of, request_locale, requested_locale,
};
use leptos_axum::ResponseOptions;
use service::{Principal, ServiceError, Services, auth::Tokens};

/// What the server provides to every page render and server function.
#[derive(Clone)]
pub struct ServerContext {
    /// The services and pool.
    pub services: Services,
    /// Whether cookies are marked `Secure` (served over TLS).
    pub secure_cookies: bool,
    /// The JSON API's OpenAPI document, digested for its reference page.
    pub api_reference: std::sync::Arc<domain::ApiReference>,
}

/// Name of the access-token cookie.
pub const ACCESS_COOKIE: &str = "daraja_access";
/// Name of the refresh-token cookie.
pub const REFRESH_COOKIE: &str = "daraja_refresh";

/// The server context, or an error if the server did not provide one.
pub fn context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("server context missing");
        AppError::new(500, domain::Msg::Internal)
    })
}

/// The signed-in principal of this request, if any.
pub fn principal() -> Option<Principal> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<Principal>().cloned())
}

/// The signed-in principal, or a 401.
pub fn require_principal() -> Result<Principal, AppError> {
    principal().ok_or_else(|| fail(ServiceError::Unauthenticated))
}

/// The HTTP status of a service error, for server functions and the JSON
/// API alike: what the caller did or may not do has its own status, every
/// internal failure is a 500.
pub fn status_of(e: &ServiceError) -> StatusCode {
    if e.is_internal() {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    match e {
        ServiceError::Unauthenticated | ServiceError::BadCredentials => StatusCode::UNAUTHORIZED,
        ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
        ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
        ServiceError::Invalid(_) | ServiceError::Rejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) | ServiceError::Lost(_) => StatusCode::CONFLICT,
        ServiceError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Maps a service error to a server-function error with the right status;
/// internals are logged, not shown.
pub fn fail(e: ServiceError) -> AppError {
    let status = status_of(&e);
    if let Some(r) = use_context::<ResponseOptions>() {
        r.set_status(status);
    }
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = ?e, "request failed");
    }
    let field = match &e {
        ServiceError::Invalid(p) => Some(p.field.to_owned()),
        _ => None,
    };
    AppError {
        field,
        ..AppError::new(status.as_u16(), e.message())
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`.
pub fn cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// Sets both session cookies on the response.
pub fn set_session_cookies(tokens: &Tokens, secure: bool) {
    let Some(r) = use_context::<ResponseOptions>() else {
        return;
    };
    let refresh_age = (tokens.refresh_expires - chrono_now()).num_seconds().max(0);
    for c in [
        cookie(ACCESS_COOKIE, &tokens.access, 15 * 60, secure),
        cookie(REFRESH_COOKIE, &tokens.refresh, refresh_age, secure),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.append_header(SET_COOKIE, v);
        }
    }
}

/// Clears both session cookies.
pub fn clear_session_cookies(secure: bool) {
    let Some(r) = use_context::<ResponseOptions>() else {
        return;
    };
    for name in [ACCESS_COOKIE, REFRESH_COOKIE] {
        if let Ok(v) = HeaderValue::from_str(&cookie(name, "", 0, secure)) {
            r.append_header(SET_COOKIE, v);
        }
    }
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
