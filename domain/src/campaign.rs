//! Campaigns, submissions and review: the states they move through and the
//! data the cockpit, the form and the review queue exchange with the server.
//!
//! Answers cross the wire as text in the form the methodology engine reads
//! (`methodology::Value::parse`): numbers as typed, `yes`/`no`, an option's
//! code, checklist codes joined by `;`, a legal act as
//! `type|number|YYYY-MM-DD|link`. The server parses them once, at the edge.

use crate::{CampaignId, EntityId, EntityRef, Names, ParseError, ParticipantId};
use serde::{Deserialize, Serialize};

string_enum! {
    /// Where a campaign is in its life. It only moves forward, one step at a
    /// time ([`CampaignStatus::next`]); publication is a rating's business.
    CampaignStatus {
        /// Being prepared; the methodology can still change.
        Draft = "draft",
        /// Officers fill in their forms; the methodology is frozen.
        Open = "open",
        /// The deadline passed; no more submissions except extensions.
        Closed = "closed",
        /// Reviewers work through the queue.
        UnderReview = "under_review",
        /// Entities see their provisional score and rank.
        Provisional = "provisional",
        /// Appeals may be filed until the window ends.
        Appeals = "appeals",
        /// Values are final and can be published.
        Final = "final",
    }
}

impl CampaignStatus {
    /// The one state a campaign may move to from this one.
    pub fn next(self) -> Option<CampaignStatus> {
        use CampaignStatus::*;
        match self {
            Draft => Some(Open),
            Open => Some(Closed),
            Closed => Some(UnderReview),
            UnderReview => Some(Provisional),
            Provisional => Some(Appeals),
            Appeals => Some(Final),
            Final => None,
        }
    }

    /// Whether review is over and the campaign's results are scored:
    /// provisional, under appeal or final.
    pub fn has_results(self) -> bool {
        matches!(
            self,
            CampaignStatus::Provisional | CampaignStatus::Appeals | CampaignStatus::Final
        )
    }

    /// Whether appeals are filed and decided in this state (the window's
    /// last day aside).
    pub fn takes_appeals(self) -> bool {
        matches!(self, CampaignStatus::Provisional | CampaignStatus::Appeals)
    }

    /// Whether officers may still change answers (their own, not yet
    /// submitted, or returned to them).
    pub fn accepts_answers(self) -> bool {
        matches!(
            self,
            CampaignStatus::Open | CampaignStatus::Closed | CampaignStatus::UnderReview
        )
    }
}

string_enum! {
    /// Where one entity's submission is.
    SubmissionStatus {
        /// Nothing entered yet (prefilled values do not count).
        NotStarted = "not_started",
        /// Being filled in.
        InProgress = "in_progress",
        /// Sent for review; read-only for the officer.
        Submitted = "submitted",
        /// Endorsed by the region's officer (two-level review); waits for
        /// the ministry's reviewers; read-only for the officer.
        Endorsed = "endorsed",
        /// Sent back by a reviewer with a reason; editable again.
        Returned = "returned",
        /// Accepted by a reviewer; locked.
        Approved = "approved",
    }
}

/// How many submissions are in each [`SubmissionStatus`], in
/// `SubmissionStatus::ALL` order.
pub type StatusCounts = [u32; SubmissionStatus::ALL.len()];

/// How many of `counts` are in a state `which` picks.
pub fn count_where(counts: &StatusCounts, which: impl Fn(SubmissionStatus) -> bool) -> u32 {
    SubmissionStatus::ALL
        .iter()
        .zip(counts)
        .filter(|(s, _)| which(**s))
        .map(|(_, n)| n)
        .sum()
}

impl SubmissionStatus {
    /// Whether the officer may edit answers in this state.
    pub fn editable(self) -> bool {
        matches!(
            self,
            SubmissionStatus::NotStarted
                | SubmissionStatus::InProgress
                | SubmissionStatus::Returned
        )
    }
}

string_enum! {
    /// A reviewer's verdict on one value.
    ReviewStatus {
        /// Not looked at yet.
        Pending = "pending",
        /// Accepted as entered.
        Accepted = "accepted",
        /// Replaced by the reviewer (the original is kept).
        Adjusted = "adjusted",
        /// Not accepted: scored as missing.
        Rejected = "rejected",
    }
}

string_enum! {
    /// What a reviewer does to one value.
    ReviewAction {
        /// Accept as entered.
        Accept = "accept",
        /// Replace with a corrected value (reason required).
        Adjust = "adjust",
        /// Reject (reason required).
        Reject = "reject",
        /// Only comment.
        Comment = "comment",
    }
}

/// Which entities take part, when a campaign is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ParticipantPick {
    /// Every entity of the campaign's kind valid on its open date.
    AllOfKind,
    /// Those of one region (by SOATO code): its districts, or itself.
    Region(String),
    /// Listed codes (SOATO or organization code).
    Codes(Vec<String>),
}

/// What ministry staff enter to create a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCampaign {
    /// Unique short code, used in URLs (`2025-districts`).
    pub code: String,
    /// ISO period: `2025`, `2025Q3`, `2025S1`.
    pub period: String,
    /// The league.
    pub kind: crate::EntityKind,
    /// The methodology version, by key (`nis-districts@2020`).
    pub methodology: String,
    /// Name in the four languages.
    pub names: Names,
    /// Opening date, `YYYY-MM-DD`.
    pub opens_on: String,
    /// Submission deadline.
    pub deadline: String,
    /// Review deadline.
    pub review_deadline: String,
    /// Last day to appeal.
    pub appeal_until: String,
    /// Who takes part.
    pub participants: ParticipantPick,
    /// District rounds only: each submission goes to its region's officer
    /// first, and the ministry reviews what the region endorsed.
    #[serde(default)]
    pub region_review: bool,
}

/// Checks an ISO period: a year, a quarter (`2025Q3`) or a half (`2025S1`).
pub fn parse_period(s: &str) -> Result<String, ParseError> {
    let s = s.trim();
    let err = || {
        ParseError::new(
            "period",
            format!("{s:?} is not a period: write 2025, 2025Q1…2025Q4 or 2025S1/2025S2"),
        )
    };
    let (year, rest) = s.split_at(s.len().min(4));
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(err());
    }
    match rest {
        "" | "Q1" | "Q2" | "Q3" | "Q4" | "S1" | "S2" => Ok(s.to_owned()),
        _ => Err(err()),
    }
}

/// A campaign as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    /// Id.
    pub id: CampaignId,
    /// Code.
    pub code: String,
    /// ISO period.
    pub period: String,
    /// League.
    pub kind: crate::EntityKind,
    /// Names.
    pub names: Names,
    /// Status.
    pub status: CampaignStatus,
    /// Pinned methodology version key (`nis-districts@2020`).
    pub methodology: String,
    /// Opening date.
    pub opens_on: String,
    /// Deadline.
    pub deadline: String,
    /// Review deadline.
    pub review_deadline: String,
    /// End of the appeal window.
    pub appeal_until: String,
    /// Whether regions review their districts before the ministry does.
    pub region_review: bool,
    /// Participants, and how many are in each [`SubmissionStatus`] (same
    /// order as `SubmissionStatus::ALL`).
    pub counts: [u32; SubmissionStatus::ALL.len()],
}

impl CampaignSummary {
    /// How many entities take part.
    pub fn participants(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// One entity's line in the cockpit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CockpitRow {
    /// The submission.
    pub participant: ParticipantId,
    /// The entity.
    pub entity: EntityRef,
    /// Its region's names (for districts), if any.
    pub region: Option<Names>,
    /// Status.
    pub status: SubmissionStatus,
    /// Answers given, of the questions asked (formulas excluded).
    pub answered: u32,
    /// Questions asked.
    pub questions: u32,
    /// Its deadline (the campaign's, or an extension).
    pub deadline: String,
    /// Whether the deadline was extended for it.
    pub extended: bool,
    /// Past its deadline and not submitted.
    pub overdue: bool,
}

/// The cockpit of one campaign: live progress per entity and per region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cockpit {
    /// The campaign.
    pub campaign: CampaignSummary,
    /// One row per participant.
    pub rows: Vec<CockpitRow>,
    /// Per region (districts; no id and empty names for entities without
    /// a region): the region, its name and counts by status.
    pub regions: Vec<(Option<EntityId>, Names, [u32; SubmissionStatus::ALL.len()])>,
    /// Reminders queued so far.
    pub reminders_sent: u32,
}

/// One question of the form, with its current answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    /// Indicator code.
    pub code: String,
    /// Its question.
    pub names: Names,
    /// Help text and definition.
    pub hint: Names,
    /// The kind's name in the methodology format (`number`, `yes_no`, …).
    pub kind: String,
    /// Unit of a number.
    pub unit: Option<String>,
    /// Options of a choice or items of a checklist: code and label.
    pub options: Vec<(String, Names)>,
    /// Required to submit.
    pub required: bool,
    /// Evidence required.
    pub evidence_required: bool,
    /// Accepted range of a number.
    pub range: Option<(f64, f64)>,
    /// The formula of a computed indicator.
    pub formula: Option<String>,
    /// The answer as text, if any.
    pub value: Option<String>,
    /// The value's concurrency counter (0 when never saved).
    pub version: i32,
    /// Copied from the previous campaign and not yet confirmed.
    pub prefilled: bool,
    /// Who entered it: `person`, `prefill`, `import`, or a system's name.
    pub source: Option<String>,
    /// The reviewer's verdict.
    pub review: ReviewStatus,
    /// The reviewer's replacement value, if adjusted.
    pub reviewed_value: Option<String>,
    /// The officer's justification or note.
    pub comment: Option<String>,
    /// Evidence attached.
    pub evidence: Vec<EvidenceItem>,
    /// The last check of the link a URL or legal-act answer cites.
    #[serde(default)]
    pub link: Option<LinkCheck>,
    /// Whether the feed locked it against manual edits.
    pub locked: bool,
    /// The entity's counted answer in the league's previous round, where
    /// the question has the same code.
    #[serde(default)]
    pub previous: Option<String>,
    /// The answer at the last submission, when it differs from the answer
    /// now (after a return, what the officer changed).
    #[serde(default)]
    pub since_submission: Option<Earlier>,
    /// Corrected after publication and not yet published: what the newest
    /// published revision carries for it (the form says so until a new
    /// revision publishes the correction).
    #[serde(default)]
    pub unpublished: Option<PublishedAnswer>,
}

/// An answer as a published revision carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedAnswer {
    /// The counted answer as a number (`None`: the revision had none).
    pub value: Option<f64>,
}

/// A group of questions: a domain, or the sub-domain it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormSection {
    /// Domain code.
    pub code: String,
    /// Domain names.
    pub names: Names,
    /// Its questions, in methodology order.
    pub fields: Vec<FormField>,
}

/// A problem with a submission, as the form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormIssue {
    /// The indicator it belongs to.
    pub indicator: String,
    /// Hard problems block submission; soft ones need a justification.
    pub hard: bool,
    /// What is wrong, in English with the figures (`value 140 is outside 0–100`);
    /// the page adds the translated heading.
    pub code: String,
    /// Details: numbers or the rule broken.
    pub detail: String,
    /// Whether the officer has justified it (soft problems only).
    pub justified: bool,
}

string_enum! {
    /// What the background checker found at an evidence link.
    LinkOutcome {
        /// Not checked yet.
        Pending = "pending",
        /// Answered with a success status (after redirects).
        Ok = "ok",
        /// Answered with an error status (404, 500…).
        Broken = "broken",
        /// No answer: the name does not resolve, the connection is refused
        /// or times out, TLS fails, or the address is a private one.
        Unreachable = "unreachable",
    }
}

/// The last check of an evidence link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkCheck {
    /// What was found.
    pub outcome: LinkOutcome,
    /// The final HTTP status, when there was one.
    pub http_status: Option<u16>,
    /// Why, in words (`HTTP 404`, `timed out after 10 s`).
    pub detail: Option<String>,
    /// When, RFC 3339; `None` while pending.
    pub checked_at: Option<String>,
}

/// Evidence attached to an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceItem {
    /// Row id.
    pub id: i32,
    /// `url`, `file` or `legal_act`.
    pub kind: String,
    /// Link (for a URL or legal act), or the download address of a file.
    pub url: Option<String>,
    /// File name, or `type No. number of date` for a legal act.
    pub label: String,
    /// SHA-256 of a file.
    pub sha256: Option<String>,
    /// The last check of its link (URLs and legal acts).
    #[serde(default)]
    pub link: Option<LinkCheck>,
}

/// A review comment or reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentItem {
    /// Row id.
    pub id: i32,
    /// The indicator it is about, or `None` for the whole submission.
    pub indicator: Option<String>,
    /// The comment it answers.
    pub parent: Option<i32>,
    /// Author's display name.
    pub author: String,
    /// `comment`, `accept`, `adjust`, `reject`, `return`, `approve`, `reply`.
    pub action: String,
    /// Text.
    pub body: String,
    /// When, RFC 3339.
    pub at: String,
}

/// Everything the form page shows for one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionForm {
    /// The submission.
    pub participant: ParticipantId,
    /// Its campaign.
    pub campaign: CampaignSummary,
    /// The entity.
    pub entity: EntityRef,
    /// Status.
    pub status: SubmissionStatus,
    /// The entity's deadline.
    pub deadline: String,
    /// Questions by domain.
    pub sections: Vec<FormSection>,
    /// Problems right now.
    pub issues: Vec<FormIssue>,
    /// Review comments and replies, oldest first.
    pub comments: Vec<CommentItem>,
    /// Whether the viewer may edit answers now.
    pub editable: bool,
    /// Whether the viewer may review it now.
    pub reviewable: bool,
    /// Whether the viewer may correct single values (a reviewer, once the
    /// campaign is final and the submission approved).
    pub correctable: bool,
    /// Audit trail of this submission: when, who, what, old → new, why.
    pub history: Vec<crate::AuditEntry>,
    /// The provisional result and appeals, once the campaign is past review.
    pub provisional: Option<Provisional>,
}

/// What happened to a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SaveOutcome {
    /// Stored; the new counter and the submission's problems now.
    Saved {
        /// The value's new version.
        version: i32,
        /// Every problem of the submission after this save.
        issues: Vec<FormIssue>,
    },
    /// Someone saved this value since the editor loaded it: nothing was
    /// written. Both versions, so the person can choose.
    Conflict(Conflict),
}

/// Two versions of one value: the one an editor tried to save and the one
/// stored since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    /// What this editor tried to save.
    pub yours: Option<String>,
    /// What is stored now.
    pub theirs: Option<String>,
    /// Its version (send it back to overwrite deliberately).
    pub version: i32,
    /// Who saved it.
    pub by: String,
    /// When, RFC 3339.
    pub at: String,
}

/// A submission waiting in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    /// The submission.
    pub participant: ParticipantId,
    /// Campaign code.
    pub campaign: String,
    /// Campaign names.
    pub campaign_names: Names,
    /// The entity.
    pub entity: EntityRef,
    /// Its region's names, if a district.
    pub region: Option<Names>,
    /// Status.
    pub status: SubmissionStatus,
    /// When it was submitted, RFC 3339.
    pub submitted_at: Option<String>,
    /// Soft problems it was submitted with (justified).
    pub flagged: u32,
    /// Values still pending a verdict.
    pub pending: u32,
    /// Submitted after its deadline.
    pub late: bool,
}

/// Filters of the review queue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct QueueFilter {
    /// Only this league.
    pub kind: Option<crate::EntityKind>,
    /// Only districts of this region (SOATO code).
    pub region: Option<String>,
    /// Only submissions with flagged values.
    pub flagged: bool,
    /// Only those submitted late.
    pub late: bool,
    /// Include approved and returned ones, not only those waiting.
    pub all: bool,
}

/// What an officer has to do: their open submissions (campaign,
/// submission, status, deadline) and unread reminders (subject, body, when).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyWork {
    /// Open submissions.
    pub due: Vec<(CampaignSummary, ParticipantId, SubmissionStatus, String)>,
    /// Unread in-app reminders.
    pub inbox: Vec<(String, String, String)>,
}

string_enum! {
    /// Where an appeal against provisional results is.
    AppealStatus {
        /// Filed, waiting for a reviewer.
        Pending = "pending",
        /// Granted: the value may have been corrected and the entity re-scored.
        Upheld = "upheld",
        /// Refused, with the reason recorded.
        Rejected = "rejected",
    }
}

/// An appeal an officer files against provisional results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct NewAppeal {
    /// The indicator disputed, or none for the result as a whole.
    pub indicator: Option<String>,
    /// What is wrong and why (required).
    pub body: String,
    /// The value the officer says is right, as typed.
    pub proposed: Option<String>,
    /// A link to evidence for it.
    pub evidence_url: Option<String>,
}

/// A reviewer's decision on an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealDecision {
    /// Upheld or rejected.
    pub status: AppealStatus,
    /// The recorded outcome: what was decided and why (required).
    pub outcome: String,
    /// For an upheld appeal on an indicator: the corrected value, which
    /// replaces the reviewed value (the officer's answer is kept).
    pub value: Option<String>,
}

/// An appeal as its officer and the reviewers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppealItem {
    /// Row id.
    pub id: i32,
    /// The submission appealed.
    pub participant: ParticipantId,
    /// The entity.
    pub entity: EntityRef,
    /// The indicator disputed and its question, if one.
    pub indicator: Option<(String, Names)>,
    /// The value that counted when the appeal was read.
    pub current: Option<String>,
    /// What the officer wrote.
    pub body: String,
    /// The value they propose.
    pub proposed: Option<String>,
    /// Their evidence link.
    pub evidence_url: Option<String>,
    /// Status.
    pub status: AppealStatus,
    /// The recorded outcome.
    pub outcome: Option<String>,
    /// Who filed it, when (RFC 3339).
    pub filed_by: String,
    /// When it was filed.
    pub filed_at: String,
    /// Who resolved it and when.
    pub resolved: Option<(String, String)>,
}

/// One entity's provisional result, scored live from the approved answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provisional {
    /// Its line of the provisional league (index, band, rank, domains).
    pub row: crate::SnapshotRow,
    /// How many entities are rated.
    pub rated: u32,
    /// Bands, best first.
    pub bands: Vec<crate::BandDef>,
    /// Domains, in `row.domain_scores` order.
    pub domains: Vec<crate::DomainDef>,
    /// The appeal window's last day.
    pub appeal_until: String,
    /// Whether this viewer may file an appeal now.
    pub can_appeal: bool,
    /// The entity's appeals, newest first.
    pub appeals: Vec<AppealItem>,
}

/// A published revision as the campaign page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevisionItem {
    /// Snapshot id.
    pub id: i32,
    /// Revision number.
    pub revision: i32,
    /// `published` or `retracted`.
    pub status: String,
    /// Changelog line.
    pub changelog: String,
    /// When published (RFC 3339).
    pub published_at: String,
    /// Embargo end, if any (RFC 3339).
    pub embargo_until: Option<String>,
    /// SHA-256 of the canonical snapshot.
    pub sha256: String,
}

/// Results of a campaign past review: the league as it stands, its appeals
/// and its publications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignResults {
    /// The league scored now from approved answers (a draft, not published).
    pub league: crate::SnapshotPayload,
    /// Answers corrected since the newest published revision, waiting for
    /// the next one ("corrected, not yet published").
    #[serde(default)]
    pub pending_corrections: Vec<crate::Correction>,
    /// How publishing them would move the league (scored live, for staff).
    #[serde(default)]
    pub correction_effects: Vec<crate::CorrectionEffect>,
    /// Every appeal, pending first.
    pub appeals: Vec<AppealItem>,
    /// Published revisions, newest first.
    pub revisions: Vec<RevisionItem>,
    /// Whether the viewer may publish (a publisher, the campaign final).
    pub can_publish: bool,
    /// Whether the viewer may resolve appeals.
    pub can_resolve: bool,
}

/// What a publisher sends to publish, correct or retract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PublishRequest {
    /// Not public before this moment (`YYYY-MM-DDTHH:MM`, Tashkent time).
    pub embargo_until: Option<String>,
    /// The public changelog line; required for a correction or retraction.
    pub changelog: String,
    /// Retract the rating instead of publishing a new result.
    pub retract: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_moves_forward_one_step_at_a_time_to_final() {
        let mut s = CampaignStatus::Draft;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            s = n;
            seen.push(s);
        }
        assert_eq!(seen, CampaignStatus::ALL);
    }

    #[test]
    fn periods() {
        for ok in ["2025", "2025Q3", "2025S1", " 2024Q4 "] {
            assert!(parse_period(ok).is_ok(), "{ok}");
        }
        for bad in ["25", "2025Q5", "2025-Q1", "2025S3", "abcd", ""] {
            let e = parse_period(bad).unwrap_err();
            assert_eq!(e.field, "period", "{bad}");
        }
    }
}

/// One thing wrong in an uploaded Excel template, by cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The cell (`Values!H7`), or empty for the file as a whole.
    pub cell: String,
    /// The field: `file`, `campaign`, `entity`, `indicator`, `methodology`,
    /// `value`, `conflict`, `locked`.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
}

/// One answer an upload changes (or would change, on a dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportChange {
    /// The value cell.
    pub cell: String,
    /// The entity whose answer it is (its code).
    #[serde(default)]
    pub entity: Option<String>,
    /// Indicator code.
    pub indicator: String,
    /// The answer before, as text.
    pub before: Option<String>,
    /// The answer after, as text.
    pub after: Option<String>,
}

/// What an upload of the Excel template did: all of it, or (with any
/// problem, or on a dry run) nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Row id (the form links to it).
    pub id: i32,
    /// The uploaded file's name.
    pub file_name: String,
    /// Whether only a check was asked for.
    pub dry_run: bool,
    /// Whether the changes were saved.
    pub applied: bool,
    /// The answers changed (or that would be).
    pub changes: Vec<ImportChange>,
    /// Rows whose answer equals the saved one.
    pub unchanged: usize,
    /// Everything that stopped the upload.
    pub problems: Vec<ImportProblem>,
    /// Who uploaded.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// One district of a region's page in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionDistrict {
    /// Its submission.
    pub participant: ParticipantId,
    /// The district.
    pub entity: EntityRef,
    /// Where its submission is.
    pub status: SubmissionStatus,
    /// Questions answered.
    pub answered: u32,
    /// Whether the viewer may enter its answers now.
    pub editable: bool,
}

/// A region's districts in one campaign: the region officer's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionRound {
    /// The campaign.
    pub campaign: CampaignSummary,
    /// The region.
    pub region: EntityRef,
    /// Questions per form.
    pub questions: u32,
    /// Its districts taking part.
    pub districts: Vec<RegionDistrict>,
}

/// An earlier state of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Earlier {
    /// The answer then, as text (`None`: unanswered).
    pub value: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}

/// A campaign's pulse on the ministry's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignPulse {
    /// The campaign, with its counts per submission status.
    pub campaign: CampaignSummary,
    /// Submissions still open past their (possibly extended) deadline.
    pub overdue: u32,
    /// Appeals waiting for a decision.
    pub appeals_pending: u32,
}
