//! The list of appeals against provisional results, shared by a
//! campaign's results panel and a submission's provisional panel.

use crate::{
    api,
    i18n::{Tr, use_tr},
};
use domain::{AppealItem, AppealStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// The translated name of an appeal's state.
fn appeal_status_name(tr: Tr, s: AppealStatus) -> &'static str {
    match s {
        AppealStatus::Pending => tr.ap_pending(),
        AppealStatus::Upheld => tr.ap_upheld(),
        AppealStatus::Rejected => tr.ap_rejected(),
    }
}

/// Appeals with their state and outcome; with `resolve`, a reviewer's
/// decision form beside each pending one.
#[component]
pub fn AppealList(
    appeals: Vec<AppealItem>,
    resolve: Option<ServerAction<api::ResolveAppeal>>,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    if appeals.is_empty() {
        return view! { <p class="muted">{tr.no_appeals()}</p> }.into_any();
    }
    view! {
        <table class="data appeals">
            <thead><tr>
                <th scope="col">{tr.entity()}</th>
                <th scope="col">{tr.appeal_indicator()}</th>
                <th scope="col">{tr.appeal_body()}</th>
                <th scope="col">{tr.current_value()}" → "{tr.proposed_value()}</th>
                <th scope="col">{tr.filed()}</th>
                <th scope="col">{tr.status()}</th>
            </tr></thead>
            <tbody>
                {appeals.into_iter().map(|a| {
                    let pending = a.status == AppealStatus::Pending;
                    view! {
                        <tr data-appeal=a.id data-status=a.status.as_str()>
                            <td><A href=format!("/submissions/{}", a.participant)>{a.entity.names.get(locale).to_owned()}</A></td>
                            <td>{match a.indicator.clone() {
                                Some((code, names)) => view! { <span class="mono">{code}</span><div class="small">{names.get(locale).to_owned()}</div> }.into_any(),
                                None => view! { <span class="muted">{tr.whole_result()}</span> }.into_any(),
                            }}</td>
                            <td>{a.body.clone()}
                                {a.evidence_url.clone().map(|u| view! { <div><a href=u.clone() rel="noopener noreferrer nofollow" target="_blank">{tr.evidence_link()}</a></div> })}</td>
                            // Once decided, the value that counts may be the
                            // proposed one: show the claim alone.
                            <td class="mono">{match a.status {
                                domain::AppealStatus::Pending => format!("{} → {}", a.current.clone().unwrap_or_else(|| "—".into()), a.proposed.clone().unwrap_or_else(|| "—".into())),
                                _ => format!("→ {}", a.proposed.clone().unwrap_or_else(|| "—".into())),
                            }}</td>
                            <td>{a.filed_by.clone()}<div class="small muted">{locale.format_date(&a.filed_at)}</div></td>
                            <td>
                                <span class=format!("pill ap-{}", a.status.as_str())>{appeal_status_name(tr, a.status)}</span>
                                {a.outcome.clone().map(|o| view! { <div class="outcome">{o}</div> })}
                                {a.resolved.clone().map(|(by, at)| view! { <div class="small muted">{by}", "{locale.format_date(&at)}</div> })}
                                {resolve.filter(|_| pending).map(|action| view! {
                                    <ActionForm action attr:class="stack resolve-form">
                                        <input type="hidden" name="id" value=a.id/>
                                        <label>{tr.decide()}
                                            <select name="decision[status]">
                                                <option value="upheld">{tr.ap_upheld()}</option>
                                                <option value="rejected">{tr.ap_rejected()}</option>
                                            </select>
                                        </label>
                                        <label>{tr.outcome()}<input name="decision[outcome]" required/></label>
                                        {a.indicator.is_some().then(|| view! {
                                            <label>{tr.corrected_value()}<input name="decision[value]" value=a.proposed.clone().unwrap_or_default()/></label>
                                        })}
                                        <button type="submit" class="primary">{tr.decide()}</button>
                                    </ActionForm>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
