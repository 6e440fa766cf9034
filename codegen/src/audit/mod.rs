//! `ocrwire-codegen audit`: where the vendors' documentation and the spec
//! disagree.
//!
//! ```text
//! doc files --blocks--> page::Page --compare with model::Family--> findings --acknowledgements--> Report
//! ```
//!
//! Each family's spec names the pages that document it (`audit.docs`).
//! Every endpoint, header, path variable, field, encryption flag, error
//! code, message and host on those pages is compared with the spec, in
//! both directions. A finding the spec has decided on is acknowledged in
//! the spec (`audit.acknowledged`, with the reason), so the audit of a
//! finished spec is clean and a new doc change stands out.

pub mod blocks;
mod compare;
pub mod page;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::Family;

/// What kind of disagreement a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    DocMissing,
    HostDiffers,
    VersionMissing,
    EndpointMissing,
    EndpointExtra,
    HeaderMissing,
    HeaderExtra,
    PathVariableMissing,
    PathVariableExtra,
    FieldMissing,
    FieldExtra,
    EncryptionDiffers,
    TypeDiffers,
    ErrorMissing,
    ErrorExtra,
    ErrorMessageDiffers,
    ErrorKeyDiffers,
    ErrorStatusDiffers,
    StaleAcknowledgement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DocMissing => "doc-missing",
            Kind::HostDiffers => "host-differs",
            Kind::VersionMissing => "version-missing",
            Kind::EndpointMissing => "endpoint-missing",
            Kind::EndpointExtra => "endpoint-extra",
            Kind::HeaderMissing => "header-missing",
            Kind::HeaderExtra => "header-extra",
            Kind::PathVariableMissing => "path-variable-missing",
            Kind::PathVariableExtra => "path-variable-extra",
            Kind::FieldMissing => "field-missing",
            Kind::FieldExtra => "field-extra",
            Kind::EncryptionDiffers => "encryption-differs",
            Kind::TypeDiffers => "type-differs",
            Kind::ErrorMissing => "error-missing",
            Kind::ErrorExtra => "error-extra",
            Kind::ErrorMessageDiffers => "error-message-differs",
            Kind::ErrorKeyDiffers => "error-key-differs",
            Kind::ErrorStatusDiffers => "error-status-differs",
            Kind::StaleAcknowledgement => "stale-acknowledgement",
        }
    }
}

/// A place in a doc file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocRef {
    pub file: PathBuf,
    pub line: usize,
}

/// One disagreement between the docs and a family's spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub family: String,
    pub kind: Kind,
    /// What it is about: `4000111`, `credit-card response cardNums[].bank`.
    pub subject: String,
    /// The two sides, in a sentence.
    pub detail: String,
    /// Where the docs say it (empty for what only the spec has).
    pub docs: Vec<DocRef>,
    pub spec_file: PathBuf,
    /// YAML path in the spec file (`errors.4000111`, `endpoints.credit-card.headers`).
    pub spec_path: String,
    /// The spec's reason, when it has acknowledged this finding.
    pub acknowledged: Option<String>,
}

impl Finding {
    /// The key an acknowledgement names: `<kind>: <subject>`.
    pub fn key(&self) -> String {
        format!("{}: {}", self.kind.as_str(), self.subject)
    }
}

/// Every finding for every family, in family, then kind, then subject
/// order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings no acknowledgement covers.
    pub fn open(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.acknowledged.is_none())
    }

    /// Readable text: per family, each finding with its doc and spec
    /// locations. Acknowledged findings are listed only with `all`.
    pub fn text(&self, all: bool) -> String {
        let mut out = String::new();
        let mut by_family: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &self.findings {
            by_family.entry(&f.family).or_default().push(f);
        }
        for (family, findings) in &by_family {
            let open = findings.iter().filter(|f| f.acknowledged.is_none()).count();
            let spec = findings[0].spec_file.display();
            let _ = writeln!(
                out,
                "{family} ({spec}): {open} open, {} acknowledged",
                findings.len() - open
            );
            for f in findings.iter().filter(|f| all || f.acknowledged.is_none()) {
                let _ = writeln!(out, "  {}", f.key());
                let _ = writeln!(out, "      {}", f.detail);
                if !f.docs.is_empty() {
                    let places: Vec<String> = f
                        .docs
                        .iter()
                        .map(|d| format!("{}:{}", d.file.display(), d.line))
                        .collect();
                    let _ = writeln!(out, "      docs: {}", places.join(", "));
                }
                let _ = writeln!(out, "      spec: {} at {}", spec, f.spec_path);
                if let Some(because) = &f.acknowledged {
                    let _ = writeln!(out, "      acknowledged: {because}");
                }
            }
        }
        let open = self.open().count();
        let _ = writeln!(
            out,
            "{open} open finding(s), {} acknowledged",
            self.findings.len() - open
        );
        out
    }

    /// JSON: an array of findings.
    pub fn json(&self) -> String {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "family": f.family,
                    "kind": f.kind.as_str(),
                    "subject": f.subject,
                    "key": f.key(),
                    "detail": f.detail,
                    "docs": f.docs.iter().map(|d| serde_json::json!({
                        "file": d.file.display().to_string(),
                        "line": d.line,
                    })).collect::<Vec<_>>(),
                    "spec": {"file": f.spec_file.display().to_string(), "path": f.spec_path},
                    "acknowledged": f.acknowledged,
                })
            })
            .collect();
        serde_json::to_string_pretty(&findings).unwrap_or_default()
    }
}

/// Audits every family against the pages its spec names, found under
/// `doc_dirs` (recursively, in every language). Findings name spec files
/// under `spec_dir` (as the reader should see it: `spec`).
///
/// # Errors
///
/// A directory that cannot be read.
pub fn audit(families: &[Family], spec_dir: &Path, doc_dirs: &[PathBuf]) -> Result<Report, String> {
    let mut files = Vec::new();
    for dir in doc_dirs {
        collect(dir, &mut files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    }
    files.sort();
    let mut report = Report::default();
    for family in families {
        let mut pages = Vec::new();
        let mut findings = Vec::new();
        for name in &family.audit.docs {
            let matching: Vec<&PathBuf> = files
                .iter()
                .filter(|f| f.file_name().is_some_and(|n| n == name.as_str()))
                .collect();
            if matching.is_empty() {
                findings.push(compare::finding(
                    family,
                    Kind::DocMissing,
                    name.clone(),
                    format!(
                        "`audit.docs` names {name}, which is in none of the audited directories"
                    ),
                    Vec::new(),
                    "audit.docs".to_string(),
                ));
            }
            for file in matching {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                pages.push((display_path(file, doc_dirs), page::read(&text)));
            }
        }
        findings.extend(compare::compare(family, &pages));
        let spec_file = spec_dir.join(family.spec_path.file_name().unwrap_or_default());
        for mut f in acknowledge(family, merge(findings)) {
            f.spec_file = spec_file.clone();
            report.findings.push(f);
        }
    }
    Ok(report)
}

/// The same finding read from several pages (en and ko) is one finding
/// with every place.
fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_key: BTreeMap<(Kind, String), Finding> = BTreeMap::new();
    for f in findings {
        match by_key.get_mut(&(f.kind, f.subject.clone())) {
            Some(existing) => {
                for d in f.docs {
                    if !existing.docs.contains(&d) {
                        existing.docs.push(d);
                    }
                }
            }
            None => {
                by_key.insert((f.kind, f.subject.clone()), f);
            }
        }
    }
    by_key.into_values().collect()
}

/// Marks what the spec acknowledges, and reports acknowledgements that
/// match nothing any more.
fn acknowledge(family: &Family, mut findings: Vec<Finding>) -> Vec<Finding> {
    for f in &mut findings {
        let key = f.key();
        f.acknowledged = family
            .audit
            .acknowledged
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, because)| because.clone());
    }
    for (key, _) in &family.audit.acknowledged {
        if !findings.iter().any(|f| f.key() == *key) {
            findings.push(compare::finding(
                family,
                Kind::StaleAcknowledgement,
                key.clone(),
                "the spec acknowledges a finding the docs no longer give; remove it".to_string(),
                Vec::new(),
                "audit.acknowledged".to_string(),
            ));
        }
    }
    findings
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
            out.push(path);
        }
    }
    Ok(())
}

/// A doc file's path relative to the directory it was found under,
/// prefixed with that directory's name: `current/nhn-ocr/en/x.md`.
fn display_path(file: &Path, dirs: &[PathBuf]) -> PathBuf {
    for dir in dirs {
        if let Ok(rest) = file.strip_prefix(dir) {
            let base = dir.file_name().map(PathBuf::from).unwrap_or_default();
            return base.join(rest);
        }
    }
    file.to_path_buf()
}
