//! What the background link checker last saw at each evidence address:
//! one row per distinct URL (many submissions cite the same portal), with
//! a lease so that several server instances never check one link at once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = Alias::new("link_checks");
        m.create_table(
            Table::create()
                .table(t.clone())
                .col(pk_auto("id"))
                .col(string("url"))
                .col(string("outcome"))
                .col(integer_null("http_status"))
                .col(text_null("detail"))
                .col(timestamp_with_time_zone("first_seen"))
                .col(timestamp_with_time_zone_null("checked_at"))
                .col(timestamp_with_time_zone("due_at"))
                .col(timestamp_with_time_zone_null("lease_until"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_link_checks_url")
                .table(t.clone())
                .col(Alias::new("url"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("link_checks_due")
                .table(t)
                .col(Alias::new("due_at"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("link_checks")).to_owned())
            .await
    }
}
