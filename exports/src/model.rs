//! The input types: plain, serde-derivable data that the server fills from its
//! database rows.
//!
//! Text conventions: every name (entity, region, domain, indicator, campaign)
//! arrives *already in the language of the export*; the server picks the
//! translation when it maps rows. The crate only translates its own fixed
//! labels (see [`crate::lang`]). Dates are strings (`YYYY-MM-DD` recommended),
//! printed as given, because this crate reads no clock and parses no calendar.
//!
//! Numbers: scores are on a 0–100 scale and may carry full precision; the
//! exports round them with [`round_score`] (2 decimals, half away from zero)
//! so that the workbook, the CSV and the JSON carry identical values.

use serde::{Deserialize, Serialize};

/// The kind of a rated entity; each kind has its own league table.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// Ministries, committees, agencies.
    #[default]
    StateBody,
    /// Economic administration bodies (state companies, associations).
    EconomicBody,
    /// Regions (viloyatlar), Karakalpakstan and Tashkent city.
    Region,
    /// Districts and cities.
    District,
}

impl EntityKind {
    /// All kinds in the order the workbook lists them.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::StateBody,
        EntityKind::EconomicBody,
        EntityKind::Region,
        EntityKind::District,
    ];

    /// The stable machine code used in CSV/JSON (`state_body`, …).
    pub fn code(self) -> &'static str {
        match self {
            EntityKind::StateBody => "state_body",
            EntityKind::EconomicBody => "economic_body",
            EntityKind::Region => "region",
            EntityKind::District => "district",
        }
    }
}

/// A rating band. The methodology decides thresholds; the exports only print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// "yaxshi".
    Good,
    /// "qoniqarli".
    Satisfactory,
    /// "qoniqarsiz".
    Unsatisfactory,
}

impl Band {
    /// All bands, best first.
    pub const ALL: [Band; 3] = [Band::Good, Band::Satisfactory, Band::Unsatisfactory];

    /// The stable machine code used in CSV/JSON (`good`, …).
    pub fn code(self) -> &'static str {
        match self {
            Band::Good => "good",
            Band::Satisfactory => "satisfactory",
            Band::Unsatisfactory => "unsatisfactory",
        }
    }

    /// The default traffic-light colour (`#RRGGBB`) when the methodology gives
    /// none or an unreadable one.
    pub fn default_colour(self) -> &'static str {
        match self {
            Band::Good => "#2E7D32",
            Band::Satisfactory => "#F9A825",
            Band::Unsatisfactory => "#C62828",
        }
    }
}

/// Rounds a score the way every export prints it: 2 decimals, half away from
/// zero (`f64::round`). Non-finite values become `None`.
pub fn round_score(value: f64) -> Option<f64> {
    if !value.is_finite() {
        return None;
    }
    let rounded = (value * 100.0).round() / 100.0;
    // Avoid printing "-0.00".
    Some(if rounded == 0.0 { 0.0 } else { rounded })
}

/// The campaign a rating belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Human name, e.g. "Raqamli yetuklik reytingi 2025".
    pub name: String,
    /// Reporting period as printed, e.g. "2025".
    pub period: String,
    /// Publication date as printed, e.g. "2026-03-15".
    pub publication_date: String,
    /// Revision of the publication (1 for the first, 2 after a correction …).
    pub revision: u32,
    /// Publishing organisation; also the workbook's "company" property.
    pub publisher: String,
}

/// One indicator of the methodology.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable code, e.g. "I1.3".
    pub code: String,
    /// Name in the export language.
    pub name: String,
    /// Weight inside its domain (fraction or percent, printed as given).
    pub weight: f64,
    /// Unit of the raw value, e.g. "%", "count".
    pub unit: String,
    /// How the raw value becomes a 0–100 score, in words.
    pub normalisation: String,
    /// Whether its raw values are published (open data `value_<code>`
    /// columns); a private indicator's raw values are missing in the matrix.
    #[serde(default = "yes")]
    pub public: bool,
}

fn yes() -> bool {
    true
}

/// One domain (a group of indicators) of the methodology.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    /// Stable code, e.g. "D1".
    pub code: String,
    /// Name in the export language.
    pub name: String,
    /// Weight in the index (fraction or percent, printed as given).
    pub weight: f64,
    /// The domain's indicators, in print order.
    pub indicators: Vec<Indicator>,
}

/// The score range of one band: `min_index <= index < max_index`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandRule {
    /// Which band.
    pub band: Band,
    /// Lower bound, inclusive.
    pub min_index: f64,
    /// Upper bound, exclusive (the top band may use 100.0 and include it).
    pub max_index: f64,
    /// Fill colour as `#RRGGBB`; anything else falls back to
    /// [`Band::default_colour`].
    pub colour: String,
}

/// The versioned methodology: domains → indicators with weights, and bands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Methodology {
    /// Code, e.g. "DMI".
    pub code: String,
    /// Version, e.g. "2025.1".
    pub version: String,
    /// The general normalisation rule, in words.
    pub normalisation: String,
    /// Domains in print order; league rows give domain scores in this order.
    pub domains: Vec<Domain>,
    /// Band thresholds and colours.
    pub bands: Vec<BandRule>,
}

impl Methodology {
    /// Number of indicators over all domains.
    pub fn indicator_count(&self) -> usize {
        self.domains.iter().map(|d| d.indicators.len()).sum()
    }

    /// The colour of a band as `0xRRGGBB`.
    pub fn band_colour(&self, band: Band) -> u32 {
        band_colour(&self.bands, band)
    }
}

/// The colour of `band` in `rules` as `0xRRGGBB`, falling back to the default.
pub(crate) fn band_colour(rules: &[BandRule], band: Band) -> u32 {
    rules
        .iter()
        .find(|rule| rule.band == band)
        .and_then(|rule| parse_hex_colour(&rule.colour))
        .or_else(|| parse_hex_colour(band.default_colour()))
        .unwrap_or(0x808080)
}

fn parse_hex_colour(text: &str) -> Option<u32> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// One row of a league table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LeagueRow {
    /// Rank in the league (1 = best); `None` when not ranked.
    pub rank: Option<u32>,
    /// 5th percentile of the simulated rank (best plausible rank).
    pub rank_p05: Option<u32>,
    /// 95th percentile of the simulated rank (worst plausible rank).
    pub rank_p95: Option<u32>,
    /// Entity name in the export language.
    pub entity_name: String,
    /// SOATO code (regions, districts) or TIN (bodies).
    pub code: String,
    /// Region name in the export language; empty when not applicable.
    pub region: String,
    /// Index 0–100; `None` when the entity could not be scored.
    pub index: Option<f64>,
    /// Band; `None` when not rated.
    pub band: Option<Band>,
    /// One score per methodology domain, in methodology order.
    pub domain_scores: Vec<Option<f64>>,
    /// Index change vs the previous campaign, in points.
    pub change: Option<f64>,
}

/// The league table of one entity kind, rows in print order (normally by rank).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct League {
    /// Which kind of entity.
    pub kind: EntityKind,
    /// The rows.
    pub rows: Vec<LeagueRow>,
}

/// An entity's key in the indicator matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatrixEntity {
    /// Entity kind.
    pub kind: EntityKind,
    /// SOATO code or TIN.
    pub code: String,
    /// Name in the export language.
    pub name: String,
}

/// Indicator-level data in a compact columnar layout: two dense `f64` matrices
/// (row-major, one row per entity, one column per methodology indicator in
/// methodology order), with `NaN` meaning "missing". 10,000 × 300 is 24 MB per
/// matrix. In JSON a missing value is `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorMatrix {
    /// Row keys, in print order.
    pub entities: Vec<MatrixEntity>,
    /// Normalised scores 0–100: `scores[row * n_indicators + col]`.
    #[serde(with = "nan_as_null")]
    pub scores: Vec<f64>,
    /// Raw values: `raw[row * n_indicators + col]`.
    #[serde(with = "nan_as_null")]
    pub raw: Vec<f64>,
}

impl IndicatorMatrix {
    /// A matrix of `entities.len() × n_indicators` missing values.
    pub fn empty(entities: Vec<MatrixEntity>, n_indicators: usize) -> Self {
        let cells = entities.len() * n_indicators;
        IndicatorMatrix {
            entities,
            scores: vec![f64::NAN; cells],
            raw: vec![f64::NAN; cells],
        }
    }
}

/// Serialises `Vec<f64>` with `NaN` as `null`, since JSON has no NaN.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            values
                .iter()
                .map(|v| if v.is_nan() { None } else { Some(*v) }),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
        let values = Vec::<Option<f64>>::deserialize(deserializer)?;
        Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }
}

/// How far a long export has come: rows written of all the rows it will
/// write, then `packing` while the file is compressed (its last step).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Rows written so far.
    pub rows: usize,
    /// Rows in all.
    pub total: usize,
    /// Every row is written and the file is being compressed.
    pub packing: bool,
}

/// Everything the national workbook shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NationalRating {
    /// The campaign.
    pub campaign: Campaign,
    /// The methodology the scores were computed with.
    pub methodology: Methodology,
    /// One league per entity kind present (absent kinds get no sheet).
    pub leagues: Vec<League>,
    /// Indicator-level scores and raw values.
    pub indicators: IndicatorMatrix,
    /// The nominations as published (the publisher may have chosen other
    /// nominees than the highest scores); `None`: computed by
    /// [`crate::stats::nominations`].
    #[serde(default)]
    pub nominations: Option<Vec<Nomination>>,
}

/// A domain score of one entity next to its comparison groups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainComparison {
    /// Domain code.
    pub code: String,
    /// Domain name in the export language.
    pub name: String,
    /// The entity's score.
    pub score: Option<f64>,
    /// Average of the entity's league (same kind).
    pub peer_average: Option<f64>,
    /// Average of the entity's region (same kind); `None` for national bodies.
    pub region_average: Option<f64>,
}

/// The entity's result in one campaign (for the trend and rank history).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// Campaign label as printed, e.g. "2024".
    pub campaign: String,
    /// Index in that campaign.
    pub index: Option<f64>,
    /// Rank in that campaign.
    pub rank: Option<u32>,
    /// Rank interval, 5th percentile.
    pub rank_p05: Option<u32>,
    /// Rank interval, 95th percentile.
    pub rank_p95: Option<u32>,
    /// Band in that campaign.
    pub band: Option<Band>,
}

/// One line of "what to improve first".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// Indicator code.
    pub indicator_code: String,
    /// Indicator name in the export language.
    pub indicator_name: String,
    /// Domain name in the export language.
    pub domain_name: String,
    /// Indicator points lost (100 − normalised score).
    pub points_lost: f64,
    /// Index points gained if the indicator reached 100.
    pub potential_gain: f64,
}

/// One indicator value of the entity with its evidence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// Domain name in the export language.
    pub domain_name: String,
    /// Indicator code.
    pub code: String,
    /// Indicator name in the export language.
    pub name: String,
    /// Raw value.
    pub value: Option<f64>,
    /// Unit of the raw value.
    pub unit: String,
    /// Normalised score 0–100.
    pub score: Option<f64>,
    /// Evidence link supplied by the entity. Only `http`/`https` URLs become
    /// hyperlinks; anything else is printed as plain text.
    pub evidence_url: Option<String>,
}

/// A reviewer comment that was marked public.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewerComment {
    /// Date as printed.
    pub date: String,
    /// Public display name or role of the reviewer.
    pub reviewer: String,
    /// Indicator code the comment refers to; empty for a general comment.
    pub indicator_code: String,
    /// The comment text.
    pub text: String,
}

/// Everything the report card of one entity shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportCard {
    /// The campaign.
    pub campaign: Campaign,
    /// Methodology code.
    pub methodology_code: String,
    /// Methodology version.
    pub methodology_version: String,
    /// Band rules, for colours (may be empty: default colours).
    pub bands: Vec<BandRule>,
    /// Entity kind.
    pub kind: EntityKind,
    /// Entity name in the export language.
    pub entity_name: String,
    /// SOATO code or TIN.
    pub code: String,
    /// Region name; empty when not applicable.
    pub region: String,
    /// Index 0–100.
    pub index: Option<f64>,
    /// Band.
    pub band: Option<Band>,
    /// Rank in the league.
    pub rank: Option<u32>,
    /// Rank interval, 5th percentile.
    pub rank_p05: Option<u32>,
    /// Rank interval, 95th percentile.
    pub rank_p95: Option<u32>,
    /// Number of entities in the league.
    pub league_size: u32,
    /// Domain scores with peer and region averages, in methodology order.
    pub domains: Vec<DomainComparison>,
    /// Results over campaigns, oldest first (the current one included).
    pub trend: Vec<TrendPoint>,
    /// Improvement opportunities; printed by descending potential gain.
    pub gaps: Vec<Gap>,
    /// Indicator values with evidence.
    pub indicators: Vec<IndicatorValue>,
    /// Public reviewer comments.
    pub comments: Vec<ReviewerComment>,
}

/// The region a region pack is made for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegionInfo {
    /// Region name in the export language.
    pub name: String,
    /// SOATO code.
    pub code: String,
}

/// The best entity of one kind in one domain.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Nomination {
    /// The kind.
    pub kind: EntityKind,
    /// Position of the domain in the methodology.
    pub domain: usize,
    /// Index of the row in its league.
    pub row: usize,
    /// The winning domain score, rounded with [`round_score`].
    pub score: f64,
}
