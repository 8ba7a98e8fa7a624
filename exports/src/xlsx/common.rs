//! Shared pieces of the workbooks: the formats (made once per workbook, never
//! per cell), column-width tracking, and cell writers that treat user text as
//! text.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::lang::{self, Lang};
use crate::model::{Band, BandRule, Campaign, band_colour, round_score};
use crate::safety;

/// Number format of scores: two decimals, matching [`round_score`].
pub(crate) const SCORE_FORMAT: &str = "0.00";

/// The formats of one workbook. `Format` values are cloned into the
/// workbook's format table once; cells refer to them by index.
pub(crate) struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub bold: Format,
    pub wrap: Format,
    pub note: Format,
    pub score: Format,
    pub change: Format,
    pub integer: Format,
    pub indent: Format,
    pub center: Format,
    band_fill: [Format; 3],
}

impl Styles {
    pub fn new(bands: &[BandRule]) -> Styles {
        let band_fill = Band::ALL.map(|band| {
            Format::new()
                .set_bold()
                .set_background_color(Color::RGB(tint(band_colour(bands, band), 0.55)))
        });
        Styles {
            title: Format::new().set_bold().set_font_size(16),
            subtitle: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xDDE5F0))
                .set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555)),
            score: Format::new().set_num_format(SCORE_FORMAT),
            // Declines in red; no colour for gains, since palette greens render
            // differently in Excel and LibreOffice.
            change: Format::new().set_num_format("+0.00;[Red]-0.00;0.00"),
            integer: Format::new().set_num_format("0"),
            indent: Format::new().set_indent(1),
            center: Format::new().set_align(FormatAlign::Center),
            band_fill,
        }
    }

    /// The fill used for a band's label cell.
    pub fn band(&self, band: Option<Band>) -> Option<&Format> {
        let band = band?;
        let index = Band::ALL.iter().position(|b| *b == band)?;
        Some(&self.band_fill[index])
    }
}

/// Mixes `rgb` with white: `amount` 0 keeps the colour, 1 gives white.
pub(crate) fn tint(rgb: u32, amount: f64) -> u32 {
    let channel = |shift: u32| {
        let c = f64::from((rgb >> shift) & 0xFF);
        // Always within 0..=255, so the cast cannot truncate.
        let mixed = (c + (255.0 - c) * amount).round() as u32;
        mixed.min(255) << shift
    };
    channel(16) | channel(8) | channel(0)
}

/// Tracks the widest content of each column to set widths that fit.
pub(crate) struct Widths {
    chars: Vec<usize>,
    max: usize,
}

impl Widths {
    /// `columns` columns, none wider than `max` characters.
    pub fn new(columns: usize, max: usize) -> Widths {
        Widths {
            chars: vec![6; columns],
            max,
        }
    }

    /// Notes content of `chars` characters in `col`.
    pub fn see(&mut self, col: usize, chars: usize) {
        if let Some(width) = self.chars.get_mut(col) {
            *width = (*width).max(chars.min(self.max));
        }
    }

    /// Notes a text value.
    pub fn see_text(&mut self, col: usize, text: &str) {
        // Counting every char of a 30,000-char name is wasted work past `max`.
        self.see(col, text.chars().take(self.max + 1).count());
    }

    /// Notes a wrapped header: only its longest word must fit.
    pub fn see_header(&mut self, col: usize, text: &str) {
        let longest = text.split_whitespace().map(|w| w.chars().count()).max();
        self.see(col, longest.unwrap_or(0).max(8));
    }

    /// Sets the widths on `sheet`, with a little padding.
    pub fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, chars) in self.chars.iter().enumerate() {
            sheet.set_column_width(col_num(col), (*chars + 2) as f64)?;
        }
        Ok(())
    }
}

/// Converts a column index; callers never exceed Excel's 16,384 columns
/// because `check_columns` ran first.
pub(crate) fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// Converts a row index; callers never exceed Excel's 1,048,576 rows because
/// `check_rows` ran first.
pub(crate) fn row_num(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

/// Writes user text as a string cell (never a formula), cut to Excel limits.
/// Empty text leaves the cell empty.
pub(crate) fn put_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        if let Some(format) = format {
            sheet.write_blank(row, col, format)?;
        }
        return Ok(());
    }
    let text = safety::cell_text(text);
    match format {
        Some(format) => sheet.write_string_with_format(row, col, text.as_ref(), format)?,
        None => sheet.write_string(row, col, text.as_ref())?,
    };
    Ok(())
}

/// Writes a number; `None` and non-finite values leave the cell empty.
pub(crate) fn put_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let Some(value) = value.filter(|v| v.is_finite()) else {
        return Ok(());
    };
    match format {
        Some(format) => sheet.write_number_with_format(row, col, value, format)?,
        None => sheet.write_number(row, col, value)?,
    };
    Ok(())
}

/// Writes a score rounded with [`round_score`].
pub(crate) fn put_score(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    put_number(sheet, row, col, value.and_then(round_score), format)
}

/// Writes a rank interval as "p05–p95" text.
pub(crate) fn interval_text(p05: Option<u32>, p95: Option<u32>) -> String {
    match (p05, p95) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

/// Writes a header row with the header style and records header widths.
pub(crate) fn put_header_row(
    sheet: &mut Worksheet,
    row: u32,
    headers: &[String],
    styles: &Styles,
    widths: Option<&mut Widths>,
) -> Result<(), XlsxError> {
    for (col, header) in headers.iter().enumerate() {
        put_text(sheet, row, col_num(col), header, Some(&styles.header))?;
    }
    if let Some(widths) = widths {
        for (col, header) in headers.iter().enumerate() {
            widths.see_header(col, header);
        }
    }
    Ok(())
}

/// Landscape A4, one page wide, header row repeated, page numbers in the
/// footer, campaign name in the header.
pub(crate) fn print_setup(
    sheet: &mut Worksheet,
    campaign: &Campaign,
    lang: Lang,
    landscape: bool,
    repeat_header_row: Option<u32>,
) -> Result<(), XlsxError> {
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    if let Some(row) = repeat_header_row {
        sheet.set_repeat_rows(row, row)?;
    }
    sheet.set_header(format!("&L{}", safety::header_text(&campaign.name, 120)));
    sheet.set_footer(format!("&L{} &P / &N", lang::page_footer(lang)));
    Ok(())
}

/// Title, subject, author "Daraja", company, keywords; the creation date is
/// the publication date when it parses, so equal inputs give equal bytes.
pub(crate) fn set_properties(
    workbook: &mut Workbook,
    title: &str,
    campaign: &Campaign,
    lang: Lang,
) {
    let mut properties = DocProperties::new()
        .set_title(title)
        .set_subject(lang::subject(lang))
        .set_author("Daraja")
        .set_company(campaign.publisher.as_str())
        .set_keywords(lang::keywords(lang))
        .set_comment(format!("{} · {}", campaign.name, campaign.period));
    let created = ExcelDateTime::parse_from_str(campaign.publication_date.trim())
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1));
    if let Ok(created) = created {
        properties = properties.set_creation_datetime(&created);
    }
    workbook.set_properties(&properties);
}

/// A band's label, with the fill of that band.
pub(crate) fn put_band(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    band: Option<Band>,
    styles: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    put_text(
        sheet,
        row,
        col,
        lang::band_label(band, lang),
        styles.band(band),
    )
}
