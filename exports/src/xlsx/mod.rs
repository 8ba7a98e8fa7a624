//! The xlsx writers (rust_xlsxwriter). Everything that knows about Excel
//! lives under this module; the model and the open-data writers do not.

pub(crate) mod card;
pub(crate) mod common;
pub(crate) mod national;
