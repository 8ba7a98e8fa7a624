//! Reading input files with errors that say file, line and field.

use std::fmt;
use std::path::Path;

/// Everything that can go wrong reading inputs or writing results.
#[derive(Debug)]
pub enum InputError {
    /// Wrong command-line arguments.
    Usage(String),
    /// A problem at a place in a file.
    At {
        /// File.
        file: String,
        /// Line from 1 (0 when the whole file is concerned).
        line: u64,
        /// Field or column.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A methodology file with one or more problems.
    Methodology(methodology::ParseError),
    /// Reading or writing failed.
    Io(String, std::io::Error),
    /// Problems already printed; a summary.
    Reported(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(m) => write!(f, "{m}"),
            Self::At {
                file,
                line,
                field,
                message,
            } => {
                if *line == 0 {
                    write!(f, "{file}: {field}: {message}")
                } else {
                    write!(f, "{file}:{line}: {field}: {message}")
                }
            }
            Self::Methodology(e) => write!(f, "{e}"),
            Self::Io(path, e) => write!(f, "{path}: {e}"),
            Self::Reported(summary) => write!(f, "{summary}"),
        }
    }
}

/// Builds an [`InputError::At`].
pub fn at(file: &Path, line: u64, field: &str, message: impl Into<String>) -> InputError {
    InputError::At {
        file: file.display().to_string(),
        line,
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Reads a whole file as UTF-8.
pub fn read(path: &Path) -> Result<String, InputError> {
    std::fs::read_to_string(path).map_err(|e| InputError::Io(path.display().to_string(), e))
}

/// Reads a methodology file.
pub fn methodology(path: &Path) -> Result<methodology::Methodology, InputError> {
    let src = read(path)?;
    methodology::parse(&path.display().to_string(), &src).map_err(InputError::Methodology)
}

/// Opens a file for reading.
pub fn open(path: &Path) -> Result<std::fs::File, InputError> {
    std::fs::File::open(path).map_err(|e| InputError::Io(path.display().to_string(), e))
}

/// Reads a whole file as bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|e| InputError::Io(path.display().to_string(), e))
}

/// A CSV reader over `input` (read from `path`, which errors name) that
/// checks the header names `expected` first (extra columns allowed after
/// them) and yields records with their line.
pub fn csv_reader<R: std::io::Read>(
    path: &Path,
    input: R,
    expected: &[&str],
) -> Result<csv::Reader<R>, InputError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = rdr
        .byte_headers()
        .map_err(|e| at(path, 1, "header", e.to_string()))?
        .clone();
    for (i, want) in expected.iter().enumerate() {
        let got = header.get(i).map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_owned()
        });
        if got.as_deref() != Some(*want) {
            return Err(at(
                path,
                1,
                &format!("column {}", i + 1),
                format!(
                    "expected header {want:?}, found {:?}",
                    got.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(rdr)
}

/// Field `i` of a record as text, or an error naming it.
pub fn field<'r>(
    path: &Path,
    rec: &'r csv::ByteRecord,
    i: usize,
    name: &str,
) -> Result<&'r str, InputError> {
    let line = rec.position().map_or(0, |p| p.line());
    let raw = rec
        .get(i)
        .ok_or_else(|| at(path, line, name, "missing field"))?;
    std::str::from_utf8(raw).map_err(|_| at(path, line, name, "not UTF-8"))
}

/// The line a record starts on.
pub fn line(rec: &csv::ByteRecord) -> u64 {
    rec.position().map_or(0, |p| p.line())
}
