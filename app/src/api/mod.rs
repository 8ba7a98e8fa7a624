//! Server functions: the pages' only way to the server. Each parses its
//! arguments, checks who asks through the service it calls, and returns
//! plain data from `domain`.
//!
//! One module per area; every function (and the argument struct the
//! `#[server]` macro makes of it) is re-exported here, so the pages name
//! them `api::…`. Each function's endpoint is named explicitly, so where it
//! lives does not change its URL.

mod account;
mod admin;
mod campaigns;
mod ratings;
mod registry;
mod submissions;

pub use account::*;
pub use admin::*;
pub use campaigns::*;
pub use ratings::*;
pub use registry::*;
pub use submissions::*;
