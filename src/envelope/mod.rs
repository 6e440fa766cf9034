//! NHN's electronic envelope.
//!
//! Every Document OCR v2.0 request gets a fresh 32-byte key; the key travels
//! RSA-encrypted in `Symmetric-Key`, the image and the `#[encrypted]` JSON
//! fields travel AES-256-CBC-encrypted under it, and the response's
//! encrypted fields come back under the same key. [`crypto`] holds the
//! primitives (feature `envelope`; without it, only its error type);
//! [`fields`] walks generated types to the fields they apply to.
//! Callers never see ciphertext: the client seals and opens for them.

pub mod crypto;
pub mod fields;

pub use crypto::*;
pub use fields::{EncryptedFields, EncryptedLeaf, FieldError, FieldPath, Visitor};
#[cfg(feature = "envelope")]
pub use fields::{open_fields, seal_fields};
