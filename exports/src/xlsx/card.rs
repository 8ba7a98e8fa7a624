//! The entity report card (one sheet) and the region pack (an overview plus
//! one report-card sheet per district, all with the same layout).
//!
//! The card is a single printable page layout in portrait: key figures,
//! domain scores vs peer and region averages (table + bar chart), the trend
//! over campaigns (table + line chart), "what to improve first", indicator
//! values with evidence links, and public reviewer comments.

use std::collections::HashSet;
use std::io::Write;

use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartMarker, ChartMarkerType, ChartType, Url, Workbook, Worksheet,
    XlsxError,
};

use super::common::{
    Styles, col_num, interval_text, print_setup, put_band, put_header_row, put_number, put_score,
    put_text, row_num, set_properties,
};
use crate::error::ExportError;
use crate::lang::{self, Lang, kind_label};
use crate::model::{RegionInfo, ReportCard};
use crate::safety;

/// Rows a chart occupies below its table.
const CHART_ROWS: u32 = 16;

/// Writes a one-sheet workbook for one entity.
pub(crate) fn write_report_card<W: Write + Send>(
    card: &ReportCard,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    let mut workbook = Workbook::new();
    let title = format!("{} — {}", lang::report_card_title(lang), card.entity_name);
    set_properties(&mut workbook, &title, &card.campaign, lang);
    let styles = Styles::new(&card.bands);
    let mut used = HashSet::new();
    let name = safety::sheet_name(lang::sheet_card(lang), &mut used);
    let sheet = workbook.add_worksheet();
    sheet.set_name(&name)?;
    write_card_sheet(sheet, &name, card, &styles, lang)?;
    workbook.save_to_writer(writer)?;
    Ok(())
}

/// Writes the region pack: an overview sheet, then one card sheet per
/// district in the given order.
pub(crate) fn write_region_pack<W: Write + Send>(
    cards: &[ReportCard],
    region: &RegionInfo,
    lang: Lang,
    writer: W,
) -> Result<(), ExportError> {
    let mut workbook = Workbook::new();
    let title = format!("{} — {}", lang::region_pack_title(lang), region.name);
    let campaign = cards
        .first()
        .map(|c| c.campaign.clone())
        .unwrap_or_default();
    set_properties(&mut workbook, &title, &campaign, lang);
    let styles = Styles::new(cards.first().map_or(&[][..], |c| &c.bands[..]));

    let mut used = HashSet::new();
    let overview_name = safety::sheet_name(lang::sheet_overview(lang), &mut used);
    let names: Vec<String> = cards
        .iter()
        .map(|card| safety::sheet_name(&card.entity_name, &mut used))
        .collect();

    let sheet = workbook.add_worksheet();
    sheet.set_name(&overview_name)?;
    put_text(sheet, 0, 0, &title, Some(&styles.title))?;
    put_text(sheet, 1, 0, &campaign.name, Some(&styles.subtitle))?;
    put_text(sheet, 2, 0, &region.code, None)?;
    let headers = [
        lang::entity,
        lang::code,
        lang::index,
        lang::band,
        lang::rank,
        lang::rank_interval,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, 4, &headers, &styles, None)?;
    for (i, (card, name)) in cards.iter().zip(&names).enumerate() {
        let row = row_num(5 + i);
        // The name links to the district's sheet; the text is written as a
        // string by the URL writer, never as a formula.
        let link = Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
            .set_text(safety::cell_text(&card.entity_name).as_ref());
        if card.entity_name.is_empty() {
            put_text(sheet, row, 0, name, None)?;
        } else {
            sheet.write_url(row, 0, &link)?;
        }
        put_text(sheet, row, 1, &card.code, None)?;
        put_score(sheet, row, 2, card.index, Some(&styles.score))?;
        put_band(sheet, row, 3, card.band, &styles, lang)?;
        put_number(sheet, row, 4, card.rank.map(f64::from), None)?;
        put_text(
            sheet,
            row,
            5,
            &interval_text(card.rank_p05, card.rank_p95),
            None,
        )?;
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_range_width(1, 5, 16)?;
    sheet.set_freeze_panes(5, 1)?;
    print_setup(sheet, &campaign, lang, false, Some(4))?;
    sheet.set_active(true);

    for (card, name) in cards.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        write_card_sheet(sheet, name, card, &styles, lang)?;
    }
    workbook.save_to_writer(writer)?;
    Ok(())
}

/// Lays out one report card on `sheet` (named `sheet_name`, which the charts
/// reference). Columns: A wide text, B–E numbers, F wide text.
fn write_card_sheet(
    sheet: &mut Worksheet,
    sheet_name: &str,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 46)?;
    sheet.set_column_range_width(1, 4, 15)?;
    sheet.set_column_width(5, 48)?;

    // Each section starts below the last row the one before it used.
    let row = heading(sheet, card, styles, lang)?;
    let row = key_figures(sheet, card, styles, lang, row)?;
    let row = domain_scores(sheet, sheet_name, card, styles, lang, row)?;
    let row = trend(sheet, sheet_name, card, styles, lang, row)?;
    let row = improve_first(sheet, card, styles, lang, row)?;
    let row = indicator_values(sheet, card, styles, lang, row)?;
    let row = comments(sheet, card, styles, lang, row)?;

    print_setup(sheet, &card.campaign, lang, false, None)?;
    sheet.set_print_area(0, 0, row, col_num(5))?;
    Ok(())
}

/// The entity's name, what the card is, and the campaign's facts; returns
/// the row below the facts.
fn heading(
    sheet: &mut Worksheet,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
) -> Result<u32, XlsxError> {
    put_text(sheet, 0, 0, &card.entity_name, Some(&styles.title))?;
    let subtitle = [
        lang::report_card_title(lang),
        kind_label(card.kind, lang),
        card.code.as_str(),
        card.region.as_str(),
    ]
    .iter()
    .filter(|part| !part.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" · ");
    put_text(sheet, 1, 0, &subtitle, None)?;

    let mut row = 3;
    let facts = [
        (lang::campaign(lang), card.campaign.name.clone()),
        (lang::period(lang), card.campaign.period.clone()),
        (
            lang::methodology(lang),
            format!("{} {}", card.methodology_code, card.methodology_version),
        ),
        (
            lang::publication_date(lang),
            format!(
                "{} ({} {})",
                card.campaign.publication_date,
                lang::revision(lang),
                card.campaign.revision
            ),
        ),
    ];
    for (label, value) in &facts {
        put_text(sheet, row, 0, label, Some(&styles.bold))?;
        put_text(sheet, row, 1, value, None)?;
        row += 1;
    }
    Ok(row)
}

/// Index, band, rank, rank interval and participants, a row below `row`;
/// returns the last row written.
fn key_figures(
    sheet: &mut Worksheet,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 1;
    put_text(sheet, row, 0, lang::index(lang), Some(&styles.bold))?;
    put_score(sheet, row, 1, card.index, Some(&styles.score))?;
    row += 1;
    put_text(sheet, row, 0, lang::band(lang), Some(&styles.bold))?;
    put_band(sheet, row, 1, card.band, styles, lang)?;
    row += 1;
    put_text(sheet, row, 0, lang::rank(lang), Some(&styles.bold))?;
    put_number(
        sheet,
        row,
        1,
        card.rank.map(f64::from),
        Some(&styles.integer),
    )?;
    row += 1;
    put_text(sheet, row, 0, lang::rank_interval(lang), Some(&styles.bold))?;
    put_text(
        sheet,
        row,
        1,
        &interval_text(card.rank_p05, card.rank_p95),
        None,
    )?;
    row += 1;
    put_text(sheet, row, 0, lang::participants(lang), Some(&styles.bold))?;
    sheet.write_number(row, 1, card.league_size)?;
    Ok(row)
}

/// Domain scores vs peers and region: a table and its bar chart; returns
/// the last row used.
fn domain_scores(
    sheet: &mut Worksheet,
    sheet_name: &str,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 2;
    put_text(
        sheet,
        row,
        0,
        lang::domain_scores(lang),
        Some(&styles.subtitle),
    )?;
    row += 1;
    let header_row = row;
    let headers = [
        lang::domain,
        lang::score,
        lang::peer_average,
        lang::region_average,
        lang::vs_peers,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    sheet.set_row_height(row, 42)?;
    for domain in &card.domains {
        row += 1;
        put_text(
            sheet,
            row,
            0,
            &format!("{} {}", domain.code, domain.name),
            None,
        )?;
        put_score(sheet, row, 1, domain.score, Some(&styles.score))?;
        put_score(sheet, row, 2, domain.peer_average, Some(&styles.score))?;
        put_score(sheet, row, 3, domain.region_average, Some(&styles.score))?;
        let difference = domain.score.zip(domain.peer_average).map(|(s, p)| s - p);
        put_score(sheet, row, 4, difference, Some(&styles.change))?;
    }
    if !card.domains.is_empty() {
        let mut chart = Chart::new(ChartType::Bar);
        for col in 1..=3 {
            chart
                .add_series()
                .set_name((sheet_name, header_row, col))
                .set_categories((sheet_name, header_row + 1, 0, row, 0))
                .set_values((sheet_name, header_row + 1, col, row, col));
        }
        chart.title().set_name(lang::domain_scores(lang));
        chart.x_axis().set_min(0).set_max(100);
        chart.y_axis().set_reverse();
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(720).set_height(300);
        sheet.insert_chart(row + 2, 0, &chart)?;
        row += 2 + CHART_ROWS;
    }
    Ok(row)
}

/// Trend and rank history: a table and its line chart; returns the last
/// row used.
fn trend(
    sheet: &mut Worksheet,
    sheet_name: &str,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 2;
    put_text(sheet, row, 0, lang::trend(lang), Some(&styles.subtitle))?;
    row += 1;
    let header_row = row;
    let headers = [
        lang::campaign,
        lang::index,
        lang::band,
        lang::rank,
        lang::rank_interval,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    sheet.set_row_height(row, 42)?;
    for point in &card.trend {
        row += 1;
        put_text(sheet, row, 0, &point.campaign, None)?;
        put_score(sheet, row, 1, point.index, Some(&styles.score))?;
        put_band(sheet, row, 2, point.band, styles, lang)?;
        put_number(
            sheet,
            row,
            3,
            point.rank.map(f64::from),
            Some(&styles.integer),
        )?;
        put_text(
            sheet,
            row,
            4,
            &interval_text(point.rank_p05, point.rank_p95),
            Some(&styles.center),
        )?;
    }
    if !card.trend.is_empty() {
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_name((sheet_name, header_row, 1))
            .set_categories((sheet_name, header_row + 1, 0, row, 0))
            .set_values((sheet_name, header_row + 1, 1, row, 1))
            .set_marker(
                ChartMarker::new()
                    .set_type(ChartMarkerType::Circle)
                    .set_size(7),
            );
        chart.title().set_name(lang::trend(lang));
        chart.y_axis().set_min(0).set_max(100);
        chart.legend().set_hidden();
        chart.set_width(720).set_height(260);
        sheet.insert_chart(row + 2, 0, &chart)?;
        row += 2 + CHART_ROWS - 2;
    }
    Ok(row)
}

/// What to improve first, by descending potential gain; returns the last
/// row written.
fn improve_first(
    sheet: &mut Worksheet,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 2;
    put_text(sheet, row, 0, lang::gaps(lang), Some(&styles.subtitle))?;
    row += 1;
    let headers = [
        lang::indicator,
        lang::points_lost,
        lang::potential_gain,
        lang::code,
        lang::domain,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    sheet.set_row_height(row, 42)?;
    let mut gaps: Vec<_> = card.gaps.iter().collect();
    gaps.sort_by(|a, b| b.potential_gain.total_cmp(&a.potential_gain));
    for gap in gaps {
        row += 1;
        put_text(sheet, row, 0, &gap.indicator_name, Some(&styles.wrap))?;
        put_score(sheet, row, 1, Some(gap.points_lost), Some(&styles.score))?;
        put_score(sheet, row, 2, Some(gap.potential_gain), Some(&styles.score))?;
        put_text(sheet, row, 3, &gap.indicator_code, Some(&styles.center))?;
        put_text(sheet, row, 4, &gap.domain_name, None)?;
    }
    Ok(row)
}

/// Indicator values and evidence, grouped under their domain; returns the
/// last row written.
fn indicator_values(
    sheet: &mut Worksheet,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 2;
    put_text(
        sheet,
        row,
        0,
        lang::indicator_values(lang),
        Some(&styles.subtitle),
    )?;
    row += 1;
    let headers = [
        lang::indicator,
        lang::value,
        lang::unit,
        lang::score,
        lang::code,
        lang::evidence,
    ]
    .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    sheet.set_row_height(row, 42)?;
    let mut current_domain: Option<&str> = None;
    for indicator in &card.indicators {
        if current_domain != Some(indicator.domain_name.as_str()) {
            current_domain = Some(indicator.domain_name.as_str());
            row += 1;
            put_text(sheet, row, 0, &indicator.domain_name, Some(&styles.bold))?;
        }
        row += 1;
        put_text(sheet, row, 0, &indicator.name, Some(&styles.indent))?;
        put_number(sheet, row, 1, indicator.value, None)?;
        put_text(sheet, row, 2, &indicator.unit, Some(&styles.indent))?;
        put_score(sheet, row, 3, indicator.score, Some(&styles.score))?;
        put_text(sheet, row, 4, &indicator.code, Some(&styles.center))?;
        if let Some(evidence) = indicator.evidence_url.as_deref() {
            match safety::http_url(evidence) {
                Some(url) => {
                    sheet.write_url(row, 5, url)?;
                }
                // Not a web link: shown for the reviewer, never clickable.
                None => put_text(sheet, row, 5, evidence, None)?,
            }
        }
    }
    Ok(row)
}

/// Public reviewer comments; returns the last row written.
fn comments(
    sheet: &mut Worksheet,
    card: &ReportCard,
    styles: &Styles,
    lang: Lang,
    mut row: u32,
) -> Result<u32, XlsxError> {
    row += 2;
    put_text(sheet, row, 0, lang::comments(lang), Some(&styles.subtitle))?;
    row += 1;
    let headers = [lang::comment, lang::date, lang::reviewer, lang::indicator]
        .map(|label| label(lang).to_string());
    put_header_row(sheet, row, &headers, styles, None)?;
    sheet.set_row_height(row, 42)?;
    if card.comments.is_empty() {
        row += 1;
        put_text(sheet, row, 0, lang::no_data(lang), Some(&styles.note))?;
    }
    for comment in &card.comments {
        row += 1;
        put_text(sheet, row, 0, &comment.text, Some(&styles.wrap))?;
        put_text(sheet, row, 1, &comment.date, None)?;
        put_text(sheet, row, 2, &comment.reviewer, None)?;
        put_text(sheet, row, 3, &comment.indicator_code, Some(&styles.center))?;
    }
    Ok(row)
}
