//! The report of an NHN General OCR answer, written by hand (the spec's
//! `hook: general-texts`): its texts and their boxes come in two parallel
//! lists, which the library pairs ([`ocrwire::nhn::TextLine`]) and no
//! template can.

use ocrwire::wire::nhn_general_ocr_v1::CroppingResult;
use serde_json::Value;

/// Each text in reading order with its confidence and four corners
/// (`word  (0.97)  [x,y x,y x,y x,y]`), then how many there were.
pub fn report(answer: &Value, _reveal: bool) -> Vec<String> {
    // `CroppingResult` is `GeneralResult` plus `slicesImages`: it reads both.
    let Ok(result) = serde_json::from_value::<CroppingResult>(answer.clone()) else {
        return vec!["(the answer is not a General OCR result)".to_string()];
    };
    let mut lines: Vec<String> = result
        .lines()
        .map(|line| {
            let text = line.text.map_or("", |t| t.expose());
            let conf = line
                .confidence
                .map(|c| format!("  ({c:.2})"))
                .unwrap_or_default();
            let corners = line
                .bounding_box
                .and_then(|b| b.corners())
                .map(|c| {
                    let points: Vec<String> = c.iter().map(|(x, y)| format!("{x},{y}")).collect();
                    format!("  [{}]", points.join(" "))
                })
                .unwrap_or_default();
            format!("{text}{conf}{corners}")
        })
        .collect();
    let count = lines.len();
    let plural = if count == 1 { "" } else { "s" };
    let slices = result
        .slices_images
        .map(|n| format!(", cut into {n} slice{}", if n == 1 { "" } else { "s" }))
        .unwrap_or_default();
    if count == 0 {
        lines.push("(no text recognized)".to_string());
    }
    lines.push(format!("({count} text{plural}{slices})"));
    lines
}

/// The report of a CLOVA General OCR answer (the spec's `hook:
/// clova-text`): the text in reading order with the service's line breaks
/// (`GeneralImage::text`), then each table as rows of cells.
pub fn clova(answer: &Value, _reveal: bool) -> Vec<String> {
    use ocrwire::wire::clova_general_ocr::GeneralResponse;
    let Ok(response) = serde_json::from_value::<GeneralResponse>(answer.clone()) else {
        return vec!["(the answer is not a General OCR response)".to_string()];
    };
    let Some(image) = response.images.as_ref().and_then(|i| i.first()) else {
        return vec!["(the answer holds no image)".to_string()];
    };
    let text = image.text();
    let mut lines: Vec<String> = text.expose().lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push("(no text recognized)".to_string());
    }
    for (i, table) in image.tables().iter().enumerate() {
        lines.push(format!("table {} ({} rows):", i + 1, table.len()));
        for row in table {
            let cells: Vec<&str> = row.iter().map(|c| c.expose()).collect();
            // A cell's own lines stay within it.
            lines.push(format!("  | {} |", cells.join(" | ").replace('\n', " / ")));
        }
    }
    lines
}
