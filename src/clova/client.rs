//! [`ClovaClient`]: the NAVER CLOVA OCR Document API.
//!
//! Each method is a thin typed front for one endpoint: it fills the
//! request's fields ([`request`](super::request)) and calls the runtime with
//! the endpoint's generated operation type; the runtime adds `X-OCR-SECRET`
//! and decodes CLOVA's HTTP errors from the descriptor (see
//! [`crate::client`]); [`recognized`](super::recognition::recognized) turns
//! the answer into a document or a typed error.

use std::sync::Arc;

use super::invoke_url::InvokeUrl;
use super::recognition::{Document, Recognized, recognized};
use super::request::RequestFields;
use crate::Sensitive;
use crate::client::{Credentials, Runtime, Settings};
use crate::descriptor::{self, FromBody, FromParts, Operation};
use crate::error::Error;
use crate::image::Image;
use crate::wire::clova_document_ocr::{
    self as clova, BizLicenseDocument, CreditCardDocument, IdCardDocument, NameCardDocument,
    PassportDocument, ReceiptDocument,
};

/// How the image travels. Both are documented for every endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum RequestEncoding {
    /// `multipart/form-data`: a `message` part with the request fields as
    /// JSON, and the raw bytes in a `file` part. The default: Base64 would
    /// make the upload a third larger.
    #[default]
    Multipart,
    /// `application/json`: the image Base64-encoded in `images[0].data`.
    Json,
}

/// An async client of one CLOVA OCR domain. Cheap to clone; clones share the
/// connection pool.
#[derive(Clone)]
pub struct ClovaClient {
    runtime: Arc<Runtime>,
    encoding: RequestEncoding,
}

impl std::fmt::Debug for ClovaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClovaClient")
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

impl ClovaClient {
    /// A client of the domain behind `invoke_url` (the API Gateway URL
    /// ending in `/custom/v1/{DomainId}/{InvokeKey}`), authenticated by
    /// `secret` (`X-OCR-SECRET`), sending multipart requests.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for an invoke URL of the wrong shape or an
    /// unsendable secret; the message shows neither the secret nor the
    /// invoke key.
    pub fn new(invoke_url: &str, secret: impl Into<Sensitive>) -> Result<ClovaClient, Error> {
        ClovaClient::builder(invoke_url, secret).build()
    }

    /// A client configured from the environment, as the CLI is:
    /// `CLOVA_OCR_INVOKE_URL` and `CLOVA_OCR_SECRET` (see
    /// [`env`](crate::client::env)).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming a missing variable, or as [`new`](Self::new).
    pub fn from_env() -> Result<ClovaClient, Error> {
        ClovaClientBuilder::from_env()?.build()
    }

    /// A builder for a client of the domain at `invoke_url` (the APIGW
    /// invoke URL CLOVA gives the domain) with its secret.
    pub fn builder(invoke_url: &str, secret: impl Into<Sensitive>) -> ClovaClientBuilder {
        ClovaClientBuilder {
            invoke_url: Sensitive::new(invoke_url),
            secret: secret.into(),
            encoding: RequestEncoding::default(),
            settings: Settings::default(),
        }
    }

    /// The calls per second the adaptive rate limiter lets through now;
    /// `None` in [`RetryMode::Standard`](crate::client::RetryMode) or while
    /// the service has not throttled this client (or a clone of it).
    pub fn paced_rate(&self) -> Option<f64> {
        self.runtime.paced_rate()
    }

    /// How this client encodes the image in its requests.
    pub fn encoding(&self) -> RequestEncoding {
        self.encoding
    }

    /// `receipt`: store, payment date, line items and totals.
    pub async fn receipt(&self, image: &Image) -> Result<Recognized<ReceiptDocument>, Error> {
        self.recognize(image).await
    }

    /// `credit-card`: number, expiry and holder name.
    pub async fn credit_card(
        &self,
        image: &Image,
    ) -> Result<Recognized<CreditCardDocument>, Error> {
        self.recognize(image).await
    }

    /// `name-card`: the contact details on a business card.
    pub async fn name_card(&self, image: &Image) -> Result<Recognized<NameCardDocument>, Error> {
        self.recognize(image).await
    }

    /// `biz-license`: a Korean business registration certificate.
    pub async fn biz_license(
        &self,
        image: &Image,
    ) -> Result<Recognized<BizLicenseDocument>, Error> {
        self.recognize(image).await
    }

    /// `id-card`: a resident card, driver's licence, Korean passport or
    /// alien registration card.
    pub async fn id_card(&self, image: &Image) -> Result<Recognized<IdCardDocument>, Error> {
        self.recognize(image).await
    }

    /// `passport`: the machine readable zone of any country's passport.
    pub async fn passport(&self, image: &Image) -> Result<Recognized<PassportDocument>, Error> {
        self.recognize(image).await
    }

    /// Reads `image` as document type `D`, with the client's encoding.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for a format the endpoint does not
    /// take or a multi-page PDF/TIFF; [`Error::Vendor`] with a
    /// [`clova::ErrorCode`] for CLOVA's HTTP errors;
    /// [`Error::Recognition`] when the answer holds no usable reading
    /// (`inferResult` FAILURE/ERROR, a validity check that objected);
    /// [`Error::Transport`] and [`Error::MalformedResponse`] as for every
    /// client.
    pub async fn recognize<D: Document>(&self, image: &Image) -> Result<Recognized<D>, Error> {
        self.recognize_as(image, self.encoding).await
    }

    /// [`recognize`](Self::recognize) with another encoding for this call.
    pub async fn recognize_as<D: Document>(
        &self,
        image: &Image,
        encoding: RequestEncoding,
    ) -> Result<Recognized<D>, Error> {
        type Request<D> = <<D as descriptor::Document>::Operation as Operation>::Request;
        let endpoint = <D::Operation as Operation>::ENDPOINT;
        let fields = RequestFields::new(endpoint, image)?;
        let request = match encoding {
            RequestEncoding::Multipart => {
                Request::<D>::from_parts((fields.message(), image.clone()))
            }
            RequestEncoding::Json => Request::<D>::from_body(fields.json_body(image)),
        };
        let reply = self.runtime.call(&request).await?;
        Ok(recognized(reply.body)?.with_drift(reply.drift))
    }
}

/// Settings for a [`ClovaClient`].
pub struct ClovaClientBuilder {
    invoke_url: Sensitive,
    secret: Sensitive,
    encoding: RequestEncoding,
    settings: Settings,
}

impl std::fmt::Debug for ClovaClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClovaClientBuilder")
            .field("encoding", &self.encoding)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ClovaClientBuilder {
    /// Settings from `CLOVA_OCR_INVOKE_URL` and `CLOVA_OCR_SECRET`.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming a missing variable.
    pub fn from_env() -> Result<ClovaClientBuilder, Error> {
        use crate::client::env;
        let invoke_url = env::required(env::CLOVA_INVOKE_URL)?;
        let secret = env::required(env::CLOVA_SECRET)?;
        Ok(ClovaClient::builder(&invoke_url, secret))
    }

    /// The encoding of every call ([`RequestEncoding::Multipart`] unless
    /// set).
    pub fn encoding(mut self, encoding: RequestEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    crate::client::settings_setters!();

    /// # Errors
    ///
    /// [`Error::Invalid`] for an invoke URL of the wrong shape or an empty
    /// or unsendable secret.
    pub fn build(self) -> Result<ClovaClient, Error> {
        let url = InvokeUrl::parse(&clova::FAMILY, self.invoke_url.expose())?;
        let runtime = Runtime::new(
            &clova::FAMILY,
            &clova::VERSION,
            url.as_str(),
            Credentials::secret_only(self.secret),
            &self.settings,
        )?;
        Ok(ClovaClient {
            runtime: Arc::new(runtime),
            encoding: self.encoding,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_invoke_keys_stay_out_of_debug_and_errors() {
        let builder = ClovaClient::builder("https://h/custom/v1/1/invokekey", "topsecret");
        let debug = format!("{builder:?}");
        assert!(
            !debug.contains("topsecret") && !debug.contains("invokekey"),
            "{debug}"
        );
        let client = builder.encoding(RequestEncoding::Json).build().unwrap();
        assert_eq!(client.encoding(), RequestEncoding::Json);
        assert_eq!(format!("{client:?}"), "ClovaClient { encoding: Json, .. }");
        let e = ClovaClient::new("https://h/custom/v1/1/invokekey", "").unwrap_err();
        assert_eq!(e.to_string(), "the secret key is empty");
        let e = ClovaClient::new("https://h/invokekey", "s").unwrap_err();
        assert!(!e.to_string().contains("invokekey"), "{e}");
    }
}
