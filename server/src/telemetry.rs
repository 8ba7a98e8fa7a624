//! Logging setup.

/// Starts the log subscriber with `filter` (e.g. `info,sqlx=warn`).
pub fn init(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_target(false)
        .try_init();
}
