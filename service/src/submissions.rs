//! Submissions: the form an officer fills in, saved value by value with
//! optimistic concurrency, checked against the methodology as they type,
//! evidence, submission, and the reviewer's verdicts, returns and approval.
//!
//! A value is stored as the JSON of a `methodology::Value` (`"null"` once
//! cleared) and carries a `version`: a save names the version it was
//! edited from, and if someone saved in between nothing is written and
//! both versions come back ([`SaveOutcome::Conflict`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    CampaignId, CampaignStatus, CommentItem, Conflict, Earlier, EvidenceItem, FormField, FormIssue,
    FormSection, ParseError, ParticipantId, QueueFilter, QueueItem, ReviewAction, ReviewStatus,
    Role, SaveOutcome, SubmissionForm, SubmissionStatus,
};
use entity::{
    campaigns, entities, evidence, participants, review_comments, submission_values, users,
};
use methodology::model::{IndicatorKind, Methodology, NodeIdx, Severity};
use methodology::validate::{Issue, IssueKind, Submission, validate};
use methodology::value::{Value, is_url};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::campaigns::{deadline_of, load as load_campaign, participant_status, status_of};
use crate::scope::entity_ref;
use crate::{Principal, ServiceError, ServiceResult};

/// The stored text of a cleared value.
const CLEARED: &str = "null";

/// The answer a stored value holds, if any (`None` once cleared).
fn parse_stored(json: &str) -> Option<Value> {
    serde_json::from_str::<Option<Value>>(json).ok().flatten()
}

/// The value that counts for scoring: the reviewer's adjustment if any,
/// nothing if rejected, else the officer's answer.
pub(crate) fn effective(v: &submission_values::Model) -> Option<Value> {
    match ReviewStatus::parse(&v.review_status) {
        Ok(ReviewStatus::Rejected) => None,
        Ok(ReviewStatus::Adjusted) => v.reviewed_value.as_deref().and_then(parse_stored),
        _ => parse_stored(&v.value),
    }
}

pub(crate) fn text_of(json: &str) -> Option<String> {
    parse_stored(json).map(|v| v.to_text())
}

/// Reads an answer typed for indicator `code`; `None` for an empty field.
pub(crate) fn parse_answer(
    m: &Methodology,
    code: &str,
    text: Option<&str>,
) -> ServiceResult<(NodeIdx, Option<Value>)> {
    let i = m.find(code).ok_or_else(|| {
        ParseError::new("indicator", format!("no indicator {code:?} in {}", m.key()))
    })?;
    let ind = m.nodes[i].indicator().ok_or_else(|| {
        ParseError::new("indicator", format!("{code} is a group, not a question"))
    })?;
    if matches!(ind.kind, IndicatorKind::Formula { .. }) {
        return Err(
            ParseError::new("value", format!("{code} is computed from other answers")).into(),
        );
    }
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok((i, None)),
        Some(t) => Value::parse(ind, t)
            .map(|v| (i, Some(v)))
            .map_err(|e| ParseError::new("value", format!("{code}: {e}")).into()),
    }
}

pub(crate) fn json_of(v: &Option<Value>) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| CLEARED.to_owned())
}

/// The first stored version of a value: entered by a person (`who`; the
/// system when `None`) now, nothing answered yet, no verdict.
pub(crate) fn first_value(
    participant: i32,
    code: &str,
    who: Option<&Principal>,
    now: DateTime<Utc>,
) -> submission_values::ActiveModel {
    submission_values::ActiveModel {
        id: NotSet,
        participant_id: Set(participant),
        indicator_code: Set(code.to_owned()),
        value: Set(CLEARED.to_owned()),
        reviewed_value: Set(None),
        review_status: Set(ReviewStatus::Pending.as_str().into()),
        comment: Set(None),
        source: Set("person".into()),
        prefilled: Set(false),
        locked: Set(false),
        version: Set(1),
        updated_by: Set(who.map(|w| w.user.id.0)),
        updated_at: Set(now),
    }
}

/// The league's round before `c` (same entity kind, opened earlier).
async fn previous_round(
    db: &impl ConnectionTrait,
    c: &campaigns::Model,
) -> ServiceResult<Option<campaigns::Model>> {
    Ok(campaigns::Entity::find()
        .filter(campaigns::Column::EntityKind.eq(&c.entity_kind))
        .filter(campaigns::Column::OpensOn.lt(c.opens_on))
        .order_by_desc(campaigns::Column::OpensOn)
        .one(db)
        .await?)
}

/// This entity's counted answers in the previous round, by indicator code,
/// if it was approved there.
async fn previous_answers(
    db: &impl ConnectionTrait,
    l: &Loaded,
) -> ServiceResult<HashMap<String, String>> {
    let Some(prev) = previous_round(db, &l.campaign).await? else {
        return Ok(HashMap::new());
    };
    let Some(part) = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(prev.id))
        .filter(participants::Column::EntityId.eq(l.entity.id))
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved.as_str()))
        .one(db)
        .await?
    else {
        return Ok(HashMap::new());
    };
    Ok(submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(part.id))
        .all(db)
        .await?
        .iter()
        .filter_map(|v| effective(v).map(|x| (v.indicator_code.clone(), x.to_text())))
        .collect())
}

/// The answers at the submission a reader compares with: the one before
/// the current submission when the work is submitted or approved, else
/// the last one. `None` before any second look is possible.
fn submitted_answers(
    history: &[domain::AuditEntry],
    status: SubmissionStatus,
) -> Option<(HashMap<String, Option<String>>, String)> {
    let mut submits = history
        .iter()
        .rev()
        .filter(|h| h.action == "submission.submit");
    if matches!(
        status,
        SubmissionStatus::Submitted | SubmissionStatus::Endorsed | SubmissionStatus::Approved
    ) {
        submits.next();
    }
    let entry = submits.next()?;
    let after: serde_json::Value = serde_json::from_str(entry.after.as_deref()?).ok()?;
    let values = serde_json::from_value(after.get("values")?.clone()).ok()?;
    Some((values, entry.at.clone()))
}

/// Last period's answers for comparison: this entity's, and its peers'.
struct Reference {
    by_entity: HashMap<i32, Vec<Option<f64>>>,
}

/// The approved answers of the campaign before `c` (same league, opened
/// earlier), laid out on `m`'s nodes by indicator code. Cached per process:
/// a campaign before this one is past review.
async fn reference(
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
        .filter(participants::Column::Status.eq(SubmissionStatus::Approved.as_str()))
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
}

pub(crate) async fn load(db: &impl ConnectionTrait, id: ParticipantId) -> ServiceResult<Loaded> {
    let participant = participants::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("submission {id}")))?;
    let campaign = load_campaign(db, CampaignId(participant.campaign_id)).await?;
    let entity = entities::Entity::find_by_id(participant.entity_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("entity {}", participant.entity_id)))?;
    let m = crate::methodologies::load(db, campaign.methodology_version_id).await?;
    Ok(Loaded {
        campaign,
        participant,
        entity,
        m,
    })
}

impl Loaded {
    /// Appends to this submission's history: its audit entries, which the
    /// form's history tab reads (`object_type = participant`).
    pub(crate) async fn record<B: Serialize, A: Serialize>(
        &self,
        tx: &impl ConnectionTrait,
        who: &Principal,
        action: &str,
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
        action: &str,
        before: Option<&B>,
        after: Option<&A>,
        at: DateTime<Utc>,
    ) -> entity::audit_log::ActiveModel {
        audit::entry(
            actor,
            Change {
                action,
                object_type: "participant",
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
        action: &str,
        before: Option<&B>,
        after: Option<&A>,
        reason: Option<&str>,
    ) -> ServiceResult<()> {
        audit::record(
            tx,
            actor,
            Change {
                action,
                object_type: "participant",
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
            Err(ServiceError::Forbidden(
                "this submission belongs to another entity".into(),
            ))
        }
    }

    /// Why the principal may not edit answers now, if they may not.
    pub(crate) fn edit_refusal(&self, who: &Principal, today: NaiveDate) -> Option<String> {
        if !self.entered_by(who) {
            return Some(
                "only the entity's own officer (or, for a district, its region's) edits its answers"
                    .into(),
            );
        }
        self.state_refusal(today)
    }

    /// Whether `who` enters this entity's answers: its own officer, or for
    /// a district the officer of its region, who may collect its
    /// districts' answers (the region template, or their forms).
    pub(crate) fn entered_by(&self, who: &Principal) -> bool {
        who.speaks_for(domain::EntityId(self.entity.id))
            || (self.entity.kind == domain::EntityKind::District.as_str()
                && who.covers_region(self.entity.region_id.map(domain::EntityId)))
    }

    /// Why nobody may change answers now (the submission's or the
    /// campaign's state, the deadline), if so.
    pub(crate) fn state_refusal(&self, today: NaiveDate) -> Option<String> {
        let status = participant_status(&self.participant).ok()?;
        if !status.editable() {
            return Some(format!(
                "the submission is {status}: it is read-only until returned"
            ));
        }
        let cs = status_of(&self.campaign).ok()?;
        if !cs.accepts_answers() {
            return Some(format!("the campaign is {cs}"));
        }
        if cs == CampaignStatus::Draft {
            return Some("the campaign has not opened".into());
        }
        let deadline = deadline_of(&self.campaign, &self.participant);
        if status != SubmissionStatus::Returned && today > deadline {
            return Some(format!("the deadline {deadline} has passed"));
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
        Ok(match participant_status(&self.participant)? {
            SubmissionStatus::Submitted if self.campaign.region_review => Some(ReviewStage::Region),
            SubmissionStatus::Submitted | SubmissionStatus::Endorsed => Some(ReviewStage::Ministry),
            _ => None,
        })
    }

    fn require_reviewable(&self, who: &Principal) -> ServiceResult<ReviewStage> {
        let ministry = who.user.has(Role::Reviewer) || who.user.has(Role::Admin);
        let region = self.campaign.region_review
            && who.covers_region(self.entity.region_id.map(domain::EntityId));
        if !(ministry || region) {
            return Err(ServiceError::Forbidden(
                "one of the roles reviewer, admin is required".into(),
            ));
        }
        let status = participant_status(&self.participant)?;
        let stage = self.review_stage()?.ok_or_else(|| {
            ServiceError::Conflict(format!(
                "the submission is {status}: only submitted work is reviewed"
            ))
        })?;
        match stage {
            ReviewStage::Region if region => Ok(stage),
            ReviewStage::Region => Err(ServiceError::Conflict(
                "the region's officer reviews this submission first; it comes to the ministry once endorsed".into(),
            )),
            ReviewStage::Ministry if ministry => Ok(stage),
            ReviewStage::Ministry => Err(ServiceError::Forbidden(
                "the region has endorsed it: the ministry's reviewers review it now".into(),
            )),
        }
    }

    /// Reviewers may still correct single values of an approved submission
    /// once the campaign is final: the correction a new revision of the
    /// published rating then carries.
    fn require_correctable(&self, who: &Principal) -> ServiceResult<()> {
        if participant_status(&self.participant)? == SubmissionStatus::Approved
            && status_of(&self.campaign)? == CampaignStatus::Final
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

    /// Every problem of the submission as stored now.
    pub(crate) async fn issues(
        &self,
        db: &impl ConnectionTrait,
        values: &[submission_values::Model],
        ev: &[evidence::Model],
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
        let r = reference(db, &self.campaign, m).await?;
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
            .map(|i| form_issue(m, i, justified[i.node]))
            .collect())
    }
}

fn num(x: f64) -> String {
    crate::methodologies::trimmed(x, 2)
}

fn form_issue(m: &Methodology, i: &Issue, justified: bool) -> FormIssue {
    let (code, detail) = match &i.kind {
        IssueKind::Required => ("required", String::new()),
        IssueKind::OutOfRange { value, min, max } => (
            "out_of_range",
            format!("{} ∉ [{}, {}]", num(*value), num(*min), num(*max)),
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
        IssueKind::OutlierVsPrevious { previous, change } => (
            "outlier_previous",
            format!("{} → {:+.0} %", num(*previous), change * 100.0),
        ),
        IssueKind::OutlierVsPeers { z } => ("outlier_peers", format!("z = {z:+.1}")),
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

fn evidence_item(e: &evidence::Model, links: &HashMap<String, domain::LinkCheck>) -> EvidenceItem {
    let label = match e.kind.as_str() {
        "legal_act" => format!(
            "{} № {} ({})",
            e.act_type.clone().unwrap_or_default(),
            e.act_number.clone().unwrap_or_default(),
            e.act_date.map(|d| d.to_string()).unwrap_or_default()
        ),
        "file" => e.file_name.clone().unwrap_or_default(),
        _ => e.url.clone().unwrap_or_default(),
    };
    EvidenceItem {
        id: e.id,
        kind: e.kind.clone(),
        url: if e.kind == "file" {
            Some(format!("/files/evidence/{}", e.id))
        } else {
            e.url.clone()
        },
        label,
        sha256: e.sha256.clone(),
        link: e
            .url
            .as_ref()
            .filter(|_| e.kind != "file")
            .and_then(|u| links.get(u))
            .cloned(),
    }
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

/// The form of one submission with its answers, problems, comments and
/// history, for its officer, reviewers and other readers of the entity.
pub async fn form(
    db: &impl ConnectionTrait,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<SubmissionForm> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    let m = &l.m;
    let values = l.values(db).await?;
    let ev = l.evidence(db).await?;
    let issues = l.issues(db, &values, &ev).await?;
    let history = audit::of_object(db, "participant", &l.participant.id.to_string()).await?;
    let status = participant_status(&l.participant)?;
    let submitted = submitted_answers(&history, status);
    let previous = previous_answers(db, &l).await?;
    // What the link checker last saw at every address the form cites.
    let answered_links: HashMap<&str, String> = values
        .iter()
        .filter_map(|v| {
            let answer = parse_stored(&v.value)?;
            Some((
                v.indicator_code.as_str(),
                crate::links::cited(&answer)?.to_owned(),
            ))
        })
        .collect();
    let cited: Vec<&str> = ev
        .iter()
        .filter_map(|e| e.url.as_deref())
        .chain(answered_links.values().map(String::as_str))
        .collect();
    let links = crate::links::known(db, &cited).await?;
    let by_code: HashMap<&str, &submission_values::Model> = values
        .iter()
        .map(|v| (v.indicator_code.as_str(), v))
        .collect();
    let published = if status == SubmissionStatus::Approved
        && status_of(&l.campaign)? == CampaignStatus::Final
    {
        crate::ratings::published_answers(db, l.campaign.id, domain::EntityId(l.entity.id))
            .await?
            .unwrap_or_default()
    } else {
        HashMap::new()
    };
    let mut sections: Vec<FormSection> = m
        .domains()
        .iter()
        .map(|&d| FormSection {
            code: m.nodes[d].code.clone(),
            names: m.nodes[d].names.clone(),
            fields: Vec::new(),
        })
        .collect();
    for (i, node, ind) in m.indicators() {
        let d = domain_of(m, i);
        let Some(section) = sections.iter_mut().find(|s| s.code == m.nodes[d].code) else {
            continue;
        };
        let v = by_code.get(node.code.as_str());
        let options = match &ind.kind {
            IndicatorKind::Choice { options } => options
                .iter()
                .map(|o| (o.code.clone(), o.names.clone()))
                .collect(),
            IndicatorKind::Checklist { items, .. } => items
                .iter()
                .map(|o| (o.code.clone(), o.names.clone()))
                .collect(),
            _ => Vec::new(),
        };
        section.fields.push(FormField {
            code: node.code.clone(),
            names: node.names.clone(),
            hint: ind.hint.clone(),
            kind: ind.kind.name().into(),
            unit: match &ind.kind {
                IndicatorKind::Number { unit } => unit.clone(),
                IndicatorKind::Percent => Some("%".into()),
                _ => None,
            },
            options,
            required: ind.required,
            evidence_required: ind.evidence_required,
            range: ind.range,
            formula: match &ind.kind {
                IndicatorKind::Formula { expr, .. } => Some(expr.clone()),
                _ => None,
            },
            value: v.and_then(|v| text_of(&v.value)),
            version: v.map_or(0, |v| v.version),
            prefilled: v.is_some_and(|v| v.prefilled),
            source: v.map(|v| v.source.clone()),
            review: v
                .and_then(|v| ReviewStatus::parse(&v.review_status).ok())
                .unwrap_or(ReviewStatus::Pending),
            reviewed_value: v
                .and_then(|v| v.reviewed_value.as_deref())
                .and_then(text_of),
            comment: v.and_then(|v| v.comment.clone()),
            evidence: ev
                .iter()
                .filter(|e| e.indicator_code == node.code)
                .map(|e| evidence_item(e, &links))
                .collect(),
            link: answered_links
                .get(node.code.as_str())
                .and_then(|u| links.get(u))
                .cloned(),
            locked: v.is_some_and(|v| v.locked),
            previous: previous.get(&node.code).cloned(),
            since_submission: submitted.as_ref().and_then(|(answers, at)| {
                let then = answers.get(&node.code).cloned().flatten();
                let now = v.and_then(|v| text_of(&v.value));
                (then != now).then(|| Earlier {
                    value: then,
                    at: at.clone(),
                })
            }),
            unpublished: published.get(&node.code).and_then(|&then| {
                let now = v.and_then(|v| effective(v)).and_then(|x| x.raw(ind));
                (then != now).then_some(domain::PublishedAnswer { value: then })
            }),
        });
    }
    sections.retain(|s| !s.fields.is_empty());
    let comments = review_comments::Entity::find()
        .filter(review_comments::Column::ParticipantId.eq(l.participant.id))
        .order_by_asc(review_comments::Column::Id)
        .all(db)
        .await?;
    let names = user_names(db, comments.iter().filter_map(|c| c.author_id)).await?;
    let comments = comments
        .into_iter()
        .map(|c| CommentItem {
            id: c.id,
            indicator: c.indicator_code,
            parent: c.parent_id,
            author: c
                .author_id
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_else(|| "—".into()),
            action: c.action,
            body: c.body,
            at: c.created_at.to_rfc3339(),
        })
        .collect();
    let campaign = crate::campaigns::summary(db, &l.campaign, None).await?;
    Ok(SubmissionForm {
        participant: id,
        campaign,
        entity: entity_ref(&l.entity),
        status,
        deadline: deadline_of(&l.campaign, &l.participant).to_string(),
        sections,
        issues,
        comments,
        editable: l.edit_refusal(who, now.date_naive()).is_none(),
        reviewable: l.require_reviewable(who).is_ok(),
        correctable: l.require_correctable(who).is_ok(),
        history,
        provisional: crate::results::provisional(db, who, &l.campaign, &l.participant, now).await?,
    })
}

/// One save from the form.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// Indicator code.
    pub indicator: String,
    /// The answer as typed; `None` or empty clears it.
    pub value: Option<String>,
    /// The officer's note or justification.
    pub comment: Option<String>,
    /// The version the editor started from (0 for a value never saved).
    pub version: i32,
}

/// Saves one value if nobody saved it since `req.version`; otherwise
/// writes nothing and returns both versions.
pub async fn save(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    req: &SaveRequest,
    now: DateTime<Utc>,
) -> ServiceResult<SaveOutcome> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let (_, value) = parse_answer(&l.m, &req.indicator, req.value.as_deref())?;
    let json = json_of(&value);
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    match write_value(
        db,
        who,
        &l,
        &req.indicator,
        &json,
        comment,
        req.version,
        now,
    )
    .await?
    {
        Ok(version) => {
            let values = l.values(db).await?;
            let ev = l.evidence(db).await?;
            let issues = l.issues(db, &values, &ev).await?;
            Ok(SaveOutcome::Saved { version, issues })
        }
        Err(theirs) => {
            let by = match theirs.updated_by {
                Some(u) => user_names(db, [u].into_iter())
                    .await?
                    .remove(&u)
                    .unwrap_or_default(),
                None => theirs.source.clone(),
            };
            Ok(SaveOutcome::Conflict(Conflict {
                yours: value.map(|v| v.to_text()),
                theirs: text_of(&theirs.value),
                version: theirs.version,
                by,
                at: theirs.updated_at.to_rfc3339(),
            }))
        }
    }
}

/// Writes one value at `expected` version: `Ok(new version)`, or the row
/// someone else saved in between.
#[allow(clippy::too_many_arguments)]
async fn write_value(
    db: &DatabaseConnection,
    who: &Principal,
    l: &Loaded,
    code: &str,
    json: &str,
    comment: Option<String>,
    expected: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Result<i32, submission_values::Model>> {
    let tx = crate::db::begin_write(db).await?;
    match write_in(
        &tx,
        Writer::Person(who),
        l,
        code,
        json,
        comment,
        expected,
        now,
    )
    .await?
    {
        Ok(version) => {
            tx.commit().await?;
            Ok(Ok(version))
        }
        Err(lost) => {
            tx.rollback().await?;
            let theirs = find_value(l, code).one(db).await?;
            match (theirs, lost.insert_error) {
                (Some(theirs), _) => Ok(Err(theirs)),
                (None, Some(e)) => Err(e.into()),
                (None, None) => Err(ServiceError::Internal("value vanished".into())),
            }
        }
    }
}

fn find_value(l: &Loaded, code: &str) -> sea_orm::Select<submission_values::Entity> {
    submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.eq(code.to_owned()))
}

/// Someone else saved the value between reading and writing; the
/// transaction must be rolled back (on PostgreSQL a failed insert has
/// aborted it).
pub(crate) struct Lost {
    /// The insert that failed, when the value was new: a unique-index
    /// violation if someone inserted first, else a real failure.
    insert_error: Option<sea_orm::DbErr>,
}

impl Lost {
    /// The database failure behind it, when it was not someone else's
    /// write (a unique-index violation is one).
    pub(crate) fn failure(self) -> Option<sea_orm::DbErr> {
        self.insert_error.filter(|e| {
            !matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            )
        })
    }
}

/// Writes one value at `expected` version inside `tx`, with its audit entry
/// and the submission's move to "in progress": `Ok(new version)`, or
/// [`Lost`] when the stored version moved on.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_in(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    l: &Loaded,
    code: &str,
    json: &str,
    comment: Option<String>,
    expected: i32,
    now: DateTime<Utc>,
) -> ServiceResult<Result<i32, Lost>> {
    let one = [Write {
        code,
        json,
        comment,
        expected,
    }];
    Ok(write_many(tx, by, l, &one, now)
        .await?
        .map(|versions| versions[0]))
}

/// One value to write, at the version its writer read (0 for a new one).
pub(crate) struct Write<'a> {
    /// Indicator code.
    pub(crate) code: &'a str,
    /// The stored JSON of the answer.
    pub(crate) json: &'a str,
    /// The note kept with it.
    pub(crate) comment: Option<String>,
    /// The version it was read at.
    pub(crate) expected: i32,
}

/// Writes values of one submission inside `tx`, each only at its expected
/// version, each with its audit entry (appended together), and moves the
/// submission to "in progress": `Ok(new versions)` in the order given, or
/// [`Lost`] when any stored version moved on (roll `tx` back then). New
/// values are inserted together; changed ones are updated one by one, each
/// guarded by its version.
pub(crate) async fn write_many(
    tx: &DatabaseTransaction,
    by: Writer<'_>,
    l: &Loaded,
    writes: &[Write<'_>],
    now: DateTime<Utc>,
) -> ServiceResult<Result<Vec<i32>, Lost>> {
    let codes: Vec<&str> = writes.iter().map(|w| w.code).collect();
    let existing: HashMap<String, submission_values::Model> = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.is_in(codes))
        .all(tx)
        .await?
        .into_iter()
        .map(|v| (v.indicator_code.clone(), v))
        .collect();
    let mut versions = Vec::with_capacity(writes.len());
    let mut inserts = Vec::new();
    let mut entries = Vec::with_capacity(writes.len());
    for w in writes {
        let (code, expected) = (w.code, w.expected);
        let row = existing.get(code);
        let new_version = match row {
            Some(row) if row.locked && row.source != by.source() => {
                return Err(ServiceError::Forbidden(format!(
                    "{code} comes from {} and is locked against manual edits",
                    row.source
                )));
            }
            Some(row) if row.version != expected => return Ok(Err(Lost { insert_error: None })),
            Some(row) => {
                let res = submission_values::Entity::update_many()
                    .col_expr(submission_values::Column::Value, Expr::value(w.json))
                    .col_expr(
                        submission_values::Column::Comment,
                        Expr::value(w.comment.clone()),
                    )
                    .col_expr(
                        submission_values::Column::Version,
                        Expr::value(expected + 1),
                    )
                    .col_expr(submission_values::Column::Prefilled, Expr::value(false))
                    .col_expr(submission_values::Column::Source, Expr::value(by.source()))
                    .col_expr(
                        submission_values::Column::Locked,
                        Expr::value(by.locks(code)),
                    )
                    .col_expr(
                        submission_values::Column::ReviewStatus,
                        Expr::value(ReviewStatus::Pending.as_str()),
                    )
                    .col_expr(
                        submission_values::Column::ReviewedValue,
                        Expr::value(Option::<String>::None),
                    )
                    .col_expr(
                        submission_values::Column::UpdatedBy,
                        Expr::value(by.user_id()),
                    )
                    .col_expr(submission_values::Column::UpdatedAt, Expr::value(now))
                    .filter(submission_values::Column::Id.eq(row.id))
                    .filter(submission_values::Column::Version.eq(expected))
                    .exec(tx)
                    .await?;
                if res.rows_affected != 1 {
                    return Ok(Err(Lost { insert_error: None }));
                }
                expected + 1
            }
            None if expected != 0 => {
                return Err(ServiceError::Conflict(format!(
                    "{code} has no saved version {expected}"
                )));
            }
            None => {
                let mut am = first_value(l.participant.id, code, None, now);
                am.updated_by = Set(by.user_id());
                am.source = Set(by.source().to_owned());
                am.locked = Set(by.locks(code));
                am.value = Set(w.json.to_owned());
                am.comment = Set(w.comment.clone());
                inserts.push(am);
                1
            }
        };
        versions.push(new_version);
        let before = row.and_then(|v| text_of(&v.value));
        entries.push(l.entry(
            &by.actor(),
            "value.save",
            Some(&serde_json::json!({ "indicator": code, "value": before })),
            Some(&serde_json::json!({ "indicator": code, "value": text_of(w.json), "comment": w.comment, "version": new_version })),
            now,
        ));
    }
    // The links answers cite, for the background checker.
    let cited: Vec<String> = writes
        .iter()
        .filter_map(|w| parse_stored(w.json))
        .filter_map(|v| crate::links::cited(&v).map(str::to_owned))
        .collect();
    crate::links::track(tx, cited.iter().map(String::as_str), now).await?;
    // Many rows per statement, few enough bound values for any database.
    for chunk in inserts.chunks(500) {
        if let Err(e) = submission_values::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await
        {
            // Perhaps someone inserted the same value first (unique
            // index): the caller tells a conflict from a failure.
            return Ok(Err(Lost {
                insert_error: Some(e),
            }));
        }
    }
    if participant_status(&l.participant)? == SubmissionStatus::NotStarted {
        participants::Entity::update_many()
            .col_expr(
                participants::Column::Status,
                Expr::value(SubmissionStatus::InProgress.as_str()),
            )
            .col_expr(participants::Column::UpdatedAt, Expr::value(now))
            .filter(participants::Column::Id.eq(l.participant.id))
            .filter(participants::Column::Status.eq(SubmissionStatus::NotStarted.as_str()))
            .exec(tx)
            .await?;
    }
    audit::record_many(tx, entries).await?;
    Ok(Ok(versions))
}

/// Who writes a value: a person, or a source system through its token.
#[derive(Debug, Clone, Copy)]
pub enum Writer<'a> {
    /// A signed-in person (the form, the Excel upload, the API).
    Person(&'a Principal),
    /// An automatic feed.
    Feed(&'a crate::feeds::Feed),
}

impl Writer<'_> {
    /// The stored `source` of what it writes: `person` or the system.
    pub(crate) fn source(&self) -> &str {
        match self {
            Writer::Person(_) => "person",
            Writer::Feed(f) => &f.source_system,
        }
    }

    /// The person's user id; `None` for a feed.
    pub(crate) fn user_id(&self) -> Option<i32> {
        self.actor().user_id()
    }

    /// Whether what it writes for `code` is locked against other writers.
    pub(crate) fn locks(&self, code: &str) -> bool {
        matches!(self, Writer::Feed(f) if f.locks(code))
    }

    pub(crate) fn actor(&self) -> Actor<'_> {
        match self {
            Writer::Person(p) => Actor::User(p),
            Writer::Feed(f) => Actor::Feed(&f.label),
        }
    }
}

/// Whose review a submission waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReviewStage {
    /// The officer of the district's region (two-level rounds).
    Region,
    /// The ministry's reviewers.
    Ministry,
}

/// Evidence an officer attaches (files go through the upload route).
#[derive(Debug, Clone)]
pub enum EvidenceInput {
    /// A link.
    Url(String),
    /// A legal act.
    LegalAct {
        /// Decree, resolution, order…
        act_type: String,
        /// Number as printed.
        number: String,
        /// Date, `YYYY-MM-DD`.
        date: String,
        /// Link to its text.
        link: String,
    },
}

/// The submission evidence is attached to: readable and editable by `who`
/// now, and `indicator` one of its questions.
async fn evidence_target(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Loaded> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    if l.m
        .find(indicator)
        .and_then(|i| l.m.nodes[i].indicator())
        .is_none()
    {
        return Err(ParseError::new("indicator", format!("no indicator {indicator:?}")).into());
    }
    Ok(l)
}

/// An evidence row for `indicator`, by `who` now, with no content yet
/// (not public until the caller says so).
fn blank_evidence(
    l: &Loaded,
    created_by: Option<i32>,
    indicator: &str,
    now: DateTime<Utc>,
) -> evidence::ActiveModel {
    evidence::ActiveModel {
        id: NotSet,
        participant_id: Set(l.participant.id),
        indicator_code: Set(indicator.to_owned()),
        kind: Set(String::new()),
        url: Set(None),
        file_name: Set(None),
        content_type: Set(None),
        size_bytes: Set(None),
        sha256: Set(None),
        storage_key: Set(None),
        act_type: Set(None),
        act_number: Set(None),
        act_date: Set(None),
        public: Set(false),
        created_by: Set(created_by),
        created_at: Set(now),
    }
}

/// A link attached as evidence (public once the rating is), by
/// `created_by` (a feed when `None`).
pub(crate) fn url_evidence(
    l: &Loaded,
    created_by: Option<i32>,
    indicator: &str,
    url: &str,
    now: DateTime<Utc>,
) -> evidence::ActiveModel {
    let mut am = blank_evidence(l, created_by, indicator, now);
    am.kind = Set("url".into());
    am.url = Set(Some(url.to_owned()));
    am.public = Set(true);
    am
}

/// Writes an evidence row with its entry on the submission's history.
async fn attach(
    db: &DatabaseConnection,
    l: &Loaded,
    who: &Principal,
    am: evidence::ActiveModel,
) -> ServiceResult<EvidenceItem> {
    let tx = db.begin().await?;
    let row = am.insert(&tx).await?;
    l.record(&tx, who, "evidence.add", None::<&()>, Some(&row), None)
        .await?;
    let url: Vec<&str> = row.url.as_deref().into_iter().collect();
    crate::links::track(&tx, url.iter().copied(), row.created_at).await?;
    let links = crate::links::known(&tx, &url).await?;
    tx.commit().await?;
    Ok(evidence_item(&row, &links))
}

/// Attaches evidence to an answer.
pub async fn add_evidence(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    input: &EvidenceInput,
    now: DateTime<Utc>,
) -> ServiceResult<EvidenceItem> {
    let l = evidence_target(db, who, id, indicator, now).await?;
    let by = Some(who.user.id.0);
    let am = match input {
        EvidenceInput::Url(u) => {
            let u = u.trim();
            if !is_url(u) {
                return Err(ParseError::new("url", format!("{u:?} is not an http(s) link")).into());
            }
            url_evidence(&l, by, indicator, u, now)
        }
        EvidenceInput::LegalAct {
            act_type,
            number,
            date,
            link,
        } => {
            if act_type.trim().is_empty() {
                return Err(ParseError::new("act_type", "the type of act is required").into());
            }
            if number.trim().is_empty() {
                return Err(ParseError::new("act_number", "the act's number is required").into());
            }
            let d = crate::registry::parse_date("act_date", date)?;
            if !is_url(link.trim()) {
                return Err(ParseError::new(
                    "act_link",
                    format!("{link:?} is not an http(s) link"),
                )
                .into());
            }
            let mut am = blank_evidence(&l, by, indicator, now);
            am.kind = Set("legal_act".into());
            am.act_type = Set(Some(act_type.trim().into()));
            am.act_number = Set(Some(number.trim().into()));
            am.act_date = Set(Some(d));
            am.url = Set(Some(link.trim().into()));
            am.public = Set(true);
            am
        }
    };
    attach(db, &l, who, am).await
}

/// An uploaded evidence file.
pub struct Upload<'a> {
    /// The name it had on the officer's computer.
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// Attaches a file to an answer: checked (size, sniffed type), stored in
/// `store` under its SHA-256, recorded with its checksum.
pub async fn add_file(
    db: &DatabaseConnection,
    store: &dyn crate::files::FileStore,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    upload: &Upload<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<EvidenceItem> {
    let l = evidence_target(db, who, id, indicator, now).await?;
    let name = crate::files::display_name(upload.name);
    let sniffed = crate::files::check(&name, upload.bytes)?;
    let hash = crate::ratings::sha256_hex(upload.bytes);
    let key = crate::files::key_of(&hash);
    store
        .put(&key, upload.bytes)
        .await
        .map_err(|e| ServiceError::Internal(format!("file store: {e}")))?;
    let mut am = blank_evidence(&l, Some(who.user.id.0), indicator, now);
    am.kind = Set("file".into());
    am.file_name = Set(Some(name));
    am.content_type = Set(Some(sniffed.content_type.into()));
    am.size_bytes = Set(Some(upload.bytes.len() as i64));
    am.sha256 = Set(Some(hash));
    am.storage_key = Set(Some(key));
    attach(db, &l, who, am).await
}

/// An evidence file for whoever may read its submission: name, type, bytes.
pub async fn evidence_file(
    db: &DatabaseConnection,
    store: &dyn crate::files::FileStore,
    who: &Principal,
    evidence_id: i32,
) -> ServiceResult<(String, String, Vec<u8>)> {
    let row = evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .filter(|e| e.kind == "file")
        .ok_or_else(|| ServiceError::NotFound(format!("evidence file {evidence_id}")))?;
    load(db, ParticipantId(row.participant_id))
        .await?
        .readable_by(who)?;
    let key = row.storage_key.clone().unwrap_or_default();
    let bytes = store
        .get(&key)
        .await
        .map_err(|e| ServiceError::Internal(format!("file store, {key}: {e}")))?;
    // The stored checksum is the promise: a changed file is not served.
    if row.sha256.as_deref() != Some(crate::ratings::sha256_hex(&bytes).as_str()) {
        return Err(ServiceError::Internal(format!(
            "evidence {evidence_id}: the stored file does not match its SHA-256"
        )));
    }
    Ok((
        row.file_name.unwrap_or_else(|| "evidence".into()),
        row.content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        bytes,
    ))
}

/// Removes a piece of evidence while the submission is editable.
pub async fn remove_evidence(
    db: &DatabaseConnection,
    who: &Principal,
    evidence_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let row = evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("evidence {evidence_id}")))?;
    let l = load(db, ParticipantId(row.participant_id)).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let tx = db.begin().await?;
    evidence::Entity::delete_by_id(row.id).exec(&tx).await?;
    l.record(&tx, who, "evidence.remove", Some(&row), None::<&()>, None)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn set_status(
    tx: &impl ConnectionTrait,
    p: &participants::Model,
    to: SubmissionStatus,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut am: participants::ActiveModel = p.clone().into();
    am.status = Set(to.as_str().into());
    am.version = Set(p.version + 1);
    am.updated_at = Set(now);
    match to {
        SubmissionStatus::Submitted => am.submitted_at = Set(Some(now)),
        SubmissionStatus::Approved => am.approved_at = Set(Some(now)),
        _ => {}
    }
    // Guard on the version read, so two reviewers cannot both act.
    let res = participants::Entity::update_many()
        .set(am)
        .filter(participants::Column::Id.eq(p.id))
        .filter(participants::Column::Version.eq(p.version))
        .exec(tx)
        .await?;
    if res.rows_affected != 1 {
        return Err(ServiceError::Conflict(
            "the submission changed meanwhile; reload".into(),
        ));
    }
    Ok(())
}

/// A review comment about to be written.
struct NewComment<'a> {
    participant: i32,
    indicator: Option<&'a str>,
    parent: Option<i32>,
    action: &'a str,
    body: &'a str,
}

async fn comment_row(
    tx: &impl ConnectionTrait,
    who: &Principal,
    c: NewComment<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    review_comments::ActiveModel {
        id: NotSet,
        participant_id: Set(c.participant),
        indicator_code: Set(c.indicator.map(str::to_owned)),
        parent_id: Set(c.parent),
        author_id: Set(Some(who.user.id.0)),
        action: Set(c.action.into()),
        body: Set(c.body.into()),
        public: Set(false),
        created_at: Set(now),
    }
    .insert(tx)
    .await?;
    Ok(())
}

/// Sends the submission for review. Refused, listing them, while hard
/// problems remain or soft ones lack a justification.
pub async fn submit(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let values = l.values(db).await?;
    let ev = l.evidence(db).await?;
    let issues = l.issues(db, &values, &ev).await?;
    let blocking: Vec<String> = issues
        .iter()
        .filter(|i| i.hard || !i.justified)
        .map(|i| {
            let what = if i.hard {
                i.code.clone()
            } else {
                format!("{} needs a justification", i.code)
            };
            if i.detail.is_empty() {
                format!("{}: {what}", i.indicator)
            } else {
                format!("{}: {what} ({})", i.indicator, i.detail)
            }
        })
        .collect();
    if !blocking.is_empty() {
        return Err(ParseError::new(
            "submission",
            format!(
                "{} problem(s) block submission: {}",
                blocking.len(),
                blocking.join("; ")
            ),
        )
        .into());
    }
    let tx = db.begin().await?;
    set_status(&tx, &l.participant, SubmissionStatus::Submitted, now).await?;
    l.record(
        &tx,
        who,
        "submission.submit",
        Some(&serde_json::json!({ "status": l.participant.status })),
        Some(&serde_json::json!({
            "status": SubmissionStatus::Submitted,
            "flagged": issues.len(),
            // What was submitted, for the next look's comparison.
            "values": values
                .iter()
                .map(|v| (v.indicator_code.clone(), text_of(&v.value)))
                .collect::<std::collections::BTreeMap<_, _>>(),
        })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a reviewer decides about one value.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    /// Indicator code.
    pub indicator: &'a str,
    /// Accept, adjust, reject or comment.
    pub action: ReviewAction,
    /// The corrected value (adjust).
    pub adjusted: Option<&'a str>,
    /// Why (required to adjust, reject or comment).
    pub reason: &'a str,
}

/// A reviewer's verdict on one value. Adjust and reject need a reason;
/// adjust keeps the officer's answer and stores the replacement beside it.
pub async fn review_value(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    verdict: &Verdict<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let Verdict {
        indicator,
        action,
        adjusted,
        reason,
    } = *verdict;
    let l = load(db, id).await?;
    l.require_correctable(who)?;
    let reason = reason.trim();
    if matches!(
        action,
        ReviewAction::Adjust | ReviewAction::Reject | ReviewAction::Comment
    ) && reason.is_empty()
    {
        return Err(ParseError::new("reason", format!("say why ({action})")).into());
    }
    let tx = crate::db::begin_write(db).await?;
    let row = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
        .filter(submission_values::Column::IndicatorCode.eq(indicator))
        .one(&tx)
        .await?;
    let before = row.as_ref().map(|r| {
        (
            r.review_status.clone(),
            r.reviewed_value.as_deref().and_then(text_of),
        )
    });
    if action != ReviewAction::Comment {
        let row = row.ok_or_else(|| {
            ParseError::new("indicator", format!("{indicator} has no answer to review"))
        })?;
        let mut am: submission_values::ActiveModel = row.into();
        match action {
            ReviewAction::Accept => {
                am.review_status = Set(ReviewStatus::Accepted.as_str().into());
                am.reviewed_value = Set(None);
            }
            ReviewAction::Reject => {
                am.review_status = Set(ReviewStatus::Rejected.as_str().into());
                am.reviewed_value = Set(None);
            }
            ReviewAction::Adjust => {
                let (_, v) = parse_answer(&l.m, indicator, adjusted)?;
                let v = v.ok_or_else(|| {
                    ParseError::new("value", "an adjustment needs the corrected value")
                })?;
                am.review_status = Set(ReviewStatus::Adjusted.as_str().into());
                am.reviewed_value = Set(Some(json_of(&Some(v))));
            }
            ReviewAction::Comment => {}
        }
        am.update(&tx).await?;
    } else if l.m.find(indicator).is_none() {
        return Err(ParseError::new("indicator", format!("no indicator {indicator:?}")).into());
    }
    let body = if reason.is_empty() {
        action.as_str()
    } else {
        reason
    };
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: Some(indicator),
            parent: None,
            action: action.as_str(),
            body,
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        "value.review",
        Some(&serde_json::json!({ "indicator": indicator, "review": before })),
        Some(
            &serde_json::json!({ "indicator": indicator, "action": action, "adjusted": adjusted }),
        ),
        Some(reason).filter(|r| !r.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Returns a submission to its officer for revision; a reason is required.
pub async fn return_for_revision(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    reason: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    decide(db, who, id, false, reason, now).await
}

/// Approves a submission: values without a verdict are accepted, and the
/// submission is locked. In a two-level round the region's officer's
/// approval endorses it instead, and it waits for the ministry's.
pub async fn approve(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    decide(db, who, id, true, "", now).await
}

async fn decide(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    approve: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    let stage = l.require_reviewable(who)?;
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(ParseError::new("reason", "say what to revise").into());
    }
    // The region's approval endorses the work and passes it on; the
    // ministry's approves and locks it.
    let (to, action) = match (approve, stage) {
        (false, _) => (SubmissionStatus::Returned, "return"),
        (true, ReviewStage::Region) => (SubmissionStatus::Endorsed, "endorse"),
        (true, ReviewStage::Ministry) => (SubmissionStatus::Approved, "approve"),
    };
    let tx = db.begin().await?;
    set_status(&tx, &l.participant, to, now).await?;
    if to == SubmissionStatus::Approved {
        submission_values::Entity::update_many()
            .col_expr(
                submission_values::Column::ReviewStatus,
                Expr::value(ReviewStatus::Accepted.as_str()),
            )
            .filter(submission_values::Column::ParticipantId.eq(l.participant.id))
            .filter(submission_values::Column::ReviewStatus.eq(ReviewStatus::Pending.as_str()))
            .exec(&tx)
            .await?;
    }
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: None,
            parent: None,
            action,
            body: if reason.is_empty() { action } else { reason },
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        &format!("submission.{action}"),
        Some(&serde_json::json!({ "status": l.participant.status })),
        Some(&serde_json::json!({ "status": to })),
        Some(reason).filter(|r| !r.is_empty()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Answers a review comment: the officer of the entity, or a reviewer.
pub async fn reply(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    parent: i32,
    body: &str,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    if !(who.speaks_for(domain::EntityId(l.entity.id))
        || who.covers_region(l.entity.region_id.map(domain::EntityId))
        || who.user.has(Role::Reviewer)
        || who.user.has(Role::Admin))
    {
        return Err(ServiceError::Forbidden(
            "only the officer and reviewers discuss a submission".into(),
        ));
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(ParseError::new("body", "the reply is empty").into());
    }
    let parent_row = review_comments::Entity::find_by_id(parent)
        .one(db)
        .await?
        .filter(|c| c.participant_id == l.participant.id)
        .ok_or_else(|| ServiceError::NotFound(format!("comment {parent} on this submission")))?;
    let tx = db.begin().await?;
    comment_row(
        &tx,
        who,
        NewComment {
            participant: l.participant.id,
            indicator: parent_row.indicator_code.as_deref(),
            parent: Some(parent),
            action: "reply",
            body,
        },
        now,
    )
    .await?;
    l.record(
        &tx,
        who,
        "comment.reply",
        None::<&()>,
        Some(&serde_json::json!({ "parent": parent, "body": body })),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Submitted work waiting for the principal's review (or, with `all`,
/// every submission past entry they may read), oldest submission first.
/// The ministry's reviewers see what waits for the ministry; a region's
/// officer sees its districts' work in two-level rounds before the
/// ministry does.
pub async fn queue(
    db: &impl ConnectionTrait,
    who: &Principal,
    filter: &QueueFilter,
) -> ServiceResult<Vec<QueueItem>> {
    if !who.covers_any_region() {
        who.require_any(&[
            Role::Reviewer,
            Role::Admin,
            Role::Methodologist,
            Role::Publisher,
        ])?;
    }
    let statuses: Vec<&str> = if filter.all {
        vec![
            SubmissionStatus::Submitted.as_str(),
            SubmissionStatus::Endorsed.as_str(),
            SubmissionStatus::Returned.as_str(),
            SubmissionStatus::Approved.as_str(),
        ]
    } else {
        vec![
            SubmissionStatus::Submitted.as_str(),
            SubmissionStatus::Endorsed.as_str(),
        ]
    };
    let open: Vec<campaigns::Model> = campaigns::Entity::find()
        .filter(campaigns::Column::Status.is_in([
            CampaignStatus::Open.as_str(),
            CampaignStatus::Closed.as_str(),
            CampaignStatus::UnderReview.as_str(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| filter.kind.is_none_or(|k| c.entity_kind == k.as_str()))
        .collect();
    // The registry once, not twice per row.
    let registry = crate::registry::by_id(db).await?;
    let region = match &filter.region {
        Some(code) if !code.trim().is_empty() => Some(
            registry
                .values()
                .find(|e| e.code == code.trim())
                .ok_or_else(|| ParseError::new("region", format!("no region {code:?}")))?
                .id,
        ),
        _ => None,
    };
    let mut out = Vec::new();
    for c in &open {
        let parts = participants::Entity::find()
            .filter(participants::Column::CampaignId.eq(c.id))
            .filter(participants::Column::Status.is_in(statuses.clone()))
            .all(db)
            .await?;
        let m = crate::methodologies::load(db, c.methodology_version_id).await?;
        for p in parts {
            let Some(e) = registry.get(&p.entity_id) else {
                continue;
            };
            if region.is_some_and(|r| e.region_id != Some(r) && e.id != r) {
                continue;
            }
            let regions_names = e
                .region_id
                .and_then(|r| registry.get(&r))
                .map(crate::registry::names);
            let l = Loaded {
                campaign: c.clone(),
                participant: p.clone(),
                entity: e.clone(),
                m: m.clone(),
            };
            let mine = if filter.all {
                l.readable_by(who).is_ok()
            } else {
                match l.review_stage()? {
                    Some(ReviewStage::Region) => {
                        who.covers_region(e.region_id.map(domain::EntityId))
                    }
                    Some(ReviewStage::Ministry) => who.user.is_ministry(),
                    None => false,
                }
            };
            if !mine {
                continue;
            }
            let values = l.values(db).await?;
            let ev = l.evidence(db).await?;
            let flagged = l
                .issues(db, &values, &ev)
                .await?
                .iter()
                .filter(|i| !i.hard)
                .count() as u32;
            let pending = values
                .iter()
                .filter(|v| v.review_status == ReviewStatus::Pending.as_str())
                .count() as u32;
            let late = p
                .submitted_at
                .is_some_and(|s| s.date_naive() > deadline_of(c, &p));
            if (filter.flagged && flagged == 0) || (filter.late && !late) {
                continue;
            }
            out.push(QueueItem {
                participant: ParticipantId(p.id),
                campaign: c.code.clone(),
                campaign_names: crate::campaigns::names(c),
                entity: entity_ref(&l.entity),
                region: regions_names,
                status: participant_status(&p)?,
                submitted_at: p.submitted_at.map(|t| t.to_rfc3339()),
                flagged,
                pending,
                late,
            });
        }
    }
    out.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    Ok(out)
}

/// Copies each participant's approved answers from its previous campaign
/// into `c` (same indicator codes, formulas excluded), marked prefilled.
/// Returns how many values were copied.
pub(crate) async fn prefill(
    tx: &impl ConnectionTrait,
    c: &campaigns::Model,
) -> ServiceResult<usize> {
    let m = crate::methodologies::load(tx, c.methodology_version_id).await?;
    let parts = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(c.id))
        .all(tx)
        .await?;
    let earlier: Vec<i32> = campaigns::Entity::find()
        .filter(campaigns::Column::OpensOn.lt(c.opens_on))
        .order_by_desc(campaigns::Column::OpensOn)
        .all(tx)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    if earlier.is_empty() {
        return Ok(0);
    }
    // The newest earlier approved submission of each entity (`earlier` is
    // newest first), found in one pass.
    let entity_ids: Vec<i32> = parts.iter().map(|p| p.entity_id).collect();
    let mut newest: HashMap<i32, (usize, i32)> = HashMap::new();
    for chunk in entity_ids.chunks(500) {
        for prev in participants::Entity::find()
            .filter(participants::Column::CampaignId.is_in(earlier.clone()))
            .filter(participants::Column::EntityId.is_in(chunk.to_vec()))
            .filter(participants::Column::Status.eq(SubmissionStatus::Approved.as_str()))
            .all(tx)
            .await?
        {
            let age = earlier
                .iter()
                .position(|id| *id == prev.campaign_id)
                .unwrap_or(usize::MAX);
            let best = newest.entry(prev.entity_id).or_insert((age, prev.id));
            if age < best.0 {
                *best = (age, prev.id);
            }
        }
    }
    // Source submission → the new one it prefills.
    let target: HashMap<i32, i32> = parts
        .iter()
        .filter_map(|p| newest.get(&p.entity_id).map(|(_, src)| (*src, p.id)))
        .collect();
    let sources: Vec<i32> = target.keys().copied().collect();
    let now = Utc::now();
    let mut rows: Vec<submission_values::ActiveModel> = Vec::new();
    for chunk in sources.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(tx)
            .await?
        {
            let Some(i) = m.find(&v.indicator_code) else {
                continue;
            };
            let Some(ind) = m.nodes[i].indicator() else {
                continue;
            };
            if matches!(ind.kind, IndicatorKind::Formula { .. }) {
                continue;
            }
            let Some(value) = effective(&v) else { continue };
            // Only what still parses as an answer to the new question.
            if Value::parse(ind, &value.to_text()).is_err() {
                continue;
            }
            let mut am = first_value(target[&v.participant_id], &v.indicator_code, None, now);
            am.value = Set(json_of(&Some(value)));
            am.source = Set("prefill".into());
            am.prefilled = Set(true);
            rows.push(am);
        }
    }
    let copied = rows.len();
    for chunk in rows.chunks(200) {
        submission_values::Entity::insert_many(chunk.to_vec())
            .exec(tx)
            .await?;
    }
    Ok(copied)
}
