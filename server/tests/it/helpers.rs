//! Spawning the app on a fresh database, and signing in as a role.

use domain::{EntityId, Role, UserId};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};
use server::config::Config;
use service::Services;
use std::sync::atomic::{AtomicU32, Ordering};

pub const SECRET: &str = "test-secret-0123456789-0123456789-abcdef";
pub const PASSWORD: &str = "correct horse 42";

pub struct TestApp {
    pub base: String,
    pub services: Services,
    pub http: reqwest::Client,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database URL no other test uses.
pub async fn fresh_database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!(
        "{}_{}_{n}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let name = format!("daraja_test_{tag}");
            let admin = Database::connect(base.clone())
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL has a database name");
            format!("{prefix}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("daraja-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/db-{tag}.sqlite?mode=rwc", dir.display())
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(false).await
}

pub async fn spawn_app_with(demo: bool) -> TestApp {
    spawn_app_configured(demo, &[]).await
}

/// The app with further `DARAJA_*` settings.
pub async fn spawn_app_configured(demo: bool, settings: &[(&str, &str)]) -> TestApp {
    let url = fresh_database_url().await;
    spawn_app_with_url(&url, demo, settings).await
}

/// The app on the database at `url` (which another process may share).
pub async fn spawn_app_on(url: &str) -> TestApp {
    spawn_app_with_url(url, false, &[]).await
}

pub async fn spawn_app_with_url(url: &str, demo: bool, settings: &[(&str, &str)]) -> TestApp {
    let url = url.to_owned();
    let files_dir = std::env::temp_dir().join("daraja-tests").join(format!(
        "files-{}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    ));
    let config = Config::load(None, |k| match k {
        "DARAJA_DATABASE_URL" => Some(url.clone()),
        "DARAJA_ADDR" => Some("127.0.0.1:0".into()),
        "DARAJA_JWT_SECRET" => Some(SECRET.into()),
        "DARAJA_DEMO" => Some(if demo { "1" } else { "0" }.into()),
        "DARAJA_LOG" => Some("warn".into()),
        "DARAJA_FILES_DIR" => Some(files_dir.display().to_string()),
        other => settings
            .iter()
            .find(|(k, _)| *k == other)
            .map(|(_, v)| (*v).to_owned())
            // Tests run the link checker by hand (no internet here).
            .or_else(|| (other == "DARAJA_LINK_CHECK_EVERY").then(|| "0".to_owned())),
    })
    .unwrap();
    let app = server::startup::build(config).await.expect("app builds");
    let base = format!("http://{}", app.addr());
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        services,
        http: client(),
    }
}

pub fn client() -> reqwest::Client {
    server::startup::install_crypto();
    reqwest::Client::builder()
        .cookie_store(true)
        // A page that never finishes fails its test instead of hanging CI.
        .timeout(std::time::Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    /// Creates a user holding `role`, bound to `entity` where the role needs one.
    pub async fn user_with(&self, email: &str, role: Role, entity: Option<EntityId>) -> UserId {
        let db = &self.services.db;
        let email = service::users::Email::parse(email).unwrap();
        let u = service::users::insert_user(db, &email, "Test User", PASSWORD)
            .await
            .unwrap();
        service::users::insert_grant(db, UserId(u.id), role, entity, None)
            .await
            .unwrap();
        UserId(u.id)
    }

    /// The id of the registry entity with `code` (slug or SOATO).
    pub async fn entity(&self, code: &str) -> EntityId {
        let e = entity::entities::Entity::find()
            .filter(entity::entities::Column::Code.eq(code))
            .one(&self.services.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no entity {code}"));
        EntityId(e.id)
    }

    /// Any entity of `kind`, the n-th by id.
    pub async fn nth_entity(&self, kind: &str, n: usize) -> EntityId {
        let rows = entity::entities::Entity::find()
            .filter(entity::entities::Column::Kind.eq(kind))
            .all(&self.services.db)
            .await
            .unwrap();
        EntityId(rows[n].id)
    }

    /// Signs in through the API and returns the JSON token response.
    pub async fn token(&self, email: &str, password: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/auth/token", self.base))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap()
    }

    pub async fn bearer(&self, email: &str) -> String {
        let r = self.token(email, PASSWORD).await;
        assert_eq!(r.status(), 200, "sign-in of {email}");
        let body: serde_json::Value = r.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// Calls a server function with form fields, optionally as a bearer.
    pub async fn server_fn(
        &self,
        name: &str,
        token: Option<&str>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/api/{name}", self.base))
            .header("accept", "application/json")
            .form(form);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }
}
