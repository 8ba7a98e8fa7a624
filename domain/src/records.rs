//! Closed sets of stored records that are not a campaign's workflow: a
//! rating revision's status, a methodology version's and a proposal's,
//! what evidence is, what a review comment does, and the audit log's
//! actions and object types. Each is a column type on the server (the
//! `orm` feature), so a stored row is parsed once, when it is read.

use serde::{Deserialize, Serialize};

string_enum! {
    /// What a stored revision of a rating is.
    SnapshotStatus {
        /// Published: the rating as it stands in this revision.
        Published = "published",
        /// Retracted: the revision withdraws the rating.
        Retracted = "retracted",
    }
}

string_enum! {
    /// Where a methodology version is. Versions are never rewritten; one
    /// that is stored is in force from its `valid_from` date.
    MethodologyStatus {
        /// In force from its date.
        Published = "published",
    }
}

string_enum! {
    /// Where a proposed methodology change (from the what-if sandbox) is.
    ProposalStatus {
        /// Waiting for a methodologist's decision.
        Proposed = "proposed",
        /// Adopted as a new methodology version.
        Adopted = "adopted",
        /// Withdrawn without a version.
        Withdrawn = "withdrawn",
    }
}

string_enum! {
    /// What a piece of evidence is.
    EvidenceKind {
        /// A link to a public page.
        Url = "url",
        /// A legal act, by type, number and date.
        LegalAct = "legal_act",
        /// An uploaded file, kept with its SHA-256.
        File = "file",
    }
}

string_enum! {
    /// What a comment on a submission's thread records: a reviewer's verdict
    /// on one value, a decision on the whole submission, or a reply.
    CommentAction {
        /// A value accepted as entered.
        Accept = "accept",
        /// A value replaced by the reviewer.
        Adjust = "adjust",
        /// A value rejected.
        Reject = "reject",
        /// A comment only.
        Comment = "comment",
        /// The submission returned for revision.
        Return = "return",
        /// The submission endorsed by its region.
        Endorse = "endorse",
        /// The submission approved by the ministry.
        Approve = "approve",
        /// A reply to another comment.
        Reply = "reply",
    }
}

impl From<crate::ReviewAction> for CommentAction {
    fn from(a: crate::ReviewAction) -> Self {
        match a {
            crate::ReviewAction::Accept => CommentAction::Accept,
            crate::ReviewAction::Adjust => CommentAction::Adjust,
            crate::ReviewAction::Reject => CommentAction::Reject,
            crate::ReviewAction::Comment => CommentAction::Comment,
        }
    }
}

string_enum! {
    /// What an audit entry records, `object.verb`.
    AuditAction {
        /// An entity added to the registry.
        EntityCreate = "entity.create",
        /// An entity's record changed.
        EntityUpdate = "entity.update",
        /// An entity retired from the registry.
        EntityRetire = "entity.retire",
        /// An entity changed by the reviewed seed files.
        EntitySeedUpdate = "entity.seed_update",
        /// An account created.
        UserCreate = "user.create",
        /// A role granted.
        UserGrant = "user.grant",
        /// A role revoked.
        UserRevoke = "user.revoke",
        /// An account's password reset by an administrator.
        UserResetPassword = "user.reset_password",
        /// A person changed their own password.
        UserChangePassword = "user.change_password",
        /// An account enabled.
        UserEnable = "user.enable",
        /// An account disabled.
        UserDisable = "user.disable",
        /// An integration token issued.
        ApiTokenIssue = "api_token.issue",
        /// An integration token revoked.
        ApiTokenRevoke = "api_token.revoke",
        /// A methodology version stored from the seed files.
        MethodologySeed = "methodology.seed",
        /// A methodology change proposed.
        MethodologyPropose = "methodology.propose",
        /// A proposal adopted as a version.
        MethodologyAdopt = "methodology.adopt",
        /// A proposal withdrawn.
        MethodologyWithdraw = "methodology.withdraw",
        /// A campaign created.
        CampaignCreate = "campaign.create",
        /// A campaign moved to its next status.
        CampaignTransition = "campaign.transition",
        /// Reminders sent to a campaign's late entities.
        CampaignRemind = "campaign.remind",
        /// A campaign's nominations chosen.
        CampaignNominate = "campaign.nominate",
        /// An entity's deadline extended.
        ParticipantExtend = "participant.extend",
        /// A value saved.
        ValueSave = "value.save",
        /// A reviewer's verdict on a value.
        ValueReview = "value.review",
        /// Evidence attached.
        EvidenceAdd = "evidence.add",
        /// Evidence removed.
        EvidenceRemove = "evidence.remove",
        /// A submission submitted.
        SubmissionSubmit = "submission.submit",
        /// A submission returned for revision.
        SubmissionReturn = "submission.return",
        /// A submission endorsed by its region.
        SubmissionEndorse = "submission.endorse",
        /// A submission approved.
        SubmissionApprove = "submission.approve",
        /// A reply on a submission's thread.
        CommentReply = "comment.reply",
        /// An appeal filed.
        AppealFile = "appeal.file",
        /// An appeal decided.
        AppealResolve = "appeal.resolve",
        /// A workbook's values imported.
        WorkbookImport = "workbook.import",
        /// Values pushed by an automatic feed.
        FeedPush = "feed.push",
        /// A rating revision published.
        RatingPublish = "rating.publish",
        /// A rating retracted.
        RatingRetract = "rating.retract",
        /// A revision stored before snapshots carried their matrix, filled in.
        RatingReconstruct = "rating.reconstruct",
    }
}

string_enum! {
    /// The kind of object an audit entry is about.
    ObjectType {
        /// A registry entity.
        Entity = "entity",
        /// An account.
        User = "user",
        /// An integration token.
        ApiToken = "api_token",
        /// A methodology version.
        MethodologyVersion = "methodology_version",
        /// A proposed methodology change.
        MethodologyProposal = "methodology_proposal",
        /// A campaign.
        Campaign = "campaign",
        /// One entity's submission in a campaign.
        Participant = "participant",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audit_action_names_an_object_and_a_verb() {
        for a in AuditAction::ALL {
            let (object, verb) = a.as_str().split_once('.').expect("object.verb");
            assert!(!object.is_empty() && !verb.is_empty(), "{a}");
            assert_eq!(AuditAction::parse(a.as_str()), Ok(*a));
        }
    }

    /// The wire form is `rename_all = "snake_case"` of the variant; the
    /// stored form is `as_str`. For the workflow's sets they must agree.
    #[test]
    fn stored_text_is_the_snake_case_of_the_variant() {
        fn snake(debug: String) -> String {
            let mut out = String::new();
            for (i, c) in debug.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
            }
            out
        }
        for k in crate::EntityKind::ALL {
            assert_eq!(snake(format!("{k:?}")), k.as_str());
        }
        for s in crate::CampaignStatus::ALL {
            assert_eq!(snake(format!("{s:?}")), s.as_str());
        }
        for s in crate::SubmissionStatus::ALL {
            assert_eq!(snake(format!("{s:?}")), s.as_str());
        }
        for s in CommentAction::ALL {
            assert_eq!(snake(format!("{s:?}")), s.as_str());
        }
    }
}
