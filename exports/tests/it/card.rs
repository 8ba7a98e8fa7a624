//! The report card and the region pack read back with calamine.

use exports::lang;
use exports::{
    EntityKind, Lang, RegionInfo, ReportCard, region_pack, report_card, round_score, sample,
};

use crate::helpers::{self, num, text};

fn card() -> ReportCard {
    let rating = sample::national(120, 24);
    sample::report_card(&rating, EntityKind::District, 3)
}

/// Finds the row whose column A holds `label`.
fn row_of(range: &calamine::Range<calamine::Data>, label: &str) -> usize {
    (0..range.height())
        .find(|r| text(range, *r, 0) == label)
        .unwrap_or_else(|| panic!("no row {label:?}"))
}

fn check_card_sheet(range: &calamine::Range<calamine::Data>, card: &ReportCard, lang: Lang) {
    assert_eq!(text(range, 0, 0), card.entity_name);
    let r = row_of(range, lang::index(lang));
    assert_eq!(num(range, r, 1), card.index.and_then(round_score));
    assert_eq!(text(range, r + 1, 1), lang::band_label(card.band, lang));
    assert_eq!(num(range, r + 2, 1), card.rank.map(f64::from));
    assert_eq!(num(range, r + 4, 1), Some(f64::from(card.league_size)));

    let r = row_of(range, lang::domain_scores(lang)) + 2;
    for (i, domain) in card.domains.iter().enumerate() {
        assert_eq!(
            text(range, r + i, 0),
            format!("{} {}", domain.code, domain.name)
        );
        assert_eq!(num(range, r + i, 1), domain.score.and_then(round_score));
        assert_eq!(
            num(range, r + i, 2),
            domain.peer_average.and_then(round_score)
        );
        assert_eq!(
            num(range, r + i, 3),
            domain.region_average.and_then(round_score)
        );
    }

    let r = row_of(range, lang::trend(lang)) + 2;
    for (i, point) in card.trend.iter().enumerate() {
        assert_eq!(text(range, r + i, 0), point.campaign);
        assert_eq!(num(range, r + i, 1), point.index.and_then(round_score));
        assert_eq!(num(range, r + i, 3), point.rank.map(f64::from));
    }

    let r = row_of(range, lang::gaps(lang)) + 2;
    let mut gains = Vec::new();
    for i in 0..card.gaps.len() {
        gains.push(num(range, r + i, 2).expect("gain"));
    }
    assert!(
        gains.windows(2).all(|w| w[0] >= w[1]),
        "largest gain first: {gains:?}"
    );
}

#[test]
fn report_card_matches_the_input() {
    let card = card();
    for lang in Lang::ALL {
        let bytes = report_card(&card, lang).expect("card");
        let mut book = helpers::open(&bytes);
        let range = helpers::sheet(&mut book, lang::sheet_card(lang));
        check_card_sheet(&range, &card, lang);
    }
    let bytes = report_card(&card, Lang::En).unwrap();
    let parts = helpers::parts(&bytes);
    assert!(
        parts.contains(&"xl/charts/chart1.xml".to_string()),
        "domain chart"
    );
    assert!(
        parts.contains(&"xl/charts/chart2.xml".to_string()),
        "trend chart"
    );
    assert!(helpers::part(&bytes, "xl/charts/chart2.xml").contains("<c:lineChart>"));
}

#[test]
fn evidence_links_are_hyperlinks_only_for_http() {
    let mut card = card();
    card.indicators.truncate(4);
    card.indicators[0].evidence_url = Some("https://data.gov.uz/ev/1".to_string());
    card.indicators[1].evidence_url = Some("javascript:alert(1)".to_string());
    card.indicators[2].evidence_url = Some("file:///etc/passwd".to_string());
    card.indicators[3].evidence_url = Some("=HYPERLINK(\"http://evil\",\"x\")".to_string());
    let bytes = report_card(&card, Lang::En).expect("card");
    let rels = helpers::part(&bytes, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(rels.contains("https://data.gov.uz/ev/1"));
    assert!(!rels.contains("javascript") && !rels.contains("file://") && !rels.contains("evil"));
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, "Report card");
    let r = row_of(&range, &card.indicators[1].name);
    assert_eq!(
        text(&range, r, 5),
        "javascript:alert(1)",
        "shown as plain text"
    );
    assert_eq!(text(&range, r + 2, 5), "=HYPERLINK(\"http://evil\",\"x\")");
    assert!(helpers::formulas(&mut book).is_empty());
}

#[test]
fn card_with_no_data_is_valid() {
    let card = ReportCard::default();
    let bytes = report_card(&card, Lang::Ru).expect("card");
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, "Карточка");
    assert_eq!(text(&range, row_of(&range, "Оценка"), 1), "не оценено");
    assert!(
        !helpers::parts(&bytes).iter().any(|p| p.contains("chart")),
        "no empty charts"
    );
}

#[test]
fn region_pack_has_an_overview_and_a_sheet_per_district() {
    let rating = sample::national(200, 12);
    let mut cards: Vec<ReportCard> = (0..5)
        .map(|i| sample::report_card(&rating, EntityKind::District, i))
        .collect();
    // Names that are not valid sheet names as they stand.
    cards[0].entity_name = "Qo'qon shahri".to_string();
    cards[1].entity_name = "Qo'qon shahri".to_string();
    cards[2].entity_name = "Uchko'prik / Buvayda [tumanlar]: juda uzun nom bilan".to_string();
    cards[3].entity_name = "=cmd|' /C calc'!A0".to_string();
    let region = RegionInfo {
        name: "Fargʻona viloyati".to_string(),
        code: "1730".to_string(),
    };
    let bytes = region_pack(&cards, &region, Lang::UzLatn).expect("pack");
    let mut book = helpers::open(&bytes);
    let names = calamine::Reader::sheet_names(&book);
    assert_eq!(names.len(), 1 + cards.len());
    assert_eq!(names[0], "Umumiy koʻrinish");
    assert_eq!(names[1], "Qo'qon shahri");
    assert_eq!(names[2], "Qo'qon shahri (2)");
    assert!(names.iter().all(|n| n.chars().count() <= 31));

    let overview = helpers::sheet(&mut book, &names[0]);
    for (i, card) in cards.iter().enumerate() {
        assert_eq!(text(&overview, 5 + i, 0), card.entity_name);
        assert_eq!(num(&overview, 5 + i, 2), card.index.and_then(round_score));
    }
    for (card, name) in cards.iter().zip(&names[1..]) {
        let range = helpers::sheet(&mut book, name);
        check_card_sheet(&range, card, Lang::UzLatn);
    }
    // Each district sheet has its own two charts, pointing at its own sheet.
    let chart = helpers::part(&bytes, "xl/charts/chart1.xml");
    assert!(
        chart.contains("'Qo''qon shahri'!"),
        "quoted sheet reference"
    );
    assert!(helpers::formulas(&mut book).is_empty());
}
