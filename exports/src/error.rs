//! The error type of every export function.

/// Why an export failed. Incomplete *data* (a missing index, an empty league)
/// is not an error: it prints as an empty cell or "not rated". Errors are
/// reserved for inputs whose parts do not fit together and for I/O.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The xlsx writer failed (including I/O on the output writer).
    #[error("failed to write the workbook")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer failed.
    #[error("failed to write CSV")]
    Csv(#[from] csv::Error),
    /// The JSON writer failed.
    #[error("failed to write JSON")]
    Json(#[from] serde_json::Error),
    /// The output writer failed.
    #[error("failed to write the output")]
    Io(#[from] std::io::Error),
    /// Parts of the input disagree, e.g. a league row with 5 domain scores
    /// for a methodology with 6 domains, or a matrix of the wrong length.
    #[error("inconsistent input: {0}")]
    Shape(String),
    /// The input exceeds what an xlsx sheet can hold (1,048,576 rows,
    /// 16,384 columns).
    #[error("too large for one Excel sheet: {0}")]
    TooLarge(String),
}
