//! A reviewer's verdict on one value: (campaign and submission status,
//! person, indicator, verdict, corrected value, reason) → the value's
//! review status, the officer's answer (always kept) and the reviewer's
//! replacement, or the refusal with nothing changed. Every verdict taken
//! leaves one comment of its kind on the indicator.
//!
//! Rows run in order on one complete submission; each names the state
//! the campaign and the submission are put in first.

use chrono::Utc;
use domain::CampaignStatus::{self, *};
use domain::ReviewAction::{self, *};
use domain::ReviewStatus;
use domain::SubmissionStatus::{self, *};
use entity::review_comments;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use service::submissions::{self, Verdict};

use crate::helpers::{Refused, Who, World, outcome};

type Input = (
    (CampaignStatus, SubmissionStatus),
    Who,
    &'static str,
    ReviewAction,
    Option<&'static str>,
    &'static str,
);

/// The value's review status, the officer's answer, the replacement.
type Stored = (ReviewStatus, Option<&'static str>, Option<&'static str>);

#[tokio::test]
async fn verdicts_keep_the_officers_answer_and_need_a_reason_to_change_it() {
    let w = World::new().await;
    let round = w.district_round("review", false).await;
    let p = round.of(&w.d1);
    w.fill_in(Who::Officer, p).await;
    let comments = async |code: &str, action: ReviewAction| {
        review_comments::Entity::find()
            .filter(review_comments::Column::ParticipantId.eq(p.0))
            .filter(review_comments::Column::IndicatorCode.eq(code))
            .filter(review_comments::Column::Action.eq(action))
            .count(&w.db)
            .await
            .unwrap()
    };
    let check = async |input: Input, want: Result<Stored, Refused>| {
        let ((campaign, status), who, code, action, adjusted, reason) = input;
        w.force_campaign(round.id, campaign).await;
        w.force_status(p, status).await;
        let before = w.stored(p, code).await;
        let said = comments(code, action).await;
        let verdict = Verdict {
            indicator: code,
            action,
            adjusted,
            reason,
        };
        let got =
            outcome(submissions::review_value(&w.db, w.p(who), p, &verdict, Utc::now()).await);
        let after = w.stored(p, code).await;
        let text = |json: Option<&str>| {
            json.and_then(|j| serde_json::from_str::<Option<methodology::value::Value>>(j).unwrap())
                .map(|v| &*Box::leak(v.to_text().into_boxed_str()))
        };
        let got = got.map(|()| {
            let a = after.as_ref().expect("a reviewed value is stored");
            (
                a.review_status,
                text(Some(&a.value)),
                text(a.reviewed_value.as_deref()),
            )
        });
        assert_eq!(got, want, "{input:?}");
        let wrote = u64::from(got.is_ok());
        assert_eq!(
            comments(code, action).await,
            said + wrote,
            "{input:?}: comments"
        );
        if got.is_err() {
            assert_eq!(after, before, "{input:?}: nothing changed");
        }
    };
    use Refused::{Conflict, Forbidden, Invalid};
    let review = (Open, Submitted);
    let pending = ReviewStatus::Pending;
    #[rustfmt::skip]
    let table: Vec<(Input, Result<Stored, Refused>)> = vec![
        ((review, Who::Reviewer, "INFRA.fibre_km", Accept, None, ""), Ok((ReviewStatus::Accepted, Some("1240"), None))),
        ((review, Who::Admin, "ECON.ecommerce", Accept, None, ""), Ok((ReviewStatus::Accepted, Some("55.5"), None))),
        ((review, Who::Reviewer, "INFRA.public_wifi", Adjust, Some("7"), "the register lists 7"), Ok((ReviewStatus::Adjusted, Some("1240"), Some("7")))),
        // A later verdict replaces the earlier one, and drops its value.
        ((review, Who::Reviewer, "INFRA.public_wifi", Accept, None, ""), Ok((ReviewStatus::Accepted, Some("1240"), None))),
        ((review, Who::Reviewer, "ECON.cashless", Reject, None, "no source given"), Ok((ReviewStatus::Rejected, Some("55.5"), None))),
        ((review, Who::Reviewer, "INFRA.mobile_4g", Comment, None, "which survey?"), Ok((pending, Some("55.5"), None))),
        // Reasons, corrected values and indicators are checked first.
        ((review, Who::Reviewer, "ECON.egov_per1000", Adjust, Some("7"), "  "), Err(Invalid("reason"))),
        ((review, Who::Reviewer, "ECON.egov_per1000", Reject, None, ""), Err(Invalid("reason"))),
        ((review, Who::Reviewer, "ECON.egov_per1000", Comment, None, ""), Err(Invalid("reason"))),
        ((review, Who::Reviewer, "ECON.it_residents", Adjust, None, "why"), Err(Invalid("value"))),
        ((review, Who::Reviewer, "ECON.it_residents", Adjust, Some("lots"), "why"), Err(Invalid("value"))),
        ((review, Who::Reviewer, "NOPE.nothing", Accept, None, ""), Err(Invalid("indicator"))),
        ((review, Who::Reviewer, "NOPE.nothing", Comment, None, "what is this?"), Err(Invalid("indicator"))),
        // Only reviewers and admins, and only submitted work.
        ((review, Who::Officer, "EDU.programmers", Accept, None, ""), Err(Forbidden)),
        ((review, Who::Publisher, "EDU.programmers", Accept, None, ""), Err(Forbidden)),
        ((review, Who::Viewer, "EDU.programmers", Comment, None, "hm"), Err(Forbidden)),
        ((review, Who::Region, "EDU.programmers", Comment, None, "hm"), Err(Forbidden)),
        ((review, Who::Methodologist, "EDU.programmers", Accept, None, ""), Err(Forbidden)),
        (((Open, InProgress), Who::Reviewer, "EDU.programmers", Accept, None, ""), Err(Conflict)),
        (((Open, Returned), Who::Reviewer, "EDU.programmers", Adjust, Some("9"), "why"), Err(Conflict)),
        (((Open, Approved), Who::Reviewer, "EDU.programmers", Adjust, Some("9"), "why"), Err(Conflict)),
        // While results are provisional, appeals correct values, not verdicts…
        (((Provisional, Approved), Who::Reviewer, "EDU.it_centres", Adjust, Some("9"), "census"), Err(Conflict)),
        // …and once final, reviewers correct an approved value for the
        // next revision of the published rating.
        (((Final, Approved), Who::Reviewer, "EDU.it_centres", Adjust, Some("9"), "census"), Ok((ReviewStatus::Adjusted, Some("12"), Some("9")))),
        (((Final, Approved), Who::Admin, "EDU.programmers", Reject, None, "double counted"), Ok((ReviewStatus::Rejected, Some("12"), None))),
        (((Final, Approved), Who::Publisher, "EDU.it_centres", Accept, None, ""), Err(Forbidden)),
        (((Final, Approved), Who::Officer, "EDU.it_centres", Accept, None, ""), Err(Forbidden)),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}
