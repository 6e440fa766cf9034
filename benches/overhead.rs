//! What ocrwire's client costs per call over the same call written with
//! reqwest alone, measured so that the machine's drift cancels out.
//!
//! Both sides call NHN General OCR on the built-in emulator on 127.0.0.1
//! (its own runtime and threads, as `ocrwire serve` would be): a multipart
//! upload of `examples/text.png`, and the answer parsed. The plain side
//! parses it into a `serde_json::Value`; ocrwire decodes it into its typed
//! result (tolerant decoding, drift check, `Sensitive` values) through its
//! whole pipeline (input checks, descriptor-driven request, retry policy,
//! spans). A round makes `CALLS` calls with each side, one side after the
//! other, alternating which goes first; the figure is the median over
//! `ROUNDS` rounds of ocrwire's time over the plain side's.
//!
//! ```sh
//! cargo bench --bench overhead            # OVERHEAD_ROUNDS / OVERHEAD_CALLS to change the counts
//! ```
//!
//! Results: `BENCHMARKS.md`.

use std::time::{Duration, Instant};

use ocrwire::Image;
use ocrwire::client::Credentials;
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::nhn::GeneralClient;
use serde_json::Value;

const TEXT: &[u8] = include_bytes!("../examples/text.png");

/// Nanoseconds this thread has spent on a CPU (Linux's schedstat); `None`
/// where the kernel does not say.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let rounds = count("OVERHEAD_ROUNDS", 15);
    let calls = count("OVERHEAD_CALLS", 400);
    // The emulator on threads of its own, as a separate server would be.
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    let emulator = server
        .block_on(Emulator::start(EmulatorConfig::default()))
        .expect("emulator");
    let base = emulator.nhn_base_url();
    let app_key = emulator.credentials().nhn_app_key.clone();
    let secret = emulator.credentials().nhn_secret_key.expose().to_string();

    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let general = client.block_on(async {
        GeneralClient::builder(Credentials::new(app_key.clone(), secret.clone()))
            .base_url(&base)
            .build()
            .expect("client")
    });
    let plain = reqwest::Client::new();
    let text = Image::from_bytes("text.png", TEXT.to_vec()).expect("example image");
    let url = format!("{base}/v1.0/appkeys/{app_key}/general");

    let ocrwire_side = || {
        client.block_on(async {
            let cpu = thread_cpu_ns();
            let started = Instant::now();
            for _ in 0..calls {
                let answer = general.general(&text).await.expect("ocrwire call");
                std::hint::black_box(answer.lines().count());
            }
            (
                started.elapsed(),
                cpu.zip(thread_cpu_ns()).map(|(a, b)| b - a),
            )
        })
    };
    let plain_side = || {
        client.block_on(async {
            let cpu = thread_cpu_ns();
            let started = Instant::now();
            for _ in 0..calls {
                let part = reqwest::multipart::Part::bytes(TEXT).file_name("text.png");
                let form = reqwest::multipart::Form::new().part("image", part);
                let body = plain
                    .post(&url)
                    .header("Authorization", &secret)
                    .multipart(form)
                    .send()
                    .await
                    .expect("plain call")
                    .bytes()
                    .await
                    .expect("plain body");
                let value: Value = serde_json::from_slice(&body).expect("JSON");
                std::hint::black_box(value["result"].is_object());
            }
            (
                started.elapsed(),
                cpu.zip(thread_cpu_ns()).map(|(a, b)| b - a),
            )
        })
    };

    // Warm both connection pools and caches.
    let warm = calls.min(50);
    for _ in 0..warm {
        client.block_on(general.general(&text)).expect("warm-up");
    }
    let _ = plain_side();

    // For profiling one side alone: OVERHEAD_ONLY=ocrwire or reqwest.
    match std::env::var("OVERHEAD_ONLY").as_deref() {
        Ok("ocrwire") => {
            for _ in 0..rounds {
                ocrwire_side();
            }
            return;
        }
        Ok("reqwest") => {
            for _ in 0..rounds {
                plain_side();
            }
            return;
        }
        _ => {}
    }
    let mut wall_ratios = Vec::with_capacity(rounds);
    let mut wall_differences = Vec::with_capacity(rounds);
    let mut cpu_ratios = Vec::with_capacity(rounds);
    let mut cpu_differences = Vec::with_capacity(rounds);
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / calls as f64;
    for round in 0..rounds {
        let (ours, theirs) = if round % 2 == 0 {
            let ours = ocrwire_side();
            (ours, plain_side())
        } else {
            let theirs = plain_side();
            (ocrwire_side(), theirs)
        };
        wall_ratios.push(ours.0.as_secs_f64() / theirs.0.as_secs_f64());
        wall_differences.push(per_call(ours.0) - per_call(theirs.0));
        let cpu = ours.1.zip(theirs.1).map(|(o, t)| {
            let (o, t) = (o as f64 / 1e3 / calls as f64, t as f64 / 1e3 / calls as f64);
            cpu_ratios.push(o / t);
            cpu_differences.push(o - t);
            format!(
                ", client thread CPU {o:.1} µs vs {t:.1} µs ({:+.1}%)",
                (o / t - 1.0) * 100.0
            )
        });
        println!(
            "round {:>2}: wall {:.1} µs vs {:.1} µs per call ({:+.1}%){}",
            round + 1,
            per_call(ours.0),
            per_call(theirs.0),
            (wall_ratios[round] - 1.0) * 100.0,
            cpu.unwrap_or_default()
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    println!(
        "median of {rounds} rounds of {calls} calls: wall time {:+.1}% ({:+.1} µs) per call over reqwest alone",
        (median(&mut wall_ratios) - 1.0) * 100.0,
        median(&mut wall_differences)
    );
    if !cpu_ratios.is_empty() {
        println!(
            "median of {rounds} rounds of {calls} calls: the calling thread's CPU {:+.1}% ({:+.1} µs) per call over reqwest alone",
            (median(&mut cpu_ratios) - 1.0) * 100.0,
            median(&mut cpu_differences)
        );
    }
    server.block_on(async { emulator.shutdown().await.expect("shutdown") });
}
