//! Which vendor code answers which failure.
//!
//! Only the choice of code lives here: each one is a variant of the family's
//! generated `ErrorCode`, so its number is written in the spec alone, and the
//! emulator looks its message up in the answering family's generated error
//! table, so the text a client sees is exactly the spec's. A unit test checks
//! that each code is in every family, and listed for every endpoint, that
//! answers with it.

use std::borrow::Cow;

use crate::wire::{clova_document_ocr, nhn_document_ocr_v2, nhn_user_access_key_token};

/// A vendor error code, named by its generated variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// NHN Cloud. General OCR v1.0 uses Document OCR v2.0's numbers for the
    /// codes it shares, so Document's enum names both (the test below checks
    /// each shared code is in General's table too).
    Nhn(nhn_document_ocr_v2::ErrorCode),
    /// NAVER CLOVA OCR.
    Clova(clova_document_ocr::ErrorCode),
    /// NHN's token API (OAuth 2.0 codes).
    Token(nhn_user_access_key_token::ErrorCode),
}

impl Code {
    /// The code as the vendor writes it (`"4000001"`, `"0011"`): the key
    /// into the answering family's error table and the endpoints' `errors`.
    pub fn wire(&self) -> Cow<'static, str> {
        match self {
            Code::Nhn(code) => code.code(),
            Code::Clova(code) => code.code(),
            Code::Token(code) => code.code(),
        }
    }

    /// An NHN code as a descriptor writes it (`envelope.key_version_error`),
    /// so the emulator answers whatever the spec names there. Text that is
    /// not a number cannot be an NHN code and becomes [`nhn::UNKNOWN`].
    pub fn nhn_from_spec(wire: &str) -> Code {
        wire.parse().map_or(nhn::UNKNOWN, |number| {
            Code::Nhn(nhn_document_ocr_v2::ErrorCode::from_code(number))
        })
    }
}

/// NHN Cloud (Document OCR v2.0 and General OCR v1.0 share these numbers;
/// each family has its own wording of the messages).
pub mod nhn {
    use super::Code;
    use crate::wire::nhn_document_ocr_v2::ErrorCode as Nhn;

    /// The engine failed (marker `ocrwire:error`), or the emulator hit a bug.
    pub const UNKNOWN: Code = Code::Nhn(Nhn::UnknownError);
    /// Malformed path variable, header value or body; also the wrong secret
    /// key or app key. NHN documents no authentication error and answers
    /// HTTP 200 for everything, and the spec's reading of 4000001 is "a path
    /// variable, header value or body field is malformed", so a credential
    /// that does not match is reported as an invalid parameter.
    pub const INVALID_PARAMETER: Code = Code::Nhn(Nhn::InvalidParameter);
    /// The bytes start like an accepted image but its header is unreadable.
    pub const INVALID_FILE: Code = Code::Nhn(Nhn::InvalidFile);
    /// The bytes are not an accepted image type (judged by magic number).
    pub const INVALID_FILE_TYPE: Code = Code::Nhn(Nhn::InvalidFileType);
    /// The image part (or, for the envelope, its plaintext) has no bytes.
    pub const EMPTY_FILE: Code = Code::Nhn(Nhn::EmptyFile);
    /// A header the endpoint requires is absent or empty.
    pub const MISSING_HEADERS: Code = Code::Nhn(Nhn::MissingRequiredHeaders);
    /// Rate limit or quota (fault injection).
    pub const CALL_LIMIT: Code = Code::Nhn(Nhn::CallLimitExceeded);
    /// The Request-Key was never issued, is spent, or has expired.
    pub const INVALID_REQUEST_KEY: Code = Code::Nhn(Nhn::InvalidRequestKey);
    /// The image is larger than `limits.max_file_bytes`.
    pub const TOO_LARGE: Code = Code::Nhn(Nhn::RequestTooLarge);
    /// `Symmetric-Key` does not unwrap to a 32-byte key, for any reason.
    pub const INVALID_SYMMETRIC_KEY: Code = Code::Nhn(Nhn::InvalidSymmetricKey);
    /// The image or an encrypted field is not ciphertext under the request's key.
    pub const INVALID_ENCRYPTED_DATA: Code = Code::Nhn(Nhn::InvalidEncryptedData);
    /// The server-side decryption itself failed (the OS RNG for blinding).
    pub const DECRYPT_FAILED: Code = Code::Nhn(Nhn::DecryptFailed);
    /// The server failed to encrypt its answer; cannot happen with AES-CBC,
    /// but the spec has a code for it, so a visitor error maps there.
    pub const ENCRYPT_FAILED: Code = Code::Nhn(Nhn::EncryptFailed);
    /// A valid token, but for an app key its account may not use.
    pub const PERMISSION_DENIED: Code = Code::Nhn(Nhn::PermissionDenied);
}

/// NHN's token API.
pub mod token {
    use super::Code;
    use crate::wire::nhn_user_access_key_token::ErrorCode as Token;

    /// The Basic credentials are missing or not the emulator's key pair.
    pub const INVALID_CLIENT: Code = Code::Token(Token::InvalidClient);
    /// Not a form, or a parameter missing.
    pub const INVALID_REQUEST: Code = Code::Token(Token::InvalidRequest);
    /// A grant other than the one the spec fixes.
    pub const UNSUPPORTED_GRANT_TYPE: Code = Code::Token(Token::UnsupportedGrantType);
}

/// NAVER CLOVA OCR.
pub mod clova {
    use super::Code;
    use crate::wire::clova_document_ocr::ErrorCode as Clova;

    /// The invoke key or the document path names nothing.
    pub const INVALID_URL: Code = Code::Clova(Clova::InvalidUrl);
    /// `X-OCR-SECRET` missing or wrong.
    pub const SECRET: Code = Code::Clova(Clova::SecretKeyValidationFailed);
    /// Malformed JSON or multipart body, missing field, bad Base64, wrong
    /// image count, unknown or inconsistent format, body over the cap.
    pub const INVALID_BODY: Code = Code::Clova(Clova::InvalidRequestBody);
    /// `version` is not the supported protocol version.
    pub const UNSUPPORTED_VERSION: Code = Code::Clova(Clova::UnsupportedProtocolVersion);
    /// The domain id in the invoke URL is not the emulator's.
    pub const INVALID_DOMAIN: Code = Code::Clova(Clova::InvalidRequestDomain);
    /// Call quota used up (fault injection).
    pub const QUOTA: Code = Code::Clova(Clova::RequestQuotaExhausted);
    /// Rate limit (fault injection).
    pub const RATE_LIMIT: Code = Code::Clova(Clova::RateLimitExceeded);
    /// Server error (fault injection), or the emulator hit a bug.
    pub const UNKNOWN: Code = Code::Clova(Clova::UnknownServiceError);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_general_ocr_v1;

    #[test]
    fn every_code_is_in_its_family() {
        let nhn_codes = [
            nhn::UNKNOWN,
            nhn::INVALID_PARAMETER,
            nhn::INVALID_FILE,
            nhn::INVALID_FILE_TYPE,
            nhn::EMPTY_FILE,
            nhn::MISSING_HEADERS,
            nhn::CALL_LIMIT,
            nhn::TOO_LARGE,
        ];
        for code in nhn_codes {
            let code = code.wire();
            assert!(nhn_document_ocr_v2::FAMILY.error(&code).is_some(), "{code}");
            assert!(nhn_general_ocr_v1::FAMILY.error(&code).is_some(), "{code}");
        }
        for code in [
            token::INVALID_CLIENT,
            token::INVALID_REQUEST,
            token::UNSUPPORTED_GRANT_TYPE,
        ] {
            let code = code.wire();
            assert!(
                nhn_user_access_key_token::FAMILY.error(&code).is_some(),
                "{code}"
            );
        }
        for code in [
            nhn::PERMISSION_DENIED,
            nhn::INVALID_REQUEST_KEY,
            nhn::INVALID_SYMMETRIC_KEY,
            nhn::INVALID_ENCRYPTED_DATA,
            nhn::DECRYPT_FAILED,
            nhn::ENCRYPT_FAILED,
        ] {
            let code = code.wire();
            assert!(nhn_document_ocr_v2::FAMILY.error(&code).is_some(), "{code}");
        }
        for code in [
            clova::INVALID_URL,
            clova::SECRET,
            clova::INVALID_BODY,
            clova::UNSUPPORTED_VERSION,
            clova::INVALID_DOMAIN,
            clova::QUOTA,
            clova::RATE_LIMIT,
            clova::UNKNOWN,
        ] {
            let code = code.wire();
            assert!(clova_document_ocr::FAMILY.error(&code).is_some(), "{code}");
            for e in clova_document_ocr::FAMILY.endpoints {
                assert!(
                    e.errors.contains(&code.as_ref()),
                    "{code} not listed for {}",
                    e.name
                );
            }
        }
    }

    #[test]
    fn codes_travel_as_the_spec_writes_them() {
        assert_eq!(nhn::UNKNOWN.wire(), "-1");
        assert_eq!(nhn::INVALID_PARAMETER.wire(), "4000001");
        assert_eq!(clova::INVALID_BODY.wire(), "0011");
    }

    #[test]
    fn the_key_version_code_comes_from_the_descriptor() {
        let family = &nhn_document_ocr_v2::FAMILY;
        let wire = family.envelope.unwrap().key_version_error;
        let code = Code::nhn_from_spec(wire);
        assert_eq!(
            code,
            Code::Nhn(nhn_document_ocr_v2::ErrorCode::InvalidKeyVersion)
        );
        assert_eq!(code.wire(), wire);
        for e in family.endpoints.iter().filter(|e| e.uses_envelope()) {
            assert!(e.errors.contains(&wire), "{wire} not listed for {}", e.name);
        }
        assert_eq!(Code::nhn_from_spec("0x1"), nhn::UNKNOWN);
    }
}
