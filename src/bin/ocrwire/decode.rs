//! `ocrwire decode <nhn|clova> <endpoint> ANSWER...`: answers saved earlier
//! (a capture from your own account, a response pasted into an issue),
//! decoded offline exactly as a call decodes them, with the report and
//! what the spec does not know in them.
//!
//! This is how to check whether the spec knows what the service sends
//! your account: save an answer, decode it. Nothing is sent anywhere. The
//! output follows the other commands: a report by default, `--output json`
//! for the answer as typed, JSON Lines for many (one line per answer, with
//! its `drift`), exit status 1 when an answer does not decode or is a saved
//! refusal, and, with `OCRWIRE_DRIFT=fail`, when it holds what the spec does
//! not know.

use std::io::Read as _;
use std::path::Path;

use ocrwire::wire::drift::{Drift, DriftMode};

use crate::Failure;
use crate::batch::{self, Accept, Answered, BatchArgs, Failed, Input, Inputs};
use crate::operations::{self, Decoded, Operation};
use crate::output::{Output, emit, print_json};

/// A saved answer is at most as large as the clients accept one.
const MAX_ANSWER_BYTES: u64 = 8 * 1024 * 1024;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vendor's group, as the other commands name it: `nhn` or `clova`.
    group: String,
    /// The endpoint the answers are of (`receipt`, `credit-card`; see
    /// `ocrwire endpoints`).
    endpoint: String,
    /// Saved answers (JSON, the body as the service sent it), folders of
    /// them, or `-` for one on standard input.
    #[arg(required = true, value_name = "ANSWER")]
    answers: Vec<String>,
    /// `text`: the report, then the drift; `json`: the answer as typed
    /// (drift on stderr); `jsonl`: one line per answer.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show identifying numbers in full in the report.
    #[arg(long)]
    reveal: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let op = operations::find(&args.group, &args.endpoint).map_err(Failure::Usage)?;
    let mode = drift_mode()?;
    let no_batch_flags = BatchArgs {
        jobs: None,
        resume: None,
        rate_limiter: batch::Pacing::Off,
    };
    match batch::inputs(
        &args.answers,
        &no_batch_flags,
        args.output,
        Accept::Json,
        false,
    )? {
        Inputs::One(input) => one(op, &args, &input, mode),
        Inputs::Many(inputs) => crate::block_on(batch::run(
            inputs,
            batch::Plan {
                jobs: 1,
                resume: None,
            },
            move |input: Input| async move {
                let body = read(&input).map_err(Failed::Local)?;
                let decoded = (op.decode)(&body, mode)?;
                let answered =
                    Answered::new(&decoded.answer, None, input, None, |_| Vec::new()).await;
                Ok(answered.with_drift(&decoded.drift))
            },
        )),
    }
}

/// One saved answer: its report and drift, or the typed answer.
fn one(op: &Operation, args: &Args, input: &Input, mode: DriftMode) -> Result<(), Failure> {
    let body = read(input).map_err(Failure::Failed)?;
    let Decoded { answer, drift } = (op.decode)(&body, mode).map_err(crate::describe)?;
    match args.output {
        Output::Json | Output::Jsonl => {
            print_json(&answer)?;
            if !drift.is_empty() {
                eprint!("{}", ocrwire::text::printable_lines(&drift_report(&drift)));
            }
            Ok(())
        }
        Output::Text => {
            let report = match op.endpoint.report {
                Some(report) => {
                    crate::report::render(report, op.shape, &answer, &input.name(), args.reveal)
                }
                None => format!(
                    "{} ({}): the spec gives no report; --output json shows the answer\n",
                    op.endpoint.name,
                    input.name()
                ),
            };
            Ok(emit(&format!("{report}{}", drift_report(&drift)))?)
        }
    }
}

/// What the spec did not know in an answer, one finding a line.
fn drift_report(drift: &[Drift]) -> String {
    if drift.is_empty() {
        return "The spec knows every member, value and shape of this answer.\n".to_string();
    }
    let plural = if drift.len() == 1 { "" } else { "s" };
    let mut out = format!("{} thing{plural} the spec does not know:\n", drift.len());
    for finding in drift {
        out.push_str(&format!("  {finding}\n"));
    }
    out
}

/// `OCRWIRE_DRIFT`, as the clients read it: `fail` makes drift an error.
fn drift_mode() -> Result<DriftMode, Failure> {
    match std::env::var(ocrwire::client::env::DRIFT) {
        Err(_) => Ok(DriftMode::Warn),
        Ok(text) => DriftMode::parse(text.trim()).ok_or_else(|| {
            Failure::Usage(format!(
                "{} must be fail, warn or ignore",
                ocrwire::client::env::DRIFT
            ))
        }),
    }
}

/// A saved answer's bytes: a regular file, a pipe or standard input, at most
/// [`MAX_ANSWER_BYTES`].
fn read(input: &Input) -> Result<Vec<u8>, String> {
    let (name, mut reader): (String, Box<dyn std::io::Read>) = match input {
        Input::File(path) => (path.display().to_string(), open(path)?),
        Input::Stdin => ("-".to_string(), Box::new(std::io::stdin().lock())),
        Input::Url(url) => return Err(format!("{url} is a URL; decode reads saved files")),
        Input::Value(value) => return Err(format!("{value} is no file; decode reads saved files")),
    };
    let mut body = Vec::new();
    reader
        .by_ref()
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("cannot read `{name}`: {e}"))?;
    if body.len() as u64 > MAX_ANSWER_BYTES {
        return Err(format!(
            "`{name}` is over {MAX_ANSWER_BYTES} bytes, more than any answer the clients accept"
        ));
    }
    if body.is_empty() {
        return Err(format!("`{name}` is empty"));
    }
    Ok(body)
}

fn open(path: &Path) -> Result<Box<dyn std::io::Read>, String> {
    let name = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    // A pipe is read like standard input, with the same cap.
    if !meta.is_file() && !crate::batch::is_pipe(path) {
        return Err(format!("`{name}` is not a regular file or a pipe"));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read `{name}`: {e}"))?;
    Ok(Box::new(file))
}
