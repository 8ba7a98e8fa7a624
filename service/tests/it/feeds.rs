//! Automatic feeds: issuing a token (admins only, every field checked),
//! whether its secret is accepted on a given day (expired and revoked
//! tokens are refused), and pushes that are all or nothing: the token's
//! entities and indicators, versions, locks and the submission's state
//! decide, and a refused push writes no value.

use chrono::{Duration, Utc};
use domain::{FeedAnswer, FeedPush, FeedValue, NewApiToken, SubmissionStatus};
use entity::api_tokens;
use sea_orm::{EntityTrait, PaginatorTrait};
use service::feeds::{self, Pushed};
use service::submissions::Writer;

use crate::helpers::{Refused, Round, Who, World, outcome};

fn token(
    w: &World,
    entities: &[&str],
    indicators: &[&str],
    locked: &[&str],
    days: i64,
) -> NewApiToken {
    let list = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect();
    NewApiToken {
        name: "Statistics nightly".into(),
        source_system: "stat.uz".into(),
        indicators: list(indicators),
        entities: list(entities),
        expires_on: w.day(days),
        locked_indicators: list(locked),
    }
}

const FIBRE: &str = "INFRA.fibre_km";
const LOCAL: &str = "ECON.local_services";

#[tokio::test]
async fn only_admins_issue_tokens_and_every_field_is_checked() {
    let w = World::new().await;
    let d1 = w.d1.code.clone();
    let good = || token(&w, &[&d1], &[FIBRE, LOCAL], &[], 30);
    let with = |f: &dyn Fn(&mut NewApiToken)| {
        let mut t = good();
        f(&mut t);
        t
    };
    let check = async |(who, new): (Who, NewApiToken), want: Result<(), Refused>| {
        let before = api_tokens::Entity::find().count(&w.db).await.unwrap();
        let got = outcome(feeds::issue(&w.db, w.p(who), &new, Utc::now()).await);
        let issued = got
            .as_ref()
            .is_ok_and(|t| t.secret.starts_with(feeds::TOKEN_PREFIX));
        assert_eq!(got.map(drop), want, "{who:?} {new:?}");
        let after = api_tokens::Entity::find().count(&w.db).await.unwrap();
        assert_eq!(after, before + u64::from(issued), "{new:?}");
    };
    let strings = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    use Refused::{Forbidden, Invalid};
    let ok = Ok(());
    #[rustfmt::skip]
    let table: Vec<((Who, NewApiToken), Result<(), Refused>)> = vec![
        ((Who::Admin, good()), ok.clone()),
        ((Who::Admin, with(&|t| t.expires_on = w.day(0))), ok.clone()),
        ((Who::Admin, with(&|t| t.expires_on = w.day(730))), ok.clone()),
        ((Who::Admin, with(&|t| { t.indicators = strings(&["*"]); t.locked_indicators = strings(&["*"]) })), ok.clone()),
        ((Who::Reviewer, good()), Err(Forbidden)),
        ((Who::Methodologist, good()), Err(Forbidden)),
        ((Who::Officer, good()), Err(Forbidden)),
        ((Who::Admin, with(&|t| t.name = "  ".into())), Err(Invalid("name"))),
        ((Who::Admin, with(&|t| t.source_system = "person".into())), Err(Invalid("source_system"))),
        ((Who::Admin, with(&|t| t.source_system = "has space".into())), Err(Invalid("source_system"))),
        ((Who::Admin, with(&|t| t.indicators = strings(&["NOPE.nothing"]))), Err(Invalid("indicators"))),
        ((Who::Admin, with(&|t| t.indicators = strings(&["*", FIBRE]))), Err(Invalid("indicators"))),
        ((Who::Admin, with(&|t| t.indicators = Vec::new())), Err(Invalid("indicators"))),
        ((Who::Admin, with(&|t| t.entities = strings(&["atlantis"]))), Err(Invalid("entities"))),
        ((Who::Admin, with(&|t| t.locked_indicators = strings(&["ECON.cashless"]))), Err(Invalid("locked_indicators"))),
        ((Who::Admin, with(&|t| t.expires_on = w.day(-1))), Err(Invalid("expires_on"))),
        ((Who::Admin, with(&|t| t.expires_on = w.day(731))), Err(Invalid("expires_on"))),
        ((Who::Admin, with(&|t| t.expires_on = "tomorrow".into())), Err(Invalid("expires_on"))),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
}

/// A token's secret as a row presents it.
#[derive(Debug, Clone, Copy)]
enum Secret {
    /// Issued with 30 days to live.
    Issued,
    /// Issued, then revoked.
    Revoked,
    /// Looks like a token, but none was issued.
    Unknown,
    /// Not an integration token at all.
    NotAToken,
}

#[tokio::test]
async fn a_token_works_through_its_last_day_until_revoked() {
    let w = World::new().await;
    let admin = w.p(Who::Admin);
    let issued = feeds::issue(
        &w.db,
        admin,
        &token(&w, &["*"], &["*"], &[], 30),
        Utc::now(),
    )
    .await
    .unwrap();
    let revoked = feeds::issue(
        &w.db,
        admin,
        &token(&w, &["*"], &["*"], &[], 30),
        Utc::now(),
    )
    .await
    .unwrap();
    feeds::revoke(&w.db, admin, revoked.token.id, Utc::now())
        .await
        .unwrap();
    let check = async |(secret, day, hour): (Secret, i64, u32), want: bool| {
        let text = match secret {
            Secret::Issued => issued.secret.clone(),
            Secret::Revoked => revoked.secret.clone(),
            Secret::Unknown => format!("{}{}", feeds::TOKEN_PREFIX, "0".repeat(43)),
            Secret::NotAToken => "eyJhbGciOiJIUzI1NiJ9.e30.x".into(),
        };
        let at = (w.today + Duration::days(day))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc();
        let got = feeds::authenticate(&w.db, &text, at).await.unwrap();
        if let Ok(feed) = &got {
            assert_eq!(
                (feed.source_system.as_str(), feed.token_id),
                ("stat.uz", issued.token.id)
            );
        }
        assert_eq!(got.is_ok(), want, "{secret:?} on day {day} at {hour}:00");
    };
    #[rustfmt::skip]
    let table = [
        ((Secret::Issued, 0, 12), true),
        ((Secret::Issued, 30, 23), true),
        ((Secret::Issued, 31, 0), false),
        ((Secret::Issued, 90, 12), false),
        ((Secret::Revoked, 0, 12), false),
        ((Secret::Unknown, 0, 12), false),
        ((Secret::NotAToken, 0, 12), false),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
    // Revoking twice is a conflict; only admins revoke.
    let again = feeds::revoke(&w.db, admin, revoked.token.id, Utc::now()).await;
    assert_eq!(outcome(again).map(drop), Err(Refused::Conflict));
    let officer = feeds::revoke(&w.db, w.p(Who::Officer), issued.token.id, Utc::now()).await;
    assert_eq!(outcome(officer).map(drop), Err(Refused::Forbidden));
    let missing = feeds::revoke(&w.db, admin, 999_999, Utc::now()).await;
    assert_eq!(outcome(missing).map(drop), Err(Refused::NotFound));
}

/// Who pushes.
#[derive(Debug, Clone, Copy)]
enum By {
    /// A token for `d1` and two indicators, from stat.uz.
    D1Token,
    /// A token for `d1`'s region (so its districts), every indicator.
    RegionToken,
    /// A token of my.gov.uz that locks the fibre length it writes.
    Locking,
    /// A person, through the same push.
    Person(Who),
}

/// A value of a push: indicator, answer, version read.
type V = (&'static str, Option<FeedAnswer>, Option<i32>);

/// (who, campaign, entity `d1` or `d2`, the submission's status, values).
type Push = (By, &'static str, bool, SubmissionStatus, Vec<V>);

/// How many values change, and the fibre length stored after the push.
type Wrote = (usize, Option<&'static str>);

async fn push_world() -> (World, Round, [feeds::Feed; 3]) {
    let w = World::new().await;
    let round = w.district_round("feeds", false).await;
    let admin = w.p(Who::Admin);
    let mut locking = token(&w, &["*"], &["*"], &[FIBRE], 30);
    locking.source_system = "my.gov.uz".into();
    let mut out = Vec::new();
    for new in [
        token(&w, &[&w.d1.code], &[FIBRE, LOCAL], &[], 30),
        token(&w, &[&w.r1.code], &["*"], &[], 30),
        locking,
    ] {
        let issued = feeds::issue(&w.db, admin, &new, Utc::now()).await.unwrap();
        let feed = feeds::authenticate(&w.db, &issued.secret, Utc::now())
            .await
            .unwrap()
            .unwrap();
        out.push(feed);
    }
    let feeds: [feeds::Feed; 3] = out.try_into().unwrap();
    (w, round, feeds)
}

#[tokio::test]
async fn a_push_writes_every_value_or_none() {
    let (w, round, tokens) = push_world().await;
    let p = round.of(&w.d1);
    let check = async |input: Push, want: Result<Wrote, Refused>| {
        let (by, campaign, own, status, ref values) = input;
        w.force_status(p, status).await;
        let before = w.field(Who::Admin, p, FIBRE).await.value;
        let req = FeedPush {
            campaign: if campaign.is_empty() {
                round.code.clone()
            } else {
                campaign.into()
            },
            entity: if own {
                w.d1.code.clone()
            } else {
                w.d2.code.clone()
            },
            values: values
                .iter()
                .map(|(indicator, value, version)| FeedValue {
                    indicator: (*indicator).into(),
                    value: value.clone(),
                    comment: None,
                    evidence: Vec::new(),
                    version: *version,
                })
                .collect(),
        };
        let writer = match by {
            By::D1Token => Writer::Feed(&tokens[0]),
            By::RegionToken => Writer::Feed(&tokens[1]),
            By::Locking => Writer::Feed(&tokens[2]),
            By::Person(who) => Writer::Person(w.p(who)),
        };
        let got = outcome(feeds::push(&w.db, writer, &req, false, None, Utc::now()).await);
        let after = w.field(Who::Admin, p, FIBRE).await.value;
        let got = got.map(|pushed| match pushed {
            Pushed::Done(report) => {
                assert!(report.applied, "{input:?}");
                (
                    report.changes.len(),
                    after
                        .as_deref()
                        .map(|t| &*Box::leak(t.to_owned().into_boxed_str())),
                )
            }
            Pushed::Replayed(_) => panic!("no idempotency key was sent"),
        });
        assert_eq!(got, want, "{input:?}");
        if got.is_err() {
            assert_eq!(after, before, "{input:?}: nothing written");
        }
    };
    let n = |x: f64| Some(FeedAnswer::Number(x));
    let fibre = |x: f64| vec![(FIBRE, n(x), None)];
    use Refused::{Conflict, Forbidden, Rejected};
    use SubmissionStatus::{InProgress, Submitted};
    let at = |p: &[&str]| Err(Rejected(p.iter().map(|s| (*s).to_owned()).collect()));
    #[rustfmt::skip]
    let table: Vec<(Push, Result<Wrote, Refused>)> = vec![
        ((By::D1Token, "", true, InProgress, fibre(10.0)), Ok((1, Some("10")))),
        // The same again changes nothing.
        ((By::D1Token, "", true, InProgress, fibre(10.0)), Ok((0, Some("10")))),
        ((By::D1Token, "", false, InProgress, fibre(10.0)), Err(Forbidden)),
        ((By::RegionToken, "", true, InProgress, fibre(11.0)), Ok((1, Some("11")))),
        ((By::RegionToken, "", false, InProgress, fibre(11.0)), Err(Forbidden)),
        // The version read: the stored one is written over, an old one refused.
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(12.0), Some(2))]), Ok((1, Some("12")))),
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(13.0), Some(1))]), at(&["/values/0/version"])),
        // One bad value and nothing is written, each problem at its pointer.
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(13.0), None), (LOCAL, Some(FeedAnswer::Text("maybe".into())), None)]), at(&["/values/1/value"])),
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(13.0), None), ("EDU.programmers", n(5.0), None)]), at(&["/values/1/indicator"])),
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(13.0), None), (FIBRE, n(14.0), None)]), at(&["/values/1/indicator"])),
        ((By::RegionToken, "", true, InProgress, vec![("NOPE.nothing", n(1.0), None), (LOCAL, Some(FeedAnswer::Flag(true)), None)]), at(&["/values/0/indicator"])),
        ((By::D1Token, "", true, InProgress, Vec::new()), at(&["/values"])),
        ((By::D1Token, "no-such-round", true, InProgress, fibre(13.0)), at(&["/campaign"])),
        // Both values together.
        ((By::D1Token, "", true, InProgress, vec![(FIBRE, n(13.0), None), (LOCAL, Some(FeedAnswer::Flag(true)), None)]), Ok((2, Some("13")))),
        // Submitted work is read-only for feeds too.
        ((By::D1Token, "", true, Submitted, fibre(14.0)), Err(Conflict)),
        // The entity's officer pushes like a form; others may not.
        ((By::Person(Who::Officer), "", true, InProgress, fibre(15.0)), Ok((1, Some("15")))),
        ((By::Person(Who::Other), "", true, InProgress, fibre(15.0)), Err(Forbidden)),
        ((By::Person(Who::Reviewer), "", true, InProgress, fibre(15.0)), Err(Forbidden)),
        // A locking feed's value is closed to people and other sources.
        ((By::Locking, "", true, InProgress, fibre(16.0)), Ok((1, Some("16")))),
        ((By::Person(Who::Officer), "", true, InProgress, fibre(17.0)), at(&["/values/0/indicator"])),
        ((By::D1Token, "", true, InProgress, fibre(17.0)), at(&["/values/0/indicator"])),
        ((By::Locking, "", true, InProgress, fibre(17.0)), Ok((1, Some("17")))),
    ];
    for (input, want) in table {
        check(input, want).await;
    }
    // The form's save honours the lock as well.
    let req = service::submissions::SaveRequest {
        indicator: FIBRE.into(),
        value: Some("18".into()),
        comment: None,
        version: w.version(p, FIBRE).await,
    };
    let saved = service::submissions::save(&w.db, w.p(Who::Officer), p, &req, Utc::now()).await;
    assert_eq!(outcome(saved).map(drop), Err(Refused::Forbidden));
}
