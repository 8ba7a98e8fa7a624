//! Formula-injection payloads in every text field stay text: in xlsx as
//! string cells, in CSV behind a `'`.

use exports::{
    Lang, RatingRow, national_workbook, rating_rows, ratings_csv, region_pack, report_card, sample,
};

use crate::helpers::{self, text};

const PAYLOADS: [&str; 7] = [
    "=1+1",
    "+SUM(A1:A2)",
    "-2+3",
    "@cmd",
    "\t=tab",
    "\r=cr",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
];

fn poisoned_rating(payload: &str) -> exports::NationalRating {
    let mut rating = sample::national(30, 12);
    let p = || payload.to_string();
    rating.campaign.name = p();
    rating.campaign.period = p();
    rating.campaign.publication_date = p();
    rating.campaign.publisher = p();
    rating.methodology.code = p();
    rating.methodology.version = p();
    rating.methodology.normalisation = p();
    for domain in &mut rating.methodology.domains {
        domain.name = p();
        for indicator in &mut domain.indicators {
            indicator.name = p();
            indicator.unit = p();
            indicator.normalisation = p();
        }
    }
    for league in &mut rating.leagues {
        for row in &mut league.rows {
            row.entity_name = p();
            row.code = p();
            row.region = p();
        }
    }
    for entity in &mut rating.indicators.entities {
        entity.name = p();
        entity.code = p();
    }
    rating
}

#[test]
fn national_workbook_writes_payloads_as_text() {
    for payload in PAYLOADS {
        let rating = poisoned_rating(payload);
        let bytes = national_workbook(&rating, Lang::En).expect("workbook");
        let mut book = helpers::open(&bytes);
        assert_eq!(helpers::formulas(&mut book), vec![], "payload {payload:?}");
        let league = helpers::sheet(&mut book, "State bodies");
        assert_eq!(text(&league, 1, 2), payload);
        assert_eq!(text(&league, 1, 3), payload);
        let summary = helpers::sheet(&mut book, "Summary");
        assert_eq!(text(&summary, 1, 0), payload, "campaign name");
        // The page header escapes nothing dangerous but must stay valid XML.
        let sheet = helpers::part(&bytes, "xl/worksheets/sheet2.xml");
        assert!(!sheet.contains("<f>"), "no formula element in any cell");
    }
}

#[test]
fn report_card_and_region_pack_write_payloads_as_text() {
    for payload in PAYLOADS {
        let rating = sample::national(30, 12);
        let mut card = sample::report_card(&rating, exports::EntityKind::District, 0);
        let p = || payload.to_string();
        card.entity_name = p();
        card.code = p();
        card.region = p();
        card.campaign.name = p();
        for d in &mut card.domains {
            d.name = p();
        }
        for t in &mut card.trend {
            t.campaign = p();
        }
        for g in &mut card.gaps {
            g.indicator_name = p();
            g.domain_name = p();
        }
        for i in &mut card.indicators {
            i.name = p();
            i.unit = p();
            i.domain_name = p();
            i.evidence_url = Some(p());
        }
        for c in &mut card.comments {
            c.text = p();
            c.reviewer = p();
            c.date = p();
        }
        let bytes = report_card(&card, Lang::UzLatn).expect("card");
        let mut book = helpers::open(&bytes);
        assert_eq!(helpers::formulas(&mut book), vec![], "payload {payload:?}");
        let range = helpers::sheet(&mut book, "Hisobot");
        assert_eq!(text(&range, 0, 0), payload);

        let region = exports::RegionInfo {
            name: p(),
            code: p(),
        };
        let bytes = region_pack(&[card.clone(), card], &region, Lang::En).expect("pack");
        let mut book = helpers::open(&bytes);
        assert_eq!(helpers::formulas(&mut book), vec![], "payload {payload:?}");
    }
}

#[test]
fn csv_prefixes_payloads_with_a_quote() {
    for payload in PAYLOADS {
        let rating = poisoned_rating(payload);
        let rows: Vec<RatingRow> = rating_rows(&rating);
        let bytes = ratings_csv(&rows).expect("csv");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            for name in [
                "period",
                "methodology_code",
                "methodology_version",
                "publication_date",
                "code",
                "name",
                "region",
            ] {
                assert_eq!(&record[column(name)], format!("'{payload}"), "{name}");
            }
        }
    }
}
