//! Proposals for a new methodology version, saved from the what-if
//! sandbox. A methodologist moves domain weights and band thresholds over a
//! published league and saves the setting: the proposed methodology file is
//! made from the league's stored version (`methodology::whatif::propose`),
//! validated, and kept with its effect on that league for ministry staff to
//! read. A methodologist adopts it — it becomes a stored version like any
//! other, which a new campaign may pin — or withdraws it. Published numbers
//! never change: a proposal only ever adds a version.

use chrono::{NaiveDate, Utc};
use domain::Msg;
use domain::Need;
use domain::Noun;
use domain::{
    AuditAction, ObjectType, ProposalDetail, ProposalDraft, ProposalMover, ProposalStatus,
    ProposalSummary, Role, SettingChange, SnapshotPayload, SnapshotStatus,
};
use entity::{methodology_proposals as mp, methodology_versions as mv, rating_snapshots, users};
use methodology::model::Methodology;
use methodology::whatif::{Proposal, ProposalError, rescore};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use std::sync::Arc;

use crate::audit::{self, Actor, Change};
use crate::{Principal, ServiceError, ServiceResult};

/// Ministry staff and viewers read proposals; methodologists write them.
const READERS: &[Role] = &[
    Role::Admin,
    Role::Methodologist,
    Role::Reviewer,
    Role::Publisher,
    Role::Viewer,
];

fn invalid(field: &'static str, message: impl Into<domain::Msg>) -> ServiceError {
    ServiceError::Invalid(domain::ParseError::new(field, message))
}

fn proposal_error(e: ProposalError) -> ServiceError {
    let field = match &e {
        ProposalError::Version(_) => "version",
        ProposalError::ValidFrom(_) => "valid_from",
        ProposalError::Kind { .. } => "snapshot_id",
        ProposalError::Count { what, .. } => what,
        ProposalError::Weight { .. } => "weights",
        ProposalError::Bottom { .. } | ProposalError::Threshold { .. } => "thresholds",
        ProposalError::Missing(_) | ProposalError::Toml(_) | ProposalError::Invalid(_) => {
            return e.into();
        }
    };
    invalid(field, e.to_string())
}

async fn snapshot(
    db: &impl ConnectionTrait,
    id: i32,
) -> ServiceResult<(rating_snapshots::Model, Arc<SnapshotPayload>)> {
    let row = rating_snapshots::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::RatingSnapshot, id))?;
    let payload = crate::ratings::row_payload(&row)?;
    Ok((row, payload))
}

/// Fails when `code@version` is stored already or proposed and pending.
async fn label_free(db: &impl ConnectionTrait, code: &str, version: &str) -> ServiceResult<()> {
    let stored = mv::Entity::find()
        .filter(mv::Column::Code.eq(code))
        .filter(mv::Column::Version.eq(version))
        .one(db)
        .await?;
    let pending = mp::Entity::find()
        .filter(mp::Column::Code.eq(code))
        .filter(mp::Column::Version.eq(version))
        .filter(mp::Column::Status.eq("proposed"))
        .one(db)
        .await?;
    if stored.is_some() || pending.is_some() {
        return Err(ServiceError::Conflict(Msg::Exists {
            what: Noun::MethodologyVersion,
            which: format!("{code}@{version}"),
        }));
    }
    Ok(())
}

/// Reorders `values` given in the league's order of `league_codes` into the
/// methodology's order of `codes`.
fn by_code(
    field: &'static str,
    values: &[f64],
    league_codes: &[&str],
    codes: &[&str],
) -> ServiceResult<Vec<f64>> {
    if values.len() != league_codes.len() {
        return Err(invalid(
            field,
            format!(
                "expected {} {field}, got {}",
                league_codes.len(),
                values.len()
            ),
        ));
    }
    codes
        .iter()
        .map(|c| {
            league_codes
                .iter()
                .position(|l| l == c)
                .map(|k| values[k])
                .ok_or_else(|| ServiceError::missing("league member", c))
        })
        .collect()
}

/// Saves a what-if setting over a published league as a proposal for a new
/// version of the league's methodology. Methodologists only; the proposed
/// file must validate, and its version label must be free.
pub async fn propose(
    db: &DatabaseConnection,
    who: &Principal,
    draft: &ProposalDraft,
) -> ServiceResult<i32> {
    who.require(Role::Methodologist)?;
    let note = draft.note.trim();
    if note.is_empty() {
        return Err(invalid("note", Msg::Required { need: Need::Reason }));
    }
    if note.chars().count() > 4000 {
        return Err(invalid("note", Msg::Length { min: 0, max: 4000 }));
    }
    let (snap, payload) = snapshot(db, draft.snapshot_id).await?;
    if snap.status != SnapshotStatus::Published {
        return Err(invalid(
            "snapshot_id",
            "a retracted rating cannot be re-weighted",
        ));
    }
    let (base_row, base) =
        crate::methodologies::referenced(db, snap.methodology_version_id).await?;
    let domain_codes: Vec<&str> = base
        .domains()
        .iter()
        .map(|&d| base.nodes[d].code.as_str())
        .collect();
    let band_codes: Vec<&str> = base.bands.iter().map(|b| b.code.as_str()).collect();
    let league_domains: Vec<&str> = payload.domains.iter().map(|d| d.code.as_str()).collect();
    let league_bands: Vec<&str> = payload.bands.iter().map(|b| b.code.as_str()).collect();
    let weights = by_code("weights", &draft.weights, &league_domains, &domain_codes)?;
    let thresholds = by_code("thresholds", &draft.thresholds, &league_bands, &band_codes)?;
    let version = draft.version.trim();
    let valid_from = draft.valid_from.trim();
    let (source, _) = methodology::whatif::propose(
        &base,
        &base_row.source,
        &Proposal {
            version,
            valid_from,
            kind: payload.kind.as_str(),
            weights: &weights,
            thresholds: &thresholds,
            note,
        },
    )
    .map_err(proposal_error)?;
    let valid_from = NaiveDate::parse_from_str(valid_from, "%Y-%m-%d")
        .map_err(|e| invalid("valid_from", format!("{valid_from:?}: {e}")))?;
    let tx = crate::db::begin_write(db).await?;
    label_free(&tx, &base.id, version).await?;
    let json = |v: &[f64]| serde_json::to_string(v).map_err(ServiceError::from);
    let row = mp::ActiveModel {
        id: NotSet,
        base_version_id: Set(base_row.id),
        snapshot_id: Set(snap.id),
        entity_kind: Set(payload.kind),
        code: Set(base.id.clone()),
        version: Set(version.to_owned()),
        valid_from: Set(valid_from),
        note: Set(note.to_owned()),
        weights: Set(json(&weights)?),
        thresholds: Set(json(&thresholds)?),
        sha256: Set(crate::ratings::sha256_hex(source.as_bytes())),
        source: Set(source),
        status: Set(ProposalStatus::Proposed),
        adopted_version_id: Set(None),
        created_by: Set(Some(who.user.id.0)),
        created_at: Set(Utc::now()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
    }
    .insert(&tx)
    .await?;
    #[derive(Serialize)]
    struct Proposed<'a> {
        base: String,
        version: &'a str,
        kind: &'a str,
        weights: &'a [f64],
        thresholds: &'a [f64],
    }
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::MethodologyPropose,
            object_type: ObjectType::MethodologyProposal,
            object_id: row.id.to_string(),
            before: None,
            after: Some(&Proposed {
                base: base.key(),
                version,
                kind: payload.kind.as_str(),
                weights: &weights,
                thresholds: &thresholds,
            }),
            reason: Some(note),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// The listing of proposal `r` of base version `base_row` (parsed: `base`).
async fn summary(
    db: &impl ConnectionTrait,
    r: &mp::Model,
    base_row: &mv::Model,
    base: &Methodology,
) -> ServiceResult<ProposalSummary> {
    let author = match r.created_by {
        Some(id) => users::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|u| u.email),
        None => None,
    };
    Ok(ProposalSummary {
        id: r.id,
        code: r.code.clone(),
        title: base.title.clone(),
        base: crate::methodologies::summary(base_row, base),
        version: r.version.clone(),
        kind: r.entity_kind,
        valid_from: r.valid_from.to_string(),
        status: r.status.as_str().to_owned(),
        author,
        created_at: r.created_at.to_rfc3339(),
        adopted_id: r.adopted_version_id,
    })
}

/// Every proposal, newest first. Ministry staff and viewers.
pub async fn list(
    db: &impl ConnectionTrait,
    who: &Principal,
) -> ServiceResult<Vec<ProposalSummary>> {
    who.require_any(READERS)?;
    let rows = mp::Entity::find()
        .order_by_desc(mp::Column::CreatedAt)
        .order_by_desc(mp::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let (base_row, base) = crate::methodologies::referenced(db, r.base_version_id).await?;
        out.push(summary(db, r, &base_row, &base).await?);
    }
    Ok(out)
}

async fn row(db: &impl ConnectionTrait, id: i32) -> ServiceResult<mp::Model> {
    mp::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::MethodologyProposal, id))
}

fn floats(field: &str, text: &str) -> ServiceResult<Vec<f64>> {
    serde_json::from_str(text).map_err(ServiceError::unreadable("proposal field", field))
}

/// One proposal: what it changes, its effect on the league it was tried
/// on, and the file. Ministry staff and viewers.
pub async fn get(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: i32,
) -> ServiceResult<ProposalDetail> {
    who.require_any(READERS)?;
    let r = row(db, id).await?;
    let (base_row, base) = crate::methodologies::referenced(db, r.base_version_id).await?;
    let summary = summary(db, &r, &base_row, &base).await?;
    let proposed = methodology::parse(&format!("{}@{}", r.code, r.version), &r.source)?;
    let kind = summary.kind.as_str();
    let after = Settings {
        weights: floats("weights", &r.weights)?,
        thresholds: floats("thresholds", &r.thresholds)?,
    };
    let before = Settings {
        weights: base
            .domains()
            .iter()
            .map(|&d| base.nodes[d].weight_for(kind))
            .collect(),
        thresholds: base.bands.iter().map(|b| b.min).collect(),
    };
    let (weights, thresholds) = setting_changes(&base, &before, &after);
    let (changes, comparable) = crate::methodologies::changes_between(&base, &proposed);
    let (_, payload) = snapshot(db, r.snapshot_id).await?;
    let effect = effect(&base, &payload, &before, &after)?;
    let decision = match (r.decided_by, r.decided_at) {
        (Some(by), Some(at)) => Some((
            users::Entity::find_by_id(by)
                .one(db)
                .await?
                .map_or_else(|| format!("user {by}"), |u| u.email),
            at.to_rfc3339(),
            r.decision_note.clone().unwrap_or_default(),
        )),
        _ => None,
    };
    Ok(ProposalDetail {
        summary,
        note: r.note.clone(),
        weights,
        thresholds,
        bands: crate::methodologies::band_defs(&base),
        changes,
        comparable,
        campaign_names: payload.campaign_names.clone(),
        ranked: effect.ranked,
        rank_changes: effect.rank_changes,
        band_changes: effect.band_changes,
        movers: effect.movers,
        source: r.source.clone(),
        sha256: r.sha256.clone(),
        decision,
    })
}

/// One side of a proposal: its domain weights and band thresholds.
struct Settings {
    weights: Vec<f64>,
    thresholds: Vec<f64>,
}

/// Each domain weight and band threshold, before and after.
fn setting_changes(
    base: &Methodology,
    before: &Settings,
    after: &Settings,
) -> (Vec<SettingChange>, Vec<SettingChange>) {
    let weights = base
        .domains()
        .iter()
        .zip(before.weights.iter().zip(&after.weights))
        .map(|(&d, (b, a))| SettingChange {
            code: base.nodes[d].code.clone(),
            names: base.nodes[d].names.clone(),
            before: *b,
            after: *a,
        })
        .collect();
    let thresholds = base
        .bands
        .iter()
        .zip(before.thresholds.iter().zip(&after.thresholds))
        .map(|(band, (b, a))| SettingChange {
            code: band.code.clone(),
            names: band.names.clone(),
            before: *b,
            after: *a,
        })
        .collect();
    (weights, thresholds)
}

/// A proposal's effect on a league: how many are ranked after it, how
/// many change rank or band, and the 20 who move most.
struct Effect {
    ranked: usize,
    rank_changes: usize,
    band_changes: usize,
    movers: Vec<ProposalMover>,
}

/// The effect on the league it was tried on, both sides re-scored from
/// the published domain scores (so only the proposal's change shows).
fn effect(
    base: &Methodology,
    payload: &SnapshotPayload,
    before: &Settings,
    after: &Settings,
) -> ServiceResult<Effect> {
    let (aggregation, cap) = base
        .index_rule()
        .ok_or_else(|| ServiceError::shape("node 0 is the index"))?;
    let scores = domain_scores(base, payload)?;
    let before = rescore(
        aggregation,
        cap,
        scores.iter().map(Vec::as_slice),
        &before.weights,
        &before.thresholds,
    );
    let after = rescore(
        aggregation,
        cap,
        scores.iter().map(Vec::as_slice),
        &after.weights,
        &after.thresholds,
    );
    let band_code = |k: Option<usize>| k.map(|k| base.bands[k].code.clone());
    let mut movers: Vec<ProposalMover> = payload
        .rows
        .iter()
        .zip(before.iter().zip(&after))
        .filter(|(_, (b, a))| b.rank != a.rank || b.band != a.band)
        .map(|(row, (b, a))| ProposalMover {
            entity: row.entity.clone(),
            rank_before: b.rank,
            rank_after: a.rank,
            band_before: band_code(b.band),
            band_after: band_code(a.band),
        })
        .collect();
    let rank_changes = movers
        .iter()
        .filter(|m| m.rank_before != m.rank_after)
        .count();
    let band_changes = movers
        .iter()
        .filter(|m| m.band_before != m.band_after)
        .count();
    movers.sort_by_key(|m| {
        (
            std::cmp::Reverse(i64::from(m.rank_before).abs_diff(i64::from(m.rank_after))),
            m.rank_before,
        )
    });
    movers.truncate(20);
    Ok(Effect {
        ranked: after.iter().filter(|a| a.rank > 0).count(),
        rank_changes,
        band_changes,
        movers,
    })
}

/// Each published row's domain scores, in the base version's domain order.
fn domain_scores(
    base: &Methodology,
    payload: &SnapshotPayload,
) -> ServiceResult<Vec<Vec<Option<f64>>>> {
    let order: Vec<usize> = payload
        .domains
        .iter()
        .map(|d| {
            base.domains()
                .iter()
                .position(|&b| base.nodes[b].code == d.code)
                .ok_or_else(|| ServiceError::missing("domain of the base version", &d.code))
        })
        .collect::<ServiceResult<_>>()?;
    Ok(payload
        .rows
        .iter()
        .map(|row| {
            let mut s = vec![None; order.len()];
            for (k, &at) in order.iter().enumerate() {
                s[at] = row.domain_scores.get(k).copied().flatten();
            }
            s
        })
        .collect())
}

/// What a methodologist decides about a pending proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Store it as a new methodology version.
    Adopt,
    /// Set it aside; it stays readable.
    Withdraw,
}

/// Adopts (a new stored methodology version, returned) or withdraws a
/// pending proposal, with a reason. Methodologists only; audited.
pub async fn decide(
    db: &DatabaseConnection,
    who: &Principal,
    id: i32,
    decision: Decision,
    reason: &str,
) -> ServiceResult<Option<i32>> {
    who.require(Role::Methodologist)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", Msg::Required { need: Need::Reason }));
    }
    let tx = crate::db::begin_write(db).await?;
    let r = row(&tx, id).await?;
    if r.status != ProposalStatus::Proposed {
        return Err(ServiceError::Conflict(Msg::AlreadyDone {
            what: Noun::MethodologyProposal,
            which: id.to_string(),
        }));
    }
    let now = Utc::now();
    let adopted = match decision {
        Decision::Withdraw => None,
        Decision::Adopt => {
            let exists = mv::Entity::find()
                .filter(mv::Column::Code.eq(&r.code))
                .filter(mv::Column::Version.eq(&r.version))
                .one(&tx)
                .await?;
            if exists.is_some() {
                return Err(ServiceError::Conflict(Msg::Exists {
                    what: Noun::MethodologyVersion,
                    which: format!("{}@{}", r.code, r.version),
                }));
            }
            let m = methodology::parse(&format!("{}@{}", r.code, r.version), &r.source)?;
            let v =
                crate::methodologies::insert(&tx, &m, &r.source, r.valid_from, Some(who.user.id.0))
                    .await?;
            Some(v.id)
        }
    };
    let status = match decision {
        Decision::Adopt => ProposalStatus::Adopted,
        Decision::Withdraw => ProposalStatus::Withdrawn,
    };
    let mut am: mp::ActiveModel = r.clone().into();
    am.status = Set(status);
    am.adopted_version_id = Set(adopted);
    am.decided_by = Set(Some(who.user.id.0));
    am.decided_at = Set(Some(now));
    am.decision_note = Set(Some(reason.to_owned()));
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: match decision {
                Decision::Adopt => AuditAction::MethodologyAdopt,
                Decision::Withdraw => AuditAction::MethodologyWithdraw,
            },
            object_type: ObjectType::MethodologyProposal,
            object_id: id.to_string(),
            before: Some(&r.status),
            after: Some(&(status, adopted, format!("{}@{}", r.code, r.version))),
            reason: Some(reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(adopted)
}

/// The proposed file of `id`, for download: a file name and the text.
/// Ministry staff and viewers.
pub async fn source(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: i32,
) -> ServiceResult<(String, String)> {
    who.require_any(READERS)?;
    let r = row(db, id).await?;
    Ok((format!("{}@{}.toml", r.code, r.version), r.source))
}
