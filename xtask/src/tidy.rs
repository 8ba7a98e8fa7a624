//! The house rules, checked over every crate's `src/` (in the style of
//! rust-analyzer's `xtask/src/tidy.rs`): every module says what it is
//! (`//!`), no source file is longer than a reader can hold (1,000 lines
//! before its tests), no function longer than a reader can name (120
//! lines, tests aside), the files of a crate import each other one way only
//! (no circle of `crate::`/`super::` paths), no `unwrap()` outside tests,
//! and every server function and every route of the server's router is in
//! the scope matrix.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The workspace's crates whose sources are checked.
const CRATES: &[&str] = &[
    "domain",
    "methodology",
    "exports",
    "seeds",
    "migration",
    "entity",
    "service",
    "app",
    "frontend",
    "server",
    "cli",
    "xtask",
];

/// The longest a source file may be, tests aside.
const MAX_LINES: usize = 1000;

/// The longest a function may be, from its `fn` line to its closing brace,
/// tests aside: long enough for a page component's markup, short enough
/// that its parts have names.
const MAX_FN_LINES: usize = 120;

/// Functions allowed to be longer than [`MAX_FN_LINES`] (file, function,
/// why). An entry must name a function that is still long: one that has
/// been split is removed from the list.
const LONG_FUNCTIONS: &[(&str, &str, &str)] = &[(
    "migration/src/m20261122_000001_initial.rs",
    "up",
    "the schema, one table after another in the order they are created: it \
         reads as the schema top to bottom, and a migration is never edited once \
         released",
)];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A source file's text before its test module, comments removed.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path of a file under `src` (`[]` for a crate root).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    if parts.first().is_some_and(|p| p == "bin") {
        parts.clear();
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths a `use` tree names: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand_use(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &[String], t: &str, out: &mut Vec<Vec<String>>) {
        let t = t.trim_matches(',');
        if t.is_empty() {
            return;
        }
        if let Some(open) = t.find('{') {
            let head: Vec<String> = t[..open]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            let inner = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
            let mut depth = 0;
            let mut start = 0;
            let mut full = prefix.to_vec();
            full.extend(head);
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        go(&full, &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            go(&full, &inner[start..], out);
        } else {
            let mut full = prefix.to_vec();
            full.extend(
                t.split(" as ")
                    .next()
                    .unwrap_or(t)
                    .split("as")
                    .next()
                    .unwrap_or(t)
                    .split("::")
                    .filter(|s| !s.is_empty() && *s != "*" && *s != "self")
                    .map(str::to_owned),
            );
            out.push(full);
        }
    }
    let mut out = Vec::new();
    go(&[], &tree, &mut out);
    out
}

/// Every module path `code` (of the module `here`) refers to with
/// `crate::`, `super::` or `self::`, as absolute paths.
fn referenced_paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    // `super` of `a/b.rs` and of `a/b/mod.rs` alike is `a`.
    let parent: Vec<String> = here[..here.len().saturating_sub(1)].to_vec();
    let absolute = |p: Vec<String>| -> Option<Vec<String>> {
        let (first, rest) = p.split_first()?;
        match first.as_str() {
            "crate" => Some(rest.to_vec()),
            "super" => {
                let mut base = parent.clone();
                let mut rest = rest;
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                Some(base)
            }
            "self" => {
                let mut base = here.to_vec();
                base.extend(rest.iter().cloned());
                Some(base)
            }
            _ => None,
        }
    };
    let mut out = Vec::new();
    // `use` statements, with their trees.
    for stmt in code.split(';') {
        let s = stmt.trim();
        let s = s
            .strip_prefix("pub(crate) ")
            .or_else(|| s.strip_prefix("pub(super) "))
            .or_else(|| s.strip_prefix("pub "))
            .unwrap_or(s);
        if let Some(tree) = s.rsplit("use ").next().filter(|_| s.contains("use ")) {
            let tree = tree.trim();
            if tree.starts_with("crate") || tree.starts_with("super") || tree.starts_with("self") {
                out.extend(expand_use(tree).into_iter().filter_map(&absolute));
            }
        }
    }
    // Paths written in the code itself.
    for key in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(at) = rest.find(key) {
            let before = rest[..at].chars().last();
            let tail = &rest[at..];
            rest = &rest[at + key.len()..];
            if before.is_some_and(is_ident) {
                continue;
            }
            let path: String = tail
                .chars()
                .take_while(|c| is_ident(*c) || *c == ':')
                .collect();
            let segments: Vec<String> = path
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if let Some(p) = absolute(segments) {
                out.push(p);
            }
        }
    }
    out
}

/// Strongly connected groups of more than one node.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        let g = t.g;
        for w in g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// The file-to-file imports of one crate, by file path relative to it.
fn import_graph(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join(krate).join("src");
    let files = rust_files(&src);
    let modules: BTreeMap<Vec<String>, String> = files
        .iter()
        .map(|f| {
            (
                module_of(&src, f),
                f.strip_prefix(&src).unwrap_or(f).display().to_string(),
            )
        })
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let here = module_of(&src, f);
        if here.is_empty() {
            continue; // the crate root declares and re-exports
        }
        let name = modules[&here].clone();
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let code = code_of(&text);
        let edges = graph.entry(name.clone()).or_default();
        for p in referenced_paths(&code, &here) {
            // The longest prefix of the path that is a module file.
            let Some(target) = (1..=p.len()).rev().find_map(|n| modules.get(&p[..n])) else {
                continue;
            };
            if *target != name {
                edges.insert(target.clone());
            }
        }
    }
    graph
}

#[test]
fn no_import_circle_between_the_files_of_a_crate() {
    let mut found = Vec::new();
    for krate in CRATES {
        for group in circles(&import_graph(krate)) {
            found.push(format!("{krate}: {}", group.join(" ↔ ")));
        }
    }
    assert!(
        found.is_empty(),
        "files that import each other in a circle (a lower module must not import a higher one):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(circles(&g), [["a", "b", "c"]]);
    let here = ["submissions".to_owned(), "form".to_owned()];
    let paths = referenced_paths(
        "use super::access::{Loaded, load};\nuse crate::rounds::{self, names as n};\nlet x = crate::scoring::league(db);",
        &here,
    );
    for want in [
        vec!["submissions", "access", "Loaded"],
        vec!["rounds"],
        vec!["rounds", "names"],
        vec!["scoring", "league"],
    ] {
        assert!(
            paths.contains(&want.iter().map(|s| (*s).to_owned()).collect()),
            "{want:?} in {paths:?}"
        );
    }
}

#[test]
fn every_module_says_what_it_is() {
    let mut missing = Vec::new();
    for krate in CRATES {
        for f in rust_files(&root().join(krate).join("src")) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let first = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("#!["));
            if !first.is_some_and(|l| l.starts_with("//!")) {
                missing.push(f.strip_prefix(root()).unwrap_or(&f).display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "modules without a `//!` doc:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_source_file_is_longer_than_a_reader_can_hold() {
    let mut long = Vec::new();
    for krate in CRATES {
        for f in rust_files(&root().join(krate).join("src")) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let end = text.find("#[cfg(test)]").unwrap_or(text.len());
            let n = text[..end].lines().count();
            if n > MAX_LINES {
                long.push(format!(
                    "{}: {n} lines",
                    f.strip_prefix(root()).unwrap_or(&f).display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "source files over {MAX_LINES} lines before their tests:\n{}",
        long.join("\n")
    );
}

/// The name of the function a line declares (`pub(crate) async fn name(`),
/// if it declares one.
fn declared_fn(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    if let Some(r) = rest.strip_prefix("pub") {
        rest = match r.strip_prefix('(') {
            Some(r) => r.split_once(')')?.1,
            None => r,
        }
        .trim_start();
    }
    for qualifier in ["const ", "async ", "unsafe ", "extern \"C\" "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let end = name.find(|c: char| !is_ident(c)).unwrap_or(name.len());
    (end > 0).then_some(&name[..end])
}

/// Every function in `code` longer than `max` lines: its name, the line it
/// starts on (from 1) and its length, counted from the `fn` line to the
/// first closing brace at the `fn`'s own indentation (rustfmt's layout).
/// Declarations without a body and one-line functions are not counted.
fn long_functions(code: &str, max: usize) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = declared_fn(line) else {
            continue;
        };
        // The body opens on the first line of the signature that ends in
        // `{`; a `;` first is a declaration, a `}` a one-line function.
        let opens = lines[i..]
            .iter()
            .map(|l| l.trim_end())
            .find(|l| l.ends_with('{') || l.ends_with(';') || l.ends_with('}'));
        if !opens.is_some_and(|l| l.ends_with('{')) {
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let close = format!("{indent}}}");
        if let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].trim_end() == close) {
            let n = end - i + 1;
            if n > max {
                out.push((name.to_owned(), i + 1, n));
            }
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_a_reader_can_name() {
    let mut long = Vec::new();
    let mut allowed_and_long = BTreeSet::new();
    for krate in CRATES {
        for f in rust_files(&root().join(krate).join("src")) {
            let path = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (name, line, n) in long_functions(&code_of(&text), MAX_FN_LINES) {
                let allowed = LONG_FUNCTIONS
                    .iter()
                    .any(|(p, fun, _)| *p == path && *fun == name);
                if allowed {
                    allowed_and_long.insert((path.clone(), name));
                } else {
                    long.push(format!("{path}:{line}: {name}, {n} lines"));
                }
            }
        }
    }
    let stale: Vec<String> = LONG_FUNCTIONS
        .iter()
        .filter(|(p, fun, _)| !allowed_and_long.contains(&((*p).to_owned(), (*fun).to_owned())))
        .map(|(p, fun, _)| format!("{p}: {fun}"))
        .collect();
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them where a reader would name the parts):\n{}",
        long.join("\n")
    );
    assert!(
        stale.is_empty(),
        "LONG_FUNCTIONS names functions that are no longer long (remove them):\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_function_length_finder_finds_long_functions() {
    let body = |n: usize| "        let x = 1;\n".repeat(n);
    let code = format!(
        "fn short() {{\n{}}}\n\
         pub(crate) async fn long(\n    a: u32,\n) -> u32 {{\n{}    a\n}}\n\
         impl T {{\n    pub fn method(&self) {{\n{}    }}\n    fn one_line() -> u32 {{ 1 }}\n}}\n\
         trait U {{\n    fn declared(\n        &self,\n    );\n    fn after(&self) {{\n{}    }}\n}}\n",
        body(3),
        body(10),
        body(9),
        body(2),
    );
    assert_eq!(
        long_functions(&code, 10),
        [("long".to_owned(), 6, 15), ("method".to_owned(), 22, 11)]
    );
    assert_eq!(
        declared_fn("    pub(in crate::a) const unsafe fn f<T>("),
        Some("f")
    );
    assert_eq!(declared_fn("    let f = |x| x; // fn g"), None);
    assert_eq!(declared_fn("            fn $name() {}"), None);
}

#[test]
fn no_unwrap_outside_tests() {
    let mut found = Vec::new();
    for krate in CRATES.iter().filter(|k| **k != "xtask") {
        for f in rust_files(&root().join(krate).join("src")) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            for (i, line) in code_of(&text).lines().enumerate() {
                if line.contains(".unwrap()") {
                    found.push(format!(
                        "{}:{}: {}",
                        f.strip_prefix(root()).unwrap_or(&f).display(),
                        i + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "unwrap() outside tests (say what was expected with expect, or handle it):\n{}",
        found.join("\n")
    );
}

/// Server functions the scope matrix does not call, and why.
const NOT_IN_THE_MATRIX: &[(&str, &str)] = &[
    (
        "sign_in",
        "signs the caller in: server/tests/it/auth.rs tests it, throttled",
    ),
    (
        "sign_out",
        "ends the caller's own session (the matrix reuses its tokens): auth.rs",
    ),
];

/// The scope matrix's text (every file of `server/tests/it/scope/`),
/// whitespace removed.
fn scope_matrix() -> String {
    let files = rust_files(&root().join("server/tests/it/scope"));
    assert!(!files.is_empty(), "the scope matrix test");
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn every_server_function_is_in_the_scope_matrix() {
    let matrix = scope_matrix();
    let mut missing = Vec::new();
    for f in rust_files(&root().join("app/src")) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for (at, _) in text.match_indices("#[server(endpoint = \"") {
            let rest = &text[at + 21..];
            let name = &rest[..rest.find('"').unwrap_or(0)];
            let exempt = NOT_IN_THE_MATRIX.iter().any(|(n, _)| *n == name);
            if !exempt && !matrix.contains(&format!("(\"{name}\",")) {
                missing.push(name.to_owned());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "server functions missing from server/tests/it/scope/: {missing:?}"
    );
}

/// The routes the server's router registers, as `METHOD /path`: the JSON
/// API's (`#[utoipa::path(method, path = "…")]` in `server/src/api.rs`,
/// under `/api/v1`) and every `.route("…", get(…).post(…))` of
/// `server/src/` (files, downloads, the OpenAPI document).
fn registered_routes() -> Vec<String> {
    let src = root().join("server/src");
    let mut out = Vec::new();
    let api = std::fs::read_to_string(src.join("api.rs")).unwrap_or_default();
    for (at, _) in api.match_indices("#[utoipa::path(") {
        let rest = &api[at + 15..];
        let method = &rest[..rest.find(',').unwrap_or(0)];
        let Some(p) = rest.find("path = \"") else {
            continue;
        };
        let path = &rest[p + 8..];
        let path = &path[..path.find('"').unwrap_or(0)];
        out.push(format!("{} /api/v1{path}", method.trim().to_uppercase()));
    }
    for f in rust_files(&src) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        for (at, _) in text.match_indices(".route(") {
            // The call's arguments, up to its closing parenthesis.
            let args = &text[at + 7..];
            let mut depth = 1;
            let end = args
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(args.len(), |(i, _)| i);
            let Some(rest) = args[..end].trim_start().strip_prefix('"') else {
                continue;
            };
            let path = &rest[..rest.find('"').unwrap_or(0)];
            let handlers = &rest[path.len()..];
            for method in ["get", "post", "put", "patch", "delete"] {
                let called = handlers.match_indices(&format!("{method}(")).any(|(i, _)| {
                    !handlers[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
                if called {
                    out.push(format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    out
}

#[test]
fn every_route_is_in_the_scope_matrix() {
    let matrix = scope_matrix();
    let routes = registered_routes();
    for known in [
        "POST /api/v1/values",
        "GET /files/audit.csv",
        "GET /api/openapi.json",
    ] {
        assert!(
            routes.iter().any(|r| r == known),
            "{known} not parsed: {routes:?}"
        );
    }
    let missing: Vec<&String> = routes
        .iter()
        .filter(|r| !matrix.contains(&format!("\"{}\"", r.replace(' ', ""))))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from server/tests/it/scope/: {missing:?}"
    );
}
