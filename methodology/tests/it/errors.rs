//! Parser diagnostics: each tests/errors/*.toml starts with `#! ` lines,
//! the diagnostics it must produce (file name, line, node, message), in
//! order. Adding a case is adding a file.

use crate::check::tests_dir;

#[test]
fn every_broken_file_reports_what_and_where() {
    let mut files: Vec<_> = std::fs::read_dir(tests_dir().join("errors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 8,
        "expected the error catalogue, found {} files",
        files.len()
    );
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expected: Vec<String> = src
            .lines()
            .filter_map(|l| l.strip_prefix("#! "))
            .map(|l| l.replace("FILE", &name))
            .collect();
        assert!(
            !expected.is_empty(),
            "{name} declares no expected diagnostic"
        );
        let err = methodology::parse(&name, &src).expect_err(&name);
        let actual: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(actual, expected, "{name}");
    }
}
