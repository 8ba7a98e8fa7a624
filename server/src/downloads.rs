//! File downloads of published ratings: the national workbook of a league,
//! an entity's report card, and the open data at stable addresses
//! (`/open-data/ratings/{campaign}.csv`, `…/{campaign}/r{revision}.json`).
//! Public: only what is published and past its embargo is served.

use axum::{
    Router,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use exports::Lang;
use serde::Deserialize;
use service::ServiceError;
use service::downloads::Download;

use crate::api::Problem;
use crate::startup::AppState;

/// The download routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/downloads/ratings/{campaign}/workbook.xlsx", get(workbook))
        .route(
            "/downloads/entities/{id}/report-card.xlsx",
            get(report_card),
        )
        .route("/downloads/regions/{id}/pack.xlsx", get(region_pack))
        .route("/open-data/ratings/{file}", get(open_data_latest))
        .route(
            "/open-data/ratings/{campaign}/{file}",
            get(open_data_revision),
        )
        .route("/open-data/dictionary.md", get(dictionary))
}

#[derive(Deserialize)]
struct Params {
    lang: Option<String>,
    revision: Option<i32>,
}

fn lang(p: &Params) -> Lang {
    lang_of(p.lang.as_deref())
}

/// The language a `?lang=` tag asks for; uz-Latn when absent or unknown.
pub(crate) fn lang_of(tag: Option<&str>) -> Lang {
    tag.and_then(Lang::parse).unwrap_or_default()
}

fn send(d: Download) -> Response {
    (
        [
            (header::CONTENT_TYPE, d.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", d.file_name),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        d.bytes,
    )
        .into_response()
}

async fn workbook(
    State(st): State<AppState>,
    Path(campaign): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let d = service::downloads::national_workbook(
        &st.ctx.services.db,
        &campaign,
        p.revision,
        lang(&p),
        chrono::Utc::now(),
    )
    .await?;
    Ok(send(d))
}

async fn report_card(
    State(st): State<AppState>,
    Path(id): Path<i32>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let d = service::downloads::report_card(&st.ctx.services.db, id, lang(&p), chrono::Utc::now())
        .await?;
    Ok(send(d))
}

async fn region_pack(
    State(st): State<AppState>,
    Path(id): Path<i32>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let d = service::downloads::region_pack(&st.ctx.services.db, id, lang(&p), chrono::Utc::now())
        .await?;
    Ok(send(d))
}

/// `{campaign}.csv` or `{campaign}.json`: the newest public revision.
async fn open_data_latest(
    State(st): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, Problem> {
    let (campaign, format) = file
        .rsplit_once('.')
        .ok_or_else(|| ServiceError::NotFound(format!("{file}: add .csv or .json")))?;
    let d = service::downloads::open_data(
        &st.ctx.services.db,
        campaign,
        None,
        format,
        chrono::Utc::now(),
    )
    .await?;
    Ok(send(d))
}

/// `{campaign}/r{revision}.csv|json`: one revision, forever at this address.
async fn open_data_revision(
    State(st): State<AppState>,
    Path((campaign, file)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let bad = || {
        ServiceError::NotFound(format!(
            "{file}: expected r<revision>.csv or r<revision>.json"
        ))
    };
    let (rev, format) = file.rsplit_once('.').ok_or_else(bad)?;
    let revision: i32 = rev
        .strip_prefix('r')
        .and_then(|r| r.parse().ok())
        .ok_or_else(bad)?;
    let d = service::downloads::open_data(
        &st.ctx.services.db,
        &campaign,
        Some(revision),
        format,
        chrono::Utc::now(),
    )
    .await?;
    Ok(send(d))
}

async fn dictionary(Query(p): Query<Params>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        exports::data_dictionary(lang(&p)),
    )
        .into_response()
}
