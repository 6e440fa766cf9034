//! [`TextLine`]: General OCR's texts paired with their boxes.
//!
//! The service sends texts and boxes as two parallel lists of groups
//! (`listOfInferTexts[i].inferTexts[j]` belongs with
//! `listOfBoundingBoxes[i].boundingBoxes[j]`). Pairing them by hand is easy
//! to get off by one, and the vendor's own example sends fewer boxes than
//! texts, so the pairing lives here once and a missing box is `None`.

use crate::Sensitive;
use crate::wire::nhn_general_ocr_v1::{
    BoundingBox, BoundingBoxGroup, CroppingResult, GeneralResult, InferText, InferTextGroup,
};

/// One recognized text (a word or a run of words, as the service cuts
/// them), in reading order, with its box.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct TextLine<'a> {
    /// Which group (region) of the answer it belongs to.
    pub group: usize,
    /// The recognized text (`value`).
    pub text: Option<&'a Sensitive>,
    /// Recognition confidence, 0 to 1.
    pub confidence: Option<f64>,
    /// Its box, when the service sent one.
    pub bounding_box: Option<&'a BoundingBox>,
    /// The wire text.
    pub infer_text: &'a InferText,
}

fn pair<'a>(
    texts: Option<&'a Vec<InferTextGroup>>,
    boxes: Option<&'a Vec<BoundingBoxGroup>>,
) -> impl Iterator<Item = TextLine<'a>> {
    texts
        .into_iter()
        .flatten()
        .enumerate()
        .flat_map(move |(group, texts)| {
            let group_boxes = boxes
                .and_then(|b| b.get(group))
                .and_then(|g| g.bounding_boxes.as_ref());
            texts
                .infer_texts
                .iter()
                .flatten()
                .enumerate()
                .map(move |(index, infer_text)| TextLine {
                    group,
                    text: infer_text.value.as_ref(),
                    confidence: infer_text.conf,
                    bounding_box: group_boxes.and_then(|b| b.get(index)),
                    infer_text,
                })
        })
}

impl GeneralResult {
    /// Every recognized text in order, each with its box.
    pub fn lines(&self) -> impl Iterator<Item = TextLine<'_>> {
        pair(
            self.list_of_infer_texts.as_ref(),
            self.list_of_bounding_boxes.as_ref(),
        )
    }
}

impl CroppingResult {
    /// Every recognized text in order, each with its box.
    pub fn lines(&self) -> impl Iterator<Item = TextLine<'_>> {
        pair(
            self.list_of_infer_texts.as_ref(),
            self.list_of_bounding_boxes.as_ref(),
        )
    }
}

impl BoundingBox {
    /// The corners clockwise from top-left as `(x, y)`, when all eight
    /// coordinates were sent.
    pub fn corners(&self) -> Option<[(i64, i64); 4]> {
        corners([
            (self.x1, self.y1),
            (self.x2, self.y2),
            (self.x3, self.y3),
            (self.x4, self.y4),
        ])
    }
}

/// Four corners, when every coordinate was sent. Both NHN families send
/// boxes as `x1`..`y4`, each family in a type of its own.
pub(super) fn corners(points: [(Option<i64>, Option<i64>); 4]) -> Option<[(i64, i64); 4]> {
    let mut out = [(0, 0); 4];
    for (corner, (x, y)) in out.iter_mut().zip(points) {
        *corner = (x?, y?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_need_every_coordinate() {
        let all = [
            (Some(1), Some(2)),
            (Some(3), Some(4)),
            (Some(5), Some(6)),
            (Some(7), Some(8)),
        ];
        assert_eq!(corners(all), Some([(1, 2), (3, 4), (5, 6), (7, 8)]));
        let mut one_missing = all;
        one_missing[2].1 = None;
        assert_eq!(corners(one_missing), None);
    }
    use serde_json::json;

    #[test]
    fn texts_pair_with_boxes_by_group_and_index() {
        let box_at = |x: i64| json!({"x1": x, "y1": 0, "x2": x + 1, "y2": 0, "x3": x + 1, "y3": 1, "x4": x, "y4": 1});
        let result: GeneralResult = serde_json::from_value(json!({
            "listOfInferTexts": [
                {"inferTexts": [{"value": "stella", "conf": 0.99}, {"value": "artois", "conf": 0.98}]},
                {"inferTexts": [{"value": "belgium", "conf": 0.97}]}
            ],
            "listOfBoundingBoxes": [
                {"boundingBoxes": [box_at(10)]},
                {"boundingBoxes": [box_at(30)]}
            ]
        }))
        .unwrap();
        let lines: Vec<_> = result
            .lines()
            .map(|l| {
                (
                    l.group,
                    l.text.map(|t| t.expose().to_string()),
                    l.confidence,
                    l.bounding_box
                        .and_then(BoundingBox::corners)
                        .map(|c| c[0].0),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                (0, Some("stella".into()), Some(0.99), Some(10)),
                (0, Some("artois".into()), Some(0.98), None),
                (1, Some("belgium".into()), Some(0.97), Some(30)),
            ]
        );
        assert!(!format!("{:?}", result.lines().next()).contains("stella"));
        assert_eq!(GeneralResult::default().lines().count(), 0);
        assert_eq!(CroppingResult::default().lines().count(), 0);
    }
}
