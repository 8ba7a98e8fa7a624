//! Properties over random methodologies and values (seeded, so failures
//! reproduce): monotonicity, invariance to weight scale, rank sanity.

use std::fmt::Write as _;

use methodology::model::{IndicatorKind, Polarity};
use methodology::numeric::{competition_ranks, rank_key};
use methodology::uncertainty::Rng;
use methodology::{EntityInput, Methodology, ScoreOptions, score};

use crate::check::{load, seeds_dir};

/// A random weighted-mean tree with goalpost indicators of both polarities.
fn random_methodology(rng: &mut Rng) -> Methodology {
    let mut s = String::from(
        "id = \"random\"\nversion = \"1\"\ntitle = { en = \"Random\" }\napplies_to = [\"any\"]\nvalid_from = \"2020-01-01\"\n\
         [[band]]\ncode = \"hi\"\nmin = 50.0\nmax = 100.0\n[[band]]\ncode = \"lo\"\nmin = 0.0\nmax = 50.0\n",
    );
    let domains = 2 + (rng.next_u64() % 4) as usize;
    for d in 0..domains {
        let _ = writeln!(
            s,
            "[[node]]\ncode = \"D{d}\"\nweight = {:?}",
            0.5 + 2.5 * rng.next_f64()
        );
        for i in 0..(1 + rng.next_u64() % 12) {
            let lo = 50.0 * rng.next_f64();
            let hi = lo + 1.0 + 100.0 * rng.next_f64();
            let polarity = if rng.next_f64() < 0.7 {
                "higher"
            } else {
                "lower"
            };
            let _ = writeln!(
                s,
                "[[indicator]]\ncode = \"D{d}.I{i}\"\nparent = \"D{d}\"\nkind = \"number\"\nweight = {:?}\npolarity = \"{polarity}\"\nnormalise = {{ method = \"goalposts\", min = {lo:?}, max = {hi:?} }}",
                0.5 + 2.5 * rng.next_f64()
            );
        }
    }
    methodology::parse("random.toml", &s).unwrap_or_else(|e| panic!("{e}\n{s}"))
}

fn random_inputs(m: &Methodology, rng: &mut Rng, n: usize) -> Vec<EntityInput> {
    (0..n)
        .map(|e| {
            let mut input = EntityInput::new(m, format!("E{e}"), m.applies_to[0].clone());
            for (i, _, ind) in m.indicators() {
                if rng.next_f64() < 0.1 {
                    continue; // missing
                }
                let (lo, hi) = ind.range.unwrap_or((0.0, 150.0));
                input.raw[i] = Some(match ind.kind {
                    IndicatorKind::YesNo | IndicatorKind::Url | IndicatorKind::LegalAct => {
                        (rng.next_f64() < 0.5) as u8 as f64
                    }
                    IndicatorKind::Choice { ref options } => {
                        options[(rng.next_u64() % options.len() as u64) as usize].points
                    }
                    _ => lo + (hi.min(1000.0) - lo) * rng.next_f64(),
                });
            }
            input
        })
        .collect()
}

#[test]
fn raising_a_higher_is_better_indicator_never_lowers_the_index() {
    let mut rng = Rng::new(42);
    let mut methodologies: Vec<Methodology> =
        (0..20).map(|_| random_methodology(&mut rng)).collect();
    methodologies.push(load(&seeds_dir().join("nis-bodies-2020.toml")));
    methodologies.push(load(&seeds_dir().join("nis-districts-2020.toml")));
    let mut checked = 0;
    for m in &methodologies {
        let inputs = random_inputs(m, &mut rng, 30);
        let before = score(m, &inputs, &ScoreOptions { explain: false });
        for (i, _, ind) in m.indicators() {
            let raisable = ind.is_scored()
                && ind.polarity == Polarity::Higher
                && matches!(
                    ind.kind,
                    IndicatorKind::Number { .. } | IndicatorKind::Percent
                );
            if !raisable {
                continue;
            }
            let mut raised = inputs.clone();
            // Only answers given are raised: answering a missing indicator
            // adds a score to the mean, which may well be below it.
            for e in &mut raised {
                e.raw[i] = e.raw[i].map(|x| x + 1.0 + 10.0 * rng.next_f64());
            }
            let after = score(m, &raised, &ScoreOptions { explain: false });
            for (b, a) in before.entities.iter().zip(&after.entities) {
                if let (Some(b), Some(a)) = (b.index, a.index) {
                    assert!(a >= b - 1e-9, "{} {}: {b} → {a}", m.key(), m.nodes[i].code);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} comparisons");
}

#[test]
fn scaling_all_weights_by_a_constant_changes_nothing() {
    let mut rng = Rng::new(7);
    for _ in 0..20 {
        let m = random_methodology(&mut rng);
        let inputs = random_inputs(&m, &mut rng, 25);
        let base = score(&m, &inputs, &ScoreOptions { explain: false });
        let factor = 0.1 + 20.0 * rng.next_f64();
        let mut scaled = m.clone();
        for n in scaled.nodes.iter_mut().skip(1) {
            n.weight *= factor;
        }
        let other = score(&scaled, &inputs, &ScoreOptions { explain: false });
        for (a, b) in base.entities.iter().zip(&other.entities) {
            match (a.index, b.index) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{x} vs {y} (factor {factor})"),
                (x, y) => assert_eq!(x, y),
            }
            assert_eq!(a.rank, b.rank);
        }
    }
}

#[test]
fn ranks_are_competition_ranks_over_a_permutation() {
    let mut rng = Rng::new(3);
    for _ in 0..200 {
        let n = 1 + (rng.next_u64() % 60) as usize;
        // Few distinct values, so ties are common; some missing.
        let index: Vec<Option<f64>> = (0..n)
            .map(|_| {
                (rng.next_f64() > 0.1)
                    .then(|| (rng.next_u64() % 8) as f64 * 12.5 + 1e-9 * rng.next_f64())
            })
            .collect();
        let ranks = competition_ranks(&index);
        for (i, x) in index.iter().enumerate() {
            match x {
                None => assert_eq!(ranks[i], 0),
                Some(x) => {
                    let better = index
                        .iter()
                        .flatten()
                        .filter(|y| rank_key(**y) > rank_key(*x))
                        .count();
                    assert_eq!(ranks[i] as usize, better + 1);
                }
            }
        }
        // Sorted, the ranks of the present entities form "1224"-style runs.
        let mut present: Vec<u32> = ranks.iter().copied().filter(|r| *r > 0).collect();
        present.sort_unstable();
        for (pos, r) in present.iter().enumerate() {
            assert!(*r as usize <= pos + 1);
            assert!(pos == 0 || present[pos - 1] == *r || *r as usize == pos + 1);
        }
    }
}

#[test]
fn normalisation_choices_widen_rank_intervals_reproducibly() {
    use methodology::{
        Draws, NormalisationJitter, rank_uncertainty, rank_uncertainty_with_normalisation,
    };
    let mut rng = Rng::new(11);
    let m = random_methodology(&mut rng);
    let inputs = random_inputs(&m, &mut rng, 60);
    let draws = Draws::seeded(5, 200, m.domains().len(), 0.25);
    let results = score(&m, &inputs, &ScoreOptions { explain: false });
    let weights_only = rank_uncertainty(&m, &results, &draws);
    // No normalisation jitter: the same intervals as the weights-only path.
    let none = NormalisationJitter {
        spread: 0.0,
        seed: 1,
    };
    assert_eq!(
        rank_uncertainty_with_normalisation(&m, &inputs, &draws, none),
        weights_only
    );
    // Jitter widens the intervals on average, and the seed reproduces them.
    let some = NormalisationJitter {
        spread: 0.3,
        seed: 1,
    };
    let jittered = rank_uncertainty_with_normalisation(&m, &inputs, &draws, some);
    assert_eq!(
        jittered,
        rank_uncertainty_with_normalisation(&m, &inputs, &draws, some)
    );
    let width =
        |v: &[methodology::RankInterval]| v.iter().map(|i| f64::from(i.p95 - i.p05)).sum::<f64>();
    assert!(
        width(&jittered) > width(&weights_only),
        "{} vs {}",
        width(&jittered),
        width(&weights_only)
    );
}
