//! Stored methodology files, one row per version.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "methodology_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub version: String,
    pub applies_to: String,
    pub valid_from: Date,
    pub status: domain::MethodologyStatus,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub sha256: String,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub title_uz_latn: String,
    pub title_uz_cyrl: String,
    pub title_ru: String,
    pub title_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
