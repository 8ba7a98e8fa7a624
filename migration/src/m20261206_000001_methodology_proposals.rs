//! Proposals for a new methodology version, saved from the what-if sandbox:
//! the proposed file beside the version and league it was tried on, until a
//! methodologist adopts it (a new stored version) or withdraws it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = Alias::new("methodology_proposals");
        m.create_table(
            Table::create()
                .table(t.clone())
                .col(pk_auto("id"))
                .col(integer("base_version_id"))
                .col(integer("snapshot_id"))
                .col(string("entity_kind"))
                .col(string("code"))
                .col(string("version"))
                .col(date("valid_from"))
                .col(text("note"))
                .col(text("weights"))
                .col(text("thresholds"))
                .col(text("source"))
                .col(string("sha256"))
                .col(string("status"))
                .col(integer_null("adopted_version_id"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(integer_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decision_note"))
                .foreign_key(
                    ForeignKey::create()
                        .from(t.clone(), Alias::new("base_version_id"))
                        .to(Alias::new("methodology_versions"), Alias::new("id")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(t.clone(), Alias::new("snapshot_id"))
                        .to(Alias::new("rating_snapshots"), Alias::new("id")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(t.clone(), Alias::new("adopted_version_id"))
                        .to(Alias::new("methodology_versions"), Alias::new("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("methodology_proposals_status")
                .table(t)
                .col(Alias::new("status"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("methodology_proposals"))
                .to_owned(),
        )
        .await
    }
}
