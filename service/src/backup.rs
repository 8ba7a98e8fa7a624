//! Backups: an online, consistent copy of a SQLite database while the
//! server runs, and the inventory that tells whether a restored database
//! holds what its source held (row counts of every table, the newest audit
//! entry, and every published rating snapshot checked against its hash).
//! PostgreSQL is backed up with its own tools (`pg_dump`/`pg_restore`,
//! driven by the server binary).

use std::path::Path;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::Serialize;

use crate::{Inconsistent, ServiceError, ServiceResult};

/// Every table of the schema, in the order the inventory lists them.
pub const TABLES: &[&str] = &[
    "entities",
    "users",
    "role_grants",
    "sessions",
    "methodology_versions",
    "campaigns",
    "participants",
    "submission_values",
    "evidence",
    "review_comments",
    "appeals",
    "workbook_imports",
    "nomination_choices",
    "rating_snapshots",
    "api_tokens",
    "idempotent_requests",
    "outbox",
    "audit_log",
];

/// What a database holds, to compare a restore with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// Rows per table, in [`TABLES`] order.
    pub tables: Vec<(String, i64)>,
    /// The newest audit entry's id (0 when none).
    pub last_audit_id: i64,
    /// Published snapshots whose SHA-256 matches.
    pub snapshots_verified: usize,
    /// Ids of snapshots that no longer match their hash.
    pub snapshots_tampered: Vec<i32>,
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> ServiceResult<i64> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| ServiceError::Inconsistent(Inconsistent::NoAnswer(sql.to_owned())))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Counts every table and verifies every published snapshot.
pub async fn inventory(db: &DatabaseConnection) -> ServiceResult<Inventory> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for t in TABLES {
        tables.push((
            (*t).to_owned(),
            scalar(db, &format!("SELECT COUNT(*) FROM {t}")).await?,
        ));
    }
    let last_audit_id = scalar(
        db,
        "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM audit_log",
    )
    .await?;
    let (snapshots_verified, snapshots_tampered) = crate::ratings::verify_all(db).await?;
    Ok(Inventory {
        tables,
        last_audit_id,
        snapshots_verified,
        snapshots_tampered,
    })
}

/// Writes a consistent copy of a SQLite database to `to` while others keep
/// reading and writing (`VACUUM INTO`). `to` must not exist yet.
pub async fn backup_sqlite(db: &DatabaseConnection, to: &Path) -> ServiceResult<()> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(ServiceError::Inconsistent(Inconsistent::Setup(
            "backup_sqlite needs a SQLite database",
        )));
    }
    if to.exists() {
        return Err(domain::ParseError::new(
            "file",
            format!("{} exists already; choose a new file", to.display()),
        )
        .into());
    }
    let path = to.to_str().ok_or_else(|| {
        ServiceError::from(domain::ParseError::new("file", "the path is not UTF-8"))
    })?;
    db.execute_unprepared(&format!("VACUUM INTO '{}'", path.replace('\'', "''")))
        .await?;
    Ok(())
}

/// `PRAGMA integrity_check` of a SQLite database: `ok`, or what is wrong.
pub async fn sqlite_integrity(db: &DatabaseConnection) -> ServiceResult<String> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .ok_or_else(|| {
            ServiceError::Inconsistent(Inconsistent::NoAnswer("PRAGMA integrity_check".into()))
        })?;
    Ok(row.try_get_by_index::<String>(0)?)
}
