//! What changed between two versions of a methodology, and back-casting
//! values of an earlier version through the declared crosswalk. Without a
//! crosswalk the two are not comparable, and the functions say so instead
//! of comparing silently.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::{Methodology, NodeBody};

/// One change between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A node only the new version has.
    Added {
        /// Its code.
        code: String,
    },
    /// A node only the old version had.
    Removed {
        /// Its code.
        code: String,
    },
    /// Declared in the crosswalk as the same indicator under a new code.
    Renamed {
        /// Old code.
        old: String,
        /// New code.
        new: String,
    },
    /// The weight changed (for the default kind or any kind).
    Reweighted {
        /// Code (in the new version).
        code: String,
        /// Old weight.
        old: f64,
        /// New weight.
        new: f64,
    },
    /// The normalisation, polarity or kind changed.
    Renormalised {
        /// Code (in the new version).
        code: String,
    },
    /// It moved under another parent.
    Moved {
        /// Code (in the new version).
        code: String,
        /// Old parent code.
        from: String,
        /// New parent code.
        to: String,
    },
    /// The bands changed.
    Bands,
}

/// Changes from `old` to `new`, in the new version's order.
pub fn diff(old: &Methodology, new: &Methodology) -> Vec<Change> {
    let renamed: HashMap<&str, &str> = new
        .crosswalk
        .iter()
        .filter(|c| c.from == old.key())
        .flat_map(|c| {
            c.map
                .iter()
                .filter(|e| e.old != e.new)
                .map(|e| (e.new.as_str(), e.old.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    let parent_code = |m: &Methodology, i: usize| {
        m.nodes[i]
            .parent
            .map_or("", |p| m.nodes[p].code.as_str())
            .to_owned()
    };
    for (ni, n) in new.nodes.iter().enumerate().skip(1) {
        let old_code = renamed.get(n.code.as_str()).copied().unwrap_or(&n.code);
        let Some(oi) = old.find(old_code) else {
            out.push(Change::Added {
                code: n.code.clone(),
            });
            continue;
        };
        if old_code != n.code {
            out.push(Change::Renamed {
                old: old_code.to_owned(),
                new: n.code.clone(),
            });
        }
        let o = &old.nodes[oi];
        if o.weight != n.weight || o.weights_by_kind != n.weights_by_kind {
            out.push(Change::Reweighted {
                code: n.code.clone(),
                old: o.weight,
                new: n.weight,
            });
        }
        let changed = match (&o.body, &n.body) {
            (NodeBody::Indicator(a), NodeBody::Indicator(b)) => {
                a.normalisation != b.normalisation
                    || a.polarity != b.polarity
                    || a.kind.name() != b.kind.name()
            }
            (
                NodeBody::Group {
                    aggregation: a,
                    cap: x,
                },
                NodeBody::Group {
                    aggregation: b,
                    cap: y,
                },
            ) => a != b || x != y,
            _ => true,
        };
        if changed {
            out.push(Change::Renormalised {
                code: n.code.clone(),
            });
        }
        let (from, to) = (parent_code(old, oi), parent_code(new, ni));
        let from_mapped = renamed
            .iter()
            .find(|(_, o)| **o == from)
            .map_or(from.clone(), |(n, _)| (*n).to_owned());
        if from_mapped != to {
            out.push(Change::Moved {
                code: n.code.clone(),
                from,
                to,
            });
        }
    }
    for o in old.nodes.iter().skip(1) {
        let still = new.find(&o.code).is_some() || renamed.values().any(|v| *v == o.code);
        if !still {
            out.push(Change::Removed {
                code: o.code.clone(),
            });
        }
    }
    if old.bands != new.bands {
        out.push(Change::Bands);
    }
    out
}

/// Why values could not be carried to another version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotComparable {
    /// The new version declares no crosswalk from the old one.
    #[error("{new} declares no crosswalk from {old}: results are not comparable")]
    NoCrosswalk {
        /// The old version key.
        old: String,
        /// The new version key.
        new: String,
    },
}

/// Values of the old version expressed in the new version's codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backcast {
    /// Raw values by the new version's node positions.
    pub raw: Vec<Option<f64>>,
    /// New scored indicators that no crosswalk entry fills.
    pub unmapped: Vec<String>,
}

/// Maps raw values of `old` (by its node positions) onto `new` through the
/// crosswalk `new` declares from `old`.
pub fn backcast(
    old: &Methodology,
    new: &Methodology,
    old_raw: &[Option<f64>],
) -> Result<Backcast, NotComparable> {
    let cw = new
        .crosswalk
        .as_ref()
        .filter(|c| c.from == old.key())
        .ok_or_else(|| NotComparable::NoCrosswalk {
            old: old.key(),
            new: new.key(),
        })?;
    let mut raw = vec![None; new.nodes.len()];
    for e in &cw.map {
        let (Some(o), Some(n)) = (old.find(&e.old), new.find(&e.new)) else {
            continue;
        };
        let x = old_raw.get(o).copied().flatten();
        raw[n] = match (&e.transform, x) {
            (Some(t), Some(x)) => t.eval(&|v| (v == "x").then_some(x)),
            (None, x) => x,
            (_, None) => None,
        };
    }
    let unmapped = new
        .indicators()
        .filter(|(i, _, ind)| {
            // Formulas are recomputed from their inputs, not carried.
            let computed = matches!(ind.kind, crate::model::IndicatorKind::Formula { .. });
            ind.is_scored()
                && !computed
                && raw[*i].is_none()
                && !cw.map.iter().any(|e| e.new == new.nodes[*i].code)
        })
        .map(|(_, n, _)| n.code.clone())
        .collect();
    Ok(Backcast { raw, unmapped })
}
