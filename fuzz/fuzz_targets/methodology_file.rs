//! A methodology file, as an admin uploads it: parsing never panics, and a
//! file that parses is one the engine can score, rank, summarise and diff
//! without panicking, whatever the values (none, ordinary, extreme).
#![no_main]

use libfuzzer_sys::fuzz_target;
use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(m) = methodology::parse("fuzz.toml", src) else {
        return;
    };
    let patterns: [fn(usize) -> Option<f64>; 4] = [
        |_| None,
        |i| Some(i as f64),
        |i| [Some(f64::MAX), Some(-0.0), Some(1e-300), None, Some(-1e300)][i % 5],
        |i| Some(if i % 2 == 0 { 0.0 } else { 100.0 }),
    ];
    let mut inputs = Vec::new();
    for kind in &m.applies_to {
        for (p, pattern) in patterns.iter().enumerate() {
            let mut e = EntityInput::new(&m, format!("{kind}-{p}"), kind.clone());
            for (i, _, _) in m.indicators() {
                e.raw[i] = pattern(i);
            }
            inputs.push(e);
        }
    }
    let before = inputs
        .iter()
        .map(|e| EntityInput {
            raw: e.raw.iter().rev().copied().collect(),
            ..e.clone()
        })
        .collect();
    methodology::score::attach_previous(&m, &mut inputs, before);
    let results = score(&m, &inputs, &ScoreOptions::default());
    let draws = Draws::seeded(7, 8, m.domains().len(), 0.25);
    let _ = rank_uncertainty(&m, &results, &draws);
    for kind in &m.applies_to {
        let _ = methodology::summary::distribution(&m, &results, kind);
        let _ = methodology::summary::nominations(&m, &results, kind);
    }
    let _ = methodology::diff::diff(&m, &m);
});
