//! Answers: what a CDO enters for an indicator, parsed from text the way
//! people actually write it (`7,8`, `1 240`, `85 %`, `ha`, `да`).

use domain::Msg;
use serde::{Deserialize, Serialize};

use crate::model::{ChecklistMode, Indicator, IndicatorKind};
use crate::number::{self, Notation, NumberError};

/// One answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// A number or percentage (also a penalty count).
    Number(f64),
    /// Yes or no.
    Bool(bool),
    /// The code of the chosen option.
    Choice(String),
    /// Codes of the checked items.
    Checklist(Vec<String>),
    /// Free text.
    Text(String),
    /// A link.
    Url(String),
    /// A legal act.
    LegalAct(LegalAct),
}

/// A legal act cited as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalAct {
    /// Type: decree, resolution, order…
    pub act_type: String,
    /// Number as printed.
    pub number: String,
    /// Date, `YYYY-MM-DD`.
    pub date: String,
    /// Link to the text (lex.uz).
    pub link: String,
}

/// Why a text could not be read as an answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// Not a number.
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// Not yes or no.
    #[error("{0:?} is not yes or no")]
    NotYesNo(String),
    /// Not one of the options.
    #[error("{given:?} is not one of the options ({allowed})")]
    UnknownOption {
        /// What was given.
        given: String,
        /// The option codes.
        allowed: String,
    },
    /// Not an http(s) link.
    #[error("{0:?} is not an http(s) link")]
    NotAUrl(String),
    /// A legal act needs four parts.
    #[error("{0:?} is not a legal act written as type|number|YYYY-MM-DD|link")]
    NotALegalAct(String),
    /// Formulas are computed, not entered.
    #[error("a formula indicator is computed, not entered")]
    Computed,
    /// A number that reads two ways, both plausible here (see
    /// [`number::resolve`]).
    #[error("{text:?} reads as {as_decimal} or as {as_grouped}")]
    Ambiguous {
        /// What was typed.
        text: String,
        /// The mark as the decimal separator.
        as_decimal: f64,
        /// The mark as a thousands separator.
        as_grouped: f64,
    },
}

impl From<NumberError> for ValueError {
    fn from(e: NumberError) -> Self {
        match e {
            NumberError::NotANumber(t) => ValueError::NotANumber(t),
            NumberError::Ambiguous {
                text,
                as_decimal,
                as_grouped,
            } => ValueError::Ambiguous {
                text,
                as_decimal,
                as_grouped,
            },
        }
    }
}

impl From<ValueError> for Msg {
    fn from(e: ValueError) -> Self {
        match e {
            ValueError::NotANumber(text) => Msg::NotANumber { text },
            ValueError::NotYesNo(text) => Msg::NotYesNo { text },
            ValueError::UnknownOption { given, allowed } => Msg::UnknownOption { given, allowed },
            ValueError::NotAUrl(text) => Msg::NotAUrl { text },
            ValueError::NotALegalAct(text) => Msg::NotALegalAct { text },
            ValueError::Computed => Msg::Computed,
            ValueError::Ambiguous {
                text,
                as_decimal,
                as_grouped,
            } => Msg::AmbiguousNumber {
                text,
                as_decimal,
                as_grouped,
            },
        }
    }
}

/// Reads a number written by a program: a point as the decimal mark, no
/// grouping, an optional sign and `%`.
pub fn parse_number(text: &str) -> Result<f64, ValueError> {
    let reading = number::read(text, Notation::Machine, None)?;
    Ok(number::resolve(text, reading, None, None)?)
}

/// Reads yes or no in the four languages (and 1/0, true/false).
pub fn parse_yes_no(text: &str) -> Result<bool, ValueError> {
    let t = text
        .trim()
        .to_lowercase()
        .replace(['ʻ', 'ʼ', '‘', '’', '`'], "'");
    match t.as_str() {
        "1" | "yes" | "y" | "true" | "ha" | "да" | "ҳа" | "ха" => Ok(true),
        "0" | "no" | "n" | "false" | "yo'q" | "нет" | "йўқ" | "йук" => Ok(false),
        _ => Err(ValueError::NotYesNo(text.to_owned())),
    }
}

impl Value {
    /// Reads `text` written by a program (a file, a feed, a stored answer's
    /// [`Value::to_text`]) as an answer to `indicator`.
    pub fn parse(indicator: &Indicator, text: &str) -> Result<Value, ValueError> {
        Value::read(indicator, text, Notation::Machine, None)
    }

    /// Reads `text` as an answer to `indicator` written in `notation`, for an
    /// entity whose last-round answer was `previous` (which, with the
    /// range, decides a number that reads two ways, or asks). Checklists
    /// list item codes separated by `;` or `|`; legal acts are
    /// `type|number|date|link`.
    pub fn read(
        indicator: &Indicator,
        text: &str,
        notation: Notation,
        previous: Option<f64>,
    ) -> Result<Value, ValueError> {
        let t = text.trim();
        let number = |unit: Option<&str>| -> Result<Value, ValueError> {
            let reading = number::read(t, notation, unit)?;
            Ok(Value::Number(number::resolve(
                t,
                reading,
                indicator.range,
                previous,
            )?))
        };
        Ok(match &indicator.kind {
            IndicatorKind::Number { unit } => number(unit.as_deref())?,
            IndicatorKind::Percent | IndicatorKind::Penalty { .. } => number(None)?,
            IndicatorKind::YesNo => Value::Bool(parse_yes_no(t)?),
            IndicatorKind::Choice { options } => {
                let found = options.iter().find(|o| o.code.eq_ignore_ascii_case(t));
                match found {
                    Some(o) => Value::Choice(o.code.clone()),
                    None => {
                        return Err(ValueError::UnknownOption {
                            given: t.to_owned(),
                            allowed: codes(options),
                        });
                    }
                }
            }
            IndicatorKind::Checklist { items, .. } => {
                let mut checked = Vec::new();
                for part in t.split([';', '|']).map(str::trim).filter(|p| !p.is_empty()) {
                    match items.iter().find(|o| o.code.eq_ignore_ascii_case(part)) {
                        Some(o) if !checked.contains(&o.code) => checked.push(o.code.clone()),
                        Some(_) => {}
                        None => {
                            return Err(ValueError::UnknownOption {
                                given: part.to_owned(),
                                allowed: codes(items),
                            });
                        }
                    }
                }
                Value::Checklist(checked)
            }
            IndicatorKind::Url => {
                if !is_url(t) {
                    return Err(ValueError::NotAUrl(t.to_owned()));
                }
                Value::Url(t.to_owned())
            }
            IndicatorKind::LegalAct => {
                let parts: Vec<&str> = t.split('|').map(str::trim).collect();
                match parts.as_slice() {
                    [act_type, number, date, link]
                        if !act_type.is_empty() && !number.is_empty() && is_url(link) =>
                    {
                        Value::LegalAct(LegalAct {
                            act_type: (*act_type).to_owned(),
                            number: (*number).to_owned(),
                            date: (*date).to_owned(),
                            link: (*link).to_owned(),
                        })
                    }
                    _ => return Err(ValueError::NotALegalAct(t.to_owned())),
                }
            }
            IndicatorKind::Text => Value::Text(t.to_owned()),
            IndicatorKind::Formula { .. } => return Err(ValueError::Computed),
        })
    }

    /// The number an answer stands for before normalisation: the number,
    /// 1/0 for yes/no, an option's points, a checklist's points or share,
    /// 1 for a given link or act; `None` for text.
    pub fn raw(&self, indicator: &Indicator) -> Option<f64> {
        match (self, &indicator.kind) {
            (Value::Number(x), _) => Some(*x),
            (Value::Bool(b), _) => Some(if *b { 1.0 } else { 0.0 }),
            (Value::Choice(c), IndicatorKind::Choice { options }) => {
                options.iter().find(|o| &o.code == c).map(|o| o.points)
            }
            (Value::Checklist(checked), IndicatorKind::Checklist { items, mode }) => {
                let hits = items.iter().filter(|o| checked.contains(&o.code));
                Some(match mode {
                    ChecklistMode::Points => hits.map(|o| o.points).sum(),
                    ChecklistMode::Share => hits.count() as f64 * 100.0 / items.len().max(1) as f64,
                })
            }
            (Value::Url(u), _) => Some(if u.is_empty() { 0.0 } else { 1.0 }),
            (Value::LegalAct(_), _) => Some(1.0),
            _ => None,
        }
    }

    /// The answer as text in the form [`Value::parse`] reads.
    pub fn to_text(&self) -> String {
        match self {
            Value::Number(x) => format!("{x}"),
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
            Value::Choice(c) => c.clone(),
            Value::Checklist(items) => items.join(";"),
            Value::Text(t) | Value::Url(t) => t.clone(),
            Value::LegalAct(a) => format!("{}|{}|{}|{}", a.act_type, a.number, a.date, a.link),
        }
    }
}

fn codes(options: &[crate::model::OptionDef]) -> String {
    options
        .iter()
        .map(|o| o.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `s` looks like an http(s) link with a host.
pub fn is_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !host.starts_with('.') && !r.contains(char::is_whitespace)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_programs() {
        for (text, want) in [("7.8", 7.8), ("1240", 1240.0), ("85 %", 85.0), ("-3", -3.0)] {
            assert_eq!(parse_number(text), Ok(want), "{text}");
        }
        for bad in ["", "abc", "1.2.3", "NaN", "inf", "7,8", "1 240"] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn yes_no_in_four_languages() {
        for t in ["Ha", "да", "yes", "1", "ҳа"] {
            assert_eq!(parse_yes_no(t), Ok(true), "{t}");
        }
        for t in ["yoʻq", "Нет", "no", "0", "йўқ"] {
            assert_eq!(parse_yes_no(t), Ok(false), "{t}");
        }
        assert!(parse_yes_no("maybe").is_err());
    }

    #[test]
    fn urls() {
        assert!(is_url("https://stat.uz/uz/"));
        assert!(!is_url("stat.uz"));
        assert!(!is_url("https://localhost"));
        assert!(!is_url("https://a b.uz"));
    }
}
