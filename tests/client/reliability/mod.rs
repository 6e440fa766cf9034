//! Reliability over real HTTP on 127.0.0.1 (issue 6): retries, timeouts,
//! hostile or broken answers, and input refused before any network call.
//! Every server here is local and every wait is bounded; retry waits are
//! configured in milliseconds so the suite stays fast.

#![cfg(feature = "emulator")]

mod bad_input;
mod fuzz_http;
pub mod hostile;
mod responses;
mod retries;
mod timeouts;

use std::time::Duration;

use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::clova::ClovaClient;
use ocrwire::nhn::{DocumentClient, GeneralClient};

/// The standard policy (3 attempts, budget, Retry-After) with millisecond
/// backoff, so retries cost the suite no time.
pub fn quick() -> TransportConfig {
    TransportConfig::default().with_retry(
        RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

pub fn no_retries() -> TransportConfig {
    TransportConfig::default().with_retry(RetryPolicy::disabled())
}

pub fn document(base_url: &str, transport: TransportConfig) -> DocumentClient {
    DocumentClient::builder(Credentials::new(hostile::APP_KEY, hostile::SECRET_KEY))
        .base_url(base_url)
        .transport(transport)
        .build()
        .expect("document client")
}

pub fn general(base_url: &str, transport: TransportConfig) -> GeneralClient {
    GeneralClient::builder(Credentials::new(hostile::APP_KEY, hostile::SECRET_KEY))
        .base_url(base_url)
        .transport(transport)
        .build()
        .expect("general client")
}

/// A CLOVA client whose invoke URL is on `base_url`.
pub fn clova(base_url: &str, transport: TransportConfig) -> ClovaClient {
    ClovaClient::builder(
        &format!("{base_url}/custom/v1/1000/invoke-key"),
        "clova-secret",
    )
    .transport(transport)
    .build()
    .expect("clova client")
}

pub use crate::support::example;

/// A minimal successful CLOVA receipt answer.
pub fn clova_receipt_ok() -> serde_json::Value {
    serde_json::json!({
        "version": "V2", "requestId": "r-1", "timestamp": 1,
        "images": [{
            "uid": "u", "name": "image", "inferResult": "SUCCESS", "message": "SUCCESS",
            "receipt": {"result": {"totalPrice": {"price": {"text": "1,000"}}}},
        }],
    })
}
