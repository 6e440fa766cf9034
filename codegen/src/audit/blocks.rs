//! Vendor documentation as a sequence of blocks: headings, `[Label]` lines,
//! endpoint lines and pipe tables, each with its line number.
//!
//! NHN publishes markdown (`### Heading`, `[Request Header]`, pipe tables
//! with a `|---|` separator); CLOVA's pages are stored as plain text whose
//! tables are pipe-separated lines, sometimes without leading pipes,
//! sometimes with a row's closing pipe on the next line, often cut short
//! (`[CUT]`). One reader takes both: a table is a run of lines with at
//! least two pipes, outside code fences; separator rows and lone pipes are
//! skipped, and rows keep their cells as written (trimmed).

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `## Title` (level 2).
    Heading {
        level: usize,
        text: String,
        line: usize,
    },
    /// A line holding only `[Label]` (`[URI]`, `[요청 헤더]`).
    Label {
        text: String,
        line: usize,
    },
    /// A line naming an endpoint outside a table: `` > `POST /oauth2/token/create` ``.
    Endpoint {
        method: String,
        uri: String,
        line: usize,
    },
    /// A line that is neither of the above, kept for mode switches such as
    /// `* Response`.
    Text {
        text: String,
        line: usize,
    },
    Table(Table),
}

/// A pipe table: its header cells and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    pub line: usize,
}

impl Table {
    /// The index of the first column whose header (lower-cased, backticks
    /// and markup removed) is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.contains(&clean(h).to_lowercase().as_str()))
    }
}

impl Row {
    /// The cell at `column`, cleaned of markup; empty when the row is short.
    pub fn cell(&self, column: usize) -> String {
        self.cells.get(column).map(|c| clean(c)).unwrap_or_default()
    }
}

/// A cell's text without markdown markup: backticks, bold, `<br>` and the
/// like; entities as characters.
pub fn clean(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut in_tag = false;
    for c in cell.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            '`' | '*' => {}
            c => out.push(c),
        }
    }
    out.replace("&nbsp;", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `text` into blocks. Line numbers start at 1.
pub fn read(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut table: Option<Table> = None;
    let mut in_fence = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            flush(&mut table, &mut blocks);
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.matches('|').count() >= 2 || (table.is_some() && trimmed == "|") {
            if trimmed == "|" || is_separator(trimmed) {
                continue;
            }
            let cells = split_cells(trimmed);
            match &mut table {
                Some(t) => t.rows.push(Row { cells, line }),
                None => {
                    table = Some(Table {
                        header: cells,
                        rows: Vec::new(),
                        line,
                    })
                }
            }
            continue;
        }
        flush(&mut table, &mut blocks);
        if trimmed.is_empty() {
            continue;
        }
        if let Some(block) = heading(trimmed, line)
            .or_else(|| label(trimmed, line))
            .or_else(|| endpoint(trimmed, line))
        {
            blocks.push(block);
        } else {
            blocks.push(Block::Text {
                text: trimmed.to_string(),
                line,
            });
        }
    }
    flush(&mut table, &mut blocks);
    blocks
}

fn flush(table: &mut Option<Table>, blocks: &mut Vec<Block>) {
    if let Some(t) = table.take() {
        blocks.push(Block::Table(t));
    }
}

fn is_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn split_cells(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

fn heading(line: &str, number: usize) -> Option<Block> {
    let level = line.chars().take_while(|&c| c == '#').count();
    let rest = line.get(level..)?;
    // A heading id (`## Errors {#errors}`) is markup, not the heading.
    let text = rest.trim();
    let text = match (text.ends_with('}'), text.rfind("{#")) {
        (true, Some(open)) => text[..open].trim_end(),
        _ => text,
    };
    (level > 0 && rest.starts_with(' ')).then(|| Block::Heading {
        level,
        text: text.to_string(),
        line: number,
    })
}

fn label(line: &str, number: usize) -> Option<Block> {
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    (!inner.is_empty() && !inner.contains(['[', ']'])).then(|| Block::Label {
        text: inner.trim().to_string(),
        line: number,
    })
}

/// `> `POST /oauth2/token/create``, `` `GET /path` ``.
fn endpoint(line: &str, number: usize) -> Option<Block> {
    let text = line.trim_start_matches('>').trim().trim_matches('`').trim();
    let (method, uri) = text.split_once(' ')?;
    let method_ok = matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE");
    let uri = uri.trim();
    (method_ok && uri.starts_with('/') && !uri.contains(' ')).then(|| Block::Endpoint {
        method: method.to_string(),
        uri: uri.to_string(),
        line: number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_tables_labels_headings_and_fences() {
        let text = "\
## Title

[URI]

| Method | URI |
| ------ | --- |
| POST   | /v2.1/appkeys/{appKey}/credit-card |

```json
| not | a table |
```
> `POST /oauth2/token/create`
* Response
";
        let blocks = read(text);
        assert_eq!(
            blocks[0],
            Block::Heading {
                level: 2,
                text: "Title".into(),
                line: 1
            }
        );
        assert_eq!(
            blocks[1],
            Block::Label {
                text: "URI".into(),
                line: 3
            }
        );
        let Block::Table(t) = &blocks[2] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.header, ["Method", "URI"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 7);
        assert_eq!(t.rows[0].cell(1), "/v2.1/appkeys/{appKey}/credit-card");
        assert_eq!(t.column(&["uri"]), Some(1));
        assert_eq!(
            blocks[3],
            Block::Endpoint {
                method: "POST".into(),
                uri: "/oauth2/token/create".into(),
                line: 12
            }
        );
        assert!(matches!(&blocks[4], Block::Text { text, .. } if text == "* Response"));
        assert_eq!(blocks.len(), 5);
    }

    #[test]
    fn plain_text_tables_with_wrapped_rows_and_cuts() {
        let text = "\
| HTTP 상태 코드 | 코드 | 메시지 | 설명 |
|---|---|---|---|
| 400 | 0001 | URL is invalid. | 입력한 호출 URL이 유효하지 않음
|
| 400 | 0011 | Request body invalid. | 본문 |
| 5 [CUT]
HTTP status code | Code | Message | Description |
400 | 0001 | URL is invalid. | Invalid call URL entered
";
        let blocks = read(text);
        let Block::Table(ko) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(ko.rows.len(), 2, "{ko:?}");
        assert_eq!(ko.rows[1].cell(2), "Request body invalid.");
        // `| 5 [CUT]` has one pipe: not a row, it ends the table.
        assert!(matches!(&blocks[1], Block::Text { .. }));
        let Block::Table(en) = &blocks[2] else {
            panic!("{blocks:?}")
        };
        assert_eq!(en.header[0], "HTTP status code");
        assert_eq!(en.rows[0].cell(1), "0001");
    }

    #[test]
    fn cells_lose_their_markup() {
        assert_eq!(clean("`version`"), "version");
        assert_eq!(clean("**Bold**<br>next"), "Bold next");
        assert_eq!(clean(" a&nbsp;b "), "a b");
    }
}
