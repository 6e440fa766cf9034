//! `ocrwire nhn general ...` as a user runs it: the real binary, with
//! `--mock`, and configured from the environment against a recording
//! server.
#![cfg(feature = "cli")] // needs the binary

use crate::support::cli::{example, stdout};
use std::process::Output;

use crate::support::general::{APP_KEY, GeneralServer, SECRET_KEY};
use serde_json::Value;

/// Runs `ocrwire ARGS` with only `env` set.
async fn ocrwire(args: &[&str], env: &[(&str, &str)]) -> Output {
    crate::support::cli::run(args, env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_and_urls_with_mock() {
    let text = stdout(&ocrwire(&["nhn", "general", &example("text.png"), "--mock"], &[]).await);
    assert!(text.starts_with("General OCR ("), "{text}");
    // Each text with its confidence and four corners: `word  (0.97)  [x,y x,y x,y x,y]`.
    let first = text.lines().nth(1).expect("a text").trim();
    let (word, rest) = first.split_once("  (").expect("a confidence");
    assert!(!word.is_empty() && rest.contains(")  ["), "{text}");
    assert_eq!(
        rest.split(' ').filter(|p| p.contains(',')).count(),
        4,
        "{text}"
    );

    let text = stdout(
        &ocrwire(
            &[
                "nhn",
                "general",
                &example("long-text.png"),
                "--cropping",
                "--mock",
            ],
            &[],
        )
        .await,
    );
    assert!(text.contains("cut into 4 slices"), "{text}");

    let text = stdout(
        &ocrwire(
            &[
                "nhn",
                "general",
                "https://example.com/a.png?sig=secret",
                "--mock",
            ],
            &[],
        )
        .await,
    );
    // The spec's report, as `ocrwire call` shows it: the title, each
    // text, then how many there were.
    assert!(
        text.starts_with("General OCR (https://example.com/a.png)\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.trim_end().ends_with("(3 texts)"), "{text}");

    let json: Value = serde_json::from_str(&stdout(
        &ocrwire(
            &[
                "nhn",
                "general",
                &example("text.png"),
                "--cropping",
                "--mock",
                "--output",
                "json",
            ],
            &[],
        )
        .await,
    ))
    .expect("JSON");
    // The same image reads the same with cropping.
    assert_eq!(json["listOfInferTexts"][0]["inferTexts"][0]["value"], word);
    assert!(json["slicesImages"].is_i64());

    let output = ocrwire(
        &["nhn", "general", "https://example.com:8080/a.png", "--mock"],
        &[],
    )
    .await;
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("names port 8080"),
        "{output:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_configures_the_client() {
    let server = GeneralServer::start().await;
    let env = [
        ("NHN_OCR_APP_KEY", APP_KEY),
        ("NHN_OCR_SECRET_KEY", SECRET_KEY),
        ("NHN_OCR_BASE_URL", server.base_url.as_str()),
    ];
    stdout(&ocrwire(&["nhn", "general", &example("text.png")], &env).await);
    let seen = server.last();
    assert_eq!(
        (seen.endpoint.as_str(), seen.app_key.as_str()),
        ("general", APP_KEY)
    );
    assert_eq!(seen.header("authorization"), Some(SECRET_KEY));
    assert_eq!(seen.parts.len(), 1);
    assert_eq!(seen.parts[0].name, "image");

    let url = "https://example.com/example.jpg";
    stdout(&ocrwire(&["nhn", "general", url, "--cropping"], &env).await);
    let seen = server.last();
    assert_eq!(seen.endpoint, "general/cropping");
    assert_eq!(seen.json, Some(serde_json::json!({ "imageUrl": url })));

    server.reply_next(
        r#"{"header":{"isSuccessful":false,"resultCode":4000003,"resultMessage":"Invalid file type."}}"#,
    );
    let output = ocrwire(&["nhn", "general", url], &env).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("4000003 (InvalidFileType)"), "{stderr}");
    assert!(!stderr.contains(SECRET_KEY), "{stderr}");

    let output = ocrwire(&["nhn", "general", url], &[]).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("NHN_OCR_APP_KEY is not set"));

    // OCRWIRE_DRIFT sets the drift mode: `fail` refuses an answer with a
    // member the spec lacks, a typo is refused before any call.
    server.reply_next(
        r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"fileType":"jpg","pages":1}}"#,
    );
    let failing = [env.as_slice(), &[("OCRWIRE_DRIFT", "fail")]].concat();
    let output = ocrwire(&["nhn", "general", url], &failing).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("`result.pages`: a member the spec does not list"),
        "{stderr}"
    );
    let typo = [env.as_slice(), &[("OCRWIRE_DRIFT", "strict")]].concat();
    let output = ocrwire(&["nhn", "general", url], &typo).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("OCRWIRE_DRIFT must be fail, warn or ignore"),
        "{stderr}"
    );
}

/// What a hostile server sends reaches the terminal with every control
/// sequence written visibly: text output and error messages alike. JSON
/// output keeps the exact text (JSON escapes controls itself).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminal_controls_from_the_server_never_reach_the_terminal() {
    let server = GeneralServer::start().await;
    let env = [
        ("NHN_OCR_APP_KEY", APP_KEY),
        ("NHN_OCR_SECRET_KEY", SECRET_KEY),
        ("NHN_OCR_BASE_URL", server.base_url.as_str()),
    ];
    // Clipboard write (OSC 52), a C1 CSI, a bidi override, a BEL.
    let hostile = "\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}2J owned \u{202e}txt.exe";
    let answer = serde_json::json!({
        "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
        "result": {"fileType": "png", "listOfInferTexts": [{"inferTexts": [{"value": hostile, "conf": 0.9}]}]},
    });
    let terminal_unsafe = |text: &str| {
        text.chars()
            .any(|c| c != '\n' && c != '\t' && ocrwire::text::is_unsafe_for_terminal(c))
    };

    server.reply_next(answer.to_string());
    let out = stdout(&ocrwire(&["nhn", "general", &example("text.png")], &env).await);
    assert!(!terminal_unsafe(&out), "{out:?}");
    assert!(
        out.contains("\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{9b}2J owned \\u{202e}txt.exe"),
        "{out}"
    );

    server.reply_next(answer.to_string());
    let json = stdout(
        &ocrwire(
            &["nhn", "general", &example("text.png"), "--output", "json"],
            &env,
        )
        .await,
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["listOfInferTexts"][0]["inferTexts"][0]["value"], hostile,
        "exact"
    );
    assert!(
        !json.contains('\u{1b}') && !json.contains('\u{7}'),
        "{json:?}"
    );

    server.reply_next(
        serde_json::json!({"header": {"isSuccessful": false, "resultCode": 4000001, "resultMessage": hostile}})
            .to_string(),
    );
    let output = ocrwire(&["nhn", "general", &example("text.png")], &env).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(!terminal_unsafe(&stderr), "{stderr:?}");
    assert!(stderr.contains("4000001"), "{stderr}");
}
