//! A campaign's league scored by the methodology engine from its approved
//! answers (reviewers' adjustments and upheld appeals count, rejected
//! values do not): the engine's inputs, the league rows with their Monte
//! Carlo rank intervals, nominations, the matrix of answers and scores and
//! the snapshot payload that publication freezes. The league as it scores
//! now is kept until the audit log moves (every change writes an entry).

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use domain::{
    CampaignStatus, DomainDef, EntityKind, MatrixRow, Nomination, SnapshotComment, SnapshotGap,
    SnapshotMatrix, SnapshotPayload, SnapshotRow, SubmissionStatus,
};
use entity::{
    audit_log, campaigns, entities, nomination_choices, participants, review_comments,
    submission_values,
};
use methodology::model::Methodology;
use methodology::score::attach_previous;
use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::ServiceResult;
use crate::rounds::names as campaign_names;
use crate::scope::entity_ref;

/// Monte Carlo draws behind every published rank interval.
pub const DRAWS: usize = 1000;

/// Relative spread of the domain weights in the Monte Carlo.
pub const WEIGHT_SPREAD: f64 = 0.25;

/// A stable 64-bit hash of a text (FNV-1a): the seed of a campaign's
/// Monte Carlo, so the same answers always give the same intervals.
pub(crate) fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The approved answers of a campaign as engine inputs, by entity id, in
/// participant order, for the entities of `entities_by_id` only.
/// Submissions not approved are left out.
pub(crate) async fn inputs(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    m: &Methodology,
    entities_by_id: &HashMap<i32, entities::Model>,
) -> ServiceResult<Vec<(i32, EntityInput)>> {
    let mut parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved));
    // When the entities are few (one entity's profile or report card), read
    // only their answers, not the whole campaign's (a bounded list of ids).
    if entities_by_id.len() <= 500 {
        parts = parts.filter(participants::Column::EntityId.is_in(entities_by_id.keys().copied()));
    }
    let parts = parts.order_by_asc(participants::Column::Id).all(db).await?;
    let ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    let mut values: HashMap<i32, Vec<submission_values::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            values.entry(v.participant_id).or_default().push(v);
        }
    }
    Ok(parts
        .iter()
        .filter_map(|p| {
            let e = entities_by_id.get(&p.entity_id)?;
            let mut input = EntityInput::new(m, &e.code, e.kind.as_str());
            for v in values.get(&p.id).into_iter().flatten() {
                let Some(i) = m.find(&v.indicator_code) else {
                    continue;
                };
                let Some(ind) = m.nodes[i].indicator() else {
                    continue;
                };
                input.raw[i] = crate::submissions::answers::effective(v).and_then(|x| x.raw(ind));
            }
            Some((p.entity_id, input))
        })
        .collect())
}

/// The league rows of scored entities, best first: `members[k]` is the
/// entity of `results.entities[k]`; `intervals` may be empty (no Monte Carlo).
pub(crate) fn league_rows<E: Borrow<entities::Model>>(
    m: &Methodology,
    results: &methodology::Results,
    intervals: &[methodology::RankInterval],
    members: &[&entities::Model],
    by_id: &HashMap<i32, E>,
) -> Vec<SnapshotRow> {
    let mut rows: Vec<SnapshotRow> = results
        .entities
        .iter()
        .zip(members)
        .enumerate()
        .map(|(k, (r, e))| SnapshotRow {
            entity: entity_ref(e),
            region: e
                .region_id
                .and_then(|id| by_id.get(&id))
                .map(|g| entity_ref(g.borrow())),
            index: r.index,
            band: r.band.clone(),
            rank: r.rank_in_kind,
            rank_p05: intervals.get(k).map_or(0, |iv| iv.p05),
            rank_p95: intervals.get(k).map_or(0, |iv| iv.p95),
            domain_scores: m.domains().iter().map(|&d| r.nodes[d]).collect(),
            change: r.change,
        })
        .collect();
    sort_rows(&mut rows);
    rows
}

fn sort_rows(rows: &mut [SnapshotRow]) {
    rows.sort_by(|a, b| {
        (a.rank == 0, a.rank, &a.entity.code).cmp(&(b.rank == 0, b.rank, &b.entity.code))
    });
}

/// The matrix of a scored league in the order of its `rows`: each rated
/// entity's answers, node scores and gaps (`scored`: by entity id, its
/// engine input and result, scored with `explain`), and the public review
/// comments (`comments`, by entity id, taken).
pub(crate) fn matrix_of(
    m: &Methodology,
    rows: &[SnapshotRow],
    scored: &HashMap<i32, (&EntityInput, &methodology::EntityResult)>,
    comments: &mut HashMap<i32, Vec<SnapshotComment>>,
) -> SnapshotMatrix {
    let n = m.nodes.len();
    SnapshotMatrix {
        nodes: m.nodes.iter().map(|x| x.code.clone()).collect(),
        private: m
            .nodes
            .iter()
            .filter(|x| x.indicator().is_some_and(|i| !i.public))
            .map(|x| x.code.clone())
            .collect(),
        entities: rows
            .iter()
            .map(|r| {
                let id = r.entity.id.0;
                let (raw, scores, gaps) = match scored.get(&id) {
                    Some((input, result)) => (
                        input.raw.clone(),
                        result.nodes.clone(),
                        result
                            .gaps
                            .iter()
                            .take(SnapshotMatrix::GAPS)
                            .map(|g| SnapshotGap {
                                indicator: m.nodes[g.node].code.clone(),
                                score: g.score,
                                max: g.max,
                                gain: g.gain,
                            })
                            .collect(),
                    ),
                    None => (vec![None; n], vec![None; n], Vec::new()),
                };
                MatrixRow {
                    entity: r.entity.id,
                    raw,
                    scores,
                    gaps,
                    comments: comments.remove(&id).unwrap_or_default(),
                }
            })
            .collect(),
        reconstructed_at: None,
    }
}

/// The entity of each participant of a campaign, by participant id.
pub(crate) async fn participant_entities(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
) -> ServiceResult<HashMap<i32, i32>> {
    Ok(participants::Entity::find()
        .select_only()
        .column(participants::Column::Id)
        .column(participants::Column::EntityId)
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The public review comments of a campaign's submissions, by entity id,
/// oldest first: what its report cards print.
pub(crate) async fn public_comments(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
) -> ServiceResult<HashMap<i32, Vec<SnapshotComment>>> {
    let entity_of = participant_entities(db, campaign).await?;
    let ids: Vec<i32> = entity_of.keys().copied().collect();
    let mut out: HashMap<i32, Vec<SnapshotComment>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for c in review_comments::Entity::find()
            .filter(review_comments::Column::ParticipantId.is_in(chunk.to_vec()))
            .filter(review_comments::Column::Public.eq(true))
            .order_by_asc(review_comments::Column::CreatedAt)
            .order_by_asc(review_comments::Column::Id)
            .all(db)
            .await?
        {
            out.entry(entity_of[&c.participant_id])
                .or_default()
                .push(SnapshotComment {
                    date: c.created_at.format("%Y-%m-%d").to_string(),
                    indicator: c.indicator_code,
                    text: c.body,
                });
        }
    }
    Ok(out)
}

/// What a snapshot of `campaign` scored with `m` (its version's text has
/// `methodology_sha256`) holds: its rows, nominations and matrix.
pub(crate) fn payload(
    campaign: &campaigns::Model,
    m: &Methodology,
    methodology_sha256: &str,
    rows: Vec<SnapshotRow>,
    nominations: Vec<Nomination>,
    matrix: SnapshotMatrix,
) -> ServiceResult<SnapshotPayload> {
    Ok(SnapshotPayload {
        campaign: campaign.code.clone(),
        campaign_names: campaign_names(campaign),
        period: campaign.period.clone(),
        kind: campaign.entity_kind,
        methodology: m.id.clone(),
        methodology_version: m.version.clone(),
        engine_version: methodology::ENGINE_VERSION.into(),
        bands: crate::methodologies::band_defs(m),
        domains: m
            .domains()
            .iter()
            .map(|&d| DomainDef {
                code: m.nodes[d].code.clone(),
                names: m.nodes[d].names.clone(),
            })
            .collect(),
        rows,
        nominations,
        methodology_sha256: Some(methodology_sha256.to_owned()),
        matrix: Some(matrix),
        corrections: Vec::new(),
    })
}

/// The best entity per domain: the highest domain score among `members`
/// (a tie goes to the better overall rank), unless the publisher chose another
/// (`choices`: domain code → entity and why).
pub(crate) fn nominations_of(
    m: &Methodology,
    results: &methodology::Results,
    members: &[&entities::Model],
    kind: EntityKind,
    choices: &HashMap<String, (entities::Model, String)>,
) -> Vec<Nomination> {
    let by_code: HashMap<&str, (usize, &entities::Model)> = results
        .entities
        .iter()
        .zip(members)
        .enumerate()
        .map(|(k, (r, e))| (r.entity.as_str(), (k, *e)))
        .collect();
    let computed = methodology::summary::nominations(m, results, kind.as_str());
    m.domains()
        .iter()
        .filter_map(|&d| {
            let code = m.nodes[d].code.clone();
            if let Some((e, note)) = choices.get(&code) {
                let score = results
                    .entities
                    .iter()
                    .zip(members)
                    .find(|(_, x)| x.id == e.id)
                    .and_then(|(r, _)| r.nodes[d]);
                return Some(Nomination {
                    domain: code,
                    entities: vec![entity_ref(e)],
                    score,
                    chosen: true,
                    note: Some(note.clone()),
                });
            }
            let n = computed.iter().find(|n| n.domain == d)?;
            // Capped domains tie often: the tie goes to the better overall
            // rank, as in the workbook (`exports::stats::nominations`).
            let best = n
                .entities
                .iter()
                .filter_map(|c| by_code.get(c.as_str()))
                .min_by_key(|(k, e)| (results.entities[*k].rank_in_kind, e.code.clone()))?;
            Some(Nomination {
                domain: code,
                entities: vec![entity_ref(best.1)],
                score: Some(n.score),
                chosen: false,
                note: None,
            })
        })
        .collect()
}

/// The publisher's nominees of a campaign, by domain code, looked up in
/// the registry the league was scored with.
async fn choices(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    by_id: &HashMap<i32, entities::Model>,
) -> ServiceResult<HashMap<String, (entities::Model, String)>> {
    Ok(nomination_choices::Entity::find()
        .filter(nomination_choices::Column::CampaignId.eq(campaign.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| {
            let e = by_id.get(&r.entity_id)?.clone();
            Some((r.domain_code, (e, r.note)))
        })
        .collect())
}

/// Last period's answers of the same entities, laid out on `m`: the
/// campaign of the same league that opened last before this one and is
/// final. Answers under another methodology version go through its declared
/// crosswalk; without one there is no previous period (and no change).
async fn previous_period(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    m: &Methodology,
    now_inputs: &[(i32, EntityInput)],
    by_id: &HashMap<i32, entities::Model>,
) -> ServiceResult<Option<Vec<EntityInput>>> {
    let Some(prev) = campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(campaign.entity_kind))
        .filter(campaigns::Column::OpensOn.lt(campaign.opens_on))
        .filter(campaigns::Column::Status.eq(CampaignStatus::Final))
        .order_by_desc(campaigns::Column::OpensOn)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let old = crate::methodologies::load(db, prev.methodology_version_id).await?;
    let then: HashMap<i32, EntityInput> =
        inputs(db, &prev, &old, by_id).await?.into_iter().collect();
    let same = old.key() == m.key();
    let mut before = Vec::with_capacity(now_inputs.len());
    for (id, now) in now_inputs {
        let mut b = EntityInput::new(m, &now.id, &now.kind);
        if let Some(t) = then.get(id) {
            b.raw = if same {
                t.raw.clone()
            } else {
                match methodology::diff::backcast(&old, m, &t.raw) {
                    Ok(cast) => cast.raw,
                    Err(_) => return Ok(None),
                }
            };
        }
        before.push(b);
    }
    Ok(Some(before))
}

/// [`league`], kept until anything changes. Every change to answers,
/// verdicts, appeals, campaigns or the registry writes an audit entry in
/// its transaction (an invariant), so the newest audit id says whether a
/// kept league is still current, for every instance sharing the database.
pub(crate) async fn current_league(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    draws: usize,
) -> ServiceResult<Arc<SnapshotPayload>> {
    // Keyed by more than the id: one process may hold several databases
    // (the test suite does), and their campaign ids repeat.
    type Kept = HashMap<(i32, String, i64, usize), (Option<i32>, Arc<SnapshotPayload>)>;
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    let stamp: Option<i32> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Id)
        .order_by_desc(audit_log::Column::Id)
        .into_tuple()
        .one(db)
        .await?;
    let key = (
        campaign.id,
        campaign.code.clone(),
        campaign.updated_at.timestamp_micros(),
        draws,
    );
    let kept = KEPT.get_or_init(Default::default);
    if let Some((at, l)) = kept.lock().ok().and_then(|k| k.get(&key).cloned())
        && at == stamp
    {
        return Ok(l);
    }
    let l = Arc::new(league(db, campaign, draws).await?);
    if let Ok(mut k) = kept.lock() {
        k.insert(key, (stamp, l.clone()));
    }
    Ok(l)
}

/// The league of a campaign as its approved answers score now, with
/// `draws` Monte Carlo draws for the rank intervals (0 for none). Entities
/// whose submission is not approved are listed last, unrated.
pub(crate) async fn league(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    draws: usize,
) -> ServiceResult<SnapshotPayload> {
    let (methodology_sha256, m) =
        crate::methodologies::load_with_hash(db, campaign.methodology_version_id).await?;
    let parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .all(db)
        .await?;
    let by_id = crate::registry::by_id(db).await?;
    let scored = inputs(db, campaign, &m, &by_id).await?;
    let mut engine_inputs: Vec<EntityInput> = scored.iter().map(|(_, i)| i.clone()).collect();
    if let Some(before) = previous_period(db, campaign, &m, &scored, &by_id).await? {
        attach_previous(&m, &mut engine_inputs, before);
    }
    let results = score(&m, &engine_inputs, &ScoreOptions { explain: true });
    let intervals = if draws > 0 && !results.entities.is_empty() {
        let d = Draws::seeded(
            seed_of(&campaign.code),
            draws,
            m.domains().len(),
            WEIGHT_SPREAD,
        );
        rank_uncertainty(&m, &results, &d)
    } else {
        Vec::new()
    };
    let members: Vec<&entities::Model> = scored.iter().map(|(id, _)| &by_id[id]).collect();
    let nominations = nominations_of(
        &m,
        &results,
        &members,
        campaign.entity_kind,
        &choices(db, campaign, &by_id).await?,
    );
    let mut rows = league_rows(&m, &results, &intervals, &members, &by_id);
    let rated: std::collections::HashSet<i32> = scored.iter().map(|(id, _)| *id).collect();
    let mut unrated: Vec<SnapshotRow> = parts
        .iter()
        .filter(|p| !rated.contains(&p.entity_id))
        .filter_map(|p| by_id.get(&p.entity_id))
        .map(|e| SnapshotRow {
            entity: entity_ref(e),
            region: e.region_id.and_then(|id| by_id.get(&id)).map(entity_ref),
            index: None,
            band: None,
            rank: 0,
            rank_p05: 0,
            rank_p95: 0,
            domain_scores: vec![None; m.domains().len()],
            change: None,
        })
        .collect();
    sort_rows(&mut unrated);
    rows.extend(unrated);
    let by_entity: HashMap<i32, (&EntityInput, &methodology::EntityResult)> = scored
        .iter()
        .zip(&results.entities)
        .map(|((id, input), r)| (*id, (input, r)))
        .collect();
    let matrix = matrix_of(
        &m,
        &rows,
        &by_entity,
        &mut public_comments(db, campaign).await?,
    );
    payload(campaign, &m, &methodology_sha256, rows, nominations, matrix)
}
