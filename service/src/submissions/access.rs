//! One submission loaded with its campaign, entity and methodology, and who
//! may do what with it: read, edit, review (and at which stage of a
//! two-level round), correct after the campaign is final; its values,
//! evidence and the problems the methodology finds in them.

use domain::{
    AuditAction, CampaignId, CampaignStatus, FormIssue, ObjectType, ParticipantId, Role,
    SubmissionStatus,
};
use domain::{Locale, Msg, Noun};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{campaigns, entities, evidence, participants, submission_values, users};
use methodology::model::{IndicatorKind, Methodology, NodeIdx, Severity};
use methodology::validate::{Issue, IssueKind, Submission, validate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::answers::*;
use crate::audit::{self, Actor, Change};
use crate::rounds::{deadline_of, load as load_campaign};
use crate::{Principal, ServiceError, ServiceResult};

/// The league's round before `c` (same entity kind, opened earlier).
pub(super) async fn previous_round(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
) -> ServiceResult<Option<campaigns::Model>> {
    Ok(campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(c.entity_kind))
        .filter(campaigns::Column::OpensOn.lt(c.opens_on))
        .order_by_desc(campaigns::Column::OpensOn)
        .one(db)
        .await?)
}

/// Last period's answers for comparison: this entity's, and its peers'.
pub(super) struct Reference {
    by_entity: HashMap<i32, Vec<Option<f64>>>,
}

/// The approved answers of the campaign before `c` (same league, opened
/// earlier), laid out on `m`'s nodes by indicator code. Cached per process:
/// a campaign before this one is past review.
pub(super) async fn reference(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
    m: &Methodology,
) -> ServiceResult<Arc<Reference>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Reference>>>> = OnceLock::new();
    let Some(prev) = previous_round(db, c).await? else {
        return Ok(Arc::new(Reference {
            by_entity: HashMap::new(),
        }));
    };
    let key = format!(
        "{}/{}/{}/{}",
        prev.id,
        prev.code,
        prev.updated_at.timestamp_micros(),
        m.key()
    );
    let cache = CACHE.get_or_init(Default::default);
    if let Some(r) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(r);
    }
    let parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(prev.id))
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved))
        .all(db)
        .await?;
    let entity_of: HashMap<i32, i32> = parts.iter().map(|p| (p.id, p.entity_id)).collect();
    let ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    let mut by_entity: HashMap<i32, Vec<Option<f64>>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            let (Some(i), Some(e)) = (m.find(&v.indicator_code), entity_of.get(&v.participant_id))
            else {
                continue;
            };
            let Some(ind) = m.nodes[i].indicator() else {
                continue;
            };
            let raw = effective(&v).and_then(|x| x.raw(ind));
            by_entity
                .entry(*e)
                .or_insert_with(|| vec![None; m.nodes.len()])[i] = raw;
        }
    }
    let r = Arc::new(Reference { by_entity });
    if let Ok(mut c) = cache.lock() {
        c.insert(key, r.clone());
    }
    Ok(r)
}

/// Everything needed to check one submission.
pub(crate) struct Loaded {
    pub(crate) campaign: campaigns::Model,
    pub(crate) participant: participants::Model,
    pub(crate) entity: entities::Model,
    pub(crate) m: Arc<Methodology>,
    /// Last round's answers, read once per load (an autosave reads them
    /// to decide a number and again for the form's problems).
    last: OnceLock<Arc<Reference>>,
}

pub(crate) async fn load(db: &impl ConnectionTrait, id: ParticipantId) -> ServiceResult<Loaded> {
    let participant = participants::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Submission, id))?;
    let campaign = load_campaign(db, CampaignId(participant.campaign_id)).await?;
    let entity = entities::Entity::find_by_id(participant.entity_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Entity, participant.entity_id))?;
    let m = crate::methodologies::load(db, campaign.methodology_version_id).await?;
    Ok(Loaded::new(campaign, participant, entity, m))
}

impl Loaded {
    pub(crate) fn new(
        campaign: campaigns::Model,
        participant: participants::Model,
        entity: entities::Model,
        m: Arc<Methodology>,
    ) -> Self {
        Loaded {
            campaign,
            participant,
            entity,
            m,
            last: OnceLock::new(),
        }
    }

    /// Last round's approved answers of the league (see [`reference`]),
    /// read at most once per load.
    async fn last_answers(&self, db: &impl ConnectionTrait) -> ServiceResult<Arc<Reference>> {
        if let Some(r) = self.last.get() {
            return Ok(r.clone());
        }
        let r = reference(db, &self.campaign, &self.m).await?;
        Ok(self.last.get_or_init(|| r).clone())
    }

    /// Appends to this submission's history: its audit entries, which the
    /// form's history tab reads (`object_type = participant`).
    pub(crate) async fn record<B: Serialize, A: Serialize>(
        &self,
        tx: &impl ConnectionTrait,
        who: &Principal,
        action: AuditAction,
        before: Option<&B>,
        after: Option<&A>,
        reason: Option<&str>,
    ) -> ServiceResult<()> {
        self.record_as(tx, &Actor::User(who), action, before, after, reason)
            .await
    }

    /// An entry of this submission's history, to append with others
    /// ([`audit::record_many`]).
    pub(crate) fn entry<B: Serialize, A: Serialize>(
        &self,
        actor: &Actor<'_>,
        action: AuditAction,
        before: Option<&B>,
        after: Option<&A>,
        at: DateTime<Utc>,
    ) -> entity::audit_log::ActiveModel {
        audit::entry(
            actor,
            Change {
                action,
                object_type: ObjectType::Participant,
                object_id: self.participant.id.to_string(),
                before,
                after,
                reason: None,
            },
            at,
        )
    }

    /// [`Loaded::record`] for any actor (a feed writes too).
    pub(crate) async fn record_as<B: Serialize, A: Serialize>(
        &self,
        tx: &impl ConnectionTrait,
        actor: &Actor<'_>,
        action: AuditAction,
        before: Option<&B>,
        after: Option<&A>,
        reason: Option<&str>,
    ) -> ServiceResult<()> {
        audit::record(
            tx,
            actor,
            Change {
                action,
                object_type: ObjectType::Participant,
                object_id: self.participant.id.to_string(),
                before,
                after,
                reason,
            },
        )
        .await
    }

    pub(crate) fn readable_by(&self, who: &Principal) -> ServiceResult<()> {
        let region = self.entity.region_id.map(domain::EntityId);
        if who.can_read_entity(domain::EntityId(self.entity.id), region) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(Msg::OtherEntity))
        }
    }

    /// Why the principal may not edit answers now, if they may not.
    pub(crate) fn edit_refusal(&self, who: &Principal, today: NaiveDate) -> Option<Msg> {
        if !self.entered_by(who) {
            return Some(Msg::OnlyOwnOfficer);
        }
        self.state_refusal(today)
    }

    /// Whether `who` enters this entity's answers: its own officer, or for
    /// a district the officer of its region, who may collect its
    /// districts' answers (the region template, or their forms).
    pub(crate) fn entered_by(&self, who: &Principal) -> bool {
        who.speaks_for(domain::EntityId(self.entity.id))
            || (self.entity.kind == domain::EntityKind::District
                && who.covers_region(self.entity.region_id.map(domain::EntityId)))
    }

    /// Why nobody may change answers now (the submission's or the
    /// campaign's state, the deadline), if so.
    pub(crate) fn state_refusal(&self, today: NaiveDate) -> Option<Msg> {
        let status = self.participant.status;
        if !status.editable() {
            return Some(Msg::SubmissionReadOnly { status });
        }
        let cs = self.campaign.status;
        if !cs.accepts_answers() {
            return Some(Msg::CampaignClosed { status: cs });
        }
        if cs == CampaignStatus::Draft {
            return Some(Msg::CampaignNotOpen);
        }
        let deadline = deadline_of(&self.campaign, &self.participant);
        if status != SubmissionStatus::Returned && today > deadline {
            return Some(Msg::DeadlinePassed {
                deadline: deadline.to_string(),
            });
        }
        None
    }

    pub(crate) fn require_editable(&self, who: &Principal, today: NaiveDate) -> ServiceResult<()> {
        match self.edit_refusal(who, today) {
            None => Ok(()),
            Some(why) if self.entered_by(who) => Err(ServiceError::Conflict(why)),
            Some(why) => Err(ServiceError::Forbidden(why)),
        }
    }

    /// Who reviews the submission now, if anyone: the region's officer
    /// while a two-level round's submission waits for its region, else the
    /// ministry's reviewers.
    pub(crate) fn review_stage(&self) -> ServiceResult<Option<ReviewStage>> {
        Ok(match self.participant.status {
            SubmissionStatus::Submitted if self.campaign.region_review => Some(ReviewStage::Region),
            SubmissionStatus::Submitted | SubmissionStatus::Endorsed => Some(ReviewStage::Ministry),
            _ => None,
        })
    }

    pub(crate) fn require_reviewable(&self, who: &Principal) -> ServiceResult<ReviewStage> {
        let ministry = who.user.has(Role::Reviewer) || who.user.has(Role::Admin);
        let region = self.campaign.region_review
            && who.covers_region(self.entity.region_id.map(domain::EntityId));
        if !(ministry || region) {
            return Err(ServiceError::Forbidden(Msg::RoleRequired {
                roles: vec![Role::Reviewer, Role::Admin],
            }));
        }
        let status = self.participant.status;
        let stage = self
            .review_stage()?
            .ok_or_else(|| ServiceError::Conflict(Msg::NotSubmitted { status }))?;
        match stage {
            ReviewStage::Region if region => Ok(stage),
            ReviewStage::Region => Err(ServiceError::Conflict(Msg::RegionReviewsFirst)),
            ReviewStage::Ministry if ministry => Ok(stage),
            ReviewStage::Ministry => Err(ServiceError::Forbidden(Msg::MinistryReviewsNow)),
        }
    }

    /// Reviewers may still correct single values of an approved submission
    /// once the campaign is final: the correction a new revision of the
    /// published rating then carries.
    pub(crate) fn require_correctable(&self, who: &Principal) -> ServiceResult<()> {
        if self.participant.status == SubmissionStatus::Approved
            && self.campaign.status == CampaignStatus::Final
        {
            return who.require_any(&[Role::Reviewer, Role::Admin]);
        }
        self.require_reviewable(who).map(drop)
    }

    pub(crate) async fn values(
        &self,
        db: &impl ConnectionTrait,
    ) -> ServiceResult<Vec<submission_values::Model>> {
        Ok(submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(self.participant.id))
            .all(db)
            .await?)
    }

    /// Its stored values by indicator code.
    pub(crate) async fn values_by_code(
        &self,
        db: &impl ConnectionTrait,
    ) -> ServiceResult<HashMap<String, submission_values::Model>> {
        Ok(self
            .values(db)
            .await?
            .into_iter()
            .map(|v| (v.indicator_code.clone(), v))
            .collect())
    }

    pub(crate) async fn evidence(
        &self,
        db: &impl ConnectionTrait,
    ) -> ServiceResult<Vec<evidence::Model>> {
        Ok(evidence::Entity::find()
            .filter(evidence::Column::ParticipantId.eq(self.participant.id))
            .order_by_asc(evidence::Column::Id)
            .all(db)
            .await?)
    }

    /// This entity's approved answer to `code` in the league's round before
    /// this one, as a number.
    pub(crate) async fn last_round(
        &self,
        db: &impl ConnectionTrait,
        code: &str,
    ) -> ServiceResult<Option<f64>> {
        let Some(i) = self.m.find(code) else {
            return Ok(None);
        };
        let r = self.last_answers(db).await?;
        Ok(r.by_entity
            .get(&self.entity.id)
            .and_then(|v| v.get(i).copied().flatten()))
    }

    /// Every problem of the submission as stored now, its numbers written
    /// the way `locale` writes them.
    pub(crate) async fn issues(
        &self,
        db: &impl ConnectionTrait,
        values: &[submission_values::Model],
        ev: &[evidence::Model],
        locale: Locale,
    ) -> ServiceResult<Vec<FormIssue>> {
        let m = &self.m;
        let mut raw = vec![None; m.nodes.len()];
        let mut justified = vec![false; m.nodes.len()];
        for v in values {
            if let Some(i) = m.find(&v.indicator_code)
                && let Some(ind) = m.nodes[i].indicator()
            {
                raw[i] = parse_stored(&v.value).and_then(|x| x.raw(ind));
                justified[i] = v.comment.as_deref().is_some_and(|c| !c.trim().is_empty());
            }
        }
        let mut has_evidence = vec![false; m.nodes.len()];
        for e in ev {
            if let Some(i) = m.find(&e.indicator_code) {
                has_evidence[i] = true;
            }
        }
        // A URL or legal-act answer is its own evidence.
        for (i, _, ind) in m.indicators() {
            if matches!(ind.kind, IndicatorKind::Url | IndicatorKind::LegalAct) && raw[i].is_some()
            {
                has_evidence[i] = true;
            }
        }
        let r = self.last_answers(db).await?;
        let previous = r.by_entity.get(&self.entity.id).map(Vec::as_slice);
        let peers: Vec<&[Option<f64>]> = r.by_entity.values().map(Vec::as_slice).collect();
        let found = validate(
            m,
            &Submission {
                raw: &raw,
                evidence: &has_evidence,
                previous,
                peers: &peers,
            },
        );
        Ok(found
            .iter()
            .map(|i| form_issue(m, i, justified[i.node], locale))
            .collect())
    }
}

/// A form problem as the page shows it, its numbers written the way `l`
/// writes them (`99 999 ∉ [0; 10 000]`).
pub(super) fn form_issue(m: &Methodology, i: &Issue, justified: bool, l: Locale) -> FormIssue {
    let num = |x: f64| l.format_plain(x);
    let (code, detail) = match &i.kind {
        IssueKind::Required => ("required", String::new()),
        IssueKind::OutOfRange { value, min, max } => (
            "out_of_range",
            format!("{} ∉ [{}; {}]", num(*value), num(*min), num(*max)),
        ),
        IssueKind::EvidenceMissing => ("evidence_missing", String::new()),
        IssueKind::Rule { rule } => {
            let expr = m
                .rules
                .iter()
                .find(|r| &r.code == rule)
                .map(|r| r.expr.as_str())
                .unwrap_or("");
            ("rule", format!("{rule}: {expr}"))
        }
        IssueKind::OutlierVsPrevious { previous, change } => {
            let pct = l.format_number(change.abs() * 100.0, 0);
            let sign = if *change < 0.0 { "−" } else { "+" };
            (
                "outlier_previous",
                format!("{} → {sign}{pct} %", num(*previous)),
            )
        }
        IssueKind::OutlierVsPeers { z } => {
            let sign = if *z < 0.0 { "−" } else { "+" };
            (
                "outlier_peers",
                format!("z = {sign}{}", l.format_number(z.abs(), 1)),
            )
        }
    };
    let hard = i.severity == Severity::Hard;
    FormIssue {
        indicator: m.nodes[i.node].code.clone(),
        hard,
        code: code.into(),
        detail,
        justified: !hard && justified,
    }
}

/// The domain (child of the index) an indicator belongs to.
pub(crate) fn domain_of(m: &Methodology, mut i: NodeIdx) -> NodeIdx {
    while let Some(p) = m.nodes[i].parent {
        if p == 0 {
            return i;
        }
        i = p;
    }
    i
}

pub(crate) async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> ServiceResult<HashMap<i32, String>> {
    let ids: Vec<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Whose review a submission waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReviewStage {
    /// The officer of the district's region (two-level rounds).
    Region,
    /// The ministry's reviewers.
    Ministry,
}
