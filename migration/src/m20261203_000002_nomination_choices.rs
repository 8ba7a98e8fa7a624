//! The publisher's choice of nominee per domain of a campaign, where it
//! differs from the highest score.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("nomination_choices"))
                .col(pk_auto("id"))
                .col(integer("campaign_id"))
                .col(string("domain_code"))
                .col(integer("entity_id"))
                .col(text("note"))
                .col(integer_null("chosen_by"))
                .col(timestamp_with_time_zone("chosen_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from(Alias::new("nomination_choices"), Alias::new("campaign_id"))
                        .to(Alias::new("campaigns"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("nomination_choices_domain")
                .table(Alias::new("nomination_choices"))
                .col(Alias::new("campaign_id"))
                .col(Alias::new("domain_code"))
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("nomination_choices"))
                .to_owned(),
        )
        .await
    }
}
