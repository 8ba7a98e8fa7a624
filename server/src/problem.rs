//! Errors as the JSON API answers them: RFC 9457 problem documents with a
//! JSON pointer for each problem of a rejected request, the extractors that
//! turn malformed JSON, queries and paths into one, and the refusal of a
//! feed's token. Below every router module that answers with them.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use domain::{FieldProblem, Locale, Msg};
use serde::{Serialize, de::DeserializeOwned};
use service::ServiceError;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Serialize, ToSchema)]
#[schema(as = Problem)]
pub struct ProblemDoc {
    /// Always `about:blank`: the status says what kind of problem.
    #[schema(example = "about:blank")]
    r#type: String,
    /// The status's short name.
    title: String,
    /// The HTTP status.
    status: u16,
    /// What went wrong, for a person, in the language the request's
    /// Accept-Language asks for (English when it names none of the four).
    detail: String,
    /// What went wrong, for a program: the message's stable key
    /// (`not_found`, `too_many_requests`, …).
    #[schema(example = "not_found")]
    code: String,
    /// Each problem of a rejected request, at a JSON pointer into it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldProblem>,
}

/// An API error as `application/problem+json`.
pub struct Problem {
    status: StatusCode,
    msg: Msg,
    errors: Vec<FieldProblem>,
    retry_after: Option<u64>,
}

tokio::task_local! {
    /// The language the current API request reads problems in.
    static READER: Locale;
}

/// The language of the API request being answered: its Accept-Language,
/// English when it names none of the four (or outside a request).
pub fn reader() -> Locale {
    READER.try_with(|l| *l).unwrap_or(Locale::En)
}

/// Answers the request inside its reader's language (see [`reader`]).
pub async fn in_readers_language(req: Request, next: axum::middleware::Next) -> Response {
    let locale = app::ssr::accepted_locale(req.headers()).unwrap_or(Locale::En);
    READER.scope(locale, next.run(req)).await
}

impl Problem {
    /// A problem with `status` saying `msg`.
    pub fn new(status: StatusCode, msg: impl Into<Msg>) -> Self {
        Problem {
            status,
            msg: msg.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// An internal failure, already logged: an opaque 500.
    pub fn internal() -> Self {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, Msg::Internal)
    }

    /// Too many requests: come back in `secs` seconds.
    pub fn too_many(secs: u64) -> Self {
        let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, Msg::TooManyRequests { secs });
        p.retry_after = Some(secs);
        p
    }
}

impl From<ServiceError> for Problem {
    fn from(e: ServiceError) -> Self {
        let status = app::ssr::status_of(&e);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = ?e, "API request failed");
            return Problem::internal();
        }
        let msg = e.message();
        let errors = match e {
            ServiceError::Invalid(p) => vec![FieldProblem {
                pointer: format!("/{}", p.field),
                detail: p.message.render(reader()),
            }],
            ServiceError::Rejected(problems) => problems
                .into_iter()
                .map(|p| FieldProblem {
                    pointer: p.pointer,
                    detail: p.msg.render(reader()),
                })
                .collect(),
            _ => Vec::new(),
        };
        Problem {
            status,
            msg,
            errors,
            retry_after: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemDoc {
            r#type: "about:blank".into(),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase(),
            status: self.status.as_u16(),
            detail: self.msg.render(reader()),
            code: self.msg.key().to_owned(),
            errors: self.errors,
        };
        let mut resp = (self.status, Json(body)).into_response();
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        h.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(reader().tag()),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// A JSON body whose rejection (bad JSON, wrong fields, wrong media type)
/// is a problem document naming where.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                let status = e.status();
                let status = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    status
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                let mut p = Problem::new(status, e.body_text());
                p.errors.push(FieldProblem {
                    pointer: String::new(),
                    detail: e.body_text(),
                });
                Err(p)
            }
        }
    }
}

/// A query string whose rejection is a problem document.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

/// A path parameter whose rejection is a problem document.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, e.body_text()))
    }
}

/// Why an integration token was refused (set by the middleware).
#[derive(Debug, Clone)]
pub struct FeedRefusal(pub String);
