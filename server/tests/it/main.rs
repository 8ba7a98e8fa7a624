//! Server integration tests: the real app on port 0 against a fresh
//! database per test — SQLite by default, PostgreSQL when
//! `TEST_DATABASE_URL` names a server (each test then gets its own database).

mod auth;
mod backup;
mod campaigns;
mod downloads;
mod durability;
mod feeds;
mod frozen;
mod helpers;
mod history;
mod links;
mod methodologies;
mod registry;
mod s3;
mod scope;
mod workbooks;
mod xss;
