//! The service's rules, called directly as the server calls them, with a
//! signed-in principal of each role, on a fresh database per test: SQLite
//! by default, PostgreSQL when `TEST_DATABASE_URL` names a server (each
//! test then gets its own database).
//!
//! Every area is a table: a `check(input, expected)` helper and rows of
//! cases, so adding a case is adding a row. Refusals are compared by the
//! error's variant ([`helpers::refused`]), never by its message.

mod access;
mod appeals;
mod auth;
mod autosave;
mod campaigns;
mod feeds;
mod helpers;
mod publication;
mod review;
mod transitions;
