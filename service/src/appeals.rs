//! Appeals against provisional results: an entity's officer files one
//! within the campaign's window, naming the disputed indicator, the value
//! they claim and a link to evidence; a reviewer upholds (possibly
//! correcting the value, which re-scores the league) or rejects it, and the
//! outcome is recorded. Every step is on the submission's history.

use domain::Need;
use domain::Noun;
use domain::{
    AppealDecision, AppealItem, AppealStatus, AuditAction, EntityId, NewAppeal, ParseError,
    ParticipantId, ReviewStatus, Role, SubmissionStatus,
};
use domain::{Msg, Step};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{appeals, campaigns, entities, participants, submission_values};
use methodology::number::Notation;
use methodology::value::is_url;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};

use crate::scope::entity_ref;
use crate::submissions::access::{load, user_names};
use crate::submissions::answers::{effective, first_value, json_of, parse_answer, text_of};
use crate::{Principal, ServiceError, ServiceResult};

/// Who decides appeals.
pub(crate) const RESOLVERS: &[Role] = &[Role::Reviewer, Role::Admin];

/// The longest appeal text kept.
const MAX_BODY: usize = 4000;

/// Why `who` may not file an appeal for this submission now, if not.
pub(crate) fn refusal(
    who: &Principal,
    campaign: &campaigns::Model,
    participant: &participants::Model,
    now: DateTime<Utc>,
) -> Option<String> {
    if !who.speaks_for(EntityId(participant.entity_id)) {
        return Some("only the entity's own officer files its appeals".into());
    }
    let phase = campaign.status;
    if !phase.takes_appeals() {
        return Some(format!(
            "the campaign is {phase}: appeals are filed while results are provisional"
        ));
    }
    if now.date_naive() > campaign.appeal_until {
        return Some(format!(
            "the appeal window closed on {}",
            campaign.appeal_until
        ));
    }
    if participant.status != SubmissionStatus::Approved {
        return Some("only an approved, rated submission can be appealed".into());
    }
    None
}

fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Files an appeal for submission `id`.
pub async fn file(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    appeal: &NewAppeal,
    now: DateTime<Utc>,
) -> ServiceResult<AppealItem> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    if let Some(why) = refusal(who, &l.campaign, &l.participant, now) {
        return Err(if who.speaks_for(EntityId(l.entity.id)) {
            ServiceError::Conflict(why.into())
        } else {
            ServiceError::Forbidden(why.into())
        });
    }
    let body = appeal.body.trim();
    if body.is_empty() {
        return Err(ParseError::new(
            "body",
            Msg::Required {
                need: Need::Complaint,
            },
        )
        .into());
    }
    if body.chars().count() > MAX_BODY {
        return Err(ParseError::new(
            "body",
            Msg::Length {
                min: 0,
                max: MAX_BODY as u32,
            },
        )
        .into());
    }
    let indicator = optional(&appeal.indicator);
    let proposed = optional(&appeal.proposed);
    let proposed = match (indicator, proposed) {
        (None, Some(_)) => {
            return Err(ParseError::new(
                "proposed",
                Msg::Required {
                    need: Need::Indicator,
                },
            )
            .into());
        }
        (Some(code), p) => {
            let (_, v) = parse_answer(&l.m, code, p, Notation::Person(who.locale), None)?;
            v.map(|v| json_of(&Some(v)))
        }
        (None, None) => None,
    };
    let evidence_url = optional(&appeal.evidence_url);
    if let Some(u) = evidence_url
        && !is_url(u)
    {
        return Err(ParseError::new(
            "evidence_url",
            Msg::NotAUrl {
                text: u.to_string(),
            },
        )
        .into());
    }
    let tx = db.begin().await?;
    let row = appeals::ActiveModel {
        id: NotSet,
        participant_id: Set(l.participant.id),
        indicator_code: Set(indicator.map(str::to_owned)),
        body: Set(body.to_owned()),
        status: Set(AppealStatus::Pending),
        outcome: Set(None),
        filed_by: Set(Some(who.user.id.0)),
        resolved_by: Set(None),
        filed_at: Set(now),
        resolved_at: Set(None),
        proposed_value: Set(proposed),
        evidence_url: Set(evidence_url.map(str::to_owned)),
    }
    .insert(&tx)
    .await?;
    l.record(
        &tx,
        who,
        AuditAction::AppealFile,
        None::<&()>,
        Some(&row),
        None,
    )
    .await?;
    tx.commit().await?;
    items(db, Some(id), l.campaign.id)
        .await?
        .into_iter()
        .find(|a| a.id == row.id)
        .ok_or_else(|| ServiceError::missing("appeal", row.id))
}

/// An appeal still waiting for its decision.
async fn pending_appeal(db: &DatabaseConnection, appeal_id: i32) -> ServiceResult<appeals::Model> {
    let row = appeals::Entity::find_by_id(appeal_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Appeal, appeal_id))?;
    if row.status != AppealStatus::Pending {
        return Err(ServiceError::Conflict(Msg::AlreadyDone {
            what: Noun::Appeal,
            which: appeal_id.to_string(),
        }));
    }
    Ok(row)
}

/// Decides an appeal. Upholding one with a value replaces the reviewed
/// value of its indicator (the officer's answer is kept), which re-scores
/// the league the next time it is read.
pub async fn resolve(
    db: &DatabaseConnection,
    who: &Principal,
    appeal_id: i32,
    decision: &AppealDecision,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    who.require_any(RESOLVERS)?;
    let row = pending_appeal(db, appeal_id).await?;
    let l = load(db, ParticipantId(row.participant_id)).await?;
    let phase = l.campaign.status;
    if !phase.takes_appeals() {
        return Err(ServiceError::Conflict(Msg::NotAtThisStage {
            campaign: l.campaign.code.clone(),
            status: phase,
            step: Step::DecideAppeals,
        }));
    }
    let outcome = decision.outcome.trim();
    if outcome.is_empty() {
        return Err(ParseError::new(
            "outcome",
            Msg::Required {
                need: Need::Outcome,
            },
        )
        .into());
    }
    let corrected = optional(&decision.value);
    match decision.status {
        AppealStatus::Pending => {
            return Err(ParseError::new(
                "status",
                Msg::Required {
                    need: Need::Decision,
                },
            )
            .into());
        }
        AppealStatus::Rejected if corrected.is_some() => {
            return Err(ParseError::new("value", "a rejected appeal changes no value").into());
        }
        _ => {}
    }
    let tx = db.begin().await?;
    let mut value_before = None;
    if let Some(text) = corrected {
        let code = row
            .indicator_code
            .as_deref()
            .ok_or_else(|| ParseError::new("value", "this appeal names no indicator to correct"))?;
        let (_, v) = parse_answer(&l.m, code, Some(text), Notation::Person(who.locale), None)?;
        let stored = submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
            .filter(submission_values::Column::IndicatorCode.eq(code))
            .one(&tx)
            .await?;
        value_before = stored.as_ref().and_then(effective).map(|v| v.to_text());
        let adjusted = Set(Some(json_of(&v)));
        let status = Set(ReviewStatus::Adjusted);
        match stored {
            Some(s) => {
                let mut am: submission_values::ActiveModel = s.into();
                am.reviewed_value = adjusted;
                am.review_status = status;
                am.update(&tx).await?;
            }
            None => {
                let mut am = first_value(l.participant.id, code, Some(who), now);
                am.reviewed_value = adjusted;
                am.review_status = status;
                am.insert(&tx).await?;
            }
        }
    }
    // Guarded on the status read, so two reviewers cannot both decide.
    let done = appeals::Entity::update_many()
        .set(appeals::ActiveModel {
            status: Set(decision.status),
            outcome: Set(Some(outcome.to_owned())),
            resolved_by: Set(Some(who.user.id.0)),
            resolved_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(appeals::Column::Id.eq(row.id))
        .filter(appeals::Column::Status.eq(AppealStatus::Pending))
        .exec(&tx)
        .await?;
    if done.rows_affected != 1 {
        return Err(ServiceError::Conflict(Msg::ChangedMeanwhile {
            what: Noun::Appeal,
        }));
    }
    l.record(
        &tx,
        who,
        AuditAction::AppealResolve,
        Some(&serde_json::json!({
            "appeal": row.id,
            "status": row.status,
            "indicator": row.indicator_code,
            "value": value_before,
        })),
        Some(&serde_json::json!({
            "appeal": row.id,
            "status": decision.status,
            "value": corrected,
        })),
        Some(outcome),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Appeals not yet decided in a campaign: one query, whatever its size.
pub(crate) async fn pending(db: &impl ConnectionTrait, campaign_id: i32) -> ServiceResult<u64> {
    let of_campaign = sea_orm::sea_query::Query::select()
        .column(participants::Column::Id)
        .from(participants::Entity)
        .and_where(participants::Column::CampaignId.eq(campaign_id))
        .to_owned();
    Ok(appeals::Entity::find()
        .filter(appeals::Column::ParticipantId.in_subquery(of_campaign))
        .filter(appeals::Column::Status.eq(AppealStatus::Pending))
        .count(db)
        .await?)
}

/// The appeals of one submission, or of every submission of a campaign:
/// pending first, then newest first.
pub(crate) async fn items(
    db: &impl ConnectionTrait,
    participant: Option<ParticipantId>,
    campaign_id: i32,
) -> ServiceResult<Vec<AppealItem>> {
    let mut parts =
        participants::Entity::find().filter(participants::Column::CampaignId.eq(campaign_id));
    if let Some(p) = participant {
        parts = parts.filter(participants::Column::Id.eq(p.0));
    }
    let parts: HashMap<i32, participants::Model> = parts
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut rows = Vec::new();
    let ids: Vec<i32> = parts.keys().copied().collect();
    for chunk in ids.chunks(500) {
        rows.extend(
            appeals::Entity::find()
                .filter(appeals::Column::ParticipantId.is_in(chunk.to_vec()))
                .order_by_desc(appeals::Column::FiledAt)
                .all(db)
                .await?,
        );
    }
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let campaign = crate::rounds::load(db, domain::CampaignId(campaign_id)).await?;
    let m = crate::methodologies::load(db, campaign.methodology_version_id).await?;
    let entity_ids: Vec<i32> = rows
        .iter()
        .filter_map(|a| parts.get(&a.participant_id))
        .map(|p| p.entity_id)
        .collect();
    let entities: HashMap<i32, entities::Model> = entities::Entity::find()
        .filter(entities::Column::Id.is_in(entity_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let people: Vec<i32> = rows
        .iter()
        .flat_map(|a| [a.filed_by, a.resolved_by])
        .flatten()
        .collect();
    let names = user_names(db, people.into_iter()).await?;
    let appealed: Vec<i32> = rows.iter().map(|a| a.participant_id).collect();
    let mut values: HashMap<(i32, String), submission_values::Model> = HashMap::new();
    for chunk in appealed.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            values.insert((v.participant_id, v.indicator_code.clone()), v);
        }
    }
    let who = |id: Option<i32>| {
        id.and_then(|i| names.get(&i).cloned())
            .unwrap_or_else(|| "—".into())
    };
    let mut out: Vec<AppealItem> = rows
        .into_iter()
        .filter_map(|a| {
            let p = parts.get(&a.participant_id)?;
            let e = entities.get(&p.entity_id)?;
            let indicator = a.indicator_code.as_ref().map(|code| {
                let names = m
                    .find(code)
                    .map(|i| m.nodes[i].names.clone())
                    .unwrap_or_default();
                (code.clone(), names)
            });
            let current = a
                .indicator_code
                .as_ref()
                .and_then(|c| values.get(&(a.participant_id, c.clone())))
                .and_then(effective)
                .map(|v| v.to_text());
            Some(AppealItem {
                id: a.id,
                participant: ParticipantId(a.participant_id),
                entity: entity_ref(e),
                indicator,
                current,
                body: a.body,
                proposed: a.proposed_value.as_deref().and_then(text_of),
                evidence_url: a.evidence_url,
                status: a.status,
                outcome: a.outcome,
                filed_by: who(a.filed_by),
                filed_at: a.filed_at.to_rfc3339(),
                resolved: a
                    .resolved_at
                    .map(|at| (who(a.resolved_by), at.to_rfc3339())),
            })
        })
        .collect();
    out.sort_by_key(|a| a.status != AppealStatus::Pending);
    Ok(out)
}
