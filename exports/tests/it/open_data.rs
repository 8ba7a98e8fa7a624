//! CSV and JSON: same numbers as the workbook, stable schema, current docs.

use exports::lang::kind_label;
use exports::{Lang, national_workbook, rating_rows, ratings_csv, ratings_json, sample};

use crate::helpers::{self, num, text};

#[test]
fn csv_has_the_documented_columns_and_the_workbook_numbers() {
    let rating = sample::national(150, 24);
    let rows = rating_rows(&rating);
    let bytes = ratings_csv(&rows).expect("csv");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers[..3],
        ["period", "methodology_code", "methodology_version"]
    );
    assert_eq!(
        headers
            .iter()
            .rev()
            .find(|h| h.starts_with("domain_"))
            .unwrap(),
        "domain_D6"
    );
    assert!(
        headers.last().unwrap().starts_with("value_"),
        "raw answers last"
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        records.len(),
        rating.leagues.iter().map(|l| l.rows.len()).sum::<usize>()
    );

    let workbook = national_workbook(&rating, Lang::En).unwrap();
    let mut book = helpers::open(&workbook);
    let mut records = records.iter();
    for league in &rating.leagues {
        let range = helpers::sheet(&mut book, kind_label(league.kind, Lang::En));
        for r in 1..=league.rows.len() {
            let record = records.next().unwrap();
            assert_eq!(&record[5], league.kind.code());
            assert_eq!(record[7], text(&range, r, 2));
            let csv_number =
                |i: usize| (!record[i].is_empty()).then(|| record[i].parse::<f64>().unwrap());
            assert_eq!(csv_number(9), num(&range, r, 0), "rank");
            assert_eq!(csv_number(12), num(&range, r, 5), "index");
            for d in 0..6 {
                assert_eq!(csv_number(15 + d), num(&range, r, 7 + d), "domain {d}");
            }
            assert!(record[12].is_empty() || record[12].split('.').nth(1).unwrap().len() == 2);
        }
    }
}

#[test]
fn json_has_the_schema_and_the_same_numbers_as_csv() {
    let mut rating = sample::national(60, 12);
    rating.leagues[0].rows[0].index = None;
    rating.leagues[0].rows[0].band = None;
    rating.leagues[0].rows[1].index = Some(71.23456);
    let rows = rating_rows(&rating);
    let json: serde_json::Value = serde_json::from_slice(&ratings_json(&rows).unwrap()).unwrap();
    assert_eq!(json["schema"], "daraja.ratings.v1");
    let first = &json["rows"][0];
    assert!(first["index"].is_null() && first["band"].is_null());
    assert_eq!(json["rows"][1]["index"], 71.23);
    assert_eq!(json["rows"][1]["kind"], "state_body");
    for key in [
        "period",
        "code",
        "name",
        "region",
        "rank",
        "rank_p05",
        "rank_p95",
        "change",
        "domain_scores",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    assert_eq!(json["rows"][1]["domain_scores"][0]["domain"], "D1");
    let csv = String::from_utf8(ratings_csv(&rows).unwrap()).unwrap();
    assert!(csv.lines().nth(2).unwrap().contains(",71.23,"));
    // Round trip through serde.
    let back: Vec<exports::RatingRow> = serde_json::from_value(json["rows"].clone()).unwrap();
    assert_eq!(back.len(), rows.len());
}

#[test]
fn empty_rows_give_a_header_only_csv_and_an_empty_json_list() {
    let csv = String::from_utf8(ratings_csv(&[]).unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 1);
    let json: serde_json::Value = serde_json::from_slice(&ratings_json(&[]).unwrap()).unwrap();
    assert_eq!(json["rows"], serde_json::json!([]));
}

#[test]
fn rows_with_different_domains_are_rejected() {
    let rating = sample::national(30, 12);
    let mut rows = rating_rows(&rating);
    rows[1].domain_scores.pop();
    assert!(matches!(
        ratings_csv(&rows),
        Err(exports::ExportError::Shape(_))
    ));
}

#[test]
fn data_dictionary_documents_every_column_in_every_language() {
    let rows = rating_rows(&sample::national(20, 6));
    let csv = String::from_utf8(ratings_csv(&rows).unwrap()).unwrap();
    let header = csv.lines().next().unwrap();
    for lang in Lang::ALL {
        let dictionary = exports::data_dictionary(lang);
        for column in header.split(',') {
            let documented = if column.starts_with("domain_") {
                "domain_<code>"
            } else if column.starts_with("value_") {
                "value_<code>"
            } else {
                column
            };
            assert!(
                dictionary.contains(&format!("`{documented}`")),
                "{column} in {lang:?}"
            );
        }
        assert!(dictionary.contains("daraja.ratings.v1"));
    }
}

/// The raw answers are published per indicator, unrounded, after the
/// domains; an indicator the methodology keeps private has no column.
#[test]
fn raw_answers_are_published_except_for_private_indicators() {
    let mut rating = sample::national(12, 6);
    let width = rating.methodology.indicator_count();
    let first = rating.methodology.domains[0].indicators[0].code.clone();
    rating.methodology.domains[0].indicators[0].public = false;
    rating.indicators.raw[width + 1] = 1240.125;
    let rows = rating_rows(&rating);
    let csv = String::from_utf8(ratings_csv(&rows).unwrap()).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert!(
        !header.contains(&format!("value_{first}").as_str()),
        "{header:?}"
    );
    let second = &rating
        .methodology
        .domains
        .iter()
        .flat_map(|d| &d.indicators)
        .nth(1)
        .unwrap()
        .code
        .clone();
    let col = header
        .iter()
        .position(|h| *h == format!("value_{second}"))
        .expect("public answers have a column");
    assert_eq!(
        header.len(),
        col + width - 1,
        "one column per public indicator, last"
    );
    let row = &rating.indicators.entities[1];
    let line = csv
        .lines()
        .find(|l| l.split(',').nth(6) == Some(row.code.as_str()))
        .expect("the entity's row");
    assert_eq!(line.split(',').nth(col), Some("1240.125"));
    let json: serde_json::Value = serde_json::from_slice(&ratings_json(&rows).unwrap()).unwrap();
    let values = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == row.code.as_str())
        .unwrap()["values"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(values.len(), width - 1);
    assert_eq!(values[0]["indicator"], second.as_str());
    assert_eq!(values[0]["value"], 1240.125);
}

#[test]
fn open_data_md_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/OPEN_DATA.md");
    let expected = exports::open_data::open_data_markdown();
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "OPEN_DATA.md is stale; rerun with UPDATE_EXPECT=1"
    );
}
