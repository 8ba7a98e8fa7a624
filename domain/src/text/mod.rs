//! Messages for people: a key with typed parameters, rendered in the
//! reader's language at the edge (a page, a server function's error, the
//! JSON API's problem document, an e-mail, an import report).
//!
//! Why a typed enum and not Fluent or rust-i18n (docs/notes/i18n-survey.md
//! §3): the parameters are Rust types (a number is rendered with the
//! reader's decimal mark, a date in words, a count with the right plural
//! form), a missing language is a compile error (every `say!` names all
//! four), and nothing is parsed at run time. Stored and transmitted
//! messages are the serde form (`{"key":"not_found","what":"campaign",…}`)
//! and are rendered when read, in whoever reads them's language.

use crate::Locale;

/// Formats one text per language; every arm is a `format!` literal, so the
/// parameters are the locals in scope and all four languages are required.
macro_rules! say {
    ($l:expr; $uz:literal, $cy:literal, $ru:literal, $en:literal $(,)?) => {
        match $l {
            Locale::UzLatn => format!($uz),
            Locale::UzCyrl => format!($cy),
            Locale::Ru => format!($ru),
            Locale::En => format!($en),
        }
    };
}

mod msg;

mod access;
mod answer;
mod fields;
mod frame;
mod workflow;

pub use msg::{Blocker, Expected, Msg, Need, Noun, Step};

impl Msg {
    /// The message in `l`.
    pub fn render(&self, l: Locale) -> String {
        match self {
            Msg::Text { text } => text.clone(),
            Msg::NoAnswer
            | Msg::SignInRequired
            | Msg::BadCredentials
            | Msg::SavedFirst
            | Msg::Internal
            | Msg::TooManyRequests { .. }
            | Msg::BadArgument { .. }
            | Msg::NotFound { .. }
            | Msg::NoPublishedRating { .. }
            | Msg::Retracted { .. }
            | Msg::NotRatedIn { .. }
            | Msg::NoFormat { .. }
            | Msg::Withheld { .. } => self.frame(l),
            Msg::RoleRequired { .. }
            | Msg::OtherEntity
            | Msg::OnlyOwnOfficer
            | Msg::SubmissionReadOnly { .. }
            | Msg::CampaignClosed { .. }
            | Msg::CampaignNotOpen
            | Msg::DeadlinePassed { .. }
            | Msg::NotSubmitted { .. }
            | Msg::SubmitBlocked { .. }
            | Msg::RegionReviewsFirst
            | Msg::MinistryReviewsNow => self.access(l),
            Msg::CampaignsForStaff
            | Msg::StaffOnly
            | Msg::OnlyParticipantsDiscuss
            | Msg::OnlyRegionOfficer
            | Msg::WrongState { .. }
            | Msg::CampaignFinal { .. }
            | Msg::NotAtThisStage { .. }
            | Msg::WaitingReview { .. }
            | Msg::AppealsOpen { .. }
            | Msg::ChangedMeanwhile { .. } => self.workflow(l),
            Msg::Exists { .. }
            | Msg::AlreadyDone { .. }
            | Msg::LockedByFeed { .. }
            | Msg::NoSavedVersion { .. }
            | Msg::OwnAdminRole
            | Msg::OwnAccount
            | Msg::TokenScope { .. }
            | Msg::IdempotencyBusy
            | Msg::PushRaced
            | Msg::NothingToRetract { .. }
            | Msg::AlreadyPublished { .. } => self.records(l),
            Msg::Required { .. }
            | Msg::Length { .. }
            | Msg::NotA { .. }
            | Msg::EndsBeforeBegins
            | Msg::DatesOutOfOrder
            | Msg::NotInFuture
            | Msg::WeakPassword
            | Msg::WrongPassword => self.fields(l),
            Msg::NotANumber { .. }
            | Msg::AmbiguousNumber { .. }
            | Msg::NotYesNo { .. }
            | Msg::UnknownOption { .. }
            | Msg::NotAUrl { .. }
            | Msg::NotALegalAct { .. }
            | Msg::Computed
            | Msg::OutOfRange { .. } => self.answer(l),
        }
    }
}

/// English, for logs and `Display` (the reader's language is chosen at the
/// edge with [`Msg::render`]).
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
}

impl From<String> for Msg {
    fn from(text: String) -> Self {
        Msg::text(text)
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Self {
        Msg::text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CampaignStatus, Role, SubmissionStatus};

    #[test]
    fn every_need_and_expectation_has_its_own_text() {
        let needs = [
            Need::Reason,
            Need::Reply,
            Need::Name,
            Need::NamesInEveryLanguage,
            Need::ActType,
            Need::ActNumber,
            Need::Outcome,
            Need::CorrectedValue,
            Need::Changelog,
            Need::Complaint,
            Need::Decision,
            Need::Indicator,
        ];
        let expected = [
            Expected::Date,
            Expected::DateTime,
            Expected::TashkentTime,
            Expected::Email,
            Expected::Code,
            Expected::Slug,
            Expected::EntityId,
            Expected::VersionName,
            Expected::Language,
        ];
        for l in Locale::ALL {
            let a: std::collections::HashSet<String> = needs
                .iter()
                .map(|&need| Msg::Required { need }.render(l))
                .collect();
            assert_eq!(a.len(), needs.len(), "{l:?}");
            let b: std::collections::HashSet<String> = expected
                .iter()
                .map(|&expected| {
                    Msg::NotA {
                        text: "x".into(),
                        expected,
                    }
                    .render(l)
                })
                .collect();
            assert_eq!(b.len(), expected.len(), "{l:?}");
        }
    }

    fn samples() -> Vec<Msg> {
        vec![
            Msg::NoAnswer,
            Msg::SignInRequired,
            Msg::BadCredentials,
            Msg::SavedFirst,
            Msg::Internal,
            Msg::TooManyRequests { secs: 21 },
            Msg::BadArgument {
                field: Some("page".into()),
            },
            Msg::BadArgument { field: None },
            Msg::NotFound {
                what: Noun::Campaign,
                which: "dist-2025".into(),
            },
            Msg::NotANumber { text: "abc".into() },
            Msg::AmbiguousNumber {
                text: "1,240".into(),
                as_decimal: 1.24,
                as_grouped: 1240.0,
            },
            Msg::OutOfRange {
                value: 99_999.0,
                min: 0.0,
                max: 10_000.0,
            },
            Msg::RoleRequired {
                roles: vec![Role::Reviewer, Role::Admin],
            },
            Msg::OtherEntity,
            Msg::OnlyOwnOfficer,
            Msg::SubmissionReadOnly {
                status: SubmissionStatus::Submitted,
            },
            Msg::CampaignClosed {
                status: CampaignStatus::Final,
            },
            Msg::CampaignNotOpen,
            Msg::DeadlinePassed {
                deadline: "2026-12-04".into(),
            },
            Msg::NotSubmitted {
                status: SubmissionStatus::InProgress,
            },
            Msg::RegionReviewsFirst,
            Msg::MinistryReviewsNow,
            Msg::SubmitBlocked {
                problems: vec![Blocker {
                    indicator: "INFRA.fibre_km".into(),
                    issue: "outlier_previous".into(),
                    unjustified: true,
                    detail: "56,6 → +2 091 %".into(),
                }],
            },
            Msg::NoPublishedRating { of: "x".into() },
            Msg::Retracted {
                campaign: "x".into(),
                revision: 2,
            },
            Msg::NotRatedIn {
                campaign: "x".into(),
            },
            Msg::NoFormat { file: "x".into() },
            Msg::Withheld { revision: 3 },
            Msg::CampaignsForStaff,
            Msg::StaffOnly,
            Msg::OnlyParticipantsDiscuss,
            Msg::OnlyRegionOfficer,
            Msg::Exists {
                what: Noun::Campaign,
                which: "x".into(),
            },
            Msg::WrongState {
                campaign: "x".into(),
                current: CampaignStatus::Open,
                expected: CampaignStatus::Closed,
            },
            Msg::CampaignFinal {
                campaign: "x".into(),
            },
            Msg::NotAtThisStage {
                campaign: "x".into(),
                status: CampaignStatus::Open,
                step: Step::Publish,
            },
            Msg::WaitingReview { n: 3 },
            Msg::AppealsOpen { n: 5 },
            Msg::AlreadyDone {
                what: Noun::Appeal,
                which: "4".into(),
            },
            Msg::ChangedMeanwhile {
                what: Noun::Submission,
            },
            Msg::LockedByFeed {
                indicator: "x".into(),
                source: "stat".into(),
            },
            Msg::NoSavedVersion {
                indicator: "x".into(),
                version: 3,
            },
            Msg::OwnAdminRole,
            Msg::OwnAccount,
            Msg::TokenScope { entity: "x".into() },
            Msg::IdempotencyBusy,
            Msg::PushRaced,
            Msg::NothingToRetract {
                campaign: "x".into(),
            },
            Msg::AlreadyPublished { revision: 2 },
            Msg::Required { need: Need::Reason },
            Msg::Required {
                need: Need::Complaint,
            },
            Msg::Length { min: 0, max: 4000 },
            Msg::Length { min: 10, max: 256 },
            Msg::NotA {
                text: "x".into(),
                expected: Expected::Date,
            },
            Msg::NotA {
                text: "x".into(),
                expected: Expected::Email,
            },
            Msg::EndsBeforeBegins,
            Msg::DatesOutOfOrder,
            Msg::NotInFuture,
            Msg::WeakPassword,
            Msg::WrongPassword,
            Msg::NotYesNo { text: "x".into() },
            Msg::UnknownOption {
                given: "x".into(),
                allowed: "a, b".into(),
            },
            Msg::NotAUrl { text: "x".into() },
            Msg::NotALegalAct { text: "x".into() },
            Msg::Computed,
        ]
    }

    #[test]
    fn every_message_differs_by_language_and_round_trips() {
        for m in samples() {
            let texts: Vec<String> = Locale::ALL.iter().map(|&l| m.render(l)).collect();
            for (i, a) in texts.iter().enumerate() {
                assert!(!a.is_empty(), "{m:?}");
                for b in &texts[i + 1..] {
                    assert_ne!(a, b, "{m:?} reads the same in two languages");
                }
            }
            let json = serde_json::to_value(&m).unwrap();
            assert_eq!(json["key"], m.key(), "{json}");
            assert_eq!(serde_json::from_value::<Msg>(json).unwrap(), m);
        }
    }

    #[test]
    fn numbers_and_counts_are_written_the_local_way() {
        let range = Msg::OutOfRange {
            value: 99_999.0,
            min: 0.0,
            max: 10_000.0,
        };
        assert_eq!(
            range.render(Locale::Ru),
            "99\u{a0}999 вне допустимого диапазона: [0; 10\u{a0}000]."
        );
        assert!(range.render(Locale::En).contains("99,999"));
        let wait = Msg::TooManyRequests { secs: 22 };
        assert!(wait.render(Locale::Ru).contains("22 секунды"));
        assert!(
            Msg::TooManyRequests { secs: 25 }
                .render(Locale::Ru)
                .contains("25 секунд")
        );
        assert!(
            Msg::TooManyRequests { secs: 1 }
                .render(Locale::En)
                .contains("1 second.")
        );
    }
}
