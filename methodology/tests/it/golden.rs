//! Golden cases: one folder per case under tests/golden with
//! `methodology.toml`, `entities.csv`, `values.csv`, optionally
//! `previous.csv`, and `expected.txt` (a readable rendering of the results,
//! rewritten by `UPDATE_EXPECT=1`). Adding a case is adding a folder.

use std::fmt::Write as _;

use methodology::{Draws, ScoreOptions, rank_uncertainty, score, summary};

use crate::check::{expect_file, fill, inputs, load, tests_dir};

fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{x:.4}"))
}

#[test]
fn golden_cases() {
    let mut n = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(tests_dir().join("golden"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let m = load(&dir.join("methodology.toml"));
        let mut entities = inputs(&m, &dir.join("entities.csv"), &dir.join("values.csv"));
        let previous = dir.join("previous.csv");
        if previous.exists() {
            let mut before: Vec<_> = entities
                .iter()
                .map(|e| methodology::EntityInput {
                    raw: vec![None; m.nodes.len()],
                    ..e.clone()
                })
                .collect();
            fill(&m, &mut before, &previous);
            methodology::score::attach_previous(&m, &mut entities, before);
        }
        let results = score(&m, &entities, &ScoreOptions::default());
        let intervals = rank_uncertainty(
            &m,
            &results,
            &Draws::seeded(7, 200, m.domains().len(), 0.25),
        );
        let mut out = String::new();
        let _ = writeln!(out, "# {}", m.key());
        for (r, iv) in results.entities.iter().zip(&intervals) {
            let _ = writeln!(
                out,
                "{} [{}] index={} band={} rank={} in_kind={} in_peer={} interval={}..{} median={} change={} rank_change={}",
                r.entity,
                r.kind,
                fmt(r.index),
                r.band.as_deref().unwrap_or("-"),
                r.rank,
                r.rank_in_kind,
                r.rank_in_peer,
                iv.p05,
                iv.p95,
                iv.median,
                fmt(r.change),
                r.rank_change.map_or("-".into(), |c| c.to_string())
            );
            let nodes: Vec<String> = m
                .nodes
                .iter()
                .zip(&r.nodes)
                .skip(1)
                .map(|(n, s)| format!("{}={}", n.code, fmt(*s)))
                .collect();
            let _ = writeln!(out, "  nodes: {}", nodes.join(" "));
            let gaps: Vec<String> = r
                .gaps
                .iter()
                .take(5)
                .map(|g| format!("{}(+{:.4})", m.nodes[g.node].code, g.gain))
                .collect();
            let _ = writeln!(out, "  improve first: {}", gaps.join(" "));
        }
        let mut kinds: Vec<&str> = results.entities.iter().map(|r| r.kind.as_str()).collect();
        kinds.dedup();
        for kind in kinds {
            let dist: Vec<String> = summary::distribution(&m, &results, kind)
                .iter()
                .map(|b| format!("{} {} ({:.1}%)", b.band, b.count, b.share))
                .collect();
            let _ = writeln!(out, "distribution {kind}: {}", dist.join(", "));
            for nom in summary::nominations(&m, &results, kind) {
                let _ = writeln!(
                    out,
                    "nomination {kind} {}: {} ({:.4})",
                    m.nodes[nom.domain].code,
                    nom.entities.join(", "),
                    nom.score
                );
            }
        }
        for f in &results.findings {
            let _ = writeln!(
                out,
                "finding {} {} {:?}",
                results.entities[f.entity].entity,
                f.indicator.map_or("-", |i| m.nodes[i].code.as_str()),
                f.kind
            );
        }
        expect_file(&dir.join("expected.txt"), &out);
        n += 1;
    }
    assert!(n >= 3, "expected at least three golden cases, found {n}");
}
