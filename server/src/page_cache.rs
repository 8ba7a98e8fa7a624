//! Rendered public rating pages, kept and served again while what they show
//! is unchanged.
//!
//! Published snapshots are immutable, so the league tables (`/ratings/{kind}`)
//! and the entity pages (`/registry/{id}`) that anonymous readers load on
//! publication day are the same bytes for everyone who asks in the same
//! language. A page is kept under its path, query and language, with the
//! public fingerprint (`service::ratings::public_fingerprint`) it was
//! rendered under; the fingerprint is read from the database at most once
//! a second per process, so a publication, correction, embargo end or
//! registry edit reaches readers within a second on every instance. Signed-in
//! requests (cookie or bearer) are never cached: their pages name the user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::ssr::{ACCESS_COOKIE, REFRESH_COOKIE, cookie_value, locale_of};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::Response,
};
use sea_orm::DatabaseConnection;

/// How long a fingerprint read from the database is trusted.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// Pages kept at most; when full, the cache starts again (the set of
/// public pages is ~300 entities × 4 languages, well below this).
const MAX_PAGES: usize = 4096;
/// A page larger than this is served but not kept.
const MAX_PAGE_BYTES: usize = 4 << 20;

/// The shared cache (one per process).
#[derive(Clone)]
pub struct PageCache {
    db: DatabaseConnection,
    enabled: bool,
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    fingerprint: Option<(Instant, u64)>,
    pages: HashMap<String, Page>,
}

struct Page {
    fingerprint: u64,
    content_type: HeaderValue,
    body: axum::body::Bytes,
}

impl PageCache {
    /// An empty cache over `db`; when not `enabled` (`DARAJA_PAGE_CACHE=0`)
    /// it keeps nothing and every page is rendered.
    pub fn new(db: DatabaseConnection, enabled: bool) -> PageCache {
        PageCache {
            db,
            enabled,
            inner: Arc::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current public fingerprint, at most [`FRESH_FOR`] old.
    async fn fingerprint(&self) -> Option<u64> {
        if let Some((at, f)) = self.lock().fingerprint
            && at.elapsed() < FRESH_FOR
        {
            return Some(f);
        }
        match service::ratings::public_fingerprint(&self.db, chrono::Utc::now()).await {
            Ok(f) => {
                let mut inner = self.lock();
                inner.fingerprint = Some((Instant::now(), f));
                inner.pages.retain(|_, p| p.fingerprint == f);
                Some(f)
            }
            Err(e) => {
                tracing::error!(error = %e, "reading the public fingerprint failed");
                None
            }
        }
    }
}

/// The cache key of an anonymous GET of a cacheable public page, if it is one.
fn key(method: &Method, uri: &axum::http::Uri, headers: &HeaderMap) -> Option<String> {
    if method != Method::GET || headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let cookies: Vec<&str> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .collect();
    let signed_in = cookies.iter().any(|c| {
        [ACCESS_COOKIE, REFRESH_COOKIE]
            .iter()
            .any(|name| cookie_value(c, name).is_some_and(|v| !v.is_empty()))
    });
    if signed_in || !cacheable(uri.path()) {
        return None;
    }
    let locale = locale_of(headers);
    Some(format!(
        "{} {}",
        locale.tag(),
        uri.path_and_query().map_or("", |p| p.as_str())
    ))
}

/// `/ratings/{kind}` and `/registry/{id}`: the public pages of a rating.
fn cacheable(path: &str) -> bool {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["ratings", kind] => !kind.is_empty(),
        ["registry", id] => !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

/// Serves a kept page when its fingerprint is current; otherwise renders
/// it and keeps a plain 200 HTML answer that sets no cookie.
pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(key) = key(req.method(), req.uri(), req.headers()).filter(|_| cache.enabled) else {
        return next.run(req).await;
    };
    let Some(fingerprint) = cache.fingerprint().await else {
        return next.run(req).await;
    };
    let hit = cache
        .lock()
        .pages
        .get(&key)
        .filter(|p| p.fingerprint == fingerprint)
        .map(|p| (p.content_type.clone(), p.body.clone()));
    if let Some((content_type, body)) = hit {
        let mut response = Response::new(Body::from(body));
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
        response
            .headers_mut()
            .insert("x-daraja-cache", HeaderValue::from_static("hit"));
        return response;
    }
    let response = next.run(req).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !keep {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The whole page is read either way (a server-rendered page is complete
    // before it is sent); only one within the bound is kept.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(key, error = %e, "a public page could not be read");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if bytes.len() <= MAX_PAGE_BYTES
        && let Some(content_type) = parts.headers.get(header::CONTENT_TYPE).cloned()
    {
        let mut inner = cache.lock();
        if inner.pages.len() >= MAX_PAGES {
            inner.pages.clear();
        }
        inner.pages.insert(
            key,
            Page {
                fingerprint,
                content_type,
                body: bytes.clone(),
            },
        );
    }
    parts
        .headers
        .insert("x-daraja-cache", HeaderValue::from_static("miss"));
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_anonymous_gets_of_public_rating_pages_are_kept() {
        let get = Method::GET;
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        let none = HeaderMap::new();
        for (method, path, h, want) in [
            (
                &get,
                "/ratings/district",
                &none,
                Some("uz-Latn /ratings/district"),
            ),
            (
                &get,
                "/ratings/district?campaign=2023-districts&revision=1",
                &none,
                Some("uz-Latn /ratings/district?campaign=2023-districts&revision=1"),
            ),
            (&get, "/registry/17", &none, Some("uz-Latn /registry/17")),
            (&get, "/ratings/district/what-if", &none, None),
            (&get, "/registry/17/edit", &none, None),
            (&get, "/registry/new", &none, None),
            (&get, "/submissions/3", &none, None),
            (&get, "/", &none, None),
            (&Method::POST, "/ratings/district", &none, None),
        ] {
            assert_eq!(
                key(method, &uri(path), h).as_deref(),
                want,
                "{method} {path}"
            );
        }
        let path = uri("/ratings/district");
        let ru = headers(&[("accept-language", "de, ru-RU;q=0.9, en;q=0.5")]);
        assert_eq!(
            key(&get, &path, &ru).as_deref(),
            Some("ru /ratings/district")
        );
        let cookie_lang = headers(&[("cookie", "theme=x; lang=en"), ("accept-language", "ru")]);
        assert_eq!(
            key(&get, &path, &cookie_lang).as_deref(),
            Some("en /ratings/district")
        );
        for signed_in in [
            headers(&[("cookie", &format!("lang=en; {ACCESS_COOKIE}=abc"))]),
            headers(&[
                ("cookie", "lang=en"),
                ("cookie", &format!("{REFRESH_COOKIE}=r")),
            ]),
            headers(&[("authorization", "Bearer abc")]),
        ] {
            assert_eq!(key(&get, &path, &signed_in), None, "{signed_in:?}");
        }
    }
}
