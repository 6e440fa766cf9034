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

use serde_json::{Value, json};

use super::sniff::Marker;
use crate::wire::nhn_document_ocr_v2::IdType;

const NHN_CREDIT_CARD: &str = include_str!("samples/nhn/credit-card.json");
const NHN_ID_RESIDENT: &str = include_str!("samples/nhn/id-card.resident.json");
const NHN_ID_DRIVER: &str = include_str!("samples/nhn/id-card.driver.json");
const NHN_ID_PASSPORT: &str = include_str!("samples/nhn/id-card.passport.json");
/// The vendor's General OCR example (answered for an image URL).
pub const NHN_GENERAL: &str = include_str!("samples/nhn/general.json");

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

/// The points of every box in a result, wherever they are: NHN's corner
/// members (`x1`..`x4`, `y1`..`y4`) and CLOVA's `vertices` (`x`, `y`).
const CORNERS: [(&str, &str); 5] = [
    ("x1", "y1"),
    ("x2", "y2"),
    ("x3", "y3"),
    ("x4", "y4"),
    ("x", "y"),
];

fn points(value: &Value, out: &mut Vec<(f64, f64)>) {
    match value {
        Value::Object(map) => {
            for (x, y) in CORNERS {
                if let (Some(x), Some(y)) = (
                    map.get(x).and_then(Value::as_f64),
                    map.get(y).and_then(Value::as_f64),
                ) {
                    out.push((x, y));
                }
            }
            map.values().for_each(|v| points(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| points(v, out)),
        _ => {}
    }
}

fn transform(value: &mut Value, f: &impl Fn(f64, f64) -> (f64, f64)) {
    match value {
        Value::Object(map) => {
            for (x, y) in CORNERS {
                let (Some(px), Some(py)) = (
                    map.get(x).and_then(Value::as_f64),
                    map.get(y).and_then(Value::as_f64),
                ) else {
                    continue;
                };
                let (nx, ny) = f(px, py);
                // Integers stay integers (NHN), floats stay floats (CLOVA).
                let integer = map.get(x).is_some_and(Value::is_i64);
                for (key, n) in [(x, nx), (y, ny)] {
                    let n = if integer {
                        Value::from(n.round() as i64)
                    } else {
                        Value::from(n.round())
                    };
                    map.insert(key.to_owned(), n);
                }
            }
            map.values_mut().for_each(|v| transform(v, f));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| transform(v, f)),
        _ => {}
    }
}

/// Moves and scales every box in `result` (keeping their shapes and
/// places relative to one another) so that together they fill 92% of an
/// image of `size` in one direction and are centred in the other: a picture
/// drawn from the answer then shows the boxes on the image, whatever its
/// size.
pub fn fit_boxes(result: &mut Value, (width, height): (u32, u32)) {
    let mut found = Vec::new();
    points(result, &mut found);
    let Some(&(x0, y0)) = found.first() else {
        return;
    };
    let (mut min, mut max) = ((x0, y0), (x0, y0));
    for &(x, y) in &found {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    }
    let (w, h) = (f64::from(width), f64::from(height));
    let span = ((max.0 - min.0).max(1.0), (max.1 - min.1).max(1.0));
    let scale = (w * 0.92 / span.0).min(h * 0.92 / span.1);
    // Centred: the unused room is split evenly on both sides.
    let (left, top) = ((w - span.0 * scale) / 2.0, (h - span.1 * scale) / 2.0);
    let place = move |x: f64, y: f64| {
        (
            (left + (x - min.0) * scale).clamp(0.0, w - 1.0),
            (top + (y - min.1) * scale).clamp(0.0, h - 1.0),
        )
    };
    transform(result, &place);
}

/// Words a General OCR answer is made of: what scanned receipts,
/// letters and forms say (invented; the vendor documents one example).
const WORDS: &[&str] = &[
    "영수증",
    "합계",
    "부가세",
    "카드",
    "승인",
    "번호",
    "주식회사",
    "서울특별시",
    "강남구",
    "테헤란로",
    "대표",
    "전화",
    "일시",
    "금액",
    "수량",
    "단가",
    "상품명",
    "현금",
    "거래",
    "감사합니다",
    "TOTAL",
    "INVOICE",
    "DATE",
    "AMOUNT",
    "TAX",
    "QTY",
    "CARD",
    "No.",
    "Seoul",
    "Korea",
    "Ltd.",
    "Thank",
    "you",
    "stella",
    "artois",
    "belgium",
];

/// A General OCR result for an uploaded image: lines of words chosen and
/// laid out inside the image from its bytes, so the same image always
/// reads the same and different images read differently.
pub fn general_result(bytes: &[u8], (width, height): (u32, u32)) -> Value {
    // FNV-1a of the bytes seeds a xorshift generator: no secrecy needed.
    let mut state = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    }) | 1;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n.max(1)
    };
    let (w, h) = (f64::from(width.max(8)), f64::from(height.max(8)));
    let (mx, my) = (w * 0.05, h * 0.05);
    let lines = 1 + next(u64::from((height / 40).clamp(1, 8)));
    let line_h = (h - 2.0 * my) / lines as f64;
    let text_h = (line_h * 0.6).max(1.0);
    let mut texts = Vec::new();
    let mut boxes = Vec::new();
    for line in 0..lines {
        let words: Vec<String> = (0..1 + next(4))
            .map(|_| match next(5) {
                0 => format!("{},{:03}", 1 + next(99), next(1000)),
                _ => WORDS[next(WORDS.len() as u64) as usize].to_owned(),
            })
            .collect();
        let chars: usize = words.iter().map(|w| w.chars().count() + 1).sum();
        let char_w = ((w - 2.0 * mx) / chars.max(1) as f64).min(text_h * 0.8);
        let top = my + line as f64 * line_h;
        let mut left = mx;
        let mut line_texts = Vec::new();
        let mut line_boxes = Vec::new();
        for word in words {
            let right = left + char_w * word.chars().count() as f64;
            let (x1, x2) = (left.round() as i64, right.round() as i64);
            let (y1, y3) = (top.round() as i64, (top + text_h).round() as i64);
            line_boxes.push(json!({
                "x1": x1, "y1": y1, "x2": x2, "y2": y1,
                "x3": x2, "y3": y3, "x4": x1, "y4": y3,
            }));
            let conf = 0.9 + next(10) as f64 / 100.0;
            line_texts.push(json!({"value": word, "conf": conf}));
            left = right + char_w;
        }
        texts.push(json!({"inferTexts": line_texts}));
        boxes.push(json!({"boundingBoxes": line_boxes}));
    }
    json!({"listOfInferTexts": texts, "listOfBoundingBoxes": boxes})
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

    #[test]
    fn boxes_are_fitted_inside_the_image_keeping_their_layout() {
        for (text, size) in [
            (NHN_CREDIT_CARD, (320, 200)),
            (NHN_ID_RESIDENT, (2000, 1300)),
            (CLOVA_RECEIPT, (300, 900)),
        ] {
            let mut value: Value = serde_json::from_str(text).unwrap();
            let mut before = Vec::new();
            points(&value, &mut before);
            fit_boxes(&mut value, size);
            let mut after = Vec::new();
            points(&value, &mut after);
            assert_eq!(before.len(), after.len());
            assert!(!after.is_empty());
            let (w, h) = (f64::from(size.0), f64::from(size.1));
            for &(x, y) in &after {
                assert!(
                    (0.0..w).contains(&x) && (0.0..h).contains(&y),
                    "{x},{y} in {size:?}"
                );
            }
            // Left of stays left of.
            for (i, j) in [(0, 1), (1, 2)] {
                if before[i].0 < before[j].0 {
                    assert!(after[i].0 <= after[j].0);
                }
            }
        }
        // Still the generated types.
        let mut card: Value = serde_json::from_str(NHN_CREDIT_CARD).unwrap();
        fit_boxes(&mut card, (100, 60));
        let _: doc::CreditCardResult = parse(&card.to_string());
    }

    #[test]
    fn general_results_differ_by_image_and_stay_inside_it() {
        let a = general_result(b"one image", (640, 480));
        let b = general_result(b"another image", (640, 480));
        assert_eq!(a, general_result(b"one image", (640, 480)), "deterministic");
        assert_ne!(a, b);
        for size in [(640, 480), (64, 16), (300, 2000)] {
            let value = general_result(b"bytes", size);
            let _: general::GeneralResult = parse(&value.to_string());
            let mut found = Vec::new();
            points(&value, &mut found);
            assert!(!found.is_empty());
            for (x, y) in found {
                assert!(x >= 0.0 && x <= f64::from(size.0), "{x} in {size:?}");
                assert!(y >= 0.0 && y <= f64::from(size.1), "{y} in {size:?}");
            }
        }
    }
}
