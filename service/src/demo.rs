//! Demo mode: documented demo users for each role and a deterministic demo
//! history on the real registry.
//!
//! The demo password is public (README), so a server not in demo mode
//! refuses to start while any account still accepts it.

use crate::{ServiceError, ServiceResult, auth, users};
use domain::{EntityId, Role};
use entity::{entities, users as users_table};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "daraja-demo-2026";

/// A demo account: e-mail, name, role, and how to find its entity.
pub struct DemoUser {
    /// Sign-in e-mail.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Its role.
    pub role: Role,
    /// English-name fragment and kind of the entity a CDO or district officer speaks for.
    pub entity: Option<(&'static str, &'static str)>,
}

/// The demo accounts, one per role.
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@daraja.uz",
        name: "Aziza Karimova",
        role: Role::Admin,
        entity: None,
    },
    DemoUser {
        email: "methodologist@daraja.uz",
        name: "Bekzod Rahimov",
        role: Role::Methodologist,
        entity: None,
    },
    DemoUser {
        email: "reviewer@daraja.uz",
        name: "Dilnoza Yusupova",
        role: Role::Reviewer,
        entity: None,
    },
    DemoUser {
        email: "publisher@daraja.uz",
        name: "Jasur Tursunov",
        role: Role::Publisher,
        entity: None,
    },
    DemoUser {
        email: "cdo@daraja.uz",
        name: "Malika Ergasheva",
        role: Role::Cdo,
        entity: Some(("Statistics", "state_body")),
    },
    DemoUser {
        email: "district@daraja.uz",
        name: "Sardor Qodirov",
        role: Role::District,
        entity: Some(("Asaka", "district")),
    },
    DemoUser {
        email: "viewer@daraja.uz",
        name: "Nodira Saidova",
        role: Role::Viewer,
        entity: None,
    },
];

async fn find_entity(
    db: &impl ConnectionTrait,
    fragment: &str,
    kind: &str,
) -> ServiceResult<EntityId> {
    entities::Entity::find()
        .filter(entities::Column::Kind.eq(kind))
        .filter(entities::Column::NameEn.contains(fragment))
        .order_by_asc(entities::Column::Id)
        .one(db)
        .await?
        .map(|e| EntityId(e.id))
        .ok_or_else(|| ServiceError::Internal(format!("demo: no {kind} named like {fragment:?}")))
}

/// Creates the demo accounts that do not exist yet, with their grants.
pub async fn ensure_users(db: &DatabaseConnection) -> ServiceResult<usize> {
    let tx = db.begin().await?;
    let mut created = 0;
    for d in DEMO_USERS {
        let exists = users_table::Entity::find()
            .filter(users_table::Column::Email.eq(d.email))
            .one(&tx)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let email = users::Email::parse(d.email)?;
        let user = users::insert_user(&tx, &email, d.name, DEMO_PASSWORD).await?;
        let entity = match d.entity {
            Some((fragment, kind)) => Some(find_entity(&tx, fragment, kind).await?),
            None => None,
        };
        users::insert_grant(&tx, domain::UserId(user.id), d.role, entity, None).await?;
        created += 1;
    }
    tx.commit().await?;
    Ok(created)
}

/// Fails if any demo account still accepts the public demo password: a
/// server outside demo mode must not run with it.
pub async fn refuse_demo_credentials(db: &impl ConnectionTrait) -> ServiceResult<()> {
    let emails: Vec<&str> = DEMO_USERS.iter().map(|d| d.email).collect();
    let rows = users_table::Entity::find()
        .filter(users_table::Column::Email.is_in(emails))
        .filter(users_table::Column::Active.eq(true))
        .all(db)
        .await?;
    for u in rows {
        if auth::verify_password(DEMO_PASSWORD, &u.password_hash) {
            return Err(ServiceError::Conflict(format!(
                "the account {} still has the public demo password; enable demo mode \
                 (DARAJA_DEMO=1) or change that password",
                u.email
            )));
        }
    }
    Ok(())
}

pub use crate::history::{HistoryReport, ensure_history};
