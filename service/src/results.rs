//! Results of a campaign for people: the provisional result each entity
//! sees, the results page of ministry staff (with corrections waiting for
//! publication), the publisher's nominations, and publication of the final
//! league (`scoring`) as an immutable snapshot.
//!
//! Provisional results are never stored: they are scored when read, so an
//! upheld appeal re-scores everyone at once. Only publication freezes them.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use domain::{
    AuditAction, CampaignId, CampaignResults, CampaignStatus, ObjectType, ParseError,
    ParticipantId, Provisional, PublishRequest, RevisionItem, Role, SnapshotId, SnapshotPayload,
    SnapshotStatus,
};
use domain::{Expected, Need};
use domain::{Msg, Step};
use entity::{campaigns, nomination_choices, participants, rating_snapshots};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use crate::audit::{self, Actor, Change};
use crate::ratings::{self, Publication};
use crate::rounds::load as load_campaign;
use crate::{Principal, ServiceError, ServiceResult};

pub use crate::scoring::{DRAWS, WEIGHT_SPREAD};
use crate::scoring::{current_league, league};

/// Who publishes, corrects and retracts ratings.
const PUBLISHERS: &[Role] = &[Role::Publisher, Role::Admin];

/// Chooses the nominee of one domain (`entity`, with `note` saying why),
/// or with `None` goes back to the highest score. Publishers, before they
/// publish (the next revision carries it); audited on the campaign.
pub async fn nominate(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
    domain: &str,
    entity: Option<i32>,
    note: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    who.require_any(PUBLISHERS)?;
    let c = load_campaign(db, id).await?;
    if c.status != CampaignStatus::Final {
        return Err(ServiceError::Conflict(Msg::NotAtThisStage {
            campaign: c.code.clone(),
            status: c.status,
            step: Step::Nominate,
        }));
    }
    let m = crate::methodologies::load(db, c.methodology_version_id).await?;
    if !m.domains().iter().any(|&d| m.nodes[d].code == domain) {
        return Err(
            ParseError::new("domain", format!("no domain {domain:?} in {}", m.key())).into(),
        );
    }
    let note = note.trim();
    if let Some(e) = entity {
        if note.is_empty() {
            return Err(ParseError::new("note", Msg::Required { need: Need::Reason }).into());
        }
        let rated = current_league(db, &c, DRAWS)
            .await?
            .rows
            .iter()
            .any(|r| r.entity.id.0 == e && r.rank > 0);
        if !rated {
            return Err(ParseError::new(
                "entity",
                format!("entity {e} is not rated in campaign {}", c.code),
            )
            .into());
        }
    }
    let tx = db.begin().await?;
    let before = nomination_choices::Entity::find()
        .filter(nomination_choices::Column::CampaignId.eq(c.id))
        .filter(nomination_choices::Column::DomainCode.eq(domain))
        .one(&tx)
        .await?;
    nomination_choices::Entity::delete_many()
        .filter(nomination_choices::Column::CampaignId.eq(c.id))
        .filter(nomination_choices::Column::DomainCode.eq(domain))
        .exec(&tx)
        .await?;
    if let Some(e) = entity {
        nomination_choices::ActiveModel {
            id: NotSet,
            campaign_id: Set(c.id),
            domain_code: Set(domain.to_owned()),
            entity_id: Set(e),
            note: Set(note.to_owned()),
            chosen_by: Set(Some(who.user.id.0)),
            chosen_at: Set(now),
        }
        .insert(&tx)
        .await?;
    }
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::CampaignNominate,
            object_type: ObjectType::Campaign,
            object_id: c.id.to_string(),
            before: before
                .map(|b| serde_json::json!({ "domain": domain, "entity": b.entity_id, "note": b.note }))
                .as_ref(),
            after: Some(&serde_json::json!({ "domain": domain, "entity": entity, "note": note })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One entity's provisional result, for its form page: `None` before the
/// campaign's results exist.
pub(crate) async fn provisional(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: &campaigns::Model,
    participant: &participants::Model,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Provisional>> {
    if !campaign.status.has_results() {
        return Ok(None);
    }
    let league = current_league(db, campaign, 0).await?;
    let Some(row) = league
        .rows
        .iter()
        .find(|r| r.entity.id.0 == participant.entity_id)
        .cloned()
    else {
        return Ok(None);
    };
    let rated = league.rows.iter().filter(|r| r.rank > 0).count();
    let appeals =
        crate::appeals::items(db, Some(ParticipantId(participant.id)), campaign.id).await?;
    Ok(Some(Provisional {
        row,
        rated: u32::try_from(rated).unwrap_or(u32::MAX),
        bands: league.bands.clone(),
        domains: league.domains.clone(),
        appeal_until: campaign.appeal_until.to_string(),
        can_appeal: crate::appeals::refusal(who, campaign, participant, now).is_none(),
        appeals,
    }))
}

/// The results page of a campaign for ministry staff: the league as it
/// scores now (with rank intervals), its appeals and its publications.
pub async fn campaign_results(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
) -> ServiceResult<CampaignResults> {
    who.require_any(&[
        Role::Admin,
        Role::Methodologist,
        Role::Reviewer,
        Role::Publisher,
        Role::Viewer,
    ])?;
    let c = load_campaign(db, id).await?;
    let status = c.status;
    if !status.has_results() && status != CampaignStatus::UnderReview {
        return Err(ServiceError::Conflict(Msg::NotAtThisStage {
            campaign: c.code.clone(),
            status,
            step: Step::Score,
        }));
    }
    let live = current_league(db, &c, DRAWS).await?;
    let (corrections, moved) = if status == CampaignStatus::Final {
        crate::corrections::pending(db, &c, &live).await?
    } else {
        (Vec::new(), Vec::new())
    };
    let league = live.without_matrix();
    let appeals = crate::appeals::items(db, None, c.id).await?;
    let revisions = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(c.id))
        .order_by_desc(rating_snapshots::Column::Revision)
        .all(db)
        .await?
        .into_iter()
        .map(|s| RevisionItem {
            id: s.id,
            revision: s.revision,
            status: s.status.as_str().to_owned(),
            changelog: s.changelog,
            published_at: s.published_at.to_rfc3339(),
            embargo_until: s.embargo_until.map(|e| e.to_rfc3339()),
            sha256: s.sha256,
        })
        .collect();
    Ok(CampaignResults {
        league,
        pending_corrections: corrections,
        correction_effects: moved,
        appeals,
        revisions,
        can_publish: status == CampaignStatus::Final && who.require_any(PUBLISHERS).is_ok(),
        can_resolve: status.takes_appeals() && who.require_any(crate::appeals::RESOLVERS).is_ok(),
    })
}

/// Tashkent's offset from UTC (no daylight saving since 1992).
fn tashkent() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("a valid offset")
}

/// Reads an embargo typed as Tashkent time, `YYYY-MM-DDTHH:MM` (what a
/// datetime-local input sends) or with seconds.
pub fn parse_embargo(text: &str) -> Result<DateTime<Utc>, ParseError> {
    let t = text.trim();
    let local = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            ParseError::new(
                "embargo_until",
                Msg::NotA {
                    text: t.to_string(),
                    expected: Expected::DateTime,
                },
            )
        })?;
    tashkent()
        .from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| {
            ParseError::new(
                "embargo_until",
                Msg::NotA {
                    text: t.to_string(),
                    expected: Expected::TashkentTime,
                },
            )
        })
}

/// Publishes the final league of a campaign as a new revision: the first
/// publication, a correction (the league re-scored, a changelog line
/// required) or a retraction. Snapshots are never edited.
pub async fn publish(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
    req: &PublishRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SnapshotId> {
    who.require_any(PUBLISHERS)?;
    let tx = crate::db::begin_consistent(db).await?;
    let c = load_campaign(&tx, id).await?;
    let status = c.status;
    if status != CampaignStatus::Final {
        return Err(ServiceError::Conflict(Msg::NotAtThisStage {
            campaign: c.code.clone(),
            status,
            step: Step::Publish,
        }));
    }
    let embargo_until = req
        .embargo_until
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(parse_embargo)
        .transpose()?;
    if embargo_until.is_some_and(|e| e <= now) {
        return Err(ParseError::new("embargo_until", Msg::NotInFuture).into());
    }
    let latest = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(c.id))
        .order_by_desc(rating_snapshots::Column::Revision)
        .one(&tx)
        .await?;
    let changelog = req.changelog.trim();
    if latest.is_some() && changelog.is_empty() {
        return Err(ParseError::new(
            "changelog",
            Msg::Required {
                need: Need::Changelog,
            },
        )
        .into());
    }
    let (payload, retracted) = if req.retract {
        let last = latest
            .as_ref()
            .filter(|s| s.status == SnapshotStatus::Published)
            .ok_or_else(|| {
                ServiceError::Conflict(Msg::NothingToRetract {
                    campaign: c.code.clone(),
                })
            })?;
        (SnapshotPayload::clone(&*ratings::row_payload(last)?), true)
    } else {
        let mut p = league(&tx, &c, DRAWS).await?;
        let last_payload = latest.as_ref().map(ratings::row_payload).transpose()?;
        if let (Some(last), Some(before)) = (latest.as_ref(), last_payload.as_deref()) {
            let m = crate::methodologies::load(&tx, c.methodology_version_id).await?;
            let reasons = crate::corrections::reasons_since(&tx, &c, last.published_at).await?;
            p.corrections = crate::corrections::differences(&m, before, &p, &reasons);
        }
        // The same answers (no correction), the same league and awards.
        // (Stored numbers decode exactly: serde_json's float_roundtrip.)
        let same = |last: &SnapshotPayload| {
            p.corrections.is_empty() && p.rows == last.rows && p.nominations == last.nominations
        };
        if let Some(last) = latest
            .as_ref()
            .filter(|s| s.status == SnapshotStatus::Published)
            && last_payload.as_deref().is_some_and(same)
        {
            return Err(ServiceError::Conflict(Msg::AlreadyPublished {
                revision: last.revision as u32,
            }));
        }
        (p, false)
    };
    let snapshot = ratings::publish(
        &tx,
        &Actor::User(who),
        &Publication {
            campaign: CampaignId(c.id),
            methodology_version_id: c.methodology_version_id,
            embargo_until,
            changelog: if changelog.is_empty() {
                "First publication"
            } else {
                changelog
            },
            published_at: now,
            retracted,
        },
        &payload,
    )
    .await?;
    tx.commit().await?;
    Ok(snapshot)
}
