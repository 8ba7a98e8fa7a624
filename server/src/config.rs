//! Configuration: an optional TOML file, then `DARAJA_*` environment
//! variables on top. Secrets never appear in `Debug` output or logs.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::net::SocketAddr;

/// What `daraja --help` prints.
pub const HELP: &str = "\
daraja — the Daraja digital-maturity rating server

USAGE:
    daraja [--config FILE]                 serve
    daraja [--config FILE] backup FILE     copy the database to FILE: SQLite online
                                           (VACUUM INTO, the server may run), PostgreSQL
                                           with pg_dump --format=custom
    daraja [--config FILE] restore FILE    restore FILE into the configured database,
                                           which must be new (no SQLite file, no
                                           PostgreSQL tables); then migrate, check
                                           integrity and every published snapshot's hash
    daraja [--config FILE] inventory       rows per table, newest audit entry, snapshots
                                           verified: compare a restore with its source

Settings come from the TOML file (if given, or DARAJA_CONFIG), then from
environment variables, which win:

    DARAJA_DATABASE_URL   sqlite://PATH?mode=rwc (default sqlite://data/daraja.sqlite?mode=rwc)
                          or postgres://user@host/db
    DARAJA_ADDR           address to listen on (default: LEPTOS_SITE_ADDR or 127.0.0.1:3000)
    DARAJA_JWT_SECRET     secret for signing access tokens, at least 32 bytes;
                          required unless DARAJA_DEMO=1. Every instance behind
                          one database must share it.
    DARAJA_DEMO           1 to run in demo mode: demo users with the documented
                          password and a generated demo history
    DARAJA_SECURE_COOKIES 1 when served over TLS (marks cookies Secure)
    DARAJA_LOG            log filter (default info,sqlx=warn,sea_orm=warn)
    DARAJA_FILES_DIR      evidence file store (default data/files); every
                          instance behind one database must share it
    DARAJA_S3_BUCKET      keep evidence files in this S3-compatible bucket
                          instead (instances then share no disk), with
    DARAJA_S3_PREFIX      a key prefix inside the bucket (optional)
    DARAJA_S3_ENDPOINT    the service's address for MinIO, Ceph or a cloud
                          provider's S3 (default: AWS); http:// allowed
    DARAJA_S3_REGION      region (default from AWS_REGION, else us-east-1)
    DARAJA_S3_ACCESS_KEY_ID, DARAJA_S3_SECRET_ACCESS_KEY
                          credentials (default: the AWS_* environment or the
                          instance's role)
    DARAJA_API_RATE       JSON API requests per second per token (or per
                          address without one), after a burst (default 100)
    DARAJA_API_BURST      requests a client may send at once (default 600:
                          a feed pushes every district in one go)
    DARAJA_SIGN_IN_PER_MINUTE  sign-in attempts per minute from one address,
                          right or wrong, browser or API (default 30)
    DARAJA_DB_POOL        database connections per instance (default 8 on
                          SQLite, 20 on PostgreSQL; keep instances × pool
                          below PostgreSQL's max_connections)
    DARAJA_LINK_CHECK_EVERY  seconds between rounds of the background check
                          of evidence links (default 60; 0 turns it off);
                          instances share the work through the database
    DARAJA_LINK_CHECK_PRIVATE  1 to let the link checker fetch loopback and
                          private addresses (an intranet; tests). Off by
                          default: users type these links
    DARAJA_PAGE_CACHE     0 to render every public rating page afresh
                          instead of serving kept renderings (default 1)

The file uses the same names in lower case without the prefix:
    database_url = \"postgres://postgres@127.0.0.1/daraja\"
    jwt_secret = \"...\"
    demo = false
";

/// The server's settings.
#[derive(Clone)]
pub struct Config {
    /// Database URL.
    pub database_url: String,
    /// Listen address.
    pub addr: SocketAddr,
    /// JWT signing secret.
    pub jwt_secret: Secret,
    /// Demo mode.
    pub demo: bool,
    /// Mark cookies Secure.
    pub secure_cookies: bool,
    /// Log filter.
    pub log: String,
    /// Directory of the evidence file store (shared by every instance).
    pub files_dir: std::path::PathBuf,
    /// An S3-compatible bucket for evidence files instead of the directory.
    pub s3: Option<S3Settings>,
    /// JSON API requests per second per client, after the burst.
    pub api_rate: u32,
    /// JSON API requests a client may send at once.
    pub api_burst: u32,
    /// Sign-in attempts a minute from one address.
    pub sign_in_per_minute: u32,
    /// Database connections per instance.
    pub db_pool: u32,
    /// Time between rounds of the evidence link check; `None`: off.
    pub link_check_every: Option<std::time::Duration>,
    /// Whether the link checker may fetch internal addresses.
    pub link_check_private: bool,
    /// Whether public rating pages are kept and served again.
    pub page_cache: bool,
}

/// Where evidence files go in an S3-compatible object store.
#[derive(Clone, Debug)]
pub struct S3Settings {
    /// Bucket name.
    pub bucket: String,
    /// Key prefix inside the bucket (may be empty).
    pub prefix: String,
    /// The service's address, when not AWS.
    pub endpoint: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Access key id.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<Secret>,
}

/// A secret string whose `Debug` does not print it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("addr", &self.addr)
            .field("jwt_secret", &self.jwt_secret)
            .field("demo", &self.demo)
            .field("secure_cookies", &self.secure_cookies)
            .field("files_dir", &self.files_dir)
            .field("s3", &self.s3)
            .finish_non_exhaustive()
    }
}

/// Hides the password of a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    addr: Option<String>,
    jwt_secret: Option<String>,
    demo: Option<bool>,
    secure_cookies: Option<bool>,
    log: Option<String>,
    files_dir: Option<String>,
    api_rate: Option<u32>,
    api_burst: Option<u32>,
    sign_in_per_minute: Option<u32>,
    db_pool: Option<u32>,
    link_check_every: Option<u64>,
    link_check_private: Option<bool>,
    page_cache: Option<bool>,
    s3_bucket: Option<String>,
    s3_prefix: Option<String>,
    s3_endpoint: Option<String>,
    s3_region: Option<String>,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<String>,
}

/// The secret demo mode signs with when none is configured. Public, so demo
/// mode is refused to anything but demo data (see `service::demo`).
const DEMO_SECRET: &str = "daraja-demo-secret-do-not-use-in-production-0001";

fn parse_count(
    name: &str,
    v: Option<String>,
    file: Option<u32>,
    default: u32,
) -> anyhow::Result<u32> {
    let n = match v {
        Some(v) => v
            .trim()
            .parse::<u32>()
            .map_err(|_| anyhow::anyhow!("{name}: {v:?} is not a whole number"))?,
        None => file.unwrap_or(default),
    };
    if n == 0 {
        bail!("{name}: must be at least 1");
    }
    Ok(n)
}

fn parse_bool(name: &str, v: &str) -> anyhow::Result<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => bail!("{name}: {v:?} is not a boolean (use 1 or 0)"),
    }
}

fn read_file(path: Option<&str>) -> anyhow::Result<FileConfig> {
    Ok(match path {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {p}"))?;
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{p}: {e}"))?
        }
        None => FileConfig::default(),
    })
}

fn database_url_of(
    env: &impl Fn(&str) -> Option<String>,
    file: Option<String>,
) -> anyhow::Result<String> {
    let url = env("DARAJA_DATABASE_URL")
        .or(file)
        .unwrap_or_else(|| "sqlite://data/daraja.sqlite?mode=rwc".to_owned());
    if !(url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://"))
    {
        bail!(
            "DARAJA_DATABASE_URL: {} is neither sqlite: nor postgres://",
            redact_url(&url)
        );
    }
    Ok(url)
}

/// Only the database URL (for the backup commands, which need no secret).
pub fn database_url(
    path: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<String> {
    database_url_of(&env, read_file(path)?.database_url)
}

impl Config {
    /// Reads the file at `path` (if any), then applies the environment as
    /// `env` reports it.
    pub fn load(
        path: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Config> {
        let file = read_file(path)?;
        let demo = match env("DARAJA_DEMO") {
            Some(v) => parse_bool("DARAJA_DEMO", &v)?,
            None => file.demo.unwrap_or(false),
        };
        let secure_cookies = match env("DARAJA_SECURE_COOKIES") {
            Some(v) => parse_bool("DARAJA_SECURE_COOKIES", &v)?,
            None => file.secure_cookies.unwrap_or(false),
        };
        let database_url = database_url_of(&env, file.database_url)?;
        let addr_text = env("DARAJA_ADDR")
            .or(file.addr)
            .or_else(|| env("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let addr = addr_text.parse().with_context(|| {
            format!("DARAJA_ADDR: {addr_text:?} is not an address like 127.0.0.1:3000")
        })?;
        let jwt_secret = match env("DARAJA_JWT_SECRET").or(file.jwt_secret) {
            Some(s) if s.len() >= 32 => s,
            Some(_) => bail!("DARAJA_JWT_SECRET: must be at least 32 bytes"),
            None if demo => DEMO_SECRET.to_owned(),
            None => bail!("DARAJA_JWT_SECRET is required outside demo mode (see daraja --help)"),
        };
        if !demo && jwt_secret == DEMO_SECRET {
            bail!("DARAJA_JWT_SECRET: the public demo secret cannot be used outside demo mode");
        }
        let db_pool = parse_count(
            "DARAJA_DB_POOL",
            env("DARAJA_DB_POOL"),
            file.db_pool,
            service::db::default_pool(&database_url),
        )?;
        let link_check_every = match env("DARAJA_LINK_CHECK_EVERY") {
            Some(v) => v.trim().parse::<u64>().map_err(|_| {
                anyhow::anyhow!("DARAJA_LINK_CHECK_EVERY: {v:?} is not a whole number of seconds")
            })?,
            None => file.link_check_every.unwrap_or(60),
        };
        let link_check_private = match env("DARAJA_LINK_CHECK_PRIVATE") {
            Some(v) => parse_bool("DARAJA_LINK_CHECK_PRIVATE", &v)?,
            None => file.link_check_private.unwrap_or(false),
        };
        let page_cache = match env("DARAJA_PAGE_CACHE") {
            Some(v) => parse_bool("DARAJA_PAGE_CACHE", &v)?,
            None => file.page_cache.unwrap_or(true),
        };
        let s3 = match env("DARAJA_S3_BUCKET").or(file.s3_bucket) {
            Some(bucket) if !bucket.trim().is_empty() => {
                let endpoint = env("DARAJA_S3_ENDPOINT").or(file.s3_endpoint);
                if let Some(e) = &endpoint
                    && !(e.starts_with("http://") || e.starts_with("https://"))
                {
                    bail!("DARAJA_S3_ENDPOINT: {e:?} is not an http(s) address");
                }
                Some(S3Settings {
                    bucket: bucket.trim().to_owned(),
                    prefix: env("DARAJA_S3_PREFIX")
                        .or(file.s3_prefix)
                        .unwrap_or_default(),
                    endpoint,
                    region: env("DARAJA_S3_REGION").or(file.s3_region),
                    access_key_id: env("DARAJA_S3_ACCESS_KEY_ID").or(file.s3_access_key_id),
                    secret_access_key: env("DARAJA_S3_SECRET_ACCESS_KEY")
                        .or(file.s3_secret_access_key)
                        .map(Secret),
                })
            }
            _ => None,
        };
        Ok(Config {
            s3,
            database_url,
            addr,
            jwt_secret: Secret(jwt_secret),
            demo,
            secure_cookies,
            log: env("DARAJA_LOG")
                .or(file.log)
                .unwrap_or_else(|| "info,sqlx=warn,sea_orm=warn".to_owned()),
            files_dir: env("DARAJA_FILES_DIR")
                .or(file.files_dir)
                .unwrap_or_else(|| "data/files".to_owned())
                .into(),
            api_rate: parse_count(
                "DARAJA_API_RATE",
                env("DARAJA_API_RATE"),
                file.api_rate,
                100,
            )?,
            api_burst: parse_count(
                "DARAJA_API_BURST",
                env("DARAJA_API_BURST"),
                file.api_burst,
                600,
            )?,
            sign_in_per_minute: parse_count(
                "DARAJA_SIGN_IN_PER_MINUTE",
                env("DARAJA_SIGN_IN_PER_MINUTE"),
                file.sign_in_per_minute,
                30,
            )?,
            db_pool,
            link_check_every: (link_check_every > 0)
                .then(|| std::time::Duration::from_secs(link_check_every)),
            link_check_private,
            page_cache,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load(None, |k| map.get(k).cloned())
    }

    #[test]
    fn environment_is_checked_and_secrets_hidden() {
        assert!(
            load(&[])
                .unwrap_err()
                .to_string()
                .contains("DARAJA_JWT_SECRET is required")
        );
        let c = load(&[("DARAJA_DEMO", "1")]).unwrap();
        assert!(c.demo);
        assert!(c.database_url.starts_with("sqlite:"));
        let c = load(&[
            ("DARAJA_JWT_SECRET", "0123456789abcdef0123456789abcdef"),
            ("DARAJA_DATABASE_URL", "postgres://u:hunter2@db/x"),
        ])
        .unwrap();
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("0123456789abcdef"),
            "{debug}"
        );
        assert!(
            load(&[("DARAJA_DEMO", "maybe")])
                .unwrap_err()
                .to_string()
                .contains("DARAJA_DEMO")
        );
        assert!(load(&[("DARAJA_JWT_SECRET", "short")]).is_err());
        assert!(load(&[("DARAJA_DEMO", "1"), ("DARAJA_DATABASE_URL", "mysql://x")]).is_err());
        assert!(load(&[("DARAJA_JWT_SECRET", DEMO_SECRET)]).is_err());
        assert_eq!(load(&[("DARAJA_DEMO", "1")]).unwrap().api_burst, 600);
        assert!(load(&[("DARAJA_DEMO", "1"), ("DARAJA_API_RATE", "0")]).is_err());
        assert!(load(&[("DARAJA_DEMO", "1"), ("DARAJA_API_BURST", "lots")]).is_err());
        // The pool: by database, or as told.
        let pool = |vars: &[(&str, &str)]| load(vars).map(|c| c.db_pool);
        assert_eq!(pool(&[("DARAJA_DEMO", "1")]).unwrap(), 8);
        let pg = ("DARAJA_DATABASE_URL", "postgres://db/x");
        assert_eq!(pool(&[("DARAJA_DEMO", "1"), pg]).unwrap(), 20);
        assert_eq!(
            pool(&[("DARAJA_DEMO", "1"), pg, ("DARAJA_DB_POOL", "48")]).unwrap(),
            48
        );
        let err = pool(&[("DARAJA_DEMO", "1"), ("DARAJA_DB_POOL", "0")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("DARAJA_DB_POOL: must be at least 1"),
            "{err}"
        );
    }
}
