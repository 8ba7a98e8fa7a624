//! Roles and entity kinds: closed sets with stable string forms.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable string form used in the database, URLs and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses the stable string form.
            pub fn parse(s: &str) -> Result<Self, crate::ParseError> {
                match s { $($text => Ok($name::$variant),)* _ => Err(crate::ParseError::new(
                    stringify!($name),
                    format!("unknown value {s:?}; expected one of {}", [$($text),*].join(", ")),
                )) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
