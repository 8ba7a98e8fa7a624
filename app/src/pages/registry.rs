//! The registry: browse and search, one entity's page (with its public
//! rating profile, or a region's districts), and the admin's form to add
//! or edit an entity.

use crate::{
    api,
    components::{AuditTable, Denied, ErrorNote, NotFound, error_text, id_param, kind_name},
    i18n::{Tr, use_tr},
    profile::{Series, TrendChart, band_namer, improve_items, index_trend, score_text},
    session::{signed_in, use_user},
};
use domain::{EntityKind, EntitySummary, RegistryQuery, Role};
use leptos::prelude::*;

use crate::error::AppError;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

fn parse_kind(s: Option<String>) -> Option<EntityKind> {
    s.and_then(|k| EntityKind::parse(&k).ok())
}

/// Registry browse and search: by name in any language, SOATO or TIN.
#[component]
pub fn Registry() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let current = move || {
        let q = query.read();
        RegistryQuery {
            q: q.get("q").unwrap_or_default(),
            kind: parse_kind(q.get("kind")),
            include_retired: q.get("retired").is_some_and(|v| v == "on" || v == "true"),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    let results = Resource::new(current, api::search_registry);
    let is_admin = move || signed_in().is_some_and(|u| u.has(Role::Admin));
    view! {
        <Title text=tr.nav_registry()/>
        <h1>{tr.registry_title()}</h1>
        <Form method="GET" action="" attr:class="search-bar" attr:role="search">
            <label for="q">{tr.search()}</label>
            <input id="q" type="search" name="q" placeholder=tr.search_hint() prop:value=move || current().q/>
            <label for="kind">{tr.kind()}</label>
            <select id="kind" name="kind">
                <option value="">{tr.all_kinds()}</option>
                {EntityKind::ALL.iter().map(|k| view! {
                    <option value=k.as_str() selected=move || current().kind == Some(*k)>{kind_name(tr, *k)}</option>
                }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" name="retired" prop:checked=move || current().include_retired/>{tr.include_retired()}</label>
            <button type="submit">{tr.search()}</button>
        </Form>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || is_admin().then(|| view! { <p><A href="/registry/new" attr:class="button">{tr.add_entity()}</A></p> })}
            {move || results.get().map(|r| match r {
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
                Ok(page) => view! { <RegistryTable page current=current()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RegistryTable(page: domain::Page<EntitySummary>, current: RegistryQuery) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let link = move |p: u64| {
        let mut s = format!("/registry?page={p}&q={}", urlencode(&current.q));
        if let Some(k) = current.kind {
            s.push_str(&format!("&kind={k}"));
        }
        if current.include_retired {
            s.push_str("&retired=on");
        }
        s
    };
    let pages = page.total.div_ceil(page.per_page.max(1));
    let prev = (page.page > 0).then(|| link(page.page - 1));
    let next = (page.page + 1 < pages).then(|| link(page.page + 1));
    if page.rows.is_empty() {
        return view! { <p>{tr.no_results()}</p> }.into_any();
    }
    view! {
        <p class="muted" aria-live="polite">{tr.results_count()}": " {page.total}</p>
        <table class="data">
            <thead><tr>
                <th scope="col">{tr.name()}</th>
                <th scope="col">{tr.subkind_label()}</th>
                <th scope="col">{tr.code()}</th>
                <th scope="col">{tr.parent()}</th>
            </tr></thead>
            <tbody>
                {page.rows.into_iter().map(|e| {
                    let code = e.soato.clone().or(e.tin.clone()).unwrap_or(e.code.clone());
                    view! {
                        <tr class:retired=e.valid_to.is_some()>
                            <td><A href=format!("/registry/{}", e.id)>{e.names.get(locale).to_owned()}</A></td>
                            <td>{tr.subkind(&e.subkind)}</td>
                            <td class="mono">{code}</td>
                            <td>{e.parent.map(|p| p.names.get(locale).to_owned())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <nav class="pager" aria-label="pages">
            {prev.map(|h| view! { <A href=h attr:rel="prev">{tr.previous_page()}</A> })}
            <span>{page.page + 1}" / "{pages}</span>
            {next.map(|h| view! { <A href=h attr:rel="next">{tr.next_page()}</A> })}
        </nav>
    }
    .into_any()
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One entity: its codes, names in four languages, parent and what it
/// contains; admins can edit and retire it and see its history.
#[component]
pub fn EntityPage() -> impl IntoView {
    let tr = use_tr();
    let id = id_param();
    let entity = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_entity(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || entity.get().map(|r| match r {
                Ok(Some((e, children))) => view! { <EntityDetail e children/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn EntityDetail(e: EntitySummary, children: Vec<EntitySummary>) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let name = e.names.get(locale).to_owned();
    let is_admin = move || signed_in().is_some_and(|u| u.has(Role::Admin));
    let id = e.id.0;
    let retire = ServerAction::<api::RetireEntity>::new();
    let retire_error = Signal::derive(move || match retire.value().get() {
        Some(Err(e)) => Some(error_text(&e)),
        _ => None,
    });
    let rows: Vec<(&'static str, Option<String>)> = vec![
        (tr.kind(), Some(kind_name(tr, e.kind).to_owned())),
        (tr.subkind_label(), Some(tr.subkind(&e.subkind))),
        (tr.soato(), e.soato.clone()),
        (tr.iso_code(), e.iso_code.clone()),
        (tr.tin(), e.tin.clone()),
        (tr.name_uz_latn(), Some(e.names.uz_latn.clone())),
        (tr.name_uz_cyrl(), Some(e.names.uz_cyrl.clone())),
        (tr.name_ru(), Some(e.names.ru.clone())),
        (tr.name_en(), Some(e.names.en.clone())),
        (tr.valid_from(), Some(locale.format_date(&e.valid_from))),
        (
            tr.valid_to(),
            e.valid_to.as_deref().map(|d| locale.format_date(d)),
        ),
    ];
    view! {
        <Title text=name.clone()/>
        <p class="breadcrumb"><A href="/registry">{tr.nav_registry()}</A> " / " {kind_name(tr, e.kind)}</p>
        <h1>{name}{e.valid_to.is_some().then(|| view! { " " <span class="badge">{tr.retired()}</span> })}</h1>
        {(e.rated && e.kind != EntityKind::Region).then(|| view! {
            <p class="downloads">
                <a rel="external" download href=format!("/downloads/entities/{id}/report-card.xlsx?lang={}", locale.tag())>{tr.report_card()}</a>
            </p>
            <RatingProfile id/>
        })}
        {(e.kind == EntityKind::Region).then(|| view! {
            <p class="downloads">
                <a rel="external" download href=format!("/downloads/regions/{id}/pack.xlsx?lang={}", locale.tag())>{tr.region_pack()}</a>
            </p>
            <RegionRating id/>
        })}
        <dl class="facts">
            {rows.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> })).collect_view()}
            {e.parent.clone().map(|p| view! {
                <dt>{tr.parent()}</dt>
                <dd><A href=format!("/registry/{}", p.id)>{p.names.get(locale).to_owned()}</A></dd>
            })}
            {e.website.clone().map(|w| view! {
                <dt>{tr.website()}</dt><dd><a href=w.clone() rel="noopener noreferrer">{w.clone()}</a></dd>
            })}
        </dl>
        {(!children.is_empty()).then(|| view! {
            <h2>{tr.children()}</h2>
            <ul class="columns">
                {children.into_iter().map(|c| view! {
                    <li><A href=format!("/registry/{}", c.id)>{c.names.get(locale).to_owned()}</A></li>
                }).collect_view()}
            </ul>
        })}
        <Show when=is_admin>
            <section class="card admin-only">
                <p><A href=format!("/registry/{id}/edit") attr:class="button">{tr.edit_entity()}</A></p>
                <h2>{tr.retire_entity()}</h2>
                <ErrorNote error=retire_error/>
                <ActionForm action=retire attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <label for="retire-date">{tr.valid_to()}</label>
                    <input id="retire-date" name="valid_to" type="date" required/>
                    <label for="retire-reason">{tr.reason()}</label>
                    <input id="retire-reason" name="reason" required/>
                    <button type="submit">{tr.retire_entity()}</button>
                </ActionForm>
                <EntityHistory id/>
            </section>
        </Show>
    }
}

#[component]
fn EntityHistory(id: i32) -> impl IntoView {
    let tr = use_tr();
    let log = Resource::new(
        move || id,
        |id| api::list_audit(Some("entity".into()), Some(id.to_string()), 0),
    );
    view! {
        <h2>{tr.history()}</h2>
        <Suspense fallback=|| ()>
            {move || log.get().and_then(Result::ok).map(|p| view! { <AuditTable rows=p.rows/> })}
        </Suspense>
    }
}

fn kind_options(tr: Tr, selected: Option<EntityKind>) -> impl IntoView {
    EntityKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=selected == Some(*k)>{kind_name(tr, *k)}</option> })
        .collect_view()
}

/// Add or edit a registry entity (admin).
#[component]
pub fn EntityEdit() -> impl IntoView {
    let tr = use_tr();
    let id = id_param();
    let existing = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => api::get_entity(id).await.map(|(e, _)| Some(e)),
                None => Ok(None),
            }
        },
    );
    let user = use_user();
    view! {
        <Title text=tr.edit_entity()/>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || {
                let u = user.get().and_then(Result::ok).flatten();
                if !u.as_ref().is_some_and(|u| u.has(Role::Admin)) {
                    return Some(view! { <Denied signed_in=u.is_some()/> }.into_any());
                }
                existing.get().map(|r| match r {
                    Ok(e) => view! { <EntityFormView existing=e/> }.into_any(),
                    Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn EntityFormView(existing: Option<EntitySummary>) -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<api::CreateEntity>::new();
    let update = ServerAction::<api::UpdateEntity>::new();
    let error = Signal::derive(move || {
        let err = |v: Option<Result<i32, AppError>>| match v {
            Some(Err(e)) => Some(error_text(&e)),
            _ => None,
        };
        err(create.value().get()).or_else(|| err(update.value().get()))
    });
    let e = existing.clone().unwrap_or_else(|| EntitySummary {
        id: domain::EntityId(0),
        kind: EntityKind::StateBody,
        subkind: String::new(),
        code: String::new(),
        soato: None,
        tin: None,
        iso_code: None,
        names: Default::default(),
        parent: None,
        abbreviation: None,
        website: None,
        rated: true,
        valid_from: String::new(),
        valid_to: None,
    });
    let field = |name: &'static str, label: &'static str, value: String, required: bool| {
        let id = format!("f-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=format!("form[{name}]") value=value required=required/>
        }
    };
    let fields = view! {
        <label for="f-kind">{tr.kind()}</label>
        <select id="f-kind" name="form[kind]">{kind_options(tr, Some(e.kind))}</select>
        {field("subkind", tr.subkind_label(), e.subkind.clone(), true)}
        {field("code", tr.code(), e.code.clone(), true)}
        {field("tin", tr.tin(), e.tin.clone().unwrap_or_default(), false)}
        {field("name_uz_latn", tr.name_uz_latn(), e.names.uz_latn.clone(), true)}
        {field("name_uz_cyrl", tr.name_uz_cyrl(), e.names.uz_cyrl.clone(), false)}
        {field("name_ru", tr.name_ru(), e.names.ru.clone(), false)}
        {field("name_en", tr.name_en(), e.names.en.clone(), false)}
        {field("parent_code", tr.parent_code(), e.parent.as_ref().map(|p| p.code.clone()).unwrap_or_default(), false)}
        {field("website", tr.website(), e.website.clone().unwrap_or_default(), false)}
        <label for="f-valid_from">{tr.valid_from()}</label>
        <input id="f-valid_from" name="form[valid_from]" type="date" value=e.valid_from.clone() required/>
        <label for="f-valid_to">{tr.valid_to()}</label>
        <input id="f-valid_to" name="form[valid_to]" type="date" value=e.valid_to.clone().unwrap_or_default()/>
        <label for="f-reason">{tr.reason()}</label>
        <input id="f-reason" name="form[reason]"/>
        <button type="submit" class="primary">{tr.save()}</button>
    };
    view! {
        <h1>{if existing.is_some() { tr.edit_entity() } else { tr.add_entity() }}</h1>
        <ErrorNote error/>
        {match existing {
            Some(x) => view! {
                <ActionForm action=update attr:class="stack">
                    <input type="hidden" name="id" value=x.id.0/>
                    {fields}
                </ActionForm>
            }.into_any(),
            None => view! { <ActionForm action=create attr:class="stack">{fields}</ActionForm> }.into_any(),
        }}
    }
}

/// An entity's public rating: trend with band areas, rank history, domains
/// against the league, and what to improve first. The chart is SVG drawn on
/// the server, readable without JavaScript and printable.
#[component]
fn RatingProfile(id: i32) -> impl IntoView {
    let tr = use_tr();
    let profile = Resource::new(move || id, api::entity_profile);
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || profile.get().map(|r| match r {
                Ok(Some(p)) => view! { <ProfileView p/> }.into_any(),
                Ok(None) => view! { <p class="muted">{tr.not_rated_yet()}</p> }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProfileView(p: domain::EntityProfile) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let num = score_text(locale);
    let band_name = band_namer(&p.bands, locale);
    let chart = index_trend(
        &p,
        |pt| {
            format!(
                "{}: {} ({}), {} {} ({}–{}) / {}",
                pt.period,
                num(pt.index),
                band_name(pt.band.as_deref().unwrap_or("")),
                tr.rank(),
                pt.rank,
                pt.rank_p05,
                pt.rank_p95,
                pt.league_size
            )
        },
        tr.rating_history(),
    );
    let domain_rows = p
        .domains
        .iter()
        .map(|(d, score, avg)| {
            let w = |v: Option<f64>, max: f64| {
                format!("width: {:.1}%", 100.0 * v.unwrap_or(0.0) / max.max(1e-9))
            };
            let max = p
                .domains
                .iter()
                .flat_map(|(_, a, b)| [a.unwrap_or(0.0), b.unwrap_or(0.0)])
                .fold(1e-9, f64::max);
            view! {
                <tr>
                    <th scope="row">{d.names.get(locale).to_owned()}</th>
                    <td style="width: 45%">
                        <span class="bar" style=w(*score, max) title=tr.score_label()></span><br/>
                        <span class="bar peer" style=w(*avg, max) title=tr.league_average()></span>
                    </td>
                    <td class="num">{num(*score)}<br/><span class="muted">{num(*avg)}</span></td>
                </tr>
            }
        })
        .collect_view();
    let improve_rows = improve_items(&p.improve_first, tr);
    let latest = p.history.last().cloned();
    let history_rows = p.history.iter().rev().map(|pt| view! {
                        <tr>
                            <td>{pt.period.clone()}</td>
                            <td class="num">{num(pt.index)}</td>
                            <td><span class=format!("pill band-{}", pt.band.clone().unwrap_or_default())>{band_name(pt.band.as_deref().unwrap_or(""))}</span></td>
                            <td class="num">{format!("{} / {}", pt.rank, pt.league_size)}</td>
                            <td class="num">{format!("{}–{}", pt.rank_p05, pt.rank_p95)}</td>
                            <td>{pt.methodology.clone()}</td>
                        </tr>
                    }).collect_view();
    view! {
        <section class="profile" aria-labelledby="profile-h">
            <h2 id="profile-h">{tr.rating_history()}</h2>
            {latest.map(|l| view! {
                <p class="lead">
                    <strong>{num(l.index)}</strong>" "
                    <span class=format!("pill band-{}", l.band.clone().unwrap_or_default())>{band_name(l.band.as_deref().unwrap_or(""))}</span>
                    " · "{tr.rank()}" "{l.rank}" / "{l.league_size}" · "{tr.rank_interval()}" "{format!("{}–{}", l.rank_p05, l.rank_p95)}
                </p>
            })}
            {chart}
            <table class="data">
                <thead><tr>
                    <th scope="col">{tr.period_label()}</th>
                    <th scope="col" class="num">{tr.index()}</th>
                    <th scope="col">{tr.band()}</th>
                    <th scope="col" class="num">{tr.rank()}</th>
                    <th scope="col">{tr.rank_interval()}</th>
                    <th scope="col">{tr.methodology()}</th>
                </tr></thead>
                <tbody>
                    {history_rows}
                </tbody>
            </table>
            <div class="profile-grid">
                <div>
                    <h3>{tr.score_label()}" · "{tr.league_average()}</h3>
                    <table class="data">
                        <tbody>
                            {domain_rows}
                        </tbody>
                    </table>
                </div>
                <div>
                    <h3>{tr.improve_first()}</h3>
                    <ol>
                        {improve_rows}
                    </ol>
                </div>
            </div>
        </section>
    }
}

#[component]
fn RegionRating(id: i32) -> impl IntoView {
    let tr = use_tr();
    let profile = Resource::new(move || id, api::region_profile);
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || profile.get().map(|r| match r {
                Ok(Some(p)) => view! { <RegionView p/> }.into_any(),
                Ok(None) => view! { <p class="muted">{tr.not_rated_yet()}</p> }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// A region's districts in the newest public round (ranked, with their
/// league rank and interval), the region's average and spread against the
/// league, band counts, domain means, and the trend over rounds.
#[component]
fn RegionView(p: domain::RegionProfile) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let num = score_text(locale);
    let band_name = band_namer(&p.bands, locale);
    let periods: Vec<String> = p.history.iter().map(|h| h.period.clone()).collect();
    let comparable: Vec<bool> = p
        .history
        .iter()
        .map(|h| h.comparable_with_previous)
        .collect();
    let title = |h: &domain::RegionPoint, v: Option<f64>, what: &str| {
        format!(
            "{} · {what}: {} ({}–{}, n = {})",
            h.period,
            num(v),
            num(h.min),
            num(h.max),
            h.rated
        )
    };
    let series = vec![
        Series {
            class: "own",
            points: p.history.iter().map(|h| h.average).collect(),
            titles: p
                .history
                .iter()
                .map(|h| title(h, h.average, tr.region_average()))
                .collect(),
        },
        Series {
            class: "national",
            points: p.history.iter().map(|h| h.national_average).collect(),
            titles: p
                .history
                .iter()
                .map(|h| title(h, h.national_average, tr.league_average()))
                .collect(),
        },
    ];
    let whiskers = p.history.iter().map(|h| h.min.zip(h.max)).collect();
    let lo = p.districts.iter().filter_map(|r| r.index).reduce(f64::min);
    let hi = p.districts.iter().filter_map(|r| r.index).reduce(f64::max);
    let league_size = p.league_size;
    let rows = p.districts.iter().enumerate().map(|(k, r)| {
        let band = r.band.clone().unwrap_or_default();
        let name = r.entity.names.get(locale).to_owned();
        view! {
            <tr data-entity=r.entity.id.0>
                <td class="num">{k + 1}</td>
                <td><A href=format!("/registry/{}", r.entity.id.0)>{name}</A></td>
                <td class="num">{num(r.index)}</td>
                <td><span class=format!("pill band-{band}")>{band_name(&band)}</span></td>
                <td class="num">{if r.rank > 0 { format!("{} / {league_size}", r.rank) } else { "—".into() }}</td>
                <td class="num">{format!("{}–{}", r.rank_p05, r.rank_p95)}</td>
                <td class="num">{r.change.map(|c| format!("{}{}", if c > 0.0 { "+" } else { "" }, locale.format_number(c, 1))).unwrap_or_default()}</td>
            </tr>
        }
    }).collect_view();
    let domain_rows = p.domains.iter().map(|(d, own, all)| view! {
        <tr><th scope="row">{d.names.get(locale).to_owned()}</th><td class="num">{num(*own)}</td><td class="num">{num(*all)}</td></tr>
    }).collect_view();
    let distribution = p.distribution.iter().map(|(b, n)| view! {
        <li><span class=format!("pill band-{}", b.code)>{b.names.get(locale).to_owned()}</span>" "{*n}</li>
    }).collect_view();
    view! {
        <section class="region-rating" aria-labelledby="region-h" data-districts=p.districts.len()>
            <h2 id="region-h">{tr.region_rating()}" · "{p.period.clone()}</h2>
            <dl class="facts">
                <dt>{tr.region_average()}</dt><dd class="big" data-average=p.average.map(|a| format!("{a:.3}"))>{num(p.average)}</dd>
                <dt>{tr.league_average()}</dt><dd>{num(p.national_average)}</dd>
                <dt>{tr.region_spread()}</dt><dd>{num(p.spread)}</dd>
                <dt>{tr.region_range()}</dt><dd>{format!("{} – {}", num(lo), num(hi))}</dd>
            </dl>
            <ul class="distribution-pills">{distribution}</ul>
            <TrendChart periods comparable bands=p.bands.clone() scale=p.scale_max series whiskers label=tr.region_trend().to_owned()/>
            <p class="muted trend-legend"><span class="key own" aria-hidden="true">"━━ "</span>{tr.region_average()}" · "<span class="key national" aria-hidden="true">"╌╌ "</span>{tr.league_average()}" · "<span class="key own" aria-hidden="true">"│ "</span>{tr.region_range()}</p>
            <table class="data region-districts">
                <thead><tr>
                    <th scope="col" class="num">{tr.rank_in_region()}</th>
                    <th scope="col">{tr.entity()}</th>
                    <th scope="col" class="num">{tr.index()}</th>
                    <th scope="col">{tr.band()}</th>
                    <th scope="col" class="num">{tr.rank_in_league()}</th>
                    <th scope="col">{tr.rank_interval()}</th>
                    <th scope="col" class="num">{tr.change()}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <table class="data">
                <thead><tr><th scope="col"></th><th scope="col" class="num">{tr.region_average()}</th><th scope="col" class="num">{tr.league_average()}</th></tr></thead>
                <tbody>{domain_rows}</tbody>
            </table>
        </section>
    }
}
