//! The JSON API's routes (`/api/v1/…` and its OpenAPI document), the
//! admin's and ministry's file routes, and the public downloads of the
//! published district round. Feed pushes and the form's file routes sit
//! with their submissions' cells (`server_fns`, `district`).

use super::world::{World, day};
use super::*;
use crate::helpers::PASSWORD;
use chrono::Utc;
use domain::EntityKind;

pub async fn cells(w: &World) -> Vec<Cell> {
    let db = w.db();
    let admin = w.p("admin");
    // A person signing in, and a refresh token of theirs per caller.
    w.app
        .user_with("api-user@test.uz", domain::Role::Viewer, None)
        .await;
    let mut refresh = HashMap::new();
    let mut sessions = HashMap::new();
    for (who, token) in &w.callers {
        let r = w.app.token("api-user@test.uz", PASSWORD).await;
        let body: serde_json::Value = r.json().await.unwrap();
        refresh.insert(*who, body["refresh_token"].as_str().unwrap().to_owned());
        // Signing out ends the session it comes with: a second one of the
        // caller's own.
        let session = match token {
            Some(_) => Some(w.app.bearer(&format!("{who}@test.uz")).await),
            None => None,
        };
        sessions.insert(*who, session);
    }
    let d0 = w.code(w.d0).await;
    let mut tokens = HashMap::new();
    for who in CALLERS {
        let new = domain::NewApiToken {
            name: format!("to revoke by {who}"),
            source_system: "stat.uz".into(),
            indicators: vec!["INFRA.fibre_km".into()],
            entities: vec![d0.clone()],
            expires_on: day(30),
            locked_indicators: vec![],
        };
        let t = service::feeds::issue(db, admin, &new, Utc::now())
            .await
            .unwrap();
        tokens.insert(*who, t.token.id.to_string());
    }
    // A proposal's file, from the published league.
    let base = service::downloads::what_if_base(db, EntityKind::District, Utc::now())
        .await
        .unwrap()
        .unwrap();
    let mut weights = base.weights.clone();
    weights[0] = 0.25;
    let proposal = service::proposals::propose(
        db,
        w.p("methodologist"),
        &domain::ProposalDraft {
            snapshot_id: base.league.snapshot_id,
            weights,
            thresholds: base.league.payload.bands.iter().map(|b| b.min).collect(),
            version: "2032".into(),
            valid_from: "2032-01-01".into(),
            note: "scope matrix".into(),
        },
    )
    .await
    .unwrap()
    .to_string();
    let versions = service::methodologies::list(db).await.unwrap();
    let (m1, m2) = (versions[0].id.to_string(), versions[1].id.to_string());
    let (d0_id, region) = (w.d0.0.to_string(), w.region.0.to_string());
    let published = w.published_code.clone();
    let none: &[(&str, String)] = &[];
    let id = |v: &str| vec![("id", v.to_owned())];
    vec![
        // Sessions.
        Cell::route(
            "POST /api/v1/auth/token",
            none,
            EVERYONE,
            Body::Json(serde_json::json!({"email": "api-user@test.uz", "password": PASSWORD})),
        ),
        Cell::route_each("POST /api/v1/auth/refresh", EVERYONE, move |who| {
            let body = serde_json::json!({ "refresh_token": refresh[who] });
            (Vec::<(&str, String)>::new(), Body::Json(body))
        }),
        Cell::route("POST /api/v1/auth/sign-out", none, SIGNED_IN, Body::Empty).sessions(sessions),
        Cell::route("GET /api/v1/me", none, SIGNED_IN, Body::Empty),
        // Public reads.
        Cell::route("GET /api/v1/entities", none, EVERYONE, Body::Empty),
        Cell::route(
            "GET /api/v1/entities/{id}",
            &id(&d0_id),
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /api/v1/entities/by-code/{code}",
            &[("code", d0.clone())],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /api/v1/entities/{id}/history",
            &id(&d0_id),
            EVERYONE,
            Body::Empty,
        ),
        Cell::route("GET /api/v1/methodologies", none, EVERYONE, Body::Empty),
        Cell::route(
            "GET /api/v1/methodologies/{id}",
            &id(&m1),
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /api/v1/methodologies/{id}/diff/{other}",
            &[("id", m1.clone()), ("other", m2)],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /api/v1/ratings/{kind}",
            &[("kind", "district".to_owned())],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route("GET /api/openapi.json", none, EVERYONE, Body::Empty),
        // Signed-in reads.
        Cell::route("GET /api/v1/campaigns", none, SIGNED_IN, Body::Empty),
        // Integration tokens: ministry admins.
        Cell::route("GET /api/v1/tokens", none, ADMIN, Body::Empty),
        Cell::route(
            "POST /api/v1/tokens",
            none,
            ADMIN,
            Body::Json(serde_json::json!({
                "name": "Nightly",
                "source_system": "stat.uz",
                "indicators": ["INFRA.fibre_km"],
                "entities": [d0],
                "expires_on": day(30),
                "locked_indicators": [],
            })),
        ),
        Cell::route_each("POST /api/v1/tokens/{id}/revoke", ADMIN, move |who| {
            (vec![("id", tokens[who].clone())], Body::Empty)
        }),
        // Files of the ministry.
        Cell::route("GET /files/audit.csv", none, ADMIN, Body::Empty),
        Cell::route(
            "GET /files/proposals/{id}/source.toml",
            &id(&proposal),
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
        // Downloads of what is published: public.
        Cell::route(
            "GET /downloads/ratings/{campaign}/workbook.xlsx",
            &[("campaign", published.clone())],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /downloads/ratings/{campaign}/workbook.xlsx/progress",
            &[("campaign", published.clone())],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /downloads/entities/{id}/report-card.xlsx",
            &id(&d0_id),
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /downloads/regions/{id}/pack.xlsx",
            &id(&region),
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /open-data/ratings/{file}",
            &[("file", format!("{published}.csv"))],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route(
            "GET /open-data/ratings/{campaign}/{file}",
            &[("campaign", published), ("file", "r1.json".to_owned())],
            EVERYONE,
            Body::Empty,
        ),
        Cell::route("GET /open-data/dictionary.md", none, EVERYONE, Body::Empty),
    ]
}
