//! The Excel round-trip of a submission: the template an officer downloads
//! (the form as a workbook, in their language, with their current answers)
//! and the upload of the filled workbook.
//!
//! An upload is all or nothing. Every row is checked first (the stamp names
//! this submission and its methodology version, the key columns were not
//! altered, each answer parses for its question, nobody changed the value in
//! the form since the download); any problem and nothing is written. A clean
//! upload writes every changed answer in one transaction, through the same
//! versioned write as autosave, each audited. A dry run checks and reports
//! without writing. Every upload is kept with its report
//! (`workbook_imports`), which the form shows.

use domain::Noun;
use domain::{AuditAction, ImportChange, ImportProblem, ImportReport, Locale, ParticipantId};
use methodology::number::Notation;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{submission_values, workbook_imports};
use exports::Lang;
use exports::template::{
    FilledRow, FilledTemplate, Layout, Template, TemplateInput, TemplateQuestion, answer_text,
    template_workbook,
};
use exports::upload::read_template;
use methodology::model::{IndicatorKind, Methodology};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::downloads::{Download, locale};
use crate::submissions::access::{Loaded, domain_of, load};
use crate::submissions::answers::{json_of, parse_answer, text_of};
use crate::submissions::write::{Writer, write_in};
use crate::{Principal, ServiceError, ServiceResult};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What each question accepts, with labels in `loc`, in form order.
pub(crate) fn inputs(m: &Methodology, loc: Locale) -> Vec<(usize, TemplateInput)> {
    let labelled = |options: &[methodology::model::OptionDef]| {
        options
            .iter()
            .map(|o| (o.code.clone(), o.names.get(loc).to_owned()))
            .collect()
    };
    let mut out = Vec::new();
    for &d in m.domains() {
        for (i, _, ind) in m.indicators() {
            if domain_of(m, i) != d {
                continue;
            }
            let input = match &ind.kind {
                IndicatorKind::Number { unit } => TemplateInput::Number {
                    unit: unit.clone(),
                    range: ind.range,
                },
                IndicatorKind::Percent => TemplateInput::Number {
                    unit: Some("%".into()),
                    range: ind.range.or(Some((0.0, 100.0))),
                },
                IndicatorKind::Penalty { .. } => TemplateInput::Number {
                    unit: None,
                    range: ind.range,
                },
                IndicatorKind::YesNo => TemplateInput::YesNo,
                IndicatorKind::Choice { options } => TemplateInput::Choice(labelled(options)),
                IndicatorKind::Checklist { items, .. } => TemplateInput::Checklist(labelled(items)),
                IndicatorKind::Url => TemplateInput::Url,
                IndicatorKind::LegalAct => TemplateInput::LegalAct,
                IndicatorKind::Text => TemplateInput::Text,
                IndicatorKind::Formula { .. } => TemplateInput::Computed,
            };
            out.push((i, input));
        }
    }
    out
}

/// The template's questions in form order, in `loc`, each with the stored
/// answer `stored` gives for its code (its text, comment and version).
pub(crate) fn questions<'a>(
    m: &Methodology,
    loc: Locale,
    stored: impl Fn(&str) -> Option<&'a submission_values::Model>,
) -> Vec<TemplateQuestion> {
    inputs(m, loc)
        .into_iter()
        .map(|(i, input)| {
            let node = &m.nodes[i];
            let ind = node.indicator();
            let v = stored(&node.code);
            TemplateQuestion {
                section: m.nodes[domain_of(m, i)].names.get(loc).to_owned(),
                code: node.code.clone(),
                name: node.names.get(loc).to_owned(),
                hint: ind.map(|x| x.hint.get(loc).to_owned()).unwrap_or_default(),
                input,
                required: ind.is_some_and(|x| x.required),
                value: v.and_then(|v| text_of(&v.value)),
                comment: v.and_then(|v| v.comment.clone()),
                version: v.map_or(0, |v| v.version),
            }
        })
        .collect()
}

/// A campaign as a workbook names it, in `loc`.
pub(crate) fn workbook_campaign(c: &entity::campaigns::Model, loc: Locale) -> exports::Campaign {
    exports::Campaign {
        name: crate::campaigns::names(c).get(loc).to_owned(),
        period: c.period.clone(),
        publication_date: c.opens_on.to_string(),
        revision: 1,
        publisher: "Daraja".to_owned(),
    }
}

/// The submission's template workbook, for anyone who may read the form.
pub async fn template(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: ParticipantId,
    lang: Lang,
) -> ServiceResult<Download> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    let loc = locale(lang);
    let m = &l.m;
    let values: HashMap<String, submission_values::Model> = l.values_by_code(db).await?;
    let questions = questions(m, loc, |code| values.get(code));
    let t = Template {
        campaign: workbook_campaign(&l.campaign, loc),
        campaign_id: l.campaign.id,
        campaign_code: l.campaign.code.clone(),
        participant: l.participant.id,
        entity_code: l.entity.code.clone(),
        entity_name: crate::registry::names(&l.entity).get(loc).to_owned(),
        methodology: m.key(),
        deadline: crate::campaigns::deadline_of(&l.campaign, &l.participant).to_string(),
        questions,
    };
    let bytes = template_workbook(&t, lang)?;
    Ok(Download {
        file_name: format!(
            "daraja-{}-{}-{}.xlsx",
            l.campaign.code,
            l.entity.code,
            lang.tag()
        ),
        content_type: XLSX,
        bytes,
    })
}

/// An uploaded file.
#[derive(Debug, Clone, Copy)]
pub struct Uploaded<'a> {
    /// The name the browser sent.
    pub name: &'a str,
    /// The bytes.
    pub bytes: &'a [u8],
}

/// Checks an uploaded template against the submission and, unless
/// `dry_run` or anything is wrong, saves every changed answer. Refused
/// outright (an error, nothing kept) when the principal may not edit the
/// submission now; otherwise the report is kept and returned, problems
/// included.
pub async fn import(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    file: Uploaded<'_>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> ServiceResult<ImportReport> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let current: HashMap<String, submission_values::Model> = l.values_by_code(db).await?;
    let (changes, unchanged, mut problems) = match read_template(file.bytes) {
        Ok(filled) => check(&l, &filled, &current),
        Err(e) => (
            Vec::new(),
            0,
            vec![problem(String::new(), "file", e.to_string())],
        ),
    };
    let file_name = crate::files::display_name(file.name);
    let sha = format!("{:x}", Sha256::digest(file.bytes));
    let tx = crate::db::begin_write(db).await?;
    let mut applied = false;
    if problems.is_empty() && !dry_run {
        problems.extend(write_planned(&tx, who, &l, &changes, now).await?);
        if problems.is_empty() {
            applied = true;
        } else {
            // Nothing of a failed upload stays: start again with only the
            // report.
            tx.rollback().await?;
            return keep_report(
                db, who, &l, &file_name, &sha, dry_run, changes, unchanged, problems, now,
            )
            .await;
        }
    }
    let report = store(
        &tx, who, &l, &file_name, &sha, dry_run, applied, &changes, unchanged, &problems, now,
    )
    .await?;
    if applied {
        l.record(
            &tx,
            who,
            AuditAction::WorkbookImport,
            None::<&()>,
            Some(&serde_json::json!({
                "file": file_name,
                "sha256": sha,
                "changed": changes.len(),
                "report": report.id,
            })),
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn keep_report(
    db: &DatabaseConnection,
    who: &Principal,
    l: &Loaded,
    file_name: &str,
    sha: &str,
    dry_run: bool,
    changes: Vec<Planned>,
    unchanged: usize,
    problems: Vec<ImportProblem>,
    now: DateTime<Utc>,
) -> ServiceResult<ImportReport> {
    let tx = db.begin().await?;
    let report = store(
        &tx, who, l, file_name, sha, dry_run, false, &changes, unchanged, &problems, now,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn store(
    tx: &impl ConnectionTrait,
    who: &Principal,
    l: &Loaded,
    file_name: &str,
    sha: &str,
    dry_run: bool,
    applied: bool,
    changes: &[Planned],
    unchanged: usize,
    problems: &[ImportProblem],
    now: DateTime<Utc>,
) -> ServiceResult<ImportReport> {
    let body = Stored {
        changes: changes.iter().map(|c| c.change.clone()).collect(),
        unchanged,
        problems: problems.to_vec(),
    };
    let row = workbook_imports::ActiveModel {
        id: NotSet,
        participant_id: Set(l.participant.id),
        user_id: Set(Some(who.user.id.0)),
        file_name: Set(file_name.to_owned()),
        file_sha256: Set(sha.to_owned()),
        dry_run: Set(dry_run),
        applied: Set(applied),
        report: Set(serde_json::to_string(&body)?),
        created_at: Set(now),
    }
    .insert(tx)
    .await?;
    Ok(report_of(row, body, who.user.display_name.clone()))
}

/// What is kept of a report besides its columns.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct Stored {
    pub(crate) changes: Vec<ImportChange>,
    pub(crate) unchanged: usize,
    pub(crate) problems: Vec<ImportProblem>,
}

pub(crate) fn report_of(row: workbook_imports::Model, body: Stored, by: String) -> ImportReport {
    kept_report(
        row.id,
        row.file_name,
        (row.dry_run, row.applied),
        row.created_at,
        body,
        by,
    )
}

/// A kept upload's report: id, file, (dry run, applied), when, what, who.
pub(crate) fn kept_report(
    id: i32,
    file_name: String,
    (dry_run, applied): (bool, bool),
    at: DateTime<Utc>,
    body: Stored,
    by: String,
) -> ImportReport {
    ImportReport {
        id,
        file_name,
        dry_run,
        applied,
        changes: body.changes,
        unchanged: body.unchanged,
        problems: body.problems,
        by,
        at: at.to_rfc3339(),
    }
}

/// The display name of an upload's author.
pub(crate) async fn uploader(
    db: &impl ConnectionTrait,
    user: Option<i32>,
) -> ServiceResult<String> {
    Ok(match user {
        Some(u) => crate::submissions::access::user_names(db, [u].into_iter())
            .await?
            .remove(&u)
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// A kept report, for whoever may read the submission.
pub async fn report(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: ParticipantId,
    report: i32,
) -> ServiceResult<ImportReport> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    let row = workbook_imports::Entity::find_by_id(report)
        .filter(workbook_imports::Column::ParticipantId.eq(l.participant.id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Upload, report))?;
    let body: Stored = serde_json::from_str(&row.report)
        .map_err(ServiceError::unreadable("upload report", report))?;
    let by = uploader(db, row.user_id).await?;
    Ok(report_of(row, body, by))
}

pub(crate) fn problem(cell: String, field: &str, message: String) -> ImportProblem {
    ImportProblem {
        cell,
        field: field.to_owned(),
        message,
    }
}

/// Writes the planned answers of one submission inside `tx`, each at the
/// version the file was checked against; the first one someone else
/// saved meanwhile stops it, as a conflict naming its cell (roll back).
pub(crate) async fn write_planned(
    tx: &sea_orm::DatabaseTransaction,
    who: &Principal,
    l: &Loaded,
    planned: &[Planned],
    now: DateTime<Utc>,
) -> ServiceResult<Option<ImportProblem>> {
    for c in planned {
        let written = write_in(
            tx,
            Writer::Person(who),
            l,
            &c.code,
            &c.json,
            c.comment.clone(),
            c.version,
            now,
        )
        .await;
        if let Err(e) = written {
            let ServiceError::Lost(_) = e else {
                return Err(e);
            };
            return Ok(Some(problem(
                c.change.cell.clone(),
                "conflict",
                format!(
                    "{} of {} was saved by someone else while the file was being read; upload it again",
                    c.code, l.entity.code
                ),
            )));
        }
    }
    Ok(None)
}

/// One answer to write.
pub(crate) struct Planned {
    pub(crate) change: ImportChange,
    pub(crate) code: String,
    pub(crate) json: String,
    pub(crate) comment: Option<String>,
    pub(crate) version: i32,
}

/// Checks every row of an uploaded template against the submission as
/// stored: the answers to write, how many rows change nothing, and the
/// problems.
pub(crate) fn check(
    l: &Loaded,
    filled: &FilledTemplate,
    current: &HashMap<String, submission_values::Model>,
) -> (Vec<Planned>, usize, Vec<ImportProblem>) {
    let m = &l.m;
    let mut problems = Vec::new();
    let stamp = |k: &str| filled.stamp.get(k).map(String::as_str).unwrap_or("");
    let stamp_cell = String::new();
    if stamp("campaign_id") != l.campaign.id.to_string() {
        problems.push(problem(
            stamp_cell.clone(),
            "campaign",
            format!(
                "the workbook is the template of campaign {:?}, not of {:?}; download this form's template",
                stamp("campaign"),
                l.campaign.code
            ),
        ));
    }
    if stamp("participant") != l.participant.id.to_string() || stamp("entity") != l.entity.code {
        problems.push(problem(
            stamp_cell.clone(),
            "entity",
            format!(
                "the workbook is for entity {:?}, this form is {:?}'s",
                stamp("entity"),
                l.entity.code
            ),
        ));
    }
    if stamp("methodology") != m.key() {
        problems.push(problem(
            stamp_cell,
            "methodology",
            format!(
                "the workbook follows methodology {:?}, the campaign pins {:?}",
                stamp("methodology"),
                m.key()
            ),
        ));
    }
    if filled.layout != Layout::Submission {
        problems.push(problem(
            String::new(),
            "file",
            "this is a region's template (a row per district): upload it on the region's page of the campaign".into(),
        ));
    }
    if !problems.is_empty() {
        return (Vec::new(), 0, problems);
    }
    let rows: Vec<&FilledRow> = filled.rows.iter().collect();
    check_rows(l, &rows, filled.lang, current)
}

/// Checks rows of an uploaded template (of either layout) against one
/// submission as stored: the answers to write, how many change nothing,
/// and the problems. Every question of the form must have its row (or
/// column).
pub(crate) fn check_rows(
    l: &Loaded,
    rows: &[&FilledRow],
    lang: Lang,
    current: &HashMap<String, submission_values::Model>,
) -> (Vec<Planned>, usize, Vec<ImportProblem>) {
    let m = &l.m;
    let mut problems = Vec::new();
    let loc = locale(lang);
    // In form order, for the missing-row check at the end.
    let asked: Vec<(&str, TemplateInput)> = inputs(m, loc)
        .into_iter()
        .map(|(i, input)| (m.nodes[i].code.as_str(), input))
        .collect();
    let questions: HashMap<&str, &TemplateInput> =
        asked.iter().map(|(code, input)| (*code, input)).collect();
    let mut seen = HashSet::new();
    let mut planned = Vec::new();
    let mut unchanged = 0;
    for &row in rows {
        if row.entity != l.entity.code {
            problems.push(problem(
                row.keys.entity.clone(),
                "entity",
                format!(
                    "entity code {:?} is not this form's ({:?}); the key columns must stay as downloaded",
                    row.entity, l.entity.code
                ),
            ));
            continue;
        }
        if row.methodology != m.key() {
            problems.push(problem(
                row.keys.methodology.clone(),
                "methodology",
                format!(
                    "methodology stamp {:?} is not the campaign's {:?}",
                    row.methodology,
                    m.key()
                ),
            ));
            continue;
        }
        let Some(&input) = questions.get(row.indicator.as_str()) else {
            problems.push(problem(
                row.keys.indicator.clone(),
                "indicator",
                format!("no question {:?} in {}", row.indicator, m.key()),
            ));
            continue;
        };
        if !seen.insert(row.indicator.clone()) {
            problems.push(problem(
                row.keys.indicator.clone(),
                "indicator",
                format!("{} appears twice; keep one row per question", row.indicator),
            ));
            continue;
        }
        if *input == TemplateInput::Computed {
            continue;
        }
        match check_answer(l, row, input, loc, current) {
            Checked::Unchanged => unchanged += 1,
            Checked::Write(p) => planned.push(p),
            Checked::Problem(p) => problems.push(p),
        }
    }
    for (code, input) in &asked {
        if *input != TemplateInput::Computed && !seen.contains(*code) {
            problems.push(problem(
                String::new(),
                "indicator",
                format!(
                    "the answer to {code} is missing from the file; rows and columns must not be deleted"
                ),
            ));
        }
    }
    (planned, unchanged, problems)
}

/// What one answer row of an upload comes to.
enum Checked {
    /// The answer (and its comment) stays as stored.
    Unchanged,
    /// The answer to write.
    Write(Planned),
    /// Why the row cannot be written.
    Problem(ImportProblem),
}

/// Checks one row's answer against its question and the stored answer:
/// unchanged, to write (at the stored version), or a problem (unreadable,
/// locked, or changed in the form since the download).
fn check_answer(
    l: &Loaded,
    row: &FilledRow,
    input: &TemplateInput,
    loc: Locale,
    current: &HashMap<String, submission_values::Model>,
) -> Checked {
    let m = &l.m;
    let answer = match answer_text(input, &row.value) {
        Ok(a) => a,
        Err(why) => {
            return Checked::Problem(problem(
                row.cell.clone(),
                "value",
                format!("{}: {why}", row.indicator),
            ));
        }
    };
    // A number cell is a number; text was typed in the template's language.
    let writer = match row.value {
        exports::template::TemplateCell::Number(_) => Notation::Machine,
        _ => Notation::Person(loc),
    };
    let value = match parse_answer(m, &row.indicator, answer.as_deref(), writer, None) {
        Ok((_, v)) => v,
        Err(e) => {
            return Checked::Problem(problem(
                row.cell.clone(),
                "value",
                match e {
                    ServiceError::Invalid(p) => p.message.to_string(),
                    other => other.to_string(),
                },
            ));
        }
    };
    let after = value.as_ref().map(|v| v.to_text());
    let stored = current.get(&row.indicator);
    let before = stored.and_then(|v| text_of(&v.value));
    let stored_comment = stored.and_then(|v| v.comment.clone());
    // A layout without comments keeps the stored one.
    let comment = if row.commented {
        row.comment.clone()
    } else {
        stored_comment.clone()
    };
    if after == before && comment == stored_comment {
        return Checked::Unchanged;
    }
    // The officer did not touch this answer in the workbook: keep
    // whatever the form holds now.
    if after == normalised(m, &row.indicator, row.original.as_deref()) && comment == stored_comment
    {
        return Checked::Unchanged;
    }
    let stored_version = stored.map_or(0, |v| v.version);
    if let Some(v) = stored.filter(|v| v.locked) {
        return Checked::Problem(problem(
            row.cell.clone(),
            "locked",
            format!(
                "{} comes from {} and is locked against manual edits",
                row.indicator, v.source
            ),
        ));
    }
    if row.version != Some(stored_version) {
        return Checked::Problem(problem(
            row.cell.clone(),
            "conflict",
            format!(
                "{} was changed in the form after this workbook was downloaded (now {:?}, the workbook says {:?}); download the template again or enter it in the form",
                row.indicator,
                before.as_deref().unwrap_or(""),
                after.as_deref().unwrap_or("")
            ),
        ));
    }
    Checked::Write(Planned {
        change: ImportChange {
            cell: row.cell.clone(),
            entity: Some(l.entity.code.clone()),
            indicator: row.indicator.clone(),
            before,
            after,
        },
        code: row.indicator.clone(),
        json: json_of(&value),
        comment,
        version: stored_version,
    })
}

/// The stored text form of the value a workbook showed at download.
pub(crate) fn normalised(m: &Methodology, code: &str, original: Option<&str>) -> Option<String> {
    parse_answer(m, code, original, Notation::Machine, None)
        .ok()
        .and_then(|(_, v)| v)
        .map(|v| v.to_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_question_has_a_template_input() {
        for (file, src) in seeds::METHODOLOGIES {
            let m = methodology::parse(file, src).expect("seeds parse");
            let inputs = inputs(&m, Locale::En);
            assert_eq!(inputs.len(), m.indicators().count(), "{}", m.key());
        }
    }
}
