//! `ocrwire clova ...` as a user runs it: the real binary, with `--mock`,
//! and configured from the environment against a recording server.
#![cfg(feature = "cli")] // needs the binary

use crate::support::cli::{example, stdout};
use std::process::Output;

use crate::support::clova::{ClovaServer, SECRET};
use serde_json::Value;

/// Runs `ocrwire ARGS` with only `env` set.
async fn ocrwire(args: &[&str], env: &[(&str, &str)]) -> Output {
    crate::support::cli::run(args, env).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_document_type_with_mock() {
    for (document, image, expect) in [
        ("receipt", "receipt.jpg", "store           emart everyday"),
        (
            "credit-card",
            "card.png",
            "number          530712******9012",
        ),
        ("name-card", "card.png", "company         Woori Bank"),
        ("biz-license", "card.png", "register no.    611-01-99810"),
        (
            "id-card",
            "id-card.png",
            "ID card: resident registration card",
        ),
        ("id-card", "driver-license.png", "ID card: driver's licence"),
        ("passport", "passport.png", "surname         GILSOON"),
    ] {
        let image = example(image);
        for extra in [&[][..], &["--json-body"][..]] {
            let mut args = vec!["clova", document, &image, "--mock"];
            args.extend_from_slice(extra);
            let text = stdout(&ocrwire(&args, &[]).await);
            assert!(text.contains(expect), "{document} {extra:?}: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_mask_and_json_is_the_api_response() {
    let card = example("card.png");
    let text = stdout(&ocrwire(&["clova", "credit-card", &card, "--mock"], &[]).await);
    assert!(!text.contains("5307123456749012"), "{text}");
    assert!(text.contains("--reveal"), "{text}");
    let revealed =
        stdout(&ocrwire(&["clova", "credit-card", &card, "--mock", "--reveal"], &[]).await);
    assert!(revealed.contains("5307123456749012"), "{revealed}");

    let receipt = example("receipt.jpg");
    let json: Value = serde_json::from_str(&stdout(
        &ocrwire(
            &["clova", "receipt", &receipt, "--mock", "--output", "json"],
            &[],
        )
        .await,
    ))
    .expect("JSON");
    assert_eq!(json["version"], "V2");
    assert_eq!(json["images"][0]["inferResult"], "SUCCESS");
    assert_eq!(
        json["images"][0]["receipt"]["result"]["storeInfo"]["name"]["text"],
        "emart everyday"
    );
    assert_eq!(
        json["images"][0]["validationResult"]["result"],
        "NO_REQUESTED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_image_fails_loudly() {
    let image = example("unreadable.png");
    let output = ocrwire(&["clova", "receipt", &image, "--mock"], &[]).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("receipt: the service could not read the image (inferResult FAILURE)"),
        "{stderr}"
    );
    // With --output json the API's answer is printed too.
    let output = ocrwire(
        &["clova", "receipt", &image, "--mock", "--output", "json"],
        &[],
    )
    .await;
    assert!(!output.status.success());
    let json: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["images"][0]["inferResult"], "FAILURE");

    let output = ocrwire(&["clova", "receipt", &example("card.png")], &[]).await;
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("set CLOVA_OCR_INVOKE_URL"),
        "{output:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_environment_configures_the_domain_and_json_body_the_encoding() {
    let server = ClovaServer::start().await;
    let url = server.invoke_url();
    let env = [
        ("CLOVA_OCR_INVOKE_URL", url.as_str()),
        ("CLOVA_OCR_SECRET", SECRET),
    ];
    let image = example("receipt.jpg");

    stdout(&ocrwire(&["clova", "receipt", &image], &env).await);
    let seen = server.last();
    assert_eq!(seen.endpoint_path, "/document/receipt");
    assert_eq!(seen.header("x-ocr-secret"), Some(SECRET));
    let names: Vec<&str> = seen.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["message", "file"]);

    stdout(&ocrwire(&["clova", "id-card", &image, "--json-body"], &env).await);
    let seen = server.last();
    assert_eq!(seen.endpoint_path, "/document/id-card");
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert!(seen.parts.is_empty());
    assert!(seen.json.unwrap()["images"][0]["data"].is_string());

    // A vendor error names the code and what the spec says it means.
    server.reply_next(
        401,
        r#"{"code":"0002","message":"Secret key validity test failed.","path":"/x","timestamp":1}"#,
    );
    let output = ocrwire(&["clova", "receipt", &image], &env).await;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the service answered 0002 (SecretKeyValidationFailed)"),
        "{stderr}"
    );
    assert!(stderr.contains("meaning: "), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn general_prints_the_text_in_reading_order_and_template_its_fields() {
    let out = ocrwire(&["clova", "general", &example("text.png"), "--mock"], &[]).await;
    let text = stdout(&out);
    // The example's words, joined into its two lines.
    assert!(
        text.contains("\n  오늘의 메뉴\n  Lemon tea 3,500\n"),
        "{text}"
    );
    let out = ocrwire(
        &[
            "clova",
            "template",
            &example("text.png"),
            "--template-id",
            "3",
            "--mock",
        ],
        &[],
    )
    .await;
    let text = stdout(&out);
    assert!(text.starts_with("Template OCR ("), "{text}");
    assert!(text.contains("template        sample order form"), "{text}");

    // Batches: one JSON line per image, the whole answer in each.
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png"] {
        std::fs::copy(example("text.png"), dir.path().join(name)).unwrap();
    }
    let folder = dir.path().display().to_string();
    for kind in ["general", "template"] {
        let out = ocrwire(
            &[
                "clova", kind, &folder, "--mock", "--output", "jsonl", "--lang", "ko",
            ],
            &[],
        )
        .await;
        let lines: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{kind}");
        assert!(
            lines
                .iter()
                .all(|l| l["result"]["images"][0]["fields"].is_array()),
            "{kind}: {lines:?}"
        );
    }
    // Options belong to the commands that take them.
    let out = ocrwire(
        &[
            "clova",
            "receipt",
            &example("receipt.jpg"),
            "--tables",
            "--mock",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let out = ocrwire(
        &[
            "clova",
            "general",
            &example("text.png"),
            "--template-id",
            "1",
            "--mock",
        ],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}
