//! Building an NHN client: credentials, host and transport, the same for
//! every NHN family.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::client::{Credentials, Runtime, TransportConfig};
use crate::descriptor::{CredentialHolder, Family};
use crate::error::Error;

/// Settings for an NHN client ([`DocumentClientBuilder`](super::DocumentClientBuilder),
/// [`GeneralClientBuilder`](super::GeneralClientBuilder)).
pub struct ClientBuilder<C> {
    credentials: Credentials,
    base_url: Option<String>,
    transport: TransportConfig,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("transport", &self.transport)
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
    use super::{Arc, Family, Runtime};

    /// What building a client needs to know, kept out of the public API.
    pub trait Sealed: Sized {
        /// The family whose descriptors drive the client.
        const FAMILY: &'static Family;
        fn from_runtime(runtime: Arc<Runtime>) -> Self;
    }
}

impl<C: NhnClient> ClientBuilder<C> {
    pub(crate) fn new(credentials: Credentials) -> Self {
        ClientBuilder {
            credentials,
            base_url: None,
            transport: TransportConfig::default(),
            client: PhantomData,
        }
    }

    /// Another host, such as the newer `https://api-ocr.nhncloudservice.com`
    /// or a local emulator.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeouts, the response size cap and the retry policy.
    pub fn transport(mut self, config: TransportConfig) -> Self {
        self.transport = config;
        self
    }

    /// # Errors
    ///
    /// [`Error::Invalid`] for a bad base URL or unusable credentials.
    pub fn build(self) -> Result<C, Error> {
        let family = C::FAMILY;
        let base_url = match self.base_url {
            Some(url) => url,
            None => family
                .default_url()
                .ok_or_else(|| Error::spec(family.name, "the family has no default base URL"))?
                .to_string(),
        };
        let version = family
            .version_for(CredentialHolder::SecretKey)
            .ok_or_else(|| Error::spec(family.name, "no version takes a secret key"))?;
        let runtime = Runtime::new(family, version, &base_url, self.credentials, self.transport)?;
        Ok(C::from_runtime(Arc::new(runtime)))
    }
}
