//! One family's pages against its spec, in both directions.

use std::collections::{BTreeMap, BTreeSet};

use super::page::{DocEndpoint, DocField, Page};
use super::{DocRef, Finding, Kind};
use crate::model::{BaseUrl, Encoding, Endpoint, Family, TypeExpr, Version};

/// A finding about `family`, not yet acknowledged.
pub(super) fn finding(
    family: &Family,
    kind: Kind,
    subject: String,
    detail: String,
    docs: Vec<DocRef>,
    spec_path: String,
) -> Finding {
    Finding {
        family: family.name.clone(),
        kind,
        subject,
        detail,
        docs,
        spec_file: family.spec_path.clone(),
        spec_path,
        acknowledged: None,
        lines: Vec::new(),
    }
}

/// Collects findings for one family.
struct Audit<'a> {
    family: &'a Family,
    findings: Vec<Finding>,
}

impl Audit<'_> {
    fn add(&mut self, kind: Kind, subject: String, detail: String, docs: Vec<DocRef>, at: String) {
        let f = finding(self.family, kind, subject, detail, docs, at);
        self.findings.push(f);
    }
}

fn at(file: &std::path::Path, line: usize) -> Vec<DocRef> {
    vec![DocRef {
        file: file.to_path_buf(),
        line,
    }]
}

pub(super) fn compare(family: &Family, pages: &[(std::path::PathBuf, Page)]) -> Vec<Finding> {
    let mut audit = Audit {
        family,
        findings: Vec::new(),
    };
    let mut matched = BTreeSet::new();
    let mut documented_any = false;
    for (file, page) in pages {
        hosts(&mut audit, file, page);
        for doc in &page.endpoints {
            documented_any = true;
            if let Some(name) = endpoint(&mut audit, file, doc) {
                matched.insert(name);
            }
        }
    }
    if documented_any {
        for e in &family.endpoints {
            if !matched.contains(e.name.as_str()) {
                audit.add(
                    Kind::EndpointExtra,
                    e.name.clone(),
                    format!(
                        "the spec has `{} {}`, which none of the family's pages documents",
                        e.method.as_str(),
                        e.path
                    ),
                    Vec::new(),
                    format!("endpoints.{}", e.name),
                );
            }
        }
    }
    errors(&mut audit, pages);
    audit.findings
}

fn hosts(audit: &mut Audit<'_>, file: &std::path::Path, page: &Page) {
    let BaseUrl::Fixed {
        default,
        alternates,
    } = &audit.family.base_url
    else {
        return;
    };
    for host in &page.hosts {
        let url = host.value.trim_end_matches('/');
        if url == default.trim_end_matches('/') {
            continue;
        }
        let alternate = alternates
            .iter()
            .any(|a| a.url.trim_end_matches('/') == url);
        let detail = if alternate {
            format!(
                "the docs give {url} as the host; the spec has it as an alternate, and {default} as the default"
            )
        } else {
            format!("the docs give {url} as the host; the spec's default is {default}")
        };
        audit.add(
            Kind::HostDiffers,
            url.to_string(),
            detail,
            at(file, host.line),
            "base_url.default".into(),
        );
    }
}

/// The version whose prefix the URI starts with, and the rest of the URI.
/// `Err` names a version prefix (`/v3.0`) the spec does not have.
fn split_version<'v>(
    versions: &'v [Version],
    uri: &'v str,
) -> Result<(Option<&'v Version>, &'v str), String> {
    for v in versions {
        if !v.path_prefix.is_empty()
            && let Some(rest) = uri.strip_prefix(v.path_prefix.as_str())
            && rest.starts_with('/')
        {
            return Ok((Some(v), rest));
        }
    }
    let first = uri.trim_start_matches('/').split('/').next().unwrap_or("");
    let looks_versioned = first.starts_with('v')
        && first.len() > 1
        && first[1..].chars().all(|c| c.is_ascii_digit() || c == '.');
    let has_prefixes = versions.iter().any(|v| !v.path_prefix.is_empty());
    if looks_versioned && has_prefixes {
        return Err(format!("/{first}"));
    }
    Ok((versions.iter().find(|v| v.path_prefix.is_empty()), uri))
}

/// `{appKey}` and `{serviceName}` alike: `{}`.
fn template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// The spec endpoint a documented URI names: the same method and path, or
/// (for pages that show only the last segments, as CLOVA's do) a spec path
/// that ends with it.
fn find_endpoint<'f>(family: &'f Family, method: &str, rest: &str) -> Option<&'f Endpoint> {
    let doc = template(rest);
    let same = |e: &&Endpoint| e.method.as_str() == method;
    family
        .endpoints
        .iter()
        .filter(same)
        .find(|e| template(&e.path) == doc)
        .or_else(|| {
            family
                .endpoints
                .iter()
                .filter(same)
                .find(|e| template(&e.path).ends_with(&doc) && doc.starts_with('/'))
        })
}

/// Compares one documented endpoint; returns the spec endpoint it is.
fn endpoint<'f>(
    audit: &mut Audit<'f>,
    file: &std::path::Path,
    doc: &DocEndpoint,
) -> Option<&'f str> {
    let family = audit.family;
    let (version, rest) = match split_version(&family.versions, &doc.uri) {
        Ok(found) => found,
        Err(prefix) => {
            audit.add(
                Kind::VersionMissing,
                prefix.clone(),
                format!(
                    "the docs document `{} {}`, under a version prefix the spec lacks",
                    doc.method, doc.uri
                ),
                at(file, doc.line),
                "versions".into(),
            );
            return None;
        }
    };
    let Some(spec) = find_endpoint(family, &doc.method, rest) else {
        audit.add(
            Kind::EndpointMissing,
            format!("{} {}", doc.method, doc.uri),
            "the docs document an endpoint the spec lacks".into(),
            at(file, doc.line),
            "endpoints".into(),
        );
        return None;
    };
    headers(audit, file, doc, spec, version);
    path_variables(audit, file, doc, spec);
    let request = request_fields(family, spec);
    fields(audit, file, spec, "request", &doc.request, &request);
    let response = spec
        .response
        .body
        .as_deref()
        .map(|t| type_paths(family, t))
        .unwrap_or_default();
    fields(audit, file, spec, "response", &doc.response, &response);
    Some(spec.name.as_str())
}

fn headers(
    audit: &mut Audit<'_>,
    file: &std::path::Path,
    doc: &DocEndpoint,
    spec: &Endpoint,
    version: Option<&Version>,
) {
    let family = audit.family;
    let auth = version
        .and_then(|v| family.auth.get(v.auth))
        .or_else(|| (family.auth.len() == 1).then(|| &family.auth[0]));
    let mut expected: Vec<(String, String)> = spec
        .headers
        .iter()
        .map(|h| (h.name.clone(), format!("endpoints.{}.headers", spec.name)))
        .collect();
    if let Some(scheme) = auth {
        expected.push((scheme.header.clone(), format!("auth.{}", scheme.name)));
    }
    // The transport's business, not the API's.
    let documented: Vec<_> = doc
        .headers
        .iter()
        .filter(|h| !h.value.eq_ignore_ascii_case("content-type"))
        .collect();
    for h in &documented {
        if !expected
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(&h.value))
        {
            audit.add(
                Kind::HeaderMissing,
                format!("{} {}", spec.name, h.value),
                format!("the docs send `{}`; the spec does not", h.value),
                at(file, h.line),
                format!("endpoints.{}.headers", spec.name),
            );
        }
    }
    if documented.is_empty() {
        return;
    }
    for (name, path) in expected {
        if !documented
            .iter()
            .any(|h| h.value.eq_ignore_ascii_case(&name))
        {
            audit.add(
                Kind::HeaderExtra,
                format!("{} {}", spec.name, name),
                format!(
                    "the spec sends `{name}`; the docs' header table for `{} {}` does not list it",
                    doc.method, doc.uri
                ),
                at(file, doc.line),
                path,
            );
        }
    }
}

fn path_variables(
    audit: &mut Audit<'_>,
    file: &std::path::Path,
    doc: &DocEndpoint,
    spec: &Endpoint,
) {
    let at_spec = format!("endpoints.{}.path", spec.name);
    for v in &doc.path_variables {
        if !spec.path_params.iter().any(|p| p.name == v.value) {
            audit.add(
                Kind::PathVariableMissing,
                format!("{} {}", spec.name, v.value),
                format!(
                    "the docs name path variable `{}`; the spec's path does not",
                    v.value
                ),
                at(file, v.line),
                at_spec.clone(),
            );
        }
    }
    if doc.path_variables.is_empty() {
        return;
    }
    for p in &spec.path_params {
        if !doc.path_variables.iter().any(|v| v.value == p.name) {
            audit.add(
                Kind::PathVariableExtra,
                format!("{} {}", spec.name, p.name),
                format!(
                    "the spec's path has `{{{}}}`; the docs' table does not",
                    p.name
                ),
                at(file, doc.line),
                at_spec.clone(),
            );
        }
    }
}

/// What the spec knows of one member.
#[derive(Debug, Clone)]
struct Known {
    encrypted: bool,
    ty: Option<TypeExpr>,
    /// YAML path of its declaration.
    at: String,
}

/// Every member reachable from object `root`, by wire path
/// (`cardNums[].value`).
fn type_paths(family: &Family, root: &str) -> BTreeMap<String, Known> {
    let mut out = BTreeMap::new();
    walk(family, root, "", &mut out, 0);
    out
}

fn walk(family: &Family, ty: &str, prefix: &str, out: &mut BTreeMap<String, Known>, depth: usize) {
    let Some(object) = family.types.iter().find(|t| t.name == ty) else {
        return;
    };
    if depth > 8 {
        return;
    }
    for f in &object.fields {
        let path = format!("{prefix}{}", f.wire);
        out.insert(
            path.clone(),
            Known {
                encrypted: f.encrypted,
                ty: Some(f.ty.clone()),
                at: format!("types.{}.fields.{}", object.name, f.wire),
            },
        );
        let (inner, list) = match &f.ty {
            TypeExpr::List(inner) | TypeExpr::OneOrList(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        if let TypeExpr::Object(name) = inner {
            let next = if list {
                format!("{path}[].")
            } else {
                format!("{path}.")
            };
            walk(family, name, &next, out, depth + 1);
        }
    }
}

/// The request's members: multipart parts (and the fields of a JSON
/// part, under its name), or the JSON or form body's fields.
fn request_fields(family: &Family, spec: &Endpoint) -> BTreeMap<String, Known> {
    let mut out = BTreeMap::new();
    for encoding in &spec.request {
        match encoding {
            Encoding::Multipart(parts) => {
                for part in parts {
                    out.insert(
                        part.name.clone(),
                        Known {
                            encrypted: part.encrypted,
                            ty: None,
                            at: format!("endpoints.{}.request", spec.name),
                        },
                    );
                    if let Some(t) = part.json_type() {
                        walk(family, t, &format!("{}.", part.name), &mut out, 0);
                    }
                }
            }
            Encoding::Json(t) | Encoding::Form(t) => walk(family, t, "", &mut out, 0),
        }
    }
    out
}

/// `a[].b.c` -> `a.b`: the member a path hangs under (lists unwrapped).
fn parent(path: &str) -> &str {
    path.rsplit_once('.')
        .map_or("", |(p, _)| p)
        .trim_end_matches("[]")
}

fn fields(
    audit: &mut Audit<'_>,
    file: &std::path::Path,
    spec: &Endpoint,
    part: &str,
    documented: &[DocField],
    known: &BTreeMap<String, Known>,
) {
    let fallback = format!("endpoints.{}.{part}", spec.name);
    for doc in documented {
        // `result` itself, and `images[]` for `images`, name containers.
        if doc.path.is_empty() || doc.path == "result" {
            continue;
        }
        let path = doc.path.trim_end_matches("[]");
        let Some(k) = known.get(path) else {
            audit.add(
                Kind::FieldMissing,
                format!("{} {part} {path}", spec.name),
                format!("the docs list `{path}` ({}); the spec does not", doc.ty),
                at(file, doc.line),
                fallback.clone(),
            );
            continue;
        };
        if doc.encrypted != k.encrypted {
            let (docs, ours) = if doc.encrypted {
                ("encrypted", "plain")
            } else {
                ("plain", "encrypted")
            };
            audit.add(
                Kind::EncryptionDiffers,
                format!("{} {part} {path}", spec.name),
                format!("the docs mark `{path}` {docs}; the spec has it {ours}"),
                at(file, doc.line),
                k.at.clone(),
            );
        }
        // `cardNumBoxes[0]` describes one element of the list.
        let element = doc.path.ends_with("[]");
        let ty = k.ty.as_ref().map(|ty| match ty {
            TypeExpr::List(inner) | TypeExpr::OneOrList(inner) if element => inner.as_ref(),
            other => other,
        });
        if let Some(ty) = ty
            && !type_fits(&doc.ty, ty)
        {
            audit.add(
                Kind::TypeDiffers,
                format!("{} {part} {path}", spec.name),
                format!("the docs type `{path}` as {}; the spec as `{ty}`", doc.ty),
                at(file, doc.line),
                k.at.clone(),
            );
        }
    }
    if documented.is_empty() {
        return;
    }
    // A member counts as listed when it or anything under it is; a
    // parent's members are compared only when the docs list at least one
    // of them (a table that describes `cardNumBoxes[0]` as "Object
    // { x1, y1, ... }" lists none, and is not read as missing them).
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for d in documented {
        let mut path = d.path.trim_end_matches("[]").to_string();
        loop {
            listed.insert(path.clone());
            let up = parent(&path).to_string();
            if up.is_empty() {
                break;
            }
            path = up;
        }
    }
    let enumerated: BTreeSet<&str> = listed.iter().map(|p| parent(p)).collect();
    let line = documented[0].line;
    for (path, k) in known {
        let under = parent(path);
        if enumerated.contains(under) && !listed.contains(path.as_str()) {
            audit.add(
                Kind::FieldExtra,
                format!("{} {part} {path}", spec.name),
                format!("the spec has `{path}`; the docs' {part} table does not list it"),
                at(file, line),
                k.at.clone(),
            );
        }
    }
}

/// The kinds of value the docs' type words name.
#[derive(Clone, Copy, PartialEq)]
enum Category {
    Text,
    Number,
    Bool,
    List,
    Object,
}

/// Whether a documented type word (`String`, `Integer`, `List`) fits the
/// spec's type. Words the audit does not know fit anything.
fn type_fits(doc: &str, spec: &TypeExpr) -> bool {
    let doc = match doc.to_lowercase().as_str() {
        "string" | "str" => Category::Text,
        "int" | "integer" | "long" | "double" | "float" | "number" => Category::Number,
        "boolean" | "bool" => Category::Bool,
        "list" | "array" => Category::List,
        "object" => Category::Object,
        _ => return true,
    };
    fits(doc, spec)
}

fn fits(doc: Category, spec: &TypeExpr) -> bool {
    match spec {
        TypeExpr::String | TypeExpr::Enum(_) | TypeExpr::Base64 => doc == Category::Text,
        TypeExpr::Int | TypeExpr::Float => doc == Category::Number,
        TypeExpr::IntOrString => matches!(doc, Category::Text | Category::Number),
        TypeExpr::Bool => doc == Category::Bool,
        TypeExpr::List(_) => doc == Category::List,
        // Sent bare or as a list: either word fits.
        TypeExpr::OneOrList(inner) => doc == Category::List || fits(doc, inner),
        TypeExpr::Object(_) => doc == Category::Object,
        TypeExpr::Json => true,
    }
}

fn errors(audit: &mut Audit<'_>, pages: &[(std::path::PathBuf, Page)]) {
    let family = audit.family;
    let mut documented = BTreeSet::new();
    for (file, page) in pages {
        for doc in &page.errors {
            documented.insert(doc.code.clone());
            let Some(spec) = family
                .errors
                .iter()
                .find(|e| e.code.to_string() == doc.code)
            else {
                let key = doc
                    .key
                    .as_deref()
                    .map(|k| format!(" {k}"))
                    .unwrap_or_default();
                audit.add(
                    Kind::ErrorMissing,
                    doc.code.clone(),
                    format!(
                        "the docs list {}{key} \"{}\"; the spec does not",
                        doc.code, doc.message
                    ),
                    at(file, doc.line),
                    "errors".into(),
                );
                continue;
            };
            let at_spec = format!("errors.{}", doc.code);
            if spec.message != doc.message {
                audit.add(
                    Kind::ErrorMessageDiffers,
                    doc.code.clone(),
                    format!(
                        "the docs' message is \"{}\"; the spec's is \"{}\"",
                        doc.message, spec.message
                    ),
                    at(file, doc.line),
                    format!("{at_spec}.message"),
                );
            }
            if let Some(key) = &doc.key
                && spec.key.as_deref() != Some(key.as_str())
            {
                audit.add(
                    Kind::ErrorKeyDiffers,
                    doc.code.clone(),
                    format!(
                        "the docs' resultKey is {key}; the spec's is {}",
                        spec.key.as_deref().unwrap_or("(none)")
                    ),
                    at(file, doc.line),
                    format!("{at_spec}.key"),
                );
            }
            if let (Some(status), Some(ours)) = (doc.http_status, spec.http_status)
                && status != ours
            {
                audit.add(
                    Kind::ErrorStatusDiffers,
                    doc.code.clone(),
                    format!("the docs give HTTP {status}; the spec {ours}"),
                    at(file, doc.line),
                    format!("{at_spec}.http_status"),
                );
            }
        }
    }
    if documented.is_empty() {
        return;
    }
    for e in &family.errors {
        let code = e.code.to_string();
        if !documented.contains(&code) {
            audit.add(
                Kind::ErrorExtra,
                code.clone(),
                format!(
                    "the spec has {code} \"{}\"; none of the family's pages lists it",
                    e.message
                ),
                Vec::new(),
                format!("errors.{code}"),
            );
        }
    }
}
