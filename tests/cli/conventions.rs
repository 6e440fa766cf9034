//! What every command does the same way: a closed pipe ends it quietly,
//! errors print their cause chain, `--help` names the environment and shows
//! examples, completions, `--color`.
#![cfg(feature = "cli")] // needs the binary

use std::process::Stdio;

use crate::support::cli::{command, example};

/// Every kind of output: listings, help, completions, one answer in text
/// and JSON, batches (several answers, written as they arrive).
fn commands() -> Vec<Vec<String>> {
    let card = example("card.png");
    let examples = example("");
    let receipt = example("receipt.jpg");
    [
        vec!["endpoints"],
        vec!["endpoints", "--output", "json"],
        vec!["--help"],
        vec!["nhn", "general", "--help"],
        vec!["completions", "bash"],
        vec!["completions", "zsh"],
        vec!["nhn", "credit-card", &card, "--mock"],
        vec!["nhn", "credit-card", &card, "--mock", "--output", "json"],
        vec!["nhn", "general", &examples, "--mock"],
        vec!["clova", "receipt", &receipt, "--mock"],
        vec!["clova", "receipt", &examples, "--mock", "--jobs", "2"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(str::to_owned).collect())
    .collect()
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    for args in commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // The reader is gone before the command starts: its first write
        // fails with EPIPE, every time.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = command(&args, &[])
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run ocrwire");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn errors_print_their_cause_chain() {
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let out = command(
        &["nhn", "general", &example("text.png")],
        &[
            ("NHN_OCR_BASE_URL", base.as_str()),
            ("NHN_OCR_APP_KEY", "app-key"),
            ("NHN_OCR_SECRET_KEY", "secret-key"),
        ],
    )
    .output()
    .expect("run ocrwire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = stderr.lines().last().unwrap_or_default();
    assert!(line.starts_with("error: general: "), "{stderr}");
    assert!(line.contains(": caused by: "), "{stderr}");
    assert!(
        line.to_lowercase().contains("connection refused"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret-key"), "{stderr}");
}

#[test]
fn help_names_the_environment_and_shows_examples() {
    let out = command(&["--help"], &[]).output().expect("run ocrwire");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for variable in ocrwire::client::env::ALL {
        assert!(help.contains(variable), "{variable} missing from --help");
    }
    assert!(help.contains("Examples:"), "{help}");
    // Every example is a command line this binary accepts.
    for example in help
        .lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
        .map(str::trim)
        .take_while(|l| l.starts_with("ocrwire "))
    {
        let words: Vec<&str> = example
            .split_whitespace()
            .skip(1)
            .take_while(|w| !matches!(*w, ">" | ">>" | "|"))
            .collect();
        let mut args = words.clone();
        args.push("--help");
        let out = command(&args, &[]).output().expect("run ocrwire");
        assert!(
            out.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = command(&["completions", shell], &[])
            .output()
            .expect("run ocrwire");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{shell}");
        for word in [
            "ocrwire",
            "credit-card",
            "general",
            "receipt",
            "jobs",
            "resume",
        ] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
    let out = command(&["completions", "tcsh"], &[])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn color_only_when_asked_or_on_a_terminal() {
    let missing = ["nhn", "credit-card", "missing.png"];
    let plain = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = missing.to_vec();
        args.extend_from_slice(extra);
        let out = command(&args, env).output().expect("run ocrwire");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // stderr is a pipe here: `auto` means no color.
    assert!(plain(&[], &[]).starts_with("error: "));
    assert!(plain(&["--color", "never"], &[]).starts_with("error: "));
    let always = plain(&["--color", "always"], &[]);
    assert!(
        always.starts_with("\u{1b}[1;31merror\u{1b}[0m: "),
        "{always:?}"
    );
    // The flag is global: before the subcommand too.
    let out = command(&["--color", "always", "endpoints"], &[])
        .output()
        .expect("run");
    assert!(out.status.success());
    // Answers never carry colors.
    assert!(!out.stdout.contains(&0x1b));
}
