//! The validated shape of a methodology version. Values of these types are
//! only made by [`crate::parse`], so every invariant listed on a type holds.

use domain::Names;
use serde::{Deserialize, Serialize};

/// Index of a node in [`Methodology::nodes`]; node 0 is the index itself.
pub type NodeIdx = usize;

/// One version of a methodology, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Methodology {
    /// Stable identifier shared by all versions (`nis-bodies`).
    pub id: String,
    /// Version label (`2020`, `2022.1`).
    pub version: String,
    /// Title in the four languages.
    pub title: Names,
    /// Description in the four languages.
    pub description: Names,
    /// Entity kinds it applies to (`state_body`, `district`, `country`, …).
    pub applies_to: Vec<String>,
    /// First day it may be used, `YYYY-MM-DD`.
    pub valid_from: String,
    /// The index runs from 0 to this (100 for NIS, 1 for the UN EGDI).
    pub scale_max: f64,
    /// Default policy for a missing value.
    pub missing: MissingPolicy,
    /// Rating bands, highest `min` first; together they cover 0..scale_max.
    pub bands: Vec<Band>,
    /// Every node, parents before children; `nodes[0]` is the index.
    pub nodes: Vec<Node>,
    /// Cross-indicator rules checked on entry.
    pub rules: Vec<Rule>,
    /// Robust z-score above which a value is flagged as an outlier.
    pub outlier_threshold: f64,
    /// How codes of an earlier version map onto this one, if declared.
    pub crosswalk: Option<Crosswalk>,
    /// Formula indicators in an order where each comes after those it reads.
    pub formula_order: Vec<NodeIdx>,
}

/// A labelled band `[min, max)` of the index (the top band includes its max).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Stable code (`good`, `VH`).
    pub code: String,
    /// Names in the four languages.
    pub names: Names,
    /// Lowest index (inclusive, compared at six decimals).
    pub min: f64,
    /// Upper end (exclusive except for the top band).
    pub max: f64,
    /// The level a within-level class belongs to (UN EGDI `very_high`).
    pub level: Option<String>,
    /// Display colour, `#rrggbb`.
    pub colour: Option<String>,
}

/// A node of the indicator tree: the index, a domain or sub-domain, or an
/// indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Unique code within the version.
    pub code: String,
    /// Names in the four languages.
    pub names: Names,
    /// Parent node; `None` only for the index.
    pub parent: Option<NodeIdx>,
    /// Children in file order (empty for indicators).
    pub children: Vec<NodeIdx>,
    /// Weight within the parent; positive.
    pub weight: f64,
    /// Weights that differ by entity kind; positive.
    pub weights_by_kind: Vec<(String, f64)>,
    /// Group or indicator.
    pub body: NodeBody,
}

impl Node {
    /// The node's weight for an entity of `kind`.
    pub fn weight_for(&self, kind: &str) -> f64 {
        self.weights_by_kind
            .iter()
            .find(|(k, _)| k == kind)
            .map_or(self.weight, |(_, w)| *w)
    }

    /// The indicator, if this node is one.
    pub fn indicator(&self) -> Option<&Indicator> {
        match &self.body {
            NodeBody::Indicator(i) => Some(i),
            NodeBody::Group { .. } => None,
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeBody {
    /// A domain, sub-domain or the index: aggregates its children.
    Group {
        /// How children combine.
        aggregation: Aggregation,
        /// Upper limit of the node's score (NIS "up to 35 points").
        cap: Option<f64>,
    },
    /// A leaf the CDO answers (or a formula or penalty).
    Indicator(Box<Indicator>),
}

/// How a group combines the scores of its present children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Σ wᵢsᵢ / Σ wᵢ over present children.
    WeightedMean,
    /// Σ wᵢsᵢ, limited to `[0, cap]`.
    Sum,
    /// exp(Σ wᵢ ln sᵢ / Σ wᵢ); 0 if any present child is 0.
    GeometricMean,
    /// The smallest present child.
    Minimum,
}

impl Aggregation {
    /// Every aggregation, in the order the file format lists them.
    pub const ALL: [Aggregation; 4] = [
        Aggregation::WeightedMean,
        Aggregation::Sum,
        Aggregation::GeometricMean,
        Aggregation::Minimum,
    ];

    /// The aggregation's name in the file format (`weighted_mean`, …).
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::WeightedMean => "weighted_mean",
            Aggregation::Sum => "sum",
            Aggregation::GeometricMean => "geometric_mean",
            Aggregation::Minimum => "minimum",
        }
    }

    /// The aggregation named `name`, if any.
    pub fn from_name(name: &str) -> Option<Aggregation> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// An indicator: what is asked, how it is checked and how it is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// The answer's type.
    pub kind: IndicatorKind,
    /// Whether more is better.
    pub polarity: Polarity,
    /// How the raw value becomes a score; `None` for unscored indicators.
    pub normalisation: Option<Normalisation>,
    /// Whether an answer is required to submit.
    pub required: bool,
    /// Whether evidence must be attached.
    pub evidence_required: bool,
    /// Whether its raw answers may appear in public files (`public = false`
    /// keeps them in the snapshot for staff, out of open data and
    /// downloads; the score is published either way).
    #[serde(default = "public_by_default")]
    pub public: bool,
    /// Accepted range of a numeric answer.
    pub range: Option<(f64, f64)>,
    /// Missing-data policy when it differs from the methodology's.
    pub missing: Option<MissingPolicy>,
    /// Help text shown beside the control.
    pub hint: Names,
    /// Source of the indicator (seed document, article of a decree).
    pub source: Option<String>,
}

fn public_by_default() -> bool {
    true
}

impl Indicator {
    /// Whether the indicator contributes to scores.
    pub fn is_scored(&self) -> bool {
        self.normalisation.is_some()
    }
}

/// The type of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A number in a unit.
    Number {
        /// Unit shown beside the field.
        unit: Option<String>,
    },
    /// A percentage 0–100.
    Percent,
    /// Yes (1) or no (0).
    YesNo,
    /// One of ordered options, each worth points.
    Choice {
        /// The options.
        options: Vec<OptionDef>,
    },
    /// Check whichever apply.
    Checklist {
        /// The items.
        items: Vec<OptionDef>,
        /// Points per item, or share of items checked (0–100).
        mode: ChecklistMode,
    },
    /// A link as evidence (1 when given).
    Url,
    /// A legal act: type, number, date, link (1 when given).
    LegalAct,
    /// Free text, never scored.
    Text,
    /// Computed from other indicators.
    Formula {
        /// The expression as written.
        expr: String,
        /// The parsed expression.
        parsed: crate::formula::Expr,
    },
    /// Subtracts points for each counted violation.
    Penalty {
        /// Points per unit counted.
        points_per_unit: f64,
        /// Most points it can subtract.
        cap: Option<f64>,
    },
}

impl IndicatorKind {
    /// The kind's name in the file format.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Number { .. } => "number",
            Self::Percent => "percent",
            Self::YesNo => "yes_no",
            Self::Choice { .. } => "choice",
            Self::Checklist { .. } => "checklist",
            Self::Url => "url",
            Self::LegalAct => "legal_act",
            Self::Text => "text",
            Self::Formula { .. } => "formula",
            Self::Penalty { .. } => "penalty",
        }
    }
}

/// One option of a choice or item of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionDef {
    /// Stable code.
    pub code: String,
    /// Label in the four languages.
    pub names: Names,
    /// Points it earns.
    pub points: f64,
}

/// How a checklist scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistMode {
    /// Sum of the points of checked items.
    Points,
    /// Share of items checked, 0–100.
    Share,
}

/// Direction of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// More is better.
    Higher,
    /// Less is better.
    Lower,
}

/// How a raw value becomes a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Normalisation {
    /// The method.
    pub method: NormMethod,
    /// Apply ln(1 + x) to values (and goalposts) first.
    pub log: bool,
}

/// Normalisation methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum NormMethod {
    /// clamp((x − min)/(max − min), 0, 1) × scale (reversed for lower polarity).
    Goalposts {
        /// Worst goalpost.
        min: f64,
        /// Best goalpost.
        max: f64,
    },
    /// clamp(x / target, 0, 1) × scale (target / x for lower polarity).
    DistanceToTarget {
        /// The target.
        target: f64,
    },
    /// (x − mean) / sd over the entities scored together.
    ZScore,
    /// Percentile rank among the entities scored together, 0–scale.
    PercentileRank,
    /// The score of the highest threshold not above x (0 below the first).
    Lookup {
        /// Ascending `(at, score)` pairs.
        thresholds: Vec<(f64, f64)>,
    },
    /// x × factor: points as answered (NIS style).
    Points {
        /// Multiplier.
        factor: f64,
    },
}

/// What to do when an entity has no value for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Leave it out and renormalise the siblings' weights.
    Exclude,
    /// Score it 0.
    Zero,
    /// Use the previous period's value (excluded if there is none).
    CarryForward,
    /// Use the median value of the entity's peers (kind or peer group).
    PeerMedian,
}

/// A cross-indicator rule checked on entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable code.
    pub code: String,
    /// The condition that must hold, as written.
    pub expr: String,
    /// Parsed condition.
    pub parsed: crate::formula::Expr,
    /// Hard rules block submission; soft ones ask for a justification.
    pub severity: Severity,
    /// Message in the four languages.
    pub message: Names,
}

/// Severity of a validation finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks submission.
    Hard,
    /// Needs a justification comment.
    Soft,
}

/// A declared mapping from an earlier version's codes onto this one's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Crosswalk {
    /// The earlier version (`nis-bodies@2020`).
    pub from: String,
    /// Code mappings.
    pub map: Vec<CrosswalkEntry>,
}

/// Old code → new code, with an optional transform of the value `x`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosswalkEntry {
    /// Code in the earlier version.
    pub old: String,
    /// Code in this version.
    pub new: String,
    /// Expression in `x` applied to the old value.
    pub transform: Option<crate::formula::Expr>,
}

impl Methodology {
    /// `id@version`.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The node with `code`.
    pub fn find(&self, code: &str) -> Option<NodeIdx> {
        self.nodes.iter().position(|n| n.code == code)
    }

    /// Indicator nodes in file order.
    pub fn indicators(&self) -> impl Iterator<Item = (NodeIdx, &Node, &Indicator)> {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.indicator().map(|ind| (i, n, ind)))
    }

    /// The top-level children of the index (the domains).
    pub fn domains(&self) -> &[NodeIdx] {
        &self.nodes[0].children
    }

    /// How the index (node 0) combines the domains: its aggregation and
    /// cap. `None` only for a hand-built model whose node 0 is not a group
    /// (the parser always makes it one).
    pub fn index_rule(&self) -> Option<(Aggregation, Option<f64>)> {
        match self.nodes[0].body {
            NodeBody::Group { aggregation, cap } => Some((aggregation, cap)),
            NodeBody::Indicator(_) => None,
        }
    }

    /// The band an index earns: the highest `min` not above it at six
    /// decimals.
    pub fn band_of(&self, index: f64) -> Option<&Band> {
        let key = crate::numeric::rank_key(index);
        self.bands.iter().find(|b| key >= b.min)
    }

    /// Depth of a node (the index is 0).
    pub fn depth(&self, mut idx: NodeIdx) -> usize {
        let mut d = 0;
        while let Some(p) = self.nodes[idx].parent {
            idx = p;
            d += 1;
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::Aggregation;

    #[test]
    fn aggregation_names_are_the_file_format_names() {
        for a in Aggregation::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.name())
            );
            assert_eq!(Aggregation::from_name(a.name()), Some(a));
        }
        assert_eq!(Aggregation::from_name("mean"), None);
    }
}
