//! The demo history: four past assessment rounds (December 2020 to December
//! 2023) on the real registry, with participants, answers, reviews and
//! published ratings, so that a newcomer sees a living system.
//!
//! Deterministic: the same registry and seeds give the same history. The
//! December 2020 round reproduces the published distribution (seed 004)
//! exactly — state bodies 16/9/34, economic bodies 5/12/31, districts and
//! cities 28/59/116 — by choosing, for each entity, a maturity level whose
//! answers the methodology engine scores into the intended band. Later
//! rounds raise every entity's maturity a little, with noise.

use domain::{
    CampaignId, CampaignStatus, CommentAction, EntityKind, ReviewStatus, SnapshotComment,
    SubmissionStatus,
};
use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone, Utc};
use entity::{
    campaigns, entities, methodology_versions, participants, review_comments, submission_values,
};
use methodology::model::{ChecklistMode, IndicatorKind, Methodology, NormMethod, Polarity};
use methodology::uncertainty::Rng;
use methodology::value::LegalAct;
use methodology::{Draws, EntityInput, ScoreOptions, Value, rank_uncertainty, score};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    DatabaseConnection, DatabaseTransaction, EntityTrait, TransactionTrait,
};

use crate::audit::Actor;
use crate::ratings::{self, Publication};
use crate::scoring::{self, seed_of as hash};
use crate::{ServiceError, ServiceResult};

/// What the generator made.
#[derive(Debug, Default, Clone, Copy)]
pub struct HistoryReport {
    /// Campaigns created.
    pub campaigns: usize,
    /// Submissions (participants) created.
    pub submissions: usize,
    /// Answers stored.
    pub values: usize,
}

struct Round {
    code: &'static str,
    period: &'static str,
    names: [&'static str; 4],
    opens_on: (i32, u32, u32),
    deadline: (i32, u32, u32),
    published: (i32, u32, u32),
    /// How much every entity's maturity has grown since December 2020.
    lift: f64,
}

const ROUNDS: [Round; 4] = [
    Round {
        code: "2020-12",
        period: "2020",
        names: [
            "2020-yil dekabr baholash bosqichi",
            "2020 йил декабрь баҳолаш босқичи",
            "Оценка, декабрь 2020 года",
            "December 2020 assessment round",
        ],
        opens_on: (2020, 11, 2),
        deadline: (2020, 12, 1),
        published: (2021, 1, 25),
        lift: 0.0,
    },
    Round {
        code: "2021-12",
        period: "2021",
        names: [
            "2021-yil baholash bosqichi",
            "2021 йил баҳолаш босқичи",
            "Оценка 2021 года",
            "2021 assessment round",
        ],
        opens_on: (2021, 11, 1),
        deadline: (2021, 12, 1),
        published: (2022, 1, 24),
        lift: 0.06,
    },
    Round {
        code: "2022-12",
        period: "2022",
        names: [
            "2022-yil baholash bosqichi",
            "2022 йил баҳолаш босқичи",
            "Оценка 2022 года",
            "2022 assessment round",
        ],
        opens_on: (2022, 11, 1),
        deadline: (2022, 12, 1),
        published: (2023, 1, 23),
        lift: 0.11,
    },
    Round {
        code: "2023-12",
        period: "2023",
        names: [
            "2023-yil baholash bosqichi",
            "2023 йил баҳолаш босқичи",
            "Оценка 2023 года",
            "2023 assessment round",
        ],
        opens_on: (2023, 11, 1),
        deadline: (2023, 12, 1),
        published: (2024, 1, 22),
        lift: 0.15,
    },
];

struct League {
    kind: EntityKind,
    /// The December 2020 counts: good, satisfactory, unsatisfactory.
    published_2020: [usize; 3],
    /// Who won the 2021 award for this league (seed 004): most mature.
    winner: &'static str,
}

const LEAGUES: [League; 3] = [
    League {
        kind: EntityKind::StateBody,
        published_2020: [16, 9, 34],
        winner: "Statistics",
    },
    League {
        kind: EntityKind::EconomicBody,
        published_2020: [5, 12, 31],
        winner: "Navoi",
    },
    League {
        kind: EntityKind::District,
        published_2020: [28, 59, 116],
        winner: "Navoi",
    },
];

/// Last round's answers (by node), index and rank of one entity.
type Previous = (Vec<Option<f64>>, Option<f64>, u32);

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

fn version_for(kind: EntityKind, round: &Round) -> &'static str {
    match (kind, round.period) {
        (EntityKind::District, _) => "nis-districts@2020",
        (_, "2020" | "2021") => "nis-bodies@2020",
        _ => "nis-bodies@2022",
    }
}

/// One entity's fixed traits: how far each indicator sits from its overall
/// maturity, and the size of its service catalogue.
struct Traits {
    noise: Vec<f64>,
    catalogue: f64,
    slug: String,
}

impl Traits {
    fn new(m: &Methodology, code: &str, spread: f64) -> Self {
        let mut rng = Rng::new(hash(code));
        Self {
            noise: (0..m.nodes.len()).map(|_| rng.normal() * spread).collect(),
            catalogue: 12.0 + (rng.next_u64() % 180) as f64,
            slug: code
                .to_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        }
    }
}

/// The answers of an entity at maturity `s` (about 0–1): each indicator's
/// own level is `s` plus the entity's fixed offset, clamped, and the answer
/// is what that level looks like for the indicator's kind. Every answer
/// rises with `s`, so the index does too.
fn answers(m: &Methodology, s: f64, traits: &Traits) -> Vec<(usize, Value)> {
    let mut out = Vec::new();
    // Inputs of a ratio formula (`a / b * 100`): b is the catalogue, a its
    // share at the formula's level.
    let mut ratio_inputs: HashMap<usize, f64> = HashMap::new();
    for &f in &m.formula_order {
        if let Some(IndicatorKind::Formula { parsed, .. }) = m.nodes[f].indicator().map(|i| &i.kind)
            && let [num, den] = parsed.vars()[..]
            && let (Some(a), Some(b)) = (m.find(num), m.find(den))
        {
            let t = (s + traits.noise[f]).clamp(0.0, 1.0);
            ratio_inputs.insert(b, traits.catalogue);
            ratio_inputs.insert(a, (traits.catalogue * t).round());
        }
    }
    for (i, _, ind) in m.indicators() {
        if let Some(x) = ratio_inputs.get(&i) {
            out.push((i, Value::Number(*x)));
            continue;
        }
        let t = (s + traits.noise[i]).clamp(0.0, 1.0);
        let v = match &ind.kind {
            IndicatorKind::Text | IndicatorKind::Formula { .. } => continue,
            IndicatorKind::YesNo => Value::Bool(t > 0.5),
            IndicatorKind::Url => {
                if t < 0.35 {
                    continue;
                }
                Value::Url(format!(
                    "https://{}.uz/digital/{}",
                    traits.slug,
                    m.nodes[i].code.to_lowercase()
                ))
            }
            IndicatorKind::LegalAct => {
                if t < 0.4 {
                    continue;
                }
                let n = 100 + hash(&traits.slug) % 400;
                Value::LegalAct(LegalAct {
                    act_type: "order".into(),
                    number: format!("{n}"),
                    date: "2020-03-16".into(),
                    link: format!("https://lex.uz/docs/{}", 4_000_000 + n * 7),
                })
            }
            IndicatorKind::Choice { options } => {
                let k = ((t * options.len() as f64) as usize).min(options.len() - 1);
                Value::Choice(options[k].code.clone())
            }
            IndicatorKind::Checklist { items, mode } => {
                let n = items.len() as f64;
                let checked = items
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| t > (*j as f64 + 0.5) / n)
                    .map(|(_, o)| o.code.clone())
                    .collect();
                let _ = mode == &ChecklistMode::Share;
                Value::Checklist(checked)
            }
            IndicatorKind::Penalty { .. } => Value::Number(((0.7 - t).max(0.0) * 10.0).floor()),
            IndicatorKind::Number { .. } | IndicatorKind::Percent => {
                let x = level_to_number(
                    ind.normalisation.as_ref().map(|n| (&n.method, n.log)),
                    ind.polarity,
                    t,
                    ind.range,
                );
                Value::Number((x * 10.0).round() / 10.0)
            }
        };
        out.push((i, v));
    }
    out
}

/// The raw number that sits at level `t` of an indicator's scale.
fn level_to_number(
    norm: Option<(&NormMethod, bool)>,
    polarity: Polarity,
    t: f64,
    range: Option<(f64, f64)>,
) -> f64 {
    let t = if polarity == Polarity::Lower {
        1.0 - t
    } else {
        t
    };
    let x = match norm {
        Some((NormMethod::Goalposts { min, max }, true)) => {
            let (a, b) = (min.ln_1p(), max.ln_1p());
            (a + t * (b - a)).exp() - 1.0
        }
        Some((NormMethod::Goalposts { min, max }, false)) => min + t * (max - min),
        Some((NormMethod::DistanceToTarget { target }, _)) => t * target,
        Some((NormMethod::Lookup { thresholds }, _)) => {
            t * thresholds.last().map_or(1.0, |l| l.0) * 1.25
        }
        _ => t * range.map_or(100.0, |r| r.1.min(100.0)),
    };
    match range {
        Some((lo, hi)) => x.clamp(lo, hi),
        None => x,
    }
}

fn input(m: &Methodology, id: &str, kind: &str, values: &[(usize, Value)]) -> EntityInput {
    let mut e = EntityInput::new(m, id, kind);
    for (i, v) in values {
        if let Some(ind) = m.nodes[*i].indicator() {
            e.raw[*i] = v.raw(ind);
        }
    }
    e
}

fn index_at(m: &Methodology, kind: &str, s: f64, traits: &Traits) -> f64 {
    let e = input(m, "probe", kind, &answers(m, s, traits));
    score(m, &[e], &ScoreOptions { explain: false }).entities[0]
        .index
        .unwrap_or(0.0)
}

/// A maturity level whose index falls in `band`, aiming at a point a share
/// `u` of the way into it; `None` if the band is jumped over.
fn level_in_band(m: &Methodology, kind: &str, band: usize, u: f64, traits: &Traits) -> Option<f64> {
    let b = &m.bands[band];
    let target = b.min + (b.max - b.min) * (0.15 + 0.7 * u);
    let (mut lo, mut hi) = (-1.0, 2.0);
    if index_at(m, kind, hi, traits) < b.min {
        return None;
    }
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if index_at(m, kind, mid, traits) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    [hi, lo].into_iter().find(|&s| {
        m.band_of(index_at(m, kind, s, traits))
            .is_some_and(|x| x.code == b.code)
    })
}

/// Splits `n` in the published proportions (largest remainder), so the
/// history still makes sense on a registry that differs from 2020's.
fn apportion(published: [usize; 3], n: usize) -> [usize; 3] {
    let total: usize = published.iter().sum();
    if total == n {
        return published;
    }
    let exact: Vec<f64> = published
        .iter()
        .map(|&p| p as f64 * n as f64 / total as f64)
        .collect();
    let mut out = [0usize; 3];
    for (o, e) in out.iter_mut().zip(&exact) {
        *o = e.floor() as usize;
    }
    let mut rest = n - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..3).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for i in order.into_iter().cycle() {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

fn valid_on(e: &entities::Model, d: NaiveDate) -> bool {
    e.valid_from <= d && e.valid_to.is_none_or(|t| t > d)
}

/// What every round of the history reads: the methodologies (by key, with
/// their hashes) and the registry.
struct Sources<'a> {
    versions: HashMap<String, (i32, Methodology)>,
    version_hash: HashMap<i32, String>,
    all: &'a [entities::Model],
    by_id: HashMap<i32, &'a entities::Model>,
}

/// What one league carries from round to round.
#[derive(Default)]
struct Carried {
    /// Maturity in December 2020.
    level: HashMap<i32, f64>,
    /// Which seed of traits each entity's answers use (re-drawn in 2020
    /// when the first draw could not land in the intended band).
    trait_key: HashMap<i32, String>,
    /// Last round's methodology key, and its answers, index and rank.
    previous: Option<(String, HashMap<i32, Previous>)>,
}

/// One round of one league, its campaign created.
struct RoundAt<'a> {
    round: &'a Round,
    /// The first round (December 2020), whose levels were placed in bands.
    first: bool,
    kind: EntityKind,
    key: &'static str,
    version_id: i32,
    m: &'a Methodology,
    campaign: &'a campaigns::Model,
    submitted_at: chrono::DateTime<Utc>,
}

/// Generates the demo history if the database has no campaign yet.
pub async fn ensure_history(db: &DatabaseConnection) -> ServiceResult<HistoryReport> {
    if campaigns::Entity::find().one(db).await?.is_some() {
        return Ok(HistoryReport::default());
    }
    let mut versions: HashMap<String, (i32, Methodology)> = HashMap::new();
    let mut version_hash: HashMap<i32, String> = HashMap::new();
    for row in methodology_versions::Entity::find().all(db).await? {
        let m = crate::methodologies::parse(&row)?;
        versions.insert(m.key(), (row.id, m));
        version_hash.insert(row.id, row.sha256);
    }
    let all = entities::Entity::find().all(db).await?;
    let src = Sources {
        versions,
        version_hash,
        all: &all,
        by_id: all.iter().map(|e| (e.id, e)).collect(),
    };
    let tx = db.begin().await?;
    let mut report = HistoryReport::default();
    for league in &LEAGUES {
        league_history(&tx, &src, league, &mut report).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// The four rounds of one league, each created, answered and published.
async fn league_history(
    tx: &DatabaseTransaction,
    src: &Sources<'_>,
    league: &League,
    report: &mut HistoryReport,
) -> ServiceResult<()> {
    let kind = league.kind;
    let mut carried = Carried::default();
    for (ri, round) in ROUNDS.iter().enumerate() {
        let key = version_for(league.kind, round);
        let (version_id, m) = src
            .versions
            .get(key)
            .ok_or_else(|| ServiceError::missing("methodology for the demo history", key))?;
        let opens = date(round.opens_on);
        let mut members: Vec<&entities::Model> = src
            .all
            .iter()
            .filter(|e| e.kind == kind && valid_on(e, opens))
            .filter(|e| league.kind != EntityKind::District || e.rated)
            .collect();
        members.sort_by(|a, b| a.code.cmp(&b.code));
        if members.is_empty() {
            tracing::warn!(
                kind = kind.as_str(),
                round = round.code,
                "no entity of this kind to assess; round skipped"
            );
            continue;
        }
        if ri == 0 {
            place_in_bands(m, league, round, &members, &mut carried)?;
        }
        let campaign = insert_campaign(tx, kind, round, *version_id).await?;
        report.campaigns += 1;
        let at = RoundAt {
            round,
            first: ri == 0,
            kind,
            key,
            version_id: *version_id,
            m,
            campaign: &campaign,
            submitted_at: Utc.from_utc_datetime(
                &(date(round.deadline) - chrono::Days::new(3))
                    .and_hms_opt(15, 30, 0)
                    .expect("time"),
            ),
        };
        // Answers, stored as approved submissions.
        let mut inputs = Vec::with_capacity(members.len());
        let mut comments: HashMap<i32, Vec<SnapshotComment>> = HashMap::new();
        for e in &members {
            let s = maturity(&at, &mut carried.level, e);
            let t = Traits::new(m, carried.trait_key.get(&e.id).unwrap_or(&e.code), 0.15);
            let values = answers(m, s, &t);
            store_submission(tx, &at, e, &values, report, &mut comments).await?;
            inputs.push(scored_input(&at, src, &carried, e, &values));
        }
        carried.previous = Some((
            key.to_owned(),
            publish_round(tx, src, &at, &members, inputs, comments).await?,
        ));
    }
    Ok(())
}

/// December 2020: orders the league by a seeded latent maturity, award
/// winner first, hands out the published counts from the top, and finds
/// for each entity a maturity level that lands in its band.
fn place_in_bands(
    m: &Methodology,
    league: &League,
    round: &Round,
    members: &[&entities::Model],
    carried: &mut Carried,
) -> ServiceResult<()> {
    let kind = league.kind;
    let mut round_rng = Rng::new(hash(&format!("{kind}/{}", round.code)));
    let mut order: Vec<(f64, usize)> = members
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let winner = e.name_en.contains(league.winner);
            (
                if winner {
                    10.0
                } else {
                    Rng::new(hash(&e.code) ^ 0x5eed).normal()
                },
                i,
            )
        })
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    let counts = apportion(league.published_2020, members.len());
    if counts != league.published_2020 {
        tracing::warn!(
            kind = kind.as_str(),
            members = members.len(),
            "registry differs from December 2020: counts scaled"
        );
    }
    let band_of_position = |pos: usize| -> usize {
        if pos < counts[0] {
            0
        } else if pos < counts[0] + counts[1] {
            1
        } else {
            2
        }
    };
    for (pos, &(_, i)) in order.iter().enumerate() {
        let band = band_of_position(pos);
        let mut found = None;
        for attempt in 0..12 {
            let u = if pos == 0 {
                1.0
            } else {
                0.9 * round_rng.next_f64()
            };
            let seed = if attempt == 0 {
                members[i].code.clone()
            } else {
                format!("{}#{attempt}", members[i].code)
            };
            if let Some(s) = level_in_band(m, kind.as_str(), band, u, &Traits::new(m, &seed, 0.15))
            {
                found = Some((s, seed));
                break;
            }
        }
        let (s, seed) = found.ok_or_else(|| {
            ServiceError::missing(
                "demo answers",
                format!("putting {} in band {band}", members[i].code),
            )
        })?;
        carried.trait_key.insert(members[i].id, seed);
        carried.level.insert(members[i].id, s);
    }
    Ok(())
}

/// The round's campaign, created final.
async fn insert_campaign(
    tx: &DatabaseTransaction,
    kind: EntityKind,
    round: &Round,
    version_id: i32,
) -> ServiceResult<campaigns::Model> {
    let opens = date(round.opens_on);
    Ok(campaigns::ActiveModel {
        id: NotSet,
        code: Set(format!("{kind}-{}", round.code)),
        period: Set(round.period.into()),
        entity_kind: Set(kind),
        methodology_version_id: Set(version_id),
        status: Set(CampaignStatus::Final),
        opens_on: Set(opens),
        deadline: Set(date(round.deadline)),
        review_deadline: Set(date(round.deadline) + chrono::Days::new(30)),
        appeal_until: Set(date(round.deadline) + chrono::Days::new(45)),
        created_by: Set(None),
        created_at: Set(Utc.from_utc_datetime(&opens.and_hms_opt(9, 0, 0).expect("time"))),
        updated_at: Set(
            Utc.from_utc_datetime(&date(round.published).and_hms_opt(9, 0, 0).expect("time"))
        ),
        name_uz_latn: Set(round.names[0].into()),
        name_uz_cyrl: Set(round.names[1].into()),
        name_ru: Set(round.names[2].into()),
        name_en: Set(round.names[3].into()),
        region_review: Set(false),
    }
    .insert(tx)
    .await?)
}

/// An entity's maturity this round: its December 2020 level, or (later)
/// its base level lifted by the round, with noise.
fn maturity(at: &RoundAt<'_>, level: &mut HashMap<i32, f64>, e: &entities::Model) -> f64 {
    if at.first {
        level[&e.id]
    } else {
        let base = *level
            .entry(e.id)
            .or_insert_with(|| 0.25 + 0.3 * Rng::new(hash(&e.code)).next_f64());
        base + at.round.lift
            + 0.04 * Rng::new(hash(&format!("{}{}", e.code, at.round.code))).normal()
    }
}

/// Stores one entity's answers as an approved submission, with now and
/// then a public reviewer's comment (kept for the snapshot too).
async fn store_submission(
    tx: &DatabaseTransaction,
    at: &RoundAt<'_>,
    e: &entities::Model,
    values: &[(usize, Value)],
    report: &mut HistoryReport,
    comments: &mut HashMap<i32, Vec<SnapshotComment>>,
) -> ServiceResult<()> {
    let (m, submitted_at) = (at.m, at.submitted_at);
    let participant = participants::ActiveModel {
        id: NotSet,
        campaign_id: Set(at.campaign.id),
        entity_id: Set(e.id),
        status: Set(SubmissionStatus::Approved),
        deadline_override: Set(None),
        submitted_at: Set(Some(submitted_at)),
        approved_at: Set(Some(submitted_at + chrono::Days::new(10))),
        version: Set(1),
        updated_at: Set(submitted_at + chrono::Days::new(10)),
    }
    .insert(tx)
    .await?;
    report.submissions += 1;
    let rows: Vec<submission_values::ActiveModel> = values
        .iter()
        .map(|(i, v)| submission_values::ActiveModel {
            id: NotSet,
            participant_id: Set(participant.id),
            indicator_code: Set(m.nodes[*i].code.clone()),
            value: Set(serde_json::to_string(v).unwrap_or_default()),
            reviewed_value: Set(None),
            review_status: Set(ReviewStatus::Accepted),
            comment: Set(None),
            source: Set("person".into()),
            prefilled: Set(!at.first),
            locked: Set(false),
            version: Set(1),
            updated_by: Set(None),
            updated_at: Set(submitted_at),
        })
        .collect();
    report.values += rows.len();
    for chunk in rows.chunks(400) {
        submission_values::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    if hash(&format!("{}{}", e.code, at.round.code)).is_multiple_of(9) {
        let c = review_comments::ActiveModel {
            id: NotSet,
            participant_id: Set(participant.id),
            indicator_code: values
                .first()
                .map(|(i, _)| m.nodes[*i].code.clone())
                .map_or(NotSet, |c| Set(Some(c))),
            parent_id: Set(None),
            author_id: Set(None),
            action: Set(CommentAction::Comment),
            body: Set("Evidence checked against the register; accepted.".into()),
            public: Set(true),
            created_at: Set(submitted_at + chrono::Days::new(5)),
        }
        .insert(tx)
        .await?;
        comments.entry(e.id).or_default().push(SnapshotComment {
            date: c.created_at.format("%Y-%m-%d").to_string(),
            indicator: c.indicator_code,
            text: c.body,
        });
    }
    Ok(())
}

/// The scoring input of one entity, with last round's answers, index and
/// rank (back-cast through the declared crosswalk when the methodology
/// changed, so the change compares like with like).
fn scored_input(
    at: &RoundAt<'_>,
    src: &Sources<'_>,
    carried: &Carried,
    e: &entities::Model,
    values: &[(usize, Value)],
) -> EntityInput {
    let m = at.m;
    let mut input = input(m, &e.code, at.kind.as_str(), values);
    if let Some((prev_key, prev)) = &carried.previous
        && let Some((raw, index, rank)) = prev.get(&e.id)
    {
        if prev_key == at.key {
            input.previous_raw = Some(raw.clone());
            input.previous_index = *index;
        } else if let Some((_, old)) = src.versions.get(prev_key)
            && let Ok(b) = methodology::diff::backcast(old, m, raw)
        {
            let mut back = EntityInput::new(m, &e.code, at.kind.as_str());
            back.raw = b.raw;
            input.previous_index =
                score(m, &[back.clone()], &ScoreOptions { explain: false }).entities[0].index;
            input.previous_raw = Some(back.raw);
        }
        input.previous_rank = (*rank > 0).then_some(*rank);
    }
    input
}

/// Scores the round, publishes its league, and returns what the next
/// round compares with: each entity's answers, index and rank.
async fn publish_round(
    tx: &DatabaseTransaction,
    src: &Sources<'_>,
    at: &RoundAt<'_>,
    members: &[&entities::Model],
    inputs: Vec<EntityInput>,
    mut comments: HashMap<i32, Vec<SnapshotComment>>,
) -> ServiceResult<HashMap<i32, Previous>> {
    let (m, campaign) = (at.m, at.campaign);
    let results = score(m, &inputs, &ScoreOptions { explain: true });
    let draws = Draws::seeded(
        hash(&campaign.code),
        scoring::DRAWS,
        m.domains().len(),
        scoring::WEIGHT_SPREAD,
    );
    let intervals = rank_uncertainty(m, &results, &draws);
    let rows = scoring::league_rows(m, &results, &intervals, members, &src.by_id);
    let nominations =
        scoring::nominations_of(m, &results, members, campaign.entity_kind, &HashMap::new());
    let scored: HashMap<i32, (&EntityInput, &methodology::EntityResult)> = members
        .iter()
        .zip(&inputs)
        .zip(&results.entities)
        .map(|((e, i), r)| (e.id, (i, r)))
        .collect();
    let matrix = scoring::matrix_of(m, &rows, &scored, &mut comments);
    let payload = scoring::payload(
        campaign,
        m,
        &src.version_hash[&at.version_id],
        rows,
        nominations,
        matrix,
    )?;
    let published_at = Utc.from_utc_datetime(
        &date(at.round.published)
            .and_hms_opt(10, 0, 0)
            .expect("time"),
    );
    ratings::publish(
        tx,
        &Actor::System("demo"),
        &Publication {
            campaign: CampaignId(campaign.id),
            methodology_version_id: at.version_id,
            embargo_until: None,
            changelog: "First publication",
            published_at,
            retracted: false,
        },
        &payload,
    )
    .await?;
    Ok(members
        .iter()
        .zip(inputs)
        .zip(&results.entities)
        .map(|((e, i), r)| (e.id, (i.raw, r.index, r.rank_in_kind)))
        .collect())
}
