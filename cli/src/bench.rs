//! The neutral benchmark workload of shared/bench/scoring: read it, score
//! it with the engine, write `results.csv` byte-identical to `reference.py`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};
use serde::Deserialize;

use crate::table::{InputError, at, csv_reader, field, line, open, read, read_bytes};

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
    let t0 = std::time::Instant::now();
    let meth_path = dir.join("methodology.json");
    let workload: Workload = serde_json::from_str(&read(&meth_path)?)
        .map_err(|e| at(&meth_path, e.line() as u64, "methodology", e.to_string()))?;
    let m = methodology::parse(&meth_path.display().to_string(), &to_toml(&workload))
        .map_err(InputError::Methodology)?;

    // Entities, in output order.
    let ent_path = dir.join("entities.csv");
    let mut rdr = csv_reader(&ent_path, open(&ent_path)?, &["entity", "kind"])?;
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
    let ind_pos: HashMap<&str, usize> = m
        .indicators()
        .map(|(i, n, _)| (n.code.as_str(), i))
        .collect();
    let bytes = read_bytes(&val_path)?;
    read_values(&val_path, &bytes, &pos, &ind_pos, &mut entities)?;

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

    let t1 = std::time::Instant::now();
    let results = score(&m, &entities, &ScoreOptions { explain: false });
    let t2 = std::time::Instant::now();
    let intervals = rank_uncertainty(&m, &results, &Draws { rows });
    let t3 = std::time::Instant::now();

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
        .map_err(|e| InputError::Io(out.display().to_string(), e))?;
    let t4 = std::time::Instant::now();
    eprintln!(
        "load {:.3}s score {:.3}s sensitivity {:.3}s write {:.3}s",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        (t4 - t3).as_secs_f64()
    );
    Ok(())
}

/// Reads `entity,indicator,value` rows. The workload's files hold no
/// quoted fields, so rows are split on bytes; consecutive rows usually
/// share the entity and follow the indicator order, so both lookups are
/// first tried against the previous row. A file with quotes goes through
/// the csv crate instead.
pub fn read_values(
    path: &Path,
    bytes: &[u8],
    pos: &HashMap<String, usize>,
    ind_pos: &HashMap<&str, usize>,
    entities: &mut [EntityInput],
) -> Result<(), InputError> {
    // Work on bytes: only the header, each new entity code and the rare
    // value that is not a plain decimal are decoded as UTF-8.
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let header = std::str::from_utf8(&bytes[..header_end])
        .map_err(|e| at(path, 1, "header", format!("not UTF-8: {e}")))?
        .trim_end_matches('\r')
        .trim_start_matches('\u{feff}');
    if header != "entity,indicator,value" {
        return Err(at(
            path,
            1,
            "header",
            format!("expected \"entity,indicator,value\", found {header:?}"),
        ));
    }
    // Two halves, split at a line break, parsed on two threads; the cells
    // are then stored in file order so errors report the first bad line.
    let body = &bytes[(header_end + 1).min(bytes.len())..];
    let mid = body[body.len() / 2..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(body.len(), |i| body.len() / 2 + i + 1);
    let (first, second) = body.split_at(mid);
    // Indicator codes in methodology order, each with its node.
    let codes: Vec<(&str, usize)> = {
        let mut v: Vec<(&str, usize)> = ind_pos.iter().map(|(c, i)| (*c, *i)).collect();
        v.sort_by_key(|(_, i)| *i);
        v
    };
    let k_of: HashMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(k, (c, _))| (*c, k))
        .collect();
    /// A problem at a line of a chunk, or a quote that needs the csv reader.
    enum Stop {
        Quoted,
        At(u64, &'static str, String),
    }
    let parse = |chunk: &[u8]| -> Result<Vec<(u32, u32, f64)>, Stop> {
        let mut out = Vec::with_capacity(chunk.len() / 24);
        let mut last_entity: (&[u8], Option<usize>) = (&[], None);
        let mut k = usize::MAX; // position in `codes` of the previous row's indicator
        // One pass over the bytes per line: the two commas, then the end.
        let mut start = 0;
        let mut n = 0u64;
        while start < chunk.len() {
            let (mut c1, mut c2, mut end) = (usize::MAX, usize::MAX, chunk.len());
            let mut j = start;
            while j < chunk.len() {
                match chunk[j] {
                    b',' if c1 == usize::MAX => c1 = j,
                    b',' if c2 == usize::MAX => c2 = j,
                    b'"' => return Err(Stop::Quoted),
                    b'\n' => {
                        end = j;
                        break;
                    }
                    _ => {}
                }
                j += 1;
            }
            let line_start = start;
            start = end + 1;
            n += 1;
            let line_end = if end > line_start && chunk[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            if line_end == line_start {
                continue;
            }
            if c2 == usize::MAX || c2 > line_end {
                return Err(Stop::At(
                    n,
                    "row",
                    "expected three fields: entity,indicator,value".into(),
                ));
            }
            let entity = &chunk[line_start..c1];
            let indicator = &chunk[c1 + 1..c2];
            let value = chunk[c2 + 1..line_end].trim_ascii();
            if entity != last_entity.0 {
                let id = std::str::from_utf8(entity).ok();
                last_entity = (entity, id.and_then(|id| pos.get(id).copied()));
            }
            let next = k.wrapping_add(1) % codes.len().max(1);
            let ind = match codes.get(next) {
                Some((c, node)) if c.as_bytes() == indicator => {
                    k = next;
                    Some(*node)
                }
                _ => std::str::from_utf8(indicator)
                    .ok()
                    .and_then(|code| k_of.get(code))
                    .map(|&found| {
                        k = found;
                        codes[found].1
                    }),
            };
            let (Some(e), Some(i)) = (last_entity.1, ind) else {
                continue; // not in entities.csv or not in the methodology: ignored, as by the reference
            };
            if value.is_empty() {
                continue;
            }
            let x = match decimal(value) {
                Some(x) => x,
                None => std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| {
                        Stop::At(
                            n,
                            "value",
                            format!("{:?} is not a number", String::from_utf8_lossy(value)),
                        )
                    })?,
            };
            out.push((e as u32, i as u32, x));
        }
        Ok(out)
    };
    let (a, b) = std::thread::scope(|s| {
        let h = s.spawn(|| parse(second));
        (parse(first), h.join().expect("parser thread"))
    });
    // Line numbers: the header is line 1; the second half starts after the
    // first half's lines (counted only when needed).
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(Stop::Quoted), _) | (_, Err(Stop::Quoted)) => {
            return read_values_quoted(path, bytes, pos, ind_pos, entities);
        }
        (Err(Stop::At(line, field, message)), _) => return Err(at(path, 1 + line, field, message)),
        (_, Err(Stop::At(line, field, message))) => {
            let base = 1 + first.iter().filter(|&&b| b == b'\n').count() as u64;
            return Err(at(path, base + line, field, message));
        }
    };
    for (e, i, x) in a.into_iter().chain(b) {
        let slot = &mut entities[e as usize].raw[i as usize];
        if slot.is_some() {
            // Rare: find the line of the second value for the message.
            let (entity, code) = (
                entities[e as usize].id.clone(),
                codes.iter().find(|c| c.1 == i as usize).map_or("", |c| c.0),
            );
            let text = String::from_utf8_lossy(bytes);
            let line = text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.starts_with(&format!("{entity},{code},")))
                .nth(1)
                .map_or(0, |(n, _)| n as u64 + 1);
            return Err(at(
                path,
                line,
                "indicator",
                "second value for the same entity and indicator",
            ));
        }
        *slot = Some(x);
    }
    Ok(())
}

fn set_value(path: &Path, line: u64, text: &str, slot: &mut Option<f64>) -> Result<(), InputError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(());
    }
    let x: f64 = text
        .parse()
        .map_err(|_| at(path, line, "value", format!("{text:?} is not a number")))?;
    if slot.is_some() {
        return Err(at(
            path,
            line,
            "indicator",
            "second value for the same entity and indicator",
        ));
    }
    *slot = Some(x);
    Ok(())
}

fn read_values_quoted(
    path: &Path,
    bytes: &[u8],
    pos: &HashMap<String, usize>,
    ind_pos: &HashMap<&str, usize>,
    entities: &mut [EntityInput],
) -> Result<(), InputError> {
    let mut rdr = csv_reader(path, bytes, &["entity", "indicator", "value"])?;
    let mut rec = csv::ByteRecord::new();
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| at(path, 0, "row", e.to_string()))?
    {
        let (Some(&e), Some(&i)) = (
            pos.get(field(path, &rec, 0, "entity")?),
            ind_pos.get(field(path, &rec, 1, "indicator")?),
        ) else {
            continue;
        };
        set_value(
            path,
            line(&rec),
            field(path, &rec, 2, "value")?,
            &mut entities[e].raw[i],
        )?;
    }
    Ok(())
}

/// Powers of ten that f64 holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Reads a plain decimal (`-12.345`) exactly when it has at most 15
/// digits: the digits form an integer below 2^53 and the scale a power of
/// ten f64 holds exactly, so one division is correctly rounded (Clinger's
/// fast path) — the same number `str::parse` gives, several times faster.
/// Anything else (exponents, long mantissas, `inf`) returns `None` for the
/// general parser.
pub fn decimal(b: &[u8]) -> Option<f64> {
    let (negative, mut i) = match b.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let (mut mantissa, mut digits, mut scale, mut dot) = (0u64, 0u32, 0usize, false);
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                digits += 1;
                if digits > 15 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(c - b'0');
                if dot {
                    scale += 1;
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let x = mantissa as f64 / POW10[scale];
    Some(if negative { -x } else { x })
}

#[cfg(test)]
mod tests {
    use super::decimal;

    #[test]
    fn the_fast_path_agrees_with_the_standard_parser() {
        for s in [
            "0",
            "1.0",
            "-0.0",
            "123.457",
            "0.1",
            "99.999",
            "-35.125",
            "1e5",
            "12345678901234567",
            ".5",
            "5.",
            "1.2.3",
            "",
            "-",
            "inf",
        ] {
            let fast = decimal(s.as_bytes());
            let std = s.parse::<f64>().ok();
            if let Some(x) = fast {
                assert_eq!(Some(x.to_bits()), std.map(f64::to_bits), "{s}");
            }
        }
        // Every 3-decimal value in a range, as the workload writes them.
        for k in -200_000i64..200_000 {
            let s = format!("{}.{:03}", k / 1000, (k % 1000).abs());
            let s = if k < 0 && k > -1000 {
                format!("-{s}")
            } else {
                s
            };
            assert_eq!(
                decimal(s.as_bytes()).map(f64::to_bits),
                s.parse::<f64>().ok().map(f64::to_bits),
                "{s}"
            );
        }
    }
}
