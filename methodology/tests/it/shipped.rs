//! Every methodology shipped in seeds/methodologies parses, applies to
//! known entity kinds, and its version pairs carry a crosswalk.

use methodology::diff::{Change, backcast, diff};

use crate::check::{load, seeds_dir};

const KINDS: [&str; 5] = [
    "state_body",
    "economic_body",
    "region",
    "district",
    "country",
];

#[test]
fn shipped_methodologies_parse() {
    let mut n = 0;
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let m = load(&path);
            assert!(
                m.applies_to.iter().all(|k| KINDS.contains(&k.as_str())),
                "{}",
                path.display()
            );
            assert!(
                m.title.en != m.id,
                "{} has no English title",
                path.display()
            );
            n += 1;
        }
    }
    assert!(n >= 6, "found {n} methodologies");
}

#[test]
fn nis_bodies_2022_declares_its_crosswalk_from_2020() {
    let v1 = load(&seeds_dir().join("nis-bodies-2020.toml"));
    let v2 = load(&seeds_dir().join("nis-bodies-2022.toml"));
    let changes = diff(&v1, &v2);
    assert!(changes.contains(&Change::Added {
        code: "SERV.mobile_app".into()
    }));
    assert!(changes.contains(&Change::Removed {
        code: "OPEN.social".into()
    }));
    assert!(changes.contains(&Change::Renamed {
        old: "OPEN.opendata".into(),
        new: "OPEN.open_data_sets".into()
    }));
    let mut raw = vec![None; v1.nodes.len()];
    raw[v1.find("OPEN.opendata").unwrap()] = Some(12.0);
    let b = backcast(&v1, &v2, &raw).unwrap();
    assert_eq!(b.raw[v2.find("OPEN.open_data_sets").unwrap()], Some(12.0));
    assert_eq!(b.unmapped, ["SERV.mobile_app"]);
    // The other way round there is no crosswalk: not comparable.
    assert!(backcast(&v2, &v1, &vec![None; v2.nodes.len()]).is_err());
}
