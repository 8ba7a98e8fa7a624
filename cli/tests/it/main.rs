//! `daraja-score` end to end: the differential test against the numpy
//! reference scorer, and bad inputs that must name file, line and field.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_daraja-score"))
}

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/scoring")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("daraja-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn python(args: &[&str]) {
    let out = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 {args:?} failed (numpy and pandas are installed by scripts/setup.sh --test): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bench_output_is_byte_identical_to_reference_py() {
    let cases: [&[&str]; 4] = [
        &["--entities", "300", "--draws", "200"],
        &[
            "--entities",
            "57",
            "--indicators",
            "7",
            "--subdomains",
            "3",
            "--draws",
            "101",
            "--missing",
            "0.3",
            "--seed",
            "5",
        ],
        &[
            "--entities",
            "400",
            "--domains",
            "3",
            "--subdomains",
            "1",
            "--indicators",
            "150",
            "--draws",
            "50",
            "--seed",
            "9",
        ],
        &[
            "--entities",
            "20",
            "--missing",
            "0.9",
            "--draws",
            "19",
            "--seed",
            "11",
        ],
    ];
    for (i, args) in cases.iter().enumerate() {
        let dir = tmp(&format!("wl{i}"));
        let d = dir.to_str().unwrap();
        let generator = bench_dir().join("generate.py");
        let mut gen_args = vec![generator.to_str().unwrap(), d];
        gen_args.extend_from_slice(args);
        python(&gen_args);
        let reference = dir.join("reference.csv");
        python(&[
            bench_dir().join("reference.py").to_str().unwrap(),
            d,
            reference.to_str().unwrap(),
        ]);
        let ours = dir.join("ours.csv");
        let status = bin()
            .args(["bench", d, ours.to_str().unwrap()])
            .status()
            .unwrap();
        assert!(status.success(), "case {i}");
        let (a, b) = (
            std::fs::read(&reference).unwrap(),
            std::fs::read(&ours).unwrap(),
        );
        assert!(
            a == b,
            "case {i} {args:?}: results.csv differs from reference.py"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `bench` on a generated workload whose values.csv is edited by `edit`
/// (the file's lines): exit code and stderr, and the output when written.
fn bench_with(name: &str, edit: impl Fn(&mut Vec<String>)) -> (i32, String, Option<String>) {
    let dir = tmp(name);
    let d = dir.to_str().unwrap();
    let generator = bench_dir().join("generate.py");
    python(&[
        generator.to_str().unwrap(),
        d,
        "--entities",
        "40",
        "--draws",
        "20",
    ]);
    let path = dir.join("values.csv");
    let mut lines: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    edit(&mut lines);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let out_csv = dir.join("out.csv");
    let out = bin()
        .args(["bench", d, out_csv.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        std::fs::read_to_string(out_csv).ok(),
    )
}

#[test]
fn bench_names_the_line_of_a_bad_value_in_either_half_of_the_file() {
    // The file is parsed in two halves on two threads: a line near the
    // end must still be named by its number in the whole file.
    for at in [5usize, 9_000] {
        let (code, stderr, _) = bench_with(&format!("bad{at}"), |lines| {
            let cells: Vec<&str> = lines[at - 1].split(',').collect();
            lines[at - 1] = format!("{},{},7,8x", cells[0], cells[1]);
        });
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains(&format!("values.csv:{at}: value: \"7,8x\" is not a number"))
                || stderr.contains(&format!("values.csv:{at}: row")),
            "line {at}: {stderr}"
        );
    }
    // A second value for the same cell, in the second half.
    let (code, stderr, _) = bench_with("twice", |lines| {
        let last = lines.last().unwrap().clone();
        lines.push(last);
    });
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("second value for the same entity and indicator"),
        "{stderr}"
    );
}

#[test]
fn bench_reads_quoted_and_reordered_values_like_plain_ones() {
    let (code, stderr, plain) = bench_with("plain", |_| {});
    assert_eq!(code, 0, "{stderr}");
    // The same cells quoted, with CRLF endings and the rows reversed: the
    // byte path gives way to the csv reader and the fast guesses miss.
    let (code, stderr, quoted) = bench_with("quoted", |lines| {
        let body: Vec<String> = lines[1..]
            .iter()
            .rev()
            .map(|l| {
                let c: Vec<&str> = l.split(',').collect();
                format!("\"{}\",{},{}\r", c[0], c[1], c[2])
            })
            .collect();
        lines.truncate(1);
        lines.extend(body);
    });
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(plain, quoted);
    let (code, stderr, reordered) = bench_with("reordered", |lines| {
        lines[1..].reverse();
    });
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(plain, reordered);
}

fn seeds(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../seeds/methodologies")
        .join(name)
        .display()
        .to_string()
}

/// Runs `run` with a values file and returns (exit code, stderr).
fn run_values(values: &str) -> (i32, String) {
    let dir = tmp("run");
    let v = dir.join("values.csv");
    std::fs::write(&v, values).unwrap();
    let out = bin()
        .args([
            "run",
            "--methodology",
            &seeds("nis-districts-2020.toml"),
            "--values",
        ])
        .arg(&v)
        .arg("--out")
        .arg(dir.join("out.csv"))
        .args(["--draws", "20"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_values_name_file_line_and_field_and_exit_2() {
    let cases = [
        (
            "entity,indicator,value\n1703202,INFRA.mobile_4g,abc\n",
            ":2: value: INFRA.mobile_4g: \"abc\" is not a number",
        ),
        (
            "entity,indicator,value\n1703202,INFRA.nope,1\n",
            ":2: indicator: \"INFRA.nope\" is not an indicator of nis-districts@2020",
        ),
        (
            "entity,indicator,value\n1703202,INFRA.mobile_4g,140\n",
            ":2: value: INFRA.mobile_4g: 140 is outside [0, 100]",
        ),
        (
            "entity,indicator,value\n1703202,ECON.local_services,maybe\n",
            ":2: value: ECON.local_services: \"maybe\" is not yes or no",
        ),
        (
            "entity,indicator\n",
            ":1: column 3: expected header \"value\"",
        ),
        (
            "entity,indicator,value\n1703202,INFRA.mobile_4g,50\n1703202,INFRA.mobile_4g,60\n",
            ":3: indicator: second value for 1703202 INFRA.mobile_4g",
        ),
    ];
    for (values, want) in cases {
        let (code, stderr) = run_values(values);
        assert_eq!(code, 2, "{values}: {stderr}");
        assert!(
            stderr.contains(want),
            "{values}\nwanted {want:?} in\n{stderr}"
        );
    }
}

#[test]
fn run_writes_csv_and_json_with_real_spellings() {
    let dir = tmp("ok");
    let v = dir.join("values.csv");
    std::fs::write(
        &v,
        "entity,indicator,value\n1703202,INFRA.mobile_4g,\"85 %\"\n1703202,ECON.cashless,\"7,8\"\n1703202,ECON.local_services,ha\n\
         1703203,INFRA.mobile_4g,60\n1703203,ECON.it_residents,\"1 240\"\n",
    )
    .unwrap();
    for ext in ["csv", "json"] {
        let out = dir.join(format!("out.{ext}"));
        let status = bin()
            .args([
                "run",
                "--methodology",
                &seeds("nis-districts-2020.toml"),
                "--values",
            ])
            .arg(&v)
            .arg("--out")
            .arg(&out)
            .status()
            .unwrap();
        assert!(status.success());
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.contains("1703202") && text.contains("1703203"),
            "{text}"
        );
        if ext == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["entities"].as_array().unwrap().len(), 2);
            assert!(
                v["entities"][0]["improve_first"]
                    .as_array()
                    .is_some_and(|g| !g.is_empty())
            );
        } else {
            assert!(text.starts_with("entity,kind,index,band,rank,rank_in_kind,rank_median,rank_p05,rank_p95,change,INFRA,ECON,EDU\n"));
        }
    }
}

#[test]
fn check_reports_every_problem_and_exits_2() {
    let dir = tmp("check");
    let f = dir.join("m.toml");
    std::fs::write(
        &f,
        "id = \"x\"\nversion = \"1\"\ntitle = { en = \"X\" }\napplies_to = [\"district\"]\nvalid_from = \"2020-13-01\"\n\
         [[band]]\ncode = \"a\"\nmin = 10.0\nmax = 100.0\n[[node]]\ncode = \"D\"\nweight = -1.0\n",
    )
    .unwrap();
    let out = bin().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "valid_from \"2020-13-01\" is not a date",
        "gap: no band covers 0 to 10",
        "D: weight -1 is not positive",
        "group has no children",
    ] {
        assert!(err.contains(want), "wanted {want:?} in\n{err}");
    }
}
