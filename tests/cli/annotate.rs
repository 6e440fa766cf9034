//! `--annotate`: the pictures the real binary writes are valid images,
//! changed on the boxes the answer names and nowhere far from them.
#![cfg(feature = "cli")] // needs the binary

use std::path::Path;

use image::{Rgba, RgbaImage};
use serde_json::Value;

use crate::support::cli::{command, example};

fn decode(path: &Path) -> RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{} is not an image: {e}", path.display()))
        .to_rgba8()
}

/// The boxes of an NHN credit-card answer, as (x1, y1, x3, y3).
fn boxes(answer: &Value) -> Vec<(u32, u32, u32, u32)> {
    let corner = |b: &Value, k: &str| b[k].as_u64().expect(k) as u32;
    answer["cardNumBoxes"]
        .as_array()
        .expect("boxes")
        .iter()
        .chain([&answer["validThruBox"]])
        .map(|b| {
            (
                corner(b, "x1"),
                corner(b, "y1"),
                corner(b, "x3"),
                corner(b, "y3"),
            )
        })
        .collect()
}

#[test]
fn one_picture_shows_every_box_and_leaves_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picture = dir.path().join("card.png");
    let card = example("card-scan.png");
    let out = command(
        &[
            "nhn",
            "credit-card",
            &card,
            "--mock",
            "--output",
            "json",
            "--annotate",
            picture.to_str().expect("utf-8"),
        ],
        &[],
    )
    .output()
    .expect("run ocrwire");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("picture: ") && stderr.contains("(5 boxes)"),
        "{stderr}"
    );
    let answer: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let before = decode(Path::new(&card));
    let after = decode(&picture);
    assert_eq!(before.dimensions(), after.dimensions());
    let boxes = boxes(&answer);
    assert_eq!(boxes.len(), 5);
    for &(x1, y1, x3, y3) in &boxes {
        assert!(
            x3 < after.width() && y3 < after.height(),
            "inside the image"
        );
        // Every edge, at its middle, was drawn over.
        let (mx, my) = ((x1 + x3) / 2, (y1 + y3) / 2);
        for (x, y) in [(mx, y1), (mx, y3), (x1, my), (x3, my)] {
            assert_ne!(
                before.get_pixel(x, y),
                after.get_pixel(x, y),
                "edge at {x},{y}"
            );
        }
    }
    // Far below every box and label, nothing changed.
    let lowest = boxes.iter().map(|b| b.3).max().unwrap_or(0);
    for y in (lowest + 20..after.height()).step_by(7) {
        for x in (0..after.width()).step_by(13) {
            assert_eq!(before.get_pixel(x, y), after.get_pixel(x, y), "{x},{y}");
        }
    }
}

#[test]
fn values_are_drawn_only_with_reveal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let card = example("card-scan.png");
    let draw = |name: &str, reveal: bool| {
        let picture = dir.path().join(name);
        let mut args = vec!["nhn", "credit-card", &card, "--mock", "--annotate"];
        let path = picture.to_str().expect("utf-8").to_owned();
        args.push(&path);
        if reveal {
            args.push("--reveal");
        }
        let out = command(&args, &[]).output().expect("run ocrwire");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        decode(&picture)
    };
    assert_ne!(draw("hidden.png", false), draw("shown.png", true));
}

#[test]
fn a_batch_writes_a_picture_per_input_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).expect("mkdir");
    std::fs::copy(example("receipt.jpg"), scans.join("receipt.jpg")).expect("copy");
    std::fs::copy(example("card-scan.png"), scans.join("card.png")).expect("copy");
    let out = command(
        &[
            "clova",
            "receipt",
            "scans",
            "--mock",
            "--annotate",
            "pictures",
        ],
        &[],
    )
    .current_dir(dir.path())
    .output()
    .expect("run ocrwire");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        let input = line["input"].as_str().expect("input");
        let picture = line["annotated"].as_str().expect("a picture");
        assert_eq!(picture, format!("pictures/{input}.png"));
        let drawn = decode(&dir.path().join(picture));
        let original = decode(&dir.path().join(input));
        assert_eq!(drawn.dimensions(), original.dimensions());
        assert_ne!(drawn, original, "{input}: boxes drawn");
        // The receipt's boxes are CLOVA polygons, labelled by field.
        assert!(drawn.pixels().any(|p| *p == Rgba([230, 25, 75, 255])));
    }
}

#[test]
fn what_cannot_be_drawn_says_why() {
    // A URL is fetched by the service: nothing to draw on.
    let out = command(
        &[
            "nhn",
            "general",
            "https://example.com/a.png",
            "--mock",
            "--annotate",
            "x.png",
        ],
        &[],
    )
    .output()
    .expect("run ocrwire");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--annotate"));
}
