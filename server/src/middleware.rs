//! Request middleware: who is asking (cookie or Bearer token, with silent
//! refresh for the browser) and the security headers of every response.

use crate::api::FeedRefusal;
use crate::startup::AppState;
use app::ssr::{ACCESS_COOKIE, REFRESH_COOKIE, cookie, cookie_value};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Attaches the signed-in `service::Principal` to the request, if any.
///
/// A Bearer token is taken as it is (API clients refresh explicitly). For
/// the browser, an expired access cookie is renewed from the refresh cookie
/// and both cookies are re-set on the response, unless the handler itself
/// set them (sign-in, sign-out).
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let services = &state.ctx.services;
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::to_owned);
    let cookies: String = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let mut renewed = None;
    let principal = if let Some(token) = bearer {
        if token.starts_with(service::feeds::TOKEN_PREFIX) {
            match service::feeds::authenticate(&services.db, &token, chrono_now()).await {
                Ok(Ok(feed)) => {
                    req.extensions_mut().insert(feed);
                }
                Ok(Err(why)) => {
                    req.extensions_mut().insert(FeedRefusal(why));
                }
                Err(e) => tracing::error!(error = ?e, "checking an integration token failed"),
            }
            None
        } else {
            service::auth::authenticate(&services.db, &services.auth, &token)
                .await
                .ok()
        }
    } else {
        let from_access = match cookie_value(&cookies, ACCESS_COOKIE).filter(|v| !v.is_empty()) {
            Some(token) => service::auth::authenticate(&services.db, &services.auth, token)
                .await
                .ok(),
            None => None,
        };
        match from_access {
            Some(p) => Some(p),
            None => match cookie_value(&cookies, REFRESH_COOKIE).filter(|v| !v.is_empty()) {
                Some(refresh) => {
                    match service::auth::refresh(&services.db, &services.auth, refresh).await {
                        Ok((tokens, p)) => {
                            renewed = Some(tokens);
                            Some(p)
                        }
                        Err(_) => None,
                    }
                }
                None => None,
            },
        }
    };
    if let Some(p) = principal {
        req.extensions_mut().insert(p);
    }
    let mut response = next.run(req).await;
    if let Some(tokens) = renewed {
        let handler_set_session = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.starts_with(ACCESS_COOKIE)));
        if !handler_set_session {
            let secure = state.ctx.secure_cookies;
            let refresh_age = (tokens.refresh_expires - chrono_now()).num_seconds().max(0);
            for c in [
                cookie(ACCESS_COOKIE, &tokens.access, 15 * 60, secure),
                cookie(REFRESH_COOKIE, &tokens.refresh, refresh_age, secure),
            ] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    response.headers_mut().append(header::SET_COOKIE, v);
                }
            }
        }
    }
    response
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Adds the security headers every response carries.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "strict-origin-when-cross-origin");
    set(h, "x-frame-options", "DENY");
    // The hydration script is inline and wasm needs 'wasm-unsafe-eval'.
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    response
}
