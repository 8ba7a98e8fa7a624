//! What the service hands the edge to send as a file: its name, type and
//! bytes. Below every module that makes files (downloads, the audit log
//! export, workbooks), so none of them imports another for the type.

/// A file to send.
pub struct Download {
    /// File name for Content-Disposition.
    pub file_name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}
