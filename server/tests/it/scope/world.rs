//! The matrix's world: a user per caller, the entities they speak for and
//! others, and rounds in the states the cells need, set up through the
//! services (filled in, submitted, approved, advanced, published).

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::{
    CampaignId, CampaignStatus, EntityId, EntityKind, FormField, Names, NewCampaign, ParticipantId,
    ParticipantPick, Role, SaveOutcome,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use service::Principal;
use service::submissions::{self, EvidenceInput, SaveRequest};
use std::collections::HashMap;

/// A day relative to today, `YYYY-MM-DD`.
pub fn day(d: i64) -> String {
    (Utc::now().date_naive() + Duration::days(d)).to_string()
}

pub struct World {
    pub app: TestApp,
    /// The matrix's client: no cookie store (a call that signs in, such as
    /// `change_password`, sets session cookies the public must not send),
    /// no redirects followed.
    pub http: reqwest::Client,
    /// Each caller's bearer token (none for the public).
    pub callers: Vec<(&'static str, Option<String>)>,
    principals: HashMap<&'static str, Principal>,
    /// The CDO's organization, and another.
    pub own_org: EntityId,
    pub other_org: EntityId,
    /// The region officer's region; the district officer's district in it
    /// and two more of its districts.
    pub region: EntityId,
    pub d0: EntityId,
    pub d_near: EntityId,
    pub d_x: EntityId,
    /// Another region and two of its districts.
    pub region2: EntityId,
    pub d_far: EntityId,
    pub d_far2: EntityId,
    /// A final district round, published (the own district approved).
    pub published: CampaignId,
    pub published_code: String,
}

/// Valid districts (not retired) by region, regions in id order.
async fn districts_by_region(app: &TestApp) -> Vec<(i32, Vec<i32>)> {
    let rows = entity::entities::Entity::find()
        .filter(entity::entities::Column::Kind.eq("district"))
        .filter(entity::entities::Column::ValidTo.is_null())
        .all(&app.services.db)
        .await
        .unwrap();
    let mut by: std::collections::BTreeMap<i32, Vec<i32>> = Default::default();
    for r in rows {
        if let Some(region) = r.region_id {
            by.entry(region).or_default().push(r.id);
        }
    }
    by.into_iter().collect()
}

impl World {
    pub async fn new() -> World {
        // Every caller signs in several times (sessions to end, passwords
        // to change): above the default 30 sign-ins a minute per address.
        let app = spawn_app_configured(false, &[("DARAJA_SIGN_IN_PER_MINUTE", "1000")]).await;
        let own_org = app.nth_entity("state_body", 0).await;
        let other_org = app.nth_entity("state_body", 1).await;
        let regions = districts_by_region(&app).await;
        let (region, near) = regions.iter().find(|(_, ds)| ds.len() >= 3).unwrap();
        let (region2, far) = regions
            .iter()
            .find(|(r, ds)| r != region && ds.len() >= 2)
            .unwrap();
        let (region, region2) = (EntityId(*region), EntityId(*region2));
        let (d0, d_near, d_x) = (EntityId(near[0]), EntityId(near[1]), EntityId(near[2]));
        let (d_far, d_far2) = (EntityId(far[0]), EntityId(far[1]));
        let mut callers = vec![("public", None)];
        let mut principals = HashMap::new();
        let grants: Vec<(&'static str, Role, Option<EntityId>)> = vec![
            ("admin", Role::Admin, None),
            ("methodologist", Role::Methodologist, None),
            ("reviewer", Role::Reviewer, None),
            ("publisher", Role::Publisher, None),
            ("cdo", Role::Cdo, Some(own_org)),
            ("district", Role::District, Some(d0)),
            ("region", Role::District, Some(region)),
            ("viewer", Role::Viewer, None),
            // Setup only: the officers of the other organization and region.
            ("other-cdo", Role::Cdo, Some(other_org)),
            ("region2", Role::District, Some(region2)),
        ];
        for (who, role, entity) in grants {
            let email = format!("{who}@test.uz");
            let id = app.user_with(&email, role, entity).await;
            let p = service::scope::load_principal(&app.services.db, id, "t".into())
                .await
                .unwrap();
            principals.insert(who, p);
            if super::CALLERS.contains(&who) {
                callers.push((who, Some(app.bearer(&email).await)));
            }
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(120))
            .build()
            .unwrap();
        let mut w = World {
            app,
            http,
            callers,
            principals,
            own_org,
            other_org,
            region,
            d0,
            d_near,
            d_x,
            region2,
            d_far,
            d_far2,
            published: CampaignId(0),
            published_code: "scope-published".into(),
        };
        let (c, parts) = w
            .round(
                "scope-published",
                EntityKind::District,
                &[d0, d_near],
                false,
            )
            .await;
        w.approved(parts[0]).await;
        w.advance_to(c, CampaignStatus::Final).await;
        service::results::publish(
            &w.app.services.db,
            w.p("publisher"),
            c,
            &domain::PublishRequest {
                embargo_until: None,
                changelog: String::new(),
                retract: false,
            },
            Utc::now(),
        )
        .await
        .unwrap();
        w.published = c;
        w
    }

    /// The principal of a caller (or of a setup-only officer).
    pub fn p(&self, who: &str) -> &Principal {
        &self.principals[who]
    }

    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.app.services.db
    }

    /// Who enters `entity`'s answers in setup.
    fn officer_of(&self, entity: EntityId) -> &Principal {
        if entity == self.own_org {
            self.p("cdo")
        } else if entity == self.other_org {
            self.p("other-cdo")
        } else if entity == self.d0 {
            self.p("district")
        } else if [self.d_near, self.d_x].contains(&entity) {
            self.p("region")
        } else {
            self.p("region2")
        }
    }

    pub async fn code(&self, e: EntityId) -> String {
        entity::entities::Entity::find_by_id(e.0)
            .one(self.db())
            .await
            .unwrap()
            .unwrap()
            .code
    }

    /// A campaign of `members` left in draft; its id and participants.
    pub async fn draft(
        &self,
        code: &str,
        kind: EntityKind,
        members: &[EntityId],
        region_review: bool,
    ) -> (CampaignId, Vec<ParticipantId>) {
        let mut codes = Vec::new();
        for m in members {
            codes.push(self.code(*m).await);
        }
        let (methodology, opens_on) = match kind {
            // Opened in 2021, when the first state bodies by id all existed.
            EntityKind::StateBody => ("nis-bodies@2020", "2021-01-15".to_owned()),
            _ => ("nis-districts@2020", day(-1)),
        };
        let c = service::campaigns::create(
            self.db(),
            self.p("admin"),
            &NewCampaign {
                code: code.into(),
                period: "2025".into(),
                kind,
                methodology: methodology.into(),
                names: names(),
                opens_on,
                deadline: day(30),
                review_deadline: day(40),
                appeal_until: day(50),
                participants: ParticipantPick::Codes(codes),
                region_review,
            },
        )
        .await
        .unwrap();
        let mut ids = Vec::new();
        for m in members {
            let p = entity::participants::Entity::find()
                .filter(entity::participants::Column::CampaignId.eq(c.id.0))
                .filter(entity::participants::Column::EntityId.eq(m.0))
                .one(self.db())
                .await
                .unwrap()
                .unwrap();
            ids.push(ParticipantId(p.id));
        }
        (c.id, ids)
    }

    /// [`World::draft`], opened.
    pub async fn round(
        &self,
        code: &str,
        kind: EntityKind,
        members: &[EntityId],
        region_review: bool,
    ) -> (CampaignId, Vec<ParticipantId>) {
        let (c, ids) = self.draft(code, kind, members, region_review).await;
        self.advance_to(c, CampaignStatus::Open).await;
        (c, ids)
    }

    /// Moves campaign `c` on until it is `to`.
    pub async fn advance_to(&self, c: CampaignId, to: CampaignStatus) {
        loop {
            let row = entity::campaigns::Entity::find_by_id(c.0)
                .one(self.db())
                .await
                .unwrap()
                .unwrap();
            let now = row.status;
            if now == to {
                return;
            }
            service::campaigns::advance(self.db(), self.p("admin"), c, now, None)
                .await
                .unwrap();
        }
    }

    /// The form of submission `id` as its officer sees it.
    pub async fn form(&self, id: ParticipantId) -> domain::SubmissionForm {
        let who = self.officer_of(self.entity_of(id).await);
        submissions::form(self.db(), who, id, Utc::now())
            .await
            .unwrap()
    }

    async fn entity_of(&self, id: ParticipantId) -> EntityId {
        let p = entity::participants::Entity::find_by_id(id.0)
            .one(self.db())
            .await
            .unwrap()
            .unwrap();
        EntityId(p.entity_id)
    }

    /// Answers every question of submission `id` (as its officer) and
    /// attaches the evidence asked for.
    pub async fn fill_in(&self, id: ParticipantId) {
        let who = self.officer_of(self.entity_of(id).await);
        let form = self.form(id).await;
        for f in form.sections.iter().flat_map(|s| &s.fields) {
            if f.kind == "formula" || f.locked {
                continue;
            }
            let req = SaveRequest {
                indicator: f.code.clone(),
                value: Some(answer(f)),
                comment: None,
                version: f.version,
            };
            match submissions::save(self.db(), who, id, &req, Utc::now())
                .await
                .unwrap()
            {
                SaveOutcome::Saved { .. } => {}
                other => panic!("{}: {other:?}", f.code),
            }
            if f.evidence_required {
                self.evidence_for(id, &f.code).await;
            }
        }
    }

    /// A link attached as evidence of the first question, by the officer;
    /// its id.
    pub async fn evidence(&self, id: ParticipantId) -> i32 {
        let code = self.first_question(id).await.code;
        self.evidence_for(id, &code).await
    }

    /// A link attached as evidence of question `code`, by the officer.
    async fn evidence_for(&self, id: ParticipantId, code: &str) -> i32 {
        let who = self.officer_of(self.entity_of(id).await);
        submissions::add_evidence(
            self.db(),
            who,
            id,
            code,
            &EvidenceInput::Url("https://example.uz/report".into()),
            Utc::now(),
        )
        .await
        .unwrap();
        use sea_orm::QueryOrder;
        entity::evidence::Entity::find()
            .filter(entity::evidence::Column::ParticipantId.eq(id.0))
            .order_by_desc(entity::evidence::Column::Id)
            .one(self.db())
            .await
            .unwrap()
            .unwrap()
            .id
    }

    /// The form's first question one may answer.
    pub async fn first_question(&self, id: ParticipantId) -> FormField {
        self.form(id)
            .await
            .sections
            .into_iter()
            .flat_map(|s| s.fields)
            .find(|f| f.kind != "formula" && !f.locked)
            .unwrap()
    }

    /// Filled in and submitted by its officer.
    pub async fn submitted(&self, id: ParticipantId) {
        self.fill_in(id).await;
        let who = self.officer_of(self.entity_of(id).await);
        submissions::submit(self.db(), who, id, Utc::now())
            .await
            .unwrap();
    }

    /// The officer of the region of district `e`.
    pub fn region_officer_of(&self, e: EntityId) -> &Principal {
        if [self.d0, self.d_near, self.d_x].contains(&e) {
            self.p("region")
        } else {
            self.p("region2")
        }
    }

    /// Submitted and endorsed by its region's officer (a two-level round).
    pub async fn endorsed(&self, id: ParticipantId) {
        self.submitted(id).await;
        let who = self.region_officer_of(self.entity_of(id).await);
        submissions::approve(self.db(), who, id, Utc::now())
            .await
            .unwrap();
    }

    /// Submitted, then approved by the ministry (one-level rounds).
    pub async fn approved(&self, id: ParticipantId) {
        self.submitted(id).await;
        submissions::approve(self.db(), self.p("reviewer"), id, Utc::now())
            .await
            .unwrap();
    }

    /// A valid template of submission `id` (as the ministry downloads it).
    pub async fn template(&self, id: ParticipantId) -> Vec<u8> {
        service::workbooks::template(self.db(), self.p("admin"), id, exports::Lang::En)
            .await
            .unwrap()
            .bytes
    }

    /// A valid template of a region's districts in campaign `c`.
    pub async fn region_template(&self, c: CampaignId, region: EntityId) -> Vec<u8> {
        service::region_workbooks::region_template(
            self.db(),
            self.p("admin"),
            c,
            region,
            exports::Lang::En,
        )
        .await
        .unwrap()
        .bytes
    }
}

/// A valid answer to `f`, within its range.
pub fn answer(f: &FormField) -> String {
    match f.kind.as_str() {
        "yes_no" => "ha".into(),
        "choice" | "checklist" => f.options[0].0.clone(),
        "url" => "https://example.uz/plan".into(),
        "legal_act" => "qaror|12|2024-01-01|https://lex.uz/docs/1".into(),
        "text" => "matn".into(),
        _ => match f.range {
            Some((lo, hi)) if !(lo..=hi).contains(&12.0) => lo.to_string(),
            _ => "12".into(),
        },
    }
}

fn names() -> Names {
    Names {
        uz_latn: "Sinov".into(),
        uz_cyrl: "Синов".into(),
        ru: "Тест".into(),
        en: "Test".into(),
    }
}

/// Multipart fields of a template upload, checked only (a dry run).
pub fn template_upload(bytes: Vec<u8>) -> super::Body {
    super::Body::Multipart(vec![
        ("dry_run", b"true".to_vec(), None),
        ("file", bytes, Some("template.xlsx")),
    ])
}

/// A small PDF for evidence uploads.
pub const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n";
