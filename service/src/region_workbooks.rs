//! A region's districts in one workbook: the region officer's view of a
//! district round (every district's status), its Excel template with a row
//! per district, and the upload that saves every district's changes
//! together or none, each through the same checks and versioned write as a
//! single form's ([`crate::workbooks`]).

use domain::Msg;
use domain::Noun;
use domain::{AuditAction, ImportChange, ImportProblem, ImportReport, ParseError, ParticipantId};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::submission_values;
use exports::Lang;
use exports::region_template::{RegionRow, RegionTemplate, region_template_workbook};
use exports::template::{FilledRow, FilledTemplate, Layout};
use exports::upload::read_template;
use methodology::model::Methodology;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::downloads::{Download, locale};
use crate::submissions::access::Loaded;
use crate::submissions::answers::text_of;
use crate::{Principal, ServiceError, ServiceResult};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

use crate::workbooks::*;

/// A region of a district campaign, for its template and uploads: the
/// region's row, and its districts' submissions loaded.
struct RegionRound {
    campaign: entity::campaigns::Model,
    region: entity::entities::Model,
    /// The campaign's pinned methodology.
    m: std::sync::Arc<Methodology>,
    districts: Vec<Loaded>,
}

impl RegionRound {
    /// Every district's stored answers, by participant and indicator code,
    /// in one read.
    async fn values(
        &self,
        db: &impl ConnectionTrait,
    ) -> ServiceResult<HashMap<i32, HashMap<String, submission_values::Model>>> {
        let ids: Vec<i32> = self.districts.iter().map(|l| l.participant.id).collect();
        let mut out: HashMap<i32, HashMap<String, submission_values::Model>> = HashMap::new();
        for chunk in ids.chunks(500) {
            for v in submission_values::Entity::find()
                .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
                .all(db)
                .await?
            {
                out.entry(v.participant_id)
                    .or_default()
                    .insert(v.indicator_code.clone(), v);
            }
        }
        Ok(out)
    }
}

/// The districts of `region` taking part in `campaign`, readable by `who`
/// (the region's officer, ministry staff, viewers).
async fn region_round(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: domain::CampaignId,
    region: domain::EntityId,
) -> ServiceResult<RegionRound> {
    use entity::{entities, participants};
    let c = crate::campaigns::load(db, campaign).await?;
    let r = entities::Entity::find_by_id(region.0)
        .one(db)
        .await?
        .filter(|e| e.kind == domain::EntityKind::Region)
        .ok_or_else(|| ServiceError::not_found(Noun::Region, region))?;
    if !who.can_read_entity(region, None) {
        return Err(ServiceError::Forbidden(Msg::OnlyRegionOfficer));
    }
    if c.entity_kind != domain::EntityKind::District {
        return Err(ParseError::new(
            "campaign",
            format!("{} rates {}, not districts", c.code, c.entity_kind),
        )
        .into());
    }
    let in_region: HashMap<i32, entities::Model> = entities::Entity::find()
        .filter(entities::Column::RegionId.eq(r.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let m = crate::methodologies::load(db, c.methodology_version_id).await?;
    let mut districts: Vec<Loaded> = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .filter(participants::Column::EntityId.is_in(in_region.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| {
            in_region
                .get(&p.entity_id)
                .map(|e| Loaded::new(c.clone(), p, e.clone(), m.clone()))
        })
        .collect();
    districts.sort_by(|a, b| a.entity.code.cmp(&b.entity.code));
    Ok(RegionRound {
        campaign: c,
        region: r,
        m,
        districts,
    })
}

/// The template of all of a region's districts in a campaign: a row per
/// district with its current answers, a column per question.
pub async fn region_template(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: domain::CampaignId,
    region: domain::EntityId,
    lang: Lang,
) -> ServiceResult<Download> {
    let rr = region_round(db, who, campaign, region).await?;
    let loc = locale(lang);
    let m = &rr.m;
    // The questions alone: answers are per row.
    let questions = questions(m, loc, |_| None);
    let values = rr.values(db).await?;
    let rows = rr
        .districts
        .iter()
        .map(|l| {
            let stored = values.get(&l.participant.id);
            RegionRow {
                participant: l.participant.id,
                code: l.entity.code.clone(),
                name: crate::registry::names(&l.entity).get(loc).to_owned(),
                answers: questions
                    .iter()
                    .map(|q| {
                        let v = stored.and_then(|s| s.get(&q.code));
                        (
                            v.and_then(|v| text_of(&v.value)),
                            v.map_or(0, |v| v.version),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let t = RegionTemplate {
        campaign: workbook_campaign(&rr.campaign, loc),
        campaign_id: rr.campaign.id,
        campaign_code: rr.campaign.code.clone(),
        region_code: rr.region.code.clone(),
        region_name: crate::registry::names(&rr.region).get(loc).to_owned(),
        methodology: m.key(),
        deadline: rr.campaign.deadline.to_string(),
        questions,
        rows,
    };
    let bytes = region_template_workbook(&t, lang)?;
    Ok(Download {
        file_name: format!(
            "daraja-{}-region-{}-{}.xlsx",
            rr.campaign.code,
            rr.region.code,
            lang.tag()
        ),
        content_type: XLSX,
        bytes,
    })
}

/// Checks an uploaded region template against every district's
/// submission and, unless `dry_run` or anything is wrong anywhere, saves
/// every changed answer of every district in one transaction, each through
/// the versioned write and audited, with a `workbook.import` entry on each
/// district changed. The report is kept (`region_imports`) either way.
pub async fn import_region(
    db: &DatabaseConnection,
    who: &Principal,
    campaign: domain::CampaignId,
    region: domain::EntityId,
    file: Uploaded<'_>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> ServiceResult<ImportReport> {
    if !who.covers_region(Some(region)) {
        return Err(ServiceError::Forbidden(Msg::OnlyRegionOfficer));
    }
    let rr = region_round(db, who, campaign, region).await?;
    let RegionPlan {
        plans,
        unchanged,
        mut problems,
    } = plan_region(db, who, &rr, file.bytes, now).await?;
    let file_name = crate::files::display_name(file.name);
    let sha = format!("{:x}", Sha256::digest(file.bytes));
    let changes: Vec<ImportChange> = plans
        .iter()
        .flat_map(|(_, p)| p.iter().map(|c| c.change.clone()))
        .collect();
    let tx = crate::db::begin_write(db).await?;
    let mut applied = false;
    if problems.is_empty() && !dry_run {
        let upload = UploadedAs {
            file_name: &file_name,
            sha256: &sha,
        };
        if let Some(lost) = write_region(&tx, who, &rr, &plans, &upload, now).await? {
            problems.push(lost);
        }
        applied = problems.is_empty();
    }
    let tx = if applied {
        tx
    } else {
        // Nothing of a refused upload stays: only its report.
        tx.rollback().await?;
        db.begin().await?
    };
    let body = Stored {
        changes,
        unchanged,
        problems,
    };
    let row = entity::region_imports::ActiveModel {
        id: NotSet,
        campaign_id: Set(rr.campaign.id),
        region_id: Set(rr.region.id),
        user_id: Set(Some(who.user.id.0)),
        file_name: Set(file_name),
        file_sha256: Set(sha),
        dry_run: Set(dry_run),
        applied: Set(applied),
        report: Set(serde_json::to_string(&body)?),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    Ok(kept_report(
        row.id,
        row.file_name,
        (row.dry_run, row.applied),
        row.created_at,
        body,
        who.user.display_name.clone(),
    ))
}

/// What a region upload would change: each district's planned writes (by
/// its index in the round), how many answers stay as they are, and every
/// problem found.
struct RegionPlan {
    plans: Vec<(usize, Vec<Planned>)>,
    unchanged: usize,
    problems: Vec<ImportProblem>,
}

/// Reads an uploaded region template and checks it, district by district,
/// against the stored answers; writes nothing.
async fn plan_region(
    db: &impl ConnectionTrait,
    who: &Principal,
    rr: &RegionRound,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> ServiceResult<RegionPlan> {
    let mut out = RegionPlan {
        plans: Vec::new(),
        unchanged: 0,
        problems: Vec::new(),
    };
    let filled = match read_template(bytes) {
        Err(e) => {
            out.problems
                .push(problem(String::new(), "file", e.to_string()));
            return Ok(out);
        }
        Ok(filled) => filled,
    };
    if let Some(wrong) = wrong_workbook(&filled, rr) {
        out.problems.push(wrong);
        return Ok(out);
    }
    let mut values = rr.values(db).await?;
    // The rows of each district, in sheet order.
    let mut groups: Vec<(String, Vec<&FilledRow>)> = Vec::new();
    for row in &filled.rows {
        match groups.iter_mut().find(|(e, _)| *e == row.entity) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((row.entity.clone(), vec![row])),
        }
    }
    for (code, rows) in groups {
        let Some(i) = rr.districts.iter().position(|l| l.entity.code == code) else {
            out.problems.push(problem(
                rows[0].keys.entity.clone(),
                "entity",
                format!(
                    "{code:?} is not a district of {} in this campaign; the key columns must stay as downloaded",
                    rr.region.code
                ),
            ));
            continue;
        };
        let l = &rr.districts[i];
        let current = values.remove(&l.participant.id).unwrap_or_default();
        let (planned, same, found) = check_rows(l, &rows, filled.lang, &current);
        out.unchanged += same;
        out.problems.extend(found);
        if !planned.is_empty() {
            if let Some(why) = l.edit_refusal(who, now.date_naive()) {
                out.problems.push(problem(
                    rows[0].keys.entity.clone(),
                    "entity",
                    format!("{code}: {why}"),
                ));
                continue;
            }
            out.plans.push((i, planned));
        }
    }
    Ok(out)
}

/// Why a filled workbook is not this region round's template (another
/// layout, campaign, region or methodology), if it is not.
fn wrong_workbook(filled: &FilledTemplate, rr: &RegionRound) -> Option<ImportProblem> {
    let stamp = |k: &str| filled.stamp.get(k).map(String::as_str).unwrap_or("");
    let key = rr.m.key();
    if filled.layout != Layout::Region {
        Some(problem(
            String::new(),
            "file",
            "this is one submission's template: upload it on that district's form".into(),
        ))
    } else if stamp("campaign_id") != rr.campaign.id.to_string() {
        Some(problem(
            String::new(),
            "campaign",
            format!(
                "the workbook is the template of campaign {:?}, not of {:?}",
                stamp("campaign"),
                rr.campaign.code
            ),
        ))
    } else if stamp("region") != rr.region.code {
        Some(problem(
            String::new(),
            "region",
            format!(
                "the workbook is region {:?}'s, this page is {:?}'s",
                stamp("region"),
                rr.region.code
            ),
        ))
    } else if stamp("methodology") != key {
        Some(problem(
            String::new(),
            "methodology",
            format!(
                "the workbook follows methodology {:?}, the campaign pins {key:?}",
                stamp("methodology")
            ),
        ))
    } else {
        None
    }
}

/// An uploaded file as its audit entries name it.
struct UploadedAs<'a> {
    file_name: &'a str,
    sha256: &'a str,
}

/// Writes every district's planned changes in `tx`, each district's with
/// a `workbook.import` entry;
/// stops at the first answer changed meanwhile by someone else, and
/// returns that problem.
async fn write_region(
    tx: &sea_orm::DatabaseTransaction,
    who: &Principal,
    rr: &RegionRound,
    plans: &[(usize, Vec<Planned>)],
    upload: &UploadedAs<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<Option<ImportProblem>> {
    for (i, planned) in plans {
        let l = &rr.districts[*i];
        if let Some(lost) = write_planned(tx, who, l, planned, now).await? {
            return Ok(Some(lost));
        }
        l.record(
            tx,
            who,
            AuditAction::WorkbookImport,
            None::<&()>,
            Some(&serde_json::json!({
                "file": upload.file_name,
                "sha256": upload.sha256,
                "changed": planned.len(),
                "region": rr.region.code,
            })),
            None,
        )
        .await?;
    }
    Ok(None)
}

/// A kept report of a region template upload, for whoever may read the
/// region's districts.
pub async fn region_report(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: domain::CampaignId,
    region: domain::EntityId,
    report: i32,
) -> ServiceResult<ImportReport> {
    let rr = region_round(db, who, campaign, region).await?;
    let row = entity::region_imports::Entity::find_by_id(report)
        .filter(entity::region_imports::Column::CampaignId.eq(rr.campaign.id))
        .filter(entity::region_imports::Column::RegionId.eq(rr.region.id))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Upload, report))?;
    let body: Stored = serde_json::from_str(&row.report)
        .map_err(ServiceError::unreadable("upload report", report))?;
    let by = uploader(db, row.user_id).await?;
    Ok(kept_report(
        row.id,
        row.file_name,
        (row.dry_run, row.applied),
        row.created_at,
        body,
        by,
    ))
}

/// A region's districts in a campaign as its page lists them: entity,
/// submission, status, answered questions.
pub async fn region_districts(
    db: &impl ConnectionTrait,
    who: &Principal,
    campaign: domain::CampaignId,
    region: domain::EntityId,
) -> ServiceResult<domain::RegionRound> {
    let rr = region_round(db, who, campaign, region).await?;
    let ids: Vec<i32> = rr.districts.iter().map(|l| l.participant.id).collect();
    // Counted as the cockpit counts them.
    let (questions, answered) = crate::campaigns::answered(db, &rr.m, &ids).await?;
    let today = Utc::now().date_naive();
    let mut rows = Vec::with_capacity(rr.districts.len());
    for l in &rr.districts {
        rows.push(domain::RegionDistrict {
            participant: ParticipantId(l.participant.id),
            entity: crate::scope::entity_ref(&l.entity),
            status: l.participant.status,
            answered: answered.get(&l.participant.id).copied().unwrap_or(0),
            editable: l.edit_refusal(who, today).is_none(),
        });
    }
    Ok(domain::RegionRound {
        campaign: crate::campaigns::summary(db, &rr.campaign, None).await?,
        region: crate::scope::entity_ref(&rr.region),
        questions,
        districts: rows,
    })
}

/// The district campaigns under way in the regions `who` speaks for, with
/// the region: what a region's officer collects and reviews.
pub async fn region_rounds(
    db: &impl ConnectionTrait,
    who: &Principal,
) -> ServiceResult<Vec<(domain::CampaignSummary, domain::EntityRef)>> {
    use domain::CampaignStatus as S;
    let regions: Vec<domain::EntityRef> = who
        .user
        .own_entities()
        .filter(|e| e.kind == domain::EntityKind::Region)
        .cloned()
        .collect();
    if regions.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for c in entity::campaigns::Entity::find()
        .filter(entity::campaigns::Column::EntityKind.eq(domain::EntityKind::District))
        .filter(entity::campaigns::Column::Status.is_in([S::Open, S::Closed, S::UnderReview]))
        .all(db)
        .await?
    {
        let summary = crate::campaigns::summary(db, &c, None).await?;
        for r in &regions {
            out.push((summary.clone(), r.clone()));
        }
    }
    Ok(out)
}
