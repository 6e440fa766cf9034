//! Arbitrary answers through the whole client over real HTTP (the
//! transport, the error shape, the envelope and each client's own
//! post-processing, such as CLOVA's `inferResult` checks): never a panic,
//! always data or a typed error. A small bounded budget (16 cases per
//! client by default, fixed seed) complements the larger in-process
//! properties in `src/client/decode_props.rs`.

use std::sync::OnceLock;

use ocrwire::Error;
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use serde_json::Value;

use super::hostile::{Act, Hostile};
use super::{clova, document, example, general, no_retries};

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .map_or(16, |n| n / 4),
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0417_7e57),
            fixed => fixed,
        },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/http.txt",
        ))),
        ..base
    }
}

/// One runtime and one server for every case.
fn world() -> &'static (tokio::runtime::Runtime, Hostile) {
    static WORLD: OnceLock<(tokio::runtime::Runtime, Hostile)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(Hostile::start());
        (runtime, server)
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[ -~가-힣]{0,16}".prop_map(Value::String),
        prop::sample::select(vec!["SUCCESS", "FAILURE", "ERROR", "V2", "resident"])
            .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        let names = prop::sample::select(vec![
            "header",
            "result",
            "isSuccessful",
            "resultCode",
            "resultMessage",
            "images",
            "inferResult",
            "receipt",
            "creditCard",
            "cardNums",
            "value",
            "keyValues",
            "idType",
            "listOfInferTexts",
            "code",
            "message",
            "version",
            "requestId",
            "timestamp",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((names, inner), 0..6).prop_map(|pairs| Value::Object(
                pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        json_value().prop_map(|v| {
            serde_json::json!({
                "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
                "result": v,
            })
            .to_string()
            .into_bytes()
        }),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop::sample::select(vec![200u16, 200, 200, 400, 401, 429, 500, 503])
}

/// Every way a hostile answer may legitimately end a call.
fn typed(e: &Error) -> bool {
    matches!(
        e,
        Error::Vendor(_)
            | Error::Transport(_)
            | Error::MalformedResponse { .. }
            | Error::Decrypt { .. }
            | Error::Recognition(_)
            | Error::Drift { .. }
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_answers_end_in_data_or_a_typed_error(status in status(), body in body(), which in 0u8..3) {
        let (runtime, server) = world();
        let outcome = runtime.block_on(async {
            server.then(move |_| Act::Reply {
                status,
                headers: vec![("content-type", b"application/json".to_vec())],
                body,
            });
            match which {
                0 => document(&server.base_url, no_retries())
                    .credit_card(&example("card.png"))
                    .await
                    .map(|_| ()),
                1 => general(&server.base_url, no_retries())
                    .general(&example("text.png"))
                    .await
                    .map(|_| ()),
                _ => clova(&server.base_url, no_retries())
                    .receipt(&example("receipt.jpg"))
                    .await
                    .map(|_| ()),
            }
        });
        if let Err(e) = &outcome {
            prop_assert!(typed(e), "untyped failure: {e:?}");
        }
    }
}
