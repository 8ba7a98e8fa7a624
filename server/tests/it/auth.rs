//! Sign-in, refresh, sign-out, throttling, and rejected tokens.

use crate::helpers::*;
use domain::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

#[tokio::test]
async fn sign_in_refresh_and_sign_out_over_the_api() {
    let app = spawn_app().await;
    app.user_with("reviewer@test.uz", Role::Reviewer, None)
        .await;
    let r = app.token("Reviewer@Test.uz", PASSWORD).await;
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.unwrap();
    let access = t["access_token"].as_str().unwrap().to_owned();
    let refresh = t["refresh_token"].as_str().unwrap().to_owned();
    let me: serde_json::Value = app
        .get("/api/v1/me", Some(&access))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "reviewer@test.uz");
    assert_eq!(me["grants"][0]["role"], "reviewer");

    // Refresh rotates the refresh token: the old one stops working.
    let r = app
        .http
        .post(format!("{}/api/v1/auth/refresh", app.base))
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t2: serde_json::Value = r.json().await.unwrap();
    let r = app
        .http
        .post(format!("{}/api/v1/auth/refresh", app.base))
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "a used refresh token is rejected");

    // Sign-out revokes the session: the still-unexpired access token dies too.
    let access2 = t2["access_token"].as_str().unwrap();
    let r = app
        .http
        .post(format!("{}/api/v1/auth/sign-out", app.base))
        .bearer_auth(access2)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.get("/api/v1/me", Some(access2)).await.status(), 401);
    assert_eq!(app.get("/api/v1/me", Some(&access)).await.status(), 401);
}

#[tokio::test]
async fn browser_sign_in_sets_http_only_cookies_and_sign_out_clears_them() {
    let app = spawn_app().await;
    app.user_with(
        "cdo@test.uz",
        Role::Cdo,
        Some(app.nth_entity("state_body", 0).await),
    )
    .await;
    let r = app
        .server_fn(
            "sign_in",
            None,
            &[
                ("email", "cdo@test.uz"),
                ("password", PASSWORD),
                ("next", "/registry"),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    let cookies: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("daraja_access=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("daraja_refresh=") && c.contains("HttpOnly"))
    );
    // The client's cookie jar now carries the session.
    let who: serde_json::Value = app
        .server_fn("whoami", None, &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(who["email"], "cdo@test.uz");
    let page = app.get("/", None).await.text().await.unwrap();
    assert!(
        page.contains("data-roles=\"cdo\""),
        "the home page greets the CDO"
    );
    app.server_fn("sign_out", None, &[]).await;
    let who: serde_json::Value = app
        .server_fn("whoami", None, &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(who.is_null(), "{who}");
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_lock_the_account() {
    let app = spawn_app().await;
    app.user_with("admin@test.uz", Role::Admin, None).await;
    let unknown = app.token("nobody@test.uz", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let unknown: serde_json::Value = unknown.json().await.unwrap();
    let wrong: serde_json::Value = app
        .token("admin@test.uz", "wrong password 1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        unknown["detail"], wrong["detail"],
        "the message does not reveal whether the account exists"
    );
    for _ in 0..4 {
        assert_eq!(
            app.token("admin@test.uz", "wrong password 1")
                .await
                .status(),
            401
        );
    }
    // Five failures lock the account: even the right password is refused.
    assert_eq!(app.token("admin@test.uz", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn expired_forged_and_alg_none_tokens_are_rejected() {
    let app = spawn_app().await;
    app.user_with("admin@test.uz", Role::Admin, None).await;
    let good = app.bearer("admin@test.uz").await;
    assert_eq!(app.get("/api/v1/me", Some(&good)).await.status(), 200);
    let claims = |exp_offset: i64| {
        let payload = good.split('.').nth(1).unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(&b64(payload)).unwrap();
        v["exp"] = json!(chrono::Utc::now().timestamp() + exp_offset);
        v
    };
    let sign = |v: &serde_json::Value, key: &str| {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            v,
            &EncodingKey::from_secret(key.as_bytes()),
        )
        .unwrap()
    };
    let expired = sign(&claims(-3600), SECRET);
    let other_key = sign(&claims(600), "another-secret-0123456789-0123456789-xyz");
    let header_none = base64url(br#"{"alg":"none","typ":"JWT"}"#);
    let body = base64url(serde_json::to_string(&claims(600)).unwrap().as_bytes());
    let alg_none = format!("{header_none}.{body}.");
    let mut tampered = good.clone();
    tampered.insert(tampered.len() - 3, 'x');
    for (name, t) in [
        ("expired", expired),
        ("other key", other_key),
        ("alg none", alg_none),
        ("tampered", tampered),
    ] {
        assert_eq!(
            app.get("/api/v1/me", Some(&t)).await.status(),
            401,
            "{name}"
        );
    }
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn b64(s: &str) -> Vec<u8> {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let vals: Vec<u32> = s
        .bytes()
        .map(|c| A.iter().position(|a| *a == c).unwrap() as u32)
        .collect();
    let mut out = Vec::new();
    for chunk in vals.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, v)| n | (v << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[tokio::test]
async fn demo_credentials_are_refused_outside_demo_mode() {
    let app = spawn_app_with(true).await;
    assert_eq!(
        app.token("admin@daraja.uz", service::demo::DEMO_PASSWORD)
            .await
            .status(),
        200
    );
    let err = service::demo::refuse_demo_credentials(&app.services.db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("demo password"), "{err}");
}

#[tokio::test]
async fn another_sites_write_with_the_session_cookie_is_refused() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn_app().await;
    app.user_with("admin@test.uz", Role::Admin, None).await;
    let r = app
        .server_fn(
            "sign_in",
            None,
            &[("email", "admin@test.uz"), ("password", PASSWORD)],
        )
        .await;
    assert!(r.status().is_success() || r.status().is_redirection());
    let base = app.base.clone();
    let host = base.trim_start_matches("http://").to_owned();
    let create = |headers: &[(&str, &str)], n: u32| {
        let mut req = app
            .http
            .post(format!("{base}/api/create_user"))
            .header("accept", "application/json")
            .form(&[
                ("email", format!("new{n}@test.uz")),
                ("display_name", "New".to_owned()),
                ("password", "a long one 12345".to_owned()),
            ]);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send()
    };
    let same_origin = format!("http://{host}");
    // (headers, refused?)
    let cases: Vec<(Vec<(&str, &str)>, bool)> = vec![
        (vec![("origin", "http://evil.example")], true),
        (vec![("origin", "null")], true),
        (vec![("sec-fetch-site", "cross-site")], true),
        (vec![("sec-fetch-site", "same-site")], true),
        (
            vec![("sec-fetch-site", "same-origin"), ("origin", &same_origin)],
            false,
        ),
        (vec![("origin", &same_origin)], false),
        (vec![], false),
    ];
    for (n, (headers, refused)) in cases.iter().enumerate() {
        let r = create(headers, n as u32).await.unwrap();
        if *refused {
            assert_eq!(r.status(), 403, "{headers:?}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
        } else {
            assert!(r.status().is_success(), "{headers:?}: {}", r.status());
        }
    }
    let users = entity::users::Entity::find()
        .count(&app.services.db)
        .await
        .unwrap();
    assert_eq!(
        users, 4,
        "the admin and the three same-origin creations only"
    );
    // Reads are not writes; a bearer token is no ambient credential.
    assert_eq!(
        app.http
            .get(format!("{base}/registry"))
            .header("origin", "http://evil.example")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let token = app.bearer("admin@test.uz").await;
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/tokens"))
        .bearer_auth(&token)
        .header("origin", "http://evil.example")
        .json(&serde_json::json!({"name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        422,
        "judged on its merits, not refused as cross-site"
    );
}

#[tokio::test]
async fn sign_in_is_throttled_per_address_alike_for_every_account() {
    let app = spawn_app_configured(false, &[("DARAJA_SIGN_IN_PER_MINUTE", "3")]).await;
    app.user_with("real@test.uz", Role::Viewer, None).await;
    let attempts = [
        ("real@test.uz", "wrong password 1"),
        ("ghost@test.uz", "wrong password 1"),
        ("real@test.uz", "wrong password 2"),
    ];
    for (email, password) in attempts {
        assert_eq!(app.token(email, password).await.status(), 401, "{email}");
    }
    // The fourth attempt from this address, right or wrong, real account
    // or not, through the API or the browser's form: 429, alike.
    let mut details = Vec::new();
    for email in ["real@test.uz", "ghost@test.uz"] {
        let r = app.token(email, PASSWORD).await;
        assert_eq!(r.status(), 429, "{email}");
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=20).contains(&wait), "{wait}");
        let body: serde_json::Value = r.json().await.unwrap();
        details.push(body["detail"].as_str().unwrap().to_owned());
    }
    assert_eq!(details[0], details[1], "nothing tells an account exists");
    let form = app
        .server_fn(
            "sign_in",
            None,
            &[("email", "real@test.uz"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(form.status(), 429);
    // Other routes are not throttled.
    assert_eq!(app.get("/api/v1/methodologies", None).await.status(), 200);
}
