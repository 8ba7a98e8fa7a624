//! Evidence files over HTTP: the form's upload (multipart, works without
//! JavaScript: it answers with a redirect back to the form) and the
//! download, served as an attachment to whoever may read the submission.

use axum::{
    Extension, Json, Router,
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use service::{Principal, ServiceError, files::MAX_BYTES};

use crate::problem::Problem;
use crate::state::AppState;

/// The file routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/files/submissions/{id}/evidence",
            post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/files/evidence/{id}", get(download))
        .route("/files/audit.csv", get(audit_export))
        .route("/files/proposals/{id}/source.toml", get(proposal_source))
        .route(
            "/files/submissions/{id}/template",
            get(template)
                .post(import)
                .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/files/campaigns/{campaign}/regions/{region}/template",
            get(region_template)
                .post(region_import)
                .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
}

/// UTF-8 percent-encoding keeping only RFC 3986's unreserved characters:
/// safe in a query value and in an RFC 5987 `filename*`.
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn signed_in(who: Option<Extension<Principal>>) -> Result<Principal, Problem> {
    who.map(|Extension(p)| p)
        .ok_or_else(|| ServiceError::Unauthenticated.into())
}

/// Stores one uploaded file; answers with a redirect to the form (with the
/// error in `upload_error` when refused), or with a problem document when
/// the client asks for JSON.
async fn upload(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(id): Path<i32>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let outcome = store_upload(&st, &who, id, form).await.map(|anchor| {
        (
            StatusCode::CREATED,
            serde_json::json!({ "indicator": anchor }),
            format!("/submissions/{id}#f-{anchor}"),
        )
    });
    respond(&format!("/submissions/{id}"), wants_json(&headers), outcome)
}

/// Answers an upload from the form: for API clients the JSON body with its
/// status, or the refusal as a problem document; for the browser (no
/// JavaScript needed) a redirect to `to`, or back to the form with the
/// refusal in `upload_error`.
fn respond<T: serde::Serialize>(
    back: &str,
    wants_json: bool,
    outcome: Result<(StatusCode, T, String), ServiceError>,
) -> Result<Response, Problem> {
    match outcome {
        Ok((status, body, _)) if wants_json => Ok((status, Json(body)).into_response()),
        Ok((_, _, to)) => Ok(Redirect::to(&to).into_response()),
        Err(e) if wants_json => Err(e.into()),
        Err(e) => Ok(Redirect::to(&format!(
            "{back}?upload_error={}",
            percent_encoded(&e.to_string())
        ))
        .into_response()),
    }
}

async fn store_upload(
    st: &AppState,
    who: &Principal,
    id: i32,
    mut form: Multipart,
) -> Result<String, ServiceError> {
    let mut indicator = None;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad("file", e.body_text()))?
    {
        match field.name() {
            Some("indicator") => {
                indicator = Some(
                    field
                        .text()
                        .await
                        .map_err(|e| bad("indicator", e.body_text()))?,
                );
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("evidence").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad("file", e.body_text()))?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    let indicator =
        indicator.ok_or_else(|| bad("indicator", "which answer is the file for?".into()))?;
    let (name, bytes) = file.ok_or_else(|| bad("file", "no file was sent".into()))?;
    let services = &st.ctx.services;
    service::submissions::add_file(
        &services.db,
        services.files.as_ref(),
        who,
        domain::ParticipantId(id),
        &indicator,
        &service::submissions::Upload {
            name: &name,
            bytes: &bytes,
        },
        chrono::Utc::now(),
    )
    .await?;
    Ok(indicator
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect())
}

async fn download(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(id): Path<i32>,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let services = &st.ctx.services;
    let (name, content_type, bytes) =
        service::submissions::evidence_file(&services.db, services.files.as_ref(), &who, id)
            .await?;
    Ok(attachment(&name, content_type.to_string(), bytes))
}

#[derive(serde::Deserialize)]
struct AuditParams {
    #[serde(rename = "type")]
    object_type: Option<String>,
    action: Option<String>,
}

/// The audit log as CSV, filtered like its page (admins).
async fn audit_export(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    axum::extract::Query(p): axum::extract::Query<AuditParams>,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let filter = service::audit::AuditFilter {
        object_type: p.object_type.filter(|t| !t.is_empty()),
        action_prefix: p.action.filter(|a| !a.is_empty()),
        ..Default::default()
    };
    let d = service::audit::export(&st.ctx.services.db, &who, &filter).await?;
    Ok(attachment(&d.file_name, d.content_type.to_owned(), d.bytes))
}

/// A proposed methodology file (ministry staff and viewers).
async fn proposal_source(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(id): Path<i32>,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let (name, text) = service::proposals::source(&st.ctx.services.db, &who, id).await?;
    Ok(attachment(
        &name,
        "application/toml; charset=utf-8".to_owned(),
        text.into_bytes(),
    ))
}

/// A private download: RFC 6266 names (an ASCII fallback and the UTF-8
/// name), never cached, never sniffed.
fn attachment(name: &str, content_type: String, bytes: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    percent_encoded(name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct LangParam {
    lang: Option<String>,
}

/// The submission's Excel template, in the asked language.
async fn template(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(id): Path<i32>,
    Query(p): Query<LangParam>,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let lang = crate::downloads::lang_of(p.lang.as_deref());
    let d =
        service::workbooks::template(&st.ctx.services.db, &who, domain::ParticipantId(id), lang)
            .await?;
    Ok(attachment(&d.file_name, d.content_type.to_owned(), d.bytes))
}

/// Reads a filled template back: the report as JSON when asked for, else
/// a redirect to the form showing it (`?import=<report>`); a refusal goes
/// to `upload_error` like an evidence upload's.
async fn import(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(id): Path<i32>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let outcome = async {
        let (dry_run, name, bytes) = read_upload(form).await?;
        service::workbooks::import(
            &st.ctx.services.db,
            &who,
            domain::ParticipantId(id),
            service::workbooks::Uploaded {
                name: &name,
                bytes: &bytes,
            },
            dry_run,
            chrono::Utc::now(),
        )
        .await
    }
    .await;
    let back = format!("/submissions/{id}");
    respond(&back, wants_json(&headers), reported(&back, outcome))
}

/// An upload's report with its status (422 when anything stopped it) and
/// the page that shows it.
fn reported(
    back: &str,
    outcome: Result<domain::ImportReport, ServiceError>,
) -> Result<(StatusCode, domain::ImportReport, String), ServiceError> {
    outcome.map(|report| {
        let status = if report.problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let to = format!("{back}?import={}#import-report", report.id);
        (status, report, to)
    })
}

/// The uploaded template of a form post: check only?, its name, its bytes.
async fn read_upload(mut form: Multipart) -> Result<(bool, String, Vec<u8>), ServiceError> {
    let mut dry_run = false;
    let mut file = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| bad("file", e.body_text()))?
    {
        match field.name() {
            Some("dry_run") => {
                let v = field
                    .text()
                    .await
                    .map_err(|e| bad("dry_run", e.body_text()))?;
                dry_run = matches!(v.trim(), "on" | "true" | "1" | "yes");
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("template.xlsx").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad("file", e.body_text()))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| bad("file", "no file was sent".into()))?;
    Ok((dry_run, name, bytes))
}

#[derive(serde::Deserialize)]
struct RegionPath {
    campaign: i32,
    region: i32,
}

/// A region's template for a campaign (a row per district), in the asked
/// language.
async fn region_template(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(at): Path<RegionPath>,
    Query(p): Query<LangParam>,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let lang = crate::downloads::lang_of(p.lang.as_deref());
    let d = service::region_workbooks::region_template(
        &st.ctx.services.db,
        &who,
        domain::CampaignId(at.campaign),
        domain::EntityId(at.region),
        lang,
    )
    .await?;
    Ok(attachment(&d.file_name, d.content_type.to_owned(), d.bytes))
}

/// Reads a filled region template back, all districts or none: the report
/// as JSON when asked for, else a redirect to the region's page showing it.
async fn region_import(
    State(st): State<AppState>,
    who: Option<Extension<Principal>>,
    Path(at): Path<RegionPath>,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, Problem> {
    let who = signed_in(who)?;
    let outcome = async {
        let (dry_run, name, bytes) = read_upload(form).await?;
        service::region_workbooks::import_region(
            &st.ctx.services.db,
            &who,
            domain::CampaignId(at.campaign),
            domain::EntityId(at.region),
            service::workbooks::Uploaded {
                name: &name,
                bytes: &bytes,
            },
            dry_run,
            chrono::Utc::now(),
        )
        .await
    }
    .await;
    let back = format!("/campaigns/{}/regions/{}", at.campaign, at.region);
    respond(&back, wants_json(&headers), reported(&back, outcome))
}

fn bad(field: &'static str, message: String) -> ServiceError {
    ServiceError::Invalid(domain::ParseError::new(field, message))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}
