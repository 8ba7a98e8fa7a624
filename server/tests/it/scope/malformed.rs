//! Malformed arguments: every server function of the matrix called with
//! each of its arguments left out answers 400 naming the argument (or, for
//! an argument that may be left out, anything but a 5xx), and with each
//! number replaced by text a 400 (`bad_argument`; the decoder does not say
//! which argument a wrongly typed value was) or, where the argument is
//! text, anything but a 5xx.

use super::*;

/// The argument a 400's body names, if it is the server functions'
/// `bad_argument`.
fn named(body: &str) -> Option<Option<String>> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    (v["msg"]["key"] == "bad_argument" && v["status"] == 400)
        .then(|| v["msg"]["field"].as_str().map(str::to_owned))
}

/// Whether `field` (`page`, `form[kind]`) is the argument `said` names.
fn is_named(field: &str, said: &Option<String>) -> bool {
    said.as_deref().is_some_and(|s| {
        field == s || field.ends_with(&format!("[{s}]")) || field.starts_with(&format!("{s}["))
    })
}

/// One request of the sweep: `(path, label, body, the field it breaks,
/// whether a 400 must name it)`.
type Variant = (String, String, Vec<(String, String)>, String, bool);

fn variants(cells: &[Cell]) -> Vec<Variant> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for cell in cells {
        if cell.what.contains(' ') || !seen.insert(cell.what) {
            continue;
        }
        let Body::Form(fields) = (cell.request)("admin").body else {
            continue;
        };
        let path = format!("/api/{}", cell.what);
        for (i, (k, v)) in fields.iter().enumerate() {
            let mut without = fields.clone();
            without.remove(i);
            out.push((
                path.clone(),
                format!("without {k}"),
                without,
                k.clone(),
                true,
            ));
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                let mut typed = fields.clone();
                typed[i].1 = format!("{v}x");
                out.push((path.clone(), format!("{k}={v}x"), typed, k.clone(), false));
            }
        }
    }
    out
}

/// Runs the sweep; returns what differed, and how many answers were 400s
/// naming their argument.
pub async fn sweep(w: &World, cells: &[Cell]) -> (Vec<String>, usize) {
    let mut failures = Vec::new();
    let mut named_400 = 0;
    for (path, label, body, field, must_name) in variants(cells) {
        let req = Request {
            path: path.clone(),
            body: Body::Form(body),
            token: None,
        };
        let res = send(w, "POST", req, None).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        let said = named(&text);
        let ok = match (status, &said) {
            (400, Some(s)) if is_named(&field, s) => {
                named_400 += 1;
                true
            }
            (400, Some(_)) => !must_name,
            (400, None) | (500..=599, _) => false,
            // Left out, and it may be (or text, and any text is): the
            // function ran, and refused the public or found nothing.
            (_, _) => true,
        };
        if !ok {
            let text: String = text.chars().take(200).collect();
            failures.push(format!("{path} {label}: got {status}: {text}"));
        }
    }
    (failures, named_400)
}
