//! The home page: the public overview (registry counts, each league's
//! distribution of marks) and, for a signed-in user, what their roles ask
//! of them next (an officer's work and own rating, a region's reviews, the
//! ministry's pulse).

use crate::{
    api,
    components::{band_title, kind_name, role_name},
    i18n::use_tr,
    profile::{band_namer, improve_items, index_trend, score_text},
    session::signed_in,
};
use domain::{CurrentUser, EntityKind, Role, SubmissionStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

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
                                            " · " {if results { tr.provisional_result() } else { crate::components::submission_status_name(tr, status) }}
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
                                                <td><span class=format!("pill cs-{}", c.status.as_str())>{crate::components::campaign_status_name(tr, c.status)}</span></td>
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
