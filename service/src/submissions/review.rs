//! Submitting, and the reviewers' work: verdicts on values, returns,
//! endorsement and approval, comments and replies.

use chrono::{DateTime, Utc};
use domain::Need;
use domain::{
    AuditAction, CommentAction, ParseError, ParticipantId, ReviewAction, ReviewStatus, Role,
    SubmissionStatus,
};
use domain::{Blocker, Msg, Noun};
use entity::{review_comments, submission_values};
use methodology::number::Notation;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};

use super::access::*;
use super::answers::*;
use super::write::*;
use crate::{Principal, ServiceError, ServiceResult};

/// A review comment about to be written.
pub(super) struct NewComment<'a> {
    participant: i32,
    indicator: Option<&'a str>,
    parent: Option<i32>,
    action: CommentAction,
    body: &'a str,
}

pub(super) async fn comment_row(
    tx: &impl ConnectionTrait,
    who: &Principal,
    c: NewComment<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    review_comments::ActiveModel {
        id: NotSet,
        participant_id: Set(c.participant),
        indicator_code: Set(c.indicator.map(str::to_owned)),
        parent_id: Set(c.parent),
        author_id: Set(Some(who.user.id.0)),
        action: Set(c.action),
        body: Set(c.body.into()),
        public: Set(false),
        created_at: Set(now),
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// Sends the submission for review. Refused, listing them, while hard
/// problems remain or soft ones lack a justification.
pub async fn submit(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let values = l.values(db).await?;
    let ev = l.evidence(db).await?;
    let issues = l.issues(db, &values, &ev, who.locale).await?;
    let problems: Vec<Blocker> = issues
        .iter()
        .filter(|i| i.hard || !i.justified)
        .map(|i| Blocker {
            indicator: i.indicator.clone(),
            issue: i.code.clone(),
            unjustified: !i.hard,
            detail: i.detail.clone(),
        })
        .collect();
    if !problems.is_empty() {
        return Err(ParseError::new("submission", Msg::SubmitBlocked { problems }).into());
    }
    let tx = db.begin().await?;
    set_status(&tx, &l.participant, SubmissionStatus::Submitted, now).await?;
    l.record(
        &tx,
        who,
        AuditAction::SubmissionSubmit,
        Some(&serde_json::json!({ "status": l.participant.status })),
        Some(&serde_json::json!({
            "status": SubmissionStatus::Submitted,
            "flagged": issues.len(),
            // What was submitted, for the next look's comparison.
            "values": values
                .iter()
                .map(|v| (v.indicator_code.clone(), text_of(&v.value)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a reviewer decides about one value.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    /// Indicator code.
    pub indicator: &'a str,
    /// Accept, adjust, reject or comment.
    pub action: ReviewAction,
    /// The corrected value (adjust).
    pub adjusted: Option<&'a str>,
    /// Why (required to adjust, reject or comment).
    pub reason: &'a str,
}

/// A reviewer's verdict on one value. Adjust and reject need a reason;
/// adjust keeps the officer's answer and stores the replacement beside it.
pub async fn review_value(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    verdict: &Verdict<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Verdict {
        indicator,
        action,
        adjusted,
        reason,
    } = *verdict;
    let l = load(db, id).await?;
    l.require_correctable(who)?;
    let reason = reason.trim();
    if matches!(
        action,
        ReviewAction::Adjust | ReviewAction::Reject | ReviewAction::Comment
    ) && reason.is_empty()
    {
        return Err(ParseError::new("reason", Msg::Required { need: Need::Reason }).into());
    }
    let tx = crate::db::begin_write(db).await?;
    let row = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.eq(indicator))
        .one(&tx)
        .await?;
    let before = row.as_ref().map(|r| {
        (
            r.review_status,
            r.reviewed_value.as_deref().and_then(text_of),
        )
    });
    if action != ReviewAction::Comment {
        let row = row.ok_or_else(|| {
            ParseError::new("indicator", format!("{indicator} has no answer to review"))
        })?;
        let mut am: submission_values::ActiveModel = row.into();
        match action {
            ReviewAction::Accept => {
                am.review_status = Set(ReviewStatus::Accepted);
                am.reviewed_value = Set(None);
            }
            ReviewAction::Reject => {
                am.review_status = Set(ReviewStatus::Rejected);
                am.reviewed_value = Set(None);
            }
            ReviewAction::Adjust => {
                let previous = l.last_round(&tx, indicator).await?;
                let writer = Notation::Person(who.locale);
                let (_, v) = parse_answer(&l.m, indicator, adjusted, writer, previous)?;
                let v = v.ok_or_else(|| {
                    ParseError::new(
                        "value",
                        Msg::Required {
                            need: Need::CorrectedValue,
                        },
                    )
                })?;
                am.review_status = Set(ReviewStatus::Adjusted);
                am.reviewed_value = Set(Some(json_of(&Some(v))));
            }
            ReviewAction::Comment => {}
        }
        am.update(&tx).await?;
    } else if l.m.find(indicator).is_none() {
        return Err(no_indicator(indicator));
    }
    let body = if reason.is_empty() {
        action.as_str()
    } else {
        reason
    };
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: Some(indicator),
            parent: None,
            action: action.into(),
            body,
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        AuditAction::ValueReview,
        Some(&serde_json::json!({ "indicator": indicator, "review": before })),
        Some(
            &serde_json::json!({ "indicator": indicator, "action": action, "adjusted": adjusted }),
        ),
        Some(reason).filter(|r| !r.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Returns a submission to its officer for revision; a reason is required.
pub async fn return_for_revision(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    reason: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    decide(db, who, id, false, reason, now).await
}

/// Approves a submission: values without a verdict are accepted, and the
/// submission is locked. In a two-level round the region's officer's
/// approval endorses it instead, and it waits for the ministry's.
pub async fn approve(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    decide(db, who, id, true, "", now).await
}

pub(super) async fn decide(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    let stage = l.require_reviewable(who)?;
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(ParseError::new("reason", Msg::Required { need: Need::Reason }).into());
    }
    // The region's approval endorses the work and passes it on; the
    // ministry's approves and locks it.
    let (to, action, audited) = match (approve, stage) {
        (false, _) => (
            SubmissionStatus::Returned,
            CommentAction::Return,
            AuditAction::SubmissionReturn,
        ),
        (true, ReviewStage::Region) => (
            SubmissionStatus::Endorsed,
            CommentAction::Endorse,
            AuditAction::SubmissionEndorse,
        ),
        (true, ReviewStage::Ministry) => (
            SubmissionStatus::Approved,
            CommentAction::Approve,
            AuditAction::SubmissionApprove,
        ),
    };
    let tx = db.begin().await?;
    set_status(&tx, &l.participant, to, now).await?;
    if to == SubmissionStatus::Approved {
        submission_values::Entity::update_many()
            .col_expr(
                submission_values::Column::ReviewStatus,
                Expr::value(ReviewStatus::Accepted),
            )
            .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
            .filter(submission_values::Column::ReviewStatus.eq(ReviewStatus::Pending))
            .exec(&tx)
            .await?;
    }
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: None,
            parent: None,
            action,
            body: if reason.is_empty() {
                action.as_str()
            } else {
                reason
            },
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        audited,
        Some(&serde_json::json!({ "status": l.participant.status })),
        Some(&serde_json::json!({ "status": to })),
        Some(reason).filter(|r| !r.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers a review comment: the officer of the entity, or a reviewer.
pub async fn reply(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    parent: i32,
    body: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    if !(who.speaks_for(domain::EntityId(l.entity.id))
        || who.covers_region(l.entity.region_id.map(domain::EntityId))
        || who.user.has(Role::Reviewer)
        || who.user.has(Role::Admin))
    {
        return Err(ServiceError::Forbidden(Msg::OnlyParticipantsDiscuss));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(ParseError::new("body", Msg::Required { need: Need::Reply }).into());
    }
    let parent_row = review_comments::Entity::find_by_id(parent)
        .one(db)
        .await?
        .filter(|c| c.participant_id == l.participant.id)
        .ok_or_else(|| ServiceError::not_found(Noun::Comment, parent))?;
    let tx = db.begin().await?;
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: parent_row.indicator_code.as_deref(),
            parent: Some(parent),
            action: CommentAction::Reply,
            body,
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        AuditAction::CommentReply,
        None::<&()>,
        Some(&serde_json::json!({ "parent": parent, "body": body })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
