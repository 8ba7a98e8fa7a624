//! The national workbook read back with calamine.

use exports::lang::{self, kind_label};
use exports::{
    Band, EntityKind, ExportError, Lang, League, LeagueRow, NationalRating, national_workbook,
    round_score, sample,
};

use crate::helpers::{self, num, text};

/// Compares every league sheet cell with the input rows.
fn check_leagues(bytes: &[u8], rating: &NationalRating, lang: Lang) {
    let mut book = helpers::open(bytes);
    let domains = rating.methodology.domains.len();
    for league in &rating.leagues {
        let range = helpers::sheet(&mut book, kind_label(league.kind, lang));
        assert_eq!(text(&range, 0, 0), lang::rank(lang));
        assert_eq!(text(&range, 0, 7 + domains), lang::change(lang));
        for (i, row) in league.rows.iter().enumerate() {
            let r = i + 1;
            assert_eq!(num(&range, r, 0), row.rank.map(f64::from), "rank, row {r}");
            let interval = match (row.rank_p05, row.rank_p95) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => String::new(),
            };
            assert_eq!(text(&range, r, 1), interval);
            assert_eq!(text(&range, r, 2), row.entity_name);
            assert_eq!(text(&range, r, 3), row.code);
            assert_eq!(text(&range, r, 4), row.region);
            assert_eq!(
                num(&range, r, 5),
                row.index.and_then(round_score),
                "index, row {r}"
            );
            assert_eq!(text(&range, r, 6), lang::band_label(row.band, lang));
            for (d, score) in row.domain_scores.iter().enumerate() {
                assert_eq!(
                    num(&range, r, 7 + d),
                    score.and_then(round_score),
                    "domain {d}, row {r}"
                );
            }
            assert_eq!(
                num(&range, r, 7 + domains),
                row.change.and_then(round_score)
            );
        }
        assert_eq!(range.height(), league.rows.len() + 1);
    }
}

#[test]
fn league_sheets_match_the_input_in_every_language() {
    let rating = sample::national(150, 24);
    for lang in Lang::ALL {
        let bytes = national_workbook(&rating, lang).expect("workbook");
        check_leagues(&bytes, &rating, lang);
    }
}

#[test]
fn workbook_has_all_sheets_in_order() {
    let rating = sample::national(150, 24);
    let bytes = national_workbook(&rating, Lang::En).expect("workbook");
    let book = helpers::open(&bytes);
    let mut expected = vec!["Summary".to_string()];
    expected.extend(
        rating
            .leagues
            .iter()
            .map(|l| kind_label(l.kind, Lang::En).to_string()),
    );
    expected.extend(rating.methodology.domains.iter().map(|d| {
        let name = format!("{} {}", d.code, d.name);
        name.chars().take(31).collect::<String>()
    }));
    expected.push("Raw values".to_string());
    expected.push("Methodology".to_string());
    assert_eq!(calamine::Reader::sheet_names(&book), expected);
}

#[test]
fn indicator_sheets_hold_rounded_scores_and_exact_raw_values() {
    let rating = sample::national(80, 18);
    let bytes = national_workbook(&rating, Lang::UzLatn).expect("workbook");
    let mut book = helpers::open(&bytes);
    let stride = rating.methodology.indicator_count();
    let names = calamine::Reader::sheet_names(&book);
    let mut first = 0;
    for (d, domain) in rating.methodology.domains.iter().enumerate() {
        let range = helpers::sheet(&mut book, &names[1 + rating.leagues.len() + d]);
        assert_eq!(
            text(&range, 0, 3),
            format!(
                "{} {}",
                domain.indicators[0].code, domain.indicators[0].name
            )
        );
        for (e, entity) in rating.indicators.entities.iter().enumerate() {
            assert_eq!(
                text(&range, e + 1, 0),
                kind_label(entity.kind, Lang::UzLatn)
            );
            assert_eq!(text(&range, e + 1, 1), entity.code);
            assert_eq!(text(&range, e + 1, 2), entity.name);
            for j in 0..domain.indicators.len() {
                let expected = round_score(rating.indicators.scores[e * stride + first + j]);
                assert_eq!(
                    num(&range, e + 1, 3 + j),
                    expected,
                    "entity {e}, indicator {j}"
                );
            }
        }
        first += domain.indicators.len();
    }
    let range = helpers::sheet(&mut book, "Xom qiymatlar");
    for e in 0..rating.indicators.entities.len() {
        for i in 0..stride {
            let raw = rating.indicators.raw[e * stride + i];
            let expected = raw.is_finite().then_some(raw);
            assert_eq!(num(&range, e + 1, 3 + i), expected);
        }
    }
}

#[test]
fn summary_shows_distribution_phrases_and_nominations() {
    let rating = sample::national(150, 24);
    let bytes = national_workbook(&rating, Lang::En).expect("workbook");
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, "Summary");
    let all_text: Vec<String> = range
        .cells()
        .filter_map(|(_, _, d)| match d {
            calamine::Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    for league in &rating.leagues {
        let d = exports::stats::distribution(league);
        for band in Band::ALL {
            let phrase = d.describe(band, Lang::En);
            assert!(all_text.contains(&phrase), "missing {phrase}");
            assert!(phrase.ends_with(lang::band_label(Some(band), Lang::En)));
        }
    }
    assert!(all_text.contains(&"DMI 2025.1".to_string()));
    assert!(all_text.contains(&"2026-03-15".to_string()));
    // One nomination per domain per kind; the winner's name is printed.
    for n in exports::stats::nominations(&rating) {
        let league = rating.leagues.iter().find(|l| l.kind == n.kind).unwrap();
        assert!(all_text.contains(&league.rows[n.row].entity_name));
    }
    assert_eq!(
        exports::stats::nominations(&rating).len(),
        rating.leagues.len() * rating.methodology.domains.len()
    );
    // The stacked bar chart is a native chart part.
    let chart = helpers::part(&bytes, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barChart>") && chart.contains(r#"<c:grouping val="stacked"/>"#));
}

#[test]
fn published_nominations_replace_the_computed_ones() {
    let mut rating = sample::national(60, 12);
    let league = &rating.leagues[0];
    // The last row of the first league, nominated in the first domain by
    // the publisher (it is not the highest score there).
    let chosen = league.rows.len() - 1;
    let name = league.rows[chosen].entity_name.clone();
    let computed = exports::stats::nominations(&rating);
    assert!(
        computed
            .iter()
            .all(|n| n.row != chosen || n.kind != league.kind)
    );
    rating.nominations = Some(vec![exports::stats::Nomination {
        kind: league.kind,
        domain: 0,
        row: chosen,
        score: 12.5,
    }]);
    let bytes = national_workbook(&rating, Lang::En).expect("workbook");
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, "Summary");
    let names: Vec<String> = range
        .cells()
        .filter_map(|(_, c, d)| match d {
            calamine::Data::String(s) if c == 2 => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(names.contains(&name), "{names:?}");
    let winner = &league.rows[computed[0].row].entity_name;
    assert!(
        !names.contains(winner),
        "only the published list is printed"
    );
}

#[test]
fn sheets_carry_freeze_panes_filters_traffic_lights_and_print_setup() {
    let rating = sample::national(60, 12);
    let bytes = national_workbook(&rating, Lang::Ru).expect("workbook");
    let league = helpers::part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(
        league.contains(r#"<pane xSplit="3" ySplit="1""#),
        "frozen header and first columns"
    );
    assert!(league.contains("<autoFilter"));
    assert!(league.contains("<conditionalFormatting"));
    assert!(
        league.contains("хорошо"),
        "band rule uses the localised label"
    );
    assert!(league.contains(r#"orientation="landscape""#));
    assert!(league.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(league.contains(r#"fitToHeight="0""#));
    let workbook = helpers::part(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("_xlnm.Print_Titles"),
        "header row repeated on every page"
    );
    // Indicator sheets are streamed in constant-memory mode (inline strings).
    let domain_sheet = helpers::part(
        &bytes,
        &format!("xl/worksheets/sheet{}.xml", 2 + rating.leagues.len()),
    );
    assert!(domain_sheet.contains(r#"t="inlineStr""#));
}

#[test]
fn document_properties_are_set_and_output_is_deterministic() {
    let rating = sample::national(40, 12);
    let a = national_workbook(&rating, Lang::UzCyrl).expect("workbook");
    let b = national_workbook(&rating, Lang::UzCyrl).expect("workbook");
    assert!(a == b, "equal inputs give equal bytes");
    let core = helpers::part(&a, "docProps/core.xml");
    assert!(core.contains("<dc:creator>Daraja</dc:creator>"));
    assert!(core.contains("Рақамли етуклик миллий рейтинги"));
    assert!(core.contains("<cp:keywords>"));
    assert!(core.contains("2026-03-15T00:00:00Z"));
    let app = helpers::part(&a, "docProps/app.xml");
    assert!(app.contains("<Company>Raqamli texnologiyalar vazirligi</Company>"));
}

fn tiny(rows: Vec<LeagueRow>) -> NationalRating {
    let mut rating = sample::national(0, 6);
    rating.leagues = vec![League {
        kind: EntityKind::District,
        rows,
    }];
    rating
}

#[test]
fn empty_inputs_still_make_a_valid_workbook() {
    let mut rating = sample::national(0, 6);
    rating.leagues = vec![League {
        kind: EntityKind::Region,
        rows: vec![],
    }];
    let bytes = national_workbook(&rating, Lang::En).expect("workbook");
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, "Regions");
    assert_eq!(range.height(), 1, "header only");

    rating.leagues.clear();
    let bytes = national_workbook(&rating, Lang::En).expect("workbook");
    let book = helpers::open(&bytes);
    assert!(calamine::Reader::sheet_names(&book).contains(&"Summary".to_string()));

    let bytes = national_workbook(&NationalRating::default(), Lang::En).expect("default input");
    helpers::open(&bytes);
}

#[test]
fn missing_index_long_names_and_cyrillic_text() {
    let long_name = "Ж".repeat(40_000);
    let rows = vec![
        LeagueRow {
            entity_name: "Янгийўл тумани".to_string(),
            code: "1727233".to_string(),
            region: "Тошкент вилояти".to_string(),
            domain_scores: vec![None; 6],
            ..LeagueRow::default()
        },
        LeagueRow {
            rank: Some(1),
            entity_name: long_name.clone(),
            index: Some(f64::NAN),
            band: Some(Band::Good),
            domain_scores: vec![Some(f64::INFINITY), Some(55.555), None, None, None, None],
            ..LeagueRow::default()
        },
    ];
    let rating = tiny(rows);
    let bytes = national_workbook(&rating, Lang::UzCyrl).expect("workbook");
    let mut book = helpers::open(&bytes);
    let range = helpers::sheet(&mut book, kind_label(EntityKind::District, Lang::UzCyrl));
    assert_eq!(text(&range, 1, 2), "Янгийўл тумани");
    assert_eq!(text(&range, 1, 4), "Тошкент вилояти");
    assert_eq!(num(&range, 1, 0), None);
    assert_eq!(num(&range, 1, 5), None, "missing index is an empty cell");
    assert_eq!(text(&range, 1, 6), "баҳоланмаган");
    let cut = text(&range, 2, 2);
    assert_eq!(helpers::utf16_len(&cut), 32_767, "cut to Excel's limit");
    assert!(cut.ends_with('…') && cut.starts_with("ЖЖЖ"));
    assert_eq!(num(&range, 2, 5), None, "NaN index is an empty cell");
    assert_eq!(num(&range, 2, 7), None, "infinite score is an empty cell");
    assert_eq!(
        num(&range, 2, 8),
        Some(55.56),
        "rounded half away from zero"
    );
}

#[test]
fn inconsistent_input_is_an_error_not_a_panic() {
    let rating = tiny(vec![LeagueRow {
        domain_scores: vec![Some(1.0); 5],
        ..LeagueRow::default()
    }]);
    let error = national_workbook(&rating, Lang::En).unwrap_err();
    assert!(matches!(error, ExportError::Shape(_)), "{error}");

    let mut rating = sample::national(10, 6);
    rating.indicators.scores.pop();
    let error = national_workbook(&rating, Lang::En).unwrap_err();
    assert!(matches!(error, ExportError::Shape(_)), "{error}");
}

#[test]
fn writes_to_any_writer() {
    let rating = sample::national(20, 6);
    let mut out = Vec::new();
    exports::national_workbook_to(&rating, Lang::En, &mut out).expect("workbook");
    assert_eq!(out, national_workbook(&rating, Lang::En).unwrap());
}

#[test]
fn progress_counts_every_row_then_packing_and_leaves_the_bytes_unchanged() {
    let rating = sample::national(1_000, 24);
    let domains = rating.methodology.domains.len();
    let mut seen = Vec::new();
    let mut bytes = Vec::new();
    exports::national_workbook_with_progress(&rating, Lang::En, &mut bytes, &mut |p| seen.push(p))
        .unwrap();
    let total = 1_000 + (domains + 1) * 1_000;
    assert!(seen.iter().all(|p| p.total == total), "{:?}", seen.first());
    assert!(
        seen.windows(2).all(|w| w[0].rows <= w[1].rows),
        "never backwards"
    );
    // At most every half percent, so a bar moves smoothly without flooding.
    assert!((100..=220).contains(&seen.len()), "{} reports", seen.len());
    let last = seen.last().unwrap();
    assert_eq!((last.rows, last.packing), (total, true));
    assert_eq!(seen.iter().filter(|p| p.packing).count(), 1);
    // Reporting changes nothing in the file.
    let plain = national_workbook(&rating, Lang::En).unwrap();
    check_leagues(&bytes, &rating, Lang::En);
    assert_eq!(
        helpers::part(&bytes, "xl/worksheets/sheet2.xml"),
        helpers::part(&plain, "xl/worksheets/sheet2.xml")
    );
}
