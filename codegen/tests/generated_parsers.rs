//! The generated code parses what the vendor sends: every spec enum gets a
//! `from_wire` over its values, and every family's `ErrorCode` reads the kind
//! of code its error shape carries, so the runtime keeps no lists of its own.

use ocrwire_codegen::model::Family;
use std::path::Path;

/// Every family in the workspace's `spec/`, with its generated source.
fn families() -> Vec<(Family, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let files = ocrwire_codegen::parse::spec_files(&dir).unwrap();
    assert!(!files.is_empty(), "no specs in {}", dir.display());
    files
        .iter()
        .map(|file| {
            let family = ocrwire_codegen::load(file).unwrap();
            let code = ocrwire_codegen::generate(&family).contents;
            (family, code)
        })
        .collect()
}

/// The source without whitespace, so checks do not depend on line wrapping.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The body of `impl <name> {` in generated source, up to its closing line.
fn impl_block<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("\nimpl {name} {{\n"))
        .unwrap_or_else(|| panic!("no `impl {name}` in:\n{code}"));
    let rest = &code[start + 1..];
    &rest[..rest.find("\n}\n").map_or(rest.len(), |end| end + 3)]
}

#[test]
fn every_enum_parses_each_of_its_wire_values() {
    let mut enums = 0;
    for (family, code) in families() {
        for e in &family.enums {
            let block = flat(impl_block(&code, &e.name));
            assert!(
                block.contains(&flat(
                    "pub fn from_wire(value: &str) -> Self { match value {"
                )),
                "{}::{} has no from_wire:\n{block}",
                family.module,
                e.name
            );
            for (wire, variant, _) in &e.values {
                let arm = flat(&format!("{wire:?} => Self::{variant},"));
                assert!(block.contains(&arm), "missing `{arm}` in:\n{block}");
            }
            let fallback = flat("other => Self::Unknown(other.to_owned()),");
            assert!(block.contains(&fallback), "{block}");
            enums += 1;
        }
    }
    assert!(enums > 0, "the specs define no enums to check");
}

#[test]
fn error_codes_are_read_as_the_kind_the_family_sends() {
    use ocrwire_codegen::spec::Vendor;
    let mut kinds = Vec::new();
    for (family, code) in families() {
        let flat_code = flat(&code);
        let (taken, refused) = match family.vendor {
            // NHN puts an integer in `header.resultCode`; CLOVA a text `code`.
            Vendor::Nhn => (
                "d::WireCode::Integer(code) => Some(Self::from_code(code)),",
                "d::WireCode::Text(_) => None,",
            ),
            Vendor::Clova => (
                "d::WireCode::Text(code) => Some(Self::from_code(code)),",
                "d::WireCode::Integer(_) => None,",
            ),
        };
        let expected = flat(&format!(
            "impl d::VendorCode for ErrorCode {{
                fn from_wire(code: d::WireCode<'_>) -> Option<Self> {{
                    match code {{ {taken} {refused} }}
                }}"
        ));
        assert!(
            flat_code.contains(&expected),
            "{}: missing `{expected}` in:\n{code}",
            family.module
        );
        kinds.push(family.vendor);
    }
    // Both kinds are exercised by the real specs.
    assert!(kinds.contains(&Vendor::Nhn) && kinds.contains(&Vendor::Clova));
}
