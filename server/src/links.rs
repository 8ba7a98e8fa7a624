//! The background link checker: fetches each evidence address the forms
//! cite and records whether it answers (`service::links` keeps the rows and
//! the leases; this module only speaks HTTP).
//!
//! A link is asked with `HEAD`, and with `GET` when the server refuses
//! `HEAD`; redirects are followed (at most five); the final status decides:
//! 2xx is `ok`, anything else `broken`; no answer is `unreachable`, with the
//! reason. The checker is a server fetching addresses users typed, so by
//! default it refuses any name that resolves to a loopback, private,
//! link-local or otherwise internal address (before connecting, and again
//! on every redirect); `DARAJA_LINK_CHECK_PRIVATE=1` allows them for an
//! intranet or a test.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use domain::LinkOutcome;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::{Method, StatusCode, Url};
use sea_orm::DatabaseConnection;
use service::links::{self, Found};

/// How long one link may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Links checked per round, per instance.
const BATCH: u64 = 16;
/// Links fetched at the same time.
const PARALLEL: usize = 4;

/// Fetches links and says what it found.
#[derive(Clone)]
pub struct Checker {
    client: reqwest::Client,
    allow_private: bool,
}

impl Checker {
    /// A checker; with `allow_private`, internal addresses are fetched too.
    pub fn new(allow_private: bool) -> anyhow::Result<Checker> {
        crate::state::install_crypto();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if !allow_private && literal_internal(attempt.url()).is_some() {
                attempt.error("redirected to an internal address")
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!(
                "Daraja-link-checker/",
                env!("CARGO_PKG_VERSION"),
                " (evidence links of the national digital-maturity rating)"
            ))
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .redirect(redirects)
            .no_proxy();
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Checker {
            client: builder.build()?,
            allow_private,
        })
    }

    /// Checks one address.
    pub async fn check(&self, url: &str) -> Found {
        let parsed = match Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            _ => return unreachable("not an http(s) address".into()),
        };
        if !self.allow_private
            && let Some(ip) = literal_internal(&parsed)
        {
            return unreachable(format!("{ip} is an internal address"));
        }
        let head = self
            .client
            .request(Method::HEAD, parsed.clone())
            .send()
            .await;
        let res = match head {
            // Some servers refuse or mishandle HEAD: ask again with GET.
            Ok(r) if refuses_head(r.status()) => {
                self.client.request(Method::GET, parsed).send().await
            }
            other => other,
        };
        match res {
            Ok(r) => {
                let status = r.status();
                let outcome = if status.is_success() {
                    LinkOutcome::Ok
                } else {
                    LinkOutcome::Broken
                };
                Found {
                    outcome,
                    http_status: Some(status.as_u16()),
                    detail: format!("HTTP {status}"),
                }
            }
            Err(e) => unreachable(why(&e)),
        }
    }

    /// Checks what is due, once: claims a batch under a lease, fetches a
    /// few at a time, records each. Returns how many were checked.
    pub async fn round(&self, db: &DatabaseConnection) -> anyhow::Result<usize> {
        use futures_util::StreamExt;
        let now = chrono::Utc::now();
        let lease = chrono::Duration::from_std(TIMEOUT * 6)?;
        let claimed = links::claim_due(db, now, BATCH, lease).await?;
        let n = claimed.len();
        let found: Vec<(i32, Found)> = futures_util::stream::iter(claimed)
            .map(|c| async move { (c.id, self.check(&c.url).await) })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        for (id, f) in found {
            links::record(db, id, &f, chrono::Utc::now()).await?;
        }
        Ok(n)
    }

    /// Runs [`Checker::round`] every `every`, for the life of the process.
    pub fn spawn(self, db: DatabaseConnection, every: Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.round(&db).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(checked = n, "evidence links checked"),
                    Err(e) => tracing::warn!(error = %e, "the link check round failed"),
                }
            }
        });
    }
}

fn unreachable(detail: String) -> Found {
    Found {
        outcome: LinkOutcome::Unreachable,
        http_status: None,
        detail,
    }
}

fn refuses_head(s: StatusCode) -> bool {
    matches!(
        s,
        StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::NOT_IMPLEMENTED
            | StatusCode::FORBIDDEN
            | StatusCode::NOT_FOUND
            | StatusCode::BAD_REQUEST
    )
}

/// The failure in words, without the crate's chain of wrappers.
fn why(e: &reqwest::Error) -> String {
    let mut root: &dyn std::error::Error = e;
    while let Some(next) = root.source() {
        root = next;
    }
    let cause = root.to_string();
    if e.is_timeout() {
        format!("no answer within {} s", TIMEOUT.as_secs())
    } else if e.is_redirect() {
        format!("redirect refused: {cause}")
    } else if e.is_connect() {
        format!("cannot connect: {cause}")
    } else {
        cause
    }
}

/// The address of a URL whose host is an internal IP literal.
fn literal_internal(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    let ip: IpAddr = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    internal(ip).then_some(ip)
}

/// Whether an address is not on the public internet.
fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared (CGNAT)
                || a >= 224 // multicast and reserved
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
        }
    }
}

/// A resolver that answers only with public addresses.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> =
                all.iter().copied().filter(|a| !internal(a.ip())).collect();
            if public.is_empty() && !all.is_empty() {
                return Err(format!("{host} resolves only to internal addresses").into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_told_from_public_ones() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["213.230.64.1", "8.8.8.8", "2a00:1450:4001::1"] {
            assert!(!internal(ip.parse().unwrap()), "{ip}");
        }
        let u = Url::parse("http://169.254.169.254/latest/meta-data").unwrap();
        assert!(literal_internal(&u).is_some());
        assert!(literal_internal(&Url::parse("https://gov.uz/").unwrap()).is_none());
    }
}
