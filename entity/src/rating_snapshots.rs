//! Immutable published rating revisions.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "rating_snapshots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub revision: i32,
    pub status: domain::SnapshotStatus,
    pub methodology_version_id: i32,
    pub engine_version: String,
    #[sea_orm(column_type = "Text")]
    pub payload: String,
    pub sha256: String,
    #[sea_orm(column_type = "Text")]
    pub changelog: String,
    pub supersedes_id: Option<i32>,
    pub embargo_until: Option<DateTimeUtc>,
    pub published_at: DateTimeUtc,
    pub published_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
