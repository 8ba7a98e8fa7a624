//! The app shell: header, navigation by role, language switcher, footer,
//! and small shared pieces: translated names (roles, leagues, campaign and
//! submission states), error notes, the 404 and "denied" pages, the `:id`
//! route parameter, the correction and audit tables, and the workbook
//! link.

use crate::{
    api,
    i18n::{Tr, use_tr},
    session::{AuthActions, use_user},
};
use domain::{CampaignStatus, CurrentUser, EntityKind, Locale, Role, SubmissionStatus};
use leptos::prelude::*;

use crate::error::AppError;
use leptos_meta::Title;
use leptos_router::{
    components::A,
    hooks::{use_location, use_params_map},
};

/// The page frame around every route.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let tr = use_tr();
    view! {
        <a class="skip" href="#main">{tr.skip_to_content()}</a>
        <header class="top">
            <div class="brand">
                <A href="/"><span class="logo" aria-hidden="true">"◆"</span>{tr.app_name()}</A>
                <span class="tagline">{tr.app_tagline()}</span>
            </div>
            <LanguageSwitcher/>
            <UserMenu/>
        </header>
        <Nav/>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="foot">
            <p>{tr.app_name()} " · " {tr.app_tagline()} " · " <a href="/developers">{tr.nav_developers()}</a></p>
        </footer>
    }
}

/// Links by role: everyone sees the public pages; ministry staff and
/// officers see their own.
#[component]
fn Nav() -> impl IntoView {
    let tr = use_tr();
    let user = use_user();
    view! {
        <nav class="main-nav" aria-label=tr.nav_main()>
            <ul>
                <li><A href="/" exact=true>{tr.nav_home()}</A></li>
                <li><A href="/registry">{tr.nav_registry()}</A></li>
                <li><A href="/methodologies">{tr.nav_methodologies()}</A></li>
                <Transition fallback=|| ()>
                    {move || user.get().and_then(Result::ok).flatten().map(|u| role_links(tr, &u))}
                </Transition>
            </ul>
        </nav>
    }
}

fn role_links(tr: Tr, u: &CurrentUser) -> impl IntoView + use<> {
    let admin = u.has(Role::Admin);
    let works_on_campaigns =
        u.is_ministry() || u.has(Role::Viewer) || u.own_entities().next().is_some();
    // A region's officer reviews its districts first in two-level rounds.
    let reviews = u.has(Role::Reviewer)
        || admin
        || u.own_entities()
            .any(|e| e.kind == domain::EntityKind::Region);
    view! {
        {works_on_campaigns.then(|| view! { <li><A href="/campaigns">{tr.campaigns_title()}</A></li> })}
        {reviews.then(|| view! { <li><A href="/review">{tr.review_queue()}</A></li> })}
        {admin.then(|| view! {
            <li><A href="/admin/users">{tr.nav_users()}</A></li>
            <li><A href="/admin/audit">{tr.nav_audit()}</A></li>
            <li><A href="/admin/tokens">{tr.nav_tokens()}</A></li>
        })}
        <li><A href="/account">{tr.nav_account()}</A></li>
    }
}

/// The language switcher: a plain form posted by the browser, so the page
/// reloads in the new language (with or without JavaScript); the choice is
/// kept in a cookie and on the account.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let tr = use_tr();
    let location = use_location();
    let back = move || {
        let q = location.search.get();
        if q.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{q}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action=api::SetLanguage::url() class="lang-switch" aria-label=tr.change_language()>
            <input type="hidden" name="back" prop:value=back/>
            <label for="lang-select" class="visually-hidden">{tr.language()}</label>
            <select id="lang-select" name="lang" aria-label=tr.language()>
                {Locale::ALL.iter().map(|l| view! {
                    <option value=l.tag() selected=*l == tr.locale() lang=l.tag()>{l.native_name()}</option>
                }).collect_view()}
            </select>
            <button type="submit">{tr.change_language()}</button>
        </form>
    }
}

/// The signed-in user's name and sign-out, or the sign-in link.
#[component]
fn UserMenu() -> impl IntoView {
    let tr = use_tr();
    let user = use_user();
    let sign_out = expect_context::<AuthActions>().sign_out;
    view! {
        <div class="user-menu">
            <Transition fallback=|| ()>
                {move || match user.get().and_then(Result::ok).flatten() {
                    Some(u) => view! {
                        <span class="who" title=tr.signed_in_as()>{u.display_name.clone()}</span>
                        <ActionForm action=sign_out>
                            <button type="submit">{tr.sign_out()}</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! { <A href="/sign-in" attr:class="button">{tr.sign_in()}</A> }.into_any(),
                }}
            </Transition>
        </div>
    }
}

/// The translated name of a role.
pub fn role_name(tr: Tr, role: Role) -> &'static str {
    role.name(tr.locale())
}

/// The translated name of a league.
pub fn kind_name(tr: Tr, kind: EntityKind) -> &'static str {
    kind.name(tr.locale())
}

/// The translated name of a campaign state.
pub fn campaign_status_name(tr: Tr, s: CampaignStatus) -> &'static str {
    s.name(tr.locale())
}

/// The translated name of a submission state.
pub fn submission_status_name(tr: Tr, s: SubmissionStatus) -> &'static str {
    s.name(tr.locale())
}

/// Shows a server-function error as an alert, or nothing.
#[component]
pub fn ErrorNote(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="alert error" role="alert">{e}</p> })
    }
}

/// The message of a server-function error in the page's language.
pub fn error_text(e: &AppError) -> String {
    e.text_in(crate::i18n::use_tr())
}

/// The name in `locale` of band `code` among `bands`, if it is one of them.
pub fn band_title<'a>(
    bands: impl IntoIterator<Item = &'a domain::BandDef>,
    code: &str,
    locale: Locale,
) -> Option<String> {
    bands
        .into_iter()
        .find(|b| b.code == code)
        .map(|b| b.names.get(locale).to_owned())
}

/// A counted answer as a number the way `locale` writes it, with as few
/// decimals as it needs (at most four); `—` for none.
pub fn answer_number(locale: Locale, value: Option<f64>) -> String {
    let Some(v) = value else {
        return "—".into();
    };
    let decimals = (0..4)
        .find(|&d| {
            let scaled = v * 10f64.powi(d);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
        })
        .unwrap_or(4);
    locale.format_number(v, decimals as usize)
}

/// The values a correction revision changed (or corrections waiting for
/// one): entity, indicator, published value → value now, reason.
#[component]
pub fn CorrectionTable(corrections: Vec<domain::Correction>) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    view! {
        <div class="table-scroll">
            <table class="data corrections">
                <thead><tr>
                    <th scope="col">{tr.entity()}</th>
                    <th scope="col">{tr.indicator()}</th>
                    <th scope="col" class="num">{tr.published_value()}</th>
                    <th scope="col" class="num">{tr.value_now()}</th>
                    <th scope="col">{tr.reason()}</th>
                </tr></thead>
                <tbody>
                    {corrections.into_iter().map(|c| view! {
                        <tr data-entity=c.entity.code.clone() data-indicator=c.indicator.clone()>
                            <td>{c.entity.names.get(locale).to_owned()}</td>
                            <td><span class="mono small">{c.indicator.clone()}</span>" "{c.names.get(locale).to_owned()}</td>
                            <td class="num before">{answer_number(locale, c.before)}</td>
                            <td class="num after">{answer_number(locale, c.after)}</td>
                            <td>{c.reason.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A page that requires a role shows this instead when the user lacks it.
#[component]
pub fn Denied(signed_in: bool) -> impl IntoView {
    let tr = use_tr();
    view! {
        <section class="card">
            <h1>{tr.error_title()}</h1>
            {if signed_in {
                view! { <p>{tr.forbidden()}</p> }.into_any()
            } else {
                view! { <p>{tr.need_sign_in()} " " <A href="/sign-in">{tr.sign_in()}</A></p> }.into_any()
            }}
        </section>
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

/// The `:id` route parameter as a number (`None` if absent or not one).
pub(crate) fn id_param() -> Memo<Option<i32>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// Audit log entries as a table: when, who, action, object, and the
/// change (reason, before and after).
#[component]
pub fn AuditTable(rows: Vec<domain::AuditEntry>) -> impl IntoView {
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
                        <td class="mono">{r.action.clone()}</td>
                        <td class="mono">{format!("{} {}", r.object_type, r.object_id)}</td>
                        <td class="diff">
                            {r.reason.map(|x| view! { <p><strong>{tr.reason()}": "</strong>{x}</p> })}
                            {r.before.map(|b| view! { <details><summary>{tr.audit_before()}</summary><pre>{b}</pre></details> })}
                            {r.after.map(|a| view! { <details><summary>{tr.audit_after()}</summary><pre>{a}</pre></details> })}
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// How far a watched export has come.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Watch {
    /// Rows written of all.
    Rows(usize, usize),
    /// Compressing the file.
    Packing,
    /// Ready: the browser is fetching it.
    Done,
}

/// A link to a national workbook. Without JavaScript it is a plain
/// download; in the browser a click watches the workbook being written
/// (`…/progress`, server-sent events) with a progress bar, then fetches
/// the prepared file. If watching fails, the plain link is followed.
#[component]
pub fn WorkbookLink(href: String, label: &'static str) -> impl IntoView {
    let tr = use_tr();
    let watch = RwSignal::new(None::<Watch>);
    let on_click = {
        let href = href.clone();
        move |ev: leptos::ev::MouseEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
                return;
            }
            if watch.get_untracked().is_some_and(|w| w != Watch::Done) {
                ev.prevent_default();
                return;
            }
            #[cfg(feature = "hydrate")]
            if watch_export(&href, watch) {
                ev.prevent_default();
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &href;
        }
    };
    let locale = tr.locale();
    view! {
        <a rel="external" download href=href on:click=on_click>{label}</a>
        {move || watch.get().map(|w| match w {
            Watch::Rows(rows, total) => view! {
                <span class="export-progress" role="status">
                    " "<progress max=total value=rows></progress>" "
                    {format!("{} {} / {}", tr.export_preparing(), locale.format_number(rows as f64, 0), locale.format_number(total as f64, 0))}
                </span>
            }.into_any(),
            Watch::Packing => view! {
                <span class="export-progress" role="status">" "<progress></progress>" "{tr.export_packing()}</span>
            }.into_any(),
            Watch::Done => view! { <span class="export-progress" role="status">" "{tr.export_ready()}</span> }.into_any(),
        })}
    }
}

/// Opens the progress stream of the workbook at `href` and follows it into
/// `watch`; `false` when the browser cannot (the link is then followed).
#[cfg(feature = "hydrate")]
fn watch_export(href: &str, watch: RwSignal<Option<Watch>>) -> bool {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{EventSource, MessageEvent};
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let Ok(source) = EventSource::new(&format!("{path}/progress?{query}")) else {
        return false;
    };
    watch.set(Some(Watch::Rows(0, 0)));
    let on_progress = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data().as_string().unwrap_or_default();
        let n: Vec<usize> = data.split(' ').filter_map(|x| x.parse().ok()).collect();
        if let [rows, total, packing] = n[..] {
            watch.set(Some(if packing == 1 {
                Watch::Packing
            } else {
                Watch::Rows(rows, total)
            }));
        }
    });
    let ready = {
        let source = source.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            source.close();
            watch.set(Some(Watch::Done));
            if let (Some(url), Some(w)) = (e.data().as_string(), web_sys::window()) {
                let _ = w.location().set_href(&url);
            }
        })
    };
    // A failure on the server, or a broken stream before `ready`: fetch
    // the workbook the plain way.
    let fallback = {
        let source = source.clone();
        let href = href.to_owned();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            source.close();
            if watch.get_untracked() != Some(Watch::Done) {
                watch.set(None);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href(&href);
                }
            }
        })
    };
    let listen = |name: &str, f: &web_sys::js_sys::Function| {
        let _ = source.add_event_listener_with_callback(name, f);
    };
    listen("progress", on_progress.as_ref().unchecked_ref());
    listen("ready", ready.as_ref().unchecked_ref());
    listen("failed", fallback.as_ref().unchecked_ref());
    listen("error", fallback.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    on_progress.forget();
    ready.forget();
    fallback.forget();
    true
}
