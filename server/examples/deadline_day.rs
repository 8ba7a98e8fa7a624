//! Deadline day (issue 8, "Load"): many signed-in district officers at
//! once, each loading its submission form, autosaving values and looking
//! at the public rating pages, against the real `daraja` binary on
//! loopback. Prints a markdown table (count, throughput, p50/p90/p99/max
//! per request kind, errors, conflicts), the servers' CPU and peak memory,
//! and proves that every acknowledged autosave is stored.
//!
//!     cargo build --release -p server --bin daraja --example deadline_day
//!     target/release/examples/deadline_day [--users 500] [--seconds 300]
//!         [--think 1000-3000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
//!         [--instances 2] [--trace requests.csv] [--lockstep]
//!
//! The database is prepared in-process, as `DARAJA_DEMO=1` does at start-up
//! (registry, methodologies, the demo history with its published ratings,
//! the open 2024 rounds), on a SQLite file in a temporary directory, or on
//! a fresh database created on the PostgreSQL server `--postgres` names.
//! Then `--users` officers are added, spread over the editable district
//! submissions of the open round, each with indicators of its own (several
//! officers share a district). The servers run without demo mode (the demo
//! accounts are deactivated). With `--instances 2` (PostgreSQL only) two
//! servers share the database, the file store and the JWT secret behind a
//! round-robin TCP proxy in this process; before the load a token issued
//! by one is used on the other, a file uploaded to one is downloaded from
//! the other, and a save on one is a conflict on the other.
//!
//! Each user signs in through `POST /api/v1/auth/token` (setup, not
//! measured) and sends its access token as a bearer, which pages and
//! server functions accept like the browser's cookie. Then it loops until
//! the time is up: its form page, three autosaves (`/api/save_value`, with
//! the version the last answer gave), one public page (in turn the district
//! league, a district's rating profile, the home page), with a think time
//! drawn from `--think` (milliseconds) before each request. Users arrive
//! within one think time, each at a random point of that cycle, as officers
//! do on a real deadline day; `--lockstep` starts every one at its form
//! page instead, so the pages of all users come in waves. Any transport
//! error, non-2xx answer or page without its expected content is an error;
//! a conflict is data (the user takes the stored version and goes on). The
//! exit status is non-zero if there was any error or a lost save.
//! `--trace` writes every request (milliseconds from the start of the load,
//! kind, latency) to a CSV, to see when the slow ones happened.
//! The server binary is the one built with this example:
//! `target/<profile>/daraja`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use domain::{Role, SaveOutcome};
use entity::{audit_log, campaigns, evidence, participants, role_grants, submission_values, users};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};

const SECRET: &str = "deadline-day-secret-0123456789-0123456789";
const PASSWORD: &str = "deadline day 2024";
/// The open district round the demo makes.
const CAMPAIGN: &str = "2024-districts";
/// The indicators of `nis-districts@2020` an autosave may send a number
/// from 0 to 100 to (every one but the yes/no question).
const INDICATORS: [&str; 13] = [
    "INFRA.social_broadband",
    "INFRA.mobile_4g",
    "INFRA.fixed_per100",
    "INFRA.fibre_km",
    "INFRA.public_wifi",
    "ECON.cashless",
    "ECON.egov_per1000",
    "ECON.it_residents",
    "ECON.ecommerce",
    "EDU.schools_computer",
    "EDU.teachers_ict",
    "EDU.programmers",
    "EDU.it_centres",
];

// ---------------------------------------------------------------- options

struct Options {
    users: usize,
    seconds: u64,
    think: (u64, u64),
    postgres: Option<String>,
    instances: usize,
    /// Where to write every request (start offset, kind, latency) as CSV.
    trace: Option<PathBuf>,
    /// Every user begins its cycle with the form page (waves of pages).
    lockstep: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut o = Options {
        users: 500,
        seconds: 300,
        think: (1000, 3000),
        postgres: None,
        instances: 1,
        trace: None,
        lockstep: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--users" => o.users = value()?.parse()?,
            "--seconds" => o.seconds = value()?.parse()?,
            "--think" => {
                let v = value()?;
                let (lo, hi) = v.split_once('-').unwrap_or((&v, &v));
                o.think = (lo.parse()?, hi.parse()?);
                ensure!(o.think.0 <= o.think.1, "--think MIN-MAX: MIN > MAX");
            }
            "--postgres" => o.postgres = Some(value()?),
            "--instances" => o.instances = value()?.parse()?,
            "--trace" => o.trace = Some(value()?.into()),
            "--lockstep" => o.lockstep = true,
            "-h" | "--help" => {
                println!(
                    "deadline_day [--users N] [--seconds S] [--think MIN-MAX (ms)] \
                     [--postgres URL] [--instances K] [--trace FILE.csv] [--lockstep]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other} (see --help)"),
        }
    }
    ensure!(
        o.users > 0 && o.seconds > 0,
        "--users and --seconds must be positive"
    );
    ensure!(o.instances >= 1, "--instances must be at least 1");
    ensure!(
        o.instances == 1 || o.postgres.is_some(),
        "--instances {} needs --postgres: instances share one PostgreSQL database",
        o.instances
    );
    Ok(o)
}

// ---------------------------------------------------------------- servers

/// `target/<profile>/daraja`, beside this example's `examples/` directory.
fn server_binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let profile_dir = me
        .parent()
        .and_then(Path::parent)
        .context("cannot locate the target directory")?;
    let bin = profile_dir.join("daraja");
    ensure!(
        bin.is_file(),
        "the server binary {} is missing: build it with the same profile as this example, \
         e.g. `cargo build --release -p server --bin daraja --example deadline_day`",
        bin.display()
    );
    Ok(bin)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A running `daraja` child process, killed and reaped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    async fn start(bin: &Path, url: &str, files: &Path, log: PathBuf) -> anyhow::Result<Server> {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("the workspace root")?;
        let mut command = Command::new(bin);
        // Only the settings below: none inherited from this shell.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("DARAJA_") {
                command.env_remove(name);
            }
        }
        let child = command
            .current_dir(workspace)
            .env("DARAJA_DATABASE_URL", url)
            .env("DARAJA_ADDR", addr.to_string())
            .env("DARAJA_JWT_SECRET", SECRET)
            .env("DARAJA_DEMO", "0")
            .env("DARAJA_LOG", "error")
            .env("DARAJA_FILES_DIR", files)
            .env("DARAJA_API_BURST", "1000000")
            .env("DARAJA_API_RATE", "1000000")
            .env("DARAJA_SIGN_IN_PER_MINUTE", "1000000")
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("LEPTOS_OUTPUT_NAME", "daraja")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let mut server = Server { child, addr, log };
        let http = reqwest::Client::new();
        for _ in 0..600 {
            if let Some(status) = server.child.try_wait()? {
                bail!(
                    "the server exited ({status}) at start-up: {}",
                    std::fs::read_to_string(&server.log).unwrap_or_default()
                );
            }
            if let Ok(r) = http
                .get(format!("http://{addr}/api/openapi.json"))
                .send()
                .await
                && r.status() == 200
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not come up on {addr} within a minute")
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Lines the server logged (at `error` level: every one is a problem).
    fn logged(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A round-robin TCP proxy on loopback: each accepted connection goes to
/// the next backend. Returns its address and the connections per backend.
async fn proxy(backends: Vec<SocketAddr>) -> anyhow::Result<(SocketAddr, Arc<Vec<AtomicU64>>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let counts: Arc<Vec<AtomicU64>> =
        Arc::new(backends.iter().map(|_| AtomicU64::new(0)).collect());
    let seen = counts.clone();
    tokio::spawn(async move {
        let next = AtomicUsize::new(0);
        while let Ok((mut inbound, _)) = listener.accept().await {
            let i = next.fetch_add(1, Ordering::Relaxed) % backends.len();
            seen[i].fetch_add(1, Ordering::Relaxed);
            let backend = backends[i];
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(backend).await {
                    let _ = inbound.set_nodelay(true);
                    let _ = outbound.set_nodelay(true);
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    Ok((addr, counts))
}

// ------------------------------------------------------------- processes

/// CPU seconds (user + system) a process has used, from `/proc/PID/stat`.
fn cpu_seconds(pid: u32, ticks: f64) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces: the fields start after its ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field(11) + field(12)) / ticks
}

/// A `VmHWM` (peak) or `VmRSS` line of `/proc/PID/status`, in MiB.
fn memory_mib(pid: u32, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// CPU seconds of every process called `postgres` on this machine (the
/// database server's backends, when it runs here).
fn postgres_cpu_seconds(ticks: f64) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|pid| cpu_seconds(pid, ticks))
        .sum()
}

/// Busy and total jiffies of the whole machine, from `/proc/stat`.
fn machine_jiffies() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let cpu: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total: f64 = cpu.iter().take(8).sum();
    let idle = cpu.get(3).copied().unwrap_or(0.0) + cpu.get(4).copied().unwrap_or(0.0);
    (total - idle, total)
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

// -------------------------------------------------------------- database

/// A fresh database on the PostgreSQL server of `base` (as the test
/// helpers make one), or a SQLite file in `dir`.
async fn fresh_database(
    postgres: Option<&str>,
    dir: &Path,
) -> anyhow::Result<(String, Option<String>)> {
    match postgres {
        Some(base) => {
            let name = format!(
                "deadline_day_{}_{}",
                std::process::id(),
                chrono::Utc::now().timestamp()
            );
            let admin = Database::connect(base)
                .await
                .context("connect to --postgres")?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let (prefix, _) = base
                .rsplit_once('/')
                .context("--postgres needs a database name, e.g. …:5432/postgres")?;
            Ok((format!("{prefix}/{name}"), Some(name)))
        }
        None => Ok((
            format!(
                "sqlite://{}/deadline.sqlite?mode=rwc",
                dir.join("db").display()
            ),
            None,
        )),
    }
}

/// One district submission of the open round and who works on it.
#[derive(Clone)]
struct Part {
    participant: i32,
    entity: i32,
}

/// A virtual user: its account, its submission and its indicators.
#[derive(Clone)]
struct VirtualUser {
    email: String,
    part: Part,
    indicators: Vec<&'static str>,
}

struct Prepared {
    db: DatabaseConnection,
    users: Vec<VirtualUser>,
    /// Districts with a published rating profile (for the profile page).
    rated: Vec<i32>,
    /// Participant ids of the round.
    participants: Vec<i32>,
}

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Prepares the database as demo mode does at start-up (through the same
/// `startup::build`), then adds the officers.
async fn prepare(url: &str, files: &Path, n: usize) -> anyhow::Result<Prepared> {
    let config = server::config::Config::load(None, |k| match k {
        "DARAJA_DATABASE_URL" => Some(url.to_owned()),
        "DARAJA_ADDR" => Some("127.0.0.1:0".into()),
        "DARAJA_JWT_SECRET" => Some(SECRET.into()),
        "DARAJA_DEMO" => Some("1".into()),
        "DARAJA_LOG" => Some("error".into()),
        "DARAJA_FILES_DIR" => Some(files.display().to_string()),
        _ => None,
    })?;
    let app = server::startup::build(config).await?;
    let db = app.services().db.clone();
    drop(app);
    // The servers run outside demo mode, which refuses to start while an
    // account accepts the public demo password.
    let demo: Vec<&str> = service::demo::DEMO_USERS.iter().map(|d| d.email).collect();
    users::Entity::update_many()
        .col_expr(users::Column::Active, Expr::value(false))
        .filter(users::Column::Email.is_in(demo))
        .exec(&db)
        .await?;

    let campaign = campaigns::Entity::find()
        .filter(campaigns::Column::Code.eq(CAMPAIGN))
        .one(&db)
        .await?
        .with_context(|| format!("the demo made no {CAMPAIGN} campaign"))?;
    let all = participants::Entity::find()
        .filter(participants::Column::CampaignId.eq(campaign.id))
        .all(&db)
        .await?;
    let parts: Vec<Part> = all
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                domain::SubmissionStatus::NotStarted | domain::SubmissionStatus::InProgress
            )
        })
        .map(|p| Part {
            participant: p.id,
            entity: p.entity_id,
        })
        .collect();
    ensure!(
        !parts.is_empty(),
        "no editable district submission in {CAMPAIGN}"
    );
    let now = chrono::Utc::now();
    let mut rated = Vec::new();
    for p in &all {
        if service::downloads::profile(&db, p.entity_id, now)
            .await
            .map_err(err)?
            .is_some()
        {
            rated.push(p.entity_id);
        }
    }
    ensure!(!rated.is_empty(), "no district has a published rating");

    // Officers: user u works on submission u mod P, sharing it with the
    // other users of that district, each with its own indicators (shared
    // only when a district has more users than indicators).
    let hash = service::auth::hash_password(PASSWORD).map_err(err)?;
    let mut vus = Vec::with_capacity(n);
    for u in 0..n {
        let part = parts[u % parts.len()].clone();
        let sharing = n / parts.len() + usize::from(u % parts.len() < n % parts.len());
        let slot = u / parts.len();
        let indicators: Vec<&'static str> = if sharing <= INDICATORS.len() {
            INDICATORS
                .iter()
                .enumerate()
                .filter(|(i, _)| i % sharing == slot)
                .map(|(_, c)| *c)
                .collect()
        } else {
            vec![INDICATORS[slot % INDICATORS.len()]]
        };
        vus.push(VirtualUser {
            email: format!("officer{u:04}@deadline.uz"),
            part,
            indicators,
        });
    }
    let tx = db.begin().await?;
    for chunk in vus.chunks(200) {
        users::Entity::insert_many(chunk.iter().map(|vu| users::ActiveModel {
            id: NotSet,
            email: Set(vu.email.clone()),
            display_name: Set(format!("Officer {}", &vu.email[7..11])),
            password_hash: Set(hash.clone()),
            locale: Set(domain::Locale::default().tag().to_owned()),
            active: Set(true),
            must_change_password: Set(false),
            failed_logins: Set(0),
            locked_until: Set(None),
            password_changed_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
        }))
        .exec(&tx)
        .await?;
    }
    let ids: HashMap<String, i32> = users::Entity::find()
        .filter(users::Column::Email.like("officer%@deadline.uz"))
        .all(&tx)
        .await?
        .into_iter()
        .map(|u| (u.email, u.id))
        .collect();
    for chunk in vus.chunks(200) {
        role_grants::Entity::insert_many(chunk.iter().map(|vu| role_grants::ActiveModel {
            id: NotSet,
            user_id: Set(ids[&vu.email]),
            role: Set(Role::District),
            entity_id: Set(Some(vu.part.entity)),
            granted_by: Set(None),
            granted_at: Set(now),
            revoked_at: Set(None),
            revoked_by: Set(None),
        }))
        .exec(&tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Prepared {
        db,
        users: vus,
        rated,
        participants: all.iter().map(|p| p.id).collect(),
    })
}

/// Stored version and value of every (participant, indicator) of `parts`.
async fn stored_values(
    db: &DatabaseConnection,
    parts: &[i32],
) -> anyhow::Result<HashMap<(i32, String), (i32, Option<f64>)>> {
    let mut out = HashMap::new();
    for chunk in parts.chunks(500) {
        for v in submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            let number = serde_json::from_str::<serde_json::Value>(&v.value)
                .ok()
                .and_then(|j| {
                    j.get("value")
                        .and_then(serde_json::Value::as_f64)
                        .or(j.as_f64())
                });
            out.insert((v.participant_id, v.indicator_code), (v.version, number));
        }
    }
    Ok(out)
}

/// Audited value saves on the submissions of `parts`.
async fn audited_saves(db: &DatabaseConnection, parts: &[i32]) -> anyhow::Result<u64> {
    let mut n = 0;
    for chunk in parts.chunks(500) {
        n += audit_log::Entity::find()
            .filter(audit_log::Column::ObjectType.eq("participant"))
            .filter(audit_log::Column::Action.eq("value.save"))
            .filter(audit_log::Column::ObjectId.is_in(chunk.iter().map(i32::to_string)))
            .count(db)
            .await?;
    }
    Ok(n)
}

// ------------------------------------------------------------------ load

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Kind {
    Form,
    Save,
    Ratings,
    Profile,
    Home,
    Refresh,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Form,
        Kind::Save,
        Kind::Ratings,
        Kind::Profile,
        Kind::Home,
        Kind::Refresh,
    ];

    fn label(self) -> &'static str {
        match self {
            Kind::Form => "form page `GET /submissions/{id}`",
            Kind::Save => "autosave `POST /api/save_value`",
            Kind::Ratings => "league `GET /ratings/district`",
            Kind::Profile => "rating profile `GET /registry/{id}`",
            Kind::Home => "home `GET /`",
            Kind::Refresh => "token refresh `POST /api/v1/auth/refresh`",
        }
    }
}

/// What one user saw of one kind of request.
#[derive(Default)]
struct Tally {
    micros: Vec<u32>,
    errors: u64,
    conflicts: u64,
}

/// One acknowledged save: the version the server answered and the value.
struct Ack {
    participant: i32,
    indicator: &'static str,
    version: i32,
    value: f64,
}

#[derive(Default)]
struct UserResult {
    tallies: HashMap<Kind, Tally>,
    acks: Vec<Ack>,
    /// Every request: milliseconds from the start of the load, kind,
    /// latency in microseconds.
    trace: Vec<(u32, Kind, u32)>,
}

struct Shared {
    base: String,
    http: reqwest::Client,
    think: (u64, u64),
    lockstep: bool,
    rated: Vec<i32>,
    /// When the load began.
    started: Instant,
    /// Requests completed and errors so far (for the progress line).
    done: AtomicU64,
    failed: AtomicU64,
    /// The first few errors, to say what went wrong.
    samples: Mutex<Vec<String>>,
}

impl Shared {
    fn note(&self, kind: Kind, what: String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        let mut s = self
            .samples
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if s.len() < 20 {
            s.push(format!("{kind:?}: {what}"));
        }
    }
}

/// xorshift64*: enough randomness for think times and values, seeded per user.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

struct Session {
    access: String,
    refresh: String,
    renew_at: Instant,
}

#[derive(serde::Deserialize)]
struct TokenAnswer {
    access_token: String,
    refresh_token: String,
    expires_in: u64,
}

impl From<TokenAnswer> for Session {
    fn from(t: TokenAnswer) -> Session {
        Session {
            access: t.access_token,
            refresh: t.refresh_token,
            // A minute early, so no request goes out with an expired token.
            renew_at: Instant::now() + Duration::from_secs(t.expires_in.saturating_sub(60)),
        }
    }
}

async fn sign_in(http: &reqwest::Client, base: &str, email: &str) -> anyhow::Result<Session> {
    let r = http
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
        .send()
        .await?;
    ensure!(r.status() == 200, "sign-in of {email}: {}", r.status());
    Ok(r.json::<TokenAnswer>().await?.into())
}

/// What a page must contain to count as served (not an error page).
fn marker(kind: Kind) -> &'static str {
    match kind {
        Kind::Form => "data-editable=\"true\"",
        Kind::Ratings => "class=\"rounds\"",
        Kind::Profile => "class=\"profile\"",
        Kind::Home => "data-roles=\"district\"",
        Kind::Save | Kind::Refresh => "",
    }
}

/// One user's loop: form, three autosaves, one public page; think before each.
async fn user(
    shared: Arc<Shared>,
    vu: VirtualUser,
    mut session: Session,
    mut versions: HashMap<&'static str, i32>,
    seed: u64,
    end: Instant,
) -> UserResult {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = UserResult::default();
    // Users are at different points of their cycle, as on a real deadline
    // day; with `--lockstep` all begin with the form page, so the pages of
    // every user come in waves.
    let mut step = if shared.lockstep {
        0
    } else {
        rng.between(0, 4) as usize
    };
    let mut next_indicator = 0usize;
    // Which public page comes first differs between users.
    let first_page = (seed % 3) as usize;
    let (lo, hi) = shared.think;
    // Users arrive spread over one think time, not all in the same instant.
    tokio::time::sleep(Duration::from_millis(rng.between(0, hi))).await;
    while Instant::now() < end {
        if Instant::now() >= session.renew_at {
            let started = Instant::now();
            let r = shared
                .http
                .post(format!("{}/api/v1/auth/refresh", shared.base))
                .json(&serde_json::json!({ "refresh_token": session.refresh }))
                .send()
                .await;
            let tally = out.tallies.entry(Kind::Refresh).or_default();
            let answer = match r {
                Ok(r) if r.status() == 200 => {
                    r.json::<TokenAnswer>().await.map_err(|e| e.to_string())
                }
                Ok(r) => Err(format!("status {}", r.status())),
                Err(e) => Err(e.to_string()),
            };
            tally.micros.push(micros(started));
            shared.done.fetch_add(1, Ordering::Relaxed);
            match answer {
                Ok(t) => session = t.into(),
                Err(e) => {
                    tally.errors += 1;
                    shared.note(Kind::Refresh, e);
                }
            }
        }
        let kind = match step % 5 {
            0 => Kind::Form,
            1..=3 => Kind::Save,
            _ => [Kind::Ratings, Kind::Profile, Kind::Home][(step / 5 + first_page) % 3],
        };
        step += 1;
        let started = Instant::now();
        let outcome = match kind {
            Kind::Save => {
                let code = vu.indicators[next_indicator % vu.indicators.len()];
                next_indicator += 1;
                let value = rng.between(0, 1000) as f64 / 10.0;
                let version = versions.get(code).copied().unwrap_or(0);
                let r = shared
                    .http
                    .post(format!("{}/api/save_value", shared.base))
                    .bearer_auth(&session.access)
                    .header("accept", "application/json")
                    .form(&[
                        ("id", vu.part.participant.to_string()),
                        ("indicator", code.to_owned()),
                        ("value", value.to_string()),
                        ("version", version.to_string()),
                    ])
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => match r.json::<SaveOutcome>().await {
                        Ok(SaveOutcome::Saved { version, .. }) => {
                            versions.insert(code, version);
                            out.acks.push(Ack {
                                participant: vu.part.participant,
                                indicator: code,
                                version,
                                value,
                            });
                            Ok(())
                        }
                        Ok(SaveOutcome::Conflict(c)) => {
                            versions.insert(code, c.version);
                            out.tallies.entry(Kind::Save).or_default().conflicts += 1;
                            Ok(())
                        }
                        Err(e) => Err(format!("unreadable answer: {e}")),
                    },
                    Ok(r) => {
                        let status = r.status();
                        Err(format!(
                            "status {status}: {}",
                            snippet(&r.text().await.unwrap_or_default())
                        ))
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Kind::Form | Kind::Ratings | Kind::Profile | Kind::Home => {
                let path = match kind {
                    Kind::Form => format!("/submissions/{}", vu.part.participant),
                    Kind::Ratings => "/ratings/district".to_owned(),
                    Kind::Profile => {
                        let i = rng.between(0, shared.rated.len() as u64 - 1) as usize;
                        format!("/registry/{}", shared.rated[i])
                    }
                    _ => "/".to_owned(),
                };
                let r = shared
                    .http
                    .get(format!("{}{path}", shared.base))
                    .bearer_auth(&session.access)
                    .send()
                    .await;
                match r {
                    Ok(r) => {
                        let status = r.status();
                        match r.text().await {
                            Ok(body) if status.is_success() && body.contains(marker(kind)) => {
                                Ok(())
                            }
                            Ok(body) => Err(format!("{path}: status {status}, {}", snippet(&body))),
                            Err(e) => Err(format!("{path}: {e}")),
                        }
                    }
                    Err(e) => Err(format!("{path}: {e}")),
                }
            }
            Kind::Refresh => Ok(()),
        };
        let tally = out.tallies.entry(kind).or_default();
        let took = micros(started);
        tally.micros.push(took);
        let at = started.duration_since(shared.started).as_millis() as u32;
        out.trace.push((at, kind, took));
        shared.done.fetch_add(1, Ordering::Relaxed);
        if let Err(e) = outcome {
            tally.errors += 1;
            shared.note(kind, e);
        }
        let pause = Duration::from_millis(rng.between(lo, hi));
        if Instant::now() + pause >= end {
            break;
        }
        tokio::time::sleep(pause).await;
    }
    out
}

fn micros(since: Instant) -> u32 {
    u32::try_from(since.elapsed().as_micros()).unwrap_or(u32::MAX)
}

fn snippet(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(300).collect()
}

/// The `p`-th percentile (nearest rank) of sorted samples, in milliseconds.
fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    f64::from(sorted[rank.min(sorted.len()) - 1]) / 1000.0
}

// ------------------------------------------------------- horizontal checks

/// With two or more instances: a token one issued works on another, a file
/// uploaded to one downloads from another, a save on one is a conflict on
/// another (they share the database, the secret and the file store).
async fn check_instances(
    http: &reqwest::Client,
    servers: &[Server],
    db: &DatabaseConnection,
    vu: &VirtualUser,
) -> anyhow::Result<()> {
    let (a, b) = (
        format!("http://{}", servers[0].addr),
        format!("http://{}", servers[1].addr),
    );
    let session = sign_in(http, &a, &vu.email).await?;
    let page = http
        .get(format!("{b}/submissions/{}", vu.part.participant))
        .bearer_auth(&session.access)
        .send()
        .await?
        .text()
        .await?;
    ensure!(
        page.contains(marker(Kind::Form)),
        "a token from instance 1 was not accepted by instance 2"
    );
    let pdf = format!(
        "%PDF-1.7 deadline day {}",
        chrono::Utc::now().timestamp_micros()
    )
    .into_bytes();
    let code = vu.indicators[0];
    let form = reqwest::multipart::Form::new()
        .text("indicator", code)
        .part(
            "file",
            reqwest::multipart::Part::bytes(pdf.clone()).file_name("proof.pdf"),
        );
    let r = http
        .post(format!(
            "{a}/files/submissions/{}/evidence",
            vu.part.participant
        ))
        .bearer_auth(&session.access)
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await?;
    ensure!(r.status() == 201, "upload to instance 1: {}", r.status());
    let stored = evidence::Entity::find()
        .filter(evidence::Column::ParticipantId.eq(vu.part.participant))
        .filter(evidence::Column::Kind.eq("file"))
        .all(db)
        .await?
        .into_iter()
        .max_by_key(|e| e.id)
        .context("the upload left no evidence row")?;
    let r = http
        .get(format!("{b}/files/evidence/{}", stored.id))
        .bearer_auth(&session.access)
        .send()
        .await?;
    ensure!(
        r.status() == 200,
        "download from instance 2: {}",
        r.status()
    );
    ensure!(
        r.bytes().await?.as_ref() == pdf.as_slice(),
        "instance 2 served other bytes"
    );
    let version = submission_values::Entity::find()
        .filter(submission_values::Column::ParticipantId.eq(vu.part.participant))
        .filter(submission_values::Column::IndicatorCode.eq(code))
        .one(db)
        .await?
        .map_or(0, |v| v.version);
    let save = |base: String| {
        http.post(format!("{base}/api/save_value"))
            .bearer_auth(&session.access)
            .header("accept", "application/json")
            .form(&[
                ("id", vu.part.participant.to_string()),
                ("indicator", code.to_owned()),
                ("value", "50".to_owned()),
                ("version", version.to_string()),
            ])
            .send()
    };
    let first: SaveOutcome = save(a).await?.json().await?;
    let second: SaveOutcome = save(b).await?.json().await?;
    ensure!(
        matches!(first, SaveOutcome::Saved { .. }) && matches!(second, SaveOutcome::Conflict(_)),
        "a save on instance 1 then the same version on instance 2: {first:?}, {second:?}"
    );
    Ok(())
}

// ------------------------------------------------------------------ main

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let o = options()?;
    let bin = server_binary()?;
    let dir = std::env::temp_dir().join(format!("daraja-deadline-day-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let files = dir.join("files");
    let (url, pg_name) = fresh_database(o.postgres.as_deref(), &dir).await?;
    let backend = if o.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    let setup = Instant::now();
    let p = prepare(&url, &files, o.users).await?;
    let districts = {
        let mut d: Vec<i32> = p.users.iter().map(|u| u.part.participant).collect();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    println!(
        "prepared {backend} in {:.1} s: demo history, {} officers on {districts} district submissions",
        setup.elapsed().as_secs_f64(),
        p.users.len(),
    );

    let mut servers = Vec::new();
    for i in 0..o.instances {
        servers.push(Server::start(&bin, &url, &files, dir.join(format!("server-{i}.log"))).await?);
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    if o.instances > 1 {
        check_instances(&http, &servers, &p.db, &p.users[0]).await?;
        println!(
            "{} instances: a token, an uploaded file and a saved value of one are seen by the other",
            o.instances
        );
    }
    let (base, connections) = if o.instances > 1 {
        let (addr, counts) = proxy(servers.iter().map(|s| s.addr).collect()).await?;
        (format!("http://{addr}"), Some(counts))
    } else {
        (format!("http://{}", servers[0].addr), None)
    };

    // Sign everyone in (argon2: slow on purpose; not part of the figures).
    let signing = Instant::now();
    let mut sessions = Vec::with_capacity(p.users.len());
    for chunk in p.users.chunks(16) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|vu| {
                let (http, base, email) = (http.clone(), base.clone(), vu.email.clone());
                tokio::spawn(async move { sign_in(&http, &base, &email).await })
            })
            .collect();
        for h in batch {
            sessions.push(h.await??);
        }
    }
    println!(
        "signed in {} users in {:.1} s",
        sessions.len(),
        signing.elapsed().as_secs_f64()
    );

    // The versions each user starts from, as its form would show them.
    let before = stored_values(&p.db, &p.participants).await?;
    let audited_before = audited_saves(&p.db, &p.participants).await?;

    let shared = Arc::new(Shared {
        base,
        http,
        think: o.think,
        lockstep: o.lockstep,
        rated: p.rated.clone(),
        started: Instant::now(),
        done: AtomicU64::new(0),
        failed: AtomicU64::new(0),
        samples: Mutex::new(Vec::new()),
    });
    let ticks = clock_ticks();
    let pids: Vec<u32> = servers.iter().map(Server::pid).collect();
    let me = std::process::id();
    let cpu0: Vec<f64> = pids.iter().map(|&pid| cpu_seconds(pid, ticks)).collect();
    let me0 = cpu_seconds(me, ticks);
    let pg0 = postgres_cpu_seconds(ticks);
    let machine0 = machine_jiffies();
    let started = Instant::now();
    let end = started + Duration::from_secs(o.seconds);
    let mut handles = Vec::with_capacity(p.users.len());
    for (u, (vu, session)) in p.users.iter().zip(sessions).enumerate() {
        let versions = vu
            .indicators
            .iter()
            .map(|&c| {
                let v = before
                    .get(&(vu.part.participant, c.to_owned()))
                    .map_or(0, |x| x.0);
                (c, v)
            })
            .collect();
        handles.push(tokio::spawn(user(
            shared.clone(),
            vu.clone(),
            session,
            versions,
            u as u64 + 1,
            end,
        )));
    }
    let progress = {
        let shared = shared.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(30)).await;
                println!(
                    "  {:>4.0} s: {} requests, {} errors",
                    started.elapsed().as_secs_f64(),
                    shared.done.load(Ordering::Relaxed),
                    shared.failed.load(Ordering::Relaxed)
                );
            }
        })
    };
    let mut results = Vec::with_capacity(handles.len());
    for h in handles {
        results.push(h.await?);
    }
    progress.abort();
    let wall = started.elapsed().as_secs_f64();
    let cpu: Vec<f64> = pids
        .iter()
        .zip(&cpu0)
        .map(|(&pid, c0)| cpu_seconds(pid, ticks) - c0)
        .collect();
    let me_cpu = cpu_seconds(me, ticks) - me0;
    let pg_cpu = postgres_cpu_seconds(ticks) - pg0;
    let machine1 = machine_jiffies();
    let machine_busy = (machine1.0 - machine0.0) / (machine1.1 - machine0.1).max(1.0);
    let peaks: Vec<(f64, f64)> = pids
        .iter()
        .map(|&pid| (memory_mib(pid, "VmHWM:"), memory_mib(pid, "VmRSS:")))
        .collect();

    // Figures.
    let mut tallies: HashMap<Kind, Tally> = HashMap::new();
    let mut acks = Vec::new();
    if let Some(path) = &o.trace {
        let mut rows: Vec<&(u32, Kind, u32)> = results.iter().flat_map(|r| &r.trace).collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut csv = String::from("start_ms,request,latency_ms\n");
        for (at, kind, took) in rows {
            // The label's first word: form, autosave, league, rating, home, token.
            let name = kind.label().split(' ').next().unwrap_or_default();
            csv.push_str(&format!("{at},{name},{:.1}\n", *took as f64 / 1000.0));
        }
        std::fs::write(path, csv).with_context(|| format!("write {}", path.display()))?;
    }
    for r in results {
        for (k, t) in r.tallies {
            let all = tallies.entry(k).or_default();
            all.micros.extend(t.micros);
            all.errors += t.errors;
            all.conflicts += t.conflicts;
        }
        acks.extend(r.acks);
    }
    println!();
    println!(
        "{} users, {} s, think {}–{} ms{}, {backend}, {} instance{}{}",
        p.users.len(),
        o.seconds,
        o.think.0,
        o.think.1,
        if o.lockstep { ", lockstep" } else { "" },
        o.instances,
        if o.instances > 1 { "s" } else { "" },
        if o.instances > 1 {
            " behind the proxy"
        } else {
            ""
        },
    );
    println!();
    println!(
        "| request | count | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | conflicts |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let (mut total, mut errors) = (0usize, 0u64);
    let mut everything = Vec::new();
    for k in Kind::ALL {
        let Some(t) = tallies.get_mut(&k) else {
            continue;
        };
        t.micros.sort_unstable();
        total += t.micros.len();
        errors += t.errors;
        everything.extend_from_slice(&t.micros);
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} |",
            k.label(),
            t.micros.len(),
            t.micros.len() as f64 / wall,
            percentile(&t.micros, 50.0),
            percentile(&t.micros, 90.0),
            percentile(&t.micros, 99.0),
            percentile(&t.micros, 100.0),
            t.errors,
            t.conflicts
        );
    }
    everything.sort_unstable();
    println!(
        "| **all** | {total} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | **{errors}** | |",
        total as f64 / wall,
        percentile(&everything, 50.0),
        percentile(&everything, 90.0),
        percentile(&everything, 99.0),
        percentile(&everything, 100.0),
    );
    println!();
    for (i, ((c, (hwm, rss)), s)) in cpu.iter().zip(&peaks).zip(&servers).enumerate() {
        println!(
            "server {}: CPU {:.2} cores ({c:.1} s over {wall:.1} s), peak RSS {hwm:.0} MiB (now {rss:.0} MiB), {} log lines",
            i + 1,
            c / wall,
            s.logged().len()
        );
    }
    if let Some(counts) = &connections {
        let c: Vec<String> = counts
            .iter()
            .map(|n| n.load(Ordering::Relaxed).to_string())
            .collect();
        println!("proxy: connections per instance {}", c.join(" / "));
    }
    println!(
        "load driver{}: CPU {:.2} cores; {}machine busy {:.0} % of {} cores",
        if connections.is_some() {
            " and proxy"
        } else {
            ""
        },
        me_cpu / wall,
        if o.postgres.is_some() {
            format!("PostgreSQL (local processes) {:.2} cores; ", pg_cpu / wall)
        } else {
            String::new()
        },
        machine_busy * 100.0,
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
    );
    let samples = shared
        .samples
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    for s in &samples {
        println!("  error: {s}");
    }
    for (i, s) in servers.iter().enumerate() {
        for line in s.logged().iter().take(10) {
            println!("  server {} logged: {line}", i + 1);
        }
    }

    // Zero lost: every acknowledged save is stored. Each (submission,
    // indicator) has moved on by exactly its acknowledged saves, holds the
    // value of the newest one, and each has its audit entry.
    let after = stored_values(&p.db, &p.participants).await?;
    let audited = audited_saves(&p.db, &p.participants).await? - audited_before;
    let mut newest: HashMap<(i32, &str), (usize, &Ack)> = HashMap::new();
    for a in &acks {
        let e = newest.entry((a.participant, a.indicator)).or_insert((0, a));
        e.0 += 1;
        if a.version > e.1.version {
            e.1 = a;
        }
    }
    let mut lost = Vec::new();
    for ((part, code), (count, ack)) in &newest {
        let key = (*part, (*code).to_owned());
        let was = before.get(&key).map_or(0, |v| v.0);
        match after.get(&key) {
            Some((version, value))
                if *version == ack.version
                    && *version - was == *count as i32
                    && value.is_some_and(|v| (v - ack.value).abs() < 1e-9) => {}
            other => lost.push(format!(
                "submission {part} {code}: {count} saves acknowledged from version {was}, \
                 newest {} = {}; stored {other:?}",
                ack.version, ack.value
            )),
        }
    }
    println!(
        "autosaves: {} acknowledged on {} values; stored versions and values account for {}; \
         {audited} audited; lost: {}",
        acks.len(),
        newest.len(),
        acks.len() - lost.len().min(acks.len()),
        lost.len()
    );
    for l in lost.iter().take(10) {
        println!("  lost: {l}");
    }
    let ok = errors == 0 && lost.is_empty() && audited == acks.len() as u64;

    drop(servers);
    p.db.close().await?;
    if ok {
        if let (Some(base), Some(name)) = (&o.postgres, &pg_name) {
            let admin = Database::connect(base.as_str()).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await?;
            admin.close().await?;
        }
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!(
            "kept for inspection: {} {}",
            dir.display(),
            pg_name.unwrap_or_default()
        );
    }
    ensure!(errors == 0, "{errors} requests failed");
    ensure!(
        lost.is_empty(),
        "{} acknowledged values are not as saved",
        lost.len()
    );
    ensure!(
        audited == acks.len() as u64,
        "{audited} audited saves for {} acknowledged",
        acks.len()
    );
    Ok(())
}
