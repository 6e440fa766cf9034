//! Throughput under the service's rate limit: the real `ocrwire` binary
//! running a batch at `--jobs 16` against the emulator limited to R calls
//! per second, with and without the adaptive rate limiter.
//!
//! ```sh
//! cargo bench --bench rate_limit                         # R = 50, 30 s of work
//! cargo bench --bench rate_limit -- --rate 20 --secs 30 --jobs 16
//! ```
//!
//! For each mode it reports successful calls per second as a fraction of
//! R, throttled answers as a fraction of all requests the emulator
//! received, and the inputs that failed for good (still throttled after
//! the retry policy's 3 attempts). Everything runs on 127.0.0.1; the
//! emulator is in this process, the batch is a child process, exactly as
//! a user runs it. A benchmark, not a test: the figures go to
//! `BENCHMARKS.md`.

use std::num::NonZeroU32;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
use ocrwire::wire::nhn_general_ocr_v1 as general;

struct Options {
    rate: u32,
    secs: u32,
    jobs: u32,
    /// A run that takes longer than this is stopped (it would mean a bug).
    max_secs: u64,
}

fn options() -> Options {
    let mut o = Options {
        rate: 50,
        secs: 30,
        jobs: 16,
        max_secs: 600,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || -> u64 {
            args.get(i + 1)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{} needs a number", args[i]))
        };
        match args[i].as_str() {
            "--rate" => o.rate = value() as u32,
            "--secs" => o.secs = value() as u32,
            "--jobs" => o.jobs = value() as u32,
            "--max-secs" => o.max_secs = value(),
            // `cargo bench` passes `--bench`; other flags are not ours.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    o
}

struct Outcome {
    mode: &'static str,
    inputs: u64,
    succeeded: u64,
    failed: u64,
    requests: u64,
    throttled: u64,
    wall: Duration,
}

fn main() {
    let o = options();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs = u64::from(o.rate) * u64::from(o.secs);
    let image = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/text.png");
    for i in 0..inputs {
        // Hard links: as many files as the batch needs, one image on disk.
        std::fs::hard_link(&image, dir.path().join(format!("{i:06}.png"))).expect("link");
    }
    let outcomes: Vec<Outcome> = ["off", "adaptive"]
        .into_iter()
        .map(|mode| runtime.block_on(run(mode, &o, dir.path(), inputs)))
        .collect();
    println!(
        "\n{inputs} images, `--jobs {}`, emulator limited to R = {} calls/s:\n",
        o.jobs, o.rate
    );
    println!(
        "| `--rate-limiter` | wall time | succeeded | successful calls/s | of R | requests sent | throttled | failed for good |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in &outcomes {
        let per_sec = r.succeeded as f64 / r.wall.as_secs_f64();
        println!(
            "| `{}` | {:.1} s | {} of {} | {:.1} | {:.2} R | {} | {:.1}% | {} |",
            r.mode,
            r.wall.as_secs_f64(),
            r.succeeded,
            r.inputs,
            per_sec,
            per_sec / f64::from(o.rate),
            r.requests,
            100.0 * r.throttled as f64 / r.requests.max(1) as f64,
            r.failed,
        );
    }
}

async fn run(mode: &'static str, o: &Options, dir: &Path, inputs: u64) -> Outcome {
    let emulator = Emulator::start(EmulatorConfig {
        faults: Faults {
            rate_limit_per_sec: NonZeroU32::new(o.rate),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let credentials = emulator.credentials();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocrwire"));
    command
        .args(["nhn", "general"])
        .arg(dir)
        .args(["--jobs", &o.jobs.to_string(), "--rate-limiter", mode])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NHN_OCR_BASE_URL", emulator.nhn_base_url())
        .env("NHN_OCR_APP_KEY", &credentials.nhn_app_key)
        .env("NHN_OCR_SECRET_KEY", credentials.nhn_secret_key.expose());
    let started = Instant::now();
    let max = Duration::from_secs(o.max_secs);
    let output = tokio::time::timeout(
        max,
        tokio::task::spawn_blocking(move || command.output().expect("run ocrwire")),
    )
    .await
    .unwrap_or_else(|_| panic!("the `{mode}` batch ran past {max:?}"))
    .expect("join");
    let wall = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len() as u64, inputs, "one line per input");
    let succeeded = lines.iter().filter(|l| l["ok"] == true).count() as u64;
    let outcome = Outcome {
        mode,
        inputs,
        succeeded,
        failed: inputs - succeeded,
        requests: emulator.requests(&general::GENERAL),
        throttled: emulator.throttled(),
        wall,
    };
    emulator.shutdown().await.expect("shutdown");
    outcome
}
