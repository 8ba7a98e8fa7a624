//! Daraja's domain vocabulary, shared by the server and the browser build.
//!
//! Values that passed a check become types with private fields (`Email`,
//! `Password`), ids are newtypes, and closed sets are enums with a stable
//! string form used in the database, URLs and JSON. No I/O, no database, no
//! HTTP: this crate compiles to wasm.
#![deny(missing_docs)]

mod dto;
mod i18n_names;
mod ids;
mod locale;
mod role;

pub use dto::*;

pub use i18n_names::Names;
pub use ids::*;
pub use locale::Locale;
pub use role::{EntityKind, Role};

/// A value from outside that does not parse, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    /// The field or parameter that is wrong.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl ParseError {
    /// A parse error for `field`.
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
