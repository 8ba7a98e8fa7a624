//! The registry: every rated body and territory.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "entities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub kind: domain::EntityKind,
    pub subkind: String,
    pub soato: Option<String>,
    pub tin: Option<String>,
    pub iso_code: Option<String>,
    pub parent_id: Option<i32>,
    pub region_id: Option<i32>,
    pub abbreviation: Option<String>,
    pub website: Option<String>,
    pub rated: bool,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub name_uz_latn: String,
    pub name_uz_cyrl: String,
    pub name_ru: String,
    pub name_en: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
