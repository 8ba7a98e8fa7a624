//! The campaign template reads back as written, in every language: keys,
//! answers (through `answer_text`, which undoes the dropdown labels),
//! comments, versions and the stamp; the values sheet is protected with
//! only the answer cells open, the stamp sheet is very hidden, and user
//! text never becomes a formula.

use exports::Lang;
use exports::template::{TemplateCell, answer_text, template_workbook};
use exports::upload::read_template;

use crate::helpers::{formulas, open, part};

#[test]
fn a_template_reads_back_as_written_in_every_language() {
    let t = exports::sample::template();
    for lang in Lang::ALL {
        let bytes = template_workbook(&t, lang).unwrap();
        let filled = read_template(&bytes).unwrap();
        assert_eq!(filled.lang, lang);
        assert_eq!(filled.stamp["participant"], "42");
        assert_eq!(filled.stamp["campaign_id"], "7");
        assert_eq!(filled.stamp["methodology"], "nis-districts@2020");
        assert_eq!(filled.rows.len(), t.questions.len(), "{lang:?}");
        for (row, q) in filled.rows.iter().zip(&t.questions) {
            assert_eq!(row.indicator, q.code);
            assert_eq!(row.entity, "1703202");
            assert_eq!(row.methodology, "nis-districts@2020");
            assert_eq!(row.version, Some(q.version), "{}", q.code);
            assert_eq!(row.original, q.value, "{}", q.code);
            assert_eq!(row.comment, q.comment, "{}", q.code);
            let answer = answer_text(&q.input, &row.value).unwrap();
            let want = q.value.as_deref().map(|v| match q.code.as_str() {
                "N1" => "1240.5",
                _ => v,
            });
            // Legal acts come back with spaces around the bars, which the
            // answer parser trims.
            let answer = answer.map(|a| a.replace(" | ", "|"));
            assert_eq!(answer.as_deref(), want, "{lang:?} {}", q.code);
        }
        assert!(matches!(filled.rows[0].value, TemplateCell::Number(x) if x == 1240.5));
        let mut book = open(&bytes);
        assert!(
            formulas(&mut book).is_empty(),
            "no formulas: {:?}",
            formulas(&mut book)
        );
        let workbook_xml = part(&bytes, "xl/workbook.xml");
        assert!(
            workbook_xml.contains("state=\"veryHidden\""),
            "stamp sheet hidden"
        );
        let values_xml = part(&bytes, "xl/worksheets/sheet2.xml");
        assert!(
            values_xml.contains("<sheetProtection"),
            "values sheet protected"
        );
        assert!(
            values_xml.contains("<dataValidation "),
            "dropdowns and range checks"
        );
    }
}

#[test]
fn files_that_are_not_templates_are_refused_by_name() {
    let err = read_template(b"%PDF-1.7").unwrap_err().to_string();
    assert!(err.contains("not an Excel workbook"), "{err}");
    let rating = exports::sample::national(3, 2);
    let national = exports::national_workbook(&rating, Lang::En).unwrap();
    let err = read_template(&national).unwrap_err().to_string();
    assert!(err.contains("not a Daraja template"), "{err}");
}

/// Found by the `excel_import` fuzz target: a template whose cell names a
/// shared string past the end of the table made calamine 0.31 panic (an
/// index out of bounds) in the middle of an upload. It is refused now.
#[test]
fn a_cell_naming_a_missing_shared_string_is_refused_not_a_panic() {
    let bytes = include_bytes!("../data/fuzz-shared-string-out-of-range.xlsx");
    let err = read_template(bytes).unwrap_err().to_string();
    assert!(err.contains("shared strings"), "{err}");
}

#[test]
fn a_region_template_reads_back_a_row_per_answer_cell_in_every_language() {
    use exports::region_template::region_template_workbook;
    use exports::template::Layout;
    let t = exports::sample::region_template();
    for lang in Lang::ALL {
        let bytes = region_template_workbook(&t, lang).unwrap();
        let filled = read_template(&bytes).unwrap();
        assert_eq!(filled.layout, Layout::Region);
        assert_eq!(filled.lang, lang);
        assert_eq!(filled.stamp["region"], "1703");
        assert_eq!(filled.stamp["campaign_id"], "7");
        // Every question of every district, keyed like the submission
        // layout: the answer's cell, its column's code cell, its row's
        // entity cell.
        assert_eq!(filled.rows.len(), t.rows.len() * t.questions.len());
        for (i, district) in t.rows.iter().enumerate() {
            let line = 3 + i as u32;
            let rows: Vec<_> = filled
                .rows
                .iter()
                .filter(|r| r.entity == district.code)
                .collect();
            assert_eq!(rows.len(), t.questions.len(), "{lang:?} {}", district.code);
            for ((row, q), (text, version)) in rows.iter().zip(&t.questions).zip(&district.answers)
            {
                assert_eq!(row.indicator, q.code);
                assert_eq!(row.row, line);
                assert_eq!(row.methodology, "nis-districts@2020");
                assert_eq!(row.version, Some(*version), "{}", q.code);
                assert_eq!(&row.original, text, "{}", q.code);
                assert!(!row.commented && row.comment.is_none());
                assert_eq!(row.keys.entity, format!("{}!A{line}", filled.sheet));
                assert!(row.keys.indicator.ends_with('2'), "{}", row.keys.indicator);
                assert!(row.cell.ends_with(&line.to_string()), "{}", row.cell);
                let answer = answer_text(&q.input, &row.value)
                    .unwrap()
                    .map(|a| a.replace(" | ", "|"));
                let want = text
                    .as_deref()
                    .map(|v| if q.code == "N1" { "1240.5" } else { v });
                assert_eq!(
                    answer.as_deref(),
                    want,
                    "{lang:?} {} {}",
                    district.code,
                    q.code
                );
            }
        }
        // User text never becomes a formula; the stamp is very hidden; the
        // values sheet is protected (only the answer cells are open), with
        // dropdowns and range checks.
        let mut book = open(&bytes);
        assert!(formulas(&mut book).is_empty(), "{lang:?}");
        assert!(part(&bytes, "xl/workbook.xml").contains("state=\"veryHidden\""));
        let values_xml = part(&bytes, "xl/worksheets/sheet2.xml");
        assert!(values_xml.contains("<sheetProtection"));
        assert!(values_xml.contains("<dataValidation "));
    }
}
