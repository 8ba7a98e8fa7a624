//! The messages themselves: what a person is told, as typed data (the
//! texts are in the sibling modules, by area).

use serde::{Deserialize, Serialize};

use crate::{CampaignStatus, Locale, Role, SubmissionStatus};

/// A kind of thing a message names (`Not found: campaign «2025»`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Noun {
    /// A rating round.
    Campaign,
    /// A rated body, region or district.
    Entity,
    /// A region.
    Region,
    /// One entity's answers in a round.
    Submission,
    /// An appeal against a published result.
    Appeal,
    /// A review comment.
    Comment,
    /// An evidence item.
    Evidence,
    /// A stored evidence file.
    EvidenceFile,
    /// A role grant.
    Grant,
    /// A user account.
    User,
    /// An API token.
    Token,
    /// A methodology version.
    MethodologyVersion,
    /// A proposed methodology change.
    MethodologyProposal,
    /// A published rating revision.
    RatingSnapshot,
    /// An uploaded workbook.
    Upload,
    /// An indicator.
    Indicator,
    /// A page or file of the site.
    Page,
}

impl Noun {
    /// The noun in `l`, in the form that follows "not found:".
    pub fn name(self, l: Locale) -> &'static str {
        let [uz, cy, ru, en] = match self {
            Noun::Campaign => [
                "reyting davri",
                "рейтинг даври",
                "рейтинговый период",
                "campaign",
            ],
            Noun::Entity => ["tashkilot", "ташкилот", "организация", "entity"],
            Noun::Region => ["hudud", "ҳудуд", "регион", "region"],
            Noun::Submission => ["hisobot", "ҳисобот", "отчёт", "submission"],
            Noun::Appeal => ["apellyatsiya", "апелляция", "апелляция", "appeal"],
            Noun::Comment => ["izoh", "изоҳ", "комментарий", "comment"],
            Noun::Evidence => ["dalil", "далил", "подтверждение", "evidence"],
            Noun::EvidenceFile => [
                "dalil fayli",
                "далил файли",
                "файл подтверждения",
                "evidence file",
            ],
            Noun::Grant => ["rol", "рол", "роль", "role grant"],
            Noun::User => ["foydalanuvchi", "фойдаланувчи", "пользователь", "user"],
            Noun::Token => ["API kaliti", "API калити", "API-токен", "API token"],
            Noun::MethodologyVersion => [
                "metodika versiyasi",
                "методика версияси",
                "версия методики",
                "methodology version",
            ],
            Noun::MethodologyProposal => [
                "metodika oʻzgarishi taklifi",
                "методика ўзгариши таклифи",
                "предложение изменения методики",
                "methodology proposal",
            ],
            Noun::RatingSnapshot => [
                "eʼlon qilingan reyting",
                "эълон қилинган рейтинг",
                "опубликованный рейтинг",
                "published rating",
            ],
            Noun::Upload => [
                "yuklangan fayl",
                "юкланган файл",
                "загруженный файл",
                "upload",
            ],
            Noun::Indicator => ["koʻrsatkich", "кўрсаткич", "показатель", "indicator"],
            Noun::Page => ["sahifa", "саҳифа", "страница", "page"],
        };
        l.pick([uz, cy, ru, en])
    }
}

/// A form problem that keeps a submission from being sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocker {
    /// The indicator's code.
    pub indicator: String,
    /// The problem's code (`required`, `out_of_range`, …; see
    /// [`crate::issue_name`]).
    pub issue: String,
    /// A soft problem that only lacks its justification.
    pub unjustified: bool,
    /// The numbers of the problem, written the reader's way.
    pub detail: String,
}

/// What a form still needs filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The reason for the action.
    Reason,
    /// The text of a reply.
    Reply,
    /// A name.
    Name,
    /// A name in each of the four languages.
    NamesInEveryLanguage,
    /// The type of a legal act.
    ActType,
    /// The number of a legal act.
    ActNumber,
    /// What was decided and why.
    Outcome,
    /// The corrected value of an adjustment.
    CorrectedValue,
    /// What changed and why (a correction or retraction).
    Changelog,
    /// What is wrong and why (an appeal).
    Complaint,
    /// A decision: upheld or rejected.
    Decision,
    /// The indicator a proposed value is for.
    Indicator,
}

/// What a text should have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A date and time, `2026-12-15T10:00`.
    DateTime,
    /// A time that exists in Tashkent.
    TashkentTime,
    /// An e-mail address.
    Email,
    /// A code: letters, digits, dots, hyphens.
    Code,
    /// A campaign code: 1–64 lower-case letters, digits and hyphens.
    Slug,
    /// An entity's number.
    EntityId,
    /// A methodology version written `code@version`.
    VersionName,
    /// One of the four languages.
    Language,
}

/// A step of a campaign's work that belongs to one of its stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Reminding officers (open campaigns).
    Remind,
    /// Scoring results (from review on).
    Score,
    /// Publishing (final results).
    Publish,
    /// Choosing nominations (final results).
    Nominate,
    /// Deciding appeals (while results are provisional).
    DecideAppeals,
}

/// A message for a person. Each variant is one text in four languages; its
/// fields are what the text names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Msg {
    /// English text from a place not yet given its own key. Shown as it is
    /// in every language; the language sweep of the browser suite finds
    /// what is left.
    Text {
        /// The English text.
        text: String,
    },
    /// No answer came from the server (the browser met this itself).
    NoAnswer,
    /// Signing in is required.
    SignInRequired,
    /// Sign-in failed (says nothing about whether the account exists).
    BadCredentials,
    /// Someone else saved between reading and writing.
    SavedFirst,
    /// A failure inside the server, logged for the operator.
    Internal,
    /// Too many requests from this address; try again after `secs`.
    TooManyRequests {
        /// Seconds until the next request is accepted.
        secs: u64,
    },
    /// A request argument is missing or malformed.
    BadArgument {
        /// The argument's name, when the decoder named it.
        field: Option<String>,
    },
    /// Something does not exist (or is hidden from this reader).
    NotFound {
        /// What kind of thing.
        what: Noun,
        /// Its code, id or name as the reader gave it.
        which: String,
    },
    /// The caller holds none of these roles.
    RoleRequired {
        /// The roles that may do this.
        roles: Vec<Role>,
    },
    /// The submission is another entity's.
    OtherEntity,
    /// Only the entity's own officer (or its region's) enters its answers.
    OnlyOwnOfficer,
    /// The submission's state keeps it read-only.
    SubmissionReadOnly {
        /// Its state.
        status: SubmissionStatus,
    },
    /// The campaign's state takes no answers.
    CampaignClosed {
        /// Its state.
        status: CampaignStatus,
    },
    /// The campaign has not opened yet.
    CampaignNotOpen,
    /// The deadline has passed.
    DeadlinePassed {
        /// The last day, ISO.
        deadline: String,
    },
    /// Only submitted work is reviewed.
    NotSubmitted {
        /// The submission's state.
        status: SubmissionStatus,
    },
    /// Problems keep the submission from being sent.
    SubmitBlocked {
        /// Each problem that blocks it.
        problems: Vec<Blocker>,
    },
    /// A two-level round: the region reviews first.
    RegionReviewsFirst,
    /// A two-level round: the region has endorsed; the ministry reviews.
    MinistryReviewsNow,
    /// Nothing is published yet for this.
    NoPublishedRating {
        /// The entity, region or campaign code.
        of: String,
    },
    /// This revision of a published rating was retracted.
    Retracted {
        /// The campaign code.
        campaign: String,
        /// The revision.
        revision: u32,
    },
    /// The campaign does not rate this kind of entity.
    NotRatedIn {
        /// The campaign code.
        campaign: String,
    },
    /// A download address without its format.
    NoFormat {
        /// The file name asked for.
        file: String,
    },
    /// Campaigns are for ministry staff and officers.
    CampaignsForStaff,
    /// A page for ministry staff only.
    StaffOnly,
    /// Only the officer and reviewers discuss a submission.
    OnlyParticipantsDiscuss,
    /// Only a region's officer works with its districts' template.
    OnlyRegionOfficer,
    /// Something with this code or name exists already.
    Exists {
        /// What kind of thing.
        what: Noun,
        /// Its code, name or address.
        which: String,
    },
    /// The campaign is not in the state this step starts from.
    WrongState {
        /// The campaign code.
        campaign: String,
        /// Its state.
        current: CampaignStatus,
        /// The state the step starts from.
        expected: CampaignStatus,
    },
    /// The campaign is final: there is no next step.
    CampaignFinal {
        /// The campaign code.
        campaign: String,
    },
    /// This is done at another stage of the campaign.
    NotAtThisStage {
        /// The campaign code.
        campaign: String,
        /// Its state.
        status: CampaignStatus,
        /// What was asked.
        step: Step,
    },
    /// Submissions still wait for review.
    WaitingReview {
        /// How many.
        n: u64,
    },
    /// Appeals are still undecided.
    AppealsOpen {
        /// How many.
        n: u64,
    },
    /// Decided, revoked or adopted already.
    AlreadyDone {
        /// What kind of thing.
        what: Noun,
        /// Its id or code.
        which: String,
    },
    /// It changed while the page was open; reload.
    ChangedMeanwhile {
        /// What changed.
        what: Noun,
    },
    /// The value comes from another system and is locked.
    LockedByFeed {
        /// The indicator.
        indicator: String,
        /// The system it comes from.
        source: String,
    },
    /// The value has no saved version the editor started from.
    NoSavedVersion {
        /// The indicator.
        indicator: String,
        /// The version the editor started from.
        version: i32,
    },
    /// Nobody removes their own admin role.
    OwnAdminRole,
    /// Nobody disables their own account.
    OwnAccount,
    /// An integration token may not write for this entity.
    TokenScope {
        /// The entity's code.
        entity: String,
    },
    /// The same Idempotency-Key is in use by another request.
    IdempotencyBusy,
    /// A value was saved by someone else during a push; nothing written.
    PushRaced,
    /// Nothing published to retract.
    NothingToRetract {
        /// The campaign code.
        campaign: String,
    },
    /// The newest revision already publishes these results.
    AlreadyPublished {
        /// That revision.
        revision: u32,
    },
    /// A published revision is withheld: what it was built from no longer
    /// matches its SHA-256.
    Withheld {
        /// The revision.
        revision: u32,
    },
    /// A field that must be filled in is empty.
    Required {
        /// What it needs.
        need: Need,
    },
    /// Text of the wrong length.
    Length {
        /// The fewest characters (0 or 1: no lower limit worth saying).
        min: u32,
        /// The most characters.
        max: u32,
    },
    /// Text that is not what the field takes.
    NotA {
        /// What was typed.
        text: String,
        /// What the field takes.
        expected: Expected,
    },
    /// An end date before the start date.
    EndsBeforeBegins,
    /// A campaign's dates out of order.
    DatesOutOfOrder,
    /// A time that must lie in the future does not.
    NotInFuture,
    /// A password too easy to guess.
    WeakPassword,
    /// The current password given is wrong.
    WrongPassword,
    /// Text that is not a number.
    NotANumber {
        /// What was typed.
        text: String,
    },
    /// A number written with a mark that reads two ways (`1,240`: one
    /// thousand two hundred and forty, or one point two four), both
    /// plausible for this answer.
    AmbiguousNumber {
        /// What was typed.
        text: String,
        /// The reading with the mark as the decimal separator.
        as_decimal: f64,
        /// The reading with the mark as a thousands separator.
        as_grouped: f64,
    },
    /// Text that is not yes or no.
    NotYesNo {
        /// What was typed.
        text: String,
    },
    /// Not one of an answer's options.
    UnknownOption {
        /// What was given.
        given: String,
        /// The option codes, comma-separated.
        allowed: String,
    },
    /// Not an http(s) link.
    NotAUrl {
        /// What was typed.
        text: String,
    },
    /// Not a legal act written as type|number|date|link.
    NotALegalAct {
        /// What was typed.
        text: String,
    },
    /// A computed answer cannot be entered.
    Computed,
    /// A number outside the range the methodology allows.
    OutOfRange {
        /// The number.
        value: f64,
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
    },
}

impl Msg {
    /// Transitional: English text not yet given a key (see [`Msg::Text`]).
    pub fn text(text: impl Into<String>) -> Msg {
        Msg::Text { text: text.into() }
    }

    /// The stable key of the message, for machines (`not_found`).
    pub fn key(&self) -> &'static str {
        match self {
            Msg::Text { .. } => "text",
            Msg::NoAnswer => "no_answer",
            Msg::SignInRequired => "sign_in_required",
            Msg::BadCredentials => "bad_credentials",
            Msg::SavedFirst => "saved_first",
            Msg::Internal => "internal",
            Msg::TooManyRequests { .. } => "too_many_requests",
            Msg::BadArgument { .. } => "bad_argument",
            Msg::NotFound { .. } => "not_found",
            Msg::RoleRequired { .. } => "role_required",
            Msg::OtherEntity => "other_entity",
            Msg::OnlyOwnOfficer => "only_own_officer",
            Msg::SubmissionReadOnly { .. } => "submission_read_only",
            Msg::CampaignClosed { .. } => "campaign_closed",
            Msg::CampaignNotOpen => "campaign_not_open",
            Msg::DeadlinePassed { .. } => "deadline_passed",
            Msg::NotSubmitted { .. } => "not_submitted",
            Msg::SubmitBlocked { .. } => "submit_blocked",
            Msg::RegionReviewsFirst => "region_reviews_first",
            Msg::MinistryReviewsNow => "ministry_reviews_now",
            Msg::NoPublishedRating { .. } => "no_published_rating",
            Msg::Retracted { .. } => "retracted",
            Msg::NotRatedIn { .. } => "not_rated_in",
            Msg::NoFormat { .. } => "no_format",
            Msg::CampaignsForStaff => "campaigns_for_staff",
            Msg::StaffOnly => "staff_only",
            Msg::OnlyParticipantsDiscuss => "only_participants_discuss",
            Msg::OnlyRegionOfficer => "only_region_officer",
            Msg::Exists { .. } => "exists",
            Msg::WrongState { .. } => "wrong_state",
            Msg::CampaignFinal { .. } => "campaign_final",
            Msg::NotAtThisStage { .. } => "not_at_this_stage",
            Msg::WaitingReview { .. } => "waiting_review",
            Msg::AppealsOpen { .. } => "appeals_open",
            Msg::AlreadyDone { .. } => "already_done",
            Msg::ChangedMeanwhile { .. } => "changed_meanwhile",
            Msg::LockedByFeed { .. } => "locked_by_feed",
            Msg::NoSavedVersion { .. } => "no_saved_version",
            Msg::OwnAdminRole => "own_admin_role",
            Msg::OwnAccount => "own_account",
            Msg::TokenScope { .. } => "token_scope",
            Msg::IdempotencyBusy => "idempotency_busy",
            Msg::PushRaced => "push_raced",
            Msg::NothingToRetract { .. } => "nothing_to_retract",
            Msg::AlreadyPublished { .. } => "already_published",
            Msg::Withheld { .. } => "withheld",
            Msg::Required { .. } => "required",
            Msg::Length { .. } => "length",
            Msg::NotA { .. } => "not_a",
            Msg::EndsBeforeBegins => "ends_before_begins",
            Msg::DatesOutOfOrder => "dates_out_of_order",
            Msg::NotInFuture => "not_in_future",
            Msg::WeakPassword => "weak_password",
            Msg::WrongPassword => "wrong_password",
            Msg::NotANumber { .. } => "not_a_number",
            Msg::AmbiguousNumber { .. } => "ambiguous_number",
            Msg::NotYesNo { .. } => "not_yes_no",
            Msg::UnknownOption { .. } => "unknown_option",
            Msg::NotAUrl { .. } => "not_a_url",
            Msg::NotALegalAct { .. } => "not_a_legal_act",
            Msg::Computed => "computed",
            Msg::OutOfRange { .. } => "out_of_range",
        }
    }
}
