//! Daraja's methodology engine. Pure: data in, scores out.
//!
//! It knows methodology files (TOML, [`parse`]), answers ([`value`]),
//! scoring ([`score`]), rank uncertainty ([`uncertainty`]), band
//! distributions and nominations ([`summary`]), version differences
//! ([`diff`]) and the what-if re-scoring and proposals ([`whatif`]). It deliberately knows nothing of databases, HTTP, files,
//! clocks or unseeded randomness, so the same code scores in the server, in
//! the `daraja-score` CLI and in the browser's what-if sandbox.
#![deny(missing_docs)]

pub mod diff;
pub mod formula;
pub mod model;
pub mod number;
pub mod numeric;
pub mod parse;
mod raw;
pub mod score;
pub mod summary;
pub mod uncertainty;
pub mod validate;
pub mod value;
pub mod whatif;

pub use model::Methodology;
pub use parse::{Diagnostic, ParseError, parse};
pub use score::{EntityInput, EntityResult, Results, ScoreOptions, score};
pub use uncertainty::{
    Draws, NormalisationJitter, RankInterval, rank_uncertainty, rank_uncertainty_with_normalisation,
};
pub use value::Value;

/// Version of the scoring engine, recorded in every published snapshot.
pub const ENGINE_VERSION: &str = concat!("daraja-methodology ", env!("CARGO_PKG_VERSION"), "+1");
