//! Downloads of published ratings: workbook, report card, open data at
//! stable addresses; nothing unpublished is served.

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn published_league_downloads_as_workbook_csv_json_and_report_card() {
    let app = spawn_app_with(true).await;
    let get = |path: String| {
        let http = app.http.clone();
        let url = format!("{}{path}", app.base);
        async move { http.get(url).send().await.unwrap() }
    };

    let r = get("/downloads/ratings/district-2020-12/workbook.xlsx?lang=ru".into()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"daraja-district-2020-12-r1-ru.xlsx\"")
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");

    let csv = get("/open-data/ratings/district-2020-12.csv".into()).await;
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 203,
        "header and 203 districts and cities"
    );
    let stable = get("/open-data/ratings/district-2020-12/r1.csv".into())
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(stable, text, "the revision address serves the same bytes");

    let json: serde_json::Value = get("/open-data/ratings/district-2023-12/r1.json".into())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        json.as_array().is_some_and(|a| a.len() >= 203) || json.get("rows").is_some(),
        "{json}"
    );

    for missing in [
        "/open-data/ratings/district-2020-12/r9.csv",
        "/open-data/ratings/no-such-campaign.csv",
        "/open-data/ratings/district-2020-12.xml",
        "/downloads/ratings/no-such/workbook.xlsx",
    ] {
        assert_eq!(get(missing.into()).await.status(), 404, "{missing}");
    }

    let asaka = app.entity("1703224").await;
    let card = get(format!(
        "/downloads/entities/{}/report-card.xlsx?lang=en",
        asaka.0
    ))
    .await;
    assert_eq!(card.status(), 200);
    assert_eq!(&card.bytes().await.unwrap()[..2], b"PK");

    let andijan = app.entity("1703").await;
    let pack = get(format!(
        "/downloads/regions/{}/pack.xlsx?lang=uz-Cyrl",
        andijan.0
    ))
    .await;
    assert_eq!(pack.status(), 200);
    assert_eq!(&pack.bytes().await.unwrap()[..2], b"PK");
    assert_eq!(
        get(format!("/downloads/regions/{}/pack.xlsx", asaka.0))
            .await
            .status(),
        404,
        "a district is not a region"
    );

    let dict = get("/open-data/dictionary.md".into()).await;
    assert_eq!(dict.status(), 200);
}
