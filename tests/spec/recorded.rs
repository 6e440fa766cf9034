//! Answers recorded from the live services (`tests/fixtures/recorded/`,
//! masked) decode with `DriftMode::Fail`: the spec knows every member, value
//! and shape the service was seen to send. On failure the test lists what
//! the spec did not know, file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ocrwire::client::decode_saved;
use ocrwire::descriptor::{Operation, OperationVisitor};
use ocrwire::wire::clova_document_ocr as clova;
use ocrwire::wire::drift::{self, DriftMode};
use serde::de::DeserializeOwned;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recorded")
}

type Decode = fn(&[u8]) -> Result<Vec<String>, String>;

/// Decodes a whole answer of each endpoint, by the family and the
/// endpoint's name (the folder names): no list to keep.
#[derive(Default)]
struct Endpoints(BTreeMap<(&'static str, &'static str), Decode>);

impl OperationVisitor for Endpoints {
    fn visit<O: Operation>(&mut self) {
        let decode: Decode = |body| match decode_saved::<O>(body, DriftMode::Warn) {
            Ok(answer) => Ok(answer.drift().iter().map(ToString::to_string).collect()),
            Err(e) => Err(e.to_string()),
        };
        self.0
            .insert((O::ENDPOINT.family, O::ENDPOINT.name), decode);
    }
}

/// A part of an answer, decoded as its type.
fn part<T: ocrwire::descriptor::Schema + DeserializeOwned>(
    body: &[u8],
) -> Result<Vec<String>, String> {
    let value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let decoded = drift::decode::<T>(value).map_err(|e| e.to_string())?;
    Ok(decoded.drift.iter().map(ToString::to_string).collect())
}

/// The decoder for a folder: an endpoint of the family, or a type name.
fn decoder(endpoints: &Endpoints, family: &str, folder: &str) -> Option<Decode> {
    let by_type: Option<Decode> = match (family, folder) {
        ("clova-document-ocr", "ReceiptResult") => Some(part::<clova::ReceiptResult>),
        ("clova-document-ocr", "ImageResult") => Some(part::<clova::ImageResult>),
        _ => None,
    };
    by_type.or_else(|| {
        endpoints
            .0
            .iter()
            .find(|((f, e), _)| *f == family && *e == folder)
            .map(|(_, d)| *d)
    })
}

#[test]
fn every_recorded_answer_decodes_with_nothing_the_spec_does_not_know() {
    let mut endpoints = Endpoints::default();
    ocrwire::wire::visit_operations(&mut endpoints);
    let mut unknown = Vec::new();
    let mut decoded = 0;
    for family in std::fs::read_dir(root()).unwrap() {
        let family = family.unwrap().path();
        if !family.is_dir() {
            continue;
        }
        let family_name = family.file_name().unwrap().to_string_lossy().into_owned();
        for folder in std::fs::read_dir(&family).unwrap() {
            let folder = folder.unwrap().path();
            let folder_name = folder.file_name().unwrap().to_string_lossy().into_owned();
            let decode = decoder(&endpoints, &family_name, &folder_name).unwrap_or_else(|| {
                panic!("{family_name}/{folder_name} names no endpoint or known type")
            });
            for file in std::fs::read_dir(&folder).unwrap() {
                let file = file.unwrap().path();
                let body = std::fs::read(&file).unwrap();
                let shown = file.strip_prefix(root()).unwrap().display().to_string();
                match decode(&body) {
                    Ok(drift) if drift.is_empty() => decoded += 1,
                    Ok(drift) => unknown.push(format!("{shown}:\n    {}", drift.join("\n    "))),
                    Err(e) => unknown.push(format!("{shown}: {e}")),
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "what the spec does not know in recorded answers:\n{}",
        unknown.join("\n")
    );
    assert!(decoded >= 16, "{decoded} recorded answers");
}

#[test]
fn recorded_subtotals_carry_lists_of_amounts() {
    let body =
        std::fs::read(root().join("clova-document-ocr/ReceiptResult/tax-and-discount-2024.json"))
            .unwrap();
    let result: clova::ReceiptResult = serde_json::from_slice(&body).unwrap();
    let sub = result.sub_total.expect("subTotal");
    let first = &sub.as_slice()[0];
    assert!(
        first
            .tax_price
            .as_ref()
            .is_some_and(|t| !t.as_slice().is_empty())
    );
    assert!(
        first
            .discount_price
            .as_ref()
            .is_some_and(|d| !d.as_slice().is_empty())
    );
}

/// Answers built to the shapes of answers recorded from the live service,
/// with invented data (`tests/fixtures/clova-general-ocr/`,
/// `clova-template-ocr/`, each with a README saying which recorded answers
/// they follow): a V2 answer with tables, a V1 answer for a PDF and a
/// Template answer decode whole, with `DriftMode::Fail`.
#[test]
fn general_and_template_answers_decode_with_nothing_unknown() {
    use ocrwire::wire::{clova_general_ocr, clova_template_ocr};
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |path: &str| std::fs::read(fixtures.join(path)).unwrap();
    for file in [
        "clova-general-ocr/v2-tables.json",
        "clova-general-ocr/v1-pdf.json",
    ] {
        let answer = decode_saved::<clova_general_ocr::General>(&read(file), DriftMode::Fail)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(answer.drift().is_empty(), "{file}");
        let image = &answer.images.as_ref().unwrap()[0];
        assert!(!image.text().expose().is_empty(), "{file}");
    }
    let answer = decode_saved::<clova_general_ocr::General>(
        &read("clova-general-ocr/v2-tables.json"),
        DriftMode::Fail,
    )
    .unwrap();
    assert_eq!(answer.images.as_ref().unwrap()[0].tables().len(), 2);
    let answer = decode_saved::<clova_template_ocr::Infer>(
        &read("clova-template-ocr/template.json"),
        DriftMode::Fail,
    )
    .unwrap();
    let image = &answer.images.as_ref().unwrap()[0];
    assert!(image.matched_template.is_some());
    assert!(image.fields.as_ref().is_some_and(|f| !f.is_empty()));
}
