//! `ocrwire serve`, run as the real binary: it prints working URLs and
//! credentials, and applies fault flags.

#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::support::emulator::{http, json_of};
use ocrwire::wire::nhn_document_ocr_v2 as doc;

/// The server process, killed however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ocrwire serve --port 0 <args>` and reads its banner up to the
/// "Press Ctrl-C" line; returns the banner's `label: value` pairs.
fn serve(args: &[&str]) -> (Server, Vec<(String, String)>) {
    let child = Command::new(env!("CARGO_BIN_EXE_ocrwire"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ocrwire runs");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().unwrap();
    let mut fields = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("Press Ctrl-C") {
            return (server, fields);
        }
        if let Some((label, value)) = line.trim().split_once(":  ") {
            fields.push((label.trim().to_owned(), value.trim().to_owned()));
        }
    }
    panic!("ocrwire serve ended before printing its banner: {fields:?}");
}

fn field<'a>(fields: &'a [(String, String)], label: &str) -> &'a str {
    &fields
        .iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no {label}: {fields:?}"))
        .1
}

#[tokio::test]
async fn serve_prints_working_urls_and_credentials() {
    let (_server, fields) = serve(&[]);
    let base = field(&fields, "NHN base URL");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let path = doc::PUBLIC_KEY.render_path(|p| match p.value {
        ocrwire::descriptor::ParamValue::AppKey => Some(field(&fields, "NHN app key").to_owned()),
        ocrwire::descriptor::ParamValue::Argument => Some("credit-card".to_owned()),
    });
    let response = http()
        .get(format!("{base}{}{path}", doc::V2_0.path_prefix))
        .header("Authorization", field(&fields, "NHN secret key"))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    assert_eq!(
        (status, &body["header"]["isSuccessful"]),
        (200, &serde_json::json!(true)),
        "{body}"
    );

    let invoke = field(&fields, "CLOVA invoke URL");
    assert!(
        invoke.starts_with(base) && invoke.contains("/custom/v1/"),
        "{invoke}"
    );
    let response = http()
        .post(format!("{invoke}/document/receipt"))
        .header("X-OCR-SECRET", field(&fields, "CLOVA secret"))
        .json(&serde_json::json!({"version": "V1", "requestId": "r", "timestamp": 0, "images": []}))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    // The secret was accepted: the failure is about the version.
    assert_eq!(
        (status, &body["code"]),
        (400, &serde_json::json!("0021")),
        "{body}"
    );
}

#[tokio::test]
async fn serve_applies_fault_flags() {
    let (_server, fields) = serve(&["--rate-limit-every", "1", "--latency-ms", "10"]);
    assert_eq!(
        field(&fields, "faults"),
        "rate limit every call, 10 ms latency"
    );
    let base = field(&fields, "NHN base URL");
    let response = http()
        .get(format!("{base}/v2.0/appkeys/any/public-keys/id-card"))
        .send()
        .await
        .unwrap();
    let (_, _, body) = json_of(response).await;
    assert_eq!(body["header"]["resultCode"], 4000006);
}

#[tokio::test]
async fn serve_applies_a_rate_limit() {
    let (_server, fields) = serve(&["--rate-limit-per-sec", "2"]);
    assert_eq!(field(&fields, "faults"), "rate limit of 2 calls per second");
    let base = field(&fields, "NHN base URL");
    let path = doc::PUBLIC_KEY.render_path(|p| match p.value {
        ocrwire::descriptor::ParamValue::AppKey => Some(field(&fields, "NHN app key").to_owned()),
        ocrwire::descriptor::ParamValue::Argument => Some("credit-card".to_owned()),
    });
    let mut codes = Vec::new();
    for _ in 0..3 {
        let response = http()
            .get(format!("{base}{}{path}", doc::V2_0.path_prefix))
            .header("Authorization", field(&fields, "NHN secret key"))
            .send()
            .await
            .unwrap();
        let (_, _, body) = json_of(response).await;
        codes.push(body["header"]["resultCode"].as_i64().unwrap_or_default());
    }
    assert_eq!(
        codes,
        [0, 0, 4000006],
        "the third call within a second is refused"
    );
}

/// The CLOVA domain's settings: with its table option off, a call asking
/// for tables gets 0028; a Template call matches a released template, and
/// one naming none of them gets 1021.
#[tokio::test]
async fn serve_applies_the_clova_domain_settings() {
    use crate::support::cli::{example, run};
    let (_server, fields) = serve(&["--clova-tables-off", "--clova-templates", "7,9"]);
    assert_eq!(
        field(&fields, "CLOVA domain"),
        "tables off, templates 7, 9 released"
    );
    let (invoke, secret) = (
        field(&fields, "CLOVA invoke URL"),
        field(&fields, "CLOVA secret"),
    );
    let image = example("text.png");
    let general = [
        ("CLOVA_GENERAL_OCR_INVOKE_URL", invoke),
        ("CLOVA_GENERAL_OCR_SECRET", secret),
    ];
    let out = run(&["clova", "general", &image, "--tables"], &general).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("0028"), "{stderr}");
    let out = run(&["clova", "general", &image], &general).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let template = [
        ("CLOVA_TEMPLATE_OCR_INVOKE_URL", invoke),
        ("CLOVA_TEMPLATE_OCR_SECRET", secret),
    ];
    let args = |id| {
        [
            "clova",
            "template",
            &image,
            "--template-id",
            id,
            "--output",
            "json",
        ]
    };
    let out = run(&args("3"), &template).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("1021"), "{stderr}");
    let out = run(&args("9"), &template).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        answer["images"][0]["matchedTemplate"]["id"],
        serde_json::json!(9),
        "{answer}"
    );
}

/// `--mock` reads the CLOVA domain's variables as `serve` does.
#[tokio::test]
async fn mock_reads_the_clova_domain_variables() {
    use crate::support::cli::{example, run};
    let image = example("text.png");
    let out = run(
        &["clova", "general", &image, "--tables", "--mock"],
        &[("OCRWIRE_EMULATOR_CLOVA_TABLES_OFF", "true")],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("0028"), "{stderr}");
    let out = run(
        &["clova", "general", &image, "--mock"],
        &[("OCRWIRE_EMULATOR_CLOVA_TEMPLATES", "one")],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("OCRWIRE_EMULATOR_CLOVA_TEMPLATES"),
        "{stderr}"
    );
}
