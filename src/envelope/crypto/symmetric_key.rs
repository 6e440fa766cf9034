//! The per-request AES-256 key and the payload operations built on it.
//!
//! # Why a fresh key for every request
//!
//! The vendor's envelope uses the key's own first 16 bytes as the CBC IV
//! instead of a random IV sent alongside the ciphertext. With a fixed IV, CBC
//! is deterministic: the same key and the same plaintext prefix give the same
//! ciphertext prefix, so anyone watching two messages under one key learns
//! where they start to differ. Using a key only once (one request and its
//! response) is what keeps that harmless, so [`SymmetricKey::generate`] is
//! meant to be called per request and the type is deliberately not `Clone`.
//!
//! It also means the IV is secret: [`SymmetricKey::iv`] is half of the key.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand_core::{OsRng, RngCore};
use zeroize::{Zeroize, Zeroizing};

use super::cipher::{self, BLOCK_LEN};
use super::error::EnvelopeError;

/// Length of the envelope's symmetric key in bytes (AES-256).
pub const SYMMETRIC_KEY_LEN: usize = 32;

/// A 32-byte AES-256 key for one request/response exchange.
///
/// The bytes live on the heap (so moves of the handle don't leave copies on
/// the stack) and are zeroized on drop. `Debug` is redacted; there is no
/// `Display` and no `Clone`.
pub struct SymmetricKey {
    bytes: Box<[u8; SYMMETRIC_KEY_LEN]>,
}

impl SymmetricKey {
    /// Draws a new key from the operating system's CSPRNG.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::Random`] (instead of a panic) if the OS cannot supply
    /// randomness.
    pub fn generate() -> Result<SymmetricKey, EnvelopeError> {
        let mut key = SymmetricKey {
            bytes: Box::new([0u8; SYMMETRIC_KEY_LEN]),
        };
        OsRng
            .try_fill_bytes(key.bytes.as_mut_slice())
            .map_err(|_| EnvelopeError::Random)?;
        Ok(key)
    }

    /// Wraps known key bytes (for tests, the emulator, or a key obtained by
    /// [`PrivateKey::open_key`](super::PrivateKey::open_key)).
    ///
    /// The caller's array is a copy this type cannot wipe; zeroize it if it
    /// matters.
    #[must_use]
    pub fn from_bytes(bytes: [u8; SYMMETRIC_KEY_LEN]) -> SymmetricKey {
        SymmetricKey {
            bytes: Box::new(bytes),
        }
    }

    /// Copies a key out of a slice that must be exactly 32 bytes long,
    /// straight into the zeroizing heap buffer (no stray stack copy).
    pub(super) fn from_slice(bytes: &[u8]) -> Option<SymmetricKey> {
        if bytes.len() != SYMMETRIC_KEY_LEN {
            return None;
        }
        let mut key = SymmetricKey {
            bytes: Box::new([0u8; SYMMETRIC_KEY_LEN]),
        };
        key.bytes.copy_from_slice(bytes);
        Some(key)
    }

    /// The CBC IV the vendor prescribes: the key's bytes 0..16.
    ///
    /// This is secret material (half of the key); treat the copy accordingly.
    #[must_use]
    pub fn iv(&self) -> [u8; BLOCK_LEN] {
        let mut iv = [0u8; BLOCK_LEN];
        let (head, _) = self.bytes.split_at(BLOCK_LEN);
        iv.copy_from_slice(head);
        iv
    }

    /// Read access to the raw key, for wrapping it and for tests. Named so
    /// that every read of the secret is visible at the call site.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8; SYMMETRIC_KEY_LEN] {
        &self.bytes
    }

    /// AES-256-CBC/PKCS#7 encryption with IV = [`iv`](Self::iv); this is
    /// what a file/image part of a request carries, raw.
    #[must_use]
    pub fn seal_bytes(&self, plaintext: &[u8]) -> Vec<u8> {
        let iv = Zeroizing::new(self.iv());
        cipher::encrypt_cbc_pkcs7(&self.bytes, &iv, plaintext)
    }

    /// [`seal_bytes`](Self::seal_bytes) a chunk at a time, for an upload:
    /// the ciphertext is made as it is sent, never held whole.
    #[must_use]
    pub fn seal_stream(&self, plaintext: bytes::Bytes) -> super::cipher::CbcPkcs7Stream {
        let iv = Zeroizing::new(self.iv());
        super::cipher::CbcPkcs7Stream::new(&self.bytes, &iv, plaintext)
    }

    /// Inverse of [`seal_bytes`](Self::seal_bytes).
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidCiphertextLength`] or
    /// [`EnvelopeError::BadPadding`]; see
    /// [`decrypt_cbc_pkcs7`](super::cipher::decrypt_cbc_pkcs7).
    pub fn open_bytes(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
        let iv = Zeroizing::new(self.iv());
        cipher::decrypt_cbc_pkcs7(&self.bytes, &iv, ciphertext)
    }

    /// Encrypts a JSON string field: Base64 (standard alphabet, padded) of
    /// the AES ciphertext of the UTF-8 text.
    #[must_use]
    pub fn seal_field(&self, plaintext: &str) -> String {
        BASE64.encode(self.seal_bytes(plaintext.as_bytes()))
    }

    /// Decrypts a JSON string field produced by [`seal_field`](Self::seal_field)
    /// or by the service.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidBase64`], then the errors of
    /// [`open_bytes`](Self::open_bytes), then [`EnvelopeError::NotUtf8`].
    pub fn open_field(&self, base64: &str) -> Result<Zeroizing<String>, EnvelopeError> {
        let ciphertext = BASE64
            .decode(base64)
            .map_err(|_| EnvelopeError::InvalidBase64)?;
        let plaintext = self.open_bytes(&ciphertext)?;
        let text = std::str::from_utf8(&plaintext).map_err(|_| EnvelopeError::NotUtf8)?;
        Ok(Zeroizing::new(text.to_owned()))
    }
}

impl Drop for SymmetricKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for SymmetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SymmetricKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key bytes 0x00, 0x01, ..., 0x1f; IV is therefore 0x00..0x0f.
    fn counting_key() -> SymmetricKey {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = i as u8;
        }
        SymmetricKey::from_bytes(bytes)
    }

    #[test]
    fn known_vector_from_openssl_cli() {
        // printf 1234 | openssl enc -aes-256-cbc \
        //   -K 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
        //   -iv 000102030405060708090a0b0c0d0e0f | base64
        let key = counting_key();
        assert_eq!(key.seal_field("1234"), "NjScqU5iWG3HWFGBopR4ug==");
        assert_eq!(key.seal_field(""), "6cPvirI0U+bwdJzWNueojg==");
        let korean = "주민등록번호 900101-1234567";
        let sealed = "wagexBkr6A9QLoyNerLbVob/OveKOtGuqE+gr83d3JW7VmKBhem9JnSJdDi4s9M/";
        assert_eq!(key.seal_field(korean), sealed);
        assert_eq!(key.open_field(sealed).unwrap().as_str(), korean);
        assert_eq!(
            key.open_field("NjScqU5iWG3HWFGBopR4ug==").unwrap().as_str(),
            "1234"
        );
    }

    #[test]
    fn iv_is_the_key_prefix() {
        let key = counting_key();
        let expected: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(key.iv(), expected);
        assert_eq!(&key.expose_bytes()[..16], &expected);
    }

    #[test]
    fn generated_keys_are_fresh() {
        let a = SymmetricKey::generate().unwrap();
        let b = SymmetricKey::generate().unwrap();
        assert_ne!(a.expose_bytes(), b.expose_bytes());
        assert_ne!(a.expose_bytes(), &[0u8; 32]);
    }

    #[test]
    fn debug_is_redacted() {
        let key = counting_key();
        assert_eq!(format!("{key:?}"), "SymmetricKey(<redacted>)");
    }

    #[test]
    fn bytes_and_fields_round_trip() {
        let key = SymmetricKey::generate().unwrap();
        for msg in [&b""[..], b"x", &[0xAB; 16], &[0xCD; 1000]] {
            let sealed = key.seal_bytes(msg);
            assert_eq!(key.open_bytes(&sealed).unwrap().as_slice(), msg);
        }
        let field = key.seal_field("홍길동");
        assert_eq!(key.open_field(&field).unwrap().as_str(), "홍길동");
    }

    #[test]
    fn wrong_key_fails() {
        let key = SymmetricKey::from_bytes([1; 32]);
        let other = SymmetricKey::from_bytes([2; 32]);
        // Checked for these fixed keys: the garbled last block is not valid padding.
        let field = key.seal_field("4111-1111-1111-1111");
        assert_eq!(other.open_field(&field), Err(EnvelopeError::BadPadding));
    }

    #[test]
    fn truncated_ciphertext_fails() {
        let key = counting_key();
        let sealed = key.seal_bytes(&[0x41; 20]);
        assert_eq!(
            key.open_bytes(&sealed[..31]),
            Err(EnvelopeError::InvalidCiphertextLength { len: 31 })
        );
        assert_eq!(
            key.open_bytes(&sealed[..16]),
            Err(EnvelopeError::BadPadding)
        );
        assert_eq!(
            key.open_bytes(&[]),
            Err(EnvelopeError::InvalidCiphertextLength { len: 0 })
        );
    }

    #[test]
    fn non_base64_fails() {
        let key = counting_key();
        for bad in [
            "not base64!",
            "NjScqU5iWG3HWFGBopR4ug",    // padding missing
            "NjScqU5iWG3HWFGBopR4ug=",   // padding short
            "NjScqU5i WG3HWFGBopR4ug==", // inner space
            "NjScqU5iWG3HWFGBopR4ug==\n",
            "NjScqU5iWG3HWFGBopR4u_==", // URL-safe alphabet
        ] {
            assert_eq!(
                key.open_field(bad),
                Err(EnvelopeError::InvalidBase64),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn non_utf8_fails() {
        let key = counting_key();
        let sealed = BASE64.encode(key.seal_bytes(&[0xff, 0xfe, 0x41]));
        assert_eq!(key.open_field(&sealed), Err(EnvelopeError::NotUtf8));
    }
}
