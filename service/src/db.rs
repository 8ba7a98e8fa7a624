//! Connecting to SQLite or PostgreSQL, chosen by the URL's scheme, and
//! bringing the schema up to date.

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteSynchronous;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Connections a pool for `url` opens unless told otherwise: 8 on SQLite
/// (one writer at a time anyway), 20 on PostgreSQL.
pub fn default_pool(url: &str) -> u32 {
    if url.starts_with("sqlite") { 8 } else { 20 }
}

/// Opens a pool of `max_connections` (or [`default_pool`]) for `url`
/// (`sqlite://path?mode=rwc` or `postgres://…`) and runs every pending
/// migration.
pub async fn connect_and_migrate(
    url: &str,
    max_connections: Option<u32>,
) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite");
    if sqlite {
        // Migrations on SQLite run on one connection of their own: on a
        // pool, a step could run on a connection whose read snapshot
        // predates the step before it and not see its new column (seen
        // once in CI: "no such column: locks_values").
        let one = Database::connect(options(url, 1)).await?;
        // WAL, kept in the file, lets readers run beside the one writer.
        one.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        Migrator::up(&one, None).await?;
        one.close().await?;
    }
    let db = Database::connect(options(
        url,
        max_connections.unwrap_or_else(|| default_pool(url)),
    ))
    .await?;
    if !sqlite {
        Migrator::up(&db, None).await?;
    }
    Ok(db)
}

/// The pool settings for `url` with `max_connections`.
fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(max_connections)
        // SQLite settings that hold per connection are set on every
        // connection the pool opens (a PRAGMA run once reaches only the
        // one connection that ran it): NORMAL syncs the WAL at checkpoints,
        // not at every commit (a process crash loses nothing acknowledged);
        // busy_timeout makes writers wait for each other instead of
        // failing; foreign keys are off by default in SQLite.
        .map_sqlx_sqlite_opts(|o| {
            o.synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
        });
    opts
}

/// Starts a transaction that will write. On SQLite it takes the write lock
/// at `BEGIN IMMEDIATE`, so concurrent writers queue (`busy_timeout`)
/// instead of failing when one of them read before writing (a deferred
/// transaction cannot upgrade past a newer commit); on PostgreSQL it is a
/// plain transaction.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// Starts a transaction whose reads all see one state of the database and
/// that no answer changes under: `BEGIN IMMEDIATE` on SQLite (writers
/// queue behind it), `REPEATABLE READ` on PostgreSQL (one snapshot for
/// every statement). Publication scores a whole league in one, so a
/// revision holds all of a correction or none of it.
pub(crate) async fn begin_consistent(
    db: &DatabaseConnection,
) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        begin_write(db).await
    } else {
        db.begin_with_config(Some(sea_orm::IsolationLevel::RepeatableRead), None)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Statement;

    #[tokio::test]
    async fn every_pooled_sqlite_connection_has_the_settings() {
        let dir = std::env::temp_dir().join(format!("daraja-db-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/pragmas.sqlite?mode=rwc", dir.display());
        let db = connect_and_migrate(&url, None).await.unwrap();
        // Three transactions at once hold three different connections.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(db.begin().await.unwrap());
        }
        for tx in &held {
            for (pragma, want) in [
                ("journal_mode", "wal"),
                ("synchronous", "1"),
                ("foreign_keys", "1"),
                ("busy_timeout", "5000"),
            ] {
                let row = tx
                    .query_one_raw(Statement::from_string(
                        DbBackend::Sqlite,
                        format!("PRAGMA {pragma}"),
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                let got = row
                    .try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                    .unwrap();
                assert_eq!(got, want, "PRAGMA {pragma}");
            }
        }
        drop(held);
        db.close().await.unwrap();
        std::fs::remove_dir_all(dir).ok();
    }
}
