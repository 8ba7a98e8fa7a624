//! Stored XSS (issue 8): script payloads saved in every text field a user
//! can write come back escaped on every server-rendered page that shows
//! them, including the hydration data Leptos embeds in `<script>` elements,
//! where a raw `</script>` would break out, and the `<title>` (leptos_meta
//! writes it unescaped; `app::title_text` escapes it: this test found it).
//! Every file the server generates from them carries them as data: a
//! workbook as XML-escaped text cells and never a formula, a CSV field
//! behind a `'` (`exports::safety`), each served as an attachment that is
//! never sniffed.
//!
//! Each text but a link (which starts `https://`) also starts like a
//! spreadsheet formula (`=`, `+`, `-`, `@`) and carries a tag to find it by. Methodology descriptions and changelogs are
//! not here: they come only from the reviewed files in `seeds/`, which no
//! user writes.

use std::io::{Cursor, Read};

use calamine::Reader;
use chrono::Utc;
use domain::{
    AppealDecision, AppealStatus, CampaignStatus, EntityId, EntityInput, EntityKind, Names,
    NewApiToken, NewAppeal, PublishRequest, ReviewAction, Role, SaveOutcome,
};
use sea_orm::EntityTrait;
use service::submissions::{self, EvidenceInput, SaveRequest, Verdict};

use crate::campaigns::{World, day, field, principal, world, world_named};
use crate::helpers::TestApp;

const PAYLOAD: &str = "</title></script><script>alert('xss')</script><img src=x onerror=alert(1)>";

/// What must never appear in a page: the payload's markup, unescaped.
const MARKERS: &[&str] = &[
    "<script>alert('xss')",
    "<img src=x onerror",
    "</title></script>",
];

/// A text as someone might type it: starting like a formula, then `tag`
/// and the payload.
fn text(tag: &str) -> String {
    format!("={tag} {PAYLOAD}")
}

/// Names in the four languages, each starting with another formula trigger.
fn names(tag: &str) -> Names {
    Names {
        uz_latn: format!("={tag} Latn {PAYLOAD}"),
        uz_cyrl: format!("+{tag} Cyrl {PAYLOAD}"),
        ru: format!("-{tag} Ru {PAYLOAD}"),
        en: format!("@{tag} En {PAYLOAD}"),
    }
}

/// The payload in a link, which may hold no whitespace.
fn link() -> String {
    format!("https://xss.uz/?q={}", PAYLOAD.replace(' ', "+"))
}

/// The payload in a file name, which is cut at the last `/`.
fn file_name(tag: &str, extension: &str) -> String {
    format!("={tag} {}.{extension}", PAYLOAD.replace('/', ""))
}

/// A page, as whom (`None`: signed out), and the texts it must show.
type Page<'a> = (String, Option<&'a str>, &'a [&'a str]);

/// How a generated file is read back.
#[derive(Debug, Clone, Copy)]
enum Format {
    Xlsx,
    Csv,
    Json,
}

/// A generated file, as whom, its format, and the user texts it must carry.
type File<'a> = (String, Option<&'a str>, Format, Vec<String>);

/// Every payload marker found raw in `body`, with what surrounds it.
fn unescaped(what: &str, body: &str) -> Vec<String> {
    MARKERS
        .iter()
        .filter_map(|m| {
            let at = body.find(m)?;
            let before: Vec<char> = body[..at].chars().rev().take(80).collect();
            let after: String = body[at..].chars().take(40).collect();
            let before: String = before.into_iter().rev().collect();
            Some(format!("{what}: unescaped {m:?} in …{before}{after}…"))
        })
        .collect()
}

/// Fetches every page: each shows its texts, none carries the payload's
/// markup unescaped.
async fn assert_pages_escaped(app: &TestApp, pages: &[Page<'_>]) {
    let mut problems = Vec::new();
    for (path, token, shown) in pages {
        let r = app.get(path, *token).await;
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        for s in *shown {
            if !html.contains(s) {
                problems.push(format!("{path} does not show {s:?}"));
            }
        }
        problems.extend(unescaped(path, &html));
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Fetches every file: an attachment that is neither HTML nor sniffed,
/// carrying each of its texts as data.
async fn assert_files_inert(app: &TestApp, files: &[File<'_>]) {
    let mut problems = Vec::new();
    for (path, token, format, texts) in files {
        let r = app.get(path, *token).await;
        assert_eq!(r.status(), 200, "{path}");
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let served = [
            header("content-type"),
            header("content-disposition"),
            header("x-content-type-options"),
        ];
        if served[0].contains("html")
            || !served[1].starts_with("attachment")
            || served[2] != "nosniff"
        {
            problems.push(format!("{path}: served as {served:?}"));
        }
        let bytes = r.bytes().await.unwrap().to_vec();
        problems.extend(match format {
            Format::Xlsx => xlsx_problems(path, &bytes, texts),
            Format::Csv => csv_problems(path, &String::from_utf8(bytes).unwrap(), texts),
            Format::Json => {
                let body = String::from_utf8(bytes).unwrap();
                assert!(
                    serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                    "{path}"
                );
                missing(path, texts, |t| body.contains(t))
            }
        });
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The texts that `holds` does not find.
fn missing(path: &str, texts: &[String], holds: impl Fn(&str) -> bool) -> Vec<String> {
    texts
        .iter()
        .filter(|t| !holds(t))
        .map(|t| format!("{path}: {t:?} is missing"))
        .collect()
}

/// A workbook: no part of the zip holds the payload's markup unescaped, no
/// worksheet holds a formula cell, and each text is in a text cell.
fn xlsx_problems(path: &str, bytes: &[u8], texts: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an xlsx is a zip");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().expect("a part name").into_owned();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        problems.extend(unescaped(&format!("{path} {name}"), &xml));
        if name.starts_with("xl/worksheets/") && (xml.contains("<f>") || xml.contains("<f ")) {
            problems.push(format!("{path} {name}: a formula cell"));
        }
    }
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable xlsx");
    let mut cells = Vec::new();
    for sheet in book.sheet_names() {
        let range = book.worksheet_range(&sheet).unwrap();
        cells.extend(range.cells().filter_map(|(_, _, d)| match d {
            calamine::Data::String(s) => Some(s.clone()),
            _ => None,
        }));
    }
    problems.extend(missing(path, texts, |t| {
        cells.iter().any(|c| c.contains(t))
    }));
    problems
}

/// A CSV file: each text is there, behind a `'`, and never begins a field.
fn csv_problems(path: &str, body: &str, texts: &[String]) -> Vec<String> {
    let mut problems = missing(path, texts, |t| body.contains(&format!("'{t}")));
    for t in texts {
        if ["\n", ",", "\n\"", ",\""]
            .iter()
            .any(|start| body.contains(&format!("{start}{t}")))
        {
            problems.push(format!("{path}: a field begins with {t:?}"));
        }
    }
    problems
}

#[tokio::test]
async fn script_payloads_in_every_text_field_come_back_escaped() {
    let w = world_named(names("Campaign")).await;
    let db = &w.app.services.db;
    let agency = |website: &str| EntityInput {
        kind: EntityKind::StateBody,
        subkind: text("Subkind"),
        code: "xss-agency".into(),
        tin: None,
        names: names("Agency"),
        parent_id: None,
        website: Some(website.into()),
        valid_from: "2020-01-01".into(),
        valid_to: None,
    };
    // A website is linked: only an http(s) link is taken (a `javascript:`
    // link would run when clicked: this test found it).
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
    ] {
        match service::registry::create(db, &w.admin, &agency(bad)).await {
            Err(service::ServiceError::Invalid(e)) => assert_eq!(e.field, "website", "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    let entity = service::registry::create(db, &w.admin, &agency(&link()))
        .await
        .unwrap();
    service::users::create(
        db,
        &w.admin,
        "xss@t.uz",
        &text("Name"),
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
            comment: Some(text("Note")),
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
            name: text("Token"),
            source_system: "xss.test".into(),
            indicators: vec!["*".into()],
            entities: vec!["*".into()],
            expires_on: day(3),
            locked_indicators: Vec::new(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    service::registry::retire(db, &w.admin, entity, &day(365), &text("Retire"))
        .await
        .unwrap();
    let admin = w.app.bearer("admin@t.uz").await;
    let officer = w.app.bearer("officer@t.uz").await;
    let (admin, officer) = (Some(admin.as_str()), Some(officer.as_str()));
    let pages: Vec<Page> = vec![
        (
            format!("/registry/{}", entity.0),
            admin,
            &["=Agency Latn", "=Subkind", "https://xss.uz/"],
        ),
        (format!("/registry/{}", entity.0), None, &["=Agency Latn"]),
        (
            "/registry?q=xss-agency".into(),
            admin,
            &["=Agency Latn", "=Subkind"],
        ),
        ("/admin/users".into(), admin, &["=Name"]),
        ("/admin/audit".into(), admin, &["xss-agency", "=Retire"]),
        ("/admin/tokens".into(), admin, &["=Token"]),
        (
            format!("/submissions/{}", w.own.0),
            officer,
            &["=Note", "=Campaign Latn"],
        ),
        (format!("/submissions/{}", w.own.0), admin, &["=Note"]),
        (
            format!("/campaigns/{}", w.campaign.0),
            admin,
            &["=Campaign Latn"],
        ),
        ("/campaigns".into(), admin, &["=Campaign Latn"]),
        ("/".into(), admin, &["=Campaign Latn"]),
        ("/".into(), officer, &["=Campaign Latn"]),
    ];
    assert_pages_escaped(&w.app, &pages).await;
    // The workbook of the form names the campaign and the entity.
    let files: Vec<File> = vec![(
        format!("/files/submissions/{}/template?lang=ru", w.own.0),
        officer,
        Format::Xlsx,
        vec![names("Campaign").ru, text("Note")],
    )];
    assert_files_inert(&w.app, &files).await;
}

#[tokio::test]
async fn script_payloads_in_review_comments_replies_and_returns_come_back_escaped() {
    let w = world().await;
    let db = &w.app.services.db;
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let comment = text("Comment");
    submissions::review_value(
        db,
        &w.reviewer,
        w.own,
        &Verdict {
            indicator: "INFRA.fibre_km",
            action: ReviewAction::Comment,
            adjusted: None,
            reason: &comment,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    submissions::return_for_revision(db, &w.reviewer, w.own, &text("Return"), Utc::now())
        .await
        .unwrap();
    let form = submissions::form(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let parent = form.comments.iter().find(|c| c.body == comment).unwrap();
    submissions::reply(db, &w.officer, w.own, parent.id, &text("Reply"), Utc::now())
        .await
        .unwrap();
    let officer = w.app.bearer("officer@t.uz").await;
    let reviewer = w.app.bearer("reviewer@t.uz").await;
    let admin = w.app.bearer("admin@t.uz").await;
    let form = format!("/submissions/{}", w.own.0);
    let pages: Vec<Page> = vec![
        (
            form.clone(),
            Some(&officer),
            &["=Comment", "=Return", "=Reply"],
        ),
        (form, Some(&reviewer), &["=Comment", "=Return", "=Reply"]),
        ("/admin/audit".into(), Some(&admin), &["=Return", "=Reply"]),
    ];
    assert_pages_escaped(&w.app, &pages).await;
}

/// Renames a registry entity to `names(tag)`, with a reason.
async fn rename(w: &World, id: EntityId, tag: &str) {
    let db = &w.app.services.db;
    let (e, _) = service::registry::get(db, id).await.unwrap();
    let input = EntityInput {
        kind: e.kind,
        subkind: e.subkind,
        code: e.code,
        tin: e.tin,
        names: names(tag),
        parent_id: e.parent.map(|p| p.id),
        website: e.website,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
    };
    service::registry::update(db, &w.admin, id, &input, Some(&text("Rename")))
        .await
        .unwrap();
}

/// A campaign from the first answer to a corrected publication, every
/// text its people write carrying the payload: the district and its region
/// renamed, an answer's comment, evidence (a link, a legal act, a file), a
/// workbook upload's file name, an extension, reminders, transitions, an
/// appeal and its outcome, a nomination, a correction's reason and two
/// changelog lines; then every page and every generated file.
#[tokio::test]
async fn script_payloads_through_a_campaign_stay_inert_on_pages_and_in_exports() {
    use service::{appeals, campaigns, results, workbooks};
    let w = world_named(names("Campaign")).await;
    let db = &w.app.services.db;
    let now = Utc::now();
    let publisher = principal(&w.app, "publisher@t.uz", Role::Publisher, None).await;
    let tokens = [
        w.app.bearer("officer@t.uz").await,
        w.app.bearer("reviewer@t.uz").await,
        w.app.bearer("admin@t.uz").await,
        w.app.bearer("publisher@t.uz").await,
    ];
    let [as_officer, as_reviewer, as_admin, as_publisher] =
        tokens.each_ref().map(|t| Some(t.as_str()));
    let region = entity::entities::Entity::find_by_id(w.district.0)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .region_id
        .expect("a district has a region");
    rename(&w, w.district, "District").await;
    rename(&w, EntityId(region), "Region").await;

    // Entry: answers, a comment, evidence, an upload refused, an extension.
    w.fill_in().await;
    let (fibre, code) = ("INFRA.fibre_km", "INFRA.social_broadband");
    let form = submissions::form(db, &w.officer, w.own, now).await.unwrap();
    let f = field(&form, fibre);
    let saved = submissions::save(
        db,
        &w.officer,
        w.own,
        &SaveRequest {
            indicator: fibre.into(),
            value: f.value.clone(),
            comment: Some(text("Comment")),
            version: f.version,
        },
        now,
    )
    .await
    .unwrap();
    assert!(matches!(saved, SaveOutcome::Saved { .. }), "{saved:?}");
    for evidence in [
        EvidenceInput::Url(link()),
        EvidenceInput::LegalAct {
            act_type: text("Act"),
            number: text("Number"),
            date: "2024-05-01".into(),
            link: link(),
        },
    ] {
        submissions::add_evidence(db, &w.officer, w.own, code, &evidence, now)
            .await
            .unwrap();
    }
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
    submissions::add_file(
        db,
        w.app.services.files.as_ref(),
        &w.officer,
        w.own,
        code,
        &submissions::Upload {
            name: &file_name("File", "pdf"),
            bytes: pdf,
        },
        now,
    )
    .await
    .unwrap();
    let upload = workbooks::import(
        db,
        &w.officer,
        w.own,
        workbooks::Uploaded {
            name: &file_name("Upload", "xlsx"),
            bytes: b"not a workbook",
        },
        true,
        now,
    )
    .await
    .unwrap();
    campaigns::extend_deadline(db, &w.admin, w.own, &day(20), &text("Extend"))
        .await
        .unwrap();
    assert_eq!(
        campaigns::remind(db, &w.admin, w.campaign).await.unwrap(),
        2
    );

    // Review, provisional results, an appeal decided, final results.
    submissions::submit(db, &w.officer, w.own, now)
        .await
        .unwrap();
    let (manager, campaign) = (&w.admin, w.campaign);
    let advance = |from: CampaignStatus| async move {
        campaigns::advance(db, manager, campaign, from, Some(&text("Advance")))
            .await
            .unwrap();
    };
    advance(CampaignStatus::Open).await;
    advance(CampaignStatus::Closed).await;
    // The review queue and the cockpit list submissions only now.
    let pages: Vec<Page> = vec![
        (
            "/review".into(),
            as_reviewer,
            &["=District Latn", "=Campaign Latn"],
        ),
        (
            format!("/campaigns/{}", campaign.0),
            as_admin,
            &["=District Latn", "=Campaign Latn"],
        ),
    ];
    assert_pages_escaped(&w.app, &pages).await;
    submissions::approve(db, &w.reviewer, w.own, now)
        .await
        .unwrap();
    advance(CampaignStatus::UnderReview).await;
    let appeal = appeals::file(
        db,
        &w.officer,
        w.own,
        &NewAppeal {
            indicator: Some(code.into()),
            body: text("Appeal"),
            proposed: Some("95".into()),
            evidence_url: Some(link()),
        },
        now,
    )
    .await
    .unwrap();
    advance(CampaignStatus::Provisional).await;
    appeals::resolve(
        db,
        &w.reviewer,
        appeal.id,
        &AppealDecision {
            status: AppealStatus::Upheld,
            outcome: text("Outcome"),
            value: Some("95".into()),
        },
        now,
    )
    .await
    .unwrap();
    advance(CampaignStatus::Appeals).await;

    // A nominee chosen with a reason, a publication, a correction.
    let publisher = &publisher;
    let draft = results::campaign_results(db, publisher, campaign)
        .await
        .unwrap()
        .league;
    let nominee = &draft.nominations[0];
    results::nominate(
        db,
        publisher,
        campaign,
        &nominee.domain,
        Some(nominee.entities[0].id.0),
        &text("Nominee"),
        now,
    )
    .await
    .unwrap();
    let publish = |changelog: String| async move {
        let request = PublishRequest {
            changelog,
            ..Default::default()
        };
        results::publish(db, publisher, campaign, &request, now)
            .await
            .unwrap();
    };
    publish(text("Publish")).await;
    submissions::review_value(
        db,
        &w.reviewer,
        w.own,
        &Verdict {
            indicator: code,
            action: ReviewAction::Adjust,
            adjusted: Some("80"),
            reason: &text("Correct"),
        },
        now,
    )
    .await
    .unwrap();
    publish(text("Correction")).await;

    let (own, campaign, district) = (w.own.0, campaign.0, w.district.0);
    let league = "/ratings/district?campaign=t-2025";
    let pages: Vec<Page> = vec![
        (
            format!("/submissions/{own}"),
            as_officer,
            &[
                "=Comment",
                "=Act",
                "=Number",
                "=File",
                "https://xss.uz/",
                "=Appeal",
                "=Outcome",
                "=Extend",
                "=District Latn",
            ],
        ),
        (
            format!("/submissions/{own}?import={}", upload.id),
            as_officer,
            &["=Upload"],
        ),
        (
            format!("/submissions/{own}"),
            as_reviewer,
            &["=Correct", "=Appeal"],
        ),
        (
            format!("/campaigns/{campaign}"),
            as_publisher,
            &[
                "=Campaign Latn",
                "=District Latn",
                "=Appeal",
                "=Outcome",
                "=Nominee",
                "=Publish",
                "=Correction",
            ],
        ),
        (format!("/campaigns/{campaign}"), as_admin, &["=Appeal"]),
        ("/campaigns".into(), as_admin, &["=Campaign Latn"]),
        ("/admin/audit".into(), as_admin, &["=Correct"]),
        ("/".into(), as_officer, &["@Campaign En"]),
        ("/".into(), None, &["=Campaign Latn"]),
        (
            league.into(),
            None,
            &[
                "=Campaign Latn",
                "=District Latn",
                "=Nominee",
                "=Publish",
                "=Correction",
            ],
        ),
        (format!("{league}&revision=1"), None, &["=District Latn"]),
        (
            "/ratings/district/what-if".into(),
            None,
            &["=District Latn"],
        ),
        (
            format!("/registry/{district}"),
            None,
            &["=District Latn", "=Region Latn"],
        ),
        (
            format!("/registry/{region}"),
            None,
            &["=Region Latn", "=District Latn"],
        ),
    ];
    assert_pages_escaped(&w.app, &pages).await;

    let (latn, cyrl, ru, en) = (
        |tag: &str| names(tag).uz_latn,
        |tag: &str| names(tag).uz_cyrl,
        |tag: &str| names(tag).ru,
        |tag: &str| names(tag).en,
    );
    let workbook = "/downloads/ratings/t-2025/workbook.xlsx";
    let files: Vec<File> = vec![
        (
            workbook.into(),
            None,
            Format::Xlsx,
            vec![latn("Campaign"), latn("District"), latn("Region")],
        ),
        (
            format!("{workbook}?lang=en&revision=1"),
            None,
            Format::Xlsx,
            vec![en("Campaign"), en("District"), en("Region")],
        ),
        (
            format!("/downloads/entities/{district}/report-card.xlsx?lang=ru"),
            None,
            Format::Xlsx,
            vec![ru("Campaign"), ru("District"), ru("Region")],
        ),
        (
            format!("/downloads/regions/{region}/pack.xlsx?lang=uz-Cyrl"),
            None,
            Format::Xlsx,
            vec![cyrl("Campaign"), cyrl("District"), cyrl("Region")],
        ),
        (
            format!("/files/submissions/{own}/template?lang=en"),
            as_officer,
            Format::Xlsx,
            vec![en("Campaign"), en("District"), text("Comment")],
        ),
        (
            "/open-data/ratings/t-2025.csv".into(),
            None,
            Format::Csv,
            vec![en("District"), en("Region")],
        ),
        (
            "/open-data/ratings/t-2025/r1.csv".into(),
            None,
            Format::Csv,
            vec![en("District"), en("Region")],
        ),
        (
            "/open-data/ratings/t-2025.json".into(),
            None,
            Format::Json,
            vec![en("District"), en("Region")],
        ),
        (
            "/files/audit.csv".into(),
            as_admin,
            Format::Csv,
            vec![
                text("Rename"),
                text("Extend"),
                text("Advance"),
                text("Outcome"),
                text("Correct"),
                text("Publish"),
                text("Correction"),
            ],
        ),
    ];
    assert_files_inert(&w.app, &files).await;
}

/// The file checks fail where they should: on a formula cell, a text
/// missing, a CSV field that begins like a formula.
#[test]
fn the_file_checks_find_formulas_missing_text_and_live_csv_fields() {
    let texts = [text("Check")];
    let t = &texts[0];
    let book = |formula: bool| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, t).unwrap();
        if formula {
            sheet.write_formula(1, 0, "=1+1").unwrap();
        }
        book.save_to_buffer().unwrap()
    };
    let none = Vec::<String>::new();
    assert_eq!(xlsx_problems("a", &book(false), &texts), none);
    assert_eq!(xlsx_problems("b", &book(true), &texts).len(), 1);
    assert_eq!(xlsx_problems("c", &book(false), &[text("Other")]).len(), 1);
    assert_eq!(csv_problems("d", &format!("x,'{t}\n"), &texts), none);
    assert_eq!(csv_problems("e", &format!("x,{t}\n"), &texts).len(), 2);
    assert_eq!(unescaped("f", PAYLOAD).len(), MARKERS.len());
}
