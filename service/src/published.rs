//! Every public output of a published revision, built from its snapshot
//! alone: the national workbook's data, report cards, open-data rows, the
//! entity profile, the region page and the map.
//!
//! Nothing here reads the database. The functions take decoded snapshots
//! ([`Published`]: the payload and the methodology version it names, both
//! immutable and checked against their SHA-256), so an answer corrected
//! after publication cannot reach a published output until a new revision
//! carries it.

use std::collections::HashMap;
use std::sync::Arc;

use domain::{EntityId, EntityRef, Locale, MatrixRow, SnapshotMatrix, SnapshotPayload};
use exports::{Lang, NationalRating};
use methodology::model::{IndicatorKind, Methodology, NodeBody, NodeIdx};

use crate::ratings::Revision;

/// A published revision as its outputs read it.
#[derive(Clone)]
pub struct Published {
    /// The stored revision (number, date, status, hash).
    pub revision: Revision,
    /// Its decoded snapshot.
    pub payload: Arc<SnapshotPayload>,
    /// The methodology version it was scored with.
    pub methodology: Arc<Methodology>,
}

pub(crate) fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::UzLatn => Locale::UzLatn,
        Lang::UzCyrl => Locale::UzCyrl,
        Lang::Ru => Locale::Ru,
        Lang::En => Locale::En,
    }
}

fn export_kind(kind: domain::EntityKind) -> exports::EntityKind {
    match kind {
        domain::EntityKind::StateBody => exports::EntityKind::StateBody,
        domain::EntityKind::EconomicBody => exports::EntityKind::EconomicBody,
        domain::EntityKind::Region => exports::EntityKind::Region,
        domain::EntityKind::District => exports::EntityKind::District,
    }
}

fn export_band(code: Option<&str>) -> Option<exports::Band> {
    match code? {
        "good" | "high" | "leading" => Some(exports::Band::Good),
        "satisfactory" | "middle" | "advancing" => Some(exports::Band::Satisfactory),
        _ => Some(exports::Band::Unsatisfactory),
    }
}

/// The scored indicators under each domain, in methodology order.
fn indicators_by_domain(m: &Methodology) -> Vec<(NodeIdx, Vec<NodeIdx>)> {
    m.domains()
        .iter()
        .map(|&d| {
            let mut leaves = Vec::new();
            let mut stack = vec![d];
            while let Some(n) = stack.pop() {
                match &m.nodes[n].body {
                    NodeBody::Indicator(ind)
                        if ind.is_scored() || matches!(ind.kind, IndicatorKind::Penalty { .. }) =>
                    {
                        leaves.push(n);
                    }
                    NodeBody::Indicator(_) => {}
                    NodeBody::Group { .. } => stack.extend(m.nodes[n].children.iter().rev()),
                }
            }
            (d, leaves)
        })
        .collect()
}

fn unit_of(m: &Methodology, i: NodeIdx) -> String {
    match m.nodes[i].indicator().map(|x| &x.kind) {
        Some(IndicatorKind::Number { unit }) => unit.clone().unwrap_or_default(),
        Some(IndicatorKind::Percent) => "%".into(),
        _ => String::new(),
    }
}

fn export_methodology(m: &Methodology, loc: Locale) -> exports::Methodology {
    exports::Methodology {
        code: m.id.clone(),
        version: m.version.clone(),
        normalisation: "goalposts, points and lookups per indicator (see docs/METHODOLOGY.md)"
            .into(),
        domains: indicators_by_domain(m)
            .into_iter()
            .map(|(d, leaves)| exports::Domain {
                code: m.nodes[d].code.clone(),
                name: m.nodes[d].names.get(loc).to_owned(),
                weight: m.nodes[d].weight,
                indicators: leaves
                    .into_iter()
                    .filter_map(|i| {
                        let ind = m.nodes[i].indicator()?;
                        Some(exports::Indicator {
                            code: m.nodes[i].code.clone(),
                            name: m.nodes[i].names.get(loc).to_owned(),
                            weight: m.nodes[i].weight,
                            unit: unit_of(m, i),
                            normalisation: ind
                                .normalisation
                                .as_ref()
                                .map(|n| format!("{:?}", n.method))
                                .unwrap_or_else(|| "penalty".into()),
                            public: ind.public,
                        })
                    })
                    .collect(),
            })
            .collect(),
        bands: m
            .bands
            .iter()
            .filter_map(|b| {
                Some(exports::BandRule {
                    band: export_band(Some(&b.code))?,
                    min_index: b.min,
                    max_index: b.max,
                    colour: b.colour.clone().unwrap_or_default(),
                })
            })
            .collect(),
    }
}

/// The matrix column of each methodology node (the matrix is written in
/// methodology order; a code is looked up only where the orders differ).
fn columns(p: &SnapshotPayload, m: &Methodology) -> Vec<Option<usize>> {
    let Some(mx) = p.matrix.as_ref() else {
        return vec![None; m.nodes.len()];
    };
    m.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if mx.nodes.get(i) == Some(&n.code) {
                Some(i)
            } else {
                mx.column(&n.code)
            }
        })
        .collect()
}

/// One entity's matrix row read by methodology node: its answer (only
/// where the methodology publishes answers) and its score.
struct Answers<'a> {
    row: Option<&'a MatrixRow>,
    matrix: Option<&'a SnapshotMatrix>,
    /// The matrix column of each methodology node ([`columns`]).
    columns: &'a [Option<usize>],
}

impl<'a> Answers<'a> {
    fn of(
        p: &'a SnapshotPayload,
        columns: &'a [Option<usize>],
        row: Option<&'a MatrixRow>,
    ) -> Self {
        Answers {
            row,
            matrix: p.matrix.as_ref(),
            columns,
        }
    }

    fn score(&self, i: NodeIdx) -> Option<f64> {
        self.row?.scores.get(self.columns[i]?).copied().flatten()
    }

    /// The published answer of node `i`, `None` for a private indicator.
    fn raw(&self, m: &Methodology, i: NodeIdx) -> Option<f64> {
        let public = m.nodes[i].indicator().is_some_and(|x| x.public)
            && self.matrix.is_some_and(|mx| mx.is_public(&m.nodes[i].code));
        if !public {
            return None;
        }
        self.row?.raw.get(self.columns[i]?).copied().flatten()
    }
}

/// The national workbook's data of one revision (also the open data's).
pub(crate) fn national_rating(p: &Published, lang: Lang) -> NationalRating {
    let loc = locale(lang);
    let (payload, m, rev) = (&p.payload, &p.methodology, &p.revision);
    let leaves: Vec<NodeIdx> = indicators_by_domain(m)
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    let mut matrix_entities = Vec::new();
    let mut scores = Vec::new();
    let mut raw = Vec::new();
    let cols = columns(payload, m);
    for (k, row) in payload.rows.iter().enumerate() {
        matrix_entities.push(exports::MatrixEntity {
            kind: export_kind(payload.kind),
            code: row.entity.code.clone(),
            name: row.entity.names.get(loc).to_owned(),
        });
        let answers = Answers::of(payload, &cols, payload.matrix_row(k));
        for &i in &leaves {
            scores.push(answers.score(i).unwrap_or(f64::NAN));
            raw.push(answers.raw(m, i).unwrap_or(f64::NAN));
        }
    }
    NationalRating {
        campaign: campaign_of(payload, rev, loc),
        methodology: export_methodology(m, loc),
        leagues: vec![exports::League {
            kind: export_kind(payload.kind),
            rows: payload
                .rows
                .iter()
                .map(|r| exports::LeagueRow {
                    rank: (r.rank > 0).then_some(r.rank),
                    rank_p05: (r.rank_p05 > 0).then_some(r.rank_p05),
                    rank_p95: (r.rank_p95 > 0).then_some(r.rank_p95),
                    entity_name: r.entity.names.get(loc).to_owned(),
                    code: r.entity.code.clone(),
                    region: r
                        .region
                        .as_ref()
                        .map(|g| g.names.get(loc).to_owned())
                        .unwrap_or_default(),
                    index: r.index,
                    band: export_band(r.band.as_deref()),
                    domain_scores: r.domain_scores.clone(),
                    change: r.change,
                })
                .collect(),
        }],
        indicators: exports::IndicatorMatrix {
            entities: matrix_entities,
            scores,
            raw,
        },
        nominations: (!payload.nominations.is_empty()).then(|| published_nominations(payload)),
    }
}

fn campaign_of(p: &SnapshotPayload, rev: &Revision, loc: Locale) -> exports::Campaign {
    exports::Campaign {
        name: p.campaign_names.get(loc).to_owned(),
        period: p.period.clone(),
        publication_date: rev.published_at.format("%Y-%m-%d").to_string(),
        revision: u32::try_from(rev.revision).unwrap_or(1),
        publisher: "Daraja".into(),
    }
}

/// A snapshot's nominations laid out on the workbook's league rows.
fn published_nominations(p: &SnapshotPayload) -> Vec<exports::stats::Nomination> {
    p.nominations
        .iter()
        .filter_map(|n| {
            let domain = p.domains.iter().position(|d| d.code == n.domain)?;
            Some(n.entities.iter().filter_map(move |e| {
                Some(exports::stats::Nomination {
                    kind: export_kind(p.kind),
                    domain,
                    row: p.rows.iter().position(|r| r.entity.id == e.id)?,
                    score: n.score.and_then(exports::round_score).unwrap_or(f64::NAN),
                })
            }))
        })
        .flatten()
        .collect()
}

/// The report card of `entity` in the newest of `rounds` (oldest first)
/// that rates it, with its trend over all of them; `None` when none does.
pub(crate) fn card(
    rounds: &[Published],
    entity: EntityId,
    lang: Lang,
) -> Option<exports::ReportCard> {
    let loc = locale(lang);
    let trend = trend(rounds, entity);
    let p = rounds
        .iter()
        .rev()
        .find(|p| p.payload.entity(entity).is_some())?;
    let (payload, m) = (&p.payload, &p.methodology);
    let (row, matrix_row) = payload.entity(entity)?;
    let cols = columns(payload, m);
    let answers = Answers::of(payload, &cols, matrix_row);
    let domains = domain_comparisons(payload, row, loc);
    let gaps = gaps(m, payload, matrix_row, loc);
    let indicators = indicators_by_domain(m)
        .into_iter()
        .flat_map(|(_, leaves)| leaves)
        .map(|i| exports::IndicatorValue {
            domain_name: domain_name(m, payload, i, loc),
            code: m.nodes[i].code.clone(),
            name: m.nodes[i].names.get(loc).to_owned(),
            value: answers.raw(m, i),
            unit: unit_of(m, i),
            score: answers.score(i),
            evidence_url: None,
        })
        .collect();
    let comments = matrix_row
        .map(|r| r.comments.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| exports::ReviewerComment {
            date: c.date.clone(),
            reviewer: "Ministry reviewer".into(),
            indicator_code: c.indicator.clone().unwrap_or_default(),
            text: c.text.clone(),
        })
        .collect();
    Some(exports::ReportCard {
        campaign: campaign_of(payload, &p.revision, loc),
        methodology_code: m.id.clone(),
        methodology_version: m.version.clone(),
        bands: export_methodology(m, loc).bands,
        kind: export_kind(payload.kind),
        entity_name: row.entity.names.get(loc).to_owned(),
        code: row.entity.code.clone(),
        region: row
            .region
            .as_ref()
            .map(|g| g.names.get(loc).to_owned())
            .unwrap_or_default(),
        index: row.index,
        band: export_band(row.band.as_deref()),
        rank: (row.rank > 0).then_some(row.rank),
        rank_p05: (row.rank_p05 > 0).then_some(row.rank_p05),
        rank_p95: (row.rank_p95 > 0).then_some(row.rank_p95),
        league_size: u32::try_from(payload.rows.len()).unwrap_or(u32::MAX),
        domains,
        trend,
        gaps,
        indicators,
        comments,
    })
}

/// `entity`'s index, rank and band in each of `rounds` that rates it.
fn trend(rounds: &[Published], entity: EntityId) -> Vec<exports::TrendPoint> {
    rounds
        .iter()
        .filter_map(|p| {
            let (row, _) = p.payload.entity(entity)?;
            Some(exports::TrendPoint {
                campaign: p.payload.period.clone(),
                index: row.index,
                rank: (row.rank > 0).then_some(row.rank),
                rank_p05: (row.rank_p05 > 0).then_some(row.rank_p05),
                rank_p95: (row.rank_p95 > 0).then_some(row.rank_p95),
                band: export_band(row.band.as_deref()),
            })
        })
        .collect()
}

/// Each domain score of `row` beside the league's and its region's means.
fn domain_comparisons(
    payload: &SnapshotPayload,
    row: &domain::SnapshotRow,
    loc: Locale,
) -> Vec<exports::DomainComparison> {
    payload
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| exports::DomainComparison {
            code: d.code.clone(),
            name: d.names.get(loc).to_owned(),
            score: row.domain_scores.get(k).copied().flatten(),
            peer_average: domain_mean(payload.rows.iter(), k),
            region_average: row.region.as_ref().and_then(|g| {
                domain_mean(
                    payload
                        .rows
                        .iter()
                        .filter(|r| r.region.as_ref().is_some_and(|x| x.id == g.id)),
                    k,
                )
            }),
        })
        .collect()
}

/// The name of the domain node `i` sits in, as the snapshot names it.
fn domain_name(m: &Methodology, payload: &SnapshotPayload, i: NodeIdx, loc: Locale) -> String {
    let mut n = i;
    while let Some(parent) = m.nodes[n].parent {
        if parent == 0 {
            break;
        }
        n = parent;
    }
    m.domains()
        .iter()
        .position(|&d| d == n)
        .and_then(|k| payload.domains.get(k))
        .map(|d| d.names.get(loc).to_owned())
        .unwrap_or_default()
}

/// Where the entity lost points, and what each indicator could gain.
fn gaps(
    m: &Methodology,
    payload: &SnapshotPayload,
    matrix_row: Option<&MatrixRow>,
    loc: Locale,
) -> Vec<exports::Gap> {
    matrix_row
        .map(|r| r.gaps.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|g| {
            let i = m.find(&g.indicator)?;
            Some(exports::Gap {
                indicator_code: g.indicator.clone(),
                indicator_name: m.nodes[i].names.get(loc).to_owned(),
                domain_name: domain_name(m, payload, i, loc),
                points_lost: g.max - g.score.unwrap_or(0.0),
                potential_gain: g.gain,
            })
        })
        .collect()
}

/// The region and its districts' report cards, each district's from the
/// newest of `rounds` that rates it, ordered by code; `None` when no round
/// rates a district of `region`.
pub(crate) fn region_cards(
    rounds: &[Published],
    region: EntityId,
    lang: Lang,
) -> Option<(EntityRef, Vec<exports::ReportCard>)> {
    let mut districts: Vec<&EntityRef> = Vec::new();
    let mut unit = None;
    for p in rounds.iter().rev() {
        for r in &p.payload.rows {
            let Some(g) = r.region.as_ref().filter(|g| g.id == region) else {
                continue;
            };
            unit.get_or_insert(g);
            if !districts.iter().any(|d| d.id == r.entity.id) {
                districts.push(&r.entity);
            }
        }
    }
    districts.sort_by(|a, b| a.code.cmp(&b.code));
    let cards: Vec<exports::ReportCard> = districts
        .iter()
        .filter_map(|d| card(rounds, d.id, lang))
        .collect();
    Some((unit?.clone(), cards))
}

/// An entity's public rating profile from `rounds` (oldest first): every
/// round it took part in, and for the newest its domains against the
/// league and its gap list. `None` when no round rates it.
pub(crate) fn profile(rounds: &[Published], entity: EntityId) -> Option<domain::EntityProfile> {
    let mut history: Vec<domain::ProfilePoint> = Vec::new();
    let mut previous: Option<&Methodology> = None;
    let mut latest = None;
    for p in rounds {
        let Some((row, _)) = p.payload.entity(entity) else {
            continue;
        };
        let m = &p.methodology;
        history.push(domain::ProfilePoint {
            campaign: p.payload.campaign.clone(),
            period: p.payload.period.clone(),
            methodology: m.key(),
            comparable_with_previous: comparable(previous, m),
            index: row.index,
            band: row.band.clone(),
            rank: row.rank,
            rank_p05: row.rank_p05,
            rank_p95: row.rank_p95,
            league_size: u32::try_from(p.payload.rows.len()).unwrap_or(u32::MAX),
        });
        previous = Some(m);
        latest = Some(p);
    }
    let p = latest?;
    let (payload, m) = (&p.payload, &p.methodology);
    let (row, matrix_row) = payload.entity(entity)?;
    let domains = payload
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| {
            (
                d.clone(),
                row.domain_scores.get(k).copied().flatten(),
                domain_mean(payload.rows.iter(), k),
            )
        })
        .collect();
    let improve_first = matrix_row
        .map(|r| r.gaps.as_slice())
        .unwrap_or_default()
        .iter()
        .take(8)
        .filter_map(|g| {
            let i = m.find(&g.indicator)?;
            Some((g.indicator.clone(), m.nodes[i].names.clone(), g.gain))
        })
        .collect();
    Some(domain::EntityProfile {
        history,
        bands: bands_of(m),
        scale_max: m.scale_max,
        domains,
        improve_first,
    })
}

/// Whether a round under `m` compares with the one before it, under
/// `prev`: the same version, or a declared crosswalk between them.
fn comparable(prev: Option<&Methodology>, m: &Methodology) -> bool {
    prev.is_none_or(|prev| {
        prev.key() == m.key()
            || methodology::diff::backcast(prev, m, &vec![None; prev.nodes.len()]).is_ok()
    })
}

/// The mean score of domain `k` over `rows` (rows without one left out).
fn domain_mean<'a>(rows: impl Iterator<Item = &'a domain::SnapshotRow>, k: usize) -> Option<f64> {
    mean(
        &rows
            .filter_map(|r| r.domain_scores.get(k).copied().flatten())
            .collect::<Vec<_>>(),
    )
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn bands_of(m: &Methodology) -> Vec<(domain::BandDef, f64)> {
    m.bands
        .iter()
        .map(|b| {
            (
                domain::BandDef {
                    code: b.code.clone(),
                    names: b.names.clone(),
                    min: b.min,
                },
                b.max,
            )
        })
        .collect()
}

fn indices<'a>(rows: impl Iterator<Item = &'a domain::SnapshotRow>) -> Vec<f64> {
    rows.filter_map(|r| r.index).collect()
}

/// The map of the first-level units coloured by their districts' average
/// in the district round `p`. A unit is named as the snapshot names it,
/// or as `registry` does when none of its districts is in the round.
pub(crate) fn region_map(
    p: &Published,
    map: seeds::RegionMap,
    registry: &HashMap<String, EntityRef>,
) -> domain::RegionMap {
    let (payload, m) = (&p.payload, &p.methodology);
    let mut units: HashMap<&str, &EntityRef> = registry
        .iter()
        .map(|(code, e)| (code.as_str(), e))
        .collect();
    for g in payload.rows.iter().filter_map(|r| r.region.as_ref()) {
        units.insert(g.code.as_str(), g);
    }
    let mut regions: Vec<domain::MapRegion> = map
        .regions
        .into_iter()
        .filter_map(|shape| {
            let unit = *units.get(shape.soato.as_str())?;
            let own = indices(
                payload
                    .rows
                    .iter()
                    .filter(|r| r.region.as_ref().is_some_and(|g| g.id == unit.id)),
            );
            let average = mean(&own);
            Some(domain::MapRegion {
                region: unit.clone(),
                path: shape.path,
                average,
                band: average.and_then(|a| m.band_of(a)).map(|b| b.code.clone()),
                rated: u32::try_from(own.len()).unwrap_or(u32::MAX),
            })
        })
        .collect();
    regions.sort_by_key(|r| std::cmp::Reverse(r.path.len()));
    domain::RegionMap {
        campaign: payload.campaign.clone(),
        period: payload.period.clone(),
        view_box: map.view_box,
        attribution: map.attribution,
        water: map.water,
        regions,
        bands: payload.bands.clone(),
    }
}

/// A region's page from the district `rounds` (oldest first): its
/// districts in the newest, their average and spread against the league,
/// and the trend over every round. `None` before any.
pub(crate) fn region_profile(
    rounds: &[Published],
    region: EntityId,
) -> Option<domain::RegionProfile> {
    let in_region = |r: &&domain::SnapshotRow| r.region.as_ref().is_some_and(|g| g.id == region);
    let mut history = Vec::new();
    let mut previous: Option<&Methodology> = None;
    for p in rounds {
        let own = indices(p.payload.rows.iter().filter(in_region));
        let m = &p.methodology;
        history.push(domain::RegionPoint {
            campaign: p.payload.campaign.clone(),
            period: p.payload.period.clone(),
            methodology: m.key(),
            comparable_with_previous: comparable(previous, m),
            average: mean(&own),
            national_average: mean(&indices(p.payload.rows.iter())),
            min: own.iter().copied().reduce(f64::min),
            max: own.iter().copied().reduce(f64::max),
            rated: u32::try_from(own.len()).unwrap_or(u32::MAX),
        });
        previous = Some(m);
    }
    let latest = rounds.last()?;
    let (p, m) = (&latest.payload, &latest.methodology);
    let districts: Vec<domain::SnapshotRow> = p.rows.iter().filter(in_region).cloned().collect();
    let own = indices(districts.iter());
    let average = mean(&own);
    let spread = average
        .map(|a| (own.iter().map(|x| (x - a).powi(2)).sum::<f64>() / own.len() as f64).sqrt());
    let domains = p
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| {
            (
                d.clone(),
                domain_mean(districts.iter(), k),
                domain_mean(p.rows.iter(), k),
            )
        })
        .collect();
    let distribution = p
        .bands
        .iter()
        .map(|b| {
            let n = districts
                .iter()
                .filter(|r| r.band.as_deref() == Some(b.code.as_str()))
                .count();
            (b.clone(), u32::try_from(n).unwrap_or(u32::MAX))
        })
        .collect();
    Some(domain::RegionProfile {
        campaign: p.campaign.clone(),
        period: p.period.clone(),
        league_size: u32::try_from(p.rows.len()).unwrap_or(u32::MAX),
        average,
        spread,
        national_average: mean(&indices(p.rows.iter())),
        distribution,
        domains,
        bands: bands_of(m),
        scale_max: m.scale_max,
        districts,
        history,
    })
}
