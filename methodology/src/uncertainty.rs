//! Rank uncertainty: how far an entity's rank moves when the domain weights
//! are perturbed. Each Monte Carlo draw multiplies every weight of the
//! index's children by a factor, re-aggregates the index from the (fixed)
//! domain scores and re-ranks; an entity's interval is the 5th–95th
//! nearest-rank percentile of its ranks over the draws.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::{Methodology, NodeBody};
use crate::numeric::{competition_ranks, nearest_rank};
use crate::score::{Results, aggregate};

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
    let NodeBody::Group { aggregation, cap } = m.nodes[0].body else {
        unreachable!("node 0 is the index group");
    };
    // Domain scores per entity, and base weights per kind.
    let scores: Vec<Vec<Option<f64>>> = results
        .entities
        .iter()
        .map(|r| domains.iter().map(|&d| r.nodes[d]).collect())
        .collect();
    let mut base: HashMap<&str, Vec<f64>> = HashMap::new();
    for r in &results.entities {
        base.entry(r.kind.as_str()).or_insert_with(|| {
            domains
                .iter()
                .map(|&d| m.nodes[d].weight_for(&r.kind))
                .collect()
        });
    }
    let kinds: Vec<&Vec<f64>> = results
        .entities
        .iter()
        .map(|r| &base[r.kind.as_str()])
        .collect();

    let one_draw = |row: &Vec<f64>| -> Vec<u32> {
        let mut scratch = (Vec::new(), Vec::new());
        let mut w = Vec::with_capacity(domains.len());
        let index: Vec<Option<f64>> = (0..n)
            .map(|e| {
                w.clear();
                w.extend(kinds[e].iter().zip(row).map(|(b, f)| b * f));
                aggregate(aggregation, cap, &scores[e], &w, &mut scratch)
            })
            .collect();
        competition_ranks(&index)
    };
    #[cfg(feature = "parallel")]
    let per_draw: Vec<Vec<u32>> = {
        use rayon::prelude::*;
        draws.rows.par_iter().map(one_draw).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let per_draw: Vec<Vec<u32>> = draws.rows.iter().map(one_draw).collect();

    let mut column = vec![0u32; k];
    (0..n)
        .map(|e| {
            for (slot, ranks) in column.iter_mut().zip(&per_draw) {
                *slot = ranks[e];
            }
            column.sort_unstable();
            RankInterval {
                median: nearest_rank(&column, 0.5),
                p05: nearest_rank(&column, 0.05),
                p95: nearest_rank(&column, 0.95),
            }
        })
        .collect()
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
