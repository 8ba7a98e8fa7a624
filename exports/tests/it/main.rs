//! Integration tests of `daraja-exports`: every generated file is read back
//! (calamine for xlsx, the csv crate, serde_json) and compared with the input.

mod card;
mod helpers;
mod injection;
mod libreoffice;
mod national;
mod open_data;
mod template;
