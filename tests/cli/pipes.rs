//! Pipes are inputs: what `<(...)` and `mkfifo` give is read like `-`, up to
//! the same cap; a pipe with no writer waits, until Ctrl-C; devices stay
//! refused.
#![cfg(all(feature = "cli", unix))]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::cli::{command, example};

#[test]
fn process_substitution_reads_the_image_from_a_pipe() {
    let card = example("card.png");
    let bin = env!("CARGO_BIN_EXE_ocrwire");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("'{bin}' nhn credit-card <(cat '{card}') --mock"))
        .env_remove("RUST_LOG")
        .output()
        .expect("bash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Credit card (/dev/fd/"), "{stdout}");
    assert!(stdout.contains("number"), "{stdout}");
}

#[test]
fn a_named_pipe_is_read_once_its_writer_comes() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("card.png");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let child = command(
        &["nhn", "credit-card", fifo.to_str().unwrap(), "--mock"],
        &[],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The reader waits for the writer, as `cat` does.
    std::thread::sleep(Duration::from_millis(200));
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer
        .write_all(&std::fs::read(example("card.png")).unwrap())
        .unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ctrl_c_stops_a_wait_for_a_writer_that_never_comes() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        // One image: read before anything starts.
        vec!["nhn", "credit-card", "PIPE", "--mock"],
        // A batch: read inside the batch, which hears Ctrl-C (exit 130).
        vec!["nhn", "credit-card", "PIPE", "--mock", "--output", "jsonl"],
    ] {
        let fifo = dir.path().join(format!("never-{}.png", args.len()));
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let args: Vec<&str> = args
            .iter()
            .map(|a| {
                if *a == "PIPE" {
                    fifo.to_str().unwrap()
                } else {
                    a
                }
            })
            .collect();
        let mut child = command(&args, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            child.try_wait().unwrap().is_none(),
            "{args:?}: still waiting"
        );
        let sent = Instant::now();
        assert!(
            Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap()
                .success()
        );
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                sent.elapsed() < Duration::from_secs(5),
                "{args:?}: Ctrl-C did not stop it"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // Killed by the signal while nothing ran yet, or the batch's own
        // exit status for an interruption.
        use std::os::unix::process::ExitStatusExt as _;
        assert!(
            status.signal() == Some(2) || status.code() == Some(130),
            "{args:?}: {status:?}"
        );
    }
}

#[test]
fn devices_stay_refused_unread() {
    let out = command(&["nhn", "credit-card", "/dev/zero", "--mock"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("`/dev/zero` is a device, not a regular file")
    );
}
