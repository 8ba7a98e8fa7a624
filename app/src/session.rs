//! The signed-in user and the sign-in and sign-out actions: the app
//! provides them as context, the layout and the pages read them.

use crate::api;
use domain::CurrentUser;
use leptos::prelude::*;

use crate::error::AppError;

/// The sign-in and sign-out actions, shared so that the user resource
/// reloads after either.
#[derive(Clone, Copy)]
pub struct AuthActions {
    /// Sign in.
    pub sign_in: ServerAction<api::SignIn>,
    /// Sign out.
    pub sign_out: ServerAction<api::SignOut>,
}

/// The signed-in user resource the app provides.
pub type UserResource = Resource<Result<Option<domain::CurrentUser>, AppError>>;

/// The signed-in user resource, from context.
pub fn use_user() -> UserResource {
    expect_context::<UserResource>()
}

/// The signed-in user once loaded (`None` for the public).
pub fn signed_in() -> Option<CurrentUser> {
    use_user().get().and_then(Result::ok).flatten()
}
