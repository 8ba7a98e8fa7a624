//! The publisher's nominee per domain of a campaign.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "nomination_choices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub domain_code: String,
    pub entity_id: i32,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub chosen_by: Option<i32>,
    pub chosen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
