//! Signing in and sessions, as steps in order on one set of accounts: the
//! right password opens a session, a wrong one, an unknown or disabled
//! account are refused alike, repeated failures lock the account; a
//! refresh rotates the refresh token, and signing out ends the session.

use domain::UserId;
use service::auth::{self, AuthSettings, Tokens};
use service::users;

use crate::helpers::{PASSWORD, Refused, Who, World, outcome};

#[derive(Debug, Clone, Copy)]
enum Step {
    /// Sign in with this e-mail (as typed) and password.
    SignIn(&'static str, &'static str),
    /// The admin disables or enables the viewer's account.
    Active(bool),
    /// The access token of the last session opened, or refreshed.
    Access,
    /// The refresh token of the last session, rotating it.
    Refresh,
    /// The refresh token the last refresh replaced.
    OldRefresh,
    /// The access token with its signature changed.
    Forged,
    /// Sign out of the last session.
    SignOut,
}

#[tokio::test]
async fn sign_in_locks_after_repeated_failures_and_sessions_end_when_told() {
    let w = World::new().await;
    let settings = AuthSettings::new(&[7; 32]).unwrap();
    let viewer = UserId(w.p(Who::Viewer).user.id.0);
    let bad = Err(Refused::Other("BadCredentials"));
    let gone = Err(Refused::Unauthenticated);
    let ok = Ok(());
    use Step::*;
    #[rustfmt::skip]
    let table: Vec<(Step, Result<(), Refused>)> = vec![
        (SignIn("officer@t.uz", PASSWORD), ok.clone()),
        (SignIn("  Officer@T.uz ", PASSWORD), ok.clone()),
        (SignIn("officer@t.uz", "correct horse 43"), bad.clone()),
        (SignIn("nobody@t.uz", PASSWORD), bad.clone()),
        // A disabled account is refused like a wrong password.
        (Active(false), ok.clone()),
        (SignIn("viewer@t.uz", PASSWORD), bad.clone()),
        (Active(true), ok.clone()),
        (SignIn("viewer@t.uz", PASSWORD), ok.clone()),
        // A session: its access token works, a refresh rotates the pair.
        (Access, ok.clone()),
        (Forged, gone.clone()),
        (Refresh, ok.clone()),
        (Access, ok.clone()),
        (OldRefresh, gone.clone()),
        (Refresh, ok.clone()),
        (SignOut, ok.clone()),
        (Access, gone.clone()),
        (Refresh, gone.clone()),
        // Disabling ends the sessions already open.
        (SignIn("viewer@t.uz", PASSWORD), ok.clone()),
        (Active(false), ok.clone()),
        (Access, gone.clone()),
        (Active(true), ok.clone()),
        // Four failures are counted, the fifth locks, even the right
        // password is then refused; other accounts are not affected.
        (SignIn("reviewer@t.uz", "wrong 1"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 2"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 3"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 4"), bad.clone()),
        (SignIn("reviewer@t.uz", PASSWORD), ok.clone()),
        (SignIn("reviewer@t.uz", "wrong 1"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 2"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 3"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 4"), bad.clone()),
        (SignIn("reviewer@t.uz", "wrong 5"), bad.clone()),
        (SignIn("reviewer@t.uz", PASSWORD), bad.clone()),
        (SignIn("publisher@t.uz", PASSWORD), ok.clone()),
    ];
    let mut last: Option<Tokens> = None;
    let mut replaced: Option<Tokens> = None;
    for (step, want) in table {
        let got = match step {
            SignIn(email, password) => {
                let r = auth::sign_in(&w.db, &settings, email, password, None).await;
                outcome(r).map(|(t, p)| {
                    assert_eq!(p.user.email, email.trim().to_lowercase());
                    last = Some(t);
                })
            }
            Active(on) => {
                let r = users::set_active(&w.db, w.p(Who::Admin), viewer, on).await;
                outcome(r)
            }
            Access => {
                outcome(auth::authenticate(&w.db, &settings, &cur(&last).access).await).map(drop)
            }
            Forged => {
                // The first character of the signature carries six of its bits.
                let access = cur(&last).access;
                let at = access.rfind('.').unwrap() + 1;
                let first = if access[at..].starts_with('A') {
                    "B"
                } else {
                    "A"
                };
                let forged = format!("{}{first}{}", &access[..at], &access[at + 1..]);
                outcome(auth::authenticate(&w.db, &settings, &forged).await).map(drop)
            }
            Refresh => {
                let before = cur(&last);
                let r = auth::refresh(&w.db, &settings, &before.refresh).await;
                outcome(r).map(|(t, _)| {
                    replaced = Some(before);
                    last = Some(t);
                })
            }
            OldRefresh => {
                let old = replaced.clone().expect("a refresh before");
                outcome(auth::refresh(&w.db, &settings, &old.refresh).await).map(drop)
            }
            SignOut => {
                let sid = cur(&last).refresh.split('.').next().unwrap().to_owned();
                outcome(auth::sign_out(&w.db, &sid).await)
            }
        };
        assert_eq!(got, want, "{step:?}");
    }
}

fn cur(last: &Option<Tokens>) -> Tokens {
    last.clone().expect("a session was opened before")
}
