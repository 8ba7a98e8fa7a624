//! `daraja backup FILE`, `daraja restore FILE`, `daraja inventory`: the
//! operator's commands around the configured database.
//!
//! SQLite: the backup is a consistent online copy (`VACUUM INTO`, the
//! server may keep running); a restore copies it into place under a new
//! name and renames it (never over an existing database), brings its
//! schema up to date, and checks integrity and every published snapshot's
//! hash. PostgreSQL: `pg_dump --format=custom` and `pg_restore` into an
//! empty database, then the same checks. `inventory` prints what a
//! database holds (rows per table, the newest audit entry, snapshots
//! verified), so a restore can be compared with its source.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database, DbBackend};
use service::backup::Inventory;

/// The SQLite file of a `sqlite://` URL.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// Writes a backup of the database at `url` to `to`.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} exists already; choose a new file", to.display());
    }
    if sqlite_file(url).is_some() {
        let db = Database::connect(url)
            .await
            .context("cannot open the database")?;
        service::backup::backup_sqlite(&db, to)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        return Ok(());
    }
    let status = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(to)
        .arg(url)
        .status()
        .context("cannot run pg_dump (install the PostgreSQL client tools)")?;
    if !status.success() {
        bail!("pg_dump failed ({status})");
    }
    Ok(())
}

/// Restores the backup `from` into the database at `url`, which must be
/// new (SQLite: no file yet; PostgreSQL: no tables yet); then migrates and
/// checks it. Returns what it holds.
pub async fn restore(from: &Path, url: &str) -> anyhow::Result<Inventory> {
    if !from.is_file() {
        bail!("{}: no such backup file", from.display());
    }
    if let Some(target) = sqlite_file(url) {
        if target.exists() {
            bail!(
                "{} exists already: restore into a new file, then swap it in while the server is stopped",
                target.display()
            );
        }
        let partial = target.with_extension("restoring");
        std::fs::copy(from, &partial)
            .with_context(|| format!("cannot copy {} to {}", from.display(), partial.display()))?;
        std::fs::rename(&partial, &target)
            .with_context(|| format!("cannot rename {}", partial.display()))?;
    } else {
        let db = Database::connect(url)
            .await
            .context("cannot open the database")?;
        let tables = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Postgres,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
            ))
            .await?
            .map(|r| r.try_get_by_index::<i64>(0))
            .transpose()?
            .unwrap_or(0);
        if tables > 0 {
            bail!("the database has {tables} tables already: restore into an empty database");
        }
        db.close().await?;
        let status = Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname"])
            .arg(url)
            .arg(from)
            .status()
            .context("cannot run pg_restore (install the PostgreSQL client tools)")?;
        if !status.success() {
            bail!("pg_restore failed ({status})");
        }
    }
    let db = service::db::connect_and_migrate(url, None)
        .await
        .context("the restored database does not open or migrate")?;
    if db.get_database_backend() == DbBackend::Sqlite {
        let check = service::backup::sqlite_integrity(&db)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if check != "ok" {
            bail!("the restored database fails its integrity check: {check}");
        }
    }
    let inventory = service::backup::inventory(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !inventory.snapshots_tampered.is_empty() {
        bail!(
            "published snapshots {:?} do not match their SHA-256 after the restore",
            inventory.snapshots_tampered
        );
    }
    Ok(inventory)
}

/// What the database at `url` holds.
pub async fn inventory(url: &str) -> anyhow::Result<Inventory> {
    let db = Database::connect(url)
        .await
        .context("cannot open the database")?;
    service::backup::inventory(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The inventory as the commands print it.
pub fn print(inv: &Inventory) {
    for (table, rows) in &inv.tables {
        println!("{table:<22} {rows:>10}");
    }
    println!("{:<22} {:>10}", "last audit id", inv.last_audit_id);
    println!(
        "{:<22} {:>10}{}",
        "snapshots verified",
        inv.snapshots_verified,
        if inv.snapshots_tampered.is_empty() {
            String::new()
        } else {
            format!("  TAMPERED: {:?}", inv.snapshots_tampered)
        }
    );
}
