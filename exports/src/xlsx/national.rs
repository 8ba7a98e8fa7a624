//! The national rating workbook: summary, one league sheet per entity kind,
//! one sheet per domain with indicator scores, raw values, methodology.
//!
//! The indicator sheets (up to 10,000 rows × 300 columns) are written in
//! rust_xlsxwriter's *constant memory* mode: rows stream to a temporary file
//! as they are written, so memory stays flat. Numbers are written without a
//! per-cell format; the number format sits on the column once.

use std::collections::HashSet;
use std::io::Write;

use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartSolidFill, ChartType, Color, ConditionalFormatFormula, Format,
    Url, Workbook, Worksheet, XlsxError,
};

use super::common::{
    SCORE_FORMAT, Styles, Widths, col_num, interval_text, print_setup, put_band, put_header_row,
    put_number, put_score, put_text, row_num, set_properties, tint,
};
use crate::error::ExportError;
use crate::lang::{self, Lang, kind_label};
use crate::model::{Band, League, Methodology, NationalRating, Progress, round_score};
use crate::safety;
use crate::stats::{distribution, nominations};

/// Excel's row limit, minus the header row.
const MAX_DATA_ROWS: usize = 1_048_575;
/// Excel's column limit.
const MAX_COLUMNS: usize = 16_384;
/// Fixed columns before the domain scores in a league sheet.
const LEAGUE_FIXED: usize = 7;
/// Fixed columns before the indicators in an indicator sheet.
const MATRIX_FIXED: usize = 3;

/// Checks that the parts of the input fit together and fit in Excel.
pub(crate) fn validate(rating: &NationalRating) -> Result<(), ExportError> {
    let domains = rating.methodology.domains.len();
    for league in &rating.leagues {
        if league.rows.len() > MAX_DATA_ROWS {
            return Err(ExportError::TooLarge(format!(
                "{} rows in the {} league",
                league.rows.len(),
                league.kind.code()
            )));
        }
        if let Some((i, row)) = league
            .rows
            .iter()
            .enumerate()
            .find(|(_, row)| row.domain_scores.len() != domains)
        {
            return Err(ExportError::Shape(format!(
                "row {i} of the {} league has {} domain scores, the methodology has {domains} domains",
                league.kind.code(),
                row.domain_scores.len()
            )));
        }
    }
    let matrix = &rating.indicators;
    let cells = matrix.entities.len() * rating.methodology.indicator_count();
    if matrix.scores.len() != cells || matrix.raw.len() != cells {
        return Err(ExportError::Shape(format!(
            "indicator matrix: {} entities × {} indicators needs {cells} values, got {} scores and {} raw values",
            matrix.entities.len(),
            rating.methodology.indicator_count(),
            matrix.scores.len(),
            matrix.raw.len()
        )));
    }
    if matrix.entities.len() > MAX_DATA_ROWS {
        return Err(ExportError::TooLarge(format!(
            "{} entities in the indicator matrix",
            matrix.entities.len()
        )));
    }
    if MATRIX_FIXED + rating.methodology.indicator_count() > MAX_COLUMNS
        || LEAGUE_FIXED + domains + 1 > MAX_COLUMNS
    {
        return Err(ExportError::TooLarge("too many indicators".to_string()));
    }
    Ok(())
}

/// Counts the rows written and tells `report` at most every half percent.
struct Rows<'a> {
    done: usize,
    total: usize,
    reported: usize,
    report: &'a mut dyn FnMut(Progress),
}

impl Rows<'_> {
    fn add(&mut self, n: usize) {
        self.done += n;
        if self.done - self.reported >= (self.total / 200).max(1) || self.done == self.total {
            self.reported = self.done;
            (self.report)(Progress {
                rows: self.done,
                total: self.total,
                packing: false,
            });
        }
    }
}

/// Writes the national workbook to `writer`, telling `report` how far it
/// has come.
pub(crate) fn write<W: Write + Send>(
    rating: &NationalRating,
    lang: Lang,
    writer: W,
    report: &mut dyn FnMut(Progress),
) -> Result<(), ExportError> {
    validate(rating)?;
    let mut rows = Rows {
        done: 0,
        total: rating.leagues.iter().map(|l| l.rows.len()).sum::<usize>()
            + (rating.methodology.domains.len() + 1) * rating.indicators.entities.len(),
        reported: 0,
        report,
    };
    let mut workbook = Workbook::new();
    let styles = Styles::new(&rating.methodology.bands);
    let title = format!("{} — {}", lang::national_title(lang), rating.campaign.name);
    set_properties(&mut workbook, &title, &rating.campaign, lang);

    let mut used_names = HashSet::new();
    let summary_name = safety::sheet_name(lang::sheet_summary(lang), &mut used_names);
    let league_names: Vec<String> = rating
        .leagues
        .iter()
        .map(|league| safety::sheet_name(kind_label(league.kind, lang), &mut used_names))
        .collect();

    let summary = workbook.add_worksheet();
    summary.set_name(&summary_name)?;
    write_summary(summary, &summary_name, rating, &league_names, &styles, lang)?;
    summary.set_active(true);

    for (league, name) in rating.leagues.iter().zip(&league_names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        write_league(sheet, league, rating, &styles, lang)?;
        rows.add(league.rows.len());
    }

    let mut first_indicator = 0;
    for domain in &rating.methodology.domains {
        let name = safety::sheet_name(&format!("{} {}", domain.code, domain.name), &mut used_names);
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(&name)?;
        let columns = first_indicator..first_indicator + domain.indicators.len();
        let headers = domain
            .indicators
            .iter()
            .map(|i| format!("{} {}", i.code, i.name))
            .collect();
        let part = MatrixPart {
            columns,
            headers,
            scores: true,
        };
        write_matrix(sheet, rating, lang, &styles, part, &mut rows)?;
        first_indicator += domain.indicators.len();
    }

    let name = safety::sheet_name(lang::sheet_raw_values(lang), &mut used_names);
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(&name)?;
    let headers = rating
        .methodology
        .domains
        .iter()
        .flat_map(|d| &d.indicators)
        .map(|i| {
            if i.unit.is_empty() {
                format!("{} {}", i.code, i.name)
            } else {
                format!("{} {} ({})", i.code, i.name, i.unit)
            }
        })
        .collect();
    let all = 0..rating.methodology.indicator_count();
    let part = MatrixPart {
        columns: all,
        headers,
        scores: false,
    };
    write_matrix(sheet, rating, lang, &styles, part, &mut rows)?;

    let name = safety::sheet_name(lang::sheet_methodology(lang), &mut used_names);
    let sheet = workbook.add_worksheet();
    sheet.set_name(&name)?;
    write_methodology(sheet, &rating.methodology, rating, &styles, lang)?;

    (rows.report)(Progress {
        rows: rows.done,
        total: rows.total,
        packing: true,
    });
    workbook.save_to_writer(writer)?;
    Ok(())
}

/// The summary sheet: the campaign's facts, the distribution of bands by
/// entity kind (table and chart), the nominations and the notes.
fn write_summary(
    sheet: &mut Worksheet,
    sheet_name: &str,
    rating: &NationalRating,
    league_names: &[String],
    styles: &Styles,
    lang: Lang,
) -> Result<(), ExportError> {
    let mut widths = Widths::new(9, 40);
    let row = summary_facts(sheet, rating, styles, lang, &mut widths)?;

    // Distribution: counts per band (the chart's data) and the phrase
    // "16 (27.1%) good" per band.
    let (header_row, last_kind_row) =
        distribution_table(sheet, rating, league_names, styles, lang, &mut widths, row)?;
    let row = if !rating.leagues.is_empty() {
        distribution_chart(sheet, sheet_name, rating, lang, header_row, last_kind_row)?;
        last_kind_row + 2 + 16
    } else {
        last_kind_row + 2
    };

    let row = nominations_table(sheet, rating, styles, lang, &mut widths, row)?;

    notes(sheet, styles, lang, row)?;

    widths.apply(sheet)?;
    print_setup(sheet, &rating.campaign, lang, false, None)?;
    Ok(())
}

/// Title and the campaign's facts; returns the row below the facts.
fn summary_facts(
    sheet: &mut Worksheet,
    rating: &NationalRating,
    styles: &Styles,
    lang: Lang,
    widths: &mut Widths,
) -> Result<u32, ExportError> {
    let campaign = &rating.campaign;
    let methodology = &rating.methodology;
    put_text(sheet, 0, 0, lang::national_title(lang), Some(&styles.title))?;
    put_text(sheet, 1, 0, &campaign.name, Some(&styles.subtitle))?;

    let facts: [(&str, String); 6] = [
        (lang::campaign(lang), campaign.name.clone()),
        (lang::period(lang), campaign.period.clone()),
        (
            lang::methodology(lang),
            format!("{} {}", methodology.code, methodology.version),
        ),
        (
            lang::publication_date(lang),
            campaign.publication_date.clone(),
        ),
        (lang::revision(lang), campaign.revision.to_string()),
        (lang::publisher(lang), campaign.publisher.clone()),
    ];
    let mut row = 3;
    for (label, value) in &facts {
        put_text(sheet, row, 0, label, Some(&styles.bold))?;
        put_text(sheet, row, 1, value, None)?;
        widths.see_text(0, label);
        row += 1;
    }
    Ok(row)
}

/// One row per league, a row below `row`: its kind (linked to its sheet),
/// counts per band, not rated, total and the phrase per band; returns the
/// header row and the last league's row.
fn distribution_table(
    sheet: &mut Worksheet,
    rating: &NationalRating,
    league_names: &[String],
    styles: &Styles,
    lang: Lang,
    widths: &mut Widths,
    mut row: u32,
) -> Result<(u32, u32), ExportError> {
    row += 1;
    put_text(
        sheet,
        row,
        0,
        lang::distribution(lang),
        Some(&styles.subtitle),
    )?;
    row += 1;
    let header_row = row;
    let mut headers = vec![lang::entity_kind(lang).to_string()];
    headers.extend(Band::ALL.map(|b| lang::band_label(Some(b), lang).to_string()));
    headers.push(lang::not_rated(lang).to_string());
    headers.push(lang::count_total(lang).to_string());
    headers.extend(Band::ALL.map(|b| format!("{}, %", lang::band_label(Some(b), lang))));
    put_header_row(sheet, row, &headers, styles, Some(&mut *widths))?;
    sheet.set_row_height(row, 30)?;
    for (league, name) in rating.leagues.iter().zip(league_names) {
        row += 1;
        let d = distribution(league);
        // The kind links to its league sheet (an internal link; the sheet
        // name is ours, not user text).
        let link = Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
            .set_text(kind_label(league.kind, lang));
        sheet.write_url(row, 0, &link)?;
        widths.see_text(0, kind_label(league.kind, lang));
        for (i, band) in Band::ALL.into_iter().enumerate() {
            sheet.write_number(row, col_num(1 + i), d.count(band))?;
            let phrase = d.describe(band, lang);
            put_text(sheet, row, col_num(6 + i), &phrase, Some(&styles.indent))?;
            widths.see_text(6 + i, &phrase);
        }
        sheet.write_number(row, 4, d.not_rated)?;
        sheet.write_number(row, 5, d.total())?;
    }
    Ok((header_row, row))
}

/// The stacked bar chart of the distribution table, below it.
fn distribution_chart(
    sheet: &mut Worksheet,
    sheet_name: &str,
    rating: &NationalRating,
    lang: Lang,
    header_row: u32,
    last_kind_row: u32,
) -> Result<(), ExportError> {
    let mut chart = Chart::new(ChartType::BarStacked);
    for (i, band) in Band::ALL.into_iter().enumerate() {
        let col = col_num(1 + i);
        let colour = rating.methodology.band_colour(band);
        chart
            .add_series()
            .set_name((sheet_name, header_row, col))
            .set_categories((sheet_name, header_row + 1, 0, last_kind_row, 0))
            .set_values((sheet_name, header_row + 1, col, last_kind_row, col))
            .set_format(ChartSolidFill::new().set_color(Color::RGB(colour)))
            .set_gap(60);
    }
    chart.title().set_name(lang::distribution(lang));
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.y_axis().set_reverse();
    chart.set_width(760).set_height(300);
    sheet.insert_chart(last_kind_row + 2, 0, &chart)?;
    Ok(())
}

/// The best entity of each kind in each domain, from `row`; returns the
/// last row used.
fn nominations_table(
    sheet: &mut Worksheet,
    rating: &NationalRating,
    styles: &Styles,
    lang: Lang,
    widths: &mut Widths,
    mut row: u32,
) -> Result<u32, ExportError> {
    put_text(
        sheet,
        row,
        0,
        lang::nominations(lang),
        Some(&styles.subtitle),
    )?;
    row += 1;
    let headers = [
        lang::entity_kind(lang),
        lang::domain(lang),
        lang::best_entity(lang),
        lang::code(lang),
        lang::score(lang),
    ]
    .map(str::to_string);
    put_header_row(sheet, row, &headers, styles, Some(&mut *widths))?;
    sheet.set_row_height(row, 30)?;
    let listed = rating
        .nominations
        .clone()
        .unwrap_or_else(|| nominations(rating));
    for nomination in listed {
        row += 1;
        let Some(league) = rating.leagues.iter().find(|l| l.kind == nomination.kind) else {
            continue;
        };
        let entity = &league.rows[nomination.row];
        let domain = &rating.methodology.domains[nomination.domain];
        put_text(sheet, row, 0, kind_label(nomination.kind, lang), None)?;
        let domain_label = format!("{} {}", domain.code, domain.name);
        put_text(sheet, row, 1, &domain_label, None)?;
        put_text(sheet, row, 2, &entity.entity_name, None)?;
        put_text(sheet, row, 3, &entity.code, Some(&styles.center))?;
        widths.see_text(1, &domain_label);
        widths.see_text(2, &entity.entity_name);
        widths.see_text(3, &entity.code);
        put_number(sheet, row, 4, Some(nomination.score), Some(&styles.score))?;
    }
    Ok(row)
}

fn write_league(
    sheet: &mut Worksheet,
    league: &League,
    rating: &NationalRating,
    styles: &Styles,
    lang: Lang,
) -> Result<(), ExportError> {
    let domains = &rating.methodology.domains;
    let change_col = LEAGUE_FIXED + domains.len();
    let last_col = col_num(change_col);
    let mut widths = Widths::new(change_col + 1, 50);

    let mut headers: Vec<String> = [
        lang::rank,
        lang::rank_interval,
        lang::entity,
        lang::code,
        lang::region,
        lang::index,
        lang::band,
    ]
    .iter()
    .map(|label| label(lang).to_string())
    .collect();
    headers.extend(domains.iter().map(|d| format!("{} {}", d.code, d.name)));
    headers.push(lang::change(lang).to_string());
    put_header_row(sheet, 0, &headers, styles, Some(&mut widths))?;

    // Number formats live on the columns, so cells need no format of their own.
    sheet.set_column_format(0, &styles.integer)?;
    for col in 5..change_col {
        if col != 6 {
            sheet.set_column_format(col_num(col), &styles.score)?;
        }
    }
    sheet.set_column_format(last_col, &styles.change)?;
    sheet.set_column_format(1, &styles.center)?;
    sheet.set_column_format(3, &styles.center)?;
    sheet.set_column_format(6, &styles.bold)?;

    for (i, entity) in league.rows.iter().enumerate() {
        let row = row_num(i + 1);
        put_number(sheet, row, 0, entity.rank.map(f64::from), None)?;
        let interval = interval_text(entity.rank_p05, entity.rank_p95);
        put_text(sheet, row, 1, &interval, None)?;
        put_text(sheet, row, 2, &entity.entity_name, None)?;
        put_text(sheet, row, 3, &entity.code, None)?;
        put_text(sheet, row, 4, &entity.region, None)?;
        put_score(sheet, row, 5, entity.index, None)?;
        // The fill comes from the conditional formats, so the band stays
        // plain text a filter can match.
        put_text(sheet, row, 6, lang::band_label(entity.band, lang), None)?;
        for (d, score) in entity.domain_scores.iter().enumerate() {
            put_score(sheet, row, col_num(LEAGUE_FIXED + d), *score, None)?;
        }
        put_score(sheet, row, last_col, entity.change, None)?;
        widths.see_text(1, &interval);
        widths.see_text(2, &entity.entity_name);
        widths.see_text(3, &entity.code);
        widths.see_text(4, &entity.region);
        widths.see_text(6, lang::band_label(entity.band, lang));
    }

    let last_row = row_num(league.rows.len());
    widths.apply(sheet)?;
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    if !league.rows.is_empty() {
        // Traffic light: a stronger tint of the band colour on the band cell,
        // a light one over the rest of the row. Rules added first win, so the
        // band column's rules go first.
        for (tint_amount, first_col, last) in [(0.55, 6, 6), (0.8, 0, last_col)] {
            for band in Band::ALL {
                let fill = tint(rating.methodology.band_colour(band), tint_amount);
                let label = lang::band_label(Some(band), lang).replace('"', "\"\"");
                let rule = ConditionalFormatFormula::new()
                    .set_rule(format!("=$G2=\"{label}\"").as_str())
                    .set_format(Format::new().set_background_color(Color::RGB(fill)));
                sheet.add_conditional_format(1, first_col, last_row, last, &rule)?;
            }
        }
    }
    print_setup(sheet, &rating.campaign, lang, true, Some(0))?;
    Ok(())
}

/// Which indicator columns a matrix sheet holds, their headers, and whether
/// they are normalised scores (rounded) or raw values (as given).
struct MatrixPart {
    columns: std::ops::Range<usize>,
    headers: Vec<String>,
    scores: bool,
}

/// One sheet of the indicator matrix: kind, code, name, then the indicator
/// columns of `part`.
fn write_matrix(
    sheet: &mut Worksheet,
    rating: &NationalRating,
    lang: Lang,
    styles: &Styles,
    part: MatrixPart,
    rows: &mut Rows<'_>,
) -> Result<(), XlsxError> {
    let MatrixPart {
        columns,
        headers: indicator_headers,
        scores,
    } = part;
    let matrix = &rating.indicators;
    let stride = rating.methodology.indicator_count();
    let values = if scores { &matrix.scores } else { &matrix.raw };
    let width = MATRIX_FIXED + columns.len();

    // In constant-memory mode widths and column formats must be set before
    // the rows stream out, so the text columns are measured in a first pass.
    let mut widths = Widths::new(width, 45);
    for entity in &matrix.entities {
        widths.see_text(0, kind_label(entity.kind, lang));
        widths.see_text(1, &entity.code);
        widths.see_text(2, &entity.name);
    }
    let mut headers = vec![
        lang::entity_kind(lang).to_string(),
        lang::code(lang).to_string(),
        lang::entity(lang).to_string(),
    ];
    headers.extend(indicator_headers);
    for (col, header) in headers.iter().enumerate() {
        widths.see_header(col, header);
    }
    for col in MATRIX_FIXED..width {
        widths.see(col, 12);
    }
    widths.apply(sheet)?;
    if scores {
        let format = Format::new().set_num_format(SCORE_FORMAT);
        for col in MATRIX_FIXED..width {
            sheet.set_column_format(col_num(col), &format)?;
        }
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.set_row_height(0, 60)?;
    put_header_row(sheet, 0, &headers, styles, None)?;

    for (i, entity) in matrix.entities.iter().enumerate() {
        let row = row_num(i + 1);
        put_text(sheet, row, 0, kind_label(entity.kind, lang), None)?;
        put_text(sheet, row, 1, &entity.code, None)?;
        put_text(sheet, row, 2, &entity.name, None)?;
        let row_values = &values[i * stride..(i + 1) * stride][columns.clone()];
        for (j, value) in row_values.iter().enumerate() {
            let value = if scores {
                round_score(*value)
            } else {
                Some(*value)
            };
            if let Some(value) = value.filter(|v| v.is_finite()) {
                sheet.write_number(row, col_num(MATRIX_FIXED + j), value)?;
            }
        }
        rows.add(1);
    }
    let last_row = row_num(matrix.entities.len());
    sheet.autofilter(0, 0, last_row, col_num(width - 1))?;
    print_setup(sheet, &rating.campaign, lang, true, Some(0))?;
    Ok(())
}

fn write_methodology(
    sheet: &mut Worksheet,
    methodology: &Methodology,
    rating: &NationalRating,
    styles: &Styles,
    lang: Lang,
) -> Result<(), ExportError> {
    let mut widths = Widths::new(6, 80);
    let heading = format!(
        "{}: {} {}",
        lang::sheet_methodology(lang),
        methodology.code,
        methodology.version
    );
    put_text(sheet, 0, 0, &heading, Some(&styles.title))?;
    put_text(sheet, 2, 0, lang::normalisation(lang), Some(&styles.bold))?;
    put_text(sheet, 2, 1, &methodology.normalisation, None)?;

    let mut row = 4;
    let headers = [
        lang::level,
        lang::code,
        lang::name,
        lang::weight,
        lang::unit,
        lang::normalisation,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, Some(&mut widths))?;
    let header_row = row;
    for domain in &methodology.domains {
        row += 1;
        put_text(sheet, row, 0, lang::domain(lang), Some(&styles.bold))?;
        put_text(sheet, row, 1, &domain.code, Some(&styles.bold))?;
        put_text(sheet, row, 2, &domain.name, Some(&styles.bold))?;
        put_number(sheet, row, 3, Some(domain.weight), Some(&styles.bold))?;
        widths.see_text(1, &domain.code);
        widths.see_text(2, &domain.name);
        for indicator in &domain.indicators {
            row += 1;
            put_text(sheet, row, 0, lang::indicator(lang), Some(&styles.indent))?;
            put_text(sheet, row, 1, &indicator.code, Some(&styles.indent))?;
            put_text(sheet, row, 2, &indicator.name, Some(&styles.indent))?;
            put_number(sheet, row, 3, Some(indicator.weight), None)?;
            put_text(sheet, row, 4, &indicator.unit, None)?;
            put_text(sheet, row, 5, &indicator.normalisation, None)?;
            widths.see_text(1, &indicator.code);
            widths.see_text(2, &indicator.name);
            widths.see_text(4, &indicator.unit);
            widths.see_text(5, &indicator.normalisation);
        }
    }
    widths.see_text(0, lang::indicator(lang));

    row += 2;
    put_text(sheet, row, 0, lang::bands(lang), Some(&styles.subtitle))?;
    row += 1;
    let headers = [
        lang::band,
        lang::lower_bound,
        lang::upper_bound,
        lang::colour,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    for rule in &methodology.bands {
        row += 1;
        put_band(sheet, row, 0, Some(rule.band), styles, lang)?;
        put_number(sheet, row, 1, Some(rule.min_index), None)?;
        put_number(sheet, row, 2, Some(rule.max_index), None)?;
        let colour = methodology.band_colour(rule.band);
        let swatch = Format::new().set_background_color(Color::RGB(colour));
        put_text(sheet, row, 3, &format!("#{colour:06X}"), Some(&swatch))?;
    }

    notes(sheet, styles, lang, row)?;

    widths.apply(sheet)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    print_setup(sheet, &rating.campaign, lang, true, Some(header_row))?;
    Ok(())
}

/// The notes on rounding, intervals and change that close a sheet, two rows
/// below `row`.
fn notes(
    sheet: &mut Worksheet,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<(), XlsxError> {
    row += 2;
    put_text(sheet, row, 0, lang::notes(lang), Some(&styles.subtitle))?;
    for note in [lang::note_rounding, lang::note_interval, lang::note_change] {
        row += 1;
        put_text(sheet, row, 0, note(lang), Some(&styles.note))?;
    }
    Ok(())
}
