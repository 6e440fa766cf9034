//! `ocrwire decode`: saved answers, decoded offline as a call decodes them,
//! with the report and what the spec does not know in them.
#![cfg(feature = "cli")] // needs the binary

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli::{command, stdout};

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    command(args, env).output().expect("run ocrwire")
}

#[test]
fn a_saved_receipt_shows_its_report_and_that_nothing_is_unknown() {
    let receipt = fixture("recorded/clova-document-ocr/receipt/taean-hanaro-2024.json");
    let text = stdout(&run(&["decode", "clova", "receipt", &receipt], &[]));
    assert!(text.starts_with("Receipt ("), "{text}");
    assert!(text.contains("\n  item            "), "{text}");
    assert!(text.contains("The spec knows every member"), "{text}");
    // As typed: the answer, not the report.
    let json: Value = serde_json::from_str(&stdout(&run(
        &["decode", "clova", "receipt", &receipt, "--output", "json"],
        &[],
    )))
    .expect("JSON");
    let sub_total = &json["images"][0]["receipt"]["result"]["subTotal"];
    assert!(sub_total[0]["discountPrice"].is_array(), "{sub_total}");
}

/// A saved answer with a member the spec does not know and one in another
/// shape than the spec's.
fn drifting(dir: &Path) -> PathBuf {
    let path = dir.join("drifting.json");
    std::fs::write(
        &path,
        r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},
            "result":{"fileType":"png","cardNums":{"value":"1111"},"brandNew":1}}"#,
    )
    .unwrap();
    path
}

#[test]
fn drift_is_reported_and_fails_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = drifting(dir.path());
    let path = path.to_str().unwrap();
    let text = stdout(&run(&["decode", "nhn", "credit-card", path], &[]));
    assert!(text.contains("2 things the spec does not know"), "{text}");
    assert!(
        text.contains("`result.brandNew`: a member the spec does not list"),
        "{text}"
    );
    assert!(
        text.contains("`result.cardNums`: an object where the spec has a list (set aside)"),
        "{text}"
    );
    assert!(!text.contains("1111"), "values never show in drift: {text}");
    let failed = run(
        &["decode", "nhn", "credit-card", path],
        &[("OCRWIRE_DRIFT", "fail")],
    );
    assert_eq!(failed.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("result.cardNums"), "{stderr}");
}

#[test]
fn a_folder_of_answers_is_json_lines_with_their_drift() {
    let dir = tempfile::tempdir().unwrap();
    drifting(dir.path());
    std::fs::copy(
        fixture("nhn-document-ocr-v2/credit-card.response.json"),
        dir.path().join("doc-example.json"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an answer").unwrap();
    std::fs::write(
        dir.path().join("refused.json"),
        r#"{"header":{"isSuccessful":false,"resultCode":4000111,"resultMessage":"Credit card info not found."}}"#,
    )
    .unwrap();
    let out = run(
        &["decode", "nhn", "credit-card", dir.path().to_str().unwrap()],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "the refusal fails the batch");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3, "the text file is not an answer: {lines:?}");
    let by_name = |name: &str| {
        lines
            .iter()
            .find(|l| l["input"].as_str().is_some_and(|i| i.ends_with(name)))
            .unwrap_or_else(|| panic!("{name}: {lines:?}"))
    };
    let drifting = by_name("drifting.json");
    assert_eq!(drifting["ok"], true);
    let kinds: Vec<&str> = drifting["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unknown-member", "unexpected-shape"]);
    assert_eq!(by_name("doc-example.json")["ok"], true);
    assert!(by_name("doc-example.json").get("drift").is_none());
    assert_eq!(
        by_name("refused.json")["error"]["vendor"]["code"],
        "4000111"
    );
}

#[test]
fn an_unknown_endpoint_is_a_usage_error_that_lists_the_names() {
    let out = run(&["decode", "clova", "recipe", "x.json"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("has no endpoint `recipe`") && stderr.contains("receipt"),
        "{stderr}"
    );
    let out = run(
        &["decode", "clova", "receipt", "/nonexistent/answer.json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/answer.json"));
}
