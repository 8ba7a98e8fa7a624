//! The methodology versions: the list, and one version's bands, changes
//! and indicator tree.

use crate::{
    api,
    components::{NotFound, error_text, id_param, kind_name},
    i18n::use_tr,
    session::signed_in,
};
use domain::{EntityKind, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Every methodology version (public).
#[component]
pub fn Methodologies() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let list = Resource::new(|| (), |_| api::list_methodologies());
    view! {
        <Title text=tr.methodology_versions()/>
        <h1>{tr.methodology_versions()}</h1>
        <Transition fallback=|| ()>
            {move || signed_in().filter(|u| u.is_ministry() || u.has(Role::Viewer)).map(|_| view! {
                <p><A href="/proposals">{tr.proposals_title()}</A></p>
            })}
        </Transition>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || list.get().map(|r| match r {
                Ok(rows) => view! {
                    <table class="data">
                        <thead><tr>
                            <th scope="col">{tr.methodology()}</th>
                            <th scope="col">{tr.version()}</th>
                            <th scope="col">{tr.applies_to()}</th>
                            <th scope="col">{tr.valid_from()}</th>
                            <th scope="col" class="num">{tr.indicator_count()}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|m| view! {
                                <tr>
                                    <td><A href=format!("/methodologies/{}", m.id)>{m.title.get(locale).to_owned()}</A></td>
                                    <td>{m.version.clone()}</td>
                                    <td>{m.applies_to.iter().map(|k| EntityKind::parse(k).map_or_else(|_| k.clone(), |k| kind_name(tr, k).to_owned())).collect::<Vec<_>>().join(", ")}</td>
                                    <td>{locale.format_date(&m.valid_from)}</td>
                                    <td class="num">{m.indicators}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// One methodology version: bands, changes, the indicator tree (public).
#[component]
pub fn MethodologyPage() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let id = id_param();
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_methodology(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let num = move |x: f64| locale.format_number(x, if x.fract() == 0.0 { 0 } else { 2 });
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || detail.get().map(|r| match r {
                Ok(Some(d)) => {
                    let title = d.summary.title.get(locale).to_owned();
                    view! {
                        <Title text=title.clone()/>
                        <p class="breadcrumb"><A href="/methodologies">{tr.nav_methodologies()}</A></p>
                        <h1>{title}" · v"{d.summary.version.clone()}</h1>
                        <p>{d.description.get(locale).to_owned()}</p>
                        <dl class="facts">
                            <dt>{tr.valid_from()}</dt><dd>{locale.format_date(&d.summary.valid_from)}</dd>
                            <dt>{tr.indicator_count()}</dt><dd>{d.summary.indicators}</dd>
                            <dt>{tr.missing_policy()}</dt><dd>{d.missing.clone()}</dd>
                            <dt>"SHA-256"</dt><dd><code>{d.summary.sha256.clone()}</code></dd>
                        </dl>
                        <h2>{tr.bands_heading()}</h2>
                        <table class="data">
                            <tbody>
                                {d.bands.iter().map(|(b, max)| view! {
                                    <tr>
                                        <td><span class=format!("pill band-{}", b.code)>{b.names.get(locale).to_owned()}</span></td>
                                        <td class="num">{format!("{} – {}", num(b.min), num(*max))}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h2>{tr.changes_since()}</h2>
                        {match &d.previous {
                            None => view! { <p>{tr.first_version()}</p> }.into_any(),
                            Some(p) => view! {
                                <p>
                                    <A href=format!("/methodologies/{}", p.id)>{format!("v{}", p.version)}</A>
                                    " → v"{d.summary.version.clone()}". "
                                    {if d.comparable { tr.comparable_yes() } else { tr.comparable_no() }}
                                </p>
                                <ul class="changes">
                                    {d.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
                                </ul>
                            }.into_any(),
                        }}
                        <h2>{tr.indicator_tree()}</h2>
                        <table class="data tree">
                            <thead><tr>
                                <th scope="col">{tr.name()}</th>
                                <th scope="col" class="num">{tr.weight()}</th>
                                <th scope="col">{tr.kind()}</th>
                                <th scope="col">{tr.scoring_rule()}</th>
                            </tr></thead>
                            <tbody>
                                {d.nodes.iter().map(|n| {
                                    let by_kind = n.weights_by_kind.iter().map(|(k, w)| format!(" ({k}: {})", num(*w))).collect::<String>();
                                    view! {
                                        <tr class=format!("depth-{}", n.depth.min(4))>
                                            <td style=format!("padding-left: {}rem", 0.5 + 1.25 * (n.depth.saturating_sub(1)) as f64)>
                                                <code>{n.code.clone()}</code>" "{n.names.get(locale).to_owned()}
                                                {n.required.then(|| view! { " " <span class="badge">{tr.required_short()}</span> })}
                                                {n.evidence.then(|| view! { " " <span class="badge">{tr.evidence_short()}</span> })}
                                            </td>
                                            <td class="num">{num(n.weight)}{by_kind}</td>
                                            <td>{n.kind.clone()}</td>
                                            <td>{n.rule.clone()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}
