//! Daraja's reviewed seed files, embedded at compile time and parsed into
//! typed records.
//!
//! The files next to this crate (`territories.csv`, `organizations.csv`,
//! `methodologies/*.toml`) are the source of truth that ministry staff review;
//! this crate only reads them. It knows nothing of the database: the server
//! upserts these records idempotently at start-up.
#![deny(missing_docs)]

use chrono::NaiveDate;
use serde::Deserialize;

/// A seed file that could not be read, with the place of the problem.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A seed record that does not parse (CSV, or the JSON map).
    #[error("{file}, line {line}: {message}")]
    Csv {
        /// The seed file's name.
        file: &'static str,
        /// The 1-based line number.
        line: u64,
        /// What is wrong, naming the field where known.
        message: String,
    },
}

/// The map of Uzbekistan's first-level units (`maps/uzbekistan.json`,
/// made by `scripts/map-data.mjs` from the npm package
/// `@svg-maps/uzbekistan`, CC BY 4.0; the attribution must be shown).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct RegionMap {
    /// The npm package and version it came from.
    pub source: String,
    /// Its license.
    pub license: String,
    /// The credit line to show beside the map.
    pub attribution: String,
    /// SVG `viewBox` of the paths.
    pub view_box: String,
    /// Water bodies drawn for orientation (the Aral Sea).
    pub water: Vec<String>,
    /// One shape per first-level unit.
    pub regions: Vec<MapShape>,
}

/// One first-level unit on the map.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct MapShape {
    /// Its SOATO code (`1703` Andijan … `1726` Tashkent city).
    pub soato: String,
    /// The name in the source package (English).
    pub name: String,
    /// SVG path data.
    pub path: String,
}

/// The shipped map, parsed.
pub fn uzbekistan_map() -> Result<RegionMap, SeedError> {
    const FILE: &str = "maps/uzbekistan.json";
    serde_json::from_str(include_str!("../maps/uzbekistan.json")).map_err(|e| SeedError::Csv {
        file: FILE,
        line: e.line() as u64,
        message: e.to_string(),
    })
}

/// The four languages every multilingual name carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// Uzbek, Latin script (the default language).
    pub uz_latn: String,
    /// Uzbek, Cyrillic script.
    pub uz_cyrl: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

/// A region, district, city or city district from `territories.csv`.
#[derive(Debug, Clone)]
pub struct Territory {
    /// SOATO code.
    pub soato: String,
    /// SOATO code of the parent unit (`17` for the republic).
    pub parent_soato: String,
    /// 1 for regions, 2 for districts and cities.
    pub level: u8,
    /// region, autonomous_republic, city_of_republican_significance, district,
    /// district_level_city or city_district.
    pub unit_type: String,
    /// Names in the four languages.
    pub names: Names,
    /// ISO 3166-2:UZ code of a first-level unit.
    pub iso_3166_2: Option<String>,
    /// First day the unit existed.
    pub valid_from: NaiveDate,
    /// Last day the unit existed, if it was abolished.
    pub valid_to: Option<NaiveDate>,
    /// Whether the unit is rated in the "districts and cities" league.
    pub assessed_as_district: bool,
}

/// A state body or economic management body from `organizations.csv`.
#[derive(Debug, Clone)]
pub struct Organization {
    /// Stable slug, e.g. `min-justice`.
    pub code: String,
    /// `state_body` or `economic_body`.
    pub kind: String,
    /// ministry, agency, company, ...
    pub subkind: String,
    /// Taxpayer identification number (9 digits).
    pub tin: String,
    /// The parent body's code, if any.
    pub parent_code: Option<String>,
    /// Names in the four languages.
    pub names: Names,
    /// English abbreviation.
    pub abbreviation: Option<String>,
    /// First day the body existed in its current form.
    pub valid_from: NaiveDate,
    /// Last day, if abolished or reorganised.
    pub valid_to: Option<NaiveDate>,
    /// Official website.
    pub website: Option<String>,
}

const TERRITORIES: &str = include_str!("../territories.csv");
const ORGANIZATIONS: &str = include_str!("../organizations.csv");

/// The shipped methodology files as `(file name, TOML text)`, parsed and
/// validated by the `methodology` crate when they are seeded.
pub const METHODOLOGIES: &[(&str, &str)] = &[
    (
        "nis-bodies-2020.toml",
        include_str!("../methodologies/nis-bodies-2020.toml"),
    ),
    (
        "nis-bodies-2022.toml",
        include_str!("../methodologies/nis-bodies-2022.toml"),
    ),
    (
        "nis-districts-2020.toml",
        include_str!("../methodologies/nis-districts-2020.toml"),
    ),
    (
        "un-egdi.toml",
        include_str!("../methodologies/un-egdi.toml"),
    ),
    (
        "oecd-dgi-2023.toml",
        include_str!("../methodologies/oecd-dgi-2023.toml"),
    ),
    (
        "eu-egov-benchmark.toml",
        include_str!("../methodologies/eu-egov-benchmark.toml"),
    ),
    (
        "un-lgq-2022.toml",
        include_str!("../methodologies/un-lgq-2022.toml"),
    ),
    (
        "un-msq-2020.toml",
        include_str!("../methodologies/un-msq-2020.toml"),
    ),
];

#[derive(Deserialize)]
struct TerritoryRow {
    soato: String,
    parent_soato: String,
    level: u8,
    unit_type: String,
    name_uz_latn: String,
    name_uz_cyrl: String,
    name_ru: String,
    name_en: String,
    iso_3166_2: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    assessed_as_district: bool,
}

#[derive(Deserialize)]
struct OrganizationRow {
    code: String,
    kind: String,
    subkind: String,
    tin: String,
    parent_code: Option<String>,
    name_uz_latn: String,
    name_uz_cyrl: String,
    name_ru: String,
    name_en: String,
    abbreviation_en: Option<String>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    website: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Parses a CSV seed into rows, naming file, line and field on failure.
fn parse_csv<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    text: &str,
) -> Result<Vec<T>, SeedError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for record in reader.deserialize::<T>() {
        match record {
            Ok(row) => out.push(row),
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                // Name the column, not its index, so a reviewer finds it.
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => {
                        let field = err
                            .field()
                            .and_then(|i| headers.get(usize::try_from(i).ok()?))
                            .unwrap_or("?");
                        format!("field {field}: {}", err.kind())
                    }
                    _ => e.to_string(),
                };
                return Err(SeedError::Csv {
                    file,
                    line,
                    message,
                });
            }
        }
    }
    Ok(out)
}

/// Every territory of the seed file, in file order (regions first).
pub fn territories() -> Result<Vec<Territory>, SeedError> {
    parse_territories("territories.csv", TERRITORIES)
}

/// Parses territory rows from any text in the `territories.csv` layout.
pub fn parse_territories(file: &'static str, text: &str) -> Result<Vec<Territory>, SeedError> {
    Ok(parse_csv::<TerritoryRow>(file, text)?
        .into_iter()
        .map(|r| Territory {
            soato: r.soato,
            parent_soato: r.parent_soato,
            level: r.level,
            unit_type: r.unit_type,
            names: Names {
                uz_latn: r.name_uz_latn,
                uz_cyrl: r.name_uz_cyrl,
                ru: r.name_ru,
                en: r.name_en,
            },
            iso_3166_2: non_empty(r.iso_3166_2),
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            assessed_as_district: r.assessed_as_district,
        })
        .collect())
}

/// Every organization of the seed file, in file order.
pub fn organizations() -> Result<Vec<Organization>, SeedError> {
    parse_organizations("organizations.csv", ORGANIZATIONS)
}

/// Parses organization rows from any text in the `organizations.csv` layout.
pub fn parse_organizations(file: &'static str, text: &str) -> Result<Vec<Organization>, SeedError> {
    Ok(parse_csv::<OrganizationRow>(file, text)?
        .into_iter()
        .map(|r| Organization {
            code: r.code,
            kind: r.kind,
            subkind: r.subkind,
            tin: r.tin,
            parent_code: non_empty(r.parent_code),
            names: Names {
                uz_latn: r.name_uz_latn,
                uz_cyrl: r.name_uz_cyrl,
                ru: r.name_ru,
                en: r.name_en,
            },
            abbreviation: non_empty(r.abbreviation_en),
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            website: non_empty(r.website),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_methodology_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("methodologies");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".toml") {
                assert!(
                    METHODOLOGIES.iter().any(|(n, _)| *n == name),
                    "{name} is not in METHODOLOGIES"
                );
            }
        }
    }

    #[test]
    fn registry_has_the_real_counts() {
        let t = territories().unwrap();
        assert_eq!(t.iter().filter(|t| t.level == 1).count(), 14);
        assert_eq!(t.iter().filter(|t| t.level == 2).count(), 209);
        assert!(t.iter().filter(|t| t.level == 1).all(|t| {
            t.iso_3166_2
                .as_deref()
                .is_some_and(|c| c.starts_with("UZ-"))
        }));
        let later = t
            .iter()
            .find(|t| t.soato == "1710240")
            .expect("Ko'kdala district");
        assert!(later.valid_from > NaiveDate::from_ymd_opt(2020, 12, 1).unwrap());
        let o = organizations().unwrap();
        assert!(
            o.iter()
                .all(|o| o.kind == "state_body" || o.kind == "economic_body")
        );
        // The December 2020 round (seed 004): 59 state bodies, 48 economic
        // bodies, 203 districts and cities.
        let dec_2020 = NaiveDate::from_ymd_opt(2020, 12, 1).unwrap();
        let valid = |from: NaiveDate, to: Option<NaiveDate>| {
            from <= dec_2020 && to.is_none_or(|t| t > dec_2020)
        };
        for (kind, want) in [("state_body", 59), ("economic_body", 48)] {
            let n = o
                .iter()
                .filter(|o| o.kind == kind && valid(o.valid_from, o.valid_to))
                .count();
            assert_eq!(n, want, "{kind} on 2020-12-01");
        }
        let districts = t
            .iter()
            .filter(|t| t.level == 2 && t.assessed_as_district && valid(t.valid_from, t.valid_to))
            .count();
        assert_eq!(
            districts, 203,
            "districts and cities assessed on 2020-12-01"
        );
    }

    #[test]
    fn codes_are_unique_and_parents_exist() {
        let o = organizations().unwrap();
        let codes: std::collections::HashSet<_> = o.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes.len(), o.len(), "duplicate organization code");
        for org in &o {
            if let Some(p) = &org.parent_code {
                assert!(
                    codes.contains(p.as_str()),
                    "{}: unknown parent {p}",
                    org.code
                );
            }
            assert!(
                org.tin.len() == 9 && org.tin.bytes().all(|b| b.is_ascii_digit()),
                "{}: TIN must be 9 digits",
                org.code
            );
        }
        let tins: std::collections::HashSet<_> = o.iter().map(|o| o.tin.as_str()).collect();
        assert_eq!(tins.len(), o.len(), "duplicate TIN");
        let t = territories().unwrap();
        let soato: std::collections::HashSet<_> = t.iter().map(|t| t.soato.as_str()).collect();
        assert_eq!(soato.len(), t.len());
        for unit in t.iter().filter(|t| t.level == 2) {
            assert!(soato.contains(unit.parent_soato.as_str()), "{}", unit.soato);
        }
    }

    #[test]
    fn the_map_has_every_first_level_unit_once() {
        let map = uzbekistan_map().unwrap();
        let t = territories().unwrap();
        let mut codes: Vec<&str> = map.regions.iter().map(|r| r.soato.as_str()).collect();
        codes.sort_unstable();
        let mut units: Vec<&str> = t
            .iter()
            .filter(|t| t.level == 1)
            .map(|t| t.soato.as_str())
            .collect();
        units.sort_unstable();
        assert_eq!(codes, units);
        assert!(map.regions.iter().all(|r| r.path.starts_with('m')));
        assert_eq!(map.license, "CC-BY-4.0");
    }

    #[test]
    fn a_broken_row_names_file_and_line() {
        let text = "soato,parent_soato,level,unit_type,name_uz_latn,name_uz_cyrl,name_ru,name_en,iso_3166_2,valid_from,valid_to,assessed_as_district\n\
                    1703,17,1,region,A,B,C,D,UZ-AN,1991-09-01,,false\n\
                    1706,17,one,region,A,B,C,D,UZ-BU,1991-09-01,,false\n";
        let err = parse_territories("t.csv", text).unwrap_err().to_string();
        assert!(err.starts_with("t.csv, line 3:"), "{err}");
        assert!(err.contains("level"), "{err}");
    }
}
