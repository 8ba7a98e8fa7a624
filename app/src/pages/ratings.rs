//! The public league tables: a league's published round (its rounds,
//! revisions, downloads, nominations and rows) and, for districts, the map
//! of the regions.

use crate::{
    api,
    components::{band_title, kind_name},
    i18n::use_tr,
    league::{LeagueRows, NominationList},
};
use domain::EntityKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_params_map, use_query_map},
};

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
