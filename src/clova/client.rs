//! What every CLOVA client shares: the builder over a domain's URL and
//! secret, the request encoding, and the call a document method makes.
//!
//! The clients themselves are generated (`generated/clova_clients.rs`),
//! one method per endpoint. A document method fills the request's fields
//! ([`request`](super::request)) and calls the runtime with the endpoint's
//! generated operation type; the runtime adds `X-OCR-SECRET` and decodes
//! CLOVA's HTTP errors from the descriptor (see [`crate::client`]);
//! [`recognized`](super::recognition::recognized) turns the answer into a
//! document or a typed error.

use std::marker::PhantomData;
use std::sync::Arc;

use super::ClovaClient;
use super::invoke_url::InvokeUrl;
use super::recognition::{Document, Recognized, recognized};
use super::request::RequestFields;
use crate::Sensitive;
use crate::client::runtime::Connection;
use crate::client::{Credentials, Runtime, Settings};
use crate::descriptor::{self, Api, FromBody, FromParts, Operation, PerCallerHost};
use crate::error::Error;
use crate::image::Image;

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

/// A client of a family whose every caller has its own URL (CLOVA's
/// domains), which [`ClientBuilder`] can build. Sealed: only this crate's
/// clients are built this way.
pub trait OwnUrlClient: sealed::Sealed {}

// As `nhn::builder::sealed`: nameable only inside this crate.
#[allow(private_interfaces)]
pub(crate) mod sealed {
    use std::sync::Arc;

    use super::RequestEncoding;
    use crate::client::Runtime;
    use crate::descriptor::PerCallerHost;

    /// What building a client needs to know, kept out of the public API.
    pub trait Sealed: Sized {
        /// The family whose descriptors drive the client; its callers'
        /// invoke URLs end in its `PerCallerHost::PATH`.
        type Api: PerCallerHost;
        /// The environment variable `from_env` reads the URL from.
        const URL_VARIABLE: &'static str;
        /// The environment variable `from_env` reads the secret from.
        const SECRET_VARIABLE: &'static str;
        fn from_runtime(runtime: Arc<Runtime>, encoding: RequestEncoding) -> Self;
    }
}

/// Settings for a client of one CLOVA domain ([`ClovaClientBuilder`](super::ClovaClientBuilder), and
/// every generated CLOVA client's builder).
pub struct ClientBuilder<C> {
    invoke_url: Sensitive,
    secret: Sensitive,
    encoding: RequestEncoding,
    settings: Settings,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClovaClientBuilder")
            .field("encoding", &self.encoding)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// The same settings, for another client type (the generated
    /// [`AnyClient`](crate::client::AnyClient) dispatch picks it by family).
    pub(crate) fn retarget<D>(self) -> ClientBuilder<D> {
        ClientBuilder {
            invoke_url: self.invoke_url,
            secret: self.secret,
            encoding: self.encoding,
            settings: self.settings,
            client: PhantomData,
        }
    }
}

impl<C: OwnUrlClient> ClientBuilder<C> {
    /// Settings for a client of the domain at `invoke_url` (the API
    /// Gateway URL the service gives the domain) with its secret.
    pub fn new(invoke_url: &str, secret: impl Into<Sensitive>) -> Self {
        ClientBuilder {
            invoke_url: Sensitive::new(invoke_url),
            secret: secret.into(),
            encoding: RequestEncoding::default(),
            settings: Settings::default(),
            client: PhantomData,
        }
    }

    /// Settings from the family's URL and secret variables (the Document
    /// API's: `CLOVA_OCR_INVOKE_URL` and `CLOVA_OCR_SECRET`).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming a missing variable.
    pub fn from_env() -> Result<Self, Error> {
        use crate::client::env;
        let invoke_url = env::required(C::URL_VARIABLE)?;
        let secret = env::required(C::SECRET_VARIABLE)?;
        Ok(Self::new(&invoke_url, secret))
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
    pub fn build(self) -> Result<C, Error> {
        let family = <C::Api as Api>::FAMILY;
        let url = InvokeUrl::parse(
            family,
            <C::Api as PerCallerHost>::PATH,
            self.invoke_url.expose(),
        )?;
        let connection = Connection {
            family,
            credentials: Credentials::secret_only(self.secret),
            base_url: url.as_str(),
            tokens: None,
        };
        let runtime = Runtime::connect(connection, &self.settings)?;
        Ok(C::from_runtime(Arc::new(runtime), self.encoding))
    }
}

/// Reads `image` as document type `D`, in `encoding`: the call every
/// document method of a CLOVA client makes.
pub(crate) async fn recognize<D: Document>(
    runtime: &Runtime,
    image: &Image,
    encoding: RequestEncoding,
) -> Result<Recognized<D>, Error> {
    type Request<D> = <<D as descriptor::Document>::Operation as Operation>::Request;
    let endpoint = <D::Operation as Operation>::ENDPOINT;
    let fields = RequestFields::new(endpoint, image)?;
    let request = match encoding {
        RequestEncoding::Multipart => Request::<D>::from_parts((fields.message(), image.clone())),
        RequestEncoding::Json => Request::<D>::from_body(fields.json_body(image)),
    };
    let reply = runtime.call(&request).await?;
    Ok(recognized(reply.body)?.with_drift(reply.drift))
}

/// Hand-written: any document by its type, which the generated per-document
/// methods (`receipt`, `passport`, ...) are named fronts for.
impl ClovaClient {
    /// Reads `image` as document type `D`, with the client's encoding.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for a format the endpoint does not
    /// take or a multi-page PDF/TIFF; [`Error::Vendor`] with a
    /// [`ErrorCode`](crate::wire::clova_document_ocr::ErrorCode) for CLOVA's HTTP errors;
    /// [`Error::Recognition`] when the answer holds no usable reading
    /// (`inferResult` FAILURE/ERROR, a validity check that objected);
    /// [`Error::Transport`] and [`Error::MalformedResponse`] as for every
    /// client.
    pub async fn recognize<D: Document>(&self, image: &Image) -> Result<Recognized<D>, Error> {
        recognize(&self.runtime, image, self.encoding).await
    }

    /// [`recognize`](Self::recognize) with another encoding for this call.
    pub async fn recognize_as<D: Document>(
        &self,
        image: &Image,
        encoding: RequestEncoding,
    ) -> Result<Recognized<D>, Error> {
        recognize(&self.runtime, image, encoding).await
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
