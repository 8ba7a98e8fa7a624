//! Methodology versions as the public reads them: list, tree, bands, and
//! the changes since the previous version with its comparability.

use crate::helpers::spawn_app;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

#[tokio::test]
async fn versions_list_and_show_their_changes() {
    let app = spawn_app().await;
    let db = &app.services.db;
    let list = service::methodologies::list(db).await.unwrap();
    assert_eq!(list.len(), seeds::METHODOLOGIES.len());
    let v2022 = list
        .iter()
        .find(|m| m.code == "nis-bodies" && m.version == "2022")
        .unwrap();
    let d = service::methodologies::get(db, v2022.id).await.unwrap();
    assert_eq!(
        d.previous.as_ref().map(|p| p.version.as_str()),
        Some("2020")
    );
    assert!(d.comparable, "2022 declares a crosswalk from 2020");
    for want in [
        "added SERV.mobile_app",
        "removed OPEN.social",
        "OPEN.opendata is now OPEN.open_data_sets",
    ] {
        assert!(
            d.changes.iter().any(|c| c == want),
            "{want} in {:?}",
            d.changes
        );
    }
    assert_eq!(
        d.nodes.iter().filter(|n| n.depth == 1).count(),
        5,
        "five directions"
    );
    assert_eq!(d.bands.len(), 3);
    let egdi = list.iter().find(|m| m.code == "un-egdi").unwrap();
    let e = service::methodologies::get(db, egdi.id).await.unwrap();
    assert!(e.previous.is_none() && e.changes.is_empty());
    assert_eq!(e.bands.len(), 16, "four levels × four classes");
    assert!(matches!(
        service::methodologies::get(db, 99_999).await,
        Err(service::ServiceError::NotFound(_))
    ));
}

/// The what-if sandbox's setting saved as a proposal: only methodologists
/// propose and decide; a bad setting is named and stores nothing; the
/// proposal shows its changes and its effect on the league; adopted, it is
/// a stored version comparable with its base; published numbers never move.
#[tokio::test]
async fn a_what_if_setting_becomes_a_proposal_and_then_a_version() {
    use domain::{EntityKind, Role};
    use serde_json::Value;
    let app = crate::helpers::spawn_app_with(true).await;
    let db = &app.services.db;
    app.user_with("method@test.uz", Role::Methodologist, None)
        .await;
    app.user_with("review@test.uz", Role::Reviewer, None).await;
    let (m, r) = (
        app.bearer("method@test.uz").await,
        app.bearer("review@test.uz").await,
    );
    let base = service::downloads::what_if_base(db, EntityKind::District, chrono::Utc::now())
        .await
        .unwrap()
        .expect("the demo publishes a district league");
    let p = &base.league.payload;
    let (verified_before, _) = service::ratings::verify_all(db).await.unwrap();
    // Education weighs half; "good" starts at 75 instead of 70.
    let edu = p.domains.iter().position(|d| d.code == "EDU").unwrap();
    let mut weights = base.weights.clone();
    weights[edu] = 0.5;
    let good = p.bands.iter().position(|b| b.code == "good").unwrap();
    let mut thresholds: Vec<f64> = p.bands.iter().map(|b| b.min).collect();
    thresholds[good] = 75.0;
    let snapshot = base.league.snapshot_id.to_string();
    let form = |version: &str, thresholds: &[f64]| -> Vec<(String, String)> {
        let mut f = vec![
            ("draft[snapshot_id]".to_owned(), snapshot.clone()),
            ("draft[version]".to_owned(), version.to_owned()),
            ("draft[valid_from]".to_owned(), "2027-01-01".to_owned()),
            (
                "draft[note]".to_owned(),
                "Education is counted twice elsewhere.".to_owned(),
            ),
        ];
        f.extend(
            weights
                .iter()
                .enumerate()
                .map(|(k, w)| (format!("draft[weights][{k}]"), w.to_string())),
        );
        f.extend(
            thresholds
                .iter()
                .enumerate()
                .map(|(k, t)| (format!("draft[thresholds][{k}]"), t.to_string())),
        );
        f
    };
    let call = |name: &'static str, token: Option<String>, form: Vec<(String, String)>| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = app.server_fn(name, token.as_deref(), &form).await;
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    // Who may propose.
    assert_eq!(
        call("propose_methodology", None, form("2027", &thresholds))
            .await
            .0,
        401
    );
    assert_eq!(
        call(
            "propose_methodology",
            Some(r.clone()),
            form("2027", &thresholds)
        )
        .await
        .0,
        403
    );
    // A setting the sandbox allows but a methodology cannot have: named.
    let mut crossed = thresholds.clone();
    crossed[good] = 40.0;
    let (status, body) = call(
        "propose_methodology",
        Some(m.clone()),
        form("2027", &crossed),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("threshold of band good (40) must be above 50"),
        "{body}"
    );
    assert!(
        service::proposals::list(db, &principal(&app, "method@test.uz").await)
            .await
            .unwrap()
            .is_empty()
    );
    // The proposal.
    let (status, body) = call(
        "propose_methodology",
        Some(m.clone()),
        form("2027", &thresholds),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id: i32 = body.trim().parse().unwrap();
    let (status, body) = call(
        "propose_methodology",
        Some(m.clone()),
        form("2027", &thresholds),
    )
    .await;
    assert_eq!(status, 409, "the label is taken while pending: {body}");
    assert!(
        body.contains(r#""key":"exists""#) && body.contains("nis-districts@2027"),
        "{body}"
    );
    // What it changes and does, as ministry staff read it.
    let (status, body) = call(
        "get_proposal",
        Some(r.clone()),
        vec![("id".into(), id.to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let d: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(d["summary"]["status"], "proposed");
    assert_eq!(d["summary"]["author"], "method@test.uz");
    assert!(
        d["comparable"].as_bool().unwrap(),
        "a crosswalk from the base"
    );
    let changes: Vec<&str> = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(changes, ["EDU: weight 1 → 0.5", "bands changed"]);
    assert_eq!(d["weights"][edu]["before"], 1.0);
    assert_eq!(d["weights"][edu]["after"], 0.5);
    // The effect, counted here from the published domain scores: the
    // index is the capped sum of weighted domain points.
    let band_of = |x: f64, t: &[f64]| {
        let key = (x * 1e6).round() / 1e6;
        p.bands
            .iter()
            .zip(t)
            .filter(|(_, min)| key >= **min)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(b, _)| b.code.clone())
    };
    let band_moves = p
        .rows
        .iter()
        .filter(|row| row.index.is_some())
        .filter(|row| {
            let x: f64 = row
                .domain_scores
                .iter()
                .zip(&weights)
                .map(|(s, w)| s.unwrap_or(0.0) * w)
                .sum();
            band_of(x.min(100.0), &thresholds) != row.band
        })
        .count();
    assert!(band_moves > 0);
    assert_eq!(d["band_changes"].as_u64(), Some(band_moves as u64));
    assert!(d["rank_changes"].as_u64().unwrap() > 0);
    assert!(d["movers"].as_array().unwrap().len() <= 20);
    // The file: for ministry staff only, the comment of the base kept.
    let res = app
        .get(&format!("/files/proposals/{id}/source.toml"), Some(&r))
        .await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(
        text.starts_with("# Proposed as nis-districts@2027 from nis-districts@2020"),
        "{text}"
    );
    assert!(text.contains("# Education is counted twice elsewhere."));
    assert_eq!(
        app.get(&format!("/files/proposals/{id}/source.toml"), None)
            .await
            .status(),
        401
    );
    // Deciding: methodologists only, with a reason, once.
    let decide = |token: &String, adopt: &str, reason: &str| {
        call(
            "decide_proposal",
            Some(token.clone()),
            vec![
                ("id".into(), id.to_string()),
                ("adopt".into(), adopt.into()),
                ("reason".into(), reason.into()),
            ],
        )
    };
    assert_eq!(decide(&r, "true", "ok").await.0, 403);
    assert_eq!(decide(&m, "true", " ").await.0, 422);
    let (status, body) = decide(&m, "true", "Agreed at the board of 2026-12-01").await;
    assert_eq!(status, 200, "{body}");
    let version_id: i32 = body.trim().parse().unwrap();
    assert_eq!(decide(&m, "false", "again").await.0, 409);
    let stored = service::methodologies::get(db, version_id).await.unwrap();
    assert_eq!(
        (
            stored.summary.code.as_str(),
            stored.summary.version.as_str()
        ),
        ("nis-districts", "2027")
    );
    assert_eq!(
        stored.previous.as_ref().map(|v| v.version.as_str()),
        Some("2020")
    );
    assert!(stored.comparable);
    assert_eq!(
        stored
            .bands
            .iter()
            .find(|(b, _)| b.code == "good")
            .map(|(b, _)| b.min),
        Some(75.0)
    );
    assert!(
        service::methodologies::list(db)
            .await
            .unwrap()
            .iter()
            .any(|v| v.id == version_id)
    );
    // Its label is taken now; a second proposal is withdrawn instead.
    let (status, _) = call(
        "propose_methodology",
        Some(m.clone()),
        form("2027", &thresholds),
    )
    .await;
    assert_eq!(status, 409);
    let (status, body) = call(
        "propose_methodology",
        Some(m.clone()),
        form("2027b", &thresholds),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second: i32 = body.trim().parse().unwrap();
    let (status, body) = call(
        "decide_proposal",
        Some(m.clone()),
        vec![
            ("id".into(), second.to_string()),
            ("adopt".into(), "false".into()),
            ("reason".into(), "Superseded".into()),
        ],
    )
    .await;
    assert_eq!((status, body.trim()), (200, "null"));
    let list = service::proposals::list(db, &principal(&app, "method@test.uz").await)
        .await
        .unwrap();
    let statuses: Vec<(&str, &str)> = list
        .iter()
        .map(|p| (p.version.as_str(), p.status.as_str()))
        .collect();
    assert_eq!(statuses, [("2027b", "withdrawn"), ("2027", "adopted")]);
    assert!(
        !service::methodologies::list(db)
            .await
            .unwrap()
            .iter()
            .any(|v| v.version == "2027b")
    );
    // Every step audited; every published snapshot still verifies.
    for action in [
        "methodology.propose",
        "methodology.adopt",
        "methodology.withdraw",
    ] {
        let n = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq(action))
            .count(db)
            .await
            .unwrap();
        assert!(n >= 1, "{action} audited");
    }
    let (verified_after, bad) = service::ratings::verify_all(db).await.unwrap();
    assert_eq!((verified_after, bad.len()), (verified_before, 0));
}

async fn principal(app: &crate::helpers::TestApp, email: &str) -> service::Principal {
    let u = entity::users::Entity::find()
        .filter(entity::users::Column::Email.eq(email))
        .one(&app.services.db)
        .await
        .unwrap()
        .unwrap();
    service::scope::load_principal(&app.services.db, domain::UserId(u.id), "test".into())
        .await
        .unwrap()
}
