//! Request middleware: who is asking (cookie or Bearer token, with silent
//! refresh for the browser) and the security headers of every response.

use crate::problem::FeedRefusal;
use crate::state::AppState;
use app::ssr::{ACCESS_COOKIE, REFRESH_COOKIE, cookie, cookie_value};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
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
    let cookies = cookies_of(req.headers());
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
    if let Some(mut p) = principal {
        if let Some(l) = app::ssr::requested_locale(req.headers()) {
            p.locale = l;
        }
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

/// Every `Cookie` header of a request as one `a=1; b=2` string.
fn cookies_of(h: &axum::http::HeaderMap) -> String {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ")
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Refuses a write that another site started with the browser's session
/// cookie (CSRF): an unsafe method carrying the session cookie and no
/// bearer token must come from this origin. Browsers say where a request
/// comes from in `Sec-Fetch-Site` (anything but `same-origin` or `none`,
/// a typed URL, is refused) or else in `Origin` (refused unless it names
/// this host); a client sending neither is no browser page of another
/// site, and `SameSite=Lax` cookies already stay home for those.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let h = req.headers();
    let cookies = cookies_of(h);
    let with_cookie = [ACCESS_COOKIE, REFRESH_COOKIE]
        .iter()
        .any(|name| cookie_value(&cookies, name).is_some());
    if unsafe_method && with_cookie && !h.contains_key(header::AUTHORIZATION) && cross_site(h) {
        return crate::problem::Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "a write from another site with this site's session was refused (cross-site request)",
        )
        .into_response();
    }
    next.run(req).await
}

fn cross_site(h: &axum::http::HeaderMap) -> bool {
    let text = |name| h.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match text("origin") {
        None => false,
        Some(origin) => {
            let authority = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            authority.is_none_or(|a| Some(a) != text("host"))
        }
    }
}

/// Sign-in attempts per address, right or wrong.
pub type SignInLimiter = std::sync::Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>;

/// A limiter allowing `per_minute` sign-ins a minute from one address.
pub fn sign_in_limiter(per_minute: u32) -> SignInLimiter {
    let n = std::num::NonZeroU32::new(per_minute.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
    std::sync::Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(n)))
}

/// Throttles sign-in per address (the browser's form and the API's token
/// request), on top of the per-account lockout: too many attempts get 429
/// with `Retry-After`, the same for every account, existing or not.
pub async fn throttle_sign_in(
    State(limiter): State<SignInLimiter>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let signing_in = req.method() == axum::http::Method::POST
        && (path == "/api/sign_in" || path == "/api/v1/auth/token");
    if signing_in
        && let Some(ip) = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
        && let Err(not_until) = limiter.check_key(&ip)
    {
        use governor::clock::Clock;
        let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
        return crate::problem::Problem::too_many(wait.as_secs().max(1)).into_response();
    }
    next.run(req).await
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
