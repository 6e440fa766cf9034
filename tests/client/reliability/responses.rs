//! Hostile or broken answers: each gives a typed error naming what was
//! wrong (the field path where there is one), never a panic and never
//! wrong data. Answers are built under the request's own symmetric key
//! where the attack needs it.

use ocrwire::Error;
use ocrwire::envelope::{EnvelopeError, SymmetricKey};
use ocrwire::error::{Prerequisite, TransportError};
use ocrwire::wire::drift::{Drift, DriftKind, DriftMode};
use serde_json::json;

use super::hostile::{Act, Hostile, card_result, id_result, key_of, one_block, sealed};
use super::{document, example, general, no_retries};

/// The error a credit-card call gets when the server answers `act`.
async fn card_error(act: impl FnOnce(&super::hostile::Seen) -> Act + Send + 'static) -> Error {
    let server = Hostile::start().await;
    server.then(act);
    document(&server.base_url, no_retries())
        .credit_card(&example("card.png"))
        .await
        .expect_err("a hostile answer must not pass")
}

fn malformed_at(e: &Error, path: &str) {
    assert!(
        matches!(e, Error::MalformedResponse { .. }),
        "expected a malformed-response error at {path}, got {e:?}"
    );
    assert_eq!(e.field_path(), Some(path), "{e}");
}

fn decrypt_failure(e: &Error, path: &str, source: EnvelopeError) {
    let Error::Decrypt { source: field, .. } = e else {
        panic!("expected a decryption error at {path}, got {e:?}")
    };
    assert_eq!(field.path, path);
    assert_eq!(field.source, source, "{e}");
}

#[tokio::test]
async fn answers_that_are_not_the_documented_json_name_the_place() {
    malformed_at(
        &card_error(|_| Act::raw(200, "<html>hello</html>")).await,
        "(body)",
    );
    malformed_at(&card_error(|_| Act::raw(200, "")).await, "(body)");
    malformed_at(&card_error(|_| Act::raw(200, "\u{feff}{}")).await, "(body)");
    malformed_at(
        &card_error(|_| Act::raw(200, [0xff, 0xfe, 0x00])).await,
        "(body)",
    );
    malformed_at(&card_error(|_| Act::json(200, &json!([]))).await, "(body)");
    malformed_at(
        &card_error(|_| Act::json(200, &json!({"result": {}}))).await,
        "header",
    );
    malformed_at(
        &card_error(|_| {
            Act::json(
                200,
                &json!({"header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"}}),
            )
        })
        .await,
        "result",
    );
    malformed_at(
        &card_error(|_| {
            Act::json(
                200,
                &json!({"header": {"isSuccessful": "yes", "resultCode": 0, "resultMessage": ""}}),
            )
        })
        .await,
        "header.isSuccessful",
    );
    malformed_at(
        &card_error(|_| {
            Act::json(
                200,
                &json!({"header": {"isSuccessful": true, "resultCode": 0}, "result": {}}),
            )
        })
        .await,
        "header.resultMessage",
    );
    // An optional member in another shape than the spec's is set aside and
    // reported as drift: the rest of the answer decodes, and only
    // `DriftMode::Fail` makes it an error, which names the member.
    for (result, path) in [
        (
            json!({"fileType": "png", "cardNums": "1111"}),
            "result.cardNums",
        ),
        (
            json!({"fileType": "png", "cardNums": [{"value": 1111}]}),
            "result.cardNums[0].value",
        ),
    ] {
        let answer = card_answer(DriftMode::Warn, Act::nhn_ok(result.clone())).await;
        assert_eq!(answer.file_type.as_deref(), Some("png"));
        unexpected_shape_at(answer.drift(), path);
        let e = card_answer_error(DriftMode::Fail, Act::nhn_ok(result)).await;
        drift_error_at(&e, path);
    }
    // A number too big for any type, deep inside: the answer is not JSON
    // a decoder can read, whatever the member.
    malformed_at(
        &card_error(|_| {
            Act::raw(
                200,
                r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},
                    "result":{"cardNums":[{"conf":1e400}]}}"#,
            )
        })
        .await,
        "result.cardNums[0].conf",
    );
}

#[tokio::test]
async fn values_in_malformed_answers_never_reach_the_message() {
    let hostile = json!({"fileType": ["900101-1234567"]});
    let e = card_answer_error(DriftMode::Fail, Act::nhn_ok(hostile.clone())).await;
    drift_error_at(&e, "result.fileType");
    assert!(!format!("{e} {e:?}").contains("900101"), "{e}");
    let answer = card_answer(DriftMode::Warn, Act::nhn_ok(hostile)).await;
    assert!(!format!("{:?}", answer.drift()).contains("900101"));
    let e = card_error(|_| {
        Act::json(
            200,
            &json!({"header": {"isSuccessful": true, "resultCode": ["900101-1234567"], "resultMessage": ""}}),
        )
    })
    .await;
    malformed_at(&e, "header.resultCode");
    assert!(!format!("{e} {e:?}").contains("900101"), "{e}");
}

/// The answer of a credit-card call, by a client in `mode`, when the server
/// answers `act`.
async fn card_answer(
    mode: DriftMode,
    act: Act,
) -> ocrwire::client::Answer<ocrwire::wire::nhn_document_ocr_v2::CreditCardResult> {
    let server = Hostile::start().await;
    server.then(move |_| act);
    document_in(&server.base_url, mode)
        .credit_card(&example("card.png"))
        .await
        .expect("an answer with drift still decodes")
}

async fn card_answer_error(mode: DriftMode, act: Act) -> Error {
    let server = Hostile::start().await;
    server.then(move |_| act);
    document_in(&server.base_url, mode)
        .credit_card(&example("card.png"))
        .await
        .expect_err("refused in this drift mode")
}

fn document_in(base_url: &str, mode: DriftMode) -> ocrwire::nhn::DocumentClient {
    ocrwire::nhn::DocumentClient::builder(ocrwire::client::Credentials::new(
        super::hostile::APP_KEY,
        super::hostile::SECRET_KEY,
    ))
    .base_url(base_url)
    .transport(no_retries())
    .drift(mode)
    .build()
    .expect("document client")
}

fn unexpected_shape_at(drift: &[Drift], path: &str) {
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(drift[0].path, path);
    assert!(
        matches!(drift[0].kind, DriftKind::UnexpectedShape { .. }),
        "{drift:?}"
    );
}

fn drift_error_at(e: &Error, path: &str) {
    let Error::Drift { drift, .. } = e else {
        panic!("expected a drift error at {path}, got {e:?}")
    };
    unexpected_shape_at(drift, path);
    assert_eq!(e.field_path(), Some(path), "{e}");
}

#[tokio::test]
async fn encrypted_fields_that_do_not_open_are_named() {
    let path = "result.cardNums[0].value";
    // Not Base64.
    let e = card_error(|_| Act::nhn_ok(card_result("not base64!"))).await;
    decrypt_failure(&e, path, EnvelopeError::InvalidBase64);
    // Base64, but not whole AES blocks.
    let e = card_error(|_| Act::nhn_ok(card_result("AAECAwQ="))).await;
    decrypt_failure(&e, path, EnvelopeError::InvalidCiphertextLength { len: 5 });
    // Whole blocks under the request's key, but the padding is wrong.
    let e = card_error(|seen| Act::nhn_ok(card_result(&one_block(key_of(seen), [0; 16])))).await;
    decrypt_failure(&e, path, EnvelopeError::BadPadding);
    // Valid padding, plaintext that is not UTF-8.
    let e = card_error(|seen| Act::nhn_ok(card_result(&sealed(key_of(seen), &[0xff, 0xfe, 0xfd]))))
        .await;
    decrypt_failure(&e, path, EnvelopeError::NotUtf8);
}

#[tokio::test]
async fn ciphertext_under_another_key_is_refused_not_misread() {
    // 64 bytes of text under a key the request did not send. Under the
    // request's key it decrypts to noise: the padding check fails (255 in
    // 256) and, if it passes by chance, 64 random bytes are not UTF-8
    // (beyond 1 in 2^40), so the call fails instead of returning garbage.
    let other = SymmetricKey::from_bytes([7; 32]);
    let text = "1111-2222-3333-4444 valid thru 12/30, holder HONG GILDONG, ok.";
    let ciphertext = other.seal_field(text);
    let e = card_error(move |_| Act::nhn_ok(card_result(&ciphertext))).await;
    let Error::Decrypt { source, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(source.path, "result.cardNums[0].value");
    assert!(
        matches!(
            source.source,
            EnvelopeError::BadPadding | EnvelopeError::NotUtf8
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("1111"), "{e}");
}

#[tokio::test]
async fn public_key_answers_that_cannot_seal_are_typed() {
    // The hostile server always serves a good key; a broken one comes from
    // a server that answers everything with the same body.
    for (result, path) in [
        (json!({"version": "v1"}), "result.key"),
        (
            json!({"key": "bm90IGEga2V5", "version": "v1"}),
            "result.key",
        ),
        (json!({"key": 42, "version": "v1"}), "result.key"),
        (
            json!({"key": super::hostile::server_key().public_key_base64_der()}),
            "result.version",
        ),
        (
            json!({"key": super::hostile::server_key().public_key_base64_der(), "version": "v\n1"}),
            "result.version",
        ),
        // Bounded: it is kept and sent back with every call.
        (
            json!({"key": super::hostile::server_key().public_key_base64_der(), "version": "9".repeat(65)}),
            "result.version",
        ),
        (
            json!({"key": "A".repeat(4097), "version": "v1"}),
            "result.key",
        ),
    ] {
        let (addr, _) = super::hostile::raw_server(move |mut socket| {
            let body = json!({
                "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
                "result": result.clone(),
            })
            .to_string();
            async move {
                use tokio::io::AsyncWriteExt as _;
                super::hostile::read_head(&mut socket).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
            }
        })
        .await;
        let e = document(&format!("http://{addr}"), no_retries())
            .credit_card(&example("card.png"))
            .await
            .unwrap_err();
        // The caller's endpoint, what it needed, then the fetch's failure.
        let Error::Prerequisite {
            endpoint: "credit-card",
            needed: Prerequisite::PublicKey,
            source,
        } = &e
        else {
            panic!("{e:?}")
        };
        assert!(
            e.to_string().starts_with(
                "credit-card: could not get the envelope's public key first: public-key: "
            ),
            "{e}"
        );
        malformed_at(source, path);
    }
}

#[tokio::test]
async fn request_keys_that_are_missing_or_malformed_are_refused() {
    let long = "k".repeat(1025);
    let cases: Vec<(Vec<Vec<u8>>, &str)> = vec![
        (vec![], "missing"),
        (vec![b"".to_vec()], "empty"),
        (vec![b"has space".to_vec()], "not visible ASCII"),
        (vec![b"tab\there".to_vec()], "not visible ASCII"),
        (vec![vec![0xff, 0xfe]], "not visible ASCII"),
        (vec![long.into_bytes()], "longer than 1024 bytes"),
        (
            vec![b"one".to_vec(), b"two".to_vec()],
            "sent more than once",
        ),
    ];
    for (values, reason) in cases {
        let server = Hostile::start().await;
        server.then(move |seen| {
            let mut act = Act::nhn_ok(id_result(key_of(seen)));
            for value in values {
                act = act.header("request-key", value);
            }
            act
        });
        let e = document(&server.base_url, no_retries())
            .id_card(&example("id-card.png"))
            .await
            .unwrap_err();
        malformed_at(&e, "Request-Key (header)");
        assert!(e.to_string().contains(reason), "{reason}: {e}");
    }
}

#[tokio::test]
async fn vendor_messages_are_tidied_and_capped() {
    let message = format!("line\nbreak\u{1b}[31m{}", "x".repeat(5000));
    let e = card_error(move |_| Act::nhn_error(4000001, &message)).await;
    let vendor = e.vendor().expect("vendor error");
    assert!(!vendor.message.contains('\n') && !vendor.message.contains('\u{1b}'));
    assert!(vendor.message.chars().count() <= 501);
}

#[tokio::test]
async fn clova_and_general_answers_are_checked_too() {
    let server = Hostile::start().await;
    let receipt = example("receipt.jpg");
    // Warn, whatever OCRWIRE_DRIFT says: an `images` of another shape is set
    // aside, and an answer without images is what is malformed.
    let client = ocrwire::clova::ClovaClient::builder(
        &format!("{}/custom/v1/1000/invoke-key", server.base_url),
        "clova-secret",
    )
    .transport(no_retries())
    .drift(DriftMode::Warn)
    .build()
    .unwrap();
    server.then(|_| Act::raw(200, "not json"));
    malformed_at(&client.receipt(&receipt).await.unwrap_err(), "(body)");
    server.then(|_| Act::json(200, &json!({"version": "V2", "images": "x"})));
    malformed_at(&client.receipt(&receipt).await.unwrap_err(), "images");
    server.then(|_| {
        Act::json(
            200,
            &json!({"version": "V2", "requestId": "r", "timestamp": 1}),
        )
    });
    malformed_at(&client.receipt(&receipt).await.unwrap_err(), "images");
    // An error status whose body is not CLOVA's: the status is what is known.
    server.then(|_| Act::raw(400, "<html>"));
    let e = client.receipt(&receipt).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Status { status: 400, .. })
        ),
        "{e:?}"
    );

    let text = example("text.png");
    let client = general(&server.base_url, no_retries());
    server.then(|_| Act::raw(200, "{"));
    malformed_at(&client.general(&text).await.unwrap_err(), "(body)");
    // These have drift on purpose: Warn, whatever OCRWIRE_DRIFT says.
    let client = ocrwire::nhn::GeneralClient::builder(ocrwire::client::Credentials::new(
        super::hostile::APP_KEY,
        super::hostile::SECRET_KEY,
    ))
    .base_url(&server.base_url)
    .transport(no_retries())
    .drift(DriftMode::Warn)
    .build()
    .unwrap();
    server.then(|_| Act::nhn_ok(json!({"listOfInferTexts": "x"})));
    let answer = client.general(&text).await.unwrap();
    unexpected_shape_at(answer.drift(), "result.listOfInferTexts");
    server.then(|_| Act::nhn_ok(json!({"fileType": 1})));
    let answer = client.general(&text).await.unwrap();
    unexpected_shape_at(answer.drift(), "result.fileType");
}
