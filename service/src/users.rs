//! People and their roles: the admin's create, grant, revoke and reset, and
//! a user's own password change. Every change is audited, and every change
//! of password or role revokes the user's sessions.

use crate::{
    ServiceError, ServiceResult,
    audit::{self, Actor, Change},
    auth,
    scope::{Principal, grants_of},
};
use chrono::Utc;
use domain::Msg;
use domain::Noun;
use domain::{AuditAction, EntityId, Locale, ObjectType, ParseError, Role, UserId, UserSummary};
use domain::{Expected, Need};
use entity::{entities, role_grants, users};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde::Serialize;

/// A checked e-mail address, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a dot in the domain, no spaces.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let s = s.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s.contains(char::is_whitespace)
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            });
        if ok {
            Ok(Self(s))
        } else {
            Err(ParseError::new(
                "email",
                Msg::NotA {
                    text: s.to_string(),
                    expected: Expected::Email,
                },
            ))
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Serialize)]
struct UserAudit<'a> {
    email: &'a str,
    display_name: &'a str,
    active: bool,
}

/// Every user with their grants (admin).
pub async fn list(db: &impl ConnectionTrait, who: &Principal) -> ServiceResult<Vec<UserSummary>> {
    who.require(Role::Admin)?;
    let rows = users::Entity::find()
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for u in rows {
        out.push(UserSummary {
            id: UserId(u.id),
            grants: grants_of(db, UserId(u.id)).await?,
            email: u.email,
            display_name: u.display_name,
            active: u.active,
            locale: Locale::from_tag(&u.locale).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Inserts a user without any check of who asks: for seeding and for
/// [`create`], which checks first.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    email: &Email,
    display_name: &str,
    password: &str,
) -> ServiceResult<users::Model> {
    let now = Utc::now();
    Ok(users::ActiveModel {
        id: NotSet,
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.trim().to_owned()),
        password_hash: Set(auth::hash_password(password)?),
        locale: Set(Locale::default().tag().to_owned()),
        active: Set(true),
        must_change_password: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Creates a user with a first password they must change (admin).
pub async fn create(
    db: &DatabaseConnection,
    who: &Principal,
    email: &str,
    display_name: &str,
    password: &str,
) -> ServiceResult<UserId> {
    who.require(Role::Admin)?;
    let email = Email::parse(email)?;
    if display_name.trim().is_empty() {
        return Err(ParseError::new("display_name", Msg::Required { need: Need::Name }).into());
    }
    auth::check_password_policy(password)?;
    let tx = db.begin().await?;
    if users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(ServiceError::Conflict(Msg::Exists {
            what: Noun::User,
            which: email.as_str().to_owned(),
        }));
    }
    let user = insert_user(&tx, &email, display_name, password).await?;
    let mut am: users::ActiveModel = user.clone().into();
    am.must_change_password = Set(true);
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::UserCreate,
            object_type: ObjectType::User,
            object_id: user.id.to_string(),
            before: None,
            after: Some(&UserAudit {
                email: &user.email,
                display_name: &user.display_name,
                active: true,
            }),
            reason: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(UserId(user.id))
}

#[derive(Serialize)]
struct GrantAudit {
    role: Role,
    entity_id: Option<i32>,
}

/// Inserts a grant with its checks but without asking who may: for seeding
/// and for [`grant`].
pub async fn insert_grant(
    db: &impl ConnectionTrait,
    user: UserId,
    role: Role,
    entity: Option<EntityId>,
    by: Option<UserId>,
) -> ServiceResult<i32> {
    match (role.is_entity_bound(), entity) {
        (true, None) => {
            return Err(
                ParseError::new("entity_id", format!("a {role} grant names its entity")).into(),
            );
        }
        (false, Some(_)) => {
            return Err(ParseError::new(
                "entity_id",
                format!("a {role} grant is not bound to an entity"),
            )
            .into());
        }
        _ => {}
    }
    if let Some(eid) = entity {
        let e = entities::Entity::find_by_id(eid.0)
            .one(db)
            .await?
            .ok_or_else(|| {
                ParseError::new(
                    "entity_id",
                    Msg::NotFound {
                        what: Noun::Entity,
                        which: eid.to_string(),
                    },
                )
            })?;
        let kind = e.kind;
        if kind.officer_role() != role {
            return Err(ParseError::new(
                "entity_id",
                format!(
                    "a {role} grant cannot name a {kind}; use {}",
                    kind.officer_role()
                ),
            )
            .into());
        }
    }
    let row = role_grants::ActiveModel {
        id: NotSet,
        user_id: Set(user.0),
        role: Set(role),
        entity_id: Set(entity.map(|e| e.0)),
        granted_by: Set(by.map(|b| b.0)),
        granted_at: Set(Utc::now()),
        revoked_at: Set(None),
        revoked_by: Set(None),
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Grants a role (admin); revokes the user's sessions so it takes effect now.
pub async fn grant(
    db: &DatabaseConnection,
    who: &Principal,
    user: UserId,
    role: Role,
    entity: Option<EntityId>,
) -> ServiceResult<i32> {
    who.require(Role::Admin)?;
    let tx = db.begin().await?;
    users::Entity::find_by_id(user.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::User, user))?;
    let id = insert_grant(&tx, user, role, entity, Some(who.user.id)).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), _> {
            action: AuditAction::UserGrant,
            object_type: ObjectType::User,
            object_id: user.to_string(),
            before: None,
            after: Some(&GrantAudit {
                role,
                entity_id: entity.map(|e| e.0),
            }),
            reason: None,
        },
    )
    .await?;
    auth::revoke_all(&tx, user).await?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a grant (admin); the user's sessions end.
pub async fn revoke(db: &DatabaseConnection, who: &Principal, grant_id: i32) -> ServiceResult<()> {
    who.require(Role::Admin)?;
    let tx = db.begin().await?;
    let g = role_grants::Entity::find_by_id(grant_id)
        .one(&tx)
        .await?
        .filter(|g| g.revoked_at.is_none())
        .ok_or_else(|| ServiceError::not_found(Noun::Grant, grant_id))?;
    if g.user_id == who.user.id.0 && g.role == Role::Admin {
        return Err(ServiceError::Conflict(Msg::OwnAdminRole));
    }
    let mut am: role_grants::ActiveModel = g.clone().into();
    am.revoked_at = Set(Some(Utc::now()));
    am.revoked_by = Set(Some(who.user.id.0));
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<_, ()> {
            action: AuditAction::UserRevoke,
            object_type: ObjectType::User,
            object_id: g.user_id.to_string(),
            before: Some(&GrantAudit {
                role: g.role,
                entity_id: g.entity_id,
            }),
            after: None,
            reason: None,
        },
    )
    .await?;
    auth::revoke_all(&tx, UserId(g.user_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new password chosen by an admin; the user must change it at next
/// sign-in, and every session of theirs ends.
pub async fn reset_password(
    db: &DatabaseConnection,
    who: &Principal,
    user: UserId,
    new_password: &str,
) -> ServiceResult<()> {
    who.require(Role::Admin)?;
    auth::check_password_policy(new_password)?;
    let tx = db.begin().await?;
    let u = users::Entity::find_by_id(user.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::User, user))?;
    let mut am: users::ActiveModel = u.into();
    am.password_hash = Set(auth::hash_password(new_password)?);
    am.must_change_password = Set(true);
    am.password_changed_at = Set(Utc::now());
    am.failed_logins = Set(0);
    am.locked_until = Set(None);
    am.updated_at = Set(Utc::now());
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), ()> {
            action: AuditAction::UserResetPassword,
            object_type: ObjectType::User,
            object_id: user.to_string(),
            before: None,
            after: None,
            reason: None,
        },
    )
    .await?;
    auth::revoke_all(&tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Enables or disables an account (admin); disabling ends its sessions.
pub async fn set_active(
    db: &DatabaseConnection,
    who: &Principal,
    user: UserId,
    active: bool,
) -> ServiceResult<()> {
    who.require(Role::Admin)?;
    if user == who.user.id && !active {
        return Err(ServiceError::Conflict(Msg::OwnAccount));
    }
    let tx = db.begin().await?;
    let u = users::Entity::find_by_id(user.0)
        .one(&tx)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::User, user))?;
    let before = UserAudit {
        email: &u.email,
        display_name: &u.display_name,
        active: u.active,
    };
    let before = serde_json::to_value(&before)?;
    let mut am: users::ActiveModel = u.clone().into();
    am.active = Set(active);
    am.updated_at = Set(Utc::now());
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change {
            action: if active {
                AuditAction::UserEnable
            } else {
                AuditAction::UserDisable
            },
            object_type: ObjectType::User,
            object_id: user.to_string(),
            before: Some(&before),
            after: Some(&UserAudit {
                email: &u.email,
                display_name: &u.display_name,
                active,
            }),
            reason: None,
        },
    )
    .await?;
    if !active {
        auth::revoke_all(&tx, user).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A user changes their own password, proving the old one; all their other
/// sessions end.
pub async fn change_own_password(
    db: &DatabaseConnection,
    who: &Principal,
    old: &str,
    new: &str,
) -> ServiceResult<()> {
    auth::check_password_policy(new)?;
    let tx = db.begin().await?;
    let u = users::Entity::find_by_id(who.user.id.0)
        .one(&tx)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if !auth::verify_password(old, &u.password_hash) {
        return Err(ParseError::new("old_password", Msg::WrongPassword).into());
    }
    let mut am: users::ActiveModel = u.into();
    am.password_hash = Set(auth::hash_password(new)?);
    am.must_change_password = Set(false);
    am.password_changed_at = Set(Utc::now());
    am.updated_at = Set(Utc::now());
    am.update(&tx).await?;
    audit::record(
        &tx,
        &Actor::User(who),
        Change::<(), ()> {
            action: AuditAction::UserChangePassword,
            object_type: ObjectType::User,
            object_id: who.user.id.to_string(),
            before: None,
            after: None,
            reason: None,
        },
    )
    .await?;
    auth::revoke_all(&tx, who.user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a user's preferred language.
pub async fn set_locale(
    db: &impl ConnectionTrait,
    who: &Principal,
    locale: Locale,
) -> ServiceResult<()> {
    users::Entity::update_many()
        .col_expr(
            users::Column::Locale,
            sea_orm::sea_query::Expr::value(locale.tag()),
        )
        .filter(users::Column::Id.eq(who.user.id.0))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_parse_once() {
        for ok in ["cdo@stat.uz", " Admin@Daraja.UZ "] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Email::parse("A@B.UZ").unwrap().as_str(), "a@b.uz");
        for bad in ["", "no-at", "a@b", "a b@c.uz", "@c.uz", "a@.uz", "a@b.uz."] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
