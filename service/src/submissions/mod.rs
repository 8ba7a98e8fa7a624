//! Submissions: the form an officer fills in, saved value by value with
//! optimistic concurrency, checked against the methodology as they type,
//! evidence, submission, and the reviewer's verdicts, returns and approval.
//!
//! A value is stored as the JSON of a `methodology::Value` (`"null"` once
//! cleared) and carries a `version`: a save names the version it was
//! edited from, and if someone saved in between nothing is written and
//! both versions come back ([`SaveOutcome::Conflict`]).

pub mod access;
pub mod answers;
pub mod evidence;
pub mod form;
pub mod queue;
pub mod review;
pub mod write;

pub use evidence::{EvidenceInput, Upload, add_evidence, add_file, evidence_file, remove_evidence};
pub use form::form;
pub use queue::queue;
pub use review::{Verdict, approve, reply, return_for_revision, review_value, submit};
pub use write::{SaveRequest, Writer, save};
