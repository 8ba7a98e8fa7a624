//! A campaign's life: steps only forward, one at a time, from the state
//! the caller saw, by those who run campaigns, never past work still in
//! review or appeals undecided; the deadline and per-entity extensions
//! that decide whether answers are still taken.

use chrono::{Duration, Utc};
use domain::CampaignStatus::{self, *};
use domain::{AppealDecision, AppealStatus, NewAppeal, SaveOutcome, SubmissionStatus};
use entity::participants;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use service::campaigns;
use service::submissions::{self, SaveRequest};

use crate::helpers::{Refused, Who, World, outcome};

/// What may hold a campaign back.
#[derive(Debug, Clone, Copy)]
enum Blocker {
    Nothing,
    /// `d1`'s submission in this status.
    Work(SubmissionStatus),
    /// An appeal of `d1`'s, not decided.
    Appeal,
    /// An appeal of `d1`'s, decided.
    Decided,
}

/// (the campaign's status, the status the caller saw, who, blocker).
type Step = (CampaignStatus, CampaignStatus, Who, Blocker);

async fn check_step(w: &World, n: usize, input: Step, want: Result<CampaignStatus, Refused>) {
    let (at, from, who, blocker) = input;
    let round = w.create(&w.new_campaign(&format!("life-{n}")), false).await;
    let p = round.of(&w.d1);
    match blocker {
        Blocker::Nothing => {}
        Blocker::Work(s) => w.force_status(p, s).await,
        Blocker::Appeal | Blocker::Decided => {
            w.force_status(p, SubmissionStatus::Approved).await;
            w.force_campaign(round.id, Provisional).await;
            let appeal = NewAppeal {
                body: "the census shows more".into(),
                ..Default::default()
            };
            let filed = service::appeals::file(&w.db, w.p(Who::Officer), p, &appeal, Utc::now())
                .await
                .unwrap();
            if matches!(blocker, Blocker::Decided) {
                let decision = AppealDecision {
                    status: AppealStatus::Rejected,
                    outcome: "the census was read right".into(),
                    value: None,
                };
                service::appeals::resolve(
                    &w.db,
                    w.p(Who::Reviewer),
                    filed.id,
                    &decision,
                    Utc::now(),
                )
                .await
                .unwrap();
            }
        }
    }
    w.force_campaign(round.id, at).await;
    let got = outcome(campaigns::advance(&w.db, w.p(who), round.id, from, Some("step")).await);
    assert_eq!(got.map(|s| s.status), want, "{input:?}");
    let stored = w.campaign_status(round.id).await;
    assert_eq!(stored, want.unwrap_or(at), "{input:?}: stored status");
}

#[tokio::test]
async fn a_campaign_steps_only_forward_and_not_past_unfinished_work() {
    let w = World::new().await;
    use Blocker::*;
    use Refused::{Conflict, Forbidden};
    use SubmissionStatus as S;
    #[rustfmt::skip]
    let table: Vec<(Step, Result<CampaignStatus, Refused>)> = vec![
        ((Draft, Draft, Who::Admin, Nothing), Ok(Open)),
        ((Draft, Draft, Who::Methodologist, Nothing), Ok(Open)),
        ((Draft, Draft, Who::Reviewer, Nothing), Err(Forbidden)),
        ((Draft, Draft, Who::Publisher, Nothing), Err(Forbidden)),
        ((Draft, Draft, Who::Officer, Nothing), Err(Forbidden)),
        ((Open, Open, Who::Admin, Nothing), Ok(Closed)),
        ((Closed, Closed, Who::Admin, Nothing), Ok(UnderReview)),
        ((UnderReview, UnderReview, Who::Admin, Nothing), Ok(Provisional)),
        ((Provisional, Provisional, Who::Admin, Nothing), Ok(Appeals)),
        ((Appeals, Appeals, Who::Admin, Nothing), Ok(Final)),
        // The caller's view is stale: a double click moves nothing twice.
        ((Open, Draft, Who::Admin, Nothing), Err(Conflict)),
        ((Final, Appeals, Who::Admin, Nothing), Err(Conflict)),
        // There is no step after final, and none backwards.
        ((Final, Final, Who::Admin, Nothing), Err(Conflict)),
        ((Closed, Open, Who::Admin, Nothing), Err(Conflict)),
        // Work still waiting for review holds provisional results back…
        ((UnderReview, UnderReview, Who::Admin, Work(S::Submitted)), Err(Conflict)),
        ((UnderReview, UnderReview, Who::Admin, Work(S::Endorsed)), Err(Conflict)),
        ((UnderReview, UnderReview, Who::Admin, Work(S::Returned)), Ok(Provisional)),
        ((UnderReview, UnderReview, Who::Admin, Work(S::Approved)), Ok(Provisional)),
        // …but not the close of entry.
        ((Open, Open, Who::Admin, Work(S::Submitted)), Ok(Closed)),
        // An undecided appeal holds the final results back.
        ((Appeals, Appeals, Who::Admin, Appeal), Err(Conflict)),
        ((Provisional, Provisional, Who::Admin, Appeal), Ok(Appeals)),
        ((Appeals, Appeals, Who::Admin, Decided), Ok(Final)),
    ];
    for (n, (input, want)) in table.into_iter().enumerate() {
        check_step(&w, n, input, want).await;
    }
}

/// (the campaign's status, the submission's, days after the deadline the
/// officer saves, the entity's extension in days past the deadline).
type Entry = (CampaignStatus, SubmissionStatus, i64, Option<i64>);

#[tokio::test]
async fn answers_are_taken_until_the_deadline_or_the_entitys_extension() {
    let w = World::new().await;
    let round = w.district_round("deadlines", false).await;
    let p = round.of(&w.d1);
    let deadline = w.today + Duration::days(10);
    let check = async |input: Entry, want: Result<(), Refused>| {
        let (campaign, status, day, extension) = input;
        w.force_campaign(round.id, campaign).await;
        w.force_status(p, status).await;
        let row = participants::Entity::find_by_id(p.0)
            .one(&w.db)
            .await
            .unwrap()
            .unwrap();
        let mut am: participants::ActiveModel = row.into();
        am.deadline_override = Set(extension.map(|d| deadline + Duration::days(d)));
        am.update(&w.db).await.unwrap();
        let code = "INFRA.fibre_km";
        let version = w.version(p, code).await;
        let req = SaveRequest {
            indicator: code.into(),
            value: Some("10".into()),
            comment: None,
            version,
        };
        let at = World::noon(deadline + Duration::days(day));
        let got = outcome(submissions::save(&w.db, w.p(Who::Officer), p, &req, at).await);
        let saved = matches!(got, Ok(SaveOutcome::Saved { .. }));
        assert_eq!(got.map(drop), want, "{input:?}");
        assert_eq!(
            w.version(p, code).await,
            version + i32::from(saved),
            "{input:?}"
        );
    };
    use Refused::Conflict;
    use SubmissionStatus as S;
    let ok = Ok(());
    #[rustfmt::skip]
    let table: Vec<(Entry, Result<(), Refused>)> = vec![
        ((Open, S::InProgress, -1, None), ok.clone()),
        ((Open, S::NotStarted, 0, None), ok.clone()),
        ((Open, S::InProgress, 1, None), Err(Conflict)),
        ((Open, S::InProgress, 1, Some(5)), ok.clone()),
        ((Open, S::InProgress, 5, Some(5)), ok.clone()),
        ((Open, S::InProgress, 6, Some(5)), Err(Conflict)),
        // Returned work is corrected whatever the date.
        ((Open, S::Returned, 30, None), ok.clone()),
        ((UnderReview, S::Returned, 15, None), ok.clone()),
        // Entry stays open while closed or under review, until the deadline.
        ((Closed, S::InProgress, -1, None), ok.clone()),
        ((UnderReview, S::InProgress, 0, None), ok.clone()),
        ((Closed, S::InProgress, 2, None), Err(Conflict)),
        // Not before it opens, nor once results exist.
        ((Draft, S::NotStarted, -5, None), Err(Conflict)),
        ((Provisional, S::InProgress, -1, None), Err(Conflict)),
        ((Final, S::Returned, -1, None), Err(Conflict)),
        // Sent work is read-only.
        ((Open, S::Submitted, -1, None), Err(Conflict)),
        ((Open, S::Approved, -1, None), Err(Conflict)),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}

/// (who, whose submission, the new deadline, the reason).
type Extension = (Who, Target, Until, &'static str);

#[derive(Debug, Clone, Copy)]
enum Target {
    D1,
    Missing,
}

#[derive(Debug, Clone, Copy)]
enum Until {
    /// Days after the campaign's deadline.
    After(i64),
    Text(&'static str),
}

#[tokio::test]
async fn only_campaign_managers_extend_a_deadline_later_with_a_reason() {
    let w = World::new().await;
    let round = w.district_round("extensions", false).await;
    let deadline = w.today + Duration::days(10);
    let stored = async || {
        participants::Entity::find_by_id(round.of(&w.d1).0)
            .one(&w.db)
            .await
            .unwrap()
            .unwrap()
            .deadline_override
    };
    let check = async |input: Extension, want: Result<(), Refused>| {
        let (who, target, until, reason) = input;
        let p = match target {
            Target::D1 => round.of(&w.d1),
            Target::Missing => domain::ParticipantId(999_999),
        };
        let text = match until {
            Until::After(d) => (deadline + Duration::days(d)).to_string(),
            Until::Text(t) => t.to_owned(),
        };
        let before = stored().await;
        let got = outcome(campaigns::extend_deadline(&w.db, w.p(who), p, &text, reason).await);
        assert_eq!(got, want, "{input:?}");
        let after = stored().await;
        match (got, until) {
            (Ok(()), Until::After(d)) => assert_eq!(after, Some(deadline + Duration::days(d))),
            _ => assert_eq!(after, before, "{input:?}: nothing changed"),
        }
    };
    use Refused::{Forbidden, Invalid, NotFound};
    let ok = Ok(());
    #[rustfmt::skip]
    let table: Vec<(Extension, Result<(), Refused>)> = vec![
        ((Who::Admin, Target::D1, Until::After(5), "power cut in the district"), ok.clone()),
        ((Who::Methodologist, Target::D1, Until::After(1), "flood"), ok.clone()),
        // An extension may also be shortened, as long as it stays later.
        ((Who::Admin, Target::D1, Until::After(3), "the power is back"), ok.clone()),
        ((Who::Reviewer, Target::D1, Until::After(5), "flood"), Err(Forbidden)),
        ((Who::Officer, Target::D1, Until::After(5), "flood"), Err(Forbidden)),
        ((Who::Region, Target::D1, Until::After(5), "flood"), Err(Forbidden)),
        ((Who::Admin, Target::D1, Until::After(0), "flood"), Err(Invalid("until"))),
        ((Who::Admin, Target::D1, Until::After(-3), "flood"), Err(Invalid("until"))),
        ((Who::Admin, Target::D1, Until::Text("next week"), "flood"), Err(Invalid("until"))),
        ((Who::Admin, Target::D1, Until::After(5), "  "), Err(Invalid("reason"))),
        ((Who::Admin, Target::Missing, Until::After(5), "flood"), Err(NotFound)),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}
