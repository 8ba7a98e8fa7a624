//! Reading an uploaded template of either layout: the stamp sheet says
//! which (a submission's, [`crate::template`], or a region's districts',
//! [`crate::region_template`]), and the matching reader reads the rows.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::template::{FORMAT, FilledTemplate, STAMP_SHEET, TemplateError, text_of_data};

/// Reads an uploaded template. Fails only when the file is not a workbook
/// or carries no Daraja stamp; rows are returned as found.
pub fn read_template(bytes: &[u8]) -> Result<FilledTemplate, TemplateError> {
    let mut book: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| TemplateError::NotAWorkbook(e.to_string()))?;
    let no_stamp = || {
        TemplateError::NotATemplate(
            "its stamp sheet is missing; download the template from the form again".into(),
        )
    };
    // A sheet that is there but cannot be read is a damaged file, not a
    // missing sheet: say what calamine found.
    let unreadable = |sheet: &str, e: calamine::XlsxError| {
        TemplateError::NotAWorkbook(format!("the sheet {sheet:?} cannot be read: {e}"))
    };
    let stamp_range = book.worksheet_range(STAMP_SHEET).map_err(|e| match e {
        calamine::XlsxError::WorksheetNotFound(_) => no_stamp(),
        e => unreadable(STAMP_SHEET, e),
    })?;
    let mut stamp = HashMap::new();
    for row in stamp_range.rows() {
        if let (Some(Data::String(k)), Some(v)) = (row.first(), row.get(1)) {
            stamp.insert(k.clone(), text_of_data(Some(v)).unwrap_or_default());
        }
    }
    match stamp.get("format").map(String::as_str) {
        Some(FORMAT) => crate::template::read_submission(&mut book, stamp),
        Some(crate::region_template::FORMAT) => crate::region_template::read_rows(&mut book, stamp),
        Some(other) => Err(TemplateError::NotATemplate(format!(
            "it has layout {other:?}, this server reads {FORMAT:?}; download the template again"
        ))),
        None => Err(no_stamp()),
    }
}
