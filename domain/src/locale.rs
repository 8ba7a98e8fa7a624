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

/// A CLDR plural category: which form of a counted noun a number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    /// `1 район`, `21 район`; `1 district`; `1 ta`.
    One,
    /// Russian `2–4 района` (not 12–14).
    Few,
    /// Russian `0, 5–20 районов`, `11–14`.
    Many,
    /// Everything else: fractions in Russian; English and Uzbek beyond one.
    Other,
}

/// The months in each language: Uzbek Latin and Cyrillic in the nominative
/// (`4-dekabr`), Russian in the genitive (`4 декабря`).
const MONTHS: [[&str; 12]; 4] = [
    [
        "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr",
        "noyabr", "dekabr",
    ],
    [
        "январ",
        "феврал",
        "март",
        "апрел",
        "май",
        "июн",
        "июл",
        "август",
        "сентябр",
        "октябр",
        "ноябр",
        "декабр",
    ],
    [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ],
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
];

impl Locale {
    /// This locale's one of four things given in the order of
    /// [`Locale::ALL`].
    pub fn pick<T>(self, [uz, cy, ru, en]: [T; 4]) -> T {
        match self {
            Locale::UzLatn => uz,
            Locale::UzCyrl => cy,
            Locale::Ru => ru,
            Locale::En => en,
        }
    }

    /// The plural category of a whole count `n` (CLDR rules: Russian has
    /// one/few/many, Uzbek and English one/other).
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Locale::Ru => match (n % 10, n % 100) {
                (1, r) if r != 11 => Plural::One,
                (2..=4, r) if !(12..=14).contains(&r) => Plural::Few,
                _ => Plural::Many,
            },
            _ if n == 1 => Plural::One,
            _ => Plural::Other,
        }
    }

    /// `n` with the noun form its plural category takes: `forms` are the
    /// one, few and many forms (English and Uzbek use one and many).
    pub fn count(self, n: u64, forms: [&str; 3]) -> String {
        let noun = match self.plural(n) {
            Plural::One => forms[0],
            Plural::Few => forms[1],
            Plural::Many | Plural::Other => forms[2],
        };
        format!("{} {noun}", self.format_number(n as f64, 0))
    }

    /// Formats an ISO date in words, the way a letter writes it: ru
    /// `4 декабря 2026 г.`, uz-Latn `2026-yil 4-dekabr`, uz-Cyrl
    /// `2026 йил 4 декабр`, en `4 December 2026`. A text that is not an
    /// ISO date comes back as it is.
    pub fn format_date_long(self, iso: &str) -> String {
        let mut parts = iso.get(..10).unwrap_or(iso).split('-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return iso.to_owned();
        };
        let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u8>()) else {
            return iso.to_owned();
        };
        let Some(month) = self.pick(MONTHS).get(m.wrapping_sub(1)).copied() else {
            return iso.to_owned();
        };
        match self {
            Locale::UzLatn => format!("{y}-yil {d}-{month}"),
            Locale::UzCyrl => format!("{y} йил {d} {month}"),
            Locale::Ru => format!("{d} {month} {y} г."),
            Locale::En => format!("{d} {month} {y}"),
        }
    }

    /// A number with as few decimals as it needs (at most four), the way
    /// this locale writes it: `10 000`, `1,24`, `56.6`.
    pub fn format_plain(self, value: f64) -> String {
        let mut decimals = 0;
        while decimals < 4
            && ((value * 10f64.powi(decimals as i32)).round() - value * 10f64.powi(decimals as i32))
                .abs()
                > 1e-9 * value.abs().max(1.0)
        {
            decimals += 1;
        }
        self.format_number(value, decimals)
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
    fn plural_categories_follow_cldr() {
        // CLDR's sample numbers for each category.
        let ru = [
            (Plural::One, &[1u64, 21, 31, 101, 1001][..]),
            (Plural::Few, &[2, 3, 4, 22, 24, 102]),
            (
                Plural::Many,
                &[0, 5, 11, 12, 13, 14, 19, 20, 25, 111, 112, 1000],
            ),
        ];
        for (want, ns) in ru {
            for &n in ns {
                assert_eq!(Locale::Ru.plural(n), want, "ru {n}");
            }
        }
        for l in [Locale::UzLatn, Locale::UzCyrl, Locale::En] {
            assert_eq!(l.plural(1), Plural::One);
            for n in [0, 2, 5, 11, 21, 101] {
                assert_eq!(l.plural(n), Plural::Other, "{l:?} {n}");
            }
        }
        let district = ["район", "района", "районов"];
        assert_eq!(Locale::Ru.count(1, district), "1 район");
        assert_eq!(Locale::Ru.count(2, district), "2 района");
        assert_eq!(Locale::Ru.count(5, district), "5 районов");
        assert_eq!(Locale::UzLatn.count(2, ["ta tuman"; 3]), "2 ta tuman");
        assert_eq!(
            Locale::En.count(1, ["district", "", "districts"]),
            "1 district"
        );
    }

    #[test]
    fn long_dates_are_written_as_letters_write_them() {
        let cases = [
            (Locale::Ru, "4 декабря 2026 г."),
            (Locale::UzLatn, "2026-yil 4-dekabr"),
            (Locale::UzCyrl, "2026 йил 4 декабр"),
            (Locale::En, "4 December 2026"),
        ];
        for (l, want) in cases {
            assert_eq!(l.format_date_long("2026-12-04"), want);
        }
        assert_eq!(Locale::Ru.format_date_long("soon"), "soon");
        assert_eq!(Locale::Ru.format_date_long("2026-13-04"), "2026-13-04");
    }

    #[test]
    fn plain_numbers_take_the_decimals_they_need() {
        assert_eq!(Locale::Ru.format_plain(10_000.0), "10\u{a0}000");
        assert_eq!(Locale::Ru.format_plain(1.24), "1,24");
        assert_eq!(Locale::En.format_plain(56.6), "56.6");
        assert_eq!(Locale::En.format_plain(-0.125), "−0.125");
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
