//! Evidence files in an S3-compatible object store (AWS S3, MinIO, Ceph,
//! a cloud provider's S3 endpoint), so that server instances on different
//! machines share them without a shared disk. The second implementation of
//! `service::files::FileStore`; the local directory is the first.

use std::io;
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use service::files::{FileStore, StoreFuture};

use crate::config::S3Settings;

/// A bucket (and an optional key prefix inside it).
pub struct ObjectFiles {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl ObjectFiles {
    /// A store for `s`: credentials and region from the settings, else from
    /// the usual `AWS_*` environment (an instance role included).
    pub fn new(s: &S3Settings) -> anyhow::Result<ObjectFiles> {
        crate::state::install_crypto();
        let mut b = AmazonS3Builder::from_env().with_bucket_name(&s.bucket);
        if let Some(region) = &s.region {
            b = b.with_region(region);
        }
        if let Some(endpoint) = &s.endpoint {
            b = b
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"))
                // Custom endpoints address buckets by path (/bucket/key).
                .with_virtual_hosted_style_request(false);
        }
        if let Some(id) = &s.access_key_id {
            b = b.with_access_key_id(id);
        }
        if let Some(secret) = &s.secret_access_key {
            b = b.with_secret_access_key(secret.expose());
        }
        Ok(ObjectFiles {
            store: Arc::new(b.build()?),
            prefix: s.prefix.trim_matches('/').to_owned(),
        })
    }

    fn path(&self, key: &str) -> io::Result<Path> {
        service::files::check_key(key)?;
        let full = if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}/{key}", self.prefix)
        };
        Path::parse(&full).map_err(io::Error::other)
    }
}

fn io_error(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        other => io::Error::other(other),
    }
}

impl FileStore for ObjectFiles {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            // Content-addressed: an object already there holds these bytes.
            match self.store.head(&path).await {
                Ok(_) => return Ok(()),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(io_error(e)),
            }
            self.store
                .put(&path, PutPayload::from(bytes.to_vec()))
                .await
                .map(drop)
                .map_err(io_error)
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let path = self.path(key)?;
            let got = self.store.get(&path).await.map_err(io_error)?;
            Ok(got.bytes().await.map_err(io_error)?.to_vec())
        })
    }
}
