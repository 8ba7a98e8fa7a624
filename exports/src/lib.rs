//! Exports: plain data in, bytes out.
//!
//! This crate turns rating data into files (and reads back the one it hands
//! out to be filled in, the campaign template): the national rating workbook,
//! the entity report card and the region pack (xlsx), and the open-data
//! CSV/JSON with its data dictionary. It knows nothing of the database, HTTP
//! or the clock: the server maps its rows into the input types of [`model`]
//! (dates as strings, names already translated) and sends the bytes.
//!
//! # Public API
//!
//! ```text
//! national_workbook(&NationalRating, Lang) -> Result<Vec<u8>, ExportError>
//! national_workbook_to(&NationalRating, Lang, impl Write + Send) -> Result<(), ExportError>
//! report_card(&ReportCard, Lang) -> Result<Vec<u8>, ExportError>
//! report_card_to(&ReportCard, Lang, impl Write + Send) -> Result<(), ExportError>
//! region_pack(&[ReportCard], &RegionInfo, Lang) -> Result<Vec<u8>, ExportError>
//! rating_rows(&NationalRating) -> Vec<RatingRow>
//! ratings_csv(&[RatingRow]) -> Result<Vec<u8>, ExportError>     (+ ratings_csv_to)
//! ratings_json(&[RatingRow]) -> Result<Vec<u8>, ExportError>    (+ ratings_json_to)
//! data_dictionary(Lang) -> String
//! template::template_workbook(&Template, Lang) -> Result<Vec<u8>, ExportError>
//! template::read_template(&[u8]) -> Result<FilledTemplate, TemplateError>
//! ```
//!
//! Labels come from [`lang`] (uz-Latn by default, uz-Cyrl, ru, en).
//!
//! # Invariants
//!
//! - User text (names, comments, URLs, codes) is written with
//!   `write_string`, never as a formula, whatever its first character. In CSV
//!   it gets the OWASP `'` prefix when it starts with `= + - @`, tab or CR
//!   (see [`safety`]). Evidence links become hyperlinks only for
//!   `http`/`https`.
//! - Every score is rounded once, by [`round_score`] (2 decimals, half away
//!   from zero), so the workbook, CSV and JSON show the same numbers.
//! - Equal inputs give equal bytes: the document creation date is the
//!   publication date, not the clock.
//! - The big indicator sheets use rust_xlsxwriter's constant-memory mode,
//!   which streams rows through a temporary file in the system temp
//!   directory; that is the only file-system access.

#![deny(missing_docs)]

pub mod audit;
mod error;
pub mod lang;
pub mod model;
pub mod open_data;
pub mod region_template;
pub mod safety;
pub mod sample;
pub mod stats;
pub mod template;
pub mod upload;
mod xlsx;

use std::io::Write;

pub use error::ExportError;
pub use lang::Lang;
pub use model::{
    Band, BandRule, Campaign, Domain, DomainComparison, EntityKind, Gap, Indicator,
    IndicatorMatrix, IndicatorValue, League, LeagueRow, MatrixEntity, Methodology, NationalRating,
    Progress, RegionInfo, ReportCard, ReviewerComment, TrendPoint, round_score,
};
pub use open_data::{
    DomainScore, IndicatorAnswer, RatingRow, data_dictionary, rating_rows, ratings_csv,
    ratings_csv_to, ratings_json, ratings_json_to,
};

/// The national rating workbook as xlsx bytes.
pub fn national_workbook(rating: &NationalRating, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    national_workbook_to(rating, lang, &mut buffer)?;
    Ok(buffer)
}

/// The national rating workbook, written to `writer`.
pub fn national_workbook_to<W: Write + Send>(
    rating: &NationalRating,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    xlsx::national::write(rating, lang, writer, &mut |_| {})
}

/// The national rating workbook, written to `writer`, telling `progress`
/// how far it has come (at most every half percent of the rows, then once
/// when it starts compressing): for a progress bar on a long export.
pub fn national_workbook_with_progress<W: Write + Send>(
    rating: &NationalRating,
    lang: Lang,
    writer: W,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), ExportError> {
    xlsx::national::write(rating, lang, writer, progress)
}

/// The report card of one entity as xlsx bytes.
pub fn report_card(card: &ReportCard, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    report_card_to(card, lang, &mut buffer)?;
    Ok(buffer)
}

/// The report card of one entity, written to `writer`.
pub fn report_card_to<W: Write + Send>(
    card: &ReportCard,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    xlsx::card::write_report_card(card, lang, writer)
}

/// The region pack as xlsx bytes: an overview sheet, then one report-card
/// sheet per district (`cards`, in the given order).
pub fn region_pack(
    cards: &[ReportCard],
    region: &RegionInfo,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    xlsx::card::write_region_pack(cards, region, lang, &mut buffer)?;
    Ok(buffer)
}
