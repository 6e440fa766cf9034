//! `generated/` is exactly what `spec/` generates, and a spec edit alone
//! changes the generated code.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The drift test: regenerate from `spec/` and compare with the committed files.
#[test]
fn generated_code_matches_the_specs() {
    let files = ocrwire_codegen::generate_dir(&root().join("spec"))
        .unwrap_or_else(|e| panic!("invalid spec:\n{e}"));
    let specs = ocrwire_codegen::parse::spec_files(&root().join("spec")).unwrap();
    // A module per shared error table that families take whole
    // (`spec/errors/<name>.yaml` -> `errors_<name>.rs`), each from a table
    // that exists.
    let table_modules: Vec<String> = std::fs::read_dir(root().join("spec/errors"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            format!("{}.rs", ocrwire_codegen::emit::errors::shared_module(stem))
        })
        .collect();
    let (shared, files_of_specs): (Vec<_>, Vec<_>) =
        files.iter().partition(|f| f.name.starts_with("errors_"));
    for file in &shared {
        assert!(
            table_modules.contains(&file.name),
            "{} is from no table in spec/errors/ ({table_modules:?})",
            file.name
        );
    }
    // Besides those: one per spec, the registry, the examples, each vendor
    // module's clients (nhn, clova) and the blocking clients.
    assert_eq!(
        files_of_specs.len(),
        specs.len() + 5,
        "one generated file per spec, the registry, the examples, the clients of each vendor module and the blocking clients"
    );
    let drift = ocrwire_codegen::drift(&files, &root().join("generated"));
    let report: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated/ is out of date with spec/:\n{}\n\nTo accept the spec's version, run:\n    {}\n",
        report.join("\n"),
        ocrwire_codegen::BLESS_COMMAND
    );
}

/// Copies `spec/` to a temporary directory, applying `edit` to one file.
fn edited_specs(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("spec/examples"), &dir.path().join("examples"));
    copy_dir(&root().join("spec/errors"), &dir.path().join("errors"));
    for entry in std::fs::read_dir(root().join("spec")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap();
            let text = if name == file { edit(text) } else { text };
            std::fs::write(dir.path().join(name), text).unwrap();
        }
    }
    dir
}

/// Changes the type of `CardNumber.conf` from float to string in the NHN spec.
pub fn retype_card_confidence(text: String) -> String {
    let anchor = "  CardNumber:";
    let start = text.find(anchor).expect("spec defines CardNumber");
    let conf = start
        + text[start..]
            .find("      conf:")
            .expect("CardNumber has conf");
    let ty = conf + text[conf..].find("type: float").expect("conf is a float");
    format!(
        "{}type: string{}",
        &text[..ty],
        &text[ty + "type: float".len()..]
    )
}

#[test]
fn a_spec_edit_alone_changes_the_generated_code() {
    let specs = edited_specs("nhn-document-ocr-v2.yaml", retype_card_confidence);
    let files = ocrwire_codegen::generate_dir(specs.path()).unwrap();
    let drift = ocrwire_codegen::drift(&files, &root().join("generated"));
    assert_eq!(
        drift.len(),
        1,
        "exactly the edited family drifts: {drift:?}"
    );
    match &drift[0] {
        ocrwire_codegen::Drift::Changed {
            name,
            expected,
            committed,
            ..
        } => {
            assert_eq!(name, "nhn_document_ocr_v2.rs");
            assert!(
                expected.contains("pub conf: Option<String>"),
                "new code: {expected}"
            );
            assert!(
                committed.contains("pub conf: Option<f64>"),
                "old code: {committed}"
            );
        }
        other => panic!("expected a changed file, got {other}"),
    }
}

/// The body of `impl <name> {` in generated source, up to its closing line.
fn impl_block<'a>(code: &'a str, name: &str) -> &'a str {
    let start = code
        .find(&format!("\nimpl {name} {{\n"))
        .unwrap_or_else(|| panic!("no `impl {name}` in the generated code"));
    let end = start + 1 + code[start + 1..].find("\n}\n").expect("the impl ends");
    &code[start..end]
}

/// A vendor change to a digit count is a one-line spec edit; the generated
/// check that the client and the emulator both run follows it.
#[test]
fn a_digit_count_edit_changes_the_generated_validation() {
    let rule = "driver: {required: true, format: {digits: 7}}";
    let specs = edited_specs("nhn-document-ocr-v2.yaml", |t| {
        assert_eq!(t.matches(rule).count(), 1, "the spec states the rule once");
        t.replace(rule, "driver: {required: true, format: {digits: 8}}")
    });
    let files = ocrwire_codegen::generate_dir(specs.path()).unwrap();
    let drift = ocrwire_codegen::drift(&files, &root().join("generated"));
    assert_eq!(
        drift.len(),
        1,
        "exactly the edited family drifts: {drift:?}"
    );
    let edited = files
        .iter()
        .find(|f| f.name == "nhn_document_ocr_v2.rs")
        .unwrap();
    let committed =
        std::fs::read_to_string(root().join("generated/nhn_document_ocr_v2.rs")).unwrap();
    // The rule in DriverCheck's table, from its field name to the next rule.
    let count = |code: &str| {
        let rules = impl_block(code, "DriverCheck");
        let at = rules
            .find("\"residentNumber\"")
            .expect("DriverCheck has a rule for residentNumber");
        let rule = &rules[at..];
        rule[..rule.find("f::Rule::").expect("a rule follows")].to_string()
    };
    assert!(
        count(&committed).contains("f::Format::Digits(f::Length::exactly(7))"),
        "{}",
        count(&committed)
    );
    assert!(
        count(&edited.contents).contains("f::Format::Digits(f::Length::exactly(8))"),
        "{}",
        count(&edited.contents)
    );
    // The resident card's 13 digits are another rule and stay as they were.
    assert_eq!(
        impl_block(&committed, "ResidentCheck"),
        impl_block(&edited.contents, "ResidentCheck")
    );
}

#[test]
fn an_invalid_spec_edit_is_reported_with_file_and_path() {
    let specs = edited_specs("nhn-document-ocr-v2.yaml", |t| {
        let t = retype_card_confidence(t);
        // Mark a number as encrypted: the envelope cannot carry that.
        t.replacen("type: string\n", "type: int\n        encrypted: true\n", 0)
            .replace(
                "      conf:\n        type: string",
                "      conf:\n        type: float\n        encrypted: true",
            )
    });
    let err = ocrwire_codegen::generate_dir(specs.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("nhn-document-ocr-v2.yaml"), "{err}");
    assert!(
        err.contains("types.CardNumber.fields.conf.encrypted"),
        "{err}"
    );
    assert!(err.contains("only string"), "{err}");
}

/// `cargo`, with the environment a user's shell would give it: none of the
/// variables cargo sets for this test (`CARGO_MANIFEST_DIR`, ...), which a
/// dependency's build script may watch (`ring` does). With them, building
/// the copy in the workspace's target directory would make the next
/// `cargo test` rebuild that dependency and everything above it.
pub fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let set_for_tests = name == "OUT_DIR"
            || (name.starts_with("CARGO_")
                && !matches!(
                    name,
                    "CARGO_HOME" | "CARGO_TARGET_DIR" | "CARGO_INCREMENTAL"
                ));
        if set_for_tests {
            command.env_remove(name);
        }
    }
    command
}

/// A copy of the crate, everything `cargo build` reads, in a temporary
/// directory: for tests that edit its spec and build it.
pub fn copy_of_the_crate() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    for item in ["Cargo.toml", "Cargo.lock", "build.rs", "README.md"] {
        if root().join(item).exists() {
            std::fs::copy(root().join(item), copy.path().join(item)).unwrap();
        }
    }
    for dir in [
        "src",
        "spec",
        "generated",
        "codegen",
        "derive",
        "compile-fail",
        "benches",
        "examples",
    ] {
        if root().join(dir).exists() {
            copy_dir(&root().join(dir), &copy.path().join(dir));
        }
    }
    copy
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "target") {
            continue;
        }
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// What a downstream crate compiles: the wire types alone without default
/// features; the generator, the YAML parser and prettyplease only with the
/// opt-in `regen` feature.
#[test]
fn downstream_builds_do_not_compile_the_generator() {
    let tree = |features: &[&str]| {
        let mut args = vec![
            "tree",
            "--offline",
            "-p",
            "ocrwire",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ];
        args.extend_from_slice(features);
        let out = Command::new(env!("CARGO"))
            .args(&args)
            .current_dir(root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let generator = ["ocrwire-codegen", "serde_norway", "prettyplease"];
    let lean = tree(&["--no-default-features"]);
    // The wire types alone: at most 20 crates (ocrwire included), none of
    // the HTTP stack, the runtime or the cryptography.
    let mut crates: Vec<&str> = lean
        .lines()
        .filter_map(|l| l.split(" (").next())
        .filter(|l| !l.is_empty())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    assert!(crates.len() <= 20, "{} crates: {crates:?}", crates.len());
    for heavy in [
        "reqwest ", "tokio ", "hyper ", "rustls ", "ring ", "rsa ", "aes ",
    ] {
        assert!(
            !crates.iter().any(|c| c.starts_with(heavy)),
            "{heavy}in a types-only build: {crates:?}"
        );
    }
    for name in generator {
        assert!(
            !lean.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} is in a default downstream build:\n{lean}"
        );
    }
    let regen = tree(&["--no-default-features", "--features", "regen"]);
    for name in generator {
        assert!(
            regen.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} missing with `regen`"
        );
    }
}
