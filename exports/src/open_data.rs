//! Open data: the published ratings as CSV and JSON with a stable schema, and
//! its data dictionary (also in `exports/OPEN_DATA.md`).
//!
//! The values are the workbook's values: [`rating_rows`] reads the same league
//! rows and rounds with the same [`round_score`].

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::error::ExportError;
use crate::lang::Lang;
use crate::model::{Band, EntityKind, NationalRating, round_score};
use crate::safety::csv_text;

/// The schema identifier written into the JSON envelope. It changes only on
/// an incompatible change; adding a field keeps it.
pub const SCHEMA: &str = "daraja.ratings.v1";

/// One domain score in a [`RatingRow`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainScore {
    /// Domain code from the methodology, e.g. "D1".
    pub domain: String,
    /// Score 0–100, rounded to 2 decimals; `null` when not scored.
    pub score: Option<f64>,
}

/// One published rating: one entity in one campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingRow {
    /// Campaign period, e.g. "2025".
    pub period: String,
    /// Methodology code.
    pub methodology_code: String,
    /// Methodology version.
    pub methodology_version: String,
    /// Publication date as published.
    pub publication_date: String,
    /// Publication revision.
    pub revision: u32,
    /// Entity kind.
    pub kind: EntityKind,
    /// SOATO code or TIN.
    pub code: String,
    /// Entity name.
    pub name: String,
    /// Region name; empty when not applicable.
    pub region: String,
    /// Rank within the kind.
    pub rank: Option<u32>,
    /// Rank interval, 5th percentile.
    pub rank_p05: Option<u32>,
    /// Rank interval, 95th percentile.
    pub rank_p95: Option<u32>,
    /// Index 0–100, rounded to 2 decimals.
    pub index: Option<f64>,
    /// Band.
    pub band: Option<Band>,
    /// Index change vs the previous campaign, rounded to 2 decimals.
    pub change: Option<f64>,
    /// Domain scores in methodology order.
    pub domain_scores: Vec<DomainScore>,
    /// The raw answer of every indicator the methodology publishes, in
    /// methodology order (absent from rows written before answers were
    /// published).
    #[serde(default)]
    pub values: Vec<IndicatorAnswer>,
}

/// One indicator's raw answer in a [`RatingRow`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorAnswer {
    /// Indicator code from the methodology.
    pub indicator: String,
    /// The counted answer as a number (yes = 1, no = 0, a choice or a
    /// checklist as its points), unrounded; `null` when not answered.
    pub value: Option<f64>,
}

/// The open-data rows of a national rating, leagues in input order, rows in
/// league order, numbers rounded with [`round_score`].
pub fn rating_rows(rating: &NationalRating) -> Vec<RatingRow> {
    let campaign = &rating.campaign;
    let methodology = &rating.methodology;
    let matrix = &rating.indicators;
    let columns: Vec<(usize, &str)> = methodology
        .domains
        .iter()
        .flat_map(|d| &d.indicators)
        .enumerate()
        .filter(|(_, i)| i.public)
        .map(|(k, i)| (k, i.code.as_str()))
        .collect();
    let width = methodology.indicator_count();
    let matrix_row: std::collections::HashMap<(EntityKind, &str), usize> = matrix
        .entities
        .iter()
        .enumerate()
        .map(|(k, e)| ((e.kind, e.code.as_str()), k))
        .collect();
    let values = |kind: EntityKind, code: &str| -> Vec<IndicatorAnswer> {
        let Some(&k) = matrix_row.get(&(kind, code)) else {
            return Vec::new();
        };
        columns
            .iter()
            .map(|&(col, indicator)| IndicatorAnswer {
                indicator: indicator.to_owned(),
                value: matrix
                    .raw
                    .get(k * width + col)
                    .copied()
                    .filter(|v| v.is_finite()),
            })
            .collect()
    };
    rating
        .leagues
        .iter()
        .flat_map(|league| league.rows.iter().map(move |row| (league.kind, row)))
        .map(|(kind, row)| RatingRow {
            period: campaign.period.clone(),
            methodology_code: methodology.code.clone(),
            methodology_version: methodology.version.clone(),
            publication_date: campaign.publication_date.clone(),
            revision: campaign.revision,
            kind,
            code: row.code.clone(),
            name: row.entity_name.clone(),
            region: row.region.clone(),
            rank: row.rank,
            rank_p05: row.rank_p05,
            rank_p95: row.rank_p95,
            index: row.index.and_then(round_score),
            band: row.band,
            change: row.change.and_then(round_score),
            domain_scores: methodology
                .domains
                .iter()
                .enumerate()
                .map(|(i, domain)| DomainScore {
                    domain: domain.code.clone(),
                    score: row
                        .domain_scores
                        .get(i)
                        .copied()
                        .flatten()
                        .and_then(round_score),
                })
                .collect(),
            values: values(kind, &row.code),
        })
        .collect()
}

/// The fixed CSV columns, before the `domain_<code>` columns.
const CSV_FIXED: [&str; 15] = [
    "period",
    "methodology_code",
    "methodology_version",
    "publication_date",
    "revision",
    "kind",
    "code",
    "name",
    "region",
    "rank",
    "rank_p05",
    "rank_p95",
    "index",
    "band",
    "change",
];

/// Writes the rows as CSV (RFC 4180, UTF-8 without BOM, `,` separator, `\n`
/// line ends, `.` decimal point, scores with exactly 2 decimals, raw
/// answers (`value_<code>`, after the domains) unrounded, empty field for a
/// missing value). Text fields that a spreadsheet would evaluate get a
/// leading `'` (see [`crate::safety`]). All rows must list the same domains.
pub fn ratings_csv_to(rows: &[RatingRow], writer: impl Write) -> Result<(), ExportError> {
    let domains: Vec<&str> = rows
        .first()
        .map(|row| {
            row.domain_scores
                .iter()
                .map(|d| d.domain.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(writer);
    let indicators: Vec<&str> = rows
        .iter()
        .find(|row| !row.values.is_empty())
        .map(|row| row.values.iter().map(|v| v.indicator.as_str()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = CSV_FIXED.iter().map(|c| (*c).to_string()).collect();
    header.extend(domains.iter().map(|d| format!("domain_{d}")));
    header.extend(indicators.iter().map(|i| format!("value_{i}")));
    csv.write_record(&header)?;

    let number = |v: Option<f64>| {
        v.and_then(round_score)
            .map(|v| format!("{v:.2}"))
            .unwrap_or_default()
    };
    let integer = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        let same_domains = row.domain_scores.len() == domains.len()
            && row
                .domain_scores
                .iter()
                .zip(&domains)
                .all(|(d, code)| d.domain == *code);
        if !same_domains {
            return Err(ExportError::Shape(format!(
                "row {i} lists other domains than the first row"
            )));
        }
        let mut record: Vec<String> = vec![
            csv_text(&row.period).into_owned(),
            csv_text(&row.methodology_code).into_owned(),
            csv_text(&row.methodology_version).into_owned(),
            csv_text(&row.publication_date).into_owned(),
            row.revision.to_string(),
            row.kind.code().to_string(),
            csv_text(&row.code).into_owned(),
            csv_text(&row.name).into_owned(),
            csv_text(&row.region).into_owned(),
            integer(row.rank),
            integer(row.rank_p05),
            integer(row.rank_p95),
            number(row.index),
            row.band.map(Band::code).unwrap_or_default().to_string(),
            number(row.change),
        ];
        record.extend(row.domain_scores.iter().map(|d| number(d.score)));
        if row.values.is_empty() {
            record.extend(indicators.iter().map(|_| String::new()));
        } else if row.values.len() == indicators.len()
            && row
                .values
                .iter()
                .zip(&indicators)
                .all(|(v, code)| v.indicator == *code)
        {
            record.extend(
                row.values
                    .iter()
                    .map(|v| v.value.map(|x| x.to_string()).unwrap_or_default()),
            );
        } else {
            return Err(ExportError::Shape(format!(
                "row {i} lists other indicators than the first row with answers"
            )));
        }
        csv.write_record(&record)?;
    }
    csv.flush()?;
    Ok(())
}

/// [`ratings_csv_to`] into a new buffer.
pub fn ratings_csv(rows: &[RatingRow]) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    ratings_csv_to(rows, &mut buffer)?;
    Ok(buffer)
}

#[derive(Serialize)]
struct Envelope<'a> {
    schema: &'static str,
    rows: &'a [RatingRow],
}

/// Writes the rows as JSON: `{"schema": "daraja.ratings.v1", "rows": [...]}`,
/// each row an object with the fields of [`RatingRow`]; missing values are
/// `null`; numbers are rounded with [`round_score`]. Text is not quoted with
/// `'`: JSON is not opened by spreadsheets as formulas.
pub fn ratings_json_to(rows: &[RatingRow], writer: impl Write) -> Result<(), ExportError> {
    let rounded: Vec<RatingRow> = rows
        .iter()
        .map(|row| RatingRow {
            index: row.index.and_then(round_score),
            change: row.change.and_then(round_score),
            domain_scores: row
                .domain_scores
                .iter()
                .map(|d| DomainScore {
                    domain: d.domain.clone(),
                    score: d.score.and_then(round_score),
                })
                .collect(),
            ..row.clone()
        })
        .collect();
    serde_json::to_writer_pretty(
        writer,
        &Envelope {
            schema: SCHEMA,
            rows: &rounded,
        },
    )?;
    Ok(())
}

/// [`ratings_json_to`] into a new buffer.
pub fn ratings_json(rows: &[RatingRow]) -> Result<Vec<u8>, ExportError> {
    let mut buffer = Vec::new();
    ratings_json_to(rows, &mut buffer)?;
    Ok(buffer)
}

/// (column, type, description in uz-Latn, uz-Cyrl, ru, en).
type Column = (&'static str, &'static str, [&'static str; 4]);

const COLUMNS: &[Column] = &[
    (
        "period",
        "string",
        [
            "Kampaniya davri, masalan `2025`.",
            "Кампания даври, масалан `2025`.",
            "Период кампании, например `2025`.",
            "Campaign period, e.g. `2025`.",
        ],
    ),
    (
        "methodology_code",
        "string",
        [
            "Metodika kodi.",
            "Методика коди.",
            "Код методики.",
            "Methodology code.",
        ],
    ),
    (
        "methodology_version",
        "string",
        [
            "Metodika versiyasi.",
            "Методика версияси.",
            "Версия методики.",
            "Methodology version.",
        ],
    ),
    (
        "publication_date",
        "string (YYYY-MM-DD)",
        [
            "Eʼlon qilingan sana.",
            "Эълон қилинган сана.",
            "Дата публикации.",
            "Publication date.",
        ],
    ),
    (
        "revision",
        "integer ≥ 1",
        [
            "Nashr tahriri; tuzatishdan keyin oshadi.",
            "Нашр таҳрири; тузатишдан кейин ошади.",
            "Редакция публикации; растёт после исправлений.",
            "Publication revision; increases after a correction.",
        ],
    ),
    (
        "kind",
        "enum: state_body, economic_body, region, district",
        [
            "Tashkilot turi; har bir tur alohida reytingga ega.",
            "Ташкилот тури; ҳар бир тур алоҳида рейтингга эга.",
            "Тип организации; у каждого типа свой рейтинг.",
            "Entity kind; each kind has its own league.",
        ],
    ),
    (
        "code",
        "string",
        [
            "SOATO (hududlar, tumanlar) yoki STIR (tashkilotlar).",
            "СОАТО (ҳудудлар, туманлар) ёки СТИР (ташкилотлар).",
            "СОАТО (регионы, районы) или ИНН (организации).",
            "SOATO (regions, districts) or TIN (bodies).",
        ],
    ),
    (
        "name",
        "string",
        [
            "Tashkilot nomi.",
            "Ташкилот номи.",
            "Наименование организации.",
            "Entity name.",
        ],
    ),
    (
        "region",
        "string",
        [
            "Hudud nomi; qoʻllanmasa boʻsh.",
            "Ҳудуд номи; қўлланмаса бўш.",
            "Регион; пусто, если неприменимо.",
            "Region name; empty when not applicable.",
        ],
    ),
    (
        "rank",
        "integer ≥ 1 or empty",
        [
            "Tur ichidagi oʻrin (1 — eng yaxshi).",
            "Тур ичидаги ўрин (1 — энг яхши).",
            "Место внутри типа (1 — лучший).",
            "Rank within the kind (1 = best).",
        ],
    ),
    (
        "rank_p05",
        "integer or empty",
        [
            "Oʻrin oraligʻining quyi chegarasi (5-persentil).",
            "Ўрин оралиғининг қуйи чегараси (5-персентил).",
            "Нижняя граница интервала места (5-й перцентиль).",
            "Rank interval, 5th percentile (best plausible rank).",
        ],
    ),
    (
        "rank_p95",
        "integer or empty",
        [
            "Oʻrin oraligʻining yuqori chegarasi (95-persentil).",
            "Ўрин оралиғининг юқори чегараси (95-персентил).",
            "Верхняя граница интервала места (95-й перцентиль).",
            "Rank interval, 95th percentile (worst plausible rank).",
        ],
    ),
    (
        "index",
        "number 0–100, 2 decimals, or empty",
        [
            "Raqamli yetuklik indeksi.",
            "Рақамли етуклик индекси.",
            "Индекс цифровой зрелости.",
            "Digital maturity index.",
        ],
    ),
    (
        "band",
        "enum: good, satisfactory, unsatisfactory, or empty",
        [
            "Baho; boʻsh — baholanmagan.",
            "Баҳо; бўш — баҳоланмаган.",
            "Оценка; пусто — не оценено.",
            "Band; empty when not rated.",
        ],
    ),
    (
        "change",
        "number, 2 decimals, or empty",
        [
            "Indeksning oldingi kampaniyaga nisbatan oʻzgarishi.",
            "Индекснинг олдинги кампанияга нисбатан ўзгариши.",
            "Изменение индекса к предыдущей кампании.",
            "Index change vs the previous campaign.",
        ],
    ),
    (
        "domain_<code>",
        "number 0–100, 2 decimals, or empty",
        [
            "Yoʻnalish boʻyicha ball; har bir metodika yoʻnalishi uchun bitta ustun, metodika tartibida. JSON da: `domain_scores` massivi (`domain`, `score`).",
            "Йўналиш бўйича балл; ҳар бир методика йўналиши учун битта устун, методика тартибида. JSON да: `domain_scores` массиви (`domain`, `score`).",
            "Балл по направлению; по одному столбцу на направление методики, в её порядке. В JSON: массив `domain_scores` (`domain`, `score`).",
            "Domain score; one column per methodology domain, in methodology order. In JSON: the `domain_scores` array (`domain`, `score`).",
        ],
    ),
    (
        "value_<code>",
        "number, unrounded, or empty",
        [
            "Koʻrsatkichning eʼlon qilingan xom qiymati (ha = 1, yoʻq = 0, tanlov va roʻyxat — ballari), reyting qaysi javobdan hisoblangan boʻlsa, oʻsha; har bir koʻrsatkich uchun bitta ustun, yoʻnalishlardan keyin, metodika tartibida. Metodika `public = false` deb belgilagan koʻrsatkichlar chiqarilmaydi (ularning bali yoʻnalish ballida bor). Boʻsh — javob berilmagan. JSON da: `values` massivi (`indicator`, `value`).",
            "Кўрсаткичнинг эълон қилинган хом қиймати (ҳа = 1, йўқ = 0, танлов ва рўйхат — баллари), рейтинг қайси жавобдан ҳисобланган бўлса, ўша; ҳар бир кўрсаткич учун битта устун, йўналишлардан кейин, методика тартибида. Методика `public = false` деб белгилаган кўрсаткичлар чиқарилмайди (уларнинг бали йўналиш балида бор). Бўш — жавоб берилмаган. JSON да: `values` массиви (`indicator`, `value`).",
            "Опубликованное исходное значение показателя (да = 1, нет = 0, выбор и перечень — их баллы), то, из которого посчитан рейтинг; по одному столбцу на показатель, после направлений, в порядке методики. Показатели, которые методика пометила `public = false`, не выводятся (их балл входит в балл направления). Пусто — нет ответа. В JSON: массив `values` (`indicator`, `value`).",
            "The published raw answer of an indicator (yes = 1, no = 0, a choice or a checklist as its points), the one the rating was scored from; one column per indicator, after the domains, in methodology order. Indicators the methodology marks `public = false` are left out (their score is in the domain score). Empty when not answered. In JSON: the `values` array (`indicator`, `value`).",
        ],
    ),
];

/// (heading, intro, format notes, rounding, injection) per language.
const PROSE: [[&str; 5]; 4] = [
    [
        "Ochiq maʼlumotlar: raqamli yetuklik reytingi",
        "Eʼlon qilingan reyting CSV va JSON shaklida. Har bir qator — bitta kampaniyadagi bitta tashkilot.",
        "CSV: RFC 4180, UTF-8 (BOM siz), ajratuvchi `,`, kasr nuqta `.`, yoʻq qiymat — boʻsh maydon. JSON: `{\"schema\": \"daraja.ratings.v1\", \"rows\": [...]}`, yoʻq qiymat — `null`.",
        "Yaxlitlash: indeks, ballar va oʻzgarish 2 xonagacha yaxlitlanadi (0,5 noldan uzoqqa). Excel, CSV va JSON da qiymatlar bir xil.",
        "Xavfsizlik: CSV da `=`, `+`, `-`, `@`, tab yoki CR bilan boshlanadigan matn oldiga `'` qoʻyiladi (OWASP), jadval dasturi uni formula deb hisoblamasligi uchun. JSON da bunday belgi qoʻyilmaydi.",
    ],
    [
        "Очиқ маълумотлар: рақамли етуклик рейтинги",
        "Эълон қилинган рейтинг CSV ва JSON шаклида. Ҳар бир қатор — битта кампаниядаги битта ташкилот.",
        "CSV: RFC 4180, UTF-8 (BOM сиз), ажратувчи `,`, каср нуқта `.`, йўқ қиймат — бўш майдон. JSON: `{\"schema\": \"daraja.ratings.v1\", \"rows\": [...]}`, йўқ қиймат — `null`.",
        "Яхлитлаш: индекс, баллар ва ўзгариш 2 хонагача яхлитланади (0,5 нолдан узоққа). Excel, CSV ва JSON да қийматлар бир хил.",
        "Хавфсизлик: CSV да `=`, `+`, `-`, `@`, tab ёки CR билан бошланадиган матн олдига `'` қўйилади (OWASP), жадвал дастури уни формула деб ҳисобламаслиги учун. JSON да бундай белги қўйилмайди.",
    ],
    [
        "Открытые данные: рейтинг цифровой зрелости",
        "Опубликованный рейтинг в CSV и JSON. Одна строка — одна организация в одной кампании.",
        "CSV: RFC 4180, UTF-8 (без BOM), разделитель `,`, десятичная точка `.`, пропуск — пустое поле. JSON: `{\"schema\": \"daraja.ratings.v1\", \"rows\": [...]}`, пропуск — `null`.",
        "Округление: индекс, баллы и изменение округлены до 2 знаков (0,5 — от нуля). В Excel, CSV и JSON значения совпадают.",
        "Безопасность: в CSV текст, начинающийся с `=`, `+`, `-`, `@`, табуляции или CR, получает префикс `'` (OWASP), чтобы табличный редактор не счёл его формулой. В JSON префикса нет.",
    ],
    [
        "Open data: digital maturity rating",
        "The published rating as CSV and JSON. One row is one entity in one campaign.",
        "CSV: RFC 4180, UTF-8 (no BOM), separator `,`, decimal point `.`, missing value = empty field. JSON: `{\"schema\": \"daraja.ratings.v1\", \"rows\": [...]}`, missing value = `null`.",
        "Rounding: index, scores and change are rounded to 2 decimals (half away from zero). Excel, CSV and JSON carry the same values.",
        "Safety: in CSV a text field starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP), so that spreadsheets do not evaluate it as a formula. JSON has no such prefix.",
    ],
];

/// The data dictionary of the open-data files, as Markdown in `lang`.
pub fn data_dictionary(lang: Lang) -> String {
    let slot = match lang {
        Lang::UzLatn => 0,
        Lang::UzCyrl => 1,
        Lang::Ru => 2,
        Lang::En => 3,
    };
    let [heading, intro, format, rounding, injection] = PROSE[slot];
    let (column, kind, meaning) = match lang {
        Lang::UzLatn => ("Ustun", "Turi", "Maʼnosi"),
        Lang::UzCyrl => ("Устун", "Тури", "Маъноси"),
        Lang::Ru => ("Столбец", "Тип", "Значение"),
        Lang::En => ("Column", "Type", "Meaning"),
    };
    let mut out = format!(
        "## {heading} ({})\n\n{intro}\n\nSchema: `{SCHEMA}`\n\n{format}\n\n{rounding}\n\n{injection}\n\n| {column} | {kind} | {meaning} |\n|---|---|---|\n",
        lang.tag()
    );
    for (name, ty, descriptions) in COLUMNS {
        out.push_str(&format!("| `{name}` | {ty} | {} |\n", descriptions[slot]));
    }
    out
}

/// The content of `exports/OPEN_DATA.md`: the dictionary in all languages.
pub fn open_data_markdown() -> String {
    let mut out = String::from(
        "# Daraja open data\n\n<!-- Generated by `exports::open_data_markdown()`; the test `open_data_md_is_current` \
         fails when this file is stale. Regenerate with UPDATE_EXPECT=1. -->\n\n",
    );
    let parts: Vec<String> = Lang::ALL
        .iter()
        .map(|lang| data_dictionary(*lang))
        .collect();
    out.push_str(&parts.join("\n"));
    out
}
