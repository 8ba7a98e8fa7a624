//! Rank uncertainty: how far an entity's rank moves when the domain weights
//! are perturbed. Each Monte Carlo draw multiplies every weight of the
//! index's children by a factor, re-aggregates the index from the (fixed)
//! domain scores and re-ranks; an entity's interval is the 5th–95th
//! nearest-rank percentile of its ranks over the draws.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::{Aggregation, Methodology, NodeBody, NormMethod};
use crate::numeric::{nearest_rank_position, radix_sort, round_half_even};
use crate::score::{EntityInput, Results, ScoreOptions, aggregate, score};

/// Weight multipliers: one row per draw, one column per domain (child of
/// the index, in methodology order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draws {
    /// The multipliers.
    pub rows: Vec<Vec<f64>>,
}

impl Draws {
    /// `count` draws of `domains` multipliers, uniform in
    /// [1 − spread, 1 + spread), reproducible from `seed`.
    pub fn seeded(seed: u64, count: usize, domains: usize, spread: f64) -> Self {
        let mut rng = Rng::new(seed);
        let rows = (0..count)
            .map(|_| {
                (0..domains)
                    .map(|_| 1.0 - spread + 2.0 * spread * rng.next_f64())
                    .collect()
            })
            .collect();
        Self { rows }
    }
}

/// An entity's rank over the draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankInterval {
    /// Median rank (nearest rank).
    pub median: u32,
    /// 5th percentile: the best rank it plausibly has.
    pub p05: u32,
    /// 95th percentile: the worst.
    pub p95: u32,
}

/// Rank intervals for every entity of `results`, in order. Entities
/// without an index get 0s. Draws run in parallel where the `parallel`
/// feature is on; the result does not depend on it.
pub fn rank_uncertainty(m: &Methodology, results: &Results, draws: &Draws) -> Vec<RankInterval> {
    let n = results.entities.len();
    let k = draws.rows.len();
    if k == 0 {
        return results
            .entities
            .iter()
            .map(|r| RankInterval {
                median: r.rank,
                p05: r.rank,
                p95: r.rank,
            })
            .collect();
    }
    let domains = m.domains();
    let (aggregation, cap) = m.index_rule().expect("node 0 is the index group");
    // Domain scores per entity, and base weights per kind.
    let scores: Vec<Vec<Option<f64>>> = results
        .entities
        .iter()
        .map(|r| domains.iter().map(|&d| r.nodes[d]).collect())
        .collect();
    let (kind_of, base) = kinds(m, results, domains);
    let nd = domains.len();
    // The common case — a weighted mean of fewer than eight domains, no cap
    // — runs on flat arrays: a missing domain is a score of 0 with a
    // presence of 0, which adds exactly the +0.0 terms numpy's loop adds.
    let flat = aggregation == Aggregation::WeightedMean && cap.is_none() && nd < 8;
    let groups: Vec<Group> = if flat {
        domain_major(&kind_of, base.len(), &scores, nd)
    } else {
        Vec::new()
    };

    // One draw's ranks into `out`, reusing the thread's scratch buffers.
    let one_draw = |scratch: &mut Scratch, out: &mut [u32], row: &[f64]| {
        // The reference multiplies weights by the draw first, then weighs.
        scratch.weights.clear();
        scratch.weights.extend(
            base.iter()
                .flat_map(|b| b.iter().zip(row).map(|(w, f)| w * f)),
        );
        // Rank keys: the index at six decimals as an integer, which orders
        // and ties exactly as the rounded index does.
        scratch.keyed.clear();
        if flat {
            flat_keys(&groups, nd, scratch);
        } else {
            for e in 0..n {
                let w = &scratch.weights[kind_of[e] * nd..(kind_of[e] + 1) * nd];
                if let Some(x) = aggregate(aggregation, cap, &scores[e], w, &mut scratch.aggregate)
                {
                    scratch
                        .keyed
                        .push((round_half_even(x * 1e6) as i64, e as u32));
                }
            }
        }
        rank_keyed(&scratch.keyed, out, &mut scratch.rank);
    };
    let ranks = ranks_per_draw(n, draws, |s, _, row, out| one_draw(s, out, row));
    intervals(&ranks, n, k)
}

/// Each entity's kind as a small number, and each kind's base weights of
/// the `domains`.
fn kinds(m: &Methodology, results: &Results, domains: &[usize]) -> (Vec<usize>, Vec<Vec<f64>>) {
    let mut kind_ids: HashMap<&str, usize> = HashMap::new();
    let mut base: Vec<Vec<f64>> = Vec::new();
    let kind_of: Vec<usize> = results
        .entities
        .iter()
        .map(|r| {
            *kind_ids.entry(r.kind.as_str()).or_insert_with(|| {
                base.push(
                    domains
                        .iter()
                        .map(|&d| m.nodes[d].weight_for(&r.kind))
                        .collect(),
                );
                base.len() - 1
            })
        })
        .collect();
    (kind_of, base)
}

/// Each kind's entities laid out domain-major (`scores[d * m + j]` for
/// its j-th of m entities), so a draw's sums run down columns with one
/// weight each and vectorise; each entity's sum still adds its domains in
/// order, as numpy does.
fn domain_major(
    kind_of: &[usize],
    n_kinds: usize,
    scores: &[Vec<Option<f64>>],
    nd: usize,
) -> Vec<Group> {
    let n = kind_of.len();
    (0..n_kinds)
        .map(|g| {
            let members: Vec<u32> = (0..n as u32)
                .filter(|&e| kind_of[e as usize] == g)
                .collect();
            let column = |d: usize, f: &dyn Fn(Option<f64>) -> f64| -> Vec<f64> {
                members.iter().map(|&e| f(scores[e as usize][d])).collect()
            };
            let (mut s, mut p) = (Vec::new(), Vec::new());
            for d in 0..nd {
                s.extend(column(d, &|x| x.unwrap_or(0.0)));
                p.extend(column(d, &|x| if x.is_some() { 1.0 } else { 0.0 }));
            }
            Group {
                members,
                scores: s,
                present: p,
            }
        })
        .collect()
}

/// One draw's rank keys on the flat arrays, from the draw's weights in
/// `scratch.weights` (`nd` per kind) into `scratch.keyed`.
fn flat_keys(groups: &[Group], nd: usize, scratch: &mut Scratch) {
    for (g, group) in groups.iter().enumerate() {
        let w = &scratch.weights[g * nd..(g + 1) * nd];
        let m = group.members.len();
        let (num, den) = (&mut scratch.num, &mut scratch.den);
        num.clear();
        num.resize(m, -0.0);
        den.clear();
        den.resize(m, -0.0);
        for (d, &wd) in w.iter().enumerate() {
            let s = &group.scores[d * m..(d + 1) * m];
            let p = &group.present[d * m..(d + 1) * m];
            for (a, &x) in num.iter_mut().zip(s) {
                *a += x * wd;
            }
            for (a, &x) in den.iter_mut().zip(p) {
                *a += wd * x;
            }
        }
        for ((&num, &den), &e) in num.iter().zip(den.iter()).zip(&group.members) {
            let den = 0.0 + den;
            if den > 0.0 {
                let x = (0.0 + num) / den;
                scratch.keyed.push((round_half_even(x * 1e6) as i64, e));
            }
        }
    }
}

/// Runs `draw` (scratch, draw number, multipliers, that draw's ranks) for
/// every draw into one draw-major block, `ranks[d * n + e]`: in parallel
/// where the `parallel` feature is on, each thread with buffers of its own.
fn ranks_per_draw(
    n: usize,
    draws: &Draws,
    draw: impl Fn(&mut Scratch, usize, &[f64], &mut [u32]) + Sync,
) -> Vec<u32> {
    let mut ranks = vec![0u32; draws.rows.len() * n];
    if n == 0 {
        return ranks;
    }
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        ranks
            .par_chunks_mut(n)
            .zip(draws.rows.par_iter())
            .enumerate()
            .for_each_init(Scratch::default, |s, (d, (out, row))| draw(s, d, row, out));
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut s = Scratch::default();
        for (d, (out, row)) in ranks.chunks_mut(n).zip(&draws.rows).enumerate() {
            draw(&mut s, d, row, out);
        }
    }
    ranks
}

/// One kind's entities with their domain scores and presences (1 or 0),
/// domain-major.
struct Group {
    members: Vec<u32>,
    scores: Vec<f64>,
    present: Vec<f64>,
}

/// Buffers one thread reuses from draw to draw.
#[derive(Default)]
struct Scratch {
    weights: Vec<f64>,
    num: Vec<f64>,
    den: Vec<f64>,
    keyed: Vec<(i64, u32)>,
    aggregate: (Vec<f64>, Vec<f64>),
    rank: RankScratch,
}

/// Each entity's median and 5th–95th nearest-rank percentiles over the
/// draws' ranks (`ranks[d * n + e]`).
fn intervals(ranks: &[u32], n: usize, k: usize) -> Vec<RankInterval> {
    let at = [
        nearest_rank_position(k, 0.05),
        nearest_rank_position(k, 0.5),
        nearest_rank_position(k, 0.95),
    ];
    // Entities in blocks: gather a block's ranks over all draws (reading
    // each draw's ranks contiguously), then take the order statistics.
    const BLOCK: usize = 256;
    let block = |start: usize| -> Vec<RankInterval> {
        let end = (start + BLOCK).min(n);
        let width = end - start;
        let mut columns = vec![0u32; width * k];
        for (d, row) in ranks.chunks_exact(n).enumerate() {
            for (j, r) in row[start..end].iter().enumerate() {
                columns[j * k + d] = *r;
            }
        }
        let mut counts = Vec::new();
        columns
            .chunks_mut(k)
            .map(|column| {
                let [p05, median, p95] = order_statistics(column, at, &mut counts);
                RankInterval { median, p05, p95 }
            })
            .collect()
    };
    let starts: Vec<usize> = (0..n).step_by(BLOCK).collect();
    #[cfg(feature = "parallel")]
    let blocks: Vec<Vec<RankInterval>> = {
        use rayon::prelude::*;
        starts.par_iter().map(|&s| block(s)).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let blocks: Vec<Vec<RankInterval>> = starts.iter().map(|&s| block(s)).collect();
    blocks.into_iter().flatten().collect()
}

/// The elements at ascending positions `at` (0-based, in order) of
/// `column` as if it were sorted. An entity's ranks over the draws span a
/// narrow range, so they are counted in a histogram over that range;
/// a wide range falls back to selection.
fn order_statistics(column: &mut [u32], at: [usize; 3], counts: &mut Vec<u32>) -> [u32; 3] {
    let (lo, hi) = column
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    let width = (hi - lo) as usize + 1;
    if width > 4 * column.len() + 64 {
        let (a, m, b) = (at[0], at[1], at[2]);
        let median = *column.select_nth_unstable(m).1;
        let low = *column[..=m].select_nth_unstable(a).1;
        let high = *column[m..].select_nth_unstable(b - m).1;
        return [low, median, high];
    }
    counts.clear();
    counts.resize(width, 0);
    for &r in column.iter() {
        counts[(r - lo) as usize] += 1;
    }
    let mut out = [lo; 3];
    let (mut seen, mut next) = (0usize, 0usize);
    for (v, &c) in counts.iter().enumerate() {
        seen += c as usize;
        // Every wanted position below `seen` holds this value.
        while next < 3 && at[next] < seen {
            out[next] = lo + v as u32;
            next += 1;
        }
        if next == 3 {
            break;
        }
    }
    out
}

/// Buffers [`rank_keyed`] reuses.
#[derive(Default)]
struct RankScratch {
    items: Vec<(u64, u32)>,
    buf: Vec<(u64, u32)>,
}

/// Competition ranks, highest key first, from integer keys, into `ranks`
/// (one slot per entity); entities not listed get 0.
fn rank_keyed(keyed: &[(i64, u32)], ranks: &mut [u32], s: &mut RankScratch) {
    ranks.fill(0);
    let Some(max) = keyed.iter().map(|k| k.0).max() else {
        return;
    };
    // Descending by key = ascending by (max − key), a small non-negative
    // number that the radix sort handles in few passes.
    s.items.clear();
    s.items
        .extend(keyed.iter().map(|&(k, e)| (max.abs_diff(k), e)));
    radix_sort(&mut s.items, &mut s.buf);
    let mut current = 0u32;
    let mut prev = None;
    for (pos, &(key, e)) in s.items.iter().enumerate() {
        if prev != Some(key) {
            current = pos as u32 + 1;
            prev = Some(key);
        }
        ranks[e as usize] = current;
    }
}

/// Also perturb normalisation: each draw moves every indicator's goalposts
/// (or distance-to-target target) by up to `spread` of its range, seeded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NormalisationJitter {
    /// Largest shift of a goalpost, as a share of max − min.
    pub spread: f64,
    /// Seed of the shifts.
    pub seed: u64,
}

/// Rank intervals when both the domain weights (as in [`rank_uncertainty`])
/// and the normalisation choices vary: every draw re-scores the cohort from
/// its answers with goalposts moved by up to `jitter.spread` of their range
/// and the domain weights multiplied by the draw's row. Slower (a full
/// scoring per draw), and reproducible from the seeds.
pub fn rank_uncertainty_with_normalisation(
    m: &Methodology,
    inputs: &[EntityInput],
    draws: &Draws,
    jitter: NormalisationJitter,
) -> Vec<RankInterval> {
    let n = inputs.len();
    let k = draws.rows.len();
    if k == 0 {
        let r = score(m, inputs, &ScoreOptions { explain: false });
        return r
            .entities
            .iter()
            .map(|e| RankInterval {
                median: e.rank,
                p05: e.rank,
                p95: e.rank,
            })
            .collect();
    }
    let one_draw = |scratch: &mut Scratch, d: usize, row: &[f64], out: &mut [u32]| {
        let mut rng = Rng::new(jitter.seed ^ (d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut md = m.clone();
        for (slot, f) in m.domains().iter().zip(row) {
            let node = &mut md.nodes[*slot];
            node.weight *= f;
            for (_, w) in &mut node.weights_by_kind {
                *w *= f;
            }
        }
        for node in &mut md.nodes {
            if let NodeBody::Indicator(ind) = &mut node.body
                && let Some(norm) = &mut ind.normalisation
            {
                let mut shift = |span: f64| (2.0 * rng.next_f64() - 1.0) * jitter.spread * span;
                match &mut norm.method {
                    NormMethod::Goalposts { min, max } => {
                        let span = *max - *min;
                        let (a, b) = (*min + shift(span), *max + shift(span));
                        if a < b {
                            (*min, *max) = (a, b);
                        }
                    }
                    NormMethod::DistanceToTarget { target } => {
                        let t = *target + shift(*target);
                        if t > 0.0 {
                            *target = t;
                        }
                    }
                    _ => {}
                }
            }
        }
        let results = score(&md, inputs, &ScoreOptions { explain: false });
        let keyed: Vec<(i64, u32)> = results
            .entities
            .iter()
            .enumerate()
            .filter_map(|(e, r)| r.index.map(|x| (round_half_even(x * 1e6) as i64, e as u32)))
            .collect();
        rank_keyed(&keyed, out, &mut scratch.rank);
    };
    intervals(&ranks_per_draw(n, draws, one_draw), n, k)
}

/// xoshiro256** seeded through splitmix64: small, fast, reproducible on
/// every platform (including wasm), and good enough for weight draws.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Self {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal draw (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64();
        let u2 = self.next_f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Competition ranks the slow way: 1 + how many keys are higher.
    fn by_counting(keyed: &[(i64, u32)], n: usize) -> Vec<u32> {
        let mut ranks = vec![0u32; n];
        for &(k, e) in keyed {
            ranks[e as usize] = 1 + keyed.iter().filter(|o| o.0 > k).count() as u32;
        }
        ranks
    }

    #[test]
    fn ranks_from_keys_match_counting_for_narrow_wide_and_tied_keys() {
        let mut rng = Rng::new(7);
        let mut s = RankScratch::default();
        // Spans: all tied, narrow (many ties), index-like, beyond 32 bits,
        // the whole i64 range.
        for span in [0u64, 5, 100_000_000, 1 << 40, u64::MAX] {
            for n in [0usize, 1, 2, 37, 500, 3000] {
                let mut keyed: Vec<(i64, u32)> = Vec::new();
                for e in 0..n as u32 {
                    let r = rng.next_u64();
                    if r.is_multiple_of(10) {
                        continue; // an entity without an index
                    }
                    let k = if span == u64::MAX {
                        r as i64
                    } else {
                        (r % (span + 1)) as i64 - (span / 2) as i64
                    };
                    keyed.push((k, e));
                }
                let mut ranks = vec![9u32; n];
                rank_keyed(&keyed, &mut ranks, &mut s);
                assert_eq!(ranks, by_counting(&keyed, n), "span {span}, n {n}");
            }
        }
    }

    #[test]
    fn order_statistics_match_a_sort_for_narrow_and_wide_ranges() {
        let mut rng = Rng::new(3);
        let mut counts = Vec::new();
        for (k, width) in [
            (1usize, 1u64),
            (20, 3),
            (1000, 40),
            (1000, 100_000),
            (999, 2),
        ] {
            let column: Vec<u32> = (0..k)
                .map(|_| 17 + (rng.next_u64() % width) as u32)
                .collect();
            let at = [
                nearest_rank_position(k, 0.05),
                nearest_rank_position(k, 0.5),
                nearest_rank_position(k, 0.95),
            ];
            let mut sorted = column.clone();
            sorted.sort_unstable();
            let want = at.map(|i| sorted[i]);
            let mut work = column.clone();
            assert_eq!(
                order_statistics(&mut work, at, &mut counts),
                want,
                "k {k}, width {width}"
            );
        }
    }
}
