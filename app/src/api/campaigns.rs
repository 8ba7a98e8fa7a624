//! Server functions of campaigns: the list and the new-campaign form, the
//! lifecycle, the cockpit, deadlines and reminders, the dashboards, and
//! results, nominations, publication and appeals.

#[cfg(feature = "ssr")]
use domain::{EntityKind, Expected, Msg, Names};
use leptos::prelude::*;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// Campaigns the user works on (ministry: all; officers: their own).
#[server(endpoint = "list_campaigns")]
pub async fn list_campaigns() -> Result<Vec<domain::CampaignSummary>, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::list(&cx.services.db, &p)
        .await
        .map_err(fail)
}

/// The fields of the new-campaign form, as the browser posts them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    /// Code.
    pub code: String,
    /// ISO period.
    pub period: String,
    /// League (`EntityKind` string).
    pub kind: String,
    /// Methodology version key.
    pub methodology: String,
    /// Name, Uzbek Latin.
    pub name_uz_latn: String,
    /// Name, Uzbek Cyrillic.
    pub name_uz_cyrl: String,
    /// Name, Russian.
    pub name_ru: String,
    /// Name, English.
    pub name_en: String,
    /// Opening date.
    pub opens_on: String,
    /// Deadline.
    pub deadline: String,
    /// Review deadline.
    pub review_deadline: String,
    /// Appeal window end.
    pub appeal_until: String,
    /// `all`, `region` or `codes`.
    pub pick: String,
    /// Region SOATO code (pick = region).
    pub region: String,
    /// Codes, one per line or comma-separated (pick = codes).
    pub codes: String,
    /// Present (a ticked checkbox) when regions review their districts
    /// before the ministry.
    #[serde(default)]
    pub region_review: Option<String>,
}

/// Creates a campaign in draft (campaign managers) and opens its cockpit.
#[server(endpoint = "create_campaign")]
pub async fn create_campaign(form: CampaignForm) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let kind = EntityKind::parse(&form.kind).map_err(|e| fail(e.into()))?;
    let participants = match form.pick.as_str() {
        "region" => domain::ParticipantPick::Region(form.region.clone()),
        "codes" => domain::ParticipantPick::Codes(
            form.codes
                .split([',', '\n', ';'])
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect(),
        ),
        _ => domain::ParticipantPick::AllOfKind,
    };
    let input = domain::NewCampaign {
        code: form.code,
        period: form.period,
        kind,
        methodology: form.methodology,
        names: Names {
            uz_latn: form.name_uz_latn,
            uz_cyrl: form.name_uz_cyrl,
            ru: form.name_ru,
            en: form.name_en,
        },
        opens_on: form.opens_on,
        deadline: form.deadline,
        review_deadline: form.review_deadline,
        appeal_until: form.appeal_until,
        participants,
        region_review: form.region_review.is_some(),
    };
    let c = service::campaigns::create(&cx.services.db, &p, &input)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/campaigns/{}", c.id));
    Ok(())
}

/// Moves a campaign one step on from `from`.
#[server(endpoint = "advance_campaign")]
pub async fn advance_campaign(
    id: i32,
    from: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let from = domain::CampaignStatus::parse(&from).map_err(|e| fail(e.into()))?;
    service::campaigns::advance(
        &cx.services.db,
        &p,
        domain::CampaignId(id),
        from,
        reason.as_deref().filter(|r| !r.trim().is_empty()),
    )
    .await
    .map_err(fail)?;
    Ok(())
}

/// The cockpit of a campaign (ministry staff).
#[server(endpoint = "campaign_cockpit")]
pub async fn campaign_cockpit(id: i32) -> Result<domain::Cockpit, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::cockpit(
        &cx.services.db,
        &p,
        domain::CampaignId(id),
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// Extends one entity's deadline, with a reason.
#[server(endpoint = "extend_deadline")]
pub async fn extend_deadline(
    participant: i32,
    until: String,
    reason: String,
) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::extend_deadline(
        &cx.services.db,
        &p,
        domain::ParticipantId(participant),
        &until,
        &reason,
    )
    .await
    .map_err(fail)
}

/// Reminds everyone who has not submitted; returns how many were reminded.
#[server(endpoint = "remind")]
pub async fn remind(id: i32) -> Result<u32, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::remind(&cx.services.db, &p, domain::CampaignId(id))
        .await
        .map_err(fail)
}

/// The ministry's dashboard of campaigns not yet final.
#[server(endpoint = "campaign_pulse")]
pub async fn campaign_pulse() -> Result<Vec<domain::CampaignPulse>, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::pulse(&cx.services.db, &p, chrono::Utc::now().date_naive())
        .await
        .map_err(fail)
}

/// What is due for the signed-in officer: open submissions, and unread
/// reminders (subject, body, when).
#[server(endpoint = "my_work")]
pub async fn my_work() -> Result<domain::MyWork, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let due = service::campaigns::due_for(&cx.services.db, &p)
        .await
        .map_err(fail)?;
    let inbox = service::campaigns::inbox(&cx.services.db, &p)
        .await
        .map_err(fail)?;
    Ok(domain::MyWork { due, inbox })
}

/// A campaign's results for ministry staff: the league as it scores now,
/// its appeals and its published revisions.
#[server(endpoint = "campaign_results")]
pub async fn campaign_results(id: i32) -> Result<domain::CampaignResults, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::results::campaign_results(&cx.services.db, &p, domain::CampaignId(id))
        .await
        .map_err(fail)
}

/// Chooses a domain's nominee (`entity` empty: back to the highest score).
#[server(endpoint = "nominate")]
pub async fn nominate(
    campaign: i32,
    domain: String,
    entity: String,
    note: String,
) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    let entity = match entity.trim() {
        "" => None,
        e => Some(e.parse::<i32>().map_err(|_| {
            fail(service::ServiceError::Invalid(domain::ParseError::new(
                "entity",
                Msg::NotA {
                    text: e.to_string(),
                    expected: Expected::EntityId,
                },
            )))
        })?),
    };
    service::results::nominate(
        &cx.services.db,
        &p,
        domain::CampaignId(campaign),
        &domain,
        entity,
        &note,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// Publishes, corrects or retracts a campaign's rating; returns the new
/// snapshot's id.
#[server(endpoint = "publish_rating")]
pub async fn publish_rating(id: i32, request: domain::PublishRequest) -> Result<i32, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::results::publish(
        &cx.services.db,
        &p,
        domain::CampaignId(id),
        &request,
        chrono::Utc::now(),
    )
    .await
    .map(|s| s.0)
    .map_err(fail)
}

/// An officer appeals their provisional result.
#[server(endpoint = "file_appeal")]
pub async fn file_appeal(
    id: i32,
    appeal: domain::NewAppeal,
) -> Result<domain::AppealItem, AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::appeals::file(
        &cx.services.db,
        &p,
        domain::ParticipantId(id),
        &appeal,
        chrono::Utc::now(),
    )
    .await
    .map_err(fail)
}

/// A reviewer upholds or rejects an appeal, recording the outcome.
#[server(endpoint = "resolve_appeal")]
pub async fn resolve_appeal(id: i32, decision: domain::AppealDecision) -> Result<(), AppError> {
    let cx = context()?;
    let p = require_principal()?;
    service::appeals::resolve(&cx.services.db, &p, id, &decision, chrono::Utc::now())
        .await
        .map_err(fail)
}
