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
    let other = app.nth_entity("state_body", 1).await.0.to_string();
    let own = own_org.0.to_string();
    // (name, form, who may): `None` in the list means the public.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a [&'a str]);
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
        (
            "change_password",
            vec![("current", "wrong"), ("new", "short")],
            signed_in,
        ),
    ];
    let mut failures = Vec::new();
    for (name, form, allowed) in &cases {
        for (who, token) in &callers {
            let status = app.server_fn(name, token.as_deref(), form).await.status();
            let got = classify(status);
            let want = if allowed.contains(who) {
                Want::Ok
            } else if token.is_none() {
                Want::Unauthenticated
            } else {
                Want::Forbidden
            };
            if got != want {
                failures.push(format!("{name} as {who}: want {want:?}, got {status}"));
            }
        }
    }
    let api: Vec<(&str, &[&str])> = vec![
        ("/api/v1/me", signed_in),
        ("/api/v1/entities", everyone),
        ("/api/v1/entities/1", everyone),
    ];
    for (path, allowed) in api {
        for (who, token) in &callers {
            let status = app.get(path, token.as_deref()).await.status();
            let want = if allowed.contains(who) {
                Want::Ok
            } else {
                Want::Unauthenticated
            };
            if classify(status) != want {
                failures.push(format!("GET {path} as {who}: want {want:?}, got {status}"));
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
        "a region officer reads its districts but does not fill them in"
    );
    let reviewer = principal("reviewer@test.uz").await;
    assert!(reviewer.can_read_entity(other_org, None) && !reviewer.speaks_for(other_org));
    // A CDO grant on a territory is refused.
    let err = service::users::insert_grant(db, cdo.user.id, Role::Cdo, Some(region), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("district"), "{err}");
}
