//! The one error type of the envelope's cryptography.
//!
//! Every variant carries only public facts (lengths, bit sizes, which check
//! failed). None ever carries key bytes, plaintext or ciphertext, so an error
//! can be logged or shown to a user without leaking what the envelope protects.

use std::fmt;

/// Why a key given to [`PublicKey`](super::PublicKey) or
/// [`PrivateKey`](super::PrivateKey) was refused.
///
/// Kept as an enum rather than a message so callers (and the emulator, which
/// maps these onto vendor error codes) can match on the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyRejection {
    /// The text is not a PEM document of the expected kind.
    NotPem,
    /// The bytes are not a DER X.509 `SubjectPublicKeyInfo` (public key) or a
    /// DER PKCS#8 `PrivateKeyInfo` (private key).
    NotDer,
    /// The structure names an algorithm other than `rsaEncryption`.
    NotRsa,
    /// It claims to be RSA but its numbers are unusable (bad exponent,
    /// inconsistent primes, multi-prime key, ...).
    BadParameters,
}

impl fmt::Display for KeyRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotPem => "not a PEM document of the expected type",
            Self::NotDer => "not a DER SubjectPublicKeyInfo / PKCS#8 structure",
            Self::NotRsa => "not an rsaEncryption key",
            Self::BadParameters => "RSA parameters are invalid",
        })
    }
}

/// Everything that can go wrong while sealing or opening an envelope.
///
/// Opening errors are deliberately coarse where detail would help an attacker:
/// a CBC padding failure is only ever [`BadPadding`](Self::BadPadding), never
/// "which byte was wrong". The one exception the API asks for is
/// [`WrongKeyLength`](Self::WrongKeyLength) next to
/// [`KeyUnwrap`](Self::KeyUnwrap): a *server* must answer both the same way
/// (see [`PrivateKey::open_key`](super::PrivateKey::open_key)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The input is not standard-alphabet, padded, canonical Base64.
    #[error("input is not valid standard (padded) Base64")]
    InvalidBase64,
    /// An AES-CBC ciphertext must be a non-empty multiple of 16 bytes; its
    /// length is public, so reporting it leaks nothing.
    #[error("AES-CBC ciphertext of {len} bytes is not a non-empty multiple of 16")]
    InvalidCiphertextLength {
        /// Length of the rejected ciphertext in bytes.
        len: usize,
    },
    /// The decrypted data does not end in valid PKCS#7 padding: wrong key,
    /// corrupted or forged ciphertext. Intentionally carries nothing more.
    #[error("bad padding")]
    BadPadding,
    /// An encrypted field decrypted fine but is not UTF-8 text.
    #[error("decrypted field is not valid UTF-8")]
    NotUtf8,
    /// The service's public key could not be used.
    #[error("invalid RSA public key: {reason}")]
    InvalidPublicKey {
        /// Which check failed.
        reason: KeyRejection,
    },
    /// A private key (PKCS#8 PEM) could not be loaded.
    #[error("invalid RSA private key: {reason}")]
    InvalidPrivateKey {
        /// Which check failed.
        reason: KeyRejection,
    },
    /// RSA modulus shorter than [`MIN_RSA_BITS`](super::MIN_RSA_BITS).
    #[error("RSA key of {bits} bits is too short (at least 2048 bits required)")]
    KeyTooShort {
        /// Size of the rejected modulus in bits.
        bits: usize,
    },
    /// RSA modulus longer than [`MAX_RSA_BITS`](super::MAX_RSA_BITS), the
    /// largest the `rsa` crate accepts.
    #[error("RSA key of {bits} bits is too long (at most 4096 bits supported)")]
    KeyTooLong {
        /// Size of the rejected modulus in bits.
        bits: usize,
    },
    /// Generating an RSA key pair failed (for a valid size this only happens
    /// if the `rsa` crate rejects its own output).
    #[error("RSA key generation failed")]
    KeyGeneration,
    /// RSA encryption of the symmetric key failed.
    #[error("RSA encryption of the symmetric key failed")]
    KeyWrap,
    /// The `Symmetric-Key` value could not be RSA-decrypted (wrong length,
    /// wrong key, bad PKCS#1 v1.5 padding).
    #[error("the Symmetric-Key could not be decrypted")]
    KeyUnwrap,
    /// The `Symmetric-Key` decrypted, but not to exactly 32 bytes.
    #[error("unwrapped symmetric key has {len} bytes, expected 32")]
    WrongKeyLength {
        /// Length of the decrypted value in bytes.
        len: usize,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_fixed_and_short() {
        assert_eq!(EnvelopeError::BadPadding.to_string(), "bad padding");
        let e = EnvelopeError::InvalidPublicKey {
            reason: KeyRejection::NotRsa,
        };
        assert_eq!(
            e.to_string(),
            "invalid RSA public key: not an rsaEncryption key"
        );
        assert_eq!(
            EnvelopeError::WrongKeyLength { len: 31 }.to_string(),
            "unwrapped symmetric key has 31 bytes, expected 32"
        );
    }

    #[test]
    fn is_send_sync_static() {
        fn check<T: std::error::Error + Send + Sync + 'static>() {}
        check::<EnvelopeError>();
    }
}
