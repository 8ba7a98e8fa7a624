//! Evidence links and what the background checker last saw at each.
//!
//! Every address an answer or an evidence row cites is tracked once (many
//! submissions cite the same portal), as `pending` and due at once. A
//! checker (the server's, which knows HTTP) claims due links under a lease,
//! so two instances never fetch one link together, and records what it
//! found; a link is due again after a week when it worked and after a day
//! when it did not. Nothing here fetches anything.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use domain::{LinkCheck, LinkOutcome};
use entity::link_checks;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::ServiceResult;

/// How long a worked link is trusted before it is checked again.
pub const RECHECK_OK: Duration = Duration::days(7);
/// How soon a link that failed is tried again.
pub const RECHECK_FAILED: Duration = Duration::days(1);

/// The address an answer cites: a link, or a legal act's link.
pub(crate) fn cited(value: &methodology::value::Value) -> Option<&str> {
    match value {
        methodology::value::Value::Url(u) => Some(u),
        methodology::value::Value::LegalAct(a) => Some(&a.link),
        _ => None,
    }
}

/// Starts tracking `urls` (those already tracked are left as they are).
pub(crate) async fn track<'a>(
    db: &impl ConnectionTrait,
    urls: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut seen = std::collections::BTreeSet::new();
    let rows: Vec<link_checks::ActiveModel> = urls
        .into_iter()
        .map(str::trim)
        .filter(|u| !u.is_empty() && seen.insert(*u))
        .map(|u| link_checks::ActiveModel {
            id: NotSet,
            url: Set(u.to_owned()),
            outcome: Set(LinkOutcome::Pending),
            http_status: Set(None),
            detail: Set(None),
            first_seen: Set(now),
            checked_at: Set(None),
            due_at: Set(now),
            lease_until: Set(None),
        })
        .collect();
    for chunk in rows.chunks(200) {
        // Another writer may track the same address at the same moment:
        // the unique index keeps one row, and neither save fails.
        link_checks::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(link_checks::Column::Url)
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// A link claimed for checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// Row id, to record the result against.
    pub id: i32,
    /// The address.
    pub url: String,
}

/// Tracks every address already cited (evidence rows, URL and legal-act
/// answers) when nothing is tracked yet: a database from before link
/// checks, or a generated demo history. Returns how many were found.
pub async fn track_existing(db: &impl ConnectionTrait, now: DateTime<Utc>) -> ServiceResult<usize> {
    use entity::{evidence, submission_values as v};
    use sea_orm::PaginatorTrait;
    if link_checks::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let mut urls: std::collections::BTreeSet<String> = evidence::Entity::find()
        .filter(evidence::Column::Url.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| e.url)
        .collect();
    let answers = v::Entity::find()
        .filter(
            Condition::any()
                .add(v::Column::Value.contains(r#""type":"url""#))
                .add(v::Column::Value.contains(r#""type":"legal_act""#)),
        )
        .all(db)
        .await?;
    for a in answers {
        if let Ok(Some(value)) = serde_json::from_str::<Option<methodology::value::Value>>(&a.value)
            && let Some(u) = cited(&value)
        {
            urls.insert(u.to_owned());
        }
    }
    track(db, urls.iter().map(String::as_str), now).await?;
    Ok(urls.len())
}

/// Claims up to `limit` due links for `lease` (each claimed by one caller
/// only, whichever instance asks), oldest due first.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
    lease: Duration,
) -> ServiceResult<Vec<Claimed>> {
    let free = || {
        Condition::any()
            .add(link_checks::Column::LeaseUntil.is_null())
            .add(link_checks::Column::LeaseUntil.lt(now))
    };
    let due = link_checks::Entity::find()
        .filter(link_checks::Column::DueAt.lte(now))
        .filter(free())
        .order_by_asc(link_checks::Column::DueAt)
        .order_by_asc(link_checks::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for row in due {
        let res = link_checks::Entity::update_many()
            .col_expr(link_checks::Column::LeaseUntil, Expr::value(now + lease))
            .filter(link_checks::Column::Id.eq(row.id))
            .filter(free())
            .exec(db)
            .await?;
        if res.rows_affected == 1 {
            claimed.push(Claimed {
                id: row.id,
                url: row.url,
            });
        }
    }
    Ok(claimed)
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Worked, broken or unreachable.
    pub outcome: LinkOutcome,
    /// The final HTTP status, when there was one.
    pub http_status: Option<u16>,
    /// Why, in words (`HTTP 404`, `timed out after 10 s`…).
    pub detail: String,
}

/// Records what the check of `id` found and when it is due again.
pub async fn record(
    db: &impl ConnectionTrait,
    id: i32,
    found: &Found,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let again = if found.outcome == LinkOutcome::Ok {
        RECHECK_OK
    } else {
        RECHECK_FAILED
    };
    link_checks::Entity::update_many()
        .col_expr(
            link_checks::Column::Outcome,
            Expr::value(found.outcome.as_str()),
        )
        .col_expr(
            link_checks::Column::HttpStatus,
            Expr::value(found.http_status.map(i32::from)),
        )
        .col_expr(
            link_checks::Column::Detail,
            Expr::value(Some(found.detail.clone())),
        )
        .col_expr(link_checks::Column::CheckedAt, Expr::value(Some(now)))
        .col_expr(link_checks::Column::DueAt, Expr::value(now + again))
        .col_expr(
            link_checks::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(link_checks::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// What is known of each of `urls`, by address (untracked ones are absent).
pub(crate) async fn known(
    db: &impl ConnectionTrait,
    urls: &[&str],
) -> ServiceResult<HashMap<String, LinkCheck>> {
    let mut out = HashMap::new();
    for chunk in urls.chunks(500) {
        for row in link_checks::Entity::find()
            .filter(link_checks::Column::Url.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(row.url.clone(), view(&row));
        }
    }
    Ok(out)
}

fn view(row: &link_checks::Model) -> LinkCheck {
    LinkCheck {
        outcome: row.outcome,
        http_status: row.http_status.and_then(|s| u16::try_from(s).ok()),
        detail: row.detail.clone(),
        checked_at: row.checked_at.map(|t| t.to_rfc3339()),
    }
}
