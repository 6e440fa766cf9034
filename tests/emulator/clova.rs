//! The emulator's CLOVA OCR Document API over real HTTP: JSON bodies with
//! Base64 `images[0].data` and multipart `message` + `file`, built by hand as
//! 004 documents them, for all six document endpoints.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::descriptor::Endpoint;
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::wire::clova_document_ocr::{self as clova, DocumentResponse, FAMILY, InferResult};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Page /MediaBox [0 0 612 792] >> endobj\ntrailer << >>\n%%EOF\n";

fn url(emu: &Emulator, endpoint: &Endpoint) -> String {
    format!("{}{}", emu.clova_invoke_url(), endpoint.path)
}

fn path_of(url: &str) -> String {
    reqwest::Url::parse(url).unwrap().path().to_owned()
}

fn clova_secret(emu: &Emulator) -> String {
    emu.credentials().clova_secret.expose().to_owned()
}

fn json_request(format: &str, name: &str, data: &[u8]) -> Value {
    json!({
        "version": clova::DocumentRequest::VERSION,
        "requestId": "guide-json-demo",
        "timestamp": 1584062336793_i64,
        "images": [{"format": format, "name": name, "data": BASE64.encode(data)}],
    })
}

async fn post_json(emu: &Emulator, url: &str, body: &Value) -> (u16, Value) {
    let response = http()
        .post(url)
        .header("X-OCR-SECRET", clova_secret(emu))
        .json(body)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

async fn post_multipart(
    emu: &Emulator,
    url: &str,
    message: &Value,
    file: Option<&[u8]>,
) -> (u16, Value) {
    let mut form = Form::new().text("message", message.to_string());
    if let Some(file) = file {
        form = form.part("file", Part::bytes(file.to_vec()).file_name("image"));
    }
    let response = http()
        .post(url)
        .header("X-OCR-SECRET", clova_secret(emu))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

/// Parses a success, checks the envelope, and returns image 0 as JSON.
fn image_of(status: u16, body: Value, name: &str) -> Value {
    assert_eq!(status, 200, "{body}");
    let typed: DocumentResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(typed.version.as_deref(), Some("V2"));
    assert_eq!(typed.request_id.as_deref(), Some("guide-json-demo"));
    let images = typed.images.unwrap();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].name.as_deref(), Some(name));
    assert_eq!(images[0].uid.as_ref().map(String::len), Some(32));
    body["images"][0].clone()
}

#[tokio::test]
async fn every_document_endpoint_answers_in_both_encodings() {
    let emu = start().await;
    for endpoint in FAMILY.endpoints {
        let field = endpoint.response.document_field.unwrap();
        let (status, body) = post_json(
            &emu,
            &url(&emu, endpoint),
            &json_request("jpg", "demo", RECEIPT_JPG),
        )
        .await;
        let image = image_of(status, body, "demo");
        assert_eq!(image["inferResult"], "SUCCESS");
        assert_eq!(image["message"], "SUCCESS");
        assert_eq!(image["validationResult"]["result"], "NO_REQUESTED");
        assert!(image[field].is_object(), "{}: {image}", endpoint.name);
        // Only the called document's member.
        let members = [
            "receipt",
            "creditCard",
            "nameCard",
            "bizLicense",
            "idCard",
            "passport",
        ];
        assert_eq!(
            members.iter().filter(|m| image.get(**m).is_some()).count(),
            1
        );

        let mut message = json_request("png", "multipart", b"");
        message["images"][0].as_object_mut().unwrap().remove("data");
        let (status, body) =
            post_multipart(&emu, &url(&emu, endpoint), &message, Some(CARD_PNG)).await;
        let image = image_of(status, body, "multipart");
        assert!(image[field].is_object());
    }
}

#[tokio::test]
async fn results_are_deterministic() {
    let emu = start().await;
    let request = json_request("png", "same", TEXT_PNG);
    let (_, mut first) = post_json(&emu, &url(&emu, &clova::RECEIPT), &request).await;
    let (_, mut second) = post_json(&emu, &url(&emu, &clova::RECEIPT), &request).await;
    first.as_object_mut().unwrap().remove("timestamp");
    second.as_object_mut().unwrap().remove("timestamp");
    assert_eq!(first, second);
}

#[tokio::test]
async fn id_card_kind_follows_the_marker() {
    let emu = start().await;
    for (image, member, format) in [
        (ID_CARD_PNG, "ic", "png"),
        (CARD_PNG, "ic", "png"),
        (DRIVER_PNG, "dl", "png"),
        (PASSPORT_PNG, "pp", "png"),
        (ALIEN_PNG, "ac", "png"),
        (RECEIPT_JPG, "ic", "jpeg"),
    ] {
        let (status, body) = post_json(
            &emu,
            &url(&emu, &clova::ID_CARD),
            &json_request(format, "id", image),
        )
        .await;
        let image = image_of(status, body, "id");
        let result = &image["idCard"]["result"];
        assert!(result[member].is_object(), "{member}: {result}");
        assert!(result["idtype"].is_string());
    }
    // The global passport endpoint always reads the MRZ.
    let (status, body) = post_json(
        &emu,
        &url(&emu, &clova::PASSPORT),
        &json_request("png", "p", ID_CARD_PNG),
    )
    .await;
    assert!(image_of(status, body, "p")["passport"]["passportResult"].is_object());
}

#[tokio::test]
async fn unreadable_images_get_failure_and_error_results() {
    let emu = start().await;
    let cases: [(&[u8], &str, InferResult, &str); 3] = [
        (
            UNREADABLE_PNG,
            "png",
            InferResult::Failure,
            "Failed to recognize the document.",
        ),
        (
            &with_marker(TEXT_PNG, "ocrwire:error"),
            "png",
            InferResult::Error,
            "Read page:0 error.",
        ),
        (
            TRUNCATED_PNG,
            "png",
            InferResult::Error,
            "Read page:0 error.",
        ),
    ];
    for (data, format, infer, message) in cases {
        let (status, body) = post_json(
            &emu,
            &url(&emu, &clova::ID_CARD),
            &json_request(format, "bad", data),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let typed: DocumentResponse = serde_json::from_value(body).unwrap();
        let image = &typed.images.unwrap()[0];
        assert_eq!(image.infer_result.as_ref(), Some(&infer));
        assert_eq!(image.message.as_deref(), Some(message));
        assert!(image.id_card.is_none());
    }
}

#[tokio::test]
async fn pdf_pages_report_the_converted_image() {
    let emu = start().await;
    let (status, body) = post_json(
        &emu,
        &url(&emu, &clova::BIZ_LICENSE),
        &json_request("pdf", "doc", PDF),
    )
    .await;
    let image = image_of(status, body, "doc");
    assert_eq!(
        image["convertedImageInfo"],
        json!({"width": 612, "height": 792, "pageIndex": 0})
    );
    assert!(image["bizLicense"].is_object());
}

#[tokio::test]
async fn url_and_secret_errors() {
    let emu = start().await;
    let endpoint = &clova::RECEIPT;
    let good = url(&emu, endpoint);
    let request = json_request("png", "x", CARD_PNG);

    // Secret missing or wrong: 0002 with HTTP 401.
    let response = http().post(&good).json(&request).send().await.unwrap();
    let (status, _, body) = json_of(response).await;
    assert_clova_error(&FAMILY, status, &body, "0002", &path_of(&good));
    assert_eq!(status, 401);
    let response = http()
        .post(&good)
        .header("X-OCR-SECRET", "nope")
        .json(&request)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    assert_clova_error(&FAMILY, status, &body, "0002", &path_of(&good));

    // Another invoke key, or an unknown document path: 0001.
    let config = emu.config();
    let wrong_key = good.replace(&config.clova_invoke_key, "another-invoke-key");
    let (status, body) = post_json(&emu, &wrong_key, &request).await;
    assert_clova_error(&FAMILY, status, &body, "0001", &path_of(&wrong_key));
    let unknown_doc = format!("{}/document/tax-invoice", emu.clova_invoke_url());
    let (status, body) = post_json(&emu, &unknown_doc, &request).await;
    assert_clova_error(&FAMILY, status, &body, "0001", &path_of(&unknown_doc));

    // Another domain: 0022.
    let wrong_domain = good.replace(&format!("/{}/", config.clova_domain_id), "/9999/");
    let (status, body) = post_json(&emu, &wrong_domain, &request).await;
    assert_clova_error(&FAMILY, status, &body, "0022", &path_of(&wrong_domain));
}

#[tokio::test]
async fn body_errors() {
    let config = EmulatorConfig {
        clova_max_body_bytes: 4096,
        ..EmulatorConfig::default()
    };
    let emu = start_with(config).await;
    for endpoint in FAMILY.endpoints {
        let target = url(&emu, endpoint);
        let path = path_of(&target);
        let check = |(status, body): (u16, Value), code: &str| {
            assert_clova_error(&FAMILY, status, &body, code, &path);
            assert!(endpoint.lists(code));
        };

        let mut v1 = json_request("png", "x", CARD_PNG);
        v1["version"] = json!("V1");
        check(post_json(&emu, &target, &v1).await, "0021");

        let mut two = json_request("png", "x", CARD_PNG);
        let copy = two["images"][0].clone();
        two["images"].as_array_mut().unwrap().push(copy);
        check(post_json(&emu, &target, &two).await, "0011");
        let mut none = json_request("png", "x", CARD_PNG);
        none["images"] = json!([]);
        check(post_json(&emu, &target, &none).await, "0011");

        let mut not_base64 = json_request("png", "x", CARD_PNG);
        not_base64["images"][0]["data"] = json!("%%% not base64 %%%");
        check(post_json(&emu, &target, &not_base64).await, "0011");

        // The declared format must be accepted and match the bytes.
        check(
            post_json(&emu, &target, &json_request("jpg", "x", CARD_PNG)).await,
            "0011",
        );
        check(
            post_json(&emu, &target, &json_request("gif", "x", GIF)).await,
            "0011",
        );
        check(
            post_json(&emu, &target, &json_request("png", "x", b"")).await,
            "0011",
        );
        check(
            post_json(&emu, &target, &json!({"version": "V2"})).await,
            "0011",
        );

        let response = http()
            .post(&target)
            .header("X-OCR-SECRET", clova_secret(&emu))
            .body("{not json")
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        check((status, body), "0011");

        // Multipart without the file, or with a bad message.
        let mut message = json_request("png", "x", b"");
        message["images"][0].as_object_mut().unwrap().remove("data");
        check(post_multipart(&emu, &target, &message, None).await, "0011");
        check(
            post_multipart(&emu, &target, &json!({"images": []}), Some(CARD_PNG)).await,
            "0011",
        );

        // Over the emulator's body cap.
        check(
            post_json(&emu, &target, &json_request("png", "x", &png_of_len(8192))).await,
            "0011",
        );
    }
}
