//! The audit log as CSV for administrators: one row per entry, every text
//! neutralised so a spreadsheet evaluates nothing a user typed.

use std::io::Write;

use crate::ExportError;
use crate::safety::csv_text;

/// One audit entry as it is exported.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// Entry id.
    pub id: i32,
    /// RFC 3339 time.
    pub at: String,
    /// Who: an e-mail, `seed`, `demo`, `feed:<source>#<token>`.
    pub actor: String,
    /// `object.verb`.
    pub action: String,
    /// The kind of object.
    pub object_type: String,
    /// Its id.
    pub object_id: String,
    /// JSON before, if any.
    pub before: Option<String>,
    /// JSON after, if any.
    pub after: Option<String>,
    /// Why, where the user said.
    pub reason: Option<String>,
}

/// The entries as CSV (UTF-8 with a BOM so spreadsheets read Cyrillic).
pub fn audit_csv(rows: &[AuditRow]) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::with_capacity(rows.len() * 160 + 128);
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(&mut out);
    csv.write_record([
        "id",
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "before",
        "after",
        "reason",
    ])?;
    for r in rows {
        let opt = |v: &Option<String>| csv_text(v.as_deref().unwrap_or("")).into_owned();
        csv.write_record([
            r.id.to_string(),
            r.at.clone(),
            csv_text(&r.actor).into_owned(),
            csv_text(&r.action).into_owned(),
            csv_text(&r.object_type).into_owned(),
            csv_text(&r.object_id).into_owned(),
            opt(&r.before),
            opt(&r.after),
            opt(&r.reason),
        ])?;
    }
    csv.flush()?;
    drop(csv);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_and_formulas_neutralised() {
        let row = AuditRow {
            id: 7,
            at: "2026-12-02T10:00:00Z".into(),
            actor: "=HYPERLINK(\"http://evil\")".into(),
            action: "entity.update".into(),
            object_type: "entity".into(),
            object_id: "12".into(),
            before: None,
            after: Some("{\"name\":\"Андижон\"}".into()),
            reason: Some("+1 fix, \"quoted\"".into()),
        };
        let bytes = audit_csv(&[row]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,at,actor,action,object_type,object_id,before,after,reason"
        );
        let line = lines.next().unwrap();
        assert!(
            line.starts_with("7,2026-12-02T10:00:00Z,\"'=HYPERLINK"),
            "{line}"
        );
        assert!(
            line.contains("Андижон") && line.ends_with("\"'+1 fix, \"\"quoted\"\"\""),
            "{line}"
        );
    }
}
