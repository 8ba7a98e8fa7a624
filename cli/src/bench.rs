//! The neutral benchmark workload of shared/bench/scoring: read it, score
//! it with the engine, write `results.csv` byte-identical to `reference.py`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;

use methodology::{Draws, EntityInput, ScoreOptions, rank_uncertainty, score};
use serde::Deserialize;

use crate::table::{InputError, at, csv_reader, field, line, open, read};

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
    read_values(&val_path, &pos, &ind_pos, &mut entities)?;

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

/// Reads `entity,indicator,value` rows from `path`. The workload's files
/// hold no quoted fields, so rows are split on bytes; consecutive rows
/// usually share the entity and follow the indicator order, so both are
/// first matched against what the previous row makes likely. The file is
/// read in two halves (split at a line break) on two threads, each in
/// blocks of one buffer, so it is never held whole. A file with quotes
/// goes through the csv crate instead.
pub fn read_values(
    path: &Path,
    pos: &HashMap<String, usize>,
    ind_pos: &HashMap<&str, usize>,
    entities: &mut [EntityInput],
) -> Result<(), InputError> {
    let io = |e: std::io::Error| InputError::Io(path.display().to_string(), e);
    let len = std::fs::metadata(path).map_err(io)?.len();
    let header_end = line_end_from(path, 0, len).map_err(io)?;
    let mut head = vec![0u8; header_end as usize];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map_err(io)?;
    let header = std::str::from_utf8(&head)
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
    let body = (header_end + 1).min(len);
    let mid = (line_end_from(path, body + (len - body) / 2, len).map_err(io)? + 1).min(len);
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
    let part = |from: u64, to: u64| -> Result<Vec<(u32, u32, f64)>, Stop> {
        let mut rows = Rows {
            pos,
            codes: &codes,
            k_of: &k_of,
            entity: (Vec::new(), None),
            k: usize::MAX,
            n: 0,
            out: Vec::with_capacity(((to - from) / 24) as usize),
        };
        for_each_block(path, from, to, |block| rows.block(block))?;
        Ok(rows.out)
    };
    let (a, b) = std::thread::scope(|s| {
        let h = s.spawn(|| part(mid, len));
        (part(body, mid), h.join().expect("parser thread"))
    });
    // Line numbers: the header is line 1; the second half starts after the
    // first half's lines (counted only when needed).
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(Stop::Quoted), _) | (_, Err(Stop::Quoted)) => {
            let bytes = std::fs::read(path).map_err(io)?;
            return read_values_quoted(path, &bytes, pos, ind_pos, entities);
        }
        (Err(Stop::Io(e)), _) | (_, Err(Stop::Io(e))) => return Err(io(e)),
        (Err(Stop::At(line, field, message)), _) => return Err(at(path, 1 + line, field, message)),
        (_, Err(Stop::At(line, field, message))) => {
            let bytes = std::fs::read(path).map_err(io)?;
            let base = 1 + bytes[body as usize..mid as usize]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
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
            let text = std::fs::read_to_string(path).unwrap_or_default();
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

/// Why a half of the values file stopped: a quote (the csv reader takes
/// over), a problem at a line of that half, or a read error.
enum Stop {
    Quoted,
    At(u64, &'static str, String),
    Io(std::io::Error),
}

/// The offset of the first line break at or after `from` (`len` if none).
fn line_end_from(path: &Path, from: u64, len: u64) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(from))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut at = from;
    loop {
        let got = file.read(&mut buf)?;
        if got == 0 {
            return Ok(len);
        }
        if let Some(i) = buf[..got].iter().position(|&b| b == b'\n') {
            return Ok(at + i as u64);
        }
        at += got as u64;
    }
}

/// Calls `f` with the bytes `from..to` of `path` in blocks that end at a
/// line break (the last may not), reusing one buffer.
fn for_each_block(
    path: &Path,
    from: u64,
    to: u64,
    mut f: impl FnMut(&[u8]) -> Result<(), Stop>,
) -> Result<(), Stop> {
    const BLOCK: usize = 1 << 20;
    let mut file = std::fs::File::open(path).map_err(Stop::Io)?;
    file.seek(SeekFrom::Start(from)).map_err(Stop::Io)?;
    let mut left = to.saturating_sub(from);
    let mut buf = vec![0u8; BLOCK];
    let mut kept = 0; // bytes of an unfinished line carried to the front
    while left > 0 || kept > 0 {
        if kept == buf.len() {
            buf.resize(buf.len() * 2, 0); // a line longer than the buffer
        }
        let want = ((buf.len() - kept) as u64).min(left) as usize;
        let got = file.read(&mut buf[kept..kept + want]).map_err(Stop::Io)?;
        left -= got as u64;
        let filled = kept + got;
        if got == 0 {
            // End of the range (or the file): the rest is the last line.
            if filled > 0 {
                f(&buf[..filled])?;
            }
            return Ok(());
        }
        match buf[..filled].iter().rposition(|&b| b == b'\n') {
            Some(i) => {
                f(&buf[..=i])?;
                buf.copy_within(i + 1..filled, 0);
                kept = filled - i - 1;
            }
            None => kept = filled,
        }
    }
    Ok(())
}

/// The state of one half's parse: the previous row's entity and indicator
/// (the likely next ones) and the cells read so far.
struct Rows<'a> {
    pos: &'a HashMap<String, usize>,
    /// Indicator codes in methodology order, each with its node.
    codes: &'a [(&'a str, usize)],
    k_of: &'a HashMap<&'a str, usize>,
    /// The previous row's entity code and its position in entities.csv.
    entity: (Vec<u8>, Option<usize>),
    /// Position in `codes` of the previous row's indicator.
    k: usize,
    /// Lines seen.
    n: u64,
    /// (entity, node, value) in file order.
    out: Vec<(u32, u32, f64)>,
}

impl Rows<'_> {
    /// Every line of `block` (whole lines; the last may lack its break).
    fn block(&mut self, block: &[u8]) -> Result<(), Stop> {
        let mut start = 0;
        while start < block.len() {
            start = self.line(block, start)?;
        }
        Ok(())
    }

    /// The line of `block` starting at `start`; returns where the next
    /// begins.
    fn line(&mut self, block: &[u8], start: usize) -> Result<usize, Stop> {
        self.n += 1;
        let rest = &block[start..];
        // The entity and the indicator as the previous row predicts them,
        // compared as whole prefixes; otherwise found by scanning.
        let e_len = self.entity.0.len();
        let same_entity = e_len > 0
            && rest.len() > e_len
            && rest[e_len] == b','
            && rest[..e_len] == self.entity.0[..];
        let next = self.k.wrapping_add(1) % self.codes.len().max(1);
        let (c1, c2, ind) = match self.codes.get(next) {
            Some((code, node))
                if same_entity
                    && rest.len() > e_len + 1 + code.len()
                    && rest[e_len + 1 + code.len()] == b','
                    && rest[e_len + 1..e_len + 1 + code.len()] == *code.as_bytes() =>
            {
                self.k = next;
                (e_len, e_len + 1 + code.len(), Some(*node))
            }
            _ => (usize::MAX, usize::MAX, None),
        };
        // The rest of the line (all of it when nothing was predicted): the
        // commas still unknown, a quote, the end.
        let (mut c1, mut c2, mut end) = (c1, c2, rest.len());
        let mut j = if c2 == usize::MAX { 0 } else { c2 + 1 };
        while j < rest.len() {
            match rest[j] {
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
        let next_start = start + end + 1;
        let line_end = if end > 0 && rest[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        if line_end == 0 {
            return Ok(next_start);
        }
        if c2 == usize::MAX || c2 > line_end {
            return Err(Stop::At(
                self.n,
                "row",
                "expected three fields: entity,indicator,value".into(),
            ));
        }
        let entity = &rest[..c1];
        let indicator = &rest[c1 + 1..c2];
        let value = rest[c2 + 1..line_end].trim_ascii();
        if entity != self.entity.0.as_slice() {
            let id = std::str::from_utf8(entity).ok();
            self.entity = (entity.to_vec(), id.and_then(|id| self.pos.get(id).copied()));
        }
        let ind = match ind {
            Some(node) => Some(node),
            None => match self.codes.get(next) {
                Some((code, node)) if code.as_bytes() == indicator => {
                    self.k = next;
                    Some(*node)
                }
                _ => std::str::from_utf8(indicator)
                    .ok()
                    .and_then(|code| self.k_of.get(code))
                    .map(|&found| {
                        self.k = found;
                        self.codes[found].1
                    }),
            },
        };
        let (Some(e), Some(i)) = (self.entity.1, ind) else {
            return Ok(next_start); // not in entities.csv or not in the methodology: ignored, as by the reference
        };
        if value.is_empty() {
            return Ok(next_start);
        }
        let x = match decimal(value) {
            Some(x) => x,
            None => std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| {
                    Stop::At(
                        self.n,
                        "value",
                        format!("{:?} is not a number", String::from_utf8_lossy(value)),
                    )
                })?,
        };
        self.out.push((e as u32, i as u32, x));
        Ok(next_start)
    }
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
