//! Fault injection: every Nth call rate-limited or failing with HTTP 500, a
//! call quota, added latency, and key rotation every N calls. Calls are
//! numbered across all endpoints, so each test counts exactly.

#![cfg(feature = "emulator")]

use std::num::NonZeroU64;
use std::time::{Duration, Instant};

use crate::support::emulator::*;
use base64::Engine as _;
use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
use ocrwire::wire::{
    clova_document_ocr as clova, nhn_document_ocr_v2 as doc, nhn_general_ocr_v1 as general,
};
use serde_json::{Value, json};

async fn with_faults(faults: Faults) -> Emulator {
    start_with(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    })
    .await
}

async fn general_call(emu: &Emulator) -> (u16, Value) {
    let response = http()
        .post(nhn_url(emu, &general::GENERAL, ""))
        .header("Authorization", secret(emu))
        .multipart(file_form("image", TEXT_PNG.to_vec()))
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

async fn clova_call(emu: &Emulator) -> (u16, Value) {
    let body = json!({
        "version": "V2", "requestId": "r", "timestamp": 0,
        "images": [{"format": "png", "name": "n", "data": base64::engine::general_purpose::STANDARD.encode(TEXT_PNG)}],
    });
    let response = http()
        .post(format!("{}{}", emu.clova_invoke_url(), clova::RECEIPT.path))
        .header("X-OCR-SECRET", emu.credentials().clova_secret.expose())
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, _, body) = json_of(response).await;
    (status, body)
}

fn clova_path(emu: &Emulator) -> String {
    let url = format!("{}{}", emu.clova_invoke_url(), clova::RECEIPT.path);
    reqwest::Url::parse(&url).unwrap().path().to_owned()
}

#[tokio::test]
async fn every_nth_call_is_rate_limited() {
    let emu = with_faults(Faults {
        rate_limit_every: NonZeroU64::new(2),
        ..Faults::default()
    })
    .await;
    let (status, body) = general_call(&emu).await;
    assert_eq!(
        (status, &body["header"]["isSuccessful"]),
        (200, &json!(true))
    );
    let (status, body) = general_call(&emu).await;
    assert_nhn_error(
        &general::FAMILY,
        &general::GENERAL,
        status,
        &body,
        "4000006",
    );
    let (status, _) = clova_call(&emu).await;
    assert_eq!(status, 200);
    let (status, body) = clova_call(&emu).await;
    assert_clova_error(&clova::FAMILY, status, &body, "0025", &clova_path(&emu));
    assert_eq!(emu.total_requests(), 4);
    assert_eq!(emu.requests(&general::GENERAL), 2);
    assert_eq!(emu.requests(&clova::RECEIPT), 2);
}

#[tokio::test]
async fn every_nth_call_fails_with_500() {
    let emu = with_faults(Faults {
        server_error_every: NonZeroU64::new(1),
        ..Faults::default()
    })
    .await;
    let (status, body) = general_call(&emu).await;
    assert_eq!(status, 500);
    assert_nhn_body(&general::FAMILY, &body, "-1");
    let (status, body) = clova_call(&emu).await;
    assert_eq!(status, 500);
    assert_clova_error(&clova::FAMILY, status, &body, "0500", &clova_path(&emu));
}

#[tokio::test]
async fn calls_beyond_the_quota_are_refused() {
    let emu = with_faults(Faults {
        call_quota: Some(1),
        ..Faults::default()
    })
    .await;
    assert_eq!(clova_call(&emu).await.0, 200);
    let (status, body) = clova_call(&emu).await;
    assert_clova_error(&clova::FAMILY, status, &body, "0023", &clova_path(&emu));
    let (status, body) = general_call(&emu).await;
    assert_nhn_error(
        &general::FAMILY,
        &general::GENERAL,
        status,
        &body,
        "4000006",
    );
}

#[tokio::test]
async fn latency_is_added() {
    let emu = with_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    })
    .await;
    let started = Instant::now();
    assert_eq!(general_call(&emu).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn keys_rotate_every_n_calls() {
    let emu = with_faults(Faults {
        rotate_keys_every: NonZeroU64::new(3),
        ..Faults::default()
    })
    .await;
    // Call 1: the key. Calls 2 and 3 succeed; the key rotates after call 3.
    let old = public_key(&emu, "credit-card").await;
    for _ in 0..2 {
        let (_, _, body) =
            post_sealed_image(&emu, &doc::CREDIT_CARD, &envelope(&old), CARD_PNG).await;
        assert_eq!(body["header"]["resultCode"], 0, "{body}");
    }
    // Call 4: sealed for the old version.
    let (status, _, body) =
        post_sealed_image(&emu, &doc::CREDIT_CARD, &envelope(&old), CARD_PNG).await;
    assert_nhn_error(&doc::FAMILY, &doc::CREDIT_CARD, status, &body, "4000301");
    // Call 5: a new key; call 6 succeeds with it.
    let new = public_key(&emu, "credit-card").await;
    assert_ne!(new.version(), old.version());
    let (_, _, body) = post_sealed_image(&emu, &doc::CREDIT_CARD, &envelope(&new), CARD_PNG).await;
    assert_eq!(body["header"]["resultCode"], 0, "{body}");
    assert_eq!(emu.requests(&doc::PUBLIC_KEY), 2);
    assert_eq!(emu.requests(&doc::CREDIT_CARD), 4);
}

#[tokio::test]
async fn the_rate_limit_admits_r_calls_a_second_per_service() {
    let emu = with_faults(Faults {
        rate_limit_per_sec: std::num::NonZeroU32::new(3),
        ..Faults::default()
    })
    .await;
    // Six calls at once to each service: three pass, three get the code the
    // spec marks `throttling`, each service counted on its own.
    let general: Vec<_> = futures_util::future::join_all((0..6).map(|_| general_call(&emu))).await;
    let clova: Vec<_> = futures_util::future::join_all((0..6).map(|_| clova_call(&emu))).await;
    let passed = |answers: &[(u16, Value)], ok: fn(&(u16, Value)) -> bool| {
        answers.iter().filter(|a| ok(a)).count()
    };
    assert_eq!(
        passed(&general, |(_, b)| b["header"]["isSuccessful"] == true),
        3
    );
    assert_eq!(passed(&clova, |(s, _)| *s == 200), 3);
    for (status, body) in general
        .iter()
        .filter(|(_, b)| b["header"]["isSuccessful"] != true)
    {
        assert_nhn_error(
            &general::FAMILY,
            &general::GENERAL,
            *status,
            body,
            "4000006",
        );
    }
    for (status, body) in clova.iter().filter(|(s, _)| *s != 200) {
        assert_clova_error(&clova::FAMILY, *status, body, "0025", &clova_path(&emu));
    }
    assert_eq!(emu.throttled(), 6);
    // A second later the window has moved on.
    tokio::time::sleep(Duration::from_millis(1050)).await;
    assert_eq!(general_call(&emu).await.1["header"]["isSuccessful"], true);
    assert_eq!(
        general::FAMILY.throttling_code().map(|c| c.code),
        Some("4000006"),
        "the code answered is the one the spec marks"
    );
}
