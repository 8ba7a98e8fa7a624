//! The pages of the public site, the registry, the account and
//! administration, one module per route area; the routes in `lib.rs` name
//! the components re-exported here.

mod account;
mod admin;
mod home;
mod methodologies;
mod ratings;
mod registry;
mod what_if;

pub use account::{Account, SignIn};
pub use admin::{Audit, Users};
pub use home::Home;
pub use methodologies::{Methodologies, MethodologyPage};
pub use ratings::Ratings;
pub use registry::{EntityEdit, EntityPage, Registry};
pub use what_if::WhatIf;
