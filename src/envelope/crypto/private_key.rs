//! Server side of the key exchange, for the built-in emulator and tests:
//! an RSA key pair that issues the public key and unwraps `Symmetric-Key`
//! headers.
//!
//! A real client never needs this; it exists so the envelope can be tested
//! end to end without the vendor's service.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::der::Decode as _;
use rsa::pkcs8::{
    EncodePrivateKey as _, EncodePublicKey as _, LineEnding, PrivateKeyInfo, SecretDocument,
};
use rsa::traits::PublicKeyParts as _;
use rsa::{BigUint, Pkcs1v15Encrypt, RsaPrivateKey};
use zeroize::Zeroizing;

use super::error::{EnvelopeError, KeyRejection};
use super::public_key::{PublicKey, check_modulus_bits};
use super::rng::CheckedOsRng;
use super::symmetric_key::SymmetricKey;

/// An RSA private key (the `rsa` crate zeroizes it on drop).
///
/// Its public half is encoded once at construction, so the accessors below
/// cannot fail. `Debug` shows only the size; there is no `Clone`.
pub struct PrivateKey {
    key: RsaPrivateKey,
    public_base64_der: String,
    pkcs8_pem: Zeroizing<String>,
}

impl PrivateKey {
    /// Generates a new key pair of `bits` bits (2048..=4096) from the OS CSPRNG.
    ///
    /// Slow in unoptimised builds; see the crate's profile settings for
    /// `num-bigint-dig`/`rsa`, or load a fixed key with
    /// [`from_pkcs8_pem`](Self::from_pkcs8_pem).
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::KeyTooShort`] / [`EnvelopeError::KeyTooLong`] for a
    /// size outside 2048..=4096, [`EnvelopeError::Random`] if the OS RNG
    /// failed, [`EnvelopeError::KeyGeneration`] otherwise.
    pub fn generate(bits: usize) -> Result<PrivateKey, EnvelopeError> {
        check_modulus_bits(bits)?;
        let mut rng = CheckedOsRng::new();
        let result = RsaPrivateKey::new(&mut rng, bits);
        rng.finish()?;
        let key = result.map_err(|_| EnvelopeError::KeyGeneration)?;
        Self::from_rsa(key).ok_or(EnvelopeError::KeyGeneration)
    }

    /// Loads an unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as
    /// `openssl genpkey` writes it.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidPrivateKey`] with
    /// [`KeyRejection::NotPem`], [`KeyRejection::NotDer`],
    /// [`KeyRejection::NotRsa`] or [`KeyRejection::BadParameters`] (the
    /// `rsa` crate validates the key's consistency);
    /// [`EnvelopeError::KeyTooShort`] / [`EnvelopeError::KeyTooLong`].
    pub fn from_pkcs8_pem(pem: &str) -> Result<PrivateKey, EnvelopeError> {
        let not_pem = EnvelopeError::InvalidPrivateKey {
            reason: KeyRejection::NotPem,
        };
        let (label, document) = SecretDocument::from_pem(pem).map_err(|_| not_pem.clone())?;
        if label != "PRIVATE KEY" {
            return Err(not_pem);
        }
        Self::from_pkcs8_der(document.as_bytes())
    }

    /// Loads an unencrypted DER PKCS#8 `PrivateKeyInfo`.
    ///
    /// # Errors
    ///
    /// As for [`from_pkcs8_pem`](Self::from_pkcs8_pem), except `NotPem`.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<PrivateKey, EnvelopeError> {
        let reject = |reason| EnvelopeError::InvalidPrivateKey { reason };
        let info = PrivateKeyInfo::from_der(der).map_err(|_| reject(KeyRejection::NotDer))?;
        if info.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(reject(KeyRejection::NotRsa));
        }
        let pkcs1 = rsa::pkcs1::RsaPrivateKey::from_der(info.private_key)
            .map_err(|_| reject(KeyRejection::BadParameters))?;
        check_modulus_bits(BigUint::from_bytes_be(pkcs1.modulus.as_bytes()).bits())?;
        let key = RsaPrivateKey::try_from(info).map_err(|_| reject(KeyRejection::BadParameters))?;
        Self::from_rsa(key).ok_or(reject(KeyRejection::BadParameters))
    }

    fn from_rsa(key: RsaPrivateKey) -> Option<PrivateKey> {
        let public_der = key.to_public_key().to_public_key_der().ok()?;
        let pkcs8_pem = key.to_pkcs8_pem(LineEnding::LF).ok()?;
        Some(PrivateKey {
            public_base64_der: BASE64.encode(public_der.as_bytes()),
            key,
            pkcs8_pem,
        })
    }

    /// The key as unencrypted PKCS#8 PEM, wiped from memory when dropped.
    #[must_use]
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        self.pkcs8_pem.clone()
    }

    /// The public key as the service publishes it: Base64 (standard, padded)
    /// of DER `SubjectPublicKeyInfo`.
    #[must_use]
    pub fn public_key_base64_der(&self) -> String {
        self.public_base64_der.clone()
    }

    /// The public half as a [`PublicKey`] with the given version, without a
    /// Base64 round trip.
    pub fn public_key(&self, version: impl Into<String>) -> PublicKey {
        PublicKey::from_rsa(self.key.to_public_key(), version.into())
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.key.n().bits()
    }

    /// Unwraps a `Symmetric-Key` header: Base64 -> RSAES-PKCS1-v1_5
    /// decryption (blinded, with the OS CSPRNG) -> exactly 32 key bytes.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidBase64`]; [`EnvelopeError::KeyUnwrap`]
    /// if the ciphertext is not exactly the modulus length (PKCS#1 requires
    /// it; the `rsa` crate alone would accept extra leading zero bytes) or
    /// does not decrypt to valid padding; [`EnvelopeError::WrongKeyLength`]
    /// if it decrypts to anything but 32 bytes; [`EnvelopeError::Random`].
    ///
    /// # Bleichenbacher oracle
    ///
    /// Telling "bad padding" apart from "wrong length" (or timing the two) is
    /// the classic PKCS#1 v1.5 padding oracle. The typed errors are for tests;
    /// a server, including the emulator, must answer `KeyUnwrap` and
    /// `WrongKeyLength` identically (the vendor's "invalid symmetric key").
    /// Note also that the `rsa` 0.9 crate's decryption is not constant time
    /// (RUSTSEC-2023-0071), which is acceptable for a local emulator only.
    pub fn open_key(&self, symmetric_key_header: &str) -> Result<SymmetricKey, EnvelopeError> {
        let ciphertext = BASE64
            .decode(symmetric_key_header)
            .map_err(|_| EnvelopeError::InvalidBase64)?;
        if ciphertext.len() != self.key.size() {
            return Err(EnvelopeError::KeyUnwrap);
        }
        let mut rng = CheckedOsRng::new();
        let result = self
            .key
            .decrypt_blinded(&mut rng, Pkcs1v15Encrypt, &ciphertext);
        rng.finish()?;
        let plaintext = Zeroizing::new(result.map_err(|_| EnvelopeError::KeyUnwrap)?);
        SymmetricKey::from_slice(&plaintext).ok_or(EnvelopeError::WrongKeyLength {
            len: plaintext.len(),
        })
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(<redacted>, {} bits)", self.bits())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    /// One 2048-bit key for all tests in this module: key generation is the
    /// slow part.
    fn server_key() -> &'static PrivateKey {
        static KEY: OnceLock<PrivateKey> = OnceLock::new();
        KEY.get_or_init(|| PrivateKey::generate(2048).unwrap())
    }

    #[test]
    fn wrap_and_unwrap_round_trip() {
        let server = server_key();
        assert_eq!(server.bits(), 2048);
        let public = PublicKey::from_base64_der(&server.public_key_base64_der(), "7").unwrap();
        assert_eq!(public.version(), "7");
        assert_eq!(public, server.public_key("7"));
        let key = SymmetricKey::generate().unwrap();
        let header = public.seal_key(&key).unwrap();
        // 2048-bit RSA ciphertext: 256 bytes, 344 Base64 characters.
        assert_eq!(header.len(), 344);
        // Random padding: a second wrap differs but opens to the same key.
        let header2 = public.seal_key(&key).unwrap();
        assert_ne!(header, header2);
        for h in [&header, &header2] {
            let opened = server.open_key(h).unwrap();
            assert_eq!(opened.expose_bytes(), key.expose_bytes());
        }
    }

    #[test]
    fn pem_round_trip() {
        let server = server_key();
        let pem = server.to_pkcs8_pem();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let reloaded = PrivateKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(
            reloaded.public_key_base64_der(),
            server.public_key_base64_der()
        );
        let key = SymmetricKey::from_bytes([5; 32]);
        let header = server.public_key("0").seal_key(&key).unwrap();
        assert_eq!(reloaded.open_key(&header).unwrap().expose_bytes(), &[5; 32]);
    }

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", server_key()),
            "PrivateKey(<redacted>, 2048 bits)"
        );
    }

    #[test]
    fn rejects_bad_headers() {
        let server = server_key();
        assert_eq!(
            server.open_key("%%%").unwrap_err(),
            EnvelopeError::InvalidBase64
        );
        // Wrong length: too short, and one leading zero byte too many.
        assert_eq!(
            server.open_key(&BASE64.encode([1u8; 255])).unwrap_err(),
            EnvelopeError::KeyUnwrap
        );
        let header = server
            .public_key("0")
            .seal_key(&SymmetricKey::from_bytes([3; 32]))
            .unwrap();
        let mut padded = vec![0u8];
        padded.extend(BASE64.decode(&header).unwrap());
        assert_eq!(
            server.open_key(&BASE64.encode(&padded)).unwrap_err(),
            EnvelopeError::KeyUnwrap
        );
        // Corrupted ciphertext: decrypts to garbage without valid padding
        // (with overwhelming probability).
        let mut corrupted = BASE64.decode(&header).unwrap();
        corrupted[100] ^= 0x01;
        assert_eq!(
            server.open_key(&BASE64.encode(&corrupted)).unwrap_err(),
            EnvelopeError::KeyUnwrap
        );
    }

    #[test]
    fn rejects_wrong_key_length() {
        let server = server_key();
        let mut rng = CheckedOsRng::new();
        let ciphertext = server
            .key
            .to_public_key()
            .encrypt(&mut rng, Pkcs1v15Encrypt, &[9u8; 16])
            .unwrap();
        assert_eq!(
            server.open_key(&BASE64.encode(ciphertext)).unwrap_err(),
            EnvelopeError::WrongKeyLength { len: 16 }
        );
    }

    #[test]
    fn rejects_bad_pem_and_key_sizes() {
        assert_eq!(
            PrivateKey::from_pkcs8_pem("hello").unwrap_err(),
            EnvelopeError::InvalidPrivateKey {
                reason: KeyRejection::NotPem
            }
        );
        let b64 = server_key().public_key_base64_der();
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let public_pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            lines.join("\n")
        );
        assert_eq!(
            PrivateKey::from_pkcs8_pem(&public_pem).unwrap_err(),
            EnvelopeError::InvalidPrivateKey {
                reason: KeyRejection::NotPem
            }
        );
        assert_eq!(
            PrivateKey::from_pkcs8_der(b"junk").unwrap_err(),
            EnvelopeError::InvalidPrivateKey {
                reason: KeyRejection::NotDer
            }
        );
        assert_eq!(
            PrivateKey::generate(1024).unwrap_err(),
            EnvelopeError::KeyTooShort { bits: 1024 }
        );
        assert_eq!(
            PrivateKey::generate(8192).unwrap_err(),
            EnvelopeError::KeyTooLong { bits: 8192 }
        );
    }
}
