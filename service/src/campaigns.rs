//! Campaigns: creating one with its participants, moving it through its
//! life (draft → open → closed → under review → provisional → appeals →
//! final), the cockpit of live progress, per-entity deadline extensions and
//! reminders. Every change is audited in the transaction that makes it.

use domain::Noun;
use domain::{
    AuditAction, CampaignId, CampaignPulse, CampaignStatus, CampaignSummary, Cockpit, CockpitRow,
    EntityKind, Names, NewCampaign, ObjectType, ParseError, ParticipantId, ParticipantPick, Role,
    StatusCounts, SubmissionStatus,
};
use domain::{Expected, Need};
use domain::{Msg, Step};
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    campaigns, entities, methodology_versions as mv, outbox, participants, role_grants,
    submission_values,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use crate::audit::{self, Actor, Change};
use crate::registry::parse_date;
use crate::scope::entity_ref;
use crate::{Principal, ServiceError, ServiceResult};

/// Roles that run campaigns.
pub const MANAGERS: &[Role] = &[Role::Admin, Role::Methodologist];

pub(crate) use crate::rounds::{deadline_of, load, names, summary};

/// The campaign with `code`.
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> ServiceResult<CampaignId> {
    campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|c| CampaignId(c.id))
        .ok_or_else(|| ServiceError::not_found(Noun::Campaign, code))
}

/// Campaigns a user works on, newest first: all of them for ministry staff
/// and viewers; for an officer, those their entity takes part in.
pub async fn list(
    db: &impl ConnectionTrait,
    who: &Principal,
) -> ServiceResult<Vec<CampaignSummary>> {
    let all = campaigns::Entity::find()
        .order_by_desc(campaigns::Column::OpensOn)
        .order_by_asc(campaigns::Column::EntityKind)
        .all(db)
        .await?;
    let everything = who.user.is_ministry() || who.user.has(Role::Viewer);
    let own: Vec<i32> = who.user.own_entities().map(|e| e.id.0).collect();
    if !everything && own.is_empty() {
        return Err(ServiceError::Forbidden(Msg::CampaignsForStaff));
    }
    let mut out = Vec::new();
    for c in all {
        let parts = participants::Entity::find()
            .filter(participants::Column::CampaignId.eq(c.id))
            .all(db)
            .await?;
        if !everything && !parts.iter().any(|p| own.contains(&p.entity_id)) {
            continue;
        }
        out.push(summary(db, &c, Some(&parts)).await?);
    }
    Ok(out)
}

/// The ministry's dashboard: every campaign not yet final, newest first,
/// with its counts per status, late submissions and undecided appeals.
pub async fn pulse(
    db: &impl ConnectionTrait,
    who: &Principal,
    today: NaiveDate,
) -> ServiceResult<Vec<CampaignPulse>> {
    if !(who.user.is_ministry() || who.user.has(Role::Viewer)) {
        return Err(ServiceError::Forbidden(Msg::StaffOnly));
    }
    let active = campaigns::Entity::find()
        .filter(campaigns::Column::Status.ne(CampaignStatus::Final))
        .order_by_desc(campaigns::Column::OpensOn)
        .order_by_asc(campaigns::Column::EntityKind)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for c in active {
        let parts = participants::Entity::find()
            .filter(participants::Column::CampaignId.eq(c.id))
            .all(db)
            .await?;
        let mut overdue = 0;
        for p in &parts {
            if p.status.editable() && today > deadline_of(&c, p) {
                overdue += 1;
            }
        }
        out.push(CampaignPulse {
            campaign: summary(db, &c, Some(&parts)).await?,
            overdue,
            appeals_pending: u32::try_from(crate::appeals::pending(db, c.id).await?)
                .unwrap_or(u32::MAX),
        });
    }
    Ok(out)
}

/// The officer's own submissions in campaigns that still accept answers
/// (with their deadline) or show provisional results (with the last day to
/// appeal): campaign, participant id, status and that date.
pub async fn due_for(
    db: &impl ConnectionTrait,
    who: &Principal,
) -> ServiceResult<Vec<(CampaignSummary, ParticipantId, SubmissionStatus, String)>> {
    let own: Vec<i32> = who.user.own_entities().map(|e| e.id.0).collect();
    if own.is_empty() {
        return Ok(Vec::new());
    }
    let parts = participants::Entity::find()
        .filter(participants::Column::EntityId.is_in(own))
        .all(db)
        .await?;
    let campaigns: HashMap<i32, campaigns::Model> = campaigns::Entity::find()
        .filter(campaigns::Column::Id.is_in(parts.iter().map(|p| p.campaign_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut out = Vec::new();
    for p in parts {
        let c = campaigns
            .get(&p.campaign_id)
            .ok_or_else(|| ServiceError::missing("campaign", p.campaign_id))?;
        let phase = c.status;
        // Provisional results are due for a look while appeals are open.
        let due = if phase.takes_appeals() {
            c.appeal_until
        } else if phase.accepts_answers() {
            deadline_of(c, &p)
        } else {
            continue;
        };
        out.push((
            summary(db, c, None).await?,
            ParticipantId(p.id),
            p.status,
            due.to_string(),
        ));
    }
    Ok(out)
}

fn parse_code(s: &str) -> Result<String, ParseError> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(s.to_owned())
    } else {
        Err(ParseError::new(
            "code",
            Msg::NotA {
                text: s.to_string(),
                expected: Expected::Slug,
            },
        ))
    }
}

/// Creates a campaign in draft with its participants. Fails, naming the
/// field, on a bad code, period, date order, methodology or participant.
pub async fn create(
    db: &DatabaseConnection,
    who: &Principal,
    input: &NewCampaign,
) -> ServiceResult<CampaignSummary> {
    who.require_any(MANAGERS)?;
    let code = parse_code(&input.code)?;
    let period = domain::parse_period(&input.period)?;
    let dates = Dates::parse(input)?;
    for (field, name) in [
        ("name_uz_latn", &input.names.uz_latn),
        ("name_uz_cyrl", &input.names.uz_cyrl),
        ("name_ru", &input.names.ru),
        ("name_en", &input.names.en),
    ] {
        if name.trim().is_empty() {
            return Err(ParseError::new(
                field,
                Msg::Required {
                    need: Need::NamesInEveryLanguage,
                },
            )
            .into());
        }
    }
    let kind = input.kind;
    let version = pinned_version(db, &input.methodology, kind, dates.opens_on).await?;
    if campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(&code))
        .one(db)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(Msg::Exists {
            what: Noun::Campaign,
            which: code.to_string(),
        }));
    }
    if input.region_review && kind != EntityKind::District {
        return Err(ParseError::new(
            "region_review",
            format!("regions review districts only; this round rates {kind}"),
        )
        .into());
    }
    let members = pick(db, kind, dates.opens_on, &input.participants).await?;

    let tx = db.begin().await?;
    let now = Utc::now();
    let row = campaigns::ActiveModel {
        id: NotSet,
        code: Set(code),
        period: Set(period),
        entity_kind: Set(kind),
        methodology_version_id: Set(version.id),
        status: Set(CampaignStatus::Draft),
        opens_on: Set(dates.opens_on),
        deadline: Set(dates.deadline),
        review_deadline: Set(dates.review_deadline),
        appeal_until: Set(dates.appeal_until),
        created_by: Set(Some(who.user.id.0)),
        created_at: Set(now),
        updated_at: Set(now),
        name_uz_latn: Set(input.names.uz_latn.trim().into()),
        name_uz_cyrl: Set(input.names.uz_cyrl.trim().into()),
        name_ru: Set(input.names.ru.trim().into()),
        name_en: Set(input.names.en.trim().into()),
        region_review: Set(input.region_review),
    }
    .insert(&tx)
    .await?;
    let rows: Vec<participants::ActiveModel> = members
        .iter()
        .map(|e| participants::ActiveModel {
            id: NotSet,
            campaign_id: Set(row.id),
            entity_id: Set(e.id),
            status: Set(SubmissionStatus::NotStarted),
            deadline_override: Set(None),
            submitted_at: Set(None),
            approved_at: Set(None),
            version: Set(0),
            updated_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(200) {
        participants::Entity::insert_many(chunk.to_vec())
            .exec(&tx)
            .await?;
    }
    let codes: Vec<&str> = members.iter().map(|e| e.code.as_str()).collect();
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::CampaignCreate,
            object_type: ObjectType::Campaign,
            object_id: row.id.to_string(),
            before: None,
            after: Some(&serde_json::json!({ "campaign": &row, "participants": codes })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    summary(db, &row, None).await
}

/// A new campaign's four dates.
struct Dates {
    opens_on: NaiveDate,
    deadline: NaiveDate,
    review_deadline: NaiveDate,
    appeal_until: NaiveDate,
}

impl Dates {
    /// The dates of a new campaign, each parsed, in the order open →
    /// deadline → review → appeals.
    fn parse(input: &NewCampaign) -> ServiceResult<Self> {
        let opens_on = parse_date("opens_on", &input.opens_on)?;
        let deadline = parse_date("deadline", &input.deadline)?;
        let review_deadline = parse_date("review_deadline", &input.review_deadline)?;
        let appeal_until = parse_date("appeal_until", &input.appeal_until)?;
        for (field, earlier, later) in [
            ("deadline", opens_on, deadline),
            ("review_deadline", deadline, review_deadline),
            ("appeal_until", review_deadline, appeal_until),
        ] {
            if later < earlier {
                return Err(ParseError::new(
                    field,
                    format!("{later} is before {earlier}: dates must follow open → deadline → review → appeals"),
                )
                .into());
            }
        }
        Ok(Self {
            opens_on,
            deadline,
            review_deadline,
            appeal_until,
        })
    }
}

/// The methodology version a new campaign pins (`code@version`): stored,
/// applying to the campaign's kind, and valid when it opens.
async fn pinned_version(
    db: &impl ConnectionTrait,
    methodology: &str,
    kind: EntityKind,
    opens_on: NaiveDate,
) -> ServiceResult<mv::Model> {
    let (mcode, mversion) = methodology.split_once('@').ok_or_else(|| {
        ParseError::new(
            "methodology",
            Msg::NotA {
                text: methodology.to_string(),
                expected: Expected::VersionName,
            },
        )
    })?;
    let version = mv::Entity::find()
        .filter(mv::Column::Code.eq(mcode))
        .filter(mv::Column::Version.eq(mversion))
        .one(db)
        .await?
        .ok_or_else(|| {
            ParseError::new(
                "methodology",
                Msg::NotFound {
                    what: Noun::MethodologyVersion,
                    which: methodology.to_string(),
                },
            )
        })?;
    if !version
        .applies_to
        .split(',')
        .any(|k| k.trim() == kind.as_str())
    {
        return Err(ParseError::new(
            "methodology",
            format!(
                "{methodology} applies to {}, not to {kind}",
                version.applies_to
            ),
        )
        .into());
    }
    if version.valid_from > opens_on {
        return Err(ParseError::new(
            "methodology",
            format!(
                "{methodology} is valid from {}, after the campaign opens",
                version.valid_from
            ),
        )
        .into());
    }
    Ok(version)
}

/// The entities a pick selects, valid on `day`. Districts NIS does not
/// assess separately (`rated = false`) are left out of "all" and region
/// picks; listed codes must each name an entity of the kind, valid that day.
async fn pick(
    db: &impl ConnectionTrait,
    kind: EntityKind,
    day: NaiveDate,
    how: &ParticipantPick,
) -> ServiceResult<Vec<entities::Model>> {
    let of_kind: Vec<entities::Model> = entities::Entity::find()
        .filter(entities::Column::Kind.eq(kind.as_str()))
        .order_by_asc(entities::Column::Code)
        .all(db)
        .await?;
    let valid = |e: &entities::Model| crate::registry::valid_on(e, day);
    let out: Vec<entities::Model> = match how {
        ParticipantPick::AllOfKind => of_kind
            .into_iter()
            .filter(|e| valid(e) && (kind != EntityKind::District || e.rated))
            .collect(),
        ParticipantPick::Region(code) => {
            let region = entities::Entity::find()
                .filter(entities::Column::Code.eq(code.trim()))
                .filter(entities::Column::Kind.eq(EntityKind::Region))
                .one(db)
                .await?
                .ok_or_else(|| {
                    ParseError::new(
                        "participants",
                        Msg::NotFound {
                            what: Noun::Region,
                            which: code.to_string(),
                        },
                    )
                })?;
            of_kind
                .into_iter()
                .filter(|e| e.id == region.id || e.region_id == Some(region.id))
                .filter(|e| valid(e) && (kind != EntityKind::District || e.rated))
                .collect()
        }
        ParticipantPick::Codes(codes) => {
            let by_code: HashMap<&str, &entities::Model> =
                of_kind.iter().map(|e| (e.code.as_str(), e)).collect();
            let mut out = Vec::new();
            for (i, code) in codes.iter().enumerate() {
                let code = code.trim();
                if code.is_empty() {
                    continue;
                }
                let e = by_code.get(code).ok_or_else(|| {
                    ParseError::new(
                        "participants",
                        format!("item {}: no {kind} with code {code:?}", i + 1),
                    )
                })?;
                if !valid(e) {
                    return Err(ParseError::new(
                        "participants",
                        format!("item {}: {code} is not valid on {day}", i + 1),
                    )
                    .into());
                }
                if !out.iter().any(|x: &entities::Model| x.id == e.id) {
                    out.push((*e).clone());
                }
            }
            out
        }
    };
    if out.is_empty() {
        return Err(ParseError::new("participants", "the pick selects no entity").into());
    }
    Ok(out)
}

/// Moves a campaign one step on, from `from` (so a double click cannot move
/// it twice). Opening freezes the methodology and prefills answers from
/// each entity's previous campaign.
pub async fn advance(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
    from: CampaignStatus,
    reason: Option<&str>,
) -> ServiceResult<CampaignSummary> {
    who.require_any(MANAGERS)?;
    let tx = db.begin().await?;
    let c = load(&tx, id).await?;
    let current = c.status;
    if current != from {
        return Err(ServiceError::Conflict(Msg::WrongState {
            campaign: c.code.clone(),
            current,
            expected: from,
        }));
    }
    let to = current.next().ok_or_else(|| {
        ServiceError::Conflict(Msg::CampaignFinal {
            campaign: c.code.clone(),
        })
    })?;
    match to {
        CampaignStatus::Provisional => {
            let waiting = participants::Entity::find()
                .filter(participants::Column::CampaignId.eq(c.id))
                .filter(
                    participants::Column::Status
                        .is_in([SubmissionStatus::Submitted, SubmissionStatus::Endorsed]),
                )
                .count(&tx)
                .await?;
            if waiting > 0 {
                return Err(ServiceError::Conflict(Msg::WaitingReview { n: waiting }));
            }
        }
        CampaignStatus::Final => {
            let open = crate::appeals::pending(&tx, c.id).await?;
            if open > 0 {
                return Err(ServiceError::Conflict(Msg::AppealsOpen { n: open as u64 }));
            }
        }
        _ => {}
    }
    let mut am: campaigns::ActiveModel = c.clone().into();
    am.status = Set(to);
    am.updated_at = Set(Utc::now());
    let after = am.update(&tx).await?;
    let prefilled = if to == CampaignStatus::Open {
        crate::submissions::write::prefill(&tx, &after).await?
    } else {
        0
    };
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::CampaignTransition,
            object_type: ObjectType::Campaign,
            object_id: c.id.to_string(),
            before: Some(&serde_json::json!({ "status": current })),
            after: Some(&serde_json::json!({ "status": to, "prefilled_values": prefilled })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    summary(db, &after, None).await
}

/// Gives one entity a later deadline; a reason is required and recorded.
pub async fn extend_deadline(
    db: &DatabaseConnection,
    who: &Principal,
    participant: ParticipantId,
    until: &str,
    reason: &str,
) -> ServiceResult<()> {
    who.require_any(MANAGERS)?;
    let until = parse_date("until", until)?;
    if reason.trim().is_empty() {
        return Err(ParseError::new("reason", Msg::Required { need: Need::Reason }).into());
    }
    let tx = db.begin().await?;
    let p = participants::Entity::find_by_id(participant.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Submission, participant))?;
    let c = load(&tx, CampaignId(p.campaign_id)).await?;
    if until <= c.deadline {
        return Err(ParseError::new(
            "until",
            format!(
                "{until} is not after the campaign's deadline {}",
                c.deadline
            ),
        )
        .into());
    }
    let before = p.deadline_override;
    let mut am: participants::ActiveModel = p.into();
    am.deadline_override = Set(Some(until));
    am.updated_at = Set(Utc::now());
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::ParticipantExtend,
            object_type: ObjectType::Participant,
            object_id: participant.to_string(),
            before: Some(&serde_json::json!({ "deadline": before.unwrap_or(c.deadline) })),
            after: Some(&serde_json::json!({ "deadline": until })),
            reason: Some(reason.trim()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a reminder (in-app and e-mail outbox) to every officer of every
/// entity that has not submitted; returns how many people were reminded.
pub async fn remind(
    db: &DatabaseConnection,
    who: &Principal,
    id: CampaignId,
) -> ServiceResult<u32> {
    who.require_any(MANAGERS)?;
    let tx = db.begin().await?;
    let c = load(&tx, id).await?;
    if c.status != CampaignStatus::Open {
        return Err(ServiceError::Conflict(Msg::NotAtThisStage {
            campaign: c.code.clone(),
            status: c.status,
            step: Step::Remind,
        }));
    }
    let waiting: Vec<participants::Model> = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .all(&tx)
        .await?
        .into_iter()
        .filter(|p| Some(p.status).is_some_and(|s| s.editable()))
        .collect();
    let entity_ids: Vec<i32> = waiting.iter().map(|p| p.entity_id).collect();
    let deadline: HashMap<i32, NaiveDate> = waiting
        .iter()
        .map(|p| (p.entity_id, deadline_of(&c, p)))
        .collect();
    let grants = role_grants::Entity::find()
        .filter(role_grants::Column::EntityId.is_in(entity_ids))
        .filter(role_grants::Column::RevokedAt.is_null())
        .filter(role_grants::Column::Role.is_in([Role::Cdo, Role::District]))
        .all(&tx)
        .await?;
    let now = Utc::now();
    let mut n = 0;
    for g in &grants {
        let Some(eid) = g.entity_id else { continue };
        let day = deadline.get(&eid).copied().unwrap_or(c.deadline);
        let subject = format!("{}: submission due {day}", c.name_en);
        let body = format!(
            "Your submission for \"{}\" ({}) is not yet sent. The deadline is {day}.",
            c.name_en, c.period
        );
        for channel in ["in_app", "email"] {
            outbox::ActiveModel {
                id: NotSet,
                user_id: Set(Some(g.user_id)),
                channel: Set(channel.into()),
                subject: Set(subject.clone()),
                body: Set(body.clone()),
                created_at: Set(now),
                sent_at: Set(None),
                read_at: Set(None),
            }
            .insert(&tx)
            .await?;
        }
        n += 1;
    }
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::CampaignRemind,
            object_type: ObjectType::Campaign,
            object_id: c.id.to_string(),
            before: None,
            after: Some(&serde_json::json!({ "reminded": n, "entities": waiting.len() })),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The user's unread in-app messages, newest first: subject, body, when.
pub async fn inbox(
    db: &impl ConnectionTrait,
    who: &Principal,
) -> ServiceResult<Vec<(String, String, String)>> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::UserId.eq(who.user.id.0))
        .filter(outbox::Column::Channel.eq("in_app"))
        .filter(outbox::Column::ReadAt.is_null())
        .order_by_desc(outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.subject, m.body, m.created_at.to_rfc3339()))
        .collect())
}

/// How many questions `m` asks (formulas are computed, not asked), and how
/// many of them each of the submissions `ids` has answered.
pub(crate) async fn answered(
    db: &impl ConnectionTrait,
    m: &methodology::Methodology,
    ids: &[i32],
) -> ServiceResult<(u32, HashMap<i32, u32>)> {
    let asked: Vec<&str> = m
        .indicators()
        .filter(|(_, _, ind)| {
            !matches!(ind.kind, methodology::model::IndicatorKind::Formula { .. })
        })
        .map(|(i, _, _)| m.nodes[i].code.as_str())
        .collect();
    let mut answered: HashMap<i32, u32> = HashMap::new();
    for chunk in ids.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if asked.contains(&v.indicator_code.as_str()) && v.value != "null" {
                *answered.entry(v.participant_id).or_default() += 1;
            }
        }
    }
    Ok((asked.len() as u32, answered))
}

/// Live progress of a campaign: every participant's status, answers given,
/// deadline and open problems, and counts per region.
pub async fn cockpit(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: CampaignId,
    now: DateTime<Utc>,
) -> ServiceResult<Cockpit> {
    if !(who.user.is_ministry() || who.user.has(Role::Viewer)) {
        return Err(ServiceError::Forbidden(Msg::StaffOnly));
    }
    let c = load(db, id).await?;
    let parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .all(db)
        .await?;
    let campaign = summary(db, &c, Some(&parts)).await?;
    let m = crate::methodologies::load(db, c.methodology_version_id).await?;
    let ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    let (questions, answered) = answered(db, &m, &ids).await?;
    let all_entities = crate::registry::by_id(db).await?;
    let today = now.date_naive();
    let mut rows = Vec::new();
    let mut regions: Vec<(Option<domain::EntityId>, Names, StatusCounts)> = Vec::new();
    for p in &parts {
        let Some(e) = all_entities.get(&p.entity_id) else {
            continue;
        };
        let status = p.status;
        let region = e.region_id.and_then(|r| all_entities.get(&r));
        let deadline = deadline_of(&c, p);
        let si = SubmissionStatus::ALL
            .iter()
            .position(|x| *x == status)
            .unwrap_or(0);
        let (rid, rnames) = match region {
            Some(r) => (Some(domain::EntityId(r.id)), crate::registry::names(r)),
            None => (None, Names::default()),
        };
        match regions.iter_mut().find(|(id, _, _)| *id == rid) {
            Some((_, _, counts)) => counts[si] += 1,
            None => {
                let mut counts: StatusCounts = Default::default();
                counts[si] = 1;
                regions.push((rid, rnames, counts));
            }
        }
        rows.push(CockpitRow {
            participant: ParticipantId(p.id),
            entity: entity_ref(e),
            region: region.map(crate::registry::names),
            status,
            answered: answered.get(&p.id).copied().unwrap_or(0),
            questions,
            deadline: deadline.to_string(),
            extended: p.deadline_override.is_some(),
            overdue: status.editable() && today > deadline,
        });
    }
    rows.sort_by(|a, b| a.entity.names.en.cmp(&b.entity.names.en));
    regions.sort_by(|a, b| a.1.en.cmp(&b.1.en));
    let reminders_sent =
        audit::count(db, AuditAction::CampaignRemind, &c.id.to_string()).await? as u32;
    Ok(Cockpit {
        campaign,
        rows,
        regions,
        reminders_sent,
    })
}
