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
//! let expiry = card.valid_thru.and_then(|v| v.value); // Option<Sensitive>, plaintext
//!
//! let id = client.id_card(&Image::from_path("id.png")?).await?;
//! if let Some(request_key) = id.request_key {
//!     let check = ResidentCheck {
//!         name: "홍길동".into(),
//!         resident_number: "9001011234567".into(),
//!         issue_date: "20190512".into(),
//!     };
//!     let verdict = client.id_card_authenticity(request_key, check).await?;
//!     println!("genuine: {:?}", verdict.is_authenticity);
//! }
//! # let _ = expiry;
//! # Ok(())
//! # }
//! ```

mod authenticity;
mod document;
mod request_key;

pub use authenticity::{AuthenticityCheck, DriverCheck, PassportCheck, ResidentCheck};
pub use document::{DocumentClient, DocumentClientBuilder, IdCardRecognition, KeyService};
pub use request_key::RequestKey;
