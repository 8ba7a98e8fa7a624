//! Treating user text as data: formula-injection guards, hyperlink filtering,
//! and the limits of the xlsx format (sheet names, string lengths).
//!
//! Excel: user text is always written with `write_string`, which stores a
//! string cell; a string cell is never evaluated, whatever its first
//! character. This module only trims it to Excel's limits.
//!
//! CSV: a spreadsheet opening a CSV file *does* evaluate a field that starts
//! with `=`, `+`, `-`, `@`, tab or carriage return. Following the OWASP "CSV
//! injection" advice such a field gets a single quote `'` in front. The quote
//! is part of the published value; consumers that need the original strip one
//! leading `'` when the next character is one of those six.

use std::borrow::Cow;
use std::collections::HashSet;

/// The characters that make a spreadsheet treat a CSV field as a formula.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Excel's limit on the length of a cell's text, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;

/// Excel's limit on the length of a sheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;

/// Longest URL written as a hyperlink (Excel's limit is 2,079 characters).
const MAX_URL: usize = 2_000;

/// Whether a spreadsheet would read `text` as a formula in a CSV file.
pub fn starts_like_formula(text: &str) -> bool {
    text.starts_with(FORMULA_TRIGGERS)
}

/// A CSV field that a spreadsheet will not evaluate (OWASP: prefix `'`).
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if starts_like_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Cuts `text` to Excel's cell limit, ending it with `…` when cut.
pub(crate) fn cell_text(text: &str) -> Cow<'_, str> {
    // UTF-8 never uses fewer bytes than UTF-16 uses units, so short byte
    // strings skip the count.
    if text.len() <= MAX_CELL_TEXT || utf16_len(text) <= MAX_CELL_TEXT {
        return Cow::Borrowed(text);
    }
    Cow::Owned(truncate_utf16(text, MAX_CELL_TEXT - 1) + "…")
}

/// `Some(url)` when `url` is an `http`/`https` URL safe to write as a
/// hyperlink: no whitespace or control characters, reasonably short.
pub fn http_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    let host_ok = url.split_once("://").is_some_and(|(_, rest)| {
        !rest.is_empty() && !rest.starts_with('/') && !rest.starts_with('?')
    });
    let chars_ok = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'));
    (scheme_ok && host_ok && chars_ok && url.len() <= MAX_URL).then_some(url)
}

/// Escapes `&` for Excel page headers/footers, where it starts a code.
pub(crate) fn header_text(text: &str, max_chars: usize) -> String {
    let short: String = text.chars().take(max_chars).collect();
    short.replace('&', "&&")
}

/// Makes a valid, unique sheet name from arbitrary text.
///
/// Invalid characters become `_`, the name is cut to 31 UTF-16 units, and a
/// clash with an earlier name (case-insensitive, as in Excel) gets " (2)",
/// " (3)" … appended.
pub(crate) fn sheet_name(base: &str, used: &mut HashSet<String>) -> String {
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut cleaned = cleaned.trim().trim_matches('\'').trim().to_string();
    if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        cleaned = format!("{cleaned}_");
    }
    for n in 1.. {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let room = MAX_SHEET_NAME - suffix.len();
        let candidate = truncate_utf16(&cleaned, room)
            .trim_end()
            .trim_end_matches('\'')
            .to_string()
            + &suffix;
        let candidate = if candidate.is_empty() {
            format!("_{suffix}")
        } else {
            candidate
        };
        if used.insert(candidate.to_lowercase()) {
            return candidate;
        }
    }
    unreachable!("an unbounded counter always finds a free name")
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

fn truncate_utf16(text: &str, max_units: usize) -> String {
    let mut units = 0;
    text.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max_units
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_quotes_every_trigger() {
        for payload in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_text(payload), format!("'{payload}"));
        }
        assert_eq!(csv_text("Toshkent"), "Toshkent");
        assert_eq!(csv_text(""), "");
    }

    #[test]
    fn http_url_accepts_only_web_links() {
        assert_eq!(
            http_url(" https://gov.uz/a?b=1 "),
            Some("https://gov.uz/a?b=1")
        );
        assert_eq!(http_url("HTTP://gov.uz"), Some("HTTP://gov.uz"));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "=HYPERLINK(\"http://x\")",
            "https://",
            "https:///path",
            "http://a b",
            "mailto:a@b.uz",
            "",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
        assert_eq!(
            http_url(&format!("https://a.uz/{}", "x".repeat(3000))),
            None
        );
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = HashSet::new();
        let long = "Qoraqalpogʻiston Respublikasi Nukus shahri tumani";
        let a = sheet_name(long, &mut used);
        let b = sheet_name(long, &mut used);
        assert!(utf16_len(&a) <= 31 && utf16_len(&b) <= 31);
        assert_ne!(a, b);
        assert!(b.ends_with(" (2)"));
        assert_eq!(sheet_name("a/b:c", &mut used), "a_b_c");
        assert_eq!(sheet_name("'quoted'", &mut used), "quoted");
        assert_eq!(sheet_name("", &mut used), "_");
        assert_eq!(sheet_name("History", &mut used), "History_");
        assert_eq!(sheet_name("A", &mut used), "A");
        assert_eq!(sheet_name("a", &mut used), "a (2)");
    }

    #[test]
    fn long_text_is_cut_to_the_cell_limit() {
        let long = "ж".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(utf16_len(&cut), MAX_CELL_TEXT);
        assert!(cut.ends_with('…'));
        assert!(matches!(cell_text("short"), Cow::Borrowed(_)));
    }

    #[test]
    fn header_text_escapes_ampersands() {
        assert_eq!(header_text("A & B", 100), "A && B");
        assert_eq!(header_text("abcdef", 3), "abc");
    }
}
