//! A league's rows and its nominations (the best per domain), shared by
//! the public league table and a campaign's draft results.

use crate::{api, components::band_title, i18n::use_tr};
use domain::EntityKind;
use leptos::prelude::*;
use leptos_router::components::A;

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
