//! What every request handler shares: the application state (Leptos
//! settings, the services, prepared workbooks) and the process-wide TLS
//! provider. Below every router module, so none of them imports start-up.

use app::ssr::ServerContext;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// Shared state of every request.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos settings (site root, output name).
    pub leptos_options: LeptosOptions,
    /// Services and cookie policy.
    pub ctx: ServerContext,
    /// Workbooks prepared while a progress bar watched, until fetched.
    pub prepared: std::sync::Arc<crate::prepared::Prepared>,
}

/// Makes ring the TLS provider of every outbound connection (the link
/// checker, the object store); harmless when already done.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
