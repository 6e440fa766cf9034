//! The CLOVA Document client over real HTTP on 127.0.0.1: against a server
//! that records the wire (`tests/support/clova.rs`) and answers with
//! the docs' example bodies, and against the built-in emulator.
#![cfg(feature = "emulator")] // needs axum test servers and the emulator

use crate::support::clova::{ClovaServer, DOMAIN_ID, INVOKE_KEY, SECRET, Seen, fixture_path};
use crate::support::example;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::client::{RetryPolicy, TransportConfig};
use ocrwire::clova::{
    ClovaClient, Document, IMAGE_NAME, IdCardKind, RecognitionError, Recognized, RequestEncoding,
};
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::error::{InvalidInput, TransportError, VendorErrorCode};
use ocrwire::image::ImageError;
use ocrwire::wire::clova_document_ocr::{
    self as clova, BizLicenseDocument, CreditCardDocument, DocumentResponse, ErrorCode,
    IdCardDocument, InferResult, NameCardDocument, PassportDocument, ReceiptDocument,
    ValidationResultCode,
};
use ocrwire::{Error, Image};
use serde_json::{Value, json};

const ENCODINGS: [RequestEncoding; 2] = [RequestEncoding::Multipart, RequestEncoding::Json];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name)).expect("fixture")
}

/// One attempt per call, so each scripted answer is the one the call gets.
fn client(server: &ClovaServer, encoding: RequestEncoding) -> ClovaClient {
    ClovaClient::builder(&server.invoke_url(), SECRET)
        .encoding(encoding)
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .build()
        .expect("client")
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    keys
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// What the docs prescribe for one request (004 "Request headers" and
/// "Request bodies"; the curl examples): returns the request fields.
fn assert_documented_request(
    seen: &Seen,
    endpoint: &str,
    encoding: RequestEncoding,
    image: &Image,
    format: &str,
) -> Value {
    assert_eq!(seen.endpoint_path, format!("/document/{endpoint}"));
    assert_eq!(
        (seen.domain_id.as_str(), seen.invoke_key.as_str()),
        (DOMAIN_ID, INVOKE_KEY)
    );
    assert_eq!(seen.header("x-ocr-secret"), Some(SECRET));
    assert!(seen.header("authorization").is_none());
    let content_type = seen.header("content-type").unwrap_or("");
    // Streamed bodies still announce their exact length, as the docs'
    // examples (curl) do: never chunked.
    assert!(seen.header("transfer-encoding").is_none());
    assert!(
        seen.header("content-length")
            .and_then(|l| l.parse::<u64>().ok())
            .is_some_and(|l| l as usize > image.bytes().len()),
        "{:?}",
        seen.header("content-length")
    );
    let fields = seen.json.clone().expect("request JSON");
    match encoding {
        RequestEncoding::Multipart => {
            assert!(
                content_type.starts_with("multipart/form-data; boundary="),
                "{content_type}"
            );
            let names: Vec<&str> = seen.parts.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names, ["message", "file"]);
            let message = seen.part("message").unwrap();
            assert_eq!(message.content_type.as_deref(), Some("application/json"));
            assert!(message.file_name.is_none());
            let file = seen.part("file").unwrap();
            assert_eq!(file.bytes, image.bytes(), "the file part is the raw bytes");
            assert_eq!(
                file.content_type.as_deref(),
                Some(image.format().mime_type())
            );
            assert_eq!(
                file.file_name.as_deref(),
                Some(format!("image.{}", image.format()).as_str())
            );
            assert_eq!(keys(&fields["images"][0]), ["format", "name"]);
        }
        RequestEncoding::Json => {
            assert_eq!(content_type, "application/json");
            assert!(seen.parts.is_empty());
            assert_eq!(keys(&fields["images"][0]), ["data", "format", "name"]);
            let data = fields["images"][0]["data"].as_str().expect("data is text");
            assert_eq!(BASE64.decode(data).unwrap(), image.bytes());
        }
    }
    assert_eq!(
        keys(&fields),
        ["images", "requestId", "timestamp", "version"]
    );
    // The same members as the docs' own request examples, no more.
    let example: Value = serde_json::from_str(&fixture(match encoding {
        RequestEncoding::Multipart => "common.request.multipart-message.json",
        RequestEncoding::Json => "common.request.json",
    }))
    .unwrap();
    assert_eq!(keys(&fields), keys(&example));
    assert_eq!(keys(&fields["images"][0]), keys(&example["images"][0]));
    assert_eq!(fields["version"], "V2");
    let request_id = fields["requestId"].as_str().expect("requestId is text");
    assert!(uuid::Uuid::parse_str(request_id).is_ok(), "{request_id}");
    let timestamp = fields["timestamp"]
        .as_i64()
        .expect("timestamp is an integer");
    assert!(
        (now_millis() - timestamp).abs() < 60_000,
        "milliseconds: {timestamp}"
    );
    assert_eq!(fields["images"].as_array().map(Vec::len), Some(1));
    assert_eq!(fields["images"][0]["format"], format);
    assert_eq!(fields["images"][0]["name"], IMAGE_NAME);
    fields
}

/// The decoded answer, put back together, is the fixture it came from.
fn assert_is_fixture<D: Document>(recognized: Recognized<D>, fixture_name: &str) {
    let expected: Value = serde_json::from_str(&fixture(fixture_name)).unwrap();
    let got = serde_json::to_value(recognized.into_response()).unwrap();
    assert_eq!(got, expected, "{fixture_name}");
}

#[tokio::test]
async fn every_endpoint_both_encodings_as_the_docs_prescribe() {
    let server = ClovaServer::start().await;
    let jpeg = example("receipt.jpg");
    let png = example("card.png");
    for encoding in ENCODINGS {
        let client = client(&server, encoding);
        assert_is_fixture(
            client.receipt(&jpeg).await.unwrap(),
            "receipt.response.json",
        );
        assert_documented_request(&server.last(), "receipt", encoding, &jpeg, "jpg");

        assert_is_fixture(
            client.credit_card(&png).await.unwrap(),
            "credit-card.response.json",
        );
        assert_documented_request(&server.last(), "credit-card", encoding, &png, "png");

        assert_is_fixture(
            client.name_card(&png).await.unwrap(),
            "name-card.response.json",
        );
        assert_documented_request(&server.last(), "name-card", encoding, &png, "png");

        assert_is_fixture(
            client.biz_license(&png).await.unwrap(),
            "biz-license.response.json",
        );
        assert_documented_request(&server.last(), "biz-license", encoding, &png, "png");

        assert_is_fixture(client.id_card(&png).await.unwrap(), "id-card.response.json");
        assert_documented_request(&server.last(), "id-card", encoding, &png, "png");

        assert_is_fixture(
            client.passport(&png).await.unwrap(),
            "passport.response.json",
        );
        assert_documented_request(&server.last(), "passport", encoding, &png, "png");
    }
    // Each call has its own requestId.
    let ids: std::collections::HashSet<String> = server
        .seen()
        .iter()
        .map(|s| s.json.as_ref().unwrap()["requestId"].to_string())
        .collect();
    assert_eq!(ids.len(), 12);
}

#[tokio::test]
async fn the_format_comes_from_the_bytes_and_multi_page_files_stay_local() {
    let server = ClovaServer::start().await;
    let client = client(&server, RequestEncoding::Multipart);
    // A PNG named .jpg is declared png.
    let misnamed = Image::from_bytes("photo.jpg", example("card.png").bytes().to_vec()).unwrap();
    client.credit_card(&misnamed).await.unwrap();
    assert_eq!(server.last().json.unwrap()["images"][0]["format"], "png");

    let pdf = |pages: usize| {
        let mut out = b"%PDF-1.4\n".to_vec();
        for p in 0..pages {
            out.extend_from_slice(
                format!(
                    "{} 0 obj\n<< /Type /Page /MediaBox [0 0 600 800] >>\nendobj\n",
                    p + 3
                )
                .as_bytes(),
            );
        }
        out
    };
    client
        .receipt(&Image::from_bytes("one.pdf", pdf(1)).unwrap())
        .await
        .unwrap();
    assert_eq!(server.last().json.unwrap()["images"][0]["format"], "pdf");

    let before = server.seen().len();
    let e = client
        .receipt(&Image::from_bytes("contract.pdf", pdf(2)).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid(InvalidInput::Image(ImageError::MultiPage { pages: 2, .. }))
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "image `contract.pdf` has 2 pages; receipt reads single-page pdf files only"
    );
    let e = client
        .receipt(&example("not-an-image.gif"))
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("receipt accepts only jpg, jpeg, png, pdf, tif, tiff"),
        "{e}"
    );
    assert_eq!(server.seen().len(), before, "nothing was sent");
}

#[tokio::test]
async fn common_fields_are_one_call_away() {
    let server = ClovaServer::start().await;
    let client = client(&server, RequestEncoding::Multipart);
    let image = example("card.png");
    let show = |s: Option<&ocrwire::Sensitive>| s.map(|s| s.expose().to_string());

    let receipt = client.receipt(&image).await.unwrap();
    let r: &ReceiptDocument = receipt.document();
    assert_eq!(show(r.store_name()).as_deref(), Some("emart everyday"));
    assert_eq!(
        r.date()
            .and_then(|d| d.iso_date())
            .map(|d| d.expose().to_string())
            .as_deref(),
        Some("2020-04-16")
    );
    let items: Vec<_> = r
        .items()
        .map(|i| {
            (
                show(i.name),
                show(i.count),
                show(i.price),
                show(i.unit_price),
            )
        })
        .collect();
    assert_eq!(
        items,
        [(
            Some("Seagram Lemon 350 ml".into()),
            Some("2".into()),
            Some("1600".into()),
            Some("800".into())
        )]
    );
    assert_eq!(show(r.total()).as_deref(), Some("1600"));
    assert_eq!(
        receipt.image().uid.as_deref(),
        Some("5b9de1f9765448eca574efc1a4231bbe")
    );
    assert_eq!(
        receipt.validation().and_then(|v| v.result.clone()),
        Some(ValidationResultCode::NoRequested)
    );
    // Debug never prints what was read.
    let debug = format!("{receipt:?}");
    assert!(
        !debug.contains("emart") && !debug.contains("Seagram"),
        "{debug}"
    );

    let card = client.credit_card(&image).await.unwrap();
    let c: &CreditCardDocument = card.document();
    assert_eq!(show(c.number()).as_deref(), Some("5307123456749012"));
    assert!(!format!("{card:?}").contains("5307"));

    let name_card = client.name_card(&image).await.unwrap();
    let n: &NameCardDocument = name_card.document();
    assert_eq!(show(n.name()).as_deref(), Some("Gil-dong Hong"));
    assert_eq!(show(n.company()).as_deref(), Some("Woori Bank"));
    assert_eq!(show(n.position()).as_deref(), Some("Complaint"));
    assert_eq!(show(n.mobile()).as_deref(), Some("010-1234-5678"));
    assert_eq!(n.email(), None);

    let biz = client.biz_license(&image).await.unwrap();
    let b: &BizLicenseDocument = biz.document();
    assert_eq!(show(b.register_number()).as_deref(), Some("611-01-99810"));
    assert_eq!(
        show(b.company_name()).as_deref(),
        Some("Dongseong Comprehensive Auto Repair")
    );
    assert_eq!(show(b.representative()).as_deref(), Some("Yeong-du Kim"));
    assert_eq!(show(b.open_date()).as_deref(), Some("June 9, 2014"));

    let id = client.id_card(&image).await.unwrap();
    let i: &IdCardDocument = id.document();
    assert_eq!(i.kind(), Some(IdCardKind::ResidentCard));
    assert_eq!(
        i.result
            .as_ref()
            .and_then(|r| r.id_type())
            .map(String::as_str),
        Some("ID Card")
    );
    assert_eq!(show(i.name()).as_deref(), Some("Sonic"));
    assert_eq!(show(i.personal_number()).as_deref(), Some("910623-1062372"));
    assert_eq!(
        i.issue_date()
            .and_then(|d| d.iso_date())
            .map(|d| d.expose().to_string())
            .as_deref(),
        Some("2011-03-06")
    );
    assert!(!format!("{id:?}").contains("910623"));

    let passport = client.passport(&image).await.unwrap();
    let p: &PassportDocument = passport.document();
    assert_eq!(show(p.surname()).as_deref(), Some("GILSOON"));
    assert_eq!(show(p.given_names()).as_deref(), Some("HONG"));
    assert_eq!(show(p.document_number()).as_deref(), Some("M123A4567"));
    assert_eq!(show(p.date_of_birth()).as_deref(), Some("1987/02/01"));
    assert_eq!(
        show(p.nationality()).as_deref(),
        Some("Korea (the Republic of)")
    );
    assert_eq!((p.age(), p.is_expired()), (Some(36), Some(false)));
    assert!(
        show(p.mrz_lines())
            .unwrap()
            .starts_with("PMKORHONG<<GILSOON<<")
    );
}

#[tokio::test]
async fn a_receipt_whose_subtotal_carries_lists_of_amounts_decodes_whole() {
    // The shape of real receipts: `subTotal[].taxPrice` and `discountPrice`
    // are lists of price objects (tests/fixtures/recorded/ has such answers).
    let price = |text: &str, key: &str| {
        json!({
            "text": text,
            "formatted": {"value": text.replace(',', "")},
            "keyText": key,
            "confidenceScore": 0.97,
            "boundingPolys": [{"vertices": [{"x": 1.0, "y": 2.0}, {"x": 3.0, "y": 2.0}, {"x": 3.0, "y": 4.0}, {"x": 1.0, "y": 4.0}]}],
        })
    };
    let answer = json!({
        "version": "V2", "requestId": "r", "timestamp": 1,
        "images": [{
            "uid": "u", "name": "receipt", "inferResult": "SUCCESS", "message": "SUCCESS",
            "validationResult": {"result": "NO_REQUESTED"},
            "receipt": {"meta": {"estimatedLanguage": "ko"}, "result": {
                "storeInfo": {"name": price("Frame676", "")},
                "subResults": [{"items": [{"name": price("Latte", ""), "count": price("1", ""), "price": {"price": price("6,980", "")}}]}],
                "totalPrice": {"price": price("6,980", "")},
                "subTotal": [{"taxPrice": [price("698", "부가세:")], "discountPrice": [price("1,000", "할인"), price("500", "쿠폰")]}],
            }},
        }],
    });
    let server = ClovaServer::start().await;
    server.reply_next(200, answer.to_string());
    let client = ClovaClient::builder(&server.invoke_url(), SECRET)
        .drift(ocrwire::wire::drift::DriftMode::Fail)
        .build()
        .unwrap();
    let receipt = client
        .receipt(&example("receipt.jpg"))
        .await
        .expect("decodes with nothing unknown");
    let doc = receipt.document();
    assert_eq!(doc.store_name().map(|s| s.expose()), Some("Frame676"));
    assert_eq!(doc.items().count(), 1);
    assert_eq!(doc.total().map(|s| s.expose()), Some("6980"));
    let sub_total = doc
        .result
        .as_ref()
        .and_then(|r| r.sub_total.as_ref())
        .expect("subTotal");
    let first = &sub_total.as_slice()[0];
    let tax: Vec<&str> = first
        .tax_price
        .iter()
        .flat_map(|t| t.as_slice())
        .filter_map(|p| p.text.as_ref().map(|t| t.expose()))
        .collect();
    assert_eq!(tax, ["698"]);
    assert_eq!(
        first.discount_price.as_ref().map(|d| d.as_slice().len()),
        Some(2)
    );
}

#[tokio::test]
async fn the_korean_passport_examples_of_the_id_card_page_decode() {
    let server = ClovaServer::start().await;
    let client = client(&server, RequestEncoding::Json);
    let image = example("passport.png");

    server.reply_next(200, fixture("id-card.response.passport-kr-success.json"));
    let ok = client.id_card(&image).await.unwrap();
    let doc = ok.document();
    assert_eq!(doc.kind(), Some(IdCardKind::Passport));
    assert_eq!(doc.name().map(|n| n.expose()), Some("Hong**"));
    assert_eq!(doc.document_number().map(|n| n.expose()), Some("M123A****"));
    let mrz1 = doc
        .result
        .as_ref()
        .and_then(|r| r.pp.as_ref())
        .and_then(|pp| pp.mrz1())
        .and_then(|l| l.first())
        .and_then(|s| s.value());
    assert!(mrz1.unwrap().expose().starts_with("PMKORHONG<<"));
    assert_is_fixture(ok, "id-card.response.passport-kr-success.json");

    // The failure example: HTTP 200, inferResult ERROR, no idCard.
    server.reply_next(200, fixture("id-card.response.passport-kr-failure.json"));
    let e = client.id_card(&image).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "id-card: the service could not read the image (inferResult ERROR): Read page:0 error."
    );
    let Error::Recognition(r) = e else {
        panic!("{e:?}")
    };
    assert!(matches!(
        &r,
        RecognitionError::NotRecognized {
            infer_result: InferResult::Error,
            ..
        }
    ));
    let expected: DocumentResponse =
        serde_json::from_str(&fixture("id-card.response.passport-kr-failure.json")).unwrap();
    assert_eq!(r.into_response(), expected);
}

fn image_result(infer: &str, validation: Value) -> String {
    json!({
        "version": "V2", "requestId": "r", "timestamp": 1,
        "images": [{
            "uid": "u", "name": "image", "inferResult": infer, "message": "why",
            "creditCard": {"result": {"number": {"text": "1111222233334444"}}},
            "validationResult": validation
        }]
    })
    .to_string()
}

#[tokio::test]
async fn failure_error_and_validation_results_are_never_silent() {
    let server = ClovaServer::start().await;
    let client = client(&server, RequestEncoding::Multipart);
    let image = example("card.png");
    for (infer, want) in [
        ("FAILURE", InferResult::Failure),
        ("ERROR", InferResult::Error),
    ] {
        server.reply_next(200, image_result(infer, json!({"result": "NO_REQUESTED"})));
        let e = client.credit_card(&image).await.unwrap_err();
        let Error::Recognition(RecognitionError::NotRecognized {
            infer_result,
            message,
            endpoint,
            ..
        }) = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(
            (infer_result, message.as_str(), *endpoint),
            (&want, "why", "credit-card")
        );
    }
    for (code, want) in [
        ("INVALID", ValidationResultCode::Invalid),
        ("UNCHECKED", ValidationResultCode::Unchecked),
        ("ERROR", ValidationResultCode::Error),
    ] {
        server.reply_next(
            200,
            image_result("SUCCESS", json!({"result": code, "message": "checked"})),
        );
        let e = client.credit_card(&image).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "credit-card: the image was read, but the validity check answered {code}: checked"
            )
        );
        let Error::Recognition(r) = e else { panic!() };
        assert!(matches!(&r, RecognitionError::NotValidated { result, .. } if *result == want));
        // The reading is kept for a caller that decides to use it anyway.
        let number = r.response().images.as_ref().unwrap()[0]
            .credit_card
            .as_ref()
            .and_then(|c| c.number())
            .map(|n| n.expose().to_string());
        assert_eq!(number.as_deref(), Some("1111222233334444"));
        assert!(!format!("{r:?}").contains("1111"));
    }
    server.reply_next(200, image_result("SUCCESS", json!({"result": "VALID"})));
    let ok = client.credit_card(&image).await.unwrap();
    assert_eq!(
        ok.validation().and_then(|v| v.result.clone()),
        Some(ValidationResultCode::Valid)
    );
}

#[tokio::test]
async fn every_documented_http_error_is_a_typed_vendor_error() {
    let server = ClovaServer::start().await;
    let client = client(&server, RequestEncoding::Json);
    let image = example("receipt.jpg");
    let before = server.seen().len();
    assert!(clova::FAMILY.errors.iter().any(|e| e.code == "0028"));
    assert!(clova::FAMILY.errors.iter().any(|e| e.code == "1021"));
    for info in clova::FAMILY.errors {
        let status = info.http_status.expect("CLOVA codes have a status");
        server.reply_next(
            status,
            json!({
                "code": info.code, "message": info.message,
                "path": format!("/custom/v1/{DOMAIN_ID}/{INVOKE_KEY}/document/receipt"),
                "timestamp": 1570776853475_i64, "traceId": "t-1"
            })
            .to_string(),
        );
        let e = client.receipt(&image).await.unwrap_err();
        let vendor = e.vendor().unwrap_or_else(|| panic!("{}: {e:?}", info.code));
        assert_eq!(
            vendor.code,
            VendorErrorCode::ClovaDocumentOcr(ErrorCode::from_code(info.code))
        );
        assert!(!matches!(
            vendor.code,
            VendorErrorCode::ClovaDocumentOcr(ErrorCode::Unknown(_))
        ));
        assert_eq!(vendor.info().map(|i| i.name), Some(info.name));
        assert_eq!(vendor.http_status, status);
        assert_eq!(vendor.is_retryable(), info.retryable);
        assert_eq!(
            e.to_string(),
            format!(
                "receipt: the service answered {} ({}): {}",
                info.code, info.name, info.message
            )
        );
        assert!(!e.to_string().contains(SECRET) && !e.to_string().contains(INVOKE_KEY));
    }
    // The docs' generic example body: a code the spec does not know.
    server.reply_next(400, fixture("common.error.json"));
    let e = client.receipt(&image).await.unwrap_err();
    assert_eq!(
        e.vendor().map(|v| &v.code),
        Some(&VendorErrorCode::ClovaDocumentOcr(ErrorCode::Unknown(
            "Error Code".into()
        )))
    );
    // A gateway page is not a vendor error.
    server.reply_next(502, "<html>Bad Gateway</html>");
    let e = client.receipt(&image).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Status { status: 502, .. })
        ),
        "{e:?}"
    );
    // A member of a shape the spec does not take is set aside and named;
    // the rest of the reading stays.
    server.reply_next(
        200,
        r#"{"images":[{"inferResult":"SUCCESS","receipt":{"result":{"totalPrice":7,"storeInfo":{"name":{"text":"a"}}}}}]}"#,
    );
    // (Warn, whatever OCRWIRE_DRIFT says: this answer has drift on purpose.)
    let warn = ClovaClient::builder(&server.invoke_url(), SECRET)
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .drift(ocrwire::wire::drift::DriftMode::Warn)
        .build()
        .unwrap();
    let read = warn.receipt(&image).await.unwrap();
    assert_eq!(read.document().store_name().map(|s| s.expose()), Some("a"));
    let paths: Vec<&str> = read.drift().iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["images[0].receipt.result.totalPrice"]);
    assert_eq!(
        server.seen().len() - before,
        clova::FAMILY.errors.len() + 3,
        "one request per call"
    );
}

// ---- against the emulator --------------------------------------------------

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator")
}

fn emulator_client(emulator: &Emulator, encoding: RequestEncoding) -> ClovaClient {
    ClovaClient::builder(
        &emulator.clova_invoke_url(),
        emulator.credentials().clova_secret.expose(),
    )
    .encoding(encoding)
    .build()
    .expect("client")
}

/// A little-endian TIFF with width and height tags (one page).
fn tiff(width: u16, height: u16) -> Vec<u8> {
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    out.extend_from_slice(&2u16.to_le_bytes());
    for (tag, value) in [(256u16, width), (257, height)] {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&3u16.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&value.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out
}

#[tokio::test]
async fn every_endpoint_both_encodings_against_the_emulator() {
    let emulator = emulator().await;
    for encoding in ENCODINGS {
        let client = emulator_client(&emulator, encoding);
        let receipt = client.receipt(&example("receipt.jpg")).await.unwrap();
        assert!(receipt.document().store_name().is_some());
        assert!(uuid::Uuid::parse_str(receipt.request_id().unwrap()).is_ok());
        assert_eq!(receipt.image().name.as_deref(), Some(IMAGE_NAME));
        let card = client.credit_card(&example("card.png")).await.unwrap();
        assert!(card.document().number().is_some());
        let name_card = client.name_card(&example("card.png")).await.unwrap();
        assert!(name_card.document().name().is_some());
        let biz = client.biz_license(&example("card.png")).await.unwrap();
        assert!(biz.document().register_number().is_some());
        let passport = client.passport(&example("passport.png")).await.unwrap();
        assert!(passport.document().document_number().is_some());
        for (file, kind) in [
            ("id-card.png", IdCardKind::ResidentCard),
            ("driver-license.png", IdCardKind::DriverLicense),
            ("passport.png", IdCardKind::Passport),
            ("alien-card.png", IdCardKind::AlienCard),
        ] {
            let id = client.id_card(&example(file)).await.unwrap();
            assert_eq!(id.document().kind(), Some(kind), "{file}");
            assert!(id.document().name().is_some(), "{file}");
        }
        // PDF and TIFF pages, with the converted page's size.
        let pdf = b"%PDF-1.4\n3 0 obj\n<< /Type /Page /MediaBox [0 0 600 800] >>\nendobj\n";
        let read = client
            .receipt(&Image::from_bytes("scan.pdf", pdf.to_vec()).unwrap())
            .await
            .unwrap();
        let info = read.image().converted_image_info.clone().unwrap();
        assert_eq!(
            (info.width, info.height, info.page_index),
            (Some(600), Some(800), Some(0))
        );
        let read = client
            .receipt(&Image::from_bytes("fax.tif", tiff(640, 480)).unwrap())
            .await
            .unwrap();
        assert_eq!(
            read.image().converted_image_info.clone().unwrap().width,
            Some(640)
        );
    }
    assert_eq!(emulator.total_requests(), 2 * 11);
    emulator.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_emulators_failures_arrive_typed() {
    let emulator = emulator().await;
    let client = emulator_client(&emulator, RequestEncoding::Multipart);

    let e = client
        .receipt(&example("unreadable.png"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Recognition(RecognitionError::NotRecognized {
                infer_result: InferResult::Failure,
                ..
            })
        ),
        "{e:?}"
    );
    let mut erroring = example("text.png").bytes().to_vec();
    erroring.extend_from_slice(b"ocrwire:error");
    let e = client
        .id_card(&Image::from_bytes("x.png", erroring).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Recognition(RecognitionError::NotRecognized {
                infer_result: InferResult::Error,
                ..
            })
        ),
        "{e:?}"
    );

    let code_of = |e: &Error| match e.vendor().map(|v| (&v.code, v.http_status)) {
        Some((VendorErrorCode::ClovaDocumentOcr(code), status)) => {
            (code.code().to_string(), status)
        }
        _ => panic!("{e:?}"),
    };
    let wrong_secret = ClovaClient::new(&emulator.clova_invoke_url(), "not-the-secret").unwrap();
    let e = wrong_secret
        .receipt(&example("receipt.jpg"))
        .await
        .unwrap_err();
    assert_eq!(code_of(&e), ("0002".to_string(), 401));
    let base = emulator.clova_invoke_url();
    let (domain_part, key) = base.rsplit_once('/').unwrap();
    let wrong_key = ClovaClient::new(
        &format!("{domain_part}/wrong-key"),
        emulator.credentials().clova_secret.expose(),
    )
    .unwrap();
    let e = wrong_key
        .receipt(&example("receipt.jpg"))
        .await
        .unwrap_err();
    assert_eq!(code_of(&e), ("0001".to_string(), 400));
    let (prefix, _domain) = domain_part.rsplit_once('/').unwrap();
    let wrong_domain = ClovaClient::new(
        &format!("{prefix}/9999999/{key}"),
        emulator.credentials().clova_secret.expose(),
    )
    .unwrap();
    let e = wrong_domain
        .receipt(&example("receipt.jpg"))
        .await
        .unwrap_err();
    assert_eq!(code_of(&e), ("0022".to_string(), 400));
    emulator.shutdown().await.unwrap();
}
