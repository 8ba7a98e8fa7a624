//! The form page of one submission: its questions by domain with their
//! answers, last round's, what changed since the last submission, the
//! problems, comments and history, and the provisional result.

use domain::{
    AuditAction, CampaignStatus, CommentItem, Earlier, FormField, FormSection, LinkCheck,
    ObjectType, ParticipantId, ReviewStatus, SubmissionForm, SubmissionStatus,
};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{evidence, participants, review_comments, submission_values};
use methodology::model::{Indicator, IndicatorKind, Methodology, Node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::access::*;
use super::answers::*;
use super::evidence::*;
use crate::audit::{self};
use crate::rounds::deadline_of;
use crate::scope::entity_ref;
use crate::{Principal, ServiceResult};

/// This entity's counted answers in the previous round, by indicator code,
/// if it was approved there.
pub(super) async fn previous_answers(
    db: &impl ConnectionTrait,
    l: &Loaded,
) -> ServiceResult<HashMap<String, String>> {
    let Some(prev) = previous_round(db, &l.campaign).await? else {
        return Ok(HashMap::new());
    };
    let Some(part) = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(prev.id))
        .filter(participants::Column::EntityId.eq(l.entity.id))
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved))
        .one(db)
        .await?
    else {
        return Ok(HashMap::new());
    };
    Ok(submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(part.id))
        .all(db)
        .await?
        .iter()
        .filter_map(|v| effective(v).map(|x| (v.indicator_code.clone(), x.to_text())))
        .collect())
}

/// The answers at the submission a reader compares with: the one before
/// the current submission when the work is submitted or approved, else
/// the last one. `None` before any second look is possible.
pub(super) fn submitted_answers(
    history: &[domain::AuditEntry],
    status: SubmissionStatus,
) -> Option<(HashMap<String, Option<String>>, String)> {
    let mut submits = history
        .iter()
        .rev()
        .filter(|h| h.action == AuditAction::SubmissionSubmit.as_str());
    if matches!(
        status,
        SubmissionStatus::Submitted | SubmissionStatus::Endorsed | SubmissionStatus::Approved
    ) {
        submits.next();
    }
    let entry = submits.next()?;
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref()?).ok()?;
    let values = serde_json::from_value(after.get("values")?.clone()).ok()?;
    Some((values, entry.at.clone()))
}

/// The form of one submission with its answers, problems, comments and
/// history, for its officer, reviewers and other readers of the entity.
pub async fn form(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<SubmissionForm> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    let values = l.values(db).await?;
    let ev = l.evidence(db).await?;
    let issues = l.issues(db, &values, &ev, who.locale).await?;
    let history =
        audit::of_object(db, ObjectType::Participant, &l.participant.id.to_string()).await?;
    let status = l.participant.status;
    let submitted = submitted_answers(&history, status);
    let previous = previous_answers(db, &l).await?;
    // What the link checker last saw at every address the form cites.
    let answered_links: HashMap<&str, String> = values
        .iter()
        .filter_map(|v| {
            let answer = parse_stored(&v.value)?;
            Some((
                v.indicator_code.as_str(),
                crate::links::cited(&answer)?.to_owned(),
            ))
        })
        .collect();
    let cited: Vec<&str> = ev
        .iter()
        .filter_map(|e| e.url.as_deref())
        .chain(answered_links.values().map(String::as_str))
        .collect();
    let links = crate::links::known(db, &cited).await?;
    let published =
        if status == SubmissionStatus::Approved && l.campaign.status == CampaignStatus::Final {
            crate::ratings::published_answers(db, l.campaign.id, domain::EntityId(l.entity.id))
                .await?
                .unwrap_or_default()
        } else {
            HashMap::new()
        };
    let sections = sections(
        &l.m,
        &Around {
            by_code: values
                .iter()
                .map(|v| (v.indicator_code.as_str(), v))
                .collect(),
            evidence: &ev,
            links: &links,
            answered_links: &answered_links,
            previous: &previous,
            submitted: &submitted,
            published: &published,
        },
    );
    let comments = comment_items(db, l.participant.id).await?;
    let campaign = crate::rounds::summary(db, &l.campaign, None).await?;
    Ok(SubmissionForm {
        participant: id,
        campaign,
        entity: entity_ref(&l.entity),
        status,
        deadline: deadline_of(&l.campaign, &l.participant).to_string(),
        sections,
        issues,
        comments,
        editable: l.edit_refusal(who, now.date_naive()).is_none(),
        reviewable: l.require_reviewable(who).is_ok(),
        correctable: l.require_correctable(who).is_ok(),
        history,
        provisional: crate::results::provisional(db, who, &l.campaign, &l.participant, now).await?,
    })
}

/// What the form's fields show around their stored answers.
struct Around<'a> {
    /// The stored answers, by indicator code.
    by_code: HashMap<&'a str, &'a submission_values::Model>,
    evidence: &'a [evidence::Model],
    /// What the link checker last saw, by address.
    links: &'a HashMap<String, LinkCheck>,
    /// The address each answer cites, by indicator code.
    answered_links: &'a HashMap<&'a str, String>,
    /// Last round's answers.
    previous: &'a HashMap<String, String>,
    /// The answers at the submission a reader compares with, and when.
    submitted: &'a Option<(HashMap<String, Option<String>>, String)>,
    /// The published values, when the submission was published.
    published: &'a HashMap<String, Option<f64>>,
}

/// The form's sections, one per domain that has a question.
fn sections(m: &Methodology, around: &Around<'_>) -> Vec<FormSection> {
    let mut sections: Vec<FormSection> = m
        .domains()
        .iter()
        .map(|&d| FormSection {
            code: m.nodes[d].code.clone(),
            names: m.nodes[d].names.clone(),
            fields: Vec::new(),
        })
        .collect();
    for (i, node, ind) in m.indicators() {
        let d = domain_of(m, i);
        let Some(section) = sections.iter_mut().find(|s| s.code == m.nodes[d].code) else {
            continue;
        };
        section.fields.push(field(around, node, ind));
    }
    sections.retain(|s| !s.fields.is_empty());
    sections
}

/// One question of the form with its answer, evidence and comparisons.
fn field(around: &Around<'_>, node: &Node, ind: &Indicator) -> FormField {
    let v = around.by_code.get(node.code.as_str());
    let options = match &ind.kind {
        IndicatorKind::Choice { options } => options
            .iter()
            .map(|o| (o.code.clone(), o.names.clone()))
            .collect(),
        IndicatorKind::Checklist { items, .. } => items
            .iter()
            .map(|o| (o.code.clone(), o.names.clone()))
            .collect(),
        _ => Vec::new(),
    };
    FormField {
        code: node.code.clone(),
        names: node.names.clone(),
        hint: ind.hint.clone(),
        kind: ind.kind.name().into(),
        unit: match &ind.kind {
            IndicatorKind::Number { unit } => unit.clone(),
            IndicatorKind::Percent => Some("%".into()),
            _ => None,
        },
        options,
        required: ind.required,
        evidence_required: ind.evidence_required,
        range: ind.range,
        formula: match &ind.kind {
            IndicatorKind::Formula { expr, .. } => Some(expr.clone()),
            _ => None,
        },
        value: v.and_then(|v| text_of(&v.value)),
        version: v.map_or(0, |v| v.version),
        prefilled: v.is_some_and(|v| v.prefilled),
        source: v.map(|v| v.source.clone()),
        review: v.map(|v| v.review_status).unwrap_or(ReviewStatus::Pending),
        reviewed_value: v
            .and_then(|v| v.reviewed_value.as_deref())
            .and_then(text_of),
        comment: v.and_then(|v| v.comment.clone()),
        evidence: around
            .evidence
            .iter()
            .filter(|e| e.indicator_code == node.code)
            .map(|e| evidence_item(e, around.links))
            .collect(),
        link: around
            .answered_links
            .get(node.code.as_str())
            .and_then(|u| around.links.get(u))
            .cloned(),
        locked: v.is_some_and(|v| v.locked),
        previous: around.previous.get(&node.code).cloned(),
        since_submission: around.submitted.as_ref().and_then(|(answers, at)| {
            let then = answers.get(&node.code).cloned().flatten();
            let now = v.and_then(|v| text_of(&v.value));
            (then != now).then(|| Earlier {
                value: then,
                at: at.clone(),
            })
        }),
        unpublished: around.published.get(&node.code).and_then(|&then| {
            let now = v.and_then(|v| effective(v)).and_then(|x| x.raw(ind));
            (then != now).then_some(domain::PublishedAnswer { value: then })
        }),
    }
}

/// The submission's review comments, oldest first, with their authors'
/// names.
async fn comment_items(
    db: &impl ConnectionTrait,
    participant_id: i32,
) -> ServiceResult<Vec<CommentItem>> {
    let comments = review_comments::Entity::find()
        .filter(review_comments::Column::ParticipantId.eq(participant_id))
        .order_by_asc(review_comments::Column::Id)
        .all(db)
        .await?;
    let names = user_names(db, comments.iter().filter_map(|c| c.author_id)).await?;
    Ok(comments
        .into_iter()
        .map(|c| CommentItem {
            id: c.id,
            indicator: c.indicator_code,
            parent: c.parent_id,
            author: c
                .author_id
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_else(|| "—".into()),
            action: c.action.as_str().to_owned(),
            body: c.body,
            at: c.created_at.to_rfc3339(),
        })
        .collect())
}
