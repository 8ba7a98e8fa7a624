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
    // Base weights per kind, and each entity's kind as a small number.
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
    let nd = domains.len();
    // The common case — a weighted mean of fewer than eight domains, no cap
    // — runs on flat arrays: a missing domain is a score of 0 with a
    // presence of 0, which adds exactly the +0.0 terms numpy's loop adds.
    let flat = aggregation == Aggregation::WeightedMean && cap.is_none() && nd < 8;
    let flat_scores: Vec<f64> = scores
        .iter()
        .flat_map(|s| s.iter().map(|x| x.unwrap_or(0.0)))
        .collect();
    let present: Vec<f64> = scores
        .iter()
        .flat_map(|s| s.iter().map(|x| if x.is_some() { 1.0 } else { 0.0 }))
        .collect();

    let one_draw = |row: &Vec<f64>| -> Vec<u32> {
        let mut scratch = (Vec::new(), Vec::new());
        // The reference multiplies weights by the draw first, then weighs.
        let weights: Vec<Vec<f64>> = base
            .iter()
            .map(|b| b.iter().zip(row).map(|(w, f)| w * f).collect())
            .collect();
        // Rank keys: the index at six decimals as an integer, which orders
        // and ties exactly as the rounded index does.
        let mut keyed: Vec<(i64, u32)> = Vec::with_capacity(n);
        for e in 0..n {
            let w = &weights[kind_of[e]];
            let x = if flat {
                let (s, p) = (
                    &flat_scores[e * nd..(e + 1) * nd],
                    &present[e * nd..(e + 1) * nd],
                );
                let (mut num, mut den) = (-0.0, -0.0);
                for d in 0..nd {
                    num += s[d] * w[d];
                    den += w[d] * p[d];
                }
                let den = 0.0 + den;
                (den > 0.0).then(|| (0.0 + num) / den)
            } else {
                aggregate(aggregation, cap, &scores[e], w, &mut scratch)
            };
            if let Some(x) = x {
                keyed.push((round_half_even(x * 1e6) as i64, e as u32));
            }
        }
        rank_keyed(keyed, n)
    };
    #[cfg(feature = "parallel")]
    let per_draw: Vec<Vec<u32>> = {
        use rayon::prelude::*;
        draws.rows.par_iter().map(one_draw).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_draw: Vec<Vec<u32>> = draws.rows.iter().map(one_draw).collect();

    intervals(&per_draw, n, k)
}

/// Each entity's median and 5th–95th nearest-rank percentiles over the
/// draws' ranks (`per_draw[d][e]`).
fn intervals(per_draw: &[Vec<u32>], n: usize, k: usize) -> Vec<RankInterval> {
    // Order statistics per entity by selection rather than a full sort.
    let (at05, at50, at95) = (
        nearest_rank_position(k, 0.05),
        nearest_rank_position(k, 0.5),
        nearest_rank_position(k, 0.95),
    );
    // Entities in blocks: gather a block's ranks over all draws (reading
    // each draw's ranks contiguously), then select per entity.
    const BLOCK: usize = 256;
    let block = |start: usize| -> Vec<RankInterval> {
        let end = (start + BLOCK).min(n);
        let width = end - start;
        let mut columns = vec![0u32; width * k];
        for (d, ranks) in per_draw.iter().enumerate() {
            for (j, r) in ranks[start..end].iter().enumerate() {
                columns[j * k + d] = *r;
            }
        }
        columns
            .chunks_mut(k)
            .map(|column| {
                let median = *column.select_nth_unstable(at50).1;
                let p05 = *column[..=at50].select_nth_unstable(at05).1;
                let p95 = *column[at50..].select_nth_unstable(at95 - at50).1;
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

/// Competition ranks, highest key first, from integer keys; entities not
/// listed get 0.
fn rank_keyed(keyed: Vec<(i64, u32)>, n: usize) -> Vec<u32> {
    let mut ranks = vec![0u32; n];
    let Some(max) = keyed.iter().map(|k| k.0).max() else {
        return ranks;
    };
    // Descending by key = ascending by (max − key), a small non-negative
    // number that the radix sort handles in few passes.
    let mut items: Vec<(u64, u32)> = keyed
        .into_iter()
        .map(|(k, e)| ((max - k) as u64, e))
        .collect();
    let mut buf = Vec::with_capacity(items.len());
    radix_sort(&mut items, &mut buf);
    let mut current = 0u32;
    let mut prev = None;
    for (pos, (key, e)) in items.iter().enumerate() {
        if prev != Some(*key) {
            current = pos as u32 + 1;
            prev = Some(*key);
        }
        ranks[*e as usize] = current;
    }
    ranks
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
    let one_draw = |(d, row): (usize, &Vec<f64>)| -> Vec<u32> {
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
        rank_keyed(keyed, n)
    };
    #[cfg(feature = "parallel")]
    let per_draw: Vec<Vec<u32>> = {
        use rayon::prelude::*;
        draws.rows.par_iter().enumerate().map(one_draw).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_draw: Vec<Vec<u32>> = draws.rows.iter().enumerate().map(one_draw).collect();
    intervals(&per_draw, n, k)
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
