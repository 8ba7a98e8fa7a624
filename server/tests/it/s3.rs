//! Evidence files in an S3-compatible bucket (moto's S3 server stands in
//! for AWS, MinIO or Ceph): uploaded through one instance, stored under
//! their checksum in the bucket, served by another instance that shares
//! only the database and the bucket.

use crate::campaigns::world_in;
use crate::helpers::*;
use reqwest::multipart::{Form, Part};
use sea_orm::EntityTrait;
use std::process::{Child, Command, Stdio};

/// moto's S3 server on a free port, stopped when dropped.
struct Moto {
    child: Child,
    base: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("python3")
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs (scripts/setup.sh --test installs moto[server])");
    let m = Moto {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..150 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!(
        "moto's S3 server did not start on {port}: is moto[server] installed (scripts/setup.sh --test)?"
    );
}

#[tokio::test]
async fn evidence_files_live_in_an_s3_bucket_that_instances_share() {
    let s3 = moto().await;
    let http = client();
    let made = http
        .put(format!("{}/daraja-evidence", s3.base))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "{}", made.status());
    let settings = [
        ("DARAJA_S3_BUCKET", "daraja-evidence"),
        ("DARAJA_S3_PREFIX", "prod/"),
        ("DARAJA_S3_ENDPOINT", s3.base.as_str()),
        ("DARAJA_S3_REGION", "us-east-1"),
        ("DARAJA_S3_ACCESS_KEY_ID", "testing"),
        ("DARAJA_S3_SECRET_ACCESS_KEY", "testing"),
    ];
    let list = || async {
        http.get(format!("{}/daraja-evidence?list-type=2", s3.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let db_url = fresh_database_url().await;
    let one = spawn_app_with_url(&db_url, false, &settings).await;
    let w = world_in(one, |_| {}).await;
    let officer = w.app.bearer("officer@t.uz").await;
    let pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\n% the 2025 broadband register\n%%EOF\n";
    let r = w
        .app
        .http
        .post(format!(
            "{}/files/submissions/{}/evidence",
            w.app.base, w.own.0
        ))
        .bearer_auth(&officer)
        .header("accept", "application/json")
        .multipart(
            Form::new()
                .text("indicator", "INFRA.social_broadband")
                .part("file", Part::bytes(pdf.to_vec()).file_name("register.pdf")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let row = entity::evidence::Entity::find()
        .all(&w.app.services.db)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let link = format!("/files/evidence/{}", row.id);

    // In the bucket, under the prefix and the checksum, nowhere else.
    let sha = service::ratings::sha256_hex(pdf);
    let key = format!("prod/{}", service::files::key_of(&sha));
    let listing = list().await;
    assert!(listing.contains(&format!("<Key>{key}</Key>")), "{listing}");
    assert!(listing.contains("<KeyCount>1</KeyCount>"), "{listing}");
    assert!(
        listing.contains(&format!("<Size>{}</Size>", pdf.len())),
        "{listing}"
    );

    // A second instance (same database, same bucket, its own empty disk)
    // serves the file.
    let two = spawn_app_with_url(&db_url, false, &settings).await;
    // The officer attaches a file through an instance's own store.
    let attach = |app: &TestApp, name: &'static str, bytes: &'static [u8]| {
        let (db, files, who, own) = (
            app.services.db.clone(),
            app.services.files.clone(),
            w.officer.clone(),
            w.own,
        );
        async move {
            service::submissions::add_file(
                &db,
                files.as_ref(),
                &who,
                own,
                "INFRA.social_broadband",
                &service::submissions::Upload { name, bytes },
                chrono::Utc::now(),
            )
            .await
        }
    };
    let r = two.get(&link, Some(&officer)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf);
    // The same bytes uploaded again are not stored twice.
    let again = attach(&two, "copy.pdf", pdf).await.unwrap();
    assert_eq!(again.sha256.as_deref(), Some(sha.as_str()));
    let listing = list().await;
    assert!(listing.contains("<KeyCount>1</KeyCount>"), "{listing}");

    // A bucket that is not there fails the upload with an error, and
    // records nothing.
    let lost = spawn_app_with_url(
        &db_url,
        false,
        &[
            ("DARAJA_S3_BUCKET", "no-such-bucket"),
            ("DARAJA_S3_ENDPOINT", s3.base.as_str()),
            ("DARAJA_S3_REGION", "us-east-1"),
            ("DARAJA_S3_ACCESS_KEY_ID", "testing"),
            ("DARAJA_S3_SECRET_ACCESS_KEY", "testing"),
        ],
    )
    .await;
    let before = entity::evidence::Entity::find()
        .all(&lost.services.db)
        .await
        .unwrap()
        .len();
    let e = attach(&lost, "other.pdf", b"%PDF-1.7\n%%EOF\n")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("file store"), "{e}");
    assert_eq!(
        entity::evidence::Entity::find()
            .all(&lost.services.db)
            .await
            .unwrap()
            .len(),
        before
    );
}
