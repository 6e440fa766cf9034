//! Checking a parsed spec and building its [`crate::model`].
//!
//! Every rule here protects a reader of the generated code: a name that
//! would clash, a reference that would not compile, a flag the runtime could
//! not honour (`encrypted` on a number), an endpoint whose failures nobody
//! wrote down. All problems in a file are collected, not just the first.

use crate::error::{SpecError, SpecErrors};
use crate::model::{self, TypeExpr};
use crate::names;
use crate::spec::{self, SpecFile};
use indexmap::{IndexMap, IndexSet};
use std::path::Path;

mod discriminated;

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

struct Validator<'a> {
    file: &'a Path,
    errors: Vec<SpecError>,
}

/// Names the generated module defines or imports itself.
const RESERVED: &[&str] = &[
    "Sensitive",
    "Serialize",
    "Response",
    "Deserialize",
    "EncryptedFields",
    "ErrorCode",
    "OneOrMany",
    "Option",
    "Vec",
    "String",
];

/// What a type name refers to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Enum,
    Object,
}

impl Validator<'_> {
    fn err(&mut self, at: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError::new(self.file, at, message));
    }

    fn family(&mut self, s: SpecFile) -> model::Family {
        let stem = self
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if s.family != stem {
            self.err(
                "family",
                format!(
                    "family `{}` must match the file name `{stem}.yaml`",
                    s.family
                ),
            );
        }
        if !names::is_kebab(&s.family) {
            self.err("family", format!("`{}` is not kebab-case", s.family));
        }
        if s.sources.is_empty() {
            self.err(
                "sources",
                "list at least one vendor document the facts come from",
            );
        }
        if s.base_url.default.is_none() && s.base_url.template.is_none() {
            self.err(
                "base_url",
                "give a `default` URL or a `template` telling the caller what to supply",
            );
        }
        if let Some(url) = &s.base_url.default {
            if !url.starts_with("https://") {
                self.err("base_url.default", format!("`{url}` must be an https URL"));
            }
        }
        let base_path_params = self.base_path(&s.base_url);
        let uses_envelope = s.envelope.is_some();

        // Names first, so references can be resolved in any order.
        let mut kinds: IndexMap<String, Kind> = IndexMap::new();
        for name in s.enums.keys() {
            self.check_type_name(&format!("enums.{name}"), name);
            kinds.insert(name.clone(), Kind::Enum);
        }
        for name in s.types.keys() {
            self.check_type_name(&format!("types.{name}"), name);
            if kinds.insert(name.clone(), Kind::Object).is_some() {
                self.err(
                    format!("types.{name}"),
                    format!("duplicate name: `{name}` is also an enum"),
                );
            }
        }

        if s.error_shape == spec::ErrorShape::NhnHeader
            && kinds.get("ResultHeader") != Some(&Kind::Object)
        {
            self.err("types", "an `nhn-header` family must define `ResultHeader` (isSuccessful, resultCode, resultMessage)");
        }
        let errors = self.errors_table(&s);
        let enums = self.enums(&s);
        // Names the generated module already uses, for the per-value checks
        // to be checked against.
        let mut taken: IndexSet<String> = kinds.keys().cloned().collect();
        taken.extend(s.endpoints.keys().map(|e| names::upper_camel(e)));
        let types = self.objects(&s, &kinds, uses_envelope, &enums, &mut taken);
        self.check_no_cycles(&types);
        let endpoints = self.endpoints(&s, &kinds, &types, &errors, uses_envelope);
        // The emulator routes base path + endpoint path as one template, so
        // a variable may not be named in both.
        for e in &endpoints {
            for p in e
                .path_params
                .iter()
                .filter(|p| base_path_params.contains(&p.name))
            {
                self.err(
                    format!("endpoints.{}.path", e.name),
                    format!(
                        "variable `{}` is also a variable of `base_url.path`",
                        p.name
                    ),
                );
            }
        }

        model::Family {
            spec_path: Path::new("spec").join(self.file.file_name().unwrap_or_default()),
            module: names::snake(&s.family),
            name: s.family,
            title: s.title,
            sources: s.sources,
            vendor: s.vendor,
            base_url: s.base_url.default,
            base_url_template: s.base_url.template,
            base_path: s.base_url.path,
            base_path_params,
            alternate_urls: s
                .base_url
                .alternates
                .into_iter()
                .map(|a| (a.url, a.note))
                .collect(),
            auth_header: s.auth.header,
            auth_value: s.auth.value,
            error_shape: s.error_shape,
            envelope: s.envelope,
            limits: s.limits,
            errors,
            contradictions: s.contradictions,
            enums,
            types,
            endpoints,
        }
    }

    /// Checks `base_url.path` and returns its variables, in order. A
    /// family without a default URL needs it (the client checks a caller's
    /// URL against it; the emulator serves under it); one with a default
    /// has no use for it.
    fn base_path(&mut self, base: &spec::BaseUrl) -> Vec<String> {
        let at = "base_url.path";
        let path = match (&base.default, &base.path) {
            (None, None) => {
                self.err(
                    at,
                    "with no `default` URL, give the `path` every caller's URL ends in, such as `/custom/v1/{DomainId}/{InvokeKey}`",
                );
                return Vec::new();
            }
            (Some(_), Some(_)) => {
                self.err(
                    at,
                    "`path` is for a family without a `default` URL: it describes the URL each caller supplies",
                );
                return Vec::new();
            }
            (Some(_), None) => return Vec::new(),
            (None, Some(path)) => path,
        };
        let Some(rest) = path.strip_prefix('/') else {
            self.err(at, format!("`{path}` must start with `/`"));
            return Vec::new();
        };
        if rest.is_empty() || rest.ends_with('/') {
            self.err(
                at,
                format!("`{path}` must not end with `/`: endpoint paths, which start with one, are appended to it"),
            );
            return Vec::new();
        }
        let mut vars = Vec::new();
        for segment in rest.split('/') {
            if segment.is_empty() {
                self.err(at, format!("`{path}` has an empty segment"));
            } else if segment.contains(['{', '}']) {
                let name = segment
                    .strip_prefix('{')
                    .and_then(|s| s.strip_suffix('}'))
                    .filter(|n| {
                        !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    });
                match name {
                    None => self.err(
                        at,
                        format!("segment `{segment}` of `{path}` is not a well-formed variable: a variable is a whole segment `{{Name}}` of letters, digits or `_`"),
                    ),
                    Some(name) if vars.iter().any(|v| v == name) => self.err(
                        at,
                        format!("variable `{name}` appears twice in `{path}`"),
                    ),
                    Some(name) => vars.push(name.to_string()),
                }
            }
        }
        vars
    }

    fn check_type_name(&mut self, at: &str, name: &str) {
        if !names::is_upper_camel(name) {
            self.err(at, format!("type name `{name}` must be UpperCamelCase"));
        }
        if RESERVED.contains(&name) {
            self.err(
                at,
                format!("type name `{name}` is reserved: the generated module already uses it"),
            );
        }
    }

    fn errors_table(&mut self, s: &SpecFile) -> Vec<model::ErrorCode> {
        if s.errors.is_empty() {
            self.err("errors", "a family must list its error codes");
        }
        let mut names = IndexSet::new();
        let mut out = Vec::new();
        for (code, e) in s.errors.iter() {
            let at = format!("errors.{code}");
            match s.vendor {
                spec::Vendor::Nhn if code.parse::<i64>().is_err() => {
                    self.err(&at, format!("NHN error code `{code}` must be an integer"));
                }
                spec::Vendor::Clova
                    if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) =>
                {
                    self.err(&at, format!("CLOVA error code `{code}` must be digits"));
                }
                _ => {}
            }
            if !names::is_upper_camel(&e.name) || e.name == "Unknown" {
                self.err(
                    format!("{at}.name"),
                    format!("`{}` must be UpperCamelCase and not `Unknown` (reserved for codes the spec lacks)", e.name),
                );
            }
            if !names.insert(e.name.clone()) {
                self.err(
                    format!("{at}.name"),
                    format!("duplicate name: `{}` names two error codes", e.name),
                );
            }
            if s.error_shape == spec::ErrorShape::ClovaHttp && e.http_status.is_none() {
                self.err(
                    format!("{at}.http_status"),
                    "CLOVA errors arrive with an HTTP status; give it",
                );
            }
            out.push(model::ErrorCode {
                code: code.clone(),
                name: e.name.clone(),
                message: e.message.clone(),
                meaning: e.meaning.clone(),
                retryable: e.retryable,
                http_status: e.http_status,
                source: e.source.clone(),
            });
        }
        out
    }

    fn enums(&mut self, s: &SpecFile) -> Vec<model::Enum> {
        let mut out = Vec::new();
        for (name, e) in s.enums.iter() {
            let mut variants = IndexSet::new();
            let mut values = Vec::new();
            if e.values.is_empty() {
                self.err(
                    format!("enums.{name}.values"),
                    "an enum needs at least one value",
                );
            }
            for (wire, description) in e.values.iter() {
                let variant = names::upper_camel(wire);
                if variant.is_empty() || variant == "Unknown" {
                    self.err(
                        format!("enums.{name}.values.{wire}"),
                        format!("`{wire}` cannot become a variant name (`Unknown` is reserved)"),
                    );
                } else if !variants.insert(variant.clone()) {
                    self.err(
                        format!("enums.{name}.values.{wire}"),
                        format!("duplicate name: `{wire}` becomes variant `{variant}` twice"),
                    );
                }
                values.push((wire.clone(), variant, description.clone()));
            }
            out.push(model::Enum {
                name: name.clone(),
                description: e.description.clone(),
                values,
            });
        }
        out
    }

    fn parse_type(
        &mut self,
        at: &str,
        expr: &str,
        kinds: &IndexMap<String, Kind>,
    ) -> Option<TypeExpr> {
        let expr = expr.trim();
        let generic = |prefix: &str| {
            expr.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('<'))
                .and_then(|rest| rest.strip_suffix('>'))
        };
        if let Some(inner) = generic("list") {
            return self
                .parse_type(at, inner, kinds)
                .map(|t| TypeExpr::List(Box::new(t)));
        }
        if let Some(inner) = generic("one-or-list") {
            let inner = self.parse_type(at, inner, kinds)?;
            if matches!(inner, TypeExpr::List(_) | TypeExpr::OneOrList(_)) {
                self.err(at, "one-or-list<T> needs a single-valued T");
                return None;
            }
            return Some(TypeExpr::OneOrList(Box::new(inner)));
        }
        Some(match expr {
            "string" => TypeExpr::String,
            "int" => TypeExpr::Int,
            "float" => TypeExpr::Float,
            "bool" => TypeExpr::Bool,
            "json" => TypeExpr::Json,
            name => match kinds.get(name) {
                Some(Kind::Enum) => TypeExpr::Enum(name.to_string()),
                Some(Kind::Object) => TypeExpr::Object(name.to_string()),
                None => {
                    self.err(at, format!("undefined type `{name}`"));
                    return None;
                }
            },
        })
    }

    fn objects(
        &mut self,
        s: &SpecFile,
        kinds: &IndexMap<String, Kind>,
        uses_envelope: bool,
        enums: &[model::Enum],
        taken: &mut IndexSet<String>,
    ) -> Vec<model::Object> {
        let mut out = Vec::new();
        for (name, obj) in s.types.iter() {
            let at = format!("types.{name}");
            if obj.fields.is_empty() {
                self.err(
                    format!("{at}.fields"),
                    "an object type needs at least one field",
                );
            }
            let mut rust_names: IndexMap<String, String> = IndexMap::new();
            let mut claim = |v: &mut Self, rust: &str, wire: &str| {
                if let Some(other) = rust_names.insert(rust.to_string(), wire.to_string()) {
                    v.err(
                        format!("{at}.fields.{wire}"),
                        format!(
                            "duplicate name: `{wire}` and `{other}` both become Rust field `{rust}`"
                        ),
                    );
                }
            };
            let mut fields = Vec::new();
            let mut accessors = Vec::new();
            let mut derives_default = true;
            for (wire, f) in obj.fields.iter() {
                let fat = format!("{at}.fields.{wire}");
                let rust = match &f.rust_name {
                    Some(r) if !names::is_snake(r) => {
                        self.err(
                            format!("{fat}.rust_name"),
                            format!("`{r}` must be snake_case"),
                        );
                        r.clone()
                    }
                    Some(r) => r.clone(),
                    None => names::snake(wire),
                };
                if rust.is_empty() {
                    self.err(
                        &fat,
                        format!("wire name `{wire}` gives no usable Rust name; set `rust_name`"),
                    );
                }
                claim(self, &rust, wire);
                let Some(ty) = self.parse_type(&format!("{fat}.type"), &f.ty, kinds) else {
                    continue;
                };
                if f.encrypted {
                    if !uses_envelope {
                        self.err(
                            format!("{fat}.encrypted"),
                            "this family has no `envelope`, so nothing can travel encrypted",
                        );
                    }
                    if !ty.carries_only_strings() {
                        self.err(
                            format!("{fat}.encrypted"),
                            format!(
                                "`encrypted` on a field of type `{}`: the envelope sends Base64 ciphertext, so only string, list<string> or one-or-list<string> fields can carry it",
                                f.ty
                            ),
                        );
                    }
                }
                if f.sensitive && !ty.carries_only_strings() {
                    self.err(
                        format!("{fat}.sensitive"),
                        format!("`sensitive` on a field of type `{}`: only string-carrying fields can be redacted", f.ty),
                    );
                }
                if let Some(value) = &f.fixed {
                    self.check_fixed(&fat, f, &ty, value);
                }
                if f.required && matches!(ty, TypeExpr::Enum(_)) {
                    derives_default = false;
                }
                if !f.also_spelled.is_empty() && f.required {
                    self.err(format!("{fat}.also_spelled"), "a field with other spellings cannot be required: any one spelling may be the one sent");
                }
                let mut spelling_fields = vec![rust.clone()];
                let mut spelling_wires = vec![wire.clone()];
                for (i, sp) in f.also_spelled.iter().enumerate() {
                    let sat = format!("{fat}.also_spelled[{i}]");
                    if !names::is_snake(&sp.rust_name) {
                        self.err(
                            format!("{sat}.rust_name"),
                            format!("`{}` must be snake_case", sp.rust_name),
                        );
                    }
                    if obj.fields.contains_key(&sp.wire) || sp.wire == *wire {
                        self.err(
                            &sat,
                            format!("duplicate name: spelling `{}` is already a field", sp.wire),
                        );
                    }
                    claim(self, &sp.rust_name, &sp.wire);
                    spelling_fields.push(sp.rust_name.clone());
                    spelling_wires.push(sp.wire.clone());
                }
                for (sp_wire, sp_rust) in f.also_spelled.iter().map(|sp| (&sp.wire, &sp.rust_name))
                {
                    fields.push(model::Field {
                        wire: sp_wire.clone(),
                        rust: sp_rust.clone(),
                        ty: ty.clone(),
                        required: false,
                        encrypted: f.encrypted,
                        sensitive: f.sensitive,
                        description: f.description.clone(),
                        variants: rules(f),
                        format: f.format.clone(),
                        // The constant is named after the primary field.
                        fixed: None,
                        spelling_of: Some(wire.clone()),
                    });
                }
                if !f.also_spelled.is_empty() {
                    accessors.push(model::SpellingAccessor {
                        method: rust.clone(),
                        fields: spelling_fields,
                        wires: spelling_wires,
                        ty: ty.clone(),
                    });
                }
                // The primary spelling goes first; the alternates follow it.
                let at_index = fields.len() - f.also_spelled.len();
                fields.insert(
                    at_index,
                    model::Field {
                        wire: wire.clone(),
                        rust,
                        ty,
                        required: f.required,
                        encrypted: f.encrypted,
                        sensitive: f.sensitive,
                        description: f.description.clone(),
                        variants: rules(f),
                        format: f.format.clone(),
                        fixed: f.fixed.clone(),
                        spelling_of: None,
                    },
                );
            }
            let discriminated = self.discriminated(&at, obj, &fields, enums, taken);
            out.push(model::Object {
                name: name.clone(),
                description: obj.description.clone(),
                fields,
                spelling_accessors: accessors,
                derives_default,
                discriminated,
            });
        }
        out
    }

    /// A `fixed` wire value: plain text that is sent as written, so only on a
    /// `string` field that is not encrypted (ciphertext differs every time),
    /// not blank, and not restated in prose under `format`.
    fn check_fixed(&mut self, fat: &str, f: &spec::Field, ty: &TypeExpr, value: &str) {
        let at = format!("{fat}.fixed");
        if *ty != TypeExpr::String {
            self.err(
                &at,
                format!(
                    "`fixed` on a field of type `{}`: a fixed wire value is a `string`",
                    f.ty
                ),
            );
        }
        if f.encrypted {
            self.err(
                &at,
                "`fixed` on an encrypted field: its ciphertext differs on every call",
            );
        }
        if value.trim().is_empty() {
            self.err(&at, "a fixed value cannot be blank");
        }
        if f.format.is_some() {
            self.err(
                format!("{fat}.format"),
                "`format` and `fixed` state the same fact twice; keep `fixed`",
            );
        }
    }

    /// Object types must not contain themselves without indirection; the
    /// vendors' formats never do, so a cycle is a typo.
    fn check_no_cycles(&mut self, types: &[model::Object]) {
        fn refs(ty: &TypeExpr, out: &mut Vec<String>) {
            match ty {
                TypeExpr::Object(n) => out.push(n.clone()),
                TypeExpr::List(_) => {} // a Vec is indirection enough
                TypeExpr::OneOrList(inner) => refs(inner, out),
                _ => {}
            }
        }
        let by_name: IndexMap<&str, &model::Object> =
            types.iter().map(|t| (t.name.as_str(), t)).collect();
        for start in types {
            let mut stack = vec![start.name.clone()];
            let mut seen = IndexSet::new();
            while let Some(name) = stack.pop() {
                let Some(obj) = by_name.get(name.as_str()) else {
                    continue;
                };
                for f in &obj.fields {
                    let mut next = Vec::new();
                    refs(&f.ty, &mut next);
                    for n in next {
                        if n == start.name {
                            self.err(
                                format!("types.{}", start.name),
                                format!(
                                    "`{}` contains itself (through `{}`); wrap the field in a list",
                                    start.name, f.wire
                                ),
                            );
                            return;
                        }
                        if seen.insert(n.clone()) {
                            stack.push(n);
                        }
                    }
                }
            }
        }
    }

    fn endpoints(
        &mut self,
        s: &SpecFile,
        kinds: &IndexMap<String, Kind>,
        types: &[model::Object],
        errors: &[model::ErrorCode],
        uses_envelope: bool,
    ) -> Vec<model::Endpoint> {
        if s.endpoints.is_empty() {
            self.err("endpoints", "a family needs at least one endpoint");
        }
        let key_services = self.key_services(s);
        let mut out = Vec::new();
        let mut op_names = IndexSet::new();
        for (name, e) in s.endpoints.iter() {
            let at = format!("endpoints.{name}");
            if !names::is_kebab(name) {
                self.err(&at, format!("endpoint name `{name}` must be kebab-case"));
            }
            let op_name = names::upper_camel(name);
            if !op_names.insert(op_name.clone()) || kinds.contains_key(&op_name) {
                self.err(
                    &at,
                    format!(
                        "duplicate name: endpoint `{name}` becomes `{op_name}`, which is taken"
                    ),
                );
            }
            if !e.path.starts_with('/') {
                self.err(format!("{at}.path"), "a path starts with `/`");
            }
            // Path variables and path_params must agree, in order.
            let vars = path_variables(&e.path);
            let params: Vec<&String> = e.path_params.keys().collect();
            if vars.iter().collect::<Vec<_>>() != params {
                self.err(
                    format!("{at}.path_params"),
                    format!(
                        "path `{}` has variables {vars:?} but path_params lists {params:?}",
                        e.path
                    ),
                );
            }
            // Errors.
            if e.errors.is_empty() {
                self.err(
                    format!("{at}.errors"),
                    "an endpoint must list the error codes it can answer with",
                );
            }
            let mut seen_codes = IndexSet::new();
            for code in &e.errors {
                if !errors.iter().any(|c| &c.code == code) {
                    self.err(
                        format!("{at}.errors"),
                        format!("error code `{code}` is not in the family's `errors`"),
                    );
                }
                if !seen_codes.insert(code) {
                    self.err(
                        format!("{at}.errors"),
                        format!("duplicate error code `{code}`"),
                    );
                }
            }
            // Headers.
            let mut headers = Vec::new();
            for (hname, h) in e.headers.iter() {
                let hat = format!("{at}.headers.{hname}");
                if hname.eq_ignore_ascii_case("content-type") {
                    self.err(
                        &hat,
                        "Content-Type follows from the request encoding; do not list it",
                    );
                }
                if matches!(
                    h.value,
                    spec::HeaderValue::KeyVersion | spec::HeaderValue::SealedSymmetricKey
                ) && !uses_envelope
                {
                    self.err(
                        &hat,
                        "envelope headers need the family's `envelope` section",
                    );
                }
                headers.push(model::Header {
                    name: hname.clone(),
                    value: h.value,
                    required: h.required,
                    description: h.description.clone(),
                });
            }
            self.check_key_service(&at, name, e, s, key_services.as_ref());
            // Request encodings.
            let mut request = Vec::new();
            let mut json_body = None;
            let mut encrypted_request = Vec::new();
            if e.method == spec::Method::Get && !e.request.is_empty() {
                self.err(
                    format!("{at}.request"),
                    "a GET endpoint has no request body",
                );
            }
            if e.method == spec::Method::Post && e.request.is_empty() {
                self.err(
                    format!("{at}.request"),
                    "a POST endpoint needs at least one request encoding",
                );
            }
            for (i, enc) in e.request.iter().enumerate() {
                let eat = format!("{at}.request[{i}]");
                match (&enc.json, &enc.multipart) {
                    (Some(ty), None) => {
                        match kinds.get(ty) {
                            Some(Kind::Object) => {}
                            _ => self.err(
                                &eat,
                                format!(
                                    "undefined type `{ty}` (a JSON body must be an object type)"
                                ),
                            ),
                        }
                        if json_body.replace(ty.clone()).is_some() {
                            self.err(&eat, "only one JSON encoding per endpoint");
                        }
                        encrypted_request.extend(encrypted_paths(types, ty, ""));
                        request.push(model::Encoding::Json(ty.clone()));
                    }
                    (None, Some(parts)) => {
                        let mut mparts = Vec::new();
                        for (pname, p) in parts.iter() {
                            let pat = format!("{eat}.multipart.{pname}");
                            let json_type = if p.ty == "file" {
                                None
                            } else {
                                if kinds.get(&p.ty) != Some(&Kind::Object) {
                                    self.err(format!("{pat}.type"), format!("undefined type `{}` (a part is `file` or an object type)", p.ty));
                                }
                                Some(p.ty.clone())
                            };
                            if p.encrypted {
                                if !uses_envelope {
                                    self.err(format!("{pat}.encrypted"), "this family has no `envelope`, so nothing can travel encrypted");
                                }
                                if json_type.is_some() {
                                    self.err(format!("{pat}.encrypted"), "only file parts are encrypted whole; mark the JSON type's fields instead");
                                }
                                encrypted_request.push(pname.clone());
                            }
                            mparts.push(model::Part {
                                name: pname.clone(),
                                json_type,
                                description: p.description.clone(),
                                required: p.required,
                                encrypted: p.encrypted,
                            });
                        }
                        if mparts.is_empty() {
                            self.err(&eat, "a multipart encoding needs at least one part");
                        }
                        request.push(model::Encoding::Multipart(mparts));
                    }
                    _ => self.err(&eat, "give exactly one of `multipart` or `json`"),
                }
            }
            let has_encrypted_request = !encrypted_request.is_empty();
            let envelope_headers = e
                .headers
                .values()
                .filter(|h| {
                    matches!(
                        h.value,
                        spec::HeaderValue::KeyVersion | spec::HeaderValue::SealedSymmetricKey
                    )
                })
                .count();
            if has_encrypted_request && envelope_headers != 2 {
                self.err(
                    format!("{at}.headers"),
                    "an endpoint that sends encrypted data needs a `key-version` and a `sealed-symmetric-key` header",
                );
            }
            // Response.
            if kinds.get(&e.response.body) != Some(&Kind::Object) {
                self.err(
                    format!("{at}.response.body"),
                    format!("undefined type `{}`", e.response.body),
                );
            }
            let encrypted_response = encrypted_paths(types, &e.response.body, "");
            if !encrypted_response.is_empty() && envelope_headers != 2 {
                self.err(
                    format!("{at}.response"),
                    "the response carries encrypted fields, but the request sends no symmetric key to encrypt them with",
                );
            }
            if let Some(field) = &e.response.document_field {
                let found = types
                    .iter()
                    .any(|t| t.fields.iter().any(|f| &f.wire == field));
                if !found {
                    self.err(
                        format!("{at}.response.document_field"),
                        format!("no type has a field `{field}`"),
                    );
                }
            }
            let mut limits = s.limits.clone();
            if let Some(o) = &e.limits {
                let o = o.clone();
                limits.max_file_bytes = o.max_file_bytes.or(limits.max_file_bytes);
                limits.formats = o.formats.or(limits.formats);
                limits.images_per_call = o.images_per_call.or(limits.images_per_call);
                limits.url_ports = o.url_ports.or(limits.url_ports);
                limits.url_download_timeout_secs = o
                    .url_download_timeout_secs
                    .or(limits.url_download_timeout_secs);
                limits.recommended_resolution =
                    o.recommended_resolution.or(limits.recommended_resolution);
                limits.notes.extend(o.notes);
            }
            for (i, port) in limits.url_ports.iter().flatten().enumerate() {
                if parse_port_range(port).is_none() {
                    self.err(
                        format!("{at}.limits.url_ports[{i}]"),
                        format!("`{port}` is not a port or `low-high` range"),
                    );
                }
            }
            out.push(model::Endpoint {
                name: name.clone(),
                const_name: names::screaming_snake(name),
                op_name,
                summary: e.summary.clone(),
                method: e.method,
                path: e.path.clone(),
                path_params: e
                    .path_params
                    .iter()
                    .map(|(n, p)| model::PathParam {
                        name: n.clone(),
                        value: p.value,
                        description: p.description.clone(),
                        allowed: p.allowed.clone(),
                    })
                    .collect(),
                headers,
                key_service: e.key_service.clone(),
                request,
                response_body: e.response.body.clone(),
                document_field: e.response.document_field.clone(),
                response_headers: e
                    .response
                    .headers
                    .iter()
                    .map(|(n, h)| model::ResponseHeader {
                        name: n.clone(),
                        description: h.description.clone(),
                        when: h.when.clone(),
                        valid_for_secs: h.valid_for_secs,
                        single_use: h.single_use,
                    })
                    .collect(),
                errors: e.errors.clone(),
                limits,
                notes: e.notes.clone(),
                encrypted_request,
                encrypted_response,
                json_body,
            });
        }
        out
    }
}

/// The public-key endpoint's name and the services it issues keys for.
struct KeyServices<'s> {
    endpoint: &'s str,
    allowed: &'s [String],
}

impl Validator<'_> {
    /// For a family with an envelope: the endpoint `envelope.public_key_endpoint`
    /// names, and the `allowed` values of its one `argument` path variable,
    /// which are what an enveloped endpoint's `key_service` may say.
    fn key_services<'s>(&mut self, s: &'s SpecFile) -> Option<KeyServices<'s>> {
        let envelope = s.envelope.as_ref()?;
        let name = envelope.public_key_endpoint.as_str();
        let Some(endpoint) = s.endpoints.get(name) else {
            self.err(
                "envelope.public_key_endpoint",
                format!("`{name}` is not an endpoint of this family"),
            );
            return None;
        };
        let arguments: Vec<&spec::PathParam> = endpoint
            .path_params
            .values()
            .filter(|p| p.value == spec::ParamValue::Argument)
            .collect();
        match arguments.as_slice() {
            [param] if !param.allowed.is_empty() => Some(KeyServices {
                endpoint: name,
                allowed: &param.allowed,
            }),
            _ => {
                self.err(
                    format!("endpoints.{name}.path_params"),
                    "the public-key endpoint needs exactly one `argument` path variable whose `allowed` lists the services it issues keys for",
                );
                None
            }
        }
    }

    /// `key_service` is given exactly on the endpoints sealed with the
    /// envelope (those with a `sealed-symmetric-key` header, as the runtime
    /// decides), and names a service the public-key endpoint issues keys for.
    fn check_key_service(
        &mut self,
        at: &str,
        name: &str,
        e: &spec::Endpoint,
        s: &SpecFile,
        services: Option<&KeyServices<'_>>,
    ) {
        let sealed = e
            .headers
            .values()
            .any(|h| h.value == spec::HeaderValue::SealedSymmetricKey);
        let is_key_endpoint = s
            .envelope
            .as_ref()
            .is_some_and(|env| env.public_key_endpoint == name);
        if sealed && is_key_endpoint {
            self.err(
                format!("{at}.headers"),
                "the public-key endpoint cannot itself be sealed: its keys are what seal the others",
            );
        }
        let kat = format!("{at}.key_service");
        let choices = services.map_or_else(String::new, |k| {
            format!(" (one of {}, from `{}`)", k.allowed.join(", "), k.endpoint)
        });
        match (&e.key_service, sealed) {
            (None, true) => self.err(
                &kat,
                format!(
                    "an endpoint sealed with the envelope must name the public-key service whose key seals it{choices}"
                ),
            ),
            (Some(service), false) => self.err(
                &kat,
                format!(
                    "`{service}`: only an endpoint sealed with the envelope (a `sealed-symmetric-key` header) names a key service"
                ),
            ),
            (Some(service), true) => {
                if let Some(k) = services.filter(|k| !k.allowed.contains(service)) {
                    self.err(
                        &kat,
                        format!(
                            "`{service}` is not a service the public-key endpoint `{}` issues keys for ({})",
                            k.endpoint,
                            k.allowed.join(", ")
                        ),
                    );
                }
            }
            (None, false) => {}
        }
    }
}

/// A field's per-value rules as the model holds them.
fn rules(f: &spec::Field) -> Vec<(String, model::Rule)> {
    f.variants
        .iter()
        .map(|(value, r)| {
            let rule = model::Rule {
                required: r.required,
                format: r.format,
            };
            (value.clone(), rule)
        })
        .collect()
}

/// `{name}` variables of a path template, in order.
fn path_variables(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

/// `"443"` or `"10000-12000"` as an inclusive range.
pub fn parse_port_range(s: &str) -> Option<(u16, u16)> {
    match s.split_once('-') {
        Some((lo, hi)) => {
            let (lo, hi) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
            (lo <= hi).then_some((lo, hi))
        }
        None => {
            let p = s.trim().parse().ok()?;
            Some((p, p))
        }
    }
}

/// Wire paths of every encrypted field reachable from `type_name`
/// (`cardNums[].value`), in field order.
fn encrypted_paths(types: &[model::Object], type_name: &str, prefix: &str) -> Vec<String> {
    fn walk(
        types: &[model::Object],
        ty: &TypeExpr,
        path: String,
        out: &mut Vec<String>,
        depth: usize,
    ) {
        if depth > 32 {
            return; // cycles are reported separately
        }
        match ty {
            TypeExpr::Object(name) => {
                if let Some(obj) = types.iter().find(|t| &t.name == name) {
                    for f in &obj.fields {
                        let p = if path.is_empty() {
                            f.wire.clone()
                        } else {
                            format!("{path}.{}", f.wire)
                        };
                        if f.encrypted {
                            out.push(match &f.ty {
                                TypeExpr::List(_) => format!("{p}[]"),
                                _ => p,
                            });
                        } else {
                            walk(types, &f.ty, p, out, depth + 1);
                        }
                    }
                }
            }
            TypeExpr::List(inner) | TypeExpr::OneOrList(inner) => {
                walk(types, inner, format!("{path}[]"), out, depth + 1)
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(
        types,
        &TypeExpr::Object(type_name.to_string()),
        prefix.to_string(),
        &mut out,
        0,
    );
    out
}
