//! Id newtypes. One macro makes them so they all behave alike.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id! {
    /// A row of the registry: a body or a territory.
    EntityId,
    /// A person who signs in.
    UserId,
    /// A methodology version.
    MethodologyVersionId,
    /// An assessment campaign.
    CampaignId,
    /// An entity's participation (its submission) in a campaign.
    ParticipantId,
    /// A published rating revision.
    SnapshotId,
}
