//! Which vendor code answers which failure: the spec's, by situation.
//!
//! Each family's error table marks the situations a code answers
//! (`answers: [bad-credential]`, [`ErrorRole`]); the emulator asks the
//! family for its code for a situation and answers with that, in the
//! family's own words. So every family, a new one included, refuses in its
//! own codes with no code written for it here. Codes only one endpoint's
//! handler answers (a card not found, a Request-Key refused) are named by
//! that handler.

use crate::descriptor::{Endpoint, ErrorRole, Family, Version, WireCode};
use crate::error::VendorErrorCode;

pub type Code = VendorErrorCode;

/// A code the Document OCR handlers name, answered as NHN Document OCR
/// v2's. (Its table is shared with v1, so the code alone does not say
/// whose it is; the handlers serve v2's sealed endpoints.)
pub fn document(code: crate::wire::nhn_document_ocr_v2::ErrorCode) -> Code {
    Code::NhnDocumentOcrV2(code)
}

/// A code the CLOVA Document handler names, answered as the Document
/// family's (its table is shared with General and Template).
pub fn clova_document(code: crate::wire::clova_document_ocr::ErrorCode) -> Code {
    Code::ClovaDocumentOcr(code)
}

/// `family`'s code for `role`. A family whose spec names none answers its
/// server-error code (logged: the spec should say), or its first code.
pub fn answer(family: &'static Family, role: ErrorRole) -> Code {
    if let Some(code) = family
        .code_for(role)
        .and_then(|info| named(family, info.code))
    {
        return code;
    }
    tracing::error!(
        family = family.name,
        ?role,
        "the spec names no code for this situation; answering the family's server error"
    );
    family
        .code_for(ErrorRole::ServerError)
        .or(family.errors.first())
        .and_then(|info| named(family, info.code))
        // Every family of the registry reads some code as its own
        // `Unknown`; `family` comes from the registry.
        .or_else(|| VendorErrorCode::from_wire(family.name, WireCode::Integer(-1)))
        .or_else(|| VendorErrorCode::from_wire(family.name, WireCode::Text("")))
        .unwrap_or_else(|| crate::wire::nhn_general_ocr_v1::ErrorCode::UnknownError.into())
}

/// The code the spec writes as `code` (a scheme's `refused_with`, the
/// envelope's `key_version_error`), as `family` answers it.
pub fn named(family: &'static Family, code: &str) -> Option<Code> {
    VendorErrorCode::parse(family.name, code)
}

/// `endpoint`'s code for `role`: its own where it has one (a card not
/// found), else the family's.
pub fn answer_for(family: &'static Family, endpoint: &Endpoint, role: ErrorRole) -> Code {
    match family
        .code_for_endpoint(endpoint, role)
        .and_then(|info| named(family, info.code))
    {
        Some(code) => code,
        None => answer(family, role),
    }
}

/// [`named`], for a code the spec names that the family's table must have
/// (validation makes sure); its server error if not.
pub fn answer_named(family: &'static Family, code: &str) -> Code {
    named(family, code).unwrap_or_else(|| answer(family, ErrorRole::ServerError))
}

/// The code a wrong credential gets in `version`: its scheme's own where
/// the spec names one, else the family's for the situation.
pub fn refused(family: &'static Family, version: &Version) -> Code {
    version
        .auth
        .refused_with
        .and_then(|code| named(family, code))
        .unwrap_or_else(|| answer(family, ErrorRole::BadCredential))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{
        FAMILIES, clova_document_ocr as clova, nhn_document_ocr_v2 as document,
        nhn_general_ocr_v1 as general,
    };

    #[test]
    fn each_family_answers_each_situation_in_its_own_table() {
        // Both NHN OCR families answer the shared refusals with the same
        // numbers, each from its own entry.
        for role in [
            ErrorRole::BadPath,
            ErrorRole::MissingHeader,
            ErrorRole::PermissionDenied,
            ErrorRole::Quota,
            ErrorRole::TooLarge,
            ErrorRole::UnreadableFile,
            ErrorRole::FileType,
            ErrorRole::EmptyFile,
            ErrorRole::NoRoute,
            ErrorRole::WrongMethod,
            ErrorRole::ServerError,
        ] {
            let (d, g) = (
                answer(&document::FAMILY, role),
                answer(&general::FAMILY, role),
            );
            assert_eq!(d.code(), g.code(), "{role:?}");
            assert_eq!(d.family().name, document::FAMILY.name);
            assert_eq!(g.family().name, general::FAMILY.name);
        }
        assert_eq!(
            answer(&clova::FAMILY, ErrorRole::BadCredential),
            Code::ClovaDocumentOcr(clova::ErrorCode::SecretKeyValidationFailed)
        );
        // Every family has a code for a broken body and a wrong credential.
        for family in FAMILIES {
            assert!(
                family.code_for(ErrorRole::BadBody).is_some(),
                "{}",
                family.name
            );
            for version in family.versions {
                let _ = refused(family, version);
            }
        }
    }

    #[test]
    fn codes_the_descriptors_name_are_read_by_their_family() {
        let key_version = document::FAMILY.envelope.unwrap().key_version_error;
        assert_eq!(
            named(&document::FAMILY, key_version),
            Some(Code::NhnDocumentOcrV2(
                document::ErrorCode::InvalidKeyVersion
            ))
        );
        assert_eq!(
            named(&general::FAMILY, "4010006"),
            Some(general::ErrorCode::InvalidToken.into())
        );
        assert_eq!(
            named(&clova::FAMILY, "0002"),
            Some(Code::ClovaDocumentOcr(
                clova::ErrorCode::SecretKeyValidationFailed
            ))
        );
        assert_eq!(
            refused(&general::FAMILY, &general::V1_0),
            general::ErrorCode::InvalidAppKeyOrSecretKey.into()
        );
    }
}
