//! The commands of `daraja-score` (the binary in `main.rs` only parses the
//! command line and maps errors to exit codes). A library so the readers
//! can be driven directly: the fuzz targets (`fuzz/`) feed them bytes.

#![deny(missing_docs)]

pub mod bench;
pub mod run;
pub mod table;

pub use table::InputError;
