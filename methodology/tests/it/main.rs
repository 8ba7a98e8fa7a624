//! Integration tests of the methodology engine: golden cases, parser
//! diagnostics, reproduction of published composites, properties, and the
//! methodologies shipped in seeds/.

mod check;
mod composites;
mod errors;
mod golden;
mod properties;
mod shipped;
