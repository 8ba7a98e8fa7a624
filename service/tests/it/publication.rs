//! Publication of a final league as immutable revisions: who publishes,
//! when (only final results; an embargo ends in the future), what (a
//! republication of unchanged results is refused, a correction becomes a
//! new revision with its changelog line, a retraction is a revision too),
//! and what the public sees now and once an embargo has passed.
//!
//! Rows are steps taken in order on one campaign, from the appeals stage
//! with one approved district and one that never submitted.

use chrono::{DateTime, Duration, Utc};
use domain::{CampaignStatus, EntityKind, PublishRequest, ReviewAction, SubmissionStatus};
use entity::rating_snapshots;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use service::{campaigns, ratings, results, submissions};

use crate::helpers::{Refused, Who, World, outcome};

#[derive(Debug, Clone, Copy)]
enum Embargo {
    None,
    /// Hours from now, as Tashkent time.
    Hours(i64),
    Text(&'static str),
}

#[derive(Debug, Clone, Copy)]
enum Step {
    /// `who` publishes (or with `retract`, retracts) with an embargo and a
    /// changelog line.
    Publish(Who, Embargo, &'static str, bool),
    /// The campaign moves on from appeals to final.
    Advance,
    /// A reviewer corrects the social facilities' broadband share.
    Correct(&'static str),
}

/// The revision a step publishes (if it publishes), and the revision the
/// public sees now and two days later.
type Seen = (Option<i32>, Option<i32>, Option<i32>);

/// `t` as a Tashkent wall-clock time, as a datetime-local input sends it.
fn tashkent(t: DateTime<Utc>) -> String {
    (t + Duration::hours(5))
        .naive_utc()
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[tokio::test]
async fn a_final_league_is_published_as_revisions_never_edited() {
    let w = World::new().await;
    let round = w.district_round("publish", false).await;
    let p = round.of(&w.d1);
    let db = &w.db;
    let now = Utc::now();
    // Through the workflow to the appeals stage: submitted, approved,
    // entry closed, reviewed, provisional.
    w.fill_in(Who::Officer, p).await;
    submissions::submit(db, w.p(Who::Officer), p, now)
        .await
        .unwrap();
    submissions::approve(db, w.p(Who::Reviewer), p, now)
        .await
        .unwrap();
    let mut from = CampaignStatus::Open;
    while from != CampaignStatus::Appeals {
        let next = campaigns::advance(db, w.p(Who::Admin), round.id, from, None)
            .await
            .unwrap();
        from = next.status;
    }
    assert_eq!(w.status(p).await, SubmissionStatus::Approved);
    let public = async |at: DateTime<Utc>| {
        ratings::public_league(db, EntityKind::District, Some(&round.code), None, at)
            .await
            .unwrap()
            .map(|(league, _)| league.revision)
    };
    let check = async |step: Step, want: Result<Seen, Refused>| {
        let published = match step {
            Step::Publish(who, embargo, changelog, retract) => {
                let embargo_until = match embargo {
                    Embargo::None => None,
                    Embargo::Hours(h) => Some(tashkent(now + Duration::hours(h))),
                    Embargo::Text(t) => Some(t.to_owned()),
                };
                let req = PublishRequest {
                    embargo_until,
                    changelog: changelog.into(),
                    retract,
                };
                outcome(results::publish(db, w.p(who), round.id, &req, now).await)
                    .map(|id| Some(id.0))
            }
            Step::Advance => outcome(
                campaigns::advance(db, w.p(Who::Admin), round.id, CampaignStatus::Appeals, None)
                    .await,
            )
            .map(|_| None),
            Step::Correct(value) => {
                let v = submissions::Verdict {
                    indicator: "INFRA.social_broadband",
                    action: ReviewAction::Adjust,
                    adjusted: Some(value),
                    reason: "the census counts clinics twice",
                };
                outcome(submissions::review_value(db, w.p(Who::Reviewer), p, &v, now).await)
                    .map(|()| None)
            }
        };
        let revision = match published {
            Ok(Some(id)) => Ok(Some(
                rating_snapshots::Entity::find_by_id(id)
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap()
                    .revision,
            )),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        };
        let seen = match revision {
            Ok(r) => Ok((r, public(now).await, public(now + Duration::days(2)).await)),
            Err(e) => Err(e),
        };
        assert_eq!(seen, want, "{step:?}");
    };
    use Refused::{Conflict, Forbidden, Invalid};
    #[rustfmt::skip]
    let table: Vec<(Step, Result<Seen, Refused>)> = vec![
        // Only final results are published.
        (Step::Publish(Who::Publisher, Embargo::None, "", false), Err(Conflict)),
        (Step::Advance, Ok((None, None, None))),
        // Only by publishers and admins.
        (Step::Publish(Who::Reviewer, Embargo::None, "", false), Err(Forbidden)),
        (Step::Publish(Who::Viewer, Embargo::None, "", false), Err(Forbidden)),
        (Step::Publish(Who::Officer, Embargo::None, "", false), Err(Forbidden)),
        // An embargo is a Tashkent time in the future.
        (Step::Publish(Who::Publisher, Embargo::Hours(-1), "", false), Err(Invalid("embargo_until"))),
        (Step::Publish(Who::Publisher, Embargo::Text("tomorrow"), "", false), Err(Invalid("embargo_until"))),
        // Nothing published yet: nothing to retract.
        (Step::Publish(Who::Publisher, Embargo::None, "", true), Err(Conflict)),
        // The first publication, hidden until its embargo ends.
        (Step::Publish(Who::Publisher, Embargo::Hours(24), "", false), Ok((Some(1), None, Some(1)))),
        // The same results again are refused; a new revision says why.
        (Step::Publish(Who::Publisher, Embargo::None, "again", false), Err(Conflict)),
        (Step::Publish(Who::Publisher, Embargo::None, "  ", false), Err(Invalid("changelog"))),
        // A correction becomes a new revision, public at once.
        (Step::Correct("80"), Ok((None, None, Some(1)))),
        (Step::Publish(Who::Admin, Embargo::None, "Social facilities corrected to 80 %", false), Ok((Some(2), Some(2), Some(2)))),
        (Step::Publish(Who::Publisher, Embargo::None, "again", false), Err(Conflict)),
        // A retraction is a revision that takes the league off the pages.
        (Step::Publish(Who::Publisher, Embargo::None, "Withdrawn pending an audit", true), Ok((Some(3), None, None))),
        (Step::Publish(Who::Publisher, Embargo::None, "Withdrawn twice", true), Err(Conflict)),
        // The audited results are published again.
        (Step::Publish(Who::Publisher, Embargo::None, "Audit done: republished", false), Ok((Some(4), Some(4), Some(4)))),
    ];
    let mut first = None;
    for (step, want) in table {
        check(step, want).await;
        if first.is_none() {
            first = rating_snapshots::Entity::find()
                .filter(rating_snapshots::Column::CampaignId.eq(round.id.0))
                .filter(rating_snapshots::Column::Revision.eq(1))
                .one(db)
                .await
                .unwrap();
        }
    }
    // Every revision stays as it was published, and matches its hash.
    let rows = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(round.id.0))
        .order_by_asc(rating_snapshots::Column::Revision)
        .all(db)
        .await
        .unwrap();
    let revisions: Vec<(i32, &str)> = rows
        .iter()
        .map(|r| (r.revision, r.status.as_str()))
        .collect();
    assert_eq!(
        revisions,
        [
            (1, "published"),
            (2, "published"),
            (3, "retracted"),
            (4, "published")
        ]
    );
    assert_eq!(Some(&rows[0]), first.as_ref(), "revision 1 never changed");
    assert!(rows.iter().all(ratings::verify));
}
