//! `run`, `check` and `diff`: the methodologist's commands.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use methodology::number::Notation;
use methodology::{
    Draws, EntityInput, Methodology, RankInterval, Results, ScoreOptions, Value, rank_uncertainty,
    score,
};
use serde::Serialize;

/// Values files are written by people, in Uzbek or Russian notation
/// (`7,8`, `1 240`): a comma is the decimal mark.
const AS_PEOPLE_WRITE: Notation = Notation::Person(methodology::number::Locale::UzLatn);

use crate::table::{
    InputError, at, csv_reader, field, line, methodology as read_methodology, open, read_bytes,
};

struct Args {
    methodology: PathBuf,
    values: PathBuf,
    entities: Option<PathBuf>,
    previous: Option<PathBuf>,
    out: PathBuf,
    draws: usize,
    seed: u64,
    normalisation_spread: f64,
}

fn parse_args(args: &[String]) -> Result<Args, InputError> {
    let mut map: HashMap<&str, &str> = HashMap::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let known = [
            "--methodology",
            "--values",
            "--entities",
            "--previous",
            "--out",
            "--draws",
            "--seed",
            "--normalisation-spread",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(InputError::Usage(format!("unknown option {flag:?}")));
        }
        let v = it
            .next()
            .ok_or_else(|| InputError::Usage(format!("{flag} needs a value")))?;
        map.insert(flag, v);
    }
    let need = |k: &str| {
        map.get(k)
            .map(PathBuf::from)
            .ok_or_else(|| InputError::Usage(format!("{k} is required")))
    };
    let num = |k: &str, default: u64| -> Result<u64, InputError> {
        map.get(k).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| InputError::Usage(format!("{k} {v:?} is not a whole number")))
        })
    };
    Ok(Args {
        methodology: need("--methodology")?,
        values: need("--values")?,
        out: need("--out")?,
        entities: map.get("--entities").map(PathBuf::from),
        previous: map.get("--previous").map(PathBuf::from),
        draws: num("--draws", 1000)? as usize,
        seed: num("--seed", 2020)?,
        normalisation_spread: match map.get("--normalisation-spread") {
            None => 0.0,
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| (0.0..1.0).contains(x))
                .ok_or_else(|| {
                    InputError::Usage(format!(
                        "--normalisation-spread {v:?} must be a number in [0, 1)"
                    ))
                })?,
        },
    })
}

/// Reads a long-form value table (`bytes`, read from `path`) into inputs
/// for `entities`, adding entities it meets for the first time with
/// `default_kind`.
pub fn read_values(
    m: &Methodology,
    path: &Path,
    bytes: &[u8],
    entities: &mut Vec<EntityInput>,
    pos: &mut HashMap<String, usize>,
    default_kind: &str,
) -> Result<(), InputError> {
    let mut rdr = csv_reader(path, bytes, &["entity", "indicator", "value"])?;
    let mut rec = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(path, 0, "row", e.to_string()))?
    {
        let ln = line(&rec);
        let id = field(path, &rec, 0, "entity")?.trim();
        let code = field(path, &rec, 1, "indicator")?.trim();
        let text = field(path, &rec, 2, "value")?;
        let Some((i, ind)) = m
            .find(code)
            .and_then(|i| m.nodes[i].indicator().map(|ind| (i, ind)))
        else {
            return Err(at(
                path,
                ln,
                "indicator",
                format!("{code:?} is not an indicator of {}", m.key()),
            ));
        };
        let e = *pos.entry(id.to_owned()).or_insert_with(|| {
            entities.push(EntityInput::new(m, id, default_kind));
            entities.len() - 1
        });
        if text.trim().is_empty() {
            continue;
        }
        let v = Value::read(ind, text, AS_PEOPLE_WRITE, None)
            .map_err(|err| at(path, ln, "value", format!("{code}: {err}")))?;
        if let Some((lo, hi)) = ind.range
            && let Value::Number(x) = v
            && !(lo..=hi).contains(&x)
        {
            return Err(at(
                path,
                ln,
                "value",
                format!("{code}: {x} is outside [{lo}, {hi}]"),
            ));
        }
        if entities[e].raw[i].is_some() {
            return Err(at(
                path,
                ln,
                "indicator",
                format!("second value for {id} {code}"),
            ));
        }
        entities[e].raw[i] = v.raw(ind);
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOut<'a> {
    methodology: String,
    engine: &'static str,
    draws: usize,
    seed: u64,
    entities: Vec<JsonEntity<'a>>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    entity: &'a str,
    indicator: Option<&'a str>,
    kind: methodology::score::FindingKind,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    entity: &'a str,
    kind: &'a str,
    index: Option<f64>,
    band: Option<&'a str>,
    rank: u32,
    rank_in_kind: u32,
    rank_median: u32,
    rank_p05: u32,
    rank_p95: u32,
    change: Option<f64>,
    nodes: HashMap<&'a str, f64>,
    improve_first: Vec<JsonGap<'a>>,
}

#[derive(Serialize)]
struct JsonGap<'a> {
    indicator: &'a str,
    score: Option<f64>,
    max: f64,
    gain: f64,
}

/// `daraja-score run`.
pub fn main(args: &[String]) -> Result<(), InputError> {
    let a = parse_args(args)?;
    let m = read_methodology(&a.methodology)?;
    let default_kind = m.applies_to[0].clone();
    let (mut entities, mut pos) = match &a.entities {
        Some(path) => read_entities(&m, path)?,
        None => (Vec::new(), HashMap::new()),
    };
    read_values(
        &m,
        &a.values,
        &read_bytes(&a.values)?,
        &mut entities,
        &mut pos,
        &default_kind,
    )?;
    if let Some(prev) = &a.previous {
        let mut before: Vec<EntityInput> = entities
            .iter()
            .map(|e| EntityInput {
                raw: vec![None; m.nodes.len()],
                ..e.clone()
            })
            .collect();
        let mut before_pos = pos.clone();
        read_values(
            &m,
            prev,
            &read_bytes(prev)?,
            &mut before,
            &mut before_pos,
            &default_kind,
        )?;
        methodology::score::attach_previous(&m, &mut entities, before);
    }
    let results = score(&m, &entities, &ScoreOptions::default());
    let draws = Draws::seeded(a.seed, a.draws, m.domains().len(), 0.25);
    let intervals = if a.normalisation_spread > 0.0 {
        methodology::rank_uncertainty_with_normalisation(
            &m,
            &entities,
            &draws,
            methodology::NormalisationJitter {
                spread: a.normalisation_spread,
                seed: a.seed,
            },
        )
    } else {
        rank_uncertainty(&m, &results, &draws)
    };

    let is_json = a
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let bytes = if is_json {
        json_out(&m, &a, &results, &intervals)?
    } else {
        csv_out(&m, &results, &intervals)
    };
    std::fs::write(&a.out, bytes).map_err(|e| InputError::Io(a.out.display().to_string(), e))?;
    let n_find = results.findings.len();
    eprintln!(
        "scored {} entities against {}; {} findings; wrote {}",
        results.entities.len(),
        m.key(),
        n_find,
        a.out.display()
    );
    Ok(())
}

/// The entities file (`entity,kind[,peer_group]`): the entities in file
/// order, and each one's position by code.
fn read_entities(
    m: &Methodology,
    path: &Path,
) -> Result<(Vec<EntityInput>, HashMap<String, usize>), InputError> {
    let mut entities = Vec::new();
    let mut pos = HashMap::new();
    let mut rdr = csv_reader(path, open(path)?, &["entity", "kind"])?;
    let mut rec = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(path, 0, "row", e.to_string()))?
    {
        let id = field(path, &rec, 0, "entity")?.trim();
        let kind = field(path, &rec, 1, "kind")?.trim();
        if !m.applies_to.iter().any(|k| k == kind) {
            return Err(at(
                path,
                line(&rec),
                "kind",
                format!("{kind:?} is not one of {:?}", m.applies_to),
            ));
        }
        if pos.insert(id.to_owned(), entities.len()).is_some() {
            return Err(at(
                path,
                line(&rec),
                "entity",
                format!("{id:?} is listed twice"),
            ));
        }
        let mut e = EntityInput::new(m, id, kind);
        e.peer_group = rec
            .get(2)
            .and_then(|g| std::str::from_utf8(g).ok())
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        entities.push(e);
    }
    Ok((entities, pos))
}

/// The results as pretty JSON: each entity with its rank interval, node
/// scores and ten largest gaps, then the findings.
fn json_out(
    m: &Methodology,
    a: &Args,
    results: &Results,
    intervals: &[RankInterval],
) -> Result<Vec<u8>, InputError> {
    let out = JsonOut {
        methodology: m.key(),
        engine: methodology::ENGINE_VERSION,
        draws: a.draws,
        seed: a.seed,
        entities: results
            .entities
            .iter()
            .zip(intervals)
            .map(|(r, iv)| JsonEntity {
                entity: &r.entity,
                kind: &r.kind,
                index: r.index,
                band: r.band.as_deref(),
                rank: r.rank,
                rank_in_kind: r.rank_in_kind,
                rank_median: iv.median,
                rank_p05: iv.p05,
                rank_p95: iv.p95,
                change: r.change,
                nodes: m
                    .nodes
                    .iter()
                    .zip(&r.nodes)
                    .filter_map(|(n, s)| s.map(|s| (n.code.as_str(), s)))
                    .collect(),
                improve_first: r
                    .gaps
                    .iter()
                    .take(10)
                    .map(|g| JsonGap {
                        indicator: &m.nodes[g.node].code,
                        score: g.score,
                        max: g.max,
                        gain: g.gain,
                    })
                    .collect(),
            })
            .collect(),
        findings: results
            .findings
            .iter()
            .map(|f| JsonFinding {
                entity: &results.entities[f.entity].entity,
                indicator: f.indicator.map(|i| m.nodes[i].code.as_str()),
                kind: f.kind,
            })
            .collect(),
    };
    serde_json::to_vec_pretty(&out)
        .map_err(|e| InputError::Io(a.out.display().to_string(), e.into()))
}

/// The results as CSV: one row per entity with its rank interval and its
/// domain scores.
fn csv_out(m: &Methodology, results: &Results, intervals: &[RankInterval]) -> Vec<u8> {
    let mut s = String::from(
        "entity,kind,index,band,rank,rank_in_kind,rank_median,rank_p05,rank_p95,change",
    );
    for &d in m.domains() {
        let _ = write!(s, ",{}", m.nodes[d].code);
    }
    s.push('\n');
    let opt = |x: Option<f64>| x.map(|x| format!("{x:.6}")).unwrap_or_default();
    for (r, iv) in results.entities.iter().zip(intervals) {
        let _ = write!(
            s,
            "{},{},{},{},{},{},{},{},{},{}",
            r.entity,
            r.kind,
            opt(r.index),
            r.band.as_deref().unwrap_or(""),
            r.rank,
            r.rank_in_kind,
            iv.median,
            iv.p05,
            iv.p95,
            opt(r.change)
        );
        for &d in m.domains() {
            let _ = write!(s, ",{}", opt(r.nodes[d]));
        }
        s.push('\n');
    }
    s.into_bytes()
}

/// `daraja-score check FILE...`.
pub fn check(files: &[String]) -> Result<(), InputError> {
    let mut failed = 0;
    for f in files {
        match read_methodology(Path::new(f)) {
            Ok(m) => println!(
                "{f}: ok — {} ({} nodes, {} indicators, {} bands)",
                m.key(),
                m.nodes.len(),
                m.indicators().count(),
                m.bands.len()
            ),
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    if failed == 0 {
        Ok(())
    } else {
        Err(InputError::Reported(format!(
            "{failed} of {} files have problems",
            files.len()
        )))
    }
}

/// `daraja-score diff OLD NEW`.
pub fn diff(old: &str, new: &str) -> Result<(), InputError> {
    let (o, n) = (
        read_methodology(Path::new(old))?,
        read_methodology(Path::new(new))?,
    );
    let changes = methodology::diff::diff(&o, &n);
    println!("{} → {}: {} changes", o.key(), n.key(), changes.len());
    for c in &changes {
        println!("  {}", serde_json::to_string(c).unwrap_or_default());
    }
    match methodology::diff::backcast(&o, &n, &vec![None; o.nodes.len()]) {
        Ok(_) => println!("crosswalk declared: results can be back-cast"),
        Err(e) => println!("{e}"),
    }
    Ok(())
}
