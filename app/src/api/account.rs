//! Server functions of the session and the signed-in user: who is signed
//! in, sign-in and sign-out, the interface language, the own password.

use domain::CurrentUser;
#[cfg(feature = "ssr")]
use domain::{Expected, Locale, Msg};
use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// The signed-in user, or `None` for the public.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::ssr::principal().map(|p| p.user))
}

/// Signs in with e-mail and password, sets the session cookies and goes to
/// `next` (a local path) or the home page.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let cx = context()?;
    let ua = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let (tokens, _) =
        service::auth::sign_in(&cx.services.db, &cx.services.auth, &email, &password, ua)
            .await
            .map_err(fail)?;
    crate::ssr::set_session_cookies(&tokens, cx.secure_cookies);
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Only local paths are followed after sign-in, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Signs out: revokes the session and clears the cookies.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let cx = context()?;
    if let Some(p) = crate::ssr::principal() {
        service::auth::sign_out(&cx.services.db, &p.session_id)
            .await
            .map_err(fail)?;
    }
    crate::ssr::clear_session_cookies(cx.secure_cookies);
    leptos_axum::redirect("/");
    Ok(())
}

/// Switches the interface language (cookie, and the account's preference)
/// and goes back to `back`.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AppError> {
    let cx = context()?;
    let locale = Locale::from_tag(&lang).ok_or_else(|| {
        fail(
            domain::ParseError::new(
                "lang",
                Msg::NotA {
                    text: lang.to_string(),
                    expected: Expected::Language,
                },
            )
            .into(),
        )
    })?;
    if let Some(p) = crate::ssr::principal() {
        service::users::set_locale(&cx.services.db, &p, locale)
            .await
            .map_err(fail)?;
    }
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        let c = format!(
            "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            crate::ssr::LANG_COOKIE,
            locale.tag()
        );
        if let Ok(v) = http::HeaderValue::from_str(&c) {
            r.append_header(http::header::SET_COOKIE, v);
        }
    }
    leptos_axum::redirect(&safe_next(back.as_deref()));
    Ok(())
}

/// Changes the signed-in user's password and starts a fresh session.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let cx = context()?;
    let who = require_principal()?;
    let db = &cx.services.db;
    service::users::change_own_password(db, &who, &current, &new)
        .await
        .map_err(fail)?;
    let (tokens, _) = service::auth::sign_in(db, &cx.services.auth, &who.user.email, &new, None)
        .await
        .map_err(fail)?;
    crate::ssr::set_session_cookies(&tokens, cx.secure_cookies);
    Ok(())
}
