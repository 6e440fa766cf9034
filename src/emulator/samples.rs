//! The recognition results the emulator answers with: each endpoint's
//! examples, as its spec names them (`response.examples`, files under
//! `spec/examples/`; the generated registry `generated/examples.rs` holds
//! them). An image's marker word (`ocrwire:driver`) picks a variant, else
//! the endpoint's first.
//!
//! They are the vendors' own example values where the documents give real
//! ones (CLOVA's receipt, credit card, name card, business licence, resident
//! card, passports; NHN's card numbers and General OCR texts), and invented
//! but realistic values where the documents show placeholders (NHN's ID-card
//! values are all `"String"`; CLOVA shows no driver's licence or alien card).
//! `spec/examples/README.md` lists the sources. The files are plaintext
//! JSON; NHN results are encrypted per call.

use serde_json::{Value, json};

use super::sniff::Marker;
use crate::descriptor::{self as d, Endpoint};
use crate::wire::nhn_document_ocr_v2::IdType;

mod registry {
    use crate::descriptor as d;
    #[cfg(not(feature = "regen"))]
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/generated/examples.rs"
    ));
    #[cfg(feature = "regen")]
    include!(concat!(env!("OUT_DIR"), "/generated/examples.rs"));
}
pub use registry::EXAMPLES;

/// `endpoint`'s example for `variant` (a marker's word), else its first;
/// `None` for an endpoint whose spec names none.
pub fn example(endpoint: &Endpoint, variant: Option<&str>) -> Option<&'static str> {
    let mut of_endpoint = EXAMPLES
        .iter()
        .filter(|x| x.family == endpoint.family && x.endpoint == endpoint.name);
    let first = of_endpoint.clone().next();
    variant
        .and_then(|v| of_endpoint.find(|x| x.variant == v))
        .or(first)
        .map(|x: &d::Example| x.json)
}

/// The NHN ID type an image's marker asks for; resident without one.
pub fn nhn_id_type(marker: Option<Marker>) -> IdType {
    match marker {
        Some(Marker::Driver) => IdType::Driver,
        Some(Marker::Passport) => IdType::Passport,
        _ => IdType::Resident,
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

    /// An example by endpoint and variant.
    fn ex(endpoint: &Endpoint, variant: &str) -> &'static str {
        EXAMPLES
            .iter()
            .find(|x| {
                x.family == endpoint.family && x.endpoint == endpoint.name && x.variant == variant
            })
            .map(|x| x.json)
            .unwrap_or_else(|| panic!("{}: no example {variant}", endpoint.name))
    }

    #[test]
    fn every_example_decodes_whole_as_its_endpoint_answers() {
        use crate::descriptor::{Operation, OperationVisitor};
        struct Check(usize);
        impl OperationVisitor for Check {
            fn visit<O: Operation>(&mut self) {
                let endpoint = O::ENDPOINT;
                for x in EXAMPLES
                    .iter()
                    .filter(|x| x.family == endpoint.family && x.endpoint == endpoint.name)
                {
                    let payload: Value = serde_json::from_str(x.json).unwrap();
                    // A document sits in an image result, as CLOVA sends it.
                    let whole = match endpoint.response.document_field {
                        Some(field) => json!({ "images": [{ field: payload }] }),
                        None => payload,
                    };
                    let decoded = crate::wire::drift::decode::<O::Response>(whole)
                        .unwrap_or_else(|e| panic!("{}/{}: {e}", endpoint.name, x.variant));
                    assert!(
                        decoded.drift.is_empty(),
                        "{}/{}: {:?}",
                        endpoint.name,
                        x.variant,
                        decoded.drift
                    );
                    self.0 += 1;
                }
            }
        }
        let mut check = Check(0);
        crate::wire::visit_operations(&mut check);
        assert_eq!(check.0, EXAMPLES.len(), "every example names an endpoint");
        let r: doc::IdCardResult = parse(ex(&doc::ID_CARD, "driver"));
        assert_eq!(r.id_type, Some(IdType::Driver));
        for kv in r.key_values.unwrap() {
            assert!(!matches!(kv.key, Some(doc::IdCardKey::Unknown(_)) | None));
        }
    }

    #[test]
    fn every_recognition_endpoint_has_an_example_and_markers_pick_variants() {
        for (_, e) in crate::wire::endpoints() {
            let uploads = e
                .multipart()
                .is_some_and(|parts| parts.iter().any(|p| p.is_file()));
            if uploads {
                assert!(example(e, None).is_some(), "{}", e.name);
            }
        }
        assert_eq!(
            example(&doc::ID_CARD, None),
            Some(ex(&doc::ID_CARD, "resident"))
        );
        assert_eq!(
            example(&doc::ID_CARD, Some("passport")),
            Some(ex(&doc::ID_CARD, "passport"))
        );
        // A word no variant has: the first.
        assert_eq!(
            example(&doc::CREDIT_CARD, Some("driver")),
            Some(ex(&doc::CREDIT_CARD, "card"))
        );
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
            let doc: clova::IdCardDocument =
                parse(example(&clova::ID_CARD, marker.map(Marker::word)).unwrap());
            let value = serde_json::to_value(doc.result.unwrap()).unwrap();
            assert!(value.get(member).is_some(), "{member}");
        }
    }

    #[test]
    fn boxes_are_fitted_inside_the_image_keeping_their_layout() {
        for (text, size) in [
            (ex(&doc::CREDIT_CARD, "card"), (320, 200)),
            (ex(&doc::ID_CARD, "resident"), (2000, 1300)),
            (ex(&clova::RECEIPT, "receipt"), (300, 900)),
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
        let mut card: Value = serde_json::from_str(ex(&doc::CREDIT_CARD, "card")).unwrap();
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
