//! Assessment rounds.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub period: String,
    pub entity_kind: domain::EntityKind,
    pub methodology_version_id: i32,
    pub status: domain::CampaignStatus,
    pub opens_on: Date,
    pub deadline: Date,
    pub review_deadline: Date,
    pub appeal_until: Date,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub name_uz_latn: String,
    pub name_uz_cyrl: String,
    pub name_ru: String,
    pub name_en: String,
    pub region_review: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
