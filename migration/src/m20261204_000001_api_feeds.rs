//! Automatic feeds: whether a token's values are locked against manual
//! edits, when it was last used, and the kept responses of requests sent
//! with an `Idempotency-Key`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .add_column(boolean("locks_values").default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Alias::new("api_tokens"))
                .add_column(timestamp_with_time_zone_null("last_used_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Alias::new("idempotent_requests"))
                .col(pk_auto("id"))
                .col(string("owner"))
                .col(string("idempotency_key"))
                .col(string("request_sha256"))
                .col(integer("status"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idempotent_requests_owner_key")
                .table(Alias::new("idempotent_requests"))
                .col(Alias::new("owner"))
                .col(Alias::new("idempotency_key"))
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("idempotent_requests"))
                .to_owned(),
        )
        .await?;
        for column in ["last_used_at", "locks_values"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("api_tokens"))
                    .drop_column(Alias::new(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
