//! The recognition results the emulator answers with.
//!
//! They are the vendors' own example values where the documents give real
//! ones (CLOVA's receipt, credit card, name card, business licence, resident
//! card, passports; NHN's card numbers and General OCR texts), and invented
//! but realistic values where the documents show placeholders (NHN's ID-card
//! values are all `"String"`; CLOVA shows no driver's licence or alien card).
//! `samples/README.md` lists the sources. The files are plaintext JSON; NHN
//! results are encrypted per call.
//!
//! Lookups go by the names the spec uses (an NHN endpoint's response body
//! type, a CLOVA endpoint's `document_field`), so a spec change that adds a
//! document shows up as a missing sample in the tests, not as a silent gap.

use super::sniff::Marker;
use crate::wire::nhn_document_ocr_v2::IdType;

const NHN_CREDIT_CARD: &str = include_str!("samples/nhn/credit-card.json");
const NHN_ID_RESIDENT: &str = include_str!("samples/nhn/id-card.resident.json");
const NHN_ID_DRIVER: &str = include_str!("samples/nhn/id-card.driver.json");
const NHN_ID_PASSPORT: &str = include_str!("samples/nhn/id-card.passport.json");
const NHN_GENERAL: &str = include_str!("samples/nhn/general.json");

const CLOVA_RECEIPT: &str = include_str!("samples/clova/receipt.json");
const CLOVA_CREDIT_CARD: &str = include_str!("samples/clova/creditCard.json");
const CLOVA_NAME_CARD: &str = include_str!("samples/clova/nameCard.json");
const CLOVA_BIZ_LICENSE: &str = include_str!("samples/clova/bizLicense.json");
const CLOVA_PASSPORT: &str = include_str!("samples/clova/passport.json");
const CLOVA_ID_RESIDENT: &str = include_str!("samples/clova/idCard.resident.json");
const CLOVA_ID_DRIVER: &str = include_str!("samples/clova/idCard.driver.json");
const CLOVA_ID_PASSPORT: &str = include_str!("samples/clova/idCard.passport.json");
const CLOVA_ID_ALIEN: &str = include_str!("samples/clova/idCard.alien.json");

/// The NHN ID type an image's marker asks for; resident without one.
pub fn nhn_id_type(marker: Option<Marker>) -> IdType {
    match marker {
        Some(Marker::Driver) => IdType::Driver,
        Some(Marker::Passport) => IdType::Passport,
        _ => IdType::Resident,
    }
}

/// The plaintext `result` for an NHN response body type.
pub fn nhn_result(body_type: &str, id_type: &IdType) -> Option<&'static str> {
    match (body_type, id_type) {
        ("CreditCardResult", _) => Some(NHN_CREDIT_CARD),
        ("IdCardResult", IdType::Driver) => Some(NHN_ID_DRIVER),
        ("IdCardResult", IdType::Passport) => Some(NHN_ID_PASSPORT),
        ("IdCardResult", _) => Some(NHN_ID_RESIDENT),
        ("GeneralResult" | "CroppingResult", _) => Some(NHN_GENERAL),
        _ => None,
    }
}

/// The document object for a CLOVA `document_field`. For `idCard` the
/// marker picks the card (`ic` resident card by default, `dl`, `pp`, `ac`).
pub fn clova_document(document_field: &str, marker: Option<Marker>) -> Option<&'static str> {
    match document_field {
        "receipt" => Some(CLOVA_RECEIPT),
        "creditCard" => Some(CLOVA_CREDIT_CARD),
        "nameCard" => Some(CLOVA_NAME_CARD),
        "bizLicense" => Some(CLOVA_BIZ_LICENSE),
        "passport" => Some(CLOVA_PASSPORT),
        "idCard" => Some(match marker {
            Some(Marker::Driver) => CLOVA_ID_DRIVER,
            Some(Marker::Passport) => CLOVA_ID_PASSPORT,
            Some(Marker::Alien) => CLOVA_ID_ALIEN,
            _ => CLOVA_ID_RESIDENT,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{
        clova_document_ocr as clova, nhn_document_ocr_v2 as doc, nhn_general_ocr_v1 as general,
    };

    fn parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn nhn_samples_fit_the_generated_types() {
        let _: doc::CreditCardResult = parse(NHN_CREDIT_CARD);
        for (text, id_type) in [
            (NHN_ID_RESIDENT, IdType::Resident),
            (NHN_ID_DRIVER, IdType::Driver),
            (NHN_ID_PASSPORT, IdType::Passport),
        ] {
            let r: doc::IdCardResult = parse(text);
            assert_eq!(r.id_type, Some(id_type));
            for kv in r.key_values.unwrap() {
                assert!(!matches!(kv.key, Some(doc::IdCardKey::Unknown(_)) | None));
            }
        }
        let _: general::GeneralResult = parse(NHN_GENERAL);
        let _: general::CroppingResult = parse(NHN_GENERAL);
    }

    #[test]
    fn every_nhn_recognition_endpoint_has_a_sample() {
        for e in doc::FAMILY
            .endpoints
            .iter()
            .chain(general::FAMILY.endpoints)
        {
            if e.multipart().is_some() {
                assert!(
                    nhn_result(e.response.body_type.unwrap_or_default(), &IdType::Resident)
                        .is_some(),
                    "{}",
                    e.name
                );
            }
        }
    }

    #[test]
    fn every_clova_document_has_a_sample_that_fits() {
        for e in clova::FAMILY.endpoints {
            let field = e.response.document_field.unwrap();
            for marker in [
                None,
                Some(Marker::Driver),
                Some(Marker::Passport),
                Some(Marker::Alien),
            ] {
                let doc = clova_document(field, marker).unwrap();
                let mut image = serde_json::Map::new();
                image.insert(field.to_owned(), serde_json::from_str(doc).unwrap());
                let value = serde_json::Value::Object(image);
                let typed: clova::ImageResult = parse(&value.to_string());
                let back = serde_json::to_value(&typed).unwrap();
                assert!(back.get(field).is_some(), "{field}");
            }
        }
    }

    #[test]
    fn clova_id_cards_fill_the_member_for_their_kind() {
        let kinds = [
            (None, "ic"),
            (Some(Marker::Driver), "dl"),
            (Some(Marker::Passport), "pp"),
            (Some(Marker::Alien), "ac"),
        ];
        for (marker, member) in kinds {
            let doc: clova::IdCardDocument = parse(clova_document("idCard", marker).unwrap());
            let value = serde_json::to_value(doc.result.unwrap()).unwrap();
            assert!(value.get(member).is_some(), "{member}");
        }
    }
}
