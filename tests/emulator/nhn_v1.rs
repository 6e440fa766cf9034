//! The emulator's answers for NHN Document OCR v1.x and Document AI v1.x,
//! which no handler of its own serves: everything comes from the specs
//! (the generic answer, the spec's examples, its checked forms and its
//! codes for each situation). Requests are built by hand as the guides
//! document them, so the client's own checks are not in the way.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use ocrwire::descriptor::{Endpoint, Family};
use ocrwire::emulator::Emulator;
use ocrwire::wire::nhn_document_ai_v1 as ai;
use ocrwire::wire::nhn_document_ocr_v1 as v1;
use reqwest::multipart::Form;
use serde_json::{Value, json};

async fn post(emu: &Emulator, endpoint: &Endpoint, body: Body) -> (u16, Value) {
    post_as(emu, endpoint, body, ("Authorization", secret(emu))).await
}

enum Body {
    Json(Value),
    Form(Form),
}

async fn post_as(
    emu: &Emulator,
    endpoint: &Endpoint,
    body: Body,
    (header, value): (&str, String),
) -> (u16, Value) {
    post_to(emu, nhn_url(emu, endpoint, ""), body, (header, value)).await
}

async fn post_to(
    _emu: &Emulator,
    url: String,
    body: Body,
    (header, value): (&str, String),
) -> (u16, Value) {
    let request = http().post(url).header(header, value);
    let request = match body {
        Body::Json(json) => request.json(&json),
        Body::Form(form) => request.multipart(form),
    };
    let (status, _, body) = json_of(request.send().await.unwrap()).await;
    (status, body)
}

fn ask(prompt: &str) -> Form {
    file_form("image", TEXT_PNG.to_vec())
        .text("documentTypeCode", "GENERAL")
        .text("prompt", prompt.to_owned())
}

fn refused(family: &Family, endpoint: &Endpoint, (status, body): (u16, Value), code: &str) {
    assert_nhn_error(family, endpoint, status, &body, code);
}

/// Width and height from a PNG's header.
fn png_size(png: &[u8]) -> (i64, i64) {
    let be = |at: usize| i64::from(u32::from_be_bytes(png[at..at + 4].try_into().unwrap()));
    (be(16), be(20))
}

fn example(path: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/spec/examples/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn every_new_endpoint_answers_its_documented_example() {
    let emu = start().await;
    for (endpoint, body, example_file) in [
        (
            &v1::BUSINESS,
            Body::Form(file_form("image", TEXT_PNG.to_vec())),
            "nhn/document-v1/business.json",
        ),
        (
            &v1::CREDIT_CARD,
            Body::Form(file_form("image", CARD_PNG.to_vec())),
            "nhn/document-v1/credit-card.json",
        ),
        (
            &v1::BUSINESS_STATUS,
            Body::Json(json!({"businessNumber": "1234567890"})),
            "nhn/document-v1/business-status.json",
        ),
        (
            &ai::DOCUMENT_AI,
            Body::Form(ask("Summarize")),
            "nhn/document-ai/document-ai.json",
        ),
    ] {
        let (status, answer) = post(&emu, endpoint, body).await;
        assert_eq!(status, 200, "{}: {answer}", endpoint.name);
        assert_eq!(answer["header"]["isSuccessful"], true, "{answer}");
        // The example, with its boxes moved inside the image sent.
        let (mut got, mut want) = (answer["result"].clone(), example(example_file));
        for boxes in ["boxes", "cardNumBoxes", "validThruBox"] {
            assert_eq!(
                got.get(boxes).is_some(),
                want.get(boxes).is_some(),
                "{boxes}"
            );
            got.as_object_mut().unwrap().remove(boxes);
            want.as_object_mut().unwrap().remove(boxes);
        }
        assert_eq!(got, want, "{}", endpoint.name);
        let (width, height) = png_size(if endpoint.name == "credit-card" {
            CARD_PNG
        } else {
            TEXT_PNG
        });
        for b in answer["result"]["boxes"].as_array().into_iter().flatten() {
            for (x, y) in [("x1", "y1"), ("x3", "y3")] {
                assert!(
                    b[x].as_i64().unwrap() < width && b[y].as_i64().unwrap() < height,
                    "{b}"
                );
            }
        }
    }
    // A PDF certificate is taken (the other endpoints take images only).
    let pdf =
        b"%PDF-1.4\n1 0 obj << /Type /Page /MediaBox [0 0 595 842] >>\nendobj\n%%EOF".to_vec();
    let (status, answer) = post(
        &emu,
        &v1::BUSINESS,
        Body::Form(file_form("image", pdf.clone())),
    )
    .await;
    assert_eq!(
        (status, &answer["header"]["isSuccessful"]),
        (200, &json!(true)),
        "{answer}"
    );
    let refusal = post(&emu, &v1::CREDIT_CARD, Body::Form(file_form("image", pdf))).await;
    refused(&v1::FAMILY, &v1::CREDIT_CARD, refusal, "4000003");
}

#[tokio::test]
async fn a_malformed_business_number_is_refused_with_its_own_code() {
    let emu = start().await;
    for number in [
        json!("123-45-67890"),
        json!("123456789"),
        json!(1234567890),
        json!(""),
    ] {
        let answer = post(
            &emu,
            &v1::BUSINESS_STATUS,
            Body::Json(json!({"businessNumber": number})),
        )
        .await;
        refused(&v1::FAMILY, &v1::BUSINESS_STATUS, answer, "4000101");
    }
    // Not JSON at all is a malformed body, the family's code for it.
    let url = nhn_url(&emu, &v1::BUSINESS_STATUS, "");
    let response = http()
        .post(url)
        .header("Authorization", secret(&emu))
        .header("content-type", "application/json")
        .body("{\"businessNumber\": ")
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    refused(&v1::FAMILY, &v1::BUSINESS_STATUS, (status, body), "4000001");
}

#[tokio::test]
async fn an_over_long_prompt_or_an_unknown_document_type_is_refused() {
    let emu = start().await;
    let fits = post(&emu, &ai::DOCUMENT_AI, Body::Form(ask(&"가".repeat(1000)))).await;
    assert_eq!(fits.1["header"]["isSuccessful"], true, "{}", fits.1);
    for form in [
        ask(&"가".repeat(1001)),
        ask(""),
        file_form("image", TEXT_PNG.to_vec())
            .text("documentTypeCode", "RECEIPT")
            .text("prompt", "?"),
        // The guides' curl quotes the value: the quotes are part of it.
        file_form("image", TEXT_PNG.to_vec())
            .text("documentTypeCode", "\"GENERAL\"")
            .text("prompt", "?"),
    ] {
        let answer = post(&emu, &ai::DOCUMENT_AI, Body::Form(form)).await;
        refused(&ai::FAMILY, &ai::DOCUMENT_AI, answer, "4000001");
    }
    // No prompt at all: a required part missing.
    let answer = post(
        &emu,
        &ai::DOCUMENT_AI,
        Body::Form(file_form("image", TEXT_PNG.to_vec())),
    )
    .await;
    refused(&ai::FAMILY, &ai::DOCUMENT_AI, answer, "4000001");
}

#[tokio::test]
async fn a_wrong_secret_or_token_is_refused_in_each_version() {
    let emu = start().await;
    for (family, endpoint) in [
        (&v1::FAMILY, &v1::BUSINESS),
        (&v1::FAMILY, &v1::BUSINESS_STATUS),
        (&v1::FAMILY, &v1::CREDIT_CARD),
        (&ai::FAMILY, &ai::DOCUMENT_AI),
    ] {
        let body = || match endpoint.name {
            "business-status" => Body::Json(json!({"businessNumber": "1234567890"})),
            "document-ai" => Body::Form(ask("?")),
            _ => Body::Form(file_form("image", TEXT_PNG.to_vec())),
        };
        let answer = post_as(&emu, endpoint, body(), ("Authorization", "wrong".into())).await;
        refused(family, endpoint, answer, "4010001");
        // v1.1: a token the emulator never issued.
        let url = nhn_url(&emu, endpoint, "").replacen("/v1.0/", "/v1.1/", 1);
        let answer = post_to(
            &emu,
            url,
            body(),
            ("X-NHN-Authorization", "Bearer not-a-token".into()),
        )
        .await;
        refused(family, endpoint, answer, "4010006");
    }
}

#[tokio::test]
async fn nothing_recognized_answers_each_endpoint_s_own_code() {
    let emu = start().await;
    let blank = with_marker(TEXT_PNG, "ocrwire:failure");
    let answer = post(
        &emu,
        &v1::BUSINESS,
        Body::Form(file_form("image", blank.clone())),
    )
    .await;
    refused(&v1::FAMILY, &v1::BUSINESS, answer, "5003003");
    let answer = post(
        &emu,
        &v1::CREDIT_CARD,
        Body::Form(file_form("image", blank.clone())),
    )
    .await;
    refused(&v1::FAMILY, &v1::CREDIT_CARD, answer, "4000111");
    let form = file_form("image", blank).text("prompt", "?");
    let answer = post(&emu, &ai::DOCUMENT_AI, Body::Form(form)).await;
    refused(&ai::FAMILY, &ai::DOCUMENT_AI, answer, "4000601");
}
