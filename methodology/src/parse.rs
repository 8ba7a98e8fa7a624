//! Reads a methodology file (TOML) into a validated [`Methodology`].
//!
//! Every problem is reported, not just the first, each naming the file,
//! the line and the node: duplicate codes, unknown references, cycles in
//! parents or formulas, weights that are not positive, bands with gaps or
//! overlaps, goalposts with min ≥ max. The file format is described in
//! docs/METHODOLOGY.md.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::Names;
use toml::Spanned;

use crate::formula;
use crate::model::*;
use crate::raw::*;

/// One problem in a methodology file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{message}", node.as_ref().map(|n| format!("{n}: ")).unwrap_or_default())]
pub struct Diagnostic {
    /// File name as given to [`parse`].
    pub file: String,
    /// Line, counting from 1.
    pub line: usize,
    /// Code of the node concerned, when there is one.
    pub node: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A methodology file that could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ParseError {
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Collects diagnostics against one file.
struct Report<'a> {
    file: &'a str,
    src: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.src[..offset.min(self.src.len())].matches('\n').count() + 1
    }

    fn at(&mut self, offset: usize, node: Option<&str>, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            node: node.map(str::to_owned),
            message: message.into(),
        });
    }
}

fn positive(w: f64) -> bool {
    w.is_finite() && w > 0.0
}

/// Parses and validates the methodology in `src`; `file` names it in
/// diagnostics.
pub fn parse(file: &str, src: &str) -> Result<Methodology, ParseError> {
    let mut r = Report {
        file,
        src,
        diagnostics: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(src) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            // toml names no key; the line the error points at does.
            let line = src[..offset.min(src.len())]
                .rsplit('\n')
                .next()
                .unwrap_or("");
            let rest = src[offset.min(src.len())..]
                .split('\n')
                .next()
                .unwrap_or("");
            let key = format!("{line}{rest}");
            let message = match key.split_once('=') {
                Some((k, _)) if !k.trim().is_empty() && !k.trim_start().starts_with('[') => {
                    format!("field `{}`: {}", k.trim(), e.message().trim())
                }
                _ => e.message().trim().to_owned(),
            };
            r.at(offset, None, message);
            return Err(ParseError {
                diagnostics: r.diagnostics,
            });
        }
    };
    let m = build(&mut r, raw);
    if r.diagnostics.is_empty() {
        Ok(m)
    } else {
        r.diagnostics.sort_by_key(|d| d.line);
        Err(ParseError {
            diagnostics: r.diagnostics,
        })
    }
}

/// A node as declared, before the tree is put in order: where it was
/// declared and the code of the parent it names.
struct Pending {
    offset: usize,
    parent: Option<String>,
    node: Node,
}

fn build(r: &mut Report, raw: RawFile) -> Methodology {
    let scale_max = raw.scale_max.unwrap_or(100.0);
    check_header(r, &raw, scale_max);
    let kinds: HashSet<&str> = raw.applies_to.iter().map(String::as_str).collect();

    // Index → groups → indicators, each with the offset it was declared at.
    let mut pending: Vec<Pending> = vec![index_root(raw.aggregation, raw.cap)];
    declare_groups(r, &kinds, raw.nodes, &mut pending);
    declare_indicators(r, &kinds, raw.indicators, scale_max, &mut pending);

    let by_code = unique_codes(r, &pending);
    let children = children_of(r, &pending, &by_code);
    let (nodes, offsets) = tree(r, pending, &children, &by_code);

    // Formulas read declared indicators and do not go round in circles.
    let index_of: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.code.as_str(), i))
        .collect();
    let deps = formula_deps(r, &nodes, &index_of, &offsets);
    let formula_order = formula_order(r, &nodes, &deps, &offsets);

    let bands = bands(r, raw.bands, scale_max);
    let rules = rules(r, raw.rules, &nodes, &index_of);
    let crosswalk = raw.crosswalk.map(|cw| crosswalk(r, cw, &index_of));

    Methodology {
        id: raw.id.clone(),
        version: raw.version,
        title: raw.title.resolve(&raw.id),
        description: raw.description.resolve(""),
        applies_to: raw.applies_to,
        valid_from: raw.valid_from,
        scale_max,
        missing: raw.missing.unwrap_or(MissingPolicy::Exclude),
        bands,
        nodes,
        rules,
        outlier_threshold: raw.outlier_threshold.unwrap_or(3.5),
        crosswalk,
        formula_order,
    }
}

/// The file's own fields: a positive scale, an entity kind, a date.
fn check_header(r: &mut Report, raw: &RawFile, scale_max: f64) {
    if !positive(scale_max) {
        r.at(0, None, "scale_max must be positive");
    }
    if raw.applies_to.is_empty() {
        r.at(0, None, "applies_to names no entity kind");
    }
    if !valid_date(&raw.valid_from) {
        r.at(
            0,
            None,
            format!("valid_from {:?} is not a date YYYY-MM-DD", raw.valid_from),
        );
    }
}

/// The index, the root every file has without declaring it.
fn index_root(aggregation: Option<Aggregation>, cap: Option<f64>) -> Pending {
    Pending {
        offset: 0,
        parent: None,
        node: Node {
            code: "index".into(),
            names: Names {
                uz_latn: "Indeks".into(),
                uz_cyrl: "Индекс".into(),
                ru: "Индекс".into(),
                en: "Index".into(),
            },
            parent: None,
            children: Vec::new(),
            weight: 1.0,
            weights_by_kind: Vec::new(),
            body: NodeBody::Group {
                aggregation: aggregation.unwrap_or(Aggregation::WeightedMean),
                cap,
            },
        },
    }
}

/// Weights are positive, and those by kind name kinds the file applies to.
fn check_weights(
    r: &mut Report,
    kinds: &HashSet<&str>,
    offset: usize,
    code: &str,
    weight: f64,
    by_kind: &BTreeMap<String, f64>,
) {
    if !positive(weight) {
        r.at(
            offset,
            Some(code),
            format!("weight {weight} is not positive"),
        );
    }
    for (kind, w) in by_kind {
        if !kinds.contains(kind.as_str()) {
            r.at(
                offset,
                Some(code),
                format!("weights_by_kind names {kind:?}, which is not in applies_to"),
            );
        }
        if !positive(*w) {
            r.at(
                offset,
                Some(code),
                format!("weight {w} for {kind} is not positive"),
            );
        }
    }
}

/// The `[[node]]` groups, in file order.
fn declare_groups(
    r: &mut Report,
    kinds: &HashSet<&str>,
    raw: Vec<Spanned<RawNode>>,
    pending: &mut Vec<Pending>,
) {
    for spanned in raw {
        let offset = spanned.span().start;
        let n = spanned.into_inner();
        let weight = n.weight.unwrap_or(1.0);
        check_weights(r, kinds, offset, &n.code, weight, &n.weights_by_kind);
        if let Some(cap) = n.cap
            && !positive(cap)
        {
            r.at(offset, Some(&n.code), format!("cap {cap} is not positive"));
        }
        let names = n.names.resolve(&n.code);
        pending.push(Pending {
            offset,
            parent: n.parent,
            node: Node {
                code: n.code,
                names,
                parent: None,
                children: Vec::new(),
                weight,
                weights_by_kind: n.weights_by_kind.into_iter().collect(),
                body: NodeBody::Group {
                    aggregation: n.aggregation.unwrap_or(Aggregation::WeightedMean),
                    cap: n.cap,
                },
            },
        });
    }
}

/// The `[[indicator]]`s, in file order.
fn declare_indicators(
    r: &mut Report,
    kinds: &HashSet<&str>,
    raw: Vec<Spanned<RawIndicator>>,
    scale_max: f64,
    pending: &mut Vec<Pending>,
) {
    for spanned in raw {
        let offset = spanned.span().start;
        let i = spanned.into_inner();
        let weight = i.weight.unwrap_or(1.0);
        check_weights(r, kinds, offset, &i.code, weight, &i.weights_by_kind);
        let code = i.code.clone();
        let parent = i.parent.clone();
        let by_kind: Vec<(String, f64)> = i.weights_by_kind.clone().into_iter().collect();
        let (names, indicator) = indicator(r, offset, i, scale_max);
        pending.push(Pending {
            offset,
            parent,
            node: Node {
                code,
                names,
                parent: None,
                children: Vec::new(),
                weight,
                weights_by_kind: by_kind,
                body: NodeBody::Indicator(Box::new(indicator)),
            },
        });
    }
}

/// Codes are unique; each code's position (its first declaration's).
fn unique_codes(r: &mut Report, pending: &[Pending]) -> HashMap<String, usize> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in pending {
        if let Some(first) = seen.get(&p.node.code) {
            let first_line = r.line_of(*first);
            r.at(
                p.offset,
                Some(&p.node.code),
                format!("duplicate code (first declared on line {first_line})"),
            );
        } else {
            seen.insert(p.node.code.clone(), p.offset);
        }
    }
    pending
        .iter()
        .enumerate()
        .rev()
        .map(|(i, p)| (p.node.code.clone(), i))
        .collect()
}

/// Parents exist and are groups; each node's children in file order.
fn children_of(
    r: &mut Report,
    pending: &[Pending],
    by_code: &HashMap<String, usize>,
) -> Vec<Vec<usize>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); pending.len()];
    for i in 1..pending.len() {
        let parent = match &pending[i].parent {
            None => Some(0),
            Some(code) if code == "index" => Some(0),
            Some(code) => match by_code.get(code) {
                None => {
                    let (offset, node) = (pending[i].offset, pending[i].node.code.clone());
                    r.at(
                        offset,
                        Some(&node),
                        format!("parent {code:?} is not declared"),
                    );
                    None
                }
                Some(&p) if pending[p].node.indicator().is_some() => {
                    let (offset, node) = (pending[i].offset, pending[i].node.code.clone());
                    r.at(
                        offset,
                        Some(&node),
                        format!("parent {code:?} is an indicator, not a group"),
                    );
                    None
                }
                Some(&p) => Some(p),
            },
        };
        if let Some(p) = parent {
            children[p].push(i);
        }
    }
    children
}

/// The nodes in tree order, linked to their parents and children, with
/// the offset each was declared at.
fn tree(
    r: &mut Report,
    pending: Vec<Pending>,
    children: &[Vec<usize>],
    by_code: &HashMap<String, usize>,
) -> (Vec<Node>, Vec<usize>) {
    // Breadth-first from the index: parents before children, siblings in
    // file order. A group not reached sits in a cycle of parents.
    let mut order = vec![0usize];
    let mut k = 0;
    while k < order.len() {
        order.extend(children[order[k]].iter().copied());
        k += 1;
    }
    let reached: HashSet<usize> = order.iter().copied().collect();
    for (i, p) in pending.iter().enumerate() {
        if !reached.contains(&i) && p.parent.as_ref().is_some_and(|c| by_code.contains_key(c)) {
            r.at(
                p.offset,
                Some(&p.node.code),
                "cycle in parents: not reachable from the index",
            );
        }
    }
    for &i in &order {
        if pending[i].node.indicator().is_none() && children[i].is_empty() {
            let (offset, code) = (pending[i].offset, pending[i].node.code.clone());
            r.at(offset, Some(&code), "group has no children");
        }
    }
    let new_pos: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(new, &old)| (old, new))
        .collect();
    let offsets: Vec<usize> = order.iter().map(|&i| pending[i].offset).collect();
    let mut slots: Vec<Option<Pending>> = pending.into_iter().map(Some).collect();
    let mut nodes: Vec<Node> = Vec::with_capacity(order.len());
    for &old in &order {
        let mut p = slots[old].take().expect("each node is placed once");
        p.node.children = children[old].iter().map(|c| new_pos[c]).collect();
        nodes.push(p.node);
    }
    for i in 0..nodes.len() {
        for c in nodes[i].children.clone() {
            nodes[c].parent = Some(i);
        }
    }
    (nodes, offsets)
}

/// The indicators each formula reads, which must be declared indicators.
fn formula_deps(
    r: &mut Report,
    nodes: &[Node],
    index_of: &HashMap<&str, usize>,
    offsets: &[usize],
) -> Vec<Vec<usize>> {
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if let Some(Indicator {
            kind: IndicatorKind::Formula { parsed, .. },
            ..
        }) = n.indicator()
        {
            for v in parsed.vars() {
                match index_of.get(v) {
                    Some(&d) if nodes[d].indicator().is_some() => deps[i].push(d),
                    Some(_) => r.at(
                        offsets[i],
                        Some(&n.code),
                        format!("formula reads {v:?}, a group, not an indicator"),
                    ),
                    None => r.at(
                        offsets[i],
                        Some(&n.code),
                        format!("formula reads {v:?}, which is not declared"),
                    ),
                }
            }
        }
    }
    deps
}

/// The `[[rule]]`s whose expressions parse, each reading declared
/// indicators.
fn rules(
    r: &mut Report,
    raw: Vec<Spanned<RawRule>>,
    nodes: &[Node],
    index_of: &HashMap<&str, usize>,
) -> Vec<Rule> {
    let mut rules = Vec::new();
    for spanned in raw {
        let offset = spanned.span().start;
        let rule = spanned.into_inner();
        match formula::parse(&rule.expr) {
            Ok(parsed) => {
                for v in parsed.vars() {
                    let declared = index_of
                        .get(v)
                        .is_some_and(|&d| nodes[d].indicator().is_some());
                    if !declared {
                        r.at(
                            offset,
                            Some(&rule.code),
                            format!("rule reads {v:?}, which is not a declared indicator"),
                        );
                    }
                }
                let message = rule.message.resolve(&rule.expr);
                rules.push(Rule {
                    code: rule.code,
                    expr: rule.expr,
                    parsed,
                    severity: rule.severity,
                    message,
                });
            }
            Err(e) => r.at(
                offset,
                Some(&rule.code),
                format!("rule {:?}: {e}", rule.expr),
            ),
        }
    }
    rules
}

/// The `[crosswalk]` from an earlier version onto the codes this one
/// declares.
fn crosswalk(
    r: &mut Report,
    spanned: Spanned<RawCrosswalk>,
    index_of: &HashMap<&str, usize>,
) -> Crosswalk {
    let offset = spanned.span().start;
    let cw = spanned.into_inner();
    if !cw.from.contains('@') {
        r.at(
            offset,
            None,
            format!("crosswalk.from {:?} must be id@version", cw.from),
        );
    }
    let mut map = Vec::new();
    for e in cw.map {
        if !index_of.contains_key(e.new.as_str()) {
            r.at(
                offset,
                Some(&e.new),
                "crosswalk maps onto a code this version does not declare",
            );
        }
        let transform = e.transform.as_deref().map(|t| {
            formula::parse(t)
                .map_err(|err| r.at(offset, Some(&e.new), format!("transform {t:?}: {err}")))
        });
        map.push(CrosswalkEntry {
            old: e.old,
            new: e.new,
            transform: transform.and_then(Result::ok),
        });
    }
    Crosswalk { from: cw.from, map }
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

fn indicator(
    r: &mut Report,
    offset: usize,
    mut i: RawIndicator,
    scale_max: f64,
) -> (Names, Indicator) {
    let kind = indicator_kind(r, offset, &mut i);
    let code = i.code.as_str();
    if i.formula.is_some() && !matches!(kind, IndicatorKind::Formula { .. }) {
        r.at(
            offset,
            Some(code),
            "formula given for an indicator that is not of kind formula",
        );
    }
    let polarity = i.polarity.unwrap_or(Polarity::Higher);
    let raw_norm = norm_or_default(r, offset, code, &kind, i.normalise, i.scored);
    let normalisation = raw_norm.and_then(|n| normalisation(r, offset, code, n, scale_max));
    if let Some([lo, hi]) = i.range
        && lo >= hi
    {
        r.at(
            offset,
            Some(code),
            format!("range [{lo}, {hi}] has min ≥ max"),
        );
    }
    let range = i.range.map(|[lo, hi]| (lo, hi)).or(match kind {
        IndicatorKind::Percent => Some((0.0, 100.0)),
        _ => None,
    });
    let names = i.names.resolve(code);
    (
        names,
        Indicator {
            kind,
            polarity,
            normalisation,
            required: i.required,
            evidence_required: i.evidence,
            public: i.public,
            range,
            missing: i.missing,
            hint: i.hint.resolve(""),
            source: i.source,
        },
    )
}

/// The indicator's kind with what it carries (options, items, formula,
/// points per unit); its option and item lists are taken from `i`.
fn indicator_kind(r: &mut Report, offset: usize, i: &mut RawIndicator) -> IndicatorKind {
    let code = i.code.as_str();
    match i.kind.as_str() {
        "number" => IndicatorKind::Number {
            unit: i.unit.clone(),
        },
        "percent" => IndicatorKind::Percent,
        "yes_no" => IndicatorKind::YesNo,
        "choice" => IndicatorKind::Choice {
            options: options(r, offset, code, std::mem::take(&mut i.options), "options"),
        },
        "checklist" => IndicatorKind::Checklist {
            items: options(r, offset, code, std::mem::take(&mut i.items), "items"),
            mode: i.checklist_mode.unwrap_or(ChecklistMode::Points),
        },
        "url" => IndicatorKind::Url,
        "legal_act" => IndicatorKind::LegalAct,
        "text" => IndicatorKind::Text,
        "formula" => {
            let expr = i.formula.clone().unwrap_or_default();
            let parsed = match formula::parse(&expr) {
                Ok(p) => p,
                Err(e) => {
                    r.at(offset, Some(code), format!("formula {expr:?}: {e}"));
                    formula::Expr::Num(0.0)
                }
            };
            IndicatorKind::Formula { expr, parsed }
        }
        "penalty" => {
            let ppu = i.points_per_unit.unwrap_or(1.0);
            if !positive(ppu) {
                r.at(
                    offset,
                    Some(code),
                    format!("points_per_unit {ppu} is not positive"),
                );
            }
            IndicatorKind::Penalty {
                points_per_unit: ppu,
                cap: i.cap,
            }
        }
        other => {
            r.at(
                offset,
                Some(code),
                format!(
                    "unknown kind {other:?} (number, percent, yes_no, choice, checklist, url, legal_act, text, formula, penalty)"
                ),
            );
            IndicatorKind::Text
        }
    }
}

/// A choice's options or a checklist's items (`what`), each code once.
fn options(
    r: &mut Report,
    offset: usize,
    code: &str,
    list: Vec<RawOption>,
    what: &str,
) -> Vec<OptionDef> {
    if list.is_empty() {
        r.at(offset, Some(code), format!("{what} list is empty"));
    }
    let mut seen = HashSet::new();
    list.into_iter()
        .map(|o| {
            if !seen.insert(o.code.clone()) {
                r.at(
                    offset,
                    Some(code),
                    format!("{what} code {:?} appears twice", o.code),
                );
            }
            OptionDef {
                names: o.names.resolve(&o.code),
                code: o.code,
                points: o.points,
            }
        })
        .collect()
}

/// The normalisation a scored indicator declares, or the one its kind
/// implies; none for an unscored one.
fn norm_or_default(
    r: &mut Report,
    offset: usize,
    code: &str,
    kind: &IndicatorKind,
    normalise: Option<RawNorm>,
    scored: bool,
) -> Option<RawNorm> {
    let default_norm = |method: &str| RawNorm {
        method: method.into(),
        min: Some(0.0),
        max: Some(1.0),
        target: None,
        thresholds: Vec::new(),
        factor: None,
        log: false,
    };
    match (kind, normalise, scored) {
        (_, _, false)
        | (IndicatorKind::Text, None, _)
        | (IndicatorKind::Penalty { .. }, None, _) => None,
        (IndicatorKind::Text, Some(_), true) => {
            r.at(offset, Some(code), "a text indicator cannot be scored");
            None
        }
        (_, Some(n), true) => Some(n),
        (IndicatorKind::Percent, None, true) => Some(RawNorm {
            max: Some(100.0),
            ..default_norm("goalposts")
        }),
        (IndicatorKind::YesNo | IndicatorKind::Url | IndicatorKind::LegalAct, None, true) => {
            Some(default_norm("goalposts"))
        }
        (
            IndicatorKind::Checklist {
                mode: ChecklistMode::Share,
                ..
            },
            None,
            true,
        ) => Some(RawNorm {
            max: Some(100.0),
            ..default_norm("goalposts")
        }),
        (IndicatorKind::Choice { .. } | IndicatorKind::Checklist { .. }, None, true) => {
            Some(default_norm("points"))
        }
        (IndicatorKind::Number { .. } | IndicatorKind::Formula { .. }, None, true) => {
            r.at(
                offset,
                Some(code),
                "a scored number needs `normalise` (or `scored = false`)",
            );
            None
        }
    }
}

fn normalisation(
    r: &mut Report,
    offset: usize,
    code: &str,
    n: RawNorm,
    _scale: f64,
) -> Option<Normalisation> {
    let need = |r: &mut Report, v: Option<f64>, field: &str| -> f64 {
        v.unwrap_or_else(|| {
            r.at(
                offset,
                Some(code),
                format!("normalise.{field} is required for {}", n.method),
            );
            0.0
        })
    };
    let method = match n.method.as_str() {
        "goalposts" => {
            let (min, max) = (need(r, n.min, "min"), need(r, n.max, "max"));
            if min >= max {
                r.at(
                    offset,
                    Some(code),
                    format!("goalposts min {min} ≥ max {max}"),
                );
            }
            NormMethod::Goalposts { min, max }
        }
        "distance_to_target" => {
            let target = need(r, n.target, "target");
            if !positive(target) {
                r.at(
                    offset,
                    Some(code),
                    format!("target {target} is not positive"),
                );
            }
            NormMethod::DistanceToTarget { target }
        }
        "z_score" => NormMethod::ZScore,
        "percentile_rank" => NormMethod::PercentileRank,
        "lookup" => {
            if n.thresholds.is_empty() {
                r.at(offset, Some(code), "lookup needs thresholds");
            }
            if n.thresholds.windows(2).any(|w| w[0][0] >= w[1][0]) {
                r.at(
                    offset,
                    Some(code),
                    "lookup thresholds must be strictly ascending",
                );
            }
            NormMethod::Lookup {
                thresholds: n.thresholds.iter().map(|t| (t[0], t[1])).collect(),
            }
        }
        "points" => NormMethod::Points {
            factor: n.factor.unwrap_or(1.0),
        },
        other => {
            r.at(
                offset,
                Some(code),
                format!("unknown normalisation {other:?} (goalposts, distance_to_target, z_score, percentile_rank, lookup, points)"),
            );
            return None;
        }
    };
    if n.log
        && let NormMethod::Goalposts { min, .. } = method
        && min <= -1.0
    {
        r.at(offset, Some(code), "log transform needs goalposts above -1");
    }
    Some(Normalisation { method, log: n.log })
}

fn formula_order(
    r: &mut Report,
    nodes: &[Node],
    deps: &[Vec<usize>],
    offsets: &[usize],
) -> Vec<usize> {
    // Depth-first topological sort; a grey node met again closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        White,
        Grey,
        Black,
    }
    let mut mark = vec![Mark::White; nodes.len()];
    let mut out = Vec::new();
    fn visit(
        i: usize,
        deps: &[Vec<usize>],
        mark: &mut [Mark],
        stack: &mut Vec<usize>,
        out: &mut Vec<usize>,
        cycles: &mut Vec<Vec<usize>>,
    ) {
        match mark[i] {
            Mark::Black => return,
            Mark::Grey => {
                let start = stack.iter().position(|&s| s == i).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(i);
                cycles.push(cycle);
                return;
            }
            Mark::White => {}
        }
        mark[i] = Mark::Grey;
        stack.push(i);
        for &d in &deps[i] {
            visit(d, deps, mark, stack, out, cycles);
        }
        stack.pop();
        mark[i] = Mark::Black;
        out.push(i);
    }
    let mut cycles = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if matches!(
            node.indicator().map(|x| &x.kind),
            Some(IndicatorKind::Formula { .. })
        ) {
            visit(i, deps, &mut mark, &mut Vec::new(), &mut out, &mut cycles);
        }
    }
    for c in cycles {
        let path: Vec<&str> = c.iter().map(|&i| nodes[i].code.as_str()).collect();
        r.at(
            offsets[c[0]],
            Some(&nodes[c[0]].code),
            format!("cycle in formulas: {}", path.join(" → ")),
        );
    }
    out.into_iter()
        .filter(|&i| {
            matches!(
                nodes[i].indicator().map(|x| &x.kind),
                Some(IndicatorKind::Formula { .. })
            )
        })
        .collect()
}

fn bands(r: &mut Report, raw: Vec<Spanned<RawBand>>, scale_max: f64) -> Vec<Band> {
    if raw.is_empty() {
        r.at(0, None, "no [[band]] declared");
        return Vec::new();
    }
    let mut bands: Vec<(usize, Band)> = raw
        .into_iter()
        .map(|s| {
            let offset = s.span().start;
            let b = s.into_inner();
            (
                offset,
                Band {
                    names: b.names.resolve(&b.code),
                    code: b.code,
                    min: b.min,
                    max: b.max,
                    level: b.level,
                    colour: b.colour,
                },
            )
        })
        .collect();
    let mut codes = HashSet::new();
    for (offset, b) in &bands {
        if !codes.insert(b.code.clone()) {
            r.at(*offset, Some(&b.code), "duplicate band code");
        }
        if b.min >= b.max {
            r.at(
                *offset,
                Some(&b.code),
                format!("band min {} ≥ max {}", b.min, b.max),
            );
        }
    }
    bands.sort_by(|a, b| a.1.min.total_cmp(&b.1.min));
    let (first_offset, first) = &bands[0];
    if first.min > 0.0 {
        r.at(
            *first_offset,
            Some(&first.code),
            format!("gap: no band covers 0 to {}", first.min),
        );
    }
    for w in bands.windows(2) {
        let ((_, lo), (offset, hi)) = (&w[0], &w[1]);
        if lo.max < hi.min {
            r.at(
                *offset,
                Some(&hi.code),
                format!(
                    "gap between bands {} and {}: {} to {}",
                    lo.code, hi.code, lo.max, hi.min
                ),
            );
        } else if lo.max > hi.min {
            r.at(
                *offset,
                Some(&hi.code),
                format!(
                    "bands {} and {} overlap from {} to {}",
                    lo.code, hi.code, hi.min, lo.max
                ),
            );
        }
    }
    let (last_offset, last) = bands.last().expect("not empty");
    if last.max < scale_max {
        r.at(
            *last_offset,
            Some(&last.code),
            format!("gap: no band covers {} to {scale_max}", last.max),
        );
    }
    bands.into_iter().rev().map(|(_, b)| b).collect()
}
