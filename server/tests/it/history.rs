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
