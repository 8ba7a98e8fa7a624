//! Sign-in: argon2id passwords, short-lived JWT access tokens bound to a
//! revocable refresh session, account throttling.
//!
//! The access token (15 minutes) names its session (`sid`); every request
//! checks that the session is still live, so signing out, a password change
//! or a role change revokes access at once, not when the token expires.

use crate::{Inconsistent, ServiceError, ServiceResult, scope::Principal};
use argon2::{Argon2, PasswordHasher, PasswordVerifier, password_hash::phc::PasswordHash};
use chrono::{DateTime, Duration, Utc};
use domain::Msg;
use domain::UserId;
use entity::{sessions, users};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How tokens are signed and how long they live.
#[derive(Clone)]
pub struct AuthSettings {
    secret: Arc<[u8]>,
    /// Lifetime of an access token.
    pub access_ttl: Duration,
    /// Lifetime of a refresh session.
    pub refresh_ttl: Duration,
    /// Failed sign-ins before an account is locked.
    pub max_failures: i32,
    /// How long a locked account stays locked.
    pub lockout: Duration,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("secret", &"[redacted]")
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .finish_non_exhaustive()
    }
}

impl AuthSettings {
    /// Settings signing with `secret` (at least 32 bytes) and default lifetimes.
    pub fn new(secret: &[u8]) -> ServiceResult<Self> {
        if secret.len() < 32 {
            return Err(ServiceError::Inconsistent(Inconsistent::Setup(
                "the JWT secret must be at least 32 bytes",
            )));
        }
        Ok(Self {
            secret: secret.into(),
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(14),
            max_failures: 5,
            lockout: Duration::minutes(15),
        })
    }
}

/// What the access token says. HS256 only: `alg: none` and every other
/// algorithm are rejected by the validation.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The user id, as a string: the JWT spec makes `sub` a string.
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
    typ: String,
}

/// A fresh pair of tokens for the browser cookies or an API client.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The JWT access token.
    pub access: String,
    /// The opaque refresh token (only its hash is stored).
    pub refresh: String,
    /// When the refresh token expires.
    pub refresh_expires: DateTime<Utc>,
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> ServiceResult<String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|_| ServiceError::Crypto("hashing a password failed"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// The password policy: at least 10 characters, not all of one class.
pub fn check_password_policy(password: &str) -> Result<(), domain::ParseError> {
    let len = password.chars().count();
    if len < 10 {
        return Err(domain::ParseError::new(
            "password",
            Msg::Length { min: 10, max: 256 },
        ));
    }
    if len > 256 {
        return Err(domain::ParseError::new(
            "password",
            Msg::Length { min: 10, max: 256 },
        ));
    }
    let classes = [
        password.chars().any(char::is_alphabetic),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|c| **c).count() < 2 {
        return Err(domain::ParseError::new("password", Msg::WeakPassword));
    }
    Ok(())
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a token, hex: what the database stores instead of the token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn issue_access(settings: &AuthSettings, user: UserId, sid: &str) -> ServiceResult<String> {
    let now = Utc::now();
    let claims = Claims {
        sub: user.0.to_string(),
        sid: sid.to_owned(),
        iat: now.timestamp(),
        exp: (now + settings.access_ttl).timestamp(),
        typ: "access".into(),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&settings.secret),
    )
    .map_err(|_| ServiceError::Crypto("signing a token failed"))
}

async fn new_session(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    user: UserId,
    user_agent: Option<String>,
) -> ServiceResult<Tokens> {
    let sid = random_token();
    let refresh = random_token();
    let now = Utc::now();
    let expires = now + settings.refresh_ttl;
    sessions::ActiveModel {
        id: Set(sid.clone()),
        user_id: Set(user.0),
        refresh_hash: Set(token_hash(&refresh)),
        created_at: Set(now),
        expires_at: Set(expires),
        revoked_at: Set(None),
        user_agent: Set(user_agent.map(|u| u.chars().take(200).collect())),
    }
    .insert(db)
    .await?;
    Ok(Tokens {
        access: issue_access(settings, user, &sid)?,
        refresh: format!("{sid}.{refresh}"),
        refresh_expires: expires,
    })
}

/// Checks e-mail and password and opens a session. Failures are counted per
/// account and lock it for a while; the error never says whether the account
/// exists, and a missing account costs the same hashing time as a wrong
/// password.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    email: &str,
    password: &str,
    user_agent: Option<String>,
) -> ServiceResult<(Tokens, Principal)> {
    let email = email.trim().to_lowercase();
    let user = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?;
    let Some(user) = user else {
        // Spend the time a real check would take.
        let _ = verify_password(password, DUMMY_HASH);
        return Err(ServiceError::BadCredentials);
    };
    let now = Utc::now();
    if !user.active || user.locked_until.is_some_and(|t| t > now) {
        let _ = verify_password(password, DUMMY_HASH);
        return Err(ServiceError::BadCredentials);
    }
    if !verify_password(password, &user.password_hash) {
        let failures = user.failed_logins + 1;
        let mut am: users::ActiveModel = user.into();
        am.failed_logins = Set(if failures >= settings.max_failures {
            0
        } else {
            failures
        });
        if failures >= settings.max_failures {
            am.locked_until = Set(Some(now + settings.lockout));
        }
        am.update(db).await?;
        return Err(ServiceError::BadCredentials);
    }
    let id = UserId(user.id);
    if user.failed_logins != 0 || user.locked_until.is_some() {
        let mut am: users::ActiveModel = user.into();
        am.failed_logins = Set(0);
        am.locked_until = Set(None);
        am.update(db).await?;
    }
    let tokens = new_session(db, settings, id, user_agent).await?;
    let sid = tokens
        .refresh
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let principal = crate::scope::load_principal(db, id, sid).await?;
    Ok((tokens, principal))
}

/// A verification hash for a password nobody has, so that unknown accounts
/// take as long to reject as known ones.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0Ze0tUBh1Yx1YXm0PptvTw6x2NnX2fGcJ0zqvGp1aLk";

/// Resolves an access token to the signed-in user, checking signature,
/// algorithm, expiry and that its session is still live.
pub async fn authenticate(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    access: &str,
) -> ServiceResult<Principal> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = jsonwebtoken::decode::<Claims>(
        access,
        &DecodingKey::from_secret(&settings.secret),
        &validation,
    )
    .map_err(|_| ServiceError::Unauthenticated)?;
    let user_id: i32 = data
        .claims
        .sub
        .parse()
        .map_err(|_| ServiceError::Unauthenticated)?;
    if data.claims.typ != "access" {
        return Err(ServiceError::Unauthenticated);
    }
    let session = sessions::Entity::find_by_id(data.claims.sid.clone())
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if session.revoked_at.is_some()
        || session.expires_at <= Utc::now()
        || session.user_id != user_id
    {
        return Err(ServiceError::Unauthenticated);
    }
    crate::scope::load_principal(db, UserId(user_id), session.id).await
}

/// Exchanges a refresh token for a new pair, rotating the refresh token so a
/// stolen copy stops working once the owner refreshes.
pub async fn refresh(
    db: &impl ConnectionTrait,
    settings: &AuthSettings,
    refresh_token: &str,
) -> ServiceResult<(Tokens, Principal)> {
    let (sid, secret) = refresh_token
        .split_once('.')
        .ok_or(ServiceError::Unauthenticated)?;
    let session = sessions::Entity::find_by_id(sid.to_owned())
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if session.revoked_at.is_some()
        || session.expires_at <= Utc::now()
        || session.refresh_hash != token_hash(secret)
    {
        return Err(ServiceError::Unauthenticated);
    }
    let user = UserId(session.user_id);
    let principal = crate::scope::load_principal(db, user, session.id.clone()).await?;
    let new_refresh = random_token();
    let mut am: sessions::ActiveModel = session.into();
    am.refresh_hash = Set(token_hash(&new_refresh));
    am.update(db).await?;
    Ok((
        Tokens {
            access: issue_access(settings, user, sid)?,
            refresh: format!("{sid}.{new_refresh}"),
            refresh_expires: Utc::now() + settings.refresh_ttl,
        },
        principal,
    ))
}

/// Revokes one session (sign-out).
pub async fn sign_out(db: &impl ConnectionTrait, session_id: &str) -> ServiceResult<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(sessions::Column::Id.eq(session_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every session of a user (password change, role change, disable).
pub async fn revoke_all(db: &impl ConnectionTrait, user: UserId) -> ServiceResult<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(sessions::Column::UserId.eq(user.0))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse 1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse 1", &h));
        assert!(!verify_password("correct horse 2", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn policy_names_what_is_wrong() {
        let cases = [
            ("short1!", Some("10 to 256 characters")),
            ("onlyletterslong", Some("Mix")),
            ("letters and 1 digit", None),
            ("1234567890!", None),
        ];
        for (pw, want) in cases {
            let got = check_password_policy(pw).err().map(|e| e.to_string());
            match want {
                None => assert_eq!(got, None, "{pw}"),
                Some(w) => assert!(
                    got.as_deref().is_some_and(|g| g.contains(w)),
                    "{pw}: {got:?}"
                ),
            }
        }
    }
}
