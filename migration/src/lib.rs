//! Daraja's database schema as sea-orm migrations.
//!
//! Knows table layouts and nothing else: no queries, no business rules. Every
//! migration must run on both SQLite and PostgreSQL, so only portable column
//! types from `sea_orm_migration::schema` are used. Migrations are append-only:
//! a released migration is never edited, a change is a new one.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_initial;
mod m20261202_000001_appeal_claims;
mod m20261203_000001_workbook_imports;
mod m20261203_000002_nomination_choices;
mod m20261204_000001_api_feeds;
mod m20261205_000001_token_locks;
mod m20261205_000002_audit_append_only;
mod m20261206_000001_methodology_proposals;
mod m20261207_000001_region_review;
mod m20261207_000002_link_checks;
mod m20261207_000003_region_imports;

/// The list of migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_initial::Migration),
            Box::new(m20261202_000001_appeal_claims::Migration),
            Box::new(m20261203_000001_workbook_imports::Migration),
            Box::new(m20261203_000002_nomination_choices::Migration),
            Box::new(m20261204_000001_api_feeds::Migration),
            Box::new(m20261205_000001_token_locks::Migration),
            Box::new(m20261205_000002_audit_append_only::Migration),
            Box::new(m20261206_000001_methodology_proposals::Migration),
            Box::new(m20261207_000001_region_review::Migration),
            Box::new(m20261207_000002_link_checks::Migration),
            Box::new(m20261207_000003_region_imports::Migration),
        ]
    }
}
