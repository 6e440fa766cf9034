//! Drift handling, per client: an answer with a member and an enum value
//! the spec does not know is refused (`Fail`), kept with its drift listed
//! and logged once per path (`Warn`), or kept silently (`Ignore`).

use std::sync::{Arc, Mutex};

use ocrwire::Error;
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::clova::ClovaClient;
use ocrwire::nhn::GeneralClient;
use ocrwire::wire::drift::{DriftKind, DriftMode};
use serde_json::json;

use crate::reliability::hostile::{APP_KEY, Act, Hostile, SECRET_KEY};
use crate::support::example;

fn general(server: &Hostile, mode: DriftMode) -> GeneralClient {
    GeneralClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(&server.base_url)
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .drift(mode)
        .build()
        .expect("client")
}

/// A General OCR answer with one unknown member (twice, in two list
/// entries) and a header member the spec lacks.
fn drifting_answer(server: &Hostile) {
    server.always(|_| {
        Act::json(
            200,
            &json!({
                "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS", "traceId": "t"},
                "result": {"fileType": "png", "listOfInferTexts": [
                    {"inferTexts": [{"value": "a", "conf": 0.9, "language": "ko"}]},
                    {"inferTexts": [{"value": "b", "conf": 0.8, "language": "en"}]},
                ]},
            }),
        )
    });
}

#[tokio::test]
async fn fail_refuses_the_answer_and_names_every_path() {
    let server = Hostile::start().await;
    drifting_answer(&server);
    let e = general(&server, DriftMode::Fail)
        .general(&example("text.png"))
        .await
        .unwrap_err();
    let Error::Drift { endpoint, drift } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*endpoint, "general");
    let paths: Vec<&str> = drift.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "header.traceId",
            "result.listOfInferTexts[0].inferTexts[0].language",
            "result.listOfInferTexts[1].inferTexts[0].language"
        ]
    );
    assert!(drift.iter().all(|d| d.kind == DriftKind::UnknownMember));
    let message = e.to_string();
    assert!(
        message.contains("`result.listOfInferTexts[1].inferTexts[0].language`"),
        "{message}"
    );
    // Paths, never values.
    assert!(
        !message.contains("\"ko\"") && !message.contains("t\""),
        "{message}"
    );
}

#[tokio::test]
async fn warn_keeps_the_answer_lists_the_drift_and_logs_each_path_once() {
    let server = Hostile::start().await;
    drifting_answer(&server);
    let (logs, _guard) = capture_warnings();

    let client = general(&server, DriftMode::Warn);
    for _ in 0..3 {
        let answer = client.general(&example("text.png")).await.unwrap();
        assert_eq!(answer.file_type.as_deref(), Some("png"));
        assert_eq!(answer.drift().len(), 3);
    }
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = logs.lines().collect();
    // Two patterns (`header.traceId` and the language in every list
    // entry), each once over three calls.
    assert_eq!(lines.len(), 2, "{logs}");
    assert!(
        logs.contains("result.listOfInferTexts[].inferTexts[].language"),
        "{logs}"
    );
    assert!(logs.contains("header.traceId"), "{logs}");
}

/// A server that names new members on every call cannot grow a client's
/// log, or its memory of what it logged, without end: 256 paths, then one
/// line saying no more are logged.
#[tokio::test]
async fn warn_logs_a_bounded_number_of_paths() {
    let server = Hostile::start().await;
    let calls = std::sync::atomic::AtomicUsize::new(0);
    server.always(move |_| {
        let call = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut header = json!({"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"});
        for member in 0..200 {
            header[format!("new{call}x{member}")] = json!(1);
        }
        Act::json(
            200,
            &json!({"header": header, "result": {"fileType": "png"}}),
        )
    });
    let (logs, _guard) = capture_warnings();

    let client = general(&server, DriftMode::Warn);
    for _ in 0..3 {
        let answer = client.general(&example("text.png")).await.unwrap();
        assert_eq!(answer.drift().len(), 200, "each answer still lists its own");
    }
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = logs.lines().collect();
    assert_eq!(lines.len(), 257, "{}", lines.len());
    // The first call logs its 200 paths, the second the first 56 of its own.
    assert!(lines[255].contains("header.new1x"), "{}", lines[255]);
    assert!(
        lines[256].contains("256 drift paths logged; no more are"),
        "{}",
        lines[256]
    );
}

#[tokio::test]
async fn ignore_keeps_the_answer_without_looking() {
    let server = Hostile::start().await;
    drifting_answer(&server);
    let answer = general(&server, DriftMode::Ignore)
        .general(&example("text.png"))
        .await
        .unwrap();
    assert!(answer.drift().is_empty());
    assert_eq!(answer.list_of_infer_texts.as_ref().unwrap().len(), 2);
}

#[tokio::test]
async fn clova_readings_carry_their_drift() {
    let server = Hostile::start().await;
    server.always(|_| {
        Act::json(
            200,
            &json!({
                "version": "V2", "requestId": "r", "timestamp": 1,
                "images": [{"uid": "u", "name": "image", "inferResult": "SUCCESS", "message": "SUCCESS",
                    "validationResult": {"result": "NO_REQUESTED"},
                    "creditCard": {"result": {"number": {"text": "1111"}, "issuer": {"text": "x"}}}}],
            }),
        )
    });
    let client = |mode| {
        ClovaClient::builder(
            &format!("{}/custom/v1/1000/invoke-key", server.base_url),
            "clova-secret",
        )
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .drift(mode)
        .build()
        .unwrap()
    };
    let image = example("card.png");
    let reading = client(DriftMode::Warn).credit_card(&image).await.unwrap();
    let found: Vec<String> = reading.drift().iter().map(|d| d.to_string()).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("images[0].creditCard.result.issuer"),
        "{found:?}"
    );
    assert_eq!(reading.drift()[0].kind, DriftKind::UnknownMember);
    let e = client(DriftMode::Fail)
        .credit_card(&image)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Drift { .. }), "{e:?}");
}

/// The warnings logged on this thread from now until the guard drops.
fn capture_warnings() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&logs);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .with_writer(move || Sink(Arc::clone(&sink)))
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
