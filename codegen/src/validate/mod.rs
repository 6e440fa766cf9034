//! Checking a parsed spec and building its [`crate::model`].
//!
//! Every rule here protects a reader of the generated code: a name that
//! would clash, a reference that would not compile, a flag the runtime could
//! not honour (`encrypted` on a number), an endpoint whose failures nobody
//! wrote down. All problems in a file are collected, not just the first.
//!
//! The work is split by what it checks, each module a set of small rules
//! that report through `Validator::err` and return the model part they
//! built:
//!
//! | module | checks and builds |
//! |---|---|
//! | `family` | the family's name, sources and base URL |
//! | `objects` | enums, object types, fields, type expressions, cycles |
//! | `discriminated` | types whose fields depend on an enum field's value |
//! | `shape` | the error shape and the fields that carry a verdict |
//! | `errors` | the error table, parsed by the shape's kind of code |
//! | `auth` | auth schemes and versions |
//! | `endpoints` | paths, headers, bodies, responses, limits, the envelope |
//! | `presentation` | what types read as, and endpoints' reports |
//! | `links` | references between families (a token's issuer) |

use crate::error::{SpecError, SpecErrors};
use crate::model::{self, Code};
use crate::names;
use crate::spec::SpecFile;
use indexmap::IndexMap;
use std::path::Path;

mod auth;
mod client;
mod discriminated;
mod endpoints;
mod errors;
mod family;
mod links;
mod objects;
mod presentation;
mod shape;

pub use endpoints::parse_port_range;
pub use links::check_links;

/// Validates `spec` (read from `file`) and builds its model.
pub fn validate(file: &Path, spec: SpecFile) -> Result<model::Family, SpecErrors> {
    let mut v = Validator {
        file,
        errors: Vec::new(),
    };
    let family = v.family(spec);
    if v.errors.is_empty() {
        Ok(family)
    } else {
        Err(SpecErrors(v.errors))
    }
}

pub(crate) struct Validator<'a> {
    file: &'a Path,
    errors: Vec<SpecError>,
}

/// What a type name refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Enum,
    Object,
}

/// The names a spec defines, so references resolve in any order.
type Kinds = IndexMap<String, Kind>;

impl Validator<'_> {
    fn err(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError::new(self.file, at, message));
    }

    fn family(&mut self, s: SpecFile) -> model::Family {
        self.identity(&s);
        let base_url = self.base_url(&s.base_url);

        let kinds = self.kinds(&s);
        let enums = self.enums(&s);
        let mut taken = kinds.keys().cloned().collect();
        let types = self.objects(&s, &kinds, &enums, &mut taken);
        self.check_no_cycles(&types);
        self.check_reads_as(&types);

        let error_shape = self.error_shape(&s.error_shape, &types);
        let code_kind = error_shape
            .as_ref()
            .map_or(model::CodeKind::Text, |shape| shape.1);
        let errors = self.errors_table(&s, code_kind);
        let shared_errors = match (s.errors_from.as_slice(), s.own_error_count) {
            ([table], 0) => Some(table.clone()),
            _ => None,
        };
        let refs = CodeRefs {
            errors: &errors,
            common: &[],
            groups: &[],
        };

        let auth = self.auth_schemes(&s, &refs);
        let versions = self.versions(&s, &auth, &refs);
        let common_errors = self.common_errors(&s, &refs, &versions);
        let refs = CodeRefs {
            common: &common_errors,
            ..refs
        };
        let error_groups = self.error_groups(&s, &refs, &versions);
        let refs = CodeRefs {
            groups: &error_groups,
            ..refs
        };
        let mut endpoints = self.endpoints(&s, &kinds, &types, &refs, &versions, &base_url);
        self.check_answers(&errors, &common_errors, &error_groups, &endpoints);
        let envelope = self.envelope(&s, &types, &refs);
        for e in &mut endpoints {
            e.call = client::call_kind(e, envelope.as_ref(), &types);
        }
        let vendor = match s.vendor {
            crate::spec::Vendor::Nhn => model::Vendor::Nhn,
            crate::spec::Vendor::Clova => model::Vendor::Clova,
        };
        let client = self.client(&s, &base_url, vendor);
        let limits = self.limits("limits", &s.limits);
        self.check_image_formats(&enums, &limits, &endpoints);
        let audit = self.audit(&s.audit);

        model::Family {
            spec_path: Path::new("spec").join(self.file.file_name().unwrap_or_default()),
            module: names::snake(&s.family),
            variant: names::upper_camel(&s.family),
            name: s.family,
            title: s.title,
            sources: s.sources,
            vendor,
            base_url,
            auth,
            versions,
            // Without a valid shape there are errors, and the model is dropped.
            error_shape: error_shape.map_or_else(shape::placeholder, |shape| shape.0),
            code_kind,
            shared_errors,
            envelope,
            limits,
            errors,
            common_errors,
            error_groups,
            contradictions: s
                .contradictions
                .into_iter()
                .map(|c| model::Contradiction {
                    at: c.at,
                    what: c.what,
                    resolution: c.resolution,
                })
                .collect(),
            enums,
            types,
            endpoints,
            audit,
            client,
            yields_to: s.cli.yields_to,
        }
    }

    /// Every acknowledgement names a finding once and says why.
    fn audit(&mut self, a: &crate::spec::Audit) -> model::Audit {
        let mut seen = std::collections::HashSet::new();
        for (i, ack) in a.acknowledged.iter().enumerate() {
            let at = format!("audit.acknowledged[{i}]");
            if !ack.finding.contains(": ") {
                self.err(
                    format!("{at}.finding"),
                    "a finding key is `<kind>: <subject>`, as the audit prints it",
                );
            }
            if ack.because.trim().is_empty() {
                self.err(
                    format!("{at}.because"),
                    "say why the spec differs from the docs",
                );
            }
            if !seen.insert(ack.finding.as_str()) {
                self.err(format!("{at}.finding"), "acknowledged twice");
            }
        }
        if let Some(day) = &a.reconciled
            && crate::audit::prose::date_iso(day).is_none()
        {
            self.err(
                "audit.reconciled",
                format!("`{day}` is not a day as YYYY-MM-DD"),
            );
        }
        for (i, section) in a.overview.iter().enumerate() {
            if section.headings.is_empty() || section.endpoints.is_empty() {
                self.err(
                    format!("audit.overview[{i}]"),
                    "name the section's headings and the endpoints it applies to",
                );
            }
        }
        model::Audit {
            docs: a.docs.clone(),
            acknowledged: a
                .acknowledged
                .iter()
                .map(|ack| model::Acknowledged {
                    finding: ack.finding.clone(),
                    because: ack.because.clone(),
                    against: ack.against.clone(),
                    languages: ack.languages.clone(),
                })
                .collect(),
            reconciled: a.reconciled.clone(),
            overview: a
                .overview
                .iter()
                .map(|s| (s.headings.clone(), s.endpoints.clone()))
                .collect(),
        }
    }
}

/// Looks up codes the spec writes as references (an endpoint's `errors`,
/// a version's, a token scheme's `refused_with`) in the family's table.
struct CodeRefs<'a> {
    errors: &'a [model::ErrorCode],
    /// The family's common codes, once they are read.
    common: &'a [Code],
    /// The family's error groups, once they are read.
    groups: &'a [model::ErrorGroup],
}

impl CodeRefs<'_> {
    /// The code written as `written`, if the family's table has it. The
    /// table keys codes as the vendor writes them and refuses any other
    /// spelling of a number, so comparing the text is exact.
    fn get(&self, written: &str) -> Option<Code> {
        self.errors
            .iter()
            .find(|e| e.code.to_string() == written)
            .map(|e| e.code.clone())
    }
}
