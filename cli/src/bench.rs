//! The neutral benchmark workload of shared/bench/scoring: read it, score
//! it with the engine, write `results.csv` byte-identical to `reference.py`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};
use serde::Deserialize;

use crate::table::{InputError, at, csv_reader, field, line, read};

#[derive(Deserialize)]
struct Workload {
    bands: Vec<WBand>,
    domains: Vec<WDomain>,
}

#[derive(Deserialize)]
struct WBand {
    label: String,
    min: f64,
}

#[derive(Deserialize)]
struct WDomain {
    code: String,
    weight: f64,
    subdomains: Vec<WSub>,
}

#[derive(Deserialize)]
struct WSub {
    code: String,
    weight: f64,
    indicators: Vec<WIndicator>,
}

#[derive(Deserialize)]
struct WIndicator {
    code: String,
    min: f64,
    max: f64,
    higher_is_better: bool,
    weight: f64,
}

/// Writes the workload's tree as a methodology file, so that it goes
/// through the same parser and validation as every shipped methodology.
fn to_toml(w: &Workload) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "id = \"bench\"\nversion = \"workload\"\ntitle = {{ en = \"Benchmark workload\" }}\napplies_to = [\"any\"]\nvalid_from = \"2000-01-01\"\n"
    );
    let mut bands: Vec<&WBand> = w.bands.iter().collect();
    bands.sort_by(|a, b| a.min.total_cmp(&b.min));
    for (i, b) in bands.iter().enumerate() {
        let max = bands.get(i + 1).map_or((b.min + 1.0).max(100.0), |n| n.min);
        let _ = writeln!(
            s,
            "[[band]]\ncode = {:?}\nmin = {:?}\nmax = {:?}\n",
            b.label, b.min, max
        );
    }
    for d in &w.domains {
        let _ = writeln!(
            s,
            "[[node]]\ncode = {:?}\nweight = {:?}\n",
            d.code, d.weight
        );
        for sd in &d.subdomains {
            let _ = writeln!(
                s,
                "[[node]]\ncode = {:?}\nparent = {:?}\nweight = {:?}\n",
                sd.code, d.code, sd.weight
            );
        }
    }
    for d in &w.domains {
        for sd in &d.subdomains {
            for i in &sd.indicators {
                let _ = writeln!(
                    s,
                    "[[indicator]]\ncode = {:?}\nparent = {:?}\nkind = \"number\"\nweight = {:?}\npolarity = \"{}\"\nnormalise = {{ method = \"goalposts\", min = {:?}, max = {:?} }}\n",
                    i.code,
                    sd.code,
                    i.weight,
                    if i.higher_is_better {
                        "higher"
                    } else {
                        "lower"
                    },
                    i.min,
                    i.max
                );
            }
        }
    }
    s
}

/// Runs the workload in `dir` and writes `out`.
pub fn main(dir: &Path, out: &Path) -> Result<(), InputError> {
    let meth_path = dir.join("methodology.json");
    let workload: Workload = serde_json::from_str(&read(&meth_path)?)
        .map_err(|e| at(&meth_path, e.line() as u64, "methodology", e.to_string()))?;
    let m = methodology::parse(&meth_path.display().to_string(), &to_toml(&workload))
        .map_err(InputError::Methodology)?;

    // Entities, in output order.
    let ent_path = dir.join("entities.csv");
    let mut rdr = csv_reader(&ent_path, &["entity", "kind"])?;
    let mut entities: Vec<EntityInput> = Vec::new();
    let mut pos: HashMap<String, usize> = HashMap::new();
    let mut rec = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(&ent_path, 0, "row", e.to_string()))?
    {
        let id = field(&ent_path, &rec, 0, "entity")?;
        if pos.insert(id.to_owned(), entities.len()).is_some() {
            return Err(at(
                &ent_path,
                line(&rec),
                "entity",
                format!("{id:?} is listed twice"),
            ));
        }
        entities.push(EntityInput::new(&m, id, "any"));
    }

    // Values, long form; a missing value is an absent row or an empty cell.
    let val_path = dir.join("values.csv");
    let mut rdr = csv_reader(&val_path, &["entity", "indicator", "value"])?;
    let ind_pos: HashMap<&str, usize> = m
        .indicators()
        .map(|(i, n, _)| (n.code.as_str(), i))
        .collect();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(&val_path, 0, "row", e.to_string()))?
    {
        let (Some(&e), Some(&i)) = (
            pos.get(field(&val_path, &rec, 0, "entity")?),
            ind_pos.get(field(&val_path, &rec, 1, "indicator")?),
        ) else {
            continue; // not in entities.csv or not in the methodology: ignored, as by the reference
        };
        let text = field(&val_path, &rec, 2, "value")?.trim();
        if text.is_empty() {
            continue;
        }
        let x: f64 = text.parse().map_err(|_| {
            at(
                &val_path,
                line(&rec),
                "value",
                format!("{text:?} is not a number"),
            )
        })?;
        let slot = &mut entities[e].raw[i];
        if slot.is_some() {
            return Err(at(
                &val_path,
                line(&rec),
                "indicator",
                "second value for the same entity and indicator",
            ));
        }
        *slot = Some(x);
    }

    // Draws: one column per domain, matched by code.
    let draws_path = dir.join("draws.csv");
    let file = std::fs::File::open(&draws_path)
        .map_err(|e| InputError::Io(draws_path.display().to_string(), e))?;
    let mut rdr = csv::Reader::from_reader(file);
    let header = rdr
        .headers()
        .map_err(|e| at(&draws_path, 1, "header", e.to_string()))?
        .clone();
    let cols: Vec<usize> = m
        .domains()
        .iter()
        .map(|&d| {
            let code = &m.nodes[d].code;
            header
                .iter()
                .position(|h| h == code)
                .ok_or_else(|| at(&draws_path, 1, code, "no column for this domain"))
        })
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(&draws_path, 0, "row", e.to_string()))?
    {
        let row = cols
            .iter()
            .map(|&c| {
                let name = &header[c];
                let t = field(&draws_path, &rec, c, name)?;
                t.trim().parse::<f64>().map_err(|_| {
                    at(
                        &draws_path,
                        line(&rec),
                        name,
                        format!("{t:?} is not a number"),
                    )
                })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        rows.push(row);
    }

    let results = score(&m, &entities, &ScoreOptions { explain: false });
    let intervals = rank_uncertainty(&m, &results, &Draws { rows });

    let mut buf = String::with_capacity(entities.len() * 48);
    buf.push_str("entity,index,band,rank,rank_p05,rank_p95\n");
    for (r, iv) in results.entities.iter().zip(&intervals) {
        let _ = write!(buf, "{},", r.entity);
        if let Some(x) = r.index {
            let _ = write!(buf, "{x:.6}");
        }
        let _ = writeln!(
            buf,
            ",{},{},{},{}",
            r.band.as_deref().unwrap_or(""),
            r.rank,
            iv.p05,
            iv.p95
        );
    }
    let mut f =
        std::fs::File::create(out).map_err(|e| InputError::Io(out.display().to_string(), e))?;
    f.write_all(buf.as_bytes())
        .map_err(|e| InputError::Io(out.display().to_string(), e))
}
