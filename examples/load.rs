//! Load test: thousands of calls through all three clients, concurrently,
//! against the built-in emulator with faults injected, on 127.0.0.1 only.
//!
//! ```sh
//! cargo run --release --example load                  # 5000 calls, concurrency 64
//! cargo run --release --example load -- --calls 20000 --concurrency 128
//! ```
//!
//! Faults: every 13th request answers the vendor's rate-limit error (NHN
//! 4000006, CLOVA 0025; retried), every 31st an HTTP 500 (CLOVA 0500,
//! retried; NHN -1, which the spec marks not retryable, so it ends as a typed
//! error), 5 ms of latency on every request, and one rotation of the
//! emulator's RSA key pair half-way through (calls sealed for the old key
//! get 4000301 and are resealed after one refetch).
//!
//! Every call must end either with exactly the data a fault-free emulator
//! returns for the same image (decrypted where the envelope applies) or
//! with a typed error; a call that returns other data is *wrong*, a call
//! that never reports is *lost*. The run fails (exit 1) if any call is
//! wrong or lost, and stops by itself after `--max-secs` (default 300; exit
//! 2). It prints the figures as a Markdown table for the README.

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ocrwire::client::{Credentials, TransportConfig};
use ocrwire::clova::ClovaClient;
use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
use ocrwire::error::TransportError;
use ocrwire::nhn::{AuthenticityCheck, DocumentClient, GeneralClient};
use ocrwire::{Error, Image};
use serde_json::{Value, json};

/// What one operation does; the authenticity kind makes two calls.
#[derive(Clone, Copy, Debug)]
enum Kind {
    NhnCreditCard,
    NhnIdCardThenAuthenticity,
    NhnStandAloneDriver,
    NhnStandAlonePassport,
    NhnGeneral,
    ClovaReceipt,
    ClovaCreditCard,
    ClovaIdCard,
}

const KINDS: [Kind; 8] = [
    Kind::NhnCreditCard,
    Kind::NhnIdCardThenAuthenticity,
    Kind::NhnStandAloneDriver,
    Kind::NhnStandAlonePassport,
    Kind::NhnGeneral,
    Kind::ClovaReceipt,
    Kind::ClovaCreditCard,
    Kind::ClovaIdCard,
];

struct Clients {
    nhn: DocumentClient,
    general: GeneralClient,
    clova: ClovaClient,
}

impl Clients {
    fn new(emulator: &Emulator, transport: TransportConfig) -> Clients {
        let c = emulator.credentials();
        let credentials =
            || Credentials::new(c.nhn_app_key.as_str(), c.nhn_secret_key.expose().to_owned());
        Clients {
            nhn: DocumentClient::builder(credentials())
                .base_url(emulator.nhn_base_url())
                .transport(transport.clone())
                .build()
                .expect("client"),
            general: GeneralClient::builder(credentials())
                .base_url(emulator.nhn_base_url())
                .transport(transport.clone())
                .build()
                .expect("client"),
            clova: ClovaClient::builder(&emulator.clova_invoke_url(), c.clova_secret.clone())
                .transport(transport)
                .build()
                .expect("client"),
        }
    }
}

struct Images {
    card: Image,
    id_card: Image,
    driver: Image,
    passport: Image,
    text: Image,
    receipt: Image,
}

fn example(name: &str) -> Image {
    Image::from_path(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).expect("example")
}

fn json_of(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("results serialize")
}

/// One call's outcome: the data (as JSON) or a typed error.
type Outcome = Result<Value, Error>;

/// Runs one operation; returns one outcome per call made, with its latency.
async fn run(kind: Kind, clients: &Clients, images: &Images) -> Vec<(Outcome, Duration)> {
    let started = Instant::now();
    let timed = |outcome: Outcome, since: Instant| (outcome, since.elapsed());
    match kind {
        Kind::NhnCreditCard => {
            vec![timed(
                clients
                    .nhn
                    .credit_card(&images.card)
                    .await
                    .map(|r| json_of(&r)),
                started,
            )]
        }
        Kind::NhnIdCardThenAuthenticity => {
            let recognition = clients.nhn.id_card(&images.id_card).await;
            let first = started.elapsed();
            let recognition = match recognition {
                Ok(r) => r,
                Err(e) => return vec![(Err(e), first)],
            }
            .into_inner();
            let data = json_of(&recognition.result);
            let Some(key) = recognition.request_key else {
                return vec![(Ok(json!({"missing": "Request-Key"})), first)];
            };
            let check = match AuthenticityCheck::from_recognition(&recognition.result) {
                Ok(check) => check,
                Err(e) => return vec![(Err(Error::Invalid(e)), first)],
            };
            let second = Instant::now();
            let verdict = clients
                .nhn
                .id_card_authenticity(key, check)
                .await
                .map(|v| json_of(&v));
            vec![(Ok(data), first), timed(verdict, second)]
        }
        Kind::NhnStandAloneDriver => vec![timed(
            clients
                .nhn
                .id_card_stand_alone(&images.driver)
                .await
                .map(|r| json_of(&r)),
            started,
        )],
        Kind::NhnStandAlonePassport => vec![timed(
            clients
                .nhn
                .id_card_stand_alone(&images.passport)
                .await
                .map(|r| json_of(&r)),
            started,
        )],
        Kind::NhnGeneral => vec![timed(
            clients
                .general
                .general(&images.text)
                .await
                .map(|r| json_of(&r)),
            started,
        )],
        Kind::ClovaReceipt => vec![timed(
            clients
                .clova
                .receipt(&images.receipt)
                .await
                .map(|r| json_of(r.document())),
            started,
        )],
        Kind::ClovaCreditCard => vec![timed(
            clients
                .clova
                .credit_card(&images.card)
                .await
                .map(|r| json_of(r.document())),
            started,
        )],
        Kind::ClovaIdCard => vec![timed(
            clients
                .clova
                .id_card(&images.driver)
                .await
                .map(|r| json_of(r.document())),
            started,
        )],
    }
}

/// A typed error's kind, for the tally.
fn kind_of(e: &Error) -> String {
    match e {
        Error::Vendor(v) => format!(
            "vendor {} {} (HTTP {})",
            v.code.code(),
            v.code.name(),
            v.http_status
        ),
        Error::Transport(t) => match t {
            TransportError::Timeout { .. } => "transport timeout".into(),
            TransportError::Deadline { .. } => "transport deadline".into(),
            TransportError::Connect { .. } => "transport connect".into(),
            TransportError::Status { status, .. } => format!("transport HTTP {status}"),
            TransportError::BodyTooLarge { .. } => "transport body too large".into(),
            _ => "transport other".into(),
        },
        Error::Decrypt { .. } => "decrypt".into(),
        Error::MalformedResponse { path, .. } => format!("malformed at {path}"),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

struct Args {
    calls: usize,
    concurrency: usize,
    max_secs: u64,
}

fn args() -> Args {
    let mut out = Args {
        calls: 5000,
        concurrency: 64,
        max_secs: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--calls" => out.calls = value(),
            "--concurrency" => out.concurrency = value().max(1),
            "--max-secs" => out.max_secs = value() as u64,
            other => panic!("unknown argument {other}; use --calls N --concurrency N --max-secs N"),
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::process::ExitCode {
    let args = args();
    let images = Arc::new(Images {
        card: example("card.png"),
        id_card: example("id-card.png"),
        driver: example("driver-license.png"),
        passport: example("passport.png"),
        text: example("text.png"),
        receipt: example("receipt.jpg"),
    });

    // What each kind must return: a fault-free emulator's answers.
    let clean = Emulator::start(EmulatorConfig::default())
        .await
        .expect("emulator");
    let reference_clients = Clients::new(&clean, TransportConfig::default());
    let mut expected: Vec<Vec<Value>> = Vec::new();
    for kind in KINDS {
        let outcomes = run(kind, &reference_clients, &images).await;
        expected.push(
            outcomes
                .into_iter()
                .map(|(o, _)| o.expect("the fault-free emulator answers"))
                .collect(),
        );
    }
    clean.shutdown().await.expect("shutdown");
    let expected = Arc::new(expected);

    let faults = Faults {
        rate_limit_every: NonZeroU64::new(13),
        server_error_every: NonZeroU64::new(31),
        latency: Duration::from_millis(5),
        ..Faults::default()
    };
    let emulator = Arc::new(
        Emulator::start(EmulatorConfig {
            faults: faults.clone(),
            ..EmulatorConfig::default()
        })
        .await
        .expect("emulator"),
    );
    let transport = TransportConfig::default().with_deadline(Duration::from_secs(60));
    let clients = Arc::new(Clients::new(&emulator, transport));

    // Operations are handed out until the calls they make reach the target.
    let calls_started = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let target = args.calls;
    let rotation = {
        let (emulator, calls_started) = (Arc::clone(&emulator), Arc::clone(&calls_started));
        tokio::spawn(async move {
            while calls_started.load(Ordering::SeqCst) < target / 2 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let at = emulator.total_requests();
            emulator.rotate_keys().await.expect("rotation");
            at
        })
    };
    let mut workers = tokio::task::JoinSet::new();
    let next_op = Arc::new(AtomicUsize::new(0));
    // Calls owed a report: every one must end up in the results.
    let claimed = Arc::new(AtomicUsize::new(0));
    for _ in 0..args.concurrency {
        let (clients, images, expected, calls_started, next_op, claimed) = (
            Arc::clone(&clients),
            Arc::clone(&images),
            Arc::clone(&expected),
            Arc::clone(&calls_started),
            Arc::clone(&next_op),
            Arc::clone(&claimed),
        );
        workers.spawn(async move {
            let mut results = Vec::new();
            loop {
                let op = next_op.fetch_add(1, Ordering::SeqCst);
                let kind_index = op % KINDS.len();
                let kind = KINDS[kind_index];
                let calls = if matches!(kind, Kind::NhnIdCardThenAuthenticity) {
                    2
                } else {
                    1
                };
                if calls_started.fetch_add(calls, Ordering::SeqCst) >= target {
                    break;
                }
                claimed.fetch_add(calls, Ordering::SeqCst);
                let outcomes = run(kind, &clients, &images).await;
                // A call that did not happen (the recognition failed) is
                // not owed: give its count back.
                if outcomes.len() < calls {
                    let unmade = calls - outcomes.len();
                    calls_started.fetch_sub(unmade, Ordering::SeqCst);
                    claimed.fetch_sub(unmade, Ordering::SeqCst);
                }
                for (i, (outcome, latency)) in outcomes.into_iter().enumerate() {
                    let verdict = match outcome {
                        Ok(data) if data == expected[kind_index][i] => "ok".to_string(),
                        Ok(_) => format!("WRONG DATA ({kind:?} call {i})"),
                        Err(e) => kind_of(&e),
                    };
                    results.push((verdict, latency));
                }
            }
            results
        });
    }
    let collected = tokio::time::timeout(Duration::from_secs(args.max_secs), async {
        let mut all = Vec::new();
        let mut lost_workers = 0;
        while let Some(joined) = workers.join_next().await {
            match joined {
                Ok(results) => all.extend(results),
                Err(_) => lost_workers += 1,
            }
        }
        (all, lost_workers)
    })
    .await;
    let wall = started.elapsed();
    let Ok((results, lost_workers)) = collected else {
        eprintln!("the run did not finish within {} s", args.max_secs);
        return std::process::ExitCode::from(2);
    };
    let rotated_at = rotation.await.ok();

    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut latencies: Vec<Duration> = Vec::new();
    for (verdict, latency) in &results {
        *tally.entry(verdict.clone()).or_default() += 1;
        latencies.push(*latency);
    }
    latencies.sort();
    let ok = tally.get("ok").copied().unwrap_or(0);
    let wrong: usize = tally
        .iter()
        .filter(|(k, _)| k.starts_with("WRONG"))
        .map(|(_, n)| n)
        .sum();
    let lost = claimed.load(Ordering::SeqCst).saturating_sub(results.len()) + lost_workers;
    let requests = emulator.total_requests();

    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| calls (client calls, retries inside) | {} |",
        results.len()
    );
    println!("| concurrency | {} |", args.concurrency);
    println!("| HTTP requests the emulator received | {requests} |");
    println!(
        "| public-key fetches (2 services, then refetches after the rotation) | {} |",
        emulator.requests(&ocrwire::wire::nhn_document_ocr_v2::PUBLIC_KEY)
    );
    println!(
        "| faults | rate limit every {}th request, HTTP 500 every {}th, {} ms latency each, one key rotation (after request {}) |",
        13,
        31,
        faults.latency.as_millis(),
        rotated_at.map_or("?".to_string(), |n| n.to_string())
    );
    println!("| exactly right data | {ok} |");
    for (kind, n) in tally.iter().filter(|(k, _)| k.as_str() != "ok") {
        println!("| {kind} | {n} |");
    }
    println!("| wrong data | {wrong} |");
    println!("| lost | {lost} |");
    println!(
        "| p50 latency | {:.1} ms |",
        percentile(&latencies, 50.0).as_secs_f64() * 1e3
    );
    println!(
        "| p99 latency | {:.1} ms |",
        percentile(&latencies, 99.0).as_secs_f64() * 1e3
    );
    println!(
        "| max latency | {:.1} ms |",
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    println!("| wall time | {:.1} s |", wall.as_secs_f64());
    println!(
        "| machine | {} cores available to the process |",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if let Ok(emulator) = Arc::try_unwrap(emulator) {
        let _ = emulator.shutdown().await;
    }
    if wrong > 0 || lost > 0 || results.len() < target {
        eprintln!(
            "FAILED: {wrong} wrong, {lost} lost, {} of {target} calls",
            results.len()
        );
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
