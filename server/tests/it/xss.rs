//! Stored XSS (issue 8): script payloads saved in names (four languages),
//! a display name, campaign names, a comment on an answer and a token name
//! come back escaped on every server-rendered page that shows them,
//! including the hydration data Leptos embeds in `<script>` elements,
//! where a raw `</script>` would break out, and the `<title>` (leptos_meta
//! writes it unescaped; `app::title_text` escapes it: this test found it).

use chrono::Utc;
use domain::{EntityInput, EntityKind, Names, NewApiToken, SaveOutcome};
use service::submissions::{self, SaveRequest};

use crate::campaigns::world;

const PAYLOAD: &str = "</title></script><script>alert('xss')</script><img src=x onerror=alert(1)>";

/// What must never appear in a page: the payload's markup, unescaped.
const MARKERS: &[&str] = &[
    "<script>alert('xss')",
    "<img src=x onerror",
    "</title></script>",
];

fn names() -> Names {
    Names {
        uz_latn: format!("Latn {PAYLOAD}"),
        uz_cyrl: format!("Cyrl {PAYLOAD}"),
        ru: format!("Ru {PAYLOAD}"),
        en: format!("En {PAYLOAD}"),
    }
}

#[tokio::test]
async fn script_payloads_in_every_text_field_come_back_escaped() {
    let w = world().await;
    let db = &w.app.services.db;
    let entity = service::registry::create(
        db,
        &w.admin,
        &EntityInput {
            kind: EntityKind::StateBody,
            subkind: "agency".into(),
            code: "xss-agency".into(),
            tin: None,
            names: names(),
            parent_id: None,
            website: None,
            valid_from: "2020-01-01".into(),
            valid_to: None,
        },
    )
    .await
    .unwrap();
    service::users::create(
        db,
        &w.admin,
        "xss@t.uz",
        &format!("Name {PAYLOAD}"),
        "a long password 42",
    )
    .await
    .unwrap();
    let saved = submissions::save(
        db,
        &w.officer,
        w.own,
        &SaveRequest {
            indicator: "INFRA.fibre_km".into(),
            value: Some("12".into()),
            comment: Some(format!("Note {PAYLOAD}")),
            version: 0,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(matches!(saved, SaveOutcome::Saved { .. }));
    service::feeds::issue(
        db,
        &w.admin,
        &NewApiToken {
            name: format!("Token {PAYLOAD}"),
            source_system: "xss.test".into(),
            indicators: vec!["*".into()],
            entities: vec!["*".into()],
            expires_on: (Utc::now().date_naive() + chrono::Duration::days(3)).to_string(),
            locked_indicators: Vec::new(),
        },
        Utc::now(),
    )
    .await
    .unwrap();

    let day = |d: i64| (Utc::now().date_naive() + chrono::Duration::days(d)).to_string();
    let campaign = service::campaigns::create(
        db,
        &w.admin,
        &domain::NewCampaign {
            code: "xss-2025".into(),
            period: "2025".into(),
            kind: EntityKind::District,
            methodology: "nis-districts@2020".into(),
            names: names(),
            opens_on: day(1),
            deadline: day(10),
            review_deadline: day(20),
            appeal_until: day(30),
            participants: domain::ParticipantPick::AllOfKind,
        },
    )
    .await
    .unwrap();
    let admin = w.app.bearer("admin@t.uz").await;
    let officer = w.app.bearer("officer@t.uz").await;
    let pages: Vec<(String, &str, &str)> = vec![
        (format!("/registry/{}", entity.0), admin.as_str(), "Latn"),
        ("/registry?q=xss-agency".into(), admin.as_str(), "Latn"),
        ("/admin/users".into(), admin.as_str(), "Name"),
        ("/admin/audit".into(), admin.as_str(), "xss"),
        ("/admin/tokens".into(), admin.as_str(), "Token"),
        (
            format!("/submissions/{}", w.own.0),
            officer.as_str(),
            "Note",
        ),
        (
            format!("/submissions/{}?lang=ru", w.own.0),
            admin.as_str(),
            "Note",
        ),
        (
            format!("/campaigns/{}", campaign.id.0),
            admin.as_str(),
            "Latn",
        ),
        ("/campaigns".into(), admin.as_str(), "Latn"),
        ("/".into(), admin.as_str(), "Latn"),
    ];
    let mut problems = Vec::new();
    for (path, token, shown) in &pages {
        let r = w.app.get(path, Some(token)).await;
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(shown),
            "{path} shows the saved text ({shown})"
        );
        for m in MARKERS {
            if html.contains(m) {
                let at = html.find(m).unwrap_or(0);
                problems.push(format!(
                    "{path}: unescaped {m:?} in …{}…",
                    &html[at.saturating_sub(80)..(at + 40).min(html.len())]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test]
async fn script_payloads_in_review_comments_and_returns_come_back_escaped() {
    let w = world().await;
    let db = &w.app.services.db;
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let comment = format!("Comment {PAYLOAD}");
    submissions::review_value(
        db,
        &w.reviewer,
        w.own,
        &submissions::Verdict {
            indicator: "INFRA.fibre_km",
            action: domain::ReviewAction::Comment,
            adjusted: None,
            reason: &comment,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    submissions::return_for_revision(
        db,
        &w.reviewer,
        w.own,
        &format!("Return {PAYLOAD}"),
        Utc::now(),
    )
    .await
    .unwrap();
    let officer = w.app.bearer("officer@t.uz").await;
    let reviewer = w.app.bearer("reviewer@t.uz").await;
    let admin = w.app.bearer("admin@t.uz").await;
    let pages: Vec<(String, &str, &str)> = vec![
        (
            format!("/submissions/{}", w.own.0),
            officer.as_str(),
            "Comment",
        ),
        (
            format!("/submissions/{}", w.own.0),
            reviewer.as_str(),
            "Return",
        ),
        ("/admin/audit".into(), admin.as_str(), "Return"),
    ];
    for (path, token, shown) in &pages {
        let html = w.app.get(path, Some(token)).await.text().await.unwrap();
        assert!(html.contains(shown), "{path} shows {shown}");
        for m in MARKERS {
            assert!(!html.contains(m), "{path}: unescaped {m:?}");
        }
    }
}
