//! Writing answers: one save from the form, a batch (an Excel upload, a
//! feed's push) in one transaction, each value guarded by the version its
//! editor loaded and audited; who writes (a person or a feed); prefilling a
//! round from each entity's last approved answers.

use domain::{Msg, Noun};
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::{AuditAction, Conflict, ParticipantId, ReviewStatus, SaveOutcome, SubmissionStatus};
use entity::{campaigns, participants, submission_values};
use methodology::model::IndicatorKind;
use methodology::number::Notation;
use methodology::value::Value;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};

use super::access::*;
use super::answers::*;
use crate::audit::{self, Actor};
use crate::error::Lost;
use crate::{Principal, ServiceError, ServiceResult};

/// One save from the form.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// Indicator code.
    pub indicator: String,
    /// The answer as typed; `None` or empty clears it.
    pub value: Option<String>,
    /// The officer's note or justification.
    pub comment: Option<String>,
    /// The version the editor started from (0 for a value never saved).
    pub version: i32,
}

/// Saves one value if nobody saved it since `req.version`; otherwise
/// writes nothing and returns both versions.
pub async fn save(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    req: &SaveRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SaveOutcome> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let previous = l.last_round(db, &req.indicator).await?;
    let writer = Notation::Person(who.locale);
    let (_, value) = parse_answer(&l.m, &req.indicator, req.value.as_deref(), writer, previous)?;
    let json = json_of(&value);
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let tx = crate::db::begin_write(db).await?;
    let written = write_in(
        &tx,
        Writer::Person(who),
        &l,
        &req.indicator,
        &json,
        comment,
        req.version,
        now,
    )
    .await;
    match written {
        Ok(version) => {
            tx.commit().await?;
            let values = l.values(db).await?;
            let ev = l.evidence(db).await?;
            let issues = l.issues(db, &values, &ev, who.locale).await?;
            Ok(SaveOutcome::Saved { version, issues })
        }
        Err(ServiceError::Lost(lost)) => {
            tx.rollback().await?;
            let Some(theirs) = find_value(&l, &req.indicator).one(db).await? else {
                return Err(lost.into_error("value", &req.indicator));
            };
            let by = match theirs.updated_by {
                Some(u) => user_names(db, [u].into_iter())
                    .await?
                    .remove(&u)
                    .unwrap_or_default(),
                None => theirs.source.clone(),
            };
            Ok(SaveOutcome::Conflict(Conflict {
                yours: value.map(|v| v.to_text()),
                theirs: text_of(&theirs.value),
                version: theirs.version,
                by,
                at: theirs.updated_at.to_rfc3339(),
            }))
        }
        Err(e) => Err(e),
    }
}

pub(super) fn find_value(l: &Loaded, code: &str) -> sea_orm::Select<submission_values::Entity> {
    submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.eq(code.to_owned()))
}

/// Writes one value at `expected` version inside `tx`, with its audit entry
/// and the submission's move to "in progress": the new version, or
/// [`ServiceError::Lost`] when the stored version moved on (roll `tx` back).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_in(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    l: &Loaded,
    code: &str,
    json: &str,
    comment: Option<String>,
    expected: i32,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let one = [Write {
        code,
        json,
        comment,
        expected,
    }];
    let versions = write_many(tx, by, l, &one, now).await?;
    versions
        .first()
        .copied()
        .ok_or_else(|| ServiceError::shape("one write gives one version"))
}

/// One value to write, at the version its writer read (0 for a new one).
pub(crate) struct Write<'a> {
    /// Indicator code.
    pub(crate) code: &'a str,
    /// The stored JSON of the answer.
    pub(crate) json: &'a str,
    /// The note kept with it.
    pub(crate) comment: Option<String>,
    /// The version it was read at.
    pub(crate) expected: i32,
}

/// Writes values of one submission inside `tx`, each only at its expected
/// version, each with its audit entry (appended together), and moves the
/// submission to "in progress": the new versions in the order given, or
/// [`ServiceError::Lost`] when any stored version moved on (roll `tx` back
/// then). New
/// values are inserted together; changed ones are updated one by one, each
/// guarded by its version.
pub(crate) async fn write_many(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    l: &Loaded,
    writes: &[Write<'_>],
    now: DateTime<Utc>,
) -> ServiceResult<Vec<i32>> {
    let codes: Vec<&str> = writes.iter().map(|w| w.code).collect();
    let existing: HashMap<String, submission_values::Model> = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.is_in(codes))
        .all(tx)
        .await?
        .into_iter()
        .map(|v| (v.indicator_code.clone(), v))
        .collect();
    let mut versions = Vec::with_capacity(writes.len());
    let mut inserts = Vec::new();
    let mut entries = Vec::with_capacity(writes.len());
    for w in writes {
        let (code, expected) = (w.code, w.expected);
        let row = existing.get(code);
        let new_version = match row {
            Some(row) if row.locked && row.source != by.source() => {
                return Err(ServiceError::Forbidden(Msg::LockedByFeed {
                    indicator: code.to_owned(),
                    source: row.source.clone(),
                }));
            }
            Some(row) if row.version != expected => return Err(lost(None)),
            Some(row) => update_at(tx, by, row.id, w, now).await?,
            None if expected != 0 => {
                return Err(ServiceError::Conflict(Msg::NoSavedVersion {
                    indicator: code.to_owned(),
                    version: expected,
                }));
            }
            None => {
                inserts.push(new_value(l, by, w, now));
                1
            }
        };
        versions.push(new_version);
        let before = row.and_then(|v| text_of(&v.value));
        entries.push(l.entry(
            &by.actor(),
            AuditAction::ValueSave,
            Some(&serde_json::json!({ "indicator": code, "value": before })),
            Some(&serde_json::json!({ "indicator": code, "value": text_of(w.json), "comment": w.comment, "version": new_version })),
            now,
        ));
    }
    track_cited(tx, writes, now).await?;
    // Many rows per statement, few enough bound values for any database.
    for chunk in inserts.chunks(500) {
        if let Err(e) = submission_values::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await
        {
            // Perhaps someone inserted the same value first (unique
            // index): the caller tells a conflict from a failure.
            return Err(lost(Some(e)));
        }
    }
    mark_in_progress(tx, l, now).await?;
    audit::record_many(tx, entries).await?;
    Ok(versions)
}

/// Updates a stored value to `w`, guarded by the version its writer read:
/// the new version, or [`ServiceError::Lost`] when the stored one moved on.
async fn update_at(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    id: i32,
    w: &Write<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let (code, expected) = (w.code, w.expected);
    let res = submission_values::Entity::update_many()
        .col_expr(submission_values::Column::Value, Expr::value(w.json))
        .col_expr(
            submission_values::Column::Comment,
            Expr::value(w.comment.clone()),
        )
        .col_expr(
            submission_values::Column::Version,
            Expr::value(expected + 1),
        )
        .col_expr(submission_values::Column::Prefilled, Expr::value(false))
        .col_expr(submission_values::Column::Source, Expr::value(by.source()))
        .col_expr(
            submission_values::Column::Locked,
            Expr::value(by.locks(code)),
        )
        .col_expr(
            submission_values::Column::ReviewStatus,
            Expr::value(ReviewStatus::Pending),
        )
        .col_expr(
            submission_values::Column::ReviewedValue,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            submission_values::Column::UpdatedBy,
            Expr::value(by.user_id()),
        )
        .col_expr(submission_values::Column::UpdatedAt, Expr::value(now))
        .filter(submission_values::Column::Id.eq(id))
        .filter(submission_values::Column::Version.eq(expected))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(lost(None));
    }
    Ok(expected + 1)
}

/// A value never saved before, as `by` writes it (version 1).
fn new_value(
    l: &Loaded,
    by: Writer<'_>,
    w: &Write<'_>,
    now: DateTime<Utc>,
) -> submission_values::ActiveModel {
    let mut am = first_value(l.participant.id, w.code, None, now);
    am.updated_by = Set(by.user_id());
    am.source = Set(by.source().to_owned());
    am.locked = Set(by.locks(w.code));
    am.value = Set(w.json.to_owned());
    am.comment = Set(w.comment.clone());
    am
}

/// Hands the links the written answers cite to the background checker.
async fn track_cited(
    tx: &DatabaseTransaction,
    writes: &[Write<'_>],
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let cited: Vec<String> = writes
        .iter()
        .filter_map(|w| parse_stored(w.json))
        .filter_map(|v| crate::links::cited(&v).map(str::to_owned))
        .collect();
    crate::links::track(tx, cited.iter().map(String::as_str), now).await
}

/// Moves a submission not started yet to "in progress".
async fn mark_in_progress(
    tx: &DatabaseTransaction,
    l: &Loaded,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if l.participant.status == SubmissionStatus::NotStarted {
        participants::Entity::update_many()
            .col_expr(
                participants::Column::Status,
                Expr::value(SubmissionStatus::InProgress),
            )
            .col_expr(participants::Column::UpdatedAt, Expr::value(now))
            .filter(participants::Column::Id.eq(l.participant.id))
            .filter(participants::Column::Status.eq(SubmissionStatus::NotStarted))
            .exec(tx)
            .await?;
    }
    Ok(())
}

fn lost(insert_error: Option<sea_orm::DbErr>) -> ServiceError {
    ServiceError::Lost(Lost { insert_error })
}

/// Who writes a value: a person, or a source system through its token.
#[derive(Debug, Clone, Copy)]
pub enum Writer<'a> {
    /// A signed-in person (the form, the Excel upload, the API).
    Person(&'a Principal),
    /// An automatic feed.
    Feed(&'a Feed),
}

impl Writer<'_> {
    /// The stored `source` of what it writes: `person` or the system.
    pub(crate) fn source(&self) -> &str {
        match self {
            Writer::Person(_) => "person",
            Writer::Feed(f) => &f.source_system,
        }
    }

    /// The person's user id; `None` for a feed.
    pub(crate) fn user_id(&self) -> Option<i32> {
        self.actor().user_id()
    }

    /// Whether what it writes for `code` is locked against other writers.
    pub(crate) fn locks(&self, code: &str) -> bool {
        matches!(self, Writer::Feed(f) if f.locks(code))
    }

    pub(crate) fn actor(&self) -> Actor<'_> {
        match self {
            Writer::Person(p) => Actor::User(p),
            Writer::Feed(f) => Actor::Feed(&f.label),
        }
    }
}

pub(super) async fn set_status(
    tx: &impl ConnectionTrait,
    p: &participants::Model,
    to: SubmissionStatus,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut am: participants::ActiveModel = p.clone().into();
    am.status = Set(to);
    am.version = Set(p.version + 1);
    am.updated_at = Set(now);
    match to {
        SubmissionStatus::Submitted => am.submitted_at = Set(Some(now)),
        SubmissionStatus::Approved => am.approved_at = Set(Some(now)),
        _ => {}
    }
    // Guard on the version read, so two reviewers cannot both act.
    let res = participants::Entity::update_many()
        .set(am)
        .filter(participants::Column::Id.eq(p.id))
        .filter(participants::Column::Version.eq(p.version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ServiceError::Conflict(Msg::ChangedMeanwhile {
            what: Noun::Submission,
        }));
    }
    Ok(())
}

/// Copies each participant's approved answers from its previous campaign
/// into `c` (same indicator codes, formulas excluded), marked prefilled.
/// Returns how many values were copied.
pub(crate) async fn prefill(
    tx: &impl ConnectionTrait,
    c: &campaigns::Model,
) -> ServiceResult<usize> {
    let m = crate::methodologies::load(tx, c.methodology_version_id).await?;
    let parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .all(tx)
        .await?;
    let earlier: Vec<i32> = campaigns::Entity::find()
        .filter(campaigns::Column::OpensOn.lt(c.opens_on))
        .order_by_desc(campaigns::Column::OpensOn)
        .all(tx)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if earlier.is_empty() {
        return Ok(0);
    }
    // The newest earlier approved submission of each entity (`earlier` is
    // newest first), found in one pass.
    let entity_ids: Vec<i32> = parts.iter().map(|p| p.entity_id).collect();
    let mut newest: HashMap<i32, (usize, i32)> = HashMap::new();
    for chunk in entity_ids.chunks(500) {
        for prev in participants::Entity::find()
            .filter(participants::Column::CampaignId.is_in(earlier.clone()))
            .filter(participants::Column::EntityId.is_in(chunk.to_vec()))
            .filter(participants::Column::Status.eq(SubmissionStatus::Approved))
            .all(tx)
            .await?
        {
            let age = earlier
                .iter()
                .position(|id| *id == prev.campaign_id)
                .unwrap_or(usize::MAX);
            let best = newest.entry(prev.entity_id).or_insert((age, prev.id));
            if age < best.0 {
                *best = (age, prev.id);
            }
        }
    }
    // Source submission → the new one it prefills.
    let target: HashMap<i32, i32> = parts
        .iter()
        .filter_map(|p| newest.get(&p.entity_id).map(|(_, src)| (*src, p.id)))
        .collect();
    let sources: Vec<i32> = target.keys().copied().collect();
    let now = Utc::now();
    let mut rows: Vec<submission_values::ActiveModel> = Vec::new();
    for chunk in sources.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(tx)
            .await?
        {
            let Some(i) = m.find(&v.indicator_code) else {
                continue;
            };
            let Some(ind) = m.nodes[i].indicator() else {
                continue;
            };
            if matches!(ind.kind, IndicatorKind::Formula { .. }) {
                continue;
            }
            let Some(value) = effective(&v) else { continue };
            // Only what still parses as an answer to the new question.
            if Value::parse(ind, &value.to_text()).is_err() {
                continue;
            }
            let mut am = first_value(target[&v.participant_id], &v.indicator_code, None, now);
            am.value = Set(json_of(&Some(value)));
            am.source = Set("prefill".into());
            am.prefilled = Set(true);
            rows.push(am);
        }
    }
    let copied = rows.len();
    for chunk in rows.chunks(200) {
        submission_values::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    Ok(copied)
}

/// A feed authenticated by its token.
#[derive(Debug, Clone)]
pub struct Feed {
    /// The token's row id.
    pub token_id: i32,
    /// The token's name.
    pub name: String,
    /// The system it carries values from: the `source` of what it writes.
    pub source_system: String,
    /// How the audit log names it: `feed:<source>#<token id>`.
    pub label: String,
    /// Which of what it writes is locked against manual edits.
    pub(crate) locked: Allowed,
    pub(crate) indicators: Allowed,
    pub(crate) entities: Allowed,
}

impl Feed {
    /// Whether its value of `code` is locked against manual edits.
    pub fn locks(&self, code: &str) -> bool {
        self.locked.admits(code)
    }
}

/// A token's list of codes: everything (`*`) or only these.
#[derive(Debug, Clone)]
pub(crate) enum Allowed {
    Any,
    Only(HashSet<String>),
}

impl Allowed {
    pub(crate) fn of(stored: &str) -> Allowed {
        let codes: Vec<String> = serde_json::from_str(stored).unwrap_or_default();
        if codes.iter().any(|c| c == "*") {
            Allowed::Any
        } else {
            Allowed::Only(codes.into_iter().collect())
        }
    }

    pub(crate) fn admits(&self, code: &str) -> bool {
        match self {
            Allowed::Any => true,
            Allowed::Only(codes) => codes.contains(code),
        }
    }
}
