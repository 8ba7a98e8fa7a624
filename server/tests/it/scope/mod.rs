//! The scope matrix: every server function and every API, file and
//! download route × every role (and the public) × own/other entity,
//! allowed or refused, checked over HTTP.
//!
//! A cell is one request a caller makes and the roles that may make it.
//! It counts as allowed only on a 2xx: every request asks for JSON, so the
//! routes that redirect a browser by design (`leptos_axum::redirect` after
//! creating a campaign or an entity, the form's uploads) answer 2xx here
//! and no cell accepts a 3xx. 401 is the public's refusal and 403 a
//! signed-in caller's. Anything else — a 404, 409, 422 or 500 — is a defect of the
//! request or of the code, except a 409 that a cell names `not_now`: a role
//! that acts on such an object at another stage (documented per cell).
//!
//! So every request is one that really succeeds for an allowed caller: real
//! ids of objects in the right state. Refused callers go first, so each sees
//! the object before an allowed caller changes it; where an allowed call
//! consumes its object (submit, approve, issue, revoke …) each allowed
//! caller gets a fresh one of its own (`Cell::each`).
//!
//! The areas: [`server_fns`] (the `#[server]` functions outside district
//! rounds), [`api`] (`/api/v1`, files and downloads), [`district`] (a
//! two-level district round: district and region officers on their own and
//! others' districts); [`world`] sets up the users, entities and rounds.

mod api;
mod district;
mod malformed;
mod server_fns;
mod world;

use reqwest::StatusCode;
use std::collections::HashMap;

pub use world::World;

/// Every caller of the matrix: the public, one user per role, and the
/// officer of a region (a district grant on the own district's region).
pub const CALLERS: &[&str] = &[
    "public",
    "admin",
    "methodologist",
    "reviewer",
    "publisher",
    "cdo",
    "district",
    "region",
    "viewer",
];
pub const EVERYONE: &[&str] = CALLERS;
pub const SIGNED_IN: &[&str] = &[
    "admin",
    "methodologist",
    "reviewer",
    "publisher",
    "cdo",
    "district",
    "region",
    "viewer",
];
pub const ADMIN: &[&str] = &["admin"];
pub const MANAGERS: &[&str] = &["admin", "methodologist"];
pub const REVIEWERS: &[&str] = &["admin", "reviewer"];
pub const PUBLISHERS: &[&str] = &["admin", "publisher"];
pub const NOBODY: &[&str] = &[];
/// Ministry staff and viewers: they read every submission.
pub const MINISTRY_AND_VIEWER: &[&str] =
    &["admin", "methodologist", "reviewer", "publisher", "viewer"];

/// What a caller gets back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    Ok,
    Unauthenticated,
    Forbidden,
    /// 409: the role acts on such objects, at another stage.
    NotNow,
}

/// The answer's meaning; `None` for anything the matrix never expects.
fn classify(status: StatusCode) -> Option<Want> {
    match status.as_u16() {
        200..=299 => Some(Want::Ok),
        401 => Some(Want::Unauthenticated),
        403 => Some(Want::Forbidden),
        409 => Some(Want::NotNow),
        _ => None,
    }
}

/// A request's body.
pub enum Body {
    Empty,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
    /// Multipart fields: name, bytes, file name (files only).
    Multipart(Vec<(&'static str, Vec<u8>, Option<&'static str>)>),
}

/// One request of a cell, as one caller makes it.
pub struct Request {
    path: String,
    body: Body,
    /// Another session of the caller's role instead of the caller's
    /// token, for calls that end the session they come with.
    token: Option<Option<String>>,
}

/// One row of the matrix.
pub struct Cell {
    /// A server function's name, or a route as registered: `GET /path/{id}`.
    what: &'static str,
    allowed: &'static [&'static str],
    not_now: &'static [&'static str],
    request: Box<dyn Fn(&str) -> Request>,
}

/// Form fields from pairs.
pub fn form(fields: &[(&str, &str)]) -> Body {
    Body::Form(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

/// `template` with each `{name}` replaced by its value in `args`.
fn fill<K: AsRef<str>>(template: &str, args: &[(K, String)]) -> String {
    args.iter().fold(template.to_owned(), |t, (k, v)| {
        t.replace(&format!("{{{}}}", k.as_ref()), v)
    })
}

impl Cell {
    /// A server function called alike by everyone.
    pub fn call(name: &'static str, allowed: &'static [&'static str], body: Body) -> Cell {
        let body = std::sync::Arc::new(body);
        Cell::each(name, allowed, move |_| clone_body(&body))
    }

    /// A server function called with a body of each caller's own.
    pub fn each(
        name: &'static str,
        allowed: &'static [&'static str],
        body: impl Fn(&str) -> Body + 'static,
    ) -> Cell {
        Cell {
            what: name,
            allowed,
            not_now: NOBODY,
            request: Box::new(move |who| Request {
                path: format!("/api/{name}"),
                body: body(who),
                token: None,
            }),
        }
    }

    /// A route (`METHOD /path/{arg}`) called alike by everyone, its
    /// arguments filled in from `args`.
    pub fn route(
        what: &'static str,
        args: &[(&str, String)],
        allowed: &'static [&'static str],
        body: Body,
    ) -> Cell {
        let args: Vec<(String, String)> = args
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let body = std::sync::Arc::new(body);
        Cell::route_each(what, allowed, move |_| (args.clone(), clone_body(&body)))
    }

    /// A route with arguments and a body of each caller's own.
    pub fn route_each<K: AsRef<str>>(
        what: &'static str,
        allowed: &'static [&'static str],
        request: impl Fn(&str) -> (Vec<(K, String)>, Body) + 'static,
    ) -> Cell {
        let (_, template) = what.split_once(' ').expect("METHOD /path");
        Cell {
            what,
            allowed,
            not_now: NOBODY,
            request: Box::new(move |who| {
                let (args, body) = request(who);
                Request {
                    path: fill(template, &args),
                    body,
                    token: None,
                }
            }),
        }
    }

    /// Each caller calls with another session of its own (a call that
    /// ends the session it comes with, or all the user's sessions).
    pub fn sessions(mut self, sessions: HashMap<&'static str, Option<String>>) -> Cell {
        let request = self.request;
        self.request = Box::new(move |who| {
            let mut r = request(who);
            r.token = Some(sessions[who].clone());
            r
        });
        self
    }

    /// The route with a query string (`dryRun=true`).
    pub fn query(mut self, query: &'static str) -> Cell {
        let request = self.request;
        self.request = Box::new(move |who| {
            let mut r = request(who);
            r.path = format!("{}?{query}", r.path);
            r
        });
        self
    }

    /// Roles that act on such an object at another stage, and so get a
    /// 409 here by design.
    pub fn not_now(mut self, roles: &'static [&'static str]) -> Cell {
        self.not_now = roles;
        self
    }

    fn method(&self) -> &str {
        match self.what.split_once(' ') {
            Some((method, _)) => method,
            None => "POST",
        }
    }

    fn want(&self, who: &str, signed_in: bool) -> Want {
        if self.allowed.contains(&who) {
            Want::Ok
        } else if !signed_in {
            Want::Unauthenticated
        } else if self.not_now.contains(&who) {
            Want::NotNow
        } else {
            Want::Forbidden
        }
    }
}

fn clone_body(b: &Body) -> Body {
    match b {
        Body::Empty => Body::Empty,
        Body::Form(f) => Body::Form(f.clone()),
        Body::Json(j) => Body::Json(j.clone()),
        Body::Multipart(parts) => Body::Multipart(parts.clone()),
    }
}

/// Sends one request as `token`.
async fn send(w: &World, method: &str, req: Request, token: Option<&str>) -> reqwest::Response {
    let url = format!("{}{}", w.app.base, req.path);
    let mut r = match method {
        "GET" => w.http.get(url),
        _ => w.http.post(url),
    }
    .header("accept", "application/json");
    r = match req.body {
        Body::Empty => r,
        Body::Form(f) => r.form(&f),
        Body::Json(j) => r.json(&j),
        Body::Multipart(parts) => {
            let mut m = reqwest::multipart::Form::new();
            for (name, bytes, file) in parts {
                let mut part = reqwest::multipart::Part::bytes(bytes);
                if let Some(f) = file {
                    part = part.file_name(f);
                }
                m = m.part(name, part);
            }
            r.multipart(m)
        }
    };
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

/// Makes every cell's request as every caller, refused callers first;
/// returns what differed from the expectation.
async fn run(w: &World, cells: &[Cell]) -> Vec<String> {
    let mut failures = Vec::new();
    let tokens: HashMap<&str, Option<String>> = w.callers.iter().cloned().collect();
    for cell in cells {
        let (allowed, refused): (Vec<&str>, Vec<&str>) = CALLERS
            .iter()
            .copied()
            .partition(|who| cell.allowed.contains(who));
        for who in refused.into_iter().chain(allowed) {
            let req = (cell.request)(who);
            let token = match &req.token {
                Some(t) => t.clone(),
                None => tokens[who].clone(),
            };
            let res = send(w, cell.method(), req, token.as_deref()).await;
            let status = res.status();
            let want = cell.want(who, token.is_some());
            if classify(status) != Some(want) {
                let body = res.text().await.unwrap_or_default();
                let body: String = body.chars().take(300).collect();
                failures.push(format!(
                    "{} as {who}: want {want:?}, got {status}: {body}",
                    cell.what
                ));
            }
        }
    }
    failures
}

#[tokio::test]
async fn every_route_by_every_role() {
    let w = World::new().await;
    let mut cells = server_fns::cells(&w).await;
    cells.extend(district::cells(&w).await);
    cells.extend(api::cells(&w).await);
    // Malformed arguments first: they never reach a function, so they
    // change nothing the matrix then uses.
    let (malformed, named) = malformed::sweep(&w, &cells).await;
    assert!(
        malformed.is_empty(),
        "{} malformed requests not answered 400 naming the argument:\n{}",
        malformed.len(),
        malformed.join("\n")
    );
    assert!(named >= 100, "only {named} 400s named their argument");
    let failures = run(&w, &cells).await;
    assert!(
        failures.is_empty(),
        "{} scope violations in {} cells × {} callers:\n{}",
        failures.len(),
        cells.len(),
        CALLERS.len(),
        failures.join("\n")
    );
}
