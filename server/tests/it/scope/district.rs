//! District rounds in the matrix: a two-level round (`region_review`),
//! with the district officer on their own district and on others' (one in
//! the same region, one in another), and the region officer on their
//! region's districts and on a district of another region — form, autosave,
//! evidence, feed push, submission, endorsement and return, and the region
//! workbook's template, upload and report.

use super::world::{PDF, World, answer, template_upload};
use super::*;
use chrono::Utc;
use domain::{EntityKind, Role};

/// Who reads a district's submission besides ministry staff and viewers.
const OWN_READERS: &[&str] = &[
    "admin",
    "methodologist",
    "reviewer",
    "publisher",
    "viewer",
    "district",
    "region",
];
const REGION_READERS: &[&str] = &[
    "admin",
    "methodologist",
    "reviewer",
    "publisher",
    "viewer",
    "region",
];
/// Who enters the own district's answers: its officer and its region's.
const ENTERERS: &[&str] = &["district", "region"];
const REGION: &[&str] = &["region"];

pub async fn cells(w: &World) -> Vec<Cell> {
    let db = w.db();
    let now = Utc::now();
    // An open two-level round: the own district, another of its region,
    // one of another region.
    let code = "scope-two-level";
    let (c, p) = w
        .round(code, EntityKind::District, &[w.d0, w.d_near, w.d_far], true)
        .await;
    for id in &p {
        w.fill_in(*id).await;
    }
    let fields: Vec<domain::FormField> = w
        .form(p[0])
        .await
        .sections
        .into_iter()
        .flat_map(|s| s.fields)
        .filter(|f| f.kind != "formula" && !f.locked)
        .collect();
    let (near_field, far_field) = (w.first_question(p[1]).await, w.first_question(p[2]).await);
    // Each region's upload report, by its officer.
    let mut reports = Vec::new();
    let mut templates = Vec::new();
    for (region, officer) in [(w.region, "region"), (w.region2, "region2")] {
        let bytes = w.region_template(c, region).await;
        let file = service::workbooks::Uploaded {
            name: "region.xlsx",
            bytes: &bytes,
        };
        let r =
            service::region_workbooks::import_region(db, w.p(officer), c, region, file, true, now)
                .await
                .unwrap();
        reports.push(r.id.to_string());
        templates.push(bytes);
    }
    // The forms' own workbooks and evidence files, by their officers.
    let mut forms = Vec::new();
    for (id, officer) in [(p[0], "district"), (p[2], "region2")] {
        let bytes = w.template(id).await;
        let file = service::workbooks::Uploaded {
            name: "template.xlsx",
            bytes: &bytes,
        };
        let report = service::workbooks::import(db, w.p(officer), id, file, true, now)
            .await
            .unwrap();
        let upload = service::submissions::Upload {
            name: "report.pdf",
            bytes: PDF,
        };
        let files = w.app.services.files.as_ref();
        let code = &fields[0].code;
        let ev = service::submissions::add_file(db, files, w.p(officer), id, code, &upload, now)
            .await
            .unwrap();
        forms.push((bytes, report.id.to_string(), ev.id.to_string()));
    }
    let [
        (form_template, own_report, own_file),
        (far_template, far_report, far_file),
    ]: [_; 2] = forms.try_into().unwrap();
    // A round under review: the own district, another of its region and
    // one of another region submitted, waiting for their regions; one of
    // another region endorsed, waiting for the ministry.
    let (_, r) = w
        .round(
            "scope-two-level-review",
            EntityKind::District,
            &[w.d0, w.d_near, w.d_far, w.d_far2],
            true,
        )
        .await;
    for id in &r[..3] {
        w.submitted(*id).await;
    }
    w.endorsed(r[3]).await;

    let s = |x: &domain::ParticipantId| x.0.to_string();
    let (p0, pn, pf) = (s(&p[0]), s(&p[1]), s(&p[2]));
    let (r0, rn, rf, rf2) = (s(&r[0]), s(&r[1]), s(&r[2]), s(&r[3]));
    let (cid, region, region2) = (
        c.0.to_string(),
        w.region.0.to_string(),
        w.region2.0.to_string(),
    );
    let (d0_code, far_code) = (w.code(w.d0).await, w.code(w.d_far).await);
    // Each enterer saves a question of its own (the same one twice would
    // be a stale version the second time).
    let save_each = {
        let (p0, fields) = (p0.clone(), fields.clone());
        move |who: &str| {
            let f = &fields[usize::from(who == "region")];
            form(&[
                ("id", &p0),
                ("indicator", &f.code),
                ("value", &answer(f)),
                ("version", &f.version.to_string()),
            ])
        }
    };
    let save = |id: &str, f: &domain::FormField| {
        form(&[
            ("id", id),
            ("indicator", &f.code),
            ("value", &answer(f)),
            ("version", &f.version.to_string()),
        ])
    };
    let ev = |id: &str, f: &domain::FormField| {
        form(&[
            ("id", id),
            ("indicator", &f.code),
            ("url", "https://example.uz/evidence"),
        ])
    };
    let push = |entity: &str, f: &domain::FormField| {
        Body::Json(serde_json::json!({
            "campaign": code,
            "entity": entity,
            "values": [{"indicator": f.code, "value": answer(f)}],
        }))
    };
    let upload = |f: &domain::FormField| {
        Body::Multipart(vec![
            ("indicator", f.code.clone().into_bytes(), None),
            ("file", PDF.to_vec(), Some("report.pdf")),
        ])
    };
    let at = |campaign: &str, region: &str| {
        vec![
            ("campaign", campaign.to_owned()),
            ("region", region.to_owned()),
        ]
    };
    let (submit0, submit_n) = (p0.clone(), pn.clone());
    let (approve_r0, approve_rf2) = (r0.clone(), rf2.clone());
    let [template, template2]: [Vec<u8>; 2] = templates.try_into().unwrap();
    vec![
        // Reading the form.
        Cell::call("submission_form", OWN_READERS, form(&[("id", &p0)])),
        Cell::call("submission_form", REGION_READERS, form(&[("id", &pn)])),
        Cell::call("submission_form", MINISTRY_AND_VIEWER, form(&[("id", &pf)])),
        // Autosave.
        Cell::each("save_value", ENTERERS, save_each),
        Cell::call("save_value", REGION, save(&pn, &near_field)),
        Cell::call("save_value", NOBODY, save(&pf, &far_field)),
        // Evidence: links, and files over HTTP.
        Cell::call("add_evidence", ENTERERS, ev(&p0, &fields[0])),
        Cell::call("add_evidence", REGION, ev(&pn, &near_field)),
        Cell::call("add_evidence", NOBODY, ev(&pf, &far_field)),
        Cell::route(
            "POST /files/submissions/{id}/evidence",
            &[("id", p0.clone())],
            ENTERERS,
            upload(&fields[0]),
        ),
        Cell::route(
            "POST /files/submissions/{id}/evidence",
            &[("id", pf.clone())],
            NOBODY,
            upload(&far_field),
        ),
        // A person's feed push (checked only) speaks for the entity too.
        Cell::route(
            "POST /api/v1/values",
            &[],
            ENTERERS,
            push(&d0_code, &fields[0]),
        )
        .query("dryRun=true"),
        Cell::route(
            "POST /api/v1/values",
            &[],
            NOBODY,
            push(&far_code, &far_field),
        )
        .query("dryRun=true"),
        // The form's workbook, its upload reports, its evidence files.
        Cell::route(
            "GET /files/submissions/{id}/template",
            &[("id", p0.clone())],
            OWN_READERS,
            Body::Empty,
        ),
        Cell::route(
            "GET /files/submissions/{id}/template",
            &[("id", pf.clone())],
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
        Cell::route(
            "POST /files/submissions/{id}/template",
            &[("id", p0.clone())],
            ENTERERS,
            template_upload(form_template),
        ),
        Cell::route(
            "POST /files/submissions/{id}/template",
            &[("id", pf.clone())],
            NOBODY,
            template_upload(far_template),
        ),
        Cell::call(
            "import_report",
            OWN_READERS,
            form(&[("id", &p0), ("report", &own_report)]),
        ),
        Cell::call(
            "import_report",
            MINISTRY_AND_VIEWER,
            form(&[("id", &pf), ("report", &far_report)]),
        ),
        Cell::route(
            "GET /files/evidence/{id}",
            &[("id", own_file)],
            OWN_READERS,
            Body::Empty,
        ),
        Cell::route(
            "GET /files/evidence/{id}",
            &[("id", far_file)],
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
        // The region's page, workbook and upload reports.
        Cell::call(
            "region_round",
            REGION_READERS,
            form(&[("campaign", &cid), ("region", &region)]),
        ),
        Cell::call(
            "region_round",
            MINISTRY_AND_VIEWER,
            form(&[("campaign", &cid), ("region", &region2)]),
        ),
        Cell::route(
            "GET /files/campaigns/{campaign}/regions/{region}/template",
            &at(&cid, &region),
            REGION_READERS,
            Body::Empty,
        ),
        Cell::route(
            "GET /files/campaigns/{campaign}/regions/{region}/template",
            &at(&cid, &region2),
            MINISTRY_AND_VIEWER,
            Body::Empty,
        ),
        Cell::route(
            "POST /files/campaigns/{campaign}/regions/{region}/template",
            &at(&cid, &region),
            REGION,
            template_upload(template),
        ),
        Cell::route(
            "POST /files/campaigns/{campaign}/regions/{region}/template",
            &at(&cid, &region2),
            NOBODY,
            template_upload(template2),
        ),
        Cell::call(
            "region_import_report",
            REGION_READERS,
            form(&[
                ("campaign", &cid),
                ("region", &region),
                ("report", &reports[0]),
            ]),
        ),
        Cell::call(
            "region_import_report",
            MINISTRY_AND_VIEWER,
            form(&[
                ("campaign", &cid),
                ("region", &region2),
                ("report", &reports[1]),
            ]),
        ),
        // Submission: the district officer its own district, the region's
        // officer another of its districts (refused callers try the own).
        Cell::each("submit_submission", ENTERERS, move |who| {
            let id = if who == "region" { &submit_n } else { &submit0 };
            form(&[("id", id)])
        }),
        Cell::call("submit_submission", NOBODY, form(&[("id", &pf)])),
        // Review waits for the region's officer first: the ministry's
        // reviewers get a 409 (their turn comes once endorsed).
        Cell::call(
            "review_value",
            REGION,
            form(&[
                ("id", &r0),
                ("indicator", &fields[0].code),
                ("action", "comment"),
                ("reason", "which source?"),
            ]),
        )
        .not_now(REVIEWERS),
        Cell::call(
            "review_value",
            NOBODY,
            form(&[
                ("id", &rf),
                ("indicator", &fields[0].code),
                ("action", "comment"),
                ("reason", "which source?"),
            ]),
        )
        .not_now(REVIEWERS),
        Cell::call(
            "decide_submission",
            REGION,
            form(&[("id", &r0), ("approve", "true")]),
        )
        .not_now(REVIEWERS),
        Cell::call(
            "decide_submission",
            REGION,
            form(&[("id", &rn), ("approve", "false"), ("reason", "attach it")]),
        )
        .not_now(REVIEWERS),
        Cell::call(
            "decide_submission",
            NOBODY,
            form(&[("id", &rf), ("approve", "true")]),
        )
        .not_now(REVIEWERS),
        // Endorsed work is the ministry's: its reviewers judge its values
        // (the region's officer no longer), the admin approves the own
        // district (endorsed just above), the reviewer another region's.
        Cell::call(
            "review_value",
            REVIEWERS,
            form(&[
                ("id", &r0),
                ("indicator", &fields[0].code),
                ("action", "accept"),
            ]),
        ),
        Cell::each("decide_submission", REVIEWERS, move |who| {
            let id = if who == "admin" {
                &approve_r0
            } else {
                &approve_rf2
            };
            form(&[("id", id), ("approve", "true")])
        }),
    ]
}

#[tokio::test]
async fn entity_scopes_cover_own_entity_and_a_regions_districts() {
    use crate::helpers::{PASSWORD, spawn_app};
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
