//! The docs audit (`ocrwire-codegen audit`) on small pages written for the
//! test, and on the vendors' real pages (`tests/audit/vendor-docs/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ocrwire_codegen::audit::{self, Kind};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/audit")
}

fn small() -> audit::Report {
    let families = ocrwire_codegen::load_dir(&here().join("small/spec")).expect("valid spec");
    audit::audit(&families, Path::new("spec"), &[here().join("small/docs")]).expect("audit runs")
}

#[test]
fn every_kind_of_disagreement_is_found_once_with_its_places() {
    let report = small();
    let keys: Vec<String> = report.findings.iter().map(|f| f.key()).collect();
    assert_eq!(
        keys,
        [
            "doc-missing: absent.md",
            "host-differs: https://new.demo.invalid",
            "version-missing: /v2.0",
            "endpoint-missing: POST /v1.0/appkeys/{appKey}/batch",
            "endpoint-extra: forgotten",
            "header-missing: read X-Trace",
            "path-variable-missing: read region",
            "field-missing: read response confidence",
            "field-extra: read response legacy",
            "encryption-differs: read request image",
            "encryption-differs: read response number",
            "type-differs: read response count",
            "error-missing: 4000002",
            "error-missing: 5000503",
            "error-extra: 4000009",
            "error-message-differs: 4000001",
            "error-key-differs: -1",
            "error-key-differs: 4000001",
        ]
    );
    // en and ko pages saying the same thing are one finding with both places.
    let missing = &report.findings[13];
    assert_eq!(missing.kind, Kind::ErrorMissing);
    let places: Vec<String> = missing
        .docs
        .iter()
        .map(|d| format!("{}:{}", d.file.display(), d.line))
        .collect();
    assert_eq!(
        places,
        ["docs/en/demo-errors.md:8", "docs/ko/demo-errors.md:8"]
    );
    assert_eq!(missing.spec_file, Path::new("spec/demo.yaml"));
    assert_eq!(missing.spec_path, "errors");
    assert!(
        missing.detail.contains("API_TEMPORARILY_UNAVAILABLE"),
        "{}",
        missing.detail
    );
    // What the spec decided on is marked, with its reason.
    let acknowledged: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.acknowledged.is_some())
        .map(|f| f.key())
        .collect();
    assert_eq!(
        acknowledged,
        ["endpoint-extra: forgotten", "error-missing: 4000002"]
    );
    assert_eq!(report.open().count(), 16);
}

#[test]
fn text_and_json_name_the_doc_line_and_the_yaml_path() {
    let report = small();
    let text = report.text(false);
    assert!(
        text.contains("demo (spec/demo.yaml): 16 open, 2 acknowledged"),
        "{text}"
    );
    assert!(
        text.contains("  type-differs: read response count\n"),
        "{text}"
    );
    assert!(
        text.contains("      docs: docs/en/demo-guide.md:46\n"),
        "{text}"
    );
    assert!(
        text.contains("      spec: spec/demo.yaml at types.Reading.fields.count\n"),
        "{text}"
    );
    // Acknowledged findings only with `all`.
    assert!(!text.contains("forgotten"), "{text}");
    assert!(
        report
            .text(true)
            .contains("acknowledged: The vendor still serves it")
    );
    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    let first = &json[0];
    assert_eq!(first["kind"], "doc-missing");
    assert_eq!(first["key"], "doc-missing: absent.md");
    assert_eq!(json[1]["docs"][0]["line"], 7);
    assert_eq!(json[1]["spec"]["path"], "base_url.default");
}

/// Runs the command; its exit status and standard output.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ocrwire-codegen"))
        .args(args)
        .output()
        .expect("run ocrwire-codegen");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_command_exits_1_while_findings_are_open_and_0_once_all_are_acknowledged() {
    let spec = here().join("small/spec");
    let docs = here().join("small/docs");
    let (status, text) = run(&[
        "audit",
        "--spec",
        spec.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "{text}");

    // Acknowledge every open finding (except the missing page) in a copy of the spec.
    let dir = std::env::temp_dir().join(format!("ocrwire-audit-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let report = small();
    let mut yaml = std::fs::read_to_string(spec.join("demo.yaml"))
        .unwrap()
        .replace(
            "docs: [demo-guide.md, demo-errors.md, absent.md]",
            "docs: [demo-guide.md, demo-errors.md]",
        );
    for f in report.open().filter(|f| f.kind != Kind::DocMissing) {
        yaml.push_str(&format!(
            "    - finding: {:?}\n      because: Decided for the test.\n",
            f.key()
        ));
    }
    std::fs::write(dir.join("demo.yaml"), yaml).unwrap();
    let (status, text) = run(&[
        "audit",
        "--spec",
        dir.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(0), "{text}");
    assert!(
        text.ends_with("0 open finding(s), 17 acknowledged\n"),
        "{text}"
    );

    // An acknowledgement that matches nothing any more is itself a finding.
    let stale = std::fs::read_to_string(dir.join("demo.yaml")).unwrap()
        + "    - finding: \"error-missing: 4999999\"\n      because: Long fixed.\n";
    std::fs::write(dir.join("demo.yaml"), stale).unwrap();
    let (status, text) = run(&[
        "audit",
        "--spec",
        dir.to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(1), "{text}");
    assert!(
        text.contains("stale-acknowledgement: error-missing: 4999999"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);

    let (status, _) = run(&["audit", "--spec", spec.to_str().unwrap()]);
    assert_eq!(status, Some(2), "no --docs is a usage error");
}

/// The audit of the repository's specs against the vendors' real pages,
/// as a snapshot: every spec edit that brings in a doc change shows here as
/// a finding that went away. Bless with `OCRWIRE_BLESS=1`.
#[test]
fn the_real_docs_audit_matches_its_snapshot() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let families = ocrwire_codegen::load_dir(&root.join("spec")).expect("valid specs");
    let report = audit::audit(
        &families,
        Path::new("spec"),
        &[here().join("vendor-docs/current")],
    )
    .expect("audit runs");
    let text = report.text(true);
    let snapshot = here().join("real-docs.txt");
    if std::env::var_os("OCRWIRE_BLESS").is_some() {
        std::fs::write(&snapshot, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        text == expected,
        "the audit of the real docs changed; review it and bless with\n    OCRWIRE_BLESS=1 cargo test -p ocrwire-codegen --test audit\n\n{text}"
    );
}
