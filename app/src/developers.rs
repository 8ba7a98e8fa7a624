//! Pages for those who connect other systems: the integration tokens
//! ministry admins issue to feeds, and the browsable reference of the JSON
//! API, drawn from its OpenAPI document (so it cannot drift from it).

use crate::{
    api,
    components::{Denied, ErrorNote, error_text},
    i18n::use_tr,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/tokens`: issue, list and revoke integration tokens (admins).
#[component]
pub fn ApiTokens() -> impl IntoView {
    let tr = use_tr();
    let issue = ServerAction::<api::IssueApiToken>::new();
    let revoke = ServerAction::<api::RevokeApiToken>::new();
    let tokens = Resource::new(
        move || (issue.version().get(), revoke.version().get()),
        |_| api::list_api_tokens(),
    );
    let error = Signal::derive(move || {
        [
            issue.value().get().and_then(Result::err),
            revoke.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| error_text(&e))
    });
    let issued = move || issue.value().get().and_then(Result::ok);
    let loc = tr.locale();
    view! {
        <Title text=tr.nav_tokens()/>
        <h1>{tr.nav_tokens()}</h1>
        <p class="lead">{tr.tokens_intro()}" "<a href="/developers">{tr.api_title()}</a></p>
        <ErrorNote error/>
        {move || issued().map(|t| view! {
            <div class="card notice" role="status">
                <p><strong>{tr.token_secret_once()}</strong></p>
                <p><code class="secret" data-testid="token-secret">{t.secret}</code></p>
            </div>
        })}
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || tokens.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
                Ok(list) => view! {
                    <details class="card" open=list.is_empty()>
                        <summary>{tr.issue_token()}</summary>
                        <ActionForm action=issue attr:class="stack">
                            <label for="t-name">{tr.token_name()}</label>
                            <input id="t-name" name="name" required maxlength="120"/>
                            <label for="t-source">{tr.source_system()}</label>
                            <input id="t-source" name="source_system" required placeholder="my.gov.uz"/>
                            <label for="t-ind">{tr.token_indicators()}</label>
                            <textarea id="t-ind" name="indicators" rows="2" required aria-describedby="t-codes"></textarea>
                            <label for="t-ent">{tr.token_entities()}</label>
                            <textarea id="t-ent" name="entities" rows="2" required aria-describedby="t-codes"></textarea>
                            <p id="t-codes" class="muted">{tr.codes_hint()}</p>
                            <label for="t-exp">{tr.token_expires()}</label>
                            <input id="t-exp" name="expires_on" type="date" required/>
                            <label for="t-locks">{tr.token_locks()}</label>
                            <textarea id="t-locks" name="locked_indicators" rows="1" aria-describedby="t-locks-hint"></textarea>
                            <p id="t-locks-hint" class="muted">{tr.token_locks_hint()}</p>
                            <button type="submit" class="primary">{tr.issue_token()}</button>
                        </ActionForm>
                    </details>
                    <table class="data tokens">
                        <thead><tr>
                            <th scope="col">{tr.token_name()}</th>
                            <th scope="col">{tr.source_system()}</th>
                            <th scope="col">{tr.token_indicators()}</th>
                            <th scope="col">{tr.token_entities()}</th>
                            <th scope="col">{tr.token_expires()}</th>
                            <th scope="col">{tr.token_last_used()}</th>
                            <th scope="col">{tr.status()}</th>
                            <th scope="col">{tr.actions()}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|t| {
                                let id = t.id;
                                let status = if t.revoked_at.is_some() {
                                    tr.token_revoked()
                                } else if !t.active {
                                    tr.token_expired()
                                } else {
                                    tr.token_active()
                                };
                                let live = t.active;
                                view! {
                                    <tr class:inactive=!live>
                                        <td>{t.name.clone()}<br/><span class="muted">{t.created_by.clone()}</span></td>
                                        <td><code>{t.source_system.clone()}</code>
                                            </td>
                                        <td class="codes">{t.indicators.join(", ")}
                                            {(!t.locked_indicators.is_empty()).then(|| view! { <br/><span class="pill tag">{tr.token_locks_short()}": "{t.locked_indicators.join(", ")}</span> })}</td>
                                        <td class="codes">{t.entities.join(", ")}</td>
                                        <td>{loc.format_date(&t.last_day)}</td>
                                        <td>{t.last_used_at.as_deref().map_or_else(|| tr.never().to_owned(), |d| loc.format_date(d))}</td>
                                        <td>{status}</td>
                                        <td>
                                            {live.then(|| view! {
                                                <ActionForm action=revoke attr:class="inline">
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="small">{tr.revoke()}</button>
                                                </ActionForm>
                                            })}
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

/// `/developers`: the JSON API's reference, public.
#[component]
pub fn ApiReferencePage() -> impl IntoView {
    let tr = use_tr();
    let reference = Resource::new(|| (), |_| api::api_reference());
    view! {
        <Title text=tr.api_title()/>
        <h1>{tr.api_title()}</h1>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || reference.get().map(|r| match r {
                Err(e) => view! { <p class="error">{error_text(&e)}</p> }.into_any(),
                Ok(doc) => view! {
                    <p class="lead">{doc.title.clone()}" · v"{doc.version.clone()}</p>
                    <p lang="en">{doc.description.clone()}</p>
                    <p><a href="/api/openapi.json" rel="external">{tr.api_document()}</a></p>
                    {doc.tags.into_iter().map(|t| view! {
                        <section class="api-tag">
                            <h2>{t.name.clone()}</h2>
                            <p class="muted" lang="en">{t.description.clone()}</p>
                            {t.operations.into_iter().map(|op| view! {
                                <details class="card api-op">
                                    <summary>
                                        <span class=format!("method {}", op.method.to_lowercase())>{op.method.clone()}</span>
                                        " "<code>{op.path.clone()}</code>" "
                                        <span lang="en">{op.summary.clone()}</span>
                                        {op.secured.then(|| view! { " "<span class="pill tag">{tr.api_token_needed()}</span> })}
                                    </summary>
                                    <p lang="en">{op.description.clone()}</p>
                                    {(!op.params.is_empty()).then(|| view! {
                                        <h3>{tr.api_parameters()}</h3>
                                        <ul>
                                            {op.params.iter().map(|(name, at, required, what)| view! {
                                                <li><code>{name.clone()}</code>" ("{at.clone()}
                                                    {required.then(|| format!(", {}", tr.required_mark()))}") "<span lang="en">{what.clone()}</span></li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                    {op.body.clone().map(|b| view! {
                                        <h3>{tr.api_request_body()}</h3>
                                        <p><a href=format!("#schema-{}", b.trim_matches(['[', ']']))><code>{b.clone()}</code></a></p>
                                    })}
                                    <h3>{tr.api_responses()}</h3>
                                    <ul>
                                        {op.responses.iter().map(|(status, what, schema)| view! {
                                            <li><code>{status.clone()}</code>" "<span lang="en">{what.clone()}</span>
                                                {schema.clone().map(|s| view! { " → "<a href=format!("#schema-{}", s.trim_matches(['[', ']']))><code>{s.clone()}</code></a> })}</li>
                                        }).collect_view()}
                                    </ul>
                                </details>
                            }).collect_view()}
                        </section>
                    }).collect_view()}
                    <h2>{tr.api_schemas()}</h2>
                    {doc.schemas.into_iter().map(|(name, json)| view! {
                        <details class="card api-schema" id=format!("schema-{name}")>
                            <summary><code>{name.clone()}</code></summary>
                            <pre>{json}</pre>
                        </details>
                    }).collect_view()}
                }.into_any(),
            })}
        </Suspense>
    }
}
