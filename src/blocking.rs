//! Blocking clients (feature `blocking`): the async clients' methods, for
//! programs without an async runtime (small tools, batch jobs, scripts).
//!
//! Each client wraps the async one and runs its calls on an internal tokio
//! runtime, so the guarantees are the same ones: the envelope, tokens,
//! retries, timeouts, drift checks. Clones share the runtime, the
//! connection pool and the key and token caches, and calls may come from
//! many threads at once.
//!
//! A blocking call made from inside an async runtime would stall that
//! runtime's thread (or deadlock a single-threaded one), so it is refused
//! with [`Error::Blocking`] instead. Use the async clients there.
//!
//! ```no_run
//! use ocrwire::blocking::DocumentClient;
//! use ocrwire::{Error, Image};
//!
//! # fn demo() -> Result<(), Error> {
//! let client = DocumentClient::from_env()?;
//! let card = client.credit_card(&Image::from_path("card.png")?)?;
//! println!("{:?}", card.number());
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;

use crate::client::{Answer, Credentials};
use crate::clova::{self, Document, Recognized, RequestEncoding};
use crate::envelope::PublicKey;
use crate::error::Error;
use crate::image::Image;
use crate::nhn::{self, AuthenticityCheck, IdCardRecognition, ImageSource, KeyService, RequestKey};
use crate::wire::clova_document_ocr::{
    BizLicenseDocument, CreditCardDocument, IdCardDocument, NameCardDocument, PassportDocument,
    ReceiptDocument,
};
use crate::wire::nhn_document_ocr_v2::{AuthenticityResult, CreditCardResult, IdCardResult};
use crate::wire::nhn_general_ocr_v1::{CroppingResult, GeneralResult};

/// The internal runtime. It is shut down without waiting when the last
/// client goes, so dropping a client is safe anywhere, async code included.
struct Engine(Option<tokio::runtime::Runtime>);

impl Engine {
    fn start() -> Result<Arc<Engine>, Error> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ocrwire-blocking")
            .enable_all()
            .build()
            .map(|runtime| Arc::new(Engine(Some(runtime))))
            .map_err(|_| Error::Blocking {
                method: "(client setup)",
                problem: "the internal runtime could not start",
            })
    }

    /// Runs `call` to completion on the internal runtime, unless the caller
    /// is itself on an async runtime.
    fn run<T>(&self, method: &'static str, call: impl Future<Output = T>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Blocking {
                method,
                problem: "was called from async code, where blocking would stall the runtime; use the async client there",
            });
        }
        match &self.0 {
            Some(runtime) => Ok(runtime.block_on(call)),
            None => Err(Error::Blocking {
                method,
                problem: "the internal runtime is gone",
            }),
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Blocking [`nhn::DocumentClient`]: NHN Cloud Document OCR.
#[derive(Clone)]
pub struct DocumentClient {
    inner: nhn::DocumentClient,
    engine: Arc<Engine>,
}

/// Blocking [`nhn::GeneralClient`]: NHN Cloud General OCR.
#[derive(Clone)]
pub struct GeneralClient {
    inner: nhn::GeneralClient,
    engine: Arc<Engine>,
}

/// Blocking [`clova::ClovaClient`]: one NAVER CLOVA OCR domain.
#[derive(Clone)]
pub struct ClovaClient {
    inner: clova::ClovaClient,
    engine: Arc<Engine>,
}

macro_rules! debug_as {
    ($($ty:ident),*) => {$(
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(concat!("blocking::", stringify!($ty)))
                    .field(&self.inner)
                    .finish()
            }
        }
    )*};
}
debug_as!(DocumentClient, GeneralClient, ClovaClient);

/// What every blocking client has, whatever its service: the constructors
/// over the async client and its builder, and pacing. Each client's own
/// constructor and endpoints follow in its own `impl` block.
macro_rules! blocking_front {
    ($client:ident, $module:ident :: $async_client:ident, $async_builder:ident) => {
        impl $client {
            #[doc = concat!("As [`", stringify!($module), "::", stringify!($async_client), "::from_env`].")]
            ///
            /// # Errors
            ///
            /// As [`new`](Self::new).
            pub fn from_env() -> Result<$client, Error> {
                Self::from_async($module::$async_client::from_env()?)
            }

            /// Builds the client from the async builder's settings:
            #[doc = concat!("`", stringify!($client), "::build(", stringify!($module), "::", stringify!($async_client), "::builder(..).drift(..))`.")]
            ///
            /// # Errors
            ///
            /// As [`new`](Self::new).
            pub fn build(builder: $module::$async_builder) -> Result<$client, Error> {
                Self::from_async(builder.build()?)
            }

            /// A blocking front for an async client (they then share their caches).
            ///
            /// # Errors
            ///
            /// [`Error::Blocking`] if the internal runtime cannot start.
            pub fn from_async(inner: $module::$async_client) -> Result<$client, Error> {
                Ok($client {
                    inner,
                    engine: Engine::start()?,
                })
            }

            /// The calls per second the adaptive rate limiter lets through now
            /// (see the async client's `paced_rate`).
            pub fn paced_rate(&self) -> Option<f64> {
                self.inner.paced_rate()
            }
        }
    };
}
blocking_front!(DocumentClient, nhn::DocumentClient, DocumentClientBuilder);
blocking_front!(GeneralClient, nhn::GeneralClient, GeneralClientBuilder);
blocking_front!(ClovaClient, clova::ClovaClient, ClovaClientBuilder);

/// What the blocking NHN clients add: a client from credentials, the API
/// version in use, and token revocation.
macro_rules! nhn_extras {
    ($client:ident) => {
        impl $client {
            #[doc = concat!("As [`nhn::", stringify!($client), "::new`].")]
            ///
            /// # Errors
            ///
            /// As the async constructor, or [`Error::Blocking`] if the
            /// internal runtime cannot start.
            pub fn new(credentials: Credentials) -> Result<$client, Error> {
                Self::from_async(nhn::$client::new(credentials)?)
            }

            /// The API version this client calls (see the async client's `api_version`).
            pub fn api_version(&self) -> &'static str {
                self.inner.api_version()
            }

            #[doc = concat!("As [`nhn::", stringify!($client), "::revoke_token`].")]
            ///
            /// # Errors
            ///
            /// As the async method, or [`Error::Blocking`].
            pub fn revoke_token(&self) -> Result<bool, Error> {
                self.engine.run("revoke_token", self.inner.revoke_token())?
            }
        }
    };
}
nhn_extras!(DocumentClient);
nhn_extras!(GeneralClient);

impl DocumentClient {
    /// As [`nhn::DocumentClient::public_key`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn public_key(&self, service: KeyService) -> Result<PublicKey, Error> {
        self.engine
            .run("public_key", self.inner.public_key(service))?
    }

    /// As [`nhn::DocumentClient::credit_card`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn credit_card(&self, image: &Image) -> Result<Answer<CreditCardResult>, Error> {
        self.engine
            .run("credit_card", self.inner.credit_card(image))?
    }

    /// As [`nhn::DocumentClient::id_card`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn id_card(&self, image: &Image) -> Result<Answer<IdCardRecognition>, Error> {
        self.engine.run("id_card", self.inner.id_card(image))?
    }

    /// As [`nhn::DocumentClient::id_card_stand_alone`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn id_card_stand_alone(&self, image: &Image) -> Result<Answer<IdCardResult>, Error> {
        self.engine
            .run("id_card_stand_alone", self.inner.id_card_stand_alone(image))?
    }

    /// As [`nhn::DocumentClient::id_card_authenticity`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn id_card_authenticity(
        &self,
        request_key: RequestKey,
        check: impl Into<AuthenticityCheck>,
    ) -> Result<Answer<AuthenticityResult>, Error> {
        self.engine.run(
            "id_card_authenticity",
            self.inner.id_card_authenticity(request_key, check),
        )?
    }
}

impl GeneralClient {
    /// As [`nhn::GeneralClient::general`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn general<'a>(
        &self,
        source: impl Into<ImageSource<'a>>,
    ) -> Result<Answer<GeneralResult>, Error> {
        self.engine.run("general", self.inner.general(source))?
    }

    /// As [`nhn::GeneralClient::general_cropping`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn general_cropping<'a>(
        &self,
        source: impl Into<ImageSource<'a>>,
    ) -> Result<Answer<CroppingResult>, Error> {
        self.engine
            .run("general_cropping", self.inner.general_cropping(source))?
    }
}

impl ClovaClient {
    /// As [`clova::ClovaClient::new`].
    ///
    /// # Errors
    ///
    /// As [`clova::ClovaClient::new`], or [`Error::Blocking`] if the
    /// internal runtime cannot start.
    pub fn new(
        invoke_url: &str,
        secret: impl Into<crate::Sensitive>,
    ) -> Result<ClovaClient, Error> {
        Self::from_async(clova::ClovaClient::new(invoke_url, secret)?)
    }

    /// How this client encodes the image in its requests (multipart or JSON with Base64).
    pub fn encoding(&self) -> RequestEncoding {
        self.inner.encoding()
    }

    /// As [`clova::ClovaClient::recognize`]: the document type picks the
    /// endpoint.
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn recognize<D: Document>(&self, image: &Image) -> Result<Recognized<D>, Error> {
        self.engine.run("recognize", self.inner.recognize(image))?
    }

    /// As [`clova::ClovaClient::recognize_as`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn recognize_as<D: Document>(
        &self,
        image: &Image,
        encoding: RequestEncoding,
    ) -> Result<Recognized<D>, Error> {
        self.engine
            .run("recognize_as", self.inner.recognize_as(image, encoding))?
    }

    /// `receipt`, as [`clova::ClovaClient::receipt`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn receipt(&self, image: &Image) -> Result<Recognized<ReceiptDocument>, Error> {
        self.recognize(image)
    }

    /// `credit-card`, as [`clova::ClovaClient::credit_card`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn credit_card(&self, image: &Image) -> Result<Recognized<CreditCardDocument>, Error> {
        self.recognize(image)
    }

    /// `name-card`, as [`clova::ClovaClient::name_card`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn name_card(&self, image: &Image) -> Result<Recognized<NameCardDocument>, Error> {
        self.recognize(image)
    }

    /// `biz-license`, as [`clova::ClovaClient::biz_license`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn biz_license(&self, image: &Image) -> Result<Recognized<BizLicenseDocument>, Error> {
        self.recognize(image)
    }

    /// `id-card`, as [`clova::ClovaClient::id_card`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn id_card(&self, image: &Image) -> Result<Recognized<IdCardDocument>, Error> {
        self.recognize(image)
    }

    /// `passport`, as [`clova::ClovaClient::passport`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn passport(&self, image: &Image) -> Result<Recognized<PassportDocument>, Error> {
        self.recognize(image)
    }
}
