//! The lock of reconciled pages (`spec/audit/pages.lock`): for every vendor
//! page the audit reads, a fingerprint of its normalised text as it was
//! when the specs were last reconciled with it, and one short hash per
//! line.
//!
//! The parsers read the tables of the pages; a change in prose they do not
//! understand (a limit in a sentence, a new caveat) would pass them by. The
//! lock does not: a page whose normalised text differs from its fingerprint
//! is a finding, and the line hashes give a short diff of what changed (the
//! new lines as the page has them, and how many the lock knew that are
//! gone), without copying the vendor's pages into the repository. After
//! review, `ocrwire-codegen lock` records the pages as they are.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::normalize;

/// The file, relative to the spec directory.
pub const FILE: &str = "audit/pages.lock";

/// The command that records the pages as they are.
pub const LOCK_COMMAND: &str = "cargo run -p ocrwire-codegen -- lock --docs DIR";

/// Most changed lines a finding shows.
const SHOWN: usize = 12;

/// Every locked page, by its key (`en/overview.md`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lock {
    pub pages: BTreeMap<String, Locked>,
}

/// One page as reconciled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    pub hash: u64,
    pub lines: Vec<u32>,
}

impl Locked {
    /// The fingerprint of a page's normalised lines.
    pub fn of(lines: &[String]) -> Locked {
        Locked {
            hash: normalize::page_hash(lines),
            lines: lines.iter().map(|l| normalize::line_hash(l)).collect(),
        }
    }
}

impl Lock {
    /// Reads a lock file.
    ///
    /// # Errors
    ///
    /// A line that is neither a page, its line hashes, a comment nor blank.
    pub fn parse(text: &str) -> Result<Lock, String> {
        let mut lock = Lock::default();
        let mut current: Option<String> = None;
        for (number, line) in text.lines().enumerate() {
            let bad = || format!("{FILE}:{}: cannot read `{line}`", number + 1);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(hashes) = line.strip_prefix("  ") {
                let page = current
                    .as_ref()
                    .and_then(|p| lock.pages.get_mut(p))
                    .ok_or_else(bad)?;
                for h in hashes.split_whitespace() {
                    page.lines
                        .push(u32::from_str_radix(h, 16).map_err(|_| bad())?);
                }
                continue;
            }
            let (key, hash) = line.rsplit_once(' ').ok_or_else(bad)?;
            let hash = u64::from_str_radix(hash, 16).map_err(|_| bad())?;
            lock.pages.insert(
                key.to_string(),
                Locked {
                    hash,
                    lines: Vec::new(),
                },
            );
            current = Some(key.to_string());
        }
        Ok(lock)
    }

    /// The lock file's text.
    pub fn render(&self) -> String {
        let mut out = format!(
            "# The vendor pages as the specs were last reconciled with them: each page's\n\
             # fingerprint, then a short hash per line of its normalised text.\n\
             # `ocrwire-codegen audit` reports a page that differs; after review, record\n\
             # the pages as they are with `{LOCK_COMMAND}`.\n"
        );
        for (key, page) in &self.pages {
            let _ = writeln!(out, "\n{key} {:016x}", page.hash);
            for chunk in page.lines.chunks(8) {
                let hashes: Vec<String> = chunk.iter().map(|h| format!("{h:08x}")).collect();
                let _ = writeln!(out, "  {}", hashes.join(" "));
            }
        }
        out
    }
}

/// A page's key in the lock: its file name, under its language's folder
/// when it has one (`en/overview.md`), so that a fresh clone of the
/// vendor's repository and `shared/docs/current` name it alike.
pub fn key(path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let language = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_lowercase()));
    match language {
        Some(language) => format!("{language}/{name}"),
        None => name,
    }
}

/// What changed in a page since the lock: the lines the page has that the
/// lock does not know at their place (`+ line`), and the lock's lines that
/// are gone (`- N lines`), at most twelve of them.
pub fn diff(locked: &[u32], current: &[String]) -> Vec<String> {
    let now: Vec<u32> = current.iter().map(|l| normalize::line_hash(l)).collect();
    // The longest common subsequence, by dynamic programming from the end.
    let (n, m) = (locked.len(), now.len());
    let mut table = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if locked[i] == now[j] {
                table[at(i + 1, j + 1)].saturating_add(1)
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j, mut gone) = (0, 0, 0usize);
    let flush_gone = |gone: &mut usize, out: &mut Vec<String>| {
        if *gone > 0 {
            let s = if *gone == 1 { "" } else { "s" };
            out.push(format!("- {gone} line{s} the lock knew"));
            *gone = 0;
        }
    };
    while i < n || j < m {
        if i < n && j < m && locked[i] == now[j] {
            flush_gone(&mut gone, &mut out);
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[at(i, j + 1)] >= table[at(i + 1, j)]) {
            flush_gone(&mut gone, &mut out);
            out.push(format!("+ {}", current[j]));
            j += 1;
        } else {
            gone += 1;
            i += 1;
        }
    }
    flush_gone(&mut gone, &mut out);
    if out.len() > SHOWN {
        let more = out.len() - SHOWN;
        out.truncate(SHOWN);
        out.push(format!("(and {more} more)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_lock_reads_back_what_it_wrote() {
        let mut lock = Lock::default();
        let page: Vec<String> = (0..20).map(|i| format!("line {i}")).collect();
        lock.pages
            .insert("en/overview.md".into(), Locked::of(&page));
        lock.pages
            .insert("overview.excerpts.txt".into(), Locked::of(&lines("a\nb")));
        assert_eq!(Lock::parse(&lock.render()).unwrap(), lock);
        assert!(Lock::parse("x\n  zz").is_err());
    }

    #[test]
    fn the_diff_shows_new_lines_and_counts_the_gone() {
        let old = lines("a\nb\nc\nd");
        let locked = Locked::of(&old).lines;
        assert!(diff(&locked, &old).is_empty());
        let new = lines("a\nB\nc\nd\ne");
        assert_eq!(
            diff(&locked, &new),
            ["+ B", "- 1 line the lock knew", "+ e"]
        );
    }

    #[test]
    fn keys_name_the_language_folder_only() {
        use std::path::Path;
        assert_eq!(
            key(Path::new("docs/current/nhn-ocr/en/overview.md")),
            "en/overview.md"
        );
        assert_eq!(key(Path::new("OCR/ko/overview.md")), "ko/overview.md");
        assert_eq!(
            key(Path::new("current/clova/overview.excerpts.txt")),
            "overview.excerpts.txt"
        );
    }
}
