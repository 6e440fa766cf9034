//! Which vendor code answers which failure, in the answering family's own
//! generated `ErrorCode`.
//!
//! Each handler names its family's variants (`InvalidParameter`,
//! `InvalidUrl`), so a code's number is written in the spec alone and its
//! message comes from the same family's table. The checks the two NHN OCR
//! families share (headers, credentials, path variables, faults) are
//! written once over [`NhnCodes`], which each of them implements with its
//! own variants: General OCR answers in General OCR's words.

use crate::descriptor::{Family, VendorCode, WireCode};
use crate::error::VendorErrorCode;
use crate::wire::{nhn_document_ocr_v2 as document, nhn_general_ocr_v1 as general};

/// A handler's failure: the code the answering family sends.
pub type Code = VendorErrorCode;

/// The refusals the NHN OCR families share, as each family's variants.
pub trait NhnCodes: VendorCode + Into<VendorErrorCode> {
    /// The engine failed, or the emulator hit a bug.
    const UNKNOWN: Self;
    /// A malformed path variable, header value or body; also, with a secret
    /// key whose scheme names no `refused_with`, the wrong secret or another
    /// app key.
    const INVALID_PARAMETER: Self;
    /// A header the endpoint requires is absent or empty.
    const MISSING_HEADERS: Self;
    /// A valid token, but for an app key its account may not use.
    const PERMISSION_DENIED: Self;
    /// Rate limit or quota (fault injection).
    const CALL_LIMIT: Self;
    /// Larger than `limits.max_file_bytes`.
    const TOO_LARGE: Self;
    /// Starts like an accepted image, but its header is unreadable.
    const INVALID_FILE: Self;
    /// Not an accepted image type (judged by magic number).
    const INVALID_FILE_TYPE: Self;
    /// The image part (or its plaintext) has no bytes.
    const EMPTY_FILE: Self;
    /// No endpoint at this path under one of the family's versions.
    const URL_NOT_FOUND: Self;
    /// An endpoint's path with a method it does not take.
    const METHOD_NOT_ALLOWED: Self;

    /// The code a descriptor names (`refused_with`, `key_version_error`),
    /// as this family reads it; [`UNKNOWN`](Self::UNKNOWN) if it cannot be
    /// one of its codes.
    fn named(code: &str) -> Self {
        code.parse()
            .ok()
            .and_then(|n| Self::from_wire(WireCode::Integer(n)))
            .unwrap_or(Self::UNKNOWN)
    }
}

impl NhnCodes for document::ErrorCode {
    const UNKNOWN: Self = Self::UnknownError;
    const INVALID_PARAMETER: Self = Self::InvalidParameter;
    const MISSING_HEADERS: Self = Self::MissingRequiredHeaders;
    const PERMISSION_DENIED: Self = Self::PermissionDenied;
    const CALL_LIMIT: Self = Self::CallLimitExceeded;
    const TOO_LARGE: Self = Self::RequestTooLarge;
    const INVALID_FILE: Self = Self::InvalidFile;
    const INVALID_FILE_TYPE: Self = Self::InvalidFileType;
    const EMPTY_FILE: Self = Self::EmptyFile;
    const URL_NOT_FOUND: Self = Self::UrlNotFound;
    const METHOD_NOT_ALLOWED: Self = Self::MethodNotAllowed;
}

impl NhnCodes for general::ErrorCode {
    const UNKNOWN: Self = Self::UnknownError;
    const INVALID_PARAMETER: Self = Self::InvalidParameter;
    const MISSING_HEADERS: Self = Self::MissingRequiredHeaders;
    const PERMISSION_DENIED: Self = Self::PermissionDenied;
    const CALL_LIMIT: Self = Self::CallLimitExceeded;
    const TOO_LARGE: Self = Self::RequestTooLarge;
    const INVALID_FILE: Self = Self::InvalidFile;
    const INVALID_FILE_TYPE: Self = Self::InvalidFileType;
    const EMPTY_FILE: Self = Self::EmptyFile;
    const URL_NOT_FOUND: Self = Self::UrlNotFound;
    const METHOD_NOT_ALLOWED: Self = Self::MethodNotAllowed;
}

/// Which of the emulator's handlers serves a family. Matched against the
/// generated families themselves, never their names written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Emulated {
    NhnDocument,
    NhnGeneral,
    Clova,
    Token,
}

impl Emulated {
    /// The handler for `family`; `None` for a family the emulator does not serve.
    pub(crate) fn of(family: &Family) -> Option<Emulated> {
        use crate::wire::{clova_document_ocr, nhn_user_access_key_token};
        [
            (document::FAMILY.name, Emulated::NhnDocument),
            (general::FAMILY.name, Emulated::NhnGeneral),
            (clova_document_ocr::FAMILY.name, Emulated::Clova),
            (nhn_user_access_key_token::FAMILY.name, Emulated::Token),
        ]
        .into_iter()
        .find(|(name, _)| *name == family.name)
        .map(|(_, which)| which)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FAMILIES;

    fn shared<C: NhnCodes>() -> [C; 11] {
        [
            C::UNKNOWN,
            C::INVALID_PARAMETER,
            C::MISSING_HEADERS,
            C::PERMISSION_DENIED,
            C::CALL_LIMIT,
            C::TOO_LARGE,
            C::INVALID_FILE,
            C::INVALID_FILE_TYPE,
            C::EMPTY_FILE,
            C::URL_NOT_FOUND,
            C::METHOD_NOT_ALLOWED,
        ]
    }

    #[test]
    fn both_nhn_families_name_the_shared_refusals_in_their_own_tables() {
        let doc = shared::<document::ErrorCode>();
        let general = shared::<general::ErrorCode>();
        for (d, g) in doc.into_iter().zip(general) {
            // The same number in both families, each with its own entry.
            assert_eq!(d.code(), g.code());
            assert_eq!(d.info(), document::FAMILY.error(&d.code()));
            assert_eq!(g.info(), general::FAMILY.error(&g.code()));
            assert!(d.info().is_some() && g.info().is_some());
        }
    }

    #[test]
    fn codes_the_descriptors_name_are_read_by_their_family() {
        let key_version = document::FAMILY.envelope.unwrap().key_version_error;
        assert_eq!(
            document::ErrorCode::named(key_version),
            document::ErrorCode::InvalidKeyVersion
        );
        assert_eq!(
            general::ErrorCode::named("4010006"),
            general::ErrorCode::InvalidToken
        );
        assert_eq!(
            document::ErrorCode::named("0x1"),
            document::ErrorCode::UnknownError
        );
    }

    #[test]
    fn every_family_has_a_handler() {
        for family in FAMILIES {
            assert!(Emulated::of(family).is_some(), "{}", family.name);
        }
    }
}
