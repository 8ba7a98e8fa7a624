//! Corrections after publication: the answers reviewers changed since a
//! campaign's newest revision was published, waiting for the next one; and
//! the one-time reconstruction of the matrix of snapshots published before
//! answers were frozen with them.
//!
//! A correction never reaches a published output by itself: the outputs
//! read snapshots only (`published`). It shows on the form and on the
//! campaign's results as "corrected, not yet published", with its effect
//! on the league scored live for staff, until a publisher publishes a new
//! revision, which lists it in its changelog.

use domain::{
    AuditAction, Correction, CorrectionEffect, ObjectType, SnapshotPayload, SnapshotRow, Standing,
};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{campaigns, rating_snapshots, review_comments};
use methodology::model::Methodology;
use methodology::{EntityInput, ScoreOptions, score};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};

use crate::audit::{self, Actor, Change};
use crate::ratings;
use crate::{ServiceError, ServiceResult};

/// The answers of `live` (the league as its approved answers score now)
/// that differ from `published`, entity by entity in league order and
/// indicator by indicator in methodology order, each with the reviewer's
/// latest reason since `since` (`reasons`: by entity id and indicator).
pub(crate) fn differences(
    m: &Methodology,
    published: &SnapshotPayload,
    live: &SnapshotPayload,
    reasons: &HashMap<(i32, String), String>,
) -> Vec<Correction> {
    let (Some(before), Some(after)) = (published.matrix.as_ref(), live.matrix.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, now) in after.entities.iter().enumerate() {
        let Some(entity) = live.rows.get(k).map(|r| &r.entity) else {
            continue;
        };
        let then = published.entity(now.entity).and_then(|(_, row)| row);
        for (i, node) in m.nodes.iter().enumerate() {
            if node.indicator().is_none() {
                continue;
            }
            let new = now.raw.get(i).copied().flatten();
            let old = then.and_then(|t| {
                let col = before.column(&node.code)?;
                t.raw.get(col).copied().flatten()
            });
            if new != old {
                out.push(Correction {
                    entity: entity.clone(),
                    indicator: node.code.clone(),
                    names: node.names.clone(),
                    before: old,
                    after: new,
                    reason: reasons.get(&(entity.id.0, node.code.clone())).cloned(),
                });
            }
        }
    }
    out
}

/// How `live` moves the entities of `published` whose index, band or rank
/// it changes, in live league order.
pub(crate) fn effects(
    published: &SnapshotPayload,
    live: &SnapshotPayload,
) -> Vec<CorrectionEffect> {
    let standing = |r: &SnapshotRow| Standing {
        index: r.index,
        band: r.band.clone(),
        rank: r.rank,
    };
    live.rows
        .iter()
        .filter_map(|now| {
            let then = published.rows.iter().find(|r| r.entity.id == now.entity.id);
            let before = then.map_or(
                Standing {
                    index: None,
                    band: None,
                    rank: 0,
                },
                standing,
            );
            let after = standing(now);
            let moved = before.rank != after.rank
                || before.band != after.band
                || match (before.index, after.index) {
                    (Some(a), Some(b)) => (a - b).abs() > 1e-9,
                    (a, b) => a.is_some() != b.is_some(),
                };
            moved.then(|| CorrectionEffect {
                entity: now.entity.clone(),
                before,
                after,
            })
        })
        .collect()
}

/// The reviewers' reasons for the verdicts on a campaign's values since
/// `since`: the latest per entity and indicator.
pub(crate) async fn reasons_since(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    since: DateTime<Utc>,
) -> ServiceResult<HashMap<(i32, String), String>> {
    let entity_of = crate::scoring::participant_entities(db, campaign).await?;
    let ids: Vec<i32> = entity_of.keys().copied().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for c in review_comments::Entity::find()
            .filter(review_comments::Column::ParticipantId.is_in(chunk.to_vec()))
            .filter(review_comments::Column::CreatedAt.gt(since))
            .filter(review_comments::Column::Action.is_in(["adjust", "reject", "accept"]))
            .order_by_asc(review_comments::Column::CreatedAt)
            .order_by_asc(review_comments::Column::Id)
            .all(db)
            .await?
        {
            if let Some(code) = c.indicator_code {
                out.insert((entity_of[&c.participant_id], code), c.body);
            }
        }
    }
    Ok(out)
}

/// The corrections waiting for publication in a final campaign and their
/// effect on the league (`live`: the league as it scores now); empty when
/// nothing was published yet or nothing changed since.
pub(crate) async fn pending(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    live: &SnapshotPayload,
) -> ServiceResult<(Vec<Correction>, Vec<CorrectionEffect>)> {
    let Some((row, published)) = ratings::last_published(db, campaign.id).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let m = crate::methodologies::load(db, campaign.methodology_version_id).await?;
    let reasons = reasons_since(db, campaign, row.published_at).await?;
    let corrections = differences(&m, &published, live, &reasons);
    let moved = if corrections.is_empty() {
        Vec::new()
    } else {
        effects(&published, live)
    };
    Ok((corrections, moved))
}

/// Fills in, once, the matrix of every stored snapshot published before
/// answers were frozen with it: from the approved answers as they stand
/// now, marked as reconstructed (with `now`), hashed anew with the rest and
/// audited. A snapshot that does not match its hash is left as it is (it
/// stays withheld). Returns how many were filled in.
pub async fn reconstruct_matrices(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> ServiceResult<usize> {
    let ids: Vec<i32> = rating_snapshots::Entity::find()
        .select_only()
        .column(rating_snapshots::Column::Id)
        .order_by_asc(rating_snapshots::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut filled = 0;
    for id in ids {
        let Some(row) = rating_snapshots::Entity::find_by_id(id).one(db).await? else {
            continue;
        };
        if !ratings::verify(&row) {
            continue;
        }
        let payload: SnapshotPayload =
            serde_json::from_str(&row.payload).map_err(ServiceError::unreadable("snapshot", id))?;
        if payload.matrix.is_some() {
            continue;
        }
        if reconstruct(db, row, payload, now).await? {
            filled += 1;
        }
    }
    Ok(filled)
}

/// Fills in one snapshot's matrix; `false` when another instance did it first.
async fn reconstruct(
    db: &impl ConnectionTrait,
    row: rating_snapshots::Model,
    mut payload: SnapshotPayload,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let campaign = crate::rounds::load(db, domain::CampaignId(row.campaign_id)).await?;
    let (sha, m) = crate::methodologies::load_with_hash(db, row.methodology_version_id).await?;
    let by_id = crate::registry::by_id(db).await?;
    let inputs = crate::scoring::inputs(db, &campaign, &m, &by_id).await?;
    let engine: Vec<EntityInput> = inputs.iter().map(|(_, i)| i.clone()).collect();
    let results = score(&m, &engine, &ScoreOptions { explain: true });
    let scored = inputs
        .iter()
        .zip(&results.entities)
        .map(|((id, input), r)| (*id, (input, r)))
        .collect();
    let mut comments = crate::scoring::public_comments(db, &campaign).await?;
    let mut matrix = crate::scoring::matrix_of(&m, &payload.rows, &scored, &mut comments);
    matrix.reconstructed_at = Some(now.to_rfc3339());
    payload.matrix = Some(matrix);
    payload.methodology_sha256 = Some(sha);
    let (text, hash) = ratings::canonical(&payload)?;
    let before = row.sha256.clone();
    // Only if the row is still as read: of two instances starting at once,
    // one fills it in and the other leaves it.
    let done = rating_snapshots::Entity::update_many()
        .col_expr(rating_snapshots::Column::Payload, Expr::value(text))
        .col_expr(rating_snapshots::Column::Sha256, Expr::value(hash.clone()))
        .filter(rating_snapshots::Column::Id.eq(row.id))
        .filter(rating_snapshots::Column::Sha256.eq(before.clone()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Ok(false);
    }
    audit::record(
        db,
        &Actor::System("migration"),
        Change {
            action: AuditAction::RatingReconstruct,
            object_type: ObjectType::Campaign,
            object_id: row.campaign_id.to_string(),
            before: Some(&serde_json::json!({ "revision": row.revision, "sha256": before })),
            after: Some(&serde_json::json!({ "revision": row.revision, "sha256": hash })),
            reason: Some(
                "the answers and node scores of a snapshot published before they were kept, filled in from the approved answers as they stood then",
            ),
        },
    )
    .await?;
    Ok(true)
}
