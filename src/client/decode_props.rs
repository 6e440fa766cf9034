//! Property tests ("fuzzing on stable") of the runtime's decode path: every
//! endpoint's answer type goes through the same two steps a real call
//! takes, `error_shape::decode` and `Session::open_fields`, fed with
//!
//! - arbitrary bytes under arbitrary HTTP statuses;
//! - arbitrary JSON built from the wire names the fixtures use, so that
//!   generated values reach deep into the types;
//! - the vendor docs' examples (`tests/fixtures/`, the corpus) with one
//!   subtree replaced by arbitrary JSON, or their bytes mutated;
//! - enveloped answers whose encrypted fields hold arbitrary strings, or
//!   real ciphertext of arbitrary text under the session's key.
//!
//! The properties: nothing panics; every failure is a typed error (a
//! malformed-response or decryption error names a non-empty field path, a
//! non-2xx without the family's error body is a status error); no value
//! from the answer (a marked string, or a number of five or more digits,
//! whatever JSON type held it) appears in an error's message or `Debug`
//! (except, by design, a vendor error's own code and message); and real
//! ciphertext opens to
//! exactly the text that was sealed.
//!
//! The budget is small so `cargo test` stays fast: 64 cases per property
//! by default, from a fixed seed. For a longer run:
//! `PROPTEST_CASES=20000 PROPTEST_RNG_SEED=$RANDOM cargo test --lib decode_props`.
//! Failures are saved to `tests/proptest-regressions/decode.txt` and
//! replayed first on every later run (commit that file).

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::envelope::Session;
use super::error_shape;
use super::transport::RawResponse;
use crate::client::envelope::Seal as _;
use crate::descriptor::{Endpoint, Family, Operation};
use crate::envelope::SymmetricKey;
use crate::error::{Error, TransportError};
use crate::wire::{FAMILIES, nhn_document_ocr_v2 as doc};

/// 64 cases unless `PROPTEST_CASES` says otherwise; a fixed seed unless
/// `PROPTEST_RNG_SEED` gives one; regressions in the repository.
pub(crate) fn config(file: &'static str) -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0c72_e5e6),
            fixed => fixed,
        },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..base
    }
}

const REGRESSIONS: &str = "tests/proptest-regressions/decode.txt";

/// The key every enveloped answer is opened with.
fn key_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
    bytes
}

fn session() -> Session {
    Session::with_key(SymmetricKey::from_bytes(key_bytes()))
}

fn family_of(endpoint: &Endpoint) -> &'static Family {
    FAMILIES
        .iter()
        .copied()
        .find(|f| f.name == endpoint.family)
        .expect("every endpoint has its family")
}

/// One answer through the decode path of `O`, as `Runtime::exchange` runs
/// it. Returns the decrypted body as JSON on success.
fn decode_as<O>(raw: &RawResponse) -> Result<Value, Error>
where
    O: Operation,
    O::Response: DeserializeOwned + Serialize,
{
    let endpoint = O::ENDPOINT;
    let shape = family_of(endpoint).error_shape;
    let mut body: O::Response =
        error_shape::decode::<O::Api, O::Response>(endpoint, raw, true)?.payload;
    if endpoint.uses_envelope()
        && let Some(fields) = O::encrypted_response(&mut body)
    {
        session().open_fields(endpoint.name, shape.result_member(), fields)?;
    }
    Ok(serde_json::to_value(&body).expect("a decoded answer serializes"))
}

/// One endpoint's decode path, as a plain function.
type Decoder = fn(&RawResponse) -> Result<Value, Error>;

/// Every endpoint's decode path, from the generated registry: an endpoint a
/// spec adds is fuzzed with no list to extend.
fn decoders() -> Vec<(&'static Endpoint, Decoder)> {
    struct Collect(Vec<(&'static Endpoint, Decoder)>);
    impl crate::descriptor::OperationVisitor for Collect {
        fn visit<O: Operation>(&mut self) {
            self.0.push((O::ENDPOINT, decode_as::<O>));
        }
    }
    let mut collect = Collect(Vec::new());
    crate::wire::visit_operations(&mut collect);
    collect.0
}

/// Checks the properties for one answer on every endpoint. `secrets`: string
/// values that must not appear in any error message.
fn check_all(status: u16, body: &[u8], secrets: &[String]) -> Result<(), TestCaseError> {
    let raw = RawResponse {
        status,
        headers: HeaderMap::new(),
        body: body.to_vec().into(),
    };
    for (endpoint, decode) in decoders() {
        match decode(&raw) {
            Ok(_) => prop_assert!(
                (200..300).contains(&status),
                "{}: accepted an answer with HTTP {status}",
                endpoint.name
            ),
            Err(e) => {
                match &e {
                    Error::MalformedResponse { path, .. } => {
                        prop_assert!(!path.is_empty(), "{}: empty path: {e}", endpoint.name)
                    }
                    Error::Decrypt { source, .. } => {
                        prop_assert!(!source.path.is_empty(), "{}: {e}", endpoint.name)
                    }
                    Error::Vendor(_) | Error::Transport(TransportError::Status { .. }) => {}
                    other => prop_assert!(false, "{}: unexpected kind {other:?}", endpoint.name),
                }
                // A vendor error shows the vendor's own code and message by
                // design (tidied and capped): that text is the service's, not
                // a value of the answer's data.
                let shown = match &e {
                    Error::Vendor(_) => String::new(),
                    e => format!("{e}\n{e:?}"),
                };
                for secret in secrets {
                    prop_assert!(
                        !shown.contains(secret.as_str()),
                        "{}: error shows a value from the answer: {shown}",
                        endpoint.name
                    );
                }
            }
        }
    }
    Ok(())
}

// ---- strategies --------------------------------------------------------

/// Every JSON example from the vendor docs, as the corpus.
fn fixtures() -> &'static [(String, Value)] {
    static FIXTURES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut out = Vec::new();
        for family in std::fs::read_dir(root).expect("tests/fixtures") {
            let dir = family.expect("entry").path();
            if !dir.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&dir).expect("fixture dir") {
                let path = file.expect("entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    let text = std::fs::read_to_string(&path).expect("fixture");
                    if let Ok(value) = serde_json::from_str(&text) {
                        out.push((path.display().to_string(), value));
                    }
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(out.len() >= 20, "the fixtures are the corpus");
        out
    })
}

/// Object keys used anywhere in the corpus, so random objects hit real
/// members.
fn wire_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    for (k, v) in map {
                        out.push(k.clone());
                        walk(v, out);
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for (_, v) in fixtures() {
            walk(v, &mut out);
        }
        out.sort();
        out.dedup();
        out
    })
}

/// String leaves carry this prefix, so a leak into a message is findable.
const MARK: &str = "PII";

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z0-9가-힣 ]{0,12}".prop_map(|s| Value::String(format!("{MARK}{s}"))),
        // Strings the wire treats specially: Base64, digits, enum values.
        "[A-Za-z0-9+/]{0,40}={0,2}".prop_map(|s| Value::String(format!("{MARK}{s}"))),
        prop::sample::select(vec![
            "SUCCESS", "FAILURE", "ERROR", "V2", "resident", "driver", "passport", "VALID"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(wire_names().to_vec()), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Replaces the node at a pseudo-random position (chosen by `pick`) of
/// `value` with `with`.
fn replace_somewhere(value: &mut Value, pick: usize, with: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Object(m) => m.values().map(count).sum(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    fn go(v: &mut Value, mut n: usize, with: &mut Option<Value>) -> usize {
        if n == 0 {
            if let Some(w) = with.take() {
                *v = w;
            }
            return 0;
        }
        n -= 1;
        let children: Vec<&mut Value> = match v {
            Value::Object(m) => m.values_mut().collect(),
            Value::Array(a) => a.iter_mut().collect(),
            _ => return n,
        };
        for child in children {
            n = go(child, n, with);
            if with.is_none() {
                return 0;
            }
        }
        n
    }
    let total = count(value);
    go(value, pick % total, &mut Some(with));
}

/// The NHN envelope around a result, as a successful answer.
fn nhn_ok(result: Value) -> Value {
    serde_json::json!({
        "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
        "result": result,
    })
}

/// Scalar leaves of a JSON value that an error must not show: the marked
/// strings, and numbers of five or more digits (a card number is one).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.starts_with(MARK) && s.len() > MARK.len() + 2 => out.push(s.clone()),
        Value::Number(n) if n.to_string().trim_start_matches('-').len() >= 5 => {
            out.push(n.to_string());
        }
        Value::Object(m) => m.values().for_each(|v| strings(v, out)),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(400),
        Just(401),
        Just(429),
        Just(500),
        Just(502),
        100u16..600,
    ]
}

proptest! {
    #![proptest_config(config(REGRESSIONS))]

    #[test]
    fn arbitrary_bytes_never_panic(status in status(), body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_all(status, &body, &[])?;
    }

    #[test]
    fn arbitrary_json_never_panics(status in status(), value in json_value(), wrap in any::<bool>()) {
        let value = if wrap { nhn_ok(value) } else { value };
        let mut secrets = Vec::new();
        strings(&value, &mut secrets);
        check_all(status, value.to_string().as_bytes(), &secrets)?;
    }

    #[test]
    fn mutated_examples_never_panic(
        index in any::<prop::sample::Index>(),
        pick in any::<usize>(),
        with in json_value(),
        status in status(),
    ) {
        let (_, fixture) = &fixtures()[index.index(fixtures().len())];
        let mut value = fixture.clone();
        replace_somewhere(&mut value, pick, with.clone());
        let mut secrets = Vec::new();
        strings(&with, &mut secrets);
        check_all(status, value.to_string().as_bytes(), &secrets)?;
    }

    #[test]
    fn mutated_example_bytes_never_panic(
        index in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let (_, fixture) = &fixtures()[index.index(fixtures().len())];
        let mut bytes = fixture.to_string().into_bytes();
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        check_all(200, &bytes, &[])?;
    }

    #[test]
    fn encrypted_fields_holding_arbitrary_strings_fail_by_path(
        values in prop::collection::vec("[ -~]{0,64}", 1..4),
        id in any::<bool>(),
    ) {
        // Not ciphertext (or not under this key): a decryption error naming
        // the field, never a panic, never a success with the raw text.
        let result = if id {
            serde_json::json!({"keyValues": values.iter().map(|v| serde_json::json!({"key": "name", "value": v})).collect::<Vec<_>>()})
        } else {
            serde_json::json!({"cardNums": values.iter().map(|v| serde_json::json!({"value": v})).collect::<Vec<_>>()})
        };
        let raw = RawResponse { status: 200, headers: HeaderMap::new(), body: nhn_ok(result).to_string().into_bytes().into() };
        let outcome = if id { decode_as::<doc::IdCard>(&raw) } else { decode_as::<doc::CreditCard>(&raw) };
        match outcome {
            Err(Error::Decrypt { source, .. }) => {
                let prefix = if id { "result.keyValues[" } else { "result.cardNums[" };
                prop_assert!(source.path.starts_with(prefix), "{}", source.path);
            }
            Ok(decoded) => {
                // Only possible if every value happened to be real
                // ciphertext under the key: then none may come back as sent.
                let member = if id { "keyValues" } else { "cardNums" };
                for (item, sent) in decoded[member].as_array().into_iter().flatten().zip(&values) {
                    prop_assert_ne!(item["value"].as_str(), Some(sent.as_str()));
                }
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn real_ciphertext_opens_to_exactly_what_was_sealed(
        texts in prop::collection::vec(any::<String>(), 1..4),
        total in any::<String>(),
    ) {
        let key = SymmetricKey::from_bytes(key_bytes());
        let result = serde_json::json!({
            "cardNums": texts.iter().map(|t| serde_json::json!({"value": key.seal_field(t)})).collect::<Vec<_>>(),
            "totalCardNum": key.seal_field(&total),
            "validThru": {"value": key.seal_field(&total)},
        });
        let raw = RawResponse { status: 200, headers: HeaderMap::new(), body: nhn_ok(result).to_string().into_bytes().into() };
        let decoded = decode_as::<doc::CreditCard>(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let opened: Vec<_> = decoded["cardNums"].as_array().into_iter().flatten().map(|c| c["value"].as_str().map(str::to_string)).collect();
        prop_assert_eq!(opened, texts.iter().cloned().map(Some).collect::<Vec<_>>());
        prop_assert_eq!(decoded["validThru"]["value"].as_str(), Some(total.as_str()));
    }
}

#[test]
fn every_endpoint_has_a_decoder() {
    let covered: Vec<_> = decoders().iter().map(|(e, _)| (e.family, e.name)).collect();
    for (family, endpoint) in crate::wire::endpoints() {
        assert!(
            covered.contains(&(family.name, endpoint.name)),
            "{} {} is not fuzzed",
            family.name,
            endpoint.name
        );
    }
}

#[test]
fn the_corpus_decodes_where_it_should() {
    // Sanity for the corpus itself: each family's success example decodes.
    check_all(200, nhn_ok(Value::Null).to_string().as_bytes(), &[]).unwrap();
    for (name, value) in fixtures() {
        check_all(200, value.to_string().as_bytes(), &[]).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
