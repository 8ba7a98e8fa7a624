//! `daraja`: the web server binary. See `daraja --help`.

use anyhow::Context;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", server::config::HELP);
        return Ok(());
    }
    let config_path = args
        .windows(2)
        .find(|w| w[0] == "--config")
        .map(|w| w[1].clone())
        .or_else(|| std::env::var("DARAJA_CONFIG").ok());
    let config = server::config::Config::load(config_path.as_deref(), |k| std::env::var(k).ok())
        .context("failed to read the configuration")?;
    server::telemetry::init(&config.log);
    let app = server::startup::build(config).await?;
    tracing::info!("Daraja listening on http://{}", app.addr());
    app.run_until_stopped().await
}
