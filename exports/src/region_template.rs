//! The region template: one workbook for all of a region's districts in a
//! campaign, one row per district and one column per question, for the
//! region's officer who collects the districts' answers in one sheet.
//!
//! The same rules as the submission template ([`crate::template`]): the key
//! cells (each row's entity code and methodology stamp, the row of question
//! codes) are locked, only the answers are open; yes/no and choices get
//! dropdowns, numbers a range check; two hidden sheets of the same shape
//! keep each answer's version and text at download, so an answer someone
//! changed in a form meanwhile is a conflict; a very hidden stamp sheet
//! names the campaign, the region and the methodology. There is no comment
//! column: justifications stay in each district's form.
//!
//! [`crate::template::read_template`] reads either layout: for this one it
//! returns a row per answer cell, the same shape the submission template
//! gives, so the caller checks both alike.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use calamine::{Reader, Xlsx};
use rust_xlsxwriter::{Color, Format, FormatAlign, ProtectionOptions, Workbook, Worksheet};

use crate::error::ExportError;
use crate::lang::{self, Lang};
use crate::model::Campaign;
use crate::safety;
use crate::template::{
    FilledRow, FilledTemplate, LISTS_SHEET, Layout, RowKeys, TemplateCell, TemplateError,
    TemplateInput, TemplateQuestion, cell_of, cell_of_data, column_letter, expects, put_cell,
    stamp_sheet, text_of_data, validation_of, version_of, write_guide,
};
use crate::xlsx::common::{Styles, put_text};

/// The format mark in the stamp sheet.
pub const FORMAT: &str = "daraja-region-template/1";
const VERSIONS_SHEET: &str = "versions";
const ORIGINALS_SHEET: &str = "originals";

// Layout of the values sheet: two header rows (names, then codes), then a
// row per district; three key columns, then a column per question.
const ROW_NAMES: u32 = 0;
const ROW_CODES: u32 = 1;
const FIRST_ENTITY_ROW: u32 = 2;
const COL_ENTITY: u16 = 0;
const COL_NAME: u16 = 1;
const COL_STAMP: u16 = 2;
const FIRST_QUESTION_COL: u16 = 3;

/// One district's row: its submission and current answers.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRow {
    /// The submission (participant) id.
    pub participant: i32,
    /// The entity's code (SOATO).
    pub code: String,
    /// The entity's name.
    pub name: String,
    /// Per question (same order as [`RegionTemplate::questions`]): the
    /// answer's text form and version (0 when never saved).
    pub answers: Vec<(Option<String>, i32)>,
}

/// Everything a region template holds.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionTemplate {
    /// The campaign (name, period).
    pub campaign: Campaign,
    /// The campaign's database id.
    pub campaign_id: i32,
    /// The campaign's code.
    pub campaign_code: String,
    /// The region's code (SOATO).
    pub region_code: String,
    /// The region's name.
    pub region_name: String,
    /// The methodology version stamp (`code@version`).
    pub methodology: String,
    /// The submission deadline as text.
    pub deadline: String,
    /// The questions in form order (their `value`, `comment` and `version`
    /// are not used: answers are per row).
    pub questions: Vec<TemplateQuestion>,
    /// The districts, one row each.
    pub rows: Vec<RegionRow>,
}

/// The region template as xlsx bytes.
pub fn region_template_workbook(t: &RegionTemplate, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    region_template_workbook_to(t, lang, &mut buffer)?;
    Ok(buffer)
}

/// The region template, written to `writer`.
pub fn region_template_workbook_to<W: Write + Send>(
    t: &RegionTemplate,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    let questions = u16::try_from(t.questions.len())
        .ok()
        .filter(|n| u32::from(*n) + u32::from(FIRST_QUESTION_COL) <= 16_384)
        .ok_or_else(|| ExportError::TooLarge(format!("{} questions", t.questions.len())))?;
    if t.rows.len() > 1_000_000 {
        return Err(ExportError::TooLarge(format!("{} districts", t.rows.len())));
    }
    let mut workbook = Workbook::new();
    crate::xlsx::common::set_properties(
        &mut workbook,
        &format!("{} · {}", lang::template_title(lang), t.region_name),
        &t.campaign,
        lang,
    );
    let styles = Styles::new(&[]);
    let values_name = lang::sheet_values(lang);

    let mut guide = Worksheet::new();
    guide.set_name(lang::sheet_instructions(lang))?;
    write_instructions(&mut guide, t, lang, &styles)?;

    let mut lists = Worksheet::new();
    lists.set_name(LISTS_SHEET)?;
    lists.set_hidden(true);
    let mut versions = Worksheet::new();
    versions.set_name(VERSIONS_SHEET)?;
    versions.set_hidden(true);
    let mut originals = Worksheet::new();
    originals.set_name(ORIGINALS_SHEET)?;
    originals.set_hidden(true);

    let mut values = Worksheet::new();
    values.set_name(values_name)?;
    write_values(
        &mut values,
        &mut lists,
        &mut versions,
        &mut originals,
        t,
        lang,
    )?;
    values.set_active(true);

    let stamp = stamp_sheet(&[
        ("format", FORMAT.to_owned()),
        ("campaign_id", t.campaign_id.to_string()),
        ("campaign", t.campaign_code.clone()),
        ("region", t.region_code.clone()),
        ("methodology", t.methodology.clone()),
        ("lang", lang.tag().to_owned()),
        ("values_sheet", values_name.to_owned()),
        ("questions", questions.to_string()),
    ])?;
    for sheet in [&mut versions, &mut originals] {
        sheet.protect();
    }

    workbook.push_worksheet(guide);
    workbook.push_worksheet(values);
    workbook.push_worksheet(lists);
    workbook.push_worksheet(versions);
    workbook.push_worksheet(originals);
    workbook.push_worksheet(stamp);
    workbook.save_to_writer(writer)?;
    Ok(())
}

fn write_instructions(
    sheet: &mut Worksheet,
    t: &RegionTemplate,
    lang: Lang,
    styles: &Styles,
) -> Result<(), ExportError> {
    let districts = t.rows.len().to_string();
    let facts = [
        (lang::campaign(lang), t.campaign.name.as_str()),
        (lang::period(lang), t.campaign.period.as_str()),
        (lang::region(lang), t.region_name.as_str()),
        (lang::code(lang), t.region_code.as_str()),
        (lang::districts(lang), districts.as_str()),
        (lang::methodology(lang), t.methodology.as_str()),
        (lang::deadline(lang), t.deadline.as_str()),
    ];
    let steps = [
        lang::region_template_step_fill(lang),
        lang::template_step_locked(lang),
        lang::template_step_kinds(lang),
        lang::region_template_step_upload(lang),
        lang::template_step_conflicts(lang),
    ];
    write_guide(
        sheet,
        lang::region_template_title(lang),
        &facts,
        &steps,
        lang,
        styles,
    )?;
    Ok(())
}

fn write_values(
    sheet: &mut Worksheet,
    lists: &mut Worksheet,
    versions: &mut Worksheet,
    originals: &mut Worksheet,
    t: &RegionTemplate,
    lang: Lang,
) -> Result<(), ExportError> {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDCE6F1));
    let code = Format::new()
        .set_font_color(Color::RGB(0x555555))
        .set_font_size(9)
        .set_background_color(Color::RGB(0xEEEEEE));
    let open = Format::new()
        .set_unlocked()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xFFF8DC));
    let computed = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x555555))
        .set_background_color(Color::RGB(0xEEEEEE));
    let key = Format::new().set_align(FormatAlign::Top);
    put_text(
        sheet,
        ROW_NAMES,
        COL_ENTITY,
        lang::entity_code(lang),
        Some(&head),
    )?;
    put_text(sheet, ROW_NAMES, COL_NAME, lang::entity(lang), Some(&head))?;
    put_text(
        sheet,
        ROW_NAMES,
        COL_STAMP,
        lang::methodology(lang),
        Some(&head),
    )?;
    for c in [COL_ENTITY, COL_NAME, COL_STAMP] {
        put_text(sheet, ROW_CODES, c, "", Some(&code))?;
    }
    let last_row = FIRST_ENTITY_ROW + t.rows.len().saturating_sub(1) as u32;
    let mut list_col: u16 = 0;
    for (j, q) in t.questions.iter().enumerate() {
        let col = FIRST_QUESTION_COL + j as u16;
        let name = if q.required {
            format!("{} *", q.name)
        } else {
            q.name.clone()
        };
        put_text(sheet, ROW_NAMES, col, &name, Some(&head))?;
        put_text(sheet, ROW_CODES, col, &q.code, Some(&code))?;
        sheet.set_column_width(col, 18)?;
        if q.input != TemplateInput::Computed && !t.rows.is_empty() {
            let mut v = validation_of(q, lang, lists, &mut list_col)?;
            // The "expects" column of the submission layout has no room
            // here: what the question takes is the cell's input message.
            if q.hint.is_empty() {
                v = v
                    .set_input_title(safety::header_text(&q.code, 32))?
                    .set_input_message(safety::header_text(&expects(&q.input, lang), 250))?;
            }
            sheet.add_data_validation(FIRST_ENTITY_ROW, col, last_row, col, &v)?;
        }
    }
    sheet.set_row_height(ROW_NAMES, 90)?;
    for (i, r) in t.rows.iter().enumerate() {
        let row = FIRST_ENTITY_ROW + i as u32;
        put_text(sheet, row, COL_ENTITY, &r.code, Some(&key))?;
        put_text(sheet, row, COL_NAME, &r.name, Some(&key))?;
        put_text(sheet, row, COL_STAMP, &t.methodology, Some(&key))?;
        for (j, q) in t.questions.iter().enumerate() {
            let col = FIRST_QUESTION_COL + j as u16;
            let (text, version) = r
                .answers
                .get(j)
                .map_or((None, 0), |(t, v)| (t.as_deref(), *v));
            let is_computed = q.input == TemplateInput::Computed;
            let cell = cell_of(&q.input, text.unwrap_or(""), lang);
            put_cell(
                sheet,
                row,
                col,
                &cell,
                if is_computed { &computed } else { &open },
            )?;
            versions.write_number(row, col, f64::from(version))?;
            if let Some(text) = text {
                originals.write_string(row, col, safety::cell_text(text).as_ref())?;
            }
        }
    }
    sheet.set_column_width(COL_ENTITY, 11)?;
    sheet.set_column_width(COL_NAME, 26)?;
    sheet.set_column_width(COL_STAMP, 19)?;
    sheet.set_freeze_panes(FIRST_ENTITY_ROW, FIRST_QUESTION_COL)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    // Printed, every page repeats the names and codes of the questions and
    // of the districts.
    sheet.set_repeat_rows(ROW_NAMES, ROW_CODES)?;
    sheet.set_repeat_columns(COL_ENTITY, COL_STAMP)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

/// Reads the values sheet of a region template whose stamp was read: a row
/// per answer cell of every district row, in sheet order.
pub(crate) fn read_rows(
    book: &mut Xlsx<Cursor<&[u8]>>,
    stamp: HashMap<String, String>,
) -> Result<FilledTemplate, TemplateError> {
    let lang = stamp
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .unwrap_or_default();
    let sheet = stamp
        .get("values_sheet")
        .cloned()
        .ok_or_else(|| TemplateError::NotATemplate("its stamp names no values sheet".into()))?;
    let read = |book: &mut Xlsx<Cursor<&[u8]>>, name: &str| {
        book.worksheet_range(name).map_err(|e| match e {
            calamine::XlsxError::WorksheetNotFound(_) => TemplateError::NotATemplate(format!(
                "the sheet {name:?} is missing; download the region template again"
            )),
            e => TemplateError::NotAWorkbook(format!("the sheet {name:?} cannot be read: {e}")),
        })
    };
    let range = read(book, &sheet)?;
    let versions = read(book, VERSIONS_SHEET)?;
    let originals = read(book, ORIGINALS_SHEET)?;
    let (height, width) = range.end().map_or((0, 0), |(r, c)| (r + 1, c + 1));
    // The row of question codes, as downloaded (locked).
    let codes: Vec<(u32, String)> = (u32::from(FIRST_QUESTION_COL)..width)
        .map(|c| {
            (
                c,
                text_of_data(range.get_value((ROW_CODES, c))).unwrap_or_default(),
            )
        })
        .collect();
    let mut rows = Vec::new();
    for r in FIRST_ENTITY_ROW..height {
        let at = |c: u32| range.get_value((r, c));
        let entity = text_of_data(at(u32::from(COL_ENTITY))).unwrap_or_default();
        let methodology = text_of_data(at(u32::from(COL_STAMP))).unwrap_or_default();
        let cells: Vec<TemplateCell> = codes.iter().map(|(c, _)| cell_of_data(at(*c))).collect();
        if entity.is_empty() && cells.iter().all(|c| *c == TemplateCell::Empty) {
            continue;
        }
        let line = r + 1;
        for ((c, code), value) in codes.iter().zip(cells) {
            if code.is_empty() && value == TemplateCell::Empty {
                continue;
            }
            let letter = column_letter(*c as u16);
            rows.push(FilledRow {
                row: line,
                cell: format!("{sheet}!{letter}{line}"),
                entity: entity.clone(),
                indicator: code.clone(),
                methodology: methodology.clone(),
                value,
                comment: None,
                version: version_of(versions.get_value((r, *c))),
                original: text_of_data(originals.get_value((r, *c))).filter(|o| !o.is_empty()),
                keys: RowKeys {
                    entity: format!("{sheet}!{}{line}", column_letter(COL_ENTITY)),
                    indicator: format!("{sheet}!{letter}{}", ROW_CODES + 1),
                    methodology: format!("{sheet}!{}{line}", column_letter(COL_STAMP)),
                },
                commented: false,
            });
        }
    }
    Ok(FilledTemplate {
        stamp,
        lang,
        sheet,
        rows,
        layout: Layout::Region,
    })
}
