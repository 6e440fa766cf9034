//! `ocrwire endpoints` lists exactly what the spec defines.
#![cfg(feature = "cli")] // needs the binary

use serde_json::Value;
use std::process::Command;

fn ocrwire(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ocrwire"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ocrwire {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn lists_every_endpoint_as_json() {
    let list: Vec<Value> =
        serde_json::from_str(&ocrwire(&["endpoints", "--output", "json"])).unwrap();
    assert_eq!(list.len(), ocrwire::wire::endpoints().count());
    let count = |family: &str| list.iter().filter(|e| e["family"] == family).count();
    assert_eq!(count("nhn-document-ocr-v2"), 5);
    assert_eq!(count("nhn-general-ocr-v1"), 2);
    assert_eq!(count("clova-document-ocr"), 6);
    assert_eq!(count("nhn-user-access-key-token"), 2);

    let card = list
        .iter()
        .find(|e| e["family"] == "nhn-document-ocr-v2" && e["name"] == "credit-card")
        .unwrap();
    assert_eq!(card["method"], "POST");
    assert_eq!(card["path"], "/appkeys/{appKey}/credit-card");
    assert_eq!(
        card["versions"][0]["path"],
        "/v2.0/appkeys/{appKey}/credit-card"
    );
    assert_eq!(card["versions"][0]["auth_header"], "Authorization");
    assert_eq!(
        card["versions"][1]["path"],
        "/v2.1/appkeys/{appKey}/credit-card"
    );
    assert_eq!(card["versions"][1]["auth_header"], "X-NHN-Authorization");
    assert_eq!(
        card["encrypted_request_fields"],
        serde_json::json!(["image"])
    );
    assert_eq!(
        card["encrypted_response_fields"],
        serde_json::json!(["cardNums[].value", "totalCardNum", "validThru.value"])
    );
    let codes: Vec<&str> = card["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"4000301"), "{codes:?}");

    let id_card = list
        .iter()
        .find(|e| e["family"] == "nhn-document-ocr-v2" && e["name"] == "id-card")
        .unwrap();
    assert_eq!(
        id_card["response_headers"],
        serde_json::json!(["Request-Key"])
    );
}

#[test]
fn agrees_with_the_generated_descriptors() {
    let list: Vec<Value> =
        serde_json::from_str(&ocrwire(&["endpoints", "--output", "json"])).unwrap();
    let from_spec: Vec<(String, String)> = ocrwire::wire::endpoints()
        .map(|(f, e)| (f.name.to_string(), e.name.to_string()))
        .collect();
    let from_cli: Vec<(String, String)> = list
        .iter()
        .map(|e| {
            (
                e["family"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(from_cli, from_spec);
}

#[test]
fn text_output_is_a_readable_summary() {
    let text = ocrwire(&["endpoints"]);
    assert!(
        text.contains(
            "NHN Cloud Document OCR API v2.0 and v2.1 (nhn-document-ocr-v2, 5 endpoints)"
        ),
        "{text}"
    );
    assert!(
        text.contains("encrypted response: cardNums[].value, totalCardNum, validThru.value"),
        "{text}"
    );
    assert!(
        text.contains("v2.1: paths under `/v2.1`, `X-NHN-Authorization` by user-access-key-token"),
        "{text}"
    );
    // The total follows the specs (a new family is a spec edit, and this
    // test must not need one too).
    let total = format!("{} endpoints", ocrwire::wire::endpoints().count());
    assert!(text.trim_end().ends_with(&total), "{text}");
}
