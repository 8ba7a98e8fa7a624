//! The scope matrix: every server function and API route × every role ×
//! own/other entity, allowed or denied, checked over HTTP.

use crate::helpers::*;
use domain::Role;

/// What a caller may get back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Ok,
    Unauthenticated,
    Forbidden,
}

fn classify(status: reqwest::StatusCode) -> Want {
    match status.as_u16() {
        200..=399 | 422 | 404 | 409 => Want::Ok,
        401 => Want::Unauthenticated,
        403 => Want::Forbidden,
        s => panic!("unexpected status {s}"),
    }
}

/// What `who` should get from a route `allowed` to those roles.
fn expected(allowed: &[&str], who: &str, signed_in: bool) -> Want {
    if allowed.contains(&who) {
        Want::Ok
    } else if signed_in {
        Want::Forbidden
    } else {
        Want::Unauthenticated
    }
}

/// The fields of the registry's entity form (a district in the test
/// registry's first region), with `extra` before them.
fn entity_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = extra.to_vec();
    form.extend([
        ("form[kind]", "district"),
        ("form[subkind]", "district"),
        ("form[code]", "1799999"),
        ("form[tin]", ""),
        ("form[name_uz_latn]", "Sinov tumani"),
        ("form[name_uz_cyrl]", "Синов тумани"),
        ("form[name_ru]", "Тестовый район"),
        ("form[name_en]", "Test district"),
        ("form[parent_code]", ""),
        ("form[website]", ""),
        ("form[valid_from]", "2020-01-01"),
        ("form[valid_to]", ""),
        ("form[reason]", "scope matrix"),
    ]);
    form
}

#[tokio::test]
async fn every_route_by_every_role() {
    let app = spawn_app().await;
    let own_org = app.nth_entity("state_body", 0).await;
    let own_district = app.nth_entity("district", 0).await;
    let mut callers: Vec<(&str, Option<String>)> = vec![("public", None)];
    for role in Role::ALL {
        let email = format!("{role}@test.uz");
        let entity = match role {
            Role::Cdo => Some(own_org),
            Role::District => Some(own_district),
            _ => None,
        };
        app.user_with(&email, *role, entity).await;
        callers.push((role.as_str(), Some(app.bearer(&email).await)));
    }
    let target = app
        .user_with("target@test.uz", Role::Viewer, None)
        .await
        .0
        .to_string();
    let other_org = app.nth_entity("state_body", 1).await;
    let region = app.nth_entity("region", 0).await.0.to_string();
    let other = other_org.0.to_string();
    let own = own_org.0.to_string();
    // An open campaign of the own and the other organization.
    let (campaign, own_part, other_part) = open_campaign(&app, &[own_org, other_org]).await;
    let (campaign, own_part, other_part) = (
        campaign.to_string(),
        own_part.to_string(),
        other_part.to_string(),
    );
    // (name, form, who may): `None` in the list means the public.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [&'a str]);
    // Who reads the own organization's submission.
    let readers_of_own: &[&str] = &[
        "admin",
        "methodologist",
        "reviewer",
        "publisher",
        "viewer",
        "cdo",
    ];
    let everyone: &[&str] = &[
        "public",
        "admin",
        "methodologist",
        "reviewer",
        "publisher",
        "cdo",
        "district",
        "viewer",
    ];
    let signed_in: &[&str] = &[
        "admin",
        "methodologist",
        "reviewer",
        "publisher",
        "cdo",
        "district",
        "viewer",
    ];
    let admin: &[&str] = &["admin"];
    let managers: &[&str] = &["admin", "methodologist"];
    let ministry_and_viewer: &[&str] =
        &["admin", "methodologist", "reviewer", "publisher", "viewer"];
    let cases: Vec<Case> = vec![
        ("whoami", vec![], everyone),
        (
            "search_registry",
            vec![
                ("query[q]", "Toshkent"),
                ("query[include_retired]", "false"),
                ("query[page]", "0"),
            ],
            everyone,
        ),
        ("get_entity", vec![("id", &own)], everyone),
        ("get_entity", vec![("id", &other)], everyone),
        ("registry_counts", vec![], everyone),
        ("latest_ratings", vec![], everyone),
        ("list_methodologies", vec![], everyone),
        ("league", vec![("kind", "district")], everyone),
        ("what_if_base", vec![("kind", "district")], everyone),
        ("entity_profile", vec![("id", &own)], everyone),
        ("region_profile", vec![("id", "1")], everyone),
        ("region_map", vec![], everyone),
        ("get_methodology", vec![("id", "1")], everyone),
        ("list_users", vec![], admin),
        ("list_audit", vec![("page", "0")], admin),
        (
            "create_user",
            vec![
                ("email", "new@test.uz"),
                ("display_name", "N"),
                ("password", "short"),
            ],
            admin,
        ),
        (
            "grant_role",
            vec![
                ("user_id", &target),
                ("role", "viewer"),
                ("entity_code", ""),
            ],
            admin,
        ),
        (
            "reset_password",
            vec![("user_id", &target), ("password", "long enough 123")],
            admin,
        ),
        (
            "set_user_active",
            vec![("user_id", &target), ("active", "true")],
            admin,
        ),
        ("revoke_grant", vec![("grant_id", "999999")], admin),
        (
            "retire_entity",
            vec![("id", &own), ("valid_to", "2020-01-01"), ("reason", "")],
            admin,
        ),
        (
            "retire_entity",
            vec![("id", &other), ("valid_to", "2020-01-01"), ("reason", "")],
            admin,
        ),
        ("create_entity", entity_form(&[]), admin),
        ("update_entity", entity_form(&[("id", &own)]), admin),
        ("set_language", vec![("lang", "ru")], everyone),
        ("api_reference", vec![], everyone),
        ("list_api_tokens", vec![], admin),
        (
            "issue_api_token",
            vec![
                ("name", ""),
                ("source_system", ""),
                ("indicators", ""),
                ("entities", ""),
                ("expires_on", ""),
                ("locked_indicators", ""),
            ],
            admin,
        ),
        ("revoke_api_token", vec![("id", "999999")], admin),
        (
            "change_password",
            vec![("current", "wrong"), ("new", "short")],
            signed_in,
        ),
        ("list_campaigns", vec![], signed_in),
        ("my_work", vec![], signed_in),
        ("campaign_pulse", vec![], ministry_and_viewer),
        (
            "campaign_cockpit",
            vec![("id", &campaign)],
            ministry_and_viewer,
        ),
        ("submission_form", vec![("id", &own_part)], readers_of_own),
        (
            "submission_form",
            vec![("id", &other_part)],
            ministry_and_viewer,
        ),
        (
            "save_value",
            vec![("id", &own_part), ("indicator", "nope"), ("version", "0")],
            &["cdo"],
        ),
        (
            "save_value",
            vec![("id", &other_part), ("indicator", "nope"), ("version", "0")],
            &[],
        ),
        (
            "add_evidence",
            vec![
                ("id", &own_part),
                ("indicator", "nope"),
                ("url", "https://x.uz"),
            ],
            &["cdo"],
        ),
        (
            "add_evidence",
            vec![
                ("id", &other_part),
                ("indicator", "nope"),
                ("url", "https://x.uz"),
            ],
            &[],
        ),
        ("remove_evidence", vec![("evidence", "999999")], signed_in),
        (
            "import_report",
            vec![("id", &own_part), ("report", "999999")],
            readers_of_own,
        ),
        (
            "import_report",
            vec![("id", &other_part), ("report", "999999")],
            ministry_and_viewer,
        ),
        // A region's page: the round here rates state bodies, so a reader
        // of the region gets a 422; the region's officer is no caller.
        (
            "region_round",
            vec![("campaign", &campaign), ("region", &region)],
            ministry_and_viewer,
        ),
        (
            "region_import_report",
            vec![
                ("campaign", &campaign),
                ("region", &region),
                ("report", "999999"),
            ],
            ministry_and_viewer,
        ),
        ("my_region_rounds", vec![], signed_in),
        ("submit_submission", vec![("id", &own_part)], &["cdo"]),
        ("submit_submission", vec![("id", &other_part)], &[]),
        (
            "review_value",
            vec![
                ("id", &own_part),
                ("indicator", "nope"),
                ("action", "accept"),
            ],
            &["admin", "reviewer"],
        ),
        (
            "decide_submission",
            vec![("id", &own_part), ("approve", "true")],
            &["admin", "reviewer"],
        ),
        (
            "reply_comment",
            vec![("id", &own_part), ("parent", "999999"), ("body", "hi")],
            &["admin", "reviewer", "cdo"],
        ),
        (
            "review_queue",
            vec![("filter[all]", "true")],
            &["admin", "methodologist", "reviewer", "publisher"],
        ),
        (
            "create_campaign",
            vec![("form[kind]", "district"), ("form[code]", "Bad Code")],
            managers,
        ),
        (
            "extend_deadline",
            vec![
                ("participant", &own_part),
                ("until", "2099-01-01"),
                ("reason", "r"),
            ],
            managers,
        ),
        ("remind", vec![("id", &campaign)], managers),
        (
            "advance_campaign",
            vec![("id", &campaign), ("from", "open")],
            managers,
        ),
        (
            "campaign_results",
            vec![("id", &campaign)],
            ministry_and_viewer,
        ),
        (
            "publish_rating",
            vec![("id", &campaign), ("request[changelog]", "x")],
            &["admin", "publisher"],
        ),
        (
            "nominate",
            vec![
                ("campaign", &campaign),
                ("domain", "OPEN"),
                ("entity", ""),
                ("note", ""),
            ],
            &["admin", "publisher"],
        ),
        (
            "file_appeal",
            vec![("id", &own_part), ("appeal[body]", "wrong")],
            &["cdo"],
        ),
        (
            "file_appeal",
            vec![("id", &other_part), ("appeal[body]", "wrong")],
            &[],
        ),
        (
            "resolve_appeal",
            vec![
                ("id", "999999"),
                ("decision[status]", "upheld"),
                ("decision[outcome]", "ok"),
            ],
            &["admin", "reviewer"],
        ),
        ("list_proposals", vec![], ministry_and_viewer),
        ("get_proposal", vec![("id", "999999")], ministry_and_viewer),
        (
            "propose_methodology",
            vec![
                ("draft[snapshot_id]", "999999"),
                ("draft[weights][0]", "1"),
                ("draft[thresholds][0]", "0"),
                ("draft[version]", "2030"),
                ("draft[valid_from]", "2030-01-01"),
                ("draft[note]", "why"),
            ],
            &["methodologist"],
        ),
        (
            "decide_proposal",
            vec![("id", "999999"), ("adopt", "true"), ("reason", "why")],
            &["methodologist"],
        ),
    ];
    let mut failures = Vec::new();
    for (name, form, allowed) in &cases {
        for (who, token) in &callers {
            let status = app.server_fn(name, token.as_deref(), form).await.status();
            let got = classify(status);
            let want = expected(allowed, who, token.is_some());
            if got != want {
                failures.push(format!("{name} as {who}: want {want:?}, got {status}"));
            }
        }
    }
    let api: Vec<(&str, &[&str])> = vec![
        ("/api/v1/me", signed_in),
        ("/api/v1/entities", everyone),
        ("/api/v1/entities/1", everyone),
        ("/api/v1/entities/by-code/1703", everyone),
        ("/api/v1/entities/1/history", everyone),
        ("/api/v1/methodologies", everyone),
        ("/api/v1/methodologies/1", everyone),
        ("/api/v1/ratings/district", everyone),
        ("/api/v1/campaigns", signed_in),
        ("/api/v1/tokens", &["admin"]),
    ];
    for (path, allowed) in api {
        for (who, token) in &callers {
            let status = app.get(path, token.as_deref()).await.status();
            let want = expected(allowed, who, token.is_some());
            if classify(status) != want {
                failures.push(format!("GET {path} as {who}: want {want:?}, got {status}"));
            }
        }
    }
    // Values through the API: only the entity's own officer (a feed's
    // token is checked in feeds.rs); a revoke and an issue, only admins.
    let own_code = code_of(&app, own_org).await;
    let other_code = code_of(&app, other_org).await;
    let posts: Vec<(&str, serde_json::Value, &[&str])> = vec![
        (
            "/api/v1/values?dryRun=true",
            serde_json::json!({"campaign": "scope", "entity": own_code, "values": [{"indicator": "nope", "value": 1}]}),
            &["cdo"],
        ),
        (
            "/api/v1/values?dryRun=true",
            serde_json::json!({"campaign": "scope", "entity": other_code, "values": [{"indicator": "nope", "value": 1}]}),
            &[],
        ),
        (
            "/api/v1/tokens",
            serde_json::json!({"name": "", "source_system": "x", "indicators": ["*"], "entities": ["*"], "expires_on": "2020-01-01"}),
            &["admin"],
        ),
        (
            "/api/v1/tokens/999/revoke",
            serde_json::json!({}),
            &["admin"],
        ),
    ];
    for (path, body, allowed) in &posts {
        for (who, token) in &callers {
            let mut req = app.http.post(format!("{}{path}", app.base)).json(body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let status = req.send().await.unwrap().status();
            let want = expected(allowed, who, token.is_some());
            if classify(status) != want {
                failures.push(format!("POST {path} as {who}: want {want:?}, got {status}"));
            }
        }
    }
    // The form's file routes: the template for readers of the submission,
    // its upload (here a file that is no workbook) for its officer only.
    let files: Vec<(&str, String, &[&str])> = vec![
        ("GET", "/files/audit.csv".to_owned(), &["admin"]),
        (
            "GET",
            "/files/proposals/999999/source.toml".to_owned(),
            ministry_and_viewer,
        ),
        (
            "GET",
            format!("/files/submissions/{own_part}/template"),
            readers_of_own,
        ),
        (
            "GET",
            format!("/files/submissions/{other_part}/template"),
            ministry_and_viewer,
        ),
        (
            "POST",
            format!("/files/submissions/{own_part}/template"),
            &["cdo"],
        ),
        (
            "POST",
            format!("/files/submissions/{other_part}/template"),
            &[],
        ),
        (
            "POST",
            format!("/files/submissions/{own_part}/evidence"),
            &["cdo"],
        ),
        (
            "GET",
            format!("/files/campaigns/{campaign}/regions/{region}/template"),
            ministry_and_viewer,
        ),
        (
            "POST",
            format!("/files/campaigns/{campaign}/regions/{region}/template"),
            &[],
        ),
        (
            "POST",
            format!("/files/submissions/{other_part}/evidence"),
            &[],
        ),
    ];
    for (method, path, allowed) in &files {
        for (who, token) in &callers {
            let status = if *method == "GET" {
                app.get(path, token.as_deref()).await.status()
            } else {
                let form = reqwest::multipart::Form::new()
                    .text("indicator", "nope")
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(b"hello".to_vec()).file_name("a.txt"),
                    );
                let mut req = app
                    .http
                    .post(format!("{}{path}", app.base))
                    .header("accept", "application/json")
                    .multipart(form);
                if let Some(t) = token {
                    req = req.bearer_auth(t);
                }
                req.send().await.unwrap().status()
            };
            let want = expected(allowed, who, token.is_some());
            if classify(status) != want {
                failures.push(format!(
                    "{method} {path} as {who}: want {want:?}, got {status}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} scope violations:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn entity_scopes_cover_own_entity_and_a_regions_districts() {
    let app = spawn_app().await;
    let db = &app.services.db;
    let own_org = app.nth_entity("state_body", 0).await;
    let other_org = app.nth_entity("state_body", 1).await;
    let region = app.entity("1703").await;
    let district_in_region = app.entity("1703202").await;
    let district_elsewhere = app.entity("1706204").await;
    let other_region = app.entity("1706").await;
    app.user_with("cdo@test.uz", Role::Cdo, Some(own_org)).await;
    app.user_with("region@test.uz", Role::District, Some(region))
        .await;
    app.user_with("reviewer@test.uz", Role::Reviewer, None)
        .await;
    let auth = &app.services.auth;
    let principal = |email: &'static str| async move {
        let (_, p) = service::auth::sign_in(db, auth, email, PASSWORD, None)
            .await
            .unwrap();
        p
    };
    let cdo = principal("cdo@test.uz").await;
    assert!(cdo.can_read_entity(own_org, None) && cdo.speaks_for(own_org));
    assert!(!cdo.can_read_entity(other_org, None) && !cdo.speaks_for(other_org));
    let officer = principal("region@test.uz").await;
    assert!(officer.can_read_entity(region, None));
    assert!(officer.can_read_entity(district_in_region, Some(region)));
    assert!(!officer.can_read_entity(district_elsewhere, Some(other_region)));
    assert!(
        !officer.speaks_for(district_in_region),
        "a region officer does not speak for its districts (it may enter their answers: Loaded::entered_by)"
    );
    let reviewer = principal("reviewer@test.uz").await;
    assert!(reviewer.can_read_entity(other_org, None) && !reviewer.speaks_for(other_org));
    // A CDO grant on a territory is refused.
    let err = service::users::insert_grant(db, cdo.user.id, Role::Cdo, Some(region), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("district"), "{err}");
}

/// Creates and opens a state-body campaign of `members`; returns its id and
/// the participants' ids in the same order.
async fn code_of(app: &TestApp, id: domain::EntityId) -> String {
    use sea_orm::EntityTrait;
    entity::entities::Entity::find_by_id(id.0)
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap()
        .code
}

async fn open_campaign(app: &TestApp, members: &[domain::EntityId]) -> (i32, i32, i32) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let db = &app.services.db;
    let uid = app.user_with("manager@test.uz", Role::Admin, None).await;
    let who = service::scope::load_principal(db, uid, "t".into())
        .await
        .unwrap();
    let mut codes = Vec::new();
    for m in members {
        codes.push(
            entity::entities::Entity::find_by_id(m.0)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .code,
        );
    }
    let today = chrono::Utc::now().date_naive();
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let c = service::campaigns::create(
        db,
        &who,
        &domain::NewCampaign {
            code: "scope".into(),
            period: "2025".into(),
            kind: domain::EntityKind::StateBody,
            // Opened in 2021, when the first state bodies by id all existed.
            methodology: "nis-bodies@2020".into(),
            names: domain::Names {
                uz_latn: "a".into(),
                uz_cyrl: "b".into(),
                ru: "c".into(),
                en: "d".into(),
            },
            opens_on: "2021-01-15".into(),
            deadline: day(30),
            review_deadline: day(40),
            appeal_until: day(50),
            participants: domain::ParticipantPick::Codes(codes),
            region_review: false,
        },
    )
    .await
    .unwrap();
    service::campaigns::advance(db, &who, c.id, domain::CampaignStatus::Draft, None)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for m in members {
        let p = entity::participants::Entity::find()
            .filter(entity::participants::Column::CampaignId.eq(c.id.0))
            .filter(entity::participants::Column::EntityId.eq(m.0))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        ids.push(p.id);
    }
    (c.id.0, ids[0], ids[1])
}
