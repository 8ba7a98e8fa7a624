//! Results of a campaign: its league scored by the methodology engine from
//! the approved answers (reviewers' adjustments and upheld appeals count,
//! rejected values do not), the provisional result each entity sees, and
//! publication of the final league as an immutable snapshot.
//!
//! Provisional results are never stored: they are scored when read, so an
//! upheld appeal re-scores everyone at once. Only publication freezes them.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use domain::{
    CampaignId, CampaignResults, CampaignStatus, DomainDef, EntityKind, MatrixRow, Nomination,
    ParseError, ParticipantId, Provisional, PublishRequest, RevisionItem, Role, SnapshotComment,
    SnapshotGap, SnapshotId, SnapshotMatrix, SnapshotPayload, SnapshotRow, SubmissionStatus,
};
use entity::{
    audit_log, campaigns, entities, nomination_choices, participants, rating_snapshots,
    review_comments, submission_values,
};
use methodology::model::Methodology;
use methodology::score::attach_previous;
use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::audit::{self, Actor, Change};
use crate::campaigns::{load as load_campaign, names as campaign_names, status_of};
use crate::ratings::{self, Publication};
use crate::scope::entity_ref;
use crate::{Principal, ServiceError, ServiceResult};

/// Monte Carlo draws behind every published rank interval.
pub const DRAWS: usize = 1000;

/// Relative spread of the domain weights in the Monte Carlo.
pub const WEIGHT_SPREAD: f64 = 0.25;

/// Who publishes, corrects and retracts ratings.
const PUBLISHERS: &[Role] = &[Role::Publisher, Role::Admin];

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
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved.as_str()));
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
            let mut input = EntityInput::new(m, &e.code, &e.kind);
            for v in values.get(&p.id).into_iter().flatten() {
                let Some(i) = m.find(&v.indicator_code) else {
                    continue;
                };
                let Some(ind) = m.nodes[i].indicator() else {
                    continue;
                };
                input.raw[i] = crate::submissions::effective(v).and_then(|x| x.raw(ind));
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
        kind: EntityKind::parse(&campaign.entity_kind)?,
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
    kind: &str,
    choices: &HashMap<String, (entities::Model, String)>,
) -> Vec<Nomination> {
    let by_code: HashMap<&str, (usize, &entities::Model)> = results
        .entities
        .iter()
        .zip(members)
        .enumerate()
        .map(|(k, (r, e))| (r.entity.as_str(), (k, *e)))
        .collect();
    let computed = methodology::summary::nominations(m, results, kind);
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

/// Chooses the nominee of one domain (`entity`, with `note` saying why),
/// or with `None` goes back to the highest score. Publishers, before they
/// publish (the next revision carries it); audited on the campaign.
pub async fn nominate(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
    domain: &str,
    entity: Option<i32>,
    note: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    who.require_any(PUBLISHERS)?;
    let c = load_campaign(db, id).await?;
    if status_of(&c)? != CampaignStatus::Final {
        return Err(ServiceError::Conflict(format!(
            "campaign {} is {}: nominations are chosen on final results",
            c.code, c.status
        )));
    }
    let m = crate::methodologies::load(db, c.methodology_version_id).await?;
    if !m.domains().iter().any(|&d| m.nodes[d].code == domain) {
        return Err(
            ParseError::new("domain", format!("no domain {domain:?} in {}", m.key())).into(),
        );
    }
    let note = note.trim();
    if let Some(e) = entity {
        if note.is_empty() {
            return Err(ParseError::new(
                "note",
                "say why this entity is nominated over the highest score",
            )
            .into());
        }
        let rated = current_league(db, &c, DRAWS)
            .await?
            .rows
            .iter()
            .any(|r| r.entity.id.0 == e && r.rank > 0);
        if !rated {
            return Err(ParseError::new(
                "entity",
                format!("entity {e} is not rated in campaign {}", c.code),
            )
            .into());
        }
    }
    let tx = db.begin().await?;
    let before = nomination_choices::Entity::find()
        .filter(nomination_choices::Column::CampaignId.eq(c.id))
        .filter(nomination_choices::Column::DomainCode.eq(domain))
        .one(&tx)
        .await?;
    nomination_choices::Entity::delete_many()
        .filter(nomination_choices::Column::CampaignId.eq(c.id))
        .filter(nomination_choices::Column::DomainCode.eq(domain))
        .exec(&tx)
        .await?;
    if let Some(e) = entity {
        nomination_choices::ActiveModel {
            id: NotSet,
            campaign_id: Set(c.id),
            domain_code: Set(domain.to_owned()),
            entity_id: Set(e),
            note: Set(note.to_owned()),
            chosen_by: Set(Some(who.user.id.0)),
            chosen_at: Set(now),
        }
        .insert(&tx)
        .await?;
    }
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: "campaign.nominate",
            object_type: "campaign",
            object_id: c.id.to_string(),
            before: before
                .map(|b| serde_json::json!({ "domain": domain, "entity": b.entity_id, "note": b.note }))
                .as_ref(),
            after: Some(&serde_json::json!({ "domain": domain, "entity": entity, "note": note })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
        .filter(campaigns::Column::EntityKind.eq(&campaign.entity_kind))
        .filter(campaigns::Column::OpensOn.lt(campaign.opens_on))
        .filter(campaigns::Column::Status.eq(CampaignStatus::Final.as_str()))
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
async fn current_league(
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
        &campaign.entity_kind,
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

/// One entity's provisional result, for its form page: `None` before the
/// campaign's results exist.
pub(crate) async fn provisional(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: &campaigns::Model,
    participant: &participants::Model,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Provisional>> {
    if !status_of(campaign)?.has_results() {
        return Ok(None);
    }
    let league = current_league(db, campaign, 0).await?;
    let Some(row) = league
        .rows
        .iter()
        .find(|r| r.entity.id.0 == participant.entity_id)
        .cloned()
    else {
        return Ok(None);
    };
    let rated = league.rows.iter().filter(|r| r.rank > 0).count();
    let appeals =
        crate::appeals::items(db, Some(ParticipantId(participant.id)), campaign.id).await?;
    Ok(Some(Provisional {
        row,
        rated: u32::try_from(rated).unwrap_or(u32::MAX),
        bands: league.bands.clone(),
        domains: league.domains.clone(),
        appeal_until: campaign.appeal_until.to_string(),
        can_appeal: crate::appeals::refusal(who, campaign, participant, now).is_none(),
        appeals,
    }))
}

/// The results page of a campaign for ministry staff: the league as it
/// scores now (with rank intervals), its appeals and its publications.
pub async fn campaign_results(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
) -> ServiceResult<CampaignResults> {
    who.require_any(&[
        Role::Admin,
        Role::Methodologist,
        Role::Reviewer,
        Role::Publisher,
        Role::Viewer,
    ])?;
    let c = load_campaign(db, id).await?;
    let status = status_of(&c)?;
    if !status.has_results() && status != CampaignStatus::UnderReview {
        return Err(ServiceError::Conflict(format!(
            "campaign {} is {status}: results are scored once review starts",
            c.code
        )));
    }
    let live = current_league(db, &c, DRAWS).await?;
    let (corrections, moved) = if status == CampaignStatus::Final {
        crate::corrections::pending(db, &c, &live).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let league = live.without_matrix();
    let appeals = crate::appeals::items(db, None, c.id).await?;
    let revisions = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(c.id))
        .order_by_desc(rating_snapshots::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|s| RevisionItem {
            id: s.id,
            revision: s.revision,
            status: s.status,
            changelog: s.changelog,
            published_at: s.published_at.to_rfc3339(),
            embargo_until: s.embargo_until.map(|e| e.to_rfc3339()),
            sha256: s.sha256,
        })
        .collect();
    Ok(CampaignResults {
        league,
        pending_corrections: corrections,
        correction_effects: moved,
        appeals,
        revisions,
        can_publish: status == CampaignStatus::Final && who.require_any(PUBLISHERS).is_ok(),
        can_resolve: status.takes_appeals() && who.require_any(crate::appeals::RESOLVERS).is_ok(),
    })
}

/// Tashkent's offset from UTC (no daylight saving since 1992).
fn tashkent() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("a valid offset")
}

/// Reads an embargo typed as Tashkent time, `YYYY-MM-DDTHH:MM` (what a
/// datetime-local input sends) or with seconds.
pub fn parse_embargo(text: &str) -> Result<DateTime<Utc>, ParseError> {
    let t = text.trim();
    let local = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            ParseError::new(
                "embargo_until",
                format!("{t:?} is not a date and time: write 2026-12-15T10:00"),
            )
        })?;
    tashkent()
        .from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| ParseError::new("embargo_until", format!("{t:?} is not a Tashkent time")))
}

/// Publishes the final league of a campaign as a new revision: the first
/// publication, a correction (the league re-scored, a changelog line
/// required) or a retraction. Snapshots are never edited.
pub async fn publish(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
    req: &PublishRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SnapshotId> {
    who.require_any(PUBLISHERS)?;
    let tx = crate::db::begin_consistent(db).await?;
    let c = load_campaign(&tx, id).await?;
    let status = status_of(&c)?;
    if status != CampaignStatus::Final {
        return Err(ServiceError::Conflict(format!(
            "campaign {} is {status}: only final results are published",
            c.code
        )));
    }
    let embargo_until = req
        .embargo_until
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(parse_embargo)
        .transpose()?;
    if embargo_until.is_some_and(|e| e <= now) {
        return Err(ParseError::new("embargo_until", "the embargo must end in the future").into());
    }
    let latest = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(c.id))
        .order_by_desc(rating_snapshots::Column::Revision)
        .one(&tx)
        .await?;
    let changelog = req.changelog.trim();
    if latest.is_some() && changelog.is_empty() {
        return Err(ParseError::new(
            "changelog",
            "a correction or retraction says what changed and why",
        )
        .into());
    }
    let (payload, retracted) = if req.retract {
        let last = latest
            .as_ref()
            .filter(|s| s.status == "published")
            .ok_or_else(|| {
                ServiceError::Conflict(format!("campaign {} has no rating to retract", c.code))
            })?;
        (SnapshotPayload::clone(&*ratings::row_payload(last)?), true)
    } else {
        let mut p = league(&tx, &c, DRAWS).await?;
        if let Some(last) = latest.as_ref() {
            let m = crate::methodologies::load(&tx, c.methodology_version_id).await?;
            let reasons = crate::corrections::reasons_since(&tx, &c, last.published_at).await?;
            p.corrections =
                crate::corrections::differences(&m, &*ratings::row_payload(last)?, &p, &reasons);
        }
        let same = |last: &SnapshotPayload| {
            p.corrections.is_empty()
                && p.rows == last.rows
                && p.nominations == last.nominations
                && p.matrix == last.matrix
        };
        if let Some(last) = latest.as_ref().filter(|s| s.status == "published")
            && same(&*ratings::row_payload(last)?)
        {
            return Err(ServiceError::Conflict(format!(
                "revision {} already publishes these results",
                last.revision
            )));
        }
        (p, false)
    };
    let snapshot = ratings::publish(
        &tx,
        &Actor::User(who),
        &Publication {
            campaign: CampaignId(c.id),
            methodology_version_id: c.methodology_version_id,
            embargo_until,
            changelog: if changelog.is_empty() {
                "First publication"
            } else {
                changelog
            },
            published_at: now,
            retracted,
        },
        &payload,
    )
    .await?;
    tx.commit().await?;
    Ok(snapshot)
}
