//! What crosses the JSON API for automatic feeds: integration tokens and
//! a push of values for one entity in one campaign.

use serde::{Deserialize, Deserializer, Serialize};

use crate::ParticipantId;

/// An integration token as ministry admins see it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    /// Row id.
    pub id: i32,
    /// What the token is for, e.g. "my.gov.uz nightly feed".
    pub name: String,
    /// The system whose values it carries; every value it writes names it.
    pub source_system: String,
    /// Indicator codes it may write; `*` for every indicator.
    pub indicators: Vec<String>,
    /// Entity codes it may write for (a region's code covers its
    /// districts); `*` for every entity.
    pub entities: Vec<String>,
    /// Indicators whose values it locks against manual edits; `*` for
    /// every indicator it writes; empty for none.
    pub locked_indicators: Vec<String>,
    /// Who created it.
    pub created_by: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; the token is refused from then on.
    pub expires_at: String,
    /// The last day it works, `YYYY-MM-DD` (the day before `expires_at`).
    pub last_day: String,
    /// RFC 3339, when revoked.
    pub revoked_at: Option<String>,
    /// RFC 3339, the last request that used it.
    pub last_used_at: Option<String>,
    /// Neither revoked nor expired when read.
    pub active: bool,
}

/// A token to create.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApiToken {
    /// What the token is for.
    pub name: String,
    /// The system whose values it carries.
    pub source_system: String,
    /// Indicator codes it may write, or `*`.
    pub indicators: Vec<String>,
    /// Entity codes it may write for, or `*`.
    pub entities: Vec<String>,
    /// Last day it works, `YYYY-MM-DD` (at most two years ahead).
    pub expires_on: String,
    /// Indicators whose values it locks against manual edits (a subset of
    /// `indicators`), `*` for all it writes; empty or absent for none.
    #[serde(default)]
    pub locked_indicators: Vec<String>,
}

/// A token just created: the secret is shown this once and never stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedToken {
    /// The token as stored.
    pub token: ApiToken,
    /// `drj_…`: send as `Authorization: Bearer drj_…`.
    pub secret: String,
}

/// Values for one entity in one campaign, by codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedPush {
    /// Campaign code, e.g. `2025-district`.
    pub campaign: String,
    /// Entity code, SOATO or TIN.
    pub entity: String,
    /// The values; each indicator at most once.
    pub values: Vec<FeedValue>,
}

/// One value of a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedValue {
    /// Indicator code of the campaign's methodology.
    pub indicator: String,
    /// The answer; `null` clears it.
    pub value: Option<FeedAnswer>,
    /// A note kept with the value.
    #[serde(default)]
    pub comment: Option<String>,
    /// Links attached as evidence (added once; links already attached are
    /// left as they are).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The version the sender last read; when given, the push is refused
    /// if the value changed since. Without it the value is overwritten.
    #[serde(default, deserialize_with = "whole_number")]
    pub version: Option<i32>,
}

/// An answer as JSON: a number, yes/no as a boolean, text (a choice's
/// code, a link, `type|number|YYYY-MM-DD|link` for a legal act) or the
/// checked items of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum FeedAnswer {
    /// Yes or no.
    Flag(bool),
    /// A number or a percentage.
    Number(f64),
    /// Anything written as text.
    Text(String),
    /// A checklist's checked item codes.
    Items(Vec<String>),
}

impl FeedAnswer {
    /// The answer in the text form the form and the Excel template use.
    pub fn to_text(&self) -> String {
        match self {
            FeedAnswer::Flag(b) => if *b { "yes" } else { "no" }.to_owned(),
            FeedAnswer::Number(x) => format!("{x}"),
            FeedAnswer::Text(t) => t.clone(),
            FeedAnswer::Items(items) => items.join(";"),
        }
    }
}

/// What a push did (or, as a dry run, would do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedReport {
    /// Campaign code.
    pub campaign: String,
    /// Entity code.
    pub entity: String,
    /// The submission written to.
    pub submission: ParticipantId,
    /// Only checked, nothing written.
    pub dry_run: bool,
    /// Whether the changes were written.
    pub applied: bool,
    /// Values that change.
    pub changes: Vec<FeedChange>,
    /// Values sent that equal what is stored.
    pub unchanged: usize,
    /// Evidence links newly attached.
    pub evidence_added: usize,
}

/// One value a push changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedChange {
    /// Indicator code.
    pub indicator: String,
    /// The answer before, as text.
    pub before: Option<String>,
    /// The answer after, as text.
    pub after: Option<String>,
    /// The value's version after the write (what it would be, on a dry run).
    pub version: i32,
}

/// One thing wrong with a request, at a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    /// RFC 6901 pointer, e.g. `/values/3/value`.
    pub pointer: String,
    /// What is wrong.
    pub detail: String,
}

/// The API's OpenAPI document, digested for the browsable reference page.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiReference {
    /// The API's title.
    pub title: String,
    /// Its version.
    pub version: String,
    /// What it is, in Markdown-free prose.
    pub description: String,
    /// Operations grouped by tag, in the document's tag order.
    pub tags: Vec<ApiTag>,
    /// Every schema: name and its JSON Schema, pretty-printed.
    pub schemas: Vec<(String, String)>,
}

/// One group of operations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiTag {
    /// Tag name.
    pub name: String,
    /// What the group is about.
    pub description: String,
    /// Its operations, by path.
    pub operations: Vec<ApiOperation>,
}

/// One method on one path.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ApiOperation {
    /// `GET`, `POST`…
    pub method: String,
    /// `/api/v1/...`.
    pub path: String,
    /// First line of its description.
    pub summary: String,
    /// The rest.
    pub description: String,
    /// Whether it takes a bearer token.
    pub secured: bool,
    /// Parameters: name, where (`path`, `query`, `header`), required, what.
    pub params: Vec<(String, String, bool, String)>,
    /// The request body's schema name, if any.
    pub body: Option<String>,
    /// Responses: status, description, schema name.
    pub responses: Vec<(String, String, Option<String>)>,
}

/// A whole number however JSON writes it (`3` or `3.0`), as JSON Schema's
/// `integer` allows.
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    use serde::de::Error;
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(x) if x.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&x) => {
            Ok(Some(x as i32))
        }
        Some(x) => Err(D::Error::custom(format!("{x} is not a whole number"))),
    }
}
