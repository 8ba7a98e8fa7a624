//! The demo history: four rounds per league, the December 2020 round
//! reproducing the published distribution of seed 004, snapshots that
//! verify, and the public ratings reading the newest round.

use crate::helpers::spawn_app_with;
use domain::SnapshotPayload;
use entity::{campaigns, rating_snapshots};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

#[tokio::test]
async fn december_2020_reproduces_the_published_distribution() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    for (kind, want) in [
        ("state_body", [16u32, 9, 34]),
        ("economic_body", [5, 12, 31]),
        ("district", [28, 59, 116]),
    ] {
        let campaign = campaigns::Entity::find()
            .filter(campaigns::Column::Code.eq(format!("{kind}-2020-12")))
            .one(db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no December 2020 campaign for {kind}"));
        let snapshot = rating_snapshots::Entity::find()
            .filter(rating_snapshots::Column::CampaignId.eq(campaign.id))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(service::ratings::verify(&snapshot), "{kind}: hash verifies");
        let payload: SnapshotPayload = serde_json::from_str(&snapshot.payload).unwrap();
        let counts: Vec<u32> = payload.distribution().into_iter().map(|(_, n)| n).collect();
        assert_eq!(counts, want, "{kind}: good / satisfactory / unsatisfactory");
        // Ranks run 1.. with intervals around them.
        assert_eq!(payload.rows[0].rank, 1);
        assert!(
            payload
                .rows
                .iter()
                .all(|r| r.rank_p05 <= r.rank && r.rank <= r.rank_p95.max(r.rank))
        );
    }
    // Four rounds per league, and later rounds improve on average.
    let all = campaigns::Entity::find().all(db).await.unwrap();
    assert_eq!(all.len(), 12, "four rounds × three leagues");
    let mean = |code: String| async move {
        let c = campaigns::Entity::find()
            .filter(campaigns::Column::Code.eq(code))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let s = rating_snapshots::Entity::find()
            .filter(rating_snapshots::Column::CampaignId.eq(c.id))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let p: SnapshotPayload = serde_json::from_str(&s.payload).unwrap();
        p.rows.iter().filter_map(|r| r.index).sum::<f64>() / p.rows.len() as f64
    };
    let (first, last) = (
        mean("district-2020-12".into()).await,
        mean("district-2023-12".into()).await,
    );
    assert!(
        last > first + 5.0,
        "districts improve: {first:.1} → {last:.1}"
    );
    // The history is generated once: a restart adds nothing.
    let again = service::demo::ensure_history(db).await.unwrap();
    assert_eq!(again.campaigns, 0);
}

#[tokio::test]
async fn an_entity_profile_follows_its_rounds_across_versions() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let now = chrono::Utc::now();
    let asaka = app.entity("1703224").await;
    let p = service::downloads::profile(db, asaka.0, now)
        .await
        .unwrap()
        .expect("Asaka is rated");
    let periods: Vec<&str> = p.history.iter().map(|h| h.period.as_str()).collect();
    assert_eq!(periods, ["2020", "2021", "2022", "2023"]);
    assert!(
        p.history
            .iter()
            .all(|h| h.comparable_with_previous && h.league_size >= 203)
    );
    assert_eq!(p.domains.len(), 3);
    assert!(!p.improve_first.is_empty() && p.improve_first.windows(2).all(|w| w[0].2 >= w[1].2));
    // State bodies changed methodology in 2022, with a declared crosswalk.
    let stats = app.entity("stat-committee").await;
    let s = service::downloads::profile(db, stats.0, now)
        .await
        .unwrap()
        .unwrap();
    let versions: Vec<&str> = s.history.iter().map(|h| h.methodology.as_str()).collect();
    assert_eq!(
        versions,
        ["nis-bodies@2020", "nis-bodies@2020", "nis-bodies@2022"],
        "abolished in June 2023"
    );
    assert!(s.history[2].comparable_with_previous);
    assert_eq!(
        s.history[0].rank, 1,
        "the 2021 award winner led December 2020"
    );
    // A region is not rated in a league of its own here.
    let region = app.entity("1703").await;
    assert!(
        service::downloads::profile(db, region.0, now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn every_published_round_of_a_league_can_be_chosen() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let now = chrono::Utc::now();
    let (newest, rounds) =
        service::ratings::public_league(db, domain::EntityKind::District, None, now)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(newest.payload.campaign, "district-2023-12");
    let codes: Vec<&str> = rounds.iter().map(|r| r.campaign.as_str()).collect();
    assert_eq!(
        codes,
        [
            "district-2023-12",
            "district-2022-12",
            "district-2021-12",
            "district-2020-12"
        ]
    );
    let (dec2020, _) = service::ratings::public_league(
        db,
        domain::EntityKind::District,
        Some("district-2020-12"),
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let counts: Vec<u32> = dec2020
        .payload
        .distribution()
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(counts, [28, 59, 116]);
    assert!(
        service::ratings::public_league(db, domain::EntityKind::District, Some("no-such"), now)
            .await
            .unwrap()
            .is_none()
    );
}
