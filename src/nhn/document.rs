//! [`DocumentClient`]: NHN Cloud Document OCR v2.0.
//!
//! Each method is a thin typed front for one endpoint: it shapes the input
//! and calls the runtime with the endpoint's generated [`Operation`] type;
//! the runtime applies auth and the envelope from the descriptor (see
//! [`crate::client`]).
//!
//! [`Operation`]: crate::descriptor::Operation

use crate::client::Answer;
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

super::builder::nhn_client! {
    /// An async client of NHN Cloud Document OCR v2.0. Cheap to clone; clones
    /// share the connection pool and the public-key cache.
    client DocumentClient, builder DocumentClientBuilder, api doc::Api,
    versions "`v2.0` with a secret key, `v2.1` with a User Access Key"
}

impl DocumentClient {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Credentials;

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
