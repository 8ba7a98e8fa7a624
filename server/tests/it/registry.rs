//! Migrations, seeding and the registry.

use crate::helpers::*;
use domain::Role;
use entity::entities;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn migrations_run_and_seeding_is_idempotent() {
    let app = spawn_app().await;
    let db = &app.services.db;
    let count = |kind: &'static str| async move {
        entities::Entity::find()
            .filter(entities::Column::Kind.eq(kind))
            .count(db)
            .await
            .unwrap()
    };
    assert_eq!(count("region").await, 14);
    assert_eq!(count("district").await, 209);
    let orgs = seeds::organizations().unwrap();
    for kind in ["state_body", "economic_body"] {
        let in_seed = orgs.iter().filter(|o| o.kind == kind).count() as u64;
        assert_eq!(
            count(kind).await,
            in_seed,
            "{kind}: database and seed file agree"
        );
    }
    // Start-up seeded once; a second run changes nothing.
    let audit_before = entity::audit_log::Entity::find().count(db).await.unwrap();
    let again = service::seed::registry(db).await.unwrap();
    assert_eq!(again, service::seed::SeedReport::default());
    let again = service::seed::methodologies(db).await.unwrap();
    assert_eq!(again, service::seed::SeedReport::default());
    let stored = entity::methodology_versions::Entity::find()
        .count(db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        seeds::METHODOLOGIES.len() as u64,
        "every shipped methodology is stored"
    );
    let audit = entity::audit_log::Entity::find().count(db).await.unwrap();
    assert_eq!(
        audit, audit_before,
        "an idempotent re-seed writes no audit entries"
    );
}

#[tokio::test]
async fn registry_search_finds_by_any_language_soato_and_tin() {
    let app = spawn_app().await;
    let search = |q: &'static str| {
        let app = &app;
        async move {
            let r = app.get(&format!("/api/v1/entities?q={q}"), None).await;
            assert_eq!(r.status(), 200);
            let body: serde_json::Value = r.json().await.unwrap();
            body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["names"]["en"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    for q in [
        "Samarqand",
        "%D0%A1%D0%B0%D0%BC%D0%B0%D1%80%D0%BA%D0%B0%D0%BD%D0%B4",
        "1718",
    ] {
        let names = search(q).await;
        assert!(
            names.iter().any(|n| n.contains("Samarkand")),
            "{q}: {names:?}"
        );
    }
    let kind = app
        .get("/api/v1/entities?kind=region", None)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(kind["total"], 14);
    let far = app.get("/api/v1/entities?page=1000000", None).await;
    assert_eq!(
        far.status(),
        200,
        "a page past the end is empty, not a crash"
    );
    let beyond = app.get("/api/v1/entities?page=1000001", None).await;
    assert_eq!(beyond.status(), 400);
    let bad = app.get("/api/v1/entities?kind=planet", None).await;
    assert_eq!(bad.status(), 400);
    let problem: serde_json::Value = bad.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("planet"),
        "{problem}"
    );
    // The home page's counts are the totals a search by kind reports.
    let db = &app.services.db;
    for (kind, n) in service::registry::counts(db).await.unwrap() {
        let query = domain::RegistryQuery {
            kind: Some(kind),
            ..Default::default()
        };
        let page = service::registry::search(db, &query).await.unwrap();
        assert_eq!(page.total, n, "{kind}");
    }
}

#[tokio::test]
async fn territories_created_later_carry_their_dates() {
    let app = spawn_app().await;
    let e = entities::Entity::find()
        .filter(entities::Column::Soato.eq("1710240"))
        .one(&app.services.db)
        .await
        .unwrap()
        .expect("Ko'kdala district is in the registry");
    assert!(
        e.valid_from > chrono::NaiveDate::from_ymd_opt(2020, 12, 1).unwrap(),
        "{}",
        e.valid_from
    );
}

#[tokio::test]
async fn admin_adds_edits_and_retires_an_entity_with_an_audit_trail() {
    let app = spawn_app().await;
    app.user_with("admin@test.uz", Role::Admin, None).await;
    let token = app.bearer("admin@test.uz").await;
    let form = |code: &'static str, name: &'static str| {
        vec![
            ("form[kind]", "state_body"),
            ("form[subkind]", "agency"),
            ("form[code]", code),
            ("form[tin]", "299999991"),
            ("form[name_uz_latn]", name),
            ("form[name_uz_cyrl]", "Синов агентлиги"),
            ("form[name_ru]", "Тестовое агентство"),
            ("form[name_en]", "Test Agency"),
            ("form[parent_code]", ""),
            ("form[website]", "https://test.uz"),
            ("form[valid_from]", "2024-01-01"),
            ("form[valid_to]", ""),
            ("form[reason]", "renamed by decree"),
        ]
    };
    let r = app
        .server_fn(
            "create_entity",
            Some(&token),
            &form("test-agency", "Sinov agentligi"),
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.text().await.unwrap()
    );
    let id = app.entity("test-agency").await;
    let mut f = form("test-agency", "Sinov agentligi (yangi)");
    let id_text = id.0.to_string();
    f.push(("id", &id_text));
    let r = app.server_fn("update_entity", Some(&token), &f).await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.text().await.unwrap()
    );
    // A bad date is refused with the field named, and nothing changes.
    let mut bad = form("test-agency", "Broken");
    bad[10] = ("form[valid_from]", "2024-13-01");
    bad.push(("id", &id_text));
    let r = app.server_fn("update_entity", Some(&token), &bad).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("valid_from"));
    let r = app
        .server_fn(
            "retire_entity",
            Some(&token),
            &[
                ("id", &id_text),
                ("valid_to", "2025-06-30"),
                ("reason", "merged"),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    let e = entities::Entity::find_by_id(id.0)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.name_uz_latn, "Sinov agentligi (yangi)");
    assert_eq!(e.valid_to.unwrap().to_string(), "2025-06-30");
    let log = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::ObjectId.eq(id_text.clone()))
        .all(&app.services.db)
        .await
        .unwrap();
    let actions: Vec<_> = log.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, ["entity.create", "entity.update", "entity.retire"]);
    assert!(log.iter().all(|l| l.actor == "admin@test.uz"));
    assert_eq!(log[1].reason.as_deref(), Some("renamed by decree"));
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes_in_the_database() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let db = &app.services.db;
    let before = entities::Entity::find().count(db).await.unwrap();
    assert!(before > 0);
    let entries = entity::audit_log::Entity::find().count(db).await.unwrap();
    assert!(entries > 0, "seeding is audited");
    for sql in [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ] {
        let e = db.execute_unprepared(sql).await.unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let e = db
            .execute_unprepared("TRUNCATE audit_log")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("append-only"), "{e}");
    }
    assert_eq!(
        entity::audit_log::Entity::find().count(db).await.unwrap(),
        entries
    );
}

#[tokio::test]
async fn admins_export_the_audit_log_as_csv_filtered_like_its_page() {
    let app = spawn_app().await;
    app.user_with("admin@test.uz", Role::Admin, None).await;
    app.user_with("viewer@test.uz", Role::Viewer, None).await;
    let admin = app.bearer("admin@test.uz").await;
    let viewer = app.bearer("viewer@test.uz").await;
    let path = "/files/audit.csv?type=methodology_version";
    assert_eq!(app.get(path, None).await.status(), 401);
    assert_eq!(app.get(path, Some(&viewer)).await.status(), 403);
    let r = app.get(path, Some(&admin)).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    let seeded = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::ObjectType.eq("methodology_version"))
        .count(&app.services.db)
        .await
        .unwrap();
    assert!(seeded >= 5);
    assert_eq!(lines.len() as u64, seeded + 1, "a header and every entry");
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(",methodology.seed,methodology_version,"))
    );
    let all = app
        .get("/files/audit.csv", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    let every = entity::audit_log::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap();
    assert_eq!(
        all.lines().count() as u64,
        every + 1,
        "no filter: every entry"
    );
}
