//! An appeal names the value the officer claims and links its evidence.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column at a time.
        for col in ["proposed_value", "evidence_url"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("appeals"))
                    .add_column(text_null(col))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["proposed_value", "evidence_url"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("appeals"))
                    .drop_column(Alias::new(col))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
