//! Evidence files: what is accepted (size, sniffed type), their SHA-256, and
//! where the bytes live: a [`FileStore`], a local directory by default.
//!
//! Files are stored content-addressed under a generated key (`ab/abcdef…`,
//! the SHA-256), never under the name the user gave, so no upload can
//! choose its path. Several server instances share evidence by pointing at
//! the same store (a shared directory; an object store is a second
//! implementation of the trait).

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

use domain::ParseError;

/// The largest evidence file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// A boxed future, so the store can live behind `dyn`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Where evidence bytes are kept.
pub trait FileStore: Send + Sync {
    /// Stores `bytes` under `key` (idempotent: the key is their hash).
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, ()>;
    /// Reads what `key` holds.
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Vec<u8>>;
}

/// Refuses anything but a key [`key_of`] makes (hex and one slash), so no
/// stored name can reach outside the store.
pub fn check_key(key: &str) -> io::Result<()> {
    let ok = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_hexdigit() || c == '/')
        && !key.starts_with('/');
    if ok {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a storage key: {key:?}"),
        ))
    }
}

/// A directory on the local disk (or a shared mount).
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    /// A store rooted at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDir { root: root.into() }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }
}

impl FileStore for LocalDir {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            if tokio::fs::try_exists(&path).await? {
                return Ok(());
            }
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            // Written aside, then renamed: a reader never sees half a file.
            let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
            tokio::fs::write(&tmp, bytes).await?;
            tokio::fs::rename(&tmp, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }
}

/// What an accepted file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sniffed {
    /// MIME type to serve it with.
    pub content_type: &'static str,
}

/// The type of a file from its first bytes (and, for zip containers and
/// text, its name); `None` for anything not accepted as evidence.
pub fn sniff(name: &str, bytes: &[u8]) -> Option<Sniffed> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let content_type = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        "image/jpeg"
    } else if bytes.starts_with(b"PK\x03\x04") {
        match ext.as_str() {
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            "odt" => "application/vnd.oasis.opendocument.text",
            _ => "application/zip",
        }
    } else if matches!(ext.as_str(), "csv" | "txt")
        && !bytes.contains(&0)
        && std::str::from_utf8(bytes).is_ok()
    {
        if ext == "csv" {
            "text/csv; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        }
    } else {
        return None;
    };
    Some(Sniffed { content_type })
}

/// The name a file is listed under: its last path component, without
/// control characters or quotes, at most 120 characters.
pub fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(120)
        .collect();
    let clean = clean.trim().to_owned();
    if clean.is_empty() || clean.chars().all(|c| c == '.') {
        "evidence".into()
    } else {
        clean
    }
}

/// Checks an upload: not empty, not too big, of an accepted type.
pub fn check(name: &str, bytes: &[u8]) -> Result<Sniffed, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::new("file", format!("{name:?} is empty")));
    }
    if bytes.len() > MAX_BYTES {
        return Err(ParseError::new(
            "file",
            format!(
                "{name:?} is {:.1} MB; the limit is {} MB",
                bytes.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    sniff(name, bytes).ok_or_else(|| {
        ParseError::new(
            "file",
            format!("{name:?} is not a PDF, PNG, JPEG, Office or OpenDocument file, CSV or text"),
        )
    })
}

/// The storage key of bytes with SHA-256 `hex`.
pub fn key_of(hex: &str) -> String {
    format!("{}/{hex}", &hex[..2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_sniffed_not_trusted_from_the_name() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            ("a.pdf", b"%PDF-1.7 ...", Some("application/pdf")),
            ("scan.png", b"\x89PNG\r\n\x1a\n....", Some("image/png")),
            ("photo.JPG", &[0xff, 0xd8, 0xff, 0xe0], Some("image/jpeg")),
            (
                "book.xlsx",
                b"PK\x03\x04rest",
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            (
                "list.csv",
                "kod;qiymat\n1703;7,8\n".as_bytes(),
                Some("text/csv; charset=utf-8"),
            ),
            // A script named like a PDF, an executable, binary "text".
            ("evil.pdf", b"<script>alert(1)</script>", None),
            ("setup.exe", b"MZ\x90\x00", None),
            ("x.txt", b"a\x00b", None),
            ("page.html", b"<html></html>", None),
        ];
        for (name, bytes, want) in cases {
            assert_eq!(sniff(name, bytes).map(|s| s.content_type), *want, "{name}");
        }
    }

    #[test]
    fn limits_and_names() {
        assert_eq!(check("e.pdf", b"").unwrap_err().field, "file");
        let big = vec![b'%'; MAX_BYTES + 1];
        assert!(
            check("big.pdf", &big)
                .unwrap_err()
                .message
                .to_string()
                .contains("limit is 10 MB")
        );
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(
            display_name("C:\\Users\\x\\Hisobot \"2024\".pdf"),
            "Hisobot 2024.pdf"
        );
        assert_eq!(display_name(".."), "evidence");
    }

    #[tokio::test]
    async fn the_local_store_keeps_bytes_under_generated_keys_only() {
        let dir = std::env::temp_dir().join(format!("daraja-files-{}", std::process::id()));
        let store = LocalDir::new(&dir);
        store.put("ab/abcd", b"hello").await.unwrap();
        store.put("ab/abcd", b"hello").await.unwrap();
        assert_eq!(store.get("ab/abcd").await.unwrap(), b"hello");
        for bad in ["../x", "/etc/passwd", "ab/../../x", ""] {
            assert!(store.get(bad).await.is_err(), "{bad}");
        }
        std::fs::remove_dir_all(dir).ok();
    }
}
