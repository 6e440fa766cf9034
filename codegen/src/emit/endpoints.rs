//! One descriptor and one operation type per endpoint, plus the glue of
//! token endpoints.
//!
//! A descriptor is plain `const` data; the operation is a unit struct
//! implementing the runtime's `Operation` trait. The request pipeline
//! itself (auth, envelope, multipart, error mapping) is written once in the
//! runtime and driven by this data, so an endpoint costs a few lines here
//! rather than a copy of the pipeline. What the spec says in words about
//! the endpoint (its headers, parts, notes) is in the operation's doc
//! comment.

use super::{doc, ident, opt_num, opt_str};
use crate::model::{Encoding, Endpoint, Family, Format, ParamValue, PartKind, TypeExpr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn endpoint(f: &Family, e: &Endpoint) -> TokenStream {
    let const_name = ident(&e.const_name);
    let op = format_ident!("{}", e.op_name);
    let (family, name, summary, path) = (&f.name, &e.name, &e.summary, &e.path);
    let method = e.method;
    let path_params = e.path_params.iter().map(|p| {
        let (n, allowed) = (&p.name, &p.allowed);
        match p.value {
            ParamValue::AppKey => quote! { d::PathParam::app_key(#n) },
            ParamValue::Argument => quote! { d::PathParam::argument(#n, &[#(#allowed),*]) },
        }
    });
    let headers = e.headers.iter().map(|h| {
        let (n, role) = (header_name(&h.name), h.role);
        let optional = (!h.required).then(|| quote! { .optional() });
        quote! { d::Header::new(#n, #role) #optional }
    });
    let request = e.request.iter().map(|enc| match enc {
        Encoding::Json(ty) => quote! { d::Encoding::Json { body_type: #ty } },
        Encoding::Form(ty) => quote! { d::Encoding::Form { body_type: #ty } },
        Encoding::Multipart(parts) => {
            let parts = parts.iter().map(|p| {
                let n = &p.name;
                let part = match &p.kind {
                    PartKind::Json(t) => quote! { d::Part::json(#n, #t) },
                    PartKind::File => quote! { d::Part::file(#n) },
                    PartKind::Text { enum_type, .. } => {
                        let values = enum_type
                            .as_ref()
                            .and_then(|t| f.enums.iter().find(|e| &e.name == t))
                            .map(|e| e.values.iter().map(|v| v.wire.clone()).collect())
                            .unwrap_or_else(Vec::<String>::new);
                        quote! { d::Part::text(#n, &[#(#values),*]) }
                    }
                };
                let optional = (!p.required).then(|| quote! { .optional() });
                let encrypted = p.encrypted.then(|| quote! { .encrypted() });
                quote! { #part #optional #encrypted }
            });
            quote! { d::Encoding::Multipart(&[#(#parts),*]) }
        }
    });
    let key_service = opt_str(e.key_service.as_deref());
    let body = opt_str(e.response.body.as_deref());
    let doc_field = opt_str(e.response.document_field.as_deref());
    let resp_headers = e.response.headers.iter().map(|h| {
        let n = header_name(&h.name);
        let valid = h.valid_for_secs.map(|s| {
            let s = super::num(s);
            quote! { .valid_for_secs(#s) }
        });
        let single = h.single_use.then(|| quote! { .single_use() });
        quote! { d::ResponseHeader::new(#n) #valid #single }
    });
    let token = match &e.response.token {
        Some(t) => {
            let (default, min, max) = (
                super::num(t.default_secs),
                super::num(t.min_secs),
                super::num(t.max_secs),
            );
            quote! { Some(d::Lifetime { default_secs: #default, min_secs: #min, max_secs: #max }) }
        }
        None => quote! { None },
    };
    let errors: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
    let limits = match &e.limits {
        Some(own) => limits(own),
        None => quote! { LIMITS },
    };
    let checks = checked_inputs(f, e)
        .into_iter()
        .map(|(wire, required, form)| {
            if required {
                quote! { f::Rule::required(#wire, Some(#form)) }
            } else {
                quote! { f::Rule::optional(#wire, Some(#form)) }
            }
        });
    let enc_req = &e.encrypted_request;
    let enc_resp = &e.encrypted_response;
    let report = match &e.report {
        Some(r) => {
            let report = report(r);
            quote! { Some(&#report) }
        }
        None => quote! { None },
    };
    let response_ty = match &e.response.body {
        Some(body) => {
            let t = ident(body);
            quote! { #t }
        }
        None => quote! { () },
    };
    let body_ty = match e.json_body().or(e.form_body()) {
        Some(t) => {
            let t = ident(t);
            quote! { #t }
        }
        None => quote! { () },
    };
    let request_ty = ident(&super::requests::request_name(e));
    let document = document(f, e, &op);
    let op_docs = doc(&operation_docs(f, e));
    let const_docs = doc(&format!("Descriptor of [`{}`].", e.op_name));
    let token_glue = token_glue(f, e, &op);
    // What the envelope seals and opens, handed to it where the spec marks
    // encrypted fields (only a family with an envelope can); elsewhere the
    // trait's defaults (nothing to seal or open) hold.
    let encrypted_body = (!e.encrypted_request.is_empty()).then(|| {
        quote! {
            fn encrypted_body(body: &mut Self::Body) -> Option<&mut dyn ::ocrwire::envelope::EncryptedFields> {
                Some(body)
            }
        }
    });
    let encrypted_response = (!e.encrypted_response.is_empty()).then(|| {
        quote! {
            fn encrypted_response(response: &mut Self::Response) -> Option<&mut dyn ::ocrwire::envelope::EncryptedFields> {
                Some(response)
            }
        }
    });
    let checked_field = checked_field(f, e);
    let error_groups = f.groups_of(e).map(|g| {
        let name = ident(&g.const_name);
        quote! { &#name }
    });
    quote! {
        #const_docs
        pub const #const_name: d::Endpoint = d::Endpoint {
            family: #family,
            name: #name,
            summary: #summary,
            method: #method,
            path: #path,
            path_params: &[#(#path_params),*],
            headers: &[#(#headers),*],
            key_service: #key_service,
            request: &[#(#request),*],
            response: d::Response {
                body_type: #body,
                document_field: #doc_field,
                headers: &[#(#resp_headers),*],
                token: #token,
            },
            errors: &[#(#errors),*],
            common_errors: COMMON_ERRORS,
            error_groups: &[#(#error_groups),*],
            limits: #limits,
            checks: &[#(#checks),*],
            encrypted_request: &[#(#enc_req),*],
            encrypted_response: &[#(#enc_resp),*],
            report: #report,
        };

        #op_docs
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #op;

        impl d::Operation for #op {
            const ENDPOINT: &'static d::Endpoint = &#const_name;
            type Api = Api;
            type Body = #body_ty;
            type Response = #response_ty;
            type Request = #request_ty;
            #encrypted_body
            #encrypted_response
            #checked_field
        }

        #document

        #token_glue
    }
}

pub(super) fn limits(l: &crate::model::Limits) -> TokenStream {
    let max = opt_num(l.max_file_bytes);
    let formats = &l.formats;
    let images = opt_num(l.images_per_call);
    let ports = &l.url_ports;
    let timeout = opt_num(l.url_download_timeout_secs);
    let resolution = match &l.recommended_resolution {
        Some(r) => quote! { Some(#r) },
        None => quote! { None },
    };
    let ratio = |r: Option<f64>| match r {
        Some(r) => {
            let r = proc_macro2::Literal::f64_unsuffixed(r);
            quote! { Some(#r) }
        }
        None => quote! { None },
    };
    let (max_ratio, soft_ratio) = (
        ratio(l.max_aspect_ratio),
        ratio(l.recommended_max_aspect_ratio),
    );
    quote! {
        d::Limits {
            max_file_bytes: #max,
            formats: &[#(#formats),*],
            images_per_call: #images,
            url_ports: &[#(#ports),*],
            url_download_timeout_secs: #timeout,
            recommended_resolution: #resolution,
            max_aspect_ratio: #max_ratio,
            recommended_max_aspect_ratio: #soft_ratio,
        }
    }
}

/// The operation's doc comment: the spec's words about the endpoint.
fn operation_docs(f: &Family, e: &Endpoint) -> String {
    let mut text = format!("{}\n", e.summary);
    for v in &f.versions {
        let scheme = &f.auth[v.auth];
        let name = v
            .name
            .as_deref()
            .map_or(String::new(), |n| format!(" ({n})"));
        text.push_str(&format!(
            "\n- `{} {}{}`{name}, `{}` per [`{}`]",
            e.method.as_str(),
            v.path_prefix,
            e.path,
            scheme.header,
            scheme.const_name
        ));
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            text.push_str(&format!("\n\n{title}:\n"));
            for line in lines {
                text.push_str(&format!("\n- {line}"));
            }
        }
    };
    section(
        "Path variables",
        e.path_params
            .iter()
            .map(|p| {
                let allowed = if p.allowed.is_empty() {
                    String::new()
                } else {
                    format!(" (one of {})", p.allowed.join(", "))
                };
                format!("`{}`: {}{allowed}", p.name, p.description)
            })
            .collect(),
    );
    section(
        "Headers",
        e.headers
            .iter()
            .map(|h| {
                let optional = if h.required { "" } else { " (optional)" };
                format!("`{}`{optional}: {}", h.name, h.description)
            })
            .collect(),
    );
    let mut bodies = Vec::new();
    for enc in &e.request {
        match enc {
            Encoding::Json(t) => bodies.push(format!("JSON: [`{t}`]")),
            Encoding::Form(t) => bodies.push(format!("form: [`{t}`]")),
            Encoding::Multipart(parts) => {
                for p in parts {
                    let what = match &p.kind {
                        PartKind::Json(t) => format!("[`{t}`] as JSON"),
                        PartKind::File => "file".to_string(),
                        PartKind::Text {
                            enum_type: Some(t), ..
                        } => format!("text, a [`{t}`]"),
                        PartKind::Text { .. } => "text".to_string(),
                    };
                    let sealed = if p.encrypted { ", encrypted" } else { "" };
                    bodies.push(format!(
                        "multipart `{}` ({what}{sealed}): {}",
                        p.name, p.description
                    ));
                }
            }
        }
    }
    section("Request", bodies);
    section(
        "Response headers",
        e.response
            .headers
            .iter()
            .map(|h| {
                let when = h.when.as_deref().map_or(String::new(), |w| format!(" {w}"));
                format!("`{}`: {}{when}", h.name, h.description)
            })
            .collect(),
    );
    if e.limits.is_some() {
        section("Limits", f.limits_of(e).notes.clone());
    }
    section("Notes", e.notes.clone());
    text
}

/// `impl d::Document` for the document type an endpoint reads into its
/// answer's `document_field`.
fn document(f: &Family, e: &Endpoint, op: &proc_macro2::Ident) -> Option<TokenStream> {
    let wire = e.response.document_field.as_deref()?;
    let (container, field) = f
        .types
        .iter()
        .find_map(|t| t.fields.iter().find(|x| x.wire == wire).map(|x| (t, x)))?;
    let TypeExpr::Object(document) = &field.ty else {
        return None;
    };
    let (container, document, member) =
        (ident(&container.name), ident(document), ident(&field.rust));
    Some(quote! {
        impl d::Document for #document {
            type Operation = #op;
            type Container = #container;
            fn take_from(container: &mut #container) -> Option<Self> {
                container.#member.take()
            }
            fn put_into(self, container: &mut #container) {
                container.#member = Some(self);
            }
        }
    })
}

/// `IssuesToken` / `RevokesToken` for token endpoints.
fn token_glue(f: &Family, e: &Endpoint, op: &proc_macro2::Ident) -> Option<TokenStream> {
    let request_ty = ident(&super::requests::request_name(e));
    if let Some(t) = &e.response.token {
        let body = e.form_body().or(e.json_body())?;
        let body_ty = ident(body);
        let object = f.object(body)?;
        // Every field at its fixed value (validation makes sure there is
        // nothing else a token request could need).
        let fields = object.fields.iter().filter_map(|field| {
            let name = ident(&field.rust);
            let value = field.fixed.as_ref()?;
            Some(if field.required {
                quote! { #name: #value.to_owned(), }
            } else {
                quote! { #name: Some(#value.to_owned()), }
            })
        });
        let others = object
            .fields
            .iter()
            .filter(|field| field.fixed.is_none())
            .map(|field| {
                let name = ident(&field.rust);
                quote! { #name: None, }
            });
        let value = ident(&t.value.rust);
        let expires = ident(&t.expires_in.rust);
        let read = match (&t.expires_in_type, t.expires_in.optional) {
            (TypeExpr::IntOrString, true) => quote! { answer.#expires.as_ref()?.as_i64() },
            (TypeExpr::IntOrString, false) => quote! { answer.#expires.as_i64() },
            (_, true) => quote! { answer.#expires },
            (_, false) => quote! { Some(answer.#expires) },
        };
        let (default, min, max) = (
            super::num(t.default_secs),
            super::num(t.min_secs),
            super::num(t.max_secs),
        );
        return Some(quote! {
            impl d::IssuesToken for #op {
                const LIFETIME: d::Lifetime = d::Lifetime { default_secs: #default, min_secs: #min, max_secs: #max };
                fn request() -> #request_ty {
                    #request_ty {
                        body: #body_ty {
                            #(#fields)*
                            #(#others)*
                        },
                    }
                }
                fn token(answer: &Self::Response) -> &Sensitive {
                    &answer.#value
                }
                fn expires_in(answer: &Self::Response) -> Option<i64> {
                    #read
                }
            }
        });
    }
    let token = e.revokes_token.as_ref()?;
    let body = e.form_body().or(e.json_body())?;
    let body_ty = ident(body);
    let object = f.object(body)?;
    let field = ident(&token.rust);
    let others = object
        .fields
        .iter()
        .filter(|x| x.rust != token.rust)
        .map(|x| {
            let name = ident(&x.rust);
            match (&x.fixed, x.required) {
                (Some(v), true) => quote! { #name: #v.to_owned(), },
                (Some(v), false) => quote! { #name: Some(#v.to_owned()), },
                (None, _) => quote! { #name: None, },
            }
        });
    let secret = object
        .fields
        .iter()
        .find(|x| x.rust == token.rust)
        .is_some_and(|x| x.secret());
    // The argument is called `token`; a field of that name takes it as is.
    let value = match (secret, token.rust == "token") {
        (true, true) => quote! { token },
        (true, false) => quote! { #field: token },
        (false, _) => quote! { #field: token.expose().to_owned() },
    };
    Some(quote! {
        impl d::RevokesToken for #op {
            fn request(token: Sensitive) -> #request_ty {
                #request_ty {
                    body: #body_ty {
                        #value,
                        #(#others)*
                    },
                }
            }
        }
    })
}

/// An endpoint's report, as `d::Report` data built with its const
/// constructors (one line per report line).
fn report(r: &crate::model::Report) -> TokenStream {
    let n = proc_macro2::Literal::usize_unsuffixed;
    let title = &r.title;
    let lines = r.lines.iter().map(|l| {
        let (label, value) = (&l.label, &l.value);
        let each = l.each.as_ref().map(|p| quote! { .each(#p) });
        let mask = l.mask.map(|(start, end)| {
            let (start, end) = (n(start), n(end));
            quote! { .mask(#start, #end) }
        });
        let masks = (!l.masks.is_empty()).then(|| {
            let masks = l.masks.iter().map(|(key, (start, end))| {
                let (start, end) = (n(*start), n(*end));
                quote! { (#key, (#start, #end)) }
            });
            quote! { .masks(&[#(#masks),*]) }
        });
        let optional = l.optional.then(|| quote! { .optional() });
        let note = l.note.as_ref().map(|t| quote! { .note(#t) });
        let empty = l.empty.as_ref().map(|t| quote! { .empty(#t) });
        quote! { d::ReportLine::new(#label, #value) #each #mask #masks #optional #note #empty }
    });
    let root = r.root.as_ref().map(|p| quote! { .root(#p) });
    let kinds = (!r.kinds.is_empty()).then(|| {
        let kinds = r
            .kinds
            .iter()
            .map(|(path, words)| quote! { (#path, #words) });
        quote! { .kinds(&[#(#kinds),*]) }
    });
    let width = (r.width != 12).then(|| {
        let width = n(r.width);
        quote! { .width(#width) }
    });
    let hook = r.hook.as_ref().map(|h| quote! { .hook(#h) });
    quote! {
        d::Report::new(#title, &[#(#lines),*]) #root #kinds #width #hook
    }
}

/// The inputs of `e` whose form the spec checks: the top-level fields of
/// its JSON or form body and its text parts that have a checked `format`,
/// as (wire name, required, form), in spec order.
pub(super) fn checked_inputs(f: &Family, e: &Endpoint) -> Vec<(String, bool, Format)> {
    let mut out = Vec::new();
    for encoding in &e.request {
        match encoding {
            Encoding::Json(t) | Encoding::Form(t) => {
                let fields = f.types.iter().find(|o| &o.name == t).map(|o| &o.fields);
                for field in fields.into_iter().flatten() {
                    if let Some(form) = field.checked {
                        out.push((field.wire.clone(), field.required, form));
                    }
                }
            }
            Encoding::Multipart(parts) => {
                for p in parts {
                    if let PartKind::Text {
                        format: Some(form), ..
                    } = p.kind
                    {
                        out.push((p.name.clone(), p.required, form));
                    }
                }
            }
        }
    }
    out
}

/// `checked_field`, for a JSON or form body with checked fields: each one
/// read from the typed body by its wire name, so the client checks the
/// body's form (`Endpoint::checks`) without turning it into JSON first.
/// Every checked field is a string (the validator requires it).
fn checked_field(f: &Family, e: &Endpoint) -> Option<TokenStream> {
    let body = e.json_body().or(e.form_body())?;
    let object = f.types.iter().find(|o| o.name == body)?;
    let arms: Vec<TokenStream> = object
        .fields
        .iter()
        .filter(|field| field.checked.is_some())
        .map(|field| {
            let (wire, rust) = (&field.wire, ident(&field.rust));
            let value = match (field.required, field.secret()) {
                (true, false) => quote! { Some(body.#rust.as_str()) },
                (false, false) => quote! { body.#rust.as_deref() },
                (true, true) => quote! { Some(body.#rust.expose()) },
                (false, true) => quote! { body.#rust.as_ref().map(Sensitive::expose) },
            };
            quote! { #wire => #value, }
        })
        .collect();
    (!arms.is_empty()).then(|| {
        quote! {
            fn checked_field<'b>(body: &'b Self::Body, name: &str) -> Option<&'b str> {
                match name {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    })
}

/// A header's name as a descriptor constant: the spec's spelling and its
/// lowercase, which `d::HeaderName::new` checks when the crate compiles.
pub(super) fn header_name(spelled: &str) -> TokenStream {
    let lowercase = spelled.to_ascii_lowercase();
    quote! { d::HeaderName::new(#spelled, #lowercase) }
}
