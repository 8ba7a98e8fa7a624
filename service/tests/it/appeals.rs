//! Appeals against provisional results: who files one, for which
//! submission, on which day of the window, with what; and how a reviewer
//! decides it: upheld (with a corrected value that replaces the reviewed
//! value, the officer's answer kept), or rejected, once.

use chrono::{Duration, Utc};
use domain::CampaignStatus::{self, *};
use domain::{
    AppealDecision, AppealStatus, NewAppeal, ParticipantId, ReviewStatus, SubmissionStatus,
};
use entity::{appeals, submission_values};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use service::appeals::{file, resolve};

use crate::helpers::{Refused, Round, Who, World, outcome};

/// Whose submission an appeal is for.
#[derive(Debug, Clone, Copy)]
enum Whose {
    /// Approved and rated.
    D1,
    /// Never submitted.
    D2,
    Missing,
}

fn appeal(
    indicator: Option<&str>,
    body: &str,
    proposed: Option<&str>,
    url: Option<&str>,
) -> NewAppeal {
    NewAppeal {
        indicator: indicator.map(Into::into),
        body: body.into(),
        proposed: proposed.map(Into::into),
        evidence_url: url.map(Into::into),
    }
}

const FIBRE: &str = "INFRA.fibre_km";

async fn world() -> (World, Round) {
    let w = World::new().await;
    let round = w.district_round("appeals", false).await;
    w.fill_in(Who::Officer, round.of(&w.d1)).await;
    w.force_status(round.of(&w.d1), SubmissionStatus::Approved)
        .await;
    (w, round)
}

async fn count(w: &World) -> u64 {
    appeals::Entity::find().count(&w.db).await.unwrap()
}

/// (campaign status, day relative to the last day of appeals, filer,
/// whose submission, the appeal).
type Filing = (CampaignStatus, i64, Who, Whose, NewAppeal);

/// The filed appeal's value now and the value proposed.
type Filed = (Option<String>, Option<String>);

#[tokio::test]
async fn an_officer_appeals_an_approved_result_within_the_window() {
    let (w, round) = world().await;
    let last_day = w.today + Duration::days(30);
    let check = async |input: Filing, want: Result<Filed, Refused>| {
        let (campaign, day, who, whose, ref new) = input;
        w.force_campaign(round.id, campaign).await;
        let p = match whose {
            Whose::D1 => round.of(&w.d1),
            Whose::D2 => round.of(&w.d2),
            Whose::Missing => ParticipantId(999_999),
        };
        let before = count(&w).await;
        let at = World::noon(last_day + Duration::days(day));
        let got = outcome(file(&w.db, w.p(who), p, new, at).await);
        let got = got.map(|a| {
            assert_eq!(a.status, AppealStatus::Pending);
            (a.current, a.proposed)
        });
        let filed = u64::from(got.is_ok());
        assert_eq!(got, want, "{campaign:?} {day} {who:?} {whose:?} {new:?}");
        assert_eq!(count(&w).await, before + filed);
    };
    let whole = || appeal(None, "The result misses our new services", None, None);
    let some = |s: &str| Some(s.to_owned());
    use Refused::{Conflict, Forbidden, Invalid, NotFound};
    #[rustfmt::skip]
    let table: Vec<(Filing, Result<Filed, Refused>)> = vec![
        ((Provisional, -29, Who::Officer, Whose::D1, appeal(Some(FIBRE), "Our register shows 2 000 km", Some("2 000"), Some("https://asaka.uz/fibre"))), Ok((some("1240"), some("2000")))),
        ((Provisional, -1, Who::Officer, Whose::D1, whole()), Ok((None, None))),
        ((Appeals, 0, Who::Officer, Whose::D1, appeal(Some(FIBRE), "too low", None, None)), Ok((some("1240"), None))),
        // The window: the last day counts, the day after does not.
        ((Appeals, 1, Who::Officer, Whose::D1, whole()), Err(Conflict)),
        // Only while results are provisional or under appeal.
        ((UnderReview, -1, Who::Officer, Whose::D1, whole()), Err(Conflict)),
        ((Final, -1, Who::Officer, Whose::D1, whole()), Err(Conflict)),
        // Only the entity's own officer, only for an approved submission.
        ((Provisional, -1, Who::Other, Whose::D2, whole()), Err(Conflict)),
        ((Provisional, -1, Who::Other, Whose::D1, whole()), Err(Forbidden)),
        ((Provisional, -1, Who::Region, Whose::D1, whole()), Err(Forbidden)),
        ((Provisional, -1, Who::Reviewer, Whose::D1, whole()), Err(Forbidden)),
        ((Provisional, -1, Who::Admin, Whose::D1, whole()), Err(Forbidden)),
        ((Provisional, -1, Who::Cdo, Whose::D1, whole()), Err(Forbidden)),
        ((Provisional, -1, Who::Officer, Whose::Missing, whole()), Err(NotFound)),
        // What is filed is checked, naming the field.
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(None, "  ", None, None)), Err(Invalid("body"))),
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(None, &"x".repeat(4001), None, None)), Err(Invalid("body"))),
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(None, "too low", Some("2000"), None)), Err(Invalid("proposed"))),
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(Some(FIBRE), "too low", Some("lots"), None)), Err(Invalid("value"))),
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(Some("NOPE.nothing"), "too low", None, None)), Err(Invalid("indicator"))),
        ((Provisional, -1, Who::Officer, Whose::D1, appeal(Some(FIBRE), "too low", Some("2000"), Some("ftp://asaka.uz/x"))), Err(Invalid("evidence_url"))),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}

/// Which appeal a decision is on.
#[derive(Debug, Clone, Copy)]
enum Case {
    /// Pending, on the fibre length, proposing 2000.
    OnFibre,
    /// Pending, on the result as a whole.
    Whole,
    /// Already rejected.
    Decided,
    Missing,
}

/// (campaign status, decider, which appeal, the decision).
type Deciding = (
    CampaignStatus,
    Who,
    Case,
    AppealStatus,
    &'static str,
    Option<&'static str>,
);

/// The appeal's status after, the fibre length's review status and the
/// replacement value.
type Decided = (AppealStatus, ReviewStatus, Option<String>);

#[tokio::test]
async fn a_reviewer_decides_each_appeal_once_and_an_upheld_value_replaces_the_reviewed_one() {
    let (w, round) = world().await;
    let p = round.of(&w.d1);
    let check = async |input: Deciding, want: Result<Decided, Refused>| {
        let (campaign, who, case, status, outcome_text, value) = input;
        // The fibre length as approved, before any appeal.
        let row = w.stored(p, FIBRE).await.unwrap();
        let mut am: submission_values::ActiveModel = row.into();
        am.review_status = Set(ReviewStatus::Accepted);
        am.reviewed_value = Set(None);
        am.update(&w.db).await.unwrap();
        w.force_campaign(round.id, Provisional).await;
        let new = match case {
            Case::Whole => appeal(None, "the result is too low", None, None),
            _ => appeal(Some(FIBRE), "too low", Some("2000"), None),
        };
        let filed = file(&w.db, w.p(Who::Officer), p, &new, Utc::now())
            .await
            .unwrap();
        if matches!(case, Case::Decided) {
            let no = AppealDecision {
                status: AppealStatus::Rejected,
                outcome: "the register was read right".into(),
                value: None,
            };
            resolve(&w.db, w.p(Who::Reviewer), filed.id, &no, Utc::now())
                .await
                .unwrap();
        }
        let before = appeals::Entity::find_by_id(filed.id)
            .one(&w.db)
            .await
            .unwrap()
            .unwrap();
        w.force_campaign(round.id, campaign).await;
        let id = if matches!(case, Case::Missing) {
            999_999
        } else {
            filed.id
        };
        let decision = AppealDecision {
            status,
            outcome: outcome_text.into(),
            value: value.map(Into::into),
        };
        let got = outcome(resolve(&w.db, w.p(who), id, &decision, Utc::now()).await);
        let after = appeals::Entity::find_by_id(filed.id)
            .one(&w.db)
            .await
            .unwrap()
            .unwrap();
        let fibre = w.field(Who::Reviewer, p, FIBRE).await;
        let got = got.map(|()| (after.status, fibre.review, fibre.reviewed_value.clone()));
        assert_eq!(got, want, "{input:?}");
        assert_eq!(
            fibre.value.as_deref(),
            Some("1240"),
            "the officer's answer is kept"
        );
        if got.is_err() {
            assert_eq!(after, before, "{input:?}: the appeal is unchanged");
            assert_eq!(fibre.review, ReviewStatus::Accepted, "{input:?}");
        }
    };
    use AppealStatus::{Pending, Rejected, Upheld};
    use Refused::{Conflict, Forbidden, Invalid, NotFound};
    let accepted = ReviewStatus::Accepted;
    #[rustfmt::skip]
    let table: Vec<(Deciding, Result<Decided, Refused>)> = vec![
        ((Provisional, Who::Reviewer, Case::OnFibre, Upheld, "the register shows 2 000 km", Some("2 000")), Ok((Upheld, ReviewStatus::Adjusted, Some("2000".into())))),
        ((Appeals, Who::Admin, Case::OnFibre, Upheld, "right, but the value stands", None), Ok((Upheld, accepted, None))),
        ((Appeals, Who::Reviewer, Case::Whole, Upheld, "noted", None), Ok((Upheld, accepted, None))),
        ((Provisional, Who::Reviewer, Case::OnFibre, Rejected, "the register was read right", None), Ok((Rejected, accepted, None))),
        // The decision is checked, naming the field.
        ((Provisional, Who::Reviewer, Case::OnFibre, Rejected, "no", Some("2000")), Err(Invalid("value"))),
        ((Provisional, Who::Reviewer, Case::OnFibre, Upheld, "  ", Some("2000")), Err(Invalid("outcome"))),
        ((Provisional, Who::Reviewer, Case::OnFibre, Pending, "later", None), Err(Invalid("status"))),
        ((Provisional, Who::Reviewer, Case::OnFibre, Upheld, "yes", Some("lots")), Err(Invalid("value"))),
        ((Provisional, Who::Reviewer, Case::Whole, Upheld, "yes", Some("2000")), Err(Invalid("value"))),
        // Reviewers and admins decide, once, while appeals are open.
        ((Provisional, Who::Officer, Case::OnFibre, Upheld, "mine", Some("2000")), Err(Forbidden)),
        ((Provisional, Who::Publisher, Case::OnFibre, Rejected, "no", None), Err(Forbidden)),
        ((Provisional, Who::Region, Case::OnFibre, Rejected, "no", None), Err(Forbidden)),
        ((Provisional, Who::Methodologist, Case::OnFibre, Rejected, "no", None), Err(Forbidden)),
        ((Provisional, Who::Reviewer, Case::Decided, Upheld, "again", None), Err(Conflict)),
        ((Final, Who::Reviewer, Case::OnFibre, Upheld, "too late", Some("2000")), Err(Conflict)),
        ((Provisional, Who::Reviewer, Case::Missing, Rejected, "no", None), Err(NotFound)),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}
