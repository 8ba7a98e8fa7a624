//! Stored answers read and written as text: a value is the JSON of a
//! `methodology::Value` (`"null"` once cleared); the counted answer is the
//! reviewer's adjustment where there is one, none where rejected.

use chrono::{DateTime, Utc};
use domain::{Msg, Noun};
use domain::{ParseError, ReviewStatus};
use entity::submission_values;
use methodology::model::{IndicatorKind, Methodology, NodeIdx};
use methodology::number::Notation;
use methodology::value::Value;
use sea_orm::{ActiveValue::NotSet, Set};

use crate::{Principal, ServiceResult};

/// The stored text of a cleared value.
pub(super) const CLEARED: &str = "null";

/// The answer a stored value holds, if any (`None` once cleared).
pub(super) fn parse_stored(json: &str) -> Option<Value> {
    serde_json::from_str::<Option<Value>>(json).ok().flatten()
}

/// The value that counts for scoring: the reviewer's adjustment if any,
/// nothing if rejected, else the officer's answer.
pub(crate) fn effective(v: &submission_values::Model) -> Option<Value> {
    match v.review_status {
        ReviewStatus::Rejected => None,
        ReviewStatus::Adjusted => v.reviewed_value.as_deref().and_then(parse_stored),
        _ => parse_stored(&v.value),
    }
}

pub(crate) fn text_of(json: &str) -> Option<String> {
    parse_stored(json).map(|v| v.to_text())
}

/// The methodology has no indicator `code`.
pub(crate) fn no_indicator(code: &str) -> crate::ServiceError {
    ParseError::new(
        "indicator",
        Msg::NotFound {
            what: Noun::Indicator,
            which: code.to_owned(),
        },
    )
    .into()
}

/// Reads an answer written in `writer`'s notation for indicator `code`;
/// `None` for an empty field. `previous` is the entity's last-round answer,
/// which decides (with the range) a number that reads two ways, or makes
/// it a question to the writer.
pub(crate) fn parse_answer(
    m: &Methodology,
    code: &str,
    text: Option<&str>,
    writer: Notation,
    previous: Option<f64>,
) -> ServiceResult<(NodeIdx, Option<Value>)> {
    let i = m.find(code).ok_or_else(|| no_indicator(code))?;
    let ind = m.nodes[i].indicator().ok_or_else(|| {
        ParseError::new("indicator", format!("{code} is a group, not a question"))
    })?;
    if matches!(ind.kind, IndicatorKind::Formula { .. }) {
        return Err(ParseError::new("value", Msg::Computed).into());
    }
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok((i, None)),
        Some(t) => Value::read(ind, t, writer, previous)
            .map(|v| (i, Some(v)))
            .map_err(|e| ParseError::new("value", e).into()),
    }
}

pub(crate) fn json_of(v: &Option<Value>) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| CLEARED.to_owned())
}

/// The first stored version of a value: entered by a person (`who`; the
/// system when `None`) now, nothing answered yet, no verdict.
pub(crate) fn first_value(
    participant: i32,
    code: &str,
    who: Option<&Principal>,
    now: DateTime<Utc>,
) -> submission_values::ActiveModel {
    submission_values::ActiveModel {
        id: NotSet,
        participant_id: Set(participant),
        indicator_code: Set(code.to_owned()),
        value: Set(CLEARED.to_owned()),
        reviewed_value: Set(None),
        review_status: Set(ReviewStatus::Pending),
        comment: Set(None),
        source: Set("person".into()),
        prefilled: Set(false),
        locked: Set(false),
        version: Set(1),
        updated_by: Set(who.map(|w| w.user.id.0)),
        updated_at: Set(now),
    }
}
