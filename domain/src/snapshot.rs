//! What a published revision freezes besides its league rows: every
//! entity's answers and node scores (the matrix), what each entity should
//! improve first, the public review comments, and the corrections a
//! revision publishes. Every public output of a revision is built from
//! these and nothing else.

use crate::{EntityId, EntityRef, Names};
use serde::{Deserialize, Serialize};

/// Every entity's answers and scores as published, aligned with the
/// league: `entities[k]` belongs to `rows[k]` of the same payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotMatrix {
    /// The code of every node of the methodology, in its order (node 0 is
    /// the index): the columns of `raw` and `scores`.
    pub nodes: Vec<String>,
    /// Indicators whose raw answers the methodology keeps out of public
    /// files (`public = false`): their scores are published, their answers
    /// are not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private: Vec<String>,
    /// One per league row, in row order.
    pub entities: Vec<MatrixRow>,
    /// Set when the matrix was filled in after publication, from the
    /// answers as they stood then (RFC 3339 of that moment): snapshots
    /// published before answers were frozen with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconstructed_at: Option<String>,
}

/// One entity's part of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatrixRow {
    /// The entity.
    pub entity: EntityId,
    /// The counted answer of each node as a number (`None` for groups,
    /// computed indicators and questions not answered).
    pub raw: Vec<Option<f64>>,
    /// The score of each node (`None` where nothing could be scored).
    pub scores: Vec<Option<f64>>,
    /// What to improve first: the biggest gains, largest first (at most
    /// [`SnapshotMatrix::GAPS`]).
    pub gaps: Vec<SnapshotGap>,
    /// The reviewers' public comments on its submission, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<SnapshotComment>,
}

/// An indicator that lost points, and what scoring its maximum would add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotGap {
    /// Indicator code.
    pub indicator: String,
    /// Its score (`None` when not answered).
    pub score: Option<f64>,
    /// The most it can score.
    pub max: f64,
    /// How much the index would rise if it scored its maximum.
    pub gain: f64,
}

/// A reviewer's public comment, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotComment {
    /// When (`YYYY-MM-DD`).
    pub date: String,
    /// The indicator it is about, if one.
    pub indicator: Option<String>,
    /// Text.
    pub text: String,
}

/// A value corrected after the campaign became final, as a revision
/// publishes it (or as it waits for publication).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    /// The entity whose answer changed.
    pub entity: EntityRef,
    /// Indicator code.
    pub indicator: String,
    /// The indicator's question.
    pub names: Names,
    /// The counted answer the revision before published.
    pub before: Option<f64>,
    /// The counted answer now.
    pub after: Option<f64>,
    /// The reviewer's reason, when one was given.
    pub reason: Option<String>,
}

/// How a pending correction moves one entity in the league.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionEffect {
    /// The entity.
    pub entity: EntityRef,
    /// As published.
    pub before: Standing,
    /// Once the corrections are published.
    pub after: Standing,
}

/// Where an entity stands in a league.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standing {
    /// Index 0–100.
    pub index: Option<f64>,
    /// Band code.
    pub band: Option<String>,
    /// Rank; 0 without an index.
    pub rank: u32,
}

impl SnapshotMatrix {
    /// Gaps kept per entity: the report card lists this many.
    pub const GAPS: usize = 15;

    /// The column of node `code`.
    pub fn column(&self, code: &str) -> Option<usize> {
        self.nodes.iter().position(|c| c == code)
    }

    /// Whether indicator `code`'s answers may be published.
    pub fn is_public(&self, code: &str) -> bool {
        !self.private.iter().any(|c| c == code)
    }
}
