//! Running the real `ocrwire` binary as a user would, for the CLI tests.
//!
//! Every run starts from a clean slate: none of the developer's own
//! settings (every variable of `ocrwire::client::env`, `OCRWIRE_EMULATOR_*`,
//! `RUST_LOG`) leak into it, so a test sees exactly the configuration it
//! passes.

#![allow(dead_code)] // each test binary uses its own subset

use std::process::{Command, Output};

/// Path of a file in `examples/`.
pub use super::example_path as example;

/// `ocrwire ARGS` with only `env` set.
pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocrwire"));
    command.args(args);
    for name in ocrwire::client::env::ALL.iter().chain(&["RUST_LOG"]) {
        command.env_remove(name);
    }
    for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("OCRWIRE_EMULATOR_")) {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// Runs `ocrwire ARGS` with only `env` set, off the async runtime so that
/// servers the test started keep serving meanwhile.
pub async fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = command(args, env);
    tokio::task::spawn_blocking(move || command.output().expect("run ocrwire"))
        .await
        .expect("join")
}

/// Standard output of a run that must have succeeded.
pub fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "ocrwire failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
