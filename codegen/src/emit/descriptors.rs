//! Descriptors: the family, its error codes, and one thin operation per endpoint.
//!
//! These are plain `const` data plus marker types implementing the runtime's
//! `Operation` trait. The request pipeline itself (envelope, multipart, error
//! mapping) is written once in the runtime and driven by this data, so an
//! endpoint costs a few lines here rather than a copy of the pipeline.

use super::{doc, ident, opt_str};
use crate::model::{Encoding, Endpoint, Family};
use crate::spec::{ErrorShape, HeaderValue, Method, ParamValue, Vendor};
use crate::validate::parse_port_range;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

const D: &str = "d";

/// An unsuffixed integer literal (`5242880`, not `5242880u64`).
fn num(n: impl Into<u64>) -> proc_macro2::Literal {
    proc_macro2::Literal::u64_unsuffixed(n.into())
}

fn d(item: &str) -> TokenStream {
    let path: syn::Path =
        syn::parse_str(&format!("{D}::{item}")).unwrap_or_else(|_| syn::parse_quote!(invalid));
    quote! { #path }
}

fn header_value(v: HeaderValue) -> TokenStream {
    let hv = d("HeaderValue");
    match v {
        HeaderValue::SecretKey => quote! { #hv::SecretKey },
        HeaderValue::ClovaSecret => quote! { #hv::ClovaSecret },
        HeaderValue::KeyVersion => quote! { #hv::KeyVersion },
        HeaderValue::SealedSymmetricKey => quote! { #hv::SealedSymmetricKey },
        HeaderValue::RequestKey => quote! { #hv::RequestKey },
    }
}

pub(super) fn family(f: &Family) -> TokenStream {
    let fam = d("Family");
    let name = &f.name;
    let title = &f.title;
    let spec_file = f.spec_path.display().to_string().replace('\\', "/");
    let sources = &f.sources;
    let vendor = match f.vendor {
        Vendor::Nhn => quote! { d::Vendor::Nhn },
        Vendor::Clova => quote! { d::Vendor::Clova },
    };
    let base_url = opt_str(f.base_url.as_deref());
    let template = opt_str(f.base_url_template.as_deref());
    let base_path = opt_str(f.base_path.as_deref());
    let base_path_params = &f.base_path_params;
    let alt = f.alternate_urls.iter().map(|(url, note)| {
        let a = d("AlternateUrl");
        quote! { #a { url: #url, note: #note } }
    });
    let auth_header = &f.auth_header;
    let auth_value = header_value(f.auth_value);
    let error_shape = match f.error_shape {
        ErrorShape::NhnHeader => quote! { d::ErrorShape::NhnHeader },
        ErrorShape::ClovaHttp => quote! { d::ErrorShape::ClovaHttp },
    };
    let envelope = match &f.envelope {
        Some(e) => {
            let ty = d("EnvelopeFacts");
            let (bytes, wrap, cipher, iv, pk, field, file, skey, pke, kve) = (
                num(e.symmetric_key_bytes),
                &e.key_wrap,
                &e.cipher,
                &e.iv,
                &e.public_key_encoding,
                &e.field_encoding,
                &e.file_encoding,
                &e.symmetric_key_encoding,
                &e.public_key_endpoint,
                &e.key_version_error,
            );
            quote! {
                Some(#ty {
                    symmetric_key_bytes: #bytes,
                    key_wrap: #wrap,
                    cipher: #cipher,
                    iv: #iv,
                    public_key_encoding: #pk,
                    field_encoding: #field,
                    file_encoding: #file,
                    symmetric_key_encoding: #skey,
                    public_key_endpoint: #pke,
                    key_version_error: #kve,
                })
            }
        }
        None => quote! { None },
    };
    let contradictions = f.contradictions.iter().map(|c| {
        let ty = d("Contradiction");
        let (at, what, resolution) = (&c.at, &c.what, &c.resolution);
        quote! { #ty { at: #at, what: #what, resolution: #resolution } }
    });
    let endpoints = f.endpoints.iter().map(|e| {
        let c = ident(&e.const_name);
        quote! { &#c }
    });
    let docs = doc(&format!(
        "{title}: every fact the spec records about the family.\n\nSources: {}.",
        sources.join(", ")
    ));
    quote! {
        #docs
        pub const FAMILY: #fam = #fam {
            name: #name,
            title: #title,
            spec_file: #spec_file,
            sources: &[#(#sources),*],
            vendor: #vendor,
            base_url: #base_url,
            base_url_template: #template,
            base_path: #base_path,
            base_path_params: &[#(#base_path_params),*],
            alternate_urls: &[#(#alt),*],
            auth_header: #auth_header,
            auth_value: #auth_value,
            error_shape: #error_shape,
            envelope: #envelope,
            errors: ERRORS,
            contradictions: &[#(#contradictions),*],
            endpoints: &[#(#endpoints),*],
        };
    }
}

pub(super) fn error_codes(f: &Family) -> TokenStream {
    let info = d("ErrorInfo");
    let infos = f.errors.iter().map(|e| {
        let (code, name, message, meaning, retryable) =
            (&e.code, &e.name, &e.message, &e.meaning, e.retryable);
        let status = match e.http_status {
            Some(s) => {
                let s = num(s);
                quote! { Some(#s) }
            }
            None => quote! { None },
        };
        let source = opt_str(e.source.as_deref());
        quote! {
            #info {
                code: #code,
                name: #name,
                message: #message,
                meaning: #meaning,
                retryable: #retryable,
                http_status: #status,
                source: #source,
            }
        }
    });
    let numeric = f.vendor == Vendor::Nhn;
    let code_ty = if numeric {
        quote! { i64 }
    } else {
        quote! { String }
    };
    let variants = f.errors.iter().map(|e| {
        let v = ident(&e.name);
        let retry = if e.retryable { "\n\nRetryable." } else { "" };
        let docs = doc(&format!(
            "`{}` {}\n\n{}{retry}",
            e.code, e.message, e.meaning
        ));
        quote! { #docs #v, }
    });
    let from_arms = f.errors.iter().map(|e| {
        let v = ident(&e.name);
        if numeric {
            let n: i64 = e.code.parse().unwrap_or_default();
            let lit = proc_macro2::Literal::i64_unsuffixed(n);
            if n < 0 {
                let abs = proc_macro2::Literal::i64_unsuffixed(-n);
                quote! { -#abs => Self::#v, }
            } else {
                quote! { #lit => Self::#v, }
            }
        } else {
            let c = &e.code;
            quote! { #c => Self::#v, }
        }
    });
    let info_arms = f.errors.iter().enumerate().map(|(i, e)| {
        let v = ident(&e.name);
        let i = num(i as u64);
        quote! { Self::#v => Some(&ERRORS[#i]), }
    });
    // The kind of code this family's error shape carries is decided here,
    // once, so the runtime reads any family's answer without a per-family impl.
    let from_wire_arms = if numeric {
        quote! {
            d::WireCode::Integer(code) => Some(Self::from_code(code)),
            d::WireCode::Text(_) => None,
        }
    } else {
        quote! {
            d::WireCode::Text(code) => Some(Self::from_code(code)),
            d::WireCode::Integer(_) => None,
        }
    };
    let (from_sig, from_unknown, code_fn) = if numeric {
        (
            quote! { pub fn from_code(code: i64) -> Self },
            quote! { other => Self::Unknown(other) },
            quote! {
                /// The code as the vendor sends it.
                pub fn code(&self) -> std::borrow::Cow<'static, str> {
                    match self {
                        Self::Unknown(code) => std::borrow::Cow::Owned(code.to_string()),
                        known => std::borrow::Cow::Borrowed(known.info().map_or("", |i| i.code)),
                    }
                }
            },
        )
    } else {
        (
            quote! { pub fn from_code(code: &str) -> Self },
            quote! { other => Self::Unknown(other.to_string()) },
            quote! {
                /// The code as the vendor sends it.
                pub fn code(&self) -> std::borrow::Cow<'static, str> {
                    match self {
                        Self::Unknown(code) => std::borrow::Cow::Owned(code.clone()),
                        known => std::borrow::Cow::Borrowed(known.info().map_or("", |i| i.code)),
                    }
                }
            },
        )
    };
    quote! {
        /// Every error code the spec lists, with the vendor's message, our reading of it,
        /// and whether a retry can help.
        pub const ERRORS: &[#info] = &[#(#infos),*];

        /// The family's error codes, for matching. A code the spec lacks is kept in `Unknown`.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code this version of the spec does not list.
            Unknown(#code_ty),
        }

        impl ErrorCode {
            /// The variant for a code as the vendor sends it.
            #from_sig {
                match code {
                    #(#from_arms)*
                    #from_unknown,
                }
            }

            #code_fn

            /// What the spec records about this code; `None` for an unknown code.
            pub fn info(&self) -> Option<&'static #info> {
                match self {
                    #(#info_arms)*
                    Self::Unknown(_) => None,
                }
            }
        }

        impl d::VendorCode for ErrorCode {
            fn from_wire(code: d::WireCode<'_>) -> Option<Self> {
                match code {
                    #from_wire_arms
                }
            }
            fn info(&self) -> Option<&'static #info> {
                ErrorCode::info(self)
            }
            fn code(&self) -> std::borrow::Cow<'static, str> {
                ErrorCode::code(self)
            }
        }
    }
}

pub(super) fn endpoint(f: &Family, e: &Endpoint) -> TokenStream {
    let ep = d("Endpoint");
    let const_name = ident(&e.const_name);
    let op = format_ident!("{}", e.op_name);
    let (family, name, summary, path) = (&f.name, &e.name, &e.summary, &e.path);
    let (method, method_text) = match e.method {
        Method::Get => (quote! { d::Method::Get }, "GET"),
        Method::Post => (quote! { d::Method::Post }, "POST"),
    };
    let path_params = e.path_params.iter().map(|p| {
        let ty = d("PathParam");
        let (n, desc, allowed) = (&p.name, &p.description, &p.allowed);
        let value = match p.value {
            ParamValue::AppKey => quote! { d::ParamValue::AppKey },
            ParamValue::Argument => quote! { d::ParamValue::Argument },
        };
        quote! { #ty { name: #n, value: #value, description: #desc, allowed: &[#(#allowed),*] } }
    });
    let headers = e.headers.iter().map(|h| {
        let ty = d("Header");
        let (n, req, desc) = (&h.name, h.required, &h.description);
        let value = header_value(h.value);
        quote! { #ty { name: #n, value: #value, required: #req, description: #desc } }
    });
    let request = e.request.iter().map(|enc| match enc {
        Encoding::Json(ty) => quote! { d::Encoding::Json { body_type: #ty } },
        Encoding::Multipart(parts) => {
            let parts = parts.iter().map(|p| {
                let ty = d("Part");
                let (n, desc, req, enc) = (&p.name, &p.description, p.required, p.encrypted);
                let json_type = opt_str(p.json_type.as_deref());
                quote! { #ty { name: #n, json_type: #json_type, description: #desc, required: #req, encrypted: #enc } }
            });
            quote! { d::Encoding::Multipart(&[#(#parts),*]) }
        }
    });
    let key_service = opt_str(e.key_service.as_deref());
    let body = &e.response_body;
    let doc_field = opt_str(e.document_field.as_deref());
    let resp_headers = e.response_headers.iter().map(|h| {
        let ty = d("ResponseHeader");
        let (n, desc, single) = (&h.name, &h.description, h.single_use);
        let when = opt_str(h.when.as_deref());
        let valid = match h.valid_for_secs {
            Some(s) => {
                let s = num(s);
                quote! { Some(#s) }
            }
            None => quote! { None },
        };
        quote! { #ty { name: #n, description: #desc, when: #when, valid_for_secs: #valid, single_use: #single } }
    });
    let errors = &e.errors;
    let limits = {
        let l = &e.limits;
        let max = match l.max_file_bytes {
            Some(b) => {
                let b = num(b);
                quote! { Some(#b) }
            }
            None => quote! { None },
        };
        let formats = l.formats.clone().unwrap_or_default();
        let images = match l.images_per_call {
            Some(n) => {
                let n = num(n);
                quote! { Some(#n) }
            }
            None => quote! { None },
        };
        let ports = l
            .url_ports
            .iter()
            .flatten()
            .filter_map(|p| parse_port_range(p))
            .map(|(lo, hi)| {
                let (lo, hi) = (num(lo), num(hi));
                quote! { (#lo, #hi) }
            });
        let timeout = match l.url_download_timeout_secs {
            Some(n) => {
                let n = num(n);
                quote! { Some(#n) }
            }
            None => quote! { None },
        };
        let res = opt_str(l.recommended_resolution.as_deref());
        let notes = &l.notes;
        let ty = d("Limits");
        quote! {
            #ty {
                max_file_bytes: #max,
                formats: &[#(#formats),*],
                images_per_call: #images,
                url_ports: &[#(#ports),*],
                url_download_timeout_secs: #timeout,
                recommended_resolution: #res,
                notes: &[#(#notes),*],
            }
        }
    };
    let notes = &e.notes;
    let enc_req = &e.encrypted_request;
    let enc_resp = &e.encrypted_response;
    let response_ty = ident(&e.response_body);
    let json_body = match &e.json_body {
        Some(t) => {
            let t = ident(t);
            quote! { #t }
        }
        None => quote! { () },
    };
    let mut text = format!("{summary}\n\n`{method_text} {path}`");
    if !e.notes.is_empty() {
        text.push('\n');
        for n in &e.notes {
            text.push_str(&format!("\n- {n}"));
        }
    }
    let op_docs = doc(&text);
    let const_docs = doc(&format!(
        "Descriptor of `{name}`: everything the spec records about the endpoint."
    ));
    quote! {
        #const_docs
        pub const #const_name: #ep = #ep {
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
            },
            errors: &[#(#errors),*],
            limits: #limits,
            notes: &[#(#notes),*],
            encrypted_request: &[#(#enc_req),*],
            encrypted_response: &[#(#enc_resp),*],
        };

        #op_docs
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct #op;

        impl d::Operation for #op {
            const ENDPOINT: &'static #ep = &#const_name;
            type JsonBody = #json_body;
            type Response = #response_ty;
            type ErrorCode = ErrorCode;
        }
    }
}
