//! sea-orm models of Daraja's tables, one module per table.
//!
//! Plain data: no queries, no rules. The schema itself lives in `migration`.
//! Status and kind columns are typed with `domain`'s closed sets, so a row
//! is parsed once, when it is read (a stored value outside its set is a
//! database error, not a string every reader checks again).

pub mod api_tokens;
pub mod appeals;
pub mod audit_log;
pub mod campaigns;
pub mod entities;
pub mod evidence;
pub mod idempotent_requests;
pub mod link_checks;
pub mod methodology_proposals;
pub mod methodology_versions;
pub mod nomination_choices;
pub mod outbox;
pub mod participants;
pub mod rating_snapshots;
pub mod region_imports;
pub mod review_comments;
pub mod role_grants;
pub mod sessions;
pub mod submission_values;
pub mod users;
pub mod workbook_imports;
