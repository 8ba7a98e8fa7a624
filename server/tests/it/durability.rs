//! Durability (issue 8): the real server binary under 200 concurrent
//! clients saving values is killed with SIGKILL mid-run and restarted on
//! the same database. Every save it acknowledged must be there, and no
//! save may be half-written.
//!
//! Each client owns one district and pushes, again and again, the same
//! number `k` into two indicators in one request (all or nothing), then
//! `k + 1`. After the restart each district's two values must be equal
//! (nothing half-written), at least the last acknowledged `k` and at most
//! one more (the push in flight may or may not have committed), and the
//! value's version must equal the audit entries that saved it.
//! `DARAJA_CRASH_SECONDS` lengthens the run (default 2).

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use chrono::Utc;
use domain::{CampaignStatus, EntityKind, Names, NewApiToken, NewCampaign, ParticipantPick, Role};
use entity::{audit_log, entities, participants, submission_values};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{SECRET, fresh_database_url, spawn_app_on};

const CLIENTS: usize = 200;

struct Server(Child);

impl Server {
    async fn start(url: &str, port: u16) -> Server {
        // Owned by `Server` at once, so every path (a panic included) kills
        // and reaps it.
        let server = Server(
            Command::new(env!("CARGO_BIN_EXE_daraja"))
                .env("DARAJA_DATABASE_URL", url)
                .env("DARAJA_ADDR", format!("127.0.0.1:{port}"))
                .env("DARAJA_JWT_SECRET", SECRET)
                .env("DARAJA_LOG", "error")
                .env("DARAJA_API_BURST", "1000000")
                .env(
                    "DARAJA_FILES_DIR",
                    std::env::temp_dir().join("daraja-tests/crash-files"),
                )
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("the server binary starts"),
        );
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = http
                .get(format!("http://127.0.0.1:{port}/api/openapi.json"))
                .send()
                .await
                && r.status() == 200
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not come up on port {port}");
    }

    fn kill_9(mut self) {
        // Child::kill is SIGKILL on Unix: no shutdown, no flush.
        self.0.kill().expect("kill -9");
        self.0.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn acknowledged_saves_survive_kill_9_and_none_is_half_written() {
    // Arrange in-process on a fresh database: an open district campaign
    // and a feed token for every district.
    let url = fresh_database_url().await;
    let app = spawn_app_on(&url).await;
    let db = app.services.db.clone();
    let admin_id = app.user_with("admin@crash.uz", Role::Admin, None).await;
    let admin = service::scope::load_principal(&db, admin_id, "t".into())
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let campaign = service::campaigns::create(
        &db,
        &admin,
        &NewCampaign {
            code: "crash".into(),
            period: "2025".into(),
            kind: EntityKind::District,
            methodology: "nis-districts@2020".into(),
            names: Names {
                uz_latn: "a".into(),
                uz_cyrl: "б".into(),
                ru: "в".into(),
                en: "d".into(),
            },
            opens_on: day(-1),
            deadline: day(10),
            review_deadline: day(20),
            appeal_until: day(30),
            participants: ParticipantPick::AllOfKind,
            region_review: false,
        },
    )
    .await
    .unwrap();
    service::campaigns::advance(&db, &admin, campaign.id, CampaignStatus::Draft, None)
        .await
        .unwrap();
    let token = service::feeds::issue(
        &db,
        &admin,
        &NewApiToken {
            name: "crash".into(),
            source_system: "crash.test".into(),
            indicators: vec!["*".into()],
            entities: vec!["*".into()],
            expires_on: day(2),
            locked_indicators: Vec::new(),
        },
        Utc::now(),
    )
    .await
    .unwrap()
    .secret;
    let taking_part: Vec<i32> = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id.0))
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.entity_id)
        .collect();
    let districts: Vec<(i32, String)> = entities::Entity::find()
        .filter(entities::Column::Id.is_in(taking_part))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.code))
        .take(CLIENTS)
        .collect();
    assert_eq!(districts.len(), CLIENTS);

    // Run: 200 clients against the real binary; kill -9 mid-run.
    let port = free_port();
    let server = Server::start(&url, port).await;
    let stop = Arc::new(AtomicBool::new(false));
    let acks = Arc::new(AtomicU32::new(0));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let mut clients = Vec::new();
    for (_, code) in &districts {
        let (http, stop, acks, token, code) = (
            http.clone(),
            stop.clone(),
            acks.clone(),
            token.clone(),
            code.clone(),
        );
        let endpoint = format!("http://127.0.0.1:{port}/api/v1/values");
        clients.push(tokio::spawn(async move {
            let mut acknowledged = 0u32;
            let mut k = 1u32;
            while !stop.load(Ordering::Relaxed) {
                let body = json!({"campaign": "crash", "entity": code, "values": [
                    {"indicator": "INFRA.fibre_km", "value": k},
                    {"indicator": "INFRA.public_wifi", "value": k},
                ]});
                match http
                    .post(&endpoint)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => {
                        acknowledged = k;
                        k += 1;
                        acks.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(r) => panic!("{code}: push refused with {}", r.status()),
                    Err(_) => break, // the server is gone
                }
            }
            (code, acknowledged)
        }));
    }
    let seconds: u64 = std::env::var("DARAJA_CRASH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    // The window starts at the first acknowledged save: on a loaded
    // machine the first ones can take longer than the whole window.
    for _ in 0..600 {
        if acks.load(Ordering::Relaxed) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    server.kill_9();
    stop.store(true, Ordering::Relaxed);
    let mut acked: HashMap<String, u32> = HashMap::new();
    for c in clients {
        let (code, n) = c.await.unwrap();
        acked.insert(code, n);
    }
    let total: u32 = acked.values().sum();
    assert!(total > 0, "no save was acknowledged before the kill");

    // Restart on the same database and check every district.
    let restarted = Server::start(&url, free_port()).await;
    let rows = submission_values::Entity::find()
        .filter(
            submission_values::Column::IndicatorCode.is_in(["INFRA.fibre_km", "INFRA.public_wifi"]),
        )
        .all(&db)
        .await
        .unwrap();
    let parts: HashMap<i32, i32> = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id.0))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.entity_id, p.id))
        .collect();
    let number = |json: &str| -> u32 {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["value"].as_f64().unwrap_or_else(|| panic!("{json}")) as u32
    };
    let mut problems = Vec::new();
    for (entity_id, code) in &districts {
        let part = parts[entity_id];
        let of = |ind: &str| {
            rows.iter()
                .find(|r| r.participant_id == part && r.indicator_code == ind)
        };
        let want = acked[code];
        match (of("INFRA.fibre_km"), of("INFRA.public_wifi")) {
            (None, None) if want == 0 => {}
            (Some(a), Some(b)) => {
                let (x, y) = (number(&a.value), number(&b.value));
                if x != y {
                    problems.push(format!("{code}: half-written ({x} and {y})"));
                }
                if x < want || x > want + 1 {
                    problems.push(format!("{code}: stored {x}, acknowledged {want}"));
                }
                let saves = audit_log::Entity::find()
                    .filter(audit_log::Column::ObjectType.eq("participant"))
                    .filter(audit_log::Column::ObjectId.eq(part.to_string()))
                    .filter(audit_log::Column::Action.eq("value.save"))
                    .filter(audit_log::Column::After.contains("INFRA.fibre_km"))
                    .count(&db)
                    .await
                    .unwrap();
                if saves != a.version as u64 {
                    problems.push(format!(
                        "{code}: version {} but {saves} audited saves",
                        a.version
                    ));
                }
            }
            other => problems.push(format!(
                "{code}: acknowledged {want}, stored {:?}",
                (other.0.map(|r| &r.value), other.1.map(|r| &r.value))
            )),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    drop(restarted);
    println!(
        "{CLIENTS} clients, {total} acknowledged pushes ({} values) before kill -9; all present",
        total * 2
    );
}
