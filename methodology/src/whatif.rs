//! What-if: a league re-scored from its domain scores under other domain
//! weights and band thresholds ([`rescore`], the sandbox in the browser and
//! a proposal's effect on the server), and the methodology file such a
//! setting proposes ([`propose`]): the base file with its domain weights,
//! band thresholds, version and start date changed, comments kept, and a
//! crosswalk from the base so results stay comparable.

use thiserror::Error;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

use crate::model::{Aggregation, Methodology};
use crate::numeric::{competition_ranks, rank_key};
use crate::score::aggregate;

/// One entity's place under the what-if setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rescored {
    /// The index, `None` without any domain score.
    pub index: Option<f64>,
    /// Standard competition rank ("1224"); 0 without an index.
    pub rank: u32,
    /// Position in `thresholds` of the band earned: the highest threshold
    /// not above the index (compared at six decimals).
    pub band: Option<usize>,
}

/// Re-scores entities from their domain scores: the index is the root's
/// `aggregation` (with `cap`) over `domain_scores` with `weights`, ranked,
/// and banded by `thresholds` (each band's lowest index, in any order).
pub fn rescore<'a>(
    aggregation: Aggregation,
    cap: Option<f64>,
    domain_scores: impl IntoIterator<Item = &'a [Option<f64>]>,
    weights: &[f64],
    thresholds: &[f64],
) -> Vec<Rescored> {
    let mut scratch = (Vec::new(), Vec::new());
    let index: Vec<Option<f64>> = domain_scores
        .into_iter()
        .map(|s| aggregate(aggregation, cap, s, weights, &mut scratch))
        .collect();
    let ranks = competition_ranks(&index);
    index
        .into_iter()
        .zip(ranks)
        .map(|(index, rank)| Rescored {
            index,
            rank,
            band: index.and_then(|x| {
                let key = rank_key(x);
                thresholds
                    .iter()
                    .enumerate()
                    .filter(|(_, min)| key >= **min)
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(k, _)| k)
            }),
        })
        .collect()
}

/// What a what-if setting proposes for a new version of a methodology.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal<'a> {
    /// The new version's label (`2026`, `2026-draft`).
    pub version: &'a str,
    /// When it would take effect, `YYYY-MM-DD`.
    pub valid_from: &'a str,
    /// The entity kind whose weights were moved.
    pub kind: &'a str,
    /// Each domain's weight for `kind`, in the base's domain order.
    pub weights: &'a [f64],
    /// Each band's lowest index, in the base's band order.
    pub thresholds: &'a [f64],
    /// Why, in the author's words; written into the file's header comment.
    pub note: &'a str,
}

/// Why a proposal cannot become a methodology file.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ProposalError {
    /// The version label is empty, has characters a file name or URL would
    /// mangle, or is the base's own.
    #[error("version {0:?}: use letters, digits, '.', '-' or '_', and not the base's version")]
    Version(String),
    /// The start date is not `YYYY-MM-DD`.
    #[error("valid from {0:?}: expected a date YYYY-MM-DD")]
    ValidFrom(String),
    /// The methodology does not rate this kind of entity.
    #[error("{methodology} does not rate {kind}")]
    Kind {
        /// The base's key.
        methodology: String,
        /// The kind asked for.
        kind: String,
    },
    /// Not one weight per domain or one threshold per band.
    #[error("expected {expected} {what}, got {got}")]
    Count {
        /// `weights` or `thresholds`.
        what: &'static str,
        /// How many the base has.
        expected: usize,
        /// How many came.
        got: usize,
    },
    /// A weight that is not a positive number.
    #[error("weight of {code} must be a positive number, got {value}")]
    Weight {
        /// The domain's code.
        code: String,
        /// The weight given.
        value: f64,
    },
    /// The lowest band's threshold moved off the bottom of the scale.
    #[error("threshold of band {code} must stay {bottom} (the bottom of the scale), got {value}")]
    Bottom {
        /// The band's code.
        code: String,
        /// The threshold given.
        value: f64,
        /// The base's bottom.
        bottom: f64,
    },
    /// Thresholds out of the scale or out of the bands' order.
    #[error("threshold of band {code} ({value}) must be above {below} and at most {max}")]
    Threshold {
        /// The band's code.
        code: String,
        /// The threshold given.
        value: f64,
        /// The next lower band's threshold (or the scale's bottom).
        below: f64,
        /// The top of the scale.
        max: f64,
    },
    /// The base file has no entry for a node the parsed model has (the
    /// source and the model disagree).
    #[error("the base file has no entry for {0}")]
    Missing(String),
    /// The base source is not TOML (it was parsed before, so this is a bug).
    #[error("the base file: {0}")]
    Toml(String),
    /// The changed file does not parse back (a bug, reported whole).
    #[error("the proposed file does not validate: {0}")]
    Invalid(String),
}

/// The methodology file `p` proposes from `base` (parsed from `source`):
/// the text of the new file and its parse. Only what the sandbox moves
/// changes: domain weights of `p.kind` (as `weight` when the methodology
/// rates one kind, else in `weights_by_kind`), band thresholds (each band
/// ends where the next begins), version, start date, and a crosswalk that
/// maps every indicator of the base to itself.
pub fn propose(
    base: &Methodology,
    source: &str,
    p: &Proposal<'_>,
) -> Result<(String, Methodology), ProposalError> {
    check(base, p)?;
    let mut doc: DocumentMut = source
        .parse()
        .map_err(|e: toml_edit::TomlError| ProposalError::Toml(e.to_string()))?;
    doc["version"] = toml_edit::value(p.version);
    doc["valid_from"] = toml_edit::value(p.valid_from);
    let only_kind = base.applies_to.len() == 1;
    for (&d, &w) in base.domains().iter().zip(p.weights) {
        let node = &base.nodes[d];
        if (node.weight_for(p.kind) - w).abs() < 1e-12 {
            continue;
        }
        let table = entry_mut(&mut doc, &node.code)?;
        if only_kind && node.weights_by_kind.is_empty() {
            table["weight"] = toml_edit::value(w);
        } else {
            let by_kind = table
                .entry("weights_by_kind")
                .or_insert_with(|| Item::Value(Value::InlineTable(InlineTable::new())));
            let Some(by_kind) = by_kind.as_inline_table_mut() else {
                return Err(ProposalError::Toml(format!(
                    "{}: weights_by_kind is not an inline table",
                    node.code
                )));
            };
            by_kind.insert(p.kind, Value::from(w));
            by_kind.fmt();
        }
    }
    set_bands(&mut doc, base, p.thresholds)?;
    set_crosswalk(&mut doc, base);
    let header = header(base, p);
    let text = format!("{header}{doc}");
    let file = format!("{}@{}", base.id, p.version);
    let parsed = crate::parse(&file, &text).map_err(|e| ProposalError::Invalid(e.to_string()))?;
    Ok((text, parsed))
}

fn check(base: &Methodology, p: &Proposal<'_>) -> Result<(), ProposalError> {
    let version_ok = !p.version.is_empty()
        && p.version.len() <= 40
        && p.version != base.version
        && p.version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !version_ok {
        return Err(ProposalError::Version(p.version.to_owned()));
    }
    let date_ok = p.valid_from.len() == 10
        && p.valid_from.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        })
        && matches!(p.valid_from[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(p.valid_from[8..10].parse::<u8>(), Ok(1..=31));
    if !date_ok {
        return Err(ProposalError::ValidFrom(p.valid_from.to_owned()));
    }
    if !base.applies_to.iter().any(|k| k == p.kind) {
        return Err(ProposalError::Kind {
            methodology: base.key(),
            kind: p.kind.to_owned(),
        });
    }
    let domains = base.domains();
    if p.weights.len() != domains.len() {
        return Err(ProposalError::Count {
            what: "weights",
            expected: domains.len(),
            got: p.weights.len(),
        });
    }
    for (&d, &w) in domains.iter().zip(p.weights) {
        if !(w.is_finite() && w > 0.0) {
            return Err(ProposalError::Weight {
                code: base.nodes[d].code.clone(),
                value: w,
            });
        }
    }
    if p.thresholds.len() != base.bands.len() {
        return Err(ProposalError::Count {
            what: "thresholds",
            expected: base.bands.len(),
            got: p.thresholds.len(),
        });
    }
    // Bands from the lowest up: each threshold above the one below it.
    let mut order: Vec<usize> = (0..base.bands.len()).collect();
    order.sort_by(|&a, &b| base.bands[a].min.total_cmp(&base.bands[b].min));
    let mut below = None::<f64>;
    for &k in &order {
        let (t, band) = (p.thresholds[k], &base.bands[k]);
        match below {
            // The lowest band keeps the bottom of the scale.
            None if t != band.min => {
                return Err(ProposalError::Bottom {
                    code: band.code.clone(),
                    value: t,
                    bottom: band.min,
                });
            }
            Some(b) if !(t.is_finite() && t > b && t <= base.scale_max) => {
                return Err(ProposalError::Threshold {
                    code: band.code.clone(),
                    value: t,
                    below: b,
                    max: base.scale_max,
                });
            }
            _ => {}
        }
        below = Some(t);
    }
    Ok(())
}

/// The `[[node]]` or `[[indicator]]` table with `code`.
fn entry_mut<'d>(doc: &'d mut DocumentMut, code: &str) -> Result<&'d mut Table, ProposalError> {
    let has = |t: &Table| t.get("code").and_then(Item::as_str) == Some(code);
    let array = ["node", "indicator"]
        .into_iter()
        .find(|a| {
            doc.get(a)
                .and_then(Item::as_array_of_tables)
                .is_some_and(|ts| ts.iter().any(has))
        })
        .ok_or_else(|| ProposalError::Missing(code.to_owned()))?;
    doc.get_mut(array)
        .and_then(Item::as_array_of_tables_mut)
        .and_then(|ts| ts.iter_mut().find(|t| has(t)))
        .ok_or_else(|| ProposalError::Missing(code.to_owned()))
}

fn set_bands(
    doc: &mut DocumentMut,
    base: &Methodology,
    thresholds: &[f64],
) -> Result<(), ProposalError> {
    let Some(tables) = doc.get_mut("band").and_then(Item::as_array_of_tables_mut) else {
        return Err(ProposalError::Missing("band".into()));
    };
    for (k, band) in base.bands.iter().enumerate() {
        // Ends where the next higher band begins; the top band keeps its end.
        let max = thresholds
            .iter()
            .copied()
            .filter(|t| *t > thresholds[k])
            .reduce(f64::min)
            .unwrap_or(band.max);
        let table = tables
            .iter_mut()
            .find(|t| t.get("code").and_then(Item::as_str) == Some(band.code.as_str()))
            .ok_or_else(|| ProposalError::Missing(format!("band {}", band.code)))?;
        if band.min != thresholds[k] {
            table["min"] = toml_edit::value(thresholds[k]);
        }
        if band.max != max {
            table["max"] = toml_edit::value(max);
        }
    }
    Ok(())
}

/// Replaces the crosswalk with one from the base: every indicator maps to
/// itself (the tree is unchanged, so results back-cast exactly).
fn set_crosswalk(doc: &mut DocumentMut, base: &Methodology) {
    let mut map = Array::new();
    for (_, node, _) in base.indicators() {
        let mut e = InlineTable::new();
        e.insert("old", Value::from(node.code.as_str()));
        e.insert("new", Value::from(node.code.as_str()));
        e.fmt();
        let mut v = Value::InlineTable(e);
        v.decor_mut().set_prefix("\n  ");
        map.push_formatted(v);
    }
    map.set_trailing("\n");
    map.set_trailing_comma(true);
    let mut cw = Table::new();
    cw["from"] = toml_edit::value(base.key());
    cw["map"] = toml_edit::value(map);
    doc.remove("crosswalk");
    doc["crosswalk"] = Item::Table(cw);
}

/// The comment that opens the proposed file: where it came from and why.
fn header(base: &Methodology, p: &Proposal<'_>) -> String {
    let mut out = format!(
        "# Proposed as {}@{} from {} in the what-if sandbox ({} weights, band thresholds).\n",
        base.id,
        p.version,
        base.key(),
        p.kind
    );
    for line in p.note.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str("# ");
        // TOML comments take no control characters.
        out.extend(line.chars().map(|c| if c.is_control() { ' ' } else { c }));
        out.push('\n');
    }
    out.push_str("#\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIS_BODIES: &str = include_str!("../../seeds/methodologies/nis-bodies-2022.toml");
    const NIS_DISTRICTS: &str = include_str!("../../seeds/methodologies/nis-districts-2020.toml");

    fn base(src: &str) -> Methodology {
        crate::parse("base.toml", src).expect("seed parses")
    }

    fn proposal<'a>(kind: &'a str, weights: &'a [f64], thresholds: &'a [f64]) -> Proposal<'a> {
        Proposal {
            version: "2027-draft",
            valid_from: "2027-01-01",
            kind,
            weights,
            thresholds,
            note: "Education counts less.\nSecond line;\r = not a formula\u{7}",
        }
    }

    #[test]
    fn a_single_kind_methodology_gets_new_weights_bands_and_a_crosswalk() {
        let m = base(NIS_DISTRICTS);
        let (text, new) = propose(
            &m,
            NIS_DISTRICTS,
            &proposal("district", &[1.0, 1.5, 0.5], &[75.0, 45.0, 0.0]),
        )
        .expect("proposes");
        assert_eq!(new.version, "2027-draft");
        assert_eq!(new.valid_from, "2027-01-01");
        let w: Vec<f64> = new
            .domains()
            .iter()
            .map(|&d| new.nodes[d].weight_for("district"))
            .collect();
        assert_eq!(w, [1.0, 1.5, 0.5]);
        let bands: Vec<(f64, f64)> = new.bands.iter().map(|b| (b.min, b.max)).collect();
        assert_eq!(bands, [(75.0, 100.0), (45.0, 75.0), (0.0, 45.0)]);
        // Comments of the base are kept; the note heads the file.
        assert!(text.starts_with("# Proposed as nis-districts@2027-draft from nis-districts@2020"));
        assert!(text.contains("# Education counts less.\n# Second line;  = not a formula \n"));
        assert!(text.contains("# NIS.UZ rating of districts and cities (seed 004)"));
        // Same tree and a crosswalk from the base: comparable, nothing else changed.
        let changes = crate::diff::diff(&m, &new);
        assert!(
            changes.iter().all(|c| matches!(
                c,
                crate::diff::Change::Reweighted { .. } | crate::diff::Change::Bands
            )),
            "{changes:?}"
        );
        assert!(crate::diff::backcast(&m, &new, &vec![None; m.nodes.len()]).is_ok());
    }

    #[test]
    fn a_kind_with_its_own_weights_changes_only_that_kind() {
        let m = base(NIS_BODIES);
        let now: Vec<f64> = m
            .domains()
            .iter()
            .map(|&d| m.nodes[d].weight_for("economic_body"))
            .collect();
        let mut weights = now.clone();
        weights[0] = 0.75;
        let thresholds: Vec<f64> = m.bands.iter().map(|b| b.min).collect();
        let (_, new) = propose(
            &m,
            NIS_BODIES,
            &proposal("economic_body", &weights, &thresholds),
        )
        .expect("proposes");
        let after = |kind: &str| -> Vec<f64> {
            new.domains()
                .iter()
                .map(|&d| new.nodes[d].weight_for(kind))
                .collect()
        };
        assert_eq!(after("economic_body"), weights);
        let state: Vec<f64> = m
            .domains()
            .iter()
            .map(|&d| m.nodes[d].weight_for("state_body"))
            .collect();
        assert_eq!(after("state_body"), state);
        assert_eq!(new.bands, m.bands);
        // The old crosswalk (from 2020) gives way to one from the base.
        assert_eq!(
            new.crosswalk.as_ref().map(|c| c.from.as_str()),
            Some("nis-bodies@2022")
        );
    }

    #[test]
    fn bad_settings_are_named() {
        let m = base(NIS_DISTRICTS);
        let cases: Vec<(Proposal<'_>, &str)> = vec![
            (
                proposal("district", &[1.0, 0.0, 1.0], &[70.0, 50.0, 0.0]),
                "weight of ECON must be a positive number, got 0",
            ),
            (
                proposal("district", &[1.0, 1.0], &[70.0, 50.0, 0.0]),
                "expected 3 weights, got 2",
            ),
            (
                proposal("district", &[1.0, 1.0, 1.0], &[40.0, 50.0, 0.0]),
                "threshold of band good (40) must be above 50 and at most 100",
            ),
            (
                proposal("district", &[1.0, 1.0, 1.0], &[170.0, 50.0, 0.0]),
                "threshold of band good (170) must be above 50 and at most 100",
            ),
            (
                proposal("district", &[1.0, 1.0, 1.0], &[70.0, 50.0, 5.0]),
                "threshold of band unsatisfactory must stay 0 (the bottom of the scale), got 5",
            ),
            (
                proposal("state_body", &[1.0, 1.0, 1.0], &[70.0, 50.0, 0.0]),
                "nis-districts@2020 does not rate state_body",
            ),
            (
                Proposal {
                    version: "2020",
                    ..proposal("district", &[1.0; 3], &[70.0, 50.0, 0.0])
                },
                "version \"2020\"",
            ),
            (
                Proposal {
                    version: "a b",
                    ..proposal("district", &[1.0; 3], &[70.0, 50.0, 0.0])
                },
                "version \"a b\"",
            ),
            (
                Proposal {
                    valid_from: "2027-13-01",
                    ..proposal("district", &[1.0; 3], &[70.0, 50.0, 0.0])
                },
                "valid from \"2027-13-01\"",
            ),
        ];
        for (p, want) in cases {
            let err = propose(&m, NIS_DISTRICTS, &p).expect_err(want).to_string();
            assert!(err.contains(want), "{err:?} should say {want:?}");
        }
    }

    #[test]
    fn rescoring_ranks_and_bands_like_the_engine() {
        let rows: Vec<Vec<Option<f64>>> = vec![
            vec![Some(30.0), Some(30.0), Some(20.0)],
            vec![Some(10.0), Some(35.0), Some(30.0)],
            vec![None, None, None],
            vec![Some(30.0), Some(30.0), Some(20.0)],
        ];
        let out = rescore(
            Aggregation::Sum,
            Some(100.0),
            rows.iter().map(Vec::as_slice),
            &[1.0, 1.0, 1.0],
            &[70.0, 50.0, 0.0],
        );
        let got: Vec<(Option<f64>, u32, Option<usize>)> =
            out.iter().map(|r| (r.index, r.rank, r.band)).collect();
        assert_eq!(
            got,
            [
                (Some(80.0), 1, Some(0)),
                (Some(75.0), 3, Some(0)),
                (None, 0, None),
                (Some(80.0), 1, Some(0))
            ]
        );
        // Education weighs little: the second falls below satisfactory.
        let out = rescore(
            Aggregation::Sum,
            Some(100.0),
            rows.iter().map(Vec::as_slice),
            &[1.0, 1.0, 0.1],
            &[70.0, 50.0, 0.0],
        );
        assert_eq!(out[1].index.map(|x| (x * 1e9).round() / 1e9), Some(48.0));
        assert_eq!(out[1].band, Some(2));
    }
}
