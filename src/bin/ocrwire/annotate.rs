//! `--annotate OUT`: every recognized box drawn on a copy of the image,
//! labelled with its field name (`cardNum 2`, `residentNumber`,
//! `storeInfo.name`), and with the recognized value only under `--reveal`.
//!
//! Pictures are PNG, whatever the input (lines and labels stay sharp). For
//! one image, `OUT` is the picture's path when it ends in `.png`, else a
//! folder; for a batch it is a folder, and each picture mirrors its input's
//! path inside it (`scans/a.jpg` becomes `OUT/scans/a.jpg.png`), so inputs
//! with the same name in different folders do not overwrite each other.
//!
//! Drawing is a few lines of code over the `image` crate's pixels: box
//! edges as straight lines, labels in an 8x8 bitmap font (`font8x8`) on a
//! filled band so they read on any background. The font covers Latin,
//! Greek and symbols; other characters (Hangul, in a revealed Korean value)
//! are drawn as a hollow box. PDF and TIFF inputs (CLOVA) are not decoded:
//! their answer is written, the picture is refused with a message.

use std::path::{Component, Path, PathBuf};

use font8x8::UnicodeFonts as _;
use image::{Rgba, RgbaImage};
use ocrwire::Image;
use ocrwire::descriptor::Shape;
use ocrwire::image::ImageFormat;
use ocrwire::nhn::TextLine;
use ocrwire::wire::nhn_document_ocr_v2::{CreditCardResult, IdCardResult};
use serde_json::Value;

use crate::batch::Input;

/// One box to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The field it belongs to; never personal data.
    pub label: String,
    /// What was read in it; drawn only under `--reveal`.
    pub value: Option<String>,
    /// Its corners, in image pixels.
    pub corners: Vec<(f64, f64)>,
}

fn corners(points: [(i64, i64); 4]) -> Vec<(f64, f64)> {
    points.iter().map(|&(x, y)| (x as f64, y as f64)).collect()
}

/// NHN credit card: each number group, and the expiry.
pub fn credit_card(result: &CreditCardResult) -> Vec<Mark> {
    let groups = result.card_nums.iter().flatten();
    let mut marks: Vec<Mark> = result
        .card_num_boxes
        .iter()
        .flatten()
        .zip(groups.map(Some).chain(std::iter::repeat(None)))
        .enumerate()
        .filter_map(|(i, (b, group))| {
            Some(Mark {
                label: format!("cardNum {}", i + 1),
                value: group
                    .and_then(|g| g.value.as_ref())
                    .map(|v| v.expose().to_owned()),
                corners: corners(b.corners()?),
            })
        })
        .collect();
    if let Some(points) = result.valid_thru_box.as_ref().and_then(|b| b.corners()) {
        marks.push(Mark {
            label: "validThru".into(),
            value: result.valid_thru().map(|v| v.expose().to_owned()),
            corners: corners(points),
        });
    }
    marks
}

/// NHN ID card: each item by its key.
pub fn id_card(result: &IdCardResult) -> Vec<Mark> {
    result
        .key_values
        .iter()
        .flatten()
        .filter_map(|kv| {
            Some(Mark {
                label: kv.key.as_ref().map_or("item", |k| k.as_str()).to_owned(),
                value: kv.value.as_ref().map(|v| v.expose().to_owned()),
                corners: corners(kv.bbox.as_ref()?.corners()?),
            })
        })
        .collect()
}

/// NHN General OCR: each text, numbered in reading order.
pub fn general<'a>(lines: impl Iterator<Item = TextLine<'a>>) -> Vec<Mark> {
    lines
        .enumerate()
        .filter_map(|(i, line)| {
            Some(Mark {
                label: format!("text {}", i + 1),
                value: line.text.map(|t| t.expose().to_owned()),
                corners: corners(line.bounding_box?.corners()?),
            })
        })
        .collect()
}

/// A CLOVA document (the JSON of `images[0]`'s document): every field
/// with `boundingPolys`, labelled with its path (`storeInfo.name`,
/// `paymentInfo.date`), its `text` as the value.
pub fn clova(document: &Value) -> Vec<Mark> {
    let mut marks = Vec::new();
    walk_clova(document, &mut Vec::new(), &mut marks);
    marks
}

fn walk_clova(value: &Value, path: &mut Vec<String>, out: &mut Vec<Mark>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(polys)) = map.get("boundingPolys") {
                let text = map.get("text").and_then(Value::as_str).map(str::to_owned);
                for poly in polys {
                    let points: Vec<(f64, f64)> = poly["vertices"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| Some((v["x"].as_f64()?, v["y"].as_f64()?)))
                        .collect();
                    if points.len() >= 2 {
                        out.push(Mark {
                            label: path.join("."),
                            value: text.clone(),
                            corners: points,
                        });
                    }
                }
            }
            for (key, child) in map {
                // `result` and `meta` are containers, not field names.
                let named = !matches!(key.as_str(), "result" | "boundingPolys" | "formatted");
                if named {
                    path.push(key.clone());
                }
                walk_clova(child, path, out);
                if named {
                    path.pop();
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| walk_clova(v, path, out)),
        _ => {}
    }
}

/// Every area an answer outlines, found through its shape: each value of a
/// type the spec marks with `outline`, labelled with the path of the
/// member that holds it (`cardNumBoxes 2`, `keyValues 3`; list items
/// numbered from 1) and valued with what that member's object reads as
/// (its type's `reads_as`), if anything. What no spec marks is not drawn;
/// nothing here knows an endpoint.
pub fn outlined(shape: &Shape<'_>, answer: &Value) -> Vec<Mark> {
    let mut marks = Vec::new();
    walk_outlines(shape, answer, "", None, &mut marks);
    marks
}

fn walk_outlines(
    shape: &Shape<'_>,
    value: &Value,
    path: &str,
    text: Option<&str>,
    out: &mut Vec<Mark>,
) {
    match (shape, value) {
        (Shape::Object(object), Value::Object(_)) => {
            if let Some(outline) = object.outlines() {
                let corners = outline.corners(value);
                if corners.len() >= 3 {
                    out.push(Mark {
                        label: if path.is_empty() { "area" } else { path }.to_string(),
                        value: text.map(str::to_owned),
                        corners,
                    });
                }
                return;
            }
            // The object's own reading, for the outlines inside it.
            let reading = object
                .reading_paths()
                .iter()
                .find_map(|p| p.split('.').try_fold(value, |v, key| v.get(key))?.as_str());
            for member in object.members() {
                let Some(inner) = value.get(member.wire()) else {
                    continue;
                };
                // An outline's own member name adds nothing to its label:
                // it is the outline of what holds it.
                let outlines_directly = matches!(
                    member.shape(),
                    Shape::Object(o) if o.outlines().is_some()
                ) || matches!(
                    member.shape(),
                    Shape::List(Shape::Object(o)) | Shape::OneOrList(Shape::Object(o)) if o.outlines().is_some()
                );
                let child = match (path.is_empty(), outlines_directly && reading.is_some()) {
                    (_, true) => path.to_string(),
                    (true, false) => member.wire().to_string(),
                    (false, false) => format!("{path}.{}", member.wire()),
                };
                walk_outlines(member.shape(), inner, &child, reading.or(text), out);
            }
        }
        (Shape::List(inner) | Shape::OneOrList(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let label = if items.len() == 1 {
                    path.to_string()
                } else {
                    format!("{path} {}", i + 1)
                };
                walk_outlines(inner, item, &label, text, out);
            }
        }
        (Shape::OneOrList(inner), _) => walk_outlines(inner, value, path, text, out),
        _ => {}
    }
}

/// Where pictures go, and whether values are drawn.
#[derive(Debug, Clone)]
pub struct Annotate {
    out: PathBuf,
    reveal: bool,
    /// `out` names the picture itself (one image, a `.png` path).
    is_file: bool,
}

impl Annotate {
    /// From `--annotate OUT` and `--reveal`, for one image or a batch.
    pub fn new(out: &Path, reveal: bool, batch: bool) -> Annotate {
        let is_png = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png"));
        Annotate {
            out: out.to_path_buf(),
            reveal,
            is_file: !batch && is_png && !out.is_dir(),
        }
    }

    /// Where the picture of `input` goes.
    fn target(&self, input: &Input) -> PathBuf {
        if self.is_file {
            return self.out.clone();
        }
        let relative: PathBuf = match input {
            Input::File(path) => path
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part),
                    _ => None,
                })
                .collect(),
            Input::Stdin => PathBuf::from("stdin"),
            Input::Url(_) => PathBuf::from("url"),
            Input::Value(_) => PathBuf::from("value"),
        };
        let mut name = relative.into_os_string();
        if name.is_empty() {
            name.push("image");
        }
        name.push(".png");
        self.out.join(name)
    }

    /// [`picture`](Self::picture) on a blocking thread, for a batch:
    /// decoding and encoding a large image takes a while.
    pub async fn picture_later(
        &self,
        input: Input,
        image: Image,
        marks: Vec<Mark>,
    ) -> Result<PathBuf, String> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.picture(&input, &image, &marks))
            .await
            .map_err(|e| format!("drawing stopped: {e}"))?
    }

    /// For one image: draws, writes, and says where on stderr.
    pub fn report(&self, input: &Input, image: &Image, marks: &[Mark]) -> Result<(), String> {
        let path = self.picture(input, image, marks)?;
        eprintln!(
            "picture: {} ({} box{})",
            ocrwire::text::printable(&path.display().to_string()),
            marks.len(),
            if marks.len() == 1 { "" } else { "es" }
        );
        Ok(())
    }

    /// Draws `marks` on a copy of `image` and writes it; returns its path.
    pub fn picture(&self, input: &Input, image: &Image, marks: &[Mark]) -> Result<PathBuf, String> {
        let target = self.target(input);
        let picture = draw(image, marks, self.reveal)?;
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        picture
            .save_with_format(&target, image::ImageFormat::Png)
            .map_err(|e| format!("cannot write `{}`: {e}", target.display()))?;
        Ok(target)
    }
}

/// Colors that read on paper and on photos, one per box in turn.
const COLORS: [[u8; 3]; 6] = [
    [230, 25, 75],
    [0, 130, 200],
    [60, 180, 75],
    [245, 130, 48],
    [145, 30, 180],
    [0, 128, 128],
];

/// The picture: the image with every mark's edges and label.
pub fn draw(image: &Image, marks: &[Mark], reveal: bool) -> Result<RgbaImage, String> {
    let format = match image.format() {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
        other => {
            return Err(format!(
                "cannot draw on `{}`: {} pictures are not drawn (PNG and JPEG are)",
                image.name(),
                other.extension()
            ));
        }
    };
    let mut picture = image::load_from_memory_with_format(image.bytes(), format)
        .map_err(|e| format!("cannot decode `{}` to draw on it: {e}", image.name()))?
        .to_rgba8();
    let (w, h) = picture.dimensions();
    let side = w.min(h);
    let thickness = (side / 150).clamp(1, 6) as i64;
    let scale = (side / 200).clamp(1, 4);
    for (i, mark) in marks.iter().enumerate() {
        let [r, g, b] = COLORS[i % COLORS.len()];
        let color = Rgba([r, g, b, 255]);
        let n = mark.corners.len();
        for k in 0..n {
            let (a, b) = (mark.corners[k], mark.corners[(k + 1) % n]);
            line(&mut picture, a, b, thickness, color);
        }
        let label = match (&mark.value, reveal) {
            (Some(value), true) => format!("{}: {}", mark.label, ocrwire::text::printable(value)),
            _ => mark.label.clone(),
        };
        let top_left = mark
            .corners
            .iter()
            .fold((f64::MAX, f64::MAX), |(x, y), &(px, py)| {
                (x.min(px), y.min(py))
            });
        let height = 8 * scale as i64 + 2;
        // `as` saturates a far-off or infinite corner (NaN becomes 0), and
        // the arithmetic saturates with it: such a label is off the picture.
        let (left, top) = (top_left.0 as i64, top_left.1 as i64);
        let above = top.saturating_sub(height + thickness);
        let y = if above >= 0 {
            above
        } else {
            top.saturating_add(thickness)
        };
        text(&mut picture, (left, y), &label, scale, color);
    }
    Ok(picture)
}

/// A straight line `thickness` pixels wide (each point a small square).
///
/// The corners come from the service's answer, which may say anything: a
/// corner a billion pixels away, or `1e300`. So the line is first cut to the
/// picture (and its edge's width), and a line that never crosses it draws
/// nothing: the work is bounded by the picture's size, not by the answer.
fn line(picture: &mut RgbaImage, a: (f64, f64), b: (f64, f64), thickness: i64, color: Rgba<u8>) {
    let (w, h) = picture.dimensions();
    let margin = thickness as f64;
    let frame = (
        (-margin, -margin),
        (f64::from(w) + margin, f64::from(h) + margin),
    );
    let Some(((x0, y0), (x1, y1))) = clip(a, b, frame) else {
        return;
    };
    let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as i64;
    for s in 0..=steps {
        let t = s as f64 / steps as f64;
        let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
        let half = thickness / 2;
        for dy in -half..thickness - half {
            for dx in -half..thickness - half {
                put(picture, x.round() as i64 + dx, y.round() as i64 + dy, color);
            }
        }
    }
}

/// The part of the segment `a`-`b` inside the rectangle `(low, high)`
/// (Liang and Barsky's clipping); `None` when none of it is, or when a
/// coordinate is not a finite number.
///
/// A cut end is placed on the edge it crosses, not interpolated from the
/// segment's ends: those may be `1e300` apart, where `x0 + t * dx` has
/// lost every pixel of precision.
fn clip(
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
    ((left, top), (right, bottom)): ((f64, f64), (f64, f64)),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (x1 - x0, y1 - y0);
    if ![x0, y0, dx, dy].iter().all(|v| v.is_finite()) {
        return None;
    }
    // Where the segment crosses an edge: on a vertical edge (`x` fixed) or
    // a horizontal one.
    let on = |edge: Edge| match edge {
        Edge::X(x) => (x, y0 + (x - x0) * (dy / dx)),
        Edge::Y(y) => (x0 + (y - y0) * (dx / dy), y),
    };
    let (mut enter, mut leave) = ((0.0f64, None), (1.0f64, None));
    // Each edge as (p, q): the segment is on its inner side where p * t <= q.
    for (p, q, edge) in [
        (-dx, x0 - left, Edge::X(left)),
        (dx, right - x0, Edge::X(right)),
        (-dy, y0 - top, Edge::Y(top)),
        (dy, bottom - y0, Edge::Y(bottom)),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            if q / p > enter.0 {
                enter = (q / p, Some(edge));
            }
        } else if q / p < leave.0 {
            leave = (q / p, Some(edge));
        }
    }
    if enter.0 > leave.0 {
        return None;
    }
    // The other coordinate of a cut end is still reckoned from the far
    // ends, where a slope can overflow (`inf`, `0 * inf`) or have lost its
    // precision: each end is kept inside the rectangle, and one that is no
    // number drops the edge. So a line's length never exceeds the
    // rectangle's diagonal.
    let inside = |(x, y): (f64, f64)| {
        (!x.is_nan() && !y.is_nan()).then(|| (x.clamp(left, right), y.clamp(top, bottom)))
    };
    Some((
        inside(enter.1.map_or((x0, y0), on))?,
        inside(leave.1.map_or((x1, y1), on))?,
    ))
}

/// An edge of the clipping rectangle.
#[derive(Clone, Copy)]
enum Edge {
    X(f64),
    Y(f64),
}

fn put(picture: &mut RgbaImage, x: i64, y: i64, color: Rgba<u8>) {
    let (w, h) = picture.dimensions();
    if (0..i64::from(w)).contains(&x) && (0..i64::from(h)).contains(&y) {
        picture.put_pixel(x as u32, y as u32, color);
    }
}

/// `text` at `(x, y)` in white on a band of `color`, `scale` pixels per
/// font pixel; characters the font lacks are hollow boxes. Only what falls
/// on the picture is drawn, so a long label, or one placed far off by the
/// answer's corners, costs no more than the picture.
fn text(picture: &mut RgbaImage, (x, y): (i64, i64), text: &str, scale: u32, color: Rgba<u8>) {
    let (w, h) = picture.dimensions();
    let (w, h) = (i64::from(w), i64::from(h));
    let s = i64::from(scale);
    let cell = 8 * s;
    let band = cell + 2;
    if y >= h || y.saturating_add(band) <= 0 || x >= w {
        return;
    }
    let chars = text.chars().count() as i64;
    let width = chars.saturating_mul(cell).saturating_add(2);
    for dy in y.max(0)..y.saturating_add(band).min(h) {
        for dx in x.max(0)..x.saturating_add(width).min(w) {
            put(picture, dx, dy, color);
        }
    }
    let white = Rgba([255, 255, 255, 255]);
    // The characters before the picture's left edge are skipped, those
    // after its right edge never read.
    let hidden = if x < 0 {
        (x.unsigned_abs() - 1) / cell.unsigned_abs()
    } else {
        0
    };
    for (i, c) in text
        .chars()
        .enumerate()
        .skip(hidden.try_into().unwrap_or(usize::MAX))
    {
        let left = x + 1 + i as i64 * cell;
        if left >= w {
            break;
        }
        let glyph = font8x8::BASIC_FONTS
            .get(c)
            .or_else(|| font8x8::LATIN_FONTS.get(c))
            .or_else(|| font8x8::GREEK_FONTS.get(c))
            .unwrap_or([0x00, 0x7e, 0x42, 0x42, 0x42, 0x42, 0x7e, 0x00]);
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..8 {
                if bits & (1 << col) != 0 {
                    for dy in 0..s {
                        for dx in 0..s {
                            put(
                                picture,
                                left + col * s + dx,
                                y + 1 + row as i64 * s + dy,
                                white,
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the spec marks `outline` is found through the shape alone, and
    /// labelled by where it stands, never by what was read.
    #[test]
    fn outlined_areas_come_from_the_spec_s_shapes() {
        use ocrwire::descriptor::Schema as _;
        use ocrwire::wire::nhn_document_ocr_v2::CreditCardResult;
        let answer: Value =
            serde_json::from_str(include_str!("../../../spec/examples/nhn/credit-card.json"))
                .unwrap();
        let marks = outlined(CreditCardResult::SHAPE, &answer);
        let labels: Vec<&str> = marks.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "cardNumBoxes 1",
                "cardNumBoxes 2",
                "cardNumBoxes 3",
                "cardNumBoxes 4",
                "validThruBox"
            ]
        );
        assert!(marks.iter().all(|m| m.corners.len() == 4));
        assert!(marks.iter().all(|m| m.value.is_none()), "{marks:?}");

        // CLOVA: a field's polygons carry the field's own reading.
        use ocrwire::wire::clova_document_ocr::ReceiptDocument;
        let receipt: Value =
            serde_json::from_str(include_str!("../../../spec/examples/clova/receipt.json"))
                .unwrap();
        let marks = outlined(ReceiptDocument::SHAPE, &receipt);
        let store = marks
            .iter()
            .find(|m| m.label == "result.storeInfo.name")
            .unwrap_or_else(|| panic!("{marks:?}"));
        assert_eq!(store.value.as_deref(), Some("emart everyday"));
        assert!(store.corners.len() >= 3);

        // CLOVA V1: an upright box (`top`, `left`, `width`, `height`).
        use ocrwire::wire::clova_template_ocr::TemplateResponse;
        let v1: Value = serde_json::from_str(include_str!(
            "../../../tests/fixtures/clova-template-ocr/template.json"
        ))
        .unwrap();
        let marks = outlined(TemplateResponse::SHAPE, &v1);
        assert!(!marks.is_empty());
        for mark in &marks {
            let [(x0, y0), (x1, _), (_, y2), _] = mark.corners[..] else {
                panic!("{mark:?}")
            };
            assert!(x1 >= x0 && y2 >= y0, "{mark:?}");
        }
    }

    fn png(width: u32, height: u32) -> Image {
        let mut bytes = Vec::new();
        RgbaImage::from_pixel(width, height, Rgba([250, 250, 250, 255]))
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        Image::from_bytes("blank.png", bytes).unwrap()
    }

    fn mark(value: &str) -> Mark {
        Mark {
            label: "residentNumber".into(),
            value: Some(value.into()),
            corners: vec![(20.0, 40.0), (120.0, 40.0), (120.0, 60.0), (20.0, 60.0)],
        }
    }

    #[test]
    fn edges_are_drawn_and_the_rest_is_untouched() {
        let picture = draw(&png(200, 100), &[mark("900101-1234567")], false).unwrap();
        let blank = Rgba([250, 250, 250, 255]);
        // On the top edge, the left edge, and inside the label band.
        assert_ne!(*picture.get_pixel(70, 40), blank);
        assert_ne!(*picture.get_pixel(20, 50), blank);
        // Far from the box and its label.
        assert_eq!(*picture.get_pixel(190, 95), blank);
        assert_eq!(
            *picture.get_pixel(70, 50),
            blank,
            "inside the box, off its edges"
        );
    }

    /// An answer may put a corner anywhere. The part of an edge that
    /// crosses the picture is drawn, the rest costs nothing, and a label
    /// far off (or as long as the answer likes) is skipped, never looped over.
    #[test]
    fn far_off_corners_are_cut_to_the_picture() {
        let blank = Rgba([250, 250, 250, 255]);
        let far = Mark {
            label: "x".repeat(1 << 20),
            value: None,
            corners: vec![
                (-1e300, 10.0),
                (1e300, 10.0),
                (9.007_199_254_740_993e15, f64::MAX),
                (f64::NAN, f64::INFINITY),
            ],
        };
        let picture = draw(&png(200, 100), &[far], false).unwrap();
        // The first edge crosses the whole picture along row 10.
        assert!((0..200).all(|x| *picture.get_pixel(x, 10) != blank));
        // Nothing else does: the label's anchor (row 11 on) saturated off
        // the picture to the left.
        assert!((0..200).all(|x| *picture.get_pixel(x, 15) == blank));
        assert_eq!(*picture.get_pixel(100, 60), blank);

        // Ends whose slope overflows, or has lost its precision, when the
        // edge is cut: each cut end stays on the picture's frame, so the
        // edge costs at most its diagonal.
        for (a, b) in [
            (
                (-1.000_000_000_000_000_2, -1e300),
                (-0.999_999_999_999_999_8, 1e300),
            ),
            ((-2.0205e18, -3.0e23), (3.4361e18, 5.1019e23)),
            ((50.0, 101.0), (1e300, 101.000_000_000_000_01)),
        ] {
            let frame = ((-1.0, -1.0), (201.0, 101.0));
            if let Some(((x0, y0), (x1, y1))) = clip(a, b, frame) {
                for (x, y) in [(x0, y0), (x1, y1)] {
                    assert!((-1.0..=201.0).contains(&x) && (-1.0..=101.0).contains(&y));
                }
            }
            let edge = Mark {
                label: String::new(),
                value: None,
                corners: vec![a, b],
            };
            draw(&png(200, 100), &[edge], false).unwrap();
        }

        let hidden_left = Mark {
            label: "y".repeat(1 << 20),
            value: None,
            corners: vec![(-1e6, 50.0), (-5.0, 50.0), (-5.0, 80.0)],
        };
        let picture = draw(&png(200, 100), &[hidden_left], false).unwrap();
        // The label starts far to the left and runs across the picture: its
        // band, and in it the white of the characters that fall there.
        assert_ne!(*picture.get_pixel(199, 40), blank);
        let white = Rgba([255, 255, 255, 255]);
        assert!(
            (0..8).any(|x| (40..48).any(|y| *picture.get_pixel(x, y) == white)),
            "the characters over the left edge are drawn"
        );
    }

    #[test]
    fn values_are_drawn_only_when_revealed() {
        let image = png(400, 100);
        let hidden = draw(&image, &[mark("900101-1234567")], false).unwrap();
        let other = draw(&image, &[mark("111111-2222222")], false).unwrap();
        assert_eq!(hidden, other, "without --reveal the value leaves no trace");
        let shown = draw(&image, &[mark("900101-1234567")], true).unwrap();
        assert_ne!(hidden, shown);
    }

    #[test]
    fn labels_name_fields_not_values() {
        let doc: Value = serde_json::json!({
            "result": {"storeInfo": {"name": {"text": "emart", "formatted": {"value": "emart"},
                "boundingPolys": [{"vertices": [{"x": 1.0, "y": 2.0}, {"x": 9.0, "y": 2.0}, {"x": 9.0, "y": 5.0}]}]}}}
        });
        let marks = clova(&doc);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].label, "storeInfo.name");
        assert_eq!(marks[0].value.as_deref(), Some("emart"));
        assert_eq!(marks[0].corners.len(), 3);
    }

    #[test]
    fn batch_pictures_mirror_their_inputs() {
        let a = Annotate::new(Path::new("out"), false, true);
        assert_eq!(
            a.target(&Input::File("scans/more/a.jpg".into())),
            Path::new("out/scans/more/a.jpg.png")
        );
        assert_eq!(
            a.target(&Input::File("/tmp/../x.png".into())),
            Path::new("out/tmp/x.png.png")
        );
        assert_eq!(a.target(&Input::Stdin), Path::new("out/stdin.png"));
        let one = Annotate::new(Path::new("picture.png"), false, false);
        assert_eq!(one.target(&Input::Stdin), Path::new("picture.png"));
    }
}
