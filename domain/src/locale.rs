//! The four languages of the product.

use serde::{Deserialize, Serialize};

/// A user-interface language. Uzbek (Latin) is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    /// Oʻzbekcha (lotin).
    #[default]
    UzLatn,
    /// Ўзбекча (кирилл).
    UzCyrl,
    /// Русский.
    Ru,
    /// English.
    En,
}

impl Locale {
    /// Every locale, in the order of the language switcher.
    pub const ALL: [Locale; 4] = [Locale::UzLatn, Locale::UzCyrl, Locale::Ru, Locale::En];

    /// BCP 47 tag, as used in `<html lang>` and the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::UzLatn => "uz-Latn",
            Locale::UzCyrl => "uz-Cyrl",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::UzLatn => "Oʻzbekcha",
            Locale::UzCyrl => "Ўзбекча",
            Locale::Ru => "Русский",
            Locale::En => "English",
        }
    }

    /// Parses a tag leniently (`uz`, `uz-latn`, `ru-RU`); unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let t = tag.trim().to_ascii_lowercase();
        match t.as_str() {
            "uz-latn" | "uz" | "uz-latn-uz" => Some(Locale::UzLatn),
            "uz-cyrl" | "uz-cyrl-uz" => Some(Locale::UzCyrl),
            _ if t.starts_with("ru") => Some(Locale::Ru),
            _ if t.starts_with("en") => Some(Locale::En),
            _ => None,
        }
    }

    /// Formats a number with this locale's grouping and decimal separators
    /// (`1 240,5` in Uzbek and Russian, `1,240.5` in English).
    pub fn format_number(self, value: f64, decimals: usize) -> String {
        let (group, decimal) = match self {
            Locale::En => (',', '.'),
            _ => ('\u{a0}', ','),
        };
        let text = format!("{:.*}", decimals, value.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
            "−"
        } else {
            ""
        };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{decimal}{frac}")
        }
    }

    /// Formats an ISO date (`2020-12-31`) the way this locale writes dates.
    pub fn format_date(self, iso: &str) -> String {
        let mut parts = iso.get(..10).unwrap_or(iso).split('-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return iso.to_owned();
        };
        match self {
            Locale::En => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let month = m
                    .parse::<usize>()
                    .ok()
                    .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
                match month {
                    Some(month) => format!("{} {month} {y}", d.trim_start_matches('0')),
                    None => iso.to_owned(),
                }
            }
            _ => format!("{d}.{m}.{y}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        let cases = [
            (Locale::En, 1240.5, 1, "1,240.5"),
            (Locale::Ru, 1240.5, 1, "1\u{a0}240,5"),
            (Locale::UzLatn, 27.08, 1, "27,1"),
            (Locale::En, -3.0, 0, "−3"),
            (Locale::En, 1_000_000.0, 0, "1,000,000"),
            (Locale::En, -0.01, 1, "0.0"),
        ];
        for (locale, value, decimals, want) in cases {
            assert_eq!(
                locale.format_number(value, decimals),
                want,
                "{locale:?} {value}"
            );
        }
        assert_eq!(Locale::En.format_date("2021-06-25"), "25 Jun 2021");
        assert_eq!(
            Locale::UzCyrl.format_date("2021-06-25T10:00:00Z"),
            "25.06.2021"
        );
    }

    #[test]
    fn tags_round_trip() {
        for l in Locale::ALL {
            assert_eq!(Locale::from_tag(l.tag()), Some(l));
        }
        assert_eq!(Locale::from_tag("ru-RU"), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("fr"), None);
    }
}
