//! `--output`, and the one door to standard output: a readable summary by
//! default, or JSON with the API's own field names.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// A readable summary.
    #[default]
    Text,
    /// JSON, with the API's own field names.
    Json,
    /// JSON Lines, one object per input (the output of a batch).
    Jsonl,
}

/// JSON as received: exact, and JSON's own escaping keeps control
/// characters out of the terminal.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("cannot encode JSON: {e}"))?;
    write_stdout(&format!("{text}\n"))
}

/// Writes human-readable text to stdout. It holds what servers sent
/// (readings, messages, codes), so whatever a terminal would act on is
/// written visibly first ([`ocrwire::text::printable_lines`]): this is the
/// one door every summary goes through.
pub fn emit(text: &str) -> Result<(), String> {
    write_stdout(&ocrwire::text::printable_lines(text))
}

/// Writes to stdout; a reader that went away (`| head`) ends the output
/// quietly instead of panicking as `print!` would.
pub fn write_stdout(text: &str) -> Result<(), String> {
    match write_raw(text) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes to stdout and flushes, so each answer of a batch is out as soon
/// as it arrives; the caller decides what a closed pipe means.
pub fn write_raw(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush())
}
