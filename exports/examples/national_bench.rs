//! Writes the national workbook (and optionally a report card) of
//! deterministic synthetic data, for `bench/run.sh`.
//!
//! Usage: `national_bench [ENTITIES] [INDICATORS] [OUT.xlsx] [--card OUT.xlsx] [--lang TAG]`
//! (defaults: 10000 300 national.xlsx).

use std::fs::File;
use std::io::BufWriter;
use std::time::Instant;

use exports::{EntityKind, Lang, sample};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let positional: Vec<&String> = {
        let mut out = Vec::new();
        let mut skip = false;
        for a in &args {
            if skip {
                skip = false;
            } else if a.starts_with("--") {
                skip = true;
            } else {
                out.push(a);
            }
        }
        out
    };
    let entities: usize = positional.first().map_or(Ok(10_000), |s| s.parse())?;
    let indicators: usize = positional.get(1).map_or(Ok(300), |s| s.parse())?;
    let out = positional.get(2).map_or("national.xlsx", |s| s.as_str());
    let lang = flag("--lang")
        .and_then(|t| Lang::parse(&t))
        .unwrap_or_default();

    let started = Instant::now();
    let rating = sample::national(entities, indicators);
    let generated = started.elapsed();
    let writer = BufWriter::new(File::create(out)?);
    exports::national_workbook_to(&rating, lang, writer)?;
    let written = started.elapsed() - generated;
    eprintln!(
        "national: {entities} × {indicators}: data {:.0} ms, workbook {:.0} ms → {out}",
        generated.as_secs_f64() * 1e3,
        written.as_secs_f64() * 1e3
    );

    if let Some(card_out) = flag("--card") {
        let card = sample::report_card(&rating, EntityKind::District, 0);
        // Warm up once, then time the median of 21 runs.
        let mut times = Vec::new();
        let mut bytes = Vec::new();
        for _ in 0..22 {
            let t = Instant::now();
            bytes = exports::report_card(&card, lang)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
        times.remove(0);
        times.sort_by(f64::total_cmp);
        std::fs::write(&card_out, &bytes)?;
        eprintln!(
            "report card ({} indicators): median {:.2} ms, max {:.2} ms → {card_out}",
            card.indicators.len(),
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    Ok(())
}
