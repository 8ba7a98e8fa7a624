//! Upserts the reviewed seed files into the database at start-up.
//!
//! Idempotent: a row is written only when it is new or differs from the seed,
//! so running the seeding twice changes nothing (and the test proves it).

use crate::{
    ServiceError, ServiceResult,
    audit::{self, Actor, Change},
};
use chrono::Utc;
use domain::{AuditAction, EntityKind, ObjectType};
use entity::entities;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    DatabaseConnection, EntityTrait, TransactionTrait,
};
use std::collections::HashMap;

/// How many rows a seeding inserted and updated.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Rows inserted.
    pub inserted: usize,
    /// Rows updated because the seed differs.
    pub updated: usize,
}

/// The fields a seed controls on a registry row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct Seeded {
    code: String,
    kind: EntityKind,
    subkind: String,
    soato: Option<String>,
    tin: Option<String>,
    iso_code: Option<String>,
    parent_code: Option<String>,
    abbreviation: Option<String>,
    website: Option<String>,
    rated: bool,
    valid_from: chrono::NaiveDate,
    valid_to: Option<chrono::NaiveDate>,
    names: [String; 4],
}

fn seeded_rows() -> ServiceResult<Vec<Seeded>> {
    let mut out = Vec::new();
    let mut territories = seeds::territories()?;
    // Parents first: regions (4 digits), then districts and cities (7),
    // then the districts inside a city (10).
    territories.sort_by(|a, b| (a.soato.len(), &a.soato).cmp(&(b.soato.len(), &b.soato)));
    for t in territories {
        out.push(Seeded {
            kind: if t.level == 1 {
                EntityKind::Region
            } else {
                EntityKind::District
            },
            subkind: t.unit_type,
            soato: Some(t.soato.clone()),
            tin: None,
            iso_code: t.iso_3166_2,
            parent_code: (t.parent_soato != "17").then_some(t.parent_soato),
            abbreviation: None,
            website: None,
            rated: t.level == 1 || t.assessed_as_district,
            valid_from: t.valid_from,
            valid_to: t.valid_to,
            names: [t.names.uz_latn, t.names.uz_cyrl, t.names.ru, t.names.en],
            code: t.soato,
        });
    }
    for o in seeds::organizations()? {
        out.push(Seeded {
            code: o.code,
            kind: EntityKind::parse(&o.kind)?,
            subkind: o.subkind,
            soato: None,
            tin: Some(o.tin),
            iso_code: None,
            parent_code: o.parent_code,
            abbreviation: o.abbreviation,
            website: o.website,
            rated: true,
            valid_from: o.valid_from,
            valid_to: o.valid_to,
            names: [o.names.uz_latn, o.names.uz_cyrl, o.names.ru, o.names.en],
        });
    }
    Ok(out)
}

fn current(e: &entities::Model, code_of: &HashMap<i32, String>) -> Seeded {
    Seeded {
        code: e.code.clone(),
        kind: e.kind,
        subkind: e.subkind.clone(),
        soato: e.soato.clone(),
        tin: e.tin.clone(),
        iso_code: e.iso_code.clone(),
        parent_code: e.parent_id.and_then(|p| code_of.get(&p).cloned()),
        abbreviation: e.abbreviation.clone(),
        website: e.website.clone(),
        rated: e.rated,
        valid_from: e.valid_from,
        valid_to: e.valid_to,
        names: [
            e.name_uz_latn.clone(),
            e.name_uz_cyrl.clone(),
            e.name_ru.clone(),
            e.name_en.clone(),
        ],
    }
}

/// Upserts the registry (territories, then organizations) in one transaction.
pub async fn registry(db: &DatabaseConnection) -> ServiceResult<SeedReport> {
    let rows = seeded_rows()?;
    let tx = db.begin().await?;
    let existing = entities::Entity::find().all(&tx).await?;
    let mut id_of: HashMap<String, i32> = existing.iter().map(|e| (e.code.clone(), e.id)).collect();
    let mut code_of: HashMap<i32, String> =
        existing.iter().map(|e| (e.id, e.code.clone())).collect();
    let mut by_code: HashMap<String, entities::Model> =
        existing.into_iter().map(|e| (e.code.clone(), e)).collect();
    // Region of every territory: walk up to level 1 through the seed's parents.
    let parent_of: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| r.parent_code.as_deref().map(|p| (r.code.as_str(), p)))
        .collect();
    let region_code = |code: &str| -> Option<String> {
        let mut c = parent_of.get(code).copied()?;
        while let Some(p) = parent_of.get(c) {
            c = p;
        }
        Some(c.to_owned())
    };
    let mut report = SeedReport::default();
    let now = Utc::now();
    // Parents come before children (territories are sorted, and the
    // organizations file lists parents first); say so if not.
    for row in &rows {
        let parent_id = match &row.parent_code {
            Some(p) => Some(*id_of.get(p).ok_or_else(|| {
                ServiceError::missing("seed parent", format!("{p}, defined before {}", row.code))
            })?),
            None => None,
        };
        let region_id = if row.kind == EntityKind::District {
            region_code(&row.code).and_then(|c| id_of.get(&c).copied())
        } else {
            None
        };
        if let Some(old) = by_code.get(&row.code) {
            if current(old, &code_of) == *row && old.region_id == region_id {
                continue;
            }
            let before = old.clone();
            let mut am: entities::ActiveModel = old.clone().into();
            fill(&mut am, row, parent_id, region_id);
            am.updated_at = Set(now);
            let after = am.update(&tx).await?;
            audit::record(
                &tx,
                &Actor::System("seed"),
                Change {
                    action: AuditAction::EntitySeedUpdate,
                    object_type: ObjectType::Entity,
                    object_id: after.id.to_string(),
                    before: Some(&before),
                    after: Some(&after),
                    reason: None,
                },
            )
            .await?;
            by_code.insert(row.code.clone(), after);
            report.updated += 1;
        } else {
            let mut am = entities::ActiveModel {
                id: NotSet,
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            fill(&mut am, row, parent_id, region_id);
            let inserted = am.insert(&tx).await?;
            id_of.insert(row.code.clone(), inserted.id);
            code_of.insert(inserted.id, row.code.clone());
            by_code.insert(row.code.clone(), inserted);
            report.inserted += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}

fn fill(
    am: &mut entities::ActiveModel,
    row: &Seeded,
    parent_id: Option<i32>,
    region_id: Option<i32>,
) {
    am.code = Set(row.code.clone());
    am.kind = Set(row.kind);
    am.subkind = Set(row.subkind.clone());
    am.soato = Set(row.soato.clone());
    am.tin = Set(row.tin.clone());
    am.iso_code = Set(row.iso_code.clone());
    am.parent_id = Set(parent_id);
    am.region_id = Set(region_id);
    am.abbreviation = Set(row.abbreviation.clone());
    am.website = Set(row.website.clone());
    am.rated = Set(row.rated);
    am.valid_from = Set(row.valid_from);
    am.valid_to = Set(row.valid_to);
    let [a, b, c, d] = row.names.clone();
    am.name_uz_latn = Set(a);
    am.name_uz_cyrl = Set(b);
    am.name_ru = Set(c);
    am.name_en = Set(d);
}

/// Stores every shipped methodology version that is not stored yet. A
/// stored version is never rewritten: versions are immutable once saved,
/// and a changed file must carry a new version.
pub async fn methodologies(db: &DatabaseConnection) -> ServiceResult<SeedReport> {
    use entity::methodology_versions as mv;
    use sea_orm::{ColumnTrait, QueryFilter};
    let mut report = SeedReport::default();
    let tx = db.begin().await?;
    for (file, src) in seeds::METHODOLOGIES {
        let m = methodology::parse(file, src)?;
        let sha = crate::ratings::sha256_hex(src.as_bytes());
        let stored = mv::Entity::find()
            .filter(mv::Column::Code.eq(&m.id))
            .filter(mv::Column::Version.eq(&m.version))
            .one(&tx)
            .await?;
        match stored {
            Some(row) if row.sha256 != sha => {
                tracing::warn!(
                    file,
                    "seed differs from the stored methodology {}; the stored version is kept",
                    m.key()
                );
            }
            Some(_) => {}
            None => {
                let valid_from = chrono::NaiveDate::parse_from_str(&m.valid_from, "%Y-%m-%d")
                    .map_err(|e| domain::ParseError::new("valid_from", format!("{file}: {e}")))?;
                let row = crate::methodologies::insert(&tx, &m, src, valid_from, None).await?;
                audit::record(
                    &tx,
                    &Actor::System("seed"),
                    Change::<(), _> {
                        action: AuditAction::MethodologySeed,
                        object_type: ObjectType::MethodologyVersion,
                        object_id: row.id.to_string(),
                        before: None,
                        after: Some(&m.key()),
                        reason: Some(file),
                    },
                )
                .await?;
                report.inserted += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(report)
}
