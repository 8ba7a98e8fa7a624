//! A fresh database per test (SQLite by default, PostgreSQL when
//! `TEST_DATABASE_URL` names a server), seeded like the server seeds it; a
//! signed-in principal of every role; rounds created and opened through
//! the service; and the one place that reads a `ServiceError`'s variant.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::{
    CampaignId, CampaignStatus, EntityId, EntityKind, Names, NewCampaign, ParticipantId,
    ParticipantPick, Role, SaveOutcome, SubmissionStatus, UserId,
};
use entity::{campaigns, entities, participants, submission_values};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use service::submissions::{self, EvidenceInput, SaveRequest};
use service::{Principal, ServiceError};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database URL no other test uses: a new SQLite file, or a new
/// database on the PostgreSQL server `TEST_DATABASE_URL` names.
pub async fn fresh_database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!(
        "{}_{}_{n}",
        std::process::id(),
        Utc::now().timestamp_micros()
    );
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let name = format!("daraja_svc_{tag}");
            let admin = Database::connect(base.clone())
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL has a database name");
            format!("{prefix}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("daraja-service-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/db-{tag}.sqlite?mode=rwc", dir.display())
        }
    }
}

// ------------------------------------------------------------- refusals

/// What a refused service call was refused as: the error's variant (and,
/// for a field error, the field; for a rejected batch, the pointers).
/// Never the message text, which is free to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not signed in.
    Unauthenticated,
    /// Role or scope does not allow it.
    Forbidden,
    /// No such object.
    NotFound,
    /// Conflicts with the current state.
    Conflict,
    /// Bad input, naming the field.
    Invalid(&'static str),
    /// Several problems, at these JSON pointers.
    Rejected(Vec<String>),
    /// Any other variant, by [`kind`].
    Other(&'static str),
}

/// The name of an error's variant.
pub fn kind(e: &ServiceError) -> &'static str {
    match e {
        ServiceError::Unauthenticated => "Unauthenticated",
        ServiceError::Forbidden(..) => "Forbidden",
        ServiceError::NotFound(..) => "NotFound",
        ServiceError::Invalid(..) => "Invalid",
        ServiceError::Rejected(..) => "Rejected",
        ServiceError::Conflict(..) => "Conflict",
        ServiceError::Lost(..) => "Lost",
        ServiceError::BadCredentials => "BadCredentials",
        ServiceError::Unavailable(..) => "Unavailable",
        ServiceError::Db(..) => "Db",
        ServiceError::Json(..) => "Json",
        ServiceError::Export(..) => "Export",
        ServiceError::Seed(..) => "Seed",
        ServiceError::Methodology(..) => "Methodology",
        ServiceError::Proposal(..) => "Proposal",
        ServiceError::Files(..) => "Files",
        ServiceError::Crypto(..) => "Crypto",
        ServiceError::Inconsistent(..) => "Inconsistent",
    }
}

/// How an error reads in a table.
pub fn refused(e: &ServiceError) -> Refused {
    match e {
        ServiceError::Unauthenticated => Refused::Unauthenticated,
        ServiceError::Forbidden(..) => Refused::Forbidden,
        ServiceError::NotFound(..) => Refused::NotFound,
        ServiceError::Conflict(..) => Refused::Conflict,
        ServiceError::Invalid(p) => Refused::Invalid(p.field),
        ServiceError::Rejected(problems) => {
            Refused::Rejected(problems.iter().map(|p| p.pointer.clone()).collect())
        }
        other => Refused::Other(kind(other)),
    }
}

/// A service result as a table reads it.
pub fn outcome<T>(r: Result<T, ServiceError>) -> Result<T, Refused> {
    r.map_err(|e| refused(&e))
}

// --------------------------------------------------------------- people

/// The signed-in people of every test: one of each ministry role, and
/// officers bound to entities of the [`World`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Ministry admin.
    Admin,
    /// Ministry methodologist (runs campaigns).
    Methodologist,
    /// Ministry reviewer.
    Reviewer,
    /// Ministry publisher.
    Publisher,
    /// Reads everything, changes nothing.
    Viewer,
    /// CDO of the state body `b1`.
    Cdo,
    /// District officer of `d1`.
    Officer,
    /// District officer of `d2` (another region).
    Other,
    /// A `district` grant on `d1`'s region.
    Region,
}

impl Who {
    /// Every person of a world.
    pub const ALL: [Who; 9] = [
        Who::Admin,
        Who::Methodologist,
        Who::Reviewer,
        Who::Publisher,
        Who::Viewer,
        Who::Cdo,
        Who::Officer,
        Who::Other,
        Who::Region,
    ];
}

/// The password of every test account.
pub const PASSWORD: &str = "correct horse 42";

/// A registry entity the tests use: its id and code.
#[derive(Debug, Clone)]
pub struct Ent {
    /// Row id.
    pub id: EntityId,
    /// Its code (SOATO or organization code).
    pub code: String,
}

/// A campaign of the world and its submissions.
#[derive(Debug, Clone)]
pub struct Round {
    /// The campaign.
    pub id: CampaignId,
    /// Its code.
    pub code: String,
    /// Each participant's entity and submission.
    pub parts: Vec<(EntityId, ParticipantId)>,
}

impl Round {
    /// The submission of `entity`.
    pub fn of(&self, entity: &Ent) -> ParticipantId {
        self.parts
            .iter()
            .find(|(e, _)| *e == entity.id)
            .map(|(_, p)| *p)
            .unwrap_or_else(|| panic!("{} takes no part in {}", entity.code, self.code))
    }
}

/// A seeded database with one person per role and the entities they
/// speak for: districts `d1` (region `r1`) and `d2` (another region),
/// state bodies `b1` and `b2`.
pub struct World {
    /// The pool.
    pub db: DatabaseConnection,
    /// The day the world was made: campaign dates count from it.
    pub today: NaiveDate,
    /// The officer's district.
    pub d1: Ent,
    /// A district of another region.
    pub d2: Ent,
    /// `d1`'s region.
    pub r1: Ent,
    /// The CDO's state body.
    pub b1: Ent,
    /// Another state body.
    pub b2: Ent,
    people: Vec<(Who, Principal)>,
}

fn ent(e: &entities::Model) -> Ent {
    Ent {
        id: EntityId(e.id),
        code: e.code.clone(),
    }
}

impl World {
    /// Connects to a fresh database, migrates and seeds it as the server
    /// does, and signs in one person of each [`Who`].
    pub async fn new() -> World {
        let url = fresh_database_url().await;
        let db = service::db::connect_and_migrate(&url, Some(4))
            .await
            .expect("connect and migrate");
        service::seed::registry(&db).await.expect("seed registry");
        service::seed::methodologies(&db)
            .await
            .expect("seed methodologies");
        let today = Utc::now().date_naive();
        let current = |kind: EntityKind| {
            let db = db.clone();
            async move {
                entities::Entity::find()
                    .filter(entities::Column::Kind.eq(kind.as_str()))
                    .filter(entities::Column::ValidTo.is_null())
                    .filter(entities::Column::Rated.eq(true))
                    .order_by_asc(entities::Column::Id)
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        let districts = current(EntityKind::District).await;
        let d1 = districts[0].clone();
        let d2 = districts
            .iter()
            .find(|d| d.region_id.is_some() && d.region_id != d1.region_id)
            .expect("a district of another region")
            .clone();
        let r1 = entities::Entity::find_by_id(d1.region_id.expect("a district has a region"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let bodies = current(EntityKind::StateBody).await;
        let (d1, d2, r1, b1, b2) = (
            ent(&d1),
            ent(&d2),
            ent(&r1),
            ent(&bodies[0]),
            ent(&bodies[1]),
        );
        let mut people = Vec::new();
        for who in Who::ALL {
            let (role, entity) = match who {
                Who::Admin => (Role::Admin, None),
                Who::Methodologist => (Role::Methodologist, None),
                Who::Reviewer => (Role::Reviewer, None),
                Who::Publisher => (Role::Publisher, None),
                Who::Viewer => (Role::Viewer, None),
                Who::Cdo => (Role::Cdo, Some(b1.id)),
                Who::Officer => (Role::District, Some(d1.id)),
                Who::Other => (Role::District, Some(d2.id)),
                Who::Region => (Role::District, Some(r1.id)),
            };
            let email = format!("{who:?}@t.uz").to_lowercase();
            let email = service::users::Email::parse(&email).unwrap();
            let u = service::users::insert_user(&db, &email, &format!("{who:?}"), PASSWORD)
                .await
                .unwrap();
            service::users::insert_grant(&db, UserId(u.id), role, entity, None)
                .await
                .unwrap();
            let p = service::scope::load_principal(&db, UserId(u.id), "test".into())
                .await
                .unwrap();
            people.push((who, p));
        }
        World {
            db,
            today,
            d1,
            d2,
            r1,
            b1,
            b2,
            people,
        }
    }

    /// The signed-in principal of `who`.
    pub fn p(&self, who: Who) -> &Principal {
        &self
            .people
            .iter()
            .find(|(w, _)| *w == who)
            .expect("every Who is signed in")
            .1
    }

    /// `today + d` as `YYYY-MM-DD`.
    pub fn day(&self, d: i64) -> String {
        (self.today + Duration::days(d)).to_string()
    }

    /// Noon UTC of `day`.
    pub fn noon(day: NaiveDate) -> DateTime<Utc> {
        Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("noon"))
    }

    /// The campaign as `adjust` leaves a district round of `d1` and `d2`
    /// (opened yesterday; deadline in 10 days, review in 20, appeals until
    /// 30), created by the admin and left in draft.
    pub fn new_campaign(&self, code: &str) -> NewCampaign {
        NewCampaign {
            code: code.into(),
            period: "2025".into(),
            kind: EntityKind::District,
            methodology: "nis-districts@2020".into(),
            names: Names {
                uz_latn: "Sinov".into(),
                uz_cyrl: "Синов".into(),
                ru: "Тест".into(),
                en: "Test".into(),
            },
            opens_on: self.day(-1),
            deadline: self.day(10),
            review_deadline: self.day(20),
            appeal_until: self.day(30),
            participants: ParticipantPick::Codes(vec![self.d1.code.clone(), self.d2.code.clone()]),
            region_review: false,
        }
    }

    /// Creates `input` (as the admin) and, with `open`, opens it.
    pub async fn create(&self, input: &NewCampaign, open: bool) -> Round {
        let admin = self.p(Who::Admin);
        let c = service::campaigns::create(&self.db, admin, input)
            .await
            .unwrap();
        if open {
            service::campaigns::advance(&self.db, admin, c.id, CampaignStatus::Draft, None)
                .await
                .unwrap();
        }
        let parts = participants::Entity::find()
            .filter(participants::Column::CampaignId.eq(c.id.0))
            .all(&self.db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (EntityId(p.entity_id), ParticipantId(p.id)))
            .collect();
        Round {
            id: c.id,
            code: c.code,
            parts,
        }
    }

    /// An open district round of `d1` and `d2`; with `two_level`, the
    /// region's officer reviews first.
    pub async fn district_round(&self, code: &str, two_level: bool) -> Round {
        let mut input = self.new_campaign(code);
        input.region_review = two_level;
        self.create(&input, true).await
    }

    /// An open round of the state bodies `b1` and `b2`.
    pub async fn body_round(&self, code: &str) -> Round {
        let mut input = self.new_campaign(code);
        input.kind = EntityKind::StateBody;
        input.methodology = "nis-bodies@2022".into();
        input.participants =
            ParticipantPick::Codes(vec![self.b1.code.clone(), self.b2.code.clone()]);
        self.create(&input, true).await
    }

    /// `who` answers every question of a district submission (number,
    /// percent, yes/no, within range) and attaches the evidence asked
    /// for, through the form's own save: it can then be submitted.
    pub async fn fill_in(&self, who: Who, p: ParticipantId) {
        let who = self.p(who);
        let now = Utc::now();
        let form = submissions::form(&self.db, who, p, now).await.unwrap();
        for f in form.sections.iter().flat_map(|s| &s.fields) {
            let value = match f.kind.as_str() {
                "yes_no" => "ha",
                "percent" => "55,5 %",
                _ if f.range.is_some_and(|(_, max)| max < 1240.0) => "12",
                _ => "1 240",
            };
            let req = SaveRequest {
                indicator: f.code.clone(),
                value: Some(value.into()),
                comment: None,
                version: f.version,
            };
            match submissions::save(&self.db, who, p, &req, now)
                .await
                .unwrap()
            {
                SaveOutcome::Saved { .. } => {}
                other => panic!("{}: {other:?}", f.code),
            }
            if f.evidence_required {
                submissions::add_evidence(
                    &self.db,
                    who,
                    p,
                    &f.code,
                    &EvidenceInput::Url("https://asaka.uz/report".into()),
                    now,
                )
                .await
                .unwrap();
            }
        }
    }

    // A test puts a submission or a campaign in the state its row starts
    // from directly: the rules under test are those of the step taken
    // from there, not of how it got there (which other rows cover).

    /// Puts submission `p` in `status` (its version moves on, as every
    /// change of status moves it).
    pub async fn force_status(&self, p: ParticipantId, status: SubmissionStatus) {
        let row = participants::Entity::find_by_id(p.0)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap();
        let version = row.version;
        let mut am: participants::ActiveModel = row.into();
        am.status = Set(status);
        am.version = Set(version + 1);
        am.update(&self.db).await.unwrap();
    }

    /// Puts campaign `c` in `status`.
    pub async fn force_campaign(&self, c: CampaignId, status: CampaignStatus) {
        let row = campaigns::Entity::find_by_id(c.0)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap();
        let mut am: campaigns::ActiveModel = row.into();
        am.status = Set(status);
        am.update(&self.db).await.unwrap();
    }

    /// Where submission `p` is.
    pub async fn status(&self, p: ParticipantId) -> SubmissionStatus {
        let row = participants::Entity::find_by_id(p.0)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap();
        row.status
    }

    /// Where campaign `c` is.
    pub async fn campaign_status(&self, c: CampaignId) -> CampaignStatus {
        let row = campaigns::Entity::find_by_id(c.0)
            .one(&self.db)
            .await
            .unwrap()
            .unwrap();
        row.status
    }

    /// The stored row of `code` in submission `p`, if any.
    pub async fn stored(&self, p: ParticipantId, code: &str) -> Option<submission_values::Model> {
        submission_values::Entity::find()
            .filter(submission_values::Column::ParticipantId.eq(p.0))
            .filter(submission_values::Column::IndicatorCode.eq(code))
            .one(&self.db)
            .await
            .unwrap()
    }

    /// The stored version of `code` in `p` (0 when never saved).
    pub async fn version(&self, p: ParticipantId, code: &str) -> i32 {
        self.stored(p, code).await.map_or(0, |v| v.version)
    }

    /// The form's field `code` of `p`, as `who` reads it.
    pub async fn field(&self, who: Who, p: ParticipantId, code: &str) -> domain::FormField {
        let form = submissions::form(&self.db, self.p(who), p, Utc::now())
            .await
            .unwrap();
        form.sections
            .into_iter()
            .flat_map(|s| s.fields)
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no field {code}"))
    }
}
