//! The doc set as a whole: which vendor pages no family documents and why
//! (`spec/audit/pages.yaml`), and the lock of reconciled pages
//! (`spec/audit/pages.lock`).
//!
//! Every page under the audited directories is accounted for: a family
//! claims it (`audit.docs`), or this file declares it out of scope with a
//! reason. A page neither claims is a finding, so a new API version or a
//! whole new API stands out the day its page appears.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::lock::{self, Lock};

/// The file, relative to the spec directory.
pub const FILE: &str = "audit/pages.yaml";

/// `spec/audit/pages.yaml`, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeFile {
    /// Pages no family documents, by file name (in every language).
    #[serde(default)]
    pub out_of_scope: Vec<OutOfScope>,
}

/// A page the specs do not cover, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScope {
    pub page: String,
    pub because: String,
}

/// What the audit knows about the doc set besides the families: the pages
/// out of scope and the lock.
#[derive(Debug, Default)]
pub struct DocSet {
    pub out_of_scope: Vec<OutOfScope>,
    pub lock: Lock,
    /// Whether a lock file exists (without one, every page is unlocked).
    pub locked: bool,
    /// Where the two files are, as a reader should see them.
    pub scope_file: PathBuf,
    pub lock_file: PathBuf,
}

impl DocSet {
    /// Reads `audit/pages.yaml` and `audit/pages.lock` under `spec_dir`;
    /// either may be absent. Files are named in findings under `shown`.
    ///
    /// # Errors
    ///
    /// A file that exists but cannot be read or parsed, or an
    /// out-of-scope entry without a reason.
    pub fn load(spec_dir: &Path, shown: &Path) -> Result<DocSet, String> {
        let scope_path = spec_dir.join(FILE);
        let scope: ScopeFile = match std::fs::read_to_string(&scope_path) {
            Ok(text) => serde_norway::from_str(&text)
                .map_err(|e| format!("{}: {e}", scope_path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ScopeFile::default(),
            Err(e) => return Err(format!("cannot read {}: {e}", scope_path.display())),
        };
        for (i, entry) in scope.out_of_scope.iter().enumerate() {
            if entry.because.trim().is_empty() {
                return Err(format!(
                    "{}: out_of_scope[{i}] ({}): say why the page is out of scope",
                    scope_path.display(),
                    entry.page
                ));
            }
        }
        let lock_path = spec_dir.join(lock::FILE);
        let (lock, locked) = match std::fs::read_to_string(&lock_path) {
            Ok(text) => (Lock::parse(&text)?, true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Lock::default(), false),
            Err(e) => return Err(format!("cannot read {}: {e}", lock_path.display())),
        };
        Ok(DocSet {
            out_of_scope: scope.out_of_scope,
            lock,
            locked,
            scope_file: shown.join(FILE),
            lock_file: shown.join(lock::FILE),
        })
    }

    /// Why `page` (a file name) is out of scope, if it is.
    pub fn out_of_scope(&self, page: &str) -> Option<&str> {
        self.out_of_scope
            .iter()
            .find(|o| o.page == page)
            .map(|o| o.because.as_str())
    }
}
