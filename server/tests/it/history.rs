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
    let all = campaigns::Entity::find()
        .filter(campaigns::Column::Status.eq("final"))
        .all(db)
        .await
        .unwrap();
    assert_eq!(all.len(), 12, "four past rounds × three leagues");
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
async fn a_region_page_ranks_its_districts_against_the_league_over_rounds() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let now = chrono::Utc::now();
    let andijan = app.entity("1703").await;
    let p = service::downloads::region_profile(db, andijan.0, now)
        .await
        .unwrap()
        .expect("Andijan's districts are rated");
    assert_eq!(p.period, "2023");
    assert!(p.districts.len() >= 10, "{}", p.districts.len());
    // Only its own districts, in league order, with their league ranks.
    let ids: Vec<i32> = p.districts.iter().map(|r| r.entity.id.0).collect();
    assert!(ids.contains(&app.entity("1703224").await.0), "Asaka");
    assert!(
        p.districts
            .iter()
            .all(|r| r.region.as_ref().is_some_and(|g| g.id == andijan))
    );
    assert!(p.districts.windows(2).all(|w| w[0].rank <= w[1].rank));
    let own: Vec<f64> = p.districts.iter().filter_map(|r| r.index).collect();
    let mean = own.iter().sum::<f64>() / own.len() as f64;
    assert!((p.average.unwrap() - mean).abs() < 1e-9);
    let sd = (own.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / own.len() as f64).sqrt();
    assert!((p.spread.unwrap() - sd).abs() < 1e-9);
    assert!(p.league_size >= 203);
    let counted: u32 = p.distribution.iter().map(|(_, n)| n).sum();
    assert_eq!(counted as usize, own.len());
    // The trend has every published round, the newest matching the table.
    let periods: Vec<&str> = p.history.iter().map(|h| h.period.as_str()).collect();
    assert_eq!(periods, ["2020", "2021", "2022", "2023"]);
    let last = p.history.last().unwrap();
    assert_eq!(last.average, p.average);
    assert!(last.min.unwrap() <= mean && mean <= last.max.unwrap());
    assert_ne!(last.average, last.national_average);
    // A district is no region; the page is public.
    assert!(
        service::downloads::region_profile(db, app.entity("1703224").await.0, now)
            .await
            .is_err()
    );
    let r = app
        .server_fn("region_profile", None, &[("id", &andijan.0.to_string())])
        .await;
    assert_eq!(r.status(), 200);
    // The map colours all 14 first-level units by the same averages;
    // Tashkent city is drawn after (on top of) the region around it.
    let map = service::downloads::region_map(db, None, now)
        .await
        .unwrap()
        .expect("a public district round");
    assert_eq!(map.regions.len(), 14);
    let on_map = map.regions.iter().find(|r| r.region.id == andijan).unwrap();
    assert_eq!(on_map.average, p.average);
    assert_eq!(on_map.rated as usize, own.len());
    assert!(map.regions.iter().all(|r| r.band.is_some() && r.rated > 0));
    let pos = |code: &str| {
        map.regions
            .iter()
            .position(|r| r.region.code == code)
            .unwrap()
    };
    assert!(pos("1726") > pos("1727"));
    assert!(map.attribution.contains("CC BY 4.0"));
}

#[tokio::test]
async fn every_published_round_of_a_league_can_be_chosen() {
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let now = chrono::Utc::now();
    let (newest, rounds) =
        service::ratings::public_league(db, domain::EntityKind::District, None, None, now)
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
        None,
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
        service::ratings::public_league(
            db,
            domain::EntityKind::District,
            Some("no-such"),
            None,
            now
        )
        .await
        .unwrap()
        .is_none()
    );
}

#[tokio::test]
async fn corrections_are_new_revisions_and_embargoes_hide_until_their_time() {
    use service::audit::Actor;
    use service::ratings::{Publication, publish};
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let now = chrono::Utc::now();
    let get = |path: String| {
        let http = app.http.clone();
        let url = format!("{}{path}", app.base);
        async move { http.get(url).send().await.unwrap() }
    };
    let r1_csv = get("/open-data/ratings/district-2023-12/r1.csv".into())
        .await
        .text()
        .await
        .unwrap();
    let campaign = campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq("district-2023-12"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let first = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(campaign.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // A correction: one district's index changes; published now.
    let mut corrected: SnapshotPayload = serde_json::from_str(&first.payload).unwrap();
    corrected.rows[0].index = corrected.rows[0].index.map(|x| x - 0.5);
    let publication =
        |embargo: Option<chrono::DateTime<chrono::Utc>>, changelog: &'static str| Publication {
            campaign: domain::CampaignId(campaign.id),
            methodology_version_id: campaign.methodology_version_id,
            embargo_until: embargo,
            changelog,
            published_at: now,
            retracted: false,
        };
    publish(
        db,
        &Actor::System("test"),
        &publication(None, "Corrected an answer after appeal"),
        &corrected,
    )
    .await
    .unwrap();
    let (latest, _) = service::ratings::public_league(
        db,
        domain::EntityKind::District,
        None,
        None,
        now + chrono::Duration::seconds(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        latest.revision, 2,
        "the correction is what the public reads"
    );
    // Revision 1 is unchanged, byte for byte, at its own address; its hash verifies.
    let again = get("/open-data/ratings/district-2023-12/r1.csv".into())
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(again, r1_csv);
    let first_again = rating_snapshots::Entity::find_by_id(first.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first_again, first);
    assert!(service::ratings::verify(&first_again));
    assert_eq!(
        get("/open-data/ratings/district-2023-12/r2.csv".into())
            .await
            .status(),
        200
    );

    // An embargoed revision 3 stays invisible until its time.
    let until = now + chrono::Duration::hours(2);
    publish(
        db,
        &Actor::System("test"),
        &publication(Some(until), "Embargoed"),
        &corrected,
    )
    .await
    .unwrap();
    let (seen, _) = service::ratings::public_league(
        db,
        domain::EntityKind::District,
        None,
        None,
        now + chrono::Duration::seconds(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        seen.revision, 2,
        "embargoed: the public still reads revision 2"
    );
    assert_eq!(
        get("/open-data/ratings/district-2023-12/r3.csv".into())
            .await
            .status(),
        404
    );
    let (later, _) = service::ratings::public_league(
        db,
        domain::EntityKind::District,
        None,
        None,
        until + chrono::Duration::seconds(1),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(later.revision, 3, "after the embargo it appears on its own");
}

#[tokio::test]
async fn a_tampered_snapshot_fails_verification() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let (ok, bad) = service::ratings::verify_all(db).await.unwrap();
    assert_eq!((ok, bad.len()), (12, 0));
    // Nothing in the product writes to a snapshot; the test does, as an attacker would.
    let row = rating_snapshots::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut active: rating_snapshots::ActiveModel = row.clone().into();
    active.payload = Set(row.payload.replacen("\"index\":", "\"index\": ", 1));
    active.update(db).await.unwrap();
    let (ok, bad) = service::ratings::verify_all(db).await.unwrap();
    assert_eq!((ok, bad), (11, vec![row.id]));
}

#[tokio::test]
async fn public_rating_pages_are_kept_until_what_they_show_changes() {
    use sea_orm::{ActiveModelTrait, Set};
    use service::audit::Actor;
    use service::ratings::{Publication, publish};
    let app = spawn_app_with(true).await;
    let db = &app.services.db;
    let get = |path: &'static str, lang: &'static str| {
        let http = app.http.clone();
        let url = format!("{}{path}", app.base);
        async move {
            let r = http
                .get(url)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            let cache = r
                .headers()
                .get("x-daraja-cache")
                .map(|v| v.to_str().unwrap().to_owned());
            (cache, r.text().await.unwrap())
        }
    };
    // Rendered once, then served again byte for byte, per language.
    let (first, page) = get("/ratings/district", "en").await;
    assert_eq!(first.as_deref(), Some("miss"));
    let (second, again) = get("/ratings/district", "en").await;
    assert_eq!(second.as_deref(), Some("hit"));
    assert_eq!(again, page);
    let (ru, russian) = get("/ratings/district", "ru-RU,ru;q=0.9").await;
    assert_eq!(
        ru.as_deref(),
        Some("miss"),
        "another language is another page"
    );
    assert_ne!(russian, page);
    // A signed-in reader's page names them: never kept.
    app.user_with("reader@cache.uz", domain::Role::Admin, None)
        .await;
    let token = app.bearer("reader@cache.uz").await;
    let r = app.get("/ratings/district", Some(&token)).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().get("x-daraja-cache").is_none());

    // A correction under a short embargo: invisible while it holds, then
    // on the kept page without anyone touching the cache.
    let campaign = campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq("district-2023-12"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let first_snapshot = rating_snapshots::Entity::find()
        .filter(rating_snapshots::Column::CampaignId.eq(campaign.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let payload: SnapshotPayload = serde_json::from_str(&first_snapshot.payload).unwrap();
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::seconds(3);
    publish(
        db,
        &Actor::System("test"),
        &Publication {
            campaign: domain::CampaignId(campaign.id),
            methodology_version_id: campaign.methodology_version_id,
            embargo_until: Some(until),
            changelog: "Corrected under embargo QX17",
            published_at: now,
            retracted: false,
        },
        &payload,
    )
    .await
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, during) = get("/ratings/district", "en").await;
    assert!(!during.contains("QX17"), "embargoed: not on the page");
    let wait = (until - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + std::time::Duration::from_millis(1100)).await;
    let (after_cache, after) = get("/ratings/district", "en").await;
    assert_eq!(after_cache.as_deref(), Some("miss"));
    assert!(
        after.contains("QX17"),
        "the embargo ended: the page shows it"
    );

    // A registry edit reaches the entity's kept page.
    let id = app.nth_entity("district", 0).await;
    let path: &'static str = format!("/registry/{}", id.0).leak();
    let (_, before) = get(path, "en").await;
    assert_eq!(get(path, "en").await.0.as_deref(), Some("hit"));
    let row = entity::entities::Entity::find_by_id(id.0)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(!before.contains("Renamed District QX18"));
    let mut am: entity::entities::ActiveModel = row.into();
    am.name_en = Set("Renamed District QX18".into());
    am.updated_at = Set(chrono::Utc::now());
    am.update(db).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (renamed_cache, renamed) = get(path, "en").await;
    assert_eq!(renamed_cache.as_deref(), Some("miss"));
    assert!(renamed.contains("Renamed District QX18"));
}
