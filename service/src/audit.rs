//! The append-only audit log. This module is the only writer of
//! `audit_log`, and it only ever inserts.

use crate::{Principal, ServiceResult};
use chrono::Utc;
use domain::{AuditAction, AuditEntry, ObjectType};
use entity::audit_log;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;

/// Who did something: a person, or the system itself (seeding, demo data).
#[derive(Debug, Clone)]
pub enum Actor<'a> {
    /// A signed-in person.
    User(&'a Principal),
    /// The system, named (`seed`, `demo`, `scheduler`).
    System(&'static str),
    /// An automatic feed, by its label (`feed:<source system>#<token id>`).
    Feed(&'a str),
}

impl Actor<'_> {
    /// The person's user id; `None` for the system and feeds.
    pub fn user_id(&self) -> Option<i32> {
        match self {
            Actor::User(p) => Some(p.user.id.0),
            Actor::System(_) | Actor::Feed(_) => None,
        }
    }
}

/// One change to record.
pub struct Change<'a, B: Serialize, A: Serialize> {
    /// What was done.
    pub action: AuditAction,
    /// The kind of object.
    pub object_type: ObjectType,
    /// Its id.
    pub object_id: String,
    /// State before, if any.
    pub before: Option<&'a B>,
    /// State after, if any.
    pub after: Option<&'a A>,
    /// Why, where the user said.
    pub reason: Option<&'a str>,
}

/// Appends one entry. Call it in the same transaction as the change.
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    change: Change<'_, B, A>,
) -> ServiceResult<()> {
    audit_log::Entity::insert(entry(actor, change, Utc::now()))
        .exec(db)
        .await?;
    Ok(())
}

/// One entry, not yet appended: for [`record_many`].
pub fn entry<B: Serialize, A: Serialize>(
    actor: &Actor<'_>,
    change: Change<'_, B, A>,
    at: chrono::DateTime<Utc>,
) -> audit_log::ActiveModel {
    let actor_label = match actor {
        Actor::User(p) => p.user.email.clone(),
        Actor::System(name) => (*name).to_owned(),
        Actor::Feed(label) => (*label).to_owned(),
    };
    audit_log::ActiveModel {
        id: NotSet,
        at: Set(at),
        actor_id: Set(actor.user_id()),
        actor: Set(actor_label),
        action: Set(change.action),
        object_type: Set(change.object_type),
        object_id: Set(change.object_id),
        before: Set(change.before.map(to_json)),
        after: Set(change.after.map(to_json)),
        reason: Set(change.reason.map(str::to_owned)),
    }
}

/// Appends entries together, in order (a batch of saves). Call it in the
/// same transaction as the changes.
pub async fn record_many(
    db: &impl ConnectionTrait,
    entries: Vec<audit_log::ActiveModel>,
) -> ServiceResult<()> {
    for chunk in entries.chunks(500) {
        audit_log::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("\"unserialisable: {e}\""))
}

/// How many entries an object has with `action`.
pub(crate) async fn count(
    db: &impl ConnectionTrait,
    action: AuditAction,
    object_id: &str,
) -> ServiceResult<u64> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .filter(audit_log::Column::ObjectId.eq(object_id))
        .count(db)
        .await?)
}

/// Every entry of one object, oldest first. The caller checks that the
/// reader may see the object.
pub(crate) async fn of_object(
    db: &impl ConnectionTrait,
    object_type: ObjectType,
    object_id: &str,
) -> ServiceResult<Vec<AuditEntry>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::ObjectType.eq(object_type))
        .filter(audit_log::Column::ObjectId.eq(object_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(entry_of)
        .collect())
}

fn entry_of(r: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: r.id,
        at: r.at.to_rfc3339(),
        actor: r.actor,
        action: r.action.as_str().to_owned(),
        object_type: r.object_type.as_str().to_owned(),
        object_id: r.object_id,
        before: r.before,
        after: r.after,
        reason: r.reason,
    }
}

/// Filters for reading the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this object type.
    pub object_type: Option<String>,
    /// Only this object.
    pub object_id: Option<String>,
    /// Only actions starting with this prefix.
    pub action_prefix: Option<String>,
}

/// The most entries one export holds.
pub const EXPORT_LIMIT: u64 = 200_000;

fn filtered(filter: &AuditFilter) -> sea_orm::Select<audit_log::Entity> {
    let mut q = audit_log::Entity::find();
    if let Some(t) = &filter.object_type {
        q = q.filter(audit_log::Column::ObjectType.eq(t.clone()));
    }
    if let Some(id) = &filter.object_id {
        q = q.filter(audit_log::Column::ObjectId.eq(id.clone()));
    }
    if let Some(a) = &filter.action_prefix {
        q = q.filter(audit_log::Column::Action.starts_with(a.clone()));
    }
    q.order_by_desc(audit_log::Column::Id)
}

/// The entries matching `filter`, newest first, as CSV (admins only; at
/// most [`EXPORT_LIMIT`], newest kept).
pub async fn export(
    db: &impl ConnectionTrait,
    who: &Principal,
    filter: &AuditFilter,
) -> ServiceResult<crate::output::Download> {
    use sea_orm::QuerySelect;
    who.require(domain::Role::Admin)?;
    let rows: Vec<exports::audit::AuditRow> = filtered(filter)
        .limit(EXPORT_LIMIT)
        .all(db)
        .await?
        .into_iter()
        .map(|r| exports::audit::AuditRow {
            id: r.id,
            at: r.at.to_rfc3339(),
            actor: r.actor,
            action: r.action.as_str().to_owned(),
            object_type: r.object_type.as_str().to_owned(),
            object_id: r.object_id,
            before: r.before,
            after: r.after,
            reason: r.reason,
        })
        .collect();
    let bytes = exports::audit::audit_csv(&rows)?;
    Ok(crate::output::Download {
        file_name: format!(
            "audit-{}{}.csv",
            Utc::now().format("%Y%m%d-%H%M"),
            filter
                .object_type
                .as_deref()
                .map(|t| format!("-{t}"))
                .unwrap_or_default()
        ),
        content_type: "text/csv; charset=utf-8",
        bytes,
    })
}

/// Reads the newest entries first; admins only.
pub async fn list(
    db: &impl ConnectionTrait,
    who: &Principal,
    filter: &AuditFilter,
    page: u64,
) -> ServiceResult<domain::Page<AuditEntry>> {
    who.require(domain::Role::Admin)?;
    let per_page = 50;
    let paginator = filtered(filter).paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page).await?;
    Ok(domain::Page {
        rows: rows.into_iter().map(entry_of).collect(),
        total,
        page,
        per_page,
    })
}
