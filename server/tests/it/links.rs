//! The background link checker: every address a form cites is tracked
//! once, checked under a lease (one instance per link), and what was found
//! shows beside the link; internal addresses are refused unless allowed.

use crate::campaigns::{day, principal};
use crate::helpers::*;
use axum::http::{Method, StatusCode};
use axum::response::Redirect;
use axum::routing::any;
use chrono::Utc;
use domain::{LinkCheck, LinkOutcome, Names, NewCampaign, ParticipantPick, Role, SaveOutcome};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use server::links::Checker;
use service::submissions::{self, EvidenceInput, SaveRequest};

/// A little web site: a page, a missing page, a page that refuses HEAD,
/// and a redirect to the page.
async fn site() -> String {
    let app = axum::Router::new()
        .route("/ok", any(|| async { "report" }))
        .route("/gone", any(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/no-head",
            any(|m: Method| async move {
                if m == Method::HEAD {
                    StatusCode::METHOD_NOT_ALLOWED
                } else {
                    StatusCode::OK
                }
            }),
        )
        .route("/moved", any(|| async { Redirect::permanent("/ok") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// An address nothing listens on.
async fn closed_port() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/report")
}

#[tokio::test]
async fn cited_links_are_checked_in_the_background_and_shown_beside_them() {
    let app = spawn_app().await;
    let db = &app.services.db;
    let now = Utc::now();
    let admin = principal(&app, "admin@t.uz", Role::Admin, None).await;
    let body = app.entity("statistics-agency").await;
    let cdo = principal(&app, "cdo@t.uz", Role::Cdo, Some(body)).await;
    let code = entity::entities::Entity::find_by_id(body.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .code;
    let c = service::campaigns::create(
        db,
        &admin,
        &NewCampaign {
            code: "links-2025".into(),
            period: "2025".into(),
            kind: domain::EntityKind::StateBody,
            methodology: "nis-bodies@2022".into(),
            names: Names {
                uz_latn: "Havolalar".into(),
                uz_cyrl: "Ҳаволалар".into(),
                ru: "Ссылки".into(),
                en: "Links".into(),
            },
            opens_on: day(-1),
            deadline: day(10),
            review_deadline: day(20),
            appeal_until: day(30),
            participants: ParticipantPick::Codes(vec![code]),
            region_review: false,
        },
    )
    .await
    .unwrap();
    service::campaigns::advance(db, &admin, c.id, domain::CampaignStatus::Draft, None)
        .await
        .unwrap();
    let pid = domain::ParticipantId(
        entity::participants::Entity::find()
            .filter(entity::participants::Column::CampaignId.eq(c.id.0))
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .id,
    );

    let site = site().await;
    let dead = closed_port().await;
    let (ok, gone, no_head, moved) = (
        format!("{site}/ok"),
        format!("{site}/gone"),
        format!("{site}/no-head"),
        format!("{site}/moved"),
    );
    // A URL answer cites a link; so does evidence, twice the same one.
    match submissions::save(
        db,
        &cdo,
        pid,
        &SaveRequest {
            indicator: "UNIT.plan".into(),
            value: Some(moved.clone()),
            comment: None,
            version: 0,
        },
        now,
    )
    .await
    .unwrap()
    {
        SaveOutcome::Saved { .. } => {}
        other => panic!("{other:?}"),
    }
    for (indicator, url) in [
        ("UNIT.plan", &ok),
        ("UNIT.plan", &gone),
        ("UNIT.plan", &no_head),
        ("UNIT.plan", &dead),
        ("UNIT.plan", &ok),
    ] {
        let item = submissions::add_evidence(
            db,
            &cdo,
            pid,
            indicator,
            &EvidenceInput::Url(url.clone()),
            now,
        )
        .await
        .unwrap();
        assert_eq!(
            item.link.map(|l| l.outcome),
            Some(LinkOutcome::Pending),
            "{url}"
        );
    }
    assert_eq!(
        entity::link_checks::Entity::find().count(db).await.unwrap(),
        5,
        "one row per address"
    );

    // Two instances claiming at once never share a link.
    let lease = chrono::Duration::seconds(60);
    let first = service::links::claim_due(db, now, 3, lease).await.unwrap();
    let second = service::links::claim_due(db, now, 10, lease).await.unwrap();
    assert_eq!((first.len(), second.len()), (3, 2));
    assert!(first.iter().all(|a| second.iter().all(|b| a.id != b.id)));
    assert!(
        service::links::claim_due(db, now, 10, lease)
            .await
            .unwrap()
            .is_empty()
    );
    // A lease that ran out (a crashed instance) frees its links.
    let later = now + chrono::Duration::seconds(61);
    assert_eq!(
        service::links::claim_due(db, later, 10, lease)
            .await
            .unwrap()
            .len(),
        5
    );

    // The checker's round (leases long expired by then) fetches them all.
    entity::link_checks::Entity::update_many()
        .col_expr(
            entity::link_checks::Column::LeaseUntil,
            sea_orm::sea_query::Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .exec(db)
        .await
        .unwrap();
    let checker = Checker::new(true).unwrap();
    assert_eq!(checker.round(db).await.unwrap(), 5);
    assert_eq!(checker.round(db).await.unwrap(), 0, "nothing due again yet");

    let form = submissions::form(db, &cdo, pid, Utc::now()).await.unwrap();
    let field = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.code == "UNIT.plan")
        .unwrap();
    let seen = |url: &str| -> LinkCheck {
        field
            .evidence
            .iter()
            .find(|e| e.url.as_deref() == Some(url))
            .and_then(|e| e.link.clone())
            .unwrap_or_else(|| panic!("no check of {url}"))
    };
    let outcome = |l: LinkCheck| (l.outcome, l.http_status);
    assert_eq!(outcome(seen(&ok)), (LinkOutcome::Ok, Some(200)));
    assert_eq!(outcome(seen(&gone)), (LinkOutcome::Broken, Some(404)));
    assert_eq!(outcome(seen(&no_head)), (LinkOutcome::Ok, Some(200)));
    let refused = seen(&dead);
    assert_eq!(outcome(refused.clone()), (LinkOutcome::Unreachable, None));
    assert!(
        refused
            .detail
            .as_deref()
            .unwrap()
            .contains("cannot connect"),
        "{refused:?}"
    );
    assert!(seen(&gone).checked_at.is_some());
    // The answer's own link followed its redirect.
    assert_eq!(
        field.link.clone().map(outcome),
        Some((LinkOutcome::Ok, Some(200)))
    );

    // A database from before link checks catches up once at start-up:
    // every cited address, from evidence and from answers.
    entity::link_checks::Entity::delete_many()
        .exec(db)
        .await
        .unwrap();
    assert_eq!(
        service::links::track_existing(db, Utc::now())
            .await
            .unwrap(),
        5
    );
    assert_eq!(
        service::links::track_existing(db, Utc::now())
            .await
            .unwrap(),
        0,
        "only when nothing is tracked"
    );

    // By default the checker fetches nothing internal, named or not.
    let guarded = Checker::new(false).unwrap();
    for url in [ok.clone(), ok.replace("127.0.0.1", "localhost")] {
        let found = guarded.check(&url).await;
        assert_eq!(found.outcome, LinkOutcome::Unreachable, "{url}");
        assert!(found.detail.contains("internal"), "{url}: {}", found.detail);
    }
    let redirect_inward = guarded
        .check("http://169.254.169.254/latest/meta-data")
        .await;
    assert_eq!(redirect_inward.outcome, LinkOutcome::Unreachable);
    assert_eq!(
        guarded.check("ftp://example.org/x").await.detail,
        "not an http(s) address"
    );
}
