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

/// Enters a questionnaire's answer file and scores it; returns the kinds of
/// the questions answered.
fn enter_answers(
    file: &str,
    answers: &str,
    entity: &str,
    kind: &str,
) -> (std::collections::BTreeSet<&'static str>, f64, usize) {
    use methodology::{EntityInput, ScoreOptions, Value, score};
    let m = load(&seeds_dir().join(file));
    let mut e = EntityInput::new(&m, entity, kind);
    let rows = crate::check::rows(&seeds_dir().join(answers));
    assert!(rows.len() > 100, "{} answers", rows.len());
    let mut kinds = std::collections::BTreeSet::new();
    for r in &rows {
        let i = m
            .find(&r[1])
            .unwrap_or_else(|| panic!("unknown question {}", r[1]));
        let ind = m.nodes[i].indicator().expect("a question");
        let v = Value::read(ind, &r[2], crate::check::PEOPLE, None)
            .unwrap_or_else(|err| panic!("{}: {err}", r[1]));
        kinds.insert(ind.kind.name());
        e.raw[i] = v.raw(ind);
    }
    let r = score(&m, &[e], &ScoreOptions::default());
    let index = r.entities[0].index.expect("the answer is scored");
    assert!((0.0..=100.0).contains(&index));
    (kinds, index, m.domains().len())
}

#[test]
fn tashkent_lgq_2022_answers_are_enterable_and_score() {
    let (kinds, _, sections) = enter_answers(
        "un-lgq-2022.toml",
        "un-lgq-2022.answers-tashkent.csv",
        "1726",
        "region",
    );
    for kind in ["yes_no", "url", "legal_act", "text", "checklist"] {
        assert!(kinds.contains(kind), "the answer uses {kind}");
    }
    assert_eq!(sections, 9, "nine sections");
}

#[test]
fn uzbekistan_msq_2020_answers_are_enterable_and_score() {
    let (kinds, index, sections) = enter_answers(
        "un-msq-2020.toml",
        "un-msq-2020.answers-uzbekistan.csv",
        "UZB",
        "country",
    );
    for kind in [
        "yes_no",
        "url",
        "legal_act",
        "text",
        "checklist",
        "percent",
        "number",
    ] {
        assert!(kinds.contains(kind), "the answer uses {kind}");
    }
    assert_eq!(sections, 10, "ten sections");
    assert!(index > 50.0, "{index}");
}

#[test]
fn an_indicator_may_keep_its_answers_out_of_public_files() {
    let path = seeds_dir().join("nis-districts-2020.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    let m = methodology::parse("nis-districts-2020.toml", &src).unwrap();
    assert!(
        m.indicators().all(|(_, _, i)| i.public),
        "answers are public unless a methodology says otherwise"
    );
    let private = src.replacen(
        "code = \"INFRA.social_broadband\"\n",
        "code = \"INFRA.social_broadband\"\npublic = false\n",
        1,
    );
    assert_ne!(private, src);
    let m = methodology::parse("private.toml", &private).unwrap();
    let hidden: Vec<&str> = m
        .indicators()
        .filter(|(_, _, i)| !i.public)
        .map(|(_, n, _)| n.code.as_str())
        .collect();
    assert_eq!(hidden, ["INFRA.social_broadband"]);
}
