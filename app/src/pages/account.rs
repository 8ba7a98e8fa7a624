//! Signing in, and the signed-in user's account: roles and password
//! change.

use crate::{
    api,
    components::{Denied, ErrorNote, error_text, role_name},
    i18n::use_tr,
    session::signed_in,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form. Works without JavaScript.
#[component]
pub fn SignIn() -> impl IntoView {
    let tr = use_tr();
    let action = expect_context::<crate::session::AuthActions>().sign_in;
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
