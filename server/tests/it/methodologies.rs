//! Methodology versions as the public reads them: list, tree, bands, and
//! the changes since the previous version with its comparability.

use crate::helpers::spawn_app;

#[tokio::test]
async fn versions_list_and_show_their_changes() {
    let app = spawn_app().await;
    let db = &app.services.db;
    let list = service::methodologies::list(db).await.unwrap();
    assert_eq!(list.len(), seeds::METHODOLOGIES.len());
    let v2022 = list
        .iter()
        .find(|m| m.code == "nis-bodies" && m.version == "2022")
        .unwrap();
    let d = service::methodologies::get(db, v2022.id).await.unwrap();
    assert_eq!(
        d.previous.as_ref().map(|p| p.version.as_str()),
        Some("2020")
    );
    assert!(d.comparable, "2022 declares a crosswalk from 2020");
    for want in [
        "added SERV.mobile_app",
        "removed OPEN.social",
        "OPEN.opendata is now OPEN.open_data_sets",
    ] {
        assert!(
            d.changes.iter().any(|c| c == want),
            "{want} in {:?}",
            d.changes
        );
    }
    assert_eq!(
        d.nodes.iter().filter(|n| n.depth == 1).count(),
        5,
        "five directions"
    );
    assert_eq!(d.bands.len(), 3);
    let egdi = list.iter().find(|m| m.code == "un-egdi").unwrap();
    let e = service::methodologies::get(db, egdi.id).await.unwrap();
    assert!(e.previous.is_none() && e.changes.is_empty());
    assert_eq!(e.bands.len(), 16, "four levels × four classes");
    assert!(matches!(
        service::methodologies::get(db, 99_999).await,
        Err(service::ServiceError::NotFound(_))
    ));
}
