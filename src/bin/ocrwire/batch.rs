//! Batches: many inputs through one client, concurrently, as JSON Lines.
//!
//! Every recognition command takes files, folders (walked recursively;
//! files whose content is an image type the endpoint takes are kept,
//! judged by their bytes, not their names) and `-` for an image on
//! standard input. One input with `--output text` or `json` keeps the
//! single-document output; more inputs, a folder, `--jobs`, `--resume` or
//! `--output jsonl` make it a batch:
//!
//! - `--jobs N` calls run at once through one client, so the public key is
//!   fetched once per service and one access token serves every call;
//! - each answer is one JSON line on stdout as soon as it arrives, naming
//!   the input, its outcome (the result, or the typed error with the
//!   vendor's code) and how long it took; a summary goes to stderr at the
//!   end;
//! - `--resume FILE` skips the inputs a previous run's JSON Lines answered
//!   successfully, so an interrupted batch continues where it stopped;
//! - Ctrl-C stops at once: every answer already received has been written,
//!   and the summary says how many inputs were left;
//! - a progress bar (done/total, rate, ETA, failures) shows on stderr when
//!   it is a terminal, never on a pipe.
//!
//! Exit status: 0 when every input succeeded, 1 when some failed, 130 when
//! interrupted (usage errors exit 2 before anything runs).

use std::collections::HashSet;
use std::future::Future;
use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ocrwire::image::ImageFormat;
use ocrwire::{Error, Image};
use serde_json::{Value, json};

use crate::Failure;

/// One input of a batch, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// `-`: one image read from standard input.
    Stdin,
    /// An image URL the service fetches (General OCR only).
    Url(String),
    /// A value given on the command line for an endpoint that takes no
    /// image (a business number), sent as its one required input.
    Value(String),
}

impl Input {
    /// The name the JSON line and the messages use; a URL without its
    /// query and fragment, which may carry a signed token.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
            Input::Url(url) => url.split(['?', '#']).next().unwrap_or("").to_string(),
            Input::Value(value) => value.clone(),
        }
    }

    /// The image the input names (not for a URL). A pipe the user names
    /// (`<(decrypt card.enc)`, a `mkfifo`) is read like standard input, up
    /// to the same cap; it may wait for its writer, as `cat` does, until
    /// Ctrl-C. Devices and other special files are refused unread.
    pub fn read(&self) -> Result<Image, Error> {
        match self {
            Input::File(path) if is_pipe(path) => {
                let name = path.display().to_string();
                let pipe = std::fs::File::open(path).map_err(|source| {
                    ocrwire::image::ImageError::Unreadable {
                        name: name.clone(),
                        source,
                    }
                })?;
                Ok(Image::from_reader(name, pipe)?)
            }
            Input::File(path) => Ok(Image::from_path(path)?),
            Input::Stdin => Ok(Image::from_reader("-", std::io::stdin().lock())?),
            Input::Url(_) | Input::Value(_) => Err(ocrwire::error::InvalidInput::Field {
                field: "image",
                for_id_type: None,
                problem: format!("{} is no file; this command reads files", self.name()),
            }
            .into()),
        }
    }
}

impl Input {
    /// [`read`](Self::read) off the async workers: reading a pipe can wait
    /// for its writer, and Ctrl-C must still be heard meanwhile.
    pub async fn read_off_thread(&self) -> Result<Image, Error> {
        let input = self.clone();
        match tokio::task::spawn_blocking(move || input.read()).await {
            Ok(read) => read,
            Err(_) => Err(ocrwire::error::InvalidInput::Field {
                field: "image",
                for_id_type: None,
                problem: format!("reading {} stopped", self.name()),
            }
            .into()),
        }
    }
}

/// Whether `path` is a pipe (a FIFO, or what `<(...)` gives: `/dev/fd/N`),
/// following links.
pub fn is_pipe(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// What a command reads from files: images of some formats, or saved
/// answers (JSON). Folders keep only the files whose first bytes are of it.
#[derive(Debug, Clone, Copy)]
pub enum Accept<'a> {
    /// Images of these formats (lower-case extensions, judged by content).
    Images(&'a [&'a str]),
    /// JSON documents.
    Json,
    /// No files: each argument is a value (`-`: one per line of standard
    /// input).
    Values,
}

impl Accept<'_> {
    /// Whether a file starting with `head` is of this kind.
    fn takes(&self, head: &[u8]) -> bool {
        match self {
            Accept::Images(formats) => {
                ImageFormat::sniff(head).is_some_and(|f| f.accepted_by(formats))
            }
            Accept::Json => head
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| matches!(b, b'{' | b'[')),
            Accept::Values => false,
        }
    }

    /// What it is, for a message (`jpg, png; judged by content`).
    fn describe(&self) -> String {
        match self {
            Accept::Images(formats) => format!("{}; judged by content", formats.join(", ")),
            Accept::Json => "JSON; judged by content".to_string(),
            Accept::Values => "values".to_string(),
        }
    }
}

/// What the user asked for, expanded: folders walked, URLs kept when the
/// command takes them. Files found in folders are kept only when their
/// bytes are of a kind `accept` takes; named files are always tried.
pub fn expand(args: &[String], accept: Accept<'_>, urls: bool) -> Result<Vec<Input>, Failure> {
    if matches!(accept, Accept::Values) {
        return values(args);
    }
    let mut out = Vec::new();
    let mut folders = Vec::new();
    for arg in args {
        let is_url = ["http://", "https://"].iter().any(|scheme| {
            arg.get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
        });
        if arg == "-" {
            if out.contains(&Input::Stdin) {
                return Err(Failure::Usage(
                    "`-` (standard input) can be named once".into(),
                ));
            }
            out.push(Input::Stdin);
        } else if is_url && urls {
            out.push(Input::Url(arg.clone()));
        } else {
            let path = PathBuf::from(arg);
            if path.is_dir() {
                folders.push(format!("`{arg}`"));
                walk(&path, accept, &mut out)
                    .map_err(|e| Failure::Failed(format!("cannot read folder `{arg}`: {e}")))?;
            } else {
                out.push(Input::File(path));
            }
        }
    }
    if out.is_empty() {
        let hold = if folders.len() == 1 { "holds" } else { "hold" };
        return Err(Failure::Failed(format!(
            "nothing to read: {} {hold} no file this command takes ({})",
            folders.join(", "),
            accept.describe()
        )));
    }
    Ok(out)
}

/// The most standard input may hold when it lists values (a line each).
const MAX_VALUE_LIST: u64 = 1 << 20;

/// Values given as arguments, and `-` for one per non-blank line of
/// standard input (at most [`MAX_VALUE_LIST`] bytes of it).
fn values(args: &[String]) -> Result<Vec<Input>, Failure> {
    let mut out = Vec::new();
    let mut read_stdin = false;
    for arg in args {
        if arg != "-" {
            out.push(Input::Value(arg.clone()));
            continue;
        }
        if std::mem::replace(&mut read_stdin, true) {
            return Err(Failure::Usage(
                "`-` (standard input) can be named once".into(),
            ));
        }
        let mut text = String::new();
        let mut capped = std::io::Read::take(std::io::stdin().lock(), MAX_VALUE_LIST + 1);
        let read = std::io::Read::read_to_string(&mut capped, &mut text);
        match read {
            Ok(n) if n as u64 > MAX_VALUE_LIST => {
                return Err(Failure::Failed(format!(
                    "standard input holds more than {MAX_VALUE_LIST} bytes of values"
                )));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Failure::Failed(format!(
                    "cannot read values from standard input: {e}"
                )));
            }
        }
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        out.extend(lines.map(|l| Input::Value(l.to_string())));
    }
    if out.is_empty() {
        return Err(Failure::Failed(
            "nothing to send: standard input held no values".into(),
        ));
    }
    Ok(out)
}

fn walk(dir: &Path, accept: Accept<'_>, out: &mut Vec<Input>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, accept, out)?;
        } else if meta.is_file() && starts_as(&path, accept) {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

/// Whether the file's first bytes are of a kind `accept` takes.
fn starts_as(path: &Path, accept: Accept<'_>) -> bool {
    let mut head = [0u8; 64];
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let n = file.read(&mut head).unwrap_or(0);
    accept.takes(&head[..n])
}

/// The flags of a batch.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Run this many calls at once, through one client (a batch; default 4).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Skip the inputs that FILE (a previous run's JSON Lines) answered
    /// successfully (a batch).
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// `adaptive`: pace calls to the service's rate limit, learned from its
    /// throttling answers (the AWS SDKs' adaptive mode); `off`: send as
    /// fast as --jobs allows.
    #[arg(long, value_enum, default_value_t = Pacing::Adaptive)]
    pub rate_limiter: Pacing,
}

/// Whether calls are paced to the service's rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pacing {
    Adaptive,
    Off,
}

impl BatchArgs {
    /// The client's transport settings: adaptive retries unless turned off.
    /// (A single call is never slowed: the limiter waits only after the
    /// service has throttled the client.)
    pub fn transport(&self) -> ocrwire::client::TransportConfig {
        let retry = ocrwire::client::RetryPolicy::default();
        let retry = match self.rate_limiter {
            Pacing::Adaptive => retry.adaptive(),
            Pacing::Off => retry,
        };
        ocrwire::client::TransportConfig::default().with_retry(retry)
    }
}

/// What a batch was asked to do besides its inputs.
pub struct Plan {
    pub jobs: usize,
    pub resume: Option<PathBuf>,
}

impl BatchArgs {
    pub fn plan(&self) -> Plan {
        Plan {
            jobs: usize::from(self.jobs.unwrap_or(4)),
            resume: self.resume.clone(),
        }
    }
}

/// What a command line asks for: a batch, or one input.
pub enum Inputs {
    /// More than one input, a folder, `--jobs`, `--resume` or
    /// `--output jsonl`: folders walked, files of other types left out.
    Many(Vec<Input>),
    /// One file, `-` or (where the command takes them) URL.
    One(Input),
}

/// The inputs `args` name, as a batch or as one.
pub fn inputs(
    args: &[String],
    batch: &BatchArgs,
    output: crate::output::Output,
    accept: Accept<'_>,
    urls: bool,
) -> Result<Inputs, Failure> {
    let values = matches!(accept, Accept::Values);
    let is_batch = args.len() > 1
        || (values && args.iter().any(|a| a == "-"))
        || (!values && args.iter().any(|a| Path::new(a).is_dir()))
        || batch.jobs.is_some()
        || batch.resume.is_some()
        || output == crate::output::Output::Jsonl;
    if is_batch {
        return expand(args, accept, urls).map(Inputs::Many);
    }
    let one = if values {
        Accept::Values
    } else {
        Accept::Images(&[])
    };
    match expand(args, one, urls)?.into_iter().next() {
        Some(input) => Ok(Inputs::One(input)),
        None => Err(Failure::Usage("no input given".into())),
    }
}

/// What a successful input produced: the answer, and its picture when
/// `--annotate` asked for one.
pub struct Answered {
    pub result: Value,
    pub picture: Option<Result<PathBuf, String>>,
    /// What the answer had that the spec does not know.
    pub drift: Vec<ocrwire::wire::drift::Drift>,
}

impl Answered {
    /// One input's answer as its JSON line carries it, and its picture when
    /// `annotate` asks for one: `marks` (from the answer's JSON) are worked
    /// out only then. An input without an image (a URL) gets no picture.
    pub async fn new(
        answer: &impl serde::Serialize,
        annotate: Option<crate::annotate::Annotate>,
        input: Input,
        image: Option<Image>,
        marks: impl FnOnce(&Value) -> Vec<crate::annotate::Mark>,
    ) -> Answered {
        // The answer types serialize to plain JSON; nothing here can fail.
        let result = serde_json::to_value(answer).unwrap_or_default();
        let picture = match (annotate, image) {
            (None, _) => None,
            (Some(a), Some(image)) => Some(a.picture_later(input, image, marks(&result)).await),
            (Some(_), None) => Some(Err("an image at a URL is not drawn".to_string())),
        };
        Answered {
            result,
            picture,
            drift: Vec::new(),
        }
    }

    /// The same, with the answer's drift (shown on its line).
    pub fn with_drift(mut self, drift: &[ocrwire::wire::drift::Drift]) -> Answered {
        self.drift = drift.to_vec();
        self
    }
}

/// Why one input of a batch failed: the call's typed error, or a problem
/// found before any call (a saved answer that cannot be read).
#[derive(Debug)]
pub enum Failed {
    Call(Error),
    Local(String),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed::Call(e)
    }
}

/// A finished input's JSON line, its fields in this order.
#[derive(serde::Serialize)]
struct Line<'a> {
    input: &'a str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
    /// The `--annotate` picture written.
    #[serde(skip_serializing_if = "Option::is_none")]
    annotated: Option<String>,
    /// Why the picture could not be drawn (the answer is still good).
    #[serde(skip_serializing_if = "Option::is_none")]
    annotate_error: Option<String>,
    /// What the answer had that the spec does not know: paths and kinds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    drift: Vec<Value>,
    elapsed_ms: u64,
}

/// A finished input: whether it succeeded, and its JSON line.
fn line(input: &str, outcome: Result<Answered, Failed>, took: Duration) -> (bool, String) {
    let elapsed_ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
    let (ok, result, error, picture, drift) = match outcome {
        Ok(answered) => (
            true,
            Some(answered.result),
            None,
            answered.picture,
            answered.drift.iter().map(drift_json).collect(),
        ),
        Err(Failed::Call(e)) => (false, None, Some(error_json(&e)), None, Vec::new()),
        Err(Failed::Local(message)) => (
            false,
            None,
            Some(json!({"kind": "input", "vendor": null, "message": message})),
            None,
            Vec::new(),
        ),
    };
    let (annotated, annotate_error) = match picture {
        Some(Ok(path)) => (Some(path.display().to_string()), None),
        Some(Err(why)) => (None, Some(why)),
        None => (None, None),
    };
    let line = Line {
        input,
        ok,
        result,
        error,
        annotated,
        annotate_error,
        drift,
        elapsed_ms,
    };
    // A `Value` and plain fields always encode.
    let text = crate::output::json_line(&line).unwrap_or_default();
    (ok, text)
}

/// A typed error as data: its kind, the vendor's code when there is one,
/// and the message with its cause chain.
pub fn error_json(e: &Error) -> Value {
    let kind = match e.root() {
        Error::Transport(_) => "transport",
        Error::Vendor(_) => "vendor",
        Error::Decrypt { .. } => "decrypt",
        Error::Envelope { .. } => "envelope",
        Error::Recognition(_) => "recognition",
        Error::Invalid(_) => "invalid-input",
        Error::MalformedResponse { .. } => "malformed-response",
        Error::Drift { .. } => "drift",
        _ => "other",
    };
    let vendor = e.vendor().map(|v| {
        json!({
            "code": v.code.code(),
            "name": v.code.name(),
            "retryable": v.is_retryable(),
        })
    });
    json!({"kind": kind, "vendor": vendor, "message": crate::chain(e)})
}

/// One drift finding as data: its path and what the spec does not know
/// there, never the value.
pub fn drift_json(drift: &ocrwire::wire::drift::Drift) -> Value {
    use ocrwire::wire::drift::DriftKind;
    let kind = match &drift.kind {
        DriftKind::UnknownMember => json!({"kind": "unknown-member"}),
        DriftKind::UnknownValue => json!({"kind": "unknown-value"}),
        DriftKind::UnexpectedShape { expected, found } => {
            json!({"kind": "unexpected-shape", "expected": expected, "found": found})
        }
        _ => json!({"kind": "other"}),
    };
    let mut out = json!({"path": drift.path});
    if let (Some(out), Value::Object(kind)) = (out.as_object_mut(), kind) {
        out.extend(kind);
    }
    out
}

/// The longest line `--resume` reads. A batch's line holds one answer (the
/// client takes at most 8 MiB of one), so a longer line is no batch's.
const MAX_RESUME_LINE: u64 = 64 << 20;

/// The inputs a previous run's JSON Lines answered successfully.
///
/// The file is read a line at a time, each line capped, so its size costs
/// only the inputs kept. A pipe (`<(zcat answers.jsonl.gz)`) is read like a
/// file; a device, a socket or a folder is refused unread.
fn answered(file: &Path) -> Result<HashSet<String>, Failure> {
    use std::io::BufRead as _;
    let unreadable = |e: std::io::Error| {
        Failure::Usage(format!(
            "cannot read --resume file `{}`: {e}",
            file.display()
        ))
    };
    let meta = std::fs::metadata(file).map_err(unreadable)?;
    if !meta.is_file() && !is_pipe(file) {
        return Err(Failure::Usage(format!(
            "--resume file `{}` is not a file or a pipe: give the JSON Lines an earlier run wrote",
            file.display()
        )));
    }
    let mut reader = std::io::BufReader::new(std::fs::File::open(file).map_err(unreadable)?);
    let mut done = HashSet::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        // The line and its line break.
        let read = (&mut reader)
            .take(MAX_RESUME_LINE + 2)
            .read_until(b'\n', &mut line)
            .map_err(unreadable)?;
        if read == 0 {
            return Ok(done);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        if line.len() as u64 > MAX_RESUME_LINE {
            return Err(Failure::Usage(format!(
                "--resume file `{}` has a line of more than {} MiB: no batch writes one",
                file.display(),
                MAX_RESUME_LINE >> 20
            )));
        }
        // Lines that are not a batch's (a note, a cut last line) are skipped.
        let Ok(value) = serde_json::from_slice::<Value>(&line) else {
            continue;
        };
        if value["ok"] == json!(true)
            && let Some(input) = value["input"].as_str()
        {
            done.insert(input.to_owned());
        }
    }
}

/// Runs `call` over `inputs`, `plan.jobs` at a time, writing one JSON line
/// per answer as it arrives.
pub async fn run<F, Fut>(inputs: Vec<Input>, plan: Plan, call: F) -> Result<(), Failure>
where
    F: Fn(Input) -> Fut,
    Fut: Future<Output = Result<Answered, Failed>>,
{
    use futures_util::StreamExt as _;

    let skip = match &plan.resume {
        Some(file) => answered(file)?,
        None => HashSet::new(),
    };
    let total_named = inputs.len();
    let todo: Vec<Input> = inputs
        .into_iter()
        .filter(|i| !skip.contains(&i.name()))
        .collect();
    let skipped = total_named - todo.len();
    let progress = Progress::new(todo.len() as u64);
    let started = Instant::now();
    let call = Arc::new(call);
    let mut answers = futures_util::stream::iter(todo.clone().into_iter().map(|input| {
        let call = Arc::clone(&call);
        async move {
            let began = Instant::now();
            let name = input.name();
            let outcome = call(input).await;
            line(&name, outcome, began.elapsed())
        }
    }))
    .buffer_unordered(plan.jobs.max(1));
    let (mut ok, mut failed) = (0u64, 0u64);
    let mut interrupted = false;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            next = answers.next() => match next {
                Some((success, value)) => {
                    if success { ok += 1 } else { failed += 1 }
                    progress.advance(failed);
                    if let Err(closed) = write_line(&value) {
                        progress.finish();
                        return closed;
                    }
                }
                None => break,
            },
            _ = &mut ctrl_c => {
                interrupted = true;
                break;
            }
        }
    }
    progress.finish();
    let left = todo.len() as u64 - ok - failed;
    let mut summary = format!(
        "{ok} succeeded, {failed} failed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if skipped > 0 {
        summary.push_str(&format!(
            "; {skipped} skipped (answered in the --resume file)"
        ));
    }
    if interrupted {
        summary.push_str(&format!("; interrupted with {left} not sent"));
    }
    eprintln!("{summary}");
    match (interrupted, failed) {
        (true, _) => Err(Failure::Interrupted),
        (false, 0) => Ok(()),
        (false, _) => Err(Failure::Partial),
    }
}

/// One JSON line on stdout. A closed pipe ends the batch quietly.
fn write_line(line: &str) -> Result<(), Result<(), Failure>> {
    match crate::output::write_raw(&format!("{line}\n")) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Ok(())),
        Err(e) => Err(Err(Failure::Failed(format!(
            "cannot write the output: {e}"
        )))),
    }
}

/// The progress bar: on stderr when it is a terminal, else nothing.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(total: u64) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len}  {per_sec}  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Progress(Some(bar))
    }

    fn advance(&self, failed: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            if failed > 0 {
                bar.set_message(format!("{failed} failed"));
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
