//! Daraja's pages and components (Leptos, server-rendered and hydrated), and
//! the server functions behind them.
//!
//! Server functions are thin: they parse their arguments at the edge, find
//! the signed-in principal the server's middleware put on the request, call
//! one function of the `service` crate and map its error to a status. Under
//! the `hydrate` feature nothing of sea-orm or the services is compiled.
#![deny(missing_docs)]
#![recursion_limit = "256"]

// The #[server] macro generates argument structs whose fields cannot carry docs.
#[allow(missing_docs)]
pub mod api;
mod appeals;
mod autosave;
mod campaigns;
mod components;
mod developers;
pub mod error;
mod form;
pub mod i18n;
mod league;
#[cfg(feature = "ssr")]
mod locale;
mod pages;
mod profile;
mod proposals;
mod session;
#[cfg(feature = "ssr")]
pub mod ssr;
mod workbook;

use components::{Layout, NotFound};
use domain::Locale;
use i18n::Tr;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};
pub use session::{AuthActions, UserResource, use_user};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = initial_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The language of this page: on the server from the `lang` cookie (or
/// Accept-Language), in the browser from `<html lang>` the server rendered.
pub fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        ssr::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Locale::from_tag(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Locale::default()
        }
    }
}

/// Marks the page as hydrated (`<body data-hydrated>`), so browser tests
/// know when clicks start to work.
pub fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// The application: layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let tr = Tr(initial_locale());
    provide_context(tr);
    // One request for the signed-in user, shared by the layout and pages,
    // made again whenever someone signs in or out.
    let auth = AuthActions {
        sign_in: ServerAction::new(),
        sign_out: ServerAction::new(),
    };
    provide_context(auth);
    let user = Resource::new(
        move || (auth.sign_in.version().get(), auth.sign_out.version().get()),
        |_| api::whoami(),
    );
    provide_context(user);
    view! {
        <Stylesheet id="leptos" href="/pkg/daraja.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content=tr.app_tagline()/>
        <Title formatter=move |t: String| title_text(if t.is_empty() { tr.app_name().to_owned() } else { format!("{t} · {}", tr.app_name()) })/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=pages::Home ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=pages::SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/ratings/:kind") view=pages::Ratings ssr=SsrMode::Async/>
                    <Route path=path!("/ratings/:kind/what-if") view=pages::WhatIf ssr=SsrMode::Async/>
                    <Route path=path!("/methodologies") view=pages::Methodologies ssr=SsrMode::Async/>
                    <Route path=path!("/methodologies/:id") view=pages::MethodologyPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals") view=proposals::Proposals ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id") view=proposals::ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/registry") view=pages::Registry ssr=SsrMode::Async/>
                    <Route path=path!("/registry/new") view=pages::EntityEdit ssr=SsrMode::Async/>
                    <Route path=path!("/registry/:id") view=pages::EntityPage ssr=SsrMode::Async/>
                    <Route path=path!("/registry/:id/edit") view=pages::EntityEdit ssr=SsrMode::Async/>
                    <Route path=path!("/campaigns") view=campaigns::Campaigns ssr=SsrMode::Async/>
                    <Route path=path!("/campaigns/:id") view=campaigns::CampaignPage ssr=SsrMode::Async/>
                    <Route path=path!("/campaigns/:id/regions/:region") view=campaigns::RegionPage ssr=SsrMode::Async/>
                    <Route path=path!("/submissions/:id") view=form::SubmissionPage ssr=SsrMode::Async/>
                    <Route path=path!("/review") view=campaigns::ReviewQueue ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=pages::Users ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=pages::Audit ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tokens") view=developers::ApiTokens ssr=SsrMode::Async/>
                    <Route path=path!("/developers") view=developers::ApiReferencePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::Account ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// The page title as it goes into the document. leptos_meta writes the
/// server-rendered `<title>` without escaping, so a name such as
/// `</title><script>…` would become markup: on the server it is escaped
/// here. In the browser the title is set as text (`document.title`), where
/// escaping would show the entities.
fn title_text(title: String) -> String {
    if cfg!(feature = "ssr") {
        title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        title
    }
}
