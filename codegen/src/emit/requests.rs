//! One typed request per endpoint: exactly what a call sends, in plaintext.
//!
//! Its fields are the endpoint's per-call inputs as the spec lists them:
//! each `argument` path variable (typed `KeyService` on the public-key
//! endpoint), a Request-Key header, and the body of each accepted
//! encoding (a JSON or form body type, or one field per multipart part).
//! An endpoint with several encodings gets an enum, one variant per
//! encoding. The runtime adds the rest (the auth header, the app key, the
//! envelope), so a call that does not fit its endpoint does not compile.

use super::{doc, ident};
use crate::model::{
    Encoding, Endpoint, Family, HeaderRole, ParamValue, Part, PartKind, PathPiece, path_pieces,
};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The request type's name for `e` (`CreditCardRequest`).
pub fn request_name(e: &Endpoint) -> String {
    format!("{}Request", e.op_name)
}

/// The body enum's name, for an endpoint with arguments and several
/// encodings (`GeneralBody`).
pub fn body_name(e: &Endpoint) -> String {
    format!("{}Body", e.op_name)
}

/// A per-call field of the request besides its body.
struct Input {
    rust: String,
    ty: TokenStream,
    docs: String,
    /// How to read it for the runtime.
    kind: InputKind,
}

enum InputKind {
    /// A path variable, by its name in the path.
    PathArg {
        name: String,
    },
    RequestKey {
        required: bool,
    },
}

pub(super) fn request(f: &Family, e: &Endpoint) -> TokenStream {
    let name = ident(&request_name(e));
    let op = format_ident!("{}", e.op_name);
    let inputs = inputs(f, e);
    let body_ty = match e.json_body().or(e.form_body()) {
        Some(t) => {
            let t = ident(t);
            quote! { #t }
        }
        None => quote! { () },
    };
    let write_path = write_path(e, &inputs);
    let request_key = inputs.iter().find_map(|i| match i.kind {
        InputKind::RequestKey { required } => {
            let field = ident(&i.rust);
            Some(if required {
                quote! { fn request_key(&self) -> Option<&Sensitive> { Some(&self.#field) } }
            } else {
                quote! { fn request_key(&self) -> Option<&Sensitive> { self.#field.as_ref() } }
            })
        }
        InputKind::PathArg { .. } => None,
    });
    // What the runtime adds, as this endpoint has it.
    let mut added = vec!["the auth header"];
    if e.path_params.iter().any(|p| p.value == ParamValue::AppKey) {
        added.push("the app key");
    }
    if e.key_service.is_some() {
        added.push("the envelope");
    }
    let added = match added.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => added.join(""),
    };
    let sealed = if e.key_service.is_some() {
        ", in plaintext"
    } else {
        ""
    };
    let summary = format!(
        "What one `{}` call sends{sealed} (see [`{}`]): the runtime adds {added}.",
        e.name, e.op_name
    );
    let field_defs: Vec<TokenStream> = inputs
        .iter()
        .map(|i| {
            let (rust, ty, docs) = (ident(&i.rust), &i.ty, doc(&i.docs));
            quote! { #docs pub #rust: #ty, }
        })
        .collect();
    // The type itself, and how its body reads.
    let (definition, body_fn) = match (e.request.as_slice(), inputs.is_empty()) {
        ([], _) => (
            struct_def(&name, &summary, &field_defs, None),
            quote! { d::RequestBody::None },
        ),
        ([only], _) => {
            let (fields, body) = single(only, quote! { self. });
            let all: Vec<TokenStream> = field_defs.iter().cloned().chain(fields).collect();
            (struct_def(&name, &summary, &all, None), body)
        }
        (several, true) => {
            let (variants, arms) = variants(several, &name);
            let docs = doc(&summary);
            (
                quote! {
                    #docs
                    #[derive(Clone, Debug)]
                    pub enum #name {
                        #(#variants)*
                    }
                },
                quote! { match self { #(#arms)* } },
            )
        }
        (several, false) => {
            let body_enum = ident(&body_name(e));
            let (variants, arms) = variants(several, &body_enum);
            let enum_docs = doc(&format!(
                "The body of a [`{}`], in one of the encodings `{}` accepts.",
                request_name(e),
                e.name
            ));
            let body_field = quote! {
                /// The body, in the chosen encoding.
                pub body: #body_enum,
            };
            let all: Vec<TokenStream> = field_defs
                .iter()
                .cloned()
                .chain(std::iter::once(body_field))
                .collect();
            let enum_def = quote! {
                #enum_docs
                #[derive(Clone, Debug)]
                pub enum #body_enum {
                    #(#variants)*
                }
            };
            (
                struct_def(&name, &summary, &all, Some(enum_def)),
                quote! { match &self.body { #(#arms)* } },
            )
        }
    };
    let constructors = if inputs.is_empty() {
        let from_inputs = from_inputs(f, e, &name);
        let constructors = constructors(e, &name);
        quote! { #constructors #from_inputs }
    } else {
        quote! {}
    };
    let keyed = keyed(e, &name, &inputs, &body_ty);
    quote! {
        #definition
        #constructors
        #keyed

        impl d::Request for #name {
            type Operation = #op;
            #write_path
            #request_key
            fn body(&self) -> d::RequestBody<'_, #body_ty> {
                #body_fn
            }
        }
    }
}

/// `write_path`: the endpoint's path written out, its literal text as the
/// spec gives it and each variable a segment of its own (the app key, or the
/// request's typed argument). Nothing is looked up by name at run time, so
/// no variable can go unfilled.
fn write_path(e: &Endpoint, inputs: &[Input]) -> TokenStream {
    let mut uses_app_key = false;
    let steps: Vec<TokenStream> = path_pieces(&e.path)
        .into_iter()
        .filter_map(|piece| match piece {
            PathPiece::Text(text) => Some(quote! { out.push_str(#text); }),
            PathPiece::Variable(name) => {
                let param = e.path_params.iter().find(|p| p.name == name)?;
                if param.value == ParamValue::AppKey {
                    uses_app_key = true;
                    return Some(quote! { d::push_segment(out, app_key); });
                }
                // Validation gives every `argument` variable its input.
                let field = inputs.iter().find_map(|i| match &i.kind {
                    InputKind::PathArg { name: n } if n == name => Some(ident(&i.rust)),
                    _ => None,
                })?;
                Some(quote! { d::push_segment(out, self.#field.as_str()); })
            }
        })
        .collect();
    let app_key = if uses_app_key {
        quote! { app_key }
    } else {
        quote! { _app_key }
    };
    quote! {
        fn write_path(&self, #app_key: &str, out: &mut String) {
            #(#steps)*
        }
    }
}

/// `KeyedRequest`, for a request the client method builds from a spent
/// Request-Key and a JSON body.
fn keyed(
    e: &Endpoint,
    name: &proc_macro2::Ident,
    inputs: &[Input],
    body_ty: &TokenStream,
) -> Option<TokenStream> {
    if !matches!(e.call, crate::model::CallKind::SpendsRequestKey { .. }) {
        return None;
    }
    let (field, init) = inputs.iter().find_map(|i| match i.kind {
        InputKind::RequestKey { required } => {
            let field = ident(&i.rust);
            let init = if required {
                quote! { #field }
            } else {
                quote! { #field: Some(#field) }
            };
            Some((field, init))
        }
        InputKind::PathArg { .. } => None,
    })?;
    Some(quote! {
        impl d::KeyedRequest for #name {
            type Body = #body_ty;
            fn with_request_key(#field: Sensitive, body: #body_ty) -> Self {
                #name { #init, body }
            }
        }
    })
}

fn struct_def(
    name: &proc_macro2::Ident,
    summary: &str,
    fields: &[TokenStream],
    extra: Option<TokenStream>,
) -> TokenStream {
    let docs = doc(summary);
    let body = if fields.is_empty() {
        quote! { ; }
    } else {
        quote! { { #(#fields)* } }
    };
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #name #body
        #extra
    }
}

/// Whether `e`'s request is built from named text inputs and at most one
/// image ([`from_inputs`]): one encoding, of file and text parts (one file
/// at most), or a body whose members are all text.
pub(super) fn takes_inputs(f: &Family, e: &Endpoint) -> bool {
    let has_other_inputs = e
        .path_params
        .iter()
        .any(|p| p.value == ParamValue::Argument)
        || e.headers.iter().any(|h| h.role == HeaderRole::RequestKey);
    if has_other_inputs {
        return false;
    }
    match e.request.as_slice() {
        [Encoding::Multipart(parts)] => {
            parts.iter().filter(|p| p.is_file()).count() <= 1
                && parts.iter().all(|p| p.json_type().is_none())
        }
        [Encoding::Json(t) | Encoding::Form(t)] => {
            f.types.iter().find(|o| &o.name == t).is_some_and(|o| {
                o.discriminated.is_none()
                    && o.fields.iter().all(|field| {
                        !field.encrypted
                            && matches!(
                                field.ty,
                                crate::model::TypeExpr::String | crate::model::TypeExpr::Enum(_)
                            )
                    })
            })
        }
        _ => false,
    }
}

/// `FromInputs`, for a request [`takes_inputs`]: what code told an
/// endpoint's name (the CLI's `call`) builds it with.
fn from_inputs(f: &Family, e: &Endpoint, name: &proc_macro2::Ident) -> Option<TokenStream> {
    if !takes_inputs(f, e) {
        return None;
    }
    let (takes_file, named, build) = match e.request.as_slice() {
        [Encoding::Multipart(parts)] => {
            let named: Vec<(String, bool)> = parts
                .iter()
                .filter(|p| !p.is_file())
                .map(|p| (p.name.clone(), p.required))
                .collect();
            let fields = parts.iter().map(|p| {
                let field = ident(&names::snake(&p.name));
                let wire = &p.name;
                match (&p.kind, p.required) {
                    (PartKind::File, true) => quote! { #field: d::needed_image(image)? },
                    (PartKind::File, false) => quote! { #field: image.cloned() },
                    (
                        PartKind::Text {
                            enum_type: None, ..
                        },
                        true,
                    ) => {
                        quote! { #field: inputs.required(#wire)?.to_owned() }
                    }
                    (
                        PartKind::Text {
                            enum_type: None, ..
                        },
                        false,
                    ) => {
                        quote! { #field: inputs.get(#wire).map(str::to_owned) }
                    }
                    (
                        PartKind::Text {
                            enum_type: Some(t), ..
                        },
                        required,
                    ) => {
                        let t = ident(t);
                        if required {
                            quote! {
                                #field: inputs.one_of::<#t>(#wire)?.ok_or(
                                    ::ocrwire::error::InvalidInput::Field {
                                        field: #wire,
                                        for_id_type: None,
                                        problem: "is required".to_string(),
                                    },
                                )?
                            }
                        } else {
                            quote! { #field: inputs.one_of::<#t>(#wire)? }
                        }
                    }
                    // `takes_inputs` admits no JSON part.
                    (PartKind::Json(_), _) => quote! {},
                }
            });
            let takes_file = parts.iter().any(Part::is_file);
            let no_image = (!takes_file).then(|| quote! { d::no_image(image)?; });
            (
                takes_file,
                named,
                quote! { #no_image Ok(Self { #(#fields),* }) },
            )
        }
        [Encoding::Json(t) | Encoding::Form(t)] => {
            let named: Vec<(String, bool)> = f
                .types
                .iter()
                .find(|o| &o.name == t)
                .map(|o| {
                    o.fields
                        .iter()
                        .map(|field| (field.wire.clone(), field.required))
                        .collect()
                })
                .unwrap_or_default();
            let build = quote! {
                d::no_image(image)?;
                Ok(Self { body: inputs.body()? })
            };
            (false, named, build)
        }
        _ => return None,
    };
    let pairs = named
        .iter()
        .map(|(wire, required)| quote! { (#wire, #required) });
    let wires = named.iter().map(|(wire, _)| wire);
    Some(quote! {
        impl d::FromInputs for #name {
            const TAKES_A_FILE: bool = #takes_file;
            const INPUTS: &'static [(&'static str, bool)] = &[#(#pairs),*];
            fn from_inputs(
                image: Option<&::ocrwire::Image>,
                inputs: &d::Inputs,
            ) -> Result<Self, ::ocrwire::error::InvalidInput> {
                inputs.only(&[#(#wires),*])?;
                #build
            }
        }
    })
}

/// `FromBody` and `FromParts` for a request whose only input is its body,
/// so generic code (the CLOVA client) can build it.
fn constructors(e: &Endpoint, name: &proc_macro2::Ident) -> TokenStream {
    let several = e.request.len() > 1;
    let impls = e.request.iter().map(|encoding| match encoding {
        Encoding::Json(t) | Encoding::Form(t) => {
            let t = ident(t);
            let variant = if matches!(encoding, Encoding::Json(_)) {
                quote! { Json }
            } else {
                quote! { Form }
            };
            let build = if several {
                quote! { Self::#variant(body) }
            } else {
                quote! { Self { body } }
            };
            quote! {
                impl d::FromBody<#t> for #name {
                    fn from_body(body: #t) -> Self {
                        #build
                    }
                }
            }
        }
        Encoding::Multipart(parts) => {
            let types = parts.iter().map(|p| {
                let ty = part_type(p);
                if p.required {
                    ty
                } else {
                    quote! { Option<#ty> }
                }
            });
            let bindings: Vec<_> = parts
                .iter()
                .map(|p| ident(&names::snake(&p.name)))
                .collect();
            let build = if several {
                quote! { Self::Multipart { #(#bindings),* } }
            } else {
                quote! { Self { #(#bindings),* } }
            };
            quote! {
                impl d::FromParts for #name {
                    type Parts = (#(#types,)*);
                    fn from_parts((#(#bindings,)*): Self::Parts) -> Self {
                        #build
                    }
                }
            }
        }
    });
    quote! { #(#impls)* }
}

/// The per-call inputs besides the body.
fn inputs(f: &Family, e: &Endpoint) -> Vec<Input> {
    let key_endpoint = f
        .envelope
        .as_ref()
        .is_some_and(|env| env.public_key_endpoint == e.name);
    let mut out = Vec::new();
    for p in e
        .path_params
        .iter()
        .filter(|p| p.value == ParamValue::Argument)
    {
        let key_service = key_endpoint && !p.allowed.is_empty();
        out.push(Input {
            rust: names::snake(&p.name),
            ty: if key_service {
                quote! { KeyService }
            } else {
                quote! { String }
            },
            docs: format!("`{}` in the path: {}", p.name, p.description),
            kind: InputKind::PathArg {
                name: p.name.clone(),
            },
        });
    }
    for h in e
        .headers
        .iter()
        .filter(|h| h.role == HeaderRole::RequestKey)
    {
        out.push(Input {
            rust: names::snake(&h.name),
            ty: if h.required {
                quote! { Sensitive }
            } else {
                quote! { Option<Sensitive> }
            },
            docs: format!("The `{}` header: {}", h.name, h.description),
            kind: InputKind::RequestKey {
                required: h.required,
            },
        });
    }
    out
}

/// The fields and the body expression of a request with one encoding;
/// `at` reaches the fields (`self.` or a pattern binding prefix).
fn single(encoding: &Encoding, at: TokenStream) -> (Vec<TokenStream>, TokenStream) {
    match encoding {
        Encoding::Json(t) | Encoding::Form(t) => {
            let t = ident(t);
            let kind = if matches!(encoding, Encoding::Json(_)) {
                quote! { Json }
            } else {
                quote! { Form }
            };
            (
                vec![quote! {
                    /// The body.
                    pub body: #t,
                }],
                quote! { d::RequestBody::#kind(&#at body) },
            )
        }
        Encoding::Multipart(parts) => {
            let fields = parts.iter().map(|p| part_field(p, true)).collect();
            (fields, multipart(parts, &at))
        }
    }
}

/// `d::RequestBody::Multipart(...)` over `parts`.
fn multipart(parts: &[Part], at: &TokenStream) -> TokenStream {
    if parts.iter().all(|p| p.required) {
        let values = parts.iter().map(|p| part_value(p, at));
        quote! { d::RequestBody::Multipart(Vec::from([#(#values),*])) }
    } else {
        let values = parts.iter().map(|p| {
            let value = part_value(p, at);
            if p.required {
                quote! { Some(#value) }
            } else {
                value
            }
        });
        quote! { d::RequestBody::Multipart([#(#values),*].into_iter().flatten().collect()) }
    }
}

/// The Rust type of a part's value: the image, the JSON part's type, the
/// enum, or text.
fn part_type(p: &Part) -> TokenStream {
    match &p.kind {
        PartKind::File => quote! { ::ocrwire::Image },
        PartKind::Json(t)
        | PartKind::Text {
            enum_type: Some(t), ..
        } => {
            let t = ident(t);
            quote! { #t }
        }
        PartKind::Text {
            enum_type: None, ..
        } => quote! { String },
    }
}

/// A part's field; `public` in a struct, not in an enum variant.
fn part_field(p: &Part, public: bool) -> TokenStream {
    let name = ident(&names::snake(&p.name));
    let ty = part_type(p);
    let ty = if p.required {
        ty
    } else {
        quote! { Option<#ty> }
    };
    let sealed = if p.encrypted {
        " (sealed with the envelope)"
    } else {
        ""
    };
    let checked = match p.kind {
        PartKind::Text {
            format: Some(form), ..
        } => format!(
            " ({}, checked before a request is sent)",
            super::checks::describe_format(form)
        ),
        _ => String::new(),
    };
    let docs = doc(&format!(
        "Multipart part `{}`{sealed}: {}{checked}",
        p.name, p.description
    ));
    let visibility = public.then(|| quote! { pub });
    quote! { #docs #visibility #name: #ty, }
}

/// A part's `d::PartValue` (an `Option` of one, for an optional part) (`None` for an absent optional
/// one); `at` reaches the field (`self.`), or nothing for a match binding,
/// which is a reference already.
fn part_value(p: &Part, at: &TokenStream) -> TokenStream {
    let borrow = (!at.is_empty()).then(|| quote! { & });
    let field = ident(&names::snake(&p.name));
    let wire = &p.name;
    let encrypted = p.encrypted;
    // `image: image` is written `image` (clippy's redundant field names).
    let make = |value: TokenStream| {
        let plain = value.to_string();
        match &p.kind {
            PartKind::Json(_) if plain == "value" => {
                quote! { d::PartValue::Json { name: #wire, value } }
            }
            PartKind::Json(_) => quote! { d::PartValue::Json { name: #wire, value: #value } },
            PartKind::Text {
                enum_type: Some(_), ..
            } => {
                let value = if plain == "part" {
                    quote! { part.as_str() }
                } else {
                    quote! { (#value).as_str() }
                };
                quote! { d::PartValue::Text { name: #wire, value: #value } }
            }
            PartKind::Text { .. } => quote! { d::PartValue::Text { name: #wire, value: #value } },
            PartKind::File if plain == "image" => {
                quote! { d::PartValue::File { name: #wire, image, encrypted: #encrypted } }
            }
            PartKind::File => {
                quote! { d::PartValue::File { name: #wire, image: #value, encrypted: #encrypted } }
            }
        }
    };
    if p.required {
        make(quote! { #borrow #at #field })
    } else {
        let value = make(quote! { part });
        quote! { #at #field.as_ref().map(|part| #value) }
    }
}

/// The variants (one per encoding) of a request or body enum, and the match
/// arms that read them.
fn variants(
    encodings: &[Encoding],
    enum_name: &proc_macro2::Ident,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for encoding in encodings {
        match encoding {
            Encoding::Json(t) | Encoding::Form(t) => {
                let t = ident(t);
                let (variant, kind, what) = if matches!(encoding, Encoding::Json(_)) {
                    (quote! { Json }, quote! { Json }, "`application/json`")
                } else {
                    (
                        quote! { Form },
                        quote! { Form },
                        "`application/x-www-form-urlencoded`",
                    )
                };
                let docs = doc(&format!("{what}: the body as [`{t}`]."));
                variants.push(quote! { #docs #variant(#t), });
                arms.push(quote! { #enum_name::#variant(body) => d::RequestBody::#kind(body), });
            }
            Encoding::Multipart(parts) => {
                let fields = parts.iter().map(|p| part_field(p, false));
                let bindings: Vec<_> = parts
                    .iter()
                    .map(|p| ident(&names::snake(&p.name)))
                    .collect();
                let body = multipart(parts, &quote! {});
                variants.push(quote! {
                    /// `multipart/form-data`, one field per part.
                    Multipart { #(#fields)* },
                });
                arms.push(quote! {
                    #enum_name::Multipart { #(#bindings),* } => #body,
                });
            }
        }
    }
    (variants, arms)
}
