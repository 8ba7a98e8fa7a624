//! Data that crosses the wire between server functions and pages.

use crate::{EntityId, EntityKind, Locale, Names, ParseError, Role, UserId};
use serde::{Deserialize, Serialize};

/// A role held by a user, with the entity it is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
