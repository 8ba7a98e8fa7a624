//! Proposed methodology versions from the what-if sandbox, until adopted or
//! withdrawn.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "methodology_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub base_version_id: i32,
    pub snapshot_id: i32,
    pub entity_kind: domain::EntityKind,
    pub code: String,
    pub version: String,
    pub valid_from: Date,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    /// JSON array: each domain's weight, in the base's domain order.
    #[sea_orm(column_type = "Text")]
    pub weights: String,
    /// JSON array: each band's lowest index, in the base's band order.
    #[sea_orm(column_type = "Text")]
    pub thresholds: String,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub sha256: String,
    /// `proposed`, `adopted` or `withdrawn`.
    pub status: domain::ProposalStatus,
    pub adopted_version_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
