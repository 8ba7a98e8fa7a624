//! `daraja-score`: scores value tables against a methodology file.
fn main() {}
