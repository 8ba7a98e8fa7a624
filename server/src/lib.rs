//! Daraja's web server: configuration, the database pool, HTTP routes,
//! the authentication middleware and the Leptos integration.
//!
//! The only crate that knows HTTP and configuration together. It reads the
//! configuration once, connects and migrates, seeds, and hands requests to
//! the Leptos app (pages and server functions) or to the JSON API, both of
//! which call the `service` crate.
#![deny(missing_docs)]

pub mod api;
pub mod backup;
pub mod config;
pub mod downloads;
pub mod files;
pub mod links;
pub mod middleware;
pub mod object_files;
pub mod page_cache;
pub mod prepared;
pub mod problem;
pub mod startup;
pub mod state;
pub mod telemetry;
