//! Data that crosses the wire between server functions and pages.

use crate::{EntityId, EntityKind, Locale, Names, ParseError, Role, UserId};
use serde::{Deserialize, Serialize};

/// A role held by a user, with the entity it is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    /// The grant's row id.
    pub id: i32,
    /// The role.
    pub role: Role,
    /// The entity a CDO or district officer speaks for.
    pub entity: Option<EntityRef>,
}

/// A short reference to a registry entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRef {
    /// Its id.
    pub id: EntityId,
    /// Its kind.
    pub kind: EntityKind,
    /// Its code: SOATO for territories, slug for organizations.
    pub code: String,
    /// Its names.
    pub names: Names,
}

/// The signed-in user as pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    /// User id.
    pub id: UserId,
    /// E-mail, the sign-in name.
    pub email: String,
    /// Name shown in the header.
    pub display_name: String,
    /// Active role grants.
    pub grants: Vec<Grant>,
}

impl CurrentUser {
    /// Whether the user holds `role` (on any entity).
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the user is ministry staff.
    pub fn is_ministry(&self) -> bool {
        self.grants.iter().any(|g| g.role.is_ministry())
    }

    /// The entities the user speaks for (CDO or district grants).
    pub fn own_entities(&self) -> impl Iterator<Item = &EntityRef> {
        self.grants.iter().filter_map(|g| g.entity.as_ref())
    }
}

/// A registry row as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntitySummary {
    /// Its id.
    pub id: EntityId,
    /// Its kind.
    pub kind: EntityKind,
    /// ministry, agency, district, district_level_city, ...
    pub subkind: String,
    /// Code: SOATO for territories, slug for organizations.
    pub code: String,
    /// SOATO code of a territory.
    pub soato: Option<String>,
    /// TIN of an organization.
    pub tin: Option<String>,
    /// ISO 3166-2 code of a first-level unit.
    pub iso_code: Option<String>,
    /// Names.
    pub names: Names,
    /// The parent body or the region.
    pub parent: Option<EntityRef>,
    /// English abbreviation.
    pub abbreviation: Option<String>,
    /// Official website.
    pub website: Option<String>,
    /// Whether it is rated.
    pub rated: bool,
    /// ISO date it came into being.
    pub valid_from: String,
    /// ISO date it ceased, if it did.
    pub valid_to: Option<String>,
}

/// A page of a list, with the total count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The rows of this page.
    pub rows: Vec<T>,
    /// How many rows match in all.
    pub total: u64,
    /// The 0-based page number.
    pub page: u64,
    /// Rows per page.
    pub per_page: u64,
}

/// A filter over the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryQuery {
    /// Text matched against the four names, SOATO and TIN.
    pub q: String,
    /// Only this kind.
    pub kind: Option<EntityKind>,
    /// Include retired entities.
    pub include_retired: bool,
    /// 0-based page.
    pub page: u64,
}

/// The fields an admin edits on a registry entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityInput {
    /// Kind.
    pub kind: EntityKind,
    /// Subkind.
    pub subkind: String,
    /// Code: slug for organizations, SOATO for territories.
    pub code: String,
    /// TIN for organizations.
    pub tin: Option<String>,
    /// Names.
    pub names: Names,
    /// Parent entity.
    pub parent_id: Option<EntityId>,
    /// Website.
    pub website: Option<String>,
    /// ISO date it came into being.
    pub valid_from: String,
    /// ISO date it ceased.
    pub valid_to: Option<String>,
}

impl EntityInput {
    /// Checks the fields a person typed, naming the first that is wrong.
    pub fn check(&self) -> Result<(), ParseError> {
        let code = self.code.trim();
        if code.is_empty() || code.len() > 64 {
            return Err(ParseError::new("code", "must be 1 to 64 characters"));
        }
        if self.kind.is_territory() {
            if !code.bytes().all(|b| b.is_ascii_digit()) || !(4..=10).contains(&code.len()) {
                return Err(ParseError::new("code", "a SOATO code is 4 to 10 digits"));
            }
        } else if !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ParseError::new(
                "code",
                "use lower-case letters, digits and hyphens",
            ));
        }
        if let Some(tin) = &self.tin
            && !(tin.len() == 9 && tin.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ParseError::new("tin", "a TIN is exactly 9 digits"));
        }
        if self.names.uz_latn.trim().is_empty() {
            return Err(ParseError::new(
                "name_uz_latn",
                "the Uzbek (Latin) name is required",
            ));
        }
        let from = parse_iso_date("valid_from", &self.valid_from)?;
        if let Some(to) = &self.valid_to {
            let to = parse_iso_date("valid_to", to)?;
            if to < from {
                return Err(ParseError::new("valid_to", "ends before it begins"));
            }
        }
        Ok(())
    }
}

/// Checks `YYYY-MM-DD` and returns it as a sortable triple.
pub fn parse_iso_date(field: &'static str, s: &str) -> Result<(u16, u8, u8), ParseError> {
    let bad = || ParseError::new(field, format!("{s:?} is not a date (YYYY-MM-DD)"));
    let mut it = s.trim().split('-');
    let y: u16 = it.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let m: u8 = it.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let d: u8 = it.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1900 {
        return Err(bad());
    }
    Ok((y, m, d))
}

/// A user as the admin pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Id.
    pub id: UserId,
    /// E-mail.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Whether the account can sign in.
    pub active: bool,
    /// Active grants.
    pub grants: Vec<Grant>,
    /// Preferred language.
    pub locale: Locale,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Row id.
    pub id: i32,
    /// When, RFC 3339.
    pub at: String,
    /// Who (e-mail, system name or `system`).
    pub actor: String,
    /// What was done, e.g. `entity.update`.
    pub action: String,
    /// The kind of object.
    pub object_type: String,
    /// Its id.
    pub object_id: String,
    /// JSON before the change.
    pub before: Option<String>,
    /// JSON after the change.
    pub after: Option<String>,
    /// Why, where a reason was given.
    pub reason: Option<String>,
}

/// Band counts of one published league, for home pages and summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeagueDistribution {
    /// The league.
    pub kind: EntityKind,
    /// Campaign code.
    pub campaign: String,
    /// Campaign name.
    pub campaign_name: Names,
    /// (band code, count), best band first.
    pub bands: Vec<(String, u32)>,
}

/// One row of a published league table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRow {
    /// The entity.
    pub entity: EntityRef,
    /// Rank, "1224" ranking.
    pub rank: u32,
    /// Index, 0–100.
    pub index: f64,
    /// Band code.
    pub band: String,
}

/// A rating band as published: its code, names and lower threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BandDef {
    /// Stable code: `good`, `satisfactory`, `unsatisfactory`, …
    pub code: String,
    /// Names in the four languages.
    pub names: Names,
    /// Lowest index (inclusive) that earns the band.
    pub min: f64,
}

/// A top-level domain of a methodology, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainDef {
    /// Code in the methodology.
    pub code: String,
    /// Names in the four languages.
    pub names: Names,
}

/// One entity's line of a published league.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotRow {
    /// The entity.
    pub entity: EntityRef,
    /// Its region, for districts.
    pub region: Option<EntityRef>,
    /// Index 0–100, absent when nothing could be scored.
    pub index: Option<f64>,
    /// Band code.
    pub band: Option<String>,
    /// Standard competition rank ("1224"); 0 without an index.
    pub rank: u32,
    /// 5th percentile of the Monte Carlo rank.
    pub rank_p05: u32,
    /// 95th percentile of the Monte Carlo rank.
    pub rank_p95: u32,
    /// Score of each top-level domain, in `domains` order.
    pub domain_scores: Vec<Option<f64>>,
    /// Index change against the previous campaign.
    pub change: Option<f64>,
}

/// What a published rating revision contains: everything a page, an export
/// or an auditor needs, frozen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotPayload {
    /// Campaign code.
    pub campaign: String,
    /// Campaign name.
    pub campaign_names: Names,
    /// ISO period (`2020`, `2025Q3`).
    pub period: String,
    /// The league.
    pub kind: EntityKind,
    /// Methodology code.
    pub methodology: String,
    /// Methodology version.
    pub methodology_version: String,
    /// Version of the scoring engine.
    pub engine_version: String,
    /// Bands, best first.
    pub bands: Vec<BandDef>,
    /// Top-level domains.
    pub domains: Vec<DomainDef>,
    /// The league, best first.
    pub rows: Vec<SnapshotRow>,
    /// The best entity per domain (absent from snapshots published before
    /// nominations were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nominations: Vec<Nomination>,
    /// SHA-256 of the methodology version's text it was scored with
    /// (absent from snapshots published before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub methodology_sha256: Option<String>,
    /// Every entity's answers and node scores as published. Stored with
    /// the snapshot and covered by its hash; left out of the league as
    /// pages and the API send it ([`SnapshotPayload::without_matrix`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<crate::SnapshotMatrix>,
    /// The values a correction revision changed since the revision before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<crate::Correction>,
}

/// The best of a league in one domain: the highest domain score (a tie
/// goes to the better overall rank), or the entity the publisher chose,
/// with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nomination {
    /// Domain code.
    pub domain: String,
    /// The nominee (a list, so a future rule may name joint winners).
    pub entities: Vec<EntityRef>,
    /// Their domain score.
    pub score: Option<f64>,
    /// Whether the publisher chose it over the highest score.
    pub chosen: bool,
    /// The publisher's reason, when chosen.
    pub note: Option<String>,
}

impl SnapshotPayload {
    /// The payload without its matrix: what a league page or the API
    /// sends (the matrix is for downloads, and weighs more than the table).
    pub fn without_matrix(&self) -> SnapshotPayload {
        SnapshotPayload {
            campaign: self.campaign.clone(),
            campaign_names: self.campaign_names.clone(),
            period: self.period.clone(),
            kind: self.kind,
            methodology: self.methodology.clone(),
            methodology_version: self.methodology_version.clone(),
            engine_version: self.engine_version.clone(),
            bands: self.bands.clone(),
            domains: self.domains.clone(),
            rows: self.rows.clone(),
            nominations: self.nominations.clone(),
            methodology_sha256: self.methodology_sha256.clone(),
            matrix: None,
            corrections: self.corrections.clone(),
        }
    }

    /// The league row and the matrix row of `entity`, when it is rated
    /// here and the snapshot has a matrix.
    pub fn entity(
        &self,
        entity: crate::EntityId,
    ) -> Option<(&SnapshotRow, Option<&crate::MatrixRow>)> {
        let k = self.rows.iter().position(|r| r.entity.id == entity)?;
        Some((&self.rows[k], self.matrix_row(k)))
    }

    /// The matrix row of league row `k`, when the snapshot has one for it.
    pub fn matrix_row(&self, k: usize) -> Option<&crate::MatrixRow> {
        let id = self.rows.get(k)?.entity.id;
        self.matrix
            .as_ref()
            .and_then(|m| m.entities.get(k))
            .filter(|m| m.entity == id)
    }

    /// Count per band, best band first (bands with no entity included).
    pub fn distribution(&self) -> Vec<(String, u32)> {
        self.bands
            .iter()
            .map(|b| {
                let n = self
                    .rows
                    .iter()
                    .filter(|r| r.band.as_deref() == Some(b.code.as_str()))
                    .count();
                (b.code.clone(), u32::try_from(n).unwrap_or(u32::MAX))
            })
            .collect()
    }

    /// The rating in brief: its marks counted and its biggest movers, as
    /// the home page shows every league (without the table itself).
    pub fn brief(&self) -> LeagueBrief {
        let mut moved: Vec<(&Names, f64)> = self
            .rows
            .iter()
            .filter_map(|r| r.change.map(|c| (&r.entity.names, c)))
            .collect();
        // Stable: equal changes keep the league's order.
        moved.sort_by(|a, b| b.1.total_cmp(&a.1));
        let owned = |(names, c): &(&Names, f64)| ((*names).clone(), *c);
        LeagueBrief {
            kind: self.kind,
            campaign_names: self.campaign_names.clone(),
            period: self.period.clone(),
            bands: self.bands.clone(),
            distribution: self.distribution(),
            risers: moved
                .iter()
                .filter(|m| m.1 > 0.0)
                .take(3)
                .map(owned)
                .collect(),
            fallers: moved
                .iter()
                .rev()
                .filter(|m| m.1 < 0.0)
                .take(3)
                .map(owned)
                .collect(),
        }
    }
}

/// A league's newest public rating in brief: how many earned each mark
/// and who moved most. The home page shows one per league; the table is
/// on the league's own page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeagueBrief {
    /// The league.
    pub kind: EntityKind,
    /// Campaign name.
    pub campaign_names: Names,
    /// ISO period.
    pub period: String,
    /// Bands, best first.
    pub bands: Vec<BandDef>,
    /// Count per band code, best band first ([`SnapshotPayload::distribution`]).
    pub distribution: Vec<(String, u32)>,
    /// Up to three biggest rises of the index against the previous round,
    /// largest first.
    pub risers: Vec<(Names, f64)>,
    /// Up to three biggest falls, largest first.
    pub fallers: Vec<(Names, f64)>,
}

/// "16 (27.1%)": a count and its share of `total`, one decimal, in the way
/// the ministry's press releases write it.
pub fn count_and_share(locale: Locale, count: u32, total: u32) -> String {
    let share = if total == 0 {
        0.0
    } else {
        f64::from(count) * 100.0 / f64::from(total)
    };
    format!("{count} ({}%)", locale.format_number(share, 1))
}

/// A published league for the home and ratings pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedLeague {
    /// The snapshot row id.
    pub snapshot_id: i32,
    /// Its revision number (1 = first publication).
    pub revision: i32,
    /// When it was published (RFC 3339).
    pub published_at: String,
    /// The frozen content.
    pub payload: SnapshotPayload,
    /// The public changelog of its campaign: every revision readable now,
    /// newest first (empty where only the latest per league is listed).
    #[serde(default)]
    pub changelog: Vec<RevisionNote>,
}

/// One line of a rating's public changelog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionNote {
    /// Revision number (1 = first publication).
    pub revision: i32,
    /// `published` or `retracted`.
    pub status: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
    /// What changed and why.
    pub text: String,
    /// The values it corrected (a correction revision).
    #[serde(default)]
    pub corrections: Vec<crate::Correction>,
    /// When its answers were filled in after publication (a snapshot
    /// published before answers were frozen with it), RFC 3339.
    #[serde(default)]
    pub reconstructed_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_like_the_press_release() {
        let cases = [
            (16, 59, "16 (27,1%)"),
            (9, 59, "9 (15,3%)"),
            (34, 59, "34 (57,6%)"),
            (0, 0, "0 (0,0%)"),
        ];
        for (n, total, want) in cases {
            assert_eq!(count_and_share(Locale::UzLatn, n, total), want);
        }
        assert_eq!(count_and_share(Locale::En, 5, 48), "5 (10.4%)");
    }

    fn names(en: &str) -> Names {
        Names {
            uz_latn: en.into(),
            uz_cyrl: en.into(),
            ru: en.into(),
            en: en.into(),
        }
    }

    /// A league of `(name, band, change)` rows, in rank order.
    fn league(rows: &[(&str, &str, Option<f64>)]) -> SnapshotPayload {
        let band = |code: &str, min| BandDef {
            code: code.into(),
            names: names(code),
            min,
        };
        SnapshotPayload {
            campaign: "t-2025".into(),
            campaign_names: names("Test 2025"),
            period: "2025".into(),
            kind: EntityKind::District,
            methodology: "m".into(),
            methodology_version: "1".into(),
            engine_version: "0".into(),
            bands: vec![
                band("good", 80.0),
                band("satisfactory", 50.0),
                band("unsatisfactory", 0.0),
            ],
            domains: Vec::new(),
            rows: rows
                .iter()
                .zip(1..)
                .map(|(&(name, band, change), id)| SnapshotRow {
                    entity: EntityRef {
                        id: EntityId(id),
                        kind: EntityKind::District,
                        code: format!("d{id}"),
                        names: names(name),
                    },
                    region: None,
                    index: Some(50.0),
                    band: Some(band.into()),
                    rank: u32::try_from(id).unwrap(),
                    rank_p05: 1,
                    rank_p95: 9,
                    domain_scores: Vec::new(),
                    change,
                })
                .collect(),
            nominations: Vec::new(),
            methodology_sha256: None,
            matrix: None,
            corrections: Vec::new(),
        }
    }

    #[test]
    fn an_entity_s_matrix_row_is_the_one_aligned_with_its_league_row() {
        let mut p = league(&[("a", "good", None), ("b", "good", None)]);
        assert_eq!(
            p.entity(EntityId(2)).map(|(r, m)| (r.entity.id, m)),
            Some((EntityId(2), None))
        );
        let row = |id| crate::MatrixRow {
            entity: EntityId(id),
            raw: vec![Some(f64::from(id))],
            scores: vec![None],
            gaps: Vec::new(),
            comments: Vec::new(),
        };
        p.matrix = Some(crate::SnapshotMatrix {
            nodes: vec!["X".into()],
            private: Vec::new(),
            entities: vec![row(1), row(2)],
            reconstructed_at: None,
        });
        let (_, m) = p.entity(EntityId(2)).unwrap();
        assert_eq!(m.unwrap().raw, [Some(2.0)]);
        assert!(p.entity(EntityId(3)).is_none());
        // A matrix out of step with the rows gives no answers, not another's.
        p.matrix.as_mut().unwrap().entities.swap(0, 1);
        assert!(p.entity(EntityId(2)).unwrap().1.is_none());
        let bare = p.without_matrix();
        assert!(bare.matrix.is_none());
        assert_eq!(bare.rows, p.rows);
    }

    #[test]
    fn a_brief_counts_marks_and_names_the_three_biggest_moves_each_way() {
        let l = league(&[
            ("A", "good", Some(4.0)),
            ("B", "good", Some(-0.5)),
            ("C", "satisfactory", None),
            ("D", "satisfactory", Some(9.5)),
            ("E", "satisfactory", Some(4.0)),
            ("F", "unsatisfactory", Some(-7.0)),
            ("G", "satisfactory", Some(0.0)),
            ("H", "satisfactory", Some(1.0)),
            ("I", "unsatisfactory", Some(-2.0)),
            ("J", "unsatisfactory", Some(-2.0)),
        ]);
        let b = l.brief();
        let moved = |m: &[(Names, f64)]| -> Vec<(String, f64)> {
            m.iter().map(|(n, c)| (n.en.clone(), *c)).collect()
        };
        assert_eq!(
            b.distribution,
            vec![
                ("good".to_owned(), 2),
                ("satisfactory".to_owned(), 5),
                ("unsatisfactory".to_owned(), 3)
            ]
        );
        // Equal rises keep the league's order (A before E), equal falls
        // are read from the bottom (J before I); no change (C) and a zero
        // change (G) are neither rises nor falls.
        assert_eq!(
            moved(&b.risers),
            vec![("D".into(), 9.5), ("A".into(), 4.0), ("E".into(), 4.0)]
        );
        assert_eq!(
            moved(&b.fallers),
            vec![("F".into(), -7.0), ("J".into(), -2.0), ("I".into(), -2.0)]
        );
        assert_eq!((b.kind, b.period.as_str()), (EntityKind::District, "2025"));

        let quiet = league(&[("A", "good", Some(1.0)), ("B", "good", None)]).brief();
        assert_eq!(moved(&quiet.risers), vec![("A".into(), 1.0)]);
        assert!(quiet.fallers.is_empty());
    }
}

/// A stored methodology version, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodologySummary {
    /// Row id.
    pub id: i32,
    /// Methodology id (`nis-bodies`).
    pub code: String,
    /// Version label.
    pub version: String,
    /// Title in the four languages.
    pub title: Names,
    /// Entity kinds it applies to.
    pub applies_to: Vec<String>,
    /// First day it may be used, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Number of indicators.
    pub indicators: usize,
    /// SHA-256 of the stored file.
    pub sha256: String,
}

/// One node of a methodology tree, flattened for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodologyNode {
    /// Code.
    pub code: String,
    /// Names.
    pub names: Names,
    /// Depth below the index (domains are 1).
    pub depth: usize,
    /// Weight within the parent.
    pub weight: f64,
    /// Weights that differ by entity kind.
    pub weights_by_kind: Vec<(String, f64)>,
    /// `group` aggregation (`sum`, `weighted_mean`…) or indicator kind.
    pub kind: String,
    /// How it is scored, in words and numbers (`goalposts 0–100`, `cap 35`).
    pub rule: String,
    /// Whether an answer is required.
    pub required: bool,
    /// Whether evidence is required.
    pub evidence: bool,
}

/// A methodology version in full: tree, bands, and what changed since the
/// previous version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodologyDetail {
    /// The version.
    pub summary: MethodologySummary,
    /// Description.
    pub description: Names,
    /// Default missing-data policy.
    pub missing: String,
    /// The index's range.
    pub scale_max: f64,
    /// The tree, depth first.
    pub nodes: Vec<MethodologyNode>,
    /// Bands, best first, with their `[min, max)`.
    pub bands: Vec<(BandDef, f64)>,
    /// The previous version of the same methodology, if any.
    pub previous: Option<MethodologySummary>,
    /// Changes since `previous`, one line each.
    pub changes: Vec<String>,
    /// Whether a crosswalk from `previous` is declared (results comparable).
    pub comparable: bool,
}

/// What changed between two methodology versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodologyDiff {
    /// The older side.
    pub from: MethodologySummary,
    /// The newer side.
    pub to: MethodologySummary,
    /// Added, removed, re-weighted, re-normalised…, one line each.
    pub changes: Vec<String>,
    /// Whether results under `from` can be back-cast into `to` through a
    /// declared crosswalk; otherwise they are not comparable.
    pub comparable: bool,
}

/// One published round of an entity's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfilePoint {
    /// Campaign code.
    pub campaign: String,
    /// ISO period.
    pub period: String,
    /// `id@version` of the methodology it was scored with.
    pub methodology: String,
    /// Whether it compares with the point before (same version, or a
    /// declared crosswalk); a chart breaks its line where it does not.
    pub comparable_with_previous: bool,
    /// Index.
    pub index: Option<f64>,
    /// Band code.
    pub band: Option<String>,
    /// Rank in the league; 0 without an index.
    pub rank: u32,
    /// Rank interval.
    pub rank_p05: u32,
    /// Rank interval.
    pub rank_p95: u32,
    /// Entities in the league.
    pub league_size: u32,
}

/// An entity's public rating profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityProfile {
    /// Rounds, oldest first.
    pub history: Vec<ProfilePoint>,
    /// Bands of the newest round's methodology, with their `[min, max)`.
    pub bands: Vec<(BandDef, f64)>,
    /// The index's range in the newest round.
    pub scale_max: f64,
    /// Newest round: each domain's score and the league's average.
    pub domains: Vec<(DomainDef, Option<f64>, Option<f64>)>,
    /// Newest round: what to improve first (code, names, points the index
    /// would gain).
    pub improve_first: Vec<(String, Names, f64)>,
}

/// One published round of the districts league as a region sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionPoint {
    /// Campaign code.
    pub campaign: String,
    /// ISO period.
    pub period: String,
    /// Methodology `code@version`.
    pub methodology: String,
    /// Whether the round can be compared with the one before (same version
    /// or a declared crosswalk); the chart breaks the line where not.
    pub comparable_with_previous: bool,
    /// The region's districts' mean index.
    pub average: Option<f64>,
    /// The whole league's mean index.
    pub national_average: Option<f64>,
    /// The lowest and highest index among the region's districts.
    pub min: Option<f64>,
    /// See `min`.
    pub max: Option<f64>,
    /// How many of its districts were rated.
    pub rated: u32,
}

/// The first-level units on a map, coloured by the band of their
/// districts' average index in the newest public round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionMap {
    /// The round's campaign code.
    pub campaign: String,
    /// Its period.
    pub period: String,
    /// SVG `viewBox` of the shapes.
    pub view_box: String,
    /// The map data's credit line (CC BY 4.0).
    pub attribution: String,
    /// Water bodies, drawn for orientation.
    pub water: Vec<String>,
    /// The units, larger first so enclaves draw on top.
    pub regions: Vec<MapRegion>,
    /// Bands of the round's methodology, best first.
    pub bands: Vec<BandDef>,
}

/// One unit on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MapRegion {
    /// The region (or Tashkent city).
    pub region: EntityRef,
    /// SVG path data.
    pub path: String,
    /// Its districts' mean index.
    pub average: Option<f64>,
    /// The band that mean falls in.
    pub band: Option<String>,
    /// How many of its districts were rated.
    pub rated: u32,
}

/// A region's page: its districts in the newest published round, their
/// average and spread, and the trend over rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionProfile {
    /// The newest round's campaign code.
    pub campaign: String,
    /// Its period.
    pub period: String,
    /// The region's districts, best first, with their league rank.
    pub districts: Vec<SnapshotRow>,
    /// How many districts the whole league has.
    pub league_size: u32,
    /// Mean index of the region's districts.
    pub average: Option<f64>,
    /// Population standard deviation of their index.
    pub spread: Option<f64>,
    /// The league's mean index.
    pub national_average: Option<f64>,
    /// Count per band among the region's districts, best band first.
    pub distribution: Vec<(BandDef, u32)>,
    /// Each domain's mean in the region and in the league.
    pub domains: Vec<(DomainDef, Option<f64>, Option<f64>)>,
    /// Bands of the newest round's methodology, with their `[min, max)`.
    pub bands: Vec<(BandDef, f64)>,
    /// The index's range in the newest round.
    pub scale_max: f64,
    /// Rounds, oldest first.
    pub history: Vec<RegionPoint>,
}

/// What the what-if sandbox needs to re-score a published league in the
/// browser: each entity's domain scores and the methodology's top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfBase {
    /// The published league it starts from.
    pub league: PublishedLeague,
    /// Each domain's weight per entity kind of the league (same order as
    /// the payload's domains).
    pub weights: Vec<f64>,
    /// How the index combines domains: `weighted_mean`, `sum`,
    /// `geometric_mean` or `minimum`.
    pub aggregation: String,
    /// Cap of the index, if any.
    pub cap: Option<f64>,
    /// The index's range.
    pub scale_max: f64,
}

/// A what-if setting to be saved as a proposal for a new version of the
/// methodology the league was scored with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalDraft {
    /// The published league the sandbox started from.
    pub snapshot_id: i32,
    /// Each domain's weight, in the league's domain order.
    pub weights: Vec<f64>,
    /// Each band's lowest index, in the league's band order.
    pub thresholds: Vec<f64>,
    /// The new version's label.
    pub version: String,
    /// When it would take effect, `YYYY-MM-DD`.
    pub valid_from: String,
    /// Why.
    pub note: String,
}

/// A proposed methodology version, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalSummary {
    /// Row id.
    pub id: i32,
    /// Methodology id (`nis-districts`).
    pub code: String,
    /// The methodology's title.
    pub title: Names,
    /// The stored version it changes.
    pub base: MethodologySummary,
    /// The proposed version label.
    pub version: String,
    /// The league whose weights it moves.
    pub kind: EntityKind,
    /// When it would take effect, `YYYY-MM-DD`.
    pub valid_from: String,
    /// `proposed`, `adopted` or `withdrawn`.
    pub status: String,
    /// Who proposed it.
    pub author: Option<String>,
    /// When (RFC 3339).
    pub created_at: String,
    /// The stored version it became, once adopted.
    pub adopted_id: Option<i32>,
}

/// A domain weight or a band threshold, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingChange {
    /// Domain or band code.
    pub code: String,
    /// Its names.
    pub names: Names,
    /// In the base version.
    pub before: f64,
    /// In the proposal.
    pub after: f64,
}

/// An entity whose rank or band the proposal changes on the league it was
/// tried on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalMover {
    /// The entity.
    pub entity: EntityRef,
    /// Published rank.
    pub rank_before: u32,
    /// Rank under the proposal.
    pub rank_after: u32,
    /// Published band code.
    pub band_before: Option<String>,
    /// Band code under the proposal.
    pub band_after: Option<String>,
}

/// A proposal in full: what it changes, what that does to the league it
/// was tried on, and the proposed file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalDetail {
    /// The listing.
    pub summary: ProposalSummary,
    /// Why, in the author's words.
    pub note: String,
    /// Domain weights of the league's kind.
    pub weights: Vec<SettingChange>,
    /// Band thresholds.
    pub thresholds: Vec<SettingChange>,
    /// Band names and colours, best first (for the pills).
    pub bands: Vec<BandDef>,
    /// What changed from the base version, one line each.
    pub changes: Vec<String>,
    /// Whether results under the base back-cast into the proposal.
    pub comparable: bool,
    /// The campaign of the league it was tried on.
    pub campaign_names: Names,
    /// Entities ranked in that league.
    pub ranked: usize,
    /// Of them, how many change rank.
    pub rank_changes: usize,
    /// Of them, how many change band.
    pub band_changes: usize,
    /// Those that change rank or band, biggest rank move first (at most 20).
    pub movers: Vec<ProposalMover>,
    /// The proposed methodology file (TOML).
    pub source: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Who adopted or withdrew it, when (RFC 3339) and why.
    pub decision: Option<(String, String, String)>,
}

/// A published round of a league, for choosing among them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeagueChoice {
    /// Campaign code.
    pub campaign: String,
    /// ISO period.
    pub period: String,
    /// Campaign name.
    pub names: Names,
}
