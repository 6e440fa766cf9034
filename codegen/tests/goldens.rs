//! Golden files: each small spec in `tests/goldens/` shows one feature of
//! the generator, and the code it generates is committed beside it
//! (`<name>.yaml` -> `<name>.rs`). A change to the generator shows up as a
//! diff of these files, feature by feature. The main crate's
//! `tests/spec/goldens.rs` (in the root crate) compiles every one of them.
//!
//! To accept new output: `OCRWIRE_BLESS=1 cargo test -p ocrwire-codegen --test goldens`.

use std::path::{Path, PathBuf};

const BLESS: &str = "OCRWIRE_BLESS=1 cargo test -p ocrwire-codegen --test goldens";

fn goldens() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn every_golden_matches_what_its_spec_generates() {
    let bless = std::env::var_os("OCRWIRE_BLESS").is_some();
    let mut stale = Vec::new();
    let specs = goldens();
    assert!(specs.len() >= 4, "the goldens are missing: {specs:?}");
    for spec in specs {
        let text = std::fs::read_to_string(&spec).unwrap();
        // Named as in the repository, so the `@generated` header is stable.
        let shown = Path::new("codegen/tests/goldens").join(spec.file_name().unwrap());
        let family = ocrwire_codegen::load_str(&shown, &text)
            .unwrap_or_else(|e| panic!("golden spec {} is invalid:\n{e}", spec.display()));
        let generated = ocrwire_codegen::generate(&family).contents;
        let golden = spec.with_extension("rs");
        if bless {
            std::fs::write(&golden, &generated).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(committed) if committed == generated => {}
            Ok(committed) => {
                let line = committed
                    .lines()
                    .zip(generated.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
                stale.push(format!(
                    "{} differs from line {}:\n  generated: {}\n  committed: {}",
                    golden.display(),
                    line + 1,
                    generated.lines().nth(line).unwrap_or("<end of file>"),
                    committed.lines().nth(line).unwrap_or("<end of file>"),
                ));
            }
            Err(_) => stale.push(format!("{} is missing", golden.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "{}\n\nTo accept the generator's output, run:\n    {BLESS}\n",
        stale.join("\n")
    );
}

/// A shared error table's error group is the table's: generated once, in
/// the table's module, and re-exported by each family that takes the table
/// whole (Document OCR v1 and v2 and the table's `file` group).
#[test]
fn a_shared_tables_error_group_is_generated_once_in_its_module() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let files = ocrwire_codegen::generate_dir(&spec).expect("valid specs");
    let defining: Vec<&str> = files
        .iter()
        .filter(|f| f.contents.contains("pub const FILE_ERRORS: d::ErrorGroup"))
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(defining, ["errors_nhn_document_ocr.rs"]);
    for family in ["nhn_document_ocr_v1.rs", "nhn_document_ocr_v2.rs"] {
        let file = files.iter().find(|f| f.name == family).unwrap();
        assert!(
            file.contents
                .contains("pub use ::ocrwire::wire::errors_nhn_document_ocr::{ErrorCode, ERRORS, FILE_ERRORS};"),
            "{family} re-exports the table's group"
        );
    }
}
