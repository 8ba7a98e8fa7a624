//! How long the public downloads of a published round take, in process:
//! the national workbook of the 2023 district round (209 districts and
//! cities) and Asaka's report card, on a demo database (SQLite in a
//! temporary file, the demo history generated first).
//!
//! `cargo run --release -p service --example downloads_bench [RUNS]`
//! prints the median and the maximum of RUNS runs (default 21) after one
//! warm-up, for each download.

use std::time::{Duration, Instant};

use entity::entities;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21);
    let dir = std::env::temp_dir().join(format!("daraja-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.sqlite").display());
    let db = service::db::connect_and_migrate(&url, None)
        .await
        .expect("the database opens");
    service::seed::registry(&db).await.expect("registry");
    service::seed::methodologies(&db)
        .await
        .expect("methodologies");
    service::demo::ensure_history(&db).await.expect("history");
    let asaka = entities::Entity::find()
        .filter(entities::Column::Code.eq("1703224"))
        .one(&db)
        .await
        .expect("a query")
        .expect("Asaka is in the registry")
        .id;
    let now = chrono::Utc::now();
    let lang = exports::Lang::Ru;
    let workbook = time(runs, || async {
        service::downloads::national_workbook(&db, "district-2023-12", None, lang, now)
            .await
            .expect("the workbook")
            .bytes
            .len()
    })
    .await;
    report("national workbook, 2023 districts (ru)", workbook);
    let card = time(runs, || async {
        service::downloads::report_card(&db, asaka, None, lang, now)
            .await
            .expect("the report card")
            .bytes
            .len()
    })
    .await;
    report("report card, Asaka (ru)", card);
    let _ = std::fs::remove_dir_all(&dir);
}

async fn time<F, Fut>(runs: usize, f: F) -> (Vec<Duration>, usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let size = f().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f().await);
        times.push(t.elapsed());
    }
    times.sort();
    (times, size)
}

fn report(what: &str, (times, size): (Vec<Duration>, usize)) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, max {:.1} ms over {} runs ({size} bytes)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
