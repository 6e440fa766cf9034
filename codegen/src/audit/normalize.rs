//! A page's text with what changes without meaning taken out, so that the
//! lock of reconciled pages sees a changed fact and not a reformat.
//!
//! The vendor's documentation repository reformatted every page at once
//! (2026-08-18) without changing a fact: tables re-padded, blank lines
//! moved. What is taken out: HTML anchors (`<a name="...">`), heading ids
//! (`{#id}`), HTML comments, machine-translation notices, the padding of
//! table cells and the length of their separator rows, runs of spaces,
//! trailing spaces and blank lines. What stays is every word, number,
//! link and table cell, in order.

/// The page's lines, normalised; blank lines are gone.
pub fn lines(text: &str) -> Vec<String> {
    let text = strip_comments(text);
    text.lines()
        .filter_map(|line| {
            let line = strip_anchors(line);
            let line = strip_heading_id(&line);
            if is_translation_notice(&line) {
                return None;
            }
            let line = if is_table_row(&line) {
                table_row(&line)
            } else {
                collapse(&line)
            };
            (!line.is_empty()).then_some(line)
        })
        .collect()
}

/// A stable 64-bit hash of the normalised page (FNV-1a; not a security
/// measure, a fingerprint).
pub fn page_hash(lines: &[String]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64;
    for line in lines {
        for b in line.bytes().chain([b'\n']) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// A 32-bit hash of one normalised line, for the lock's line list.
pub fn line_hash(line: &str) -> u32 {
    let mut h = 0x811c_9dc5_u32;
    for b in line.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `<a name="x"></a>`, `<a id="x"/>`: anchors hold no text.
fn strip_anchors(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("<a ") {
        let tag = &rest[start..];
        let Some(close) = tag.find('>') else { break };
        let opening = &tag[..=close];
        if !(opening.contains("name=") || opening.contains("id=")) || opening.contains("href=") {
            out.push_str(&rest[..start + close + 1]);
            rest = &rest[start + close + 1..];
            continue;
        }
        out.push_str(&rest[..start]);
        rest = &tag[close + 1..];
        if let Some(after) = rest.strip_prefix("</a>") {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `## Title {#title}` -> `## Title`.
fn strip_heading_id(line: &str) -> String {
    let trimmed = line.trim_end();
    if trimmed.trim_start().starts_with('#')
        && trimmed.ends_with('}')
        && let Some(open) = trimmed.rfind("{#")
    {
        return trimmed[..open].to_string();
    }
    line.to_string()
}

fn is_translation_notice(line: &str) -> bool {
    let lower = line.to_lowercase();
    (lower.contains("machine") && lower.contains("translat")) || line.contains("기계 번역")
}

fn is_table_row(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.matches('|').count() >= 2
}

/// `| a  |   b |` -> `|a|b|`; a separator row (`|---|:--:|`) -> `|-|-|`.
fn table_row(line: &str) -> String {
    let t = line.trim().trim_matches('|');
    let cells: Vec<String> = t.split('|').map(|c| collapse(c.trim())).collect();
    let separator = cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
    let cells: Vec<&str> = if separator {
        cells.iter().map(|_| "-").collect()
    } else {
        cells.iter().map(String::as_str).collect()
    };
    format!("|{}|", cells.join("|"))
}

/// Runs of white space as one space, trimmed.
fn collapse(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_anchors_ids_and_blank_lines_do_not_count() {
        let before =
            "## Errors\n\n| Code | Message |\n|---|---|\n| 4000001 | Invalid parameter. |\n";
        let after = "<a name=\"errors\"></a>\n## Errors {#errors}   \n\n\n| Code    | Message            |\n| ------- | ------------------ |\n|  4000001  | Invalid  parameter. |\n<!-- reformatted -->\n";
        assert_eq!(lines(before), lines(after));
        assert_eq!(page_hash(&lines(before)), page_hash(&lines(after)));
        // A changed word is a changed line.
        let changed = before.replace("Invalid parameter.", "Invalid parameters.");
        assert_ne!(lines(before), lines(&changed));
        // Links keep their anchors; only name/id anchors go.
        assert_eq!(
            lines("see <a href=\"#x\">x</a>"),
            ["see <a href=\"#x\">x</a>"]
        );
    }
}
