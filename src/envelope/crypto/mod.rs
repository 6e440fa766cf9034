//! Cryptographic core of NHN Cloud Document OCR v2.0's "electronic envelope".
//!
//! # The scheme (the vendor's, reproduced exactly)
//!
//! 1. For every request the client draws a fresh 32-byte key
//!    ([`SymmetricKey::generate`]).
//! 2. It encrypts that key with the service's RSA public key using
//!    RSAES-PKCS1-v1_5 (Java's `RSA/ECB/PKCS1Padding`) and sends Base64 of the
//!    result in the `Symmetric-Key` header ([`PublicKey::seal_key`]). The
//!    public key itself arrives as Base64 of a DER X.509
//!    `SubjectPublicKeyInfo` ([`PublicKey::from_base64_der`]).
//! 3. Payloads use AES-256-CBC with PKCS#7 padding and, as IV, the key's
//!    first 16 bytes. Nothing is prepended to the ciphertext. Files travel as
//!    raw ciphertext ([`SymmetricKey::seal_bytes`]); encrypted JSON string
//!    fields, in both directions, are Base64 of the ciphertext of the UTF-8
//!    text ([`SymmetricKey::seal_field`], [`SymmetricKey::open_field`]).
//!
//! Deriving the IV from the key makes encryption deterministic per key, so a
//! key must never serve more than one request/response exchange (see
//! [`SymmetricKey`]). There is
//! no integrity protection (no MAC) in the vendor's design; the padding check
//! is the only tamper signal, and its failure is reported as nothing more
//! than [`EnvelopeError::BadPadding`].
//!
//! [`PrivateKey`] is the service's side, used by the emulator and tests.
//!
//! All operations are built on the `RustCrypto` crates (`aes`, `cbc`, `rsa`);
//! nothing here implements a primitive itself. No function panics on any
//! input, and no error carries key material or plaintext.

#[cfg(feature = "envelope")]
pub mod cipher;
mod error;
#[cfg(feature = "envelope")]
mod private_key;
#[cfg(feature = "envelope")]
mod public_key;
#[cfg(feature = "envelope")]
mod rng;
#[cfg(feature = "envelope")]
mod symmetric_key;

#[cfg(feature = "envelope")]
pub use self::cipher::BLOCK_LEN;
pub use self::error::{EnvelopeError, KeyRejection};
#[cfg(feature = "envelope")]
pub use self::private_key::PrivateKey;
#[cfg(feature = "envelope")]
pub use self::public_key::{MAX_RSA_BITS, MIN_RSA_BITS, PublicKey};
#[cfg(feature = "envelope")]
pub use self::symmetric_key::{SYMMETRIC_KEY_LEN, SymmetricKey};
