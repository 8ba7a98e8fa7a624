//! What people take away from a published rating: the national workbook of
//! a league, an entity's report card, a region's pack, the open-data
//! CSV/JSON, and the entity and region pages' data. Reads only public
//! snapshots (published, past their embargo) and the methodology versions
//! they name; the outputs themselves are built by [`crate::published`]
//! from the decoded snapshots alone, never from answers.

use domain::{Msg, Noun};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::EntityId;
use entity::{campaigns, entities, rating_snapshots};
use exports::{Lang, NationalRating};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub(crate) use crate::published::locale;
use crate::published::{self, Published};
use crate::ratings::Revision;
use crate::{ServiceError, ServiceResult};

pub use crate::output::Download;

/// A snapshot the public may read now: the given revision, or the newest.
pub async fn public_snapshot(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<(campaigns::Model, Revision)> {
    let campaign = campaign_by_code(db, campaign_code).await?;
    let snapshot = public_revision(db, &campaign, revision, now).await?;
    Ok((campaign, snapshot))
}

async fn campaign_by_code(
    db: &impl ConnectionTrait,
    campaign_code: &str,
) -> ServiceResult<campaigns::Model> {
    campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(campaign_code))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Campaign, campaign_code))
}

/// [`public_snapshot`] of a campaign already read.
async fn public_revision(
    db: &impl ConnectionTrait,
    campaign: &campaigns::Model,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<Revision> {
    let code = &campaign.code;
    let snapshot = crate::ratings::visible_revisions(db, campaign.id, now)
        .await?
        .into_iter()
        .find(|s| revision.is_none_or(|r| s.revision == r))
        .ok_or_else(|| {
            ServiceError::NotFound(Msg::NoPublishedRating {
                of: code.to_string(),
            })
        })?;
    if snapshot.status != "published" {
        return Err(ServiceError::NotFound(Msg::Retracted {
            campaign: code.to_string(),
            revision: snapshot.revision as u32,
        }));
    }
    Ok(snapshot)
}

/// A stored revision decoded: its payload, checked against its SHA-256,
/// and the methodology version it names, checked against the hash the
/// snapshot recorded (parsed once per process, `methodologies::load`).
pub(crate) async fn published(
    db: &impl ConnectionTrait,
    revision: Revision,
) -> ServiceResult<Published> {
    let payload = crate::ratings::payload(db, &revision).await?;
    let (sha256, methodology) =
        crate::methodologies::referenced_with_hash(db, revision.methodology_version_id).await?;
    if payload
        .methodology_sha256
        .as_ref()
        .is_some_and(|recorded| *recorded != sha256)
    {
        tracing::error!(
            revision = revision.revision,
            campaign = %payload.campaign,
            "a revision names a methodology version whose text changed since publication"
        );
        return Err(ServiceError::Unavailable(Msg::Withheld {
            revision: revision.revision as u32,
        }));
    }
    Ok(Published {
        revision,
        payload,
        methodology,
    })
}

/// The public revision of a campaign (`revision`, or the newest), decoded.
async fn public_published(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<Published> {
    let (_, snapshot) = public_snapshot(db, campaign_code, revision, now).await?;
    published(db, snapshot).await
}

/// A published league read and ready to be written as the national
/// workbook: writing it is CPU work (seconds for a national-scale league),
/// which the caller may move off the async runtime and watch.
pub struct WorkbookJob {
    rating: NationalRating,
    lang: Lang,
    file_name: String,
}

impl WorkbookJob {
    /// The file's name for Content-Disposition.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The MIME type.
    pub fn content_type(&self) -> &'static str {
        XLSX
    }

    /// Writes the workbook to `writer` as it is made (the compressed file
    /// comes out at the end, in order), telling `progress` how far it is.
    pub fn write_to(
        &self,
        writer: impl std::io::Write + Send,
        progress: &mut dyn FnMut(exports::Progress),
    ) -> ServiceResult<()> {
        Ok(exports::national_workbook_with_progress(
            &self.rating,
            self.lang,
            writer,
            progress,
        )?)
    }

    /// Writes the workbook into memory, telling `progress` how far it is.
    pub fn write(self, progress: &mut dyn FnMut(exports::Progress)) -> ServiceResult<Download> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes, progress)?;
        Ok(Download {
            file_name: self.file_name,
            content_type: XLSX,
            bytes,
        })
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The national workbook of a campaign's public revision (`revision`, or
/// the newest), read but not yet written.
pub async fn national_workbook_job(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<WorkbookJob> {
    let p = public_published(db, campaign_code, revision, now).await?;
    Ok(WorkbookJob {
        rating: published::national_rating(&p, lang),
        lang,
        file_name: format!(
            "daraja-{campaign_code}-r{}-{}.xlsx",
            p.revision.revision,
            lang.tag()
        ),
    })
}

/// The national workbook of a campaign's public revision, written.
pub async fn national_workbook(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    national_workbook_job(db, campaign_code, revision, lang, now)
        .await?
        .write(&mut |_| {})
}

/// The open data of one published league: `csv` or `json`.
pub async fn open_data(
    db: &impl ConnectionTrait,
    campaign_code: &str,
    revision: Option<i32>,
    format: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let p = public_published(db, campaign_code, revision, now).await?;
    let rating: NationalRating = published::national_rating(&p, Lang::En);
    let rows = exports::rating_rows(&rating);
    let (bytes, content_type) = match format {
        "csv" => (exports::ratings_csv(&rows), "text/csv; charset=utf-8"),
        "json" => (exports::ratings_json(&rows), "application/json"),
        other => return Err(ServiceError::NotFound(format!("format {other}").into())),
    };
    Ok(Download {
        file_name: format!("daraja-{campaign_code}-r{}.{format}", p.revision.revision),
        content_type,
        bytes: bytes?,
    })
}

/// The campaigns of a league, oldest deadline first.
async fn league_campaigns(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
) -> ServiceResult<Vec<campaigns::Model>> {
    Ok(campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(kind))
        .order_by_asc(campaigns::Column::Deadline)
        .all(db)
        .await?)
}

/// `c` as the public reads it at `now`; `None` while nothing of it is public.
async fn public_round(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Published>> {
    match public_revision(db, c, None, now).await {
        Ok(s) => Ok(Some(published(db, s).await?)),
        Err(ServiceError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Every round of a league with a public rating, oldest first.
async fn public_rounds(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Published>> {
    let mut rounds = Vec::new();
    for c in league_campaigns(db, kind).await? {
        rounds.extend(public_round(db, &c, now).await?);
    }
    Ok(rounds)
}

/// The rounds of a league as a chosen revision of one of its campaigns
/// saw them: the rounds before it as they stood when it was published, then
/// that revision. Without a campaign, every round as it stands now. So a
/// report card of a revision is the same file whatever is published later.
async fn rounds_as_of(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
    campaign: Option<&str>,
    revision: Option<i32>,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<Published>> {
    let Some(code) = campaign else {
        return public_rounds(db, kind, now).await;
    };
    let chosen = campaign_by_code(db, code).await?;
    if chosen.entity_kind != kind {
        return Err(ServiceError::NotFound(Msg::NotRatedIn {
            campaign: code.to_string(),
        }));
    }
    let last = public_revision(db, &chosen, revision, now).await?;
    let as_of = last.published_at;
    let mut rounds = Vec::new();
    for c in league_campaigns(db, kind).await? {
        if c.id == chosen.id {
            break;
        }
        rounds.extend(public_round(db, &c, as_of).await?);
    }
    rounds.push(published(db, last).await?);
    Ok(rounds)
}

/// The newest round of a league with a public rating, reading no other.
async fn newest_public_round(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
    now: DateTime<Utc>,
) -> ServiceResult<Option<Published>> {
    for c in league_campaigns(db, kind).await?.iter().rev() {
        if let Some(round) = public_round(db, c, now).await? {
            return Ok(Some(round));
        }
    }
    Ok(None)
}

async fn entity_row(db: &impl ConnectionTrait, id: i32) -> ServiceResult<entities::Model> {
    entities::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Entity, id))
}

/// An entity's public rating profile: every published round it took part
/// in, and for the newest its domains against the league and its gap list.
/// `None` when it has never been rated publicly.
pub async fn profile(
    db: &impl ConnectionTrait,
    entity_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::EntityProfile>> {
    let entity = entity_row(db, entity_id).await?;
    let rounds = public_rounds(db, entity.kind, now).await?;
    Ok(published::profile(&rounds, EntityId(entity_id)))
}

/// The map of the first-level units coloured by their districts' average
/// in a public district round: the given campaign's revision (`revision`,
/// or its newest), or the newest round; `None` before any.
pub async fn region_map(
    db: &impl ConnectionTrait,
    at: Option<(&str, Option<i32>)>,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::RegionMap>> {
    let round = match at {
        Some((code, revision)) => {
            let p = public_published(db, code, revision, now).await?;
            if p.payload.kind != domain::EntityKind::District {
                return Err(ServiceError::NotFound(Msg::NotRatedIn {
                    campaign: code.to_string(),
                }));
            }
            p
        }
        None => match newest_public_round(db, domain::EntityKind::District, now).await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let map = seeds::uzbekistan_map()?;
    let codes: Vec<String> = map.regions.iter().map(|r| r.soato.clone()).collect();
    let registry: HashMap<String, domain::EntityRef> = entities::Entity::find()
        .filter(entities::Column::Code.is_in(codes))
        .all(db)
        .await?
        .iter()
        .map(|e| (e.code.clone(), crate::scope::entity_ref(e)))
        .collect();
    Ok(Some(published::region_map(&round, map, &registry)))
}

/// A region's page from the public district ratings: its districts in the
/// newest round, their average and spread against the league, and the
/// trend over every published round. `None` before any.
pub async fn region_profile(
    db: &impl ConnectionTrait,
    region_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::RegionProfile>> {
    let region = entity_row(db, region_id).await?;
    if region.kind != domain::EntityKind::Region {
        return Err(ServiceError::not_found(Noun::Region, &region.code));
    }
    let rounds = public_rounds(db, domain::EntityKind::District, now).await?;
    Ok(published::region_profile(&rounds, EntityId(region_id)))
}

/// The report card of one entity: in its newest public rating, or in the
/// given campaign's revision (`revision`, or that campaign's newest).
pub async fn report_card(
    db: &impl ConnectionTrait,
    entity_id: i32,
    at: Option<(&str, Option<i32>)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let entity = entity_row(db, entity_id).await?;
    let (campaign, revision) = at.map_or((None, None), |(c, r)| (Some(c), r));
    let rounds = rounds_as_of(db, entity.kind, campaign, revision, now).await?;
    let card = published::card(&rounds, EntityId(entity_id), lang).ok_or_else(|| {
        ServiceError::NotFound(Msg::NoPublishedRating {
            of: entity.code.clone(),
        })
    })?;
    let bytes = exports::report_card(&card, lang)?;
    Ok(Download {
        file_name: format!(
            "daraja-report-card-{}-{}-{}.xlsx",
            card.code,
            card.campaign.period,
            lang.tag()
        ),
        content_type: XLSX,
        bytes,
    })
}

/// The region pack: one workbook, an overview and a report-card sheet per
/// rated district or city of the region.
pub async fn region_pack(
    db: &impl ConnectionTrait,
    region_id: i32,
    lang: Lang,
    now: DateTime<Utc>,
) -> ServiceResult<Download> {
    let region = entity_row(db, region_id)
        .await
        .ok()
        .filter(|r| r.kind == domain::EntityKind::Region)
        .ok_or_else(|| ServiceError::not_found(Noun::Region, region_id))?;
    let rounds = public_rounds(db, domain::EntityKind::District, now).await?;
    let (unit, cards) = published::region_cards(&rounds, EntityId(region_id), lang)
        .filter(|(_, cards)| !cards.is_empty())
        .ok_or_else(|| {
            ServiceError::NotFound(Msg::NoPublishedRating {
                of: region.code.clone(),
            })
        })?;
    let info = exports::RegionInfo {
        name: unit.names.get(locale(lang)).to_owned(),
        code: unit.code.clone(),
    };
    let bytes = exports::region_pack(&cards, &info, lang)?;
    Ok(Download {
        file_name: format!("daraja-region-pack-{}-{}.xlsx", unit.code, lang.tag()),
        content_type: XLSX,
        bytes,
    })
}

/// The newest public league of `kind` with what the what-if sandbox needs
/// to re-score it; `None` when nothing is published for that kind.
pub async fn what_if_base(
    db: &impl ConnectionTrait,
    kind: domain::EntityKind,
    now: DateTime<Utc>,
) -> ServiceResult<Option<domain::WhatIfBase>> {
    let Some(league) = crate::ratings::latest_public(db, now)
        .await?
        .into_iter()
        .find(|l| l.payload.kind == kind)
    else {
        return Ok(None);
    };
    let version: Option<i32> = rating_snapshots::Entity::find_by_id(league.snapshot_id)
        .select_only()
        .column(rating_snapshots::Column::MethodologyVersionId)
        .into_tuple()
        .one(db)
        .await?;
    let version = version.ok_or_else(|| ServiceError::missing("snapshot", league.snapshot_id))?;
    let m = crate::methodologies::referenced_parse(db, version).await?;
    let (aggregation, cap) = m
        .index_rule()
        .ok_or_else(|| ServiceError::shape("node 0 is the index"))?;
    Ok(Some(domain::WhatIfBase {
        weights: m
            .domains()
            .iter()
            .map(|&d| m.nodes[d].weight_for(kind.as_str()))
            .collect(),
        aggregation: aggregation.name().into(),
        cap,
        scale_max: m.scale_max,
        league,
    }))
}
