//! Server functions of a submission and its review: the form, autosave,
//! evidence, sending, verdicts, comments, the review queue, and the kept
//! reports of Excel template uploads (a submission's and a region's).

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// One submission's form.
#[server(endpoint = "submission_form")]
pub async fn submission_form(id: i32) -> Result<domain::SubmissionForm, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::form(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// A kept report of an Excel template upload to submission `id`.
#[server(endpoint = "import_report")]
pub async fn import_report(id: i32, report: i32) -> Result<domain::ImportReport, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::workbooks::report(&cx.services.db, &p, domain::ParticipantId(id), report)
        .await
        .map_err(fail)
}

/// A region's districts in a campaign (the region's officer, ministry staff).
#[server(endpoint = "region_round")]
pub async fn region_round(campaign: i32, region: i32) -> Result<domain::RegionRound, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::region_workbooks::region_districts(
        &cx.services.db,
        &p,
        domain::CampaignId(campaign),
        domain::EntityId(region),
    )
    .await
    .map_err(fail)
}

/// A kept report of a region template upload.
#[server(endpoint = "region_import_report")]
pub async fn region_import_report(
    campaign: i32,
    region: i32,
    report: i32,
) -> Result<domain::ImportReport, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::region_workbooks::region_report(
        &cx.services.db,
        &p,
        domain::CampaignId(campaign),
        domain::EntityId(region),
        report,
    )
    .await
    .map_err(fail)
}

/// The district campaigns under way in the signed-in officer's regions.
#[server(endpoint = "my_region_rounds")]
pub async fn my_region_rounds()
-> Result<Vec<(domain::CampaignSummary, domain::EntityRef)>, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::region_workbooks::region_rounds(&cx.services.db, &p)
        .await
        .map_err(fail)
}

/// Autosave of one value, from `version`.
#[server(endpoint = "save_value")]
pub async fn save_value(
    id: i32,
    indicator: String,
    value: Option<String>,
    comment: Option<String>,
    version: i32,
) -> Result<domain::SaveOutcome, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let req = service::submissions::SaveRequest {
        indicator,
        value,
        comment,
        version,
    };
    service::submissions::save(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        &req,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// Attaches a link, or (with `act_type`) a legal act, as evidence.
#[server(endpoint = "add_evidence")]
pub async fn add_evidence(
    id: i32,
    indicator: String,
    url: String,
    act_type: Option<String>,
    act_number: Option<String>,
    act_date: Option<String>,
) -> Result<(), AppError> {
    use service::submissions::EvidenceInput;
    let cx = context()?;
    let p = require_principal()?;
    let input = match act_type.filter(|t| !t.trim().is_empty()) {
        Some(act_type) => EvidenceInput::LegalAct {
            act_type,
            number: act_number.unwrap_or_default(),
            date: act_date.unwrap_or_default(),
            link: url,
        },
        None => EvidenceInput::Url(url),
    };
    service::submissions::add_evidence(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        &indicator,
        &input,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)?;
    Ok(())
}

/// Removes evidence.
#[server(endpoint = "remove_evidence")]
pub async fn remove_evidence(evidence: i32) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::remove_evidence(&cx.services.db, &p, evidence, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Sends a submission for review.
#[server(endpoint = "submit_submission")]
pub async fn submit_submission(id: i32) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::submit(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// A reviewer's verdict on one value.
#[server(endpoint = "review_value")]
pub async fn review_value(
    id: i32,
    indicator: String,
    action: String,
    value: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let action = domain::ReviewAction::parse(&action).map_err(|e| fail(e.into()))?;
    let verdict = service::submissions::Verdict {
        indicator: &indicator,
        action,
        adjusted: value.as_deref(),
        reason: reason.as_deref().unwrap_or_default(),
    };
    service::submissions::review_value(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        &verdict,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// Returns a submission for revision (`approve` false, reason required) or
/// approves it.
#[server(endpoint = "decide_submission")]
pub async fn decide_submission(
    id: i32,
    approve: bool,
    reason: Option<String>,
) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let (db, id, now) = (
        &cx.services.db,
        domain::ParticipantId(id),
        chrono::Utc::now(),
    );
    if approve {
        service::submissions::approve(db, &p, id, now).await
    } else {
        service::submissions::return_for_revision(
            db,
            &p,
            id,
            reason.as_deref().unwrap_or_default(),
            now,
        )
        .await
    }
    .map_err(fail)
}

/// Answers a review comment.
#[server(endpoint = "reply_comment")]
pub async fn reply_comment(id: i32, parent: i32, body: String) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::reply(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        parent,
        &body,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// The review queue.
#[server(endpoint = "review_queue")]
pub async fn review_queue(filter: domain::QueueFilter) -> Result<Vec<domain::QueueItem>, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::queue(&cx.services.db, &p, &filter)
        .await
        .map_err(fail)
}
