//! The campaign template: a workbook an officer fills in offline and uploads
//! back ([`template_workbook`] writes it, [`read_template`] reads it).
//!
//! One workbook is one entity's submission. The values sheet has one row per
//! question: the key columns (entity code, indicator code, methodology
//! stamp) and the question's text are locked, only the value and comment
//! columns are open; yes/no and choices get dropdowns, numbers a range check.
//! Two hidden columns keep the version and the text of each value at
//! download, so the upload can tell an answer the officer changed from one
//! that only someone else changed meanwhile (a conflict, never silently
//! overwritten). A very hidden `daraja` sheet stamps the campaign, the
//! submission, the methodology version and the language.
//!
//! Reading is deliberately dumb: it returns the cells as found, each with
//! its address (`Values!H7`), and leaves every judgement (is this the right
//! campaign, does the answer parse) to the caller, which knows the
//! methodology. [`answer_text`] turns a cell into the text form answers are
//! parsed from, undoing the labels this module wrote (yes/no words, option
//! names).

use std::collections::HashMap;
use std::io::{Cursor, Write};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatAlign, Formula, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};

use crate::error::ExportError;
use crate::lang::{self, Lang};
use crate::model::Campaign;
use crate::safety;
use crate::xlsx::common::{Styles, Widths, put_header_row, put_text, row_num};

/// The format mark in the stamp sheet; bumped when the layout changes.
pub const FORMAT: &str = "daraja-template/1";
/// The name of the very hidden stamp sheet.
pub(crate) const STAMP_SHEET: &str = "daraja";
/// The name of the hidden sheet holding the dropdown lists.
pub(crate) const LISTS_SHEET: &str = "lists";

// Columns of the values sheet.
const COL_ENTITY: u16 = 0;
const COL_INDICATOR: u16 = 1;
const COL_STAMP: u16 = 2;
const COL_SECTION: u16 = 3;
const COL_NAME: u16 = 4;
const COL_EXPECTS: u16 = 5;
const COL_REQUIRED: u16 = 6;
const COL_VALUE: u16 = 7;
const COL_COMMENT: u16 = 8;
const COL_VERSION: u16 = 9;
const COL_ORIGINAL: u16 = 10;
const COLUMNS: usize = 11;

/// What a question accepts, with the labels the workbook shows.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateInput {
    /// A number, optionally within `range`, in `unit`.
    Number {
        /// Unit shown beside the question.
        unit: Option<String>,
        /// Accepted range.
        range: Option<(f64, f64)>,
    },
    /// Yes or no.
    YesNo,
    /// One option: `(code, label)`.
    Choice(Vec<(String, String)>),
    /// Any of the items: `(code, label)`; the cell lists codes or labels
    /// separated by `;`.
    Checklist(Vec<(String, String)>),
    /// A web address.
    Url,
    /// A legal act: `type | number | date | link`.
    LegalAct,
    /// Free text.
    Text,
    /// Computed from other answers; shown, never read back.
    Computed,
}

/// One question of the template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateQuestion {
    /// The section (domain) name.
    pub section: String,
    /// Indicator code.
    pub code: String,
    /// Indicator name.
    pub name: String,
    /// Help text, shown as the cell's input message.
    pub hint: String,
    /// What the answer may be.
    pub input: TemplateInput,
    /// Whether an answer is required to submit.
    pub required: bool,
    /// The current answer in its text form (`Value::to_text`).
    pub value: Option<String>,
    /// The officer's comment.
    pub comment: Option<String>,
    /// The value's version (0 when never saved).
    pub version: i32,
}

/// Everything a template workbook holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The campaign (name, period; dates as text).
    pub campaign: Campaign,
    /// The campaign's database id.
    pub campaign_id: i32,
    /// The campaign's code.
    pub campaign_code: String,
    /// The submission (participant) id.
    pub participant: i32,
    /// The entity's code (SOATO or TIN).
    pub entity_code: String,
    /// The entity's name.
    pub entity_name: String,
    /// The methodology version stamp (`code@version`).
    pub methodology: String,
    /// The submission deadline as text.
    pub deadline: String,
    /// The questions in form order.
    pub questions: Vec<TemplateQuestion>,
}

/// The template as xlsx bytes.
pub fn template_workbook(template: &Template, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    template_workbook_to(template, lang, &mut buffer)?;
    Ok(buffer)
}

/// The template, written to `writer`.
pub fn template_workbook_to<W: Write + Send>(
    t: &Template,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    let mut workbook = Workbook::new();
    crate::xlsx::common::set_properties(
        &mut workbook,
        &format!("{} · {}", lang::template_title(lang), t.entity_name),
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

    let mut values = Worksheet::new();
    values.set_name(values_name)?;
    write_values(&mut values, &mut lists, t, lang, &styles)?;
    values.set_active(true);

    let stamp = stamp_sheet(&[
        ("format", FORMAT.to_owned()),
        ("campaign_id", t.campaign_id.to_string()),
        ("campaign", t.campaign_code.clone()),
        ("participant", t.participant.to_string()),
        ("entity", t.entity_code.clone()),
        ("methodology", t.methodology.clone()),
        ("lang", lang.tag().to_owned()),
        ("values_sheet", values_name.to_owned()),
    ])?;

    workbook.push_worksheet(guide);
    workbook.push_worksheet(values);
    workbook.push_worksheet(lists);
    workbook.push_worksheet(stamp);
    workbook.save_to_writer(writer)?;
    Ok(())
}

/// The very hidden, protected sheet that ties a file to what it was
/// downloaded for: a key and a value per row.
pub(crate) fn stamp_sheet(entries: &[(&str, String)]) -> Result<Worksheet, XlsxError> {
    let mut stamp = Worksheet::new();
    stamp.set_name(STAMP_SHEET)?;
    for (row, (key, value)) in entries.iter().enumerate() {
        stamp.write_string(row_num(row), 0, *key)?;
        stamp.write_string(row_num(row), 1, safety::cell_text(value).as_ref())?;
    }
    stamp.protect();
    stamp.set_very_hidden(true);
    Ok(stamp)
}

fn write_instructions(
    sheet: &mut Worksheet,
    t: &Template,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let facts = [
        (lang::campaign(lang), t.campaign.name.as_str()),
        (lang::period(lang), t.campaign.period.as_str()),
        (lang::entity(lang), t.entity_name.as_str()),
        (lang::code(lang), t.entity_code.as_str()),
        (lang::methodology(lang), t.methodology.as_str()),
        (lang::deadline(lang), t.deadline.as_str()),
    ];
    let steps = [
        lang::template_step_fill(lang),
        lang::template_step_locked(lang),
        lang::template_step_kinds(lang),
        lang::template_step_upload(lang),
        lang::template_step_conflicts(lang),
    ];
    write_guide(
        sheet,
        lang::template_title(lang),
        &facts,
        &steps,
        lang,
        styles,
    )
}

/// The instructions sheet: a title, the facts of the download, the steps.
pub(crate) fn write_guide(
    sheet: &mut Worksheet,
    title: &str,
    facts: &[(&str, &str)],
    steps: &[&str],
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 30)?;
    sheet.set_column_width(1, 80)?;
    sheet.set_portrait();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    put_text(sheet, 0, 0, title, Some(&styles.title))?;
    for (i, (label, value)) in facts.iter().enumerate() {
        let row = row_num(i + 2);
        put_text(sheet, row, 0, label, Some(&styles.bold))?;
        put_text(sheet, row, 1, value, None)?;
    }
    let first = row_num(facts.len() + 3);
    put_text(
        sheet,
        first,
        0,
        lang::instructions(lang),
        Some(&styles.subtitle),
    )?;
    for (i, step) in steps.iter().enumerate() {
        let row = first + 1 + row_num(i);
        put_text(sheet, row, 0, &format!("{}.", i + 1), Some(&styles.wrap))?;
        put_text(sheet, row, 1, step, Some(&styles.wrap))?;
        sheet.set_row_height(row, 32)?;
    }
    sheet.protect();
    Ok(())
}

/// What a question expects, in words, for the "expects" column.
pub(crate) fn expects(input: &TemplateInput, lang: Lang) -> String {
    let number = |x: f64| {
        let s = format!("{x}");
        if lang.decimal_separator() == ',' {
            s.replace('.', ",")
        } else {
            s
        }
    };
    match input {
        TemplateInput::Number { unit, range } => {
            let mut s = lang::expects_number(lang).to_owned();
            if let Some((lo, hi)) = range {
                s.push_str(&format!(" {}–{}", number(*lo), number(*hi)));
            }
            if let Some(unit) = unit.as_deref().filter(|u| !u.is_empty()) {
                s.push_str(&format!(" ({unit})"));
            }
            s
        }
        TemplateInput::YesNo => format!("{} / {}", lang::yes(lang), lang::no(lang)),
        TemplateInput::Choice(options) => format!(
            "{}:\n{}",
            lang::expects_choice(lang),
            options
                .iter()
                .map(|(_, label)| format!("• {label}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        TemplateInput::Checklist(items) => format!(
            "{}:\n{}",
            lang::expects_checklist(lang),
            items
                .iter()
                .map(|(code, label)| format!("• {code} — {label}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        TemplateInput::Url => lang::expects_url(lang).to_owned(),
        TemplateInput::LegalAct => lang::expects_legal_act(lang).to_owned(),
        TemplateInput::Text => lang::expects_text(lang).to_owned(),
        TemplateInput::Computed => lang::expects_computed(lang).to_owned(),
    }
}

/// The cell a stored answer becomes: numbers as numbers, yes/no and
/// choices as the labels of the dropdown, the rest as text.
pub(crate) enum CellValue {
    Number(f64),
    Text(String),
}

pub(crate) fn cell_of(input: &TemplateInput, text: &str, lang: Lang) -> CellValue {
    match input {
        TemplateInput::Number { .. } | TemplateInput::Computed => text
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map_or_else(|| CellValue::Text(text.to_owned()), CellValue::Number),
        TemplateInput::YesNo => CellValue::Text(
            match text {
                "yes" => lang::yes(lang),
                "no" => lang::no(lang),
                other => other,
            }
            .to_owned(),
        ),
        TemplateInput::Choice(options) => CellValue::Text(
            options
                .iter()
                .find(|(code, _)| code == text)
                .map_or(text, |(_, label)| label.as_str())
                .to_owned(),
        ),
        TemplateInput::Checklist(_) => CellValue::Text(text.replace(';', "; ")),
        TemplateInput::LegalAct => CellValue::Text(text.replace('|', " | ")),
        TemplateInput::Url | TemplateInput::Text => CellValue::Text(text.to_owned()),
    }
}

pub(crate) fn put_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &CellValue,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        CellValue::Number(x) => {
            sheet.write_number_with_format(row, col, *x, format)?;
        }
        CellValue::Text(t) if t.is_empty() => {
            sheet.write_blank(row, col, format)?;
        }
        CellValue::Text(t) => {
            sheet.write_string_with_format(row, col, safety::cell_text(t).as_ref(), format)?;
        }
    }
    Ok(())
}

fn write_values(
    sheet: &mut Worksheet,
    lists: &mut Worksheet,
    t: &Template,
    lang: Lang,
    styles: &Styles,
) -> Result<(), ExportError> {
    let headers: Vec<String> = [
        lang::entity_code(lang),
        lang::indicator_code(lang),
        lang::methodology(lang),
        lang::section(lang),
        lang::indicator(lang),
        lang::expects(lang),
        lang::required(lang),
        lang::value(lang),
        lang::comment(lang),
        "version",
        "original",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut widths = Widths::new(COLUMNS, 60);
    put_header_row(sheet, 0, &headers, styles, Some(&mut widths))?;
    sheet.set_row_height(0, 32)?;
    let ValueFormats {
        open,
        locked_wrap,
        computed,
    } = ValueFormats::new();
    let mut list_col: u16 = 0;
    for (i, q) in t.questions.iter().enumerate() {
        let row = row_num(i + 1);
        if row > 1_048_000 {
            return Err(ExportError::TooLarge(format!(
                "{} questions",
                t.questions.len()
            )));
        }
        put_text(sheet, row, COL_ENTITY, &t.entity_code, Some(&locked_wrap))?;
        put_text(sheet, row, COL_INDICATOR, &q.code, Some(&locked_wrap))?;
        put_text(sheet, row, COL_STAMP, &t.methodology, Some(&locked_wrap))?;
        put_text(sheet, row, COL_SECTION, &q.section, Some(&locked_wrap))?;
        put_text(sheet, row, COL_NAME, &q.name, Some(&locked_wrap))?;
        let what = expects(&q.input, lang);
        put_text(sheet, row, COL_EXPECTS, &what, Some(&locked_wrap))?;
        if q.required {
            put_text(sheet, row, COL_REQUIRED, "*", Some(&locked_wrap))?;
        }
        let cell = cell_of(&q.input, q.value.as_deref().unwrap_or(""), lang);
        let is_computed = q.input == TemplateInput::Computed;
        put_cell(
            sheet,
            row,
            COL_VALUE,
            &cell,
            if is_computed { &computed } else { &open },
        )?;
        if is_computed {
            put_text(sheet, row, COL_COMMENT, "", Some(&computed))?;
        } else {
            put_text(
                sheet,
                row,
                COL_COMMENT,
                q.comment.as_deref().unwrap_or(""),
                Some(&open),
            )?;
        }
        sheet.write_number(row, COL_VERSION, f64::from(q.version))?;
        put_text(
            sheet,
            row,
            COL_ORIGINAL,
            q.value.as_deref().unwrap_or(""),
            None,
        )?;
        widths.see_text(COL_NAME as usize, &q.name);
        widths.see_text(COL_SECTION as usize, &q.section);
        widths.see_text(COL_ENTITY as usize, &t.entity_code);
        widths.see_text(COL_INDICATOR as usize, &q.code);
        widths.see_text(COL_STAMP as usize, &t.methodology);
        if !is_computed {
            let validation = validation_of(q, lang, lists, &mut list_col)?;
            sheet.add_data_validation(row, COL_VALUE, row, COL_VALUE, &validation)?;
        }
        let lines = what.lines().count().max(q.name.chars().count() / 55 + 1);
        if lines > 1 {
            sheet.set_row_height(row, 15.0 * lines.min(12) as f64)?;
        }
    }
    widths.apply(sheet)?;
    lay_out_values(sheet)?;
    Ok(())
}

/// The formats of the values sheet's cells: open for an answer, locked
/// for what the template states, greyed for a computed value.
struct ValueFormats {
    open: Format,
    locked_wrap: Format,
    computed: Format,
}

impl ValueFormats {
    fn new() -> Self {
        Self {
            open: Format::new()
                .set_unlocked()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xFFF8DC)),
            locked_wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            computed: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555))
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xEEEEEE)),
        }
    }
}

/// The values sheet's column widths, frozen panes, print setup and
/// protection (answers stay editable, columns and rows resizable).
fn lay_out_values(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_column_width(COL_ENTITY, 13)?;
    sheet.set_column_width(COL_INDICATOR, 24)?;
    sheet.set_column_width(COL_STAMP, 19)?;
    sheet.set_column_width(COL_NAME, 55)?;
    sheet.set_column_width(COL_SECTION, 24)?;
    sheet.set_column_width(COL_EXPECTS, 34)?;
    sheet.set_column_width(COL_REQUIRED, 5)?;
    sheet.set_column_width(COL_VALUE, 28)?;
    sheet.set_column_width(COL_COMMENT, 30)?;
    sheet.set_column_hidden(COL_VERSION)?;
    sheet.set_column_hidden(COL_ORIGINAL)?;
    sheet.set_freeze_panes(1, COL_INDICATOR + 1)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

/// The dropdown or range check of a question's value cell. Choice labels go
/// to the hidden lists sheet (a literal list is limited to 255 characters).
pub(crate) fn validation_of(
    q: &TemplateQuestion,
    lang: Lang,
    lists: &mut Worksheet,
    list_col: &mut u16,
) -> Result<DataValidation, XlsxError> {
    let mut v = match &q.input {
        TemplateInput::Number { range, .. } => match range {
            Some((lo, hi)) => DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(*lo, *hi))
                .set_error_title(lang::value(lang))?
                .set_error_message(format!("{}: {lo}–{hi}", lang::expects_number(lang)))?,
            None => {
                DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            }
        },
        TemplateInput::YesNo => {
            DataValidation::new().allow_list_strings(&[lang::yes(lang), lang::no(lang)])?
        }
        TemplateInput::Choice(options) => {
            let col = *list_col;
            *list_col += 1;
            lists.write_string(0, col, q.code.as_str())?;
            for (i, (_, label)) in options.iter().enumerate() {
                lists.write_string(row_num(i + 1), col, safety::cell_text(label).as_ref())?;
            }
            let letter = column_letter(col);
            DataValidation::new().allow_list_formula(Formula::new(format!(
                "={LISTS_SHEET}!${letter}$2:${letter}${}",
                options.len() + 1
            )))
        }
        _ => DataValidation::new().allow_any_value(),
    };
    let hint = safety::header_text(&q.hint, 250);
    if !hint.is_empty() {
        v = v
            .set_input_title(safety::header_text(&q.code, 32))?
            .set_input_message(hint)?;
    }
    Ok(v)
}

pub(crate) fn column_letter(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell as read back.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateCell {
    /// Nothing in it.
    Empty,
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// Something no answer can be: an Excel error or a date serial.
    Unreadable(String),
}

/// One row of the values sheet as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledRow {
    /// The 1-based row number.
    pub row: u32,
    /// The value cell's address, e.g. `Values!H7`.
    pub cell: String,
    /// Entity code (key column).
    pub entity: String,
    /// Indicator code (key column).
    pub indicator: String,
    /// Methodology stamp (key column).
    pub methodology: String,
    /// The value cell.
    pub value: TemplateCell,
    /// The comment.
    pub comment: Option<String>,
    /// The value's version at download.
    pub version: Option<i32>,
    /// The value's text at download.
    pub original: Option<String>,
    /// Where this row's keys are, for messages.
    pub keys: RowKeys,
    /// Whether the layout has a comment for this answer (the region
    /// layout does not: the stored comment stays as it is).
    pub commented: bool,
}

/// The addresses of a row's key cells (`Values!A7`), for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowKeys {
    /// The entity code's cell.
    pub entity: String,
    /// The indicator code's cell.
    pub indicator: String,
    /// The methodology stamp's cell.
    pub methodology: String,
}

/// A template as read back: the stamp and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledTemplate {
    /// The stamp sheet's entries (`campaign_id`, `participant`,
    /// `methodology`, `entity`, `lang`…).
    pub stamp: HashMap<String, String>,
    /// The language the labels were written in.
    pub lang: Lang,
    /// The name of the values sheet.
    pub sheet: String,
    /// The rows with a key, in sheet order (in the region layout, one per
    /// filled cell of a district's row).
    pub rows: Vec<FilledRow>,
    /// Which layout the file has.
    pub layout: Layout,
}

/// The two layouts a template comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One submission: a row per question.
    Submission,
    /// A region's districts: a row per district, a column per question
    /// ([`crate::region_template`]).
    Region,
}

/// Why an uploaded file is not a readable template.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    /// Not an xlsx workbook at all.
    #[error("the file is not an Excel workbook (.xlsx): {0}")]
    NotAWorkbook(String),
    /// A workbook, but not one this module wrote.
    #[error("the workbook is not a Daraja template: {0}")]
    NotATemplate(String),
}

pub(crate) fn cell_of_data(data: Option<&Data>) -> TemplateCell {
    match data {
        None | Some(Data::Empty) => TemplateCell::Empty,
        Some(Data::Int(i)) => TemplateCell::Number(*i as f64),
        Some(Data::Float(x)) => TemplateCell::Number(*x),
        Some(Data::String(s)) if s.trim().is_empty() => TemplateCell::Empty,
        Some(Data::String(s)) => TemplateCell::Text(s.clone()),
        Some(Data::Bool(b)) => TemplateCell::Bool(*b),
        Some(Data::DateTime(d)) => TemplateCell::Unreadable(format!("a date ({})", d.as_f64())),
        Some(Data::DateTimeIso(s) | Data::DurationIso(s)) => {
            TemplateCell::Unreadable(format!("a date ({s})"))
        }
        Some(Data::Error(e)) => TemplateCell::Unreadable(format!("an Excel error ({e})")),
    }
}

/// A hidden version cell as written at download: a whole number, or
/// nothing if someone put anything else there.
pub(crate) fn version_of(data: Option<&Data>) -> Option<i32> {
    match cell_of_data(data) {
        TemplateCell::Number(x) if x.fract() == 0.0 && (0.0..2e9).contains(&x) => Some(x as i32),
        _ => None,
    }
}

pub(crate) fn text_of_data(data: Option<&Data>) -> Option<String> {
    match cell_of_data(data) {
        TemplateCell::Text(s) => Some(s.trim().to_owned()),
        TemplateCell::Number(x) => Some(format!("{x}")),
        _ => None,
    }
}

/// Reads the rows of a submission template whose stamp (`stamp`, already
/// read by [`crate::upload::read_template`]) names this layout.
pub(crate) fn read_submission(
    book: &mut Xlsx<Cursor<&[u8]>>,
    stamp: HashMap<String, String>,
) -> Result<FilledTemplate, TemplateError> {
    let no_stamp = || {
        TemplateError::NotATemplate(
            "its stamp sheet is missing; download the template from the form again".into(),
        )
    };
    let unreadable = |sheet: &str, e: calamine::XlsxError| {
        TemplateError::NotAWorkbook(format!("the sheet {sheet:?} cannot be read: {e}"))
    };
    let lang = stamp
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .unwrap_or_default();
    let sheet = stamp.get("values_sheet").cloned().ok_or_else(no_stamp)?;
    let range = book.worksheet_range(&sheet).map_err(|e| match e {
        calamine::XlsxError::WorksheetNotFound(_) => {
            TemplateError::NotATemplate(format!("the sheet {sheet:?} with the values is missing"))
        }
        e => unreadable(&sheet, e),
    })?;
    let mut rows = Vec::new();
    let last = range.end().map_or(0, |(r, _)| r);
    for r in 1..=last {
        let at = |c: u16| range.get_value((r, u32::from(c)));
        let entity = text_of_data(at(COL_ENTITY)).unwrap_or_default();
        let indicator = text_of_data(at(COL_INDICATOR)).unwrap_or_default();
        let value = cell_of_data(at(COL_VALUE));
        if entity.is_empty() && indicator.is_empty() && value == TemplateCell::Empty {
            continue;
        }
        rows.push(FilledRow {
            row: r + 1,
            cell: format!("{sheet}!{}{}", column_letter(COL_VALUE), r + 1),
            entity,
            indicator,
            methodology: text_of_data(at(COL_STAMP)).unwrap_or_default(),
            value,
            comment: text_of_data(at(COL_COMMENT)).filter(|c| !c.is_empty()),
            version: version_of(at(COL_VERSION)),
            original: text_of_data(at(COL_ORIGINAL)).filter(|o| !o.is_empty()),
            keys: RowKeys {
                entity: format!("{sheet}!{}{}", column_letter(COL_ENTITY), r + 1),
                indicator: format!("{sheet}!{}{}", column_letter(COL_INDICATOR), r + 1),
                methodology: format!("{sheet}!{}{}", column_letter(COL_STAMP), r + 1),
            },
            commented: true,
        });
    }
    Ok(FilledTemplate {
        stamp,
        lang,
        sheet,
        rows,
        layout: Layout::Submission,
    })
}

/// Turns a value cell into the text answers are parsed from, undoing the
/// labels the template wrote: yes/no words of any language, option labels,
/// checklist labels. `Ok(None)` for an empty cell; `Err` names what the cell
/// holds when no answer can be read from it.
pub fn answer_text(input: &TemplateInput, cell: &TemplateCell) -> Result<Option<String>, String> {
    let number = |x: f64| format!("{x}");
    let text = match cell {
        TemplateCell::Empty => return Ok(None),
        TemplateCell::Unreadable(what) => return Err(format!("the cell holds {what}")),
        TemplateCell::Number(x) => number(*x),
        TemplateCell::Bool(b) => (if *b { "yes" } else { "no" }).to_owned(),
        TemplateCell::Text(t) => t.trim().to_owned(),
    };
    let label_to_code = |options: &[(String, String)], part: &str| -> String {
        options
            .iter()
            .find(|(code, label)| {
                label.trim().eq_ignore_ascii_case(part) || code.eq_ignore_ascii_case(part)
            })
            .map_or_else(|| part.to_owned(), |(code, _)| code.clone())
    };
    Ok(Some(match input {
        TemplateInput::YesNo => {
            let said = |label: fn(Lang) -> &'static str| {
                Lang::ALL
                    .iter()
                    .any(|&l| label(l).eq_ignore_ascii_case(&text))
            };
            if said(lang::yes) {
                "yes".to_owned()
            } else if said(lang::no) {
                "no".to_owned()
            } else {
                text
            }
        }
        TemplateInput::Choice(options) => label_to_code(options, &text),
        TemplateInput::Checklist(items) => text
            .split([';', '|', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| label_to_code(items, p))
            .collect::<Vec<_>>()
            .join(";"),
        TemplateInput::Number { .. }
        | TemplateInput::Url
        | TemplateInput::LegalAct
        | TemplateInput::Text
        | TemplateInput::Computed => text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(7), "H");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn answers_undo_the_labels_the_template_wrote() {
        let options = vec![
            ("none".to_owned(), "Yoʻq".to_owned()),
            ("full".to_owned(), "Toʻliq".to_owned()),
        ];
        let cases: Vec<(TemplateInput, TemplateCell, Option<&str>)> = vec![
            (
                TemplateInput::YesNo,
                TemplateCell::Text("Ha".into()),
                Some("yes"),
            ),
            (
                TemplateInput::YesNo,
                TemplateCell::Text("Нет".into()),
                Some("no"),
            ),
            (
                TemplateInput::YesNo,
                TemplateCell::Text("Yoʻq".into()),
                Some("no"),
            ),
            (TemplateInput::YesNo, TemplateCell::Bool(true), Some("yes")),
            (
                TemplateInput::Choice(options.clone()),
                TemplateCell::Text(" toʻliq ".into()),
                Some("full"),
            ),
            (
                TemplateInput::Choice(options.clone()),
                TemplateCell::Text("none".into()),
                Some("none"),
            ),
            (
                TemplateInput::Checklist(options),
                TemplateCell::Text("Yoʻq; full".into()),
                Some("none;full"),
            ),
            (
                TemplateInput::Number {
                    unit: None,
                    range: None,
                },
                TemplateCell::Number(12.5),
                Some("12.5"),
            ),
            (
                TemplateInput::Number {
                    unit: None,
                    range: None,
                },
                TemplateCell::Number(3.0),
                Some("3"),
            ),
            (TemplateInput::Text, TemplateCell::Empty, None),
        ];
        for (input, cell, want) in cases {
            assert_eq!(
                answer_text(&input, &cell).unwrap().as_deref(),
                want,
                "{input:?} {cell:?}"
            );
        }
        assert!(
            answer_text(
                &TemplateInput::Text,
                &TemplateCell::Unreadable("a date".into())
            )
            .is_err()
        );
    }
}
