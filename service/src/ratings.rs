//! Published ratings: immutable snapshots with their SHA-256, and reading
//! the latest visible one per league.
//!
//! A snapshot is never updated. A correction or a retraction is a new
//! revision that names the one it supersedes, so every revision stays
//! readable at its own address.

use crate::{
    ServiceError, ServiceResult,
    audit::{self, Actor, Change},
    by_hash::ByHash,
};
use chrono::{DateTime, Utc};
use domain::Msg;
use domain::{
    AuditAction, CampaignId, EntityKind, ObjectType, PublishedLeague, SnapshotId, SnapshotPayload,
    SnapshotStatus,
};
use entity::{campaigns, rating_snapshots};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use std::sync::Arc;

/// The canonical text of a payload (what the hash covers) and its SHA-256.
pub fn canonical(payload: &SnapshotPayload) -> ServiceResult<(String, String)> {
    // serde_json writes struct fields in declaration order and the payload
    // holds no maps, so the text is the same for the same payload.
    let text = serde_json::to_string(payload)?;
    let hash = sha256_hex(text.as_bytes());
    Ok((text, hash))
}

pub use crate::by_hash::sha256_hex;

/// What a publication records besides the payload.
pub struct Publication<'a> {
    /// The campaign rated.
    pub campaign: CampaignId,
    /// The methodology version row it was scored with.
    pub methodology_version_id: i32,
    /// Not visible to the public before this moment.
    pub embargo_until: Option<DateTime<Utc>>,
    /// The public changelog line ("first publication", what a correction changed).
    pub changelog: &'a str,
    /// When it is published (the demo history back-dates it).
    pub published_at: DateTime<Utc>,
    /// A retraction: the revision withdraws the rating (its payload repeats
    /// the one withdrawn, for the record).
    pub retracted: bool,
}

/// Publishes a new revision of a campaign's rating. The caller has checked
/// the publisher role (or is the system generating the demo history).
pub async fn publish(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    publication: &Publication<'_>,
    payload: &SnapshotPayload,
) -> ServiceResult<SnapshotId> {
    let (text, hash) = canonical(payload)?;
    let previous = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(publication.campaign.0))
        .order_by_desc(rating_snapshots::Column::Revision)
        .one(db)
        .await?;
    let row = rating_snapshots::ActiveModel {
        id: NotSet,
        campaign_id: Set(publication.campaign.0),
        revision: Set(previous.as_ref().map_or(1, |p| p.revision + 1)),
        status: Set(if publication.retracted {
            SnapshotStatus::Retracted
        } else {
            SnapshotStatus::Published
        }),
        methodology_version_id: Set(publication.methodology_version_id),
        engine_version: Set(payload.engine_version.clone()),
        payload: Set(text),
        sha256: Set(hash.clone()),
        changelog: Set(publication.changelog.to_owned()),
        supersedes_id: Set(previous.map(|p| p.id)),
        embargo_until: Set(publication.embargo_until),
        published_at: Set(publication.published_at),
        published_by: Set(actor.user_id()),
    }
    .insert(db)
    .await?;
    #[derive(serde::Serialize)]
    struct Published<'a> {
        revision: i32,
        sha256: &'a str,
    }
    audit::record(
        db,
        actor,
        Change::<(), _> {
            action: if publication.retracted {
                AuditAction::RatingRetract
            } else {
                AuditAction::RatingPublish
            },
            object_type: ObjectType::Campaign,
            object_id: publication.campaign.to_string(),
            before: None,
            after: Some(&Published {
                revision: row.revision,
                sha256: &hash,
            }),
            reason: Some(publication.changelog),
        },
    )
    .await?;
    Ok(SnapshotId(row.id))
}

/// Whether a snapshot's stored hash still matches its payload.
pub fn verify(row: &rating_snapshots::Model) -> bool {
    sha256_hex(row.payload.as_bytes()) == row.sha256
}

/// A stored revision without its payload text: pages list revisions and
/// decode one payload at most, through [`payload`].
#[derive(Clone, Debug, DerivePartialModel)]
#[sea_orm(entity = "rating_snapshots::Entity")]
pub struct Revision {
    /// Row id.
    pub id: i32,
    /// The campaign rated.
    pub campaign_id: i32,
    /// 1 = first publication.
    pub revision: i32,
    /// `published` or `retracted`.
    pub status: String,
    /// The methodology version row it was scored with.
    pub methodology_version_id: i32,
    /// SHA-256 of the payload text.
    pub sha256: String,
    /// The public changelog line.
    pub changelog: String,
    /// Not public before this moment.
    pub embargo_until: Option<DateTime<Utc>>,
    /// When it was published.
    pub published_at: DateTime<Utc>,
}

/// Decoded payloads by the SHA-256 of their text.
static PAYLOADS: ByHash<SnapshotPayload> = ByHash::new();

/// A revision's payload, decoded once per process (a snapshot is never
/// rewritten); the text is read only when no decode is kept.
pub async fn payload(
    db: &impl ConnectionTrait,
    rev: &Revision,
) -> ServiceResult<Arc<SnapshotPayload>> {
    if let Some(p) = PAYLOADS.get(&rev.sha256) {
        return Ok(p);
    }
    let text: Option<String> = rating_snapshots::Entity::find_by_id(rev.id)
        .select_only()
        .column(rating_snapshots::Column::Payload)
        .into_tuple()
        .one(db)
        .await?;
    let text = text.ok_or_else(|| ServiceError::missing("snapshot", rev.id))?;
    decode(rev.revision, &rev.sha256, &text)
}

/// A stored row's payload, as [`payload`] keeps it.
pub fn row_payload(row: &rating_snapshots::Model) -> ServiceResult<Arc<SnapshotPayload>> {
    match PAYLOADS.get(&row.sha256) {
        Some(p) => Ok(p),
        None => decode(row.revision, &row.sha256, &row.payload),
    }
}

/// Decodes a payload whose text still has its stored hash, and keeps it
/// ([`ByHash::keep`]). A text that does not match is refused: that
/// revision is withheld (503), the others stay readable.
fn decode(revision: i32, sha256: &str, text: &str) -> ServiceResult<Arc<SnapshotPayload>> {
    if sha256_hex(text.as_bytes()) != sha256 {
        tracing::error!(
            revision,
            sha256,
            "a rating snapshot does not match its SHA-256"
        );
        return Err(ServiceError::Unavailable(Msg::Withheld {
            revision: revision as u32,
        }));
    }
    let p: SnapshotPayload = serde_json::from_str(text)
        .map_err(ServiceError::unreadable("snapshot revision", revision))?;
    Ok(PAYLOADS.keep(sha256, text, p))
}

async fn league(db: &impl ConnectionTrait, rev: &Revision) -> ServiceResult<PublishedLeague> {
    Ok(PublishedLeague {
        snapshot_id: rev.id,
        revision: rev.revision,
        published_at: rev.published_at.to_rfc3339(),
        payload: payload(db, rev).await?.without_matrix(),
        changelog: Vec::new(),
    })
}

/// The revisions of a campaign the public may read at `now`, newest first:
/// published by then and past any embargo (retracted ones included, so the
/// caller sees that the newest is a retraction).
pub(crate) async fn visible_revisions(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Revision>> {
    Ok(rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(campaign_id))
        .filter(rating_snapshots::Column::PublishedAt.lte(now))
        .order_by_desc(rating_snapshots::Column::Revision)
        .into_partial_model::<Revision>()
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.embargo_until.is_none_or(|e| e <= now))
        .collect())
}

/// The newest publicly visible revision of the newest published campaign of
/// each league (embargoed and retracted revisions are skipped).
pub async fn latest_public(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<PublishedLeague>> {
    let mut out = Vec::new();
    for rev in latest_revisions(db, now).await? {
        out.push(league(db, &rev).await?);
    }
    Ok(out)
}

/// [`latest_public`] in brief ([`SnapshotPayload::brief`]), for the home
/// page: read from the kept payloads, no league copied.
pub async fn latest_briefs(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<domain::LeagueBrief>> {
    let mut out = Vec::new();
    for rev in latest_revisions(db, now).await? {
        out.push(payload(db, &rev).await?.brief());
    }
    Ok(out)
}

/// The revisions [`latest_public`] shows, one per league at most.
async fn latest_revisions(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Revision>> {
    let mut out = Vec::new();
    for kind in EntityKind::ALL {
        let campaigns = campaigns::Entity::find()
            .filter(campaigns::Column::EntityKind.eq(kind.as_str()))
            .order_by_desc(campaigns::Column::Deadline)
            .all(db)
            .await?;
        for c in campaigns {
            let latest = visible_revisions(db, c.id, now).await?.into_iter().next();
            match latest {
                Some(s) if s.status == "published" => {
                    out.push(s);
                    break;
                }
                Some(_) => break,
                None => continue,
            }
        }
    }
    Ok(out)
}

/// One league as the public may read it: the given campaign's newest public
/// revision, or the given revision of it (each stays readable at its own
/// address, even once corrected or retracted), or the newest campaign's
/// when none is given; with its changelog and every published round of
/// that kind to choose from, newest first.
pub async fn public_league(
    db: &impl ConnectionTrait,
    kind: EntityKind,
    campaign: Option<&str>,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<Option<(PublishedLeague, Vec<domain::LeagueChoice>)>> {
    let rounds = campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(kind.as_str()))
        .order_by_desc(campaigns::Column::Deadline)
        .all(db)
        .await?;
    let mut choices = Vec::new();
    let mut chosen = None;
    for c in rounds {
        let visible = visible_revisions(db, c.id, now).await?;
        let wanted = campaign.map_or(chosen.is_none(), |code| code == c.code);
        if wanted && chosen.is_none() {
            let pick = match revision {
                Some(n) => visible.iter().find(|s| s.revision == n),
                None => visible.first().filter(|s| s.status == "published"),
            };
            if let Some(s) = pick {
                let mut l = league(db, s).await?;
                let mut notes = Vec::new();
                for s in &visible {
                    // A withheld revision still has its line; only its
                    // details are left out.
                    let p = payload(db, s).await.ok();
                    notes.push(domain::RevisionNote {
                        revision: s.revision,
                        status: s.status.clone(),
                        published_at: s.published_at.to_rfc3339(),
                        text: s.changelog.clone(),
                        corrections: p
                            .as_ref()
                            .map(|p| p.corrections.clone())
                            .unwrap_or_default(),
                        reconstructed_at: p
                            .as_ref()
                            .and_then(|p| p.matrix.as_ref())
                            .and_then(|m| m.reconstructed_at.clone()),
                    });
                }
                l.changelog = notes;
                chosen = Some(l);
            }
        }
        if visible.first().is_none_or(|s| s.status != "published") {
            continue;
        }
        choices.push(domain::LeagueChoice {
            campaign: c.code.clone(),
            period: c.period.clone(),
            names: domain::Names {
                uz_latn: c.name_uz_latn.clone(),
                uz_cyrl: c.name_uz_cyrl.clone(),
                ru: c.name_ru.clone(),
                en: c.name_en.clone(),
            },
        });
    }
    Ok(chosen.map(|l| (l, choices)))
}

/// The newest revision of a campaign that publishes results (not a
/// retraction), whatever its embargo: staff compare against it.
pub(crate) async fn last_published(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> ServiceResult<Option<(Revision, Arc<SnapshotPayload>)>> {
    // Without its text: the decoded payload is usually kept already.
    let Some(rev) = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(campaign_id))
        .filter(rating_snapshots::Column::Status.eq("published"))
        .order_by_desc(rating_snapshots::Column::Revision)
        .into_partial_model::<Revision>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let p = payload(db, &rev).await?;
    Ok(Some((rev, p)))
}

/// The answer the newest published revision carries for every node of one
/// entity, by node code (`None` inside: none published), or `None` before
/// any revision with answers; the form compares them with the answers now
/// to mark "corrected, not yet published".
pub(crate) async fn published_answers(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    entity: domain::EntityId,
) -> ServiceResult<Option<HashMap<String, Option<f64>>>> {
    let Some((_, published)) = last_published(db, campaign_id).await? else {
        return Ok(None);
    };
    let Some(matrix) = published.matrix.as_ref() else {
        return Ok(None);
    };
    let row = published.entity(entity).and_then(|(_, r)| r);
    Ok(Some(
        matrix
            .nodes
            .iter()
            .enumerate()
            .map(|(k, code)| {
                (
                    code.clone(),
                    row.and_then(|r| r.raw.get(k).copied().flatten()),
                )
            })
            .collect(),
    ))
}

/// Checks every stored snapshot against its hash; returns how many passed
/// and the ids of those that did not (a changed payload or hash).
pub async fn verify_all(db: &impl ConnectionTrait) -> ServiceResult<(usize, Vec<i32>)> {
    let mut ok = 0;
    let mut bad = Vec::new();
    for row in rating_snapshots::Entity::find().all(db).await? {
        if verify(&row) {
            ok += 1;
        } else {
            bad.push(row.id);
        }
    }
    Ok((ok, bad))
}

/// A fingerprint of everything the public rating pages show: which
/// snapshots exist and which of them the public may see at `now` (an
/// embargo that has passed changes it), every campaign and entity edit
/// (names, status, validity) and the day. Equal fingerprints mean equal
/// public pages, so a page rendered under one may be served again.
pub async fn public_fingerprint(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    use sea_orm::{ExprTrait, sea_query::Expr};
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let snapshots: Vec<(i32, String, Option<DateTime<Utc>>)> = rating_snapshots::Entity::find()
        .select_only()
        .column(rating_snapshots::Column::Id)
        .column(rating_snapshots::Column::Status)
        .column(rating_snapshots::Column::EmbargoUntil)
        .order_by_asc(rating_snapshots::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for (id, status, embargo) in snapshots {
        (id, status, embargo.is_none_or(|t| t <= now)).hash(&mut h);
    }
    let (n, newest): (i64, Option<DateTime<Utc>>) = campaigns::Entity::find()
        .select_only()
        .column_as(Expr::col(campaigns::Column::Id).count(), "n")
        .column_as(Expr::col(campaigns::Column::UpdatedAt).max(), "newest")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    (n, newest.map(|t| t.timestamp_micros())).hash(&mut h);
    let (n, newest): (i64, Option<DateTime<Utc>>) = entity::entities::Entity::find()
        .select_only()
        .column_as(Expr::col(entity::entities::Column::Id).count(), "n")
        .column_as(
            Expr::col(entity::entities::Column::UpdatedAt).max(),
            "newest",
        )
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    (n, newest.map(|t| t.timestamp_micros())).hash(&mut h);
    now.date_naive().hash(&mut h);
    Ok(h.finish())
}
