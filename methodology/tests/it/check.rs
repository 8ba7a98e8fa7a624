//! Shared helpers: reading case files and comparing against expected text
//! that `UPDATE_EXPECT=1` rewrites.

use std::path::{Path, PathBuf};

use methodology::number::Notation;
use methodology::{EntityInput, Methodology, Value};

/// The golden files' values are written as an Uzbek officer writes them
/// (`7,5`).
pub const PEOPLE: Notation = Notation::Person(methodology::number::Locale::UzLatn);

/// The crate's `tests/` folder.
pub fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The shipped methodologies folder.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds/methodologies")
}

/// The shared reference data folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data")
}

/// Compares `actual` with the file at `path`; with `UPDATE_EXPECT=1` the
/// file is rewritten instead.
pub fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_EXPECT=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .filter(|(_, (e, a))| e != a)
            .take(10)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .collect();
        panic!(
            "{} differs ({} vs {} lines); UPDATE_EXPECT=1 rewrites it\n{}",
            path.display(),
            expected.lines().count(),
            actual.lines().count(),
            diff.join("\n")
        );
    }
}

/// Reads a methodology file, panicking with its diagnostics.
pub fn load(path: &Path) -> Methodology {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    methodology::parse(&path.display().to_string(), &src).unwrap_or_else(|e| panic!("{e}"))
}

/// Rows of a CSV file as string vectors (header skipped).
pub fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Entities from `entities.csv` (entity,kind[,peer_group]) with values from
/// a long-form `values` file.
pub fn inputs(m: &Methodology, entities: &Path, values: &Path) -> Vec<EntityInput> {
    let mut out: Vec<EntityInput> = rows(entities)
        .into_iter()
        .map(|r| {
            let mut e = EntityInput::new(m, &r[0], &r[1]);
            e.peer_group = r.get(2).filter(|g| !g.is_empty()).cloned();
            e
        })
        .collect();
    fill(m, &mut out, values);
    out
}

/// Sets raw values from a long-form file onto `entities`.
pub fn fill(m: &Methodology, entities: &mut [EntityInput], values: &Path) {
    for r in rows(values) {
        let e = entities
            .iter_mut()
            .find(|e| e.id == r[0])
            .unwrap_or_else(|| panic!("{}: unknown entity {}", values.display(), r[0]));
        let i = m
            .find(&r[1])
            .unwrap_or_else(|| panic!("unknown indicator {}", r[1]));
        let ind = m.nodes[i].indicator().expect("an indicator");
        let v = Value::read(ind, &r[2], PEOPLE, None)
            .unwrap_or_else(|err| panic!("{} {}: {err}", r[0], r[1]));
        e.raw[i] = v.raw(ind);
    }
}
