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
pub mod lock;
pub mod normalize;
pub mod page;
pub mod prose;
pub mod scope;

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
    /// An acknowledgement whose languages' pages were not given: not
    /// checked, and not open.
    NotChecked,
    /// A page under the audited directories that no family claims and the
    /// doc set does not declare out of scope.
    PageUnclaimed,
    /// A page whose normalised text differs from the lock.
    PageChanged,
    /// A page the audit read that the lock has no record of.
    PageUnlocked,
    /// A release-note entry dated after the spec was last reconciled.
    ReleaseNote,
    /// An overview section the spec names is not on the page.
    OverviewSectionMissing,
    /// A limit the overview states differs from the spec's.
    LimitDiffers,
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
            Kind::NotChecked => "not-checked",
            Kind::PageUnclaimed => "page-unclaimed",
            Kind::PageChanged => "page-changed",
            Kind::PageUnlocked => "page-unlocked",
            Kind::ReleaseNote => "release-note",
            Kind::OverviewSectionMissing => "overview-section-missing",
            Kind::LimitDiffers => "limit-differs",
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
    /// More to show under the finding: the changed lines of a page.
    pub lines: Vec<String>,
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
            let spec = match *family {
                DOC_SET => "spec/audit".to_string(),
                _ => findings[0].spec_file.display().to_string(),
            };
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
                for line in &f.lines {
                    let _ = writeln!(out, "        {line}");
                }
                match f.spec_path.as_str() {
                    "" => {
                        let _ = writeln!(out, "      spec: {}", f.spec_file.display());
                    }
                    at => {
                        let _ = writeln!(out, "      spec: {} at {at}", f.spec_file.display());
                    }
                }
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
                    "lines": f.lines,
                })
            })
            .collect();
        serde_json::to_string_pretty(&findings).unwrap_or_default()
    }
}

/// The name findings about the doc set as a whole are filed under.
pub const DOC_SET: &str = "(doc set)";

/// Audits every family against the pages its spec names, found under
/// `doc_dirs` (recursively, in every language), and the doc set as a whole
/// against `set`: every page claimed or out of scope, every page as the
/// lock knows it. Findings name spec files under `shown_spec_dir` (as the
/// reader should see it: `spec`).
///
/// # Errors
///
/// A directory or a page that cannot be read.
pub fn audit(
    families: &[Family],
    set: &scope::DocSet,
    shown_spec_dir: &Path,
    doc_dirs: &[PathBuf],
) -> Result<Report, String> {
    let files = doc_files(doc_dirs)?;
    let mut report = Report::default();
    let given = languages(&files);
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        texts.insert(file.clone(), text);
    }
    for family in families {
        let spec_file = shown_spec_dir.join(family.spec_path.file_name().unwrap_or_default());
        let claimed: Vec<&PathBuf> = files
            .iter()
            .filter(|f| family.audit.docs.iter().any(|d| name_of(f) == *d))
            .collect();
        if !family.audit.docs.is_empty() && claimed.is_empty() {
            // None of its pages given (a clone of another vendor's docs):
            // nothing to compare, and nothing open.
            let mut f = compare::finding(
                family,
                Kind::NotChecked,
                family.name.clone(),
                "none of the family's pages is under the audited directories".to_string(),
                Vec::new(),
                "audit.docs".to_string(),
            );
            f.acknowledged = Some("not checked (its pages were not given)".to_string());
            f.spec_file = spec_file;
            report.findings.push(f);
            continue;
        }
        let mut findings = Vec::new();
        for name in &family.audit.docs {
            if !claimed.iter().any(|f| name_of(f) == *name) {
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
        }
        let mut pages = Vec::new();
        for file in &claimed {
            let shown = display_path(file, doc_dirs);
            let text = &texts[*file];
            pages.push((shown.clone(), page::read(text)));
            if is_release_notes(file) {
                findings.extend(release_notes(family, &shown, text));
            }
            if is_overview(file) {
                findings.extend(overview(family, &shown, text));
            }
        }
        findings.extend(compare::compare(family, &pages));
        for mut f in acknowledge(family, merge(findings), &given) {
            f.spec_file = spec_file.clone();
            report.findings.push(f);
        }
    }
    report
        .findings
        .extend(doc_set(families, set, &files, &texts, doc_dirs));
    Ok(report)
}

/// Every page of the doc set: `.md` and `.txt` files under `doc_dirs`,
/// sorted, without the READMEs that describe the folders themselves.
fn doc_files(doc_dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for dir in doc_dirs {
        collect(dir, &mut files).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    }
    files.retain(|f| name_of(f) != "README.md");
    files.sort();
    Ok(files)
}

fn name_of(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The languages whose folders the pages are in (`en`, `ko`).
fn languages(files: &[PathBuf]) -> std::collections::BTreeSet<String> {
    files
        .iter()
        .filter_map(|f| lock::key(f).split_once('/').map(|(l, _)| l.to_string()))
        .collect()
}

fn is_release_notes(file: &Path) -> bool {
    let name = name_of(file);
    name.contains("release-note") || name.contains("releasenote")
}

fn is_overview(file: &Path) -> bool {
    name_of(file) == "overview.md"
}

/// Release-note entries dated after the spec was last reconciled.
fn release_notes(family: &Family, shown: &Path, text: &str) -> Vec<Finding> {
    let since = family.audit.reconciled.as_deref().unwrap_or("0000-00-00");
    prose::entries(text)
        .into_iter()
        .filter(|e| e.date.as_str() > since)
        .map(|e| {
            compare::finding(
                family,
                Kind::ReleaseNote,
                e.date.clone(),
                format!(
                    "a release note of {} (after {since}, when the spec was last reconciled): {}",
                    e.date, e.first
                ),
                vec![DocRef {
                    file: shown.to_path_buf(),
                    line: e.line,
                }],
                "audit.reconciled".to_string(),
            )
        })
        .collect()
}

/// The limits the overview states for the family's endpoints, compared
/// with the spec's.
fn overview(family: &Family, shown: &Path, text: &str) -> Vec<Finding> {
    let sections = prose::sections(text);
    let mut out = Vec::new();
    let here = |line: usize| {
        vec![DocRef {
            file: shown.to_path_buf(),
            line,
        }]
    };
    for (i, (headings, endpoints)) in family.audit.overview.iter().enumerate() {
        let at = format!("audit.overview[{i}]");
        let Some(section) = sections.iter().find(|s| headings.contains(&s.heading)) else {
            out.push(compare::finding(
                family,
                Kind::OverviewSectionMissing,
                headings.join(" / "),
                format!(
                    "no section of the overview is headed {}",
                    headings.join(" or ")
                ),
                here(1),
                at,
            ));
            continue;
        };
        let stated = prose::limits(section);
        for name in endpoints {
            let Some(endpoint) = family.endpoint(name) else {
                out.push(compare::finding(
                    family,
                    Kind::OverviewSectionMissing,
                    format!("{name} (no such endpoint)"),
                    format!("`{at}` names endpoint {name}, which the spec lacks"),
                    Vec::new(),
                    at.clone(),
                ));
                continue;
            };
            let limits = family.limits_of(endpoint);
            let mut differs = |what: &str, docs: String, spec: String, line: usize| {
                out.push(compare::finding(
                    family,
                    Kind::LimitDiffers,
                    format!("{name} {what}"),
                    format!("the overview says {docs}; the spec has {spec}"),
                    here(line),
                    format!("endpoints.{name}.limits"),
                ));
            };
            if let Some((mb, line)) = stated.max_megabytes {
                let spec_mb = limits.max_file_bytes.map(|b| b / (1024 * 1024));
                if spec_mb != Some(mb) {
                    let spec = spec_mb.map_or("none".to_string(), |m| format!("{m} MB"));
                    differs("max file size", format!("{mb} MB"), spec, line);
                }
            }
            if let Some(((w, h), line)) = stated.resolution {
                let spec_resolution = limits.recommended_resolution.map(|r| (r.width, r.height));
                if spec_resolution != Some((w, h)) {
                    let spec =
                        spec_resolution.map_or("none".to_string(), |(w, h)| format!("{w}x{h}"));
                    differs("recommended resolution", format!("{w}x{h}"), spec, line);
                }
            }
            if let Some((_, line)) = stated.formats.first() {
                let canon = |f: &str| match f {
                    "jpg" => "jpeg".to_string(),
                    "tif" => "tiff".to_string(),
                    other => other.to_string(),
                };
                let docs: std::collections::BTreeSet<String> =
                    stated.formats.iter().map(|(f, _)| canon(f)).collect();
                let spec: std::collections::BTreeSet<String> =
                    limits.formats.iter().map(|f| canon(f)).collect();
                if docs != spec {
                    let list = |s: &std::collections::BTreeSet<String>| {
                        s.iter().cloned().collect::<Vec<_>>().join(", ")
                    };
                    differs("formats", list(&docs), list(&spec), *line);
                }
            }
            if let Some((_, line)) = stated.aspect_ratios.first() {
                let mut docs: Vec<f64> = stated.aspect_ratios.iter().map(|(r, _)| *r).collect();
                let mut spec: Vec<f64> =
                    [limits.recommended_max_aspect_ratio, limits.max_aspect_ratio]
                        .into_iter()
                        .flatten()
                        .collect();
                docs.sort_by(f64::total_cmp);
                spec.sort_by(f64::total_cmp);
                if docs != spec {
                    let list = |v: &[f64]| {
                        v.iter()
                            .map(|r| format!("1:{r}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    differs("aspect ratios", list(&docs), list(&spec), *line);
                }
            }
        }
    }
    out
}

/// Findings about the doc set as a whole: pages no family claims and the
/// doc set does not declare out of scope, and pages that differ from the
/// lock (or that it does not know).
fn doc_set(
    families: &[Family],
    set: &scope::DocSet,
    files: &[PathBuf],
    texts: &BTreeMap<PathBuf, String>,
    doc_dirs: &[PathBuf],
) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let finding =
        |kind: Kind, subject: String, detail: String, docs: Vec<DocRef>, file: &Path, at: &str| {
            Finding {
                family: DOC_SET.to_string(),
                kind,
                subject,
                detail,
                docs,
                spec_file: file.to_path_buf(),
                spec_path: at.to_string(),
                acknowledged: None,
                lines: Vec::new(),
            }
        };
    for file in files {
        let name = name_of(file);
        let shown = display_path(file, doc_dirs);
        let claimed = families.iter().any(|f| f.audit.docs.contains(&name));
        if !claimed && set.out_of_scope(&name).is_none() {
            let subject = name.clone();
            match out.iter_mut().find(|f| f.kind == Kind::PageUnclaimed && f.subject == subject) {
                Some(existing) => existing.docs.push(DocRef { file: shown, line: 1 }),
                None => out.push(finding(
                    Kind::PageUnclaimed,
                    subject,
                    "no family's `audit.docs` names this page, and the doc set does not declare it out of scope (a new API version or a new API?)".to_string(),
                    vec![DocRef { file: shown, line: 1 }],
                    &set.scope_file,
                    "out_of_scope",
                )),
            }
            continue;
        }
        let key = lock::key(file);
        let lines = normalize::lines(&texts[file]);
        match set.lock.pages.get(&key) {
            None => out.push(finding(
                Kind::PageUnlocked,
                key,
                format!(
                    "the lock has no record of this page; after review, record it with `{}`",
                    lock::LOCK_COMMAND
                ),
                vec![DocRef {
                    file: shown,
                    line: 1,
                }],
                &set.lock_file,
                "",
            )),
            Some(locked) if locked.hash != normalize::page_hash(&lines) => {
                let mut f = finding(
                    Kind::PageChanged,
                    key,
                    format!(
                        "the page changed since the specs were reconciled with it; update the specs, then record it with `{}`",
                        lock::LOCK_COMMAND
                    ),
                    vec![DocRef {
                        file: shown,
                        line: 1,
                    }],
                    &set.lock_file,
                    "",
                );
                f.lines = lock::diff(&locked.lines, &lines);
                out.push(f);
            }
            Some(_) => {}
        }
    }
    out.sort_by(|a, b| (a.kind, &a.subject).cmp(&(b.kind, &b.subject)));
    out
}

/// The lock of every page under `doc_dirs` that a family claims or the doc
/// set declares out of scope, as they are now.
///
/// # Errors
///
/// A directory or a page that cannot be read.
pub fn lock_pages(
    families: &[Family],
    set: &scope::DocSet,
    doc_dirs: &[PathBuf],
) -> Result<lock::Lock, String> {
    let mut out = lock::Lock::default();
    for file in doc_files(doc_dirs)? {
        let name = name_of(&file);
        let claimed = families.iter().any(|f| f.audit.docs.contains(&name));
        if !claimed && set.out_of_scope(&name).is_none() {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        out.pages
            .insert(lock::key(&file), lock::Locked::of(&normalize::lines(&text)));
    }
    Ok(out)
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
/// match nothing any more: stale, unless the pages of their languages were
/// not given (then not checked).
fn acknowledge(
    family: &Family,
    mut findings: Vec<Finding>,
    given: &std::collections::BTreeSet<String>,
) -> Vec<Finding> {
    for f in &mut findings {
        let key = f.key();
        f.acknowledged = family
            .audit
            .acknowledged
            .iter()
            .find(|a| a.finding == key)
            .map(|a| match &a.against {
                Some(against) => format!("{} (decided against {against})", a.because),
                None => a.because.clone(),
            });
    }
    for ack in &family.audit.acknowledged {
        if findings.iter().any(|f| f.key() == ack.finding) {
            continue;
        }
        let missing: Vec<&String> = ack
            .languages
            .iter()
            .filter(|l| !given.contains(*l))
            .collect();
        if !ack.languages.is_empty() && missing.len() == ack.languages.len() {
            let mut f = compare::finding(
                family,
                Kind::NotChecked,
                ack.finding.clone(),
                format!(
                    "not checked ({} pages not given)",
                    missing
                        .iter()
                        .map(|l| l.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Vec::new(),
                "audit.acknowledged".to_string(),
            );
            f.acknowledged = Some(ack.because.clone());
            findings.push(f);
            continue;
        }
        findings.push(compare::finding(
            family,
            Kind::StaleAcknowledgement,
            ack.finding.clone(),
            "the spec acknowledges a finding the docs no longer give; remove it".to_string(),
            Vec::new(),
            "audit.acknowledged".to_string(),
        ));
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
