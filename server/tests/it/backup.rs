//! Backup and restore (issue 8): a backup of a database with a demo
//! history, taken while the server runs, restores into an empty database
//! with the same rows in every table, the same newest audit entry and every
//! published snapshot matching its hash; a restore never overwrites a
//! database; the binary's `inventory` reads the result. SQLite natively,
//! PostgreSQL through pg_dump/pg_restore.

use crate::helpers::{fresh_database_url, spawn_app_with_url};

#[tokio::test]
async fn a_backup_restores_into_an_empty_database_with_the_same_rows_and_hashes() {
    let source = fresh_database_url().await;
    let app = spawn_app_with_url(&source, true, &[]).await;
    let before = service::backup::inventory(&app.services.db).await.unwrap();
    assert!(before.snapshots_verified >= 4, "{before:?}");
    assert!(before.tables.iter().all(|(_, n)| *n >= 0));
    let dir = std::env::temp_dir().join(format!(
        "daraja-tests/backup-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("daraja.backup");

    // Online: the server keeps running while the copy is taken.
    server::backup::backup(&source, &file).await.unwrap();
    assert!(
        server::backup::backup(&source, &file)
            .await
            .unwrap_err()
            .to_string()
            .contains("exists already"),
        "a backup never overwrites a file"
    );

    let target = fresh_database_url().await;
    let after = server::backup::restore(&file, &target).await.unwrap();
    assert_eq!(after, before, "the restore holds what the source held");
    let again = server::backup::restore(&file, &target).await.unwrap_err();
    assert!(
        again.to_string().contains("already"),
        "a restore never overwrites a database: {again}"
    );
    let missing = server::backup::restore(&dir.join("nope"), &fresh_database_url().await)
        .await
        .unwrap_err();
    assert!(
        missing.to_string().contains("no such backup file"),
        "{missing}"
    );

    // The operator's command reads the restored database.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_daraja"))
        .arg("inventory")
        .env("DARAJA_DATABASE_URL", &target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rating_snapshots") && text.contains("snapshots verified"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
