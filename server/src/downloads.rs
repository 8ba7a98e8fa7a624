//! File downloads of published ratings: the national workbook of a league,
//! an entity's report card, and the open data at stable addresses
//! (`/open-data/ratings/{campaign}.csv`, `…/{campaign}/r{revision}.json`).
//! Public: only what is published and past its embargo is served.
//!
//! A national workbook takes seconds at national scale, so it is written
//! off the async runtime, and a browser may watch it being written:
//! `…/workbook.xlsx/progress` is a server-sent event stream of rows written
//! (`progress`: "rows total packing"), then `ready` with the address to
//! fetch it from (`?prepared=<token>`: kept on this instance for a few
//! minutes, fetched once; another instance, or a late fetch, writes it
//! again), or `failed` with why.

use std::convert::Infallible;

use axum::{
    Router,
    extract::{Path, Query, State},
    http::header,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use exports::Lang;
use futures_util::StreamExt;
use serde::Deserialize;
use service::ServiceError;
use service::downloads::Download;

use crate::problem::Problem;
use crate::state::AppState;

/// The download routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/downloads/ratings/{campaign}/workbook.xlsx", get(workbook))
        .route(
            "/downloads/ratings/{campaign}/workbook.xlsx/progress",
            get(workbook_progress),
        )
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
    /// A report card of this campaign's rating (default: the newest).
    campaign: Option<String>,
    revision: Option<i32>,
    /// A workbook prepared while its progress was watched.
    prepared: Option<String>,
}

async fn workbook_job(
    st: &AppState,
    campaign: &str,
    p: &Params,
) -> Result<service::downloads::WorkbookJob, Problem> {
    let db = &st.ctx.services.db;
    let now = chrono::Utc::now();
    Ok(service::downloads::national_workbook_job(db, campaign, p.revision, lang(p), now).await?)
}

fn workbook_key(campaign: &str, p: &Params) -> String {
    format!("{campaign}|{:?}|{}", p.revision, lang(p).tag())
}

fn lang(p: &Params) -> Lang {
    lang_of(p.lang.as_deref())
}

/// The language a `?lang=` tag asks for; uz-Latn when absent or unknown.
pub(crate) fn lang_of(tag: Option<&str>) -> Lang {
    tag.and_then(Lang::parse).unwrap_or_default()
}

/// The headers of a public download.
fn download_headers(file_name: &str, content_type: &str) -> [(header::HeaderName, String); 3] {
    [
        (header::CONTENT_TYPE, content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ),
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
    ]
}

fn send(d: Download) -> Response {
    (download_headers(&d.file_name, d.content_type), d.bytes).into_response()
}

async fn workbook(
    State(st): State<AppState>,
    Path(campaign): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let key = workbook_key(&campaign, &p);
    if let Some(d) = p
        .prepared
        .as_deref()
        .and_then(|t| st.prepared.take(t, &key))
    {
        let mut res = send(d);
        res.headers_mut()
            .insert("x-daraja-prepared", header::HeaderValue::from_static("hit"));
        return Ok(res);
    }
    let job = workbook_job(&st, &campaign, &p).await?;
    stream_workbook(job).await
}

/// Bytes of a streamed download per chunk.
const CHUNK: usize = 64 << 10;

/// A writer that hands its bytes, in chunks, to the response body; when the
/// client has gone, writing fails, which stops the work.
struct ChunkWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, String>>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    fn pass_on(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.pass_on()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes the workbook off the async runtime and streams it out as it is
/// compressed: no copy of the whole file is held per request. A failure
/// before the first byte is an error status; after it, the connection is
/// cut (and logged), so a client never takes a truncated file for whole.
async fn stream_workbook(job: service::downloads::WorkbookJob) -> Result<Response, Problem> {
    let (name, content_type) = (job.file_name().to_owned(), job.content_type());
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, String>>(8);
    tokio::task::spawn_blocking(move || {
        let mut w = ChunkWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
        };
        let written = job
            .write_to(&mut w, &mut |_| {})
            .and_then(|()| Ok(w.pass_on()?));
        if let Err(e) = written {
            tracing::warn!(error = ?e, "workbook stream stopped");
            let _ = tx.blocking_send(Err(e.to_string()));
        }
    });
    // The first chunk decides the status; a failure after it can only cut
    // the body short (logged above).
    let first = match rx.recv().await {
        Some(Ok(chunk)) => chunk,
        Some(Err(e)) => {
            tracing::error!(error = %e, "workbook failed before its first byte");
            return Err(Problem::internal());
        }
        None => return Err(ServiceError::shape("a workbook writes at least one byte").into()),
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|c| (c.map_err(std::io::Error::other), rx))
    });
    let body = futures_util::stream::once(async move { Ok(first) }).chain(rest);
    Ok((
        download_headers(&name, content_type),
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// The national workbook written while the caller watches: a server-sent
/// event stream (see the module's doc). A campaign that is not public is a
/// 404 before any event.
async fn workbook_progress(
    State(st): State<AppState>,
    Path(campaign): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let job = workbook_job(&st, &campaign, &p).await?;
    let key = workbook_key(&campaign, &p);
    let mut address = format!(
        "/downloads/ratings/{campaign}/workbook.xlsx?lang={}",
        lang(&p).tag()
    );
    if let Some(r) = p.revision {
        address.push_str(&format!("&revision={r}"));
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    let prepared = st.prepared.clone();
    tokio::task::spawn_blocking(move || {
        let written = job.write(&mut |p| {
            let data = format!("{} {} {}", p.rows, p.total, u8::from(p.packing));
            let _ = tx.send(Event::default().event("progress").data(data));
        });
        let last = match written {
            Ok(d) => {
                let token = prepared.put(key, d);
                Event::default()
                    .event("ready")
                    .data(format!("{address}&prepared={token}"))
            }
            Err(e) => {
                tracing::error!(error = ?e, "workbook failed");
                Event::default()
                    .event("failed")
                    .data("the workbook could not be written")
            }
        };
        let _ = tx.send(last);
    });
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Sse::new(events).keep_alive(KeepAlive::default()),
    )
        .into_response())
}

async fn report_card(
    State(st): State<AppState>,
    Path(id): Path<i32>,
    Query(p): Query<Params>,
) -> Result<Response, Problem> {
    let at = p.campaign.as_deref().map(|c| (c, p.revision));
    let d =
        service::downloads::report_card(&st.ctx.services.db, id, at, lang(&p), chrono::Utc::now())
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
    let (campaign, format) = file.rsplit_once('.').ok_or_else(|| {
        ServiceError::NotFound(domain::Msg::NoFormat {
            file: file.to_string(),
        })
    })?;
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
        ServiceError::NotFound(domain::Msg::NoFormat {
            file: file.to_string(),
        })
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
