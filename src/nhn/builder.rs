//! Building an NHN client: credentials, hosts and transport, the same for
//! every NHN family. The credentials decide the version: a secret key calls
//! the version that takes one (Document OCR v2.0, General OCR v1.0), a User
//! Access Key the version that takes its tokens (v2.1, v1.1).

use std::marker::PhantomData;
use std::sync::Arc;

use crate::client::identity::TokenSource;
use crate::client::{Credentials, FamilyErrorCode, Runtime, Settings, TransportConfig};
use crate::descriptor::{Api, Credential, UsesTokens};
use crate::error::Error;
use crate::wire::drift::DriftMode;

/// Settings for an NHN client ([`DocumentClientBuilder`](super::DocumentClientBuilder),
/// [`GeneralClientBuilder`](super::GeneralClientBuilder)).
pub struct ClientBuilder<C> {
    credentials: Credentials,
    base_url: Option<String>,
    oauth_base_url: Option<String>,
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("oauth_base_url", &self.oauth_base_url)
            .field("settings", &self.settings)
            .finish()
    }
}

/// An NHN client that [`ClientBuilder`] can build. Sealed: only this
/// crate's clients are built this way.
pub trait NhnClient: sealed::Sealed {}

// `Sealed` is nameable only inside this crate, so nobody else can implement
// it or call its methods; rustc still counts it as reachable through the
// public `NhnClient` and flags the crate-private `Runtime` in its signature.
#[allow(private_interfaces)]
pub(crate) mod sealed {
    use super::{Arc, Runtime, UsesTokens};

    /// What building a client needs to know, kept out of the public API.
    pub trait Sealed: Sized {
        /// The family whose descriptors drive the client; its token
        /// scheme's issuer is where a User Access Key gets its tokens.
        type Api: UsesTokens;
        fn from_runtime(runtime: Arc<Runtime>) -> Self;
    }
}

impl<C: NhnClient> ClientBuilder<C> {
    /// Settings for a client with `credentials`; the rest default.
    pub fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            base_url: None,
            oauth_base_url: None,
            settings: Settings::default(),
            client: PhantomData,
        }
    }

    /// Credentials and hosts from the environment (see
    /// [`env`](crate::client::env)): [`Credentials::from_env`], and
    /// `NHN_OCR_BASE_URL` and `NHN_OAUTH_BASE_URL` when set.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming a missing variable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_with(Credentials::from_env()?)
    }

    /// As [`from_env`](Self::from_env), with these credentials.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a variable that is not valid Unicode.
    pub fn from_env_with(credentials: Credentials) -> Result<Self, Error> {
        use crate::client::env;
        let mut builder = Self::new(credentials);
        builder.base_url = env::optional(env::NHN_BASE_URL)?;
        builder.oauth_base_url = env::optional(env::NHN_OAUTH_BASE_URL)?;
        Ok(builder)
    }

    /// Another host, such as a documented alternate or a local emulator.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Another host for the token API (for a User Access Key), such as a
    /// local emulator; the spec's `https://oauth.api.nhncloudservice.com`
    /// unless set.
    pub fn oauth_base_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_base_url = Some(url.into());
        self
    }

    /// Timeouts, the response size cap and the retry policy (of the token
    /// requests too).
    pub fn transport(mut self, config: TransportConfig) -> Self {
        self.settings.transport = config;
        self
    }

    /// What the client does when an answer carries members or enum values
    /// the spec does not know; unless set, `OCRWIRE_DRIFT`
    /// ([`env`](crate::client::env)), else [`DriftMode::Warn`].
    pub fn drift(mut self, mode: DriftMode) -> Self {
        self.settings.drift = Some(mode);
        self
    }

    /// Send through your own `reqwest::Client`: a proxy, an extra root
    /// certificate for TLS inspection, default headers. It must not follow
    /// redirects (build it with `redirect(reqwest::redirect::Policy::none())`):
    /// the secret travels in headers, and a followed redirect ends the call
    /// with [`TransportError::Redirected`](crate::error::TransportError::Redirected).
    /// Its connect timeout is its own; the per-attempt timeout, deadline,
    /// retries and size cap of [`transport`](Self::transport) still apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }

    /// The User-Agent of every request;
    /// [`DEFAULT_USER_AGENT`](crate::client::DEFAULT_USER_AGENT)
    /// (`ocrwire/<version>`) unless set.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad base URL or unusable credentials.
    pub fn build(self) -> Result<C, Error>
    where
        <<C::Api as UsesTokens>::Issuer as Api>::ErrorCode: FamilyErrorCode,
    {
        let family = <C::Api as Api>::FAMILY;
        let version = family
            .version_for(self.credentials.holder())
            .ok_or_else(|| {
                Error::spec(family.name, "no version of the API takes these credentials")
            })?;
        let base_url = match self.base_url {
            Some(url) => url,
            None => family
                .default_url()
                .ok_or_else(|| Error::spec(family.name, "the family has no default base URL"))?
                .to_string(),
        };
        let runtime = match version.auth.credential {
            Credential::Token { .. } => {
                let tokens = TokenSource::new::<<C::Api as UsesTokens>::Issuer>(
                    self.oauth_base_url.as_deref(),
                    &self.credentials,
                    &self.settings,
                )?;
                Runtime::with_tokens(
                    family,
                    version,
                    &base_url,
                    self.credentials,
                    Arc::new(tokens),
                    &self.settings,
                )?
            }
            _ => Runtime::new(family, version, &base_url, self.credentials, &self.settings)?,
        };
        Ok(C::from_runtime(Arc::new(runtime)))
    }
}
