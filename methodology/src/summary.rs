//! Summaries of a scored league: the distribution over bands in the shape
//! the ministry reports ("16 (27.1%) good"), and nominations — the best
//! entity per domain per kind, as the 2021 awards were given.

use serde::{Deserialize, Serialize};

use crate::model::{Methodology, NodeIdx};
use crate::numeric::rank_key;
use crate::score::Results;

/// How many entities of a kind earned a band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandCount {
    /// Band code.
    pub band: String,
    /// Entities in it.
    pub count: usize,
    /// Share of the entities with an index, 0–100.
    pub share: f64,
}

/// Count and share per band (highest band first) among entities of `kind`
/// that have an index.
pub fn distribution(m: &Methodology, results: &Results, kind: &str) -> Vec<BandCount> {
    let of_kind: Vec<&str> = results
        .entities
        .iter()
        .filter(|r| r.kind == kind)
        .filter_map(|r| r.band.as_deref())
        .collect();
    let total = of_kind.len();
    m.bands
        .iter()
        .map(|b| {
            let count = of_kind.iter().filter(|c| **c == b.code).count();
            BandCount {
                band: b.code.clone(),
                count,
                share: if total == 0 {
                    0.0
                } else {
                    count as f64 * 100.0 / total as f64
                },
            }
        })
        .collect()
}

/// The best entity (or entities, on a tie at six decimals) of a kind in a
/// domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nomination {
    /// Entity kind.
    pub kind: String,
    /// The domain.
    pub domain: NodeIdx,
    /// Winning entity codes.
    pub entities: Vec<String>,
    /// Their domain score.
    pub score: f64,
}

/// One nomination per domain for entities of `kind`.
pub fn nominations(m: &Methodology, results: &Results, kind: &str) -> Vec<Nomination> {
    m.domains()
        .iter()
        .filter_map(|&d| {
            let scored = results
                .entities
                .iter()
                .filter(|r| r.kind == kind)
                .filter_map(|r| r.nodes[d].map(|s| (r, s)));
            let best = scored.clone().map(|(_, s)| rank_key(s)).reduce(f64::max)?;
            let winners: Vec<_> = scored.filter(|(_, s)| rank_key(*s) == best).collect();
            Some(Nomination {
                kind: kind.to_owned(),
                domain: d,
                score: winners[0].1,
                entities: winners.iter().map(|(r, _)| r.entity.clone()).collect(),
            })
        })
        .collect()
}
