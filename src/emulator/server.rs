//! [`Emulator`]: a running emulator and its handle.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::{Credentials, EmulatorConfig};
use super::keys::{self, Keys};
use super::rate_limit::RateLimits;
use super::request_keys::RequestKeys;
use super::routes;
use super::state::{Counters, State};
use super::tokens::Tokens;
use super::{clova, keys::KeySet};
use crate::descriptor::{Endpoint, HeaderRole};
use crate::envelope::EnvelopeError;
use crate::wire::{FAMILIES, clova_document_ocr, endpoints};

/// How long [`Emulator::shutdown`] waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running emulator of every endpoint in the spec, on 127.0.0.1.
///
/// Dropping it stops the server too (without waiting);
/// [`shutdown`](Self::shutdown) waits until it has stopped.
pub struct Emulator {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Emulator {
    /// Loads (or generates) the key pair, binds 127.0.0.1:`config.port` and
    /// starts serving on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// The bind error, or [`io::ErrorKind::InvalidInput`] when the key pair
    /// cannot be loaded or generated.
    pub async fn start(config: EmulatorConfig) -> io::Result<Emulator> {
        let key = keys::load(&config.keys).await.map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("emulator key pair: {e}"),
            )
        })?;
        let clova_invoke = clova::InvokePath::from_spec(&clova_document_ocr::FAMILY)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the CLOVA spec's base path does not have two variables (domain id, invoke key)",
                )
            })?;
        let ttl = config.request_key_ttl.unwrap_or_else(request_key_validity);
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            keys: Keys::new(FAMILIES, key),
            request_keys: RequestKeys::new(ttl),
            tokens: Tokens::new(
                config.token_lifetime.unwrap_or_else(token_lifetime),
                config.faults.revoke_tokens_after,
            ),
            counters: Counters::new(endpoints().map(|(_, e)| e)),
            rate_limits: RateLimits::new(config.faults.rate_limit_per_sec),
            clova_invoke,
            shapes: super::state::shapes(),
            config,
        });
        let app = routes::router(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Either an explicit stop or the handle being dropped.
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "emulator listening");
        Ok(Emulator {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL for both NHN OCR families: `http://127.0.0.1:PORT`.
    pub fn nhn_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Base URL for NHN's token API (the same server): `http://127.0.0.1:PORT`.
    pub fn oauth_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The CLOVA invoke URL (`http://127.0.0.1:PORT/custom/v1/{DomainId}/{InvokeKey}`
    /// filled in); clients append `/document/<type>`.
    pub fn clova_invoke_url(&self) -> String {
        let config = &self.state.config;
        let path = self
            .state
            .clova_invoke
            .render(&config.clova_domain_id, &config.clova_invoke_key);
        format!("http://{}{}", self.addr, path)
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.state.config.credentials
    }

    /// A [`DocumentClient`](crate::nhn::DocumentClient) builder pointed at
    /// this emulator with its secret key (v2.0): for downstream tests.
    pub fn document_client(&self) -> crate::nhn::DocumentClientBuilder {
        crate::nhn::DocumentClient::builder(self.nhn_secret_key_credentials())
            .base_url(self.nhn_base_url())
    }

    /// A [`GeneralClient`](crate::nhn::GeneralClient) builder pointed at
    /// this emulator with its secret key (v1.0).
    pub fn general_client(&self) -> crate::nhn::GeneralClientBuilder {
        crate::nhn::GeneralClient::builder(self.nhn_secret_key_credentials())
            .base_url(self.nhn_base_url())
    }

    /// A [`ClovaClient`](crate::clova::ClovaClient) builder pointed at this
    /// emulator's CLOVA domain.
    pub fn clova_client(&self) -> crate::clova::ClovaClientBuilder {
        crate::clova::ClovaClient::builder(
            &self.clova_invoke_url(),
            self.credentials().clova_secret.clone(),
        )
    }

    /// Client credentials with the emulator's app key and secret key.
    pub fn nhn_secret_key_credentials(&self) -> crate::client::Credentials {
        let c = self.credentials();
        crate::client::Credentials::new(c.nhn_app_key.as_str(), c.nhn_secret_key.clone())
    }

    /// Client credentials with the emulator's app key and User Access Key
    /// (for v2.1 and v1.1; the builders also need
    /// [`oauth_base_url`](Self::oauth_base_url)).
    pub fn nhn_user_access_key_credentials(&self) -> crate::client::Credentials {
        let c = self.credentials();
        crate::client::Credentials::user_access_key(
            c.nhn_app_key.as_str(),
            c.user_access_key_id.clone(),
            c.secret_access_key.clone(),
        )
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &EmulatorConfig {
        &self.state.config
    }

    /// The services public keys are issued for (`credit-card`, `id-card`).
    pub fn key_services(&self) -> Vec<&'static str> {
        self.state.keys.services().to_vec()
    }

    /// The version the public-key endpoint currently gives for `service`.
    pub fn key_version(&self, service: &str) -> Option<String> {
        let set: Arc<KeySet> = self.state.keys.current();
        set.version(service).map(str::to_owned)
    }

    /// Replaces the RSA key pair with a newly generated one of the same size
    /// and gives every service a new key version; calls sealed for an old
    /// version then answer 4000301. Generating takes 0.1-1 s.
    ///
    /// # Errors
    ///
    /// When key generation fails; the old key pair stays in use.
    pub async fn rotate_keys(&self) -> Result<(), EnvelopeError> {
        self.state.keys.rotate().await
    }

    /// Calls received by `endpoint` so far (every call, answered or failed).
    pub fn requests(&self, endpoint: &Endpoint) -> u64 {
        self.state.counters.of(endpoint)
    }

    /// Calls refused by the rate limit
    /// ([`Faults::rate_limit_per_sec`](super::Faults::rate_limit_per_sec))
    /// so far.
    pub fn throttled(&self) -> u64 {
        self.state.rate_limits.throttled()
    }

    /// Access tokens the token API has issued so far.
    pub fn tokens_issued(&self) -> u64 {
        self.state.tokens.issued()
    }

    /// Calls received by all OCR endpoints so far; the last call's number.
    /// (Token API calls are not numbered.)
    pub fn total_requests(&self) -> u64 {
        self.state.counters.total()
    }

    /// Stops accepting calls and waits (up to 5 s) for open connections to
    /// finish.
    ///
    /// # Errors
    ///
    /// The server's own I/O error, if it failed while running.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// The default lifetime of an access token: the spec's, for the family
/// whose endpoint issues them.
fn token_lifetime() -> Duration {
    let secs = FAMILIES
        .iter()
        .find_map(|f| f.token_endpoint())
        .and_then(|e| e.response.token)
        .map_or(86_400, |l| l.default_secs);
    Duration::from_secs(secs)
}

/// The Request-Key validity the spec gives (`valid_for_secs` of the
/// response header that carries the family's Request-Key), one hour when
/// the spec gives none.
fn request_key_validity() -> Duration {
    let secs = FAMILIES
        .iter()
        .flat_map(|f| f.endpoints.iter())
        .flat_map(|e| e.headers.iter())
        .find(|h| h.role == HeaderRole::RequestKey)
        .and_then(|h| {
            endpoints()
                .find_map(|(_, e)| e.response_header(h.name.as_str()))
                .and_then(|r| r.valid_for_secs)
        })
        .unwrap_or(3600);
    Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keys_live_as_long_as_the_spec_says() {
        assert_eq!(request_key_validity(), Duration::from_secs(3600));
    }
}
