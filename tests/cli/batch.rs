//! Batches as a user runs them: many files, folders and `-` through one
//! process, answers as JSON Lines, `--resume`, Ctrl-C, exit statuses.
#![cfg(feature = "cli")] // needs the binary

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Output, Stdio};

use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
use ocrwire::wire::{nhn_document_ocr_v2 as doc, nhn_general_ocr_v1 as general};
use serde_json::Value;

use crate::support::cli::{command, example};

async fn emulator(faults: Faults) -> Emulator {
    Emulator::start(EmulatorConfig {
        faults,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator")
}

/// The environment that points the binary at `emulator` with a secret key.
fn env(emulator: &Emulator) -> Vec<(&'static str, String)> {
    let c = emulator.credentials();
    vec![
        ("NHN_OCR_BASE_URL", emulator.nhn_base_url()),
        ("NHN_OCR_APP_KEY", c.nhn_app_key.clone()),
        ("NHN_OCR_SECRET_KEY", c.nhn_secret_key.expose().to_owned()),
        ("CLOVA_OCR_INVOKE_URL", emulator.clova_invoke_url()),
        ("CLOVA_OCR_SECRET", c.clova_secret.expose().to_owned()),
    ]
}

async fn run(emulator: &Emulator, args: &[&str], dir: &Path) -> Output {
    let env = env(emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut command = command(args, &env);
    command.current_dir(dir);
    tokio::task::spawn_blocking(move || command.output().expect("run ocrwire"))
        .await
        .expect("join")
}

/// The JSON lines of a run, by input.
fn answers(out: &Output) -> BTreeMap<String, Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["input"].as_str().expect("input").to_owned(), v)
        })
        .collect()
}

/// A folder of scans: three cards (one in a subfolder, one named `.dat`:
/// content decides, not the name), an image the service cannot read, a
/// GIF the endpoint does not take and a text file (both skipped).
fn scans() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let card = std::fs::read(example("card.png")).expect("card");
    let d = dir.path().join("scans");
    std::fs::create_dir_all(d.join("more")).expect("mkdir");
    std::fs::write(d.join("a.png"), &card).expect("write");
    std::fs::write(d.join("more/b.png"), &card).expect("write");
    std::fs::write(d.join("c.dat"), &card).expect("write");
    std::fs::copy(example("unreadable.png"), d.join("blank.png")).expect("copy");
    std::fs::copy(example("not-an-image.gif"), d.join("anim.gif")).expect("copy");
    std::fs::write(d.join("notes.txt"), "not a picture").expect("write");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_batch_answers_every_input_once_and_exits_1() {
    let emulator = emulator(Faults::default()).await;
    let dir = scans();
    let out = run(
        &emulator,
        &["nhn", "credit-card", "scans", "missing.png", "--jobs", "3"],
        dir.path(),
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines = answers(&out);
    let names: Vec<&str> = lines.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "missing.png",
            "scans/a.png",
            "scans/blank.png",
            "scans/c.dat",
            "scans/more/b.png"
        ],
        "the GIF and the text file are not images this endpoint takes"
    );
    for card in ["scans/a.png", "scans/c.dat", "scans/more/b.png"] {
        let line = &lines[card];
        assert_eq!(line["ok"], true, "{line}");
        assert_eq!(line["result"]["totalCardNum"], "1111222233334444");
        assert!(line["elapsed_ms"].is_u64());
    }
    let blank = &lines["scans/blank.png"]["error"];
    assert_eq!(blank["kind"], "vendor");
    assert_eq!(blank["vendor"]["code"], "4000111");
    assert_eq!(blank["vendor"]["name"], "CreditCardNotFound");
    assert_eq!(blank["vendor"]["retryable"], false);
    let missing = &lines["missing.png"]["error"];
    assert_eq!(missing["kind"], "invalid-input");
    assert!(missing["vendor"].is_null());
    assert!(
        missing["message"]
            .as_str()
            .is_some_and(|m| m.contains("missing.png") && m.contains("No such file")),
        "{missing}"
    );
    assert!(
        stderr.contains("3 succeeded, 2 failed"),
        "the summary: {stderr}"
    );
    // One process, one client: the public key was fetched once.
    assert_eq!(emulator.requests(&doc::PUBLIC_KEY), 1);
    assert_eq!(emulator.requests(&doc::CREDIT_CARD), 4);

    // All good: exit 0, and stdout is only the lines.
    let out = run(
        &emulator,
        &["nhn", "credit-card", "scans/a.png", "scans/c.dat"],
        dir.path(),
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(answers(&out).len(), 2);
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_skips_what_a_previous_run_answered() {
    let emulator = emulator(Faults::default()).await;
    let dir = scans();
    let first = run(&emulator, &["nhn", "general", "scans"], dir.path()).await;
    assert_eq!(first.status.code(), Some(1));
    let previous = dir.path().join("answers.jsonl");
    std::fs::write(&previous, &first.stdout).expect("write");
    let before = emulator.requests(&general::GENERAL);
    assert_eq!(before, 4);

    let second = run(
        &emulator,
        &["nhn", "general", "scans", "--resume", "answers.jsonl"],
        dir.path(),
    )
    .await;
    let stderr = String::from_utf8_lossy(&second.stderr);
    // Only the input that failed is sent again; it fails again.
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    let lines = answers(&second);
    assert_eq!(
        lines.keys().collect::<Vec<_>>(),
        ["scans/blank.png"],
        "{stderr}"
    );
    assert_eq!(emulator.requests(&general::GENERAL), before + 1);
    assert!(
        stderr.contains("0 succeeded, 1 failed") && stderr.contains("3 skipped"),
        "{stderr}"
    );

    // A resume file that cannot be one is a usage error, and nothing runs:
    // one that does not exist; a device or a folder, refused unread
    // (`/dev/zero` would never end); a file with one endless line (no batch
    // writes one), refused after its cap, not held whole.
    let endless = dir.path().join("endless.jsonl");
    std::fs::write(&endless, vec![b'x'; (64 << 20) + 1]).expect("write");
    for (given, said) in [
        ("nope.jsonl", "cannot read --resume file"),
        ("/dev/zero", "is not a file or a pipe"),
        ("scans", "is not a file or a pipe"),
        ("endless.jsonl", "a line of more than 64 MiB"),
    ] {
        let out = run(
            &emulator,
            &["nhn", "general", "scans", "--resume", given],
            dir.path(),
        )
        .await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(given) && stderr.contains(said), "{stderr}");
    }
    assert_eq!(emulator.requests(&general::GENERAL), before + 1);
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standard_input_and_clova_batches() {
    let emulator = emulator(Faults::default()).await;
    let dir = scans();
    let env = env(&emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut child = command(
        &[
            "clova",
            "credit-card",
            "-",
            "scans/a.png",
            "--output",
            "jsonl",
        ],
        &env,
    )
    .current_dir(dir.path())
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn");
    let card = std::fs::read(example("card.png")).expect("card");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&card)
        .expect("write");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait"))
        .await
        .expect("join");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = answers(&out);
    assert_eq!(lines.keys().collect::<Vec<_>>(), ["-", "scans/a.png"]);
    for line in lines.values() {
        assert_eq!(line["result"]["images"][0]["inferResult"], "SUCCESS");
    }
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_anything_is_sent() {
    let emulator = emulator(Faults::default()).await;
    let dir = scans();
    for (args, expect) in [
        (
            &["nhn", "credit-card", "scans", "--jobs", "0"][..],
            "--jobs",
        ),
        (&["nhn", "id-card", "scans", "--verify"], "--verify"),
        (&["nhn", "credit-card", "-", "-"], "`-`"),
        (&["nhn", "credit-card"], "IMAGE"),
    ] {
        let out = run(&emulator, args, dir.path()).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(emulator.total_requests(), 0);
    emulator.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_with_the_answers_received_written() {
    // Slow answers, one at a time: Ctrl-C lands mid-batch.
    let emulator = emulator(Faults {
        latency: std::time::Duration::from_millis(300),
        ..Faults::default()
    })
    .await;
    let dir = scans();
    let d = dir.path().join("many");
    std::fs::create_dir(&d).expect("mkdir");
    for i in 0..20 {
        std::fs::copy(example("card.png"), d.join(format!("{i:02}.png"))).expect("copy");
    }
    let env = env(&emulator);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let child = command(&["nhn", "general", "many", "--jobs", "1"], &env)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().expect("wait"))
        .await
        .expect("join");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let lines = answers(&out);
    assert!(
        !lines.is_empty() && lines.len() < 20,
        "some answers, not all: {}",
        lines.len()
    );
    assert!(lines.values().all(|l| l["ok"] == true));
    assert!(stderr.contains("interrupted with"), "{stderr}");
    emulator.shutdown().await.unwrap();
}

/// The progress bar draws on a terminal and stays off a pipe. The terminal
/// is a pseudo-terminal from `script` (util-linux, essential on Debian and
/// Ubuntu; `.ci/run` installs it where missing).
#[test]
fn a_progress_bar_on_a_terminal_and_nothing_on_a_pipe() {
    let dir = scans();
    let d = dir.path().join("many");
    std::fs::create_dir(&d).expect("mkdir");
    for i in 0..10 {
        std::fs::copy(example("card.png"), d.join(format!("{i:02}.png"))).expect("copy");
    }
    // 150 ms per answer, two at a time: the batch takes about 0.75 s, and
    // the bar redraws several times meanwhile.
    let slow = [("OCRWIRE_EMULATOR_LATENCY_MS", "150")];
    let binary = env!("CARGO_BIN_EXE_ocrwire");
    let line = format!("{binary} nhn general many --mock --jobs 2 > answers.jsonl");
    let mut script = std::process::Command::new("script");
    script
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .current_dir(dir.path())
        .env("OCRWIRE_EMULATOR_LATENCY_MS", "150")
        .env_remove("NO_COLOR");
    let out = script.output().expect("script (util-linux) runs");
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{terminal}");
    assert!(
        terminal.contains("/10"),
        "a bar with done/total: {terminal:?}"
    );
    assert!(terminal.contains("10 succeeded, 0 failed"), "{terminal:?}");
    let answers = std::fs::read_to_string(dir.path().join("answers.jsonl")).expect("answers");
    assert_eq!(answers.lines().count(), 10, "stdout held only the answers");

    // On a pipe: the summary alone.
    let out = command(&["nhn", "general", "many", "--mock", "--jobs", "2"], &slow)
        .current_dir(dir.path())
        .output()
        .expect("run ocrwire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        !stderr.contains("/10") && !stderr.contains('\u{1b}'),
        "{stderr:?}"
    );
}

/// Usage mistakes are told before anything runs: no credentials are set
/// here, so reaching the client would be a different error.
#[test]
fn a_batch_usage_mistake_is_told_before_the_client_is_built() {
    let examples = example("");
    let out = command(&["nhn", "id-card", examples.as_str(), "--verify"], &[])
        .output()
        .expect("run ocrwire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--verify checks one ID card at a time"),
        "{stderr}"
    );
}
