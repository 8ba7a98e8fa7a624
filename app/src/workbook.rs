//! The Excel template round trip: the download link, the upload form and
//! the report of the upload, shared by a submission's page and a region's
//! page.

use crate::{components::error_text, i18n::use_tr};
use leptos::prelude::*;

use crate::error::AppError;

/// The upload report the page was sent back with (`?import=<id>`).
pub fn import_query() -> Memo<Option<i32>> {
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("import")
            .and_then(|v| v.parse::<i32>().ok())
    })
}

/// A template's download link, its upload form (a plain form post: works
/// without JavaScript) and the report of the upload named in `?import=`.
#[component]
pub fn TemplateRoundTrip(
    download: String,
    upload: String,
    editable: bool,
    report: Resource<Result<Option<domain::ImportReport>, AppError>>,
    /// Whether the report names each change's entity (a region's upload).
    by_entity: bool,
) -> impl IntoView {
    let tr = use_tr();
    view! {
        <p><a class="button" rel="external" id="template-download" href=download download>{tr.excel_download()}</a></p>
        {editable.then(|| view! {
            <form method="post" enctype="multipart/form-data" class="inline-form template-upload" action=upload>
                <label>{tr.excel_file()}<input type="file" name="file" required accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/></label>
                <label class="check"><input type="checkbox" name="dry_run" value="on" checked/>{tr.excel_check_only()}</label>
                <button type="submit" id="template-upload">{tr.excel_upload()}</button>
            </form>
        })}
        <Suspense fallback=|| ()>
            {move || report.get().map(|r| match r {
                Ok(Some(r)) => view! { <ImportReportView r by_entity/> }.into_any(),
                Ok(None) => ().into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ImportReportView(r: domain::ImportReport, by_entity: bool) -> impl IntoView {
    let tr = use_tr();
    let (class, headline) = if !r.problems.is_empty() {
        ("alert error", tr.import_refused())
    } else if r.applied {
        ("alert ok", tr.import_applied())
    } else {
        ("alert", tr.import_checked())
    };
    let summary = format!(
        "{}: {} · {}: {} · {}: {}",
        tr.import_changes(),
        r.changes.len(),
        tr.import_unchanged(),
        r.unchanged,
        tr.problems(),
        r.problems.len()
    );
    view! {
        <div id="import-report" class="import-report" data-applied=r.applied.to_string() data-problems=r.problems.len() data-changes=r.changes.len()>
            <p class=class role="status"><strong>{headline}</strong>" — "{r.file_name.clone()}</p>
            <p class="muted">{summary}</p>
            {(!r.problems.is_empty()).then(|| view! {
                <table class="data import-problems">
                    <caption>{tr.problems()}</caption>
                    <thead><tr><th scope="col">{tr.import_cell()}</th><th scope="col">{tr.import_field()}</th><th scope="col">{tr.what()}</th></tr></thead>
                    <tbody>
                        {r.problems.iter().map(|p| view! {
                            <tr><td class="mono">{p.cell.clone()}</td><td class="mono">{p.field.clone()}</td><td>{p.message.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(!r.changes.is_empty()).then(|| view! {
                <table class="data import-changes">
                    <caption>{tr.import_changes()}</caption>
                    <thead><tr><th scope="col">{tr.import_cell()}</th>{by_entity.then(|| view! { <th scope="col">{tr.entity()}</th> })}<th scope="col">{tr.indicator()}</th><th scope="col">{tr.before()}</th><th scope="col">{tr.after()}</th></tr></thead>
                    <tbody>
                        {r.changes.iter().map(|c| view! {
                            <tr><td class="mono">{c.cell.clone()}</td>
                                {by_entity.then(|| view! { <td class="mono">{c.entity.clone().unwrap_or_default()}</td> })}
                                <td class="mono">{if by_entity { view! { <span>{c.indicator.clone()}</span> }.into_any() } else { view! { <a href=format!("#f-{}", c.indicator)>{c.indicator.clone()}</a> }.into_any() }}</td>
                                <td>{c.before.clone().unwrap_or_default()}</td><td>{c.after.clone().unwrap_or_default()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}
