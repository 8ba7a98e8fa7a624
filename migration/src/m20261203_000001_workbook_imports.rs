//! Every upload of a campaign's Excel template, checked or applied, with the
//! report the officer saw: which cells changed what, which were refused.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("workbook_imports"))
                .col(pk_auto("id"))
                .col(integer("participant_id"))
                .col(integer_null("user_id"))
                .col(string("file_name"))
                .col(string("file_sha256"))
                .col(boolean("dry_run"))
                .col(boolean("applied"))
                .col(text("report"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from(Alias::new("workbook_imports"), Alias::new("participant_id"))
                        .to(Alias::new("participants"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("workbook_imports_participant")
                .table(Alias::new("workbook_imports"))
                .col(Alias::new("participant_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("workbook_imports"))
                .to_owned(),
        )
        .await
    }
}
