//! Downloads of published ratings: workbook, report card, open data at
//! stable addresses; nothing unpublished is served.

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn published_league_downloads_as_workbook_csv_json_and_report_card() {
    let app = spawn_app_with(true).await;
    let get = |path: String| {
        let http = app.http.clone();
        let url = format!("{}{path}", app.base);
        async move { http.get(url).send().await.unwrap() }
    };

    let r = get("/downloads/ratings/district-2020-12/workbook.xlsx?lang=ru".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"daraja-district-2020-12-r1-ru.xlsx\"")
    );
    assert!(
        r.headers().get("content-length").is_none(),
        "streamed as it is compressed, not held whole"
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");

    let csv = get("/open-data/ratings/district-2020-12.csv".into()).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 203,
        "header and 203 districts and cities"
    );
    let stable = get("/open-data/ratings/district-2020-12/r1.csv".into())
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(stable, text, "the revision address serves the same bytes");

    let json: serde_json::Value = get("/open-data/ratings/district-2023-12/r1.json".into())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        json.as_array().is_some_and(|a| a.len() >= 203) || json.get("rows").is_some(),
        "{json}"
    );

    for missing in [
        "/open-data/ratings/district-2020-12/r9.csv",
        "/open-data/ratings/no-such-campaign.csv",
        "/open-data/ratings/district-2020-12.xml",
        "/downloads/ratings/no-such/workbook.xlsx",
    ] {
        assert_eq!(get(missing.into()).await.status(), 404, "{missing}");
    }

    let asaka = app.entity("1703224").await;
    let card = get(format!(
        "/downloads/entities/{}/report-card.xlsx?lang=en",
        asaka.0
    ))
    .await;
    assert_eq!(card.status(), 200);
    assert_eq!(&card.bytes().await.unwrap()[..2], b"PK");

    let andijan = app.entity("1703").await;
    let pack = get(format!(
        "/downloads/regions/{}/pack.xlsx?lang=uz-Cyrl",
        andijan.0
    ))
    .await;
    assert_eq!(pack.status(), 200);
    assert_eq!(&pack.bytes().await.unwrap()[..2], b"PK");
    assert_eq!(
        get(format!("/downloads/regions/{}/pack.xlsx", asaka.0))
            .await
            .status(),
        404,
        "a district is not a region"
    );

    let dict = get("/open-data/dictionary.md".into()).await;
    assert_eq!(dict.status(), 200);
}

/// What the server serves is what was published: the workbook's league
/// sheet, the CSV and the JSON, read back here, carry the snapshot's
/// numbers (as the engine scored them, rounded to two decimals) entity by
/// entity.
#[tokio::test]
async fn served_workbook_csv_and_json_carry_the_published_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use std::collections::HashMap;
    let app = spawn_app_with(true).await;
    let campaign = "district-2023-12";
    let (league, _) = service::ratings::public_league(
        &app.services.db,
        domain::EntityKind::District,
        Some(campaign),
        None,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .expect("the demo publishes the 2023 district round");
    let p = &league.payload;
    assert!(p.rows.len() >= 200);
    let round = |v: Option<f64>| v.map(|x| (x * 100.0).round() / 100.0);
    let get = |path: String| {
        let http = app.http.clone();
        let url = format!("{}{path}", app.base);
        async move {
            let r = http.get(url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap().to_vec()
        }
    };

    let xlsx = get(format!(
        "/downloads/ratings/{campaign}/workbook.xlsx?lang=en"
    ))
    .await;
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = exports::lang::kind_label(exports::EntityKind::District, exports::Lang::En);
    let range = book.worksheet_range(sheet).unwrap();
    assert_eq!(range.height(), p.rows.len() + 1, "header and every row");
    let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
    let number = |r: usize, c: usize| match cell(r, c) {
        Data::Float(x) => Some(x),
        Data::Int(x) => Some(x as f64),
        Data::Empty => None,
        other => panic!("row {r} column {c}: {other:?} is not a number"),
    };
    let domains = p.domains.len();
    for (i, row) in p.rows.iter().enumerate() {
        let r = i + 1;
        let rank = (row.rank > 0).then_some(f64::from(row.rank));
        assert_eq!(number(r, 0), rank, "rank of {}", row.entity.code);
        assert_eq!(cell(r, 3).to_string(), row.entity.code);
        assert_eq!(
            number(r, 5),
            round(row.index),
            "index of {}",
            row.entity.code
        );
        for d in 0..domains {
            assert_eq!(
                number(r, 7 + d),
                round(row.domain_scores[d]),
                "{} of {}",
                p.domains[d].code,
                row.entity.code
            );
        }
        assert_eq!(
            number(r, 7 + domains),
            round(row.change),
            "change of {}",
            row.entity.code
        );
    }

    let by_code: HashMap<&str, &domain::SnapshotRow> =
        p.rows.iter().map(|r| (r.entity.code.as_str(), r)).collect();
    let csv = get(format!(
        "/open-data/ratings/{campaign}/r{}.csv",
        league.revision
    ))
    .await;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let parse = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().unwrap());
    let mut seen = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        let row = by_code[&rec[col("code")]];
        assert_eq!(
            parse(&rec[col("index")]),
            round(row.index),
            "CSV index of {}",
            row.entity.code
        );
        assert_eq!(
            parse(&rec[col("rank")]),
            (row.rank > 0).then_some(f64::from(row.rank))
        );
        assert_eq!(parse(&rec[col("rank_p05")]), Some(f64::from(row.rank_p05)));
        assert_eq!(parse(&rec[col("rank_p95")]), Some(f64::from(row.rank_p95)));
        for (d, def) in p.domains.iter().enumerate() {
            assert_eq!(
                parse(&rec[col(&format!("domain_{}", def.code))]),
                round(row.domain_scores[d])
            );
        }
        seen += 1;
    }
    assert_eq!(seen, p.rows.len());

    let json: serde_json::Value = serde_json::from_slice(
        &get(format!(
            "/open-data/ratings/{campaign}/r{}.json",
            league.revision
        ))
        .await,
    )
    .unwrap();
    assert_eq!(json["schema"], "daraja.ratings.v1");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), p.rows.len());
    for j in rows {
        let row = by_code[j["code"].as_str().unwrap()];
        assert_eq!(
            j["index"].as_f64(),
            round(row.index),
            "JSON index of {}",
            row.entity.code
        );
        assert_eq!(
            j["rank"].as_u64(),
            (row.rank > 0).then_some(u64::from(row.rank))
        );
        for (d, s) in j["domain_scores"].as_array().unwrap().iter().enumerate() {
            assert_eq!(s["score"].as_f64(), round(row.domain_scores[d]));
        }
    }
}

/// A national workbook written while the browser watches: progress events
/// that only go forward, then the address of the prepared file, fetched
/// once; a campaign that is not public is a 404 before any event.
#[tokio::test]
async fn a_workbook_can_be_watched_while_it_is_written() {
    let app = spawn_app_with(true).await;
    let url = |path: &str| format!("{}{path}", app.base);
    let res = app
        .http
        .get(url(
            "/downloads/ratings/district-2023-12/workbook.xlsx/progress?lang=ru",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let body = res.text().await.unwrap();
    let events: Vec<(&str, &str)> = body
        .split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(str::trim))
            };
            Some((field("event:")?, field("data:")?))
        })
        .collect();
    let progress: Vec<(usize, usize, bool)> = events
        .iter()
        .filter(|(e, _)| *e == "progress")
        .map(|(_, d)| {
            let n: Vec<usize> = d.split(' ').map(|x| x.parse().unwrap()).collect();
            (n[0], n[1], n[2] == 1)
        })
        .collect();
    assert!(progress.len() >= 2, "{body}");
    assert!(
        progress.windows(2).all(|w| w[0].0 <= w[1].0),
        "forward only"
    );
    let (rows, total, packing) = *progress.last().unwrap();
    assert_eq!((rows, packing), (total, true));
    let (last, ready) = *events.last().unwrap();
    assert_eq!(last, "ready", "{body}");
    assert!(
        ready.starts_with("/downloads/ratings/district-2023-12/workbook.xlsx?lang=ru&prepared=")
    );
    let fetched = app.http.get(url(ready)).send().await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["x-daraja-prepared"], "hit");
    assert_eq!(&fetched.bytes().await.unwrap()[..2], b"PK");
    // Fetched once: again, or in another language, it is written anew.
    let again = app.http.get(url(ready)).send().await.unwrap();
    assert_eq!(again.status(), 200);
    assert!(again.headers().get("x-daraja-prepared").is_none());
    let res = app
        .http
        .get(url("/downloads/ratings/no-such/workbook.xlsx/progress"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
