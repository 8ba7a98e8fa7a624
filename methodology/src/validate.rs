//! Checks on a submission as the CDO types: required answers, ranges,
//! evidence, cross-indicator rules, and outliers against the entity's own
//! previous answer and against its peers (robust z-score, median and MAD).
//! Hard problems block submission; soft ones ask for a justification.

use serde::{Deserialize, Serialize};

use crate::model::{IndicatorKind, Methodology, NodeIdx, Severity};
use crate::numeric::median;

/// One problem with a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// The indicator concerned (or the first one a rule reads).
    pub node: NodeIdx,
    /// Hard blocks submission; soft needs a justification comment.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: IssueKind,
}

/// Kinds of problems.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum IssueKind {
    /// A required answer is missing.
    Required,
    /// A number outside the indicator's range.
    OutOfRange {
        /// The answer.
        value: f64,
        /// Lowest accepted.
        min: f64,
        /// Highest accepted.
        max: f64,
    },
    /// Evidence is required but none is attached.
    EvidenceMissing,
    /// A cross-indicator rule does not hold.
    Rule {
        /// The rule's code.
        rule: String,
    },
    /// Far from the entity's previous answer (relative change).
    OutlierVsPrevious {
        /// Previous answer.
        previous: f64,
        /// Relative change, 1.0 = +100 %.
        change: f64,
    },
    /// Far from its peers: robust z = 0.6745 (x − median) / MAD.
    OutlierVsPeers {
        /// The robust z-score.
        z: f64,
    },
}

/// What is known about one submission.
pub struct Submission<'a> {
    /// Raw answers by node position (see [`crate::EntityInput`]).
    pub raw: &'a [Option<f64>],
    /// Whether evidence is attached, by node position.
    pub evidence: &'a [bool],
    /// Last period's raw answers, same layout.
    pub previous: Option<&'a [Option<f64>]>,
    /// Peers' raw answers (e.g. the same kind last period), one slice each.
    pub peers: &'a [&'a [Option<f64>]],
}

/// Every problem of a submission, in methodology order.
pub fn validate(m: &Methodology, s: &Submission<'_>) -> Vec<Issue> {
    let mut out = Vec::new();
    let get = |i: usize| s.raw.get(i).copied().flatten();
    for (i, _, ind) in m.indicators() {
        let computed = matches!(ind.kind, IndicatorKind::Formula { .. });
        let x = get(i);
        if ind.required && !computed && x.is_none() {
            out.push(Issue {
                node: i,
                severity: Severity::Hard,
                kind: IssueKind::Required,
            });
        }
        if let (Some(x), Some((min, max))) = (x, ind.range)
            && !(min..=max).contains(&x)
        {
            out.push(Issue {
                node: i,
                severity: Severity::Hard,
                kind: IssueKind::OutOfRange { value: x, min, max },
            });
        }
        if ind.evidence_required && x.is_some() && !s.evidence.get(i).copied().unwrap_or(false) {
            out.push(Issue {
                node: i,
                severity: Severity::Hard,
                kind: IssueKind::EvidenceMissing,
            });
        }
        let numeric = matches!(
            ind.kind,
            IndicatorKind::Number { .. } | IndicatorKind::Percent
        );
        let Some(x) = x.filter(|_| numeric) else {
            continue;
        };
        if let Some(prev) = s.previous.and_then(|p| p.get(i).copied().flatten())
            && prev != 0.0
        {
            let change = (x - prev) / prev.abs();
            if change.abs() > 1.0 {
                out.push(Issue {
                    node: i,
                    severity: Severity::Soft,
                    kind: IssueKind::OutlierVsPrevious {
                        previous: prev,
                        change,
                    },
                });
            }
        }
        let mut peer_values: Vec<f64> = s
            .peers
            .iter()
            .filter_map(|p| p.get(i).copied().flatten())
            .collect();
        if peer_values.len() >= 5
            && let Some(med) = median(&mut peer_values)
        {
            let mut deviations: Vec<f64> = peer_values.iter().map(|v| (v - med).abs()).collect();
            let mad = median(&mut deviations).unwrap_or(0.0);
            if mad > 0.0 {
                let z = 0.6745 * (x - med) / mad;
                if z.abs() > m.outlier_threshold {
                    out.push(Issue {
                        node: i,
                        severity: Severity::Soft,
                        kind: IssueKind::OutlierVsPeers { z },
                    });
                }
            }
        }
    }
    for rule in &m.rules {
        let holds = rule.parsed.eval(&|code| m.find(code).and_then(get));
        // A rule over missing answers is not broken; `Required` says so.
        if holds == Some(0.0) {
            let node = rule
                .parsed
                .vars()
                .first()
                .and_then(|c| m.find(c))
                .unwrap_or(0);
            out.push(Issue {
                node,
                severity: rule.severity,
                kind: IssueKind::Rule {
                    rule: rule.code.clone(),
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
id = "v"
version = "1"
title = { en = "V" }
applies_to = ["state_body"]
valid_from = "2020-01-01"
[[band]]
code = "all"
min = 0.0
max = 100.0
[[node]]
code = "S"
[[indicator]]
code = "total"
parent = "S"
kind = "number"
scored = false
required = true
range = [0.0, 1000.0]
[[indicator]]
code = "online"
parent = "S"
kind = "number"
required = true
evidence = true
normalise = { method = "goalposts", min = 0.0, max = 100.0 }
[[rule]]
code = "le"
expr = "online <= total"
severity = "hard"
"#;

    #[test]
    fn required_range_evidence_rules_and_outliers() {
        let m = crate::parse("v.toml", SRC).unwrap();
        let (total, online) = (m.find("total").unwrap(), m.find("online").unwrap());
        let mut raw = vec![None; m.nodes.len()];
        raw[online] = Some(120.0);
        let evidence = vec![false; m.nodes.len()];
        let mut prev = vec![None; m.nodes.len()];
        prev[online] = Some(40.0);
        let peer_rows: Vec<Vec<Option<f64>>> = [10.0, 11.0, 12.0, 9.0, 10.5, 11.5]
            .iter()
            .map(|v| {
                let mut r = vec![None; m.nodes.len()];
                r[online] = Some(*v);
                r
            })
            .collect();
        let peers: Vec<&[Option<f64>]> = peer_rows.iter().map(Vec::as_slice).collect();
        let issues = validate(
            &m,
            &Submission {
                raw: &raw,
                evidence: &evidence,
                previous: Some(&prev),
                peers: &peers,
            },
        );
        let kinds: Vec<(&str, Severity)> = issues
            .iter()
            .map(|i| {
                let k = match i.kind {
                    IssueKind::Required => "required",
                    IssueKind::OutOfRange { .. } => "range",
                    IssueKind::EvidenceMissing => "evidence",
                    IssueKind::Rule { .. } => "rule",
                    IssueKind::OutlierVsPrevious { .. } => "previous",
                    IssueKind::OutlierVsPeers { .. } => "peers",
                };
                (k, i.severity)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("required", Severity::Hard),
                ("evidence", Severity::Hard),
                ("previous", Severity::Soft),
                ("peers", Severity::Soft),
            ]
        );
        raw[total] = Some(100.0);
        let issues = validate(
            &m,
            &Submission {
                raw: &raw,
                evidence: &vec![true; m.nodes.len()],
                previous: None,
                peers: &[],
            },
        );
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, IssueKind::Rule { rule: "le".into() });
        assert_eq!(issues[0].node, online);
    }
}
