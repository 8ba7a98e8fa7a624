//! Campaigns and submissions: creation with precise errors, the lifecycle
//! and its audit trail, autosave with optimistic concurrency, validation
//! and submission, review (adjust, reject, return, approve), deadlines and
//! extensions, reminders, and the demo's open round with prefilled answers.

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::{
    CampaignId, CampaignStatus, EntityId, Names, NewCampaign, ParticipantId, ParticipantPick,
    ReviewAction, Role, SaveOutcome, SubmissionStatus,
};
use entity::{audit_log, participants, submission_values};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::{
    Principal, campaigns,
    submissions::{self, EvidenceInput, SaveRequest},
};

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) admin: Principal,
    pub(crate) reviewer: Principal,
    pub(crate) officer: Principal,
    pub(crate) other_officer: Principal,
    pub(crate) district: EntityId,
    pub(crate) campaign: CampaignId,
    pub(crate) own: ParticipantId,
}

pub(crate) async fn principal(
    app: &TestApp,
    email: &str,
    role: Role,
    entity: Option<EntityId>,
) -> Principal {
    let id = app.user_with(email, role, entity).await;
    service::scope::load_principal(&app.services.db, id, "test".into())
        .await
        .unwrap()
}

pub(crate) fn day(d: i64) -> String {
    (Utc::now().date_naive() + Duration::days(d)).to_string()
}

/// A test campaign's names.
fn test_names() -> Names {
    Names {
        uz_latn: "Sinov".into(),
        uz_cyrl: "Синов".into(),
        ru: "Тест".into(),
        en: "Test".into(),
    }
}

fn new_campaign(code: &str, pick: ParticipantPick) -> NewCampaign {
    NewCampaign {
        code: code.into(),
        period: "2025".into(),
        kind: domain::EntityKind::District,
        methodology: "nis-districts@2020".into(),
        names: test_names(),
        opens_on: day(-1),
        deadline: day(10),
        review_deadline: day(20),
        appeal_until: day(30),
        participants: pick,
        region_review: false,
    }
}

/// An open campaign of two districts, an officer for the first.
pub(crate) async fn world() -> World {
    world_named(test_names()).await
}

/// [`world`] with the campaign named `names`.
pub(crate) async fn world_named(names: Names) -> World {
    world_with(|c| c.names = names).await
}

/// [`world`] with the campaign as `adjust` leaves it.
pub(crate) async fn world_with(adjust: impl FnOnce(&mut NewCampaign)) -> World {
    world_in(spawn_app().await, adjust).await
}

/// [`world_with`] in an app spawned as the caller likes.
pub(crate) async fn world_in(app: TestApp, adjust: impl FnOnce(&mut NewCampaign)) -> World {
    let first = app.nth_entity("district", 0).await;
    let second = app.nth_entity("district", 1).await;
    let code_of = |id: EntityId| {
        let db = app.services.db.clone();
        async move {
            entity::entities::Entity::find_by_id(id.0)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .code
        }
    };
    let codes = vec![code_of(first).await, code_of(second).await];
    let admin = principal(&app, "admin@t.uz", Role::Admin, None).await;
    let reviewer = principal(&app, "reviewer@t.uz", Role::Reviewer, None).await;
    let officer = principal(&app, "officer@t.uz", Role::District, Some(first)).await;
    let other_officer = principal(&app, "other@t.uz", Role::District, Some(second)).await;
    let db = &app.services.db;
    let mut input = new_campaign("t-2025", ParticipantPick::Codes(codes));
    adjust(&mut input);
    let c = campaigns::create(db, &admin, &input).await.unwrap();
    assert_eq!(c.status, CampaignStatus::Draft);
    assert_eq!(c.participants(), 2);
    campaigns::advance(db, &admin, c.id, CampaignStatus::Draft, None)
        .await
        .unwrap();
    let own = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id.0))
        .filter(participants::Column::EntityId.eq(first.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    World {
        app,
        admin,
        reviewer,
        officer,
        other_officer,
        district: first,
        campaign: c.id,
        own: ParticipantId(own.id),
    }
}

fn req(code: &str, value: &str, version: i32) -> SaveRequest {
    SaveRequest {
        indicator: code.into(),
        value: Some(value.into()),
        comment: None,
        version,
    }
}

impl World {
    pub(crate) async fn save(
        &self,
        who: &Principal,
        code: &str,
        value: &str,
        version: i32,
    ) -> SaveOutcome {
        submissions::save(
            &self.app.services.db,
            who,
            self.own,
            &req(code, value, version),
            Utc::now(),
        )
        .await
        .unwrap()
    }

    /// Answers every question of nis-districts@2020 that no feed locked
    /// and attaches the evidence it asks for.
    pub(crate) async fn fill_in(&self) {
        let db = &self.app.services.db;
        let form = submissions::form(db, &self.officer, self.own, Utc::now())
            .await
            .unwrap();
        for f in form.sections.iter().flat_map(|s| &s.fields) {
            let value = match f.kind.as_str() {
                "yes_no" => "ha",
                "percent" => "55,5 %",
                _ => "1 240",
            };
            let value = if f.range.is_some_and(|(_, max)| max < 1240.0) {
                "12"
            } else {
                value
            };
            if !f.locked {
                match self.save(&self.officer, &f.code, value, f.version).await {
                    SaveOutcome::Saved { .. } => {}
                    other => panic!("{}: {other:?}", f.code),
                }
            }
            if f.evidence_required {
                submissions::add_evidence(
                    db,
                    &self.officer,
                    self.own,
                    &f.code,
                    &EvidenceInput::Url("https://asaka.uz/report".into()),
                    Utc::now(),
                )
                .await
                .unwrap();
            }
        }
    }
}

#[tokio::test]
async fn bad_campaigns_are_refused_naming_the_field_and_nothing_is_created() {
    let w = world().await;
    let db = &w.app.services.db;
    let cases: Vec<(NewCampaign, &str)> = vec![
        (
            NewCampaign {
                period: "2025Q5".into(),
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "period",
        ),
        (
            NewCampaign {
                code: "Bad Code".into(),
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "code",
        ),
        (
            NewCampaign {
                deadline: day(-5),
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "deadline",
        ),
        (
            NewCampaign {
                methodology: "nis-districts@1999".into(),
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "methodology",
        ),
        (
            NewCampaign {
                methodology: "nis-bodies@2020".into(),
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "methodology",
        ),
        (
            NewCampaign {
                names: Names {
                    ru: " ".into(),
                    ..new_campaign("a", ParticipantPick::AllOfKind).names
                },
                ..new_campaign("a", ParticipantPick::AllOfKind)
            },
            "name_ru",
        ),
        (
            new_campaign("a", ParticipantPick::Codes(vec!["nonexistent".into()])),
            "participants",
        ),
        (
            new_campaign("a", ParticipantPick::Region("0000".into())),
            "participants",
        ),
    ];
    let before = entity::campaigns::Entity::find().count(db).await.unwrap();
    for (input, field) in cases {
        match campaigns::create(db, &w.admin, &input).await {
            Err(service::ServiceError::Invalid(e)) => assert_eq!(e.field, field, "{e}"),
            other => panic!("expected an error on {field}, got {other:?}"),
        }
    }
    assert!(matches!(
        campaigns::create(
            db,
            &w.reviewer,
            &new_campaign("b", ParticipantPick::AllOfKind)
        )
        .await,
        Err(service::ServiceError::Forbidden(_))
    ));
    assert_eq!(
        entity::campaigns::Entity::find().count(db).await.unwrap(),
        before
    );
    // A whole region's districts.
    let tashkent_region = entity::entities::Entity::find()
        .filter(entity::entities::Column::Kind.eq("region"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name_en.contains("Andijan"))
        .unwrap();
    let c = campaigns::create(
        db,
        &w.admin,
        &new_campaign("andijan", ParticipantPick::Region(tashkent_region.code)),
    )
    .await
    .unwrap();
    assert!(
        c.participants() >= 10,
        "Andijan region's districts: {}",
        c.participants()
    );
}

#[tokio::test]
async fn a_campaign_moves_forward_one_audited_step_at_a_time() {
    let w = world().await;
    let db = &w.app.services.db;
    // Opened by `world`; a stale "from" is a conflict and changes nothing.
    assert!(matches!(
        campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::Draft, None).await,
        Err(service::ServiceError::Conflict(_))
    ));
    let mut from = CampaignStatus::Open;
    while let Some(next) = from.next() {
        let c = campaigns::advance(db, &w.admin, w.campaign, from, Some("step"))
            .await
            .unwrap();
        assert_eq!(c.status, next);
        from = next;
    }
    assert!(
        campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::Final, None)
            .await
            .is_err()
    );
    let transitions = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("campaign.transition"))
        .filter(audit_log::Column::ObjectId.eq(w.campaign.0.to_string()))
        .count(db)
        .await
        .unwrap();
    assert_eq!(transitions, 6, "draft→open and five more");
    // Officers cannot move campaigns.
    assert!(matches!(
        campaigns::advance(db, &w.officer, w.campaign, CampaignStatus::Final, None).await,
        Err(service::ServiceError::Forbidden(_))
    ));
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_showing_both_versions_and_overwrites_nothing() {
    let w = world().await;
    let code = "INFRA.fibre_km";
    assert!(matches!(
        w.save(&w.officer, code, "100", 0).await,
        SaveOutcome::Saved { version: 1, .. }
    ));
    assert!(matches!(
        w.save(&w.officer, code, "120", 1).await,
        SaveOutcome::Saved { version: 2, .. }
    ));
    // A second tab still at version 1.
    match w.save(&w.officer, code, "999", 1).await {
        SaveOutcome::Conflict(domain::Conflict {
            yours,
            theirs,
            version,
            ..
        }) => {
            assert_eq!(yours.as_deref(), Some("999"));
            assert_eq!(theirs.as_deref(), Some("120"));
            assert_eq!(version, 2);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Choosing "use mine" saves from the version shown.
    assert!(matches!(
        w.save(&w.officer, code, "999", 2).await,
        SaveOutcome::Saved { version: 3, .. }
    ));
    let form = submissions::form(&w.app.services.db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let f = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.code == code)
        .unwrap();
    assert_eq!((f.value.as_deref(), f.version), (Some("999"), 3));
}

#[tokio::test]
async fn many_simultaneous_first_saves_of_one_value_store_exactly_one() {
    let w = world().await;
    let saves = (0..12).map(|i| {
        let value = format!("{}", 10 + i);
        let (db, who, own) = (w.app.services.db.clone(), w.officer.clone(), w.own);
        tokio::spawn(async move {
            submissions::save(
                &db,
                &who,
                own,
                &req("EDU.it_centres", &value, 0),
                Utc::now(),
            )
            .await
        })
    });
    let mut saved = 0;
    let mut conflicts = 0;
    for h in saves {
        match h.await.unwrap().unwrap() {
            SaveOutcome::Saved { .. } => saved += 1,
            SaveOutcome::Conflict(_) => conflicts += 1,
        }
    }
    assert_eq!((saved, conflicts), (1, 11));
    let rows = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(w.own.0))
        .filter(submission_values::Column::IndicatorCode.eq("EDU.it_centres"))
        .all(&w.app.services.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].version, 1);
}

/// The form reads a number the way its writer's language writes it, and
/// asks when `1,240` could mean either and the range allows the unusual
/// reading only; the stored answer is what the writer meant.
#[tokio::test]
async fn numbers_are_read_as_their_writer_meant_them() {
    let w = world().await;
    let db = &w.app.services.db;
    let stored = |code: &'static str| async move {
        let v = submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(w.own.0))
            .filter(submission_values::Column::IndicatorCode.eq(code))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        (v.value, v.version)
    };
    let mut en = w.officer.clone();
    en.locale = domain::Locale::En;
    let mut ru = w.officer.clone();
    ru.locale = domain::Locale::Ru;
    // (who, indicator, typed, stored JSON): fibre is 0–10,000 km, the
    // broadband share 0–100 %.
    let mut version = 0;
    for (who, typed, want) in [
        (&en, "1,240", r#"{"type":"number","value":1240.0}"#),
        (&ru, "1,240", r#"{"type":"number","value":1.24}"#),
        (&ru, "1 240,5 km", r#"{"type":"number","value":1240.5}"#),
        (&en, "−12.5", r#"{"type":"number","value":-12.5}"#),
    ] {
        let r = submissions::save(
            db,
            who,
            w.own,
            &req("INFRA.fibre_km", typed, version),
            Utc::now(),
        )
        .await
        .unwrap();
        assert!(
            matches!(r, domain::SaveOutcome::Saved { .. }),
            "{typed}: {r:?}"
        );
        let (value, v) = stored("INFRA.fibre_km").await;
        assert_eq!(value, want, "{typed} as {:?}", who.locale);
        version = v;
    }
    // 1,240 % is out of range in English; 1.24 % fits: ask, save nothing.
    let e = submissions::save(
        db,
        &en,
        w.own,
        &req("INFRA.social_broadband", "1,240", 0),
        Utc::now(),
    )
    .await
    .unwrap_err();
    match e.message() {
        domain::Msg::AmbiguousNumber {
            as_decimal,
            as_grouped,
            ..
        } => {
            assert_eq!((as_decimal, as_grouped), (1.24, 1240.0));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.message()
            .render(domain::Locale::Ru)
            .contains("1,24 или 1\u{a0}240")
    );
    // The choice the form sends back (`number::write_unambiguous`) is read
    // one way only.
    submissions::save(
        db,
        &en,
        w.own,
        &req("INFRA.social_broadband", "1.24", 0),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        stored("INFRA.social_broadband").await.0,
        r#"{"type":"number","value":1.24}"#
    );
}

#[tokio::test]
async fn only_the_entitys_officer_edits_and_bad_answers_say_what_is_wrong() {
    let w = world().await;
    let db = &w.app.services.db;
    for who in [&w.other_officer, &w.reviewer, &w.admin] {
        let r = submissions::save(db, who, w.own, &req("INFRA.fibre_km", "1", 0), Utc::now()).await;
        assert!(
            matches!(r, Err(service::ServiceError::Forbidden(_))),
            "{r:?}"
        );
    }
    assert!(matches!(
        submissions::form(db, &w.other_officer, w.own, Utc::now()).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    for (code, value, needle, ru) in [
        ("INFRA.fibre_km", "many", "not a number", "не число"),
        (
            "ECON.local_services",
            "maybe",
            "neither yes nor no",
            "не «да» и не «нет»",
        ),
        (
            "NOPE",
            "1",
            "Not found: indicator",
            "Не найдено: показатель",
        ),
    ] {
        let e = submissions::save(db, &w.officer, w.own, &req(code, value, 0), Utc::now())
            .await
            .unwrap_err();
        assert!(e.to_string().contains(needle), "{code}: {e}");
        assert!(
            e.message().render(domain::Locale::Ru).contains(ru),
            "{code}: {e}"
        );
    }
    assert_eq!(
        submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(w.own.0))
            .count(db)
            .await
            .unwrap(),
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn submission_is_blocked_by_hard_problems_then_review_returns_adjusts_and_approves() {
    let w = world().await;
    let db = &w.app.services.db;
    let now = Utc::now();
    // An out-of-range answer is reported as the officer types…
    match w.save(&w.officer, "INFRA.fixed_per100", "250", 0).await {
        SaveOutcome::Saved { issues, .. } => assert!(
            issues
                .iter()
                .any(|i| i.indicator == "INFRA.fixed_per100" && i.hard && i.code == "out_of_range"),
            "{issues:?}"
        ),
        other => panic!("{other:?}"),
    }
    // …and blocks submission, listing what is missing.
    let e = submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("INFRA.fixed_per100: Out of range (250 ∉ [0; 200])")
            && e.contains("EDU.teachers_ict: Answer required"),
        "{e}"
    );
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    // Read-only once submitted.
    assert!(matches!(
        submissions::submit(db, &w.officer, w.own, now).await,
        Err(service::ServiceError::Conflict(_))
    ));
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert!(!form.editable && form.status == SubmissionStatus::Submitted);
    assert!(matches!(
        submissions::save(db, &w.officer, w.own, &req("EDU.it_centres", "1", 9), now).await,
        Err(service::ServiceError::Conflict(_))
    ));
    // In the queue; officers cannot review.
    let queue = submissions::queue(db, &w.reviewer, &Default::default())
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].participant, w.own);
    assert!(
        submissions::queue(db, &w.officer, &Default::default())
            .await
            .is_err()
    );
    assert!(matches!(
        submissions::approve(db, &w.officer, w.own, now).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    // Reject needs a reason; adjust keeps the original beside the correction.
    assert!(
        submissions::review_value(
            db,
            &w.reviewer,
            w.own,
            &submissions::Verdict {
                indicator: "EDU.it_centres",
                action: ReviewAction::Reject,
                adjusted: None,
                reason: " "
            },
            now,
        )
        .await
        .is_err()
    );
    submissions::review_value(
        db,
        &w.reviewer,
        w.own,
        &submissions::Verdict {
            indicator: "EDU.it_centres",
            action: ReviewAction::Adjust,
            adjusted: Some("7"),
            reason: "the register lists 7",
        },
        now,
    )
    .await
    .unwrap();
    // Returning needs a reason, then the officer edits again and sees why.
    assert!(
        submissions::return_for_revision(db, &w.reviewer, w.own, "", now)
            .await
            .is_err()
    );
    submissions::return_for_revision(db, &w.reviewer, w.own, "fibre length looks low", now)
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert!(form.editable && form.status == SubmissionStatus::Returned);
    let returned = form.comments.iter().find(|c| c.action == "return").unwrap();
    assert_eq!(returned.body, "fibre length looks low");
    let adjusted = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.code == "EDU.it_centres")
        .unwrap();
    assert_eq!(
        (
            adjusted.value.as_deref(),
            adjusted.reviewed_value.as_deref()
        ),
        (Some("12"), Some("7"))
    );
    submissions::reply(
        db,
        &w.officer,
        w.own,
        returned.id,
        "measured again: 412 km",
        now,
    )
    .await
    .unwrap();
    let fibre = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.code == "INFRA.fibre_km")
        .unwrap();
    w.save(&w.officer, "INFRA.fibre_km", "412", fibre.version)
        .await;
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    // The reviewer's second look shows what changed since the first
    // submission, and only that.
    let second = submissions::form(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    let changed: Vec<(&str, Option<&str>)> = second
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .filter_map(|f| {
            f.since_submission
                .as_ref()
                .map(|e| (f.code.as_str(), e.value.as_deref()))
        })
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, "INFRA.fibre_km");
    assert_ne!(changed[0].1, Some("412"));
    submissions::approve(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert_eq!(form.status, SubmissionStatus::Approved);
    assert!(!form.editable);
    assert!(
        form.comments
            .iter()
            .any(|c| c.action == "reply" && c.parent == Some(returned.id))
    );
    // Every value has a verdict; the adjusted one kept its correction.
    let fields: Vec<_> = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| f.value.is_some())
        .collect();
    assert!(
        fields
            .iter()
            .all(|f| f.review != domain::ReviewStatus::Pending)
    );
    // The history tab tells who did what.
    let actions: Vec<&str> = form.history.iter().map(|h| h.action.as_str()).collect();
    for a in [
        "value.save",
        "evidence.add",
        "submission.submit",
        "value.review",
        "submission.return",
        "comment.reply",
        "submission.approve",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
}

#[tokio::test]
async fn a_two_level_round_goes_from_the_district_to_its_region_then_to_the_ministry() {
    // Only district rounds have regions to review them.
    let w0 = world().await;
    let e = campaigns::create(
        &w0.app.services.db,
        &w0.admin,
        &NewCampaign {
            kind: domain::EntityKind::StateBody,
            methodology: "nis-bodies@2022".into(),
            region_review: true,
            ..new_campaign("bodies-2l", ParticipantPick::AllOfKind)
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, service::ServiceError::Invalid(p) if p.field == "region_review"),
        "{e}"
    );

    let w = world_with(|c| c.region_review = true).await;
    let db = &w.app.services.db;
    let now = Utc::now();
    let region_of = |id: EntityId| {
        let db = db.clone();
        async move {
            EntityId(
                entity::entities::Entity::find_by_id(id.0)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .region_id
                    .expect("a district has a region"),
            )
        }
    };
    let region = region_of(w.district).await;
    let region_officer = principal(&w.app, "region@t.uz", Role::District, Some(region)).await;
    let elsewhere = entity::entities::Entity::find()
        .filter(entity::entities::Column::Kind.eq("region"))
        .filter(entity::entities::Column::Id.ne(region.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let other_region = principal(
        &w.app,
        "region2@t.uz",
        Role::District,
        Some(EntityId(elsewhere.id)),
    )
    .await;
    let cockpit = campaigns::cockpit(db, &w.admin, w.campaign, Utc::now())
        .await
        .unwrap();
    assert!(cockpit.campaign.region_review);

    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    let queue_of = |who: &Principal| {
        let (db, who) = (db.clone(), who.clone());
        async move {
            submissions::queue(&db, &who, &Default::default())
                .await
                .unwrap()
                .into_iter()
                .map(|i| (i.participant, i.status))
                .collect::<Vec<_>>()
        }
    };
    // It waits for its region: in that officer's queue only.
    assert_eq!(
        queue_of(&region_officer).await,
        [(w.own, SubmissionStatus::Submitted)]
    );
    assert!(queue_of(&w.reviewer).await.is_empty());
    assert!(queue_of(&other_region).await.is_empty());
    // The ministry sees it among everything past entry, but acts later.
    let all = submissions::queue(
        db,
        &w.reviewer,
        &domain::QueueFilter {
            all: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 1);
    assert!(matches!(
        submissions::approve(db, &w.reviewer, w.own, now).await,
        Err(service::ServiceError::Conflict(m)) if m.to_string().contains("region")
    ));
    assert!(matches!(
        submissions::approve(db, &other_region, w.own, now).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    assert!(
        !submissions::form(db, &w.reviewer, w.own, now)
            .await
            .unwrap()
            .reviewable
    );
    // The region reviews like a reviewer: comments, returns with a reason…
    assert!(
        submissions::form(db, &region_officer, w.own, now)
            .await
            .unwrap()
            .reviewable
    );
    submissions::review_value(
        db,
        &region_officer,
        w.own,
        &submissions::Verdict {
            indicator: "EDU.it_centres",
            action: ReviewAction::Comment,
            adjusted: None,
            reason: "which centres are these?",
        },
        now,
    )
    .await
    .unwrap();
    submissions::return_for_revision(db, &region_officer, w.own, "attach the register", now)
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert!(form.editable && form.status == SubmissionStatus::Returned);
    let question = form
        .comments
        .iter()
        .find(|c| c.indicator.as_deref() == Some("EDU.it_centres"))
        .unwrap();
    submissions::reply(
        db,
        &w.officer,
        w.own,
        question.id,
        "the 12 listed by the hokimiyat",
        now,
    )
    .await
    .unwrap();
    submissions::reply(db, &region_officer, w.own, question.id, "thank you", now)
        .await
        .unwrap();
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    // …and endorses: the work moves on to the ministry, still locked.
    submissions::approve(db, &region_officer, w.own, now)
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert_eq!(form.status, SubmissionStatus::Endorsed);
    assert!(!form.editable);
    assert!(
        form.sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter(|f| f.value.is_some())
            .all(|f| f.review == domain::ReviewStatus::Pending),
        "endorsing decides no value"
    );
    assert!(queue_of(&region_officer).await.is_empty());
    assert_eq!(
        queue_of(&w.reviewer).await,
        [(w.own, SubmissionStatus::Endorsed)]
    );
    assert!(matches!(
        submissions::approve(db, &region_officer, w.own, now).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    assert_eq!(
        campaigns::cockpit(db, &w.admin, w.campaign, Utc::now())
            .await
            .unwrap()
            .campaign
            .counts,
        [1, 0, 0, 1, 0, 0],
        "one not started, one endorsed"
    );
    // No provisional results while endorsed work waits for the ministry.
    for from in [CampaignStatus::Open, CampaignStatus::Closed] {
        campaigns::advance(db, &w.admin, w.campaign, from, None)
            .await
            .unwrap();
    }
    let e = campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::UnderReview, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("Still waiting for review: 1 submission."), "{e}");
    submissions::approve(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    assert_eq!(form.status, SubmissionStatus::Approved);
    campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::UnderReview, None)
        .await
        .unwrap();
    // Who did what, in order, on the history tab and in the audit log.
    let actions: Vec<&str> = form
        .history
        .iter()
        .filter(|h| h.action.starts_with("submission."))
        .map(|h| h.action.as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "submission.submit",
            "submission.return",
            "submission.submit",
            "submission.endorse",
            "submission.approve"
        ]
    );
    for (action, by) in [
        ("submission.endorse", &region_officer),
        ("submission.approve", &w.reviewer),
    ] {
        let row = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq(action))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.actor_id, Some(by.user.id.0), "{action}");
    }
}

#[tokio::test]
async fn past_the_deadline_only_an_extension_reopens_the_form_and_reminders_reach_officers() {
    let w = world().await;
    let db = &w.app.services.db;
    let later = Utc::now() + Duration::days(15);
    let e = submissions::save(db, &w.officer, w.own, &req("EDU.it_centres", "3", 0), later)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("deadline"), "{e}");
    assert!(
        campaigns::extend_deadline(db, &w.admin, w.own, &day(20), "  ")
            .await
            .is_err()
    );
    assert!(
        campaigns::extend_deadline(db, &w.officer, w.own, &day(20), "flood")
            .await
            .is_err()
    );
    campaigns::extend_deadline(db, &w.admin, w.own, &day(20), "power cut in the district")
        .await
        .unwrap();
    assert!(matches!(
        submissions::save(db, &w.officer, w.own, &req("EDU.it_centres", "3", 0), later)
            .await
            .unwrap(),
        SaveOutcome::Saved { .. }
    ));
    let cockpit = campaigns::cockpit(db, &w.admin, w.campaign, later)
        .await
        .unwrap();
    let own = cockpit
        .rows
        .iter()
        .find(|r| r.participant == w.own)
        .unwrap();
    assert!(own.extended && !own.overdue);
    assert_eq!(
        (own.status, own.answered),
        (SubmissionStatus::InProgress, 1)
    );
    let other = cockpit
        .rows
        .iter()
        .find(|r| r.participant != w.own)
        .unwrap();
    assert!(other.overdue, "the other district is overdue");
    assert!(
        campaigns::cockpit(db, &w.officer, w.campaign, later)
            .await
            .is_err()
    );
    // Reminders go to both officers (neither has submitted), in-app and by e-mail.
    assert_eq!(
        campaigns::remind(db, &w.admin, w.campaign).await.unwrap(),
        2
    );
    let inbox = campaigns::inbox(db, &w.officer).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(
        inbox[0].0.contains(&day(20)),
        "the extended deadline: {inbox:?}"
    );
    let due = campaigns::due_for(db, &w.officer).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].1, w.own);
    let _ = w.district;
}

#[tokio::test]
async fn a_conflict_comes_back_over_http_as_data_not_an_error() {
    let w = world().await;
    let token = w.app.bearer("officer@t.uz").await;
    let own = w.own.0.to_string();
    let save = |value: &'static str, version: &'static str| {
        let (app, token, own) = (&w.app, token.clone(), own.clone());
        async move {
            let r = app
                .server_fn(
                    "save_value",
                    Some(&token),
                    &[
                        ("id", &own),
                        ("indicator", "EDU.programmers"),
                        ("value", value),
                        ("version", version),
                    ],
                )
                .await;
            assert_eq!(r.status(), 200);
            r.json::<SaveOutcome>().await.unwrap()
        }
    };
    assert!(matches!(
        save("5", "0").await,
        SaveOutcome::Saved { version: 1, .. }
    ));
    assert!(matches!(
        save("6", "0").await,
        SaveOutcome::Conflict(domain::Conflict { version: 1, .. })
    ));
}

#[tokio::test]
async fn the_demo_opens_a_2024_round_prefilled_from_2023() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let admin = demo_principal(db, "admin@daraja.uz").await;
    let list = campaigns::list(db, &admin).await.unwrap();
    let open: Vec<_> = list
        .iter()
        .filter(|c| c.status == CampaignStatus::Open)
        .collect();
    assert_eq!(
        open.len(),
        2,
        "{:?}",
        list.iter().map(|c| (&c.code, c.status)).collect::<Vec<_>>()
    );
    // Tashkent city's officer has the UN LGQ to answer, every kind of
    // question in it.
    let tashkent = demo_principal(db, "tashkent@daraja.uz").await;
    let due = campaigns::due_for(db, &tashkent).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].0.code, "2024-lgq-tashkent");
    let lgq = submissions::form(db, &tashkent, due[0].1, Utc::now())
        .await
        .unwrap();
    assert!(lgq.editable);
    let kinds: std::collections::BTreeSet<&str> = lgq
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .map(|f| f.kind.as_str())
        .collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["checklist", "legal_act", "percent", "text", "url", "yes_no"]
    );
    let districts = open.iter().find(|c| c.code == "2024-districts").unwrap();
    // Every district assessed in 2024 (the registry has grown since 2020's 203).
    assert!(
        districts.participants() >= 203,
        "{}",
        districts.participants()
    );
    let prefilled = submission_values::Entity::find()
        .filter(submission_values::Column::Prefilled.eq(true))
        .count(db)
        .await
        .unwrap();
    assert!(prefilled > 203 * 10, "prefilled answers: {prefilled}");
    // The demo district officer's form opens, editable, with 2023's answers.
    let officer = demo_principal(db, "district@daraja.uz").await;
    let due = campaigns::due_for(db, &officer).await.unwrap();
    assert_eq!(due.len(), 1);
    let form = submissions::form(db, &officer, due[0].1, Utc::now())
        .await
        .unwrap();
    assert!(form.editable);
    let fields: Vec<_> = form.sections.iter().flat_map(|s| &s.fields).collect();
    assert!(fields.iter().filter(|f| f.prefilled).count() >= 10);
    // Each prefilled answer is shown beside last round's counted answer.
    for f in fields.iter().filter(|f| f.prefilled) {
        assert_eq!(f.previous, f.value, "{}", f.code);
    }
    // State bodies are past review: the demo CDO sees a provisional score
    // and rank against 2023, and may appeal.
    let cdo = demo_principal(db, "cdo@daraja.uz").await;
    let bodies = list.iter().find(|c| c.code == "2024-state-bodies").unwrap();
    assert_eq!(bodies.status, CampaignStatus::Provisional);
    let mine = entity::participants::Entity::find()
        .filter(entity::participants::Column::CampaignId.eq(bodies.id.0))
        .filter(
            entity::participants::Column::EntityId.eq(cdo.user.grants[0]
                .entity
                .as_ref()
                .unwrap()
                .id
                .0),
        )
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let p = submissions::form(db, &cdo, ParticipantId(mine.id), Utc::now())
        .await
        .unwrap()
        .provisional
        .unwrap();
    assert!(
        p.row.rank > 0 && p.row.change.is_some() && p.can_appeal,
        "{p:?}"
    );
    // Some districts already submitted: the queue has work.
    let reviewer = principal(&app, "rev2@t.uz", Role::Reviewer, None).await;
    assert!(
        !submissions::queue(db, &reviewer, &Default::default())
            .await
            .unwrap()
            .is_empty()
    );
}

/// A demo account's principal.
async fn demo_principal(db: &sea_orm::DatabaseConnection, email: &str) -> Principal {
    let user = entity::users::Entity::find()
        .filter(entity::users::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no demo account {email}"));
    service::scope::load_principal(db, domain::UserId(user.id), "t".into())
        .await
        .unwrap()
}

/// The value of `code` in a form, as text.
pub(crate) fn field<'a>(form: &'a domain::SubmissionForm, code: &str) -> &'a domain::FormField {
    form.sections
        .iter()
        .flat_map(|s| &s.fields)
        .find(|f| f.code == code)
        .unwrap()
}

fn invalid_field(e: service::ServiceError) -> String {
    match e {
        service::ServiceError::Invalid(p) => p.field.to_string(),
        other => panic!("want a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn provisional_results_take_appeals_that_rescore_then_publication_embargoes_corrects_and_retracts()
 {
    use domain::{AppealDecision, AppealStatus, NewAppeal, PublishRequest};
    use service::{appeals, ratings, results};
    let w = world().await;
    let db = &w.app.services.db;
    let now = Utc::now();
    let publisher = principal(&w.app, "publisher@t.uz", Role::Publisher, None).await;
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    // No results while review is pending, and no provisional step either.
    let mut from = CampaignStatus::Open;
    for _ in 0..2 {
        campaigns::advance(db, &w.admin, w.campaign, from, None)
            .await
            .unwrap();
        from = from.next().unwrap();
    }
    let e = campaigns::advance(db, &w.admin, w.campaign, from, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e.message(), domain::Msg::WaitingReview { n: 1 }),
        "{e}"
    );
    submissions::approve(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    campaigns::advance(db, &w.admin, w.campaign, from, None)
        .await
        .unwrap();

    // The approved entity is rated; the one that never submitted is listed
    // unrated and cannot appeal.
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    let p = form.provisional.clone().expect("provisional result");
    assert_eq!((p.row.rank, p.rated), (1, 1));
    assert!(p.can_appeal && p.appeals.is_empty());
    let before = p.row.index.expect("an index");
    let other = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(w.campaign.0))
        .filter(participants::Column::Id.ne(w.own.0))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let theirs = submissions::form(db, &w.other_officer, ParticipantId(other.id), now)
        .await
        .unwrap()
        .provisional
        .unwrap();
    assert_eq!((theirs.row.rank, theirs.row.index), (0, None));
    assert!(!theirs.can_appeal);

    // Bad appeals name the field and store nothing.
    let code = "INFRA.social_broadband";
    let appeal =
        |indicator: Option<&str>, body: &str, proposed: Option<&str>, url: Option<&str>| {
            NewAppeal {
                indicator: indicator.map(Into::into),
                body: body.into(),
                proposed: proposed.map(Into::into),
                evidence_url: url.map(Into::into),
            }
        };
    for (bad, field_name) in [
        (appeal(Some(code), "  ", None, None), "body"),
        (appeal(None, "too low", Some("95"), None), "proposed"),
        (appeal(Some(code), "too low", Some("lots"), None), "value"),
        (appeal(Some("NOPE"), "too low", None, None), "indicator"),
        (
            appeal(Some(code), "too low", Some("95"), Some("ftp://x")),
            "evidence_url",
        ),
    ] {
        let e = appeals::file(db, &w.officer, w.own, &bad, now)
            .await
            .unwrap_err();
        assert_eq!(invalid_field(e), field_name);
    }
    assert!(matches!(
        appeals::file(
            db,
            &w.other_officer,
            w.own,
            &appeal(None, "x", None, None),
            now
        )
        .await,
        Err(service::ServiceError::Forbidden(_))
    ));
    let filed = appeals::file(
        db,
        &w.officer,
        w.own,
        &appeal(
            Some(code),
            "The 2024 census of social facilities shows 95 %",
            Some("95 %"),
            Some("https://asaka.uz/census"),
        ),
        now,
    )
    .await
    .unwrap();
    assert_eq!(filed.status, AppealStatus::Pending);
    assert_eq!(filed.current.as_deref(), Some("12"));
    assert_eq!(filed.proposed.as_deref(), Some("95"));
    // The ministry's dashboard counts it.
    let pulse = campaigns::pulse(db, &w.admin, now.date_naive())
        .await
        .unwrap();
    let this = pulse.iter().find(|p| p.campaign.id == w.campaign).unwrap();
    assert_eq!(this.appeals_pending, 1);

    // The window moves on, but the campaign cannot become final with an
    // appeal undecided; officers cannot decide appeals.
    campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::Provisional, None)
        .await
        .unwrap();
    let e = campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::Appeals, None)
        .await
        .unwrap_err();
    assert!(
        matches!(e.message(), domain::Msg::AppealsOpen { n: 1 }),
        "{e}"
    );
    let upheld = |value: Option<&str>, outcome: &str| AppealDecision {
        status: AppealStatus::Upheld,
        outcome: outcome.into(),
        value: value.map(Into::into),
    };
    assert!(matches!(
        appeals::resolve(db, &w.officer, filed.id, &upheld(Some("95"), "ok"), now).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    let e = appeals::resolve(db, &w.reviewer, filed.id, &upheld(Some("95"), " "), now)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "outcome");
    let reject_with_value = AppealDecision {
        status: AppealStatus::Rejected,
        outcome: "no".into(),
        value: Some("95".into()),
    };
    let e = appeals::resolve(db, &w.reviewer, filed.id, &reject_with_value, now)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "value");
    appeals::resolve(
        db,
        &w.reviewer,
        filed.id,
        &upheld(Some("95"), "Census checked: 95 % is right"),
        now,
    )
    .await
    .unwrap();
    assert!(matches!(
        appeals::resolve(db, &w.reviewer, filed.id, &upheld(None, "again"), now).await,
        Err(service::ServiceError::Conflict(_))
    ));
    // Upheld: the value counts, the officer's answer is kept, the entity
    // is re-scored, and the history tells the story.
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    let f = field(&form, code);
    assert_eq!(
        (f.value.as_deref(), f.reviewed_value.as_deref()),
        (Some("12"), Some("95"))
    );
    let p = form.provisional.clone().unwrap();
    let after = p.row.index.unwrap();
    assert!(after > before, "{before} → {after}");
    assert_eq!(p.appeals[0].status, AppealStatus::Upheld);
    assert_eq!(
        p.appeals[0].outcome.as_deref(),
        Some("Census checked: 95 % is right")
    );
    let actions: Vec<&str> = form.history.iter().map(|h| h.action.as_str()).collect();
    assert!(actions.contains(&"appeal.file") && actions.contains(&"appeal.resolve"));

    // Publication: only final results, only by a publisher, embargo ahead.
    let first = PublishRequest::default();
    assert!(matches!(
        results::publish(db, &publisher, w.campaign, &first, now).await,
        Err(service::ServiceError::Conflict(_))
    ));
    campaigns::advance(db, &w.admin, w.campaign, CampaignStatus::Appeals, None)
        .await
        .unwrap();
    assert!(matches!(
        appeals::file(
            db,
            &w.officer,
            w.own,
            &appeal(None, "late", None, None),
            now
        )
        .await,
        Err(service::ServiceError::Conflict(_))
    ));
    assert!(matches!(
        results::publish(db, &w.reviewer, w.campaign, &first, now).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    // Nominations: the highest domain score unless the publisher chooses
    // another nominee, with a reason; the publication carries them.
    let draft = results::campaign_results(db, &publisher, w.campaign)
        .await
        .unwrap()
        .league;
    assert_eq!(draft.nominations.len(), draft.domains.len());
    assert!(
        draft
            .nominations
            .iter()
            .all(|n| !n.chosen && n.entities.len() == 1)
    );
    let domain_code = draft.domains[0].code.clone();
    let best = draft.nominations[0].entities[0].id;
    let other = draft
        .rows
        .iter()
        .find(|r| r.rank > 0 && r.entity.id != best)
        .map_or(best, |r| r.entity.id);
    async fn nominate(
        db: &sea_orm::DatabaseConnection,
        who: &Principal,
        c: CampaignId,
        (domain, entity, note): (&str, i32, &str),
    ) -> Result<(), service::ServiceError> {
        results::nominate(db, who, c, domain, Some(entity), note, Utc::now()).await
    }
    assert!(matches!(
        nominate(db, &w.reviewer, w.campaign, (&domain_code, other.0, "why")).await,
        Err(service::ServiceError::Forbidden(_))
    ));
    for (domain, entity, note, field) in [
        (domain_code.as_str(), other.0, " ", "note"),
        ("NOPE", other.0, "why", "domain"),
        (domain_code.as_str(), 999_999, "why", "entity"),
    ] {
        let e = nominate(db, &publisher, w.campaign, (domain, entity, note))
            .await
            .unwrap_err();
        assert_eq!(invalid_field(e), field);
    }
    let why = "Best new service of the year";
    nominate(db, &publisher, w.campaign, (&domain_code, other.0, why))
        .await
        .unwrap();
    let draft = results::campaign_results(db, &publisher, w.campaign)
        .await
        .unwrap()
        .league;
    let chosen = draft
        .nominations
        .iter()
        .find(|n| n.domain == domain_code)
        .unwrap()
        .clone();
    assert!(chosen.chosen);
    assert_eq!(chosen.entities[0].id, other);
    assert_eq!(chosen.note.as_deref(), Some("Best new service of the year"));
    let tashkent = |t: chrono::DateTime<Utc>| {
        (t + Duration::hours(5))
            .naive_utc()
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let past = PublishRequest {
        embargo_until: Some(tashkent(now - Duration::hours(1))),
        ..Default::default()
    };
    let e = results::publish(db, &publisher, w.campaign, &past, now)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "embargo_until");
    let embargoed = PublishRequest {
        embargo_until: Some(tashkent(now + Duration::days(1))),
        ..Default::default()
    };
    let r1 = results::publish(db, &publisher, w.campaign, &embargoed, now)
        .await
        .unwrap();
    let kind = domain::EntityKind::District;
    let visible = |at| ratings::public_league(db, kind, Some("t-2025"), None, at);
    assert!(visible(now).await.unwrap().is_none(), "embargoed");
    let (league, _) = visible(now + Duration::days(2)).await.unwrap().unwrap();
    assert_eq!(league.snapshot_id, r1.0);
    let own_row = |l: &domain::PublishedLeague| {
        l.payload
            .rows
            .iter()
            .find(|r| r.entity.id == w.district)
            .unwrap()
            .clone()
    };
    assert_eq!(own_row(&league).index, Some(after));
    assert!(league.payload.nominations.contains(&chosen), "published");
    // The workbook lists the publisher's nominee, with its entity code.
    let book = service::downloads::national_workbook(
        db,
        "t-2025",
        None,
        exports::Lang::En,
        now + Duration::days(2),
    )
    .await
    .unwrap();
    let mut xlsx: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(book.bytes)).unwrap();
    let summary = calamine::Reader::worksheet_range(&mut xlsx, "Summary").unwrap();
    assert!(
        summary
            .cells()
            .any(|(_, _, d)| *d == calamine::Data::String(chosen.entities[0].code.clone())),
        "nominee's code on the summary sheet"
    );
    assert!(
        own_row(&league).rank_p05 >= 1,
        "rank intervals are published"
    );
    // Republishing the same results is refused; a correction needs its line.
    let again = PublishRequest {
        changelog: "again".into(),
        ..Default::default()
    };
    assert!(matches!(
        results::publish(db, &publisher, w.campaign, &again, now).await,
        Err(service::ServiceError::Conflict(_))
    ));
    let e = results::publish(db, &publisher, w.campaign, &first, now)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "changelog");

    // A reviewer corrects one value of the final results; the correction is
    // a new revision and the first one is unchanged.
    let form = submissions::form(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    assert!(form.correctable && !form.reviewable);
    submissions::review_value(
        db,
        &w.reviewer,
        w.own,
        &submissions::Verdict {
            indicator: code,
            action: ReviewAction::Adjust,
            adjusted: Some("80"),
            reason: "the census counts clinics twice",
        },
        now,
    )
    .await
    .unwrap();
    let stored_r1 = entity::rating_snapshots::Entity::find_by_id(r1.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let correction = PublishRequest {
        changelog: "Social facilities corrected to 80 %".into(),
        ..Default::default()
    };
    let r2 = results::publish(db, &publisher, w.campaign, &correction, now)
        .await
        .unwrap();
    let rows = entity::rating_snapshots::Entity::find()
        .filter(entity::rating_snapshots::Column::CampaignId.eq(w.campaign.0))
        .all(db)
        .await
        .unwrap();
    let r1_now = rows.iter().find(|r| r.id == r1.0).unwrap();
    let r2_row = rows.iter().find(|r| r.id == r2.0).unwrap();
    assert_eq!(r1_now, &stored_r1, "a published revision never changes");
    assert!(ratings::verify(r1_now) && ratings::verify(r2_row));
    assert_eq!((r2_row.revision, r2_row.supersedes_id), (2, Some(r1.0)));
    let (league, _) = visible(now).await.unwrap().unwrap();
    assert_eq!(league.revision, 2);
    let corrected = own_row(&league).index.unwrap();
    assert!(before < corrected && corrected < after);
    // A retraction is a revision too, and takes the league off the pages.
    let retract = PublishRequest {
        changelog: "Withdrawn pending an audit".into(),
        retract: true,
        ..Default::default()
    };
    results::publish(db, &publisher, w.campaign, &retract, now)
        .await
        .unwrap();
    assert!(visible(now).await.unwrap().is_none());
    // Every revision stays readable at its own address, with the changelog.
    let later = now + Duration::days(2);
    let (first_revision, _) = ratings::public_league(db, kind, Some("t-2025"), Some(1), later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first_revision.revision, 1);
    let notes: Vec<(i32, &str)> = first_revision
        .changelog
        .iter()
        .map(|n| (n.revision, n.text.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (3, "Withdrawn pending an audit"),
            (2, "Social facilities corrected to 80 %"),
            (1, "First publication")
        ]
    );
    let cr = results::campaign_results(db, &publisher, w.campaign)
        .await
        .unwrap();
    let statuses: Vec<(i32, &str)> = cr
        .revisions
        .iter()
        .map(|r| (r.revision, r.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [(3, "retracted"), (2, "published"), (1, "published")]
    );
    assert!(cr.can_publish && !cr.can_resolve);
}

#[tokio::test]
async fn evidence_files_are_sniffed_stored_by_checksum_and_served_only_to_readers() {
    use reqwest::multipart::{Form, Part};
    let w = world().await;
    let app = &w.app;
    let officer = app.bearer("officer@t.uz").await;
    let other = app.bearer("other@t.uz").await;
    let url = format!("{}/files/submissions/{}/evidence", app.base, w.own.0);
    let form = |name: &str, bytes: &[u8]| {
        Form::new()
            .text("indicator", "INFRA.social_broadband")
            .part(
                "file",
                Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
            )
    };
    let post = |token: &str, f: Form, json: bool| {
        let mut r = app.http.post(&url).bearer_auth(token).multipart(f);
        if json {
            r = r.header("accept", "application/json");
        }
        r.send()
    };
    // A script named like a PDF is refused, naming the field; nothing stored.
    let r = post(
        &officer,
        form("report.pdf", b"<script>alert(1)</script>"),
        true,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/file", "{body}");
    // Without JSON the form gets its error back on the page.
    let r = post(&officer, form("x.exe", b"MZ\x90\x00"), false)
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.contains("upload_error="), "{to}");
    // Another entity's officer cannot attach to this submission.
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
    let r = post(&other, form("a.pdf", pdf), true).await.unwrap();
    assert_eq!(r.status(), 403);
    let r = post(&officer, form("../../Hisobot 2024.pdf", pdf), true)
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let db = &app.services.db;
    let form_now = submissions::form(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let ev = &field(&form_now, "INFRA.social_broadband").evidence;
    assert_eq!(ev.len(), 1);
    let sha = service::ratings::sha256_hex(pdf);
    assert_eq!(
        (
            ev[0].kind.as_str(),
            ev[0].label.as_str(),
            ev[0].sha256.as_deref()
        ),
        ("file", "Hisobot 2024.pdf", Some(sha.as_str()))
    );
    let row = entity::evidence::Entity::find_by_id(ev[0].id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.storage_key.as_deref(),
        Some(service::files::key_of(&sha).as_str()),
        "stored under a generated name"
    );
    // Served as an attachment to readers of the submission only.
    let link = ev[0].url.clone().unwrap();
    let r = app.get(&link, Some(&officer)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cd.starts_with("attachment;") && cd.contains("Hisobot%202024.pdf"),
        "{cd}"
    );
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf);
    let reviewer = app.bearer("reviewer@t.uz").await;
    assert_eq!(app.get(&link, Some(&reviewer)).await.status(), 200);
    assert_eq!(app.get(&link, Some(&other)).await.status(), 403);
    assert_eq!(app.get(&link, None).await.status(), 401);
    // The history records the upload with its checksum.
    assert!(form_now.history.iter().any(
        |h| h.action == "evidence.add" && h.after.as_deref().is_some_and(|a| a.contains(&sha))
    ));
}

#[tokio::test]
async fn the_ministry_dashboard_counts_progress_late_work_and_appeals() {
    let w = world().await;
    let db = &w.app.services.db;
    let today = Utc::now().date_naive();
    let pulse = campaigns::pulse(db, &w.admin, today).await.unwrap();
    let mine = pulse
        .iter()
        .find(|p| p.campaign.id == w.campaign)
        .expect("the open campaign is listed");
    assert_eq!(mine.campaign.participants(), 2);
    assert_eq!((mine.overdue, mine.appeals_pending), (0, 0));
    // A month on, neither district has submitted: both are late.
    let later = campaigns::pulse(db, &w.reviewer, today + Duration::days(30))
        .await
        .unwrap();
    let mine = later.iter().find(|p| p.campaign.id == w.campaign).unwrap();
    assert_eq!(mine.overdue, 2);
    // Officers have their own page, not this one.
    assert!(matches!(
        campaigns::pulse(db, &w.officer, today).await,
        Err(service::ServiceError::Forbidden(_))
    ));
}
