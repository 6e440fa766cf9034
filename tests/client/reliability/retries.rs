//! Retries through the real clients: what is retried, how often, with
//! what waits, under which budget and deadline.

use std::time::{Duration, Instant, SystemTime};

use ocrwire::client::{RetryPolicy, TransportConfig};
use ocrwire::error::{TransportError, VendorErrorCode};
use ocrwire::nhn::ResidentCheck;
use ocrwire::wire::clova_document_ocr::ErrorCode as Clova;
use ocrwire::wire::nhn_document_ocr_v2::ErrorCode as Nhn;
use ocrwire::{Error, Image};
use serde_json::json;

use super::hostile::{Act, Hostile, card_result, id_result, key_of};
use super::{clova, clova_receipt_ok, document, example, no_retries, quick};

fn receipt() -> Image {
    example("receipt.jpg")
}

fn clova_code(e: &Error) -> Option<Clova> {
    match &e.vendor()?.code {
        VendorErrorCode::ClovaDocumentOcr(code) => Some(code.clone()),
        _ => None,
    }
}

fn nhn_code(e: &Error) -> Option<Nhn> {
    match &e.vendor()?.code {
        VendorErrorCode::NhnDocumentOcrV2(code) => Some(code.clone()),
        _ => None,
    }
}

fn resident() -> ResidentCheck {
    ResidentCheck {
        name: "홍길동".into(),
        resident_number: "9001011234567".into(),
        issue_date: "20190512".into(),
    }
}

fn card_ok(seen: &super::hostile::Seen) -> Act {
    Act::nhn_ok(card_result(&key_of(seen).seal_field("1111")))
}

#[tokio::test]
async fn a_clova_rate_limit_is_retried_and_an_exhausted_quota_never_is() {
    let server = Hostile::start().await;
    let client = clova(&server.base_url, quick());
    server
        .then(|_| Act::clova_error(400, "0025"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert_eq!(server.requests(), 2);

    server.always(|_| Act::clova_error(400, "0023"));
    let e = client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(clova_code(&e), Some(Clova::RequestQuotaExhausted));
    assert_eq!(server.requests(), 3, "0023 is sent once");

    // A bad request is not retried either.
    server.always(|_| Act::clova_error(400, "0011"));
    client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn clova_server_errors_are_retried_up_to_three_attempts() {
    let server = Hostile::start().await;
    let client = clova(&server.base_url, quick());
    server
        .then(|_| Act::clova_error(500, "0501"))
        .then(|_| Act::clova_error(500, "1021"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert_eq!(server.requests(), 3);

    server.always(|_| Act::clova_error(500, "0500"));
    let e = client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(clova_code(&e), Some(Clova::UnknownServiceError));
    assert_eq!(server.requests(), 6, "three attempts, then the last error");

    // A gateway's page (no CLOVA body) is retried the same way.
    server.always(|_| Act::raw(503, "<html>unavailable</html>"));
    let e = client.receipt(&receipt()).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Status { status: 503, .. })
        ),
        "{e:?}"
    );
    assert_eq!(server.requests(), 9);
}

#[tokio::test]
async fn nhn_rate_limits_are_retried_each_under_a_fresh_envelope() {
    let server = Hostile::start().await;
    let client = document(&server.base_url, quick());
    server
        .then(|_| Act::nhn_error(4000006, "Api call limit exceeded"))
        .then(|_| Act::nhn_error(4000006, "Api call limit exceeded"))
        .then(card_ok);
    let card = client
        .credit_card(&example("card.png"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(card.card_nums.unwrap()[0].value.as_ref().unwrap(), "1111");
    assert_eq!(server.requests(), 3);
    assert_eq!(server.key_fetches(), 1);
    let keys = server.symmetric_keys();
    assert_eq!(keys.len(), 3);
    assert!(
        keys[0] != keys[1] && keys[1] != keys[2] && keys[0] != keys[2],
        "a symmetric key never serves two attempts"
    );
}

#[tokio::test]
async fn nhn_unknown_error_is_not_retried_even_with_http_500() {
    // The spec marks -1 not retryable: NHN gives no reason to expect the
    // next attempt to fare better.
    let server = Hostile::start().await;
    server.always(|_| {
        Act::json(
            500,
            &json!({"header": {"isSuccessful": false, "resultCode": -1, "resultMessage": "Unknown error."}}),
        )
    });
    let e = document(&server.base_url, quick())
        .credit_card(&example("card.png"))
        .await
        .unwrap_err();
    assert_eq!(nhn_code(&e), Some(Nhn::UnknownError));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_key_version_refusal_refetches_without_spending_an_attempt() {
    let server = Hostile::start().await;
    server
        .then(|_| Act::nhn_error(4000301, "Invalid key version."))
        .then(|_| Act::nhn_error(4000006, "Api call limit exceeded"))
        .then(|_| Act::nhn_error(4000006, "Api call limit exceeded"))
        .then(card_ok);
    document(&server.base_url, quick())
        .credit_card(&example("card.png"))
        .await
        .unwrap();
    // Attempt 1 was sent twice (refetch + resend); attempts 2 and 3 once.
    assert_eq!(server.requests(), 4);
    assert_eq!(server.key_fetches(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured_as_seconds_or_a_date_up_to_the_cap() {
    let server = Hostile::start().await;
    let client = clova(&server.base_url, quick());
    server
        .then(|_| Act::raw(429, "slow down").header("retry-after", "1"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    let started = Instant::now();
    client.receipt(&receipt()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as asked"
    );
    assert_eq!(server.requests(), 2);

    let in_a_second = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(1));
    server
        .then(move |_| Act::clova_error(400, "0025").header("retry-after", in_a_second))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert_eq!(server.requests(), 4);

    // Asked to wait an hour (over the 20 s cap): the error comes back now.
    server.always(|_| Act::clova_error(400, "0025").header("retry-after", "3600"));
    let started = Instant::now();
    let e = client.receipt(&receipt()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests(), 5);
    assert_eq!(
        e.vendor().and_then(|v| v.retry_after),
        Some(Duration::from_secs(3600))
    );
}

#[tokio::test]
async fn the_retry_budget_is_shared_by_a_clients_calls_and_clones() {
    let server = Hostile::start().await;
    server.always(|_| Act::clova_error(400, "0025"));
    let policy = RetryPolicy::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .with_budget(10, 5);
    let client = clova(
        &server.base_url,
        TransportConfig::default().with_retry(policy),
    );
    client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(server.requests(), 3, "two retries paid for");
    client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(server.requests(), 4, "the budget is empty: no retry");
    client.clone().receipt(&receipt()).await.unwrap_err();
    assert_eq!(server.requests(), 5, "clones share it");
    // Successes refill it: five first-time successes pay for one retry.
    for _ in 0..5 {
        server.then(|_| Act::json(200, &clova_receipt_ok()));
        client.receipt(&receipt()).await.unwrap();
    }
    client.receipt(&receipt()).await.unwrap_err();
    assert_eq!(server.requests(), 12);
}

#[tokio::test]
async fn disabled_retries_send_once() {
    let server = Hostile::start().await;
    server.always(|_| Act::clova_error(400, "0025"));
    let e = clova(&server.base_url, no_retries())
        .receipt(&receipt())
        .await
        .unwrap_err();
    assert_eq!(clova_code(&e), Some(Clova::RateLimitExceeded));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_deadline_ends_a_call_whatever_the_attempts() {
    let server = Hostile::start().await;
    server.always(|_| Act::Stall);
    let started = Instant::now();
    let e = clova(
        &server.base_url,
        quick().with_deadline(Duration::from_millis(400)),
    )
    .receipt(&receipt())
    .await
    .unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Deadline { attempts: 1, .. })
        ),
        "{e:?}"
    );
}

/// Gets a Request-Key from a scripted `id-card` answer.
async fn request_key(
    server: &Hostile,
    client: &ocrwire::nhn::DocumentClient,
) -> ocrwire::nhn::RequestKey {
    server.then(|seen| Act::nhn_ok(id_result(key_of(seen))).header("request-key", "rk-1"));
    client
        .id_card(&example("id-card.png"))
        .await
        .unwrap()
        .into_inner()
        .request_key
        .expect("a Request-Key")
}

#[tokio::test]
async fn an_authenticity_check_is_resent_only_when_its_key_cannot_have_been_spent() {
    let server = Hostile::start().await;
    let client = document(
        &server.base_url,
        quick().with_request_timeout(Duration::from_millis(300)),
    );

    // A refusal leaves the Request-Key unspent: resent.
    let key = request_key(&server, &client).await;
    server
        .then(|_| Act::nhn_error(4000006, "Api call limit exceeded"))
        .then(|_| Act::nhn_ok(json!({"isAuthenticity": true})));
    let before = server.requests();
    let verdict = client.id_card_authenticity(key, resident()).await.unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));
    assert_eq!(server.requests(), before + 2);

    // No answer in time: the service may have spent the key. Not resent.
    let key = request_key(&server, &client).await;
    server.then(|_| Act::Stall);
    let before = server.requests();
    let e = client
        .id_card_authenticity(key, resident())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Timeout {
                connecting: false,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(server.requests(), before + 1);

    // Nor after a gateway's 502 ...
    let key = request_key(&server, &client).await;
    server.always(|_| Act::raw(502, "<html>bad gateway</html>"));
    let before = server.requests();
    let e = client
        .id_card_authenticity(key, resident())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Status { status: 502, .. })
        ),
        "{e:?}"
    );
    assert_eq!(server.requests(), before + 1);

    // ... which a recognition, a plain read, is resent after.
    client.credit_card(&example("card.png")).await.unwrap_err();
    assert_eq!(server.requests(), before + 4);
}

/// Adaptive mode engages its rate limiter on what the spec marks
/// `throttling` (CLOVA 0025) and on HTTP 429, and on nothing else; a
/// client in standard mode never paces; clones share one limiter.
#[tokio::test]
async fn adaptive_mode_paces_after_throttling_answers_only() {
    let adaptive = || {
        TransportConfig::default().with_retry(
            RetryPolicy::default()
                .adaptive()
                .with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
    };
    let server = Hostile::start().await;
    let client = clova(&server.base_url, adaptive());
    let clone = client.clone();
    assert_eq!(client.paced_rate(), None);
    // Retryable, but not a rate limit: no pacing.
    server
        .then(|_| Act::clova_error(500, "0500"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert_eq!(client.paced_rate(), None, "0500 is not throttling");
    // The rate limit: pacing starts, for the clone too.
    server
        .then(|_| Act::clova_error(400, "0025"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    let rate = client.paced_rate().expect("paced after 0025");
    assert!(rate >= 0.5, "{rate}");
    assert!(clone.paced_rate().is_some(), "clones share the limiter");

    // HTTP 429 without a vendor body throttles too.
    let client = clova(&server.base_url, adaptive());
    server
        .then(|_| Act::raw(429, "slow down"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert!(client.paced_rate().is_some(), "429 throttles");

    // Standard mode: the same answers, never paced.
    let client = clova(&server.base_url, quick());
    server
        .then(|_| Act::clova_error(400, "0025"))
        .then(|_| Act::json(200, &clova_receipt_ok()));
    client.receipt(&receipt()).await.unwrap();
    assert_eq!(client.paced_rate(), None);
}

/// Against the emulator's rate limit, a burst of concurrent calls through
/// one adaptive client all get answered: throttled attempts are retried,
/// and the limiter slows the client to the service's pace. (How close to
/// the limit, and how few refusals, is measured in `benches/rate_limit.rs`,
/// not asserted here.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adaptive_client_gets_a_burst_through_the_emulator_rate_limit() {
    use futures_util::StreamExt as _;
    use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
    let emulator = Emulator::start(EmulatorConfig {
        faults: Faults {
            rate_limit_per_sec: std::num::NonZeroU32::new(20),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let transport = TransportConfig::default()
        .with_retry(
            RetryPolicy::default()
                .adaptive()
                .with_max_attempts(20)
                .with_backoff(Duration::from_millis(10), Duration::from_millis(200)),
        )
        .with_deadline(Duration::from_secs(60));
    let client = emulator
        .general_client()
        .transport(transport)
        .build()
        .unwrap();
    let image = example("text.png");
    let answers: Vec<_> = futures_util::stream::iter(0..40)
        .map(|_| client.general(&image))
        .buffer_unordered(16)
        .collect()
        .await;
    for answer in &answers {
        assert!(answer.is_ok(), "{:?}", answer.as_ref().err());
    }
    assert!(emulator.throttled() > 0, "the burst hit the limit");
    let rate = client.paced_rate().expect("the limiter engaged");
    assert!(
        rate < 200.0,
        "paced near the limit, not at burst speed: {rate}"
    );
    emulator.shutdown().await.unwrap();
}
