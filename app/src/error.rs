//! The error every server function answers with: an HTTP status, the typed
//! message, and that message already rendered in the request's language.
//!
//! A request the server cannot decode (a missing or malformed argument) is
//! a 400 naming the argument, set while the arguments are read; a service
//! error keeps its own status (`ssr::fail`); an internal one is logged and
//! answers only that it was logged.

use domain::Msg;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Tr;

/// A server function's failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppError {
    /// The HTTP status the server answered (0 when no answer came).
    pub status: u16,
    /// What went wrong, typed, for pages that act on it (sign in, choose
    /// between two readings of a number).
    pub msg: Msg,
    /// The message in the language of the request; empty for failures the
    /// browser met itself (the page writes those from its own table).
    pub text: String,
    /// The argument or form field that is wrong, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    /// A failure with `status` and `msg`, rendered in the request's
    /// language on the server.
    pub fn new(status: u16, msg: Msg) -> Self {
        #[cfg(feature = "ssr")]
        let text = msg.render(crate::locale::request_locale());
        #[cfg(not(feature = "ssr"))]
        let text = String::new();
        AppError {
            status,
            msg,
            text,
            field: None,
        }
    }

    /// Whether signing in would help (the page offers the sign-in link).
    pub fn needs_sign_in(&self) -> bool {
        self.status == 401 || self.msg == Msg::SignInRequired
    }

    /// What to show a person, in `tr`'s language.
    pub fn text_in(&self, tr: Tr) -> String {
        if !self.text.is_empty() {
            return self.text.clone();
        }
        match &self.msg {
            Msg::BadArgument { .. } => tr.err_bad_request().to_owned(),
            Msg::Internal => tr.err_internal().to_owned(),
            _ => tr.err_no_answer().to_owned(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.msg)
    }
}

impl std::error::Error for AppError {}

/// The argument serde names in a decoding error (`missing field `page``,
/// `unknown field `x``, `page: invalid digit…`), if any.
fn field_named(detail: &str) -> Option<String> {
    if let Some(rest) = detail.split("field `").nth(1) {
        return rest.split('`').next().map(str::to_owned);
    }
    let (head, _) = detail.split_once(": ")?;
    let head = head.trim();
    (!head.is_empty()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_[].".contains(c)))
    .then(|| head.to_owned())
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        match e {
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => {
                #[cfg(feature = "ssr")]
                if let Some(r) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    r.set_status(http::StatusCode::BAD_REQUEST);
                }
                let field = field_named(&detail);
                AppError {
                    field: field.clone(),
                    ..AppError::new(400, Msg::BadArgument { field })
                }
            }
            ServerFnErrorErr::ServerError(detail) => {
                #[cfg(feature = "ssr")]
                tracing::error!(%detail, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = detail;
                AppError::new(500, Msg::Internal)
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::warn!(error = %other, "server function transport");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::new(0, Msg::NoAnswer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_errors_name_the_argument() {
        for (detail, want) in [
            ("missing field `page`", Some("page")),
            ("unknown field `pgae`, expected `page`", Some("pgae")),
            ("page: invalid digit found in string", Some("page")),
            ("filter[kind]: unknown variant `x`", Some("filter[kind]")),
            ("invalid type: string \"a\", expected i32", None),
        ] {
            assert_eq!(field_named(detail).as_deref(), want, "{detail}");
        }
    }
}
