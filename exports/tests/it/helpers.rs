//! Reading generated files back.

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};

pub type Book = Xlsx<Cursor<Vec<u8>>>;

pub fn open(bytes: &[u8]) -> Book {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a readable xlsx")
}

pub fn sheet(book: &mut Book, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name:?}: {e}"))
}

pub fn cell(range: &Range<Data>, row: usize, col: usize) -> Data {
    range
        .get_value((row as u32, col as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

/// A numeric cell, `None` when empty.
pub fn num(range: &Range<Data>, row: usize, col: usize) -> Option<f64> {
    match cell(range, row, col) {
        Data::Float(v) => Some(v),
        Data::Int(v) => Some(v as f64),
        Data::Empty => None,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

/// A text cell, "" when empty.
pub fn text(range: &Range<Data>, row: usize, col: usize) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

/// Every formula in the workbook, as (sheet, formula).
pub fn formulas(book: &mut Book) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_formula(&name).expect("formulas");
        for (_, _, formula) in range.cells() {
            if !formula.is_empty() {
                found.push((name.clone(), formula.clone()));
            }
        }
    }
    found
}

/// The text of one part of the xlsx zip, e.g. "docProps/core.xml".
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no part {name}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("utf-8 part");
    text
}

/// Names of all parts of the xlsx zip.
pub fn parts(bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    archive
        .file_names()
        .map(|n| n.expect("a part name").into_owned())
        .collect()
}

pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}
