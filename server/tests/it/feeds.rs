//! The JSON API's automatic feeds: integration tokens (issued by admins,
//! bound to a source, indicators and entities, refused once expired or
//! revoked), pushes that are all or nothing with a JSON pointer for each
//! problem, dry runs, idempotent retries, locks against manual edits, and
//! the OpenAPI document that describes it all.

use chrono::{Duration, Utc};
use domain::{SaveOutcome, SubmissionStatus};
use entity::{api_tokens, audit_log, evidence, submission_values};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use service::submissions::{self, SaveRequest};

use crate::campaigns::{World, field, world};

fn in_days(d: i64) -> String {
    (Utc::now().date_naive() + Duration::days(d)).to_string()
}

impl World {
    async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        self.post_with(path, token, body, None).await.0
    }

    /// POSTs JSON; the status and body, and whether the answer was replayed.
    async fn post_with(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
        key: Option<&str>,
    ) -> ((u16, Value), bool) {
        let mut req = self
            .app
            .http
            .post(format!("{}{path}", self.app.base))
            .json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        if status >= 400 {
            assert_eq!(
                r.headers()["content-type"],
                "application/problem+json",
                "{path}: errors are problem documents"
            );
        }
        let replayed = r.headers().get("idempotent-replayed").is_some();
        ((status, r.json().await.unwrap_or(Value::Null)), replayed)
    }

    async fn district_code(&self) -> String {
        entity::entities::Entity::find_by_id(self.district.0)
            .one(&self.app.services.db)
            .await
            .unwrap()
            .unwrap()
            .code
    }

    /// A token for the own district and two indicators, its secret.
    async fn feed_token(&self, admin: &str, locks: bool) -> (i32, String) {
        let (status, body) = self
            .post(
                "/api/v1/tokens",
                Some(admin),
                &json!({
                    "name": "Statistics nightly",
                    "source_system": "stat.uz",
                    "indicators": ["INFRA.fibre_km", "ECON.local_services"],
                    "entities": [self.district_code().await],
                    "expires_on": in_days(30),
                    "locked_indicators": if locks { json!(["INFRA.fibre_km"]) } else { json!([]) },
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let secret = body["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("drj_") && secret.len() > 60);
        (body["token"]["id"].as_i64().unwrap() as i32, secret)
    }

    async fn stored(&self, code: &str) -> Option<submission_values::Model> {
        submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(self.own.0))
            .filter(submission_values::Column::IndicatorCode.eq(code))
            .one(&self.app.services.db)
            .await
            .unwrap()
    }
}

fn pointers(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"))
        .iter()
        .map(|e| e["pointer"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn admins_issue_tokens_that_are_refused_once_expired_or_revoked() {
    let w = world().await;
    let admin = w.app.bearer("admin@t.uz").await;
    let officer = w.app.bearer("officer@t.uz").await;
    let district = w.district_code().await;
    let good = json!({
        "name": "Statistics", "source_system": "stat.uz", "indicators": ["*"],
        "entities": [district], "expires_on": in_days(30),
    });
    // Only admins issue; bad requests are refused naming the field.
    assert_eq!(w.post("/api/v1/tokens", None, &good).await.0, 401);
    assert_eq!(w.post("/api/v1/tokens", Some(&officer), &good).await.0, 403);
    let with = |field: &str, v: Value| {
        let mut b = good.clone();
        b[field] = v;
        b
    };
    let bad = [
        (with("name", json!("  ")), "/name"),
        (with("source_system", json!("person")), "/source_system"),
        (with("source_system", json!("has space")), "/source_system"),
        (with("indicators", json!(["NOPE.nothing"])), "/indicators"),
        (
            with("indicators", json!(["*", "INFRA.fibre_km"])),
            "/indicators",
        ),
        (with("indicators", json!([])), "/indicators"),
        (with("entities", json!(["atlantis"])), "/entities"),
        (
            {
                let mut b = with("indicators", json!(["INFRA.fibre_km"]));
                b["locked_indicators"] = json!(["ECON.cashless"]);
                b
            },
            "/locked_indicators",
        ),
        (with("expires_on", json!(in_days(-1))), "/expires_on"),
        (with("expires_on", json!(in_days(800))), "/expires_on"),
        (with("expires_on", json!("tomorrow")), "/expires_on"),
    ];
    for (body, pointer) in &bad {
        let (status, problem) = w.post("/api/v1/tokens", Some(&admin), body).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(pointers(&problem), [*pointer], "{body}");
    }
    let (missing, _) = w
        .post("/api/v1/tokens", Some(&admin), &json!({"name": "x"}))
        .await;
    assert_eq!(missing, 422, "a body without the fields is a problem too");
    let count = api_tokens::Entity::find()
        .count(&w.app.services.db)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing issued by a refused request");

    let (id, secret) = w.feed_token(&admin, false).await;
    let listed = w.app.get("/api/v1/tokens", Some(&admin)).await;
    let text = listed.text().await.unwrap();
    assert!(
        text.contains("stat.uz") && !text.contains(&secret),
        "{text}"
    );
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(
        listed["rows"][0]["last_day"],
        in_days(30),
        "works through the day asked"
    );
    assert_eq!(listed["rows"][0]["active"], true);
    let stored = api_tokens::Entity::find_by_id(id)
        .one(&w.app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, secret, "only the hash is stored");

    // A feed reads public data but is no person.
    assert_eq!(
        w.app.get("/api/v1/entities", Some(&secret)).await.status(),
        200
    );
    assert_eq!(w.app.get("/api/v1/me", Some(&secret)).await.status(), 403);
    assert_eq!(
        w.app.get("/api/v1/tokens", Some(&secret)).await.status(),
        403
    );

    let push = json!({"campaign": "t-2025", "entity": district,
        "values": [{"indicator": "INFRA.fibre_km", "value": 10}]});
    let dry = "/api/v1/values?dryRun=true";
    assert_eq!(w.post(dry, Some(&secret), &push).await.0, 200);
    let (status, problem) = w.post(dry, Some("drj_not-a-token"), &push).await;
    assert_eq!(status, 401);
    assert!(
        problem["detail"].as_str().unwrap().contains("unknown"),
        "{problem}"
    );

    // Expired: refused, saying so.
    let mut am: api_tokens::ActiveModel = stored.clone().into();
    am.expires_at = Set(Utc::now() - Duration::minutes(1));
    am.update(&w.app.services.db).await.unwrap();
    let (status, problem) = w.post(dry, Some(&secret), &push).await;
    assert_eq!(status, 401);
    assert!(
        problem["detail"].as_str().unwrap().contains("expired"),
        "{problem}"
    );
    let mut am: api_tokens::ActiveModel = stored.into();
    am.expires_at = Set(Utc::now() + Duration::days(1));
    am.update(&w.app.services.db).await.unwrap();
    assert_eq!(w.post(dry, Some(&secret), &push).await.0, 200);

    // Revoked: refused at once; a second revoke is a conflict; audited.
    let revoke = format!("/api/v1/tokens/{id}/revoke");
    assert_eq!(w.post(&revoke, Some(&officer), &json!({})).await.0, 403);
    let (status, body) = w.post(&revoke, Some(&admin), &json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["revoked_at"].is_string());
    let (status, problem) = w.post(dry, Some(&secret), &push).await;
    assert_eq!(status, 401);
    assert!(
        problem["detail"].as_str().unwrap().contains("revoked"),
        "{problem}"
    );
    assert_eq!(w.post(&revoke, Some(&admin), &json!({})).await.0, 409);
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::ObjectType.eq("api_token"))
        .count(&w.app.services.db)
        .await
        .unwrap();
    assert_eq!(audited, 2, "issue and revoke");
}

#[tokio::test]
async fn a_feed_push_is_all_or_nothing_with_dry_runs_idempotent_retries_and_locks() {
    let w = world().await;
    let db = &w.app.services.db;
    let admin = w.app.bearer("admin@t.uz").await;
    let (token_id, feed) = w.feed_token(&admin, true).await;
    let district = w.district_code().await;
    let push = |values: Value| json!({"campaign": "t-2025", "entity": district, "values": values});
    let good = push(json!([
        {"indicator": "INFRA.fibre_km", "value": 125.5, "comment": "from the 2025 survey",
         "evidence": ["https://stat.uz/fibre-2025"]},
        {"indicator": "ECON.local_services", "value": true},
    ]));

    // A dry run reports and writes nothing.
    let (status, report) = w
        .post("/api/v1/values?dryRun=true", Some(&feed), &good)
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["applied"], false);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["changes"].as_array().unwrap().len(), 2);
    assert_eq!(report["evidence_added"], 1);
    assert!(w.stored("INFRA.fibre_km").await.is_none());

    // Every problem named by a pointer; nothing written.
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            push(json!([{"indicator": "INFRA.fibre_km", "value": 10},
                        {"indicator": "ECON.local_services", "value": "perhaps"}])),
            vec!["/values/1/value"],
        ),
        (
            push(json!([{"indicator": "INFRA.mobile_4g", "value": 50}])),
            vec!["/values/0/indicator"],
        ),
        (
            push(json!([{"indicator": "INFRA.fibre_km", "value": 1},
                        {"indicator": "INFRA.fibre_km", "value": 2}])),
            vec!["/values/1/indicator"],
        ),
        (
            push(json!([{"indicator": "INFRA.fibre_km", "value": 1, "version": 3}])),
            vec!["/values/0/version"],
        ),
        (
            push(json!([{"indicator": "INFRA.fibre_km", "value": 1,
                         "evidence": ["https://ok.uz/a", "ftp://no"]}])),
            vec!["/values/0/evidence/1"],
        ),
        (push(json!([])), vec!["/values"]),
        (
            json!({"campaign": "nope", "entity": "atlantis", "values": []}),
            vec!["/campaign", "/entity"],
        ),
    ];
    for (body, want) in &cases {
        let (status, problem) = w.post("/api/v1/values", Some(&feed), body).await;
        assert_eq!(status, 422, "{body}: {problem}");
        assert_eq!(&pointers(&problem), want, "{body}");
    }
    for malformed in [
        json!({"campaign": "t-2025"}),
        json!({"campaign": 1, "entity": "x", "values": []}),
        json!({"campaign": "t-2025", "entity": district, "values": [], "extra": 1}),
    ] {
        let (status, problem) = w.post("/api/v1/values", Some(&feed), &malformed).await;
        assert_eq!(status, 422, "{malformed}: {problem}");
    }
    assert!(
        w.stored("INFRA.fibre_km").await.is_none(),
        "nothing written"
    );

    // Another entity: the token may not.
    let other = entity::entities::Entity::find_by_id(
        service::scope::entity_ref(
            &entity::entities::Entity::find()
                .filter(entity::entities::Column::Kind.eq("district"))
                .all(db)
                .await
                .unwrap()[1],
        )
        .id
        .0,
    )
    .one(db)
    .await
    .unwrap()
    .unwrap();
    let elsewhere = json!({"campaign": "t-2025", "entity": other.code,
        "values": [{"indicator": "INFRA.fibre_km", "value": 1}]});
    assert_eq!(
        w.post("/api/v1/values", Some(&feed), &elsewhere).await.0,
        403
    );

    // A clean push with a key: written, sourced, locked, audited.
    let ((status, first), replayed) = w
        .post_with(
            "/api/v1/values",
            Some(&feed),
            &good,
            Some("nightly-2025-01-01"),
        )
        .await;
    assert_eq!(status, 200, "{first}");
    assert!(!replayed);
    assert_eq!(first["applied"], true);
    let fibre = w.stored("INFRA.fibre_km").await.unwrap();
    assert_eq!(fibre.source, "stat.uz");
    assert!(fibre.locked);
    assert_eq!(fibre.updated_by, None);
    assert_eq!(fibre.version, 1);
    assert_eq!(fibre.comment.as_deref(), Some("from the 2025 survey"));
    let services = w.stored("ECON.local_services").await.unwrap();
    assert_eq!(services.source, "stat.uz");
    assert!(
        !services.locked,
        "the token locks only the indicators it names"
    );
    let pushes = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("feed.push"))
            .all(db)
            .await
            .unwrap()
    };
    let entries = pushes().await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor, format!("feed:stat.uz#{token_id}"));

    // The retry gets the same answer and writes nothing again; the same
    // key with other data is refused.
    let ((status, again), replayed) = w
        .post_with(
            "/api/v1/values",
            Some(&feed),
            &good,
            Some("nightly-2025-01-01"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(replayed);
    assert_eq!(again, first);
    assert_eq!(pushes().await.len(), 1);
    assert_eq!(w.stored("INFRA.fibre_km").await.unwrap().version, 1);
    let changed = push(json!([{"indicator": "INFRA.fibre_km", "value": 130}]));
    let ((status, problem), _) = w
        .post_with(
            "/api/v1/values",
            Some(&feed),
            &changed,
            Some("nightly-2025-01-01"),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(pointers(&problem), ["/Idempotency-Key"]);

    // Sending the same values again changes nothing; the link is not
    // attached twice.
    let (status, same) = w.post("/api/v1/values", Some(&feed), &good).await;
    assert_eq!(status, 200);
    assert_eq!(same["changes"].as_array().unwrap().len(), 0);
    assert_eq!(same["unchanged"], 2);
    assert_eq!(same["evidence_added"], 0);
    let links = evidence::Entity::find()
        .filter(evidence::Column::ParticipantId.eq(w.own.0))
        .count(db)
        .await
        .unwrap();
    assert_eq!(links, 1);

    // The officer sees where the value came from and may not overwrite it.
    let form = submissions::form(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let f = field(&form, "INFRA.fibre_km");
    assert_eq!(f.source.as_deref(), Some("stat.uz"));
    assert!(f.locked);
    assert_eq!(f.value.as_deref(), Some("125.5"));
    let manual = submissions::save(
        db,
        &w.officer,
        w.own,
        &SaveRequest {
            indicator: "INFRA.fibre_km".into(),
            value: Some("1".into()),
            comment: None,
            version: 1,
        },
        Utc::now(),
    )
    .await;
    assert!(manual.is_err(), "{manual:?}");
    let officer = w.app.bearer("officer@t.uz").await;
    let (status, problem) = w
        .post(
            "/api/v1/values",
            Some(&officer),
            &push(json!([{"indicator": "INFRA.fibre_km", "value": 1}])),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("locked")
    );

    // The officer pushes an unlocked value of their own through the API,
    // naming the version they read.
    let (status, own) = w
        .post(
            "/api/v1/values",
            Some(&officer),
            &push(json!([{"indicator": "INFRA.public_wifi", "value": 12, "version": 0}])),
        )
        .await;
    assert_eq!(status, 200, "{own}");
    let wifi = w.stored("INFRA.public_wifi").await.unwrap();
    assert_eq!(wifi.source, "person");
    assert!(!wifi.locked);
    assert!(matches!(
        w.save(&w.officer, "INFRA.public_wifi", "13", 1).await,
        SaveOutcome::Saved { .. }
    ));

    // Once submitted, the feed is told the submission takes no values.
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let participant = entity::participants::Entity::find_by_id(w.own.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(participant.status, SubmissionStatus::Submitted);
    let (status, problem) = w
        .post(
            "/api/v1/values",
            Some(&feed),
            &push(json!([{"indicator": "INFRA.fibre_km", "value": 126}])),
        )
        .await;
    assert_eq!(status, 409, "{problem}");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_its_problems() {
    let app = crate::helpers::spawn_app().await;
    let r = app.get("/api/openapi.json", None).await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/values", "post"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{id}/revoke", "post"),
        ("/api/v1/entities", "get"),
        ("/api/v1/entities/by-code/{code}", "get"),
        ("/api/v1/entities/{id}/history", "get"),
        ("/api/v1/methodologies/{id}", "get"),
        ("/api/v1/ratings/{kind}", "get"),
        ("/api/v1/campaigns", "get"),
        ("/api/v1/auth/token", "post"),
    ] {
        let op = &paths[path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        assert!(
            op["responses"].as_object().unwrap().len() >= 2,
            "{method} {path}"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "FeedPush",
        "FeedReport",
        "Problem",
        "PublishedLeague",
        "ApiToken",
    ] {
        assert!(schemas.contains_key(s), "schema {s}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every documented GET without parameters answers as documented.
    for (path, ops) in paths {
        if path.contains('{') || ops.get("get").is_none() {
            continue;
        }
        let status = app.get(path, None).await.status().as_u16().to_string();
        assert!(
            ops["get"]["responses"].get(&status).is_some(),
            "GET {path} answered {status}, not documented"
        );
    }
}

#[tokio::test]
async fn each_client_is_rate_limited_with_retry_after_and_pages_are_not() {
    let app = crate::helpers::spawn_app_configured(
        false,
        &[("DARAJA_API_RATE", "1"), ("DARAJA_API_BURST", "3")],
    )
    .await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/methodologies", None).await.status(), 200);
    }
    let limited = app.get("/api/v1/methodologies", None).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(
        limited.headers()["content-type"],
        "application/problem+json"
    );
    // Another client (its own token) has its own allowance; pages and the
    // document are not the API's to limit.
    let other = app
        .get("/api/v1/methodologies", Some("drj_someone-else"))
        .await;
    assert_eq!(other.status(), 200);
    assert_eq!(app.get("/api/openapi.json", None).await.status(), 200);
    assert_eq!(app.get("/methodologies", None).await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100 * wait)).await;
    assert_eq!(app.get("/api/v1/methodologies", None).await.status(), 200);
}

#[tokio::test]
async fn concurrent_pushes_for_different_entities_all_land() {
    let w = world().await;
    let admin = w.app.bearer("admin@t.uz").await;
    let (status, issued) = w
        .post(
            "/api/v1/tokens",
            Some(&admin),
            &json!({"name": "both", "source_system": "stat.uz", "indicators": ["*"],
                    "entities": ["*"], "expires_on": in_days(3)}),
        )
        .await;
    assert_eq!(status, 201, "{issued}");
    let feed = issued["secret"].as_str().unwrap().to_owned();
    let districts = entity::entities::Entity::find()
        .filter(entity::entities::Column::Kind.eq("district"))
        .all(&w.app.services.db)
        .await
        .unwrap();
    let push = |code: String, round: usize| {
        json!({"campaign": "t-2025", "entity": code, "values": [
            {"indicator": "INFRA.fibre_km", "value": round},
            {"indicator": "INFRA.public_wifi", "value": round + 1},
        ]})
    };
    // Deferred SQLite transactions that read first could not upgrade to
    // write past a newer commit: the loser was refused as a conflict.
    for round in 1..=10 {
        let (first, second) = (
            push(districts[0].code.clone(), round),
            push(districts[1].code.clone(), round),
        );
        let (a, b) = tokio::join!(
            w.post("/api/v1/values", Some(&feed), &first),
            w.post("/api/v1/values", Some(&feed), &second),
        );
        assert_eq!((a.0, b.0), (200, 200), "round {round}: {} {}", a.1, b.1);
    }
}

#[tokio::test]
async fn the_read_api_serves_ratings_histories_diffs_and_filtered_campaigns() {
    let app = crate::helpers::spawn_app_with(true).await;
    let json = |path: &'static str| {
        let app = &app;
        async move {
            let r = app.get(path, None).await;
            assert_eq!(r.status(), 200, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    // The newest published district league, and the same by its address.
    let league = json("/api/v1/ratings/district").await;
    let code = league["league"]["payload"]["campaign"]
        .as_str()
        .unwrap()
        .to_owned();
    let rows = league["league"]["payload"]["rows"].as_array().unwrap();
    assert!(rows.len() > 150, "{} districts", rows.len());
    assert!(league["rounds"].as_array().unwrap().len() >= 4);
    let same = app
        .get(
            &format!("/api/v1/ratings/district?campaign={code}&revision=1"),
            None,
        )
        .await;
    assert_eq!(same.status(), 200);
    assert_eq!(
        same.json::<Value>().await.unwrap()["league"]["payload"]["campaign"],
        code.as_str()
    );
    assert_eq!(
        app.get("/api/v1/ratings/district?campaign=nope", None)
            .await
            .status(),
        404
    );

    // An entity by SOATO, then its published history.
    let asaka = json("/api/v1/entities/by-code/1703224").await;
    let id = asaka["entity"]["id"].as_i64().unwrap();
    let history = app
        .get(&format!("/api/v1/entities/{id}/history"), None)
        .await;
    assert_eq!(history.status(), 200);
    let history: Value = history.json().await.unwrap();
    assert!(
        history["history"].as_array().unwrap().len() >= 4,
        "{history}"
    );

    // Any two versions compared; the 2020 → 2022 state-body change is the
    // one the 2022 version's page shows.
    let versions = json("/api/v1/methodologies").await;
    let id_of = |code: &str, version: &str| {
        versions
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["code"] == code && v["version"] == version)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (old, new) = (id_of("nis-bodies", "2020"), id_of("nis-bodies", "2022"));
    let diff = app
        .get(&format!("/api/v1/methodologies/{old}/diff/{new}"), None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let detail = app
        .get(&format!("/api/v1/methodologies/{new}"), None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(!diff["changes"].as_array().unwrap().is_empty());
    assert_eq!(diff["changes"], detail["changes"]);
    assert_eq!(diff["comparable"], detail["comparable"]);
    assert_eq!(
        app.get(&format!("/api/v1/methodologies/{old}/diff/999999"), None)
            .await
            .status(),
        404
    );

    // Campaigns: signed in only, filtered, paged, in a stable order.
    let signed_in = app
        .token("admin@daraja.uz", service::demo::DEMO_PASSWORD)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let admin = signed_in["access_token"].as_str().unwrap().to_owned();
    let page = |q: &str| {
        let (app, admin, q) = (&app, admin.clone(), q.to_owned());
        async move {
            let r = app
                .get(&format!("/api/v1/campaigns{q}"), Some(&admin))
                .await;
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (status, all) = page("").await;
    assert_eq!(status, 200);
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 7, "{all}");
    let (_, open) = page("?status=open").await;
    assert!(
        open["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "open")
    );
    assert!(open["total"].as_u64().unwrap() >= 2, "{open}");
    let (_, districts) = page("?kind=district").await;
    assert!(
        districts["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] == "district")
    );
    assert_eq!(page("?page=1000001").await.0, 400);
    assert_eq!(page("?status=sleeping").await.0, 400);
    assert_eq!(page("").await.1, all, "the same order every time");
    assert_eq!(app.get("/api/v1/campaigns", None).await.status(), 401);
}
