//! `ocrwire`: the command-line tool.
//!
//! Each subcommand lives in its own module; this file only parses arguments
//! and dispatches. Every command that talks to an API takes `--mock`, which
//! starts the built-in emulator in-process and points the client at it.

mod clova;
mod endpoints;
mod mock;
mod nhn;
mod nhn_general;
mod output;
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "ocrwire",
    version,
    about = "Typed, safe access to NHN Cloud and NAVER CLOVA OCR APIs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// NAVER CLOVA OCR Document API: receipts, cards, licences, IDs, passports.
    Clova(clova::Args),
    /// List every endpoint the spec defines.
    Endpoints(endpoints::Args),
    /// NHN Cloud Document OCR v2.0 (credit cards, ID cards) and General OCR v1.0.
    Nhn(nhn::Args),
    /// Run the built-in emulator of every endpoint on 127.0.0.1 until Ctrl-C.
    Serve(serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let outcome = match cli.command {
        Command::Clova(args) => clova::run(args),
        Command::Endpoints(args) => endpoints::run(&args),
        Command::Nhn(args) => nhn::run(args),
        Command::Serve(args) => serve::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Errors quote vendor messages and file names: shown safely.
            eprintln!("error: {}", ocrwire::text::printable_lines(&message));
            ExitCode::FAILURE
        }
    }
}

/// Runs one command's async body on a single-threaded runtime: a CLI call
/// is one request (or a few in sequence), so more threads would only add
/// start-up time.
fn block_on<T>(body: impl std::future::Future<Output = Result<T, String>>) -> Result<T, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?
        .block_on(body)
}

/// Logs go to stderr, filtered by `RUST_LOG` (default `warn`), for every
/// command. The library never logs secrets or personal data, even at
/// `trace` (`tests/secret_hygiene` runs this binary with `RUST_LOG=trace`
/// to check), so turning logging up is always safe.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
