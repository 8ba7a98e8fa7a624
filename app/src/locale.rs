//! The language of the request being answered (server side): its `lang`
//! cookie, else its Accept-Language, else Uzbek (Latin). The lowest module
//! of the server-side glue, so errors and pages read it alike.

use domain::Locale;
use http::request::Parts;
use leptos::prelude::*;

/// Name of the language cookie.
pub const LANG_COOKIE: &str = "lang";

/// Reads one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The locale of the current request (see [`locale_of`]).
pub fn request_locale() -> Locale {
    use_context::<Parts>().map_or_else(Locale::default, |parts| locale_of(&parts.headers))
}

/// The locale a request's headers ask for: the `lang` cookie, else the
/// first supported Accept-Language, else Uzbek (Latin). The page cache
/// keys pages by it, so it is the one place this is decided.
pub fn locale_of(headers: &http::HeaderMap) -> Locale {
    requested_locale(headers).unwrap_or_default()
}

/// The locale a request's `lang` cookie or Accept-Language asks for, if
/// it names one of the four.
pub fn requested_locale(headers: &http::HeaderMap) -> Option<Locale> {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| cookie_value(h, LANG_COOKIE))
        .and_then(Locale::from_tag);
    from_cookie.or_else(|| accepted_locale(headers))
}

/// The first of the four languages a request's Accept-Language names.
pub fn accepted_locale(headers: &http::HeaderMap) -> Option<Locale> {
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            h.split(',')
                .map(|l| l.split(';').next().unwrap_or_default())
                .find_map(Locale::from_tag)
        })
}
