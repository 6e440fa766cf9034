//! Every JSON example in the vendor docs decodes into its generated type and
//! encodes back to the same JSON.
//!
//! The fixtures are the docs' own examples (`tests/fixtures/INDEX.md` says
//! where each comes from; `REPAIRS.md` lists the few edits made where an
//! example was not valid JSON). A value the types do not model would be
//! dropped on the way back and fail the comparison, so a pass means the
//! types cover every member the vendor shows. The drift check must find
//! nothing either: every member and enum value in the docs' examples is in
//! the spec.

use ocrwire::wire::drift::{Drift, DriftKind};
use ocrwire::wire::{
    clova_document_ocr as clova, clova_general_ocr as clova_general,
    clova_template_ocr as clova_template, nhn_document_ocr_v2 as doc,
    nhn_general_ocr_v1 as general,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::{Path, PathBuf};

type Check = fn(&Path) -> Result<(), String>;

/// Every fixture and the type it must decode into.
const FIXTURES: &[(&str, Check)] = &[
    // NHN Document OCR v2.0
    (
        "nhn-document-ocr-v2/common.error.json",
        roundtrip::<doc::Response<doc::PublicKeyResult>>,
    ),
    (
        "nhn-document-ocr-v2/common.response.json",
        roundtrip::<doc::Response<doc::CreditCardResult>>,
    ),
    (
        "nhn-document-ocr-v2/public-key.response.json",
        roundtrip::<doc::Response<doc::PublicKeyResult>>,
    ),
    (
        "nhn-document-ocr-v2/credit-card.response.json",
        roundtrip::<doc::Response<doc::CreditCardResult>>,
    ),
    (
        "nhn-document-ocr-v2/id-card.response.json",
        roundtrip::<doc::Response<doc::IdCardResult>>,
    ),
    (
        "nhn-document-ocr-v2/id-card-stand-alone.response.json",
        roundtrip::<doc::Response<doc::IdCardResult>>,
    ),
    (
        "nhn-document-ocr-v2/id-card-authenticity.request.json",
        roundtrip::<doc::AuthenticityRequest>,
    ),
    (
        "nhn-document-ocr-v2/id-card-authenticity.response.json",
        roundtrip::<doc::Response<doc::AuthenticityResult>>,
    ),
    // NHN General OCR v1.0
    (
        "nhn-general-ocr-v1/common.error.json",
        roundtrip::<general::Response<general::GeneralResult>>,
    ),
    (
        "nhn-general-ocr-v1/common.response.json",
        roundtrip::<general::Response<general::GeneralResult>>,
    ),
    (
        "nhn-general-ocr-v1/general.request.json",
        roundtrip::<general::ImageUrlRequest>,
    ),
    (
        "nhn-general-ocr-v1/general.response.json",
        roundtrip::<general::Response<general::GeneralResult>>,
    ),
    (
        "nhn-general-ocr-v1/general-cropping.request.json",
        roundtrip::<general::ImageUrlRequest>,
    ),
    (
        "nhn-general-ocr-v1/general-cropping.response.json",
        roundtrip::<general::Response<general::CroppingResult>>,
    ),
    // CLOVA OCR Document API
    (
        "clova-document-ocr/common.error.json",
        roundtrip::<clova::ErrorBody>,
    ),
    (
        "clova-document-ocr/common.request.json",
        roundtrip::<clova::DocumentRequest>,
    ),
    (
        "clova-document-ocr/common.request.curl-json.json",
        roundtrip::<clova::DocumentRequest>,
    ),
    (
        "clova-document-ocr/common.request.multipart-message.json",
        roundtrip::<clova::DocumentMessage>,
    ),
    (
        "clova-document-ocr/id-card.request.passport-kr.json",
        roundtrip::<clova::DocumentRequest>,
    ),
    (
        "clova-document-ocr/id-card.request.passport-kr-multipart-message.json",
        roundtrip::<clova::DocumentMessage>,
    ),
    (
        "clova-document-ocr/receipt.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/credit-card.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/name-card.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/biz-license.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/id-card.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/id-card.response.passport-kr-success.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/id-card.response.passport-kr-failure.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    (
        "clova-document-ocr/passport.response.json",
        roundtrip::<clova::DocumentResponse>,
    ),
    // CLOVA General and Template OCR: built to recorded shapes (see the
    // folders' README.md), no doc example being stored.
    (
        "clova-general-ocr/v2-tables.json",
        roundtrip::<clova_general::GeneralResponse>,
    ),
    (
        "clova-general-ocr/v1-pdf.json",
        roundtrip::<clova_general::GeneralResponse>,
    ),
    (
        "clova-template-ocr/template.json",
        roundtrip::<clova_template::TemplateResponse>,
    ),
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture's type and its drift check: `Schema` types directly, whole
/// NHN answers through their generated `Response::drift`.
trait Known {
    fn drift(value: &Value) -> Vec<Drift>;
}

macro_rules! known {
    ($($ty:ty),*) => {$(
        impl Known for $ty {
            fn drift(value: &Value) -> Vec<Drift> {
                ocrwire::wire::drift::check::<$ty>(value)
            }
        }
    )*};
}

macro_rules! known_answer {
    ($family:ident: $($ty:ty),*) => {$(
        impl Known for $family::Response<$ty> {
            fn drift(value: &Value) -> Vec<Drift> {
                $family::Response::<$ty>::drift(value)
            }
        }
    )*};
}

known!(
    clova::DocumentMessage,
    clova_general::GeneralResponse,
    clova_template::TemplateResponse,
    clova::DocumentRequest,
    clova::DocumentResponse,
    clova::ErrorBody,
    clova::ImageResult,
    doc::AuthenticityRequest,
    general::ImageUrlRequest
);
known_answer!(doc: doc::AuthenticityResult, doc::CreditCardResult, doc::IdCardResult, doc::PublicKeyResult);
known_answer!(general: general::CroppingResult, general::GeneralResult);

fn roundtrip<T: DeserializeOwned + Serialize + Known>(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let original: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let typed: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        format!(
            "does not decode into {}: at `{}`: {}",
            std::any::type_name::<T>(),
            e.path(),
            e.inner()
        )
    })?;
    let drift = T::drift(&original);
    if !drift.is_empty() {
        let found: Vec<String> = drift.iter().map(ToString::to_string).collect();
        return Err(format!("drift: {}", found.join("; ")));
    }
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))?;
    if back != original {
        return Err(format!(
            "encodes differently: {}",
            first_difference(&original, &back, String::new())
        ));
    }
    Ok(())
}

/// Where two JSON values first differ, as a path and both values.
fn first_difference(a: &Value, b: &Value, path: String) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if w != v => return first_difference(v, w, format!("{path}.{k}")),
                    None => return format!("`{path}.{k}` is lost"),
                    _ => {}
                }
            }
            for k in y.keys() {
                if !x.contains_key(k) {
                    return format!("`{path}.{k}` appears from nowhere");
                }
            }
            format!("`{path}`: key order or content differs")
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, format!("{path}[{i}]"));
                }
            }
            format!("`{path}` differs")
        }
        _ => format!("`{path}`: doc has {a}, types give {b}"),
    }
}

#[test]
fn every_doc_example_round_trips_through_its_type() {
    let failures: Vec<String> = FIXTURES
        .iter()
        .filter_map(|(file, check)| {
            check(&fixtures_dir().join(file))
                .err()
                .map(|e| format!("{file}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        FIXTURES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_is_checked() {
    let mut on_disk = Vec::new();
    for family in std::fs::read_dir(fixtures_dir()).unwrap() {
        let family = family.unwrap().path();
        if family.is_dir() {
            for file in std::fs::read_dir(&family).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_some_and(|e| e == "json") {
                    on_disk.push(
                        file.strip_prefix(fixtures_dir())
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
    }
    on_disk.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|(f, _)| *f).collect();
    let unlisted: Vec<&String> = on_disk
        .iter()
        .filter(|f| !listed.contains(&f.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "fixtures with no type to check against: {unlisted:?}"
    );
    assert_eq!(
        on_disk.len(),
        FIXTURES.len(),
        "a listed fixture is missing from disk"
    );
}

#[test]
fn both_spellings_of_a_contradicted_field_decode() {
    // 004 spells the ID type `IDType` and the MRZ lines `MRZ1`; 002 writes `idtype` and `mrz1`.
    let upper: clova::IdCardResult =
        serde_json::from_str(r#"{"IDType": "Passport", "pp": {"MRZ1": [{"text": "P<KOR"}]}}"#)
            .unwrap();
    let lower: clova::IdCardResult =
        serde_json::from_str(r#"{"idtype": "Passport", "pp": {"mrz1": [{"text": "P<KOR"}]}}"#)
            .unwrap();
    for r in [&upper, &lower] {
        assert_eq!(r.id_type().map(String::as_str), Some("Passport"));
        let mrz1 =
            r.pp.as_ref()
                .and_then(|pp| pp.mrz1())
                .expect("MRZ1 under either spelling");
        assert_eq!(mrz1[0].text.as_ref().map(|t| t.expose()), Some("P<KOR"));
    }
    // And each is written back the way it came.
    assert!(
        serde_json::to_string(&lower)
            .unwrap()
            .contains("\"idtype\"")
    );
    assert!(
        serde_json::to_string(&upper)
            .unwrap()
            .contains("\"IDType\"")
    );
}

#[test]
fn total_card_num_decodes_as_string_or_list() {
    let one: doc::CreditCardResult =
        serde_json::from_str(r#"{"totalCardNum": "1111222233334444"}"#).unwrap();
    let many: doc::CreditCardResult =
        serde_json::from_str(r#"{"totalCardNum": ["1111", "2222"]}"#).unwrap();
    assert_eq!(one.total_card_num.as_ref().unwrap().as_slice().len(), 1);
    assert_eq!(many.total_card_num.as_ref().unwrap().as_slice().len(), 2);
    assert_eq!(
        serde_json::to_string(&many).unwrap(),
        r#"{"totalCardNum":["1111","2222"]}"#
    );
}

#[test]
fn unknown_enum_values_are_kept_as_sent_and_reported_as_drift() {
    let text = r#"{"inferResult": "PARTIAL"}"#;
    let r: clova::ImageResult = serde_json::from_str(text).unwrap();
    assert_eq!(
        r.infer_result,
        Some(clova::InferResult::Unknown("PARTIAL".into()))
    );
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"inferResult":"PARTIAL"}"#
    );
    let drift = clova::ImageResult::drift(&serde_json::from_str(text).unwrap());
    assert_eq!(drift.len(), 1);
    assert_eq!(
        (drift[0].path.as_str(), &drift[0].kind),
        ("inferResult", &DriftKind::UnknownValue)
    );
    let r: clova::ImageResult = serde_json::from_str(r#"{"inferResult": "FAILURE"}"#).unwrap();
    assert_eq!(r.infer_result, Some(clova::InferResult::Failure));
}

#[test]
fn unknown_members_are_tolerated_by_decoding_and_reported_as_drift() {
    let text = r#"{"header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS", "traceId": "x"},
            "result": {"isAuthenticity": true, "score": 0.9}}"#;
    let r: doc::Response<doc::AuthenticityResult> = serde_json::from_str(text).unwrap();
    assert_eq!(r.result.unwrap().is_authenticity, Some(true));
    let drift =
        doc::Response::<doc::AuthenticityResult>::drift(&serde_json::from_str(text).unwrap());
    let paths: Vec<&str> = drift.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["header.traceId", "result.score"]);
    assert!(drift.iter().all(|d| d.kind == DriftKind::UnknownMember));
}
