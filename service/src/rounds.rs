//! A campaign and its participants as stored, read the way every workflow
//! reads them: loading one, its status and a participant's, names,
//! deadlines and the summary lists show. The workflow modules (campaigns,
//! submissions, appeals, results) sit above this one.

use chrono::NaiveDate;
use domain::Noun;
use domain::{CampaignId, CampaignSummary, Names, StatusCounts, SubmissionStatus};
use entity::{campaigns, methodology_versions as mv, participants};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{ServiceError, ServiceResult};

pub(crate) fn names(c: &campaigns::Model) -> Names {
    Names {
        uz_latn: c.name_uz_latn.clone(),
        uz_cyrl: c.name_uz_cyrl.clone(),
        ru: c.name_ru.clone(),
        en: c.name_en.clone(),
    }
}

/// The last day an entity may submit: its extension, or the campaign's.
pub(crate) fn deadline_of(c: &campaigns::Model, p: &participants::Model) -> NaiveDate {
    p.deadline_override.unwrap_or(c.deadline)
}

pub(crate) async fn summary(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
    parts: Option<&[participants::Model]>,
) -> ServiceResult<CampaignSummary> {
    let loaded;
    let parts = match parts {
        Some(p) => p,
        None => {
            loaded = participants::Entity::find()
                .filter(participants::Column::CampaignId.eq(c.id))
                .all(db)
                .await?;
            &loaded
        }
    };
    let mut counts: StatusCounts = Default::default();
    for p in parts {
        let s = p.status;
        if let Some(i) = SubmissionStatus::ALL.iter().position(|x| *x == s) {
            counts[i] += 1;
        }
    }
    let version: Option<(String, String)> = mv::Entity::find_by_id(c.methodology_version_id)
        .select_only()
        .column(mv::Column::Code)
        .column(mv::Column::Version)
        .into_tuple()
        .one(db)
        .await?;
    let version = version
        .map(|(code, version)| format!("{code}@{version}"))
        .unwrap_or_default();
    Ok(CampaignSummary {
        id: CampaignId(c.id),
        code: c.code.clone(),
        period: c.period.clone(),
        kind: c.entity_kind,
        names: names(c),
        status: c.status,
        methodology: version,
        opens_on: c.opens_on.to_string(),
        deadline: c.deadline.to_string(),
        review_deadline: c.review_deadline.to_string(),
        appeal_until: c.appeal_until.to_string(),
        region_review: c.region_review,
        counts,
    })
}

pub(crate) async fn load(
    db: &impl ConnectionTrait,
    id: CampaignId,
) -> ServiceResult<campaigns::Model> {
    campaigns::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Campaign, id))
}
