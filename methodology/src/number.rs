//! Numbers as their writer meant them.
//!
//! A person writes numbers the way their language does: English `1,240.5`,
//! Russian and Uzbek `1 240,5` (a space, no-break space or narrow no-break
//! space between thousands). A single mark followed by exactly three digits
//! (`1,240`, `1.240`) reads two ways: one thousand two hundred and forty, or
//! one point two four. The writer's language says which is usual
//! ([`Notation::Person`]); the answer's range and the entity's last round
//! say whether the other reading is the likelier one, and then the number
//! is not taken silently: [`resolve`] answers [`NumberError::Ambiguous`] and
//! the person is asked. Files and feeds write numbers for machines
//! ([`Notation::Machine`]: a point, no grouping).

pub use domain::Locale;

/// How a text writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// A person writing in this language.
    Person(Locale),
    /// A program: `.` as the decimal point, no grouping (`1240.5`).
    Machine,
}

/// What a number text can mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// One number.
    One(f64),
    /// A lone mark before three digits: either a decimal mark or a
    /// thousands separator.
    TwoWays {
        /// The mark as the decimal separator (`1,240` → 1.24).
        as_decimal: f64,
        /// The mark as a thousands separator (`1,240` → 1240).
        as_grouped: f64,
        /// Whether the writer's language reads the mark as decimal.
        usually_decimal: bool,
    },
}

/// Why a text is not taken as a number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NumberError {
    /// Not a number at all (letters, two decimal marks, groups of the
    /// wrong size).
    #[error("{0:?} is not a number")]
    NotANumber(String),
    /// Two readings are plausible for this answer; the writer must choose.
    #[error("{text:?} reads as {as_decimal} or as {as_grouped}")]
    Ambiguous {
        /// What was typed.
        text: String,
        /// The mark as the decimal separator.
        as_decimal: f64,
        /// The mark as a thousands separator.
        as_grouped: f64,
    },
}

/// Characters people put between thousands whatever their language.
fn is_space_group(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' | 'ʼ'
    )
}

/// Reads `text` as written in `notation`. `unit` is the answer's unit,
/// which may follow the number (`56.6 km`); a percent sign may too.
pub fn read(text: &str, notation: Notation, unit: Option<&str>) -> Result<Reading, NumberError> {
    let bad = || NumberError::NotANumber(text.trim().to_owned());
    let mut t = text.trim();
    if let Some(u) = unit.map(str::trim).filter(|u| !u.is_empty())
        && let Some(cut) = t.len().checked_sub(u.len())
        && t.is_char_boundary(cut)
        && t[cut..].to_lowercase() == u.to_lowercase()
        && t[..cut].ends_with(|c: char| c.is_ascii_digit() || c.is_whitespace())
    {
        t = t[..cut].trim_end();
    }
    t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let (negative, body) = match t.chars().next() {
        Some(c @ ('-' | '−' | '–' | '+')) => (c != '+', t[c.len_utf8()..].trim_start()),
        _ => (false, t),
    };
    if body.is_empty() || !body.chars().any(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if body
        .chars()
        .any(|c| !(c.is_ascii_digit() || c == ',' || c == '.' || is_space_group(c)))
    {
        return Err(bad());
    }
    let sign = if negative { -1.0 } else { 1.0 };
    let reading = match notation {
        Notation::Machine => machine(body).ok_or_else(bad)?,
        Notation::Person(l) => person(body, l).ok_or_else(bad)?,
    };
    Ok(match reading {
        Reading::One(x) => Reading::One(sign * x),
        Reading::TwoWays {
            as_decimal,
            as_grouped,
            usually_decimal,
        } => Reading::TwoWays {
            as_decimal: sign * as_decimal,
            as_grouped: sign * as_grouped,
            usually_decimal,
        },
    })
}

fn machine(body: &str) -> Option<Reading> {
    if body.contains(|c: char| c == ',' || is_space_group(c)) || body.matches('.').count() > 1 {
        return None;
    }
    number(body, "").map(Reading::One)
}

fn person(body: &str, l: Locale) -> Option<Reading> {
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let decimal_of = |mark: char| -> Option<Reading> {
        let (int, frac) = body.split_once(mark)?;
        number(&ungroup(int, None)?, frac).map(Reading::One)
    };
    match (commas, dots) {
        (0, 0) => number(&ungroup(body, None)?, "").map(Reading::One),
        // Both marks: the last one is the decimal mark, the other groups.
        (_, _) if commas > 0 && dots > 0 => {
            let last = body.rfind([',', '.'])?;
            let (dec, group) = if body[last..].starts_with(',') {
                (',', '.')
            } else {
                ('.', ',')
            };
            if body.matches(dec).count() > 1 {
                return None;
            }
            let (int, frac) = body.split_once(dec)?;
            number(&ungroup(int, Some(group))?, frac).map(Reading::One)
        }
        // One mark, several times: it groups thousands.
        (c, d) if c > 1 || d > 1 => {
            let mark = if c > 1 { ',' } else { '.' };
            number(&ungroup(body, Some(mark))?, "").map(Reading::One)
        }
        _ => {
            let mark = if commas == 1 { ',' } else { '.' };
            let (int, frac) = body.split_once(mark)?;
            let could_group = frac.len() == 3
                && (1..=3).contains(&int.len())
                && int.bytes().all(|b| b.is_ascii_digit())
                && !int.starts_with('0');
            if !could_group {
                return decimal_of(mark);
            }
            let as_decimal = number(int, frac)?;
            let as_grouped = number(&format!("{int}{frac}"), "")?;
            // English groups with a comma; Russian and Uzbek write a comma
            // for the decimal mark, and a point typed on the number pad is
            // a decimal point more often than a German-style group.
            let usually_decimal = !(l == Locale::En && mark == ',');
            Some(Reading::TwoWays {
                as_decimal,
                as_grouped,
                usually_decimal,
            })
        }
    }
}

/// The digits of an integer part written with groups of three separated by
/// spaces (any language) or by `mark`; `None` when a group has the wrong
/// size or the part mixes a mark with spaces.
fn ungroup(int: &str, mark: Option<char>) -> Option<String> {
    let is_sep = |c: char| is_space_group(c) || Some(c) == mark;
    if !int.contains(is_sep) {
        return int
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| int.to_owned());
    }
    let seps: Vec<char> = int.chars().filter(|&c| is_sep(c)).collect();
    if seps.iter().any(|&c| Some(c) == mark) && seps.iter().any(|&c| Some(c) != mark) {
        return None;
    }
    let groups: Vec<&str> = int.split(is_sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (first_ok && rest_ok && digits).then(|| groups.concat())
}

/// `int.frac` as a finite number; either part may be empty, not both.
fn number(int: &str, frac: &str) -> Option<f64> {
    if int.is_empty() && frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = if int.is_empty() { "0" } else { int };
    let text = if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    };
    text.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// How far from last round's value a reading may be and still be the
/// likely one: within a factor of three either way.
const PLAUSIBLE_FACTOR: f64 = 3.0;

fn near(x: f64, previous: f64) -> bool {
    let ratio = x / previous;
    ratio.is_finite() && (1.0 / PLAUSIBLE_FACTOR..=PLAUSIBLE_FACTOR).contains(&ratio)
}

/// Decides a reading for an answer with `range` whose last-round value was
/// `previous`. The usual reading of the writer's language is taken unless
/// the other one is possible too and the usual one is out of range or far
/// from last round: then the writer is asked.
pub fn resolve(
    text: &str,
    reading: Reading,
    range: Option<(f64, f64)>,
    previous: Option<f64>,
) -> Result<f64, NumberError> {
    let (as_decimal, as_grouped, usually_decimal) = match reading {
        Reading::One(x) => return Ok(x),
        Reading::TwoWays {
            as_decimal,
            as_grouped,
            usually_decimal,
        } => (as_decimal, as_grouped, usually_decimal),
    };
    let (usual, other) = if usually_decimal {
        (as_decimal, as_grouped)
    } else {
        (as_grouped, as_decimal)
    };
    let in_range = |x: f64| range.is_none_or(|(lo, hi)| (lo..=hi).contains(&x));
    let previous = previous.filter(|p| *p != 0.0 && p.is_finite());
    let usual_fits = in_range(usual) && previous.is_none_or(|p| near(usual, p));
    if !in_range(other) || usual_fits {
        return Ok(usual);
    }
    Err(NumberError::Ambiguous {
        text: text.trim().to_owned(),
        as_decimal,
        as_grouped,
    })
}

/// Writes `x` so that `notation` reads it back as exactly `x` in one way:
/// no thousands separators, and a fourth decimal when there are exactly
/// three (`1,2450`), so a chosen reading never asks again.
pub fn write_unambiguous(x: f64, notation: Notation) -> String {
    let mut text = format!("{x}");
    if let Some((_, frac)) = text.split_once('.')
        && frac.len() == 3
    {
        text.push('0');
    }
    match notation {
        Notation::Person(l) if l != Locale::En => text.replace('.', ","),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Notation = Notation::Person(Locale::En);
    const RU: Notation = Notation::Person(Locale::Ru);
    const UZ: Notation = Notation::Person(Locale::UzLatn);
    const CY: Notation = Notation::Person(Locale::UzCyrl);
    const MACHINE: Notation = Notation::Machine;

    /// What a case expects.
    #[derive(Debug)]
    enum Want {
        Value(f64),
        Ambiguous(f64, f64),
        Refused,
    }
    use Want::*;

    const KM: Option<(f64, f64)> = Some((0.0, 10_000.0));
    const PCT: Option<(f64, f64)> = Some((0.0, 100.0));

    /// A range of allowed answers.
    type Range = Option<(f64, f64)>;
    /// (text, writer, unit, range, last round) → value, ambiguous or refused.
    type Case = (
        &'static str,
        Notation,
        Option<&'static str>,
        Range,
        Option<f64>,
        Want,
    );

    #[rustfmt::skip]
    const CASES: &[Case] = &[
        // English: comma groups, point is decimal.
        ("1,240.5", EN, None, KM, None, Value(1240.5)),
        ("1,240", EN, None, KM, None, Value(1240.0)),
        ("1,240", EN, None, KM, Some(1180.0), Value(1240.0)),
        ("1,240", EN, None, KM, Some(56.6), Ambiguous(1.24, 1240.0)),
        ("1,240", EN, None, KM, Some(1.3), Ambiguous(1.24, 1240.0)),
        ("1,240", EN, None, PCT, None, Ambiguous(1.24, 1240.0)),
        ("1,240", EN, None, Some((0.0, 5.0)), Some(1.3), Ambiguous(1.24, 1240.0)),
        ("12,400", EN, None, None, Some(11_000.0), Value(12400.0)),
        ("12,400", EN, None, None, Some(10.0), Ambiguous(12.4, 12400.0)),
        ("1,240,000", EN, None, None, None, Value(1_240_000.0)),
        ("7,8", EN, None, KM, None, Value(7.8)),
        ("0,125", EN, None, KM, None, Value(0.125)),
        ("56.6", EN, None, KM, Some(56.6), Value(56.6)),
        ("1.240", EN, None, KM, None, Value(1.24)),
        ("1 240.5", EN, None, KM, None, Value(1240.5)),
        ("1,24,0", EN, None, None, None, Refused),
        ("1,2345", EN, None, None, None, Value(1.2345)),
        // Russian and Uzbek: comma is decimal, spaces group.
        ("1 240,5", RU, None, KM, None, Value(1240.5)),
        ("1\u{a0}240,5", RU, None, KM, None, Value(1240.5)),
        ("1\u{202f}240,5", UZ, None, KM, None, Value(1240.5)),
        ("7,8", RU, None, KM, None, Value(7.8)),
        ("7.8", RU, None, KM, None, Value(7.8)),
        ("1,240", RU, None, KM, None, Value(1.24)),
        ("1,240", RU, None, KM, Some(1.3), Value(1.24)),
        ("1,240", RU, None, KM, Some(1180.0), Ambiguous(1.24, 1240.0)),
        ("1,240", RU, None, Some((1000.0, 5000.0)), None, Ambiguous(1.24, 1240.0)),
        ("1,240", RU, None, Some((0.0, 100.0)), None, Value(1.24)),
        ("1.240", UZ, None, KM, None, Value(1.24)),
        ("1.240", UZ, None, KM, Some(1180.0), Ambiguous(1.24, 1240.0)),
        ("1.240,5", RU, None, KM, None, Value(1240.5)),
        ("1,240.5", CY, None, KM, None, Value(1240.5)),
        ("1.240.000", UZ, None, None, None, Value(1_240_000.0)),
        ("12 40", RU, None, None, None, Refused),
        ("1 240 000", CY, None, None, None, Value(1_240_000.0)),
        ("1,2,3", RU, None, None, None, Refused),
        ("1,240,5", RU, None, None, None, Refused),
        ("1 240.000,5", RU, None, None, None, Refused),
        // Signs, percent and units.
        ("85 %", RU, None, PCT, None, Value(85.0)),
        ("85%", EN, None, PCT, None, Value(85.0)),
        ("−3", RU, None, None, None, Value(-3.0)),
        ("– 3,5", UZ, None, None, None, Value(-3.5)),
        ("-1,240", EN, None, Some((-5000.0, 0.0)), None, Value(-1240.0)),
        ("+12", EN, None, None, None, Value(12.0)),
        ("56,6 km", UZ, Some("km"), KM, None, Value(56.6)),
        ("56,6 КМ", RU, Some("км"), KM, None, Value(56.6)),
        ("56,6 км", RU, Some("км"), KM, None, Value(56.6)),
        ("56.6 miles", EN, Some("km"), KM, None, Refused),
        (",5", RU, None, None, None, Value(0.5)),
        // Not numbers.
        ("abc", RU, None, None, None, Refused),
        ("", EN, None, None, None, Refused),
        ("%", EN, None, None, None, Refused),
        ("1.2.3,4,5", EN, None, None, None, Refused),
        ("NaN", EN, None, None, None, Refused),
        ("inf", RU, None, None, None, Refused),
        ("1e5", EN, None, None, None, Refused),
        ("12 ta", UZ, None, None, None, Refused),
        ("--3", EN, None, None, None, Refused),
        // Machines: a point, no grouping.
        ("1240.5", MACHINE, None, KM, None, Value(1240.5)),
        ("1,240", MACHINE, None, KM, None, Refused),
        ("1 240", MACHINE, None, KM, None, Refused),
        ("-0.25", MACHINE, None, None, None, Value(-0.25)),
    ];

    fn outcome(
        text: &str,
        n: Notation,
        unit: Option<&str>,
        range: Option<(f64, f64)>,
        prev: Option<f64>,
    ) -> Result<f64, NumberError> {
        read(text, n, unit).and_then(|r| resolve(text, r, range, prev))
    }

    #[test]
    fn numbers_read_as_their_writer_meant_them() {
        assert!(CASES.len() >= 40);
        for (text, n, unit, range, prev, want) in CASES {
            let got = outcome(text, *n, *unit, *range, *prev);
            let ok = match (&got, want) {
                (Ok(x), Value(w)) => (x - w).abs() < 1e-9,
                (
                    Err(NumberError::Ambiguous {
                        as_decimal,
                        as_grouped,
                        ..
                    }),
                    Ambiguous(d, g),
                ) => (as_decimal - d).abs() < 1e-9 && (as_grouped - g).abs() < 1e-9,
                (Err(NumberError::NotANumber(_)), Refused) => true,
                _ => false,
            };
            assert!(
                ok,
                "{text:?} as {n:?} (unit {unit:?}, range {range:?}, last {prev:?}): got {got:?}, want {want:?}"
            );
        }
    }

    /// splitmix64: a reproducible stream of numbers for the round trip.
    fn stream(mut seed: u64) -> impl Iterator<Item = u64> {
        std::iter::from_fn(move || {
            seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            Some(z ^ (z >> 31))
        })
    }

    #[test]
    fn what_a_locale_writes_it_reads_back() {
        let mut bits = stream(7);
        for _ in 0..20_000 {
            let (a, b, c) = (
                bits.next().unwrap(),
                bits.next().unwrap(),
                bits.next().unwrap(),
            );
            let decimals = (a % 5) as usize;
            let magnitude = 10f64.powi((b % 10) as i32);
            let sign = if c % 4 == 0 { -1.0 } else { 1.0 };
            let raw = sign * (c % 1_000_000) as f64 / 1_000_000.0 * magnitude;
            let x: f64 = format!("{raw:.decimals$}").parse().unwrap();
            for l in Locale::ALL {
                let written = l.format_number(x, decimals);
                let back = outcome(&written, Notation::Person(l), None, None, None);
                let want = if written.starts_with('−') || x != 0.0 {
                    x
                } else {
                    0.0
                };
                assert_eq!(back, Ok(want), "{l:?} wrote {x} as {written:?}");
                let plain = write_unambiguous(x, Notation::Person(l));
                assert!(
                    matches!(read(&plain, Notation::Person(l), None), Ok(Reading::One(y)) if y == x),
                    "{l:?} {x} → {plain:?}"
                );
            }
        }
    }
}
