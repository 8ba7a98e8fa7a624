//! Published means frozen: every public output of a revision is built from
//! its snapshot alone. A correction after the round is final changes none
//! of them until a new revision publishes it; then only the new revision
//! differs, in exactly what was corrected.

use std::collections::BTreeMap;

use domain::{CampaignId, EntityId, PublishRequest, ReviewAction, Role, SnapshotPayload};
use entity::{campaigns, participants, rating_snapshots};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use service::submissions::{self, Verdict};

use crate::campaigns::principal;
use crate::helpers::{TestApp, spawn_app_configured};

const ROUND: &str = "district-2023-12";
const INDICATOR: &str = "INFRA.social_broadband";
const LANGS: [&str; 4] = ["uz-Latn", "uz-Cyrl", "ru", "en"];

/// Tables of answers that no public output may read.
const ANSWER_TABLES: [&str; 3] = ["submission_values", "participants", "review_comments"];

/// The demo, with every public page rendered afresh (no kept renderings).
async fn demo() -> TestApp {
    spawn_app_configured(true, &[("DARAJA_PAGE_CACHE", "0")]).await
}

/// Every public output of revision `revision` of [`ROUND`], by address,
/// each asked for in `lang` where it has a language.
fn revision_outputs(asaka: EntityId, revision: i32) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for lang in LANGS {
        out.push((
            format!("/downloads/ratings/{ROUND}/workbook.xlsx?lang={lang}&revision={revision}"),
            lang,
        ));
        out.push((
            format!(
                "/downloads/entities/{}/report-card.xlsx?lang={lang}&campaign={ROUND}&revision={revision}",
                asaka.0
            ),
            lang,
        ));
        out.push((
            format!("/ratings/district?campaign={ROUND}&revision={revision}"),
            lang,
        ));
    }
    out.push((format!("/open-data/ratings/{ROUND}/r{revision}.csv"), "en"));
    out.push((format!("/open-data/ratings/{ROUND}/r{revision}.json"), "en"));
    out.push((
        format!("/api/v1/ratings/district?campaign={ROUND}&revision={revision}"),
        "en",
    ));
    out
}

/// The outputs that show the newest revision of every round.
fn newest_outputs(asaka: EntityId, andijan: EntityId) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for lang in LANGS {
        for path in [
            format!("/downloads/ratings/{ROUND}/workbook.xlsx?lang={lang}"),
            format!(
                "/downloads/entities/{}/report-card.xlsx?lang={lang}",
                asaka.0
            ),
            format!("/downloads/regions/{}/pack.xlsx?lang={lang}", andijan.0),
            "/ratings/district".to_owned(),
            format!("/registry/{}", asaka.0),
            format!("/registry/{}", andijan.0),
        ] {
            out.push((path, lang));
        }
    }
    out.push((format!("/open-data/ratings/{ROUND}.csv"), "en"));
    out.push((format!("/open-data/ratings/{ROUND}.json"), "en"));
    out.push((format!("/api/v1/entities/{}/history", asaka.0), "en"));
    out.push(("/api/v1/ratings/district".to_owned(), "en"));
    out
}

/// What an output is, for comparison: an xlsx as its unzipped parts (the
/// file's creation time in `docProps/core.xml` aside), anything else as
/// its bytes.
fn content(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    if bytes.starts_with(b"<!DOCTYPE html>") {
        return page(&without_nonce(bytes));
    }
    if !bytes.starts_with(b"PK") {
        return BTreeMap::from([(String::new(), bytes.to_vec())]);
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        if name == "docProps/core.xml" {
            continue;
        }
        let mut part = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut part).unwrap();
        parts.insert(name, part);
    }
    parts
}

/// A page as the document a reader sees and the data it hydrates from:
/// Leptos writes each resolved resource after `</html>` in the order the
/// resources finished, which varies between renders of the same page, so
/// the resources are compared as a set.
fn page(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let text = String::from_utf8_lossy(bytes);
    let end = text.find("</html>").unwrap_or(text.len());
    let mut parts = BTreeMap::from([(String::new(), text[..end].as_bytes().to_vec())]);
    let mut resources = std::collections::BTreeSet::new();
    let mut rest = &text[end..];
    while let Some(at) = rest.find("__RESOLVED_RESOURCES[") {
        rest = &rest[at..];
        let Some(start) = rest.find("= \"").map(|i| i + 3) else {
            break;
        };
        let mut stop = start;
        while let Some(i) = rest[stop..].find("\";") {
            stop += i;
            if !rest[..stop].ends_with('\\') {
                break;
            }
            stop += 2;
        }
        resources.insert(rest[start..stop].to_owned());
        rest = &rest[stop..];
    }
    for (k, r) in resources.into_iter().enumerate() {
        parts.insert(format!("resource {k}"), r.into_bytes());
    }
    parts
}

/// A page with its per-response script nonce blanked out (Leptos writes a
/// fresh one into every response).
fn without_nonce(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let Some(start) = text.find("nonce=\"").map(|i| i + 7) else {
        return bytes.to_vec();
    };
    let end = start + text[start..].find('"').unwrap_or(0);
    let nonce = &text[start..end];
    if nonce.is_empty() {
        return bytes.to_vec();
    }
    text.replace(nonce, "NONCE").into_bytes()
}

async fn fetch_all(
    base: &str,
    http: &reqwest::Client,
    outputs: &[(String, &'static str)],
) -> Vec<BTreeMap<String, Vec<u8>>> {
    let mut out = Vec::new();
    for (path, lang) in outputs {
        let r = http
            .get(format!("{base}{path}"))
            .header("accept-language", *lang)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let bytes = r.bytes().await.unwrap();
        assert_eq!(
            status,
            200,
            "{path} ({lang}): {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
        );
        out.push(content(&bytes));
    }
    out
}

fn assert_same(
    outputs: &[(String, &'static str)],
    before: &[BTreeMap<String, Vec<u8>>],
    after: &[BTreeMap<String, Vec<u8>>],
) {
    for ((path, lang), (b, a)) in outputs.iter().zip(before.iter().zip(after)) {
        let changed: Vec<&String> = b
            .keys()
            .chain(a.keys())
            .filter(|k| b.get(*k) != a.get(*k))
            .collect();
        if let Some(part) = changed.first() {
            let (x, y) = (&b[*part], &a[*part]);
            let at = x
                .iter()
                .zip(y.iter())
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let around = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(200)..(at + 200).min(v.len())])
                    .into_owned()
            };
            panic!(
                "{path} ({lang}) changed in {changed:?} at byte {at}:\n--- before\n{}\n--- after\n{}",
                around(x),
                around(y)
            );
        }
    }
}

/// Renames the answer tables away (or back), so that any read of them
/// during the public reads fails the test.
async fn hide_answers(app: &TestApp, hide: bool) {
    for table in ANSWER_TABLES {
        let (from, to) = if hide {
            (table.to_owned(), format!("{table}_hidden"))
        } else {
            (format!("{table}_hidden"), table.to_owned())
        };
        app.services
            .db
            .execute_unprepared(&format!("ALTER TABLE {from} RENAME TO {to}"))
            .await
            .unwrap();
    }
}

/// Every public output, read with the answer tables out of reach.
async fn fetch_frozen(
    app: &TestApp,
    outputs: &[(String, &'static str)],
) -> Vec<BTreeMap<String, Vec<u8>>> {
    hide_answers(app, true).await;
    let fetched = tokio::spawn({
        let (base, http, outputs) = (app.base.clone(), app.http.clone(), outputs.to_vec());
        async move { fetch_all(&base, &http, &outputs).await }
    })
    .await;
    hide_answers(app, false).await;
    fetched.expect("every public output is served without reading answers")
}

struct Round {
    campaign: campaigns::Model,
    asaka: EntityId,
    andijan: EntityId,
    participant: participants::Model,
}

async fn round(app: &TestApp) -> Round {
    let db = &app.services.db;
    let campaign = campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(ROUND))
        .one(db)
        .await
        .unwrap()
        .expect("the demo has the 2023 district round");
    let asaka = app.entity("1703224").await;
    let andijan = app.entity("1703").await;
    let participant = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .filter(participants::Column::EntityId.eq(asaka.0))
        .one(db)
        .await
        .unwrap()
        .expect("Asaka took part");
    Round {
        campaign,
        asaka,
        andijan,
        participant,
    }
}

/// Asaka's counted broadband answer as revision 1 published it, and one
/// that differs from it.
async fn broadband(app: &TestApp, r: &Round) -> (f64, f64) {
    let (_, p) = snapshot(app, r, 1).await;
    let matrix = p.matrix.as_ref().expect("published with its answers");
    let (_, row) = p.entity(r.asaka).expect("Asaka is rated");
    let now = row.unwrap().raw[matrix.column(INDICATOR).unwrap()].expect("answered");
    (now, if now > 50.0 { 12.5 } else { 87.5 })
}

async fn correct(app: &TestApp, r: &Round, value: f64) {
    let reviewer = principal(app, "frozen.reviewer@daraja.uz", Role::Reviewer, None).await;
    submissions::review_value(
        &app.services.db,
        &reviewer,
        domain::ParticipantId(r.participant.id),
        &Verdict {
            indicator: INDICATOR,
            action: ReviewAction::Adjust,
            adjusted: Some(&value.to_string()),
            reason: "the operator's register lists another share",
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}

async fn snapshot(
    app: &TestApp,
    r: &Round,
    revision: i32,
) -> (rating_snapshots::Model, SnapshotPayload) {
    let row = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(r.campaign.id))
        .filter(rating_snapshots::Column::Revision.eq(revision))
        .one(&app.services.db)
        .await
        .unwrap()
        .expect("the revision exists");
    let p = serde_json::from_str(&row.payload).unwrap();
    (row, p)
}

#[tokio::test]
async fn a_correction_changes_no_published_output_until_a_new_revision_publishes_it() {
    let app = demo().await;
    let r = round(&app).await;
    let db = &app.services.db;
    let old = revision_outputs(r.asaka, 1);
    let newest = newest_outputs(r.asaka, r.andijan);
    let old_before = fetch_frozen(&app, &old).await;
    let newest_before = fetch_frozen(&app, &newest).await;

    // A post-final correction: pending, visible to staff, in no output.
    let (was, corrected) = broadband(&app, &r).await;
    correct(&app, &r, corrected).await;
    assert_same(&old, &old_before, &fetch_frozen(&app, &old).await);
    assert_same(&newest, &newest_before, &fetch_frozen(&app, &newest).await);
    let publisher = principal(&app, "frozen.publisher@daraja.uz", Role::Publisher, None).await;
    let results = service::results::campaign_results(db, &publisher, CampaignId(r.campaign.id))
        .await
        .unwrap();
    assert_eq!(
        results.pending_corrections.len(),
        1,
        "{:?}",
        results.pending_corrections
    );
    let pending = &results.pending_corrections[0];
    assert_eq!(
        (
            pending.entity.id,
            pending.indicator.as_str(),
            pending.before,
            pending.after
        ),
        (r.asaka, INDICATOR, Some(was), Some(corrected))
    );
    assert_eq!(
        pending.reason.as_deref(),
        Some("the operator's register lists another share")
    );
    assert!(
        results
            .correction_effects
            .iter()
            .any(|e| e.entity.id == r.asaka),
        "Asaka's index moves: {:?}",
        results.correction_effects
    );
    let officer = principal(
        &app,
        "frozen.officer@daraja.uz",
        Role::District,
        Some(r.asaka),
    )
    .await;
    let form = submissions::form(
        db,
        &officer,
        domain::ParticipantId(r.participant.id),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let flagged: Vec<(&str, Option<f64>)> = form
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .filter_map(|f| f.unpublished.as_ref().map(|u| (f.code.as_str(), u.value)))
        .collect();
    assert_eq!(
        flagged,
        [(INDICATOR, Some(was))],
        "the form marks it as not yet published"
    );

    // Publishing it makes revision 2, which differs in exactly that answer.
    service::results::publish(
        db,
        &publisher,
        CampaignId(r.campaign.id),
        &PublishRequest {
            changelog: "Asaka's broadband share corrected".into(),
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let (_, first) = snapshot(&app, &r, 1).await;
    let (row2, second) = snapshot(&app, &r, 2).await;
    assert!(service::ratings::verify(&row2));
    assert_eq!(second.corrections.len(), 1);
    assert_eq!(second.corrections[0].before, Some(was));
    let (m1, m2) = (
        first.matrix.as_ref().unwrap(),
        second.matrix.as_ref().unwrap(),
    );
    let col = m1.column(INDICATOR).unwrap();
    for (k, row) in second.rows.iter().enumerate() {
        let (before_row, before_matrix) = first.entity(row.entity.id).unwrap();
        let (after, before) = (&m2.entities[k], before_matrix.unwrap());
        if row.entity.id == r.asaka {
            assert_eq!(
                (before.raw[col], after.raw[col]),
                (Some(was), Some(corrected))
            );
            let others = |raw: &[Option<f64>]| {
                raw.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != col)
                    .map(|(_, v)| *v)
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                others(&before.raw),
                others(&after.raw),
                "only the corrected answer"
            );
            assert_ne!(before_row.index, row.index, "the index follows the answer");
        } else {
            assert_eq!(
                before, after,
                "{}: answers and scores as published",
                row.entity.code
            );
            assert_eq!(
                (before_row.index, &before_row.domain_scores),
                (row.index, &row.domain_scores),
                "{}",
                row.entity.code
            );
        }
    }
    let csv = |bytes: &[u8]| -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(bytes)
            .records()
            .map(Result::unwrap)
            .collect()
    };
    let header = |bytes: &[u8]| -> csv::StringRecord {
        csv::Reader::from_reader(bytes).headers().unwrap().clone()
    };
    let new_csv = app
        .get(&format!("/open-data/ratings/{ROUND}/r2.csv"), None)
        .await
        .bytes()
        .await
        .unwrap();
    let old_csv = &old_before[old.iter().position(|(p, _)| p.ends_with("r1.csv")).unwrap()][""];
    let value_col = header(&new_csv)
        .iter()
        .position(|h| h == format!("value_{INDICATOR}"))
        .expect("the open data carries the raw answers");
    let asaka_row = |rows: &[csv::StringRecord]| {
        rows.iter().find(|x| &x[6] == "1703224").unwrap()[value_col].to_owned()
    };
    assert_eq!(asaka_row(&csv(old_csv)), was.to_string());
    assert_eq!(asaka_row(&csv(&new_csv)), corrected.to_string());

    // The first revision's files still read exactly as published; its page
    // and its API answer now also point to revision 2, with the same table.
    let files: Vec<usize> = (0..old.len())
        .filter(|&k| old[k].0.starts_with("/downloads") || old[k].0.starts_with("/open-data"))
        .collect();
    let pick = |all: &[BTreeMap<String, Vec<u8>>]| {
        files.iter().map(|&k| all[k].clone()).collect::<Vec<_>>()
    };
    let old_files: Vec<(String, &'static str)> = files.iter().map(|&k| old[k].clone()).collect();
    let old_after = fetch_frozen(&app, &old).await;
    assert_same(&old_files, &pick(&old_before), &pick(&old_after));
    let api = old
        .iter()
        .position(|(p, _)| p.starts_with("/api/"))
        .unwrap();
    let league = |bytes: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(bytes).unwrap()["league"]["payload"].clone()
    };
    assert_eq!(league(&old_before[api][""]), league(&old_after[api][""]));
}

#[tokio::test]
async fn a_snapshot_that_no_longer_matches_its_hash_is_withheld_alone() {
    let app = demo().await;
    let r = round(&app).await;
    let db = &app.services.db;
    let (row, _) = snapshot(&app, &r, 1).await;
    // Another round's revision is kept readable beside it.
    let path = format!("/open-data/ratings/{ROUND}/r1.csv");
    assert_eq!(app.get(&path, None).await.status(), 200);
    let mut am = row.into_active_model();
    am.sha256 = Set("0".repeat(64));
    am.update(db).await.unwrap();
    for path in [
        path.clone(),
        format!("/downloads/ratings/{ROUND}/workbook.xlsx?revision=1"),
        format!("/api/v1/ratings/district?campaign={ROUND}&revision=1"),
    ] {
        let res = app.get(&path, None).await;
        assert_eq!(res.status(), 503, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("SHA-256"), "{path}: {body}");
    }
    assert_eq!(
        app.get("/open-data/ratings/district-2022-12/r1.csv", None)
            .await
            .status(),
        200,
        "other revisions stay readable"
    );
    let (_, tampered) = service::ratings::verify_all(db).await.unwrap();
    assert_eq!(tampered.len(), 1);
}

#[tokio::test]
async fn a_snapshot_stored_without_answers_gets_them_once_marked_as_reconstructed() {
    let app = demo().await;
    let r = round(&app).await;
    let db = &app.services.db;
    let (row, published) = snapshot(&app, &r, 1).await;
    // As snapshots were stored before answers were frozen with them.
    let mut old = published.clone();
    old.matrix = None;
    old.methodology_sha256 = None;
    let (text, hash) = service::ratings::canonical(&old).unwrap();
    let mut am = row.clone().into_active_model();
    am.payload = Set(text);
    am.sha256 = Set(hash);
    am.update(db).await.unwrap();

    let now = chrono::Utc::now();
    assert_eq!(
        service::corrections::reconstruct_matrices(db, now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        service::corrections::reconstruct_matrices(db, now)
            .await
            .unwrap(),
        0,
        "once"
    );
    let (row, filled) = snapshot(&app, &r, 1).await;
    assert!(
        service::ratings::verify(&row),
        "hashed anew with the matrix"
    );
    let mut matrix = filled.matrix.clone().expect("filled in");
    assert_eq!(
        matrix.reconstructed_at.as_deref(),
        Some(now.to_rfc3339().as_str())
    );
    matrix.reconstructed_at = None;
    assert_eq!(
        Some(&matrix),
        published.matrix.as_ref(),
        "the same answers, as nothing changed since"
    );
    let league: serde_json::Value = app
        .get(
            &format!("/api/v1/ratings/district?campaign={ROUND}&revision=1"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let notes = league["league"]["changelog"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["reconstructed_at"].is_string()),
        "the revision says so: {notes:?}"
    );
    let audit = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("rating.reconstruct"))
        .order_by_desc(entity::audit_log::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
}

/// A publication racing a correction holds all of it (the answer and its
/// reason) or none of it, on either database.
#[tokio::test]
async fn a_publication_racing_a_correction_holds_all_of_it_or_none() {
    let app = demo().await;
    let r = round(&app).await;
    let db = app.services.db.clone();
    let publisher = principal(&app, "race.publisher@daraja.uz", Role::Publisher, None).await;
    let reviewer = principal(&app, "race.reviewer@daraja.uz", Role::Reviewer, None).await;
    let (was, _) = broadband(&app, &r).await;
    for round_no in 0..4 {
        let value = was + 1.0 + f64::from(round_no);
        let reason = format!("register figure {round_no}");
        let correction = {
            let (db, reviewer, reason) = (db.clone(), reviewer.clone(), reason.clone());
            let participant = domain::ParticipantId(r.participant.id);
            tokio::spawn(async move {
                submissions::review_value(
                    &db,
                    &reviewer,
                    participant,
                    &Verdict {
                        indicator: INDICATOR,
                        action: ReviewAction::Adjust,
                        adjusted: Some(&value.to_string()),
                        reason: &reason,
                    },
                    chrono::Utc::now(),
                )
                .await
            })
        };
        let published = service::results::publish(
            &db,
            &publisher,
            CampaignId(r.campaign.id),
            &PublishRequest {
                changelog: format!("race {round_no}"),
                ..Default::default()
            },
            chrono::Utc::now(),
        )
        .await;
        correction.await.unwrap().unwrap();
        let Ok(_) = published else {
            continue; // nothing new to publish yet: refused, which is fine
        };
        let newest = rating_snapshots::Entity::find()
            .filter(rating_snapshots::Column::CampaignId.eq(r.campaign.id))
            .order_by_desc(rating_snapshots::Column::Revision)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let p: SnapshotPayload = serde_json::from_str(&newest.payload).unwrap();
        let (_, row) = p.entity(r.asaka).unwrap();
        let col = p.matrix.as_ref().unwrap().column(INDICATOR).unwrap();
        let carried = row.unwrap().raw[col];
        if carried == Some(value) {
            let c = p
                .corrections
                .iter()
                .find(|c| c.indicator == INDICATOR)
                .expect("the corrected answer is listed");
            assert_eq!(
                c.reason.as_deref(),
                Some(reason.as_str()),
                "with its reason"
            );
        } else {
            assert!(
                p.corrections.iter().all(|c| c.after != Some(value)),
                "none of the correction in flight: {:?}",
                p.corrections
            );
        }
    }
}
