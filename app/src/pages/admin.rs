//! Administration: users and their roles, and the audit log.

use crate::{
    api,
    components::{AuditTable, Denied, ErrorNote, error_text, role_name},
    i18n::use_tr,
};
use domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

/// The kinds of object the audit log can be filtered by, with the word a
/// reader knows them by.
const AUDITED: [(&str, domain::Noun); 8] = [
    ("entity", domain::Noun::Entity),
    ("user", domain::Noun::User),
    ("participant", domain::Noun::Submission),
    ("campaign", domain::Noun::Campaign),
    ("appeal", domain::Noun::Appeal),
    ("rating_snapshot", domain::Noun::RatingSnapshot),
    ("methodology_version", domain::Noun::MethodologyVersion),
    ("api_token", domain::Noun::Token),
];

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
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
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
                {AUDITED.into_iter().map(|(t, noun)| view! { <option value=t selected=move || args().0.as_deref() == Some(t)>{noun.name(tr.locale())}</option> }).collect_view()}
            </select>
            <button type="submit">{tr.filter()}</button>
        </Form>
        <p><a class="download" href=move || format!("/files/audit.csv?type={}", args().0.unwrap_or_default()) download>{tr.download_csv()}</a></p>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || log.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
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
