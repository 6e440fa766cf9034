//! The blocking clients against the emulator, from plain threads: the same
//! answers as the async clients, shared caches across clones and threads,
//! and a clear error (never a deadlock) when called from async code.

#![cfg(feature = "blocking")]

use ocrwire::Error;
use ocrwire::blocking;
use ocrwire::client::Credentials;
use ocrwire::clova::ClovaClient;
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::nhn::{AuthenticityCheck, DocumentClient, GeneralClient};

use crate::support::example;

/// The emulator on a runtime of its own, as a service would be elsewhere.
fn emulator() -> (tokio::runtime::Runtime, Emulator) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime
        .block_on(Emulator::start(EmulatorConfig::default()))
        .unwrap();
    (runtime, emulator)
}

fn credentials(emulator: &Emulator) -> Credentials {
    let c = emulator.credentials();
    Credentials::new(c.nhn_app_key.as_str(), c.nhn_secret_key.expose().to_owned())
}

#[test]
fn every_family_answers_through_a_blocking_client() {
    let (_runtime, emulator) = emulator();
    let document = blocking::DocumentClient::build(
        DocumentClient::builder(credentials(&emulator)).base_url(emulator.nhn_base_url()),
    )
    .unwrap();
    assert_eq!(document.api_version(), "v2.0");
    let card = document.credit_card(&example("card.png")).unwrap();
    assert!(card.number().is_some());
    let id = document
        .id_card(&example("id-card.png"))
        .unwrap()
        .into_inner();
    let check = AuthenticityCheck::from_recognition(&id.result).unwrap();
    let verdict = document
        .id_card_authenticity(id.request_key.expect("a Request-Key"), check)
        .unwrap();
    assert!(verdict.is_authenticity.is_some());

    let general = blocking::GeneralClient::build(
        GeneralClient::builder(credentials(&emulator)).base_url(emulator.nhn_base_url()),
    )
    .unwrap();
    assert!(
        general
            .general(&example("text.png"))
            .unwrap()
            .lines()
            .count()
            > 0
    );

    let clova = blocking::ClovaClient::build(ClovaClient::builder(
        &emulator.clova_invoke_url(),
        emulator.credentials().clova_secret.clone(),
    ))
    .unwrap();
    let receipt = clova.receipt(&example("receipt.jpg")).unwrap();
    assert!(receipt.document().store_name().is_some());
}

#[test]
fn clones_on_many_threads_share_one_key_fetch() {
    let (_runtime, emulator) = emulator();
    let client = blocking::DocumentClient::build(
        DocumentClient::builder(credentials(&emulator)).base_url(emulator.nhn_base_url()),
    )
    .unwrap();
    let image = example("card.png");
    std::thread::scope(|scope| {
        for _ in 0..4 {
            let (client, image) = (client.clone(), &image);
            scope.spawn(move || {
                for _ in 0..3 {
                    client.credit_card(image).unwrap();
                }
            });
        }
    });
    let keys = emulator.requests(&ocrwire::wire::nhn_document_ocr_v2::PUBLIC_KEY);
    assert_eq!(keys, 1, "one public-key fetch for 12 calls");
}

#[tokio::test]
async fn a_blocking_call_from_async_code_is_refused_not_deadlocked() {
    let client = blocking::GeneralClient::new(Credentials::new("app", "secret")).unwrap();
    let e = client.general(&example("text.png")).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Blocking {
                method: "general",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("use the async client"), "{e}");
    // Dropping it here, inside a runtime, is fine too.
    drop(client);
}
