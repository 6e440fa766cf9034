//! NHN Cloud clients.
//!
//! [`DocumentClient`] covers Document OCR v2.0: public keys, credit cards,
//! ID cards, their authenticity check and the stand-alone ID card read. You
//! pass an [`Image`](crate::Image) or an [`AuthenticityCheck`] in plaintext
//! and get plaintext back; the electronic envelope is applied by the
//! runtime.
//!
//! ```no_run
//! use ocrwire::client::Credentials;
//! use ocrwire::nhn::{DocumentClient, ResidentCheck};
//! use ocrwire::{Error, Image};
//!
//! # async fn demo() -> Result<(), Error> {
//! let client = DocumentClient::new(Credentials::new("APP_KEY", "SECRET_KEY"))?;
//! let card = client.credit_card(&Image::from_path("card.png")?).await?;
//! let number = card.number(); // Option<Sensitive>, plaintext
//! let expiry = card.valid_thru();
//! if !card.drift().is_empty() {
//!     // The answer had members or values the spec does not know.
//! }
//!
//! let id = client.id_card(&Image::from_path("id.png")?).await?.into_inner();
//! if let Some(request_key) = id.request_key {
//!     let check = ResidentCheck {
//!         name: "홍길동".into(),
//!         resident_number: "9001011234567".into(),
//!         issue_date: "20190512".into(),
//!     };
//!     let verdict = client.id_card_authenticity(request_key, check).await?;
//!     println!("genuine: {:?}", verdict.is_authenticity);
//! }
//! # let _ = (number, expiry);
//! # Ok(())
//! # }
//! ```
//!
//! [`GeneralClient`] covers General OCR v1.0: all text in an image, uploaded
//! or fetched by the service from a URL, optionally sliced first
//! (`general_cropping`), with the texts paired with their boxes.
//!
//! ```no_run
//! use ocrwire::client::Credentials;
//! use ocrwire::nhn::{GeneralClient, ImageSource};
//! use ocrwire::{Error, Image};
//!
//! # async fn demo() -> Result<(), Error> {
//! let client = GeneralClient::new(Credentials::new("APP_KEY", "SECRET_KEY"))?;
//! let result = client.general(&Image::from_path("sign.png")?).await?;
//! for line in result.lines() {
//!     let text = line.text.map_or("", |t| t.expose());
//!     println!("{text} at {:?}", line.bounding_box.and_then(|b| b.corners()));
//! }
//! let long = client
//!     .general_cropping(ImageSource::Url("https://example.com/receipt.jpg"))
//!     .await?;
//! println!("{} slices", long.slices_images.unwrap_or(1));
//! # Ok(())
//! # }
//! ```

// Readings and checks: with the wire types alone.
mod authenticity;
mod lines;
mod recognition;

// The clients (feature `client`): generated from the spec, one method per
// endpoint, over the shared builder and the Request-Key's rules.
#[cfg(feature = "client")]
mod builder;
#[cfg(feature = "client")]
mod clients {
    include_generated!("nhn_clients.rs");
}
#[cfg(feature = "client")]
pub(crate) mod request_key;

/// Which public key an envelope is sealed for: generated from the values
/// the spec's public-key endpoint allows (`credit-card`, `id-card`).
pub use crate::wire::nhn_document_ocr_v2::KeyService;
pub use authenticity::*;
pub use lines::TextLine;

pub use crate::image::ImageSource;
#[cfg(feature = "client")]
pub(crate) use builder::sealed;
#[cfg(feature = "client")]
pub use builder::{ClientBuilder, NhnClient};
#[cfg(feature = "client")]
pub use clients::*;
#[cfg(feature = "client")]
pub(crate) use request_key::KeyRule;
#[cfg(feature = "client")]
pub use request_key::{IdCardRecognition, Keyed, RequestKey};
