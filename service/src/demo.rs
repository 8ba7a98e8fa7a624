//! Demo mode: documented demo users for each role and a deterministic demo
//! history on the real registry.
//!
//! The demo password is public (README), so a server not in demo mode
//! refuses to start while any account still accepts it.

use crate::{ServiceError, ServiceResult, auth, users};
use chrono::TimeZone;
use domain::{EntityId, EntityKind, Role};
use entity::{entities, users as users_table};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "daraja-demo-2026";

/// A demo account: e-mail, name, role, and how to find its entity.
pub struct DemoUser {
    /// Sign-in e-mail.
    pub email: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Its role.
    pub role: Role,
    /// English-name fragment and kind of the entity a CDO or district officer speaks for.
    pub entity: Option<(&'static str, &'static str)>,
}

/// The demo accounts, one per role.
pub const DEMO_USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@daraja.uz",
        name: "Aziza Karimova",
        role: Role::Admin,
        entity: None,
    },
    DemoUser {
        email: "methodologist@daraja.uz",
        name: "Bekzod Rahimov",
        role: Role::Methodologist,
        entity: None,
    },
    DemoUser {
        email: "reviewer@daraja.uz",
        name: "Dilnoza Yusupova",
        role: Role::Reviewer,
        entity: None,
    },
    DemoUser {
        email: "publisher@daraja.uz",
        name: "Jasur Tursunov",
        role: Role::Publisher,
        entity: None,
    },
    DemoUser {
        email: "cdo@daraja.uz",
        name: "Malika Ergasheva",
        role: Role::Cdo,
        entity: Some(("Statistics", "state_body")),
    },
    DemoUser {
        email: "district@daraja.uz",
        name: "Sardor Qodirov",
        role: Role::District,
        entity: Some(("Asaka", "district")),
    },
    DemoUser {
        email: "tashkent@daraja.uz",
        name: "Shahzoda Aliyeva",
        role: Role::District,
        entity: Some(("Tashkent city", "region")),
    },
    DemoUser {
        email: "andijan@daraja.uz",
        name: "Otabek Nazarov",
        role: Role::District,
        entity: Some(("Andijan", "region")),
    },
    DemoUser {
        email: "viewer@daraja.uz",
        name: "Nodira Saidova",
        role: Role::Viewer,
        entity: None,
    },
];

async fn find_entity(
    db: &impl ConnectionTrait,
    fragment: &str,
    kind: &str,
) -> ServiceResult<EntityId> {
    // The body as it stands today (a reformed body's successor), so the
    // demo officer has this year's form to fill in.
    entities::Entity::find()
        .filter(entities::Column::Kind.eq(kind))
        .filter(entities::Column::NameEn.contains(fragment))
        .order_by_asc(entities::Column::ValidTo.is_not_null())
        .order_by_asc(entities::Column::Id)
        .one(db)
        .await?
        .map(|e| EntityId(e.id))
        .ok_or_else(|| {
            ServiceError::missing("demo entity", format!("{kind} named like {fragment:?}"))
        })
}

/// Creates the demo accounts that do not exist yet, with their grants.
pub async fn ensure_users(db: &DatabaseConnection) -> ServiceResult<usize> {
    let tx = db.begin().await?;
    let mut created = 0;
    for d in DEMO_USERS {
        let exists = users_table::Entity::find()
            .filter(users_table::Column::Email.eq(d.email))
            .one(&tx)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let email = users::Email::parse(d.email)?;
        let user = users::insert_user(&tx, &email, d.name, DEMO_PASSWORD).await?;
        let entity = match d.entity {
            Some((fragment, kind)) => Some(find_entity(&tx, fragment, kind).await?),
            None => None,
        };
        users::insert_grant(&tx, domain::UserId(user.id), d.role, entity, None).await?;
        created += 1;
    }
    tx.commit().await?;
    Ok(created)
}

/// Fails if any demo account still accepts the public demo password: a
/// server outside demo mode must not run with it.
pub async fn refuse_demo_credentials(db: &impl ConnectionTrait) -> ServiceResult<()> {
    let emails: Vec<&str> = DEMO_USERS.iter().map(|d| d.email).collect();
    let rows = users_table::Entity::find()
        .filter(users_table::Column::Email.is_in(emails))
        .filter(users_table::Column::Active.eq(true))
        .all(db)
        .await?;
    for u in rows {
        if auth::verify_password(DEMO_PASSWORD, &u.password_hash) {
            return Err(ServiceError::Conflict(
                format!(
                    "the account {} still has the public demo password; enable demo mode \
                 (DARAJA_DEMO=1) or change that password",
                    u.email
                )
                .into(),
            ));
        }
    }
    Ok(())
}

pub use crate::history::{HistoryReport, ensure_history};

/// What [`ensure_open_round`] made.
#[derive(Debug, Default)]
pub struct OpenRound {
    /// Campaigns created and opened.
    pub campaigns: usize,
    /// Answers prefilled from the 2023 round.
    pub prefilled: usize,
}

/// One campaign of the demo's 2024 round.
struct DemoRound {
    code: &'static str,
    kind: EntityKind,
    methodology: &'static str,
    /// Its name in Uzbek (Latin, Cyrillic), Russian and English.
    names: [&'static str; 4],
}

/// The 2024 round. State bodies are a step ahead: their round closed a
/// month ago, every submission was approved, and the results are
/// provisional, so the demo CDO sees a score and can appeal, and the
/// reviewer and publisher have results to work on. Districts are still
/// filling in. Tashkent city also answers the UN's Local Government
/// Questionnaire (every kind of question: yes/no, percentages, links, legal
/// acts, a checklist, explanations), as it did for the 2022 Survey.
const OPEN_ROUNDS: [DemoRound; 3] = [
    DemoRound {
        code: "2024-state-bodies",
        kind: EntityKind::StateBody,
        methodology: "nis-bodies@2022",
        names: [
            "Davlat organlari: 2024-yil",
            "Давлат органлари: 2024 йил",
            "Государственные органы: 2024 год",
            "State bodies: 2024",
        ],
    },
    DemoRound {
        code: "2024-districts",
        kind: EntityKind::District,
        methodology: "nis-districts@2020",
        names: [
            "Tumanlar va shaharlar: 2024-yil",
            "Туманлар ва шаҳарлар: 2024 йил",
            "Районы и города: 2024 год",
            "Districts and cities: 2024",
        ],
    },
    DemoRound {
        code: "2024-lgq-tashkent",
        kind: EntityKind::Region,
        methodology: "un-lgq@2022",
        names: [
            "BMT LGQ so'rovnomasi: Toshkent shahri, 2024-yil",
            "БМТ LGQ сўровномаси: Тошкент шаҳри, 2024 йил",
            "Анкета ООН LGQ: город Ташкент, 2024 год",
            "UN LGQ: Tashkent city, 2024",
        ],
    },
];

/// Opens the 2024 round for state bodies and districts, as ministry staff
/// would (through `campaigns::create` and `advance`), when every campaign
/// is final: officers then have a form to fill in, prefilled from 2023.
/// A few districts have already started or submitted, so the cockpit and
/// the review queue show something.
pub async fn ensure_open_round(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
) -> ServiceResult<OpenRound> {
    use domain::CampaignStatus;
    use entity::campaigns as c;
    let unfinished = c::Entity::find()
        .filter(c::Column::Status.ne(CampaignStatus::Final))
        .one(db)
        .await?;
    if unfinished.is_some() {
        return Ok(OpenRound::default());
    }
    let admin = users_table::Entity::find()
        .filter(users_table::Column::Email.eq("admin@daraja.uz"))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::missing("demo account", "admin"))?;
    let who = crate::scope::load_principal(db, domain::UserId(admin.id), "demo".into()).await?;
    let mut report = OpenRound::default();
    for round in &OPEN_ROUNDS {
        let created = crate::campaigns::create(db, &who, &new_campaign(round, today)).await?;
        crate::campaigns::advance(
            db,
            &who,
            created.id,
            CampaignStatus::Draft,
            Some("demo: 2024-yilgi davr ochildi"),
        )
        .await?;
        report.campaigns += 1;
        if round.kind == EntityKind::StateBody {
            provisional_round(db, &who, created.id, today).await?;
        }
        if round.kind == EntityKind::District {
            districts_under_way(db, created.id).await?;
        }
    }
    report.prefilled = entity::submission_values::Entity::find()
        .filter(entity::submission_values::Column::Source.eq("prefill"))
        .count(db)
        .await? as usize;
    Ok(report)
}

/// The form a ministry admin fills in for a campaign of the 2024 round:
/// state bodies' dates a step ahead (closed a month before `today`).
fn new_campaign(round: &DemoRound, today: chrono::NaiveDate) -> domain::NewCampaign {
    use domain::{Names, NewCampaign, ParticipantPick};
    let day = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let kind = round.kind;
    let [uz_latn, uz_cyrl, ru, en] = round.names;
    let participants = if kind == EntityKind::Region {
        ParticipantPick::Codes(vec!["1726".into()])
    } else {
        ParticipantPick::AllOfKind
    };
    let ahead = kind == EntityKind::StateBody;
    NewCampaign {
        code: round.code.into(),
        period: "2024".into(),
        kind,
        methodology: round.methodology.into(),
        names: Names {
            uz_latn: uz_latn.into(),
            uz_cyrl: uz_cyrl.into(),
            ru: ru.into(),
            en: en.into(),
        },
        opens_on: day(if ahead { -75 } else { -14 }),
        deadline: day(if ahead { -30 } else { 30 }),
        review_deadline: day(if ahead { -10 } else { 60 }),
        appeal_until: day(if ahead { 14 } else { 75 }),
        participants,
        // Districts go through their region first.
        region_review: kind == EntityKind::District,
    }
}

/// Some districts are further along: every 7th has submitted (its
/// prefilled answers confirmed), and a third of those the region has
/// endorsed for the ministry; every 3rd is filling in. The demo district
/// officer's own district is left untouched.
async fn districts_under_way(
    db: &DatabaseConnection,
    campaign: domain::CampaignId,
) -> ServiceResult<()> {
    use domain::SubmissionStatus;
    use entity::participants as p;
    let own = find_entity(db, "Asaka", "district").await?;
    let parts = p::Entity::find()
        .filter(p::Column::CampaignId.eq(campaign.0))
        .order_by_asc(p::Column::Id)
        .all(db)
        .await?;
    let now = chrono::Utc::now();
    for (i, part) in parts.iter().enumerate() {
        if part.entity_id == own.0 {
            continue;
        }
        let status = match i % 21 {
            0 => SubmissionStatus::Endorsed,
            7 | 14 => SubmissionStatus::Submitted,
            3 | 6 | 9 | 12 | 15 | 18 => SubmissionStatus::InProgress,
            _ => continue,
        };
        let mut am: p::ActiveModel = part.clone().into();
        am.status = sea_orm::Set(status);
        am.version = sea_orm::Set(1);
        if status != SubmissionStatus::InProgress {
            am.submitted_at = sea_orm::Set(Some(now - chrono::Duration::days((i % 5) as i64 + 1)));
        }
        am.update(db).await?;
    }
    Ok(())
}

/// Takes an open demo round to provisional results: every officer confirmed
/// last year's answers before the deadline, the reviewers accepted them and
/// approved each submission, and the campaign moved on step by step.
async fn provisional_round(
    db: &DatabaseConnection,
    who: &crate::Principal,
    id: domain::CampaignId,
    today: chrono::NaiveDate,
) -> ServiceResult<()> {
    use domain::{CampaignStatus, ReviewStatus, SubmissionStatus};
    use entity::{participants as p, submission_values as v};
    use sea_orm::sea_query::Expr;
    let at = |days: u64| {
        chrono::Utc.from_utc_datetime(
            &(today - chrono::Days::new(days))
                .and_hms_opt(11, 0, 0)
                .expect("a time"),
        )
    };
    let ids: Vec<i32> = p::Entity::find()
        .filter(p::Column::CampaignId.eq(id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|x| x.id)
        .collect();
    let tx = db.begin().await?;
    p::Entity::update_many()
        .col_expr(p::Column::Status, Expr::value(SubmissionStatus::Approved))
        .col_expr(p::Column::SubmittedAt, Expr::value(at(33)))
        .col_expr(p::Column::ApprovedAt, Expr::value(at(15)))
        .col_expr(p::Column::UpdatedAt, Expr::value(at(15)))
        .filter(p::Column::CampaignId.eq(id.0))
        .exec(&tx)
        .await?;
    for chunk in ids.chunks(500) {
        v::Entity::update_many()
            .col_expr(v::Column::ReviewStatus, Expr::value(ReviewStatus::Accepted))
            .col_expr(v::Column::Prefilled, Expr::value(false))
            .filter(v::Column::ParticipantId.is_in(chunk.to_vec()))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    let steps = [
        (CampaignStatus::Open, "demo: muddat tugadi"),
        (CampaignStatus::Closed, "demo: tekshiruv boshlandi"),
        (
            CampaignStatus::UnderReview,
            "demo: barcha hisobotlar tasdiqlandi; dastlabki natijalar eʼlon qilindi",
        ),
    ];
    for (from, reason) in steps {
        crate::campaigns::advance(db, who, id, from, Some(reason)).await?;
    }
    Ok(())
}
