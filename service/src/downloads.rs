//! What people take away from a published rating: the national workbook of
//! a league, an entity's report card, and the open-data CSV/JSON. Reads
//! only public snapshots (published, past their embargo); builds the plain
//! data the `exports` crate turns into bytes.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use domain::{Locale, Names, SnapshotPayload};
use entity::{campaigns, entities, participants, rating_snapshots, review_comments};
use exports::{Lang, NationalRating};
use methodology::model::{IndicatorKind, Methodology, NodeBody, NodeIdx};
use methodology::{ScoreOptions, score};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{ServiceError, ServiceResult};

/// A file to send.
pub struct Download {
    /// File name for Content-Disposition.
    pub file_name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
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

/// A snapshot the public may read now: the given revision, or the newest.
pub async fn public_snapshot(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<(campaigns::Model, crate::ratings::Revision)> {
    let campaign = campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(campaign_code))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("campaign {campaign_code}")))?;
    let snapshot = public_revision(db, &campaign, revision, now).await?;
    Ok((campaign, snapshot))
}

/// [`public_snapshot`] of a campaign already read.
async fn public_revision(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<crate::ratings::Revision> {
    let code = &campaign.code;
    let snapshot = crate::ratings::visible_revisions(db, campaign.id, now)
        .await?
        .into_iter()
        .find(|s| revision.is_none_or(|r| s.revision == r))
        .ok_or_else(|| ServiceError::NotFound(format!("published rating of {code}")))?;
    if snapshot.status != "published" {
        return Err(ServiceError::NotFound(format!(
            "{code} revision {} was retracted",
            snapshot.revision
        )));
    }
    Ok(snapshot)
}

/// The methodology version a snapshot was scored with, parsed once per
/// process (`methodologies::load`): every public page reads several.
async fn stored_methodology(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Arc<Methodology>> {
    crate::methodologies::referenced_parse(db, id).await
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
                    .map(|i| {
                        let ind = m.nodes[i].indicator().expect("a leaf is an indicator");
                        exports::Indicator {
                            code: m.nodes[i].code.clone(),
                            name: m.nodes[i].names.get(loc).to_owned(),
                            weight: m.nodes[i].weight,
                            unit: match &ind.kind {
                                IndicatorKind::Number { unit } => unit.clone().unwrap_or_default(),
                                IndicatorKind::Percent => "%".into(),
                                _ => String::new(),
                            },
                            normalisation: ind
                                .normalisation
                                .as_ref()
                                .map(|n| format!("{:?}", n.method))
                                .unwrap_or_else(|| "penalty".into()),
                        }
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

/// A published league read and ready to be written as the national
/// workbook: writing it is CPU work (seconds for a national-scale league),
/// which the caller may move off the async runtime and watch.
pub struct WorkbookJob {
    rating: NationalRating,
    lang: Lang,
    file_name: String,
}

impl WorkbookJob {
    /// The file's name for Content-Disposition.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The MIME type.
    pub fn content_type(&self) -> &'static str {
        XLSX
    }

    /// Writes the workbook to `writer` as it is made (the compressed file
    /// comes out at the end, in order), telling `progress` how far it is.
    pub fn write_to(
        &self,
        writer: impl std::io::Write + Send,
        progress: &mut dyn FnMut(exports::Progress),
    ) -> ServiceResult<()> {
        exports::national_workbook_with_progress(&self.rating, self.lang, writer, progress)
            .map_err(|e| ServiceError::Internal(e.to_string()))
    }

    /// Writes the workbook into memory, telling `progress` how far it is.
    pub fn write(self, progress: &mut dyn FnMut(exports::Progress)) -> ServiceResult<Download> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes, progress)?;
        Ok(Download {
            file_name: self.file_name,
            content_type: XLSX,
            bytes,
        })
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The national workbook of a campaign's public revision (`revision`, or
/// the newest), read but not yet written.
pub async fn national_workbook_job(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<WorkbookJob> {
    let (rating, snapshot) = national_rating(db, campaign_code, revision, lang, now).await?;
    Ok(WorkbookJob {
        rating,
        lang,
        file_name: format!(
            "daraja-{campaign_code}-r{}-{}.xlsx",
            snapshot.revision,
            lang.tag()
        ),
    })
}

/// The national workbook of a campaign's public revision, written.
pub async fn national_workbook(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    national_workbook_job(db, campaign_code, revision, lang, now)
        .await?
        .write(&mut |_| {})
}

/// The open data of one published league: `csv` or `json`.
pub async fn open_data(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    format: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let (rating, snapshot) = national_rating(db, campaign_code, revision, Lang::En, now).await?;
    let rows = exports::rating_rows(&rating);
    let (bytes, content_type) = match format {
        "csv" => (exports::ratings_csv(&rows), "text/csv; charset=utf-8"),
        "json" => (exports::ratings_json(&rows), "application/json"),
        other => return Err(ServiceError::NotFound(format!("format {other}"))),
    };
    Ok(Download {
        file_name: format!("daraja-{campaign_code}-r{}.{format}", snapshot.revision),
        content_type,
        bytes: bytes.map_err(|e| ServiceError::Internal(e.to_string()))?,
    })
}

async fn national_rating(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<(NationalRating, crate::ratings::Revision)> {
    let loc = locale(lang);
    let (campaign, snapshot) = public_snapshot(db, campaign_code, revision, now).await?;
    let payload = crate::ratings::payload(db, &snapshot).await?;
    let m = stored_methodology(db, snapshot.methodology_version_id).await?;
    let all: HashMap<i32, entities::Model> = entities::Entity::find()
        .filter(entities::Column::Kind.eq(payload.kind.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let inputs = crate::results::inputs(db, &campaign, &m, &all).await?;
    let scored = score(
        &m,
        &inputs.iter().map(|(_, i)| i.clone()).collect::<Vec<_>>(),
        &ScoreOptions { explain: false },
    );
    let leaves: Vec<NodeIdx> = indicators_by_domain(&m)
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    let order: HashMap<i32, usize> = inputs
        .iter()
        .enumerate()
        .map(|(k, (id, _))| (*id, k))
        .collect();
    let mut matrix_entities = Vec::new();
    let mut scores = Vec::new();
    let mut raw = Vec::new();
    for row in &payload.rows {
        matrix_entities.push(exports::MatrixEntity {
            kind: export_kind(payload.kind),
            code: row.entity.code.clone(),
            name: row.entity.names.get(loc).to_owned(),
        });
        let k = order.get(&row.entity.id.0).copied();
        for &i in &leaves {
            scores.push(
                k.and_then(|k| scored.entities[k].nodes[i])
                    .unwrap_or(f64::NAN),
            );
            raw.push(k.and_then(|k| inputs[k].1.raw[i]).unwrap_or(f64::NAN));
        }
    }
    let rating = NationalRating {
        campaign: exports::Campaign {
            name: payload.campaign_names.get(loc).to_owned(),
            period: payload.period.clone(),
            publication_date: snapshot.published_at.format("%Y-%m-%d").to_string(),
            revision: u32::try_from(snapshot.revision).unwrap_or(1),
            publisher: "Daraja".into(),
        },
        methodology: export_methodology(&m, loc),
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
        nominations: (!payload.nominations.is_empty()).then(|| published_nominations(&payload)),
    };
    Ok((rating, snapshot))
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

/// An entity's public rating profile: every published round it took part
/// in, and for the newest its domains against the league and its gap list.
/// `None` when it has never been rated publicly.
pub async fn profile(
    db: &impl ConnectionTrait,
    entity_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::EntityProfile>> {
    let Some(entity) = entities::Entity::find_by_id(entity_id).one(db).await? else {
        return Err(ServiceError::NotFound(format!("entity {entity_id}")));
    };
    let mut history: Vec<domain::ProfilePoint> = Vec::new();
    let mut versions: Vec<Arc<Methodology>> = Vec::new();
    let mut latest = None;
    for (c, _, p, m) in public_rounds(db, &entity.kind, now).await? {
        let Some(row) = p.rows.iter().find(|r| r.entity.id.0 == entity_id) else {
            continue;
        };
        history.push(domain::ProfilePoint {
            campaign: c.code.clone(),
            period: p.period.clone(),
            methodology: m.key(),
            comparable_with_previous: comparable(versions.last().map(Arc::as_ref), &m),
            index: row.index,
            band: row.band.clone(),
            rank: row.rank,
            rank_p05: row.rank_p05,
            rank_p95: row.rank_p95,
            league_size: u32::try_from(p.rows.len()).unwrap_or(u32::MAX),
        });
        versions.push(m);
        latest = Some((c, p));
    }
    let Some((campaign, payload)) = latest else {
        return Ok(None);
    };
    let m = versions.pop().expect("one version per point");
    let row = payload
        .rows
        .iter()
        .find(|r| r.entity.id.0 == entity_id)
        .expect("found above");
    let avg = |k: usize| {
        mean(
            &payload
                .rows
                .iter()
                .filter_map(|r| r.domain_scores.get(k).copied().flatten())
                .collect::<Vec<_>>(),
        )
    };
    let domains = payload
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| {
            (
                d.clone(),
                row.domain_scores.get(k).copied().flatten(),
                avg(k),
            )
        })
        .collect();
    let by_id: HashMap<i32, entities::Model> = HashMap::from([(entity.id, entity.clone())]);
    let improve_first = match crate::results::inputs(db, &campaign, &m, &by_id)
        .await?
        .into_iter()
        .next()
    {
        Some((_, input)) => score(&m, std::slice::from_ref(&input), &ScoreOptions::default())
            .entities[0]
            .gaps
            .iter()
            .take(8)
            .map(|g| {
                (
                    m.nodes[g.node].code.clone(),
                    m.nodes[g.node].names.clone(),
                    g.gain,
                )
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Some(domain::EntityProfile {
        history,
        bands: bands_of(&m),
        scale_max: m.scale_max,
        domains,
        improve_first,
    }))
}

/// A published round: the campaign, its newest public revision, that
/// revision's payload and its methodology.
type Round = (
    campaigns::Model,
    crate::ratings::Revision,
    Arc<SnapshotPayload>,
    Arc<Methodology>,
);

/// The campaigns of a league, oldest deadline first.
async fn league_campaigns(
    db: &impl ConnectionTrait,
    kind: &str,
) -> ServiceResult<Vec<campaigns::Model>> {
    Ok(campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(kind))
        .order_by_asc(campaigns::Column::Deadline)
        .all(db)
        .await?)
}

/// `c` as the public reads it now; `None` while nothing of it is public.
async fn public_round(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Round>> {
    let s = match public_revision(db, c, None, now).await {
        Ok(s) => s,
        Err(ServiceError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let p = crate::ratings::payload(db, &s).await?;
    let m = stored_methodology(db, s.methodology_version_id).await?;
    Ok(Some((c.clone(), s, p, m)))
}

/// Every round of a league with a public rating, oldest first.
async fn public_rounds(
    db: &impl ConnectionTrait,
    kind: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Round>> {
    let mut rounds = Vec::new();
    for c in league_campaigns(db, kind).await? {
        rounds.extend(public_round(db, &c, now).await?);
    }
    Ok(rounds)
}

/// The newest round of a league with a public rating, reading no other.
async fn newest_public_round(
    db: &impl ConnectionTrait,
    kind: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Round>> {
    for c in league_campaigns(db, kind).await?.iter().rev() {
        if let Some(round) = public_round(db, c, now).await? {
            return Ok(Some(round));
        }
    }
    Ok(None)
}

/// Whether a round under `m` compares with the one before it, under
/// `prev`: the same version, or a declared crosswalk between them.
fn comparable(prev: Option<&Methodology>, m: &Methodology) -> bool {
    prev.is_none_or(|prev| {
        prev.key() == m.key()
            || methodology::diff::backcast(prev, m, &vec![None; prev.nodes.len()]).is_ok()
    })
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
/// in the newest public district round; `None` before any.
pub async fn region_map(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::RegionMap>> {
    let Some((c, _, p, m)) =
        newest_public_round(db, domain::EntityKind::District.as_str(), now).await?
    else {
        return Ok(None);
    };
    let map = seeds::uzbekistan_map().map_err(|e| ServiceError::Internal(e.to_string()))?;
    let codes: Vec<String> = map.regions.iter().map(|r| r.soato.clone()).collect();
    let units: HashMap<String, entities::Model> = entities::Entity::find()
        .filter(entities::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.code.clone(), e))
        .collect();
    let mut regions: Vec<domain::MapRegion> = map
        .regions
        .into_iter()
        .filter_map(|shape| {
            let unit = units.get(&shape.soato)?;
            let own = indices(
                p.rows
                    .iter()
                    .filter(|r| r.region.as_ref().is_some_and(|g| g.id.0 == unit.id)),
            );
            let average = mean(&own);
            Some(domain::MapRegion {
                region: crate::scope::entity_ref(unit),
                path: shape.path,
                average,
                band: average.and_then(|a| m.band_of(a)).map(|b| b.code.clone()),
                rated: u32::try_from(own.len()).unwrap_or(u32::MAX),
            })
        })
        .collect();
    regions.sort_by_key(|r| std::cmp::Reverse(r.path.len()));
    Ok(Some(domain::RegionMap {
        campaign: c.code,
        period: p.period.clone(),
        view_box: map.view_box,
        attribution: map.attribution,
        water: map.water,
        regions,
        bands: p.bands.clone(),
    }))
}

/// A region's page from the public district ratings: its districts in the
/// newest round, their average and spread against the league, and the
/// trend over every published round. `None` before any.
pub async fn region_profile(
    db: &impl ConnectionTrait,
    region_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::RegionProfile>> {
    let region = entities::Entity::find_by_id(region_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("entity {region_id}")))?;
    if region.kind != domain::EntityKind::Region.as_str() {
        return Err(ServiceError::NotFound(format!(
            "{} is not a region",
            region.code
        )));
    }
    let in_region =
        |r: &&domain::SnapshotRow| r.region.as_ref().is_some_and(|g| g.id.0 == region_id);
    let mut history = Vec::new();
    let mut previous: Option<Arc<Methodology>> = None;
    let mut latest = None;
    for (c, _, p, m) in public_rounds(db, domain::EntityKind::District.as_str(), now).await? {
        let own = indices(p.rows.iter().filter(in_region));
        history.push(domain::RegionPoint {
            campaign: c.code.clone(),
            period: p.period.clone(),
            methodology: m.key(),
            comparable_with_previous: comparable(previous.as_deref(), &m),
            average: mean(&own),
            national_average: mean(&indices(p.rows.iter())),
            min: own.iter().copied().reduce(f64::min),
            max: own.iter().copied().reduce(f64::max),
            rated: u32::try_from(own.len()).unwrap_or(u32::MAX),
        });
        previous = Some(m.clone());
        latest = Some((c, p, m));
    }
    let Some((c, p, m)) = latest else {
        return Ok(None);
    };
    let districts: Vec<domain::SnapshotRow> = p.rows.iter().filter(in_region).cloned().collect();
    let own = indices(districts.iter());
    let average = mean(&own);
    let spread = average
        .map(|a| (own.iter().map(|x| (x - a).powi(2)).sum::<f64>() / own.len() as f64).sqrt());
    let domain_mean = |rows: &[domain::SnapshotRow], k: usize| {
        mean(
            &rows
                .iter()
                .filter_map(|r| r.domain_scores.get(k).copied().flatten())
                .collect::<Vec<_>>(),
        )
    };
    let domains = p
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| {
            (
                d.clone(),
                domain_mean(&districts, k),
                domain_mean(&p.rows, k),
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
    Ok(Some(domain::RegionProfile {
        campaign: c.code,
        period: p.period.clone(),
        league_size: u32::try_from(p.rows.len()).unwrap_or(u32::MAX),
        average,
        spread,
        national_average: mean(&indices(p.rows.iter())),
        distribution,
        domains,
        bands: bands_of(&m),
        scale_max: m.scale_max,
        districts,
        history,
    }))
}

/// The report card of one entity in its newest public rating.
pub async fn report_card(
    db: &impl ConnectionTrait,
    entity_id: i32,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let (card, period) = card(db, entity_id, lang, now).await?;
    let bytes =
        exports::report_card(&card, lang).map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Download {
        file_name: format!(
            "daraja-report-card-{}-{period}-{}.xlsx",
            card.code,
            lang.tag()
        ),
        content_type: XLSX,
        bytes,
    })
}

/// The region pack: one workbook, an overview and a report-card sheet per
/// rated district or city of the region.
pub async fn region_pack(
    db: &impl ConnectionTrait,
    region_id: i32,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let region = entities::Entity::find_by_id(region_id)
        .one(db)
        .await?
        .filter(|r| r.kind == "region")
        .ok_or_else(|| ServiceError::NotFound(format!("region {region_id}")))?;
    let districts = entities::Entity::find()
        .filter(entities::Column::RegionId.eq(region_id))
        .filter(entities::Column::Kind.eq("district"))
        .order_by_asc(entities::Column::Code)
        .all(db)
        .await?;
    let mut cards = Vec::new();
    for d in districts {
        match card(db, d.id, lang, now).await {
            Ok((c, _)) => cards.push(c),
            Err(ServiceError::NotFound(_)) => {} // never rated publicly
            Err(e) => return Err(e),
        }
    }
    if cards.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "published ratings of the districts of {}",
            region.code
        )));
    }
    let info = exports::RegionInfo {
        name: crate::registry::names(&region).get(locale(lang)).to_owned(),
        code: region.code.clone(),
    };
    let bytes = exports::region_pack(&cards, &info, lang)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(Download {
        file_name: format!("daraja-region-pack-{}-{}.xlsx", region.code, lang.tag()),
        content_type: XLSX,
        bytes,
    })
}

/// The report card data of one entity in its newest public rating, and
/// that rating's period.
async fn card(
    db: &impl ConnectionTrait,
    entity_id: i32,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<(exports::ReportCard, String)> {
    let loc = locale(lang);
    let entity = entities::Entity::find_by_id(entity_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("entity {entity_id}")))?;
    // Every public round of the entity's kind, oldest first: the trend.
    let mut trend = Vec::new();
    let mut latest = None;
    for (c, s, p, m) in public_rounds(db, &entity.kind, now).await? {
        if let Some(row) = p.rows.iter().find(|r| r.entity.id.0 == entity_id) {
            trend.push(exports::TrendPoint {
                campaign: p.period.clone(),
                index: row.index,
                rank: (row.rank > 0).then_some(row.rank),
                rank_p05: (row.rank_p05 > 0).then_some(row.rank_p05),
                rank_p95: (row.rank_p95 > 0).then_some(row.rank_p95),
                band: export_band(row.band.as_deref()),
            });
            latest = Some((c, s, p, m));
        }
    }
    let (campaign, snapshot, payload, m) = latest
        .ok_or_else(|| ServiceError::NotFound(format!("a published rating of {}", entity.code)))?;
    let row = payload
        .rows
        .iter()
        .find(|r| r.entity.id.0 == entity_id)
        .expect("found above");
    let by_id: HashMap<i32, entities::Model> = HashMap::from([(entity.id, entity.clone())]);
    let inputs = crate::results::inputs(db, &campaign, &m, &by_id).await?;
    let (_, input) = inputs
        .into_iter()
        .next()
        .ok_or_else(|| ServiceError::NotFound(format!("answers of {}", entity.code)))?;
    let scored = score(&m, std::slice::from_ref(&input), &ScoreOptions::default());
    let result = &scored.entities[0];
    let avg = |rows: &mut dyn Iterator<Item = Option<f64>>| {
        let v: Vec<f64> = rows.flatten().collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let domain_names: Vec<Names> = payload.domains.iter().map(|d| d.names.clone()).collect();
    let domains = payload
        .domains
        .iter()
        .enumerate()
        .map(|(k, d)| exports::DomainComparison {
            code: d.code.clone(),
            name: d.names.get(loc).to_owned(),
            score: row.domain_scores.get(k).copied().flatten(),
            peer_average: avg(&mut payload
                .rows
                .iter()
                .map(|r| r.domain_scores.get(k).copied().flatten())),
            region_average: row.region.as_ref().and_then(|g| {
                avg(&mut payload
                    .rows
                    .iter()
                    .filter(|r| r.region.as_ref().is_some_and(|x| x.id == g.id))
                    .map(|r| r.domain_scores.get(k).copied().flatten()))
            }),
        })
        .collect();
    let domain_of = |i: NodeIdx| {
        let mut n = i;
        while let Some(p) = m.nodes[n].parent {
            if p == 0 {
                break;
            }
            n = p;
        }
        m.domains()
            .iter()
            .position(|&d| d == n)
            .map(|k| domain_names[k].get(loc).to_owned())
            .unwrap_or_default()
    };
    let gaps = result
        .gaps
        .iter()
        .take(15)
        .map(|g| exports::Gap {
            indicator_code: m.nodes[g.node].code.clone(),
            indicator_name: m.nodes[g.node].names.get(loc).to_owned(),
            domain_name: domain_of(g.node),
            points_lost: g.max - g.score.unwrap_or(0.0),
            potential_gain: g.gain,
        })
        .collect();
    let indicators = indicators_by_domain(&m)
        .into_iter()
        .flat_map(|(_, leaves)| leaves)
        .map(|i| exports::IndicatorValue {
            domain_name: domain_of(i),
            code: m.nodes[i].code.clone(),
            name: m.nodes[i].names.get(loc).to_owned(),
            value: input.raw[i],
            unit: match m.nodes[i].indicator().map(|x| &x.kind) {
                Some(IndicatorKind::Number { unit }) => unit.clone().unwrap_or_default(),
                Some(IndicatorKind::Percent) => "%".into(),
                _ => String::new(),
            },
            score: result.nodes[i],
            evidence_url: None,
        })
        .collect();
    let participant = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .filter(participants::Column::EntityId.eq(entity_id))
        .one(db)
        .await?;
    let comments = match participant {
        Some(p) => review_comments::Entity::find()
            .filter(review_comments::Column::ParticipantId.eq(p.id))
            .filter(review_comments::Column::Public.eq(true))
            .order_by_asc(review_comments::Column::CreatedAt)
            .all(db)
            .await?
            .into_iter()
            .map(|c| exports::ReviewerComment {
                date: c.created_at.format("%Y-%m-%d").to_string(),
                reviewer: "Ministry reviewer".into(),
                indicator_code: c.indicator_code.unwrap_or_default(),
                text: c.body,
            })
            .collect(),
        None => Vec::new(),
    };
    let card = exports::ReportCard {
        campaign: exports::Campaign {
            name: payload.campaign_names.get(loc).to_owned(),
            period: payload.period.clone(),
            publication_date: snapshot.published_at.format("%Y-%m-%d").to_string(),
            revision: u32::try_from(snapshot.revision).unwrap_or(1),
            publisher: "Daraja".into(),
        },
        methodology_code: m.id.clone(),
        methodology_version: m.version.clone(),
        bands: export_methodology(&m, loc).bands,
        kind: export_kind(payload.kind),
        entity_name: crate::registry::names(&entity).get(loc).to_owned(),
        code: entity.code.clone(),
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
    };
    Ok((card, payload.period.clone()))
}

/// The newest public league of `kind` with what the what-if sandbox needs
/// to re-score it; `None` when nothing is published for that kind.
pub async fn what_if_base(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::WhatIfBase>> {
    let Some(league) = crate::ratings::latest_public(db, now)
        .await?
        .into_iter()
        .find(|l| l.payload.kind == kind)
    else {
        return Ok(None);
    };
    let version: Option<i32> = rating_snapshots::Entity::find_by_id(league.snapshot_id)
        .select_only()
        .column(rating_snapshots::Column::MethodologyVersionId)
        .into_tuple()
        .one(db)
        .await?;
    let version = version
        .ok_or_else(|| ServiceError::Internal(format!("snapshot {}", league.snapshot_id)))?;
    let m = stored_methodology(db, version).await?;
    let (aggregation, cap) = m
        .index_rule()
        .ok_or_else(|| ServiceError::Internal("node 0 is the index".into()))?;
    Ok(Some(domain::WhatIfBase {
        weights: m
            .domains()
            .iter()
            .map(|&d| m.nodes[d].weight_for(kind.as_str()))
            .collect(),
        aggregation: aggregation.name().into(),
        cap,
        scale_max: m.scale_max,
        league,
    }))
}
