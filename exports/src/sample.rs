//! Deterministic synthetic data for tests, benchmarks and demo pages.
//!
//! Every value is a closed-form function of the entity and indicator numbers
//! (no random generator), so `exports/bench/xlsxwriter_baseline.py` can
//! rebuild exactly the same cells in Python. The formulas are:
//!
//! - quality(e) = 20 + (37·e mod 76)
//! - score(e, i) = clamp(quality(e) + (7919·e + 104729·i + 13 mod 4001)/100 − 20, 0, 100),
//!   missing when (e + i) mod 97 = 0
//! - raw(e, i) = score(e, i) · (1 + i mod 5) / 2
//! - domain score = mean of present indicator scores; index = mean of
//!   present domain scores; bands at 70 and 50; rank by index within a kind.

use crate::model::{
    Band, BandRule, Campaign, Domain, DomainComparison, EntityKind, Gap, Indicator,
    IndicatorMatrix, IndicatorValue, League, LeagueRow, MatrixEntity, Methodology, NationalRating,
    ReportCard, ReviewerComment, TrendPoint,
};

const PLACES: [&str; 16] = [
    "Olmaliq",
    "Angren",
    "Bekobod",
    "Chirchiq",
    "Zarafshon",
    "Nurota",
    "Gʻijduvon",
    "Kogon",
    "Qoʻqon",
    "Margʻilon",
    "Shahrisabz",
    "Termiz",
    "Urganch",
    "Xiva",
    "Nukus",
    "Denov",
];

const REGIONS: [&str; 14] = [
    "Qoraqalpogʻiston Respublikasi",
    "Andijon viloyati",
    "Buxoro viloyati",
    "Jizzax viloyati",
    "Qashqadaryo viloyati",
    "Navoiy viloyati",
    "Namangan viloyati",
    "Samarqand viloyati",
    "Surxondaryo viloyati",
    "Sirdaryo viloyati",
    "Toshkent viloyati",
    "Fargʻona viloyati",
    "Xorazm viloyati",
    "Toshkent shahri",
];

const DOMAINS: [&str; 6] = [
    "Infratuzilma",
    "Elektron xizmatlar",
    "Maʼlumotlar boshqaruvi",
    "Kiberxavfsizlik",
    "Kadrlar salohiyati",
    "Raqamli strategiya",
];

/// The normalised score of indicator `i` for entity `e` (`NaN` = missing).
pub fn score(e: usize, i: usize) -> f64 {
    if (e + i).is_multiple_of(97) {
        return f64::NAN;
    }
    let quality = 20.0 + ((37 * e) % 76) as f64;
    let noise = ((7919 * e + 104_729 * i + 13) % 4001) as f64 / 100.0 - 20.0;
    (quality + noise).clamp(0.0, 100.0)
}

/// The raw value of indicator `i` for entity `e` (`NaN` = missing).
pub fn raw(e: usize, i: usize) -> f64 {
    score(e, i) * (1 + i % 5) as f64 / 2.0
}

/// The kind of entity `e` among `n`: 6% state bodies, 4% economic bodies,
/// up to 14 regions, the rest districts.
pub fn kind_of(e: usize, n: usize) -> EntityKind {
    let state = (n * 6 / 100).max(1);
    let economic = (n * 4 / 100).max(1);
    let regions = (n / 4).min(14);
    if e < state {
        EntityKind::StateBody
    } else if e < state + economic {
        EntityKind::EconomicBody
    } else if e < state + economic + regions {
        EntityKind::Region
    } else {
        EntityKind::District
    }
}

/// The name of entity `e`.
pub fn name_of(e: usize, kind: EntityKind) -> String {
    let place = PLACES[e % PLACES.len()];
    match kind {
        EntityKind::StateBody => format!("Vazirlik №{e}"),
        EntityKind::EconomicBody => format!("{place} AJ №{e}"),
        EntityKind::Region => REGIONS[e % REGIONS.len()].to_string(),
        EntityKind::District => format!("{place} tumani №{e}"),
    }
}

/// A methodology with `n_indicators` split over up to six domains.
pub fn methodology(n_indicators: usize) -> Methodology {
    let n_domains = DOMAINS.len().min(n_indicators.max(1));
    let mut domains: Vec<Domain> = (0..n_domains)
        .map(|d| Domain {
            code: format!("D{}", d + 1),
            name: DOMAINS[d].to_string(),
            weight: 1.0 / n_domains as f64,
            indicators: Vec::new(),
        })
        .collect();
    for i in 0..n_indicators {
        let d = i * n_domains / n_indicators;
        let unit = ["%", "soni", "ball", "%", "kun"][i % 5];
        let number = domains[d].indicators.len() + 1;
        domains[d].indicators.push(Indicator {
            code: format!("I{}.{number}", d + 1),
            name: format!("Koʻrsatkich {}", i + 1),
            weight: 1.0,
            unit: unit.to_string(),
            normalisation: "min–max, 0–100".to_string(),
            public: true,
        });
    }
    for domain in &mut domains {
        let n = domain.indicators.len().max(1) as f64;
        for indicator in &mut domain.indicators {
            indicator.weight = 1.0 / n;
        }
    }
    Methodology {
        code: "DMI".to_string(),
        version: "2025.1".to_string(),
        normalisation: "Min–max normallashtirish 0–100 shkalaga".to_string(),
        domains,
        bands: vec![
            BandRule {
                band: Band::Good,
                min_index: 70.0,
                max_index: 100.0,
                colour: "#2E7D32".to_string(),
            },
            BandRule {
                band: Band::Satisfactory,
                min_index: 50.0,
                max_index: 70.0,
                colour: "#F9A825".to_string(),
            },
            BandRule {
                band: Band::Unsatisfactory,
                min_index: 0.0,
                max_index: 50.0,
                colour: "#C62828".to_string(),
            },
        ],
    }
}

/// The campaign used by the samples.
pub fn campaign() -> Campaign {
    Campaign {
        name: "Raqamli yetuklik reytingi 2025".to_string(),
        period: "2025".to_string(),
        publication_date: "2026-03-15".to_string(),
        revision: 1,
        publisher: "Raqamli texnologiyalar vazirligi".to_string(),
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

/// The band of an index (70 and 50 thresholds).
pub fn band_of(index: f64) -> Band {
    if index >= 70.0 {
        Band::Good
    } else if index >= 50.0 {
        Band::Satisfactory
    } else {
        Band::Unsatisfactory
    }
}

/// A national rating of `n_entities` × `n_indicators`.
pub fn national(n_entities: usize, n_indicators: usize) -> NationalRating {
    let methodology = methodology(n_indicators);
    let mut scores = Vec::with_capacity(n_entities * n_indicators);
    let mut raws = Vec::with_capacity(n_entities * n_indicators);
    let mut entities = Vec::with_capacity(n_entities);
    let mut leagues: Vec<League> = EntityKind::ALL
        .iter()
        .map(|kind| League {
            kind: *kind,
            rows: Vec::new(),
        })
        .collect();
    for e in 0..n_entities {
        let kind = kind_of(e, n_entities);
        let name = name_of(e, kind);
        let code = format!("{:07}", 1_700_000 + e);
        let start = scores.len();
        for i in 0..n_indicators {
            scores.push(score(e, i));
            raws.push(raw(e, i));
        }
        let row_scores = &scores[start..];
        let mut first = 0;
        let domain_scores: Vec<Option<f64>> = methodology
            .domains
            .iter()
            .map(|d| {
                let range = first..first + d.indicators.len();
                first += d.indicators.len();
                mean(row_scores[range].iter().copied())
            })
            .collect();
        let index = mean(domain_scores.iter().flatten().copied());
        let region = match kind {
            EntityKind::District => REGIONS[e % REGIONS.len()].to_string(),
            _ => String::new(),
        };
        let slot = EntityKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        leagues[slot].rows.push(LeagueRow {
            rank: None,
            rank_p05: None,
            rank_p95: None,
            entity_name: name.clone(),
            code: code.clone(),
            region,
            index,
            band: index.map(band_of),
            domain_scores,
            change: Some(((e * 13) % 101) as f64 / 10.0 - 5.0),
        });
        entities.push(MatrixEntity { kind, code, name });
    }
    for league in &mut leagues {
        league
            .rows
            .sort_by(|a, b| b.index.unwrap_or(-1.0).total_cmp(&a.index.unwrap_or(-1.0)));
        let n = league.rows.len() as u32;
        for (position, row) in league.rows.iter_mut().enumerate() {
            let rank = position as u32 + 1;
            row.rank = Some(rank);
            row.rank_p05 = Some(rank.saturating_sub(2).max(1));
            row.rank_p95 = Some((rank + 3).min(n));
        }
    }
    leagues.retain(|league| !league.rows.is_empty());
    NationalRating {
        campaign: campaign(),
        methodology,
        leagues,
        indicators: IndicatorMatrix {
            entities,
            scores,
            raw: raws,
        },
        nominations: None,
    }
}

/// A report card for entity `e` of `rating` (first league row when absent).
pub fn report_card(rating: &NationalRating, kind: EntityKind, position: usize) -> ReportCard {
    let league = rating.leagues.iter().find(|l| l.kind == kind);
    let row = league
        .and_then(|l| l.rows.get(position))
        .cloned()
        .unwrap_or_default();
    let peers = league.map(|l| l.rows.as_slice()).unwrap_or_default();
    let domains = domain_comparisons(rating, &row, peers);
    let trend = trend_of(&row);
    let (indicators, gaps) = indicators_and_gaps(rating, &row);
    ReportCard {
        campaign: rating.campaign.clone(),
        methodology_code: rating.methodology.code.clone(),
        methodology_version: rating.methodology.version.clone(),
        bands: rating.methodology.bands.clone(),
        kind,
        entity_name: row.entity_name.clone(),
        code: row.code.clone(),
        region: row.region.clone(),
        index: row.index,
        band: row.band,
        rank: row.rank,
        rank_p05: row.rank_p05,
        rank_p95: row.rank_p95,
        league_size: u32::try_from(peers.len()).unwrap_or(u32::MAX),
        domains,
        trend,
        gaps,
        indicators,
        comments: vec![
            ReviewerComment {
                date: "2026-02-10".to_string(),
                reviewer: "Ekspert A".to_string(),
                indicator_code: "I1.1".to_string(),
                text: "Dalil hujjati yangilangan versiyasi bilan almashtirilsin.".to_string(),
            },
            ReviewerComment {
                date: "2026-02-12".to_string(),
                reviewer: "Ekspert B".to_string(),
                indicator_code: String::new(),
                text: "Umumiy baho: maʼlumotlar toʻliq taqdim etilgan.".to_string(),
            },
        ],
    }
}

/// Each domain's score for `row` beside the averages of its peers and of
/// the peers in its region.
fn domain_comparisons(
    rating: &NationalRating,
    row: &LeagueRow,
    peers: &[LeagueRow],
) -> Vec<DomainComparison> {
    rating
        .methodology
        .domains
        .iter()
        .enumerate()
        .map(|(d, domain)| DomainComparison {
            code: domain.code.clone(),
            name: domain.name.clone(),
            score: row.domain_scores.get(d).copied().flatten(),
            peer_average: mean(
                peers
                    .iter()
                    .filter_map(|p| p.domain_scores.get(d).copied().flatten()),
            ),
            region_average: mean(
                peers
                    .iter()
                    .filter(|p| p.region == row.region)
                    .filter_map(|p| p.domain_scores.get(d).copied().flatten()),
            ),
        })
        .collect()
}

/// Four campaigns rising to `row`'s index, the last being this one.
fn trend_of(row: &LeagueRow) -> Vec<TrendPoint> {
    let index = row.index.unwrap_or(50.0);
    (0..4)
        .map(|k| {
            let past = (index - 6.0 + 2.0 * k as f64).clamp(0.0, 100.0);
            let rank = row.rank.unwrap_or(1) + 3 - k;
            TrendPoint {
                campaign: format!("{}", 2022 + k),
                index: Some(if k == 3 { index } else { past }),
                rank: Some(rank),
                rank_p05: Some(rank.saturating_sub(2).max(1)),
                rank_p95: Some(rank + 3),
                band: Some(band_of(past)),
            }
        })
        .collect()
}

/// `row`'s indicator values from the matrix, with evidence links, and its
/// ten largest gaps.
fn indicators_and_gaps(
    rating: &NationalRating,
    row: &LeagueRow,
) -> (Vec<IndicatorValue>, Vec<Gap>) {
    let entity = rating
        .indicators
        .entities
        .iter()
        .position(|m| m.code == row.code)
        .unwrap_or(0);
    let stride = rating.methodology.indicator_count();
    let mut indicators = Vec::new();
    let mut gaps = Vec::new();
    let mut column = 0;
    let n_domains = rating.methodology.domains.len().max(1) as f64;
    for domain in &rating.methodology.domains {
        for indicator in &domain.indicators {
            let cell = entity * stride + column;
            let score = rating
                .indicators
                .scores
                .get(cell)
                .copied()
                .filter(|v| v.is_finite());
            let value = rating
                .indicators
                .raw
                .get(cell)
                .copied()
                .filter(|v| v.is_finite());
            indicators.push(IndicatorValue {
                domain_name: format!("{} {}", domain.code, domain.name),
                code: indicator.code.clone(),
                name: indicator.name.clone(),
                value,
                unit: indicator.unit.clone(),
                score,
                evidence_url: Some(format!(
                    "https://data.gov.uz/evidence/{}/{}",
                    row.code, indicator.code
                )),
            });
            if let Some(score) = score {
                gaps.push(Gap {
                    indicator_code: indicator.code.clone(),
                    indicator_name: indicator.name.clone(),
                    domain_name: domain.name.clone(),
                    points_lost: 100.0 - score,
                    potential_gain: (100.0 - score) * indicator.weight / n_domains,
                });
            }
            column += 1;
        }
    }
    gaps.sort_by(|a, b| b.potential_gain.total_cmp(&a.potential_gain));
    gaps.truncate(10);
    (indicators, gaps)
}

/// A campaign template with one question of every input kind, answered
/// (except the last text question), with user text that looks like a
/// formula and an option label with a comma.
pub fn template() -> crate::template::Template {
    use crate::template::{Template, TemplateInput, TemplateQuestion};
    let q =
        |section: &str, code: &str, input: TemplateInput, value: Option<&str>| TemplateQuestion {
            section: section.into(),
            code: code.into(),
            name: format!("Savol {code}"),
            hint: format!("Izoh {code}"),
            input,
            required: code.ends_with('1'),
            value: value.map(str::to_owned),
            comment: None,
            version: u8::from(value.is_some()).into(),
        };
    let options = vec![
        ("none".to_owned(), "Yoʻq".to_owned()),
        ("partial".to_owned(), "Qisman, sinovda".to_owned()),
        ("full".to_owned(), "Toʻliq".to_owned()),
    ];
    let mut questions = vec![
        q(
            "Infratuzilma",
            "N1",
            TemplateInput::Number {
                unit: Some("km".into()),
                range: Some((0.0, 1e4)),
            },
            Some("1240.5"),
        ),
        q(
            "Infratuzilma",
            "N2",
            TemplateInput::Number {
                unit: Some("%".into()),
                range: Some((0.0, 100.0)),
            },
            Some("55"),
        ),
        q("Infratuzilma", "Y1", TemplateInput::YesNo, Some("yes")),
        q("Infratuzilma", "Y2", TemplateInput::YesNo, Some("no")),
        q(
            "Xizmatlar",
            "C1",
            TemplateInput::Choice(options.clone()),
            Some("partial"),
        ),
        q(
            "Xizmatlar",
            "L1",
            TemplateInput::Checklist(options),
            Some("none;full"),
        ),
        q(
            "Xizmatlar",
            "U1",
            TemplateInput::Url,
            Some("https://gov.uz/uz/ochiq"),
        ),
        q(
            "Xizmatlar",
            "A1",
            TemplateInput::LegalAct,
            Some("PQ|4699|2020-04-28|https://lex.uz/docs/4800661"),
        ),
        q(
            "Xizmatlar",
            "T1",
            TemplateInput::Text,
            Some("=HYPERLINK(\"http://x\")"),
        ),
        q("Xizmatlar", "F1", TemplateInput::Computed, Some("42")),
        q("Xizmatlar", "T2", TemplateInput::Text, None),
    ];
    questions[0].comment = Some("+998 71 000 00 00".into());
    Template {
        campaign: campaign(),
        campaign_id: 7,
        campaign_code: "nis-2025".into(),
        participant: 42,
        entity_code: "1703202".into(),
        entity_name: "Olmaliq shahri".into(),
        methodology: "nis-districts@2020".into(),
        deadline: "2026-03-01".into(),
        questions,
    }
}

/// A region template of three districts over the [`template`] questions:
/// the first with the sample's answers, the second half answered, the
/// third blank.
pub fn region_template() -> crate::region_template::RegionTemplate {
    use crate::region_template::{RegionRow, RegionTemplate};
    let t = template();
    let full: Vec<(Option<String>, i32)> = t
        .questions
        .iter()
        .map(|q| (q.value.clone(), q.version))
        .collect();
    let half: Vec<(Option<String>, i32)> = full
        .iter()
        .enumerate()
        .map(|(i, a)| if i % 2 == 0 { a.clone() } else { (None, 0) })
        .collect();
    let blank = vec![(None, 0); full.len()];
    let row = |participant: i32, code: &str, name: &str, answers| RegionRow {
        participant,
        code: code.into(),
        name: name.into(),
        answers,
    };
    RegionTemplate {
        campaign: t.campaign,
        campaign_id: t.campaign_id,
        campaign_code: t.campaign_code,
        region_code: "1703".into(),
        region_name: "Andijon viloyati".into(),
        methodology: t.methodology,
        deadline: t.deadline,
        questions: t.questions,
        rows: vec![
            row(42, "1703202", "Oltinkoʻl tumani", full),
            row(43, "1703203", "Andijon tumani", half),
            row(44, "1703206", "Baliqchi tumani", blank),
        ],
    }
}
