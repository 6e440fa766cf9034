//! `ocrwire-codegen diff`: its classes match what the generated code does.
//!
//! `tests/diff/{old,new,breaking}/diff.yaml` are one family at three
//! points. Their generated code is committed beside them, and the root
//! crate compiles `tests/diff/user.rs` (code written against the old side)
//! against the old and the new side (`tests/spec/goldens.rs`), and fails to
//! compile its uses against the breaking side (`compile-fail/src/lib.rs`). So a change
//! `diff` calls compatible is shown to compile against code written
//! before, and one it calls breaking is shown not to.
//!
//! To accept new generated code: `OCRWIRE_BLESS=1 cargo test -p ocrwire-codegen --test diff`.

use std::path::{Path, PathBuf};

use ocrwire_codegen::diff;

fn side(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/diff")
        .join(name)
}

fn load(name: &str) -> Vec<ocrwire_codegen::model::Family> {
    ocrwire_codegen::load_dir(&side(name)).expect("valid spec")
}

#[test]
fn each_sides_generated_code_is_committed() {
    let bless = std::env::var_os("OCRWIRE_BLESS").is_some();
    for name in ["old", "new", "breaking"] {
        let spec = side(name).join("diff.yaml");
        let text = std::fs::read_to_string(&spec).unwrap();
        let shown = Path::new("codegen/tests/diff").join(name).join("diff.yaml");
        let family = ocrwire_codegen::load_str(&shown, &text).unwrap();
        let generated = ocrwire_codegen::generate(&family).contents;
        let committed = side(name).join("diff.rs");
        if bless {
            std::fs::write(&committed, &generated).unwrap();
        } else {
            assert!(
                std::fs::read_to_string(&committed).is_ok_and(|c| c == generated),
                "{} is stale; run OCRWIRE_BLESS=1 cargo test -p ocrwire-codegen --test diff",
                committed.display()
            );
        }
    }
}

fn lines(changes: &[diff::Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {} {}", c.class.as_str(), c.area, c.subject))
        .collect()
}

#[test]
fn compatible_changes_are_called_compatible() {
    let changes = diff::diff(&load("old"), &load("new"));
    assert_eq!(
        lines(&changes),
        [
            "compatible host https://new.diff.invalid",
            "compatible host https://old.diff.invalid",
            "compatible limit limits",
            "compatible endpoint read-fast",
            "compatible error code read",
            "compatible field Reading.confidence",
            "compatible enum value Kind::Pass",
            "compatible error code 5000503",
            "compatible error code 4000006",
            "compatible error code 4000001",
        ]
    );
}

#[test]
fn breaking_changes_are_called_breaking_with_the_reason() {
    let changes = diff::diff(&load("old"), &load("breaking"));
    let breaking: Vec<String> = lines(&changes)
        .into_iter()
        .filter(|l| l.starts_with("breaking"))
        .collect();
    assert_eq!(
        breaking,
        [
            "breaking field Reading.count",
            "breaking field Reading.number",
            "breaking enum value Kind::Badge",
            "breaking error code 4000001",
        ]
    );
    let required = changes
        .iter()
        .find(|c| c.subject == "Reading.number")
        .unwrap();
    assert!(
        required.why.contains("instead of Option<T>"),
        "{}",
        required.why
    );
    // Nothing changed, nothing reported.
    assert!(diff::diff(&load("old"), &load("old")).is_empty());
}

#[test]
fn markdown_puts_breaking_changes_first_and_json_carries_the_class() {
    let changes = diff::diff(&load("old"), &load("breaking"));
    let text = diff::markdown(&changes, "old", "breaking");
    let breaking = text.find("### Breaking changes").unwrap();
    let compatible = text.find("### Compatible changes").unwrap();
    assert!(breaking < compatible, "{text}");
    assert!(
        text.contains("- **diff** field `Reading.count`: the field is gone. _removed: code that names it no longer compiles._"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    assert_eq!(json[0]["class"], "breaking");
    assert_eq!(json[0]["subject"], "Reading.count");
    assert_eq!(
        diff::markdown(&[], "a", "b"),
        "## API changes from `a` to `b`\n\nNo changes to the API.\n"
    );
}

#[test]
fn a_side_is_a_directory_or_a_git_revision() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert!(diff::load_side(&root, side("old").to_str().unwrap()).is_ok());
    // The repository's own specs at HEAD (a clone of the repository has it).
    let head = diff::load_side(&root, "HEAD").expect("spec/ at HEAD");
    assert!(head.iter().any(|f| f.name == "nhn-document-ocr-v2"));
    let e = diff::load_side(&root, "no-such-revision-anywhere").unwrap_err();
    assert!(e.contains("neither a directory nor a git revision"), "{e}");
}

#[test]
fn a_code_that_becomes_a_rate_limit_is_reported() {
    let changes = diff::diff(&load("old"), &load("new"));
    let change = changes
        .iter()
        .find(|c| c.subject == "4000006")
        .expect("4000006 changed");
    assert_eq!(
        change.what,
        "now a rate limit (the adaptive rate limiter slows down on it)"
    );
    assert_eq!(change.class, diff::Class::Compatible);
}

/// The new side with `common_errors` and the two endpoints' own lists
/// written as given (`read-fast` lists `-1` on the new side).
fn with_common(common: &str, read: &str, read_fast: &str) -> Vec<ocrwire_codegen::model::Family> {
    let text = std::fs::read_to_string(side("new").join("diff.yaml")).unwrap();
    let text = text
        .replacen("enums:\n", &format!("common_errors: {common}\nenums:\n"), 1)
        .replacen(r#"    errors: ["-1", "4000001", "5000503"]"#, read, 1)
        .replacen(r#"    errors: ["-1"]"#, read_fast, 1);
    vec![ocrwire_codegen::load_str(Path::new("diff.yaml"), &text).expect("valid spec")]
}

#[test]
fn codes_are_compared_as_each_endpoint_answers_them_wherever_the_spec_declares_them() {
    let what = |changes: &[diff::Change]| -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{} {}: {}", c.area, c.subject, c.what))
            .collect()
    };
    let listed = with_common(
        "[]",
        r#"    errors: ["-1", "4000001", "5000503"]"#,
        r#"    errors: ["-1"]"#,
    );
    // Declaring `-1` once for both endpoints changes nothing a caller sees.
    let common = with_common(r#"["-1"]"#, r#"    errors: ["4000001", "5000503"]"#, "");
    assert!(diff::diff(&listed, &common).is_empty());
    assert!(diff::diff(&common, &listed).is_empty());
    // A common code new to one endpoint only is that endpoint's change.
    let more = with_common(r#"["-1", "4000001"]"#, r#"    errors: ["5000503"]"#, "");
    assert_eq!(
        what(&diff::diff(&common, &more)),
        ["error code read-fast: the endpoint now lists 4000001"]
    );
    // Codes moved into an error group that the endpoint names: no endpoint
    // answers anything new (only the group's constant is new); a code added
    // to the group: each naming endpoint's change.
    let grouped = |codes: &str| {
        let text = std::fs::read_to_string(side("new").join("diff.yaml")).unwrap();
        let text = text
            .replacen(
                "enums:\n",
                &format!("common_errors: [\"-1\"]\nerror_groups:\n  limits:\n    description: Limits.\n    codes: {codes}\nenums:\n"),
                1,
            )
            .replacen(
                r#"    errors: ["-1", "4000001", "5000503"]"#,
                "    error_groups: [limits]",
                1,
            )
            .replacen(r#"    errors: ["-1"]"#, "", 1);
        vec![ocrwire_codegen::load_str(Path::new("diff.yaml"), &text).expect("valid spec")]
    };
    let in_group = grouped(r#"["4000001", "5000503"]"#);
    // The group's constant is new API; gone, it breaks code that names it.
    assert_eq!(
        what(&diff::diff(&common, &in_group)),
        ["error group limits: new: LIMITS_ERRORS (2 codes)"]
    );
    let back = diff::diff(&in_group, &common);
    assert_eq!(
        what(&back),
        ["error group limits: the group is gone (LIMITS_ERRORS)"]
    );
    assert_eq!(back[0].class, diff::Class::Breaking);
    assert_eq!(
        what(&diff::diff(
            &in_group,
            &grouped(r#"["4000001", "5000503", "4000006"]"#)
        )),
        ["error code read: the endpoint now lists 4000006"]
    );
    // One new to every endpoint is said once; one endpoint's own code, as before.
    let every = with_common(r#"["-1", "4000006"]"#, r#"    errors: ["4000001"]"#, "");
    assert_eq!(
        what(&diff::diff(&common, &every)),
        [
            "error code every endpoint: every endpoint now lists 4000006",
            "error code read: the endpoint no longer lists 5000503",
        ]
    );
}
