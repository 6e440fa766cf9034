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

/// JSON as received: exact, with every character a terminal could act on
/// escaped ([`json_text`]).
pub fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let formatter = serde_json::ser::PrettyFormatter::new();
    let text = json_text(value, formatter).map_err(|e| format!("cannot encode JSON: {e}"))?;
    write_stdout(&format!("{text}\n"))
}

/// `value` as one line of JSON Lines, safe on a terminal ([`json_text`]).
pub fn json_line(value: &impl serde::Serialize) -> serde_json::Result<String> {
    json_text(value, serde_json::ser::CompactFormatter)
}

/// `value` as JSON text, laid out by `layout` (pretty, or one line), that is
/// safe on a terminal and means the same.
///
/// JSON's own escaping covers only the C0 controls, `"` and `\`; DEL, the
/// C1 controls (U+009B starts a sequence on some terminals) and the
/// bidirectional overrides would reach the terminal as they are. Each
/// character [`ocrwire::text::is_unsafe_for_terminal`] picks is written as
/// a JSON escape (`\u009b`) instead, so a JSON reader gets the same string.
///
/// The layout is a type, not a value: each answer type's serializer is
/// compiled for the one layout it is printed in, not for both.
fn json_text<F: serde_json::ser::Formatter>(
    value: &impl serde::Serialize,
    layout: F,
) -> serde_json::Result<String> {
    let mut out = Vec::new();
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out,
        TerminalSafe(layout),
    ))?;
    // serde_json writes only whole UTF-8 characters and ASCII escapes.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

/// A formatter that escapes, inside strings, what a terminal could act on
/// and `serde_json` leaves as it is; all else is `F`'s.
struct TerminalSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| ocrwire::text::is_unsafe_for_terminal(c))
        {
            self.0.write_string_fragment(writer, &rest[..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.write_string_fragment(writer, rest)
    }

    // Layout is the inner formatter's.
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a terminal would act on is escaped, in keys and values, and a
    /// JSON reader still reads exactly what was sent.
    #[test]
    fn json_text_escapes_what_a_terminal_would_act_on() {
        let sent = serde_json::json!({
            "csi\u{9b}": "\u{9b}2J clear, \u{202e}reversed, DEL \u{7f}, ESC \u{1b}, 한글 \u{1F600}",
        });
        let pretty = json_text(&sent, serde_json::ser::PrettyFormatter::new()).unwrap();
        for text in [pretty, json_line(&sent).unwrap()] {
            assert!(
                !text
                    .chars()
                    .any(|c| c != '\n' && ocrwire::text::is_unsafe_for_terminal(c)),
                "{text:?}"
            );
            assert!(
                text.contains("\\u009b2J") && text.contains("\\u202e"),
                "{text}"
            );
            assert!(
                text.contains("한글 \u{1F600}"),
                "the rest is as sent: {text}"
            );
            let read: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(read, sent);
        }
        assert_eq!(
            json_line(&sent).unwrap().lines().count(),
            1,
            "a JSON line is one line"
        );
    }
}
