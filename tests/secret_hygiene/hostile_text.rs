//! Nothing a server sends reaches a log line raw. A server that puts
//! terminal controls (clear screen, window titles, OSC 52 clipboard
//! writes), C1 controls, bidi overrides and zero-width characters into
//! every text it controls (error codes and messages, member names, enum
//! values) is answered at `trace` level, and no log event of the library
//! or the HTTP stack writes one of them as it is: each goes through the
//! same printable rule as errors and reports.

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use serde_json::json;

use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::clova::ClovaClient;
use ocrwire::nhn::GeneralClient;
use ocrwire::wire::drift::DriftMode;

use crate::support::clova::{ClovaServer, SECRET};
use crate::support::general::{APP_KEY, GeneralServer, SECRET_KEY};

/// What a terminal would act on, or that would hide what is shown.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J",
    "\u{1b}]0;owned\u{7}",
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{9b}31m",
    "\u{202e}txt.exe",
    "\u{200b}",
    "\r",
    "\u{0}",
    "\u{7f}",
];

fn hostile() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(0..HOSTILE.len(), 1..4),
        "[a-z0-9]{0,6}",
    )
        .prop_map(|(picks, plain)| {
            let mut text = plain;
            for i in picks {
                text.push_str(HOSTILE[i]);
            }
            text
        })
}

/// Any character a terminal acts on or that hides text: C0 (but for the
/// newline that ends each log line), DEL, C1, bidi controls, zero width.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: 16,
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x10_6b17),
            fixed => fixed,
        },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/logs.txt",
        ))),
        ..base
    }
}

fn once() -> TransportConfig {
    TransportConfig::default().with_retry(RetryPolicy::disabled())
}

#[test]
fn no_log_event_carries_server_text_raw() {
    let logs = crate::captured();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (clova_server, general_server) =
        runtime.block_on(async { (ClovaServer::start().await, GeneralServer::start().await) });
    let clova = runtime.block_on(async {
        ClovaClient::builder(&clova_server.invoke_url(), SECRET)
            .transport(once())
            .drift(DriftMode::Warn)
            .build()
            .expect("clova client")
    });
    let general = runtime.block_on(async {
        GeneralClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
            .base_url(&general_server.base_url)
            .transport(once())
            .drift(DriftMode::Warn)
            .build()
            .expect("general client")
    });
    let image = ocrwire::Image::from_path(crate::support::example_path("receipt.jpg")).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(config());
    runner
        .run(&(hostile(), hostile(), hostile()), |(code, message, name)| {
            runtime.block_on(async {
                // A refusal whose code and message are hostile.
                clova_server.reply_next(
                    400,
                    json!({"code": code, "message": message, "path": "/x", "timestamp": 1}).to_string(),
                );
                let _ = clova.receipt(&image).await;
                // A success with a hostile member name and enum value.
                clova_server.reply_next(
                    200,
                    json!({"version": "V2", "images": [{"inferResult": message, "receipt": {"result": {}}, name.clone(): 1}]})
                        .to_string(),
                );
                let _ = clova.receipt(&image).await;
                // NHN: a refusal with a hostile message, an answer with a
                // hostile member name.
                general_server.reply_next(
                    json!({"header": {"isSuccessful": false, "resultCode": 4000001, "resultMessage": message}}).to_string(),
                );
                let _ = general.general(&image).await;
                general_server.reply_next(
                    json!({"header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"}, "result": {name.clone(): code}})
                        .to_string(),
                );
                let _ = general.general(&image).await;
            });
            Ok(())
        })
        .unwrap();
    let logs = String::from_utf8_lossy(&logs.lock().expect("lock")).into_owned();
    assert!(
        logs.contains("the service refused the call") && logs.contains("does not know"),
        "the events that carry server text were logged"
    );
    let raw: Vec<&str> = logs
        .lines()
        .filter(|l| l.chars().any(unsafe_char))
        .collect();
    assert!(
        raw.is_empty(),
        "log lines with raw server text:\n{}",
        raw.join("\n").escape_debug()
    );
}
