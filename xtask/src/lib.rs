//! Checks of the source tree that no compiler makes: run with
//! `cargo test -p xtask` (part of `cargo test --workspace`).

#[cfg(test)]
mod tidy;
