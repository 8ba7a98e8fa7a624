//! Builds the application: connect and migrate, seed, assemble the router,
//! bind the listener.

use crate::{api, config::Config, downloads, files, middleware, page_cache};
use anyhow::Context;
use app::{App, shell, ssr::ServerContext};
use axum::{Router, serve::ListenerExt};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use service::Services;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub use crate::state::{AppState, install_crypto};

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    services: Services,
}

impl Application {
    /// The address it listens on (useful with port 0 in tests).
    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The services, for tests that arrange data directly.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        // TCP_NODELAY: a page goes out as its head and then its body; with
        // Nagle's algorithm the body's last small segment waits for the
        // client's delayed ACK (40 ms on Linux). Under load about one page
        // in six took those 40 ms more (BENCHMARKS.md, deadline day).
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY on a connection");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

/// Connects, migrates, seeds and binds according to `config`.
pub async fn build(config: Config) -> anyhow::Result<Application> {
    install_crypto();
    let db = open_database(&config).await?;
    seed(&db, config.demo).await?;
    check_stored_data(&db).await?;
    let auth = service::auth::AuthSettings::new(config.jwt_secret.expose().as_bytes())
        .context("invalid JWT secret")?;
    if let Some(every) = config.link_check_every {
        crate::links::Checker::new(config.link_check_private)
            .context("cannot build the link checker")?
            .spawn(db.clone(), every);
    }
    let files = file_store(&config)?;
    let services = Services { db, auth, files };
    let router = router(&config, &services)?;
    let listener = TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    Ok(Application {
        listener,
        router,
        services,
    })
}

/// Opens the database (creating a SQLite file's folder) and migrates it.
async fn open_database(config: &Config) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = config.database_url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
    }
    service::db::connect_and_migrate(&config.database_url, Some(config.db_pool))
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                crate::config::redact_url(&config.database_url)
            )
        })
}

/// Seeds the registry and the methodologies; with `demo`, the demo users,
/// history and open round, and without it refuses the demo credentials.
async fn seed(db: &DatabaseConnection, demo: bool) -> anyhow::Result<()> {
    let report = service::seed::registry(db)
        .await
        .context("seeding the registry failed")?;
    tracing::info!(
        inserted = report.inserted,
        updated = report.updated,
        "registry seeded"
    );
    let methodologies = service::seed::methodologies(db)
        .await
        .context("seeding the methodologies failed")?;
    tracing::info!(inserted = methodologies.inserted, "methodologies seeded");
    if demo {
        let created = service::demo::ensure_users(db)
            .await
            .context("creating demo users failed")?;
        tracing::info!(created, "demo users ready");
        let history = service::demo::ensure_history(db)
            .await
            .context("generating the demo history failed")?;
        tracing::info!(?history, "demo history ready");
        let open = service::demo::ensure_open_round(db, chrono::Utc::now().date_naive())
            .await
            .context("opening the demo 2024 round failed")?;
        tracing::info!(?open, "demo open round ready");
    } else {
        service::demo::refuse_demo_credentials(db)
            .await
            .context("refusing to start")?;
    }
    Ok(())
}

/// Start-up checks of what is stored: cited links are tracked, older
/// snapshots get their answers, and every published rating matches its
/// hash.
async fn check_stored_data(db: &DatabaseConnection) -> anyhow::Result<()> {
    let links = service::links::track_existing(db, chrono::Utc::now())
        .await
        .context("tracking the evidence links already cited failed")?;
    if links > 0 {
        tracing::info!(links, "evidence links tracked for checking");
    }
    // Snapshots published before their answers were frozen with them get
    // their matrix once, from the answers as they stand now (marked so).
    let reconstructed = service::corrections::reconstruct_matrices(db, chrono::Utc::now())
        .await
        .context("filling in the answers of older rating snapshots failed")?;
    if reconstructed > 0 {
        tracing::warn!(
            reconstructed,
            "rating snapshots published without their answers: answers filled in from the approved answers as they stand now, and marked as reconstructed"
        );
    }
    // Published ratings are immutable: say loudly if one no longer matches
    // its hash (it is withheld, 503; the pages keep serving the others).
    let (verified, tampered) = service::ratings::verify_all(db)
        .await
        .context("verifying rating snapshots failed")?;
    if tampered.is_empty() {
        tracing::info!(verified, "rating snapshots match their SHA-256");
    } else {
        tracing::error!(?tampered, "rating snapshots do not match their SHA-256");
    }
    Ok(())
}

/// Where evidence files live: an S3 bucket when configured, else a folder.
fn file_store(config: &Config) -> anyhow::Result<Arc<dyn service::files::FileStore>> {
    Ok(match &config.s3 {
        Some(s3) => Arc::new(
            crate::object_files::ObjectFiles::new(s3)
                .with_context(|| format!("cannot use the S3 bucket {}", s3.bucket))?,
        ),
        None => Arc::new(service::files::LocalDir::new(&config.files_dir)),
    })
}

/// The router: the API and its OpenAPI document, downloads, files and the
/// pages, under the authentication, throttling, same-origin, page cache
/// and security-header layers.
fn router(config: &Config, services: &Services) -> anyhow::Result<Router> {
    let (api_routes, api_doc) = api::router(config.api_rate, config.api_burst);
    let api_json = api_doc
        .to_json()
        .context("the OpenAPI document does not serialise")?;
    let api_reference = Arc::new(api::reference(
        &serde_json::from_str(&api_json).context("the OpenAPI document does not parse")?,
    ));
    let ctx = ServerContext {
        services: services.clone(),
        secure_cookies: config.secure_cookies,
        api_reference,
    };
    let leptos_options = leptos_config()?;
    let state = AppState {
        leptos_options: leptos_options.clone(),
        ctx: ctx.clone(),
        prepared: Default::default(),
    };
    let routes = route_list();
    let provide = {
        let ctx = ctx.clone();
        move || provide_context(ctx.clone())
    };
    let api_doc = Arc::new(api_json);
    Ok(Router::new()
        .merge(api_routes)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = api_doc.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc.as_str().to_owned(),
                    )
                }
            }),
        )
        .merge(downloads::router())
        .merge(files::router())
        .leptos_routes_with_context(&state, routes, provide.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::authenticate,
        ))
        .layer(axum::middleware::from_fn_with_state(
            middleware::sign_in_limiter(config.sign_in_per_minute),
            middleware::throttle_sign_in,
        ))
        .layer(axum::middleware::from_fn(middleware::same_origin_writes))
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(services.db.clone(), config.page_cache),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .with_state(state))
}

fn leptos_config() -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("daraja").build());
    if options.output_name.is_empty() {
        options.output_name = "daraja".into();
    }
    Ok(options)
}

/// The app's routes, generated once per process. Generating them renders
/// the app with resource loading suppressed by a process-wide flag, and a
/// page whose resource is first polled while the flag is up never finishes
/// (leptos-rs/leptos#4773): with several servers in one process (the test
/// suite) a later start-up would hang another's page. Once is also enough.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}
