//! The last check of one evidence address.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "link_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub url: String,
    pub outcome: domain::LinkOutcome,
    pub http_status: Option<i32>,
    pub detail: Option<String>,
    pub first_seen: DateTimeUtc,
    pub checked_at: Option<DateTimeUtc>,
    pub due_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
