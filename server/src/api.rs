//! The JSON API under `/api/v1`, and its OpenAPI 3.1 document at
//! `/api/openapi.json`, generated from these handlers (utoipa), so the two
//! cannot drift apart.
//!
//! Who calls: nobody (public data only), a person with an access token
//! (`POST /auth/token`) or the browser's session cookie, or an automatic
//! feed with an integration token (`drj_…`, see `service::feeds`). Errors
//! are RFC 9457 problem documents, with a JSON pointer for each problem of
//! a rejected request; malformed JSON or query strings get one too.

pub use crate::problem::{ApiJson, ApiPath, ApiQuery, FeedRefusal, Problem, ProblemDoc};
use crate::state::AppState;
use axum::{
    Json,
    extract::{FromRequestParts, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use domain::{
    ApiToken, CampaignSummary, EntityId, EntityKind, EntityProfile, EntitySummary, FeedPush,
    FeedReport, IssuedToken, LeagueChoice, MethodologyDetail, MethodologySummary, NewApiToken,
    PublishedLeague, RegistryQuery,
};
use serde::{Deserialize, Serialize};
use service::feeds::{Feed, Pushed};
use service::submissions::Writer;
use service::{Principal, ServiceError};
use tower_governor::{
    GovernorError, GovernorLayer, governor::GovernorConfigBuilder, key_extractor::KeyExtractor,
};
use utoipa::{
    IntoParams, Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The `/api/v1` routes, rate-limited per client (`rate` requests a second
/// after a `burst`), and their OpenAPI document (paths already carry the
/// `/api/v1` prefix).
pub fn router(rate: u32, burst: u32) -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .routes(routes!(token))
        .routes(routes!(refresh))
        .routes(routes!(sign_out))
        .routes(routes!(me))
        .routes(routes!(entities))
        .routes(routes!(entity))
        .routes(routes!(entity_by_code))
        .routes(routes!(entity_history))
        .routes(routes!(methodologies))
        .routes(routes!(methodology))
        .routes(routes!(methodology_diff))
        .routes(routes!(campaigns))
        .routes(routes!(league))
        .routes(routes!(push_values))
        .routes(routes!(tokens, issue_token))
        .routes(routes!(revoke_token));
    let (routes, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .split_for_parts();
    document_rate_limit(&mut doc);
    let limits = GovernorConfigBuilder::default()
        .key_extractor(ClientKey)
        .period(std::time::Duration::from_secs_f64(1.0 / f64::from(rate)))
        .burst_size(burst)
        .finish()
        .map(std::sync::Arc::new);
    let routes = match limits {
        Some(limits) => routes.layer(GovernorLayer::new(limits).error_handler(|e| match e {
            GovernorError::TooManyRequests { wait_time, .. } => {
                Problem::too_many(wait_time.max(1)).into_response()
            }
            other => {
                tracing::error!(error = %other, "rate limiter failed");
                Problem::internal().into_response()
            }
        })),
        None => routes,
    };
    // Outermost, so even the rate limiter's refusal is in the reader's
    // language.
    let routes = routes.layer(axum::middleware::from_fn(
        crate::problem::in_readers_language,
    ));
    (routes, doc)
}

/// Who a request counts against: its bearer token (a feed's, or a
/// person's), else the address it came from.
#[derive(Debug, Clone, Copy)]
struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = u64;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<u64, GovernorError> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match bearer {
            Some(token) => ("token", token).hash(&mut h),
            None => (
                "address",
                req.extensions()
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| c.0.ip()),
            )
                .hash(&mut h),
        }
        Ok(h.finish())
    }
}

/// Every operation may answer 429 with `Retry-After`.
fn document_rate_limit(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, header::HeaderBuilder};
    let response = ResponseBuilder::new()
        .description("Too many requests from this client; `Retry-After` says when to come back")
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Integer)
                        .build(),
                )
                .description(Some("seconds"))
                .build(),
        )
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            op.responses
                .responses
                .insert("429".into(), response.clone().into());
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Daraja API",
        version = "1",
        description = "Uzbekistan's digital-maturity ratings: the registry, methodologies, \
campaigns, published ratings, and automatic feeds of indicator values. Public data needs \
no token; everything else takes `Authorization: Bearer …` with a person's access token \
(`POST /api/v1/auth/token`) or an integration token (`drj_…`) issued by a ministry admin. \
Errors are RFC 9457 problem documents (`application/problem+json`).",
        license(name = "MIT")
    ),
    tags(
        (name = "auth", description = "Access tokens for people"),
        (name = "registry", description = "State bodies, economic bodies, regions and districts"),
        (name = "methodologies", description = "Methodology versions and what changed between them"),
        (name = "campaigns", description = "Assessment rounds"),
        (name = "ratings", description = "Published ratings and an entity's history"),
        (name = "feeds", description = "Indicator values pushed by other systems, and their tokens"),
    ),
    components(schemas(ProblemDoc)),
    modifiers(&BearerScheme)
)]
struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A person's access token, or an integration token `drj_…`",
                    ))
                    .build(),
            ),
        );
    }
}

// ------------------------------------------------------------- problems

// --------------------------------------------------------------- callers

/// Who is calling.
pub enum Caller {
    /// No token.
    Anonymous,
    /// A person (access token or session cookie).
    Person(Principal),
    /// An automatic feed (integration token).
    Feed(Feed),
    /// An integration token that is not valid, and why.
    Refused(String),
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ext = &parts.extensions;
        Ok(if let Some(p) = ext.get::<Principal>() {
            Caller::Person(p.clone())
        } else if let Some(f) = ext.get::<Feed>() {
            Caller::Feed(f.clone())
        } else if let Some(r) = ext.get::<FeedRefusal>() {
            Caller::Refused(r.0.clone())
        } else {
            Caller::Anonymous
        })
    }
}

impl Caller {
    /// The signed-in person, or a problem saying why there is none.
    fn person(&self) -> Result<&Principal, Problem> {
        match self {
            Caller::Person(p) => Ok(p),
            Caller::Feed(_) => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "an integration token only pushes values and reads public data",
            )),
            Caller::Refused(why) => Err(Problem::new(StatusCode::UNAUTHORIZED, why.clone())),
            Caller::Anonymous => Err(ServiceError::Unauthenticated.into()),
        }
    }

    /// Who writes values.
    fn writer(&self) -> Result<Writer<'_>, Problem> {
        match self {
            Caller::Person(p) => Ok(Writer::Person(p)),
            Caller::Feed(f) => Ok(Writer::Feed(f)),
            Caller::Refused(why) => Err(Problem::new(StatusCode::UNAUTHORIZED, why.clone())),
            Caller::Anonymous => Err(ServiceError::Unauthenticated.into()),
        }
    }
}

type ApiResult<T> = Result<Json<T>, Problem>;

// ------------------------------------------------------------------ auth

#[derive(Deserialize, ToSchema)]
struct TokenRequest {
    email: String,
    password: String,
}

/// A person's access token and the refresh token that renews it.
#[derive(Serialize, ToSchema)]
struct TokenPair {
    access_token: String,
    refresh_token: String,
    /// Always `Bearer`.
    token_type: String,
    /// Seconds the access token lives.
    expires_in: i64,
}

fn token_body(t: &service::auth::Tokens, ttl_secs: i64) -> TokenPair {
    TokenPair {
        access_token: t.access.clone(),
        refresh_token: t.refresh.clone(),
        token_type: "Bearer".into(),
        expires_in: ttl_secs,
    }
}

/// Signs a person in: an access token (15 minutes) and a refresh token.
#[utoipa::path(post, path = "/auth/token", tag = "auth", request_body = TokenRequest,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Wrong e-mail or password, or locked for a while", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn token(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> ApiResult<TokenPair> {
    let s = &st.ctx.services;
    let (tokens, _) = service::auth::sign_in(
        &s.db,
        &s.auth,
        &req.email,
        &req.password,
        Some("api".into()),
    )
    .await?;
    Ok(Json(token_body(&tokens, s.auth.access_ttl.num_seconds())))
}

#[derive(Deserialize, ToSchema)]
struct RefreshRequest {
    refresh_token: String,
}

/// Renews an access token; the refresh token is rotated.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 415, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn refresh(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<TokenPair> {
    let s = &st.ctx.services;
    let (tokens, _) = service::auth::refresh(&s.db, &s.auth, &req.refresh_token).await?;
    Ok(Json(token_body(&tokens, s.auth.access_ttl.num_seconds())))
}

/// Ends the session of the access token.
#[utoipa::path(post, path = "/auth/sign-out", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn sign_out(State(st): State<AppState>, caller: Caller) -> Result<StatusCode, Problem> {
    let p = caller.person()?;
    service::auth::sign_out(&st.ctx.services.db, &p.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in person and their grants.
#[utoipa::path(get, path = "/me", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = domain::CurrentUser),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn me(caller: Caller) -> ApiResult<domain::CurrentUser> {
    Ok(Json(caller.person()?.user.clone()))
}

// -------------------------------------------------------------- registry

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct EntitiesParams {
    /// Words of a name (any language), a code, SOATO or TIN.
    q: Option<String>,
    /// Only this kind of entity.
    kind: Option<EntityKind>,
    /// Page number, from 0 (50 a page; exact code matches first, then by
    /// kind, SOATO and name).
    #[param(minimum = 0, maximum = 1_000_000)]
    page: Option<u32>,
    /// Also entities no longer valid.
    include_retired: Option<bool>,
}

/// Searches the registry, a page at a time: exact code matches first,
/// then by kind, SOATO and name.
#[utoipa::path(get, path = "/entities", tag = "registry", params(EntitiesParams),
    responses(
        (status = 200, body = domain::Page<EntitySummary>),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn entities(
    State(st): State<AppState>,
    ApiQuery(p): ApiQuery<EntitiesParams>,
) -> ApiResult<domain::Page<EntitySummary>> {
    if p.page.is_some_and(|n| n > MAX_PAGE) {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            format!("page: at most {MAX_PAGE}"),
        ));
    }
    let query = RegistryQuery {
        q: p.q.unwrap_or_default(),
        kind: p.kind,
        include_retired: p.include_retired.unwrap_or(false),
        page: u64::from(p.page.unwrap_or(0)),
    };
    Ok(Json(
        service::registry::search(&st.ctx.services.db, &query).await?,
    ))
}

/// One entity with its children (a region's districts, a ministry's agencies).
#[derive(Serialize, ToSchema)]
struct EntityWithChildren {
    entity: EntitySummary,
    children: Vec<EntitySummary>,
}

/// One entity by id.
#[utoipa::path(get, path = "/entities/{id}", tag = "registry",
    params(("id" = i32, Path, description = "Entity id")),
    responses(
        (status = 200, body = EntityWithChildren),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn entity(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<EntityWithChildren> {
    let (entity, children) = service::registry::get(&st.ctx.services.db, EntityId(id)).await?;
    Ok(Json(EntityWithChildren { entity, children }))
}

/// One entity by its code, SOATO or TIN.
#[utoipa::path(get, path = "/entities/by-code/{code}", tag = "registry",
    params(("code" = String, Path, description = "Code, SOATO (territories) or TIN (organizations)")),
    responses(
        (status = 200, body = EntityWithChildren),
        (status = 404, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn entity_by_code(
    State(st): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<EntityWithChildren> {
    let db = &st.ctx.services.db;
    let found = service::registry::find_by_code(db, code.trim())
        .await?
        .ok_or_else(|| ServiceError::not_found(domain::Noun::Entity, &code))?;
    let (entity, children) = service::registry::get(db, EntityId(found.id)).await?;
    Ok(Json(EntityWithChildren { entity, children }))
}

/// An entity's published ratings: every public round it took part in, and
/// its domains and gaps in the newest.
#[utoipa::path(get, path = "/entities/{id}/history", tag = "ratings",
    params(("id" = i32, Path, description = "Entity id")),
    responses(
        (status = 200, body = EntityProfile),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such entity, or never rated publicly", body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn entity_history(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<EntityProfile> {
    service::downloads::profile(&st.ctx.services.db, id, chrono::Utc::now())
        .await?
        .map(Json)
        .ok_or_else(|| {
            ServiceError::NotFound(domain::Msg::NoPublishedRating { of: id.to_string() }).into()
        })
}

// --------------------------------------------------------- methodologies

/// Every stored methodology version.
#[utoipa::path(get, path = "/methodologies", tag = "methodologies",
    responses((status = 200, body = Vec<MethodologySummary>)))]
async fn methodologies(State(st): State<AppState>) -> ApiResult<Vec<MethodologySummary>> {
    Ok(Json(
        service::methodologies::list(&st.ctx.services.db).await?,
    ))
}

/// One version: its tree, bands, and what changed since the version before
/// (and whether results stay comparable through a declared crosswalk).
#[utoipa::path(get, path = "/methodologies/{id}", tag = "methodologies",
    params(("id" = i32, Path, description = "Methodology version id")),
    responses(
        (status = 200, body = MethodologyDetail),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn methodology(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<MethodologyDetail> {
    Ok(Json(
        service::methodologies::get(&st.ctx.services.db, id).await?,
    ))
}

/// What changed from version `id` to version `other` (any two stored
/// versions), and whether results stay comparable.
#[utoipa::path(get, path = "/methodologies/{id}/diff/{other}", tag = "methodologies",
    params(("id" = i32, Path, description = "The older version's id"),
           ("other" = i32, Path, description = "The newer version's id")),
    responses(
        (status = 200, body = domain::MethodologyDiff),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn methodology_diff(
    State(st): State<AppState>,
    ApiPath((id, other)): ApiPath<(i32, i32)>,
) -> ApiResult<domain::MethodologyDiff> {
    Ok(Json(
        service::methodologies::compare(&st.ctx.services.db, id, other).await?,
    ))
}

// ------------------------------------------------------------- campaigns

/// The largest page number a list accepts.
const MAX_PAGE: u32 = 1_000_000;
/// Rows per page of the lists below (the registry has its own).
const PER_PAGE: usize = 50;

/// One page of `rows` (already filtered and in their stable order).
fn paged<T>(rows: Vec<T>, page: Option<u32>) -> Result<domain::Page<T>, Problem> {
    let page = page.unwrap_or(0);
    if page > MAX_PAGE {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            format!("page: at most {MAX_PAGE}"),
        ));
    }
    let total = rows.len() as u64;
    let rows = rows
        .into_iter()
        .skip(page as usize * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    Ok(domain::Page {
        rows,
        total,
        page: u64::from(page),
        per_page: PER_PAGE as u64,
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CampaignParams {
    /// Only campaigns of this kind of entity.
    kind: Option<EntityKind>,
    /// Only campaigns in this state.
    status: Option<domain::CampaignStatus>,
    /// Page number, from 0 (50 a page).
    #[param(minimum = 0, maximum = 1_000_000)]
    page: Option<u32>,
}

/// Campaigns the caller works on: all for ministry staff and viewers, an
/// officer's own otherwise; newest first (by opening day, then kind).
#[utoipa::path(get, path = "/campaigns", tag = "campaigns", security(("bearer" = [])),
    params(CampaignParams),
    responses(
        (status = 200, body = domain::Page<CampaignSummary>),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn campaigns(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CampaignParams>,
) -> ApiResult<domain::Page<CampaignSummary>> {
    let p = caller.person()?;
    let rows = service::campaigns::list(&st.ctx.services.db, p)
        .await?
        .into_iter()
        .filter(|c| q.kind.is_none_or(|k| c.kind == k))
        .filter(|c| q.status.is_none_or(|s| c.status == s))
        .collect();
    Ok(Json(paged(rows, q.page)?))
}

// --------------------------------------------------------------- ratings

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LeagueParams {
    /// Campaign code; the newest published round when absent.
    campaign: Option<String>,
    /// Revision number; the newest when absent.
    revision: Option<i32>,
}

/// A published league and the rounds to choose from.
#[derive(Serialize, ToSchema)]
struct LeagueResponse {
    league: PublishedLeague,
    /// Every published round of this kind, newest first.
    rounds: Vec<LeagueChoice>,
}

/// A published rating of one kind of entity (state bodies, economic bodies,
/// regions, districts): ranks, indices, bands, rank intervals, changelog.
#[utoipa::path(get, path = "/ratings/{kind}", tag = "ratings",
    params(("kind" = EntityKind, Path, description = "Which league"), LeagueParams),
    responses(
        (status = 200, body = LeagueResponse),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "Nothing published", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn league(
    State(st): State<AppState>,
    ApiPath(kind): ApiPath<EntityKind>,
    ApiQuery(p): ApiQuery<LeagueParams>,
) -> ApiResult<LeagueResponse> {
    let found = service::ratings::public_league(
        &st.ctx.services.db,
        kind,
        p.campaign.as_deref(),
        p.revision,
        chrono::Utc::now(),
    )
    .await?;
    let (league, rounds) = found.ok_or_else(|| {
        ServiceError::NotFound(domain::Msg::NoPublishedRating {
            of: kind.to_string(),
        })
    })?;
    Ok(Json(LeagueResponse { league, rounds }))
}

// ----------------------------------------------------------------- feeds

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PushParams {
    /// Check and report without writing.
    #[serde(rename = "dryRun")]
    #[param(rename = "dryRun")]
    dry_run: Option<bool>,
}

/// Pushes an entity's values in a campaign, by codes: all or nothing. Every
/// value is checked first (the methodology's answer rules, the token's
/// indicators and entities, versions, locks); any problem writes nothing
/// and each is named by a JSON pointer. With `dryRun=true` only the check
/// and the report. With an `Idempotency-Key` header a retry gets the first
/// answer (`Idempotent-Replayed: true`) and writes nothing again.
#[utoipa::path(post, path = "/values", tag = "feeds", security(("bearer" = [])),
    params(PushParams,
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and request get the same answer")),
    request_body = FeedPush,
    responses(
        (status = 200, body = FeedReport, headers(("Idempotent-Replayed" = String, description = "`true` on a replayed answer"))),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "The submission or campaign takes no values now, or a value changed meanwhile", body = ProblemDoc, content_type = "application/problem+json"),
        (status = 415, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Problems with the values, each at a JSON pointer", body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn push_values(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<PushParams>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<FeedPush>,
) -> Result<Response, Problem> {
    let by = caller.writer()?;
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "Idempotency-Key is not visible ASCII",
            )
        })?),
        None => None,
    };
    let pushed = service::feeds::push(
        &st.ctx.services.db,
        by,
        &req,
        p.dry_run.unwrap_or(false),
        key,
        chrono::Utc::now(),
    )
    .await?;
    Ok(match pushed {
        Pushed::Done(report) => Json(report).into_response(),
        Pushed::Replayed(report) => {
            let mut r = Json(report).into_response();
            r.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            r
        }
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TokenParams {
    /// Only tokens that work now (`true`), or only revoked and expired ones
    /// (`false`).
    active: Option<bool>,
    /// Only tokens of this source system.
    source_system: Option<String>,
    /// Page number, from 0 (50 a page).
    #[param(minimum = 0, maximum = 1_000_000)]
    page: Option<u32>,
}

/// Integration tokens, newest first (ministry admins).
#[utoipa::path(get, path = "/tokens", tag = "feeds", security(("bearer" = [])),
    params(TokenParams),
    responses(
        (status = 200, body = domain::Page<ApiToken>),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn tokens(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TokenParams>,
) -> ApiResult<domain::Page<ApiToken>> {
    let p = caller.person()?;
    let rows = service::feeds::list(&st.ctx.services.db, p, chrono::Utc::now())
        .await?
        .into_iter()
        .filter(|t| q.active.is_none_or(|a| t.active == a))
        .filter(|t| {
            q.source_system
                .as_deref()
                .is_none_or(|s| t.source_system == s.trim().to_lowercase())
        })
        .collect();
    Ok(Json(paged(rows, q.page)?))
}

/// Issues an integration token (ministry admins). The secret is in this
/// answer only.
#[utoipa::path(post, path = "/tokens", tag = "feeds", security(("bearer" = [])),
    request_body = NewApiToken,
    responses(
        (status = 201, body = IssuedToken),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 415, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn issue_token(
    State(st): State<AppState>,
    caller: Caller,
    ApiJson(new): ApiJson<NewApiToken>,
) -> Result<(StatusCode, Json<IssuedToken>), Problem> {
    let p = caller.person()?;
    let issued = service::feeds::issue(&st.ctx.services.db, p, &new, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Revokes a token at once (ministry admins).
#[utoipa::path(post, path = "/tokens/{id}/revoke", tag = "feeds", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Token id")),
    responses(
        (status = 200, body = ApiToken),
        (status = 400, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 401, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 403, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = ProblemDoc, content_type = "application/problem+json"),
        (status = 409, description = "Already revoked", body = ProblemDoc, content_type = "application/problem+json"),
    ))]
async fn revoke_token(
    State(st): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<ApiToken> {
    let p = caller.person()?;
    Ok(Json(
        service::feeds::revoke(&st.ctx.services.db, p, id, chrono::Utc::now()).await?,
    ))
}

/// The OpenAPI document digested for the browsable reference page.
pub fn reference(doc: &serde_json::Value) -> domain::ApiReference {
    use serde_json::Value;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let schema_name = |v: &Value| -> Option<String> {
        let s = v
            .get("content")?
            .as_object()?
            .values()
            .next()?
            .get("schema")?;
        let (array, r) = match s.get("items") {
            Some(items) => (true, items.get("$ref")),
            None => (false, s.get("$ref")),
        };
        let name = r?.as_str()?.rsplit('/').next()?.to_owned();
        Some(if array { format!("[{name}]") } else { name })
    };
    let mut tags: Vec<domain::ApiTag> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| domain::ApiTag {
            name: text(&t["name"]),
            description: text(&t["description"]),
            operations: Vec::new(),
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let operation = domain::ApiOperation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&op["summary"]),
                description: text(&op["description"]),
                secured: op.get("security").is_some(),
                params: op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        (
                            text(&p["name"]),
                            text(&p["in"]),
                            p["required"].as_bool().unwrap_or(false),
                            text(&p["description"]),
                        )
                    })
                    .collect(),
                body: op.get("requestBody").and_then(schema_name),
                responses: op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| (status.clone(), text(&r["description"]), schema_name(r)))
                    .collect(),
            };
            let tag = op["tags"][0].as_str().unwrap_or("other");
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.operations.push(operation),
                None => tags.push(domain::ApiTag {
                    name: tag.to_owned(),
                    description: String::new(),
                    operations: vec![operation],
                }),
            }
        }
    }
    domain::ApiReference {
        title: text(&doc["info"]["title"]),
        version: text(&doc["info"]["version"]),
        description: text(&doc["info"]["description"]),
        tags,
        schemas: doc["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(name, s)| {
                (
                    name.clone(),
                    serde_json::to_string_pretty(s).unwrap_or_default(),
                )
            })
            .collect(),
    }
}
