//! A value table (`entity,indicator,value`), as `daraja-score` reads it:
//! neither the general reader (against a shipped methodology) nor the
//! benchmark's byte-level fast reader panics on any input, and the fast
//! reader's exact decimal path agrees bit for bit with `str::parse`.
#![no_main]

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use daraja_cli::{bench, run};
use libfuzzer_sys::fuzz_target;
use methodology::{EntityInput, Methodology};

static NIS: LazyLock<Methodology> = LazyLock::new(|| {
    methodology::parse(
        "nis-districts-2020.toml",
        include_str!("../../seeds/methodologies/nis-districts-2020.toml"),
    )
    .expect("the shipped methodology parses")
});

fuzz_target!(|data: &[u8]| {
    let m = &*NIS;
    let path = Path::new("fuzz.csv");

    let mut entities = Vec::new();
    let mut pos = HashMap::new();
    let _ = run::read_values(m, path, data, &mut entities, &mut pos, "district");

    let ind_pos: HashMap<&str, usize> = m
        .indicators()
        .map(|(i, n, _)| (n.code.as_str(), i))
        .collect();
    let known: HashMap<String, usize> = [("1703202".to_owned(), 0), ("1703203".to_owned(), 1)]
        .into_iter()
        .collect();
    let mut table = vec![
        EntityInput::new(m, "1703202", "district"),
        EntityInput::new(m, "1703203", "district"),
    ];
    // The bench reader streams its file in two halves on two threads, so
    // the input goes through a file of this process's own.
    let file = std::env::temp_dir().join(format!("daraja-fuzz-values-{}.csv", std::process::id()));
    if std::fs::write(&file, data).is_ok() {
        let _ = bench::read_values(&file, &known, &ind_pos, &mut table);
    }

    if data.len() <= 40
        && let Some(x) = bench::decimal(data)
    {
        let parsed: f64 = std::str::from_utf8(data)
            .expect("a decimal is ASCII")
            .parse()
            .expect("what the fast path reads, str::parse reads");
        assert_eq!(
            x.to_bits(),
            parsed.to_bits(),
            "{:?}",
            String::from_utf8_lossy(data)
        );
    }
});
