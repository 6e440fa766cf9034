//! The NHN General OCR v1.0 client over real HTTP on 127.0.0.1: against a
//! server that records the wire (`tests/support/general.rs`) and
//! answers with the docs' example bodies, and against the built-in emulator.
#![cfg(feature = "emulator")] // needs axum test servers and the emulator

use crate::support::example;
use crate::support::general::{APP_KEY, GeneralServer, SECRET_KEY, Seen, fixture};
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::error::{InvalidInput, VendorErrorCode};
use ocrwire::nhn::{GeneralClient, ImageSource};
use ocrwire::wire::nhn_general_ocr_v1::{self as general, ErrorCode};
use ocrwire::{Error, Image};
use serde_json::{Value, json};

/// One attempt per call, so each scripted answer is the one the call gets.
fn client(server: &GeneralServer) -> GeneralClient {
    GeneralClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(&server.base_url)
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .build()
        .expect("client")
}

fn fixture_result(name: &str) -> Value {
    let body: Value = serde_json::from_str(&fixture(name)).unwrap();
    body["result"].clone()
}

/// What 003 prescribes for every call: the app key in the path and the
/// secret key as the whole `Authorization` value.
fn assert_authenticated(seen: &Seen, endpoint: &str) {
    assert_eq!(seen.endpoint, endpoint);
    assert_eq!(seen.app_key, APP_KEY);
    assert_eq!(seen.header("authorization"), Some(SECRET_KEY));
}

fn assert_upload(seen: &Seen, image: &Image) {
    let content_type = seen.header("content-type").unwrap_or("");
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let names: Vec<&str> = seen.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["image"]);
    let part = &seen.parts[0];
    assert_eq!(part.bytes, image.bytes());
    assert_eq!(
        part.content_type.as_deref(),
        Some(image.format().mime_type())
    );
    assert!(part.file_name.is_some());
    assert!(seen.json.is_none());
}

fn assert_url_body(seen: &Seen, url: &str) {
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert!(seen.parts.is_empty());
    assert_eq!(seen.json, Some(json!({ "imageUrl": url })));
}

#[tokio::test]
async fn both_endpoints_with_a_file_and_a_url_as_the_docs_prescribe() {
    let server = GeneralServer::start().await;
    let client = client(&server);
    let image = example("text.png");
    // 003's own request example.
    let request: Value = serde_json::from_str(&fixture("general.request.json")).unwrap();
    let url = request["imageUrl"].as_str().unwrap().to_string();

    let result = client.general(&image).await.unwrap();
    assert_authenticated(&server.last(), "general");
    assert_upload(&server.last(), &image);
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        fixture_result("general.response.json")
    );

    let result = client.general(ImageSource::Url(&url)).await.unwrap();
    assert_authenticated(&server.last(), "general");
    assert_url_body(&server.last(), &url);
    assert_eq!(server.last().json, Some(request));
    assert_eq!(
        serde_json::to_value(&result).unwrap(),
        fixture_result("general.response.json")
    );

    let cropped = client.general_cropping(&image).await.unwrap();
    assert_authenticated(&server.last(), "general/cropping");
    assert_upload(&server.last(), &image);
    assert_eq!(
        serde_json::to_value(&cropped).unwrap(),
        fixture_result("general-cropping.response.json")
    );
    assert!(cropped.slices_images.is_some());

    let request: Value = serde_json::from_str(&fixture("general-cropping.request.json")).unwrap();
    let url = request["imageUrl"].as_str().unwrap();
    let cropped = client
        .general_cropping(ImageSource::Url(url))
        .await
        .unwrap();
    assert_authenticated(&server.last(), "general/cropping");
    assert_eq!(server.last().json, Some(request.clone()));
    assert_eq!(
        cropped.slices_images,
        fixture_result("general-cropping.response.json")["slicesImages"].as_i64()
    );
}

#[tokio::test]
async fn lines_pair_texts_with_their_boxes() {
    let server = GeneralServer::start().await;
    let result = client(&server).general(&example("text.png")).await.unwrap();
    type Corners = [(i64, i64); 4];
    let lines: Vec<(usize, String, Option<f64>, Option<Corners>)> = result
        .lines()
        .map(|l| {
            (
                l.group,
                l.text.map(|t| t.expose().to_string()).unwrap_or_default(),
                l.confidence,
                l.bounding_box.and_then(|b| b.corners()),
            )
        })
        .collect();
    // The docs' example sends one box for three texts.
    assert_eq!(
        lines,
        [
            (
                0,
                "stella".into(),
                Some(0.99),
                Some([(32, 23), (65, 23), (65, 35), (32, 35)])
            ),
            (0, "artois".into(), Some(0.98), None),
            (1, "belgium".into(), Some(0.99), None),
        ]
    );
    assert!(!format!("{result:?}").contains("stella"));
}

#[tokio::test]
async fn every_documented_code_is_a_typed_vendor_error() {
    let server = GeneralServer::start().await;
    let client = client(&server);
    let image = example("text.png");
    for info in general::FAMILY.errors {
        let code: i64 = info.code.parse().unwrap();
        server.reply_next(
            json!({"header": {"isSuccessful": false, "resultCode": code, "resultMessage": info.message}})
                .to_string(),
        );
        let e = client.general(&image).await.unwrap_err();
        let vendor = e.vendor().unwrap_or_else(|| panic!("{code}: {e:?}"));
        assert_eq!(
            vendor.code,
            VendorErrorCode::NhnGeneralOcrV1(ErrorCode::from_code(code))
        );
        assert_eq!(vendor.info().map(|i| i.name), Some(info.name));
        assert_eq!(vendor.is_retryable(), info.retryable);
        assert_eq!(vendor.http_status, 200);
        assert!(!e.to_string().contains(SECRET_KEY) && !e.to_string().contains(APP_KEY));
    }
    // The docs' generic failure example.
    server.reply_next(fixture("common.error.json"));
    let e = client.general_cropping(&image).await.unwrap_err();
    assert_eq!(
        e.vendor().map(|v| &v.code),
        Some(&VendorErrorCode::NhnGeneralOcrV1(ErrorCode::UnknownError))
    );
    // The docs' generic success example (an empty result) decodes.
    server.reply_next(fixture("common.response.json"));
    let empty = client.general(&image).await.unwrap();
    assert_eq!(empty.lines().count(), 0);
    // A member of a shape the spec does not take is set aside and named;
    // the rest of the reading stays.
    server.reply_next(
        r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"listOfInferTexts":[{"inferTexts":[{"conf":"high","value":"a"}]}]}}"#,
    );
    // (Warn, whatever OCRWIRE_DRIFT says: this answer has drift on purpose.)
    let warn = GeneralClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(&server.base_url)
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .drift(ocrwire::wire::drift::DriftMode::Warn)
        .build()
        .unwrap();
    let answer = warn.general(&image).await.unwrap();
    let paths: Vec<&str> = answer.drift().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["result.listOfInferTexts[0].inferTexts[0].conf"]);
    assert_eq!(
        answer
            .lines()
            .next()
            .and_then(|l| l.text)
            .map(|t| t.expose()),
        Some("a")
    );
}

#[tokio::test]
async fn unusable_urls_and_files_are_refused_before_sending() {
    let server = GeneralServer::start().await;
    let client = client(&server);
    for (url, problem) in [
        (
            "https://example.com:8443/a.jpg?token=s3cr3t",
            "`imageUrl`: names port 8443; general fetches images only from ports 80, 443 and 10000-12000",
        ),
        ("http://example.com:9999/a.jpg", "names port 9999"),
        ("ftp://example.com/a.jpg", "must be an http or https URL"),
        ("example.com/a.jpg", "is not a valid absolute URL"),
    ] {
        let e = client.general(ImageSource::Url(url)).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid(InvalidInput::Field {
                    field: "imageUrl",
                    ..
                })
            ),
            "{e:?}"
        );
        assert!(e.to_string().contains(problem), "{url}: {e}");
        assert!(!e.to_string().contains("s3cr3t"));
    }
    // Ports the spec allows, at both ends of the range.
    client
        .general_cropping(ImageSource::Url("http://example.com:12000/a.jpg"))
        .await
        .unwrap();
    let e = client
        .general(&example("not-an-image.gif"))
        .await
        .unwrap_err();
    let gif = example("not-an-image.gif");
    assert_eq!(
        e.to_string(),
        format!(
            "image `{}` is gif; general accepts only jpg, jpeg, png",
            gif.name()
        )
    );
    assert_eq!(server.seen().len(), 1, "only the allowed URL was sent");
}

// ---- against the emulator --------------------------------------------------

fn emulator_client(emulator: &Emulator) -> GeneralClient {
    let credentials = emulator.credentials();
    GeneralClient::builder(Credentials::new(
        credentials.nhn_app_key.as_str(),
        credentials.nhn_secret_key.expose(),
    ))
    .base_url(emulator.nhn_base_url())
    .build()
    .expect("client")
}

#[tokio::test]
async fn both_endpoints_with_a_file_and_a_url_against_the_emulator() {
    let emulator = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let client = emulator_client(&emulator);

    let result = client.general(&example("text.png")).await.unwrap();
    assert_eq!(result.file_type.as_deref(), Some("png"));
    assert!(result.lines().any(|l| l.bounding_box.is_some()));
    let result = client
        .general(ImageSource::Url("https://example.com/example.jpg"))
        .await
        .unwrap();
    assert_eq!(result.file_type.as_deref(), Some("jpg"));

    let long = client
        .general_cropping(&example("long-text.png"))
        .await
        .unwrap();
    assert!(
        long.slices_images.is_some_and(|n| n > 1),
        "{:?}",
        long.slices_images
    );
    let long = client
        .general_cropping(ImageSource::Url("http://example.com:10000/scan.png"))
        .await
        .unwrap();
    assert_eq!(
        (long.file_type.as_deref(), long.slices_images),
        (Some("png"), Some(1))
    );
    assert_eq!(emulator.total_requests(), 4);

    // The emulator's refusals arrive typed.
    let code = |e: Error| match e.vendor().map(|v| v.code.clone()) {
        Some(VendorErrorCode::NhnGeneralOcrV1(code)) => code,
        _ => panic!("{e:?}"),
    };
    let e = client
        .general(ImageSource::Url("https://example.com/anim.gif"))
        .await
        .unwrap_err();
    assert_eq!(code(e), ErrorCode::InvalidFileType);
    let mut failing = example("text.png").bytes().to_vec();
    failing.extend_from_slice(b"ocrwire:error");
    let e = client
        .general(&Image::from_bytes("x.png", failing).unwrap())
        .await
        .unwrap_err();
    assert_eq!(code(e), ErrorCode::UnknownError);
    let wrong = GeneralClient::builder(Credentials::new("wrong-app-key", "wrong-secret"))
        .base_url(emulator.nhn_base_url())
        .build()
        .unwrap();
    let e = wrong.general(&example("text.png")).await.unwrap_err();
    // The version's scheme names the code (4000001 where it names none).
    let refused = ocrwire::wire::nhn_general_ocr_v1::V1_0
        .auth
        .refused_with
        .unwrap_or("4000001");
    assert_eq!(code(e).code(), refused);

    // A port the service would refuse never reaches it.
    let before = emulator.total_requests();
    client
        .general(ImageSource::Url("https://example.com:8080/a.jpg"))
        .await
        .unwrap_err();
    assert_eq!(emulator.total_requests(), before);
    emulator.shutdown().await.unwrap();
}
