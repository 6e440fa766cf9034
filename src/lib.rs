//! # ocrwire
//!
//! Exact, typed, safe access to the Korean cloud OCR APIs: NHN Cloud Document
//! OCR v2.0 (with its electronic envelope), NHN Cloud General OCR v1.0 and
//! NAVER CLOVA OCR's Document API.
//!
//! The APIs live as data in `spec/`; `ocrwire-codegen` turns that into the
//! [`wire`] types and [`descriptor`]s, committed under `generated/`. The
//! hand-written runtime around them applies the [`envelope`] so callers only
//! ever handle plaintext, and keeps personal data in [`Sensitive`].

// Lets generated and derived code name this crate `::ocrwire` from inside it.
extern crate self as ocrwire;

pub mod client;
pub mod clova;
pub mod descriptor;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod envelope;
pub mod error;
pub mod image;
pub mod nhn;
pub mod sensitive;
pub mod wire;

pub use error::Error;
pub use image::Image;
pub use ocrwire_derive::EncryptedFields;
pub use sensitive::Sensitive;
