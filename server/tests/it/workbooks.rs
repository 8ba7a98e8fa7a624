//! The Excel round-trip of a submission over HTTP: the template download
//! (scoped, in the asked language), a dry run that writes nothing, an
//! upload that writes every change audited, and a suite of broken
//! workbooks each refused whole, naming the cell.
//!
//! The "officer with Excel" is [`edit`]: it reads a workbook with calamine
//! and writes every sheet back with rust_xlsxwriter after a change, keeping
//! cell types (numbers stay numbers, text stays text), as a spreadsheet
//! program saving the file would.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::Utc;
use domain::{ImportReport, SubmissionStatus};
use reqwest::multipart::{Form, Part};
use service::submissions;
use std::io::Cursor;

use crate::campaigns::{World, field, world};

type Sheets = Vec<(String, Vec<Vec<Data>>)>;

fn read_all(bytes: &[u8]) -> Sheets {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let (h, w) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
            let rows = (0..h)
                .map(|r| {
                    (0..w)
                        .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn write_all(sheets: &Sheets) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::Float(x) => {
                        ws.write_number(r, c, *x).unwrap();
                    }
                    Data::Int(i) => {
                        ws.write_number(r, c, *i as f64).unwrap();
                    }
                    Data::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Data::Bool(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                    Data::Error(_) => {
                        ws.write_formula(
                            r,
                            c,
                            rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
                        )
                        .unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The workbook after `change` to its sheets.
fn edit(bytes: &[u8], change: impl FnOnce(&mut Sheets)) -> Vec<u8> {
    let mut sheets = read_all(bytes);
    change(&mut sheets);
    write_all(&sheets)
}

/// The values sheet (named in English: the tests download `lang=en`).
fn values(sheets: &mut Sheets) -> &mut Vec<Vec<Data>> {
    &mut sheets.iter_mut().find(|(n, _)| n == "Values").unwrap().1
}

/// The row index of an indicator on the values sheet.
fn row_of(rows: &[Vec<Data>], code: &str) -> usize {
    rows.iter()
        .position(|r| r.get(1) == Some(&Data::String(code.into())))
        .unwrap_or_else(|| panic!("no row for {code}"))
}

fn set(sheets: &mut Sheets, code: &str, col: usize, value: Data) {
    let rows = values(sheets);
    let r = row_of(rows, code);
    rows[r][col] = value;
}

const VALUE: usize = 7;

impl World {
    async fn template(&self, token: &str) -> Vec<u8> {
        let r = self
            .app
            .get(
                &format!("/files/submissions/{}/template?lang=en", self.own.0),
                Some(token),
            )
            .await;
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap().to_vec()
    }

    async fn upload(&self, token: &str, bytes: Vec<u8>, dry_run: bool) -> (u16, serde_json::Value) {
        let mut form = Form::new().part(
            "file",
            Part::bytes(bytes).file_name("filled.xlsx".to_owned()),
        );
        if dry_run {
            form = form.text("dry_run", "on");
        }
        let r = self
            .app
            .http
            .post(format!(
                "{}/files/submissions/{}/template",
                self.app.base, self.own.0
            ))
            .bearer_auth(token)
            .header("accept", "application/json")
            .multipart(form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap())
    }

    async fn answer(&self, code: &str) -> Option<String> {
        let f = submissions::form(&self.app.services.db, &self.officer, self.own, Utc::now())
            .await
            .unwrap();
        field(&f, code).value.clone()
    }
}

#[tokio::test]
async fn the_template_round_trips_all_or_nothing_naming_every_bad_cell() {
    let w = world().await;
    let app = &w.app;
    let officer = app.bearer("officer@t.uz").await;
    let other = app.bearer("other@t.uz").await;

    // Readers of the submission download it, as a private attachment.
    let path = format!("/files/submissions/{}/template?lang=ru", w.own.0);
    let r = app.get(&path, Some(&officer)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("t-2025"),
    );
    let ru = read_all(&r.bytes().await.unwrap());
    assert!(ru.iter().any(|(n, _)| n == "Значения"), "in Russian");
    assert_eq!(app.get(&path, Some(&other)).await.status(), 403);
    assert_eq!(app.get(&path, None).await.status(), 401);
    let reviewer = app.bearer("reviewer@t.uz").await;
    assert_eq!(app.get(&path, Some(&reviewer)).await.status(), 200);

    // Every question has a row with its locked keys; nothing answered yet.
    let blank = w.template(&officer).await;
    let mut sheets = read_all(&blank);
    let rows = values(&mut sheets).clone();
    assert_eq!(rows.len(), 1 + 14, "a header and 14 questions");
    for row in &rows[1..] {
        assert_eq!(row[2], Data::String("nis-districts@2020".into()));
        assert!(matches!(row[VALUE], Data::Empty));
    }

    // Filled in: numbers as numbers, "Yes" from the dropdown, a comment.
    let filled = edit(&blank, |s| {
        set(s, "INFRA.fixed_per100", VALUE, Data::Float(37.5));
        set(s, "INFRA.mobile_4g", VALUE, Data::Int(81));
        set(s, "ECON.local_services", VALUE, Data::String("Yes".into()));
        set(
            s,
            "ECON.local_services",
            8,
            Data::String("=see the portal".into()),
        );
    });

    // A dry run reports the three changes and writes nothing.
    let (status, body) = w.upload(&officer, filled.clone(), true).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert!(report.dry_run && !report.applied);
    assert_eq!(report.changes.len(), 3, "{report:?}");
    assert_eq!(report.unchanged, 11, "the questions left blank");
    let change = report
        .changes
        .iter()
        .find(|c| c.indicator == "INFRA.fixed_per100")
        .unwrap();
    assert_eq!(
        (change.before.as_deref(), change.after.as_deref()),
        (None, Some("37.5"))
    );
    assert!(change.cell.starts_with("Values!H"), "{}", change.cell);
    assert_eq!(w.answer("INFRA.fixed_per100").await, None);

    // Each broken workbook is refused whole, naming the cell and the field;
    // it carries one good change too, which must not be written either.
    let good = |s: &mut Sheets| set(s, "INFRA.fibre_km", VALUE, Data::Float(120.0));
    let fibre_row = row_of(&rows, "INFRA.fibre_km") + 1;
    let wifi_row = row_of(&rows, "INFRA.public_wifi") + 1;
    let broadband_row = row_of(&rows, "INFRA.social_broadband") + 1;
    let other_template = {
        // The other district's template, uploaded to this form.
        let r = app
            .get(
                &format!(
                    "/files/submissions/{}/template?lang=en",
                    other_participant(&w).await
                ),
                Some(&other),
            )
            .await;
        r.bytes().await.unwrap().to_vec()
    };
    let pdf = b"%PDF-1.7\n%%EOF\n".to_vec();
    let cases: Vec<(&str, Vec<u8>, &str, String)> = vec![
        ("not a workbook", pdf, "file", String::new()),
        (
            "a workbook without the stamp",
            edit(&blank, |s| s.retain(|(n, _)| n != "daraja")),
            "file",
            String::new(),
        ),
        (
            "another entity's template",
            edit(&other_template, good),
            "entity",
            String::new(),
        ),
        (
            "an altered entity code",
            edit(&blank, |s| {
                good(s);
                set(s, "INFRA.public_wifi", 0, Data::String("1703999".into()));
            }),
            "entity",
            format!("Values!A{wifi_row}"),
        ),
        (
            "an altered methodology stamp",
            edit(&blank, |s| {
                good(s);
                set(
                    s,
                    "INFRA.public_wifi",
                    2,
                    Data::String("nis-districts@2019".into()),
                );
            }),
            "methodology",
            format!("Values!C{wifi_row}"),
        ),
        (
            "an unknown indicator code",
            edit(&blank, |s| {
                good(s);
                set(s, "INFRA.public_wifi", 1, Data::String("INFRA.wifi".into()));
            }),
            "indicator",
            format!("Values!B{wifi_row}"),
        ),
        (
            "text in a number cell",
            edit(&blank, |s| {
                good(s);
                set(s, "INFRA.public_wifi", VALUE, Data::String("many".into()));
            }),
            "value",
            format!("Values!H{wifi_row}"),
        ),
        (
            "an Excel error in a value cell",
            edit(&blank, |s| {
                good(s);
                set(
                    s,
                    "INFRA.social_broadband",
                    VALUE,
                    Data::Error(calamine::CellErrorType::Div0),
                );
            }),
            "value",
            format!("Values!H{broadband_row}"),
        ),
        (
            "a yes/no answer that is neither",
            edit(&blank, |s| {
                good(s);
                set(
                    s,
                    "ECON.local_services",
                    VALUE,
                    Data::String("perhaps".into()),
                );
            }),
            "value",
            format!("Values!H{}", row_of(&rows, "ECON.local_services") + 1),
        ),
        (
            "a duplicated row",
            edit(&blank, |s| {
                good(s);
                let rows = values(s);
                let copy = rows[fibre_row - 1].clone();
                rows.push(copy);
            }),
            "indicator",
            format!("Values!B{}", rows.len() + 1),
        ),
        (
            "a deleted row",
            edit(&blank, |s| {
                good(s);
                values(s).remove(wifi_row - 1);
            }),
            "indicator",
            String::new(),
        ),
    ];
    for (what, bytes, field_name, cell) in cases {
        let (status, body) = w.upload(&officer, bytes, false).await;
        assert_eq!(status, 422, "{what}: {body}");
        let report: ImportReport = serde_json::from_value(body.clone()).unwrap();
        assert!(!report.applied, "{what}");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.field == field_name && p.cell == cell && !p.message.is_empty()),
            "{what}: expected a {field_name} problem at {cell:?}, got {:?}",
            report.problems
        );
        assert_eq!(
            w.answer("INFRA.fibre_km").await,
            None,
            "{what}: nothing written"
        );
    }

    // The clean upload writes the three answers, each audited, and keeps
    // the comment as text.
    let (status, body) = w.upload(&officer, filled.clone(), false).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert!(report.applied && report.problems.is_empty());
    assert_eq!(
        w.answer("INFRA.fixed_per100").await.as_deref(),
        Some("37.5")
    );
    assert_eq!(w.answer("INFRA.mobile_4g").await.as_deref(), Some("81"));
    assert_eq!(
        w.answer("ECON.local_services").await.as_deref(),
        Some("yes")
    );
    let form = submissions::form(&app.services.db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        field(&form, "ECON.local_services").comment.as_deref(),
        Some("=see the portal")
    );
    assert_eq!(form.status, SubmissionStatus::InProgress);
    let saves = form
        .history
        .iter()
        .filter(|h| h.action == "value.save")
        .count();
    assert_eq!(saves, 3);
    assert!(form.history.iter().any(|h| h.action == "workbook.import"));
    // The same file again changes nothing.
    let (_, body) = w.upload(&officer, filled.clone(), false).await;
    let again: ImportReport = serde_json::from_value(body).unwrap();
    assert_eq!((again.changes.len(), again.unchanged), (0, 14));

    // Someone edits a value in the form after the download: the workbook
    // that changes the same value is a conflict, not an overwrite; the one
    // that left it alone applies its other change.
    let stale = w.template(&officer).await;
    let f = field(&form, "INFRA.fixed_per100");
    assert!(matches!(
        w.save(&w.officer, "INFRA.fixed_per100", "40", f.version)
            .await,
        domain::SaveOutcome::Saved { .. }
    ));
    let clash = edit(&stale, |s| {
        set(s, "INFRA.fixed_per100", VALUE, Data::Float(41.0));
    });
    let (status, body) = w.upload(&officer, clash, false).await;
    assert_eq!(status, 422);
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert_eq!(report.problems[0].field, "conflict", "{report:?}");
    assert!(report.problems[0].message.contains("40"), "{report:?}");
    assert_eq!(w.answer("INFRA.fixed_per100").await.as_deref(), Some("40"));
    let beside = edit(&stale, |s| {
        set(s, "INFRA.fibre_km", VALUE, Data::Float(120.0));
    });
    let (status, body) = w.upload(&officer, beside, false).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(w.answer("INFRA.fibre_km").await.as_deref(), Some("120"));
    assert_eq!(w.answer("INFRA.fixed_per100").await.as_deref(), Some("40"));

    // Only the entity's officer uploads; the form page reads a kept report;
    // without JSON the browser is sent back to the form with its id.
    let (status, _) = w.upload(&other, filled.clone(), false).await;
    assert_eq!(status, 403);
    let r = app
        .http
        .post(format!(
            "{}/files/submissions/{}/template",
            app.base, w.own.0
        ))
        .bearer_auth(&officer)
        .multipart(Form::new().part("file", Part::bytes(filled.clone()).file_name("f.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i32 = to
        .split("import=")
        .nth(1)
        .and_then(|t| t.split('#').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{to}"));
    let kept = service::workbooks::report(&app.services.db, &w.officer, w.own, id)
        .await
        .unwrap();
    assert_eq!(kept.file_name, "f.xlsx");
    assert!(
        service::workbooks::report(&app.services.db, &w.other_officer, w.own, id)
            .await
            .is_err()
    );

    // A submitted form takes no upload.
    w.fill_in().await;
    submissions::submit(&app.services.db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let (status, body) = w.upload(&officer, filled, false).await;
    assert_eq!(status, 409, "{body}");
}

async fn other_participant(w: &World) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::participants::Entity::find()
        .filter(entity::participants::Column::CampaignId.eq(w.campaign.0))
        .filter(entity::participants::Column::Id.ne(w.own.0))
        .one(&w.app.services.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// The region's officer of `w`'s districts, signed in: principal, token,
/// region id.
async fn region_officer(w: &World) -> (service::Principal, String, i32) {
    use sea_orm::EntityTrait;
    let region = entity::entities::Entity::find_by_id(w.district.0)
        .one(&w.app.services.db)
        .await
        .unwrap()
        .unwrap()
        .region_id
        .unwrap();
    let p = crate::campaigns::principal(
        &w.app,
        "region@t.uz",
        domain::Role::District,
        Some(domain::EntityId(region)),
    )
    .await;
    (p, w.app.bearer("region@t.uz").await, region)
}

#[tokio::test]
async fn a_region_template_has_a_row_per_district_and_applies_to_all_or_none() {
    let w = world().await;
    let app = &w.app;
    let db = &app.services.db;
    let (_, token, region) = region_officer(&w).await;
    let path = format!(
        "/files/campaigns/{}/regions/{region}/template",
        w.campaign.0
    );
    // The region's officer and the ministry download it; a district's
    // officer does not.
    let r = app.get(&format!("{path}?lang=en"), Some(&token)).await;
    assert_eq!(r.status(), 200);
    let blank = r.bytes().await.unwrap().to_vec();
    let officer = app.bearer("officer@t.uz").await;
    assert_eq!(app.get(&path, Some(&officer)).await.status(), 403);
    let reviewer = app.bearer("reviewer@t.uz").await;
    assert_eq!(app.get(&path, Some(&reviewer)).await.status(), 200);

    // A row per district (both of the world's are in this region), a
    // column per question after the three key columns, codes on row 2.
    let mut sheets = read_all(&blank);
    let grid = values(&mut sheets).clone();
    assert_eq!(grid.len(), 2 + 2, "two header rows, two districts");
    assert_eq!(grid[1].len(), 3 + 14, "three key columns, 14 questions");
    let col = |code: &str| {
        grid[1]
            .iter()
            .position(|c| *c == Data::String(code.into()))
            .unwrap_or_else(|| panic!("no column for {code}"))
    };
    let Data::String(own_code) = grid[2][0].clone() else {
        panic!("no entity code in A3")
    };
    let (own_row, other_row) = (2, 3);
    assert_eq!(grid[own_row][2], Data::String("nis-districts@2020".into()));
    let letter = |c: usize| (b'A' + c as u8) as char;

    let post = |bytes: Vec<u8>, dry_run: bool, to: String| {
        let token = token.clone();
        async move {
            let mut form = Form::new().part("file", Part::bytes(bytes).file_name("region.xlsx"));
            if dry_run {
                form = form.text("dry_run", "on");
            }
            let r = app
                .http
                .post(format!("{}{to}", app.base))
                .bearer_auth(&token)
                .header("accept", "application/json")
                .multipart(form)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let fill = |sheets: &mut Sheets| {
        let v = values(sheets);
        v[own_row][col("INFRA.fibre_km")] = Data::Float(412.0);
        v[own_row][col("ECON.local_services")] = Data::String("Yes".into());
        v[other_row][col("INFRA.fibre_km")] = Data::Int(95);
    };
    let filled = edit(&blank, fill);

    // A check first: three changes in two districts, nothing written.
    let (status, body) = post(filled.clone(), true, path.clone()).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert!(report.dry_run && !report.applied);
    assert_eq!(report.changes.len(), 3, "{report:?}");
    let fibre = format!("Values!{}3", letter(col("INFRA.fibre_km")));
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.cell == fibre && c.entity.as_ref() == Some(&own_code)),
        "{report:?}"
    );
    assert_eq!(w.answer("INFRA.fibre_km").await, None);

    // A broken cell in one district stops every district, naming the cell.
    let broken = edit(&blank, |s| {
        fill(s);
        values(s)[other_row][col("INFRA.public_wifi")] = Data::String("many".into());
    });
    let (status, body) = post(broken, false, path.clone()).await;
    assert_eq!(status, 422, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert!(!report.applied);
    assert_eq!(report.problems.len(), 1, "{report:?}");
    assert_eq!(
        report.problems[0].cell,
        format!("Values!{}4", letter(col("INFRA.public_wifi")))
    );
    assert_eq!(w.answer("INFRA.fibre_km").await, None, "nothing written");
    // So does an altered key, a district of another region, and a
    // submission's template sent here.
    let moved = edit(&blank, |s| {
        fill(s);
        values(s)[other_row][0] = Data::String("1726262".into());
    });
    let (status, body) = post(moved, false, path.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("Values!A4"), "{body}");
    let single = w.template(&officer).await;
    let (status, body) = post(single.clone(), false, path.clone()).await;
    assert_eq!(status, 422);
    assert!(
        body.to_string().contains("one submission's template"),
        "{body}"
    );
    // …and a region's template sent to one submission's form.
    let (status, body) = w.upload(&officer, filled.clone(), false).await;
    assert_eq!(status, 422);
    assert!(body.to_string().contains("region's template"), "{body}");

    // Applied: every district's answers, each audited as the region's.
    let (status, body) = post(filled.clone(), false, path.clone()).await;
    assert_eq!(status, 200, "{body}");
    let report: ImportReport = serde_json::from_value(body).unwrap();
    assert!(report.applied);
    assert_eq!(w.answer("INFRA.fibre_km").await.as_deref(), Some("412"));
    assert_eq!(
        w.answer("ECON.local_services").await.as_deref(),
        Some("yes")
    );
    let other = submissions::form(
        db,
        &w.other_officer,
        domain::ParticipantId(other_participant(&w).await),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(field(&other, "INFRA.fibre_km").value.as_deref(), Some("95"));
    assert!(other.history.iter().any(|h| h.action == "workbook.import"
        && h.after.as_deref().is_some_and(|a| a.contains("region"))));
    let kept = service::region_workbooks::region_report(
        db,
        &w.reviewer,
        w.campaign,
        domain::EntityId(region),
        report.id,
    )
    .await
    .unwrap();
    assert!(kept.applied && kept.changes.len() == 3);

    // The same file again changes nothing; after the district's officer
    // changed a value in the form, the stale file is a conflict there.
    let (status, body) = post(filled.clone(), true, path.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["changes"].as_array().unwrap().len(), 0);
    let version = field(
        &submissions::form(db, &w.officer, w.own, Utc::now())
            .await
            .unwrap(),
        "INFRA.fibre_km",
    )
    .version;
    w.save(&w.officer, "INFRA.fibre_km", "415", version).await;
    let stale = edit(&filled, |s| {
        values(s)[own_row][col("INFRA.fibre_km")] = Data::Float(420.0);
    });
    let (status, body) = post(stale, false, path.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("conflict"), "{body}");
    assert_eq!(w.answer("INFRA.fibre_km").await.as_deref(), Some("415"));

    // A submitted district takes no answers from the file.
    w.fill_in().await;
    submissions::submit(db, &w.officer, w.own, Utc::now())
        .await
        .unwrap();
    let fresh = app.get(&format!("{path}?lang=en"), Some(&token)).await;
    let fresh = fresh.bytes().await.unwrap().to_vec();
    let late = edit(&fresh, |s| {
        values(s)[own_row][col("INFRA.fibre_km")] = Data::Float(1.0);
    });
    let (status, body) = post(late, false, path.clone()).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("read-only"), "{body}");
    // Only the region's officer uploads.
    let r = app
        .http
        .post(format!("{}{path}", app.base))
        .bearer_auth(&reviewer)
        .header("accept", "application/json")
        .multipart(Form::new().part("file", Part::bytes(filled).file_name("r.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}
