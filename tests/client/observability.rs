//! One `tracing` span per call and one per attempt, with what an operator
//! needs (family, endpoint, attempt, status, vendor code, duration) and
//! nothing secret.

use std::sync::{Arc, Mutex};

use ocrwire::client::Credentials;
use ocrwire::nhn::GeneralClient;
use serde_json::json;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::reliability::hostile::{APP_KEY, Act, Hostile, SECRET_KEY};
use crate::reliability::quick;
use crate::support::example;

#[tokio::test]
async fn calls_and_attempts_are_spans_with_their_outcome() {
    let server = Hostile::start().await;
    server.then(|_| Act::json(500, &json!({"oops": true})));
    server.then(|_| Act::nhn_error(4000006, "Too many requests."));
    server.always(|_| Act::nhn_ok(json!({"fileType": "png"})));

    let logs = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&logs);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || Sink(Arc::clone(&sink)))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let client = GeneralClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(&server.base_url)
        .transport(quick())
        .build()
        .unwrap();
    client.general(&example("text.png")).await.unwrap();

    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let closes: Vec<&str> = logs.lines().filter(|l| l.contains("close")).collect();
    assert_eq!(closes.len(), 4, "three attempts and the call:\n{logs}");
    let attempt = |n: u32| {
        closes
            .iter()
            .find(|l| l.contains(&format!("ocrwire.attempt{{attempt={n} ")))
            .unwrap_or_else(|| panic!("attempt {n}:\n{logs}"))
    };
    assert!(attempt(1).contains("status=500"), "{logs}");
    assert!(
        attempt(2).contains("status=200") && attempt(2).contains("vendor_code=4000006"),
        "{logs}"
    );
    assert!(
        attempt(3).contains("status=200") && !attempt(3).contains("vendor_code"),
        "{logs}"
    );
    for line in &closes {
        assert!(
            line.contains(
                r#"ocrwire.call{family="nhn-general-ocr-v1" endpoint="general" version="v1.0""#
            ),
            "{line}"
        );
        assert!(line.contains("duration_ms="), "{line}");
    }
    assert!(closes[3].contains("outcome=\"ok\""), "{logs}");
    assert!(
        !logs.contains(APP_KEY) && !logs.contains(SECRET_KEY),
        "{logs}"
    );
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
