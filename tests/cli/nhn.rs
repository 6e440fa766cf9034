//! `ocrwire nhn ...` as a user runs it: the real binary, credentials from
//! the environment, against the emulator on 127.0.0.1.
#![cfg(feature = "cli")] // needs the binary

use crate::support::cli::{example, stdout};
use std::process::Output;

use ocrwire::emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

/// Runs `ocrwire ARGS` with the emulator's URL and credentials.
async fn ocrwire(emulator: &Emulator, args: &[&str]) -> Output {
    let credentials = emulator.credentials();
    let base_url = emulator.nhn_base_url();
    let env = [
        ("NHN_OCR_BASE_URL", base_url.as_str()),
        ("NHN_OCR_APP_KEY", credentials.nhn_app_key.as_str()),
        ("NHN_OCR_SECRET_KEY", credentials.nhn_secret_key.expose()),
    ];
    crate::support::cli::run(args, &env).await
}

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_card_summary_masks_and_json_does_not() {
    let emulator = emulator().await;
    let card = example("card.png");

    let text = stdout(&ocrwire(&emulator, &["nhn", "credit-card", &card]).await);
    assert!(text.contains("number      1111 22** **** 4444"), "{text}");
    assert!(text.contains("valid thru  "), "{text}");
    assert!(
        text.contains("--reveal"),
        "the summary says it masks: {text}"
    );

    let revealed = stdout(&ocrwire(&emulator, &["nhn", "credit-card", &card, "--reveal"]).await);
    assert!(revealed.contains("1111 2222 3333 4444"), "{revealed}");

    let json: Value = serde_json::from_str(&stdout(
        &ocrwire(
            &emulator,
            &["nhn", "credit-card", &card, "--output", "json"],
        )
        .await,
    ))
    .expect("JSON");
    assert_eq!(json["totalCardNum"], "1111222233334444");
    assert_eq!(json["cardNums"][1]["value"], "2222");
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_card_with_verify_checks_authenticity() {
    let emulator = emulator().await;
    let id = example("id-card.png");

    let text = stdout(&ocrwire(&emulator, &["nhn", "id-card", &id, "--verify"]).await);
    assert!(text.starts_with("ID card: resident"), "{text}");
    assert!(text.contains("residentNumber"), "{text}");
    assert!(text.contains("Authenticity: genuine"), "{text}");

    let json: Value = serde_json::from_str(&stdout(
        &ocrwire(
            &emulator,
            &["nhn", "id-card", &id, "--verify", "--output", "json"],
        )
        .await,
    ))
    .expect("JSON");
    assert_eq!(json["id-card"]["idType"], "resident");
    assert_eq!(json["id-card-authenticity"]["isAuthenticity"], true);

    let driver = stdout(
        &ocrwire(
            &emulator,
            &["nhn", "id-card", &example("driver-license.png"), "--verify"],
        )
        .await,
    );
    assert!(driver.contains("Authenticity: genuine"), "{driver}");

    let alone = stdout(&ocrwire(&emulator, &["nhn", "id-card", &id, "--stand-alone"]).await);
    assert!(
        alone.starts_with("ID card: resident") && !alone.contains("Request-Key"),
        "{alone}"
    );
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_explained() {
    let emulator = emulator().await;
    let id = example("id-card.png");

    let conflict = ocrwire(
        &emulator,
        &["nhn", "id-card", &id, "--stand-alone", "--verify"],
    )
    .await;
    assert!(!conflict.status.success());
    assert!(String::from_utf8_lossy(&conflict.stderr).contains("cannot be used with"));

    let passport = ocrwire(
        &emulator,
        &["nhn", "id-card", &example("passport.png"), "--verify"],
    )
    .await;
    let stderr = String::from_utf8_lossy(&passport.stderr);
    assert!(!passport.status.success());
    assert!(stderr.contains("no Request-Key"), "{stderr}");

    let gif = ocrwire(
        &emulator,
        &["nhn", "credit-card", &example("not-an-image.gif")],
    )
    .await;
    let stderr = String::from_utf8_lossy(&gif.stderr);
    assert!(!gif.status.success());
    assert!(
        stderr.contains("not-an-image.gif"),
        "the file is named: {stderr}"
    );

    let missing = crate::support::cli::command(&["nhn", "credit-card", &example("card.png")], &[])
        .output()
        .expect("run ocrwire");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("NHN_OCR_APP_KEY"));
    emulator.shutdown().await.unwrap();
}

#[test]
fn mock_needs_no_credentials_or_network() {
    // A base URL that would fail if used (TEST-NET-1, never routed): --mock
    // must not need it, nor any credentials.
    let image = example("id-card.png");
    let output = crate::support::cli::command(
        &["nhn", "id-card", &image, "--mock", "--verify"],
        &[("NHN_OCR_BASE_URL", "http://192.0.2.1:9")],
    )
    .output()
    .expect("run ocrwire");
    let text = stdout(&output);
    assert!(text.starts_with("ID card: resident"), "{text}");
    assert!(text.contains("Authenticity: genuine"), "{text}");
}
