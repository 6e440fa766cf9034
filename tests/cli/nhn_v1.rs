//! NHN Document OCR v1.x and Document AI v1.x from the command line, with
//! no command written for them: `ocrwire nhn <endpoint>` (and `ocrwire
//! call`) reach every endpoint of the specs, with the batch conventions.
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

fn lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn each_new_endpoint_answers_one_input_with_its_report() {
    let business = stdout(&run(&["nhn", "business", &example("text.png"), "--mock"]));
    assert!(
        business.starts_with("Business registration ("),
        "{business}"
    );
    assert!(business.contains("등록번호"), "{business}");
    let status = stdout(&run(&["nhn", "business-status", "1234567890", "--mock"]));
    assert!(
        status.starts_with("Business status (1234567890)"),
        "{status}"
    );
    // The status in words, from the spec's enum.
    assert!(
        status.contains("00 (Registered but not carrying on any business)"),
        "{status}"
    );
    let ai = stdout(&run(&[
        "nhn",
        "document-ai",
        &example("text.png"),
        "--prompt",
        "Summarize",
        "--document-type-code",
        "GENERAL",
        "--mock",
    ]));
    assert!(ai.starts_with("Document AI ("), "{ai}");
    assert!(ai.contains("lorem ipsum"), "{ai}");
    let card = stdout(&run(&[
        "call",
        "nhn-document-ocr-v1",
        "credit-card",
        &example("card.png"),
        "--mock",
    ]));
    assert!(card.starts_with("Credit card ("), "{card}");
    assert!(card.contains("******"), "masked: {card}");
    // A family's name is a group of its own.
    let same = stdout(&run(&[
        "nhn-document-ocr-v1",
        "credit-card",
        &example("card.png"),
        "--mock",
    ]));
    assert_eq!(same, card);
}

#[test]
fn batches_are_json_lines_for_images_and_for_values() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png"] {
        std::fs::copy(example("text.png"), dir.path().join(name)).unwrap();
    }
    let dir_arg = dir.path().display().to_string();
    let out = run(&["nhn", "business", &dir_arg, "--mock", "--output", "jsonl"]);
    let read = lines(&out);
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(
        read.iter()
            .all(|l| l["ok"] == true && l["result"]["keyValues"].is_array())
    );

    let out = run(&[
        "nhn",
        "document-ai",
        &dir_arg,
        "--prompt=Summarize",
        "--mock",
        "--jobs",
        "2",
    ]);
    let read = lines(&out);
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(read.iter().all(|l| l["result"]["llmResponse"].is_string()));

    // Business numbers: one line each, a malformed one failing alone.
    let out = run(&[
        "nhn",
        "business-status",
        "1234567890",
        "123-45-67890",
        "2345678901",
        "--mock",
    ]);
    assert_eq!(out.status.code(), Some(1), "one input failed");
    let read: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(read.len(), 3, "{read:?}");
    let failed: Vec<&Value> = read.iter().filter(|l| l["ok"] == false).collect();
    assert_eq!(failed.len(), 1, "{read:?}");
    assert_eq!(failed[0]["input"], "123-45-67890");
    assert!(
        failed[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("businessNumber"),
        "{failed:?}"
    );

    // `-`: one value per line of standard input.
    let mut child = command(&["nhn", "business-status", "-", "--mock"], &[])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"1234567890\n\n2345678901\n")
        .unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(lines(&out).len(), 2);
}

#[test]
fn usage_mistakes_are_told_before_anything_is_sent() {
    for (args, says) in [
        (
            vec!["nhn", "document-ai", "x.png", "--mock"],
            "needs `prompt`",
        ),
        (
            vec![
                "nhn",
                "document-ai",
                "x.png",
                "--field",
                "question=hi",
                "--mock",
            ],
            "`question` is not an input",
        ),
        (
            vec!["nhn", "no-such-endpoint", "x"],
            "has no endpoint `no-such-endpoint`",
        ),
    ] {
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    // An input out of its checked form fails before sending (exit 1).
    let long = "가".repeat(1001);
    let out = run(&[
        "nhn",
        "document-ai",
        &example("text.png"),
        "--prompt",
        &long,
        "--mock",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("`prompt`: must be 1 to 1000 characters"),
        "{stderr}"
    );
}
