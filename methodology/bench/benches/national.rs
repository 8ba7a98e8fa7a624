//! National scale, the what-if slider's budget: 300 entities × 150
//! indicators (5 domains × 3 sub-domains × 10), scored, then 1,000 Monte
//! Carlo weight draws. Target: under 50 ms for both together.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use methodology::uncertainty::Rng;
use methodology::{Draws, EntityInput, Methodology, ScoreOptions, rank_uncertainty, score};

fn national() -> (Methodology, Vec<EntityInput>) {
    let mut rng = Rng::new(2020);
    let mut s = String::from(
        "id = \"national\"\nversion = \"1\"\ntitle = { en = \"National\" }\napplies_to = [\"district\"]\nvalid_from = \"2020-01-01\"\n\
         [[band]]\ncode = \"good\"\nmin = 70.0\nmax = 100.0\n[[band]]\ncode = \"satisfactory\"\nmin = 50.0\nmax = 70.0\n\
         [[band]]\ncode = \"unsatisfactory\"\nmin = 0.0\nmax = 50.0\n",
    );
    for d in 1..=5 {
        let _ = writeln!(s, "[[node]]\ncode = \"D{d}\"\nweight = {:?}", 0.5 + 2.5 * rng.next_f64());
        for sd in 1..=3 {
            let _ = writeln!(s, "[[node]]\ncode = \"D{d}.S{sd}\"\nparent = \"D{d}\"\nweight = {:?}", 0.5 + 2.5 * rng.next_f64());
            for i in 1..=10 {
                let lo = 50.0 * rng.next_f64();
                let _ = writeln!(
                    s,
                    "[[indicator]]\ncode = \"D{d}.S{sd}.I{i}\"\nparent = \"D{d}.S{sd}\"\nkind = \"number\"\nweight = {:?}\nnormalise = {{ method = \"goalposts\", min = {lo:?}, max = {:?} }}",
                    0.5 + 2.5 * rng.next_f64(),
                    lo + 10.0 + 200.0 * rng.next_f64()
                );
            }
        }
    }
    let m = methodology::parse("national.toml", &s).expect("valid");
    let inputs = (0..300)
        .map(|e| {
            let mut input = EntityInput::new(&m, format!("E{e}"), "district");
            for slot in input.raw.iter_mut() {
                if rng.next_f64() > 0.05 {
                    *slot = Some(250.0 * rng.next_f64());
                }
            }
            input
        })
        .collect();
    (m, inputs)
}

fn bench(c: &mut Criterion) {
    let (m, inputs) = national();
    let draws = Draws::seeded(7, 1000, m.domains().len(), 0.25);
    c.bench_function("score 300 × 150", |b| {
        b.iter(|| score(black_box(&m), black_box(&inputs), &ScoreOptions { explain: false }))
    });
    c.bench_function("score 300 × 150 with gap lists", |b| {
        b.iter(|| score(black_box(&m), black_box(&inputs), &ScoreOptions::default()))
    });
    c.bench_function("score + 1,000 draws, 300 × 150", |b| {
        b.iter(|| {
            let r = score(black_box(&m), black_box(&inputs), &ScoreOptions { explain: false });
            rank_uncertainty(&m, &r, &draws)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
