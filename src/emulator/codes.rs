//! Which vendor code answers which failure.
//!
//! Only the codes live here, never their messages: the emulator looks every
//! code up in the family's generated error table, so the text a client sees
//! is exactly the spec's. A unit test checks that each code below exists in
//! its family.

/// A vendor error code, as the vendor writes it (`"4000001"`, `"0011"`).
pub type Code = &'static str;

/// NHN Cloud (Document OCR v2.0 and General OCR v1.0 share these numbers;
/// each family has its own wording of the messages).
pub mod nhn {
    use super::Code;

    /// The engine failed (marker `ocrwire:error`), or the emulator hit a bug.
    pub const UNKNOWN: Code = "-1";
    /// Malformed path variable, header value or body; also the wrong secret
    /// key or app key. NHN documents no authentication error and answers
    /// HTTP 200 for everything, and the spec's reading of 4000001 is "a path
    /// variable, header value or body field is malformed", so a credential
    /// that does not match is reported as an invalid parameter.
    pub const INVALID_PARAMETER: Code = "4000001";
    /// The bytes start like an accepted image but its header is unreadable.
    pub const INVALID_FILE: Code = "4000002";
    /// The bytes are not an accepted image type (judged by magic number).
    pub const INVALID_FILE_TYPE: Code = "4000003";
    /// The image part (or, for the envelope, its plaintext) has no bytes.
    pub const EMPTY_FILE: Code = "4000004";
    /// A header the endpoint requires is absent or empty.
    pub const MISSING_HEADERS: Code = "4000005";
    /// Rate limit or quota (fault injection).
    pub const CALL_LIMIT: Code = "4000006";
    /// The Request-Key was never issued, is spent, or has expired.
    pub const INVALID_REQUEST_KEY: Code = "4000122";
    /// The image is larger than `limits.max_file_bytes`.
    pub const TOO_LARGE: Code = "4131000";
    /// `Symmetric-Key` does not unwrap to a 32-byte key, for any reason.
    pub const INVALID_SYMMETRIC_KEY: Code = "4000302";
    /// The image or an encrypted field is not ciphertext under the request's key.
    pub const INVALID_ENCRYPTED_DATA: Code = "4000303";
    /// The server-side decryption itself failed (the OS RNG for blinding).
    pub const DECRYPT_FAILED: Code = "5000006";
}

/// NAVER CLOVA OCR.
pub mod clova {
    use super::Code;

    /// The invoke key or the document path names nothing.
    pub const INVALID_URL: Code = "0001";
    /// `X-OCR-SECRET` missing or wrong.
    pub const SECRET: Code = "0002";
    /// Malformed JSON or multipart body, missing field, bad Base64, wrong
    /// image count, unknown or inconsistent format, body over the cap.
    pub const INVALID_BODY: Code = "0011";
    /// `version` is not the supported protocol version.
    pub const UNSUPPORTED_VERSION: Code = "0021";
    /// The domain id in the invoke URL is not the emulator's.
    pub const INVALID_DOMAIN: Code = "0022";
    /// Call quota used up (fault injection).
    pub const QUOTA: Code = "0023";
    /// Rate limit (fault injection).
    pub const RATE_LIMIT: Code = "0025";
    /// Server error (fault injection), or the emulator hit a bug.
    pub const UNKNOWN: Code = "0500";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{clova_document_ocr, nhn_document_ocr_v2, nhn_general_ocr_v1};

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
            assert!(nhn_document_ocr_v2::FAMILY.error(code).is_some(), "{code}");
            assert!(nhn_general_ocr_v1::FAMILY.error(code).is_some(), "{code}");
        }
        for code in [
            nhn::INVALID_REQUEST_KEY,
            nhn::INVALID_SYMMETRIC_KEY,
            nhn::INVALID_ENCRYPTED_DATA,
            nhn::DECRYPT_FAILED,
        ] {
            assert!(nhn_document_ocr_v2::FAMILY.error(code).is_some(), "{code}");
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
            assert!(clova_document_ocr::FAMILY.error(code).is_some(), "{code}");
            for e in clova_document_ocr::FAMILY.endpoints {
                assert!(e.errors.contains(&code), "{code} not listed for {}", e.name);
            }
        }
    }
}
