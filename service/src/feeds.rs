//! Automatic feeds (NIS.UZ's "automatic mode"): integration tokens that
//! ministry admins issue to other government systems, and the push of an
//! entity's values in a campaign through the JSON API, by a feed or by the
//! entity's own officer.
//!
//! A token is bound to a source system, the indicators and entities it may
//! write, an expiry, and whether its values are locked against manual
//! edits; only its SHA-256 is stored. A push is all or nothing: every value
//! is checked first and any problem (each named by a JSON pointer into the
//! request) writes nothing; a clean push writes every change in one
//! transaction through the form's versioned write, so the value records its
//! source and the submission's history shows the feed. A push sent with an
//! idempotency key is answered once: a retry gets the kept report.

use domain::Expected;
use domain::Msg;
use domain::Noun;
use domain::{
    ApiToken, AuditAction, FeedChange, FeedPush, FeedReport, IssuedToken, NewApiToken, ObjectType,
    ParseError, ParticipantId, Role,
};
use methodology::number::Notation;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{api_tokens, entities, idempotent_requests, participants, submission_values, users};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
    sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Change};
use crate::submissions::access::{Loaded, load};
use crate::submissions::answers::{json_of, parse_answer, text_of};
use crate::submissions::evidence::url_evidence;
use crate::submissions::write::{Write, Writer, write_many};
use crate::{Principal, Rejection, ServiceError, ServiceResult};

/// What every token secret starts with, so the server tells a feed's token
/// from a person's access token without trying both.
pub const TOKEN_PREFIX: &str = "drj_";

/// The longest a token may live.
const MAX_LIFETIME_DAYS: i64 = 730;

/// Sources a token may not claim: they name how people enter values.
const RESERVED_SOURCES: &[&str] = &["person", "prefill", "import", "system"];

use crate::submissions::write::Allowed;
pub use crate::submissions::write::Feed;

fn owner_of(by: Writer<'_>) -> String {
    match by {
        Writer::Person(p) => format!("user:{}", p.user.id),
        Writer::Feed(f) => format!("token:{}", f.token_id),
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

// ---------------------------------------------------------------- tokens

fn token_of(row: &api_tokens::Model, by: &HashMap<i32, String>, now: DateTime<Utc>) -> ApiToken {
    let codes = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
    ApiToken {
        id: row.id,
        name: row.name.clone(),
        source_system: row.source_system.clone(),
        indicators: codes(&row.allowed_indicators),
        entities: codes(&row.allowed_entities),
        locked_indicators: codes(&row.locked_indicators),
        created_by: row
            .created_by
            .and_then(|u| by.get(&u).cloned())
            .unwrap_or_default(),
        created_at: row.created_at.to_rfc3339(),
        expires_at: row.expires_at.to_rfc3339(),
        last_day: (row.expires_at - Duration::seconds(1))
            .date_naive()
            .to_string(),
        revoked_at: row.revoked_at.map(|t| t.to_rfc3339()),
        last_used_at: row.last_used_at.map(|t| t.to_rfc3339()),
        active: row.revoked_at.is_none() && row.expires_at > now,
    }
}

async fn creators(
    db: &impl ConnectionTrait,
    rows: &[api_tokens::Model],
) -> ServiceResult<HashMap<i32, String>> {
    let ids: Vec<i32> = rows.iter().filter_map(|r| r.created_by).collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

/// Every indicator code of every stored methodology version.
async fn known_indicators(db: &impl ConnectionTrait) -> ServiceResult<HashSet<String>> {
    let mut out = HashSet::new();
    for row in entity::methodology_versions::Entity::find().all(db).await? {
        let m = crate::methodologies::load(db, row.id).await?;
        out.extend(m.indicators().map(|(_, n, _)| n.code.clone()));
    }
    Ok(out)
}

/// Trimmed, de-duplicated codes; `*` alone stands for all.
fn code_list(field: &'static str, codes: &[String]) -> ServiceResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for c in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if c.chars().any(char::is_whitespace) {
            return Err(ParseError::new(
                field,
                Msg::NotA {
                    text: c.to_string(),
                    expected: Expected::Code,
                },
            )
            .into());
        }
        if !out.iter().any(|o| o == c) {
            out.push(c.to_owned());
        }
    }
    if out.is_empty() {
        return Err(ParseError::new(field, "name at least one code, or * for all").into());
    }
    if out.len() > 1 && out.iter().any(|c| c == "*") {
        return Err(ParseError::new(field, "* stands for all: give it alone").into());
    }
    Ok(out)
}

/// Issues a token (admin). The secret is in the answer and nowhere else.
pub async fn issue(
    db: &DatabaseConnection,
    who: &Principal,
    new: &NewApiToken,
    now: DateTime<Utc>,
) -> ServiceResult<IssuedToken> {
    who.require(Role::Admin)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ParseError::new("name", Msg::Length { min: 1, max: 120 }).into());
    }
    let source = source_system(&new.source_system)?;
    let TokenScope {
        indicators,
        locked,
        entities,
    } = token_scope(db, new).await?;
    let expires_at = expiry(&new.expires_on, now)?;
    let secret = format!("{TOKEN_PREFIX}{}", crate::auth::random_token());
    let to_json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    let tx = db.begin().await?;
    let row = api_tokens::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        source_system: Set(source),
        token_hash: Set(hex_sha256(secret.as_bytes())),
        allowed_indicators: Set(to_json(&indicators)),
        allowed_entities: Set(to_json(&entities)),
        created_by: Set(Some(who.user.id.0)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        locked_indicators: Set(to_json(&locked)),
        last_used_at: Set(None),
    }
    .insert(&tx)
    .await?;
    let token = token_of(
        &row,
        &HashMap::from([(who.user.id.0, who.user.email.clone())]),
        now,
    );
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::ApiTokenIssue,
            object_type: ObjectType::ApiToken,
            object_id: row.id.to_string(),
            before: None::<&()>,
            after: Some(&token),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedToken { token, secret })
}

/// A token's source system, lower-cased: 1 to 64 letters, digits, dots,
/// dashes or underscores, and none of the names of how people enter values.
fn source_system(given: &str) -> ServiceResult<String> {
    let source = given.trim().to_lowercase();
    let source_ok = !source.is_empty()
        && source.len() <= 64
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !source_ok {
        return Err(ParseError::new(
            "source_system",
            "the source system is 1 to 64 letters, digits, dots, dashes or underscores (e.g. my.gov.uz)",
        )
        .into());
    }
    if RESERVED_SOURCES.contains(&source.as_str()) {
        return Err(ParseError::new(
            "source_system",
            format!("{source:?} names how people enter values; choose the system's own name"),
        )
        .into());
    }
    Ok(source)
}

/// What a new token may write, each list checked: `["*"]` or known codes.
struct TokenScope {
    indicators: Vec<String>,
    /// The indicators whose values it locks against manual edits.
    locked: Vec<String>,
    entities: Vec<String>,
}

/// The indicators, locked indicators and entities of a new token, each
/// code found in a stored methodology or the registry.
async fn token_scope(db: &impl ConnectionTrait, new: &NewApiToken) -> ServiceResult<TokenScope> {
    let indicators = code_list("indicators", &new.indicators)?;
    if indicators != ["*"] {
        let known = known_indicators(db).await?;
        if let Some(bad) = indicators.iter().find(|c| !known.contains(*c)) {
            return Err(ParseError::new(
                "indicators",
                format!("no methodology has an indicator {bad:?}"),
            )
            .into());
        }
    }
    let locked = if new.locked_indicators.iter().all(|c| c.trim().is_empty()) {
        Vec::new()
    } else {
        code_list("locked_indicators", &new.locked_indicators)?
    };
    if indicators != ["*"]
        && let Some(bad) = locked.iter().find(|c| *c != "*" && !indicators.contains(c))
    {
        return Err(ParseError::new(
            "locked_indicators",
            format!("{bad} is not among the indicators the token writes"),
        )
        .into());
    }
    let entities = code_list("entities", &new.entities)?;
    if entities != ["*"] {
        for code in &entities {
            if crate::registry::find_by_code(db, code).await?.is_none() {
                return Err(ParseError::new(
                    "entities",
                    Msg::NotFound {
                        what: Noun::Entity,
                        which: code.to_string(),
                    },
                )
                .into());
            }
        }
    }
    Ok(TokenScope {
        indicators,
        locked,
        entities,
    })
}

/// When a token whose last day is `expires_on` stops working: the midnight
/// after it, the last day between today and [`MAX_LIFETIME_DAYS`] ahead.
fn expiry(expires_on: &str, now: DateTime<Utc>) -> ServiceResult<DateTime<Utc>> {
    let last_day = crate::registry::parse_date("expires_on", expires_on)?;
    let today = now.date_naive();
    if last_day < today || last_day > today + Duration::days(MAX_LIFETIME_DAYS) {
        return Err(ParseError::new(
            "expires_on",
            format!("the last day must be between today and {MAX_LIFETIME_DAYS} days ahead"),
        )
        .into());
    }
    last_day
        .succ_opt()
        .unwrap_or(last_day)
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| ServiceError::shape("every day has a midnight"))
}

/// Every token, newest first (admin).
pub async fn list(
    db: &DatabaseConnection,
    who: &Principal,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<ApiToken>> {
    who.require(Role::Admin)?;
    let rows = api_tokens::Entity::find()
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await?;
    let by = creators(db, &rows).await?;
    Ok(rows.iter().map(|r| token_of(r, &by, now)).collect())
}

/// Revokes a token at once (admin), audited.
pub async fn revoke(
    db: &DatabaseConnection,
    who: &Principal,
    id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<ApiToken> {
    who.require(Role::Admin)?;
    let tx = db.begin().await?;
    let row = api_tokens::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Token, id))?;
    if row.revoked_at.is_some() {
        return Err(ServiceError::Conflict(Msg::AlreadyDone {
            what: Noun::Token,
            which: id.to_string(),
        }));
    }
    let by = creators(&tx, std::slice::from_ref(&row)).await?;
    let before = token_of(&row, &by, now);
    let mut am: api_tokens::ActiveModel = row.into();
    am.revoked_at = Set(Some(now));
    let row = am.update(&tx).await?;
    let after = token_of(&row, &by, now);
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::ApiTokenRevoke,
            object_type: ObjectType::ApiToken,
            object_id: id.to_string(),
            before: Some(&before),
            after: Some(&after),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The feed a token secret stands for, or why it is refused (unknown,
/// revoked, expired). Notes when it was last used, at most once a minute.
pub async fn authenticate(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Result<Feed, String>> {
    let refused = |why: &str| Ok(Err(why.to_owned()));
    if !secret.starts_with(TOKEN_PREFIX) {
        return refused("not an integration token");
    }
    let Some(row) = api_tokens::Entity::find()
        .filter(api_tokens::Column::TokenHash.eq(hex_sha256(secret.as_bytes())))
        .one(db)
        .await?
    else {
        return refused("unknown token");
    };
    if let Some(at) = row.revoked_at {
        return refused(&format!(
            "the token was revoked on {}",
            at.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if row.expires_at <= now {
        return refused(&format!(
            "the token expired on {}",
            row.expires_at.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    if row
        .last_used_at
        .is_none_or(|t| now - t > Duration::seconds(60))
    {
        api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::LastUsedAt, Expr::value(now))
            .filter(api_tokens::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Ok(Feed {
        token_id: row.id,
        label: format!("feed:{}#{}", row.source_system, row.id),
        name: row.name,
        source_system: row.source_system,
        locked: Allowed::of(&row.locked_indicators),
        indicators: Allowed::of(&row.allowed_indicators),
        entities: Allowed::of(&row.allowed_entities),
    }))
}

// ------------------------------------------------------------------ push

/// What a push returned.
#[derive(Debug, Clone)]
pub enum Pushed {
    /// Checked (and, unless a dry run, written) now.
    Done(FeedReport),
    /// A retry with the same idempotency key: the report of the first time.
    Replayed(FeedReport),
}

fn problem(pointer: String, msg: impl Into<Msg>) -> Rejection {
    Rejection {
        pointer,
        msg: msg.into(),
    }
}

/// A value that passed its checks, ready to write.
struct Planned {
    code: String,
    json: String,
    comment: Option<String>,
    expected: i32,
    change: Option<FeedChange>,
    links: Vec<String>,
}

/// Checks a push and, unless `dry_run` or anything is wrong, writes it.
/// With `idempotency_key`, a repeat of the same request gets the first
/// report back and writes nothing; the same key with another request is
/// refused.
pub async fn push(
    db: &DatabaseConnection,
    by: Writer<'_>,
    req: &FeedPush,
    dry_run: bool,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<Pushed> {
    let owner = owner_of(by);
    let request_sha = hex_sha256(format!("{}|{}", dry_run, serde_json::to_string(req)?).as_bytes());
    if let Some(key) = idempotency_key {
        if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ParseError::new(
                "Idempotency-Key",
                "the key is 1 to 255 visible ASCII characters",
            )
            .into());
        }
        if let Some(kept) = kept(db, &owner, key).await? {
            return replay(kept, &request_sha, key);
        }
    }

    let l = load(db, target(db, req).await?).await?;
    admit(db, by, &l, now.date_naive()).await?;
    let plan = plan_push(db, by, &l, req).await?;
    let mut report = FeedReport {
        campaign: l.campaign.code.clone(),
        entity: l.entity.code.clone(),
        submission: ParticipantId(l.participant.id),
        dry_run,
        applied: false,
        changes: plan.iter().filter_map(|p| p.change.clone()).collect(),
        unchanged: plan.iter().filter(|p| p.change.is_none()).count(),
        evidence_added: plan.iter().map(|p| p.links.len()).sum(),
    };
    if dry_run {
        return Ok(Pushed::Done(report));
    }

    let tx = crate::db::begin_write(db).await?;
    let writes: Vec<Write<'_>> = plan
        .iter()
        .filter(|p| p.change.is_some())
        .map(|p| Write {
            code: &p.code,
            json: &p.json,
            comment: p.comment.clone(),
            expected: p.expected,
        })
        .collect();
    if let Err(e) = write_many(&tx, by, &l, &writes, now).await {
        tx.rollback().await?;
        return Err(lost_push(e));
    }
    add_links(&tx, by, &l, &plan, now).await?;
    report.applied = true;
    l.record_as(
        &tx,
        &by.actor(),
        AuditAction::FeedPush,
        None::<&()>,
        Some(&serde_json::json!({
            "source": by.source(),
            "changed": report.changes.len(),
            "unchanged": report.unchanged,
            "evidence_added": report.evidence_added,
            "idempotency_key": idempotency_key,
        })),
        None,
    )
    .await?;
    if let Some(key) = idempotency_key
        && !keep(&tx, &owner, key, &request_sha, &report, now).await?
    {
        // The same key arrived twice at once and the other request
        // committed first: its answer stands, this one writes nothing.
        tx.rollback().await?;
        return match kept(db, &owner, key).await? {
            Some(kept) => replay(kept, &request_sha, key),
            None => Err(ServiceError::Conflict(Msg::IdempotencyBusy)),
        };
    }
    tx.commit().await?;
    Ok(Pushed::Done(report))
}

/// Refuses a push the writer may not make: a person who may not edit the
/// submission now, or a feed whose token does not admit the entity (or its
/// region) or whose submission is past taking values.
async fn admit(
    db: &DatabaseConnection,
    by: Writer<'_>,
    l: &Loaded,
    today: chrono::NaiveDate,
) -> ServiceResult<()> {
    match by {
        Writer::Person(p) => {
            l.readable_by(p)?;
            l.require_editable(p, today)?;
        }
        Writer::Feed(f) => {
            let region_code = match l.entity.region_id {
                Some(r) => entities::Entity::find_by_id(r)
                    .one(db)
                    .await?
                    .map(|e| e.code),
                None => None,
            };
            let admitted = f.entities.admits(&l.entity.code)
                || region_code.is_some_and(|c| f.entities.admits(&c));
            if !admitted {
                return Err(ServiceError::Forbidden(Msg::TokenScope {
                    entity: l.entity.code.clone(),
                }));
            }
            if let Some(why) = l.state_refusal(today) {
                return Err(ServiceError::Conflict(why));
            }
        }
    }
    Ok(())
}

/// Every value of a push checked against the stored answers and evidence:
/// the plan, or every problem.
async fn plan_push(
    db: &DatabaseConnection,
    by: Writer<'_>,
    l: &Loaded,
    req: &FeedPush,
) -> ServiceResult<Vec<Planned>> {
    let current: HashMap<String, submission_values::Model> = l.values_by_code(db).await?;
    let attached: HashSet<(String, String)> = l
        .evidence(db)
        .await?
        .into_iter()
        .filter_map(|e| e.url.map(|u| (e.indicator_code, u)))
        .collect();
    let (plan, problems) = check(l, by, req, &current, &attached);
    if !problems.is_empty() {
        return Err(ServiceError::Rejected(problems));
    }
    Ok(plan)
}

/// A push's failed write as its answer: a value saved meanwhile by someone
/// else is a conflict (or the lost write's own failure).
fn lost_push(e: ServiceError) -> ServiceError {
    let ServiceError::Lost(lost) = e else {
        return e;
    };
    match lost.failure() {
        Some(e) => e.into(),
        None => ServiceError::Conflict(Msg::PushRaced),
    }
}

/// Attaches the push's new evidence links, each tracked and audited.
async fn add_links(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    l: &Loaded,
    plan: &[Planned],
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    for p in plan {
        for link in &p.links {
            let row = url_evidence(l, by.user_id(), &p.code, link, now)
                .insert(tx)
                .await?;
            crate::links::track(tx, [link.as_str()], now).await?;
            l.record_as(
                tx,
                &by.actor(),
                AuditAction::EvidenceAdd,
                None::<&()>,
                Some(&row),
                None,
            )
            .await?;
        }
    }
    Ok(())
}

/// Keeps a push's report under its idempotency key; `false` when the key
/// was kept meanwhile by another request.
async fn keep(
    tx: &DatabaseTransaction,
    owner: &str,
    key: &str,
    request_sha: &str,
    report: &FeedReport,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let body = serde_json::to_string(report)?;
    let keep = idempotent_requests::ActiveModel {
        id: NotSet,
        owner: Set(owner.to_owned()),
        idempotency_key: Set(key.to_owned()),
        request_sha256: Set(request_sha.to_owned()),
        status: Set(200),
        body: Set(body),
        created_at: Set(now),
    }
    .insert(tx)
    .await;
    Ok(keep.is_ok())
}

async fn kept(
    db: &DatabaseConnection,
    owner: &str,
    key: &str,
) -> ServiceResult<Option<idempotent_requests::Model>> {
    Ok(idempotent_requests::Entity::find()
        .filter(idempotent_requests::Column::Owner.eq(owner))
        .filter(idempotent_requests::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

fn replay(kept: idempotent_requests::Model, request_sha: &str, key: &str) -> ServiceResult<Pushed> {
    if kept.request_sha256 != request_sha {
        return Err(ParseError::new(
            "Idempotency-Key",
            format!("{key:?} was used for a different request; use a new key for new data"),
        )
        .into());
    }
    serde_json::from_str(&kept.body)
        .map(Pushed::Replayed)
        .map_err(ServiceError::unreadable("kept response", key))
}

/// The entity's submission in the campaign, from the codes.
async fn target(db: &DatabaseConnection, req: &FeedPush) -> ServiceResult<ParticipantId> {
    let campaign = entity::campaigns::Entity::find()
        .filter(entity::campaigns::Column::Code.eq(req.campaign.trim()))
        .one(db)
        .await?;
    let entity = crate::registry::find_by_code(db, req.entity.trim()).await?;
    let mut problems = Vec::new();
    if campaign.is_none() {
        problems.push(problem(
            "/campaign".into(),
            format!("no campaign has the code {:?}", req.campaign),
        ));
    }
    if entity.is_none() {
        problems.push(problem(
            "/entity".into(),
            format!("no entity has the code, SOATO or TIN {:?}", req.entity),
        ));
    }
    let (Some(c), Some(e)) = (campaign, entity) else {
        return Err(ServiceError::Rejected(problems));
    };
    let participant = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .filter(participants::Column::EntityId.eq(e.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            ServiceError::Rejected(vec![problem(
                "/entity".into(),
                format!("{} does not take part in {}", e.code, c.code),
            )])
        })?;
    Ok(ParticipantId(participant.id))
}

/// Every value checked against the methodology, the token's indicators,
/// the stored versions and locks: the plan, and every problem.
fn check(
    l: &Loaded,
    by: Writer<'_>,
    req: &FeedPush,
    current: &HashMap<String, submission_values::Model>,
    attached: &HashSet<(String, String)>,
) -> (Vec<Planned>, Vec<Rejection>) {
    let mut plan = Vec::new();
    let mut problems = Vec::new();
    if req.values.is_empty() {
        problems.push(problem("/values".into(), "send at least one value"));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, v) in req.values.iter().enumerate() {
        let at = |field: &str| format!("/values/{i}/{field}");
        let code = v.indicator.trim();
        if let Some(first) = seen.insert(code, i) {
            problems.push(problem(
                at("indicator"),
                format!("{code} is already at /values/{first}"),
            ));
            continue;
        }
        if let Writer::Feed(f) = by
            && !f.indicators.admits(code)
        {
            problems.push(problem(
                at("indicator"),
                format!("the token may not write {code}"),
            ));
            continue;
        }
        let text = v.value.as_ref().map(|a| a.to_text());
        let answer = match parse_answer(&l.m, code, text.as_deref(), Notation::Machine, None) {
            Ok((_, answer)) => answer,
            Err(ServiceError::Invalid(e)) => {
                problems.push(problem(at(e.field), e.message));
                continue;
            }
            Err(e) => {
                problems.push(problem(at("value"), e.to_string()));
                continue;
            }
        };
        let stored = current.get(code);
        let stored_version = stored.map_or(0, |s| s.version);
        if let Some(sent) = v.version
            && sent != stored_version
        {
            problems.push(problem(
                at("version"),
                format!("{code} is at version {stored_version}, not {sent}: read it again"),
            ));
            continue;
        }
        if let Some(s) = stored
            && s.locked
            && s.source != by.source()
        {
            problems.push(problem(
                at("indicator"),
                format!("{code} comes from {} and is locked", s.source),
            ));
            continue;
        }
        let comment = match &v.comment {
            None => stored.and_then(|s| s.comment.clone()),
            Some(c) if c.chars().count() > 2000 => {
                problems.push(problem(at("comment"), "at most 2000 characters"));
                continue;
            }
            Some(c) => Some(c.trim().to_owned()).filter(|c| !c.is_empty()),
        };
        let mut links = Vec::new();
        for (j, link) in v.evidence.iter().enumerate() {
            let link = link.trim();
            if !methodology::value::is_url(link) {
                problems.push(problem(
                    format!("/values/{i}/evidence/{j}"),
                    Msg::NotAUrl {
                        text: link.to_string(),
                    },
                ));
            } else if !attached.contains(&(code.to_owned(), link.to_owned()))
                && !links.iter().any(|l| l == link)
            {
                links.push(link.to_owned());
            }
        }
        let json = json_of(&answer);
        let same = stored.is_some_and(|s| {
            s.value == json
                && s.comment == comment
                && s.source == by.source()
                && s.locked == by.locks(code)
        }) || (stored.is_none() && answer.is_none());
        let change = (!same).then(|| FeedChange {
            indicator: code.to_owned(),
            before: stored.and_then(|s| text_of(&s.value)),
            after: answer.as_ref().map(methodology::value::Value::to_text),
            version: stored_version + 1,
        });
        plan.push(Planned {
            code: code.to_owned(),
            json,
            comment,
            expected: stored_version,
            change,
            links,
        });
    }
    (plan, problems)
}
