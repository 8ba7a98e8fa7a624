//! The one error type of the service layer.

/// What went wrong in a service call. The edge maps each variant to a status.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No signed-in user where one is required.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but the role or scope does not allow this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The object does not exist (or is hidden from this user).
    #[error("not found: {0}")]
    NotFound(String),
    /// Input that does not parse, naming the field.
    #[error("invalid input: {0}")]
    Invalid(#[from] domain::ParseError),
    /// Several problems with one request, each at a JSON pointer; nothing
    /// was written.
    #[error("invalid input: {}", summary(.0))]
    Rejected(Vec<domain::FieldProblem>),
    /// The change conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Sign-in failed; deliberately says nothing about whether the account exists.
    #[error("wrong e-mail or password, or the account is locked for a while")]
    BadCredentials,
    /// A stored record can not be served as it is: a published snapshot
    /// that no longer matches its SHA-256. Only that record is withheld.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A database failure.
    #[error("database error")]
    Db(#[from] sea_orm::DbErr),
    /// Any other internal failure.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;

fn summary(problems: &[domain::FieldProblem]) -> String {
    match problems {
        [] => "no details".to_owned(),
        [one] => format!("{}: {}", one.pointer, one.detail),
        [first, rest @ ..] => format!(
            "{}: {} (and {} more problems)",
            first.pointer,
            first.detail,
            rest.len()
        ),
    }
}
