//! NAVER CLOVA OCR: the Document API (receipts, credit cards, name cards,
//! business licences, ID cards and passports), and General and Template
//! OCR ([`ClovaGeneralClient::read`], [`ClovaTemplateClient::read`]).
//!
//! [`ClovaClient`] is configured with the domain's API Gateway invoke URL
//! and its `X-OCR-SECRET`; it appends each endpoint's path, fills
//! `version`, a UUID `requestId`, a millisecond `timestamp` and the image's
//! `format` (from its bytes), and sends multipart by default
//! ([`RequestEncoding`]). A call gives a [`Recognized`] document, or an
//! [`Error`](crate::Error): CLOVA's HTTP errors are
//! [`Error::Vendor`](crate::Error::Vendor) with a typed
//! [`ErrorCode`](crate::wire::clova_document_ocr::ErrorCode), and an image the
//! service could not read (`inferResult` FAILURE/ERROR) or whose validity
//! check objected is an [`Error::Recognition`](crate::Error::Recognition)
//! carrying the whole answer.
//!
//! ```no_run
//! use ocrwire::clova::ClovaClient;
//! use ocrwire::{Error, Image};
//!
//! # async fn demo() -> Result<(), Error> {
//! let client = ClovaClient::new(
//!     "https://xxxx.apigw.ntruss.com/custom/v1/12345/abcdef",
//!     "CLOVA_SECRET",
//! )?;
//! let receipt = client.receipt(&Image::from_path("receipt.jpg")?).await?;
//! let doc = receipt.document();
//! if let Some(store) = doc.store_name() {
//!     println!("store: {}", store.expose());
//! }
//! for item in doc.items() {
//!     let name = item.name.map_or("?", |n| n.expose());
//!     println!("{name} x{}", item.count.map_or("?", |c| c.expose()));
//! }
//! # Ok(())
//! # }
//! ```

// Readings: with the wire types alone.
mod accessors;
mod reading;
mod recognition;

// The client (feature `client`).
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod general;
#[cfg(feature = "client")]
mod invoke_url;
#[cfg(feature = "client")]
mod pages;
#[cfg(feature = "client")]
mod request;

pub use accessors::{IdCardKind, LineItem};
pub use recognition::{Document, RecognitionError, Recognized};

#[cfg(feature = "client")]
mod clients {
    include_generated!("clova_clients.rs");
}

#[cfg(feature = "client")]
pub use client::{ClientBuilder, OwnUrlClient, RequestEncoding};
#[cfg(feature = "client")]
pub(crate) use client::{recognize, sealed};
#[cfg(feature = "client")]
pub use clients::*;
#[cfg(feature = "client")]
pub use general::{GeneralOptions, Language, TemplateOptions};
#[cfg(feature = "client")]
pub use request::IMAGE_NAME;
