//! The what-if sandbox: the published league re-scored in the browser as
//! domain weights and band thresholds move, and the form with which a
//! methodologist saves the setting as a proposal.

use crate::{
    api,
    components::{ErrorNote, band_title, error_text, kind_name},
    i18n::use_tr,
    session::signed_in,
};
use domain::{EntityKind, Locale, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};
use methodology::model::Aggregation;

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
    let tr = use_tr();
    let locale = tr.locale();
    let p = b.league.payload.clone();
    let aggregation = Aggregation::from_name(&b.aggregation).unwrap_or(Aggregation::WeightedMean);
    let cap = b.cap;
    let weights: Vec<RwSignal<f64>> = b.weights.iter().map(|w| RwSignal::new(*w)).collect();
    // Thresholds of every band but the lowest (which starts at 0).
    let thresholds: Vec<RwSignal<f64>> =
        p.bands.iter().map(|band| RwSignal::new(band.min)).collect();
    let scored = rescored(
        aggregation,
        cap,
        p.rows.clone(),
        p.bands.clone(),
        weights.clone(),
        thresholds.clone(),
    );
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
    let weight_sliders = weight_sliders(locale, &p.domains, &weights, &b.weights);
    let threshold_sliders = threshold_sliders(locale, &p.bands, &thresholds, scale);
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
            <ProposeForm snapshot_id weights=weights.clone() thresholds=thresholds.clone()/>
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

/// A row re-scored: its new rank (0 without an index), its position in the
/// published league, its index and its band's code.
type Rescored = (u32, usize, Option<f64>, Option<String>);

/// The league re-scored in the browser as the sliders move: (new rank,
/// row, index, band code) for each row, ranked first in rank order.
fn rescored(
    aggregation: Aggregation,
    cap: Option<f64>,
    rows: Vec<domain::SnapshotRow>,
    bands: Vec<domain::BandDef>,
    weights: Vec<RwSignal<f64>>,
    thresholds: Vec<RwSignal<f64>>,
) -> Memo<Vec<Rescored>> {
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
        let mut out: Vec<Rescored> = scored
            .into_iter()
            .enumerate()
            .map(|(k, r)| (r.rank, k, r.index, r.band.map(|b| bands[b].code.clone())))
            .collect();
        out.sort_by_key(|(rank, k, _, _)| (*rank == 0, *rank, *k));
        out
    })
}

/// A slider per domain weight, from 0 to three times its published value.
fn weight_sliders(
    locale: Locale,
    domains: &[domain::DomainDef],
    weights: &[RwSignal<f64>],
    published: &[f64],
) -> impl IntoView + use<> {
    domains.iter().zip(weights.iter().copied()).zip(published.iter().copied()).enumerate().map(|(k, ((d, w), base))| {
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
    }).collect_view()
}

/// A slider per band threshold but the lowest band's (which starts at 0).
fn threshold_sliders(
    locale: Locale,
    bands: &[domain::BandDef],
    thresholds: &[RwSignal<f64>],
    scale: f64,
) -> impl IntoView + use<> {
    bands.iter().zip(thresholds.iter().copied()).enumerate().filter(|(_, (band, _))| band.min > 0.0).map(|(k, (band, t))| {
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
    }).collect_view()
}

/// Saves the sandbox's weights and thresholds as a proposal (shown to
/// methodologists).
#[component]
pub fn ProposeForm(
    snapshot_id: i32,
    weights: Vec<RwSignal<f64>>,
    thresholds: Vec<RwSignal<f64>>,
) -> impl IntoView {
    let tr = use_tr();
    let propose = ServerAction::<api::ProposeMethodology>::new();
    let version = RwSignal::new(String::new());
    let valid_from = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = Signal::derive(move || {
        propose
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| error_text(&e))
    });
    let saved = move || propose.value().get().and_then(Result::ok);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        propose.dispatch(api::ProposeMethodology {
            draft: domain::ProposalDraft {
                snapshot_id,
                weights: weights.iter().map(|s| s.get_untracked()).collect(),
                thresholds: thresholds.iter().map(|s| s.get_untracked()).collect(),
                version: version.get_untracked(),
                valid_from: valid_from.get_untracked(),
                note: note.get_untracked(),
            },
        });
    };
    view! {
        <section class="card propose">
            <h2>{tr.propose_heading()}</h2>
            <p class="muted">{tr.propose_note()}</p>
            <ErrorNote error/>
            {move || saved().map(|id| view! {
                <p class="alert ok" role="status">{tr.proposal_saved()}" "<A href=format!("/proposals/{id}")>{format!("#{id}")}</A></p>
            })}
            <form class="stack propose-form" on:submit=submit>
                <div class="grid2">
                    <label>{tr.new_version_label()}
                        <input name="version" required pattern="[A-Za-z0-9._\\-]+" maxlength="40"
                            prop:value=move || version.get() on:input=move |ev| version.set(event_target_value(&ev))/>
                    </label>
                    <label>{tr.valid_from()}
                        <input name="valid_from" type="date" required
                            prop:value=move || valid_from.get() on:input=move |ev| valid_from.set(event_target_value(&ev))/>
                    </label>
                </div>
                <label>{tr.proposal_why()}
                    <textarea name="note" rows="3" required maxlength="4000"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="primary" disabled=move || propose.pending().get()>{tr.save_proposal()}</button>
            </form>
        </section>
    }
}
