//! What users of General and Template OCR want from an answer, on the
//! generated wire types: the text in reading order with the service's line
//! breaks, each table as rows and columns of text, and Template fields by
//! the names the user gave them in the template builder.
//!
//! Recognized text is personal data, so every text comes back as
//! [`Sensitive`] (read with [`Sensitive::expose`]).

use crate::Sensitive;
use crate::wire::clova_general_ocr::{self as general, GeneralImage};
use crate::wire::clova_template_ocr::{self as template, TemplateField, TemplateImage};

/// Words joined by spaces, a new line after each word the service marks
/// with `lineBreak` (V2 answers; a V1 answer has none, so its text is one
/// line).
fn lines<'a>(words: impl Iterator<Item = (Option<&'a Sensitive>, Option<bool>)>) -> Sensitive {
    let mut text = String::new();
    let mut at_line_start = true;
    for (word, line_break) in words {
        if let Some(word) = word.map(Sensitive::expose).filter(|w| !w.is_empty()) {
            if !at_line_start {
                text.push(' ');
            }
            text.push_str(word);
            at_line_start = false;
        }
        if line_break == Some(true) && !at_line_start {
            text.push('\n');
            at_line_start = true;
        }
    }
    let trimmed_len = text.trim_end_matches('\n').len();
    text.truncate(trimmed_len);
    Sensitive::new(text)
}

/// A table as rows of columns of text: each cell's text at its row and
/// column index; a cell spanning several holds its text in its first row
/// and column, the others it covers stay empty. Cells without indexes are
/// left out.
fn grid(cells: impl Iterator<Item = (Option<i64>, Option<i64>, Sensitive)>) -> Vec<Vec<Sensitive>> {
    let placed: Vec<(usize, usize, Sensitive)> = cells
        .filter_map(|(row, column, text)| {
            Some((
                usize::try_from(row?).ok()?,
                usize::try_from(column?).ok()?,
                text,
            ))
        })
        .collect();
    let rows = placed.iter().map(|(r, _, _)| r + 1).max().unwrap_or(0);
    let columns = placed.iter().map(|(_, c, _)| c + 1).max().unwrap_or(0);
    // An index beyond any plausible table is not a grid to build.
    if rows.saturating_mul(columns) > 1 << 20 {
        return Vec::new();
    }
    let mut grid: Vec<Vec<Sensitive>> = (0..rows)
        .map(|_| (0..columns).map(|_| Sensitive::new("")).collect())
        .collect();
    for (row, column, text) in placed {
        grid[row][column] = text;
    }
    grid
}

impl GeneralImage {
    /// The text of the image in reading order: words joined by spaces,
    /// lines broken where the service says (`lineBreak`).
    pub fn text(&self) -> Sensitive {
        lines(
            self.fields
                .iter()
                .flatten()
                .map(|f| (f.infer_text.as_ref(), f.line_break)),
        )
    }

    /// Each table the service found, as rows of columns of text (none
    /// unless the request asked for table detection).
    pub fn tables(&self) -> Vec<Vec<Vec<Sensitive>>> {
        self.tables
            .iter()
            .flatten()
            .map(general::Table::rows)
            .collect()
    }
}

impl TemplateImage {
    /// The field the template names `name` (as named in the template
    /// builder), if the service read it.
    pub fn field(&self, name: &str) -> Option<&TemplateField> {
        self.fields
            .iter()
            .flatten()
            .find(|f| f.name.as_deref() == Some(name))
    }

    /// Each table the service found, as rows of columns of text.
    pub fn tables(&self) -> Vec<Vec<Vec<Sensitive>>> {
        self.tables
            .iter()
            .flatten()
            .map(template::Table::rows)
            .collect()
    }
}

impl TemplateField {
    /// The field's text: its reading, or its sub-fields' in reading order
    /// (with their line breaks) when it has them.
    pub fn text(&self) -> Sensitive {
        match &self.sub_fields {
            Some(subs) if !subs.is_empty() => {
                lines(subs.iter().map(|s| (s.infer_text.as_ref(), s.line_break)))
            }
            _ => self
                .infer_text
                .clone()
                .unwrap_or_else(|| Sensitive::new("")),
        }
    }

    /// For a check box, whether it is checked.
    pub fn is_checked(&self) -> Option<bool> {
        self.checked
    }
}

/// `rows()` for each family's `Table` (the generated types are distinct,
/// their members the same): a cell's lines joined by new lines, its words
/// by spaces, placed at its row and column index.
macro_rules! table_rows {
    ($($table:ty),*) => {$(
        impl $table {
            /// The table as rows of columns of text; a cell's lines are
            /// joined by new lines, its words by spaces.
            pub fn rows(&self) -> Vec<Vec<Sensitive>> {
                grid(self.cells.iter().flatten().map(|cell| {
                    let text = cell
                        .cell_text_lines
                        .iter()
                        .flatten()
                        .map(|line| {
                            let words = line.cell_words.iter().flatten();
                            let line = lines(words.map(|w| (w.infer_text.as_ref(), None)));
                            line.expose().to_owned()
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    (cell.row_index, cell.column_index, Sensitive::new(text))
                }))
            }
        }
    )*};
}

table_rows!(general::Table, template::Table);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::clova_general_ocr::GeneralResponse;
    use crate::wire::clova_template_ocr::TemplateResponse;

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn text_follows_the_line_breaks_and_tables_are_grids() {
        let answer: GeneralResponse =
            serde_json::from_str(&fixture("clova-general-ocr/v2-tables.json")).unwrap();
        let image = &answer.images.as_ref().unwrap()[0];
        let text = image.text();
        assert!(text.expose().contains('\n'), "{}", text.expose());
        assert!(!text.expose().ends_with('\n'));
        let tables = image.tables();
        assert_eq!(tables.len(), 2);
        for table in &tables {
            let width = table[0].len();
            assert!(table.iter().all(|row| row.len() == width));
        }
    }

    #[test]
    fn a_v1_answer_reads_as_one_line() {
        let answer: GeneralResponse =
            serde_json::from_str(&fixture("clova-general-ocr/v1-pdf.json")).unwrap();
        let text = answer.images.as_ref().unwrap()[0].text();
        assert!(!text.expose().contains('\n'));
        assert!(
            text.expose().starts_with("Chapter 1 Water"),
            "{}",
            text.expose()
        );
    }

    #[test]
    fn template_fields_by_name() {
        let answer: TemplateResponse =
            serde_json::from_str(&fixture("clova-template-ocr/template.json")).unwrap();
        let image = &answer.images.as_ref().unwrap()[0];
        let title = image
            .field("book title")
            .expect("a field named as in the builder");
        assert_eq!(title.text().expose(), "별의 지도");
        assert!(image.field("no such field").is_none());
    }

    #[test]
    fn words_and_breaks() {
        let w = |t: &str| Sensitive::new(t);
        let (a, b, c) = (w("a"), w("b"), w("c"));
        let text = lines(
            [
                (Some(&a), Some(true)),
                (Some(&b), None),
                (Some(&c), Some(true)),
            ]
            .into_iter(),
        );
        assert_eq!(text.expose(), "a\nb c");
        let cells = [
            (Some(0), Some(1), w("x")),
            (Some(1), Some(0), w("y")),
            (None, Some(0), w("z")),
        ];
        let g = grid(cells.into_iter());
        let shown: Vec<Vec<&str>> = g
            .iter()
            .map(|r| r.iter().map(Sensitive::expose).collect())
            .collect();
        assert_eq!(shown, [["", "x"], ["y", ""]]);
    }
}
