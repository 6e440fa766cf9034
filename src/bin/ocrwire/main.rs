//! `ocrwire`: the command-line tool.
//!
//! Each subcommand lives in its own module; this file parses arguments,
//! dispatches, and turns the outcome into an exit status. Every command
//! that talks to an API takes `--mock`, which starts the built-in emulator
//! in-process and points the client at it.

mod annotate;
mod batch;
mod call;
mod clova;
mod clova_reading;
mod color;
mod command;
mod decode;
mod endpoints;
mod general_texts;
mod mock;
mod nhn;
mod nhn_general;
mod operations;
mod output;
mod report;
mod serve;

use clap::{CommandFactory as _, Parser, Subcommand};
use std::ffi::OsString;
use std::process::ExitCode;

const ENVIRONMENT: &str = "\
Environment (credentials are read from here only, never from flags):
  NHN_OCR_APP_KEY          NHN app key
  NHN_OCR_SECRET_KEY       NHN secret key (Document OCR v2.0, General OCR v1.0)
  NHN_USER_ACCESS_KEY_ID   NHN User Access Key ID (v2.1, v1.1; used when set)
  NHN_SECRET_ACCESS_KEY    its Secret Access Key
  NHN_OCR_BASE_URL         another NHN OCR host (default: the spec's)
  NHN_OAUTH_BASE_URL       another NHN token API host
  CLOVA_OCR_INVOKE_URL     a CLOVA domain's invoke URL
  CLOVA_OCR_SECRET         its secret (X-OCR-SECRET)
  OCRWIRE_DRIFT            fail | warn | ignore: answers with what the spec does not know
  OCRWIRE_EMULATOR_*       emulator faults (see `ocrwire serve --help`)
  RUST_LOG                 log level on stderr (default warn)

Examples:
  ocrwire nhn credit-card examples/card.png --mock
  ocrwire nhn general examples/ --mock --jobs 8 > answers.jsonl
  ocrwire nhn general scans/ --resume answers.jsonl >> answers.jsonl
  ocrwire nhn credit-card examples/card-scan.png --mock --annotate card.png
  ocrwire call nhn general-cropping long-receipt.png --mock
  ocrwire decode clova receipt saved-answer.json
  ocrwire completions bash > /etc/bash_completion.d/ocrwire";

#[derive(Debug, Parser)]
#[command(
    name = "ocrwire",
    version,
    about = "Typed, safe access to NHN Cloud and NAVER CLOVA OCR APIs",
    after_help = ENVIRONMENT
)]
struct Cli {
    /// Color on stderr (errors, the progress bar).
    #[arg(long, value_enum, default_value_t, global = true)]
    color: color::Choice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Any endpoint of the specs, by its group and name (`call nhn general-cropping scans/`,
    /// `call nhn business-status 1234567890`, `call nhn-document-ocr-v1 credit-card card.png`).
    Call(call::Args),
    /// NAVER CLOVA OCR Document API: receipts, cards, licences, IDs, passports.
    Clova(clova::Args),
    /// Decode answers saved earlier, offline: the report and what the spec does not know.
    Decode(decode::Args),
    /// List every endpoint the spec defines.
    Endpoints(endpoints::Args),
    /// NHN Cloud OCR: Document OCR (credit cards, ID cards, business registrations), General OCR, Document AI.
    Nhn(nhn::Args),
    /// Run the built-in emulator of every endpoint on 127.0.0.1 until Ctrl-C.
    Serve(serve::Args),
    /// Print a completion script for a shell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// A family's name is a group of its own: `ocrwire nhn-document-ocr-v1
    /// credit-card card.png` is `ocrwire call nhn-document-ocr-v1 credit-card
    /// card.png`, each input of the endpoint also a flag.
    #[command(external_subcommand)]
    Family(Vec<OsString>),
}

/// How a command ended, when not in success.
#[derive(Debug)]
pub enum Failure {
    /// The command line cannot work: exit 2, before anything ran.
    Usage(String),
    /// It ran and failed: exit 1.
    Failed(String),
    /// A batch ran, and some inputs failed (each reported): exit 1.
    Partial,
    /// Ctrl-C: exit 130.
    Interrupted,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Failed(message)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    color::set(cli.color);
    init_logging();
    let outcome = match cli.command {
        Command::Call(args) => call::run(args),
        Command::Family(mut raw) => {
            let family = raw.remove(0).to_string_lossy().into_owned();
            call::run_named(&family, raw)
        }
        Command::Clova(args) => clova::run(args),
        Command::Decode(args) => decode::run(args),
        Command::Endpoints(args) => endpoints::run(&args).map_err(Failure::from),
        Command::Nhn(args) => nhn::run(args),
        Command::Serve(args) => serve::run(&args).map_err(Failure::from),
        Command::Completions { shell } => {
            // Into a buffer first: `generate` panics on a closed pipe.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ocrwire", &mut script);
            output::write_stdout(&String::from_utf8_lossy(&script)).map_err(Failure::from)
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            report(&message);
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            report(&message);
            ExitCode::FAILURE
        }
        Err(Failure::Partial) => ExitCode::FAILURE,
        Err(Failure::Interrupted) => ExitCode::from(130),
    }
}

/// `error: ...` on stderr. Errors quote vendor messages and file names, so
/// the text goes out terminal-safe; a closed stderr is ignored.
fn report(message: &str) {
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "{}: {}",
        color::error_label(),
        ocrwire::text::printable_lines(message)
    );
}

/// The error and every cause under it:
/// `general: cannot connect to the service: ...: caused by: Connection refused`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": caused by: ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

/// The error with its causes, plus what the spec says a vendor code means.
pub fn describe(e: ocrwire::Error) -> String {
    let text = chain(&e);
    match e.vendor().and_then(|v| v.info()) {
        Some(info) => format!("{text}\n  meaning: {}", info.meaning),
        None => text,
    }
}

/// Runs one command's async body on a runtime with a worker per core: a
/// batch runs many calls at once.
fn block_on<T>(body: impl std::future::Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Failed(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(body);
    // A read still waiting on a pipe (after Ctrl-C) must not hold the exit.
    runtime.shutdown_background();
    outcome
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
        .with_ansi(color::stderr_is_fancy())
        .with_writer(std::io::stderr)
        .try_init();
}
