//! Daraja's services: the rules that touch the database.
//!
//! Knows sea-orm, the schema and the domain rules (who may see what, what is
//! audited, how seeds are upserted). Knows nothing of HTTP, cookies or
//! configuration files: the `server` crate and the Leptos server functions in
//! `app` are thin wrappers over the functions here, and pass in what they
//! parsed at the edge.
#![deny(missing_docs)]

pub mod appeals;
pub mod audit;
pub mod auth;
pub mod backup;
mod by_hash;
pub mod campaigns;
pub mod corrections;
pub mod db;
pub mod demo;
pub mod downloads;
pub mod error;
pub mod feeds;
pub mod files;
pub mod history;
pub mod links;
pub mod methodologies;
mod output;
pub mod proposals;
pub mod published;
pub mod ratings;
pub mod region_workbooks;
pub mod registry;
pub mod results;
mod rounds;
pub mod scope;
mod scoring;
pub mod seed;
pub mod submissions;
pub mod users;
pub mod workbooks;

pub use error::{Inconsistent, Rejection, ServiceError, ServiceResult};
pub use scope::Principal;

/// Everything a request needs from the service layer, cheap to clone.
#[derive(Clone)]
pub struct Services {
    /// The connection pool.
    pub db: sea_orm::DatabaseConnection,
    /// Token settings.
    pub auth: auth::AuthSettings,
    /// Where evidence files are kept.
    pub files: std::sync::Arc<dyn files::FileStore>,
}
