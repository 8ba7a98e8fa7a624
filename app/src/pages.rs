//! The pages, one component per route.

use crate::{
    api,
    components::{Denied, ErrorNote, band_title, error_text, kind_name, role_name},
    i18n::{Tr, use_tr},
    use_user,
};
use domain::{CurrentUser, EntityKind, EntitySummary, RegistryQuery, Role, SubmissionStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::{use_params_map, use_query_map},
};

/// The signed-in user once loaded (`None` for the public).
fn signed_in() -> Option<CurrentUser> {
    use_user().get().and_then(Result::ok).flatten()
}

/// The home page: the public overview, and for a signed-in user what their
/// roles ask of them next.
#[component]
pub fn Home() -> impl IntoView {
    let tr = use_tr();
    let counts = Resource::new(|| (), |_| api::registry_counts());
    let ratings = Resource::new(|| (), |_| api::latest_ratings());
    view! {
        <Title text=tr.nav_home()/>
        <section class="hero">
            <h1>{tr.home_public_title()}</h1>
            <p>{tr.home_public_intro()}</p>
        </section>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || signed_in().map(|u| view! { <NextSteps user=u/> })}
            <section class="cards" aria-label=tr.nav_registry()>
                {move || counts.get().and_then(Result::ok).map(|counts| counts.into_iter().map(|(kind, n)| view! {
                    <A href=format!("/registry?kind={kind}") attr:class="card stat">
                        <span class="stat-number">{n}</span>
                        <span class="stat-label">{kind_name(tr, kind)}</span>
                    </A>
                }).collect_view())}
            </section>
            <section class="card">
                <h2>{tr.latest_rating()}</h2>
                {move || ratings.get().and_then(Result::ok).map(|leagues| {
                    if leagues.is_empty() {
                        view! { <p>{tr.no_rating_yet()}</p> }.into_any()
                    } else {
                        leagues.into_iter().map(|l| view! { <Distribution league=l/> }).collect_view().into_any()
                    }
                })}
            </section>
        </Suspense>
    }
}

#[component]
fn NextSteps(user: CurrentUser) -> impl IntoView {
    let tr = use_tr();
    let mut roles: Vec<Role> = user.grants.iter().map(|g| g.role).collect();
    roles.sort();
    roles.dedup();
    let next = |r: Role| match r {
        Role::Admin => tr.home_admin_next(),
        Role::Methodologist => tr.home_methodologist_next(),
        Role::Reviewer => tr.home_reviewer_next(),
        Role::Publisher => tr.home_publisher_next(),
        Role::Cdo => tr.home_cdo_next(),
        Role::District => tr.home_district_next(),
        Role::Viewer => tr.home_viewer_next(),
    };
    let own: Vec<domain::EntityRef> = user.own_entities().cloned().collect();
    let officer = !own.is_empty();
    // A region's officer reviews its districts first in two-level rounds.
    let region_reviewer = own.iter().any(|e| e.kind == EntityKind::Region);
    let ministry = user.is_ministry() || user.has(Role::Viewer);
    let role_list = roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <section class="card next-steps" data-roles=role_list>
            <h2>{tr.home_next_title()}</h2>
            <p class="greeting">{user.display_name.clone()}</p>
            <ul>
                {roles.iter().map(|r| view! {
                    <li><strong>{role_name(tr, *r)}</strong>": " {next(*r)}</li>
                }).collect_view()}
            </ul>
            {own.clone().into_iter().map(|e| view! {
                <p>{tr.your_entity()}": " <A href=format!("/registry/{}", e.id)>{e.names.get(tr.locale()).to_owned()}</A></p>
            }).collect_view()}
            {officer.then(|| view! { <MyWork/> })}
            {region_reviewer.then(|| view! { <RegionReviews/> })}
            {own.into_iter().map(|e| view! { <OwnRating id=e.id.0/> }).collect_view()}
            {ministry.then(|| view! { <MinistryPulse/> })}
        </section>
    }
}

/// What a region's officer does for its districts: the rounds under way
/// (each with the region's page and Excel template), and how much of the
/// districts' work waits for its review.
#[component]
fn RegionReviews() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let waiting = Resource::new(|| (), |_| api::review_queue(domain::QueueFilter::default()));
    let rounds = Resource::new(|| (), |_| api::my_region_rounds());
    view! {
        <Suspense fallback=|| ()>
            {move || rounds.get().and_then(Result::ok).filter(|r| !r.is_empty()).map(|list| view! {
                <h3>{tr.region_rounds()}</h3>
                <ul class="region-rounds">
                    {list.into_iter().map(|(c, r)| view! {
                        <li><A href=format!("/campaigns/{}/regions/{}", c.id.0, r.id.0)>{format!("{} · {}", c.names.get(locale), r.names.get(locale))}</A></li>
                    }).collect_view()}
                </ul>
            })}
            {move || waiting.get().and_then(Result::ok).map(|list| view! {
                <p class="region-reviews" data-waiting=list.len()>
                    <A href="/review">{format!("{}: {}", tr.region_to_review(), list.len())}</A>
                </p>
            })}
        </Suspense>
    }
}

/// An officer's open submissions and unread reminders.
#[component]
fn MyWork() -> impl IntoView {
    let tr = use_tr();
    let work = Resource::new(|| (), |_| api::my_work());
    view! {
        <Suspense fallback=|| ()>
            {move || work.get().and_then(Result::ok).map(|w| view! {
                <div class="my-work">
                    <h3>{tr.due_now()}</h3>
                    {if w.due.is_empty() {
                        view! { <p class="muted">{tr.nothing_due()}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="due">
                                {w.due.into_iter().map(|(c, pid, status, deadline)| {
                                    let results = c.status.takes_appeals();
                                    view! {
                                        <li><A href=format!("/submissions/{pid}")>{c.names.get(tr.locale()).to_owned()}</A>
                                            " · " {if results { tr.provisional_result() } else { crate::campaigns::submission_status_name(tr, status) }}
                                            " · " {if results { tr.appeal_window() } else { tr.deadline() }} " " <strong>{deadline}</strong></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(!w.inbox.is_empty()).then(|| view! {
                        <h3>{tr.reminders()}</h3>
                        <ul class="inbox">
                            {w.inbox.into_iter().take(5).map(|(subject, body, at)| view! {
                                <li><strong>{subject}</strong>" · "<span class="muted">{at.chars().take(10).collect::<String>()}</span><br/>{body}</li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            })}
        </Suspense>
    }
}

/// An officer's entity in the newest public rating: index, band, rank and
/// interval, the trend, and the first things to improve.
#[component]
fn OwnRating(id: i32) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let profile = Resource::new(move || id, api::entity_profile);
    view! {
        <Suspense fallback=|| ()>
            {move || profile.get().and_then(Result::ok).flatten().map(|p| {
                let latest = p.history.last().cloned();
                let num = score_text(locale);
                let band_of = band_namer(&p.bands, locale);
                let chart = index_trend(
                    &p,
                    |h| format!("{}: {}", h.period, h.index.map(|v| locale.format_number(v, 1)).unwrap_or_default()),
                    tr.rating_history(),
                );
                view! {
                    <div class="own-rating" data-entity=id>
                        <h3>{tr.own_rating_title()}</h3>
                        {latest.map(|l| {
                            let band = l.band.clone().unwrap_or_default();
                            view! {
                                <p class="lead">
                                    {l.period.clone()}": "<strong>{num(l.index)}</strong>" "
                                    <span class=format!("pill band-{band}")>{band_of(&band)}</span>
                                    " · "{tr.rank()}" "{l.rank}" / "{l.league_size}" ("{format!("{}–{}", l.rank_p05, l.rank_p95)}")"
                                </p>
                            }
                        })}
                        {chart}
                        <h4>{tr.improve_first()}</h4>
                        <ol class="gaps">
                            {improve_items(&p.improve_first[..p.improve_first.len().min(5)], tr)}
                        </ol>
                        <p><A href=format!("/registry/{id}")>{tr.full_profile()}</A></p>
                    </div>
                }
            })}
        </Suspense>
    }
}

/// The ministry's first look: campaigns in progress with their progress,
/// work awaiting review, late submissions and undecided appeals; and the
/// biggest movers of each league's newest public rating.
#[component]
fn MinistryPulse() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let pulse = Resource::new(|| (), |_| api::campaign_pulse());
    let ratings = Resource::new(|| (), |_| api::latest_ratings());
    view! {
        <Suspense fallback=|| ()>
            {move || pulse.get().and_then(Result::ok).map(|list| view! {
                <div class="pulse">
                    <h3>{tr.pulse_title()}</h3>
                    {if list.is_empty() {
                        view! { <p class="muted">{tr.no_active_campaigns()}</p> }.into_any()
                    } else {
                        view! {
                            <table class="data pulse-table">
                                <thead><tr>
                                    <th scope="col">{tr.campaign()}</th>
                                    <th scope="col">{tr.status()}</th>
                                    <th scope="col">{tr.progress()}</th>
                                    <th scope="col" class="num">{tr.awaiting_review()}</th>
                                    <th scope="col" class="num">{tr.overdue()}</th>
                                    <th scope="col" class="num">{tr.appeals_pending()}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|p| {
                                        let c = p.campaign;
                                        let n = c.participants();
                                        // Sent in: submitted, endorsed by a region, or approved.
                                        let done = domain::count_where(&c.counts, |s| !s.editable());
                                        let name = c.names.get(locale).to_owned();
                                        view! {
                                            <tr data-campaign=c.code.clone()>
                                                <td><A href=format!("/campaigns/{}", c.id.0)>{name}</A></td>
                                                <td><span class=format!("pill cs-{}", c.status.as_str())>{crate::campaigns::campaign_status_name(tr, c.status)}</span></td>
                                                <td>
                                                    <div class="meter small" role="progressbar" aria-valuemin="0" aria-valuemax=n aria-valuenow=done aria-label=tr.progress()>
                                                        <span style=format!("width:{:.1}%", f64::from(done) * 100.0 / f64::from(n.max(1)))></span>
                                                    </div>
                                                    <span class="muted small">{format!("{done} / {n}")}</span>
                                                </td>
                                                <td class="num">{domain::count_where(&c.counts, |s| matches!(s, SubmissionStatus::Submitted | SubmissionStatus::Endorsed))}</td>
                                                <td class="num" class:warn={p.overdue > 0}>{p.overdue}</td>
                                                <td class="num" class:warn={p.appeals_pending > 0} data-appeals=p.appeals_pending>{p.appeals_pending}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                </div>
            })}
            {move || ratings.get().and_then(Result::ok).map(|leagues| view! {
                <div class="movers">
                    <h3>{tr.movers_title()}</h3>
                    {leagues.into_iter().map(|l| {
                        let line = |(names, c): &(domain::Names, f64)| format!("{} ({}{})", names.get(locale), if *c > 0.0 { "+" } else { "" }, locale.format_number(*c, 1));
                        let up: Vec<String> = l.risers.iter().map(line).collect();
                        let down: Vec<String> = l.fallers.iter().map(line).collect();
                        view! {
                            <p data-kind=l.kind.as_str()><strong>{kind_name(tr, l.kind)}" · "{l.period.clone()}</strong><br/>
                                {tr.risers()}": "{up.join(", ")}<br/>
                                {tr.fallers()}": "{down.join(", ")}</p>
                        }
                    }).collect_view()}
                </div>
            })}
        </Suspense>
    }
}

/// The sign-in form. Works without JavaScript.
#[component]
pub fn SignIn() -> impl IntoView {
    let tr = use_tr();
    let action = expect_context::<crate::AuthActions>().sign_in;
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(error_text(&e)),
        _ => None,
    });
    view! {
        <Title text=tr.sign_in()/>
        <section class="card narrow">
            <h1>{tr.sign_in_title()}</h1>
            <p class="muted">{tr.sign_in_help()}</p>
            <ErrorNote error/>
            <ActionForm action=action attr:class="stack">
                <input type="hidden" name="next" prop:value=next/>
                <label for="email">{tr.email()}</label>
                <input id="email" name="email" type="email" required autocomplete="username"/>
                <label for="password">{tr.password()}</label>
                <input id="password" name="password" type="password" required autocomplete="current-password"/>
                <button type="submit" class="primary">{tr.sign_in()}</button>
            </ActionForm>
        </section>
    }
}

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

pub(crate) fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
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
        let err = |v: Option<Result<i32, ServerFnError>>| match v {
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

/// User administration: create users, grant and revoke roles, reset
/// passwords, enable and disable accounts (admin).
#[component]
pub fn Users() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<api::CreateUser>::new();
    let grant = ServerAction::<api::GrantRole>::new();
    let revoke = ServerAction::<api::RevokeGrant>::new();
    let reset = ServerAction::<api::ResetPassword>::new();
    let active = ServerAction::<api::SetUserActive>::new();
    let users = Resource::new(
        move || {
            (
                create.version().get(),
                grant.version().get(),
                revoke.version().get(),
                reset.version().get(),
                active.version().get(),
            )
        },
        |_| api::list_users(),
    );
    let error = Signal::derive(move || {
        [
            create.value().get().and_then(Result::err),
            grant.value().get().and_then(Result::err),
            revoke.value().get().and_then(Result::err),
            reset.value().get().and_then(Result::err),
            active.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| error_text(&e))
    });
    view! {
        <Title text=tr.users_title()/>
        <h1>{tr.users_title()}</h1>
        <ErrorNote error/>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!error_text(&e).contains("sign-in")/> }.into_any(),
                Ok(list) => view! {
                    <details class="card">
                        <summary>{tr.create_user()}</summary>
                        <ActionForm action=create attr:class="stack">
                            <label for="u-email">{tr.email()}</label>
                            <input id="u-email" name="email" type="email" required/>
                            <label for="u-name">{tr.display_name()}</label>
                            <input id="u-name" name="display_name" required/>
                            <label for="u-pw">{tr.initial_password()}</label>
                            <input id="u-pw" name="password" type="password" required minlength="10" aria-describedby="pw-rules"/>
                            <p id="pw-rules" class="muted">{tr.password_rules()}</p>
                            <button type="submit" class="primary">{tr.create_user()}</button>
                        </ActionForm>
                    </details>
                    <table class="data users">
                        <thead><tr>
                            <th scope="col">{tr.display_name()}</th>
                            <th scope="col">{tr.email()}</th>
                            <th scope="col">{tr.role_label()}</th>
                            <th scope="col">{tr.actions()}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|u| {
                                let uid = u.id.0;
                                view! {
                                    <tr class:inactive=!u.active>
                                        <td>{u.display_name.clone()}</td>
                                        <td>{u.email.clone()}</td>
                                        <td>
                                            <ul class="grants">
                                                {u.grants.iter().map(|g| {
                                                    let gid = g.id;
                                                    view! {
                                                        <li>
                                                            {role_name(tr, g.role)}
                                                            {g.entity.as_ref().map(|e| format!(" — {}", e.names.get(tr.locale())))}
                                                            <ActionForm action=revoke attr:class="inline">
                                                                <input type="hidden" name="grant_id" value=gid/>
                                                                <button type="submit" class="small">{tr.revoke()}</button>
                                                            </ActionForm>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </td>
                                        <td class="user-actions">
                                            <ActionForm action=grant attr:class="inline-form">
                                                <input type="hidden" name="user_id" value=uid/>
                                                <label for=format!("g-role-{uid}")>{tr.grant_role()}</label>
                                                <select id=format!("g-role-{uid}") name="role">
                                                    {Role::ALL.iter().map(|r| view! { <option value=r.as_str()>{role_name(tr, *r)}</option> }).collect_view()}
                                                </select>
                                                <label for=format!("g-ent-{uid}")>{tr.entity()}</label>
                                                <input id=format!("g-ent-{uid}") name="entity_code" placeholder=tr.entity_code_hint()/>
                                                <button type="submit" class="small">{tr.grant_role()}</button>
                                            </ActionForm>
                                            <ActionForm action=reset attr:class="inline-form">
                                                <input type="hidden" name="user_id" value=uid/>
                                                <label for=format!("r-pw-{uid}")>{tr.new_password()}</label>
                                                <input id=format!("r-pw-{uid}") name="password" type="password" minlength="10" required/>
                                                <button type="submit" class="small">{tr.reset_password()}</button>
                                            </ActionForm>
                                            <ActionForm action=active attr:class="inline">
                                                <input type="hidden" name="user_id" value=uid/>
                                                <input type="hidden" name="active" value=(!u.active).to_string()/>
                                                <button type="submit" class="small">{if u.active { tr.disable() } else { tr.enable() }}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AuditTable(rows: Vec<domain::AuditEntry>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <table class="data audit">
            <thead><tr>
                <th scope="col">{tr.when()}</th>
                <th scope="col">{tr.who()}</th>
                <th scope="col">{tr.action()}</th>
                <th scope="col">{tr.object()}</th>
                <th scope="col">{tr.change()}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td class="mono">{r.at.get(..19).unwrap_or(&r.at).replace('T', " ")}</td>
                        <td>{r.actor}</td>
                        <td class="mono">{r.action}</td>
                        <td class="mono">{format!("{} {}", r.object_type, r.object_id)}</td>
                        <td class="diff">
                            {r.reason.map(|x| view! { <p><strong>{tr.reason()}": "</strong>{x}</p> })}
                            {r.before.map(|b| view! { <details><summary>"before"</summary><pre>{b}</pre></details> })}
                            {r.after.map(|a| view! { <details><summary>"after"</summary><pre>{a}</pre></details> })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The audit log with a filter by object type (admin).
#[component]
pub fn Audit() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get("type").filter(|t| !t.is_empty()),
            q.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(0),
        )
    };
    let log = Resource::new(args, |(t, page)| api::list_audit(t, None, page));
    view! {
        <Title text=tr.audit_title()/>
        <h1>{tr.audit_title()}</h1>
        <Form method="GET" action="" attr:class="search-bar">
            <label for="type">{tr.object()}</label>
            <select id="type" name="type">
                <option value="">"—"</option>
                {["entity", "user", "participant", "campaign", "appeal", "rating_snapshot", "methodology_version", "api_token"].into_iter().map(|t| view! { <option value=t selected=move || args().0.as_deref() == Some(t)>{t}</option> }).collect_view()}
            </select>
            <button type="submit">{tr.filter()}</button>
        </Form>
        <p><a class="download" href=move || format!("/files/audit.csv?type={}", args().0.unwrap_or_default()) download>{tr.download_csv()}</a></p>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || log.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!error_text(&e).contains("sign-in")/> }.into_any(),
                Ok(p) => {
                    let pages = p.total.div_ceil(p.per_page.max(1));
                    let t = args().0.unwrap_or_default();
                    let page = p.page;
                    view! {
                        <p class="muted">{tr.results_count()}": " {p.total}</p>
                        <AuditTable rows=p.rows/>
                        <nav class="pager" aria-label="pages">
                            {(page > 0).then(|| view! { <A href=format!("/admin/audit?type={t}&page={}", page - 1)>{tr.previous_page()}</A> })}
                            <span>{page + 1}" / "{pages.max(1)}</span>
                            {(page + 1 < pages).then(|| view! { <A href=format!("/admin/audit?type={t}&page={}", page + 1)>{tr.next_page()}</A> })}
                        </nav>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The signed-in user's account: roles and password change.
#[component]
pub fn Account() -> impl IntoView {
    let tr = use_tr();
    let change = ServerAction::<api::ChangePassword>::new();
    let error = Signal::derive(move || {
        change
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| error_text(&e))
    });
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text=tr.nav_account()/>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || match signed_in() {
                None => view! { <Denied signed_in=false/> }.into_any(),
                Some(u) => view! {
                    <h1>{u.display_name.clone()}</h1>
                    <p class="muted">{u.email.clone()}</p>
                    <ul>
                        {u.grants.iter().map(|g| view! {
                            <li>{role_name(tr, g.role)}{g.entity.as_ref().map(|e| format!(" — {}", e.names.get(tr.locale())))}</li>
                        }).collect_view()}
                    </ul>
                    <section class="card narrow">
                        <h2>{tr.change_password()}</h2>
                        <ErrorNote error/>
                        <Show when=done><p class="alert ok" role="status">{tr.saved()}</p></Show>
                        <ActionForm action=change attr:class="stack">
                            <label for="pw-cur">{tr.current_password()}</label>
                            <input id="pw-cur" name="current" type="password" required autocomplete="current-password"/>
                            <label for="pw-new">{tr.new_password()}</label>
                            <input id="pw-new" name="new" type="password" required minlength="10" autocomplete="new-password" aria-describedby="pw-rules"/>
                            <p id="pw-rules" class="muted">{tr.password_rules()}</p>
                            <button type="submit" class="primary">{tr.change_password()}</button>
                        </ActionForm>
                    </section>
                }.into_any(),
            }}
        </Suspense>
    }
}

/// The 404 page; on the server it also sets the status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    let tr = use_tr();
    view! {
        <Title text=tr.not_found_title()/>
        <section class="card">
            <h1>{tr.not_found_title()}</h1>
            <p>{tr.not_found_text()}</p>
            <p><A href="/">{tr.nav_home()}</A></p>
        </section>
    }
}

/// One league's distribution of marks: a sentence in the press-release
/// shape and a stacked bar drawn as SVG on the server.
#[component]
fn Distribution(league: domain::LeagueBrief) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let p = &league;
    let dist = &p.distribution;
    let total: u32 = dist.iter().map(|(_, n)| n).sum();
    let band_name =
        |code: &str| band_title(&p.bands, code, locale).unwrap_or_else(|| code.to_owned());
    let sentence = dist
        .iter()
        .map(|(code, n)| {
            format!(
                "{} {}",
                domain::count_and_share(locale, *n, total),
                band_name(code).to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut x = 0.0;
    let segments = dist
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(code, n)| {
            let w = f64::from(*n) * 100.0 / f64::from(total.max(1));
            let seg = view! {
                <rect x=format!("{x:.3}") y="0" width=format!("{w:.3}") height="10" class=format!("band-{code}")>
                    <title>{format!("{}: {}", band_name(code), domain::count_and_share(locale, *n, total))}</title>
                </rect>
            };
            x += w;
            seg
        })
        .collect_view();
    let kind = p.kind;
    view! {
        <div class="distribution">
            <h3>
                <A href=format!("/ratings/{kind}")>{kind_name(tr, kind)}</A>
                <span class="muted">" · " {p.campaign_names.get(locale).to_owned()} " · " {total} " " {tr.assessed()}</span>
            </h3>
            <p>{sentence}</p>
            <svg class="stacked-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=tr.distribution()>
                {segments}
            </svg>
        </div>
    }
}

/// The latest published league table of one kind (public).
#[component]
pub fn Ratings() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let params = use_params_map();
    let query = use_query_map();
    let kind = Memo::new(move |_| {
        params
            .read()
            .get("kind")
            .and_then(|k| EntityKind::parse(&k).ok())
    });
    let campaign = Memo::new(move |_| query.read().get("campaign"));
    let revision = Memo::new(move |_| {
        query
            .read()
            .get("revision")
            .and_then(|r| r.parse::<i32>().ok())
    });
    let league = Resource::new(
        move || (kind.get(), campaign.get(), revision.get()),
        |(kind, campaign, revision)| async move {
            match kind {
                Some(kind) => api::league(kind, campaign, revision).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || {
                let kind = kind.get()?;
                Some(match league.get()?.ok()? {
                    Some((l, rounds)) => {
                        let current = l.payload.campaign.clone();
                        view! {
                            <nav class="rounds" aria-label=tr.rounds()>
                                {tr.rounds()}": "
                                {rounds.into_iter().map(|r| {
                                    let here = r.campaign == current;
                                    view! {
                                        <A href=format!("/ratings/{kind}?campaign={}", r.campaign) attr:aria-current=here.then_some("page")>
                                            {r.names.get(locale).to_owned()}
                                        </A>" "
                                    }
                                }).collect_view()}
                            </nav>
                            {(kind == EntityKind::District).then(|| view! { <RegionMapSection campaign=current.clone() revision=l.revision/> })}
                            <LeagueTable league=l/>
                        }.into_any()
                    }
                    None => view! {
                        <h1>{kind_name(tr, kind)}</h1>
                        <p>{tr.no_rating_yet()}</p>
                    }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn LeagueTable(league: domain::PublishedLeague) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let p = league.payload;
    view! {
        <Title text=format!("{} · {}", kind_name(tr, p.kind), p.campaign_names.get(locale))/>
        <h1>{kind_name(tr, p.kind)}" — "{p.campaign_names.get(locale).to_owned()}</h1>
        <p class="muted">
            {match league.changelog.last().filter(|first| first.revision != league.revision) {
                Some(first) => format!("{} {} · {} {}", tr.published_on(), locale.format_date(&first.published_at), tr.revised_on(), locale.format_date(&league.published_at)),
                None => format!("{} {}", tr.published_on(), locale.format_date(&league.published_at)),
            }}
            " · " {tr.revision()} " " {league.revision}
            " · " {tr.methodology()} " " {format!("{} v{}", p.methodology, p.methodology_version)}
        </p>
        {league.changelog.iter().find(|n| n.revision == league.revision && n.status == "retracted").map(|_| view! {
            <p class="alert error" role="status">{tr.retracted_note()}</p>
        })}
        {league.changelog.iter().find(|n| n.revision == league.revision).and_then(|n| n.reconstructed_at.clone()).map(|at| view! {
            <p class="alert reconstructed" role="status">{tr.reconstructed_note()}" "{locale.format_date(&at.chars().take(10).collect::<String>())}"."</p>
        })}
        {league.changelog.first().filter(|newest| newest.revision != league.revision).map(|newest| view! {
            <p class="alert" role="status">
                {tr.older_revision_note()}" "
                <A href=format!("/ratings/{}?campaign={}", p.kind, p.campaign)>{format!("{} {}", tr.revision(), newest.revision)}</A>
            </p>
        })}
        {(league.changelog.len() > 1 || league.changelog.iter().any(|n| !n.corrections.is_empty())).then(|| view! {
            <details class="changelog">
                <summary>{tr.changelog_public()}</summary>
                <ol reversed>
                    {league.changelog.iter().map(|n| view! {
                        <li data-revision=n.revision>
                            <A href=format!("/ratings/{}?campaign={}&revision={}", p.kind, p.campaign, n.revision)>{format!("{} {}", tr.revision(), n.revision)}</A>
                            " · " {locale.format_date(&n.published_at)} " · " {n.text.clone()}
                            {(n.status == "retracted").then(|| format!(" ({})", tr.retracted()))}
                            {(!n.corrections.is_empty()).then(|| view! {
                                <details class="revision-corrections">
                                    <summary>{format!("{} ({})", tr.corrected_values(), n.corrections.len())}</summary>
                                    <crate::components::CorrectionTable corrections=n.corrections.clone()/>
                                </details>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            </details>
        })}
        <p class="downloads">
            {tr.downloads()}": "
            <crate::components::WorkbookLink href=format!("/downloads/ratings/{}/workbook.xlsx?lang={}&revision={}", p.campaign, locale.tag(), league.revision) label=tr.excel_workbook()/>
            " · "
            <a rel="external" href=format!("/open-data/ratings/{}/r{}.csv", p.campaign, league.revision)>"CSV"</a>
            " · "
            <a rel="external" href=format!("/open-data/ratings/{}/r{}.json", p.campaign, league.revision)>"JSON"</a>
        </p>
        <p><A href=format!("/ratings/{}/what-if", p.kind)>{tr.what_if()}</A></p>
        {(!p.nominations.is_empty()).then(|| view! {
            <section class="public-nominations">
                <h2>{tr.nominations()}</h2>
                <NominationList nominations=p.nominations.clone() domains=p.domains.clone() edit=None/>
            </section>
        })}
        <LeagueRows payload=p/>
    }
}

/// The rows of a league: rank, entity, region, index, band, domain scores
/// and rank interval. Shared by the public pages and the campaign's draft
/// results.
#[component]
pub fn LeagueRows(payload: domain::SnapshotPayload) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let p = payload;
    let bands = p.bands.clone();
    let band_name =
        move |code: &str| band_title(&bands, code, locale).unwrap_or_else(|| code.to_owned());
    let show_region = p.kind == EntityKind::District;
    let num = move |v: Option<f64>| {
        v.map(|v| locale.format_number(v, 1))
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <table class="data league">
            <thead><tr>
                <th scope="col">{tr.rank()}</th>
                <th scope="col">{tr.name()}</th>
                {show_region.then(|| view! { <th scope="col">{tr.region()}</th> })}
                <th scope="col" class="num">{tr.index()}</th>
                <th scope="col">{tr.band()}</th>
                {p.domains.iter().map(|d| view! { <th scope="col" class="num">{d.names.get(locale).to_owned()}</th> }).collect_view()}
                <th scope="col">{tr.rank_interval()}</th>
            </tr></thead>
            <tbody>
                {p.rows.into_iter().map(|r| {
                    let band = r.band.clone().unwrap_or_default();
                    let rated = r.rank > 0;
                    view! {
                        <tr class:unrated=!rated>
                            <td class="num">{if rated { r.rank.to_string() } else { "—".into() }}</td>
                            <td><A href=format!("/registry/{}", r.entity.id)>{r.entity.names.get(locale).to_owned()}</A></td>
                            {show_region.then(|| view! { <td>{r.region.map(|g| g.names.get(locale).to_owned())}</td> })}
                            <td class="num">{num(r.index)}</td>
                            <td>{if rated {
                                view! { <span class=format!("pill band-{band}")>{band_name(&band)}</span> }.into_any()
                            } else {
                                view! { <span class="muted">{tr.not_rated()}</span> }.into_any()
                            }}</td>
                            {r.domain_scores.into_iter().map(|d| view! { <td class="num">{num(d)}</td> }).collect_view()}
                            <td class="num">{(r.rank_p05 > 0).then(|| format!("{}–{}", r.rank_p05, r.rank_p95))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

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

/// A score as the pages print it: one decimal in the reader's locale, "—"
/// when absent.
fn score_text(locale: domain::Locale) -> impl Fn(Option<f64>) -> String + Copy {
    move |v| {
        v.map(|v| locale.format_number(v, 1))
            .unwrap_or_else(|| "—".into())
    }
}

/// A band's name in `locale` from its code (the code itself if unknown).
fn band_namer(
    bands: &[(domain::BandDef, f64)],
    locale: domain::Locale,
) -> impl Fn(&str) -> String + Clone {
    let bands = bands.to_vec();
    move |code| {
        band_title(bands.iter().map(|(b, _)| b), code, locale).unwrap_or_else(|| code.to_owned())
    }
}

/// An entity's index over its rounds as a [`TrendChart`], each point's
/// tooltip made by `title`.
fn index_trend(
    p: &domain::EntityProfile,
    title: impl Fn(&domain::ProfilePoint) -> String,
    label: &str,
) -> AnyView {
    let series = vec![Series {
        class: "own",
        points: p.history.iter().map(|pt| pt.index).collect(),
        titles: p.history.iter().map(title).collect(),
    }];
    let periods: Vec<String> = p.history.iter().map(|pt| pt.period.clone()).collect();
    let comparable: Vec<bool> = p
        .history
        .iter()
        .map(|pt| pt.comparable_with_previous)
        .collect();
    view! {
        <TrendChart periods comparable bands=p.bands.clone() scale=p.scale_max series whiskers=Vec::new() label=label.to_owned()/>
    }
    .into_any()
}

/// "What to improve first" as list items: code, question, points gained.
fn improve_items(items: &[(String, domain::Names, f64)], tr: Tr) -> impl IntoView + use<> {
    let locale = tr.locale();
    items.iter().map(|(code, names, gain)| view! {
        <li><code>{code.clone()}</code>" "{names.get(locale).to_owned()}" — +"{locale.format_number(*gain, 1)}" "{tr.points_gain()}</li>
    }).collect_view()
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

/// What the publisher edits nominations with: the campaign, the action and
/// the rated entities to choose from (id, name).
pub type NominationEdit = (i32, ServerAction<api::Nominate>, Vec<(i32, String)>);

/// The best per domain of a league; with `edit` (the campaign, the action,
/// the rated entities), the publisher chooses another nominee with a
/// reason, or goes back to the highest score.
#[component]
pub fn NominationList(
    nominations: Vec<domain::Nomination>,
    domains: Vec<domain::DomainDef>,
    edit: Option<NominationEdit>,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let rows = domains.into_iter().map(|d| {
        let n = nominations.iter().find(|n| n.domain == d.code).cloned();
        let winners = n.as_ref().map(|n| n.entities.iter().map(|e| e.names.get(locale).to_owned()).collect::<Vec<_>>().join(", ")).unwrap_or_else(|| "—".into());
        let score = n.as_ref().and_then(|n| n.score).map(|v| locale.format_number(v, 1)).unwrap_or_default();
        let chosen = n.as_ref().is_some_and(|n| n.chosen);
        let note = n.as_ref().and_then(|n| n.note.clone());
        let code = d.code.clone();
        let form = edit.clone().map(|(campaign, action, rated)| view! {
            <ActionForm action attr:class="inline-form nominate-form">
                <input type="hidden" name="campaign" value=campaign/>
                <input type="hidden" name="domain" value=code/>
                <select name="entity" aria-label=tr.nominee()>
                    <option value="">{tr.highest_score()}</option>
                    {rated.into_iter().map(|(eid, name)| view! { <option value=eid>{name}</option> }).collect_view()}
                </select>
                <input name="note" placeholder=tr.reason() aria-label=tr.reason()/>
                <button type="submit" class="small">{tr.save()}</button>
            </ActionForm>
        });
        view! {
            <tr data-domain=d.code.clone() data-chosen=chosen.to_string()>
                <th scope="row">{d.names.get(locale).to_owned()}</th>
                <td>{winners}{chosen.then(|| view! { " " <span class="pill rv-adjusted">{tr.chosen_by_publisher()}</span> })}
                    {note.map(|x| view! { <br/><span class="muted small">{x}</span> })}</td>
                <td class="num">{score}</td>
                {form.map(|f| view! { <td>{f}</td> })}
            </tr>
        }
    }).collect_view();
    view! {
        <table class="data nominations">
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The 14 first-level units coloured by the band of their districts'
/// average in the revision of the round shown, drawn on the server
/// (readable and printable without JavaScript); each links to its region
/// page.
#[component]
fn RegionMapSection(campaign: String, revision: i32) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let map = Resource::new(
        move || (campaign.clone(), revision),
        |(campaign, revision)| api::region_map(Some(campaign), Some(revision)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || map.get().and_then(Result::ok).flatten().map(|m| {
                let band_name = {
                    let bands = m.bands.clone();
                    move |code: &str| band_title(&bands, code, locale).unwrap_or_else(|| tr.not_rated().to_owned())
                };
                // Five equal steps between the lowest and the highest
                // average, light to dark: the bands alone would paint most
                // regions one colour, averages being close to the middle.
                const STEPS: [&str; 5] = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
                let averages: Vec<f64> = m.regions.iter().filter_map(|r| r.average).collect();
                let lo = averages.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = averages.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let width = ((hi - lo) / STEPS.len() as f64).max(1e-9);
                let step = move |a: f64| (((a - lo) / width) as usize).min(STEPS.len() - 1);
                let shapes = m.regions.iter().map(|r| {
                    let band = r.band.clone().unwrap_or_default();
                    let fill = r.average.map_or("#c4cad3", |a| STEPS[step(a)]);
                    let title = format!(
                        "{}: {} ({}, n = {})",
                        r.region.names.get(locale),
                        r.average.map(|a| locale.format_number(a, 1)).unwrap_or_else(|| "—".into()),
                        band_name(&band),
                        r.rated
                    );
                    let label = title.clone();
                    view! {
                        <a href=format!("/registry/{}", r.region.id.0) aria-label=label>
                            <path class="region" fill=fill d=r.path.clone() data-soato=r.region.code.clone() data-band=band><title>{title}</title></path>
                        </a>
                    }
                }).collect_view();
                let water = m.water.iter().map(|w| view! { <path class="water" d=w.clone()/> }).collect_view();
                let legend = (!averages.is_empty()).then(|| STEPS.iter().enumerate().map(|(k, colour)| {
                    let from = lo + width * k as f64;
                    view! {
                        <li><span class="swatch" style=format!("background:{colour}")></span>
                            {format!("{}–{}", locale.format_number(from, 1), locale.format_number(from + width, 1))}</li>
                    }
                }).collect_view());
                view! {
                    <figure class="region-map" data-regions=m.regions.len()>
                        <svg viewBox=m.view_box.clone() role="group" aria-label=format!("{} · {}", tr.region_map(), m.period)>
                            {water}
                            {shapes}
                        </svg>
                        <figcaption>
                            <strong>{tr.region_map()}" · "{m.period.clone()}</strong>
                            <ul class="map-legend">{legend}</ul>
                            <span class="muted small">{m.attribution.clone()}</span>
                        </figcaption>
                    </figure>
                }
            })}
        </Suspense>
    }
}

/// One line of a [`TrendChart`]: a value per period (gaps allowed) and
/// each point's tooltip.
pub struct Series {
    /// CSS class of the line (`own`, `national`).
    pub class: &'static str,
    /// The values, one per period.
    pub points: Vec<Option<f64>>,
    /// Each point's tooltip.
    pub titles: Vec<String>,
}

/// A trend over rounds as server-rendered SVG (readable without
/// JavaScript, printable): band areas behind, one polyline per series
/// between comparable neighbours, a dashed break where the methodology
/// changed without a crosswalk (and a note saying so), optional min–max
/// whiskers.
#[component]
pub fn TrendChart(
    periods: Vec<String>,
    comparable: Vec<bool>,
    bands: Vec<(domain::BandDef, f64)>,
    scale: f64,
    series: Vec<Series>,
    whiskers: Vec<Option<(f64, f64)>>,
    label: String,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    // Geometry: 600 × 220, plot from x 44 to 584, y 12 to 188.
    let (x0, x1, y0, y1) = (44.0, 584.0, 12.0, 188.0);
    let n = periods.len().max(1) as f64;
    let x = move |k: usize| {
        if n <= 1.0 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * k as f64 / (n - 1.0)
        }
    };
    let y = move |v: f64| y1 - (y1 - y0) * (v / scale).clamp(0.0, 1.0);
    let areas = bands.iter().map(|(b, max)| view! {
        <rect class=format!("band-area band-{}", b.code) x=x0 width=x1 - x0 y=format!("{:.1}", y(*max)) height=format!("{:.1}", y(b.min) - y(*max))/>
    }).collect_view();
    let breaks: Vec<f64> = (1..periods.len())
        .filter(|&k| !comparable.get(k).copied().unwrap_or(true))
        .map(|k| x(k) - (x(k) - x(k - 1)) / 2.0)
        .collect();
    let any_break = !breaks.is_empty();
    let break_marks = breaks
        .into_iter()
        .map(|bx| view! { <line class="break" x1=bx x2=bx y1=y0 y2=y1/> })
        .collect_view();
    let whisker_marks = whiskers
        .iter()
        .enumerate()
        .filter_map(|(k, w)| {
            let (lo, hi) = (*w)?;
            Some(view! { <line class="whisker" x1=format!("{:.1}", x(k)) x2=format!("{:.1}", x(k)) y1=format!("{:.1}", y(lo)) y2=format!("{:.1}", y(hi))/> })
        })
        .collect_view();
    let drawn = series
        .into_iter()
        .map(|s| {
            // Polylines between comparable neighbours.
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (k, v) in s.points.iter().enumerate() {
                if k > 0 && !comparable.get(k).copied().unwrap_or(true) {
                    segments.push(Vec::new());
                }
                if let Some(v) = v {
                    segments.last_mut().expect("one segment").push((x(k), y(*v)));
                }
            }
            let lines = segments
                .into_iter()
                .filter(|seg| seg.len() > 1)
                .map(|seg| {
                    let pts = seg
                        .iter()
                        .map(|(a, b)| format!("{a:.1},{b:.1}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    view! { <polyline points=pts/> }
                })
                .collect_view();
            let dots = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(k, v)| {
                    let v = (*v)?;
                    let title = s.titles.get(k).cloned().unwrap_or_default();
                    Some(view! { <circle cx=format!("{:.1}", x(k)) cy=format!("{:.1}", y(v)) r="4.5"><title>{title}</title></circle> })
                })
                .collect_view();
            view! { <g class=format!("series {}", s.class)>{lines}{dots}</g> }
        })
        .collect_view();
    let labels = periods
        .iter()
        .enumerate()
        .map(|(k, p)| {
            view! {
                <text x=format!("{:.1}", x(k)) y="206" text-anchor="middle">{p.clone()}</text>
            }
        })
        .collect_view();
    let ticks = [0.0, 0.5, 1.0].map(|f| view! {
        <text x="38" y=format!("{:.1}", y(f * scale) + 4.0) text-anchor="end">{locale.format_number(f * scale, if scale >= 10.0 { 0 } else { 2 })}</text>
    }).into_iter().collect_view();
    view! {
        <svg class="trend" viewBox="0 0 600 220" role="img" aria-label=label>
            {areas}
            <line class="axis" x1=x0 x2=x0 y1=y0 y2=y1/>
            <line class="axis" x1=x0 x2=x1 y1=y1 y2=y1/>
            {ticks}
            {break_marks}
            {whisker_marks}
            {drawn}
            {labels}
        </svg>
        {any_break.then(|| view! { <p class="muted">{tr.not_comparable_break()}</p> })}
    }
}

/// The what-if sandbox: domain weights and band thresholds as sliders; the
/// browser re-scores the published league with the methodology engine
/// (compiled to wasm) as they move. Nothing is stored.
#[component]
pub fn WhatIf() -> impl IntoView {
    let tr = use_tr();
    let params = use_params_map();
    let kind = Memo::new(move |_| {
        params
            .read()
            .get("kind")
            .and_then(|k| EntityKind::parse(&k).ok())
    });
    let base = Resource::new(
        move || kind.get(),
        |kind| async move {
            match kind {
                Some(kind) => api::what_if_base(kind).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || base.get().map(|r| match r {
                Ok(Some(b)) => view! { <Sandbox b/> }.into_any(),
                Ok(None) => view! { <p>{tr.no_rating_yet()}</p> }.into_any(),
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Sandbox(b: domain::WhatIfBase) -> impl IntoView {
    use methodology::model::Aggregation;
    let tr = use_tr();
    let locale = tr.locale();
    let p = b.league.payload.clone();
    let aggregation = Aggregation::from_name(&b.aggregation).unwrap_or(Aggregation::WeightedMean);
    let cap = b.cap;
    let weights: Vec<RwSignal<f64>> = b.weights.iter().map(|w| RwSignal::new(*w)).collect();
    // Thresholds of every band but the lowest (which starts at 0).
    let thresholds: Vec<RwSignal<f64>> =
        p.bands.iter().map(|band| RwSignal::new(band.min)).collect();
    let rows = p.rows.clone();
    let bands = p.bands.clone();
    let scored = {
        let weights = weights.clone();
        let thresholds = thresholds.clone();
        Memo::new(move |_| {
            let w: Vec<f64> = weights.iter().map(|s| s.get()).collect();
            let t: Vec<f64> = thresholds.iter().map(|s| s.get()).collect();
            let scored = methodology::whatif::rescore(
                aggregation,
                cap,
                rows.iter().map(|r| r.domain_scores.as_slice()),
                &w,
                &t,
            );
            let mut out: Vec<(u32, usize, Option<f64>, Option<String>)> = scored
                .into_iter()
                .enumerate()
                .map(|(k, r)| (r.rank, k, r.index, r.band.map(|b| bands[b].code.clone())))
                .collect();
            out.sort_by_key(|(rank, k, _, _)| (*rank == 0, *rank, *k));
            out
        })
    };
    let band_name = {
        let bands = p.bands.clone();
        move |code: &str| band_title(&bands, code, locale).unwrap_or_else(|| code.to_owned())
    };
    let base_weights = b.weights.clone();
    let base_thresholds: Vec<f64> = p.bands.iter().map(|band| band.min).collect();
    let reset = {
        let weights = weights.clone();
        let thresholds = thresholds.clone();
        move |_| {
            for (s, w) in weights.iter().zip(&base_weights) {
                s.set(*w);
            }
            for (s, t) in thresholds.iter().zip(&base_thresholds) {
                s.set(*t);
            }
        }
    };
    let scale = b.scale_max;
    let weight_sliders = p.domains.iter().zip(weights.iter().copied()).zip(b.weights.iter().copied()).enumerate().map(|(k, ((d, w), base))| {
        let id = format!("w-{k}");
        let max = (base * 3.0).max(1.0);
        view! {
            <div class="slider">
                <label for=id.clone()>{d.names.get(locale).to_owned()}</label>
                <input type="range" id=id min="0" max=max step=max / 60.0 prop:value=move || w.get()
                    on:input=move |ev| w.set(event_target_value(&ev).parse().unwrap_or(base))/>
                <output>{move || locale.format_number(w.get(), 2)}</output>
            </div>
        }
    }).collect_view();
    let threshold_sliders = p.bands.iter().zip(thresholds.iter().copied()).enumerate().filter(|(_, (band, _))| band.min > 0.0).map(|(k, (band, t))| {
        let id = format!("t-{k}");
        let fallback = band.min;
        view! {
            <div class="slider">
                <label for=id.clone()>{band.names.get(locale).to_owned()}" ≥"</label>
                <input type="range" id=id min="0" max=scale step=scale / 200.0 prop:value=move || t.get()
                    on:input=move |ev| t.set(event_target_value(&ev).parse().unwrap_or(fallback))/>
                <output>{move || locale.format_number(t.get(), 1)}</output>
            </div>
        }
    }).collect_view();
    let published = p.rows.clone();
    let snapshot_id = b.league.snapshot_id;
    view! {
        <Title text=format!("{} · {}", tr.what_if(), kind_name(tr, p.kind))/>
        <p class="breadcrumb"><A href=format!("/ratings/{}", p.kind)>{kind_name(tr, p.kind)}</A></p>
        <h1>{tr.what_if()}" — "{kind_name(tr, p.kind)}", "{p.campaign_names.get(locale).to_owned()}</h1>
        <p class="muted">{tr.what_if_note()}</p>
        <div class="profile-grid sandbox">
            <fieldset><legend>{tr.weights_heading()}</legend>{weight_sliders}</fieldset>
            <fieldset><legend>{tr.thresholds_heading()}</legend>{threshold_sliders}
                <button type="button" on:click=reset>{tr.reset()}</button>
            </fieldset>
        </div>
        {move || signed_in().is_some_and(|u| u.has(Role::Methodologist)).then(|| view! {
            <crate::proposals::ProposeForm snapshot_id weights=weights.clone() thresholds=thresholds.clone()/>
        })}
        <table class="data league what-if">
            <thead><tr>
                <th scope="col">{tr.new_rank()}</th>
                <th scope="col">{tr.published_rank()}</th>
                <th scope="col">{tr.name()}</th>
                <th scope="col" class="num">{tr.index()}</th>
                <th scope="col">{tr.band()}</th>
            </tr></thead>
            <tbody>
                {move || scored.get().into_iter().map(|(rank, k, index, band)| {
                    let r = &published[k];
                    let moved = i64::from(r.rank) - i64::from(rank);
                    let arrow = match moved.signum() { 1 => format!("▲{moved}"), -1 => format!("▼{}", -moved), _ => String::new() };
                    let band = band.unwrap_or_default();
                    view! {
                        <tr>
                            <td class="num">{rank}" "<span class="muted">{arrow}</span></td>
                            <td class="num">{r.rank}</td>
                            <td>{r.entity.names.get(locale).to_owned()}</td>
                            <td class="num">{index.map(|v| locale.format_number(v, 2)).unwrap_or_default()}</td>
                            <td><span class=format!("pill band-{band}")>{band_name(&band)}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
