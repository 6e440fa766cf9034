//! `ocrwire call`: any endpoint one image is sent to, by its spec name, with
//! the conventions of every command; the table of what it can call comes
//! from the registry.
#![cfg(feature = "cli")] // needs the binary

use std::path::Path;

use serde_json::Value;

use crate::support::cli::{command, stdout};

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> std::process::Output {
    command(args, &[]).output().expect("run ocrwire")
}

#[test]
fn one_image_gets_the_spec_report_and_json_gets_the_answer() {
    // Two NHN families have a `credit-card`; v1's yields the name (its
    // spec's `cli.yields_to`), so `nhn credit-card` means what it meant.
    let text = stdout(&run(&[
        "call",
        "nhn",
        "credit-card",
        &example("card.png"),
        "--mock",
    ]));
    assert!(text.starts_with("Credit card ("), "{text}");
    assert!(text.contains("1111 22** **** 4444"), "masked: {text}");
    let clova: Value = serde_json::from_str(&stdout(&run(&[
        "call",
        "clova",
        "passport",
        &example("passport.png"),
        "--mock",
        "--json-body",
        "--output",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(clova["images"][0]["inferResult"], "SUCCESS", "{clova}");
    // An endpoint only a flag of `nhn general` reached, now by name, and by URL.
    let sliced: Value = serde_json::from_str(&stdout(&run(&[
        "call",
        "nhn",
        "general-cropping",
        "https://example.com/long.png",
        "--mock",
        "--output",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(sliced["slicesImages"], 1, "{sliced}");
}

#[test]
fn a_folder_is_a_batch_of_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png", "c.png"] {
        std::fs::copy(example("text.png"), dir.path().join(name)).unwrap();
    }
    let dir_arg = dir.path().display().to_string();
    let out = run(&["call", "nhn", "general", &dir_arg, "--mock", "--jobs", "2"]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["ok"] == true), "{lines:?}");
}

#[test]
fn what_it_cannot_send_is_a_usage_error_naming_it() {
    for (args, says) in [
        (
            vec!["call", "nhn", "public-key", "x", "--mock"],
            "`public-key` takes no image or named inputs",
        ),
        (
            vec!["call", "nhn", "id-card-authenticity", "x", "--mock"],
            "takes no image or named inputs",
        ),
        (vec!["call", "nhn", "recipe", "x"], "recipe"),
        (
            // Only an endpoint with a URL body takes a URL; here it is a path.
            vec![
                "call",
                "nhn-document-ocr-v2",
                "credit-card",
                "https://example.com/a.png",
                "--mock",
            ],
            "cannot read image `https://example.com/a.png`",
        ),
    ] {
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn annotate_draws_what_the_spec_marks_as_outlines() {
    let dir = tempfile::tempdir().unwrap();
    let picture = dir.path().join("card.png");
    let out = run(&[
        "call",
        "nhn-document-ocr-v1",
        "credit-card",
        &example("card.png"),
        "--mock",
        "--annotate",
        &picture.display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // Four number groups and the expiry: the example's `BoundingBox`es.
    assert!(stderr.contains("(5 boxes)"), "{stderr}");
    let drawn = image::open(&picture).unwrap();
    assert!(drawn.width() > 0);
    // Nothing to draw on: a usage mistake, before anything is sent.
    let out = run(&[
        "nhn",
        "business-status",
        "1234567890",
        "--mock",
        "--annotate",
        &dir.path().join("x.png").display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
