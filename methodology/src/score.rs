//! Scoring a cohort of entities against one methodology version: raw values
//! → indicator scores → node scores → index, band, ranks, change and the
//! "what to improve first" list. Incomplete data give results plus
//! findings, never a panic.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::numeric::{competition_ranks, median, pairwise_sum, weighted_mean};
use crate::value::Value;

/// One entity to score: its raw values by node position (see
/// [`EntityInput::from_values`]), and optionally the previous period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityInput {
    /// Entity code (SOATO, TIN, ISO3).
    pub id: String,
    /// Entity kind; selects kind-specific weights.
    pub kind: String,
    /// Peer group for ranks and peer medians (defaults to the kind).
    pub peer_group: Option<String>,
    /// Raw value per node position (`None` where missing; groups unused).
    pub raw: Vec<Option<f64>>,
    /// The previous period's raw values, same layout, for carry-forward.
    pub previous_raw: Option<Vec<Option<f64>>>,
    /// The previous period's index, for the change.
    pub previous_index: Option<f64>,
    /// The previous period's rank, for the rank change.
    pub previous_rank: Option<u32>,
}

impl EntityInput {
    /// An entity with no values yet.
    pub fn new(m: &Methodology, id: impl Into<String>, kind: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: kind.into(),
            raw: vec![None; m.nodes.len()],
            ..Self::default()
        }
    }

    /// An entity whose answers are given by indicator code; answers to
    /// unknown codes are returned as the second element.
    pub fn from_values<'v>(
        m: &Methodology,
        id: impl Into<String>,
        kind: impl Into<String>,
        values: impl IntoIterator<Item = (&'v str, &'v Value)>,
    ) -> (Self, Vec<&'v str>) {
        let mut e = Self::new(m, id, kind);
        let mut unknown = Vec::new();
        for (code, v) in values {
            match m
                .find(code)
                .and_then(|i| m.nodes[i].indicator().map(|ind| (i, ind)))
            {
                Some((i, ind)) => e.raw[i] = v.raw(ind),
                None => unknown.push(code),
            }
        }
        (e, unknown)
    }

    fn peer_key(&self) -> &str {
        self.peer_group.as_deref().unwrap_or(&self.kind)
    }
}

/// Gives each entity its previous period. `before` lists the same entities
/// in the same order with last period's answers; they are scored with `m`,
/// and each entity receives those answers (for carry-forward), that index
/// (for the change) and that rank within its kind (for the rank change).
pub fn attach_previous(m: &Methodology, entities: &mut [EntityInput], before: Vec<EntityInput>) {
    let earlier = score(m, &before, &ScoreOptions { explain: false });
    for (e, (b, r)) in entities
        .iter_mut()
        .zip(before.into_iter().zip(earlier.entities))
    {
        e.previous_raw = Some(b.raw);
        e.previous_index = r.index;
        e.previous_rank = (r.rank_in_kind > 0).then_some(r.rank_in_kind);
    }
}

/// Options of a scoring run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreOptions {
    /// Compute the per-indicator gap list.
    pub explain: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        Self { explain: true }
    }
}

/// What the scorer noticed about the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Position of the entity in the inputs.
    pub entity: usize,
    /// The indicator's node, when about one.
    pub indicator: Option<NodeIdx>,
    /// What happened.
    pub kind: FindingKind,
}

/// Kinds of findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Missing and left out (siblings re-weighted).
    Excluded,
    /// Missing and scored 0.
    Zeroed,
    /// Missing; the previous period's value was used.
    CarriedForward,
    /// Missing; the peers' median was used.
    PeerMedian,
    /// A formula could not be computed (missing input, division by zero).
    FormulaUndefined,
    /// Nothing could be scored: no index, no rank.
    NoIndex,
}

/// One place where points were lost, and what winning them back is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// The indicator.
    pub node: NodeIdx,
    /// Its domain (child of the index).
    pub domain: NodeIdx,
    /// Its score now (`None` when missing).
    pub score: Option<f64>,
    /// The most it can score.
    pub max: f64,
    /// How much the index would rise if it scored its maximum.
    pub gain: f64,
}

/// The result for one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityResult {
    /// Entity code.
    pub entity: String,
    /// Entity kind.
    pub kind: String,
    /// Peer group, if any.
    pub peer_group: Option<String>,
    /// The index, absent when nothing could be scored.
    pub index: Option<f64>,
    /// The band code.
    pub band: Option<String>,
    /// Rank among all entities scored ("1224"); 0 without an index.
    pub rank: u32,
    /// Rank among entities of the same kind.
    pub rank_in_kind: u32,
    /// Rank among entities of the same peer group (or kind).
    pub rank_in_peer: u32,
    /// Score of every node by position (index, domains, …, indicators).
    pub nodes: Vec<Option<f64>>,
    /// Index minus the previous period's.
    pub change: Option<f64>,
    /// Previous rank minus this rank (positive = moved up).
    pub rank_change: Option<i64>,
    /// Lost points, largest gain first: what to improve first.
    pub gaps: Vec<Gap>,
}

/// Results of a run: one per entity in input order, plus findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Per entity, in input order.
    pub entities: Vec<EntityResult>,
    /// What was imputed, excluded or could not be computed.
    pub findings: Vec<Finding>,
}

/// Scores `inputs` against `m`.
pub fn score(m: &Methodology, inputs: &[EntityInput], opts: &ScoreOptions) -> Results {
    let n_nodes = m.nodes.len();
    let mut findings = Vec::new();

    // 1. Raw values, with formulas computed in dependency order.
    let mut raw = raw_values(m, inputs, &mut findings);

    // 2. Missing values, by policy.
    let scored: Vec<(NodeIdx, &Indicator)> = m
        .indicators()
        .filter(|(_, _, ind)| ind.is_scored() || matches!(ind.kind, IndicatorKind::Penalty { .. }))
        .map(|(i, _, ind)| (i, ind))
        .collect();
    let policies: Vec<(NodeIdx, MissingPolicy)> = scored
        .iter()
        .map(|&(i, ind)| (i, ind.missing.unwrap_or(m.missing)))
        .collect();
    let any_zero = policies.iter().any(|(_, p)| *p == MissingPolicy::Zero);
    let zeroed = impute(
        inputs,
        &mut raw,
        &policies,
        any_zero,
        n_nodes,
        &mut findings,
    );

    // 3. Cohort statistics for the relative normalisations.
    let cohort = cohorts(&scored, &raw);

    // 4–5. Indicator scores, then groups bottom-up, with each kind's
    // weights looked up once. Entities are independent: in parallel.
    let kinds = kind_weights(m, inputs, opts);
    let one = |(ei, e): (usize, &EntityInput)| -> EntityResult {
        let mut s = vec![None; n_nodes];
        for &(i, ind) in &scored {
            s[i] = if any_zero && zeroed[ei][i] {
                Some(0.0)
            } else {
                raw[ei][i].map(|x| indicator_score(m, ind, x, cohort.get(&i)))
            };
        }
        let (weights, max) = &kinds[e.kind.as_str()];
        aggregate_with(m, weights, &mut s);
        let index = s[0];
        let gaps = if opts.explain {
            gaps(m, &e.kind, &s, max)
        } else {
            Vec::new()
        };
        EntityResult {
            entity: e.id.clone(),
            kind: e.kind.clone(),
            peer_group: e.peer_group.clone(),
            band: index.and_then(|x| m.band_of(x)).map(|b| b.code.clone()),
            index,
            rank: 0,
            rank_in_kind: 0,
            rank_in_peer: 0,
            change: index.zip(e.previous_index).map(|(a, b)| a - b),
            rank_change: None,
            nodes: s,
            gaps,
        }
    };
    #[cfg(feature = "parallel")]
    let mut entities: Vec<EntityResult> = {
        use rayon::prelude::*;
        inputs.par_iter().enumerate().map(one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let mut entities: Vec<EntityResult> = inputs.iter().enumerate().map(one).collect();
    for (ei, r) in entities.iter().enumerate() {
        if r.index.is_none() {
            findings.push(Finding {
                entity: ei,
                indicator: None,
                kind: FindingKind::NoIndex,
            });
        }
    }

    // 6. Ranks overall, by kind and by peer group.
    rank(inputs, &mut entities);
    Results { entities, findings }
}

/// Step 1: each entity's raw values by node position, with its formulas
/// computed in dependency order (a finding for each that is undefined).
fn raw_values<'a>(
    m: &Methodology,
    inputs: &'a [EntityInput],
    findings: &mut Vec<Finding>,
) -> Vec<Cow<'a, [Option<f64>]>> {
    let n_nodes = m.nodes.len();
    let code_pos: HashMap<&str, usize> = m
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.code.as_str(), i))
        .collect();
    // Answers are copied only for entities whose row is changed (a formula,
    // an imputation) or short: scoring a large cohort copies nothing.
    let mut raw: Vec<Cow<'_, [Option<f64>]>> = inputs
        .iter()
        .map(|e| {
            if e.raw.len() == n_nodes {
                Cow::Borrowed(e.raw.as_slice())
            } else {
                let mut r = e.raw.clone();
                r.resize(n_nodes, None);
                Cow::Owned(r)
            }
        })
        .collect();
    for (e, r) in raw.iter_mut().enumerate() {
        for &f in &m.formula_order {
            if let Some(Indicator {
                kind: IndicatorKind::Formula { parsed, .. },
                ..
            }) = m.nodes[f].indicator()
            {
                let v = parsed.eval(&|code| code_pos.get(code).and_then(|&i| r[i]));
                let v = v.filter(|x| x.is_finite());
                if r[f] != v {
                    r.to_mut()[f] = v;
                }
                if r[f].is_none() {
                    findings.push(finding(e, f, FindingKind::FormulaUndefined));
                }
            }
        }
    }
    raw
}

/// Step 2: missing values filled in `raw` by each indicator's policy, with
/// a finding for each; returns which were zeroed, by entity and node
/// (rows empty unless `any_zero`).
fn impute<'a>(
    inputs: &'a [EntityInput],
    raw: &mut [Cow<'a, [Option<f64>]>],
    policies: &[(NodeIdx, MissingPolicy)],
    any_zero: bool,
    n_nodes: usize,
    findings: &mut Vec<Finding>,
) -> Vec<Vec<bool>> {
    let peer_medians = peer_medians(inputs, raw, policies);
    let mut zeroed = vec![vec![false; if any_zero { n_nodes } else { 0 }]; inputs.len()];
    for (ei, e) in inputs.iter().enumerate() {
        for &(i, policy) in policies {
            if raw[ei][i].is_some() {
                continue;
            }
            let (value, kind) = match policy {
                MissingPolicy::Exclude => (None, FindingKind::Excluded),
                MissingPolicy::Zero => {
                    zeroed[ei][i] = true;
                    (None, FindingKind::Zeroed)
                }
                MissingPolicy::CarryForward => {
                    let prev = e
                        .previous_raw
                        .as_ref()
                        .and_then(|p| p.get(i).copied().flatten());
                    let kind = if prev.is_some() {
                        FindingKind::CarriedForward
                    } else {
                        FindingKind::Excluded
                    };
                    (prev, kind)
                }
                MissingPolicy::PeerMedian => {
                    let med = peer_medians.get(&(i, e.peer_key())).copied().flatten();
                    let kind = if med.is_some() {
                        FindingKind::PeerMedian
                    } else {
                        FindingKind::Excluded
                    };
                    (med, kind)
                }
            };
            if value.is_some() {
                raw[ei].to_mut()[i] = value;
            }
            findings.push(finding(ei, i, kind));
        }
    }
    zeroed
}

/// Peer medians from the answers as given, before anything is imputed:
/// for each indicator whose policy asks for one, by peer group.
fn peer_medians<'a>(
    inputs: &'a [EntityInput],
    raw: &[Cow<'_, [Option<f64>]>],
    policies: &[(NodeIdx, MissingPolicy)],
) -> HashMap<(NodeIdx, &'a str), Option<f64>> {
    let mut peer_medians: HashMap<(NodeIdx, &str), Option<f64>> = HashMap::new();
    for &(i, policy) in policies {
        if policy != MissingPolicy::PeerMedian {
            continue;
        }
        let mut by_peer: HashMap<&str, Vec<f64>> = HashMap::new();
        for (e, r) in inputs.iter().zip(raw) {
            let v = by_peer.entry(e.peer_key()).or_default();
            v.extend(r[i]);
        }
        for (key, mut vals) in by_peer {
            peer_medians.insert((i, key), median(&mut vals));
        }
    }
    peer_medians
}

/// Step 3: the cohort's sorted values of each indicator normalised
/// relative to it (z-score, percentile rank).
fn cohorts(
    scored: &[(NodeIdx, &Indicator)],
    raw: &[Cow<'_, [Option<f64>]>],
) -> HashMap<NodeIdx, Vec<f64>> {
    let mut cohort: HashMap<NodeIdx, Vec<f64>> = HashMap::new();
    for &(i, ind) in scored {
        if let Some(Normalisation {
            method: NormMethod::ZScore | NormMethod::PercentileRank,
            log,
        }) = &ind.normalisation
        {
            let mut v: Vec<f64> = raw
                .iter()
                .filter_map(|r| r[i])
                .map(|x| if *log { x.ln_1p() } else { x })
                .collect();
            v.sort_unstable_by(f64::total_cmp);
            cohort.insert(i, v);
        }
    }
    cohort
}

/// Each entity kind's node weights, and its nodes' maxima when explaining.
fn kind_weights<'a>(
    m: &Methodology,
    inputs: &'a [EntityInput],
    opts: &ScoreOptions,
) -> HashMap<&'a str, (Vec<f64>, Vec<f64>)> {
    let mut kinds: HashMap<&str, (Vec<f64>, Vec<f64>)> = HashMap::new();
    for e in inputs {
        kinds.entry(e.kind.as_str()).or_insert_with(|| {
            let w = m.nodes.iter().map(|n| n.weight_for(&e.kind)).collect();
            let max = if opts.explain {
                node_max(m, &e.kind)
            } else {
                Vec::new()
            };
            (w, max)
        });
    }
    kinds
}

/// Step 6: ranks overall, by kind and by peer group, and the change of
/// rank within the kind.
fn rank(inputs: &[EntityInput], entities: &mut [EntityResult]) {
    let all: Vec<Option<f64>> = entities.iter().map(|r| r.index).collect();
    for (r, rank) in entities.iter_mut().zip(competition_ranks(&all)) {
        r.rank = rank;
    }
    let kind_ranks = ranks_within(entities, |i| inputs[i].kind.as_str());
    let peer_ranks = ranks_within(entities, |i| inputs[i].peer_key());
    for ((r, k), p) in entities.iter_mut().zip(kind_ranks).zip(peer_ranks) {
        r.rank_in_kind = k;
        r.rank_in_peer = p;
    }
    for (r, e) in entities.iter_mut().zip(inputs) {
        if r.rank_in_kind > 0 {
            r.rank_change = e
                .previous_rank
                .map(|p| i64::from(p) - i64::from(r.rank_in_kind));
        }
    }
}

/// Competition ranks computed separately within each group `key` names.
fn ranks_within<'k>(entities: &[EntityResult], key: impl Fn(usize) -> &'k str) -> Vec<u32> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..entities.len() {
        groups.entry(key(i)).or_default().push(i);
    }
    let mut out = vec![0; entities.len()];
    for members in groups.values() {
        let idx: Vec<Option<f64>> = members.iter().map(|&i| entities[i].index).collect();
        for (&i, rank) in members.iter().zip(competition_ranks(&idx)) {
            out[i] = rank;
        }
    }
    out
}

fn finding(e: usize, i: NodeIdx, kind: FindingKind) -> Finding {
    Finding {
        entity: e,
        indicator: Some(i),
        kind,
    }
}

/// The score of one indicator for raw value `x`. `cohort` holds the sorted
/// (log-transformed where asked) values of everyone scored, for z-scores and
/// percentile ranks.
pub fn indicator_score(m: &Methodology, ind: &Indicator, x: f64, cohort: Option<&Vec<f64>>) -> f64 {
    if let IndicatorKind::Penalty {
        points_per_unit,
        cap,
    } = ind.kind
    {
        let p = (x.max(0.0) * points_per_unit).min(cap.unwrap_or(f64::INFINITY));
        return -p;
    }
    let Some(norm) = &ind.normalisation else {
        return 0.0;
    };
    let scale = m.scale_max;
    let t = |v: f64| if norm.log { v.ln_1p() } else { v };
    let x = t(x);
    let higher = ind.polarity == Polarity::Higher;
    match &norm.method {
        NormMethod::Goalposts { min, max } => {
            let (lo, hi) = (t(*min), t(*max));
            let s = if higher {
                (x - lo) / (hi - lo)
            } else {
                (hi - x) / (hi - lo)
            };
            s.clamp(0.0, 1.0) * scale
        }
        NormMethod::DistanceToTarget { target } => {
            let target = t(*target);
            let s = if higher {
                x / target
            } else if x <= 0.0 {
                1.0
            } else {
                target / x
            };
            s.clamp(0.0, 1.0) * scale
        }
        NormMethod::ZScore => {
            let v = cohort.map_or(&[][..], Vec::as_slice);
            let n = v.len() as f64;
            if v.len() < 2 {
                return 0.0;
            }
            let mean = pairwise_sum(v) / n;
            let var = v.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (n - 1.0);
            let z = if var > 0.0 {
                (x - mean) / var.sqrt()
            } else {
                0.0
            };
            if higher { z } else { -z }
        }
        NormMethod::PercentileRank => {
            let v = cohort.map_or(&[][..], Vec::as_slice);
            if v.len() < 2 {
                return scale;
            }
            let below = v.partition_point(|y| *y < x) as f64;
            let equal = v.partition_point(|y| *y <= x) as f64 - below;
            let p = (below + (equal - 1.0).max(0.0) / 2.0) / (v.len() as f64 - 1.0);
            let p = if higher { p } else { 1.0 - p };
            p.clamp(0.0, 1.0) * scale
        }
        NormMethod::Lookup { thresholds } => thresholds
            .iter()
            .rev()
            .find(|(at, _)| x >= *at)
            .map_or(0.0, |(_, s)| *s),
        NormMethod::Points { factor } => x * factor,
    }
}

/// Fills the score of every group from its children, bottom-up, with the
/// weights of entity kind `kind`.
pub fn aggregate_all(m: &Methodology, kind: &str, s: &mut [Option<f64>]) {
    let weights: Vec<f64> = m.nodes.iter().map(|n| n.weight_for(kind)).collect();
    aggregate_with(m, &weights, s);
}

/// Fills the score of every group from its children, bottom-up, with one
/// weight per node.
fn aggregate_with(m: &Methodology, node_weights: &[f64], s: &mut [Option<f64>]) {
    let mut scratch = (Vec::new(), Vec::new());
    let mut child_scores = Vec::new();
    let mut weights = Vec::new();
    for i in (0..m.nodes.len()).rev() {
        let node = &m.nodes[i];
        if let NodeBody::Group { aggregation, cap } = node.body {
            child_scores.clear();
            weights.clear();
            for &c in &node.children {
                child_scores.push(s[c]);
                weights.push(node_weights[c]);
            }
            s[i] = aggregate(aggregation, cap, &child_scores, &weights, &mut scratch);
        }
    }
}

/// Combines present child scores; `None` when no child is present.
pub fn aggregate(
    aggregation: Aggregation,
    cap: Option<f64>,
    scores: &[Option<f64>],
    weights: &[f64],
    scratch: &mut (Vec<f64>, Vec<f64>),
) -> Option<f64> {
    let present = || {
        scores
            .iter()
            .zip(weights)
            .filter_map(|(s, w)| s.map(|s| (s, *w)))
    };
    let v = match aggregation {
        Aggregation::WeightedMean => weighted_mean(scores, weights, scratch)?,
        Aggregation::Sum => {
            let terms: Vec<f64> = present().map(|(s, w)| s * w).collect();
            if terms.is_empty() {
                return None;
            }
            pairwise_sum(&terms).max(0.0)
        }
        Aggregation::GeometricMean => {
            let items: Vec<(f64, f64)> = present().collect();
            if items.is_empty() {
                return None;
            }
            if items.iter().any(|(s, _)| *s <= 0.0) {
                0.0
            } else {
                let wsum: f64 = items.iter().map(|(_, w)| w).sum();
                (items.iter().map(|(s, w)| w * s.ln()).sum::<f64>() / wsum).exp()
            }
        }
        Aggregation::Minimum => present().map(|(s, _)| s).reduce(f64::min)?,
    };
    Some(cap.map_or(v, |c| v.min(c)))
}

/// The most each node can score for an entity of `kind`.
pub fn node_max(m: &Methodology, kind: &str) -> Vec<f64> {
    let mut max = vec![0.0; m.nodes.len()];
    for i in (0..m.nodes.len()).rev() {
        let node = &m.nodes[i];
        max[i] = match &node.body {
            NodeBody::Indicator(ind) => indicator_max(m, ind),
            NodeBody::Group { aggregation, cap } => {
                let kids = node
                    .children
                    .iter()
                    .map(|&c| (max[c], m.nodes[c].weight_for(kind)));
                let v = match aggregation {
                    Aggregation::Sum => kids.map(|(x, w)| x * w).sum(),
                    Aggregation::Minimum => kids.map(|(x, _)| x).fold(f64::INFINITY, f64::min),
                    Aggregation::WeightedMean | Aggregation::GeometricMean => {
                        let (num, den) = kids.fold((0.0, 0.0), |(n, d), (x, w)| (n + x * w, d + w));
                        if den > 0.0 { num / den } else { 0.0 }
                    }
                };
                cap.map_or(v, |c| v.min(c))
            }
        };
    }
    max
}

fn indicator_max(m: &Methodology, ind: &Indicator) -> f64 {
    let Some(norm) = &ind.normalisation else {
        return 0.0;
    };
    match &norm.method {
        NormMethod::Goalposts { .. }
        | NormMethod::DistanceToTarget { .. }
        | NormMethod::PercentileRank => m.scale_max,
        NormMethod::ZScore => 0.0,
        NormMethod::Lookup { thresholds } => thresholds.iter().map(|t| t.1).fold(0.0, f64::max),
        NormMethod::Points { factor } => {
            let best = match &ind.kind {
                IndicatorKind::Choice { options } => {
                    options.iter().map(|o| o.points).fold(0.0, f64::max)
                }
                IndicatorKind::Checklist {
                    items,
                    mode: ChecklistMode::Points,
                } => items.iter().map(|o| o.points.max(0.0)).sum(),
                IndicatorKind::Checklist { .. } | IndicatorKind::Percent => 100.0,
                _ => ind.range.map_or(1.0, |r| r.1),
            };
            best * factor
        }
    }
}

/// Indicators where points were lost, with what scoring the maximum would
/// add to the index, largest first. The gain follows each node's share of
/// its parent (weight over the weights present, with the node counted as
/// present), and is limited by caps on the way up.
fn gaps(m: &Methodology, kind: &str, s: &[Option<f64>], max: &[f64]) -> Vec<Gap> {
    let mut out = Vec::new();
    for (i, _, ind) in m.indicators() {
        if !ind.is_scored() && !matches!(ind.kind, IndicatorKind::Penalty { .. }) {
            continue;
        }
        let score = s[i];
        let mut gain = max[i] - score.unwrap_or(0.0);
        if gain <= 1e-12 {
            continue;
        }
        let mut cur = i;
        let mut domain = i;
        while let Some(p) = m.nodes[cur].parent {
            let parent = &m.nodes[p];
            let NodeBody::Group { aggregation, cap } = parent.body else {
                break;
            };
            gain = match aggregation {
                Aggregation::Sum => gain * m.nodes[cur].weight_for(kind),
                _ => {
                    let w = m.nodes[cur].weight_for(kind);
                    let present: f64 = parent
                        .children
                        .iter()
                        .filter(|&&c| c == cur || s[c].is_some())
                        .map(|&c| m.nodes[c].weight_for(kind))
                        .sum();
                    gain * w / present
                }
            };
            if let Some(c) = cap {
                gain = gain.min((c - s[p].unwrap_or(0.0)).max(0.0));
            }
            if p == 0 {
                domain = cur;
            }
            cur = p;
        }
        if gain > 1e-12 {
            out.push(Gap {
                node: i,
                domain,
                score,
                max: max[i],
                gain,
            });
        }
    }
    out.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.node.cmp(&b.node)));
    out
}
