//! Building an NHN client: credentials, hosts and transport, the same for
//! every NHN family. The builder only gathers them; the core
//! ([`Runtime::connect`]) picks the version the credentials call (a secret
//! key the version that takes one, Document OCR v2.0 or General OCR v1.0; a
//! User Access Key the version that takes its tokens, v2.1 or v1.1) and the
//! identity its calls present.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::client::identity::TokenSource;
use crate::client::runtime::{Connection, TokenIssuer};
use crate::client::{Credentials, Runtime, Settings};
use crate::descriptor::{Api, FixedHost, UsesTokens};
use crate::error::Error;

/// Settings for an NHN client ([`DocumentClientBuilder`](super::DocumentClientBuilder),
/// [`GeneralClientBuilder`](super::GeneralClientBuilder), and every
/// generated NHN client's builder).
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
            // As errors show URLs: never credentials, paths or queries.
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::text::url_for_display),
            )
            .field(
                "oauth_base_url",
                &self
                    .oauth_base_url
                    .as_deref()
                    .map(crate::text::url_for_display),
            )
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
    use super::{Arc, FixedHost, Runtime, UsesTokens};

    /// What building a client needs to know, kept out of the public API.
    pub trait Sealed: Sized {
        /// The family whose descriptors drive the client; its token
        /// scheme's issuer is where a User Access Key gets its tokens.
        type Api: UsesTokens + FixedHost;
        fn from_runtime(runtime: Arc<Runtime>) -> Self;
    }
}

impl<C> ClientBuilder<C> {
    /// The same settings, for another client type (the generated
    /// [`AnyClient`](crate::client::AnyClient) dispatch picks it by family).
    pub(crate) fn retarget<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            credentials: self.credentials,
            base_url: self.base_url,
            oauth_base_url: self.oauth_base_url,
            settings: self.settings,
            client: PhantomData,
        }
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

    crate::client::settings_setters!();

    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad base URL or unusable credentials.
    pub fn build(self) -> Result<C, Error> {
        let connection = Connection {
            family: <C::Api as Api>::FAMILY,
            credentials: self.credentials,
            base_url: self
                .base_url
                .as_deref()
                .unwrap_or(<C::Api as FixedHost>::DEFAULT_URL),
            // A User Access Key's tokens come from the family the spec's
            // token scheme names.
            tokens: Some(TokenIssuer {
                base_url: self.oauth_base_url.as_deref(),
                source: TokenSource::new::<<C::Api as UsesTokens>::Issuer>,
            }),
        };
        let runtime = Runtime::connect(connection, &self.settings)?;
        Ok(C::from_runtime(Arc::new(runtime)))
    }
}

#[cfg(test)]
mod tests {
    use crate::client::Credentials;
    use crate::nhn::{DocumentClient, GeneralClient};

    #[test]
    fn defaults_to_the_spec_host() {
        let client = DocumentClient::new(Credentials::new("a", "s")).unwrap();
        assert_eq!(format!("{client:?}"), "DocumentClient { .. }");
        let e = DocumentClient::builder(Credentials::new("a", "s"))
            .base_url("ftp://x")
            .build()
            .unwrap_err();
        assert!(e.to_string().starts_with("base URL `ftp://x`"), "{e}");
        let client = GeneralClient::new(Credentials::new("a", "s")).unwrap();
        assert_eq!(format!("{client:?}"), "GeneralClient { .. }");
        let e = GeneralClient::new(Credentials::new("", "s")).unwrap_err();
        assert_eq!(e.to_string(), "the app key is empty");
    }

    #[test]
    fn debug_shows_hosts_without_credentials_paths_or_queries() {
        let builder = DocumentClient::builder(Credentials::new("app-key", "s3cr3t-value"))
            .base_url("https://alice:pw123@ocr.example.com/tenant-path?token=tok456")
            .oauth_base_url("https://bob:pw789@oauth.example.com/?key=key000");
        let text = format!("{builder:?}");
        for leak in [
            "alice",
            "pw123",
            "tenant-path",
            "tok456",
            "bob",
            "pw789",
            "key000",
            "s3cr3t",
        ] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(
            text.contains("https://ocr.example.com") && text.contains("https://oauth.example.com"),
            "{text}"
        );
    }
}
