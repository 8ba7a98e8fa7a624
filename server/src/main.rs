//! `daraja`: the web server binary. See `daraja --help`.

use anyhow::Context;

/// mimalloc instead of glibc's malloc: under a burst of page loads the
/// server spent about a third of its CPU in glibc's malloc and free
/// (consolidating and unlinking chunks of the large, short-lived strings
/// a page renders and the snapshot payloads it decodes; BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let words: Vec<&str> = {
        let mut skip = false;
        args.iter()
            .filter(|a| {
                let keep = !skip && a.as_str() != "--config";
                skip = a.as_str() == "--config";
                keep
            })
            .map(String::as_str)
            .collect()
    };
    if let Some(&command) = words.first() {
        let url = server::config::database_url(config_path.as_deref(), |k| std::env::var(k).ok())
            .context("failed to read the configuration")?;
        let file = || {
            words
                .get(1)
                .map(std::path::PathBuf::from)
                .with_context(|| format!("daraja {command} FILE: name the file"))
        };
        match command {
            "backup" => {
                let to = file()?;
                server::backup::backup(&url, &to).await?;
                println!("backed up to {}", to.display());
            }
            "restore" => {
                let inv = server::backup::restore(&file()?, &url).await?;
                server::backup::print(&inv);
                println!("restored and checked");
            }
            "inventory" => server::backup::print(&server::backup::inventory(&url).await?),
            other => anyhow::bail!("unknown command {other:?} (see daraja --help)"),
        }
        return Ok(());
    }
    let config = server::config::Config::load(config_path.as_deref(), |k| std::env::var(k).ok())
        .context("failed to read the configuration")?;
    server::telemetry::init(&config.log);
    let app = server::startup::build(config).await?;
    tracing::info!("Daraja listening on http://{}", app.addr());
    app.run_until_stopped().await
}
