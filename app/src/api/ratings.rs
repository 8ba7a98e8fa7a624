//! Server functions of the public ratings and methodologies: leagues and
//! their briefs, methodology versions, entity and region profiles, the
//! region map, the what-if base, and proposals for a new methodology
//! version.

use domain::{EntityKind, MethodologyDetail, MethodologySummary, PublishedLeague};
use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// The latest publicly visible rating of each league, in brief: marks
/// counted and biggest movers (public).
#[server(endpoint = "latest_ratings")]
pub async fn latest_ratings() -> Result<Vec<domain::LeagueBrief>, AppError> {
    let cx = context()?;
    service::ratings::latest_briefs(&cx.services.db, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Every stored methodology version (public: the published rule book).
#[server(endpoint = "list_methodologies")]
pub async fn list_methodologies() -> Result<Vec<MethodologySummary>, AppError> {
    let cx = context()?;
    service::methodologies::list(&cx.services.db)
        .await
        .map_err(fail)
}

/// One methodology version: tree, bands, changes since the previous one.
#[server(endpoint = "get_methodology")]
pub async fn get_methodology(id: i32) -> Result<MethodologyDetail, AppError> {
    let cx = context()?;
    service::methodologies::get(&cx.services.db, id)
        .await
        .map_err(fail)
}

/// An entity's public rating profile (public).
#[server(endpoint = "entity_profile")]
pub async fn entity_profile(id: i32) -> Result<Option<domain::EntityProfile>, AppError> {
    let cx = context()?;
    service::downloads::profile(&cx.services.db, id, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// The map of the regions coloured by their districts' average (public):
/// in the given revision of a district round (its newest without one), or
/// in the newest round.
#[server(endpoint = "region_map")]
pub async fn region_map(
    campaign: Option<String>,
    revision: Option<i32>,
) -> Result<Option<domain::RegionMap>, AppError> {
    let cx = context()?;
    let at = campaign.as_deref().map(|c| (c, revision));
    service::downloads::region_map(&cx.services.db, at, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// A region's districts in the public ratings: newest round and trend.
#[server(endpoint = "region_profile")]
pub async fn region_profile(id: i32) -> Result<Option<domain::RegionProfile>, AppError> {
    let cx = context()?;
    service::downloads::region_profile(&cx.services.db, id, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// The newest public league of a kind, ready for the what-if sandbox
/// (public: it only re-weighs published numbers, in the browser).
#[server(endpoint = "what_if_base")]
pub async fn what_if_base(kind: EntityKind) -> Result<Option<domain::WhatIfBase>, AppError> {
    let cx = context()?;
    service::downloads::what_if_base(&cx.services.db, kind, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Saves a what-if setting as a proposal for a new methodology version
/// (methodologists); answers with the proposal's id.
#[server(endpoint = "propose_methodology")]
pub async fn propose_methodology(draft: domain::ProposalDraft) -> Result<i32, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::proposals::propose(&cx.services.db, &who, &draft)
        .await
        .map_err(fail)
}

/// Every methodology proposal, newest first (ministry staff, viewers).
#[server(endpoint = "list_proposals")]
pub async fn list_proposals() -> Result<Vec<domain::ProposalSummary>, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::proposals::list(&cx.services.db, &who)
        .await
        .map_err(fail)
}

/// One methodology proposal with its effect (ministry staff, viewers).
#[server(endpoint = "get_proposal")]
pub async fn get_proposal(id: i32) -> Result<domain::ProposalDetail, AppError> {
    let cx = context()?;
    let who = require_principal()?;
    service::proposals::get(&cx.services.db, &who, id)
        .await
        .map_err(fail)
}

/// Adopts (`adopt = true`: a new stored version, whose id comes back) or
/// withdraws a proposal, with a reason (methodologists).
#[server(endpoint = "decide_proposal")]
pub async fn decide_proposal(
    id: i32,
    adopt: bool,
    reason: String,
) -> Result<Option<i32>, AppError> {
    use service::proposals::Decision;
    let cx = context()?;
    let who = require_principal()?;
    let decision = if adopt {
        Decision::Adopt
    } else {
        Decision::Withdraw
    };
    service::proposals::decide(&cx.services.db, &who, id, decision, &reason)
        .await
        .map_err(fail)
}

/// One league: a chosen published round (or the newest), and the rounds to
/// choose from (public).
#[server(endpoint = "league")]
pub async fn league(
    kind: EntityKind,
    campaign: Option<String>,
    revision: Option<i32>,
) -> Result<Option<(PublishedLeague, Vec<domain::LeagueChoice>)>, AppError> {
    let cx = context()?;
    service::ratings::public_league(
        &cx.services.db,
        kind,
        campaign.as_deref(),
        revision,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}
