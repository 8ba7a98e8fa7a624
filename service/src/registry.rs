//! The registry of rated entities: browse, search, read, and the admin's
//! add, edit and retire, each audited.
//!
//! The registry is a few hundred rows, so search loads the kind's rows and
//! matches in Rust: that lets one rule (`domain::Names::matches`) fold case
//! and the apostrophe variants of Uzbek Latin in every language and on both
//! databases alike.

use crate::{
    ServiceError, ServiceResult,
    audit::{self, Actor, Change},
    scope::{Principal, entity_ref},
};
use chrono::{NaiveDate, Utc};
use domain::Msg;
use domain::Noun;
use domain::{
    AuditAction, EntityId, EntityInput, EntityKind, EntitySummary, ObjectType, Page, RegistryQuery,
    Role,
};
use domain::{Expected, Need};
use entity::entities;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::HashMap;

/// Rows per registry page.
pub const PER_PAGE: u64 = 50;

/// A registry row's names in the four languages.
pub(crate) use crate::scope::names;

fn summary(e: &entities::Model, by_id: &HashMap<i32, entities::Model>) -> EntitySummary {
    let parent = e.parent_id.and_then(|p| by_id.get(&p)).map(entity_ref);
    EntitySummary {
        id: EntityId(e.id),
        kind: e.kind,
        subkind: e.subkind.clone(),
        code: e.code.clone(),
        soato: e.soato.clone(),
        tin: e.tin.clone(),
        iso_code: e.iso_code.clone(),
        names: names(e),
        parent,
        abbreviation: e.abbreviation.clone(),
        website: e.website.clone(),
        rated: e.rated,
        valid_from: e.valid_from.to_string(),
        valid_to: e.valid_to.map(|d| d.to_string()),
    }
}

/// The whole registry by row id: a few hundred rows, read once where a page
/// needs names and regions of many entities.
pub(crate) async fn by_id(
    db: &impl ConnectionTrait,
) -> ServiceResult<HashMap<i32, entities::Model>> {
    Ok(entities::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect())
}

/// Whether an entity exists on `day`.
pub fn valid_on(e: &entities::Model, day: NaiveDate) -> bool {
    e.valid_from <= day && e.valid_to.is_none_or(|t| day <= t)
}

/// Searches the registry: public, since the registry is public information.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &RegistryQuery,
) -> ServiceResult<Page<EntitySummary>> {
    let all = entities::Entity::find()
        .order_by_asc(entities::Column::Kind)
        .order_by_asc(entities::Column::Code)
        .all(db)
        .await?;
    let today = Utc::now().date_naive();
    let q = query.q.trim();
    let by_id: HashMap<i32, entities::Model> = all.iter().map(|e| (e.id, e.clone())).collect();
    let mut matching: Vec<&entities::Model> = all
        .iter()
        .filter(|e| query.kind.is_none_or(|k| e.kind == k))
        .filter(|e| query.include_retired || valid_on(e, today))
        .filter(|e| {
            q.is_empty()
                || names(e).matches(q)
                || e.code.contains(q)
                || e.soato.as_deref().is_some_and(|s| s.starts_with(q))
                || e.tin.as_deref().is_some_and(|t| t.starts_with(q))
                || e.abbreviation
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case(q))
        })
        .collect();
    // Exact code matches first, then by kind and name.
    matching.sort_by_key(|e| {
        (
            !(e.soato.as_deref() == Some(q) || e.tin.as_deref() == Some(q) || e.code == q),
            kind_order(e.kind),
            e.soato.clone().unwrap_or_default(),
            e.name_uz_latn.clone(),
        )
    });
    let total = matching.len() as u64;
    let rows = matching
        .into_iter()
        .skip(usize::try_from(query.page.saturating_mul(PER_PAGE)).unwrap_or(usize::MAX))
        .take(PER_PAGE as usize)
        .map(|e| summary(e, &by_id))
        .collect();
    Ok(Page {
        rows,
        total,
        page: query.page,
        per_page: PER_PAGE,
    })
}

/// How many entities of each kind are valid today, as [`search`] would
/// total them (the home page), from one read of the registry.
pub async fn counts(db: &impl ConnectionTrait) -> ServiceResult<Vec<(EntityKind, u64)>> {
    let all = entities::Entity::find().all(db).await?;
    let today = Utc::now().date_naive();
    Ok(EntityKind::ALL
        .iter()
        .map(|k| {
            let n = all
                .iter()
                .filter(|e| e.kind == *k && valid_on(e, today))
                .count();
            (*k, n as u64)
        })
        .collect())
}

fn kind_order(kind: EntityKind) -> usize {
    EntityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// One entity with its children (a region's districts, a ministry's agencies).
pub async fn get(
    db: &impl ConnectionTrait,
    id: EntityId,
) -> ServiceResult<(EntitySummary, Vec<EntitySummary>)> {
    let e = entities::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Entity, id))?;
    let mut related: HashMap<i32, entities::Model> = HashMap::new();
    if let Some(p) = e.parent_id
        && let Some(parent) = entities::Entity::find_by_id(p).one(db).await?
    {
        related.insert(parent.id, parent);
    }
    let children = entities::Entity::find()
        .filter(entities::Column::ParentId.eq(e.id))
        .order_by_asc(entities::Column::Code)
        .all(db)
        .await?;
    related.insert(e.id, e.clone());
    let kids = children.iter().map(|c| summary(c, &related)).collect();
    Ok((summary(&e, &related), kids))
}

/// Finds an entity by SOATO, TIN or code.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> ServiceResult<Option<entities::Model>> {
    Ok(entities::Entity::find()
        .filter(
            Condition::any()
                .add(entities::Column::Code.eq(code))
                .add(entities::Column::Soato.eq(code))
                .add(entities::Column::Tin.eq(code)),
        )
        .one(db)
        .await?)
}

/// A `YYYY-MM-DD` date from a form field, or an error naming the field.
pub(crate) fn parse_date(field: &'static str, s: &str) -> ServiceResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        domain::ParseError::new(
            field,
            Msg::NotA {
                text: s.to_string(),
                expected: Expected::Date,
            },
        )
        .into()
    })
}

/// Adds an entity (admin), audited.
pub async fn create(
    db: &DatabaseConnection,
    who: &Principal,
    input: &EntityInput,
) -> ServiceResult<EntityId> {
    who.require(Role::Admin)?;
    input.check()?;
    let tx = db.begin().await?;
    if find_by_code(&tx, input.code.trim()).await?.is_some() {
        return Err(ServiceError::Conflict(Msg::Exists {
            what: Noun::Entity,
            which: input.code.trim().to_owned(),
        }));
    }
    let now = Utc::now();
    let mut am = entities::ActiveModel {
        created_at: Set(now),
        ..Default::default()
    };
    apply(&tx, &mut am, input).await?;
    let row = am.insert(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::EntityCreate,
            object_type: ObjectType::Entity,
            object_id: row.id.to_string(),
            before: None,
            after: Some(&row),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(EntityId(row.id))
}

/// Edits an entity (admin), audited with before and after.
pub async fn update(
    db: &DatabaseConnection,
    who: &Principal,
    id: EntityId,
    input: &EntityInput,
    reason: Option<&str>,
) -> ServiceResult<()> {
    who.require(Role::Admin)?;
    input.check()?;
    let tx = db.begin().await?;
    let before = entities::Entity::find_by_id(id.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Entity, id))?;
    if let Some(other) = find_by_code(&tx, input.code.trim()).await?
        && other.id != id.0
    {
        return Err(ServiceError::Conflict(Msg::Exists {
            what: Noun::Entity,
            which: input.code.trim().to_owned(),
        }));
    }
    let mut am: entities::ActiveModel = before.clone().into();
    apply(&tx, &mut am, input).await?;
    let after = am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::EntityUpdate,
            object_type: ObjectType::Entity,
            object_id: id.to_string(),
            before: Some(&before),
            after: Some(&after),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Retires an entity from `valid_to` on (admin): it stays in history and in
/// earlier campaigns, and leaves later ones.
pub async fn retire(
    db: &DatabaseConnection,
    who: &Principal,
    id: EntityId,
    valid_to: &str,
    reason: &str,
) -> ServiceResult<()> {
    who.require(Role::Admin)?;
    if reason.trim().is_empty() {
        return Err(domain::ParseError::new("reason", Msg::Required { need: Need::Reason }).into());
    }
    let to = parse_date("valid_to", valid_to)?;
    let tx = db.begin().await?;
    let before = entities::Entity::find_by_id(id.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Entity, id))?;
    if to < before.valid_from {
        return Err(domain::ParseError::new("valid_to", Msg::EndsBeforeBegins).into());
    }
    let mut am: entities::ActiveModel = before.clone().into();
    am.valid_to = Set(Some(to));
    am.updated_at = Set(Utc::now());
    let after = am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: AuditAction::EntityRetire,
            object_type: ObjectType::Entity,
            object_id: id.to_string(),
            before: Some(&before),
            after: Some(&after),
            reason: Some(reason),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn apply(
    db: &impl ConnectionTrait,
    am: &mut entities::ActiveModel,
    input: &EntityInput,
) -> ServiceResult<()> {
    let parent = match input.parent_id {
        Some(p) => Some(
            entities::Entity::find_by_id(p.0)
                .one(db)
                .await?
                .ok_or_else(|| {
                    domain::ParseError::new(
                        "parent_id",
                        Msg::NotFound {
                            what: Noun::Entity,
                            which: p.to_string(),
                        },
                    )
                })?,
        ),
        None => None,
    };
    let code = input.code.trim().to_owned();
    am.kind = Set(input.kind);
    am.subkind = Set(input.subkind.trim().to_owned());
    am.soato = Set(input.kind.is_territory().then(|| code.clone()));
    am.tin = Set(input.tin.clone().filter(|t| !t.is_empty()));
    am.code = Set(code);
    am.parent_id = Set(parent.as_ref().map(|p| p.id));
    am.region_id = Set(parent
        .as_ref()
        .map(|p| {
            if p.kind == EntityKind::Region {
                p.id
            } else {
                p.region_id.unwrap_or(p.id)
            }
        })
        .filter(|_| input.kind == EntityKind::District));
    // The page links the website: anything but an http(s) link (such as
    // `javascript:…`) would run in the reader's browser.
    let website = input
        .website
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    if let Some(w) = website
        && !methodology::value::is_url(w)
    {
        return Err(domain::ParseError::new(
            "website",
            Msg::NotAUrl {
                text: w.to_string(),
            },
        )
        .into());
    }
    am.website = Set(website.map(str::to_owned));
    am.valid_from = Set(parse_date("valid_from", &input.valid_from)?);
    am.valid_to = Set(match &input.valid_to {
        Some(t) if !t.trim().is_empty() => Some(parse_date("valid_to", t)?),
        _ => None,
    });
    am.name_uz_latn = Set(input.names.uz_latn.trim().to_owned());
    am.name_uz_cyrl = Set(input.names.uz_cyrl.trim().to_owned());
    am.name_ru = Set(input.names.ru.trim().to_owned());
    am.name_en = Set(input.names.en.trim().to_owned());
    am.updated_at = Set(Utc::now());
    if matches!(am.rated, sea_orm::ActiveValue::NotSet) {
        am.rated = Set(true);
    }
    if matches!(am.iso_code, sea_orm::ActiveValue::NotSet) {
        am.iso_code = Set(None);
    }
    if matches!(am.abbreviation, sea_orm::ActiveValue::NotSet) {
        am.abbreviation = Set(None);
    }
    Ok(())
}
