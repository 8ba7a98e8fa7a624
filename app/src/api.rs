//! Server functions: the pages' only way to the server. Each parses its
//! arguments, checks who asks through the service it calls, and returns
//! plain data from `domain`.

use domain::{
    AuditEntry, CurrentUser, EntityKind, EntitySummary, MethodologyDetail, MethodologySummary,
    Page, PublishedLeague, RegistryQuery, UserSummary,
};
#[cfg(feature = "ssr")]
use domain::{EntityId, EntityInput, Locale, Names, Role, UserId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{context, fail, require_principal};

/// The signed-in user, or `None` for the public.
#[server(endpoint = "whoami")]
pub async fn whoami() -> Result<Option<CurrentUser>, ServerFnError> {
    Ok(crate::ssr::principal().map(|p| p.user))
}

/// Signs in with e-mail and password, sets the session cookies and goes to
/// `next` (a local path) or the home page.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), ServerFnError> {
    let cx = context()?;
    let ua = use_context::<http::request::Parts>().and_then(|p| {
        p.headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    });
    let (tokens, _) =
        service::auth::sign_in(&cx.services.db, &cx.services.auth, &email, &password, ua)
            .await
            .map_err(fail)?;
    crate::ssr::set_session_cookies(&tokens, cx.secure_cookies);
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

/// Only local paths are followed after sign-in, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// Signs out: revokes the session and clears the cookies.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    let cx = context()?;
    if let Some(p) = crate::ssr::principal() {
        service::auth::sign_out(&cx.services.db, &p.session_id)
            .await
            .map_err(fail)?;
    }
    crate::ssr::clear_session_cookies(cx.secure_cookies);
    leptos_axum::redirect("/");
    Ok(())
}

/// Switches the interface language (cookie, and the account's preference)
/// and goes back to `back`.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), ServerFnError> {
    let cx = context()?;
    let locale = Locale::from_tag(&lang).ok_or_else(|| {
        fail(domain::ParseError::new("lang", format!("unknown language {lang:?}")).into())
    })?;
    if let Some(p) = crate::ssr::principal() {
        service::users::set_locale(&cx.services.db, &p, locale)
            .await
            .map_err(fail)?;
    }
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        let c = format!(
            "{}={}; Path=/; SameSite=Lax; Max-Age=31536000",
            crate::ssr::LANG_COOKIE,
            locale.tag()
        );
        if let Ok(v) = http::HeaderValue::from_str(&c) {
            r.append_header(http::header::SET_COOKIE, v);
        }
    }
    leptos_axum::redirect(&safe_next(back.as_deref()));
    Ok(())
}

/// Searches the registry (public).
#[server(endpoint = "search_registry")]
pub async fn search_registry(query: RegistryQuery) -> Result<Page<EntitySummary>, ServerFnError> {
    let cx = context()?;
    service::registry::search(&cx.services.db, &query)
        .await
        .map_err(fail)
}

/// One registry entity with what it contains (public).
#[server(endpoint = "get_entity")]
pub async fn get_entity(id: i32) -> Result<(EntitySummary, Vec<EntitySummary>), ServerFnError> {
    let cx = context()?;
    service::registry::get(&cx.services.db, EntityId(id))
        .await
        .map_err(fail)
}

/// The fields of the entity form, as the browser posts them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntityForm {
    /// Kind (stable string).
    pub kind: String,
    /// Subkind.
    pub subkind: String,
    /// Code.
    pub code: String,
    /// TIN.
    pub tin: String,
    /// Name, Uzbek Latin.
    pub name_uz_latn: String,
    /// Name, Uzbek Cyrillic.
    pub name_uz_cyrl: String,
    /// Name, Russian.
    pub name_ru: String,
    /// Name, English.
    pub name_en: String,
    /// Parent's code, SOATO or TIN.
    pub parent_code: String,
    /// Website.
    pub website: String,
    /// Valid from.
    pub valid_from: String,
    /// Valid to.
    pub valid_to: String,
    /// Why (edits).
    pub reason: String,
}

/// Adds an entity (admin, audited) and opens its page.
#[server(endpoint = "create_entity")]
pub async fn create_entity(form: EntityForm) -> Result<i32, ServerFnError> {
    save_entity(None, form).await
}

/// Edits an entity (admin, audited) and opens its page.
#[server(endpoint = "update_entity")]
pub async fn update_entity(id: i32, form: EntityForm) -> Result<i32, ServerFnError> {
    save_entity(Some(id), form).await
}

#[cfg(feature = "ssr")]
async fn save_entity(id: Option<i32>, form: EntityForm) -> Result<i32, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    let db = &cx.services.db;
    let kind = EntityKind::parse(&form.kind).map_err(|e| fail(e.into()))?;
    let parent_id = if form.parent_code.trim().is_empty() {
        None
    } else {
        let p = service::registry::find_by_code(db, form.parent_code.trim())
            .await
            .map_err(fail)?
            .ok_or_else(|| {
                fail(
                    domain::ParseError::new(
                        "parent_code",
                        format!("no entity with code {:?}", form.parent_code),
                    )
                    .into(),
                )
            })?;
        Some(EntityId(p.id))
    };
    let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    let input = EntityInput {
        kind,
        subkind: form.subkind,
        code: form.code,
        tin: blank(&form.tin),
        names: Names {
            uz_latn: form.name_uz_latn,
            uz_cyrl: form.name_uz_cyrl,
            ru: form.name_ru,
            en: form.name_en,
        },
        parent_id,
        website: blank(&form.website),
        valid_from: form.valid_from,
        valid_to: blank(&form.valid_to),
    };
    let id = match id {
        Some(id) => {
            service::registry::update(
                db,
                &who,
                EntityId(id),
                &input,
                blank(&form.reason).as_deref(),
            )
            .await
            .map_err(fail)?;
            id
        }
        None => {
            service::registry::create(db, &who, &input)
                .await
                .map_err(fail)?
                .0
        }
    };
    leptos_axum::redirect(&format!("/registry/{id}"));
    Ok(id)
}

/// Retires an entity from a date (admin, audited).
#[server(endpoint = "retire_entity")]
pub async fn retire_entity(id: i32, valid_to: String, reason: String) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::registry::retire(&cx.services.db, &who, EntityId(id), &valid_to, &reason)
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/registry/{id}"));
    Ok(())
}

/// Every user with their grants (admin).
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::list(&cx.services.db, &who)
        .await
        .map_err(fail)
}

/// Creates a user (admin).
#[server(endpoint = "create_user")]
pub async fn create_user(
    email: String,
    display_name: String,
    password: String,
) -> Result<i32, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    let id = service::users::create(&cx.services.db, &who, &email, &display_name, &password)
        .await
        .map_err(fail)?;
    Ok(id.0)
}

/// Grants a role, naming the entity by code, SOATO or TIN (admin).
#[server(endpoint = "grant_role")]
pub async fn grant_role(
    user_id: i32,
    role: String,
    entity_code: String,
) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    let role = Role::parse(&role).map_err(|e| fail(e.into()))?;
    let entity = if entity_code.trim().is_empty() {
        None
    } else {
        let e = service::registry::find_by_code(&cx.services.db, entity_code.trim())
            .await
            .map_err(fail)?
            .ok_or_else(|| {
                fail(
                    domain::ParseError::new(
                        "entity_code",
                        format!("no entity with code {entity_code:?}"),
                    )
                    .into(),
                )
            })?;
        Some(EntityId(e.id))
    };
    service::users::grant(&cx.services.db, &who, UserId(user_id), role, entity)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Revokes a grant (admin).
#[server(endpoint = "revoke_grant")]
pub async fn revoke_grant(grant_id: i32) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::revoke(&cx.services.db, &who, grant_id)
        .await
        .map_err(fail)
}

/// Sets a new password for a user, who must change it at next sign-in (admin).
#[server(endpoint = "reset_password")]
pub async fn reset_password(user_id: i32, password: String) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::reset_password(&cx.services.db, &who, UserId(user_id), &password)
        .await
        .map_err(fail)
}

/// Enables or disables an account (admin).
#[server(endpoint = "set_user_active")]
pub async fn set_user_active(user_id: i32, active: bool) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::users::set_active(&cx.services.db, &who, UserId(user_id), active)
        .await
        .map_err(fail)
}

/// Changes the signed-in user's password and starts a fresh session.
#[server(endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    let db = &cx.services.db;
    service::users::change_own_password(db, &who, &current, &new)
        .await
        .map_err(fail)?;
    let (tokens, _) = service::auth::sign_in(db, &cx.services.auth, &who.user.email, &new, None)
        .await
        .map_err(fail)?;
    crate::ssr::set_session_cookies(&tokens, cx.secure_cookies);
    Ok(())
}

/// The audit log, newest first, optionally for one object type (admin).
#[server(endpoint = "list_audit")]
pub async fn list_audit(
    object_type: Option<String>,
    object_id: Option<String>,
    page: u64,
) -> Result<Page<AuditEntry>, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    let filter = service::audit::AuditFilter {
        object_type: object_type.filter(|t| !t.is_empty()),
        object_id: object_id.filter(|t| !t.is_empty()),
        ..Default::default()
    };
    service::audit::list(&cx.services.db, &who, &filter, page)
        .await
        .map_err(fail)
}

/// Registry counts per kind, for the home page (public).
#[server(endpoint = "registry_counts")]
pub async fn registry_counts() -> Result<Vec<(EntityKind, u64)>, ServerFnError> {
    let cx = context()?;
    service::registry::counts(&cx.services.db)
        .await
        .map_err(fail)
}

/// The latest publicly visible rating of each league, in brief: marks
/// counted and biggest movers (public).
#[server(endpoint = "latest_ratings")]
pub async fn latest_ratings() -> Result<Vec<domain::LeagueBrief>, ServerFnError> {
    let cx = context()?;
    service::ratings::latest_briefs(&cx.services.db, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Every stored methodology version (public: the published rule book).
#[server(endpoint = "list_methodologies")]
pub async fn list_methodologies() -> Result<Vec<MethodologySummary>, ServerFnError> {
    let cx = context()?;
    service::methodologies::list(&cx.services.db)
        .await
        .map_err(fail)
}

/// One methodology version: tree, bands, changes since the previous one.
#[server(endpoint = "get_methodology")]
pub async fn get_methodology(id: i32) -> Result<MethodologyDetail, ServerFnError> {
    let cx = context()?;
    service::methodologies::get(&cx.services.db, id)
        .await
        .map_err(fail)
}

/// An entity's public rating profile (public).
#[server(endpoint = "entity_profile")]
pub async fn entity_profile(id: i32) -> Result<Option<domain::EntityProfile>, ServerFnError> {
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
) -> Result<Option<domain::RegionMap>, ServerFnError> {
    let cx = context()?;
    let at = campaign.as_deref().map(|c| (c, revision));
    service::downloads::region_map(&cx.services.db, at, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// A region's districts in the public ratings: newest round and trend.
#[server(endpoint = "region_profile")]
pub async fn region_profile(id: i32) -> Result<Option<domain::RegionProfile>, ServerFnError> {
    let cx = context()?;
    service::downloads::region_profile(&cx.services.db, id, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// The newest public league of a kind, ready for the what-if sandbox
/// (public: it only re-weighs published numbers, in the browser).
#[server(endpoint = "what_if_base")]
pub async fn what_if_base(kind: EntityKind) -> Result<Option<domain::WhatIfBase>, ServerFnError> {
    let cx = context()?;
    service::downloads::what_if_base(&cx.services.db, kind, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Saves a what-if setting as a proposal for a new methodology version
/// (methodologists); answers with the proposal's id.
#[server(endpoint = "propose_methodology")]
pub async fn propose_methodology(draft: domain::ProposalDraft) -> Result<i32, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::proposals::propose(&cx.services.db, &who, &draft)
        .await
        .map_err(fail)
}

/// Every methodology proposal, newest first (ministry staff, viewers).
#[server(endpoint = "list_proposals")]
pub async fn list_proposals() -> Result<Vec<domain::ProposalSummary>, ServerFnError> {
    let cx = context()?;
    let who = require_principal()?;
    service::proposals::list(&cx.services.db, &who)
        .await
        .map_err(fail)
}

/// One methodology proposal with its effect (ministry staff, viewers).
#[server(endpoint = "get_proposal")]
pub async fn get_proposal(id: i32) -> Result<domain::ProposalDetail, ServerFnError> {
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
) -> Result<Option<i32>, ServerFnError> {
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
) -> Result<Option<(PublishedLeague, Vec<domain::LeagueChoice>)>, ServerFnError> {
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

// ---- Campaigns, the form and review ----

/// Campaigns the user works on (ministry: all; officers: their own).
#[server(endpoint = "list_campaigns")]
pub async fn list_campaigns() -> Result<Vec<domain::CampaignSummary>, ServerFnError> {
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
pub async fn create_campaign(form: CampaignForm) -> Result<(), ServerFnError> {
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
) -> Result<(), ServerFnError> {
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
pub async fn campaign_cockpit(id: i32) -> Result<domain::Cockpit, ServerFnError> {
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
) -> Result<(), ServerFnError> {
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
pub async fn remind(id: i32) -> Result<u32, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::remind(&cx.services.db, &p, domain::CampaignId(id))
        .await
        .map_err(fail)
}

/// The ministry's dashboard of campaigns not yet final.
#[server(endpoint = "campaign_pulse")]
pub async fn campaign_pulse() -> Result<Vec<domain::CampaignPulse>, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::campaigns::pulse(&cx.services.db, &p, chrono::Utc::now().date_naive())
        .await
        .map_err(fail)
}

/// What is due for the signed-in officer: open submissions, and unread
/// reminders (subject, body, when).
#[server(endpoint = "my_work")]
pub async fn my_work() -> Result<domain::MyWork, ServerFnError> {
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

/// One submission's form.
#[server(endpoint = "submission_form")]
pub async fn submission_form(id: i32) -> Result<domain::SubmissionForm, ServerFnError> {
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
pub async fn import_report(id: i32, report: i32) -> Result<domain::ImportReport, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::workbooks::report(&cx.services.db, &p, domain::ParticipantId(id), report)
        .await
        .map_err(fail)
}

/// A region's districts in a campaign (the region's officer, ministry staff).
#[server(endpoint = "region_round")]
pub async fn region_round(
    campaign: i32,
    region: i32,
) -> Result<domain::RegionRound, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::workbooks::region_districts(
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
) -> Result<domain::ImportReport, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::workbooks::region_report(
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
-> Result<Vec<(domain::CampaignSummary, domain::EntityRef)>, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::workbooks::region_rounds(&cx.services.db, &p)
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
) -> Result<domain::SaveOutcome, ServerFnError> {
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
) -> Result<(), ServerFnError> {
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
pub async fn remove_evidence(evidence: i32) -> Result<(), ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::remove_evidence(&cx.services.db, &p, evidence, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Sends a submission for review.
#[server(endpoint = "submit_submission")]
pub async fn submit_submission(id: i32) -> Result<(), ServerFnError> {
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
) -> Result<(), ServerFnError> {
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
) -> Result<(), ServerFnError> {
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
pub async fn reply_comment(id: i32, parent: i32, body: String) -> Result<(), ServerFnError> {
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
pub async fn review_queue(
    filter: domain::QueueFilter,
) -> Result<Vec<domain::QueueItem>, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::submissions::queue(&cx.services.db, &p, &filter)
        .await
        .map_err(fail)
}

/// A campaign's results for ministry staff: the league as it scores now,
/// its appeals and its published revisions.
#[server(endpoint = "campaign_results")]
pub async fn campaign_results(id: i32) -> Result<domain::CampaignResults, ServerFnError> {
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
) -> Result<(), ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    let entity = match entity.trim() {
        "" => None,
        e => Some(e.parse::<i32>().map_err(|_| {
            fail(service::ServiceError::Invalid(domain::ParseError::new(
                "entity",
                format!("{e:?} is not an entity id"),
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
pub async fn publish_rating(
    id: i32,
    request: domain::PublishRequest,
) -> Result<i32, ServerFnError> {
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
) -> Result<domain::AppealItem, ServerFnError> {
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
pub async fn resolve_appeal(
    id: i32,
    decision: domain::AppealDecision,
) -> Result<(), ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::appeals::resolve(&cx.services.db, &p, id, &decision, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// The JSON API's reference, from its OpenAPI document.
#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<domain::ApiReference, ServerFnError> {
    Ok((*context()?.api_reference).clone())
}

/// Every integration token (admin).
#[server(endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<domain::ApiToken>, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::feeds::list(&cx.services.db, &p, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Issues an integration token (admin); codes are separated by commas,
/// spaces or lines. The secret comes back this once.
#[server(endpoint = "issue_api_token")]
pub async fn issue_api_token(
    name: String,
    source_system: String,
    indicators: String,
    entities: String,
    expires_on: String,
    locked_indicators: String,
) -> Result<domain::IssuedToken, ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    let codes = |s: &str| {
        s.split([',', ' ', '\n', '\r', '\t', ';'])
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let new = domain::NewApiToken {
        name,
        source_system,
        indicators: codes(&indicators),
        entities: codes(&entities),
        expires_on,
        locked_indicators: codes(&locked_indicators),
    };
    service::feeds::issue(&cx.services.db, &p, &new, chrono::Utc::now())
        .await
        .map_err(fail)
}

/// Revokes an integration token at once (admin).
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i32) -> Result<(), ServerFnError> {
    let cx = context()?;
    let p = require_principal()?;
    service::feeds::revoke(&cx.services.db, &p, id, chrono::Utc::now())
        .await
        .map(|_| ())
        .map_err(fail)
}
