//! Who may do what with a submission: (person, whose submission, action)
//! → allowed, or refused as `Forbidden`, `NotFound`, `Conflict` or
//! `Invalid`, for reading the form, saving a value, submitting, commenting
//! on a value, returning, approving, and endorsing in a two-level round.
//!
//! Every row starts from the state its action needs (open round; an
//! editable submission to read, save or submit, a submitted one to review)
//! and checks that a refusal changed nothing and an allowed step moved
//! the submission where that step goes.

use chrono::Utc;
use domain::{ParticipantId, ReviewAction, SubmissionStatus};
use service::submissions::{self, SaveRequest, Verdict};

use crate::helpers::{Refused, Round, Who, World, outcome};

/// Whose submission a row acts on.
#[derive(Debug, Clone, Copy)]
enum Whose {
    /// The officer's district, in the region officer's region.
    D1,
    /// A district of another region (the other officer's).
    D2,
    /// The CDO's state body (its form is not filled in).
    B1,
    /// A submission that does not exist.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Read,
    Save,
    Submit,
    /// A comment on one value (a review verdict).
    Comment,
    Return,
    Approve,
    /// Approve in a two-level round.
    Endorse,
}

use Action::*;
use Refused::{Conflict, Forbidden, Invalid, NotFound};
use Whose::*;

/// Who acts, on whose submission, how.
type Case = (Who, Whose, Action);

struct Rounds {
    one: Round,
    two: Round,
    bodies: Round,
}

fn target(r: &Rounds, w: &World, whose: Whose, action: Action) -> ParticipantId {
    let round = if action == Endorse { &r.two } else { &r.one };
    match whose {
        D1 => round.of(&w.d1),
        D2 => round.of(&w.d2),
        B1 => r.bodies.of(&w.b1),
        Missing => ParticipantId(999_999),
    }
}

async fn check(w: &World, r: &Rounds, (who, whose, action): Case, want: Result<(), Refused>) {
    let db = &w.db;
    let p = target(r, w, whose, action);
    let start = match action {
        Read | Save | Submit => SubmissionStatus::InProgress,
        Comment | Return | Approve | Endorse => SubmissionStatus::Submitted,
    };
    if !matches!(whose, Missing) {
        w.force_status(p, start).await;
    }
    let code = if matches!(whose, B1) {
        "OPEN.open_data_sets"
    } else {
        "INFRA.fibre_km"
    };
    let version = w.version(p, code).await;
    let now = Utc::now();
    let principal = w.p(who);
    let got = outcome(match action {
        Read => submissions::form(db, principal, p, now).await.map(drop),
        Save => {
            let req = SaveRequest {
                indicator: code.into(),
                value: Some("7".into()),
                comment: None,
                version,
            };
            submissions::save(db, principal, p, &req, now)
                .await
                .map(drop)
        }
        Submit => submissions::submit(db, principal, p, now).await,
        Comment => {
            let v = Verdict {
                indicator: code,
                action: ReviewAction::Comment,
                adjusted: None,
                reason: "which register?",
            };
            submissions::review_value(db, principal, p, &v, now).await
        }
        Return => submissions::return_for_revision(db, principal, p, "check it", now).await,
        Approve | Endorse => submissions::approve(db, principal, p, now).await,
    });
    let case = format!("{who:?} {action:?} {whose:?}");
    assert_eq!(got, want, "{case}");
    if matches!(whose, Missing) {
        return;
    }
    let moved = match (action, &got) {
        (_, Err(_)) | (Read | Save | Comment, Ok(())) => start,
        (Submit, Ok(())) => SubmissionStatus::Submitted,
        (Return, Ok(())) => SubmissionStatus::Returned,
        (Approve, Ok(())) => SubmissionStatus::Approved,
        (Endorse, Ok(())) => SubmissionStatus::Endorsed,
    };
    assert_eq!(w.status(p).await, moved, "{case}: status after");
    let saved = w.version(p, code).await;
    let wrote = action == Save && got.is_ok();
    assert_eq!(saved, version + i32::from(wrote), "{case}: version after");
}

#[tokio::test]
async fn each_role_reaches_only_the_submissions_it_speaks_for_or_reviews() {
    let w = World::new().await;
    let rounds = Rounds {
        one: w.district_round("one-level", false).await,
        two: w.district_round("two-level", true).await,
        bodies: w.body_round("bodies").await,
    };
    // The officer's district is complete, so submitting it can succeed.
    w.fill_in(Who::Officer, rounds.one.of(&w.d1)).await;
    let ok = Ok(());
    #[rustfmt::skip]
    let table: Vec<(Case, Result<(), Refused>)> = vec![
        // Reading: its own officers, the region's officer for its
        // districts, ministry staff and viewers; nobody else.
        ((Who::Officer, D1, Read), ok.clone()),
        ((Who::Officer, D2, Read), Err(Forbidden)),
        ((Who::Region, D1, Read), ok.clone()),
        ((Who::Region, D2, Read), Err(Forbidden)),
        ((Who::Cdo, B1, Read), ok.clone()),
        ((Who::Cdo, D1, Read), Err(Forbidden)),
        ((Who::Other, B1, Read), Err(Forbidden)),
        ((Who::Reviewer, D1, Read), ok.clone()),
        ((Who::Publisher, D2, Read), ok.clone()),
        ((Who::Methodologist, B1, Read), ok.clone()),
        ((Who::Viewer, D1, Read), ok.clone()),
        ((Who::Admin, D2, Read), ok.clone()),
        ((Who::Officer, Missing, Read), Err(NotFound)),
        ((Who::Admin, Missing, Read), Err(NotFound)),
        // Saving: only who enters the entity's answers (a district's
        // officer, or its region's); reading is not writing.
        ((Who::Officer, D1, Save), ok.clone()),
        ((Who::Officer, D2, Save), Err(Forbidden)),
        ((Who::Region, D1, Save), ok.clone()),
        ((Who::Region, D2, Save), Err(Forbidden)),
        ((Who::Cdo, B1, Save), ok.clone()),
        ((Who::Cdo, D1, Save), Err(Forbidden)),
        ((Who::Reviewer, D1, Save), Err(Forbidden)),
        ((Who::Publisher, D1, Save), Err(Forbidden)),
        ((Who::Viewer, D1, Save), Err(Forbidden)),
        ((Who::Admin, D1, Save), Err(Forbidden)),
        ((Who::Other, Missing, Save), Err(NotFound)),
        // Submitting: the same people; the CDO passes the scope check and
        // is stopped by the answers still missing from the body's form.
        ((Who::Officer, D1, Submit), ok.clone()),
        ((Who::Region, D1, Submit), ok.clone()),
        ((Who::Other, D1, Submit), Err(Forbidden)),
        ((Who::Officer, D2, Submit), Err(Forbidden)),
        ((Who::Cdo, B1, Submit), Err(Invalid("submission"))),
        ((Who::Reviewer, D1, Submit), Err(Forbidden)),
        ((Who::Admin, D1, Submit), Err(Forbidden)),
        ((Who::Viewer, D1, Submit), Err(Forbidden)),
        ((Who::Officer, Missing, Submit), Err(NotFound)),
        // Reviewing a value in a one-level round: reviewers and admins.
        ((Who::Reviewer, D1, Comment), ok.clone()),
        ((Who::Admin, D2, Comment), ok.clone()),
        ((Who::Officer, D1, Comment), Err(Forbidden)),
        ((Who::Region, D1, Comment), Err(Forbidden)),
        ((Who::Methodologist, D1, Comment), Err(Forbidden)),
        ((Who::Publisher, D1, Comment), Err(Forbidden)),
        ((Who::Viewer, D1, Comment), Err(Forbidden)),
        ((Who::Reviewer, Missing, Comment), Err(NotFound)),
        ((Who::Reviewer, D2, Return), ok.clone()),
        ((Who::Officer, D1, Return), Err(Forbidden)),
        ((Who::Publisher, D1, Return), Err(Forbidden)),
        ((Who::Reviewer, D1, Approve), ok.clone()),
        ((Who::Admin, D2, Approve), ok.clone()),
        ((Who::Region, D1, Approve), Err(Forbidden)),
        ((Who::Officer, D1, Approve), Err(Forbidden)),
        ((Who::Viewer, D1, Approve), Err(Forbidden)),
        // Two-level round: the region's officer endorses its districts'
        // work first; the ministry waits; nobody else acts.
        ((Who::Region, D1, Endorse), ok.clone()),
        ((Who::Region, D2, Endorse), Err(Forbidden)),
        ((Who::Reviewer, D1, Endorse), Err(Conflict)),
        ((Who::Admin, D1, Endorse), Err(Conflict)),
        ((Who::Officer, D1, Endorse), Err(Forbidden)),
        ((Who::Publisher, D1, Endorse), Err(Forbidden)),
    ];
    for (input, want) in table {
        check(&w, &rounds, input, want).await;
    }
}

/// (round, the submission's status, whose queue, everything past entry).
type Queued = (bool, SubmissionStatus, Who, bool);

#[tokio::test]
async fn the_review_queue_shows_each_reviewer_the_work_waiting_for_them() {
    let w = World::new().await;
    let one = w.district_round("one-level", false).await;
    let two = w.district_round("two-level", true).await;
    let check = async |input: Queued, want: Result<bool, Refused>| {
        let (two_level, status, who, all) = input;
        let round = if two_level { &two } else { &one };
        let p = round.of(&w.d1);
        // Only this submission is past entry.
        for q in [one.of(&w.d1), one.of(&w.d2), two.of(&w.d1), two.of(&w.d2)] {
            w.force_status(q, SubmissionStatus::InProgress).await;
        }
        w.force_status(p, status).await;
        let filter = domain::QueueFilter {
            all,
            ..Default::default()
        };
        let got = outcome(submissions::queue(&w.db, w.p(who), &filter).await);
        let got = got.map(|items| {
            assert!(
                items.iter().all(|i| i.participant == p),
                "{input:?}: {items:?}"
            );
            !items.is_empty()
        });
        assert_eq!(got, want, "{input:?}");
    };
    use SubmissionStatus::{Approved, Endorsed, InProgress, Returned, Submitted};
    #[rustfmt::skip]
    let table: Vec<(Queued, Result<bool, Refused>)> = vec![
        ((false, Submitted, Who::Reviewer, false), Ok(true)),
        ((false, Submitted, Who::Admin, false), Ok(true)),
        ((false, Submitted, Who::Publisher, false), Ok(true)),
        ((false, Submitted, Who::Region, false), Ok(false)),
        ((false, InProgress, Who::Reviewer, false), Ok(false)),
        ((false, Returned, Who::Reviewer, false), Ok(false)),
        ((false, Approved, Who::Reviewer, false), Ok(false)),
        // Everything past entry, for those who may read it.
        ((false, Returned, Who::Reviewer, true), Ok(true)),
        ((false, Approved, Who::Reviewer, true), Ok(true)),
        ((false, InProgress, Who::Reviewer, true), Ok(false)),
        // Two levels: the region first, then the ministry.
        ((true, Submitted, Who::Region, false), Ok(true)),
        ((true, Submitted, Who::Reviewer, false), Ok(false)),
        ((true, Submitted, Who::Reviewer, true), Ok(true)),
        ((true, Endorsed, Who::Reviewer, false), Ok(true)),
        ((true, Endorsed, Who::Region, false), Ok(false)),
        ((true, Endorsed, Who::Region, true), Ok(true)),
        // Officers of districts and viewers have no queue.
        ((true, Submitted, Who::Officer, false), Err(Forbidden)),
        ((false, Submitted, Who::Viewer, false), Err(Forbidden)),
        ((false, Submitted, Who::Cdo, true), Err(Forbidden)),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}
