//! NHN Document OCR v1.x (business registration, business status, the
//! plaintext credit card) and Document AI v1.x, brought in as spec edits:
//! their generated clients over real HTTP on 127.0.0.1, against a
//! hand-written stand-in that records the wire and against the emulator.
#![cfg(feature = "emulator")] // needs axum test servers and the emulator

use crate::support::emulator::{self as emulator_support, with_marker};
use crate::support::example;
use crate::support::stand_in::{APP_KEY, SECRET_KEY, StandIn};
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::error::{InvalidInput, VendorErrorCode};
use ocrwire::nhn::{DocumentAiClient, DocumentV1Client};
use ocrwire::wire::nhn_document_ai_v1::{self as ai, DocumentAiRequest, DocumentTypeCode};
use ocrwire::wire::nhn_document_ocr_v1::{self as v1, BusinessStatusCode};
use ocrwire::{Error, Image};
use serde_json::{Value, json};

fn no_retries() -> TransportConfig {
    TransportConfig::default().with_retry(RetryPolicy::disabled())
}

fn v1_client(base_url: &str) -> DocumentV1Client {
    DocumentV1Client::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(base_url)
        .transport(no_retries())
        .build()
        .unwrap()
}

fn ai_client(base_url: &str) -> DocumentAiClient {
    DocumentAiClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(base_url)
        .transport(no_retries())
        .build()
        .unwrap()
}

fn vendor_code(e: &Error) -> Option<&VendorErrorCode> {
    e.vendor().map(|v| &v.code)
}

fn ask(image: Image, prompt: &str) -> DocumentAiRequest {
    DocumentAiRequest {
        image,
        document_type_code: Some(DocumentTypeCode::BusinessCard),
        prompt: prompt.to_string(),
    }
}

#[tokio::test]
async fn each_call_goes_out_as_the_guides_prescribe_and_reads_their_examples() {
    let server = StandIn::start(&v1::FAMILY).await;
    let client = v1_client(&server.base_url);
    let scan = example("text.png");

    // Business registration: one multipart `image`, the secret key as the
    // whole Authorization header, the app key in the path.
    let expected = server.succeed_next("nhn/document-v1/business.json");
    let read = client.business(&scan).await.unwrap();
    assert!(read.drift().is_empty());
    let read = read.into_inner();
    let items = read.key_values.as_ref().unwrap();
    assert_eq!(items.len(), expected["keyValues"].as_array().unwrap().len());
    // Free Korean labels, values as read (the leading space kept), and a
    // confidence the example writes as the integer 1.
    assert_eq!(items[0].key.as_deref(), Some("구분"));
    assert_eq!(items[0].value.as_ref().unwrap().expose(), " 간이과세자");
    assert_eq!(items[1].conf, Some(1.0));
    assert_eq!(read.unit_type.as_deref(), Some("pixel"));
    let seen = server.last();
    assert_eq!(seen.path, format!("/v1.0/appkeys/{APP_KEY}/business"));
    assert_eq!(seen.header("authorization"), Some(SECRET_KEY));
    assert_eq!(seen.parts.len(), 1);
    assert_eq!(seen.part("image").unwrap().bytes, scan.bytes());

    // Business status: a JSON body of the number, sent as JSON.
    server.succeed_next("nhn/document-v1/business-status.json");
    let status = client.business_status("1234567890").await.unwrap();
    assert_eq!(status.status_code, Some(BusinessStatusCode::NotInBusiness));
    let seen = server.last();
    assert_eq!(
        seen.path,
        format!("/v1.0/appkeys/{APP_KEY}/business/status")
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.json, Some(json!({"businessNumber": "1234567890"})));
    assert!(seen.parts.is_empty());

    // The plaintext credit card: the image as it is, nothing sealed.
    let card = example("card.png");
    let expected = server.succeed_next("nhn/document-v1/credit-card.json");
    let read = client.credit_card(&card).await.unwrap().into_inner();
    assert_eq!(serde_json::to_value(&read).unwrap(), expected);
    assert_eq!(server.last().part("image").unwrap().bytes, card.bytes());
    assert!(server.last().header("x-ocr-symmetric-key").is_none());
    // Card numbers are personal data even in plaintext.
    assert!(!format!("{read:?}").contains("1111"), "{read:?}");
}

#[tokio::test]
async fn document_ai_sends_the_prompt_and_type_as_bare_text_parts() {
    let server = StandIn::start(&ai::FAMILY).await;
    let client = ai_client(&server.base_url);
    let expected = server.succeed_next("nhn/document-ai/document-ai.json");
    let answer = client
        .document_ai(&ask(example("text.png"), "이 명함의 이름은?"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(serde_json::to_value(&answer).unwrap(), expected);
    let seen = server.last();
    assert_eq!(seen.path, format!("/v1.0/appkeys/{APP_KEY}/document-ai"));
    let names: Vec<&str> = seen.parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["image", "documentTypeCode", "prompt"]);
    // No quotes around the values (the guides' curl has them), and no
    // content type of their own, as curl's -F name=value sends a field.
    assert_eq!(seen.text("documentTypeCode").unwrap(), "BUSINESS_CARD");
    assert_eq!(seen.text("prompt").unwrap(), "이 명함의 이름은?");
    assert_eq!(seen.part("prompt").unwrap().content_type, None);

    // Left out, the type is not sent (the service defaults to GENERAL).
    server.succeed_next("nhn/document-ai/document-ai.json");
    let mut request = ask(example("text.png"), "Summarize");
    request.document_type_code = None;
    client.document_ai(&request).await.unwrap();
    assert!(server.last().part("documentTypeCode").is_none());
}

#[tokio::test]
async fn the_spec_s_checked_forms_refuse_input_before_anything_is_sent() {
    let server = StandIn::start(&v1::FAMILY).await;
    let client = v1_client(&server.base_url);
    for bad in [
        "123-45-67890",
        "123456789",
        "12345678901",
        "",
        "１２３４５６７８９０",
    ] {
        let e = client.business_status(bad).await.unwrap_err();
        assert!(
            matches!(
                &e,
                Error::Invalid(InvalidInput::Field {
                    field: "businessNumber",
                    ..
                })
            ),
            "{bad:?}: {e}"
        );
        if !bad.is_empty() {
            assert!(
                !e.to_string().contains(bad),
                "the value is never shown: {e}"
            );
        }
    }
    assert!(server.seen().is_empty(), "nothing was sent");

    let server = StandIn::start(&ai::FAMILY).await;
    let client = ai_client(&server.base_url);
    server.succeed_next("nhn/document-ai/document-ai.json");
    // 1,000 characters, counted as characters (a Korean syllable is one).
    for (prompt, ok) in [
        ("가".repeat(1000), true),
        ("가".repeat(1001), false),
        ("a".repeat(1001), false),
        (String::new(), false),
    ] {
        let outcome = client.document_ai(&ask(example("text.png"), &prompt)).await;
        match (outcome, ok) {
            (Ok(_), true) => {}
            (
                Err(Error::Invalid(InvalidInput::Field {
                    field: "prompt", ..
                })),
                false,
            ) => {}
            (other, _) => panic!("{} characters: {other:?}", prompt.chars().count()),
        }
    }
    assert_eq!(server.seen().len(), 1, "only the prompt that fits was sent");
}

#[tokio::test]
async fn the_new_pages_codes_decode_as_their_named_variants() {
    let server = StandIn::start(&v1::FAMILY).await;
    let client = v1_client(&server.base_url);
    for (code, message, variant) in [
        (
            4000102,
            "Business number that does not exist.",
            v1::ErrorCode::BusinessNumberNotFound,
        ),
        (
            4000101,
            "Invalid business registration format.",
            v1::ErrorCode::InvalidBusinessRegistrationFormat,
        ),
        (
            5003004,
            "Document(business) Status Api fail.",
            v1::ErrorCode::BusinessStatusCheckFailed,
        ),
        // On the error-code page, with no endpoint named: still a variant.
        (
            4000402,
            "Service use request already in progress.",
            v1::ErrorCode::ServiceUseRequestInProgress,
        ),
    ] {
        server.refuse_next(code, message);
        let e = client.business_status("1234567890").await.unwrap_err();
        assert_eq!(
            vendor_code(&e),
            Some(&VendorErrorCode::NhnDocumentOcrV1(variant)),
            "{e}"
        );
    }
    server.refuse_next(4000103, "PDF file is password protected.");
    let pdf = Image::from_bytes("locked.pdf", b"%PDF-1.7\n%locked".to_vec()).unwrap();
    let e = client.business(&pdf).await.unwrap_err();
    assert_eq!(
        vendor_code(&e),
        Some(&VendorErrorCode::NhnDocumentOcrV1(
            v1::ErrorCode::PdfPasswordProtected
        ))
    );

    let server = StandIn::start(&ai::FAMILY).await;
    let client = ai_client(&server.base_url);
    for (code, message, variant) in [
        (
            5006002,
            "Document AI Api returned empty body.",
            ai::ErrorCode::DocumentAiApiReturnedEmpty,
        ),
        (
            4000601,
            "Document AI not found in the image.",
            ai::ErrorCode::from_code(4000601),
        ),
    ] {
        server.refuse_next(code, message);
        let e = client
            .document_ai(&ask(example("text.png"), "?"))
            .await
            .unwrap_err();
        assert_eq!(
            vendor_code(&e),
            Some(&VendorErrorCode::NhnDocumentAiV1(variant.clone())),
            "{e}"
        );
        assert!(!matches!(variant, ai::ErrorCode::Unknown(_)));
    }
}

#[tokio::test]
async fn against_the_emulator_in_both_versions() {
    let emu = emulator_support::start().await;
    let credentials = emu.credentials();
    let secret_key = Credentials::new(
        credentials.nhn_app_key.clone(),
        credentials.nhn_secret_key.expose().to_owned(),
    );
    let user_access_key = Credentials::user_access_key(
        credentials.nhn_app_key.as_str(),
        credentials.user_access_key_id.expose(),
        credentials.secret_access_key.expose(),
    );
    for credentials in [secret_key, user_access_key] {
        let client = DocumentV1Client::builder(credentials.clone())
            .base_url(emu.nhn_base_url())
            .oauth_base_url(emu.oauth_base_url())
            .build()
            .unwrap();
        let read = client.business(&example("text.png")).await.unwrap();
        assert!(read.drift().is_empty());
        let items = read.into_inner().key_values.unwrap();
        assert!(items.iter().any(|kv| kv.key.as_deref() == Some("등록번호")));
        let status = client.business_status("1234567890").await.unwrap();
        assert_eq!(status.status_code, Some(BusinessStatusCode::NotInBusiness));
        let card = client.credit_card(&example("card.png")).await.unwrap();
        assert!(card.card_nums.as_ref().is_some_and(|n| n.len() == 4));

        let ai = DocumentAiClient::builder(credentials)
            .base_url(emu.nhn_base_url())
            .oauth_base_url(emu.oauth_base_url())
            .build()
            .unwrap();
        let answer = ai
            .document_ai(&ask(example("text.png"), "Summarize"))
            .await
            .unwrap();
        assert!(!answer.llm_response.expose().is_empty());

        // The emulator's refusals, typed: nothing recognized in the image.
        let blank = Image::from_bytes(
            "blank.png",
            with_marker(emulator_support::TEXT_PNG, "ocrwire:failure"),
        )
        .unwrap();
        let e = ai.document_ai(&ask(blank.clone(), "?")).await.unwrap_err();
        assert_eq!(
            vendor_code(&e),
            Some(&VendorErrorCode::NhnDocumentAiV1(ai::ErrorCode::from_code(
                4000601
            )))
        );
        let e = client.business(&blank).await.unwrap_err();
        assert_eq!(
            vendor_code(&e),
            Some(&VendorErrorCode::NhnDocumentOcrV1(
                v1::ErrorCode::BusinessRecognitionFailed
            ))
        );
    }
}

#[test]
fn the_blocking_twins_call_the_same_endpoints() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = runtime.block_on(emulator_support::start());
    let credentials = Credentials::new(
        emu.credentials().nhn_app_key.clone(),
        emu.credentials().nhn_secret_key.expose().to_owned(),
    );
    let client = ocrwire::blocking::DocumentV1Client::build(
        DocumentV1Client::builder(credentials.clone()).base_url(emu.nhn_base_url()),
    )
    .unwrap();
    let status = client.business_status("1234567890").unwrap();
    assert_eq!(status.status_code, Some(BusinessStatusCode::NotInBusiness));
    assert!(matches!(
        client.business_status("12345").unwrap_err(),
        Error::Invalid(InvalidInput::Field {
            field: "businessNumber",
            ..
        })
    ));
    let ai = ocrwire::blocking::DocumentAiClient::build(
        DocumentAiClient::builder(credentials).base_url(emu.nhn_base_url()),
    )
    .unwrap();
    let answer = ai
        .document_ai(&ask(example("text.png"), "Summarize"))
        .unwrap();
    assert!(!answer.llm_response.expose().is_empty());
    let _: Value = serde_json::to_value(answer.into_inner()).unwrap();
}
