//! Who may do what: the signed-in principal and the scope checks every
//! service call makes before it reads or writes.
//!
//! Ministry roles are global. A CDO grant covers one organization; a district
//! grant covers one territory, and a grant on a region also covers the
//! region's districts. Nobody without a grant reads unpublished data.

use crate::{ServiceError, ServiceResult};
use domain::Msg;
use domain::{CurrentUser, EntityId, EntityKind, EntityRef, Grant, Names, Role, UserId};
use entity::{entities, role_grants, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// An entity's names in the four languages, as the registry holds them.
pub(crate) fn names(e: &entities::Model) -> Names {
    Names {
        uz_latn: e.name_uz_latn.clone(),
        uz_cyrl: e.name_uz_cyrl.clone(),
        ru: e.name_ru.clone(),
        en: e.name_en.clone(),
    }
}

/// A signed-in user and the session the request came with.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The user and their grants.
    pub user: CurrentUser,
    /// The refresh session behind the access token.
    pub session_id: String,
    /// Regions whose districts the district grants also cover.
    covered_regions: Vec<EntityId>,
    /// The language the person works in on this request: how they write
    /// numbers, which language messages are rendered in. The account's
    /// saved language until the edge sets the request's.
    pub locale: domain::Locale,
}

impl Principal {
    /// Fails unless the user holds `role`.
    pub fn require(&self, role: Role) -> ServiceResult<()> {
        if self.user.has(role) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(Msg::RoleRequired {
                roles: vec![role],
            }))
        }
    }

    /// Fails unless the user holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> ServiceResult<()> {
        if roles.iter().any(|r| self.user.has(*r)) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(Msg::RoleRequired {
                roles: roles.to_vec(),
            }))
        }
    }

    /// Whether the user may read unpublished data of `entity` (whose region,
    /// for a district, is `region`).
    pub fn can_read_entity(&self, entity: EntityId, region: Option<EntityId>) -> bool {
        if self.user.is_ministry() || self.user.has(Role::Viewer) {
            return true;
        }
        self.speaks_for(entity) || self.covers_region(region)
    }

    /// Whether the user speaks for `region` (a district grant on the region
    /// itself), and so reviews its districts first in a two-level round.
    pub fn covers_region(&self, region: Option<EntityId>) -> bool {
        region.is_some_and(|r| self.covered_regions.contains(&r))
    }

    /// Whether the user speaks for any region.
    pub fn covers_any_region(&self) -> bool {
        !self.covered_regions.is_empty()
    }

    /// Whether the user fills in data for `entity` (own CDO or district grant).
    pub fn speaks_for(&self, entity: EntityId) -> bool {
        self.user.own_entities().any(|e| e.id == entity)
    }
}

/// Loads a user's active grants into a principal.
pub async fn load_principal(
    db: &impl ConnectionTrait,
    id: UserId,
    session_id: String,
) -> ServiceResult<Principal> {
    let user = users::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .filter(|u| u.active)
        .ok_or(ServiceError::Unauthenticated)?;
    let grants = grants_of(db, id).await?;
    let covered_regions = grants
        .iter()
        .filter_map(|g| g.entity.as_ref())
        .filter(|e| e.kind == EntityKind::Region)
        .map(|e| e.id)
        .collect();
    Ok(Principal {
        locale: domain::Locale::from_tag(&user.locale).unwrap_or_default(),
        user: CurrentUser {
            id,
            email: user.email,
            display_name: user.display_name,
            grants,
        },
        session_id,
        covered_regions,
    })
}

/// A user's active (unrevoked) grants, with their entities.
pub async fn grants_of(db: &impl ConnectionTrait, id: UserId) -> ServiceResult<Vec<Grant>> {
    let rows = role_grants::Entity::find()
        .filter(role_grants::Column::UserId.eq(id.0))
        .filter(role_grants::Column::RevokedAt.is_null())
        .order_by_asc(role_grants::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for g in rows {
        let entity = match g.entity_id {
            Some(eid) => entities::Entity::find_by_id(eid)
                .one(db)
                .await?
                .map(|e| entity_ref(&e)),
            None => None,
        };
        let role = g.role;
        out.push(Grant {
            id: g.id,
            role,
            entity,
        });
    }
    Ok(out)
}

/// The short reference of a registry row.
pub fn entity_ref(e: &entities::Model) -> EntityRef {
    EntityRef {
        id: EntityId(e.id),
        kind: e.kind,
        code: e.code.clone(),
        names: names(e),
    }
}
