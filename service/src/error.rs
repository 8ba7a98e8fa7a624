//! The one error type of the service layer.
//!
//! What a person did wrong or may not do is a variant of its own; what went
//! wrong inside keeps its typed source (`#[from]`), so the edge can log the
//! whole chain and answer an opaque 500 without a string built on the way.

/// What went wrong in a service call. The edge maps each variant to a status.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No signed-in user where one is required.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but the role or scope does not allow this.
    #[error("not allowed: {0}")]
    Forbidden(domain::Msg),
    /// The object does not exist (or is hidden from this user).
    #[error("not found: {0}")]
    NotFound(domain::Msg),
    /// Input that does not parse, naming the field.
    #[error("invalid input: {0}")]
    Invalid(#[from] domain::ParseError),
    /// Several problems with one request, each at a JSON pointer; nothing
    /// was written.
    #[error("invalid input: {}", .0.first().map(|p| format!("{}: {}", p.pointer, p.msg)).unwrap_or_default())]
    Rejected(Vec<Rejection>),
    /// The change conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(domain::Msg),
    /// A save lost a race: someone else changed what it was based on
    /// between reading and writing. The caller rolls back and shows the
    /// other writer's version (see `submissions::write`).
    #[error("someone else saved first")]
    Lost(Lost),
    /// Sign-in failed; deliberately says nothing about whether the account exists.
    #[error("wrong e-mail or password, or the account is locked for a while")]
    BadCredentials,
    /// A stored record can not be served as it is: a published snapshot
    /// that no longer matches its SHA-256. Only that record is withheld.
    #[error("unavailable: {0}")]
    Unavailable(domain::Msg),
    /// A database failure.
    #[error("database error")]
    Db(#[from] sea_orm::DbErr),
    /// Stored JSON that does not decode, or a value that does not encode.
    #[error("JSON")]
    Json(#[from] serde_json::Error),
    /// A file the `exports` crate writes or reads failed.
    #[error("workbook")]
    Export(#[from] exports::ExportError),
    /// The reviewed seed files (registry, map) do not read.
    #[error("seed files")]
    Seed(#[from] seeds::SeedError),
    /// A stored methodology does not parse (it did when it was stored).
    #[error("methodology")]
    Methodology(#[from] methodology::ParseError),
    /// A stored proposal can not become a methodology file.
    #[error("methodology proposal")]
    Proposal(#[from] methodology::whatif::ProposalError),
    /// The evidence file store failed.
    #[error("file store")]
    Files(#[from] std::io::Error),
    /// Hashing a password or signing a token failed.
    #[error("cryptography: {0}")]
    Crypto(&'static str),
    /// The stored data break a rule the code relies on: a row that must
    /// exist is missing, or a stored state no workflow writes.
    #[error("inconsistent data: {0}")]
    Inconsistent(Inconsistent),
}

/// Stored data that break a rule the code relies on, by what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum Inconsistent {
    /// A row another row points at is gone.
    #[error("{what} {id} is missing")]
    Missing {
        /// The kind of row (`snapshot`, `campaign`, `methodology version`).
        what: &'static str,
        /// Its id or key.
        id: String,
    },
    /// A methodology or snapshot lacks a part every one has.
    #[error("{0}")]
    Shape(&'static str),
    /// The database answered a query with no row where one always comes.
    #[error("no answer to {0}")]
    NoAnswer(String),
    /// A call that only makes sense on another database engine or set-up.
    #[error("{0}")]
    Setup(&'static str),
    /// A stored JSON text that no longer decodes.
    #[error("{what} {id} does not decode")]
    Unreadable {
        /// The kind of record (`snapshot`, `upload report`).
        what: &'static str,
        /// Its id or key.
        id: String,
        /// The decoder's complaint.
        #[source]
        source: serde_json::Error,
    },
    /// A stored file that no longer matches its recorded SHA-256.
    #[error("{what} {id} does not match its SHA-256")]
    Tampered {
        /// The kind of record.
        what: &'static str,
        /// Its id or key.
        id: String,
    },
}

impl ServiceError {
    /// What to tell the person who asked, in words of the reader's language
    /// once rendered; internal failures are one opaque message (the edge
    /// logs them).
    pub fn message(&self) -> domain::Msg {
        use domain::Msg;
        if self.is_internal() {
            return Msg::Internal;
        }
        match self {
            ServiceError::Unauthenticated => Msg::SignInRequired,
            ServiceError::Forbidden(m)
            | ServiceError::NotFound(m)
            | ServiceError::Conflict(m)
            | ServiceError::Unavailable(m) => m.clone(),
            ServiceError::Invalid(p) => p.message.clone(),
            ServiceError::Rejected(problems) => match problems.first() {
                Some(first) => first.msg.clone(),
                None => Msg::Internal,
            },
            ServiceError::Lost(_) => Msg::SavedFirst,
            ServiceError::BadCredentials => Msg::BadCredentials,
            _ => Msg::Internal,
        }
    }

    /// Whether this went wrong inside (the edge logs it and answers an
    /// opaque 500) rather than being what the caller did or may not do.
    pub fn is_internal(&self) -> bool {
        match self {
            ServiceError::Db(_)
            | ServiceError::Json(_)
            | ServiceError::Export(_)
            | ServiceError::Seed(_)
            | ServiceError::Methodology(_)
            | ServiceError::Proposal(_)
            | ServiceError::Files(_)
            | ServiceError::Crypto(_)
            | ServiceError::Inconsistent(_) => true,
            ServiceError::Unauthenticated
            | ServiceError::Forbidden(_)
            | ServiceError::NotFound(_)
            | ServiceError::Invalid(_)
            | ServiceError::Rejected(_)
            | ServiceError::Conflict(_)
            | ServiceError::Lost(_)
            | ServiceError::BadCredentials
            | ServiceError::Unavailable(_) => false,
        }
    }

    /// What the caller asked for does not exist (or is hidden from them).
    pub fn not_found(what: domain::Noun, which: impl std::fmt::Display) -> Self {
        ServiceError::NotFound(domain::Msg::NotFound {
            what,
            which: which.to_string(),
        })
    }

    /// A row that must exist is missing.
    pub fn missing(what: &'static str, id: impl std::fmt::Display) -> Self {
        ServiceError::Inconsistent(Inconsistent::Missing {
            what,
            id: id.to_string(),
        })
    }

    /// A stored methodology or snapshot lacks a part every one has.
    pub fn shape(what: &'static str) -> Self {
        ServiceError::Inconsistent(Inconsistent::Shape(what))
    }

    /// A stored JSON text that no longer decodes: for `map_err`.
    pub fn unreadable(
        what: &'static str,
        id: impl std::fmt::Display,
    ) -> impl FnOnce(serde_json::Error) -> Self {
        move |source| {
            ServiceError::Inconsistent(Inconsistent::Unreadable {
                what,
                id: id.to_string(),
                source,
            })
        }
    }
}

/// Someone else saved between reading and writing; the transaction must be
/// rolled back (on PostgreSQL a failed insert has aborted it).
#[derive(Debug)]
pub struct Lost {
    /// The insert that failed, when the value was new: a unique-index
    /// violation if someone inserted first, else a real failure.
    pub(crate) insert_error: Option<sea_orm::DbErr>,
}

impl Lost {
    /// The database failure behind it, when it was not someone else's
    /// write (a unique-index violation is one).
    pub(crate) fn failure(self) -> Option<sea_orm::DbErr> {
        self.insert_error.filter(|e| {
            !matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            )
        })
    }

    /// The error to answer when the other writer's row can not be found
    /// after all: the failed insert, or the row as missing.
    pub(crate) fn into_error(self, what: &'static str, key: &str) -> ServiceError {
        match self.insert_error {
            Some(e) => e.into(),
            None => ServiceError::missing(what, key),
        }
    }
}

/// One problem of a rejected request, at a JSON pointer into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// Where in the request (`/values/3/value`).
    pub pointer: String,
    /// What is wrong there.
    pub msg: domain::Msg,
}

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;
