//! Client side of the key exchange: the service's RSA public key, and the
//! wrapping of a [`SymmetricKey`] into the `Symmetric-Key` header.
//!
//! The service publishes its key as Base64 of a DER X.509
//! `SubjectPublicKeyInfo` together with a version string that requests must
//! echo; both are kept together here so they cannot drift apart.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs1::der::Decode as _;
use rsa::pkcs8::SubjectPublicKeyInfoRef;
use rsa::traits::PublicKeyParts as _;
use rsa::{BigUint, Pkcs1v15Encrypt, RsaPublicKey};

use super::error::{EnvelopeError, KeyRejection};
use super::rng::CheckedOsRng;
use super::symmetric_key::SymmetricKey;

/// Smallest RSA modulus accepted, in bits. Below 2048 bits RSA is no longer
/// considered safe (NIST SP 800-131A), and a key that short would most likely
/// mean a wrong or test key rather than the service's.
pub const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits: the `rsa` crate's own limit
/// (`RsaPublicKey::MAX_SIZE`), which keeps public operations cheap enough to
/// be safe against hostile oversized keys.
pub const MAX_RSA_BITS: usize = 4096;

/// Checks a modulus size against [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`].
pub(super) fn check_modulus_bits(bits: usize) -> Result<(), EnvelopeError> {
    if bits < MIN_RSA_BITS {
        Err(EnvelopeError::KeyTooShort { bits })
    } else if bits > MAX_RSA_BITS {
        Err(EnvelopeError::KeyTooLong { bits })
    } else {
        Ok(())
    }
}

/// The service's RSA public key and its version.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: RsaPublicKey,
    version: String,
}

impl PublicKey {
    /// Parses the service's `result.key`: Base64 (standard alphabet, padded)
    /// of a DER `SubjectPublicKeyInfo` holding an `rsaEncryption` key of
    /// 2048 to 4096 bits.
    ///
    /// ASCII whitespace (for example line breaks from a MIME-style encoder) is
    /// ignored.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidBase64`] for anything else that is not
    /// Base64; otherwise those of [`from_spki_der`](Self::from_spki_der).
    pub fn from_base64_der(
        b64: &str,
        version: impl Into<String>,
    ) -> Result<PublicKey, EnvelopeError> {
        let compact: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = BASE64
            .decode(compact)
            .map_err(|_| EnvelopeError::InvalidBase64)?;
        Self::from_spki_der(&der, version)
    }

    /// Parses a DER `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::InvalidPublicKey`] with
    /// [`KeyRejection::NotDer`] (not SPKI, or trailing bytes),
    /// [`KeyRejection::NotRsa`] (another algorithm) or
    /// [`KeyRejection::BadParameters`]; [`EnvelopeError::KeyTooShort`] /
    /// [`EnvelopeError::KeyTooLong`] for moduli outside 2048..=4096 bits.
    pub fn from_spki_der(
        der: &[u8],
        version: impl Into<String>,
    ) -> Result<PublicKey, EnvelopeError> {
        let reject = |reason| EnvelopeError::InvalidPublicKey { reason };
        let spki =
            SubjectPublicKeyInfoRef::from_der(der).map_err(|_| reject(KeyRejection::NotDer))?;
        if spki.algorithm.oid != rsa::pkcs1::ALGORITHM_OID {
            return Err(reject(KeyRejection::NotRsa));
        }
        // Look at the modulus size first, so a too short/long key gets the
        // specific error rather than a generic "bad parameters".
        let key_bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or(reject(KeyRejection::BadParameters))?;
        let pkcs1 = rsa::pkcs1::RsaPublicKey::from_der(key_bytes)
            .map_err(|_| reject(KeyRejection::BadParameters))?;
        check_modulus_bits(BigUint::from_bytes_be(pkcs1.modulus.as_bytes()).bits())?;
        // The rsa crate's own conversion re-checks the algorithm parameters
        // and the exponent range.
        let key = RsaPublicKey::try_from(spki).map_err(|_| reject(KeyRejection::BadParameters))?;
        Ok(PublicKey {
            key,
            version: version.into(),
        })
    }

    pub(super) fn from_rsa(key: RsaPublicKey, version: String) -> PublicKey {
        PublicKey { key, version }
    }

    /// The key version the service issued with this key; requests send it back.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Modulus size in bits.
    #[must_use]
    pub fn bits(&self) -> usize {
        self.key.n().bits()
    }

    /// Wraps `key` for the `Symmetric-Key` header: Base64 (standard, padded)
    /// of RSAES-PKCS1-v1_5 encryption of the 32 key bytes (Java's
    /// `RSA/ECB/PKCS1Padding`), with padding from the OS CSPRNG.
    ///
    /// Every call gives a different value (random padding), all of which
    /// unwrap to the same key.
    ///
    /// # Errors
    ///
    /// [`EnvelopeError::Random`] if the OS RNG failed (no ciphertext is
    /// returned then); [`EnvelopeError::KeyWrap`] if the `rsa` crate refuses,
    /// which cannot happen for the key sizes [`PublicKey`] accepts.
    pub fn seal_key(&self, key: &SymmetricKey) -> Result<String, EnvelopeError> {
        let mut rng = CheckedOsRng::new();
        let result = self
            .key
            .encrypt(&mut rng, Pkcs1v15Encrypt, key.expose_bytes());
        // Never hand out a ciphertext built on failed randomness.
        rng.finish()?;
        let ciphertext = result.map_err(|_| EnvelopeError::KeyWrap)?;
        Ok(BASE64.encode(ciphertext))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("version", &self.version)
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024` then
    // `openssl pkey -pubout -outform DER | base64 -w0`: a well-formed key that
    // is too short.
    const RSA_1024_SPKI: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDKIwz2IBKOw/VqUpktc7JWf0YswnK/iltjjgkHQwzOA8C4Tu7v5S9Np14crX2dlkgqbfahB/VYc3W0Hg4nmoMVmzNn5pvXONfE2PyOWM7Y5rgRQf9zkTdwT24sxN6xbFmvnDUXO7hmjP4nEgoUlbrQsD9Bl/VIMnWqJFcSHJi8hwIDAQAB";
    // `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`, SPKI DER, Base64.
    const EC_P256_SPKI: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgCHR2vdV81RZb78rzfftSPFTVleFaGuegUVkmPtboMwgH3OsI9SfCCgbFUCPxU4GH6Fxj3BFyO6Cc7kt1XUS6w==";

    #[test]
    fn rejects_non_base64() {
        assert_eq!(
            PublicKey::from_base64_der("not*base64", "1"),
            Err(EnvelopeError::InvalidBase64)
        );
    }

    #[test]
    fn rejects_non_spki() {
        let b64 = BASE64.encode(b"definitely not DER");
        assert_eq!(
            PublicKey::from_base64_der(&b64, "1"),
            Err(EnvelopeError::InvalidPublicKey {
                reason: KeyRejection::NotDer
            })
        );
        // Valid SPKI followed by garbage is not a SPKI either.
        let mut der = BASE64.decode(RSA_1024_SPKI).unwrap();
        der.push(0);
        assert_eq!(
            PublicKey::from_spki_der(&der, "1"),
            Err(EnvelopeError::InvalidPublicKey {
                reason: KeyRejection::NotDer
            })
        );
    }

    #[test]
    fn rejects_non_rsa() {
        assert_eq!(
            PublicKey::from_base64_der(EC_P256_SPKI, "1"),
            Err(EnvelopeError::InvalidPublicKey {
                reason: KeyRejection::NotRsa
            })
        );
    }

    #[test]
    fn rejects_short_keys() {
        assert_eq!(
            PublicKey::from_base64_der(RSA_1024_SPKI, "1"),
            Err(EnvelopeError::KeyTooShort { bits: 1024 })
        );
    }

    #[test]
    fn size_bounds() {
        assert_eq!(check_modulus_bits(2048), Ok(()));
        assert_eq!(check_modulus_bits(4096), Ok(()));
        assert_eq!(
            check_modulus_bits(2047),
            Err(EnvelopeError::KeyTooShort { bits: 2047 })
        );
        assert_eq!(
            check_modulus_bits(4097),
            Err(EnvelopeError::KeyTooLong { bits: 4097 })
        );
    }
}
