//! NHN Cloud clients.
//!
//! [`DocumentClient`] covers Document OCR v2.0: public keys, credit cards,
//! ID cards, their authenticity check and the stand-alone ID card read. You
//! pass an [`Image`](crate::Image) or an [`AuthenticityCheck`] in plaintext
//! and get plaintext back; the electronic envelope is applied by the
//! runtime.

mod authenticity;
mod document;
mod request_key;

pub use authenticity::{AuthenticityCheck, DriverCheck, PassportCheck, ResidentCheck};
pub use document::{DocumentClient, DocumentClientBuilder, IdCardRecognition, KeyService};
pub use request_key::RequestKey;
