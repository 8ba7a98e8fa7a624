//! Methodology proposals: the list of proposals, and one proposal with its
//! changes, its effect on the league it was tried on, its file, and the
//! methodologist's decision. (The form that saves the what-if sandbox's
//! setting as a proposal is on the what-if page.)

use crate::{
    api,
    components::{Denied, ErrorNote, NotFound, band_title, error_text, id_param, kind_name},
    i18n::{Tr, use_tr},
    session::use_user,
};
use domain::{BandDef, ProposalDetail, ProposalMover, ProposalSummary, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

fn status_name(tr: Tr, status: &str) -> &'static str {
    match status {
        "adopted" => tr.status_adopted(),
        "withdrawn" => tr.status_withdrawn(),
        _ => tr.status_proposed(),
    }
}

fn number(tr: Tr, x: f64) -> String {
    tr.locale()
        .format_number(x, if x.fract() == 0.0 { 0 } else { 2 })
}

/// Every proposal (ministry staff and viewers).
#[component]
pub fn Proposals() -> impl IntoView {
    let tr = use_tr();
    let list = Resource::new(|| (), |_| api::list_proposals());
    view! {
        <Title text=tr.proposals_title()/>
        <p class="breadcrumb"><A href="/methodologies">{tr.nav_methodologies()}</A></p>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
                Ok(rows) => view! {
                    <h1>{tr.proposals_title()}</h1>
                    {if rows.is_empty() {
                        view! { <p>{tr.no_proposals()}</p> }.into_any()
                    } else {
                        view! { <ProposalTable rows/> }.into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProposalTable(rows: Vec<ProposalSummary>) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    view! {
        <table class="data proposals">
            <thead><tr>
                <th scope="col">"#"</th>
                <th scope="col">{tr.methodology()}</th>
                <th scope="col">{tr.base_version()}</th>
                <th scope="col">{tr.version()}</th>
                <th scope="col">{tr.kind()}</th>
                <th scope="col">{tr.valid_from()}</th>
                <th scope="col">{tr.status()}</th>
                <th scope="col">{tr.proposed_by()}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|p| view! {
                    <tr>
                        <td class="num"><A href=format!("/proposals/{}", p.id)>{format!("#{}", p.id)}</A></td>
                        <td>{p.title.get(locale).to_owned()}</td>
                        <td><A href=format!("/methodologies/{}", p.base.id)>{format!("v{}", p.base.version)}</A></td>
                        <td><A href=format!("/proposals/{}", p.id)>{format!("v{}", p.version)}</A></td>
                        <td>{kind_name(tr, p.kind)}</td>
                        <td>{locale.format_date(&p.valid_from)}</td>
                        <td><span class=format!("pill status-{}", p.status)>{status_name(tr, &p.status)}</span></td>
                        <td>{p.author.clone().unwrap_or_default()}" · "{locale.format_date(&p.created_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// One proposal (ministry staff and viewers; methodologists decide).
#[component]
pub fn ProposalPage() -> impl IntoView {
    let tr = use_tr();
    let id = id_param();
    let decide = ServerAction::<api::DecideProposal>::new();
    let detail = Resource::new(
        move || (id.get(), decide.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => api::get_proposal(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let error = Signal::derive(move || {
        decide
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| error_text(&e))
    });
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || detail.get().map(|r| match r {
                Ok(Some(d)) => view! { <ProposalView d decide error/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProposalView(
    d: ProposalDetail,
    decide: ServerAction<api::DecideProposal>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let s = d.summary.clone();
    let title = format!("{} · v{}", s.title.get(locale), s.version);
    let methodologist = move || {
        use_user()
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.has(Role::Methodologist))
    };
    let pending = s.status == "proposed";
    let id = s.id;
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><A href="/proposals">{tr.proposals_title()}</A></p>
        <h1>{title}</h1>
        <dl class="facts">
            <dt>{tr.status()}</dt><dd><span class=format!("pill status-{}", s.status)>{status_name(tr, &s.status)}</span></dd>
            <dt>{tr.base_version()}</dt><dd><A href=format!("/methodologies/{}", s.base.id)>{format!("{}@{}", s.base.code, s.base.version)}</A></dd>
            <dt>{tr.kind()}</dt><dd>{kind_name(tr, s.kind)}</dd>
            <dt>{tr.valid_from()}</dt><dd>{locale.format_date(&s.valid_from)}</dd>
            <dt>{tr.proposed_by()}</dt><dd>{s.author.clone().unwrap_or_default()}" · "{locale.format_date(&s.created_at)}</dd>
            <dt>{tr.reason()}</dt><dd class="note">{d.note.clone()}</dd>
            {d.decision.clone().map(|(by, at, why)| view! {
                <dt>{tr.decision()}</dt><dd>{by}" · "{locale.format_date(&at)}" — "{why}</dd>
            })}
            {s.adopted_id.map(|v| view! {
                <dt>{tr.adopted_as()}</dt><dd><A href=format!("/methodologies/{v}")>{format!("{}@{}", s.code, s.version)}</A></dd>
            })}
        </dl>
        <div class="profile-grid">
            <section>
                <h2>{tr.weights_heading()}" ("{kind_name(tr, s.kind)}")"</h2>
                <table class="data settings">
                    <thead><tr><th scope="col">{tr.name()}</th><th scope="col" class="num">{tr.base_version()}</th><th scope="col" class="num">{format!("v{}", s.version)}</th></tr></thead>
                    <tbody>{setting_rows(tr, d.weights.clone())}</tbody>
                </table>
            </section>
            <section>
                <h2>{tr.thresholds_heading()}</h2>
                <table class="data settings">
                    <thead><tr><th scope="col">{tr.band()}</th><th scope="col" class="num">{tr.base_version()}</th><th scope="col" class="num">{format!("v{}", s.version)}</th></tr></thead>
                    <tbody>{setting_rows(tr, d.thresholds.clone())}</tbody>
                </table>
            </section>
        </div>
        <h2>{tr.changes_since()}</h2>
        <p>{if d.comparable { tr.comparable_yes() } else { tr.comparable_no() }}</p>
        <ul class="changes">{d.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
        <h2>{tr.effect_heading()}": "{d.campaign_names.get(locale).to_owned()}</h2>
        <dl class="facts">
            <dt>{tr.ranked_entities()}</dt><dd>{d.ranked}</dd>
            <dt>{tr.rank_changes()}</dt><dd>{d.rank_changes}</dd>
            <dt>{tr.band_changes()}</dt><dd>{d.band_changes}</dd>
        </dl>
        {(!d.movers.is_empty()).then(|| movers_table(tr, &d.movers, &d.bands))}
        <h2>{tr.proposed_file()}</h2>
        <p><a href=format!("/files/proposals/{id}/source.toml") download>{tr.download_toml()}</a>" · SHA-256 "<code>{d.sha256.clone()}</code></p>
        <details class="source"><summary>{format!("{}@{}.toml", s.code, s.version)}</summary><pre><code>{d.source.clone()}</code></pre></details>
        {move || (pending && methodologist()).then(|| decide_panel(tr, decide, error, id))}
    }
}

/// Each weight or threshold, before and as proposed ("=" when unchanged).
fn setting_rows(tr: Tr, rows: Vec<domain::SettingChange>) -> impl IntoView {
    let locale = tr.locale();
    rows.into_iter()
        .map(|c| {
            let changed = c.before != c.after;
            view! {
                <tr class:changed=changed>
                    <td><code>{c.code.clone()}</code>" "{c.names.get(locale).to_owned()}</td>
                    <td class="num">{number(tr, c.before)}</td>
                    <td class="num">{if changed { number(tr, c.after) } else { "=".into() }}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The entities the proposal moves: their rank before and after, and their
/// band.
fn movers_table(tr: Tr, movers: &[ProposalMover], bands: &[BandDef]) -> impl IntoView + use<> {
    let locale = tr.locale();
    let band_name = |code: &Option<String>| -> String {
        code.as_deref().map_or_else(
            || "—".into(),
            |c| band_title(bands, c, locale).unwrap_or_else(|| c.to_owned()),
        )
    };
    view! {
        <table class="data league movers">
            <thead><tr>
                <th scope="col">{tr.name()}</th>
                <th scope="col" class="num">{tr.published_rank()}</th>
                <th scope="col" class="num">{tr.new_rank()}</th>
                <th scope="col">{tr.band()}</th>
            </tr></thead>
            <tbody>
                {movers.iter().map(|m| {
                    let moved = i64::from(m.rank_before) - i64::from(m.rank_after);
                    let arrow = match moved.signum() { 1 => format!(" ▲{moved}"), -1 => format!(" ▼{}", -moved), _ => String::new() };
                    let after_class = format!("pill band-{}", m.band_after.clone().unwrap_or_default());
                    view! {
                        <tr>
                            <td>{m.entity.names.get(locale).to_owned()}</td>
                            <td class="num">{m.rank_before}</td>
                            <td class="num">{m.rank_after}<span class="muted">{arrow}</span></td>
                            <td>
                                {(m.band_before != m.band_after).then(|| format!("{} → ", band_name(&m.band_before)))}
                                <span class=after_class>{band_name(&m.band_after)}</span>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The methodologist's decision: adopt or withdraw, with a reason.
fn decide_panel(
    tr: Tr,
    decide: ServerAction<api::DecideProposal>,
    error: Signal<Option<String>>,
    id: i32,
) -> impl IntoView {
    view! {
        <section class="card decide">
            <h2>{tr.decision()}</h2>
            <ErrorNote error/>
            <ActionForm action=decide attr:class="stack decide-form">
                <input type="hidden" name="id" value=id/>
                <fieldset>
                    <legend>{tr.decision()}</legend>
                    <label><input type="radio" name="adopt" value="true" checked/>{tr.adopt()}</label>
                    <label><input type="radio" name="adopt" value="false"/>{tr.withdraw()}</label>
                </fieldset>
                <label>{tr.reason()}<textarea name="reason" rows="2" required></textarea></label>
                <button type="submit" class="primary">{tr.record_decision()}</button>
            </ActionForm>
        </section>
    }
}
