//! The error table and the `ErrorCode` enum callers match on.

use super::{doc, ident, num, opt_num, opt_str};
use crate::model::{CodeKind, ErrorCode, ErrorGroup, Family};
use proc_macro2::TokenStream;
use quote::quote;

/// A family's codes: its table and `ErrorCode` (or, when a shared table is
/// the whole of them, a re-export of the shared module's, its error groups
/// included), the codes every endpoint can answer, and its error groups.
pub(super) fn error_codes(f: &Family) -> TokenStream {
    let common: Vec<String> = f.common_errors.iter().map(ToString::to_string).collect();
    let common = quote! {
        /// The codes every endpoint of the family can answer with, besides its own.
        pub const COMMON_ERRORS: &[&str] = &[#(#common),*];
    };
    match &f.shared_errors {
        Some(name) => {
            let module = ident(&shared_module(name));
            let (shared, own): (Vec<&ErrorGroup>, Vec<&ErrorGroup>) =
                f.error_groups.iter().partition(|g| g.table.is_some());
            let shared = shared.iter().map(|g| ident(&g.const_name));
            let own = own.into_iter().map(group);
            quote! {
                pub use ::ocrwire::wire::#module::{ErrorCode, ERRORS #(, #shared)*};
                #common
                #(#own)*
            }
        }
        None => {
            let (errors, codes) = table(&f.errors, f.code_kind, "The family's error codes");
            let groups = f.error_groups.iter().map(group);
            quote! { #errors #common #(#groups)* #codes }
        }
    }
}

/// An error group's descriptor constant (`FILE_ERRORS`).
fn group(g: &ErrorGroup) -> TokenStream {
    let (name, description) = (&g.name, &g.description);
    let const_name = ident(&g.const_name);
    let codes: Vec<String> = g.codes.iter().map(ToString::to_string).collect();
    let docs = doc(&format!("Error group `{name}`: {description}"));
    quote! {
        #docs
        pub const #const_name: d::ErrorGroup = d::ErrorGroup {
            name: #name,
            description: #description,
            codes: &[#(#codes),*],
        };
    }
}

/// The module of shared error table `name` (`errors_clova_ocr`).
pub fn shared_module(name: &str) -> String {
    format!("errors_{}", crate::names::snake(name))
}

/// The module of a shared error table: its `ERRORS`, its error groups and
/// `ErrorCode`, once for every family that takes the table whole (`family`
/// is one of them).
pub fn shared_table(name: &str, family: &Family) -> TokenStream {
    let (errors, codes) = table(
        &family.errors,
        family.code_kind,
        &format!("The codes of the shared table `spec/errors/{name}.yaml`"),
    );
    let groups = family
        .error_groups
        .iter()
        .filter(|g| g.table.is_some())
        .map(group);
    quote! {
        use ::ocrwire::descriptor as d;
        #errors
        #(#groups)*
        #codes
    }
}

/// `ERRORS`, and the `ErrorCode` enum callers match on.
fn table(errors: &[ErrorCode], code_kind: CodeKind, what: &str) -> (TokenStream, TokenStream) {
    let infos = errors.iter().map(|e| {
        let code = e.code.to_string();
        let key = opt_str(e.key.as_deref());
        let (name, message, meaning) = (&e.name, &e.message, &e.meaning);
        let (retryable, throttling) = (e.retryable, e.throttling);
        let status = opt_num(e.http_status);
        let answers = e.answers.iter().map(|role| {
            let variant = ident(&role.variant());
            quote! { d::ErrorRole::#variant }
        });
        quote! {
            d::ErrorInfo {
                code: #code,
                key: #key,
                name: #name,
                message: #message,
                meaning: #meaning,
                retryable: #retryable,
                throttling: #throttling,
                http_status: #status,
                answers: &[#(#answers),*],
            }
        }
    });
    let integer = code_kind == CodeKind::Integer;
    let code_ty = if integer {
        quote! { i64 }
    } else {
        quote! { String }
    };
    let variants = errors.iter().map(|e| {
        let v = ident(&e.name);
        let mut text = format!("`{}` {}\n\n{}", e.code, e.message, e.meaning);
        if e.throttling {
            text.push_str("\n\nRetryable; a rate limit (the adaptive rate limiter slows down).");
        } else if e.retryable {
            text.push_str("\n\nRetryable.");
        }
        if let Some(source) = &e.source {
            text.push_str(&format!("\n\nSource: {source}"));
        }
        let docs = doc(&text);
        quote! { #docs #v, }
    });
    let from_arms = errors.iter().map(|e| {
        let (v, code) = (ident(&e.name), &e.code);
        quote! { #code => Self::#v, }
    });
    let info_arms = errors.iter().enumerate().map(|(i, e)| {
        let v = ident(&e.name);
        let i = num(i as u64);
        quote! { Self::#v => Some(&ERRORS[#i]), }
    });
    // The kind of code this family's error shape carries is decided here,
    // once, so the runtime reads any family's answer without a per-family impl.
    let (from_sig, unknown, owned, from_wire) = if integer {
        (
            quote! { pub fn from_code(code: i64) -> Self },
            quote! { other => Self::Unknown(other) },
            quote! { code.to_string() },
            quote! {
                d::WireCode::Integer(code) => Some(Self::from_code(code)),
                d::WireCode::Text(_) => None,
            },
        )
    } else {
        (
            quote! { pub fn from_code(code: &str) -> Self },
            quote! { other => Self::Unknown(other.to_string()) },
            quote! { code.clone() },
            quote! {
                d::WireCode::Text(code) => Some(Self::from_code(code)),
                d::WireCode::Integer(_) => None,
            },
        )
    };
    let enum_docs = doc(&format!(
        "{what}, for matching. A code the spec lacks is kept in `Unknown`."
    ));
    let errors = quote! {
        /// Every error code the spec lists, with the vendor's message, our reading of it,
        /// and whether a retry can help.
        pub const ERRORS: &[d::ErrorInfo] = &[#(#infos),*];
    };
    let codes = quote! {
        #enum_docs
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
                    #unknown,
                }
            }

            /// The code as the vendor sends it.
            pub fn code(&self) -> std::borrow::Cow<'static, str> {
                match self {
                    Self::Unknown(code) => std::borrow::Cow::Owned(#owned),
                    known => std::borrow::Cow::Borrowed(known.info().map_or("", |i| i.code)),
                }
            }

            /// What the spec records about this code; `None` for an unknown code.
            pub fn info(&self) -> Option<&'static d::ErrorInfo> {
                match self {
                    #(#info_arms)*
                    Self::Unknown(_) => None,
                }
            }
        }

        impl d::VendorCode for ErrorCode {
            fn from_wire(code: d::WireCode<'_>) -> Option<Self> {
                match code {
                    #from_wire
                }
            }
            fn info(&self) -> Option<&'static d::ErrorInfo> {
                ErrorCode::info(self)
            }
            fn code(&self) -> std::borrow::Cow<'static, str> {
                ErrorCode::code(self)
            }
        }
    };
    (errors, codes)
}
