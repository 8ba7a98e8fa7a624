//! Where a submission goes: (round, status, step, person) → its new
//! status, or the refusal and the status unchanged. Submitting with hard
//! problems is refused, returning needs a reason, the ministry approves a
//! one-level round's work, and in a two-level round the region's officer
//! endorses before the ministry approves.

use chrono::Utc;
use domain::SubmissionStatus::{self, *};
use service::submissions::{self, SaveRequest};

use crate::helpers::{Refused, Round, Who, World, outcome};

#[derive(Debug, Clone, Copy)]
enum Level {
    One,
    Two,
}

#[derive(Debug, Clone, Copy)]
enum Step {
    /// The first save moves a submission from not started to in progress.
    Save,
    Submit,
    Return(&'static str),
    Approve,
}

/// The complete submission of `d1`, or the empty one of `d2`.
#[derive(Debug, Clone, Copy)]
enum Form {
    Complete,
    Empty,
}

type Input = (Level, SubmissionStatus, Step, Who, Form);

use Form::*;
use Level::*;
use Refused::{Conflict, Forbidden, Invalid};
use Step::*;

async fn check(
    w: &World,
    rounds: &(Round, Round),
    input: Input,
    want: Result<SubmissionStatus, Refused>,
) {
    let (level, from, step, who, form) = input;
    let round = match level {
        One => &rounds.0,
        Two => &rounds.1,
    };
    let p = match form {
        Complete => round.of(&w.d1),
        Empty => round.of(&w.d2),
    };
    w.force_status(p, from).await;
    let (db, principal, now) = (&w.db, w.p(who), Utc::now());
    let got = outcome(match step {
        Save => {
            let code = "INFRA.public_wifi";
            let req = SaveRequest {
                indicator: code.into(),
                value: Some("3".into()),
                comment: None,
                version: w.version(p, code).await,
            };
            submissions::save(db, principal, p, &req, now)
                .await
                .map(drop)
        }
        Submit => submissions::submit(db, principal, p, now).await,
        Return(reason) => submissions::return_for_revision(db, principal, p, reason, now).await,
        Approve => submissions::approve(db, principal, p, now).await,
    });
    let now_at = w.status(p).await;
    assert_eq!(got.map(|()| now_at), want, "{input:?}");
    if want.is_err() {
        assert_eq!(now_at, from, "{input:?}: a refusal changes nothing");
    }
}

#[tokio::test]
async fn a_submission_moves_only_along_the_workflow() {
    let w = World::new().await;
    let one = w.district_round("one-level", false).await;
    let two = w.district_round("two-level", true).await;
    w.fill_in(Who::Officer, one.of(&w.d1)).await;
    w.fill_in(Who::Officer, two.of(&w.d1)).await;
    let rounds = (one, two);
    #[rustfmt::skip]
    let table: Vec<(Input, Result<SubmissionStatus, Refused>)> = vec![
        // Entry.
        ((One, NotStarted, Save, Who::Officer, Complete), Ok(InProgress)),
        ((One, Returned, Save, Who::Officer, Complete), Ok(Returned)),
        ((One, Submitted, Save, Who::Officer, Complete), Err(Conflict)),
        ((One, Approved, Save, Who::Officer, Complete), Err(Conflict)),
        ((Two, Endorsed, Save, Who::Officer, Complete), Err(Conflict)),
        // Submission: complete work only, from an editable state.
        ((One, InProgress, Submit, Who::Officer, Complete), Ok(Submitted)),
        ((One, Returned, Submit, Who::Officer, Complete), Ok(Submitted)),
        ((One, NotStarted, Submit, Who::Other, Empty), Err(Invalid("submission"))),
        ((One, InProgress, Submit, Who::Other, Empty), Err(Invalid("submission"))),
        ((One, Submitted, Submit, Who::Officer, Complete), Err(Conflict)),
        ((One, Approved, Submit, Who::Officer, Complete), Err(Conflict)),
        ((Two, Endorsed, Submit, Who::Officer, Complete), Err(Conflict)),
        // The ministry's review of a one-level round.
        ((One, Submitted, Return("fibre length looks low"), Who::Reviewer, Complete), Ok(Returned)),
        ((One, Submitted, Return("  "), Who::Reviewer, Complete), Err(Invalid("reason"))),
        ((One, Submitted, Approve, Who::Reviewer, Complete), Ok(Approved)),
        ((One, Submitted, Approve, Who::Admin, Complete), Ok(Approved)),
        ((One, InProgress, Approve, Who::Reviewer, Complete), Err(Conflict)),
        ((One, Returned, Approve, Who::Reviewer, Complete), Err(Conflict)),
        ((One, Approved, Approve, Who::Reviewer, Complete), Err(Conflict)),
        ((One, Approved, Return("reopen"), Who::Reviewer, Complete), Err(Conflict)),
        ((One, Submitted, Approve, Who::Publisher, Complete), Err(Forbidden)),
        // Two levels: the region endorses or returns, then the ministry.
        ((Two, InProgress, Submit, Who::Officer, Complete), Ok(Submitted)),
        ((Two, Submitted, Approve, Who::Region, Complete), Ok(Endorsed)),
        ((Two, Submitted, Return("attach the register"), Who::Region, Complete), Ok(Returned)),
        ((Two, Submitted, Return(""), Who::Region, Complete), Err(Invalid("reason"))),
        ((Two, Submitted, Approve, Who::Reviewer, Complete), Err(Conflict)),
        ((Two, Submitted, Return("too early"), Who::Reviewer, Complete), Err(Conflict)),
        ((Two, Endorsed, Approve, Who::Reviewer, Complete), Ok(Approved)),
        ((Two, Endorsed, Return("census disagrees"), Who::Reviewer, Complete), Ok(Returned)),
        ((Two, Endorsed, Approve, Who::Region, Complete), Err(Forbidden)),
        ((Two, Endorsed, Return("again"), Who::Region, Complete), Err(Forbidden)),
        ((Two, Submitted, Approve, Who::Other, Empty), Err(Forbidden)),
    ];
    for (input, want) in table {
        check(&w, &rounds, input, want).await;
    }
}
