//! Roles and entity kinds: closed sets with stable string forms.

use serde::{Deserialize, Serialize};

string_enum! {
    /// What a user may do. Ministry roles are global; `Cdo` and `District`
    /// are bound to one entity by their grant.
    Role {
        /// Manages users, roles and the registry.
        Admin = "admin",
        /// Writes methodology versions.
        Methodologist = "methodologist",
        /// Reviews submissions.
        Reviewer = "reviewer",
        /// Publishes ratings.
        Publisher = "publisher",
        /// Chief Digital Officer of one organization.
        Cdo = "cdo",
        /// Officer of one region or district.
        District = "district",
        /// Reads unpublished data without changing anything.
        Viewer = "viewer",
    }
}

impl Role {
    /// Whether the role is ministry staff (global, not entity-bound).
    pub fn is_ministry(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::Methodologist | Role::Reviewer | Role::Publisher
        )
    }

    /// Whether a grant of this role must name an entity.
    pub fn is_entity_bound(self) -> bool {
        matches!(self, Role::Cdo | Role::District)
    }
}

string_enum! {
    /// The four leagues of the rating.
    EntityKind {
        /// Ministries, committees, agencies.
        StateBody = "state_body",
        /// State companies and associations.
        EconomicBody = "economic_body",
        /// Regions, Karakalpakstan and Tashkent city.
        Region = "region",
        /// Districts, cities and city districts.
        District = "district",
    }
}

impl EntityKind {
    /// Whether entities of this kind are territories (identified by SOATO).
    pub fn is_territory(self) -> bool {
        matches!(self, EntityKind::Region | EntityKind::District)
    }

    /// The role that speaks for an entity of this kind.
    pub fn officer_role(self) -> Role {
        if self.is_territory() {
            Role::District
        } else {
            Role::Cdo
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_forms_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(*r));
        }
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::parse(k.as_str()), Ok(*k));
        }
        let err = Role::parse("root").unwrap_err();
        assert!(err.to_string().contains("admin"), "{err}");
    }
}
