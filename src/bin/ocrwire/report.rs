//! The text report of an answer, as the spec writes it (`report` on each
//! endpoint, `reads_as` on types; see `spec/README.md`): a title, then
//! `label  value` lines, with identifying numbers masked unless `--reveal`.
//!
//! It reads the answer as JSON, after it was decoded into its type (so
//! only what the spec knows is shown), through the payload's [`Shape`]:
//! the generator checked every path of every report against the types, so
//! a path that finds nothing here means the answer lacks the member.
//!
//! A terminal's scrollback, a shared screen or a pasted log outlives the
//! command, so numbers the spec marks are partly masked, and the report
//! says so. What it prints holds server text: it goes out through
//! `output::emit`, which makes it safe for a terminal.

use std::fmt::Write as _;

use ocrwire::descriptor::{Report, ReportLine, Shape};
use serde_json::Value;

const MASKED_NOTE: &str = "(numbers partly masked; --reveal or --output json shows them in full)";
const MISSING: &str = "(not recognized)";
const ANY: Shape<'static> = Shape::Any;

/// A report the spec names by `hook`: written here by hand, for an answer
/// no template can show.
pub type Hook = fn(answer: &Value, reveal: bool) -> Vec<String>;

/// The hand-written reports, by the name the spec gives them.
pub const HOOKS: &[(&str, Hook)] = &[
    ("general-texts", crate::general_texts::report),
    ("clova-text", crate::general_texts::clova),
];

/// One answer of `endpoint` read from `input`, as `--output` asks: the
/// spec's report ([`of`]), or the answer as JSON. Every named command
/// prints its answers here, so they show what `call` shows.
pub fn print(
    output: crate::output::Output,
    endpoint: &'static ocrwire::descriptor::Endpoint,
    answer: &impl serde::Serialize,
    input: &str,
    reveal: bool,
) -> Result<(), String> {
    use crate::output::{Output, emit, print_json};
    match output {
        Output::Json | Output::Jsonl => print_json(answer),
        Output::Text => emit(&of(endpoint, answer, input, reveal)),
    }
}

/// The spec's report of `answer`, an answer of `endpoint` read from
/// `input` (the named commands' summaries: they show what `call` shows).
pub fn of(
    endpoint: &'static ocrwire::descriptor::Endpoint,
    answer: &impl serde::Serialize,
    input: &str,
    reveal: bool,
) -> String {
    let op = crate::operations::all()
        .iter()
        .find(|op| (op.endpoint.family, op.endpoint.name) == (endpoint.family, endpoint.name));
    let answer = serde_json::to_value(answer).unwrap_or_default();
    match (op, endpoint.report) {
        (Some(op), Some(report)) => render(report, op.shape, &answer, input, reveal),
        _ => format!(
            "{} ({input}): the spec gives no report; --output json shows the answer\n",
            endpoint.name
        ),
    }
}

/// Where an endpoint's report reads an answer from (its `root`, else the
/// whole payload), with that value's shape.
pub fn root<'v>(
    report: Option<&Report>,
    shape: &'static Shape<'static>,
    answer: &'v Value,
) -> (&'v Value, &'static Shape<'static>) {
    match report.and_then(|r| r.root) {
        Some(path) => at(answer, shape, path)
            .into_iter()
            .next()
            .unwrap_or((&Value::Null, &ANY)),
        None => (answer, shape),
    }
}

/// The report of `answer` (a payload of shape `shape`) read from `input`.
pub fn render(
    report: &Report,
    shape: &'static Shape<'static>,
    answer: &Value,
    input: &str,
    reveal: bool,
) -> String {
    let (root, root_shape) = root(Some(report), shape, answer);
    let kind = report
        .kinds
        .iter()
        .find(|(path, _)| !at(root, root_shape, path).is_empty())
        .map_or("unknown kind", |(_, words)| *words);
    let title = fill(report.title, root, root_shape, Some(kind))
        .unwrap_or_else(|| report.title.to_string());
    let mut out = format!("{title} ({input})\n");
    if let Some(hook) = report.hook {
        match HOOKS.iter().find(|(name, _)| *name == hook) {
            Some((_, write)) => {
                for line in write(answer, reveal) {
                    let _ = writeln!(out, "  {line}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "  (this ocrwire cannot show `{hook}` answers; use --output json)"
                );
            }
        }
    }
    let mut masked = false;
    for line in report.lines {
        for Shown { label, value, note } in lines_of(line, root, root_shape) {
            let value = value.map(|v| {
                let keep = line.mask.or_else(|| {
                    line.masks
                        .iter()
                        .find(|(key, _)| *key == label)
                        .map(|(_, m)| *m)
                });
                match keep {
                    Some((start, end)) if !reveal => {
                        masked = true;
                        mask(&v, start, end)
                    }
                    _ => v,
                }
            });
            let value = match (value, note) {
                (Some(v), Some(n)) => Some(format!("{v}  ({n})")),
                (v, _) => v,
            };
            match value {
                Some(value) => {
                    let _ = writeln!(out, "  {}{value}", pad(&label, report.width));
                }
                None if label.is_empty() => {}
                None => {
                    let _ = writeln!(out, "  {}{MISSING}", pad(&label, report.width));
                }
            }
        }
    }
    if masked {
        let _ = writeln!(out, "  {MASKED_NOTE}");
    }
    out
}

/// What one line shows: its label, its value (`None`: not recognized) and
/// a note after it.
struct Shown {
    label: String,
    value: Option<String>,
    note: Option<String>,
}

/// What one report line shows: one line, or one per item for `each`. A
/// line left out is not in the list at all; an empty list gives its
/// `empty` text as a label with an empty value.
fn lines_of(line: &ReportLine, root: &Value, shape: &'static Shape<'static>) -> Vec<Shown> {
    let shown = |label: String, item: &Value, item_shape: &'static Shape<'static>| Shown {
        label,
        value: fill(line.value, item, item_shape, None),
        note: line.note.and_then(|n| fill_numbers(n, item, item_shape)),
    };
    let Some(each) = line.each else {
        let one = shown(line.label.to_string(), root, shape);
        if one.value.is_none() && line.optional {
            return Vec::new();
        }
        return vec![one];
    };
    let items = at(root, shape, each);
    if items.is_empty() {
        let (label, value) = match (line.optional, line.empty) {
            (true, _) => return Vec::new(),
            (false, Some(text)) => (text.to_string(), Some(String::new())),
            (false, None) => (line.label.to_string(), None),
        };
        return vec![Shown {
            label,
            value,
            note: None,
        }];
    }
    items
        .into_iter()
        .map(|(item, item_shape)| {
            let label = fill(line.label, item, item_shape, None).unwrap_or_else(|| "?".to_string());
            shown(label, item, item_shape)
        })
        .filter(|s| s.value.is_some() || !line.optional)
        .collect()
}

/// The template with its placeholders filled from `value`; `None` when
/// none of them found anything. A placeholder that finds nothing, beside
/// others that do, reads `?`.
fn fill(
    template: &str,
    value: &Value,
    shape: &'static Shape<'static>,
    kind: Option<&str>,
) -> Option<String> {
    fill_with(template, value, shape, kind, false)
}

/// As [`fill`], numbers with a fraction shown to two places (a confidence).
fn fill_numbers(template: &str, value: &Value, shape: &'static Shape<'static>) -> Option<String> {
    fill_with(template, value, shape, None, true)
}

fn fill_with(
    template: &str,
    value: &Value,
    shape: &'static Shape<'static>,
    kind: Option<&str>,
    short_numbers: bool,
) -> Option<String> {
    let mut out = String::new();
    let mut found = false;
    let mut rest = template;
    let mut any = false;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        any = true;
        let text = after[..close].split("??").find_map(|alternative| {
            let alternative = alternative.trim();
            let (path, meaning) = match alternative.strip_suffix(":meaning") {
                Some(path) => (path.trim(), true),
                None => (alternative, false),
            };
            if path == "kind" {
                return kind.map(str::to_string);
            }
            let texts: Vec<String> = at(value, shape, path)
                .into_iter()
                .filter_map(|(v, s)| text_of(v, s, meaning, short_numbers))
                .collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        });
        match text {
            Some(text) => {
                found = true;
                out.push_str(&text);
            }
            None => out.push('?'),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    match (any, found) {
        (true, false) => None,
        _ => Some(out),
    }
}

/// Every value at `path` (`a.b[].c`, `a[0]`), with its shape; a list at
/// the end of the path gives its items.
fn at<'v>(
    value: &'v Value,
    shape: &'static Shape<'static>,
    path: &str,
) -> Vec<(&'v Value, &'static Shape<'static>)> {
    let mut current = vec![(value, shape)];
    if path.is_empty() {
        return current;
    }
    for segment in path.split('.') {
        let (name, index) = match segment.find('[') {
            Some(at) => (
                &segment[..at],
                Some(segment[at + 1..].trim_end_matches(']')),
            ),
            None => (segment, None),
        };
        let mut next = Vec::new();
        for (v, s) in current {
            let (Shape::Object(object), Value::Object(map)) = (s, v) else {
                continue;
            };
            let (Some(member), Some(child)) = (object.member(name), map.get(name)) else {
                continue;
            };
            let child_shape = member.shape();
            match index {
                None => next.push((child, child_shape)),
                Some(index) => {
                    let items = items_of(child, child_shape);
                    match index.parse::<usize>() {
                        Ok(i) => next.extend(items.into_iter().nth(i)),
                        Err(_) => next.extend(items),
                    }
                }
            }
        }
        current = next;
    }
    // A list at the end stands for its items.
    current
        .into_iter()
        .flat_map(|(v, s)| match s {
            Shape::List(_) | Shape::OneOrList(_) => items_of(v, s),
            _ => vec![(v, s)],
        })
        .collect()
}

/// The items of a list (or of a one-or-list, one value or many).
fn items_of<'v>(
    value: &'v Value,
    shape: &'static Shape<'static>,
) -> Vec<(&'v Value, &'static Shape<'static>)> {
    match (shape, value) {
        (Shape::List(inner) | Shape::OneOrList(inner), Value::Array(items)) => {
            items.iter().map(|v| (v, *inner)).collect()
        }
        (Shape::OneOrList(_), Value::Null) => Vec::new(),
        (Shape::OneOrList(inner), one) => vec![(one, *inner)],
        _ => Vec::new(),
    }
}

/// A value as text: strings as they are, numbers as written, booleans as
/// yes or no, an object through its type's `reads_as`, an enum value with
/// its meaning when asked.
fn text_of(
    value: &Value,
    shape: &'static Shape<'static>,
    meaning: bool,
    short_numbers: bool,
) -> Option<String> {
    let text = match (value, shape) {
        (Value::String(s), Shape::Enum(e)) if meaning => match e.meaning_of(s) {
            Some(words) => format!("{s} ({})", words.trim_end_matches('.')),
            None => s.clone(),
        },
        (Value::String(s), _) => s.clone(),
        (Value::Number(n), _) if short_numbers && !(n.is_i64() || n.is_u64()) => {
            format!("{:.2}", n.as_f64().unwrap_or_default())
        }
        (Value::Number(n), _) => n.to_string(),
        (Value::Bool(b), _) => if *b { "yes" } else { "no" }.to_string(),
        (Value::Object(_), Shape::Object(object)) => {
            return object.reading_paths().iter().find_map(|path| {
                let texts: Vec<String> = at(value, shape, path)
                    .into_iter()
                    .filter_map(|(v, s)| text_of(v, s, meaning, short_numbers))
                    .collect();
                (!texts.is_empty()).then(|| texts.join(" "))
            });
        }
        _ => return None,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// Replaces every letter or digit of `value` with `*`, except the first
/// `keep_start` and the last `keep_end` of them; separators stay.
pub fn mask(value: &str, keep_start: usize, keep_end: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= keep_start || seen > total.saturating_sub(keep_end) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// `label` padded to `width` terminal columns (a Korean syllable takes
/// two), with at least one space after a label that fills them.
fn pad(label: &str, width: usize) -> String {
    let columns = unicode_width::UnicodeWidthStr::width(label);
    let spaces = if columns < width {
        width - columns
    } else {
        usize::from(!label.is_empty())
    };
    format!("{label}{}", " ".repeat(spaces))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_separators_and_the_ends() {
        assert_eq!(mask("1234 5678 9012 3456", 6, 4), "1234 56** **** 3456");
        assert_eq!(mask("900101-1234567", 7, 0), "900101-1******");
        assert_eq!(mask("11-12-345678-90", 4, 0), "11-12-******-**");
        assert_eq!(mask("123", 6, 4), "123");
        assert_eq!(mask("", 6, 4), "");
    }

    #[test]
    fn labels_are_padded_by_display_width() {
        assert_eq!(pad("name", 6), "name  ");
        assert_eq!(pad("구분", 6), "구분  ");
        assert_eq!(pad("사업장소재지", 6), "사업장소재지 ");
        assert_eq!(pad("", 2), "  ");
    }
}
