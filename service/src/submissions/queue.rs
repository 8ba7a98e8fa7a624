//! The review queue: submitted work waiting for each reviewer.

use domain::{
    CampaignStatus, ParseError, ParticipantId, QueueFilter, QueueItem, ReviewStatus, Role,
    SubmissionStatus,
};
use domain::{Msg, Noun};
use std::collections::HashMap;

use entity::{campaigns, entities, participants};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::access::*;
use crate::rounds::deadline_of;
use crate::scope::entity_ref;
use crate::{Principal, ServiceResult};

/// Submitted work waiting for the principal's review (or, with `all`,
/// every submission past entry they may read), oldest submission first.
/// The ministry's reviewers see what waits for the ministry; a region's
/// officer sees its districts' work in two-level rounds before the
/// ministry does.
pub async fn queue(
    db: &impl ConnectionTrait,
    who: &Principal,
    filter: &QueueFilter,
) -> ServiceResult<Vec<QueueItem>> {
    if !who.covers_any_region() {
        who.require_any(&[
            Role::Reviewer,
            Role::Admin,
            Role::Methodologist,
            Role::Publisher,
        ])?;
    }
    let statuses: Vec<&str> = if filter.all {
        vec![
            SubmissionStatus::Submitted.as_str(),
            SubmissionStatus::Endorsed.as_str(),
            SubmissionStatus::Returned.as_str(),
            SubmissionStatus::Approved.as_str(),
        ]
    } else {
        vec![
            SubmissionStatus::Submitted.as_str(),
            SubmissionStatus::Endorsed.as_str(),
        ]
    };
    let open: Vec<campaigns::Model> = campaigns::Entity::find()
        .filter(campaigns::Column::Status.is_in([
            CampaignStatus::Open,
            CampaignStatus::Closed,
            CampaignStatus::UnderReview,
        ]))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| filter.kind.is_none_or(|k| c.entity_kind == k))
        .collect();
    // The registry once, not twice per row.
    let registry = crate::registry::by_id(db).await?;
    let region = match &filter.region {
        Some(code) if !code.trim().is_empty() => Some(
            registry
                .values()
                .find(|e| e.code == code.trim())
                .ok_or_else(|| {
                    ParseError::new(
                        "region",
                        Msg::NotFound {
                            what: Noun::Region,
                            which: code.to_string(),
                        },
                    )
                })?
                .id,
        ),
        _ => None,
    };
    let mut out = Vec::new();
    for c in &open {
        let parts = participants::Entity::find()
            .filter(participants::Column::CampaignId.eq(c.id))
            .filter(participants::Column::Status.is_in(statuses.clone()))
            .all(db)
            .await?;
        let m = crate::methodologies::load(db, c.methodology_version_id).await?;
        for p in parts {
            let Some(e) = registry.get(&p.entity_id) else {
                continue;
            };
            if region.is_some_and(|r| e.region_id != Some(r) && e.id != r) {
                continue;
            }
            let l = Loaded::new(c.clone(), p, e.clone(), m.clone());
            if !listed_for(who, &l, filter)? {
                continue;
            }
            if let Some(item) = queue_item(db, &l, filter, &registry).await? {
                out.push(item);
            }
        }
    }
    out.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    Ok(out)
}

/// Whether the queue lists a submission for `who`: with `all`, whatever
/// they may read; else what waits at their review stage (a region's
/// officer for its districts, the ministry after the regions).
fn listed_for(who: &Principal, l: &Loaded, filter: &QueueFilter) -> ServiceResult<bool> {
    Ok(if filter.all {
        l.readable_by(who).is_ok()
    } else {
        match l.review_stage()? {
            Some(ReviewStage::Region) => {
                who.covers_region(l.entity.region_id.map(domain::EntityId))
            }
            Some(ReviewStage::Ministry) => who.user.is_ministry(),
            None => false,
        }
    })
}

/// A submission's line in the queue, with its flagged and pending answers
/// and whether it came late; `None` when the filter asks for flagged or
/// late work and it is not.
async fn queue_item(
    db: &impl ConnectionTrait,
    l: &Loaded,
    filter: &QueueFilter,
    registry: &HashMap<i32, entities::Model>,
) -> ServiceResult<Option<QueueItem>> {
    let (c, p) = (&l.campaign, &l.participant);
    let values = l.values(db).await?;
    let ev = l.evidence(db).await?;
    let flagged = l
        .issues(db, &values, &ev, domain::Locale::En) // only counted
        .await?
        .iter()
        .filter(|i| !i.hard)
        .count() as u32;
    let pending = values
        .iter()
        .filter(|v| v.review_status == ReviewStatus::Pending)
        .count() as u32;
    let late = p
        .submitted_at
        .is_some_and(|s| s.date_naive() > deadline_of(c, p));
    if (filter.flagged && flagged == 0) || (filter.late && !late) {
        return Ok(None);
    }
    Ok(Some(QueueItem {
        participant: ParticipantId(p.id),
        campaign: c.code.clone(),
        campaign_names: crate::rounds::names(c),
        entity: entity_ref(&l.entity),
        region: l
            .entity
            .region_id
            .and_then(|r| registry.get(&r))
            .map(crate::registry::names),
        status: p.status,
        submitted_at: p.submitted_at.map(|t| t.to_rfc3339()),
        flagged,
        pending,
        late,
    }))
}
