//! The docs audit (`ocrwire-codegen audit`) on small pages written for the
//! test, and on the vendors' real pages (`tests/audit/vendor-docs/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ocrwire_codegen::audit::{self, Kind};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/audit")
}

fn small() -> audit::Report {
    let spec = here().join("small/spec");
    let families = ocrwire_codegen::load_dir(&spec).expect("valid spec");
    let set = audit::scope::DocSet::load(&spec, Path::new("spec")).expect("doc set");
    audit::audit(
        &families,
        &set,
        Path::new("spec"),
        &[here().join("small/docs")],
    )
    .expect("audit runs")
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
    std::fs::create_dir_all(dir.join("audit")).unwrap();
    std::fs::copy(spec.join("audit/pages.lock"), dir.join("audit/pages.lock")).unwrap();
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

/// The repository's specs against a copy of the vendors' pages
/// (`vendor-docs/`, or a changed copy of it).
fn real(docs: &Path) -> audit::Report {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = root.join("spec");
    let families = ocrwire_codegen::load_dir(&spec).expect("valid specs");
    let set = audit::scope::DocSet::load(&spec, Path::new("spec")).expect("doc set");
    audit::audit(&families, &set, Path::new("spec"), &[docs.to_path_buf()]).expect("audit runs")
}

fn vendor_docs() -> PathBuf {
    here().join("vendor-docs/current")
}

/// The vendors' pages as the specs were last reconciled with them: nothing
/// is open. (What the specs acknowledge, and why, is in each spec.)
#[test]
fn the_real_docs_audit_is_clean() {
    let started = std::time::Instant::now();
    let report = real(&vendor_docs());
    let open: Vec<String> = report.open().map(|f| f.key()).collect();
    assert!(open.is_empty(), "open findings:\n{}", report.text(false));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the audit took {:?}",
        started.elapsed()
    );
}

/// A copy of the vendor pages, changed by `edit`, audited.
fn changed(name: &str, edit: impl FnOnce(&Path)) -> audit::Report {
    let dir = std::env::temp_dir().join(format!("ocrwire-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&vendor_docs(), &dir.join("current"));
    edit(&dir.join("current"));
    let report = real(&dir.join("current"));
    let _ = std::fs::remove_dir_all(&dir);
    report
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

fn rewrite(file: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(file).unwrap();
    let new = edit(text.clone());
    assert_ne!(text, new, "the edit of {} changed nothing", file.display());
    std::fs::write(file, new).unwrap();
}

fn open_keys(report: &audit::Report) -> Vec<String> {
    report.open().map(|f| f.key()).collect()
}

fn finding<'r>(report: &'r audit::Report, key: &str) -> &'r audit::Finding {
    report
        .open()
        .find(|f| f.key() == key)
        .unwrap_or_else(|| panic!("no open `{key}`:\n{}", report.text(false)))
}

#[test]
fn a_changed_limit_in_the_overview_is_named() {
    let report = changed("limit", |docs| {
        rewrite(&docs.join("nhn-ocr/en/overview.md"), |t| {
            // The credit card section's limit (the third "Maximum size").
            let at = t.find("### Credit Card Analysis").unwrap();
            let (head, tail) = t.split_at(at);
            format!(
                "{head}{}",
                tail.replacen("Maximum size: 20 MB", "Maximum size: 30 MB", 1)
            )
        });
    });
    let f = finding(&report, "limit-differs: credit-card max file size");
    assert!(
        f.detail.contains("30 MB") && f.detail.contains("20 MB"),
        "{}",
        f.detail
    );
    // The lock sees it too, with the line.
    let page = finding(&report, "page-changed: en/overview.md");
    assert!(
        page.lines
            .iter()
            .any(|l| l.contains("+ * Maximum size: 30 MB")),
        "{:?}",
        page.lines
    );
}

#[test]
fn a_new_release_note_entry_is_named() {
    let report = changed("release-note", |docs| {
        rewrite(
            &docs.join("nhn-ocr/en/document-ocr-release-notes.md"),
            |t| {
                t.replacen(
                "### August 11, 2026",
                "### November 3, 2026\n\n- Deprecated the driver's license authenticity verification.\n\n### August 11, 2026",
                1,
            )
            },
        );
    });
    // Every family that claims the page is told (Document OCR's release
    // notes cover each of its versions' families).
    let families: Vec<&str> = report
        .open()
        .filter(|f| f.key() == "release-note: 2026-11-03")
        .map(|f| f.family.as_str())
        .collect();
    assert!(families.contains(&"nhn-document-ocr-v2"), "{families:?}");
    assert!(
        families.iter().all(|f| f.starts_with("nhn-document-ocr-")),
        "{families:?}"
    );
    let f = finding(&report, "release-note: 2026-11-03");
    assert!(
        f.detail.contains("driver's license authenticity"),
        "{}",
        f.detail
    );
}

#[test]
fn a_new_version_page_and_an_unknown_api_are_unclaimed() {
    let report = changed("pages", |docs| {
        std::fs::copy(
            docs.join("nhn-ocr/en/document-ocr-api-guide-v2.1.md"),
            docs.join("nhn-ocr/en/document-ocr-api-guide-v2.2.md"),
        )
        .unwrap();
        std::fs::write(
            docs.join("nhn-ocr/en/table-ocr-api-guide-v1.0.md"),
            "## AI Service > OCR > Table OCR > API v1.0 Guide\n\n| Method | URI |\n| --- | --- |\n| POST | /v1.0/appkeys/{appKey}/table |\n",
        )
        .unwrap();
    });
    let keys = open_keys(&report);
    assert!(
        keys.contains(&"page-unclaimed: document-ocr-api-guide-v2.2.md".to_string()),
        "{keys:?}"
    );
    assert!(
        keys.contains(&"page-unclaimed: table-ocr-api-guide-v1.0.md".to_string()),
        "{keys:?}"
    );
}

#[test]
fn a_changed_sentence_in_prose_shows_its_line() {
    let report = changed("prose", |docs| {
        rewrite(
            &docs.join("nhn-ocr/en/document-ocr-api-guide-v2.1.md"),
            |t| {
                t.replacen(
                    "User Access Key token",
                    "User Access Key token (valid for 12 hours)",
                    1,
                )
            },
        );
    });
    let f = finding(&report, "page-changed: en/document-ocr-api-guide-v2.1.md");
    assert!(
        f.lines
            .iter()
            .any(|l| l.starts_with("+ ") && l.contains("valid for 12 hours")),
        "{:?}",
        f.lines
    );
    assert!(
        f.lines.iter().any(|l| l.starts_with("- 1 line")),
        "{:?}",
        f.lines
    );
    assert_eq!(open_keys(&report).len(), 1, "{}", report.text(false));
}

#[test]
fn a_new_error_code_row_is_named() {
    let report = changed("error-row", |docs| {
        rewrite(&docs.join("nhn-ocr/en/general-ocr-error-code.md"), |t| {
            let row = t
                .lines()
                .find(|l| l.contains("| 4000001 "))
                .unwrap()
                .to_string();
            let new = row
                .replace("4000001", "4000009")
                .replace("INVALID_PARAMETER", "INVALID_SOMETHING");
            t.replacen(&row, &format!("{row}\n{new}"), 1)
        });
    });
    let keys = open_keys(&report);
    assert!(
        keys.contains(&"error-missing: 4000009".to_string()),
        "{keys:?}"
    );
    assert!(
        keys.contains(&"page-changed: en/general-ocr-error-code.md".to_string()),
        "{keys:?}"
    );
}

#[test]
fn a_renamed_field_is_named() {
    let report = changed("field", |docs| {
        rewrite(
            &docs.join("nhn-ocr/en/general-ocr-api-guide-v1.0.md"),
            |t| t.replace("slicesImages", "sliceCount"),
        )
    });
    let keys = open_keys(&report);
    assert!(
        keys.iter()
            .any(|k| k.starts_with("field-missing:") && k.contains("sliceCount")),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|k| k.starts_with("field-extra:") && k.contains("slicesImages")),
        "{keys:?}"
    );
}

#[test]
fn a_reformat_that_changes_no_fact_gives_no_finding() {
    let report = changed("reformat", |docs| {
        for lang in ["en", "ko"] {
            let dir = docs.join("nhn-ocr").join(lang);
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                rewrite(&path, reformat);
            }
        }
    });
    assert!(open_keys(&report).is_empty(), "{}", report.text(false));
}

/// What the vendor's repository did on 2026-08-18, and then some: table
/// cells padded differently, separator rows of another length, trailing
/// spaces, heading ids and anchors, doubled blank lines.
fn reformat(text: String) -> String {
    let mut out = String::from("<!-- reformatted -->\n");
    for line in text.lines() {
        let t = line.trim_end();
        if t.starts_with('|') {
            let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
            let separator = cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| ch == '-' || ch == ':'));
            let cells: Vec<String> = cells
                .iter()
                .map(|c| {
                    if separator {
                        "---".to_string()
                    } else {
                        format!("  {c}    ")
                    }
                })
                .collect();
            out.push_str(&format!("|{}|  \n", cells.join("|")));
        } else if t.starts_with('#') {
            out.push_str(&format!("<a name=\"x\"></a>\n{t} {{#some-id}}\n\n"));
        } else {
            out.push_str(&format!("{t}   \n"));
        }
    }
    out
}

#[test]
fn acknowledgements_of_a_language_not_given_are_not_checked_rather_than_stale() {
    let dir = std::env::temp_dir().join(format!("ocrwire-audit-en-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&vendor_docs().join("nhn-ocr/en"), &dir.join("en"));
    let report = real(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(open_keys(&report).is_empty(), "{}", report.text(false));
    let not_checked: Vec<&audit::Finding> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::NotChecked)
        .collect();
    assert!(
        not_checked
            .iter()
            .any(|f| f.subject == "error-message-differs: 4000005"
                && f.detail.contains("ko pages not given")),
        "{}",
        report.text(true)
    );
    // Families none of whose pages were given are not checked either.
    assert!(
        not_checked
            .iter()
            .any(|f| f.subject == "clova-document-ocr")
    );
}
