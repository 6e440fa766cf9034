//! [`DocumentClient`]: NHN Cloud Document OCR v2.0.
//!
//! Each method is a thin typed front for one endpoint: it shapes the input
//! and calls the runtime with the endpoint's generated [`Operation`] type;
//! the runtime applies auth and the envelope from the descriptor (see
//! [`crate::client`]).
//!
//! [`Operation`]: crate::descriptor::Operation

use std::sync::Arc;

use super::builder::{ClientBuilder, NhnClient, sealed};
use crate::client::{Answer, Credentials, Runtime};
use crate::envelope::PublicKey;
use crate::error::Error;
use crate::image::Image;
use crate::nhn::{AuthenticityCheck, RequestKey};
use crate::wire::nhn_document_ocr_v2::{
    self as doc, AuthenticityResult, CreditCardResult, IdCardResult,
};

use crate::wire::nhn_document_ocr_v2::KeyService;

/// The result of an ID card recognition, with the ticket for a later
/// authenticity check.
#[derive(Debug)]
pub struct IdCardRecognition {
    /// The reading, decrypted.
    pub result: IdCardResult,
    /// Issued for resident cards and driver licences only; `None` otherwise
    /// (passports).
    pub request_key: Option<RequestKey>,
}

/// An async client of NHN Cloud Document OCR v2.0. Cheap to clone; clones
/// share the connection pool and the public-key cache.
#[derive(Clone)]
pub struct DocumentClient {
    runtime: Arc<Runtime>,
}

impl std::fmt::Debug for DocumentClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentClient").finish_non_exhaustive()
    }
}

impl DocumentClient {
    /// A client of the default host (`FAMILY.base_url`) with default
    /// timeouts.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for empty or unsendable credentials.
    pub fn new(credentials: Credentials) -> Result<DocumentClient, Error> {
        DocumentClient::builder(credentials).build()
    }

    /// A client configured from the environment (see
    /// [`env`](crate::client::env)): credentials, hosts.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming a missing variable, or for unusable values.
    pub fn from_env() -> Result<DocumentClient, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// Settings other than the defaults: host, timeouts, retries.
    pub fn builder(credentials: Credentials) -> DocumentClientBuilder {
        DocumentClientBuilder::new(credentials)
    }

    /// The calls per second the adaptive rate limiter lets through now;
    /// `None` in [`RetryMode::Standard`](crate::client::RetryMode) or while
    /// the service has not throttled this client (or a clone of it).
    pub fn paced_rate(&self) -> Option<f64> {
        self.runtime.paced_rate()
    }

    /// The API version this client calls (`v2.0` with a secret key, `v2.1`
    /// with a User Access Key).
    pub fn api_version(&self) -> &'static str {
        self.runtime.version().name.unwrap_or_default()
    }

    /// Revokes the access token the client holds, if it holds one (a client
    /// built with a User Access Key, after a call). The next call gets a new
    /// token. Returns whether a token was revoked.
    ///
    /// # Errors
    ///
    /// The token API's refusal, or a transport error; the token is
    /// forgotten either way.
    pub async fn revoke_token(&self) -> Result<bool, Error> {
        match self.runtime.token_source() {
            Some(tokens) => tokens.revoke().await,
            None => Ok(false),
        }
    }

    /// `public-key`: the key this client seals `service`'s calls with. It
    /// is fetched on first use and then shared by every call.
    pub async fn public_key(&self, service: KeyService) -> Result<PublicKey, Error> {
        self.runtime.public_key::<doc::Api>(service.as_str()).await
    }

    /// `credit-card`: reads the number and expiry of a card.
    pub async fn credit_card(&self, image: &Image) -> Result<Answer<CreditCardResult>, Error> {
        let request = doc::CreditCardRequest {
            image: image.clone(),
        };
        Ok(self.runtime.call(&request).await?.into_answer())
    }

    /// `id-card`: reads a resident card, driver licence or passport, and
    /// returns the Request-Key for [`id_card_authenticity`](Self::id_card_authenticity).
    pub async fn id_card(&self, image: &Image) -> Result<Answer<IdCardRecognition>, Error> {
        let request = doc::IdCardRequest {
            image: image.clone(),
        };
        let sent_at = tokio::time::Instant::now();
        let reply = self.runtime.call(&request).await?;
        let request_key =
            super::request_key::from_answer(&reply.headers, reply.body.id_type.as_ref(), sent_at)?;
        let recognition = IdCardRecognition {
            result: reply.body,
            request_key,
        };
        Ok(Answer::new(recognition, reply.drift))
    }

    /// `id-card-stand-alone`: reads an ID document without enabling an
    /// authenticity check (cheaper; no Request-Key).
    pub async fn id_card_stand_alone(&self, image: &Image) -> Result<Answer<IdCardResult>, Error> {
        let request = doc::IdCardStandAloneRequest {
            image: image.clone(),
        };
        Ok(self.runtime.call(&request).await?.into_answer())
    }

    /// `id-card-authenticity`: asks the issuing authority whether the
    /// details are genuine. Spends `request_key`; the check's items are
    /// validated first, and an expired key is refused, both locally.
    pub async fn id_card_authenticity(
        &self,
        request_key: RequestKey,
        check: impl Into<AuthenticityCheck>,
    ) -> Result<Answer<AuthenticityResult>, Error> {
        let check = check.into();
        check.validate()?;
        request_key.check_fresh()?;
        let request = doc::IdCardAuthenticityRequest {
            request_key: request_key.value().clone(),
            body: doc::AuthenticityRequest::from(check),
        };
        Ok(self.runtime.call(&request).await?.into_answer())
    }
}

/// Settings for a [`DocumentClient`].
pub type DocumentClientBuilder = ClientBuilder<DocumentClient>;

impl NhnClient for DocumentClient {}

#[allow(private_interfaces)] // see `builder::sealed`
impl sealed::Sealed for DocumentClient {
    type Api = doc::Api;
    fn from_runtime(runtime: Arc<Runtime>) -> Self {
        DocumentClient { runtime }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_spec_host() {
        let client = DocumentClient::new(Credentials::new("a", "s")).unwrap();
        assert_eq!(format!("{client:?}"), "DocumentClient { .. }");
        let e = DocumentClient::builder(Credentials::new("a", "s"))
            .base_url("ftp://x")
            .build()
            .unwrap_err();
        assert!(e.to_string().starts_with("base URL `ftp://x`"), "{e}");
    }
}
