//! National workbooks written while a browser watched their progress, kept
//! on this instance until fetched once (or for a few minutes).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use service::downloads::Download;

/// How long a prepared workbook waits to be fetched.
const PREPARED_FOR: Duration = Duration::from_secs(600);

/// At most this many bytes of prepared workbooks are kept; the oldest go.
const PREPARED_BYTES: usize = 512 << 20;

/// Workbooks written while a browser watched, kept until fetched (once).
#[derive(Default)]
pub struct Prepared {
    kept: Mutex<HashMap<String, (Instant, String, Download)>>,
    next: AtomicU64,
}

impl Prepared {
    /// Keeps `d`, made for `key` (what was asked: campaign, revision,
    /// language); answers with the token that fetches it.
    pub(crate) fn put(&self, key: String, d: Download) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let token =
            service::ratings::sha256_hex(format!("{key}|{n}|{:?}", Instant::now()).as_bytes())
                [..32]
                .to_owned();
        let Ok(mut kept) = self.kept.lock() else {
            return token;
        };
        kept.retain(|_, (at, _, _)| at.elapsed() < PREPARED_FOR);
        let mut bytes: usize = kept.values().map(|(_, _, d)| d.bytes.len()).sum();
        while bytes + d.bytes.len() > PREPARED_BYTES {
            let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, (at, _, _))| *at)
                .map(|(t, _)| t.clone())
            else {
                break;
            };
            if let Some((_, _, gone)) = kept.remove(&oldest) {
                bytes -= gone.bytes.len();
            }
        }
        kept.insert(token.clone(), (Instant::now(), key, d));
        token
    }

    /// The workbook kept under `token` for `key`, taken out.
    pub(crate) fn take(&self, token: &str, key: &str) -> Option<Download> {
        let mut kept = self.kept.lock().ok()?;
        match kept.get(token) {
            Some((at, k, _)) if k == key && at.elapsed() < PREPARED_FOR => {
                kept.remove(token).map(|(_, _, d)| d)
            }
            _ => None,
        }
    }
}
