//! Stored methodology versions for reading: the list, one version's tree
//! and bands, and what changed since the version before it. Public: a
//! methodology is the published rule book.

use domain::Noun;
use domain::{BandDef, MethodologyDetail, MethodologyNode, MethodologySummary};
use entity::methodology_versions as mv;
use methodology::diff::{Change, backcast, diff};
use methodology::model::{IndicatorKind, Methodology, NodeBody, NormMethod};
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, QuerySelect};

use crate::{ServiceError, ServiceResult, by_hash::ByHash};
use std::sync::Arc;

/// A stored methodology version, parsed (it was validated when stored).
pub(crate) fn parse(row: &mv::Model) -> ServiceResult<Methodology> {
    methodology::parse(&format!("{}@{}", row.code, row.version), &row.source)
        .map_err(ServiceError::from)
}

/// Parsed versions by the SHA-256 of their source.
static PARSED: ByHash<Methodology> = ByHash::new();

/// A stored version by id, parsed once per process: stored versions are
/// never rewritten, so the parse is cached under the source's SHA-256
/// (autosaves validate against it without re-reading TOML). Reads only
/// the hash when the parse is kept.
pub(crate) async fn load(db: &impl ConnectionTrait, id: i32) -> ServiceResult<Arc<Methodology>> {
    Ok(load_with_hash(db, id).await?.1)
}

/// [`load`], with the SHA-256 of the version's text.
pub(crate) async fn load_with_hash(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(String, Arc<Methodology>)> {
    let sha: Option<String> = mv::Entity::find_by_id(id)
        .select_only()
        .column(mv::Column::Sha256)
        .into_tuple()
        .one(db)
        .await?;
    let sha = sha.ok_or_else(|| ServiceError::not_found(Noun::MethodologyVersion, id))?;
    match PARSED.get(&sha) {
        Some(m) => Ok((sha, m)),
        None => {
            let (row, m) = load_row(db, id).await?;
            Ok((row.sha256, m))
        }
    }
}

/// A version another row points at (a snapshot, a campaign, a proposal),
/// with its row: missing, it is a broken reference (an internal error),
/// not a 404.
pub(crate) async fn referenced(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(mv::Model, Arc<Methodology>)> {
    load_row(db, id).await.map_err(broken(id))
}

/// [`referenced`] without the row: only the hash is read when the parse
/// is kept.
pub(crate) async fn referenced_parse(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<Arc<Methodology>> {
    load(db, id).await.map_err(broken(id))
}

/// [`referenced_parse`] with the SHA-256 of the version's text.
pub(crate) async fn referenced_with_hash(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(String, Arc<Methodology>)> {
    load_with_hash(db, id).await.map_err(broken(id))
}

fn broken(id: i32) -> impl FnOnce(ServiceError) -> ServiceError {
    move |e| match e {
        ServiceError::NotFound(_) => ServiceError::missing("methodology version", id),
        e => e,
    }
}

/// A stored version by id with its row (source, dates), parsed as [`load`]
/// parses it.
pub(crate) async fn load_row(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(mv::Model, Arc<Methodology>)> {
    let row = mv::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::MethodologyVersion, id))?;
    if let Some(m) = PARSED.get(&row.sha256) {
        return Ok((row, m));
    }
    let m = PARSED.keep(&row.sha256, &row.source, parse(&row)?);
    Ok((row, m))
}

pub(crate) fn summary(row: &mv::Model, m: &Methodology) -> MethodologySummary {
    MethodologySummary {
        id: row.id,
        code: row.code.clone(),
        version: row.version.clone(),
        title: m.title.clone(),
        applies_to: m.applies_to.clone(),
        valid_from: row.valid_from.to_string(),
        indicators: m.indicators().count(),
        sha256: row.sha256.clone(),
    }
}

/// Stores a new version (validated as `m`, from `source`). Versions are
/// only ever inserted: the seed and an adopted proposal both come here.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    m: &Methodology,
    source: &str,
    valid_from: chrono::NaiveDate,
    created_by: Option<i32>,
) -> ServiceResult<mv::Model> {
    use sea_orm::{ActiveModelTrait, NotSet, Set};
    Ok(mv::ActiveModel {
        id: NotSet,
        code: Set(m.id.clone()),
        version: Set(m.version.clone()),
        applies_to: Set(m.applies_to.join(",")),
        valid_from: Set(valid_from),
        status: Set(domain::MethodologyStatus::Published),
        source: Set(source.to_owned()),
        sha256: Set(crate::ratings::sha256_hex(source.as_bytes())),
        created_by: Set(created_by),
        created_at: Set(chrono::Utc::now()),
        title_uz_latn: Set(m.title.uz_latn.clone()),
        title_uz_cyrl: Set(m.title.uz_cyrl.clone()),
        title_ru: Set(m.title.ru.clone()),
        title_en: Set(m.title.en.clone()),
    }
    .insert(db)
    .await?)
}

/// A methodology's bands as pages and snapshots carry them, best first.
pub(crate) fn band_defs(m: &Methodology) -> Vec<BandDef> {
    m.bands
        .iter()
        .map(|b| BandDef {
            code: b.code.clone(),
            names: b.names.clone(),
            min: b.min,
        })
        .collect()
}

/// Every stored version, by methodology then newest first.
pub async fn list(db: &impl ConnectionTrait) -> ServiceResult<Vec<MethodologySummary>> {
    let rows = mv::Entity::find()
        .order_by_asc(mv::Column::Code)
        .order_by_desc(mv::Column::ValidFrom)
        .all(db)
        .await?;
    rows.iter().map(|r| Ok(summary(r, &parse(r)?))).collect()
}

/// `x` with at most `places` decimals and no trailing zeros (`12.5`, `200`).
pub(crate) fn trimmed(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

fn num(x: f64) -> String {
    trimmed(x, 4)
}

fn rule_of(m: &Methodology, body: &NodeBody) -> (String, String) {
    match body {
        NodeBody::Group { aggregation, cap } => (
            aggregation.name().to_owned(),
            cap.map(|c| format!("cap {}", num(c))).unwrap_or_default(),
        ),
        NodeBody::Indicator(ind) => {
            let mut rule = match (&ind.kind, &ind.normalisation) {
                (
                    IndicatorKind::Penalty {
                        points_per_unit,
                        cap,
                    },
                    _,
                ) => format!(
                    "−{} per unit{}",
                    num(*points_per_unit),
                    cap.map(|c| format!(", at most −{}", num(c)))
                        .unwrap_or_default()
                ),
                (IndicatorKind::Formula { expr, .. }, _) => format!("= {expr}"),
                (_, None) => "not scored".into(),
                _ => String::new(),
            };
            if let Some(n) = &ind.normalisation {
                let method = match &n.method {
                    NormMethod::Goalposts { min, max } => {
                        format!("goalposts {}–{}", num(*min), num(*max))
                    }
                    NormMethod::DistanceToTarget { target } => {
                        format!("distance to target {}", num(*target))
                    }
                    NormMethod::ZScore => "z-score".into(),
                    NormMethod::PercentileRank => "percentile rank".into(),
                    NormMethod::Lookup { thresholds } => format!(
                        "lookup {}",
                        thresholds
                            .iter()
                            .map(|(a, s)| format!("≥{}→{}", num(*a), num(*s)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    NormMethod::Points { factor } => format!("points × {}", num(*factor)),
                };
                let scaled = if m.scale_max != 100.0 {
                    format!(" (0–{})", num(m.scale_max))
                } else {
                    String::new()
                };
                let log = if n.log { "log, " } else { "" };
                rule = if rule.is_empty() {
                    format!("{log}{method}{scaled}")
                } else {
                    format!("{rule}; {log}{method}")
                };
            }
            if ind.polarity == methodology::model::Polarity::Lower {
                rule.push_str("; lower is better");
            }
            (ind.kind.name().to_owned(), rule)
        }
    }
}

fn describe(c: &Change) -> String {
    match c {
        Change::Added { code } => format!("added {code}"),
        Change::Removed { code } => format!("removed {code}"),
        Change::Renamed { old, new } => format!("{old} is now {new}"),
        Change::Reweighted { code, old, new } if old != new => {
            format!("{code}: weight {} → {}", num(*old), num(*new))
        }
        Change::Reweighted { code, .. } => format!("{code}: weights by kind changed"),
        Change::Renormalised { code } => format!("{code}: scoring changed"),
        Change::Moved { code, from, to } => format!("{code} moved from {from} to {to}"),
        Change::Bands => "bands changed".into(),
    }
}

/// What changed from `old` to `new`, one line each, and whether results
/// under `old` can be back-cast into `new` (a declared crosswalk).
pub(crate) fn changes_between(old: &Methodology, new: &Methodology) -> (Vec<String>, bool) {
    let changes = diff(old, new).iter().map(describe).collect();
    let comparable = backcast(old, new, &vec![None; old.nodes.len()]).is_ok();
    (changes, comparable)
}

/// What changed between any two stored versions (`from` → `to`).
pub async fn compare(
    db: &impl ConnectionTrait,
    from: i32,
    to: i32,
) -> ServiceResult<domain::MethodologyDiff> {
    let row = |id: i32| async move {
        mv::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| ServiceError::not_found(Noun::MethodologyVersion, id))
    };
    let (a, b) = (row(from).await?, row(to).await?);
    let (old, new) = (parse(&a)?, parse(&b)?);
    let (changes, comparable) = changes_between(&old, &new);
    Ok(domain::MethodologyDiff {
        from: summary(&a, &old),
        to: summary(&b, &new),
        changes,
        comparable,
    })
}

/// One version in full.
pub async fn get(db: &impl ConnectionTrait, id: i32) -> ServiceResult<MethodologyDetail> {
    let rows = mv::Entity::find()
        .order_by_asc(mv::Column::ValidFrom)
        .all(db)
        .await?;
    let row = rows
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ServiceError::not_found(Noun::MethodologyVersion, id))?;
    let m = parse(row)?;
    let mut nodes = Vec::new();
    let mut stack: Vec<usize> = m.domains().iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        let n = &m.nodes[i];
        let (kind, rule) = rule_of(&m, &n.body);
        let (required, evidence) = n
            .indicator()
            .map_or((false, false), |x| (x.required, x.evidence_required));
        nodes.push(MethodologyNode {
            code: n.code.clone(),
            names: n.names.clone(),
            depth: m.depth(i),
            weight: n.weight,
            weights_by_kind: n.weights_by_kind.clone(),
            kind,
            rule,
            required,
            evidence,
        });
        stack.extend(n.children.iter().rev());
    }
    let previous_row = rows
        .iter()
        .rfind(|r| r.code == row.code && r.valid_from < row.valid_from);
    let (previous, changes, comparable) = match previous_row {
        Some(p) => {
            let old = parse(p)?;
            let (changes, comparable) = changes_between(&old, &m);
            (Some(summary(p, &old)), changes, comparable)
        }
        None => (None, Vec::new(), false),
    };
    Ok(MethodologyDetail {
        summary: summary(row, &m),
        description: m.description.clone(),
        missing: format!("{:?}", m.missing).to_lowercase(),
        scale_max: m.scale_max,
        nodes,
        bands: m
            .bands
            .iter()
            .map(|b| {
                (
                    BandDef {
                        code: b.code.clone(),
                        names: b.names.clone(),
                        min: b.min,
                    },
                    b.max,
                )
            })
            .collect(),
        previous,
        changes,
        comparable,
    })
}
