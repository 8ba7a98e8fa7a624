//! A methodology file's TOML as serde reads it, before any check: the
//! shapes [`crate::parse`] validates and builds the model from. Unknown
//! fields are refused here, each naming the field.

use std::collections::BTreeMap;

use domain::Names;
use serde::Deserialize;
use toml::Spanned;

use crate::model::*;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNames {
    pub(crate) uz_latn: Option<String>,
    pub(crate) uz_cyrl: Option<String>,
    pub(crate) ru: Option<String>,
    pub(crate) en: Option<String>,
}

impl RawNames {
    /// Fills absent languages from the others so no label is ever blank.
    pub(crate) fn resolve(self, fallback: &str) -> Names {
        let any = self
            .uz_latn
            .clone()
            .or_else(|| self.en.clone())
            .or_else(|| self.ru.clone())
            .or_else(|| self.uz_cyrl.clone())
            .unwrap_or_else(|| fallback.to_owned());
        Names {
            uz_latn: self.uz_latn.unwrap_or_else(|| any.clone()),
            uz_cyrl: self.uz_cyrl.unwrap_or_else(|| any.clone()),
            ru: self.ru.unwrap_or_else(|| any.clone()),
            en: self.en.unwrap_or(any),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) title: RawNames,
    #[serde(default)]
    pub(crate) description: RawNames,
    pub(crate) applies_to: Vec<String>,
    pub(crate) valid_from: String,
    pub(crate) scale_max: Option<f64>,
    pub(crate) missing: Option<MissingPolicy>,
    pub(crate) aggregation: Option<Aggregation>,
    pub(crate) cap: Option<f64>,
    pub(crate) outlier_threshold: Option<f64>,
    #[serde(default, rename = "band")]
    pub(crate) bands: Vec<Spanned<RawBand>>,
    #[serde(default, rename = "node")]
    pub(crate) nodes: Vec<Spanned<RawNode>>,
    #[serde(default, rename = "indicator")]
    pub(crate) indicators: Vec<Spanned<RawIndicator>>,
    #[serde(default, rename = "rule")]
    pub(crate) rules: Vec<Spanned<RawRule>>,
    pub(crate) crosswalk: Option<Spanned<RawCrosswalk>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBand {
    pub(crate) code: String,
    pub(crate) min: f64,
    pub(crate) max: f64,
    #[serde(default)]
    pub(crate) names: RawNames,
    pub(crate) level: Option<String>,
    pub(crate) colour: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNode {
    pub(crate) code: String,
    pub(crate) parent: Option<String>,
    pub(crate) weight: Option<f64>,
    #[serde(default)]
    pub(crate) weights_by_kind: BTreeMap<String, f64>,
    pub(crate) aggregation: Option<Aggregation>,
    pub(crate) cap: Option<f64>,
    #[serde(default)]
    pub(crate) names: RawNames,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIndicator {
    pub(crate) code: String,
    pub(crate) parent: Option<String>,
    pub(crate) kind: String,
    pub(crate) weight: Option<f64>,
    #[serde(default)]
    pub(crate) weights_by_kind: BTreeMap<String, f64>,
    pub(crate) polarity: Option<Polarity>,
    pub(crate) normalise: Option<RawNorm>,
    #[serde(default = "yes")]
    pub(crate) scored: bool,
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default)]
    pub(crate) evidence: bool,
    #[serde(default = "yes")]
    pub(crate) public: bool,
    pub(crate) range: Option<[f64; 2]>,
    pub(crate) missing: Option<MissingPolicy>,
    pub(crate) unit: Option<String>,
    #[serde(default)]
    pub(crate) options: Vec<RawOption>,
    #[serde(default)]
    pub(crate) items: Vec<RawOption>,
    pub(crate) checklist_mode: Option<ChecklistMode>,
    pub(crate) formula: Option<String>,
    pub(crate) points_per_unit: Option<f64>,
    pub(crate) cap: Option<f64>,
    #[serde(default)]
    pub(crate) names: RawNames,
    #[serde(default)]
    pub(crate) hint: RawNames,
    pub(crate) source: Option<String>,
}

pub(crate) fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOption {
    pub(crate) code: String,
    #[serde(default)]
    pub(crate) points: f64,
    #[serde(default)]
    pub(crate) names: RawNames,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNorm {
    pub(crate) method: String,
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    pub(crate) target: Option<f64>,
    #[serde(default)]
    pub(crate) thresholds: Vec<[f64; 2]>,
    pub(crate) factor: Option<f64>,
    #[serde(default)]
    pub(crate) log: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub(crate) code: String,
    pub(crate) expr: String,
    pub(crate) severity: Severity,
    #[serde(default)]
    pub(crate) message: RawNames,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrosswalk {
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) map: Vec<RawCrosswalkEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCrosswalkEntry {
    pub(crate) old: String,
    pub(crate) new: String,
    pub(crate) transform: Option<String>,
}
