//! Two-level review: a district round may send each submission to its
//! region's officer first, and only what the region endorses on to the
//! ministry's reviewers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("campaigns"))
                .add_column(boolean("region_review").default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("campaigns"))
                .drop_column(Alias::new("region_review"))
                .to_owned(),
        )
        .await
    }
}
