//! What the typed client costs over a plain HTTP client, on loopback against
//! the built-in emulator (so the network is not what is measured).
//!
//! - `general/*`: NHN General OCR (no envelope). `ocrwire` (input checks,
//!   descriptor-driven request, typed decode, `Sensitive` values, retry
//!   policy) against plain `reqwest` posting the same multipart body and
//!   parsing the answer into `serde_json::Value`.
//! - `credit-card/*`: NHN Document OCR with the envelope. `ocrwire` against
//!   plain `reqwest` doing the envelope by hand with the same primitives
//!   (fresh key, RSA-wrapped header, AES image, opening the three fields).
//!
//! Results and how to reproduce them: `BENCHMARKS.md`.

use criterion::{Criterion, criterion_group, criterion_main};
use ocrwire::Image;
use ocrwire::client::Credentials;
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::envelope::{PublicKey, SymmetricKey};
use ocrwire::nhn::{DocumentClient, GeneralClient};
use serde_json::Value;
use std::hint::black_box;

const CARD: &[u8] = include_bytes!("../examples/card.png");
const TEXT: &[u8] = include_bytes!("../examples/text.png");

fn clients(c: &mut Criterion) {
    // The emulator on a runtime of its own, as a separate server would be:
    // sharing the client's worker would make each side's timers wake the
    // server's thread, which is not what a real call pays.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let emulator = server
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    let base = emulator.nhn_base_url();
    let app_key = emulator.credentials().nhn_app_key.clone();
    let secret = emulator.credentials().nhn_secret_key.expose().to_string();
    let credentials = || Credentials::new(app_key.clone(), secret.clone());
    let plain = reqwest::Client::new();

    // General OCR: no envelope.
    let general = GeneralClient::builder(credentials())
        .base_url(&base)
        .build()
        .expect("client");
    let text = Image::from_bytes("text.png", TEXT.to_vec()).expect("example image");
    let url = format!("{base}/v1.0/appkeys/{app_key}/general");
    let mut group = c.benchmark_group("general");
    group.bench_function("ocrwire", |b| {
        b.iter(|| {
            rt.block_on(general.general(&text))
                .map(|r| black_box(r.lines().count()))
        })
    });
    group.bench_function("plain reqwest", |b| {
        b.iter(|| {
            rt.block_on(async {
                let part = reqwest::multipart::Part::bytes(TEXT).file_name("text.png");
                let form = reqwest::multipart::Form::new().part("image", part);
                let body = plain
                    .post(&url)
                    .header("Authorization", &secret)
                    .multipart(form)
                    .send()
                    .await?
                    .bytes()
                    .await?;
                Ok::<_, reqwest::Error>(black_box(
                    serde_json::from_slice::<Value>(&body).map(|v| v["result"].is_object()),
                ))
            })
        })
    });
    group.finish();

    // Credit card: with the envelope.
    let document = DocumentClient::builder(credentials())
        .base_url(&base)
        .build()
        .expect("client");
    let card = Image::from_bytes("card.png", CARD.to_vec()).expect("example image");
    rt.block_on(document.credit_card(&card))
        .expect("warm-up fetches the public key");
    let key_url = format!("{base}/v2.0/appkeys/{app_key}/public-keys/credit-card");
    let key: Value = rt
        .block_on(async {
            plain
                .get(&key_url)
                .header("Authorization", &secret)
                .send()
                .await?
                .json()
                .await
        })
        .expect("key");
    let public = PublicKey::from_base64_der(
        key["result"]["key"].as_str().unwrap_or_default(),
        key["result"]["version"].as_str().unwrap_or_default(),
    )
    .expect("public key");
    let card_url = format!("{base}/v2.0/appkeys/{app_key}/credit-card");
    let mut group = c.benchmark_group("credit-card");
    group.bench_function("ocrwire", |b| {
        b.iter(|| {
            rt.block_on(document.credit_card(&card))
                .map(|r| black_box(r.card_nums.as_ref().map(Vec::len)))
        })
    });
    group.bench_function("plain reqwest + envelope by hand", |b| {
        b.iter(|| {
            rt.block_on(async {
                let session = SymmetricKey::generate().expect("OS randomness");
                let sealed_key = public.seal_key(&session).expect("seal");
                let part = reqwest::multipart::Part::bytes(session.seal_bytes(CARD))
                    .file_name("image.png");
                let form = reqwest::multipart::Form::new().part("image", part);
                let body = plain
                    .post(&card_url)
                    .header("Authorization", &secret)
                    .header("X-Key-Version", public.version())
                    .header("Symmetric-Key", sealed_key)
                    .multipart(form)
                    .send()
                    .await?
                    .bytes()
                    .await?;
                let v: Value = serde_json::from_slice(&body).unwrap_or_default();
                let mut opened = 0;
                for n in v["result"]["cardNums"].as_array().into_iter().flatten() {
                    opened += session
                        .open_field(n["value"].as_str().unwrap_or_default())
                        .map(|p| p.len())
                        .unwrap_or(0);
                }
                opened += session
                    .open_field(v["result"]["totalCardNum"].as_str().unwrap_or_default())
                    .map(|p| p.len())
                    .unwrap_or(0);
                opened += session
                    .open_field(
                        v["result"]["validThru"]["value"]
                            .as_str()
                            .unwrap_or_default(),
                    )
                    .map(|p| p.len())
                    .unwrap_or(0);
                Ok::<_, reqwest::Error>(black_box(opened))
            })
        })
    });
    group.finish();
    drop(emulator);
}

criterion_group!(benches, clients);
criterion_main!(benches);
