//! Parsed forms of rows that are never rewritten (methodology versions,
//! published rating snapshots), kept per process under the SHA-256 of
//! their stored text.
//!
//! The key is the content's hash, not the row id, so one process may serve
//! several databases (the test suite does) or a restored backup without
//! ever handing out another row's parse; a parse is kept only under a hash
//! its text really has.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

/// SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses kept at most; when full the cache starts again (a deployment
/// holds tens of versions and a few hundred revisions).
const MAX_KEPT: usize = 1024;

/// A process-wide cache of `T` by SHA-256 (a `static`).
pub(crate) struct ByHash<T>(OnceLock<Mutex<HashMap<String, Arc<T>>>>);

impl<T> ByHash<T> {
    /// An empty cache.
    pub(crate) const fn new() -> Self {
        ByHash(OnceLock::new())
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<T>>> {
        self.0
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The parse kept under `sha256`, if any.
    pub(crate) fn get(&self, sha256: &str) -> Option<Arc<T>> {
        self.map().get(sha256).cloned()
    }

    /// Keeps `value`, the parse of `text`, under `sha256` when `text` really
    /// has that hash (a row changed behind the application's back is parsed
    /// each time, never kept, and the integrity checks report it); returns
    /// it either way.
    pub(crate) fn keep(&self, sha256: &str, text: &str, value: T) -> Arc<T> {
        let value = Arc::new(value);
        if sha256_hex(text.as_bytes()) != sha256 {
            return value;
        }
        let mut map = self.map();
        if map.len() >= MAX_KEPT {
            map.clear();
        }
        map.insert(sha256.to_owned(), value.clone());
        value
    }
}
