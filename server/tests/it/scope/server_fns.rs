//! The `#[server]` functions outside district rounds' own cells: the
//! public reads, the session, administration and the registry, campaigns,
//! state-body submissions of the CDO's own and another organization,
//! review, results, appeals and methodology proposals.
//!
//! Consuming calls get an object of each caller's own (`Cell::each`):
//! users, grants, entities, tokens, evidence, campaigns in draft, submitted
//! districts, final rounds and appeals, made in setup below.

use super::world::{PDF, World, answer, day, template_upload};
use super::*;
use crate::helpers::PASSWORD;
use chrono::Utc;
use domain::{CampaignStatus, EntityKind, ParticipantId, Role, UserId};
use service::submissions::{self, Verdict};

/// `f(who)` for every caller, collected by caller.
async fn per_caller<T, F: std::future::Future<Output = T>>(
    f: impl Fn(&'static str) -> F,
) -> HashMap<&'static str, T> {
    let mut out = HashMap::new();
    for &who in CALLERS {
        out.insert(who, f(who).await);
    }
    out
}

/// The fields of the registry's entity form for a state body `code`.
fn entity_form(extra: &[(&str, &str)], code: &str, name: &str) -> Body {
    let mut f = extra.to_vec();
    f.extend([
        ("form[kind]", "state_body"),
        ("form[subkind]", "agency"),
        ("form[code]", code),
        ("form[tin]", ""),
        ("form[name_uz_latn]", name),
        ("form[name_uz_cyrl]", "Синов"),
        ("form[name_ru]", "Тест"),
        ("form[name_en]", "Test"),
        ("form[parent_code]", ""),
        ("form[website]", ""),
        ("form[valid_from]", "2020-01-01"),
        ("form[valid_to]", ""),
        ("form[reason]", "scope matrix"),
    ]);
    form(&f)
}

pub async fn cells(w: &World) -> Vec<Cell> {
    let mut cells = public_and_account(w).await;
    cells.extend(admin(w).await);
    cells.extend(campaigns(w).await);
    cells.extend(review_and_results(w).await);
    cells
}

async fn public_and_account(w: &World) -> Vec<Cell> {
    let (own, other) = (w.own_org.0.to_string(), w.other_org.0.to_string());
    let (d0, region) = (w.d0.0.to_string(), w.region.0.to_string());
    let methodology = service::methodologies::list(w.db()).await.unwrap()[0]
        .id
        .to_string();
    // A user of each caller's role whose password changes: changing it
    // ends every session of the user, the caller's own included.
    let mut sessions = HashMap::new();
    for (who, token) in &w.callers {
        if token.is_some() {
            let email = format!("pw-{who}@test.uz");
            let p = w.p(who);
            let grant = &p.user.grants[0];
            w.app
                .user_with(&email, grant.role, grant.entity.as_ref().map(|e| e.id))
                .await;
            sessions.insert(*who, Some(w.app.bearer(&email).await));
        } else {
            sessions.insert(*who, None);
        }
    }
    vec![
        Cell::call("whoami", EVERYONE, form(&[])),
        Cell::call(
            "search_registry",
            EVERYONE,
            form(&[
                ("query[q]", "Toshkent"),
                ("query[include_retired]", "false"),
                ("query[page]", "0"),
            ]),
        ),
        Cell::call("get_entity", EVERYONE, form(&[("id", &own)])),
        Cell::call("get_entity", EVERYONE, form(&[("id", &other)])),
        Cell::call("registry_counts", EVERYONE, form(&[])),
        Cell::call("latest_ratings", EVERYONE, form(&[])),
        Cell::call("list_methodologies", EVERYONE, form(&[])),
        Cell::call("get_methodology", EVERYONE, form(&[("id", &methodology)])),
        Cell::call("league", EVERYONE, form(&[("kind", "district")])),
        Cell::call("what_if_base", EVERYONE, form(&[("kind", "district")])),
        Cell::call("entity_profile", EVERYONE, form(&[("id", &d0)])),
        Cell::call("region_profile", EVERYONE, form(&[("id", &region)])),
        Cell::call("region_map", EVERYONE, form(&[])),
        Cell::call("api_reference", EVERYONE, form(&[])),
        // A browser's form post is redirected back; asked for JSON, 200.
        Cell::call("set_language", EVERYONE, form(&[("lang", "ru")])),
        Cell::call(
            "change_password",
            SIGNED_IN,
            form(&[("current", PASSWORD), ("new", "another long one 456")]),
        )
        .sessions(sessions),
    ]
}

async fn admin(w: &World) -> Vec<Cell> {
    let db = w.db();
    let admin = w.p("admin");
    // Per caller: a user without grants, a grant to revoke, an entity to
    // edit and retire, an integration token to revoke.
    let targets = per_caller(|who| async move {
        let email = service::users::Email::parse(&format!("target-{who}@test.uz")).unwrap();
        let u = service::users::insert_user(db, &email, "Target", PASSWORD)
            .await
            .unwrap();
        UserId(u.id)
    })
    .await;
    let grants = per_caller(|who| {
        let user = targets[who];
        async move {
            service::users::insert_grant(db, user, Role::Viewer, None, None)
                .await
                .unwrap()
        }
    })
    .await;
    let entities = per_caller(|who| async move {
        service::registry::create(
            db,
            admin,
            &domain::EntityInput {
                kind: EntityKind::StateBody,
                subkind: "agency".into(),
                code: format!("scope-{who}"),
                tin: None,
                names: domain::Names {
                    uz_latn: "Sinov".into(),
                    uz_cyrl: "Синов".into(),
                    ru: "Тест".into(),
                    en: "Test".into(),
                },
                parent_id: None,
                website: None,
                valid_from: "2020-01-01".into(),
                valid_to: None,
            },
        )
        .await
        .unwrap()
    })
    .await;
    let d0 = w.code(w.d0).await;
    let tokens = per_caller(|who| {
        let d0 = d0.clone();
        async move {
            let new = domain::NewApiToken {
                name: format!("to revoke by {who}"),
                source_system: "stat.uz".into(),
                indicators: vec!["INFRA.fibre_km".into()],
                entities: vec![d0],
                expires_on: day(30),
                locked_indicators: vec![],
            };
            service::feeds::issue(db, admin, &new, Utc::now())
                .await
                .unwrap()
                .token
                .id
        }
    })
    .await;
    // An officer's request names the entity they speak for; everyone
    // else's a fresh entity of their own.
    let (own, d0_id, region) = (w.own_org, w.d0, w.region);
    let entity_of = move |who: &str| match who {
        "cdo" => own,
        "district" => d0_id,
        "region" => region,
        _ => entities[who],
    };
    let entity_of = std::rc::Rc::new(entity_of);
    let target = move |who: &str| targets[who].0.to_string();
    let target = std::rc::Rc::new(target);
    let (t1, t2, t3) = (target.clone(), target.clone(), target);
    let (e1, e2) = (entity_of.clone(), entity_of);
    vec![
        Cell::call("list_users", ADMIN, form(&[])),
        Cell::call("list_audit", ADMIN, form(&[("page", "0")])),
        Cell::each("create_user", ADMIN, |who| {
            form(&[
                ("email", &format!("new-{who}@test.uz")),
                ("display_name", "New"),
                ("password", "long enough 123"),
            ])
        }),
        Cell::each("grant_role", ADMIN, move |who| {
            form(&[
                ("user_id", &t1(who)),
                ("role", "publisher"),
                ("entity_code", ""),
            ])
        }),
        Cell::each("reset_password", ADMIN, move |who| {
            form(&[("user_id", &t2(who)), ("password", "long enough 123")])
        }),
        Cell::each("set_user_active", ADMIN, move |who| {
            form(&[("user_id", &t3(who)), ("active", "true")])
        }),
        Cell::each("revoke_grant", ADMIN, move |who| {
            form(&[("grant_id", &grants[who].to_string())])
        }),
        // A browser is redirected to the entity's page; JSON gets 200.
        Cell::each("update_entity", ADMIN, move |who| {
            let id = e1(who).0.to_string();
            entity_form(&[("id", &id)], &format!("scope-{who}"), "Yangi nom")
        }),
        Cell::each("retire_entity", ADMIN, move |who| {
            form(&[
                ("id", &e2(who).0.to_string()),
                ("valid_to", "2099-01-01"),
                ("reason", "scope matrix"),
            ])
        }),
        Cell::each("create_entity", ADMIN, |who| {
            entity_form(&[], &format!("scope-new-{who}"), "Sinov")
        }),
        Cell::call("list_api_tokens", ADMIN, form(&[])),
        Cell::call(
            "issue_api_token",
            ADMIN,
            form(&[
                ("name", "Nightly"),
                ("source_system", "stat.uz"),
                ("indicators", "INFRA.fibre_km"),
                ("entities", &d0),
                ("expires_on", &day(30)),
                ("locked_indicators", ""),
            ]),
        ),
        Cell::each("revoke_api_token", ADMIN, move |who| {
            form(&[("id", &tokens[who].to_string())])
        }),
    ]
}

/// Readers of the CDO's own organization's submissions.
const READERS_OF_OWN: &[&str] = &[
    "admin",
    "methodologist",
    "reviewer",
    "publisher",
    "viewer",
    "cdo",
];

async fn campaigns(w: &World) -> Vec<Cell> {
    let db = w.db();
    // An open state-body round of the own and another organization.
    let (a, parts) = w
        .round(
            "scope-open",
            EntityKind::StateBody,
            &[w.own_org, w.other_org],
            false,
        )
        .await;
    let (own, other) = (parts[0], parts[1]);
    let q = w.first_question(own).await;
    let report = |who: &'static str, id: ParticipantId| async move {
        let bytes = w.template(id).await;
        let file = service::workbooks::Uploaded {
            name: "template.xlsx",
            bytes: &bytes,
        };
        service::workbooks::import(db, w.p(who), id, file, true, Utc::now())
            .await
            .unwrap()
            .id
            .to_string()
    };
    let (own_report, other_report) = (report("cdo", own).await, report("other-cdo", other).await);
    let (own_template, other_template) = (w.template(own).await, w.template(other).await);
    let file = |who: &'static str, id: ParticipantId| {
        let code = q.code.clone();
        async move {
            let upload = submissions::Upload {
                name: "report.pdf",
                bytes: PDF,
            };
            let files = w.app.services.files.as_ref();
            submissions::add_file(db, files, w.p(who), id, &code, &upload, Utc::now())
                .await
                .unwrap()
                .id
                .to_string()
        }
    };
    let (own_file, other_file) = (file("cdo", own).await, file("other-cdo", other).await);
    let mut evidence = HashMap::new();
    for who in CALLERS {
        evidence.insert(*who, w.evidence(own).await.to_string());
    }
    // A round to submit in: both organizations' forms complete.
    let (_, sub) = w
        .round(
            "scope-submit",
            EntityKind::StateBody,
            &[w.own_org, w.other_org],
            false,
        )
        .await;
    for p in &sub {
        w.fill_in(*p).await;
    }
    // Rounds in draft to open, one per manager.
    let (g1, _) = w
        .draft("scope-draft-1", EntityKind::District, &[w.d0], false)
        .await;
    let (g2, _) = w
        .draft("scope-draft-2", EntityKind::District, &[w.d0], false)
        .await;
    let d0 = w.code(w.d0).await;
    let (a, own, other) = (a.0.to_string(), own.0.to_string(), other.0.to_string());
    let (s_own, s_other) = (sub[0].0.to_string(), sub[1].0.to_string());
    let value = answer(&q);
    let version = q.version.to_string();
    let ev = |id: &str| {
        form(&[
            ("id", id),
            ("indicator", &q.code),
            ("url", "https://example.uz/evidence"),
        ])
    };
    let save = |id: &str| {
        form(&[
            ("id", id),
            ("indicator", &q.code),
            ("value", &value),
            ("version", &version),
        ])
    };
    let extend_own = own.clone();
    let (own_code, other_code) = (w.code(w.own_org).await, w.code(w.other_org).await);
    let push = |entity: &str| {
        Body::Json(serde_json::json!({
            "campaign": "scope-open",
            "entity": entity,
            "values": [{"indicator": q.code, "value": value}],
        }))
    };
    vec![
        Cell::call("list_campaigns", SIGNED_IN, form(&[])),
        Cell::call("my_work", SIGNED_IN, form(&[])),
        Cell::call("my_region_rounds", SIGNED_IN, form(&[])),
        Cell::call("campaign_pulse", MINISTRY_AND_VIEWER, form(&[])),
        Cell::call("campaign_cockpit", MINISTRY_AND_VIEWER, form(&[("id", &a)])),
        Cell::call("submission_form", READERS_OF_OWN, form(&[("id", &own)])),
        Cell::call(
            "submission_form",
            MINISTRY_AND_VIEWER,
            form(&[("id", &other)]),
        ),
        Cell::call("save_value", &["cdo"], save(&own)),
        Cell::call("save_value", NOBODY, save(&other)),
        Cell::call("add_evidence", &["cdo"], ev(&own)),
        Cell::call("add_evidence", NOBODY, ev(&other)),
        Cell::each("remove_evidence", &["cdo"], move |who| {
            form(&[("evidence", &evidence[who])])
        }),
        Cell::call(
            "import_report",
            READERS_OF_OWN,
            form(&[("id", &own), ("report", &own_report)]),
        ),
        Cell::call(
            "import_report",
            MINISTRY_AND_VIEWER,
            form(&[("id", &other), ("report", &other_report)]),
        ),
        Cell::call("submit_submission", &["cdo"], form(&[("id", &s_own)])),
        Cell::call("submit_submission", NOBODY, form(&[("id", &s_other)])),
        // A browser is redirected to the new cockpit; JSON gets 200.
        Cell::each("create_campaign", MANAGERS, move |who| {
            form(&[
                ("form[code]", &format!("scope-new-{who}")),
                ("form[period]", "2025"),
                ("form[kind]", "district"),
                ("form[methodology]", "nis-districts@2020"),
                ("form[name_uz_latn]", "Sinov"),
                ("form[name_uz_cyrl]", "Синов"),
                ("form[name_ru]", "Тест"),
                ("form[name_en]", "Test"),
                ("form[opens_on]", &day(-1)),
                ("form[deadline]", &day(30)),
                ("form[review_deadline]", &day(40)),
                ("form[appeal_until]", &day(50)),
                ("form[pick]", "codes"),
                ("form[region]", ""),
                ("form[codes]", &d0),
            ])
        }),
        // Each manager extends to a later day than the one before.
        Cell::each("extend_deadline", MANAGERS, move |who| {
            let until = day(if who == "methodologist" { 32 } else { 31 });
            form(&[
                ("participant", &extend_own),
                ("until", &until),
                ("reason", "scope matrix"),
            ])
        }),
        Cell::call("remind", MANAGERS, form(&[("id", &a)])),
        Cell::each("advance_campaign", MANAGERS, move |who| {
            let c = if who == "methodologist" { g2 } else { g1 };
            form(&[("id", &c.0.to_string()), ("from", "draft")])
        }),
        Cell::call(
            "review_queue",
            &["admin", "methodologist", "reviewer", "publisher", "region"],
            form(&[
                ("filter[flagged]", "false"),
                ("filter[late]", "false"),
                ("filter[all]", "true"),
            ]),
        ),
        // A person's feed push (checked only): the officer of the entity.
        Cell::route("POST /api/v1/values", &[], &["cdo"], push(&own_code)).query("dryRun=true"),
        Cell::route("POST /api/v1/values", &[], NOBODY, push(&other_code)).query("dryRun=true"),
        // The form's files: evidence uploads for its officer only (asked
        // for JSON: a browser gets a redirect back to the form), the
        // template for its readers, its upload (checked only) for its
        // officer, stored evidence for its readers.
        Cell::route(
            "POST /files/submissions/{id}/evidence",
            &[("id", own.clone())],
            &["cdo"],
            upload(&q.code),
        ),
        Cell::route(
            "POST /files/submissions/{id}/evidence",
            &[("id", other.clone())],
            NOBODY,
            upload(&q.code),
        ),
        Cell::route(
            "GET /files/submissions/{id}/template",
            &[("id", own.clone())],
            READERS_OF_OWN,
            Body::Empty,
        ),
        Cell::route(
            "GET /files/submissions/{id}/template",
            &[("id", other.clone())],
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
        Cell::route(
            "POST /files/submissions/{id}/template",
            &[("id", own)],
            &["cdo"],
            template_upload(own_template),
        ),
        Cell::route(
            "POST /files/submissions/{id}/template",
            &[("id", other)],
            NOBODY,
            template_upload(other_template),
        ),
        Cell::route(
            "GET /files/evidence/{id}",
            &[("id", own_file)],
            READERS_OF_OWN,
            Body::Empty,
        ),
        Cell::route(
            "GET /files/evidence/{id}",
            &[("id", other_file)],
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
    ]
}

/// An evidence file upload for `indicator`.
fn upload(indicator: &str) -> Body {
    Body::Multipart(vec![
        ("indicator", indicator.as_bytes().to_vec(), None),
        ("file", PDF.to_vec(), Some("report.pdf")),
    ])
}

async fn review_and_results(w: &World) -> Vec<Cell> {
    let db = w.db();
    let now = Utc::now();
    // A one-level district round, every district submitted: the ministry
    // reviews; the district and region officers discuss.
    let (_, d) = w
        .round(
            "scope-review",
            EntityKind::District,
            &[w.d0, w.d_near, w.d_x, w.d_far, w.d_far2],
            false,
        )
        .await;
    for p in &d {
        w.submitted(*p).await;
    }
    let q = w.first_question(d[0]).await.code;
    submissions::review_value(
        db,
        w.p("reviewer"),
        d[0],
        &Verdict {
            indicator: &q,
            action: domain::ReviewAction::Comment,
            adjusted: None,
            reason: "which source?",
        },
        now,
    )
    .await
    .unwrap();
    let comment = w.form(d[0]).await.comments[0].id.to_string();
    // Provisional results of the own district: appeals, one per caller
    // to decide.
    let (p, pp) = w
        .round(
            "scope-appeals",
            EntityKind::District,
            &[w.d0, w.d_far],
            false,
        )
        .await;
    w.approved(pp[0]).await;
    w.advance_to(p, CampaignStatus::Provisional).await;
    let mut appeals = HashMap::new();
    for who in CALLERS {
        let new = domain::NewAppeal {
            indicator: None,
            body: format!("for {who} to decide"),
            proposed: None,
            evidence_url: None,
        };
        let a = service::appeals::file(db, w.p("district"), pp[0], &new, now)
            .await
            .unwrap();
        appeals.insert(*who, a.id.to_string());
    }
    // Final rounds to publish, one per publisher.
    let mut finals = Vec::new();
    for code in ["scope-final-1", "scope-final-2"] {
        let (c, fp) = w
            .round(code, EntityKind::District, &[w.d0, w.d_near], false)
            .await;
        w.approved(fp[0]).await;
        w.advance_to(c, CampaignStatus::Final).await;
        finals.push(c.0.to_string());
    }
    // A proposal to decide, from the published league.
    let base = service::downloads::what_if_base(db, EntityKind::District, now)
        .await
        .unwrap()
        .unwrap();
    let mut weights = base.weights.clone();
    weights[0] = 0.5;
    let thresholds: Vec<f64> = base.league.payload.bands.iter().map(|b| b.min).collect();
    let draft = |version: &str| domain::ProposalDraft {
        snapshot_id: base.league.snapshot_id,
        weights: weights.clone(),
        thresholds: thresholds.clone(),
        version: version.into(),
        valid_from: "2031-01-01".into(),
        note: "scope matrix".into(),
    };
    let proposal = service::proposals::propose(db, w.p("methodologist"), &draft("2031"))
        .await
        .unwrap()
        .to_string();
    let mut proposal_form = vec![
        (
            "draft[snapshot_id]".to_owned(),
            base.league.snapshot_id.to_string(),
        ),
        ("draft[version]".to_owned(), "2030".to_owned()),
        ("draft[valid_from]".to_owned(), "2030-01-01".to_owned()),
        ("draft[note]".to_owned(), "scope matrix".to_owned()),
    ];
    for (k, x) in weights.iter().enumerate() {
        proposal_form.push((format!("draft[weights][{k}]"), x.to_string()));
    }
    for (k, x) in thresholds.iter().enumerate() {
        proposal_form.push((format!("draft[thresholds][{k}]"), x.to_string()));
    }
    let ids: Vec<String> = d.iter().map(|p| p.0.to_string()).collect();
    let (d0, p, pp0, pp1) = (
        ids[0].clone(),
        p.0.to_string(),
        pp[0].0.to_string(),
        pp[1].0.to_string(),
    );
    let (approve_ids, return_ids) = (ids.clone(), ids);
    vec![
        Cell::call(
            "review_value",
            REVIEWERS,
            form(&[("id", &d0), ("indicator", &q), ("action", "accept")]),
        ),
        // Each reviewer approves a district of its own; refused callers
        // try the own district.
        Cell::each("decide_submission", REVIEWERS, move |who| {
            let i = match who {
                "admin" => 1,
                "reviewer" => 2,
                _ => 0,
            };
            form(&[("id", &approve_ids[i]), ("approve", "true")])
        }),
        Cell::each("decide_submission", REVIEWERS, move |who| {
            let i = match who {
                "admin" => 3,
                "reviewer" => 4,
                _ => 0,
            };
            form(&[
                ("id", &return_ids[i]),
                ("approve", "false"),
                ("reason", "attach the register"),
            ])
        }),
        // The officer of the district and of its region discuss too.
        Cell::call(
            "reply_comment",
            &["admin", "reviewer", "district", "region"],
            form(&[
                ("id", &d0),
                ("parent", &comment),
                ("body", "the hokimiyat's"),
            ]),
        ),
        Cell::call("campaign_results", MINISTRY_AND_VIEWER, form(&[("id", &p)])),
        Cell::call(
            "file_appeal",
            &["district"],
            form(&[("id", &pp0), ("appeal[body]", "too low")]),
        ),
        Cell::call(
            "file_appeal",
            NOBODY,
            form(&[("id", &pp1), ("appeal[body]", "too low")]),
        ),
        Cell::each("resolve_appeal", REVIEWERS, move |who| {
            form(&[
                ("id", &appeals[who]),
                ("decision[status]", "rejected"),
                ("decision[outcome]", "the answer stands"),
            ])
        }),
        Cell::call(
            "nominate",
            PUBLISHERS,
            form(&[
                ("campaign", &w.published.0.to_string()),
                ("domain", "INFRA"),
                ("entity", ""),
                ("note", ""),
            ]),
        ),
        Cell::each("publish_rating", PUBLISHERS, move |who| {
            let c = if who == "publisher" {
                &finals[1]
            } else {
                &finals[0]
            };
            form(&[
                ("id", c),
                ("request[changelog]", ""),
                ("request[retract]", "false"),
            ])
        }),
        Cell::call("list_proposals", MINISTRY_AND_VIEWER, form(&[])),
        Cell::call(
            "get_proposal",
            MINISTRY_AND_VIEWER,
            form(&[("id", &proposal)]),
        ),
        Cell::call(
            "propose_methodology",
            &["methodologist"],
            Body::Form(proposal_form),
        ),
        Cell::call(
            "decide_proposal",
            &["methodologist"],
            form(&[("id", &proposal), ("adopt", "true"), ("reason", "agreed")]),
        ),
    ]
}
