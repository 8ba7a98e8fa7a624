//! Evidence files over HTTP: the form's upload (multipart, works without
//! JavaScript: it answers with a redirect back to the form) and the
//! download, served as an attachment to whoever may read the submission.

use axum::{
    Extension, Json, Router,
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use service::{Principal, ServiceError, files::MAX_BYTES};

use crate::api::Problem;
use crate::startup::AppState;

/// The file routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/files/submissions/{id}/evidence",
            post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .route("/files/evidence/{id}", get(download))
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
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let who = signed_in(who)?;
    match store_upload(&st, &who, id, form).await {
        Ok(anchor) if wants_json => Ok((
            StatusCode::CREATED,
            Json(serde_json::json!({ "indicator": anchor })),
        )
            .into_response()),
        Ok(anchor) => Ok(Redirect::to(&format!("/submissions/{id}#f-{anchor}")).into_response()),
        Err(e) if wants_json => Err(e.into()),
        Err(e) => Ok(Redirect::to(&format!(
            "/submissions/{id}?upload_error={}",
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
    let bad = |field: &'static str, message: String| {
        ServiceError::Invalid(domain::ParseError::new(field, message))
    };
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
    // RFC 6266: an ASCII fallback and the UTF-8 name.
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
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    percent_encoded(&name)
                ),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
