//! Benchmark of an automatic feed (issue 7): 300 entities × 100 indicators
//! pushed through `POST /api/v1/values` over HTTP, one request per entity,
//! as `scripts/feed.py` does, against the real server on a fresh database.
//!
//!     cargo run --release -p server --example feed_bench [-- RUNS [CONCURRENCY]]
//!
//! `DARAJA_BENCH_DATABASE_URL` picks the database (default: a SQLite file
//! in a temporary directory). Each run sends new values for every entity,
//! so every value is written (the first run inserts, later runs update).
//! Prints each run's wall time (first request sent → last answer read)
//! and the median; the figures go to BENCHMARKS.md.

use std::time::Instant;

use chrono::{Duration, Utc};
use domain::{EntityKind, Names, NewApiToken, NewCampaign, ParticipantPick, Role, UserId};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, Set};
use server::config::Config;

const ENTITIES: usize = 300;
const INDICATORS: usize = 100;

fn methodology() -> String {
    let mut s = String::from(
        "id = \"feed-bench\"\nversion = \"1\"\nvalid_from = \"2020-01-01\"\n\
         applies_to = [\"economic_body\"]\nscale_max = 100.0\nmissing = \"zero\"\n\
         title = { en = \"Feed benchmark\", ru = \"Тест\", uz_latn = \"Sinov\", uz_cyrl = \"Синов\" }\n",
    );
    for d in 0..5 {
        s += &format!(
            "\n[[node]]\ncode = \"D{d}\"\nweight = 1.0\nnames = {{ en = \"Domain {d}\", ru = \"Домен {d}\", uz_latn = \"Soha {d}\", uz_cyrl = \"Соҳа {d}\" }}\n"
        );
    }
    for i in 0..INDICATORS {
        let d = i % 5;
        s += &format!(
            "\n[[indicator]]\ncode = \"D{d}.i{i:03}\"\nparent = \"D{d}\"\nkind = \"number\"\nweight = 1.0\n\
             range = [0.0, 100000.0]\nnormalise = {{ method = \"goalposts\", min = 0.0, max = 1000.0 }}\n\
             names = {{ en = \"Indicator {i}\", ru = \"Показатель {i}\", uz_latn = \"Ko'rsatkich {i}\", uz_cyrl = \"Кўрсаткич {i}\" }}\n"
        );
    }
    for (code, min, max) in [
        ("good", 70, 100),
        ("satisfactory", 50, 70),
        ("unsatisfactory", 0, 50),
    ] {
        s += &format!(
            "\n[[band]]\ncode = \"{code}\"\nmin = {min}.0\nmax = {max}.0\ncolour = \"#777777\"\n\
             names = {{ en = \"{code}\", ru = \"{code} (ru)\", uz_latn = \"{code} (uz)\", uz_cyrl = \"{code} (cy)\" }}\n"
        );
    }
    s
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    let concurrency: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let dir = std::env::temp_dir().join(format!("daraja-feed-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = std::env::var("DARAJA_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.sqlite?mode=rwc", dir.display()));
    let files = dir.join("files").display().to_string();
    let config = Config::load(None, |k| match k {
        "DARAJA_DATABASE_URL" => Some(url.clone()),
        "DARAJA_ADDR" => Some("127.0.0.1:0".into()),
        "DARAJA_JWT_SECRET" => Some("feed-bench-secret-0123456789-0123456789".into()),
        "DARAJA_LOG" => Some("warn".into()),
        "DARAJA_FILES_DIR" => Some(files.clone()),
        "DARAJA_API_BURST" => Some("100000".into()),
        _ => None,
    })?;
    let app = server::startup::build(config).await?;
    let base = format!("http://{}", app.addr());
    let db = app.services().db.clone();
    tokio::spawn(app.run_until_stopped());

    // Arrange: the methodology, 300 economic bodies, an open campaign, an
    // admin and a token for every indicator and entity.
    let source = methodology();
    entity::methodology_versions::ActiveModel {
        id: NotSet,
        code: Set("feed-bench".into()),
        version: Set("1".into()),
        applies_to: Set("economic_body".into()),
        valid_from: Set(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date")),
        status: Set(domain::MethodologyStatus::Published),
        source: Set(source.clone()),
        sha256: Set(format!("bench-{}", source.len())),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        title_uz_latn: Set("Sinov".into()),
        title_uz_cyrl: Set("Синов".into()),
        title_ru: Set("Тест".into()),
        title_en: Set("Feed benchmark".into()),
    }
    .insert(&db)
    .await?;
    let mut codes = Vec::with_capacity(ENTITIES);
    for n in 0..ENTITIES {
        let code = format!("bench-{n:03}");
        entity::entities::ActiveModel {
            id: NotSet,
            code: Set(code.clone()),
            kind: Set(domain::EntityKind::EconomicBody),
            subkind: Set("company".into()),
            soato: Set(None),
            tin: Set(None),
            iso_code: Set(None),
            parent_id: Set(None),
            region_id: Set(None),
            abbreviation: Set(None),
            website: Set(None),
            rated: Set(true),
            valid_from: Set(chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date")),
            valid_to: Set(None),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            name_uz_latn: Set(format!("Korxona {n}")),
            name_uz_cyrl: Set(format!("Корхона {n}")),
            name_ru: Set(format!("Предприятие {n}")),
            name_en: Set(format!("Company {n}")),
        }
        .insert(&db)
        .await?;
        codes.push(code);
    }
    let email = service::users::Email::parse("bench@daraja.uz").map_err(anyhow::Error::msg)?;
    let admin = service::users::insert_user(&db, &email, "Bench", "bench password 42")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    service::users::insert_grant(&db, UserId(admin.id), Role::Admin, None, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let who = service::scope::load_principal(&db, UserId(admin.id), "bench".into())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let campaign = service::campaigns::create(
        &db,
        &who,
        &NewCampaign {
            code: "feed-bench".into(),
            period: "2025".into(),
            kind: EntityKind::EconomicBody,
            methodology: "feed-bench@1".into(),
            names: Names {
                uz_latn: "Sinov".into(),
                uz_cyrl: "Синов".into(),
                ru: "Тест".into(),
                en: "Bench".into(),
            },
            opens_on: day(-1),
            deadline: day(30),
            review_deadline: day(40),
            appeal_until: day(50),
            participants: ParticipantPick::Codes(codes.clone()),
            region_review: false,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    service::campaigns::advance(&db, &who, campaign.id, domain::CampaignStatus::Draft, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let token = service::feeds::issue(
        &db,
        &who,
        &NewApiToken {
            name: "bench".into(),
            source_system: "bench.feed".into(),
            indicators: vec!["*".into()],
            entities: vec!["*".into()],
            expires_on: day(30),
            locked_indicators: vec!["*".into()],
        },
        Utc::now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?
    .secret;

    let http = reqwest::Client::new();
    let endpoint = format!("{base}/api/v1/values");
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let bodies: Vec<serde_json::Value> = codes
            .iter()
            .enumerate()
            .map(|(e, code)| {
                let values: Vec<serde_json::Value> = (0..INDICATORS)
                    .map(|i| {
                        serde_json::json!({
                            "indicator": format!("D{}.i{i:03}", i % 5),
                            "value": ((e * 31 + i * 7 + run * 13) % 997) as f64 + 0.5,
                        })
                    })
                    .collect();
                serde_json::json!({ "campaign": "feed-bench", "entity": code, "values": values })
            })
            .collect();
        let started = Instant::now();
        let mut written = 0usize;
        for batch in bodies.chunks(concurrency.max(1)) {
            let sent: Vec<_> = batch
                .iter()
                .map(|body| {
                    let request = http.post(&endpoint).bearer_auth(&token).json(body);
                    tokio::spawn(async move {
                        let r = request.send().await?;
                        anyhow::ensure!(r.status() == 200, "push refused: {}", r.text().await?);
                        let report: serde_json::Value = r.json().await?;
                        Ok(report["changes"].as_array().map_or(0, Vec::len))
                    })
                })
                .collect();
            for handle in sent {
                written += handle.await??;
            }
        }
        let took = started.elapsed();
        anyhow::ensure!(written == ENTITIES * INDICATORS, "wrote {written} values");
        println!(
            "run {run}: {ENTITIES} entities × {INDICATORS} indicators ({written} values) in {:.3} s",
            took.as_secs_f64()
        );
        times.push(took.as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "median of {runs} runs: {:.3} s (concurrency {concurrency}, {})",
        times[times.len() / 2],
        if url.starts_with("sqlite") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
