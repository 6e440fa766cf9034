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
