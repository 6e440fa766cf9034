//! The emulator's NHN General OCR v1.0 over real HTTP: multipart `image`
//! uploads and JSON `imageUrl` bodies, built by hand as 003 documents them.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use ocrwire::descriptor::Endpoint;
use ocrwire::wire::nhn_general_ocr_v1::{self as general, CroppingResult, FAMILY, GeneralResult};
use serde_json::{Value, json};

const ENDPOINTS: [&Endpoint; 2] = [&general::GENERAL, &general::GENERAL_CROPPING];

async fn upload(
    emu: &ocrwire::emulator::Emulator,
    endpoint: &Endpoint,
    part: &str,
    image: Vec<u8>,
) -> (u16, Value) {
    let response = http()
        .post(nhn_url(emu, endpoint, ""))
        .header("Authorization", secret(emu))
        .multipart(file_form(part, image))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

async fn by_url(
    emu: &ocrwire::emulator::Emulator,
    endpoint: &Endpoint,
    body: Value,
) -> (u16, Value) {
    let response = http()
        .post(nhn_url(emu, endpoint, ""))
        .header("Authorization", secret(emu))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> (i64, i64) {
    let be = |at: usize| i64::from(u32::from_be_bytes(png[at..at + 4].try_into().unwrap()));
    (be(16), be(20))
}

fn texts(result: &GeneralResult) -> Vec<String> {
    result
        .list_of_infer_texts
        .iter()
        .flatten()
        .flat_map(|g| g.infer_texts.iter().flatten())
        .map(|t| t.value.as_ref().unwrap().expose().to_owned())
        .collect()
}

#[tokio::test]
async fn uploads_are_recognized() {
    let emu = start().await;
    let (status, body) = upload(&emu, &general::GENERAL, "image", TEXT_PNG.to_vec()).await;
    assert_eq!(status, 200);
    let parsed: general::Response<GeneralResult> = serde_json::from_value(body).unwrap();
    assert!(parsed.header.is_successful);
    let result = parsed.result.unwrap();
    // Read from the bytes: the same image reads the same, another differs,
    // and every box lies inside the image.
    let read = texts(&result);
    assert!(!read.is_empty());
    let (_, again) = upload(&emu, &general::GENERAL, "image", TEXT_PNG.to_vec()).await;
    let again: general::Response<GeneralResult> = serde_json::from_value(again).unwrap();
    assert_eq!(texts(&again.result.unwrap()), read);
    let (_, other) = upload(&emu, &general::GENERAL, "image", LONG_TEXT_PNG.to_vec()).await;
    let other: general::Response<GeneralResult> = serde_json::from_value(other).unwrap();
    assert_ne!(texts(&other.result.unwrap()), read);
    let (width, height) = png_size(TEXT_PNG);
    for group in result.list_of_bounding_boxes.iter().flatten() {
        for b in group.bounding_boxes.iter().flatten() {
            for (x, y) in [(b.x1, b.y1), (b.x2, b.y2), (b.x3, b.y3), (b.x4, b.y4)] {
                let (x, y) = (x.unwrap(), y.unwrap());
                assert!(
                    (0..=width).contains(&x) && (0..=height).contains(&y),
                    "{b:?}"
                );
            }
        }
    }
    assert_eq!(result.file_type.as_deref(), Some("png"));
    // Boxes are grouped like the texts.
    let boxes: Vec<usize> = result
        .list_of_bounding_boxes
        .iter()
        .flatten()
        .map(|g| g.bounding_boxes.as_ref().unwrap().len())
        .collect();
    let groups: Vec<usize> = result
        .list_of_infer_texts
        .iter()
        .flatten()
        .map(|g| g.infer_texts.as_ref().unwrap().len())
        .collect();
    assert_eq!(boxes, groups);

    let (_, body) = upload(&emu, &general::GENERAL, "image", RECEIPT_JPG.to_vec()).await;
    assert_eq!(body["result"]["fileType"], "jpg");
}

#[tokio::test]
async fn cropping_reports_slices_by_aspect_ratio() {
    let emu = start().await;
    for (image, slices) in [(LONG_TEXT_PNG, 4), (TEXT_PNG, 3), (CARD_PNG, 2)] {
        let (status, body) =
            upload(&emu, &general::GENERAL_CROPPING, "image", image.to_vec()).await;
        assert_eq!(status, 200);
        let parsed: general::Response<CroppingResult> = serde_json::from_value(body).unwrap();
        assert_eq!(parsed.result.unwrap().slices_images, Some(slices));
    }
    // `general` has no such field.
    let (_, body) = upload(&emu, &general::GENERAL, "image", LONG_TEXT_PNG.to_vec()).await;
    assert!(body["result"].get("slicesImages").is_none());
}

#[tokio::test]
async fn image_urls_are_validated_and_never_fetched() {
    let emu = start().await;
    // Something listening on an allowed port: a fetch would show up here.
    let mut trap = None;
    for port in 10_000..=12_000u16 {
        if let Ok(listener) = tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
            trap = Some((listener, port));
            break;
        }
    }
    let (listener, port) = trap.expect("a free port in 10000-12000");
    for endpoint in ENDPOINTS {
        let url = format!("http://127.0.0.1:{port}/scan.png");
        let (status, body) = by_url(&emu, endpoint, json!({ "imageUrl": url })).await;
        assert_eq!(
            (status, &body["header"]["isSuccessful"]),
            (200, &json!(true)),
            "{body}"
        );
        assert_eq!(body["result"]["fileType"], "png");
        // The doc's own example.
        let (_, body) = by_url(
            &emu,
            endpoint,
            json!({"imageUrl": "https://example.com/example.jpg"}),
        )
        .await;
        assert_eq!(body["result"]["fileType"], "jpg");
        if endpoint.name == "general-cropping" {
            assert_eq!(body["result"]["slicesImages"], 1);
        }
    }
    let accepted =
        tokio::time::timeout(std::time::Duration::from_millis(200), listener.accept()).await;
    assert!(accepted.is_err(), "the emulator fetched the image URL");

    for endpoint in ENDPOINTS {
        for bad in [
            json!({"imageUrl": "ftp://example.com/a.jpg"}),
            json!({"imageUrl": "https://example.com:8080/a.jpg"}),
            json!({"imageUrl": "http://example.com:12001/a.jpg"}),
            json!({"imageUrl": "file:///etc/passwd"}),
            json!({"imageUrl": "example.com/a.jpg"}),
            json!({"imageUrl": 42}),
            json!({"url": "https://example.com/a.jpg"}),
        ] {
            let (status, body) = by_url(&emu, endpoint, bad.clone()).await;
            assert_nhn_error(&FAMILY, endpoint, status, &body, "4000001");
        }
        let (status, body) = by_url(
            &emu,
            endpoint,
            json!({"imageUrl": "https://example.com/a.gif"}),
        )
        .await;
        assert_nhn_error(&FAMILY, endpoint, status, &body, "4000003");
    }
}

#[tokio::test]
async fn every_documented_error_has_a_request_that_causes_it() {
    let emu = start().await;
    let max = general::GENERAL.limits.max_file_bytes.unwrap() as usize;
    for endpoint in ENDPOINTS {
        let check = |(status, body): (u16, Value), code: &str| {
            assert_nhn_error(&FAMILY, endpoint, status, &body, code)
        };
        let url = nhn_url(&emu, endpoint, "");

        // No Authorization (4000005, in this family's wording), a wrong one,
        // another app key (the scheme's refusal code).
        let response = http()
            .post(&url)
            .multipart(file_form("image", TEXT_PNG.to_vec()))
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        check((status, body), "4000005");
        assert_eq!(
            FAMILY.error("4000005").unwrap().message,
            "Required headers are missing."
        );
        let response = http()
            .post(&url)
            .header("Authorization", "not-the-secret")
            .multipart(file_form("image", TEXT_PNG.to_vec()))
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        let refused = credential_refusal(&general::V1_0);
        check((status, body), refused);
        let response = http()
            .post(url.replace(&emu.credentials().nhn_app_key, "another-app"))
            .header("Authorization", secret(&emu))
            .multipart(file_form("image", TEXT_PNG.to_vec()))
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        check((status, body), refused);

        check(upload(&emu, endpoint, "image", Vec::new()).await, "4000004");
        check(
            upload(&emu, endpoint, "image", GIF.to_vec()).await,
            "4000003",
        );
        check(
            upload(
                &emu,
                endpoint,
                "image",
                b"%PDF-1.4 not accepted here".to_vec(),
            )
            .await,
            "4000003",
        );
        check(
            upload(&emu, endpoint, "image", TRUNCATED_PNG.to_vec()).await,
            "4000002",
        );
        check(
            upload(&emu, endpoint, "file", TEXT_PNG.to_vec()).await,
            "4000001",
        );
        check(
            upload(
                &emu,
                endpoint,
                "image",
                with_marker(TEXT_PNG, "ocrwire:error"),
            )
            .await,
            "-1",
        );
        check(
            upload(
                &emu,
                endpoint,
                "image",
                with_marker(TEXT_PNG, "ocrwire:failure"),
            )
            .await,
            "4000501",
        );
        // Beyond the spec's largest aspect ratio (about 1:10), not at it.
        let max_ratio = general::GENERAL.limits.max_aspect_ratio.unwrap();
        let short = 16u32;
        let at_max = (f64::from(short) * max_ratio) as u32;
        let (status, body) = upload(&emu, endpoint, "image", png(short, at_max)).await;
        assert_eq!(
            (status, &body["header"]["isSuccessful"]),
            (200, &json!(true))
        );
        check(
            upload(&emu, endpoint, "image", png(short, at_max + short)).await,
            "4000505",
        );

        // The limit is inclusive.
        let (status, body) = upload(&emu, endpoint, "image", png_of_len(max)).await;
        assert_eq!(
            (status, &body["header"]["isSuccessful"]),
            (200, &json!(true))
        );
        check(
            upload(&emu, endpoint, "image", png_of_len(max + 1)).await,
            "4131000",
        );

        // Neither multipart nor JSON.
        let response = http()
            .post(&url)
            .header("Authorization", secret(&emu))
            .header("Content-Type", "text/plain")
            .body("imageUrl=https://example.com/a.jpg")
            .send()
            .await
            .unwrap();
        let (status, _, body) = json_of(response).await;
        check((status, body), "4000001");
    }
    assert_eq!(
        emu.requests(&general::GENERAL),
        emu.requests(&general::GENERAL_CROPPING)
    );
}

/// A PNG whose header says `width` x `height` (the emulator reads no more).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    out.extend(width.to_be_bytes());
    out.extend(height.to_be_bytes());
    out.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
    out
}
