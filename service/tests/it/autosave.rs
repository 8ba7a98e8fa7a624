//! Autosave with optimistic concurrency: (indicator, stored version, sent
//! version, value) → saved with its new version, a lost update (nothing
//! written, the stored version and value shown back), or refused naming
//! the field. Each row has its own indicator, saved `stored` times before
//! (values "1", "2", …), and checks what is stored afterwards.

use chrono::Utc;
use domain::SaveOutcome;
use service::submissions::{self, SaveRequest};

use crate::helpers::{Refused, Who, World, outcome};

#[derive(Debug, PartialEq)]
enum Want {
    /// Saved at this version; the stored text; whether the save reports a
    /// hard problem on this indicator.
    Saved(i32, Option<&'static str>, bool),
    /// Someone saved since: their version and text; nothing written.
    Lost(i32, Option<&'static str>),
    /// Refused; nothing written.
    No(Refused),
}

use Want::*;

/// One row: indicator, how many saves before, version sent, value sent.
type Input = (&'static str, i32, i32, &'static str);

async fn check(
    w: &World,
    p: domain::ParticipantId,
    (code, stored, sent, value): Input,
    want: Want,
) {
    let officer = w.p(Who::Officer);
    let now = Utc::now();
    assert_eq!(
        w.version(p, code).await,
        0,
        "{code}: each row its own indicator"
    );
    for i in 1..=stored {
        let req = SaveRequest {
            indicator: code.into(),
            value: Some(i.to_string()),
            comment: None,
            version: i - 1,
        };
        let r = submissions::save(&w.db, officer, p, &req, now)
            .await
            .unwrap();
        assert!(
            matches!(r, SaveOutcome::Saved { version, .. } if version == i),
            "{code}: {r:?}"
        );
    }
    let before = w.stored(p, code).await;
    let req = SaveRequest {
        indicator: code.into(),
        value: Some(value.into()),
        comment: None,
        version: sent,
    };
    let got = match outcome(submissions::save(&w.db, officer, p, &req, now).await) {
        Ok(SaveOutcome::Saved { version, issues }) => {
            let text = w.field(Who::Officer, p, code).await.value;
            let hard = issues.iter().any(|i| i.indicator == code && i.hard);
            Saved(version, text.map(|t| leak(&t)), hard)
        }
        Ok(SaveOutcome::Conflict(c)) => {
            assert_eq!(
                c.yours.as_deref(),
                Some(value).filter(|v| !v.is_empty()),
                "{code}: yours"
            );
            Lost(c.version, c.theirs.map(|t| leak(&t)))
        }
        Err(e) => No(e),
    };
    assert_eq!(got, want, "{code}: stored {stored}, sent {sent}, {value:?}");
    let after = w.stored(p, code).await;
    match want {
        Saved(version, ..) => assert_eq!(after.map(|a| a.version), Some(version), "{code}"),
        Lost(..) | No(_) => assert_eq!(after, before, "{code}: nothing written"),
    }
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

#[tokio::test]
async fn a_save_names_the_version_it_was_edited_from_and_never_overwrites_a_newer_one() {
    let w = World::new().await;
    let round = w.district_round("autosave", false).await;
    let p = round.of(&w.d1);
    #[rustfmt::skip]
    let table: Vec<(Input, Want)> = vec![
        // A first save, and saves from the version stored.
        (("INFRA.fibre_km", 0, 0, "100"), Saved(1, Some("100"), false)),
        (("INFRA.public_wifi", 1, 1, "120"), Saved(2, Some("120"), false)),
        (("EDU.schools_computer", 2, 2, "40"), Saved(3, Some("40"), false)),
        (("ECON.egov_per1000", 0, 0, "1 240"), Saved(1, Some("1240"), false)),
        (("INFRA.mobile_4g", 0, 0, "55,5 %"), Saved(1, Some("55.5"), false)),
        // A yes/no that needs evidence is flagged until a link is attached.
        (("ECON.local_services", 0, 0, "ha"), Saved(1, Some("yes"), true)),
        // Clearing is a save too; a required answer cleared is flagged.
        (("ECON.cashless", 1, 1, ""), Saved(2, None, true)),
        // Out of range: saved, and reported as a hard problem at once.
        (("INFRA.fixed_per100", 0, 0, "250"), Saved(1, Some("250"), true)),
        // Lost updates: a second tab, an older or a future version.
        (("ECON.it_residents", 1, 0, "5"), Lost(1, Some("1"))),
        (("ECON.ecommerce", 2, 1, "9"), Lost(2, Some("2"))),
        (("EDU.it_centres", 1, 2, "9"), Lost(1, Some("1"))),
        // A version of a value never saved.
        (("EDU.programmers", 0, 1, "5"), No(Refused::Conflict)),
        // Answers that do not parse, and codes that are no question.
        (("EDU.teachers_ict", 1, 1, "many"), No(Refused::Invalid("value"))),
        (("INFRA.social_broadband", 0, 0, "maybe"), No(Refused::Invalid("value"))),
        (("NOPE.nothing", 0, 0, "1"), No(Refused::Invalid("indicator"))),
        (("INFRA", 0, 0, "1"), No(Refused::Invalid("indicator"))),
    ];
    for (input, want) in table {
        check(&w, p, input, want).await;
    }
}
