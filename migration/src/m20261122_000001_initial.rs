//! The initial schema: registry, people, methodologies, campaigns, submissions,
//! evidence, review, appeals, publications, integration tokens and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}

fn idx(table: &str, name: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

/// Names in the four languages of the product, on every multilingual table.
fn names(t: &mut TableCreateStatement, prefix: &str) {
    for lang in ["uz_latn", "uz_cyrl", "ru", "en"] {
        t.col(string(format!("{prefix}_{lang}")));
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The registry of everything that is rated: state bodies, economic
        // bodies, regions and districts share one table so that campaigns,
        // submissions and ratings reference one kind of id.
        let mut t = Table::create();
        t.table(Alias::new("entities"))
            .col(pk_auto("id"))
            .col(string_uniq("code"))
            .col(string("kind"))
            .col(string("subkind"))
            .col(string_null("soato"))
            .col(string_null("tin"))
            .col(string_null("iso_code"))
            .col(integer_null("parent_id"))
            .col(integer_null("region_id"))
            .col(string_null("abbreviation"))
            .col(string_null("website"))
            .col(boolean("rated").default(true))
            .col(date("valid_from"))
            .col(date_null("valid_to"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("entities", "parent_id", "entities"))
            .foreign_key(&mut fk("entities", "region_id", "entities"));
        names(&mut t, "name");
        m.create_table(t.to_owned()).await?;
        m.create_index(idx("entities", "ix_entities_kind", &["kind"], false))
            .await?;
        m.create_index(idx("entities", "ix_entities_soato", &["soato"], false))
            .await?;
        m.create_index(idx("entities", "ix_entities_tin", &["tin"], false))
            .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("users"))
                .col(pk_auto("id"))
                .col(string_uniq("email"))
                .col(string("display_name"))
                .col(string("password_hash"))
                .col(string("locale"))
                .col(boolean("active").default(true))
                .col(boolean("must_change_password").default(false))
                .col(integer("failed_logins").default(0))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone("password_changed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("role_grants"))
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string("role"))
                .col(integer_null("entity_id"))
                .col(integer_null("granted_by"))
                .col(timestamp_with_time_zone("granted_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(integer_null("revoked_by"))
                .foreign_key(&mut fk("role_grants", "user_id", "users"))
                .foreign_key(&mut fk("role_grants", "entity_id", "entities"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx(
            "role_grants",
            "ix_role_grants_user",
            &["user_id"],
            false,
        ))
        .await?;

        // Refresh sessions: the access JWT names its session, so revoking the
        // row signs the browser out everywhere at once.
        m.create_table(
            Table::create()
                .table(Alias::new("sessions"))
                .col(string("id").primary_key())
                .col(integer("user_id"))
                .col(string("refresh_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(string_null("user_agent"))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("sessions", "ix_sessions_user", &["user_id"], false))
            .await?;

        let mut t = Table::create();
        t.table(Alias::new("methodology_versions"))
            .col(pk_auto("id"))
            .col(string("code"))
            .col(string("version"))
            .col(string("applies_to"))
            .col(date("valid_from"))
            .col(string("status"))
            .col(text("source"))
            .col(string("sha256"))
            .col(integer_null("created_by"))
            .col(timestamp_with_time_zone("created_at"));
        names(&mut t, "title");
        m.create_table(t.to_owned()).await?;
        m.create_index(idx(
            "methodology_versions",
            "ux_methodology_code_version",
            &["code", "version"],
            true,
        ))
        .await?;

        let mut t = Table::create();
        t.table(Alias::new("campaigns"))
            .col(pk_auto("id"))
            .col(string_uniq("code"))
            .col(string("period"))
            .col(string("entity_kind"))
            .col(integer("methodology_version_id"))
            .col(string("status"))
            .col(date("opens_on"))
            .col(date("deadline"))
            .col(date("review_deadline"))
            .col(date("appeal_until"))
            .col(integer_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk(
                "campaigns",
                "methodology_version_id",
                "methodology_versions",
            ));
        names(&mut t, "name");
        m.create_table(t.to_owned()).await?;

        // One row per entity taking part in a campaign: its submission.
        m.create_table(
            Table::create()
                .table(Alias::new("participants"))
                .col(pk_auto("id"))
                .col(integer("campaign_id"))
                .col(integer("entity_id"))
                .col(string("status"))
                .col(date_null("deadline_override"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(timestamp_with_time_zone_null("approved_at"))
                .col(integer("version").default(0))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("participants", "campaign_id", "campaigns"))
                .foreign_key(&mut fk("participants", "entity_id", "entities"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx(
            "participants",
            "ux_participants_campaign_entity",
            &["campaign_id", "entity_id"],
            true,
        ))
        .await?;

        // A value is JSON (number, bool, choice, checklist, text, url, legal
        // act); `version` is the optimistic-concurrency counter.
        m.create_table(
            Table::create()
                .table(Alias::new("submission_values"))
                .col(pk_auto("id"))
                .col(integer("participant_id"))
                .col(string("indicator_code"))
                .col(text("value"))
                .col(text_null("reviewed_value"))
                .col(string("review_status"))
                .col(text_null("comment"))
                .col(string("source"))
                .col(boolean("prefilled").default(false))
                .col(boolean("locked").default(false))
                .col(integer("version").default(1))
                .col(integer_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk(
                    "submission_values",
                    "participant_id",
                    "participants",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(idx(
            "submission_values",
            "ux_values_participant_indicator",
            &["participant_id", "indicator_code"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("evidence"))
                .col(pk_auto("id"))
                .col(integer("participant_id"))
                .col(string("indicator_code"))
                .col(string("kind"))
                .col(string_null("url"))
                .col(string_null("file_name"))
                .col(string_null("content_type"))
                .col(big_integer_null("size_bytes"))
                .col(string_null("sha256"))
                .col(string_null("storage_key"))
                .col(string_null("act_type"))
                .col(string_null("act_number"))
                .col(date_null("act_date"))
                .col(boolean("public").default(false))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("evidence", "participant_id", "participants"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("review_comments"))
                .col(pk_auto("id"))
                .col(integer("participant_id"))
                .col(string_null("indicator_code"))
                .col(integer_null("parent_id"))
                .col(integer_null("author_id"))
                .col(string("action"))
                .col(text("body"))
                .col(boolean("public").default(false))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("review_comments", "participant_id", "participants"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("appeals"))
                .col(pk_auto("id"))
                .col(integer("participant_id"))
                .col(string_null("indicator_code"))
                .col(text("body"))
                .col(string("status"))
                .col(text_null("outcome"))
                .col(integer_null("filed_by"))
                .col(integer_null("resolved_by"))
                .col(timestamp_with_time_zone("filed_at"))
                .col(timestamp_with_time_zone_null("resolved_at"))
                .foreign_key(&mut fk("appeals", "participant_id", "participants"))
                .to_owned(),
        )
        .await?;

        // Publications are immutable: a correction or retraction is a new
        // revision pointing at the one it supersedes.
        m.create_table(
            Table::create()
                .table(Alias::new("rating_snapshots"))
                .col(pk_auto("id"))
                .col(integer("campaign_id"))
                .col(integer("revision"))
                .col(string("status"))
                .col(integer("methodology_version_id"))
                .col(string("engine_version"))
                .col(text("payload"))
                .col(string("sha256"))
                .col(text("changelog"))
                .col(integer_null("supersedes_id"))
                .col(timestamp_with_time_zone_null("embargo_until"))
                .col(timestamp_with_time_zone("published_at"))
                .col(integer_null("published_by"))
                .foreign_key(&mut fk("rating_snapshots", "campaign_id", "campaigns"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx(
            "rating_snapshots",
            "ux_snapshots_campaign_revision",
            &["campaign_id", "revision"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("api_tokens"))
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string("source_system"))
                .col(string_uniq("token_hash"))
                .col(text("allowed_indicators"))
                .col(text("allowed_entities"))
                .col(integer_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Alias::new("outbox"))
                .col(pk_auto("id"))
                .col(integer_null("user_id"))
                .col(string("channel"))
                .col(string("subject"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .to_owned(),
        )
        .await?;

        // Append-only. The service layer has no update or delete path for it.
        m.create_table(
            Table::create()
                .table(Alias::new("audit_log"))
                .col(pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(integer_null("actor_id"))
                .col(string("actor"))
                .col(string("action"))
                .col(string("object_type"))
                .col(string("object_id"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(text_null("reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx(
            "audit_log",
            "ix_audit_object",
            &["object_type", "object_id"],
            false,
        ))
        .await?;
        Ok(())
    }
}
