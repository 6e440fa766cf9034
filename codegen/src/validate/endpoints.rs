//! Endpoints: paths, headers, request bodies, responses, limits, and the
//! envelope that seals some of them. Each concern is one small rule.

use super::auth::header_name_problem;
use super::{CodeRefs, Kind, Kinds, Validator};
use crate::model::{self, Code, Encoding, HeaderRole, TypeExpr};
use crate::names;
use crate::spec::{self, SpecFile};
use indexmap::IndexSet;

impl Validator<'_> {
    pub(super) fn endpoints(
        &mut self,
        s: &SpecFile,
        kinds: &Kinds,
        types: &[model::Object],
        refs: &CodeRefs,
        versions: &[model::Version],
        base_url: &model::BaseUrl,
    ) -> Vec<model::Endpoint> {
        if s.endpoints.is_empty() {
            self.err("endpoints", "a family needs at least one endpoint");
        }
        let key_services = self.key_services(s);
        let auth_headers: Vec<&str> = s.auth.values().map(|a| a.header.as_str()).collect();
        let envelope_headers = self.envelope_headers(s, &auth_headers);
        let base_params: &[String] = match base_url {
            model::BaseUrl::PerCaller { params, .. } => params,
            model::BaseUrl::Fixed { .. } => &[],
        };
        let mut op_names = IndexSet::new();
        let mut documents: IndexSet<String> = IndexSet::new();
        let mut out = Vec::new();
        for (name, e) in s.endpoints.iter() {
            let at = format!("endpoints.{name}");
            if !names::is_kebab(name) {
                self.err(&at, format!("endpoint name `{name}` must be kebab-case"));
            }
            let op_name = names::upper_camel(name);
            for generated in [format!("{op_name}Request"), format!("{op_name}Body")] {
                if kinds.contains_key(&generated) {
                    self.err(
                        &at,
                        format!("duplicate name: endpoint `{name}` generates `{generated}`, which is a type of the spec"),
                    );
                }
            }
            if !op_names.insert(op_name.clone()) {
                self.err(
                    &at,
                    format!(
                        "duplicate name: endpoint `{name}` becomes `{op_name}`, which is taken"
                    ),
                );
            }
            let path_params = self.path(&at, e, base_params);
            let (errors, error_groups) = self.endpoint_errors(&at, e, refs, versions);
            let headers = self.headers(&at, e, &auth_headers, s, &envelope_headers);
            let sealed = [HeaderRole::KeyVersion, HeaderRole::SealedSymmetricKey]
                .iter()
                .all(|role| headers.iter().any(|h| h.role == *role));
            self.check_key_service(&at, name, e, s, sealed, key_services.as_ref());
            let (request, encrypted_request) =
                self.request(&at, e, kinds, types, s.envelope.is_some());
            if !encrypted_request.is_empty() && !sealed {
                let choices = key_services.as_ref().map_or_else(String::new, |k| {
                    format!(" (one of {}, from `{}`)", k.allowed.join(", "), k.endpoint)
                });
                self.err(
                    format!("{at}.key_service"),
                    format!(
                        "an endpoint that sends encrypted data is sealed with the envelope: name the public-key service whose key seals it{choices}"
                    ),
                );
            }
            let (response, encrypted_response) = self.response(&at, e, kinds, types, sealed);
            let document = response.document_field.as_ref().and_then(|wire| {
                types
                    .iter()
                    .flat_map(|t| &t.fields)
                    .find_map(|f| match &f.ty {
                        TypeExpr::Object(name) if &f.wire == wire => Some(name.clone()),
                        _ => None,
                    })
            });
            if let Some(document) = document.filter(|d| !documents.insert(d.clone())) {
                self.err(
                    format!("{at}.response.document_field"),
                    format!("another endpoint already reads `{document}`: each document type belongs to one endpoint"),
                );
            }
            if response.token.is_some() || e.revokes_token.is_some() {
                self.check_token_request(&at, e, &request, types);
            }
            let limits = e
                .limits
                .as_ref()
                .map(|own| self.limits(&at, &merge(&s.limits, own)));
            let revokes_token = self.revokes_token(&at, e, &request, types);
            out.push(model::Endpoint {
                name: name.clone(),
                const_name: names::screaming_snake(name),
                op_name,
                summary: e.summary.clone(),
                method: match e.method {
                    spec::Method::Get => model::Method::Get,
                    spec::Method::Post => model::Method::Post,
                },
                path: e.path.clone(),
                path_params,
                headers,
                key_service: e.key_service.clone(),
                request,
                response,
                errors,
                error_groups,
                limits,
                notes: e.notes.clone(),
                encrypted_request,
                encrypted_response,
                revokes_token,
                // Read once the family's envelope is known (`client::call_kind`).
                call: model::CallKind::Request,
                report: e.report.as_ref().and_then(|r| {
                    self.report(
                        &format!("{at}.report"),
                        r,
                        e.response.body.as_deref(),
                        types,
                        s.cli.label_width,
                    )
                }),
            });
        }
        out
    }

    /// The path starts with `/`; its variables are its `path_params`, in
    /// order, and none is also a variable of the base path (the emulator
    /// routes both as one template).
    fn path(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        base_params: &[String],
    ) -> Vec<model::PathParam> {
        if !e.path.starts_with('/') {
            self.err(format!("{at}.path"), "a path starts with `/`");
        }
        // The client sets the rendered path as the URL's path, so these
        // would be sent as part of it (`%3F`), never as a query.
        if let Some(c) = e
            .path
            .chars()
            .find(|c| matches!(c, '?' | '#') || c.is_whitespace() || c.is_control())
        {
            self.err(
                format!("{at}.path"),
                format!("a path has no {c:?}: no query, fragment, space or control character"),
            );
        }
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
        for var in vars.iter().filter(|v| base_params.contains(v)) {
            self.err(
                format!("{at}.path"),
                format!("variable `{var}` is also a variable of `base_url.path`"),
            );
        }
        // A URL takes a `.` segment as nothing and `..` as a step up (even
        // percent-encoded), so such a value would call another path.
        for (name, p) in e.path_params.iter() {
            for value in p
                .allowed
                .iter()
                .filter(|v| matches!(v.as_str(), "" | "." | ".."))
            {
                self.err(
                    format!("{at}.path_params.{name}.allowed"),
                    format!("{value:?} cannot be a path segment: a URL drops `.` and takes `..` as a step up"),
                );
            }
        }
        e.path_params
            .iter()
            .map(|(n, p)| model::PathParam {
                name: n.clone(),
                value: match p.value {
                    spec::ParamValue::AppKey => model::ParamValue::AppKey,
                    spec::ParamValue::Argument => model::ParamValue::Argument,
                },
                description: p.description.clone(),
                allowed: p.allowed.clone(),
            })
            .collect()
    }

    /// At least one code with its groups' and the family's common ones,
    /// each from the family's table, none twice, and none a group it names,
    /// a version or the family adds to every endpoint anyway; and its
    /// groups, each the family's, none twice.
    fn endpoint_errors(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        refs: &CodeRefs,
        versions: &[model::Version],
    ) -> (Vec<Code>, Vec<String>) {
        let common = refs.common;
        if e.errors.is_empty() && e.error_groups.is_empty() && common.is_empty() {
            self.err(
                format!("{at}.errors"),
                "an endpoint must list the error codes it can answer with (here, in `error_groups` or in `common_errors`)",
            );
        }
        let mut groups: Vec<&model::ErrorGroup> = Vec::new();
        for name in &e.error_groups {
            match refs.groups.iter().find(|g| &g.name == name) {
                None => self.err(
                    format!("{at}.error_groups"),
                    format!("the family has no error group `{name}`"),
                ),
                Some(g) if groups.contains(&g) => self.err(
                    format!("{at}.error_groups"),
                    format!("duplicate error group `{name}`"),
                ),
                Some(g) => groups.push(g),
            }
        }
        let at = format!("{at}.errors");
        let out = self.code_list(&at, &e.errors, refs, versions);
        for code in &out {
            if let Some(g) = groups.iter().find(|g| g.codes.contains(code)) {
                self.err(
                    &at,
                    format!(
                        "`{code}` is in error group `{}`, which the endpoint names",
                        g.name
                    ),
                );
            }
        }
        (out, groups.iter().map(|g| g.name.clone()).collect())
    }

    /// The envelope's own headers (`envelope.headers`): one that carries
    /// the key version and one the sealed symmetric key, nothing else.
    ///
    /// None at all is the older format, where each sealed endpoint listed
    /// both: still read, so that `ocrwire-codegen diff` can compare specs
    /// written before (a test holds the committed specs to this one).
    fn envelope_headers(&mut self, s: &SpecFile, auth_headers: &[&str]) -> Vec<model::Header> {
        let Some(envelope) = &s.envelope else {
            return Vec::new();
        };
        let out = self.header_list("envelope", &envelope.headers, auth_headers);
        if out.is_empty() {
            return out;
        }
        if out.iter().any(|h| !h.role.is_envelope()) || out.len() != 2 || out[0].role == out[1].role
        {
            self.err(
                "envelope.headers",
                "the envelope's headers are exactly two: one `key-version` and one `sealed-symmetric-key` (a `request-key` header is an endpoint's)",
            );
        }
        out
    }

    /// An endpoint's headers: the envelope's first, if it is sealed (it
    /// names a `key_service`), then its own.
    fn headers(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        auth_headers: &[&str],
        s: &SpecFile,
        envelope_headers: &[model::Header],
    ) -> Vec<model::Header> {
        let own = self.header_list(at, &e.headers, auth_headers);
        for h in own.iter().filter(|h| h.role.is_envelope()) {
            let hat = format!("{at}.headers.{}", h.name);
            if s.envelope.is_none() {
                self.err(
                    &hat,
                    "envelope headers need the family's `envelope` section",
                );
            } else if !envelope_headers.is_empty() {
                self.err(
                    &hat,
                    "the envelope's headers are declared once, in `envelope.headers`; every endpoint with a `key_service` sends them",
                );
            }
        }
        // Another value under an envelope header's name (a restated one is
        // reported above).
        for h in own.iter().filter(|h| !h.role.is_envelope()) {
            if envelope_headers
                .iter()
                .any(|env| env.name.eq_ignore_ascii_case(&h.name))
            {
                self.err(
                    format!("{at}.headers.{}", h.name),
                    "this name is the envelope's header (`envelope.headers`)",
                );
            }
        }
        let mut out = Vec::new();
        if e.key_service.is_some() {
            out.extend(envelope_headers.iter().cloned());
        }
        // A restated envelope header (an error above) is not sent twice.
        out.extend(
            own.into_iter()
                .filter(|h| envelope_headers.is_empty() || !h.role.is_envelope()),
        );
        out
    }

    /// Headers as declared at `at` (an endpoint, or the envelope): names are
    /// HTTP tokens, not `Content-Type` and not an auth scheme's header.
    fn header_list(
        &mut self,
        at: &str,
        headers: &spec::UniqueMap<spec::Header>,
        auth_headers: &[&str],
    ) -> Vec<model::Header> {
        let mut out = Vec::new();
        for (hname, h) in headers.iter() {
            let hat = format!("{at}.headers.{hname}");
            if let Some(problem) = header_name_problem(hname) {
                self.err(&hat, problem);
            }
            if auth_headers.iter().any(|a| a.eq_ignore_ascii_case(hname)) {
                self.err(
                    &hat,
                    "this is an auth scheme's header: the version's scheme fills it, not the endpoint",
                );
            }
            let role = match h.value {
                spec::HeaderValue::KeyVersion => HeaderRole::KeyVersion,
                spec::HeaderValue::SealedSymmetricKey => HeaderRole::SealedSymmetricKey,
                spec::HeaderValue::RequestKey => HeaderRole::RequestKey,
            };
            out.push(model::Header {
                name: hname.clone(),
                role,
                required: h.required,
                description: h.description.clone(),
            });
        }
        out
    }

    /// The accepted encodings (none for a GET, at least one for a POST),
    /// and the wire paths of what they send encrypted.
    fn request(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        kinds: &Kinds,
        types: &[model::Object],
        uses_envelope: bool,
    ) -> (Vec<Encoding>, Vec<String>) {
        match (e.method, e.request.is_empty()) {
            (spec::Method::Get, false) => self.err(
                format!("{at}.request"),
                "a GET endpoint has no request body",
            ),
            (spec::Method::Post, true) => self.err(
                format!("{at}.request"),
                "a POST endpoint needs at least one request encoding",
            ),
            _ => {}
        }
        let mut request: Vec<Encoding> = Vec::new();
        let mut encrypted = Vec::new();
        for (i, enc) in e.request.iter().enumerate() {
            let eat = format!("{at}.request[{i}]");
            match (&enc.json, &enc.multipart, &enc.form) {
                (Some(ty), None, None) => {
                    self.body_type(&eat, ty, kinds, "a JSON body");
                    if request
                        .iter()
                        .any(|r| matches!(r, Encoding::Json(_) | Encoding::Form(_)))
                    {
                        self.err(&eat, "only one JSON or form encoding per endpoint");
                    }
                    encrypted.extend(encrypted_paths(types, ty));
                    request.push(Encoding::Json(ty.clone()));
                }
                (None, None, Some(ty)) => {
                    self.body_type(&eat, ty, kinds, "a form body");
                    self.check_form_fields(&eat, ty, types);
                    if request
                        .iter()
                        .any(|r| matches!(r, Encoding::Json(_) | Encoding::Form(_)))
                    {
                        self.err(&eat, "only one JSON or form encoding per endpoint");
                    }
                    request.push(Encoding::Form(ty.clone()));
                }
                (None, Some(parts), None) => {
                    if request.iter().any(|r| matches!(r, Encoding::Multipart(_))) {
                        self.err(&eat, "only one multipart encoding per endpoint");
                    }
                    let parts =
                        self.parts(&eat, parts, kinds, types, uses_envelope, &mut encrypted);
                    request.push(Encoding::Multipart(parts));
                }
                _ => self.err(&eat, "give exactly one of `multipart`, `json` or `form`"),
            }
        }
        (request, encrypted)
    }

    /// A token endpoint's request is built by the runtime with no input
    /// (besides the token to revoke): every other field it requires has a
    /// `fixed` value.
    fn check_token_request(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        request: &[Encoding],
        types: &[model::Object],
    ) {
        let body = match request {
            [Encoding::Form(t) | Encoding::Json(t)] => Some(t.as_str()),
            _ => None,
        };
        let Some(object) = body.and_then(|b| types.iter().find(|o| o.name == b)) else {
            self.err(
                format!("{at}.request"),
                "a token endpoint takes exactly one encoding, a form or JSON body",
            );
            return;
        };
        let inputs = e
            .path_params
            .values()
            .filter(|p| p.value == spec::ParamValue::Argument)
            .count()
            + e.headers
                .values()
                .filter(|h| h.value == spec::HeaderValue::RequestKey)
                .count();
        if inputs > 0 {
            self.err(
                format!("{at}.request"),
                "a token endpoint takes no path arguments or Request-Key: the runtime calls it on its own",
            );
        }
        for f in &object.fields {
            let named = e.revokes_token.as_deref() == Some(f.wire.as_str());
            if f.required && f.fixed.is_none() && !named {
                self.err(
                    format!("{at}.request"),
                    format!(
                        "field `{}` of `{}` is required but not `fixed`: the runtime has nothing to fill it with",
                        f.wire, object.name
                    ),
                );
            }
        }
    }

    fn body_type(&mut self, at: &str, ty: &str, kinds: &Kinds, what: &str) {
        if kinds.get(ty) != Some(&Kind::Object) {
            self.err(
                at,
                format!("undefined type `{ty}` ({what} must be an object type)"),
            );
        }
    }

    /// A form carries names and text values only.
    fn check_form_fields(&mut self, at: &str, ty: &str, types: &[model::Object]) {
        let Some(object) = types.iter().find(|t| t.name == ty) else {
            return;
        };
        for f in object
            .fields
            .iter()
            .filter(|f| f.ty != TypeExpr::String || f.encrypted)
        {
            self.err(
                format!("{at}.form"),
                format!(
                    "field `{}` of `{ty}` is not plain text: a form's values are strings",
                    f.wire
                ),
            );
        }
    }

    fn parts(
        &mut self,
        at: &str,
        parts: &spec::UniqueMap<spec::Part>,
        kinds: &Kinds,
        types: &[model::Object],
        uses_envelope: bool,
        encrypted: &mut Vec<String>,
    ) -> Vec<model::Part> {
        let mut out = Vec::new();
        for (pname, p) in parts.iter() {
            let pat = format!("{at}.multipart.{pname}");
            let kind = match (p.ty.as_str(), kinds.get(&p.ty)) {
                ("file", _) => model::PartKind::File,
                ("string", _) => model::PartKind::Text {
                    enum_type: None,
                    format: p.format.map(super::objects::format),
                },
                (_, Some(Kind::Enum)) => model::PartKind::Text {
                    enum_type: Some(p.ty.clone()),
                    format: None,
                },
                (_, Some(Kind::Object)) => {
                    if !encrypted_paths(types, &p.ty).is_empty() {
                        self.err(
                            format!("{pat}.type"),
                            format!(
                                "`{}` has encrypted fields, but a JSON part travels as it is: nothing seals it",
                                p.ty
                            ),
                        );
                    }
                    model::PartKind::Json(p.ty.clone())
                }
                _ => {
                    self.err(
                        format!("{pat}.type"),
                        format!(
                            "undefined type `{}` (a part is `file`, `string`, an enum or an object type)",
                            p.ty
                        ),
                    );
                    model::PartKind::File
                }
            };
            if let Some(form) = p.format {
                self.check_format(&format!("{pat}.format"), form);
                if p.ty != "string" {
                    self.err(
                        format!("{pat}.format"),
                        "only a `string` part takes a checked form (an enum's values are its form)",
                    );
                }
            }
            if p.encrypted {
                if !uses_envelope {
                    self.err(
                        format!("{pat}.encrypted"),
                        "this family has no `envelope`, so nothing can travel encrypted",
                    );
                }
                if kind != model::PartKind::File {
                    self.err(
                        format!("{pat}.encrypted"),
                        "only file parts are encrypted whole; mark the JSON type's fields instead",
                    );
                }
                encrypted.push(pname.clone());
            }
            out.push(model::Part {
                name: pname.clone(),
                kind,
                description: p.description.clone(),
                required: p.required,
                encrypted: p.encrypted,
            });
        }
        if out.is_empty() {
            self.err(at, "a multipart encoding needs at least one part");
        }
        out
    }

    /// The payload type, the member holding a CLOVA document, response
    /// headers, and what a token endpoint's answer carries.
    fn response(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        kinds: &Kinds,
        types: &[model::Object],
        sealed: bool,
    ) -> (model::Response, Vec<String>) {
        let r = &e.response;
        let mut encrypted = Vec::new();
        if let Some(body) = &r.body {
            if kinds.get(body) != Some(&Kind::Object) {
                self.err(
                    format!("{at}.response.body"),
                    format!("undefined type `{body}`"),
                );
            }
            encrypted = encrypted_paths(types, body);
            if !encrypted.is_empty() && !sealed {
                self.err(
                    format!("{at}.response"),
                    "the response carries encrypted fields, but the request sends no symmetric key to encrypt them with",
                );
            }
        }
        if let Some(field) = &r.document_field {
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
        let token = r.token.as_ref().and_then(|t| {
            self.token_issue(&format!("{at}.response.token"), t, r.body.as_deref(), types)
        });
        let headers = r
            .headers
            .iter()
            .map(|(n, h)| {
                if let Some(problem) = header_name_problem(n) {
                    self.err(format!("{at}.response.headers.{n}"), problem);
                }
                model::ResponseHeader {
                    name: n.clone(),
                    description: h.description.clone(),
                    when: h.when.clone(),
                    valid_for_secs: h.valid_for_secs,
                    single_use: h.single_use,
                }
            })
            .collect();
        let mut examples = Vec::new();
        for (variant, file) in r.examples.iter() {
            let at = format!("{at}.response.examples.{variant}");
            if !names::is_kebab(variant) {
                self.err(&at, format!("variant `{variant}` must be kebab-case"));
            }
            let plain = file.ends_with(".json")
                && !file.starts_with('/')
                && file.split('/').all(|part| !part.is_empty() && part != "..");
            if !plain {
                self.err(
                    &at,
                    format!("`{file}` must be a `.json` file under spec/examples/, written relative to it"),
                );
            }
            examples.push((variant.clone(), file.clone()));
        }
        let response = model::Response {
            body: r.body.clone(),
            document_field: r.document_field.clone(),
            headers,
            token,
            examples,
        };
        (response, encrypted)
    }

    /// The token and its lifetime are fields of the body; the lifetimes
    /// are a sane range holding the default.
    fn token_issue(
        &mut self,
        at: &str,
        t: &spec::TokenIssue,
        body: Option<&str>,
        types: &[model::Object],
    ) -> Option<model::TokenIssue> {
        let Some(object) = body.and_then(|b| types.iter().find(|o| o.name == b)) else {
            self.err(
                at,
                "a token endpoint's response needs a `body` holding the token",
            );
            return None;
        };
        let value = object.fields.iter().find(|f| f.wire == t.value);
        let expires = object.fields.iter().find(|f| f.wire == t.expires_in);
        match value {
            Some(f) if f.ty == TypeExpr::String && f.sensitive && f.required => {}
            Some(_) => self.err(
                format!("{at}.value"),
                format!(
                    "`{}` must be a required, sensitive string: it is a bearer credential",
                    t.value
                ),
            ),
            None => self.err(
                format!("{at}.value"),
                format!("`{}` is not a field of `{}`", t.value, object.name),
            ),
        }
        match expires {
            Some(f) if matches!(f.ty, TypeExpr::Int | TypeExpr::IntOrString) => {}
            Some(_) => self.err(
                format!("{at}.expires_in"),
                format!(
                    "`{}` must be an `int` or `int-or-string` of seconds",
                    t.expires_in
                ),
            ),
            None => self.err(
                format!("{at}.expires_in"),
                format!("`{}` is not a field of `{}`", t.expires_in, object.name),
            ),
        }
        let l = t.lifetime_secs;
        if l.min == 0 || l.min > l.max || !(l.min..=l.max).contains(&l.default) {
            self.err(
                format!("{at}.lifetime_secs"),
                format!(
                    "need 0 < min <= default <= max, got min {} default {} max {}",
                    l.min, l.default, l.max
                ),
            );
        }
        let (value, expires) = (value?, expires?);
        Some(model::TokenIssue {
            value: value.as_ref(),
            expires_in: expires.as_ref(),
            expires_in_type: expires.ty.clone(),
            default_secs: l.default,
            min_secs: l.min,
            max_secs: l.max,
        })
    }

    /// The request field that names the token to revoke: a plain text
    /// field of the endpoint's body.
    fn revokes_token(
        &mut self,
        at: &str,
        e: &spec::Endpoint,
        request: &[Encoding],
        types: &[model::Object],
    ) -> Option<model::FieldRef> {
        let wire = e.revokes_token.as_ref()?;
        let body = request.iter().find_map(|r| match r {
            Encoding::Form(t) | Encoding::Json(t) => Some(t.as_str()),
            Encoding::Multipart(_) => None,
        });
        let field = body
            .and_then(|b| types.iter().find(|o| o.name == b))
            .and_then(|o| o.fields.iter().find(|f| &f.wire == wire));
        match field {
            Some(f) if f.ty == TypeExpr::String && f.required => Some(f.as_ref()),
            _ => {
                self.err(
                    format!("{at}.revokes_token"),
                    format!("`{wire}` must be a required string field of the request body"),
                );
                None
            }
        }
    }

    /// Limits, each parsed; `at` is where they are written (`limits`, or
    /// `endpoints.x` for an endpoint's own, already merged).
    pub(super) fn limits(&mut self, at: &str, l: &spec::Limits) -> model::Limits {
        let at = if at == "limits" { "" } else { at };
        let mut url_ports = Vec::new();
        for (i, port) in l.url_ports.iter().flatten().enumerate() {
            match parse_port_range(port) {
                Some((low, high)) => url_ports.push(model::PortRange { low, high }),
                None => self.err(
                    limits_at(at, &format!("url_ports[{i}]")),
                    format!("`{port}` is not a port or `low-high` range"),
                ),
            }
        }
        let recommended_resolution = l.recommended_resolution.as_deref().and_then(|r| {
            let parsed = parse_resolution(r);
            if parsed.is_none() {
                self.err(
                    limits_at(at, "recommended_resolution"),
                    format!("`{r}` is not WIDTHxHEIGHT"),
                );
            }
            parsed
        });
        for (what, ratio) in [
            ("max_aspect_ratio", l.max_aspect_ratio),
            (
                "recommended_max_aspect_ratio",
                l.recommended_max_aspect_ratio,
            ),
        ] {
            if ratio.is_some_and(|r| !(r.is_finite() && r >= 1.0)) {
                self.err(
                    limits_at(at, what),
                    "an aspect ratio is long side over short side: 1 or more",
                );
            }
        }
        if let (Some(soft), Some(hard)) = (l.recommended_max_aspect_ratio, l.max_aspect_ratio)
            && soft > hard
        {
            self.err(
                limits_at(at, "recommended_max_aspect_ratio"),
                "the recommended ratio cannot exceed the maximum",
            );
        }
        model::Limits {
            max_file_bytes: l.max_file_bytes,
            formats: l.formats.clone().unwrap_or_default(),
            images_per_call: l.images_per_call,
            url_ports,
            url_download_timeout_secs: l.url_download_timeout_secs,
            recommended_resolution,
            max_aspect_ratio: l.max_aspect_ratio,
            recommended_max_aspect_ratio: l.recommended_max_aspect_ratio,
            notes: l.notes.clone(),
        }
    }

    /// In a family with an `ImageFormat` enum (CLOVA's, the image's
    /// `format` in a request), every format the limits accept is one of its
    /// values: the client sends the extension it picked from the limits as
    /// that enum, and never checks again.
    pub(super) fn check_image_formats(
        &mut self,
        enums: &[model::Enum],
        family: &model::Limits,
        endpoints: &[model::Endpoint],
    ) {
        let Some(enum_) = enums.iter().find(|e| e.name == "ImageFormat") else {
            return;
        };
        // The family's formats once; an endpoint's limits are the
        // family's merged with its own, so only a format the family's lack
        // is the endpoint's to answer for.
        let family_formats = family.formats.iter().map(|f| ("limits".to_string(), f));
        let own = endpoints.iter().flat_map(|e| {
            e.limits.iter().flat_map(move |l| {
                l.formats
                    .iter()
                    .filter(|f| !family.formats.contains(f))
                    .map(move |f| (format!("endpoints.{}.limits", e.name), f))
            })
        });
        for (at, format) in family_formats.chain(own) {
            if !enum_.values.iter().any(|v| &v.wire == format) {
                self.err(
                    format!("{at}.formats"),
                    format!(
                        "`{format}` is not a value of the ImageFormat enum, which a request sends it as"
                    ),
                );
            }
        }
    }

    /// The envelope: its key-version code is in the table, and the
    /// public-key endpoint exists (its other rules are in `key_services`).
    pub(super) fn envelope(
        &mut self,
        s: &SpecFile,
        types: &[model::Object],
        refs: &CodeRefs,
    ) -> Option<model::Envelope> {
        let e = s.envelope.as_ref()?;
        let key_version_error = refs.get(&e.key_version_error).unwrap_or_else(|| {
            self.err(
                "envelope.key_version_error",
                format!(
                    "error code `{}` is not in the family's `errors`",
                    e.key_version_error
                ),
            );
            Code::Text(e.key_version_error.clone())
        });
        if e.symmetric_key_bytes != 32 {
            self.err(
                "envelope.symmetric_key_bytes",
                "the runtime's AES-256 key is 32 bytes; another size needs another cipher",
            );
        }
        let answer = s
            .endpoints
            .get(&e.public_key_endpoint)
            .and_then(|k| k.response.body.as_deref());
        for (what, wire) in [
            ("key_field", &e.key_field),
            ("version_field", &e.version_field),
        ] {
            let field = answer
                .and_then(|t| types.iter().find(|o| o.name == t))
                .and_then(|o| o.fields.iter().find(|f| &f.wire == wire));
            if !field.is_some_and(|f| f.ty == TypeExpr::String && !f.secret()) {
                self.err(
                    format!("envelope.{what}"),
                    format!(
                        "`{wire}` must be a plain string field of the public-key endpoint's answer"
                    ),
                );
            }
        }
        Some(model::Envelope {
            symmetric_key_bytes: e.symmetric_key_bytes,
            public_key_endpoint: e.public_key_endpoint.clone(),
            key_field: e.key_field.clone(),
            version_field: e.version_field.clone(),
            key_version_error,
            facts: vec![
                ("Key wrap", e.key_wrap.clone()),
                ("Cipher", e.cipher.clone()),
                ("IV", e.iv.clone()),
                ("Public key", e.public_key_encoding.clone()),
                ("Encrypted fields", e.field_encoding.clone()),
                ("Encrypted files", e.file_encoding.clone()),
                ("Symmetric-Key header", e.symmetric_key_encoding.clone()),
            ],
        })
    }
}

impl HeaderRole {
    fn is_envelope(self) -> bool {
        matches!(
            self,
            HeaderRole::KeyVersion | HeaderRole::SealedSymmetricKey
        )
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

    /// `key_service` seals an endpoint with the envelope (it then sends the
    /// envelope's two headers, which is how the runtime knows), and names a
    /// service the public-key endpoint issues keys for.
    fn check_key_service(
        &mut self,
        at: &str,
        name: &str,
        e: &spec::Endpoint,
        s: &SpecFile,
        sealed: bool,
        services: Option<&KeyServices<'_>>,
    ) {
        let is_key_endpoint = s
            .envelope
            .as_ref()
            .is_some_and(|env| env.public_key_endpoint == name);
        let kat = format!("{at}.key_service");
        if sealed && is_key_endpoint {
            self.err(
                &kat,
                "the public-key endpoint cannot itself be sealed: its keys are what seal the others",
            );
        }
        match (&e.key_service, sealed) {
            // Only in the older format: the endpoint lists the headers.
            (None, true) => self.err(
                &kat,
                "an endpoint sealed with the envelope must name the public-key service whose key seals it",
            ),
            (Some(service), false) => self.err(
                &kat,
                format!(
                    "`{service}`: a key service seals an endpoint with the family's envelope, and this family has none (or its envelope declares no `headers`)"
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

/// The spec path of a limit: `limits.x` or `endpoints.e.limits.x`.
fn limits_at(at: &str, what: &str) -> String {
    if at.is_empty() {
        format!("limits.{what}")
    } else {
        format!("{at}.limits.{what}")
    }
}

/// The family's limits with an endpoint's overrides.
fn merge(family: &spec::Limits, own: &spec::Limits) -> spec::Limits {
    let (mut l, o) = (family.clone(), own.clone());
    l.max_file_bytes = o.max_file_bytes.or(l.max_file_bytes);
    l.formats = o.formats.or(l.formats);
    l.images_per_call = o.images_per_call.or(l.images_per_call);
    l.url_ports = o.url_ports.or(l.url_ports);
    l.url_download_timeout_secs = o.url_download_timeout_secs.or(l.url_download_timeout_secs);
    l.recommended_resolution = o.recommended_resolution.or(l.recommended_resolution);
    l.max_aspect_ratio = o.max_aspect_ratio.or(l.max_aspect_ratio);
    l.recommended_max_aspect_ratio = o
        .recommended_max_aspect_ratio
        .or(l.recommended_max_aspect_ratio);
    l.notes.extend(o.notes);
    l
}

/// `{name}` variables of a path template, in order.
fn path_variables(path: &str) -> Vec<String> {
    model::path_pieces(path)
        .into_iter()
        .filter_map(|piece| match piece {
            model::PathPiece::Variable(name) => Some(name.to_string()),
            model::PathPiece::Text(_) => None,
        })
        .collect()
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

/// `760x480` as a resolution.
fn parse_resolution(s: &str) -> Option<model::Resolution> {
    let (w, h) = s.split_once(['x', 'X'])?;
    let (width, height) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    (width > 0 && height > 0).then_some(model::Resolution { width, height })
}

/// Wire paths of every encrypted field reachable from `type_name`
/// (`cardNums[].value`), in field order.
fn encrypted_paths(types: &[model::Object], type_name: &str) -> Vec<String> {
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
                let Some(obj) = types.iter().find(|t| &t.name == name) else {
                    return;
                };
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
        String::new(),
        &mut out,
        0,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_variables_in_order() {
        assert_eq!(
            path_variables("/v2.0/appkeys/{appKey}/public-keys/{serviceName}"),
            ["appKey", "serviceName"]
        );
        assert!(path_variables("/oauth2/token/create").is_empty());
        // The pieces the emitter writes a path from: text between them kept,
        // an unclosed `{` left as text.
        use model::PathPiece::{Text, Variable};
        assert_eq!(
            model::path_pieces("/appkeys/{appKey}/public-keys/{serviceName}"),
            [
                Text("/appkeys/"),
                Variable("appKey"),
                Text("/public-keys/"),
                Variable("serviceName")
            ]
        );
        assert_eq!(
            model::path_pieces("/a/{x}/b{c"),
            [Text("/a/"), Variable("x"), Text("/b{c")]
        );
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port_range("443"), Some((443, 443)));
        assert_eq!(parse_port_range("10000-12000"), Some((10000, 12000)));
        assert_eq!(parse_port_range("12000-10000"), None);
        assert_eq!(parse_port_range("70000"), None);
    }

    #[test]
    fn resolutions() {
        assert_eq!(
            parse_resolution("760x480"),
            Some(model::Resolution {
                width: 760,
                height: 480
            })
        );
        assert_eq!(parse_resolution("760 x 480").map(|r| r.width), Some(760));
        assert_eq!(parse_resolution("0x480"), None);
        assert_eq!(parse_resolution("HD"), None);
    }
}
