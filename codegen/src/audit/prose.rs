//! Facts the vendors state in prose rather than tables: the limits of each
//! API in the overview page, and the dated entries of the release notes.
//!
//! The last revision's host date, size limits, resolutions and the passport
//! removal were all prose. What can be read reliably is read here and
//! compared with the spec; anything else in those pages is still watched
//! by the lock of reconciled pages.

use super::blocks::{self, Block};

/// One section of an overview page (a heading and everything under it up
/// to the next heading of the same or a higher level).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub line: usize,
    /// The section's own text lines, subsections included, with their line
    /// numbers.
    pub text: Vec<(usize, String)>,
}

/// The sections of a page.
pub fn sections(text: &str) -> Vec<Section> {
    let lines: Vec<&str> = text.lines().collect();
    let headings: Vec<(usize, usize, String)> = blocks::read(text)
        .into_iter()
        .filter_map(|b| match b {
            Block::Heading { level, text, line } => Some((level, line, text)),
            _ => None,
        })
        .collect();
    headings
        .iter()
        .enumerate()
        .map(|(i, (level, line, heading))| {
            let end = headings[i + 1..]
                .iter()
                .find(|(l, _, _)| l <= level)
                .map_or(lines.len(), |(_, next, _)| next - 1);
            Section {
                heading: heading.clone(),
                line: *line,
                text: (*line..end)
                    .filter_map(|n| lines.get(n).map(|l| (n + 1, (*l).to_string())))
                    .collect(),
            }
        })
        .collect()
}

/// The limits an overview section states.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Limits {
    /// File types named (`jpeg`, `png`, `pdf`), lower case, each once.
    pub formats: Vec<(String, usize)>,
    /// The largest file, in MB.
    pub max_megabytes: Option<(u64, usize)>,
    /// The recommended resolution.
    pub resolution: Option<((u32, u32), usize)>,
    /// Aspect ratios named (`1:2.5`, `1:10`), as the long side over the
    /// short.
    pub aspect_ratios: Vec<(f64, usize)>,
}

/// What a section says about files: formats, the largest size, the
/// recommended resolution, aspect ratios, each with its line. English and
/// Korean wording.
pub fn limits(section: &Section) -> Limits {
    let mut out = Limits::default();
    for (line, text) in &section.text {
        let lower = text.to_lowercase();
        if lower.contains("format") || text.contains("형식") {
            for ext in extensions(&lower) {
                if !out.formats.iter().any(|(e, _)| *e == ext) {
                    out.formats.push((ext, *line));
                }
            }
        }
        if (lower.contains("maximum size")
            || text.contains("최대 용량")
            || text.contains("최대 크기"))
            && out.max_megabytes.is_none()
        {
            out.max_megabytes = megabytes(&lower).map(|mb| (mb, *line));
        }
        if (lower.contains("resolution") || text.contains("해상도")) && out.resolution.is_none()
        {
            out.resolution = resolution(&lower).map(|r| (r, *line));
        }
        for ratio in ratios(&lower) {
            if !out.aspect_ratios.iter().any(|(r, _)| *r == ratio) {
                out.aspect_ratios.push((ratio, *line));
            }
        }
    }
    out
}

/// `.jpeg`, `.png`, `.pdf`... in a line, without the dot.
fn extensions(line: &str) -> Vec<String> {
    const KNOWN: &[&str] = &["jpeg", "jpg", "png", "pdf", "tiff", "tif", "gif", "bmp"];
    let mut out = Vec::new();
    for (i, _) in line.match_indices('.') {
        let rest = &line[i + 1..];
        let word: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if KNOWN.contains(&word.as_str()) {
            out.push(word);
        }
    }
    out
}

/// `20 MB`, `20MB`.
fn megabytes(line: &str) -> Option<u64> {
    let at = line.find("mb")?;
    let digits: String = line[..at]
        .trim_end()
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

/// `1280x720`, `1280 x 720`, `1280*720`.
fn resolution(line: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, 'x' | '×' | '*') {
            continue;
        }
        let before: String = chars[..i]
            .iter()
            .rev()
            .skip_while(|c| **c == ' ')
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = chars[i + 1..]
            .iter()
            .skip_while(|c| **c == ' ')
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if let (Ok(w), Ok(h)) = (before.parse(), after.parse()) {
            return Some((w, h));
        }
    }
    None
}

/// `1:2.5`, `1:10`: the number after `1:`.
fn ratios(line: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("1:") {
        if line[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        let number: String = line[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if let Ok(r) = number.trim_end_matches('.').parse::<f64>() {
            out.push(r);
        }
    }
    out
}

/// One dated entry of a release-notes page.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub line: usize,
    /// The entry's first line of text after its heading (a summary).
    pub first: String,
}

/// The dated entries of a release-notes page: every heading that starts
/// with a date (`August 11, 2026`, `2026. 08. 11.`).
pub fn entries(text: &str) -> Vec<Entry> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(heading) = line.trim_start().strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#').trim();
        let Some(date) = date(heading) else { continue };
        // The rest of the heading line (CLOVA keeps the entry there), or
        // the first line below it.
        let inline = heading
            .split_once('|')
            .map(|(_, rest)| rest.trim().to_string())
            .filter(|r| !r.is_empty());
        let first = inline.unwrap_or_else(|| {
            lines[i + 1..]
                .iter()
                .map(|l| l.trim().trim_start_matches(['-', '*', ' ']).to_string())
                .find(|l| !l.is_empty() && !l.starts_with('#'))
                .unwrap_or_default()
        });
        out.push(Entry {
            date,
            line: i + 1,
            first,
        });
    }
    out
}

/// A date at the start of `text`: `August 11, 2026` or `2026. 08. 11.`,
/// as `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<String> {
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = text.to_lowercase();
    if let Some(month) = MONTHS.iter().position(|m| lower.starts_with(m)) {
        let rest = &lower[MONTHS[month].len()..];
        let numbers: Vec<u32> = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .take(2)
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [day, year] = numbers[..] {
            return valid(year, month as u32 + 1, day);
        }
        return None;
    }
    let numbers: Vec<u32> = text
        .split('.')
        .take(3)
        .map_while(|s| s.trim().parse().ok())
        .collect();
    match numbers[..] {
        [year, month, day] => valid(year, month, day),
        _ => None,
    }
}

/// `YYYY-MM-DD` as written in a spec, checked.
pub fn date_iso(text: &str) -> Option<String> {
    let parts: Vec<u32> = text.split('-').map_while(|p| p.parse().ok()).collect();
    match parts[..] {
        [year, month, day] if text.len() == 10 => valid(year, month, day),
        _ => None,
    }
}

fn valid(year: u32, month: u32, day: u32) -> Option<String> {
    ((1990..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_read_in_english_and_korean() {
        let en = "## Document OCR\n### Credit Card Analysis\n#### Input Image Guide\n* File format: Supports analysis of images in .jpeg, .png format.\n* Maximum size: 20 MB\n* Recommended resolution: 760 x 480\n### Analyze ID Card\n* Maximum size: 5 MB\n";
        let s = sections(en);
        let card = s
            .iter()
            .find(|s| s.heading == "Credit Card Analysis")
            .unwrap();
        let l = limits(card);
        let formats: Vec<&str> = l.formats.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(formats, ["jpeg", "png"]);
        assert_eq!(l.max_megabytes, Some((20, 5)));
        assert_eq!(l.resolution, Some(((760, 480), 6)));
        let ko = "### 신용카드 분석\n* 파일 형식: .jpeg, .png 형식의 이미지 분석 기능을 지원합니다.\n* 최대 용량: 20MB\n* 권장 해상도: 1280x720 이상\n* 종횡 비율이 약 1:10을 넘으면 분석할 수 없습니다.\n";
        let l = limits(&sections(ko)[0]);
        assert_eq!(l.max_megabytes.map(|m| m.0), Some(20));
        assert_eq!(l.resolution.map(|r| r.0), Some((1280, 720)));
        assert_eq!(
            l.aspect_ratios.iter().map(|r| r.0).collect::<Vec<_>>(),
            [10.0]
        );
    }

    #[test]
    fn release_note_entries_are_dated() {
        let en = "## Release Notes\n\n### August 11, 2026\n\n- API endpoint domain change\n\n### May 27, 2026\n- Deprecated passports\n";
        let e = entries(en);
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].date.as_str(), e[0].first.as_str()),
            ("2026-08-11", "API endpoint domain change")
        );
        let ko = "## 2026. 08. 11.\n\n- API 엔드포인트 도메인 변경\n";
        assert_eq!(entries(ko)[0].date, "2026-08-11");
        let clova = "### July 23, 2026 | Classification | Changes |\n### 2026. 7. 23. ... - x\n";
        let e = entries(clova);
        assert_eq!(e[0].date, "2026-07-23");
        assert_eq!(e[1].date, "2026-07-23");
        assert_eq!(date("Sometime"), None);
    }
}
