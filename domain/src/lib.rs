//! Daraja's domain vocabulary, shared by the server and the browser build.
//!
//! Values from outside are parsed once, at the edge, into these types (a
//! period, an ISO date; the e-mail address type lives in `service::users`
//! beside the accounts it keys), ids are newtypes, and closed sets are enums with a stable
//! string form used in the database, URLs and JSON. No I/O, no database, no
//! HTTP: this crate compiles to wasm. With the `orm` feature (the `entity`
//! crate's, never the browser's) every closed set is also a column type, so
//! a status or kind column is read as its enum, parsed once by the database
//! layer.
#![deny(missing_docs)]

/// A closed set with a stable string form (database, URLs, JSON).
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "orm", derive(sea_orm::DeriveValueType))]
        #[cfg_attr(feature = "orm", sea_orm(value_type = "String"))]
        // The wire form is the variant in snake_case, which every stored
        // text is (a test checks); utoipa reads `rename_all`, not a
        // per-variant rename built by this macro.
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable string form used in the database, URLs and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses the stable string form.
            pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
                match s { $($text => Ok($name::$variant),)* _ => Err(crate::ParseError::new(
                    stringify!($name),
                    format!("unknown value {s:?}; expected one of {}", [$($text),*].join(", ")),
                )) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::ParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

mod campaign;
mod dto;
mod feed;
mod i18n_names;
mod ids;
mod locale;
mod names;
mod records;
mod role;
mod snapshot;
mod text;

pub use campaign::*;
pub use dto::*;
pub use feed::*;

pub use i18n_names::Names;
pub use ids::*;
pub use locale::{Locale, Plural};
pub use names::issue_name;
pub use records::*;
pub use role::{EntityKind, Role};
pub use snapshot::*;
pub use text::{Blocker, Expected, Msg, Need, Noun, Step};

/// A value from outside that does not parse, naming the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    /// The field or parameter that is wrong.
    pub field: &'static str,
    /// What is wrong with it, for the reader.
    pub message: Msg,
}

impl ParseError {
    /// A parse error for `field`.
    pub fn new(field: &'static str, message: impl Into<Msg>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
