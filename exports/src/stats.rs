//! Figures derived from the league tables for the summary sheet: the band
//! distribution per entity kind and the nominations (best entity per domain
//! per kind). They are computed here, from the same rows the league sheets
//! print, so the summary can never disagree with the tables.

use serde::Serialize;

use crate::lang::{self, Lang};
use crate::model::{Band, EntityKind, League, NationalRating, round_score};

/// How many entities of one kind fall in each band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distribution {
    /// The kind.
    pub kind: EntityKind,
    /// Counts in the order of [`Band::ALL`] (good, satisfactory, unsatisfactory).
    pub counts: [u32; 3],
    /// Entities without a band.
    pub not_rated: u32,
}

impl Distribution {
    /// Entities with a band.
    pub fn rated(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// All entities of the league.
    pub fn total(&self) -> u32 {
        self.rated() + self.not_rated
    }

    /// The count of one band.
    pub fn count(&self, band: Band) -> u32 {
        self.counts[band_slot(band)]
    }

    /// Share of `band` among the *rated* entities, in percent, rounded to one
    /// decimal (half away from zero); 0 when nothing is rated.
    pub fn percent(&self, band: Band) -> f64 {
        let rated = self.rated();
        if rated == 0 {
            return 0.0;
        }
        let share = f64::from(self.count(band)) * 100.0 / f64::from(rated);
        (share * 10.0).round() / 10.0
    }

    /// The phrase "16 (27.1%) good" in `lang` (decimal comma in uz/ru).
    pub fn describe(&self, band: Band, lang: Lang) -> String {
        let percent = format!("{:.1}", self.percent(band))
            .replace('.', &lang.decimal_separator().to_string());
        format!(
            "{} ({}%) {}",
            self.count(band),
            percent,
            lang::band_label(Some(band), lang)
        )
    }
}

fn band_slot(band: Band) -> usize {
    match band {
        Band::Good => 0,
        Band::Satisfactory => 1,
        Band::Unsatisfactory => 2,
    }
}

/// Counts the bands of one league.
pub fn distribution(league: &League) -> Distribution {
    let mut result = Distribution {
        kind: league.kind,
        counts: [0; 3],
        not_rated: 0,
    };
    for row in &league.rows {
        match row.band {
            Some(band) => result.counts[band_slot(band)] += 1,
            None => result.not_rated += 1,
        }
    }
    result
}

pub use crate::model::Nomination;

/// For every league and every domain, the entity with the highest domain
/// score. Ties (after rounding, as printed) go to the better overall rank,
/// then to the earlier row. A domain nobody scored in has no nomination.
pub fn nominations(rating: &NationalRating) -> Vec<Nomination> {
    let mut result = Vec::new();
    for league in &rating.leagues {
        for domain in 0..rating.methodology.domains.len() {
            let mut best: Option<(usize, f64, u32)> = None;
            for (row_index, row) in league.rows.iter().enumerate() {
                let Some(score) = row
                    .domain_scores
                    .get(domain)
                    .copied()
                    .flatten()
                    .and_then(round_score)
                else {
                    continue;
                };
                let rank = row.rank.unwrap_or(u32::MAX);
                let better = match best {
                    None => true,
                    Some((_, best_score, best_rank)) => {
                        score > best_score || (score == best_score && rank < best_rank)
                    }
                };
                if better {
                    best = Some((row_index, score, rank));
                }
            }
            if let Some((row, score, _)) = best {
                result.push(Nomination {
                    kind: league.kind,
                    domain,
                    row,
                    score,
                });
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LeagueRow;

    fn league(bands: &[Option<Band>]) -> League {
        League {
            kind: EntityKind::District,
            rows: bands
                .iter()
                .map(|band| LeagueRow {
                    band: *band,
                    ..LeagueRow::default()
                })
                .collect(),
        }
    }

    #[test]
    fn describes_counts_and_shares_of_rated_entities() {
        let mut bands = vec![Some(Band::Good); 16];
        bands.extend(vec![Some(Band::Satisfactory); 30]);
        bands.extend(vec![Some(Band::Unsatisfactory); 13]);
        bands.push(None);
        let d = distribution(&league(&bands));
        assert_eq!(d.rated(), 59);
        assert_eq!(d.total(), 60);
        assert_eq!(d.describe(Band::Good, Lang::En), "16 (27.1%) good");
        assert_eq!(d.describe(Band::Good, Lang::UzLatn), "16 (27,1%) yaxshi");
        assert_eq!(
            d.describe(Band::Unsatisfactory, Lang::Ru),
            "13 (22,0%) неудовлетворительно"
        );
    }

    #[test]
    fn empty_league_has_zero_shares() {
        let d = distribution(&league(&[]));
        assert_eq!(d.percent(Band::Good), 0.0);
        assert_eq!(d.describe(Band::Good, Lang::En), "0 (0.0%) good");
    }
}
