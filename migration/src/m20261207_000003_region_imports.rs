//! Uploads of a region's template (a row per district), checked or
//! applied, with the report the region's officer saw.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = Alias::new("region_imports");
        m.create_table(
            Table::create()
                .table(t.clone())
                .col(pk_auto("id"))
                .col(integer("campaign_id"))
                .col(integer("region_id"))
                .col(integer_null("user_id"))
                .col(string("file_name"))
                .col(string("file_sha256"))
                .col(boolean("dry_run"))
                .col(boolean("applied"))
                .col(text("report"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from(t.clone(), Alias::new("campaign_id"))
                        .to(Alias::new("campaigns"), Alias::new("id")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(t.clone(), Alias::new("region_id"))
                        .to(Alias::new("entities"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("region_imports")).to_owned())
            .await
    }
}
