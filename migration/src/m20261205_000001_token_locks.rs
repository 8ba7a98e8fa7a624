//! An integration token locks the indicators it names (or every indicator
//! it writes, `*`) against manual edits, instead of all or none: the list
//! replaces the `locks_values` flag, whose tokens lock everything.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .add_column(text("locked_indicators").default("[]"))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE api_tokens SET locked_indicators = '[\"*\"]' WHERE locks_values",
            )
            .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .drop_column(Alias::new("locks_values"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .add_column(boolean("locks_values").default(false))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("UPDATE api_tokens SET locks_values = (locked_indicators <> '[]')")
            .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .drop_column(Alias::new("locked_indicators"))
                .to_owned(),
        )
        .await
    }
}
