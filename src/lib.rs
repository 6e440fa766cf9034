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
//!
//! # Features
//!
//! Without default features the crate is the wire types alone: every
//! family's generated types, error codes and descriptors, [`Sensitive`],
//! [`Image`] and the drift check, on serde, serde_json, zeroize, thiserror,
//! base64 and bytes. Each feature adds a layer:
//!
//! | feature | adds |
//! |---|---|
//! | `envelope` | the envelope's keys, seal and open ([`envelope`]), on RustCrypto |
//! | `client` | the async clients (`client`, `nhn`'s and `clova`'s clients), on reqwest and tokio; implies `envelope` |
//! | `blocking` | `blocking`: the same clients, blocking, on an internal runtime; implies `client` |
//! | `emulator` | `emulator`: a local emulator of every endpoint, for tests; implies `client` |
//! | `cli` (default) | the `ocrwire` binary; implies `emulator` |

#![warn(missing_docs)]
// docs.rs: each item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// Lets generated and derived code name this crate `::ocrwire` from inside it.
extern crate self as ocrwire;

/// Includes a generated file that only this crate compiles (the clients):
/// from `generated/`, or from `OUT_DIR` when `build.rs` regenerated it
/// (feature `regen`).
#[cfg(feature = "client")]
macro_rules! include_generated {
    ($file:literal) => {
        #[cfg(not(feature = "regen"))]
        include!(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/", $file));
        #[cfg(feature = "regen")]
        include!(concat!(env!("OUT_DIR"), "/generated/", $file));
    };
}

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
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
pub mod text;
pub mod wire;

pub use error::Error;
pub use image::Image;
pub use ocrwire_derive::EncryptedFields;
pub use sensitive::Sensitive;
