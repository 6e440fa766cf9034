//! The registry: the one generated file that lists every family, as
//! prost-build's include file does. It declares each family's module, the
//! list the runtime and the CLI walk, and the error-code enum over all
//! families, so adding a spec file touches no hand-written list.

use super::{doc, ident, render};
use crate::model::Family;
use proc_macro2::TokenStream;
use quote::quote;

/// File name of the registry inside `generated/`.
pub const FILE_NAME: &str = "registry.rs";

/// The registry's source for `families`, in the order given (file order).
pub fn emit(families: &[Family]) -> String {
    render(&super::header("spec/"), tokens(families))
}

fn tokens(families: &[Family]) -> TokenStream {
    let modules = families.iter().map(|f| {
        let module = ident(&f.module);
        let file = format!("{}.rs", f.module);
        let docs = doc(&format!("{} (`{}`).", f.title, f.spec_path.display()));
        quote! {
            family_module!(#docs #module, #file);
        }
    });
    // The shared error tables' modules, which the families re-export.
    let shared = super::shared_error_tables(families).into_iter().map(|(name, _, _)| {
        let module = super::errors::shared_module(name);
        let file = format!("{module}.rs");
        let module = ident(&module);
        let docs = doc(&format!(
            "The shared error table `spec/errors/{name}.yaml`: its codes and `ErrorCode`, for every family that takes it."
        ));
        quote! {
            family_module!(#docs #module, #file);
        }
    });
    let all = families.iter().map(|f| {
        let module = ident(&f.module);
        quote! { &#module::FAMILY }
    });
    let variants = families.iter().map(|f| {
        let (module, variant) = (ident(&f.module), ident(&f.variant));
        let docs = doc(&format!("A code of {}.", f.title));
        quote! { #docs #variant(#module::ErrorCode), }
    });
    let arms = |body: TokenStream| {
        let arms = families.iter().map(move |f| {
            let variant = ident(&f.variant);
            quote! { Self::#variant(code) => #body, }
        });
        quote! { #(#arms)* }
    };
    let info_arms = arms(quote! { d::VendorCode::info(code) });
    let code_arms = arms(quote! { d::VendorCode::code(code) });
    let family_arms = families.iter().map(|f| {
        let (module, variant) = (ident(&f.module), ident(&f.variant));
        quote! { Self::#variant(_) => &#module::FAMILY, }
    });
    let parse_arms = families.iter().map(|f| {
        let (module, variant, name) = (ident(&f.module), ident(&f.variant), &f.name);
        let code = match f.code_kind {
            crate::model::CodeKind::Integer => quote! { d::WireCode::Integer(code.parse().ok()?) },
            crate::model::CodeKind::Text => quote! { d::WireCode::Text(code) },
        };
        quote! {
            #name => Some(Self::#variant(
                <#module::ErrorCode as d::VendorCode>::from_wire(#code)?,
            )),
        }
    });
    let wire_arms = families.iter().map(|f| {
        let (module, variant, name) = (ident(&f.module), ident(&f.variant), &f.name);
        quote! {
            #name => <#module::ErrorCode as d::VendorCode>::from_wire(code).map(Self::#variant),
        }
    });
    // A shared table's codes belong to every family that takes it, so no
    // conversion can say which family's variant one is: those are built
    // by family (`from_wire`, or the variant itself).
    let froms = families
        .iter()
        .filter(|f| f.shared_errors.is_none())
        .map(|f| {
            let (module, variant) = (ident(&f.module), ident(&f.variant));
            quote! {
                impl From<#module::ErrorCode> for VendorErrorCode {
                    fn from(code: #module::ErrorCode) -> Self {
                        Self::#variant(code)
                    }
                }
            }
        });
    let enum_visits = families.iter().flat_map(|f| {
        f.enums.iter().map(move |e| {
            let (module, ty) = (ident(&f.module), ident(&e.name));
            let (module_name, ty_name) = (&f.module, &e.name);
            quote! { visitor.visit::<#module::#ty>(#module_name, #ty_name); }
        })
    });
    let type_visits = families.iter().flat_map(|f| {
        f.types.iter().map(move |t| {
            let (module, ty) = (ident(&f.module), ident(&t.name));
            let (module_name, ty_name) = (&f.module, &t.name);
            quote! { visitor.visit::<#module::#ty>(#module_name, #ty_name); }
        })
    });
    let operation_visits = families.iter().flat_map(|f| {
        f.endpoints.iter().map(move |e| {
            let (module, op) = (ident(&f.module), ident(&e.op_name));
            quote! { visitor.visit::<#module::#op>(); }
        })
    });
    // Every type a request sends as JSON (a JSON or form body, a JSON
    // part), so a receiver (the emulator) can tell a well-formed one.
    let mut request_types: Vec<(String, String)> = Vec::new();
    for f in families {
        for e in &f.endpoints {
            for encoding in &e.request {
                let names: Vec<String> = match encoding {
                    crate::model::Encoding::Json(t) | crate::model::Encoding::Form(t) => {
                        vec![t.clone()]
                    }
                    crate::model::Encoding::Multipart(parts) => parts
                        .iter()
                        .filter_map(|p| p.json_type().map(str::to_owned))
                        .collect(),
                };
                for name in names {
                    let entry = (f.module.clone(), name);
                    if !request_types.contains(&entry) {
                        request_types.push(entry);
                    }
                }
            }
        }
    }
    let reads_arms = request_types.iter().map(|(module, name)| {
        let family = families
            .iter()
            .find(|f| &f.module == module)
            .map(|f| f.name.clone())
            .unwrap_or_default();
        let (m, t) = (ident(module), ident(name));
        quote! {
            (#family, #name) => Some(serde_json::from_slice::<#m::#t>(json).is_ok()),
        }
    });
    let image_call_visits = families.iter().flat_map(|f| {
        f.endpoints.iter().filter_map(move |e| {
            let module = ident(&f.module);
            let op = ident(&e.op_name);
            Some(match &e.call {
                crate::model::CallKind::Upload { url_body: None, .. } => {
                    quote! { visitor.upload::<#module::#op>(); }
                }
                crate::model::CallKind::Upload {
                    url_body: Some(body),
                    ..
                } => {
                    let body = ident(body);
                    quote! { visitor.upload_or_url::<#module::#op, #module::#body>(); }
                }
                crate::model::CallKind::Document { document } => {
                    let document = ident(document);
                    quote! { visitor.document::<#module::#document>(); }
                }
                _ => return None,
            })
        })
    });
    let input_call_visits = families
        .iter()
        .filter(|f| f.client.is_some())
        .flat_map(|f| {
            f.endpoints
                .iter()
                .filter(|e| super::requests::takes_inputs(f, e))
                .map(move |e| {
                    let module = ident(&f.module);
                    let op = ident(&e.op_name);
                    quote! { visitor.inputs::<#module::#op>(); }
                })
        });
    quote! {
        use ::ocrwire::descriptor as d;

        #(#shared)*
        #(#modules)*

        /// Every family the spec defines, in spec file order.
        pub const FAMILIES: &[&d::Family] = &[#(#all),*];

        /// Calls `visitor` with every endpoint's operation type, in spec order:
        /// code generic over operations (the CLI's commands, its `decode`)
        /// gets one entry per endpoint with no hand-written list.
        pub fn visit_operations(visitor: &mut impl d::OperationVisitor) {
            #(#operation_visits)*
        }

        /// Calls `visitor` with every endpoint one image is sent to, by the shape of
        /// its call (the spec decides it: one file part, or a URL body beside it, or
        /// a document): code that calls any endpoint it is told the name of (the
        /// CLI's `call`) gets each with the bounds its call needs.
        pub fn visit_image_calls(visitor: &mut impl d::ImageCallVisitor) {
            #(#image_call_visits)*
        }

        /// Calls `visitor` once per endpoint of a client whose request is
        /// built from named text inputs and at most one image
        /// ([`FromInputs`](d::FromInputs)): code told an endpoint's name
        /// (the CLI's `call`) can then send it any input the spec lists.
        pub fn visit_input_calls(visitor: &mut impl d::InputCallVisitor) {
            #(#input_call_visits)*
        }

        /// Whether `json` is a well-formed value of the request type `name`
        /// of `family` (a JSON or form body, or a JSON part): `None` for a
        /// type no request sends. What a receiver (the emulator) reads a
        /// request with, so a body of the wrong shape is refused as the
        /// service refuses it.
        pub fn reads_request_json(family: &str, name: &str, json: &[u8]) -> Option<bool> {
            match (family, name) {
                #(#reads_arms)*
                _ => None,
            }
        }

        /// What walks every generated enum: the crate's own tests check each
        /// against its spec, with no hand-written list to keep up to date.
        #[cfg(test)]
        pub(crate) trait EnumVisitor {
            /// Called once per enum, with its family's module and its name.
            fn visit<E: d::WireEnum + 'static>(&mut self, module: &'static str, name: &'static str);
        }

        /// Calls `visitor` on every generated enum, in spec order.
        #[cfg(test)]
        pub(crate) fn visit_enums(visitor: &mut impl EnumVisitor) {
            #(#enum_visits)*
        }

        /// What walks every generated object type: the crate's own tests
        /// decode each against its shape, with no hand-written list.
        #[cfg(test)]
        pub(crate) trait TypeVisitor {
            /// Called once per type, with its family's module and its name.
            fn visit<T>(&mut self, module: &'static str, name: &'static str)
            where
                T: d::Schema + serde::de::DeserializeOwned + serde::Serialize + 'static;
        }

        /// Calls `visitor` on every generated object type, in spec order.
        #[cfg(test)]
        pub(crate) fn visit_types(visitor: &mut impl TypeVisitor) {
            #(#type_visits)*
        }

        /// A vendor error code, typed by the family that sent it. Each family's
        /// generated `ErrorCode` has every documented code plus an `Unknown` fallback.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum VendorErrorCode {
            #(#variants)*
        }

        impl VendorErrorCode {
            /// The code `code` (as the vendor writes it) of the family named
            /// `family`; `None` for a family the crate does not define, or text
            /// that cannot be one of its codes.
            pub fn parse(family: &str, code: &str) -> Option<Self> {
                match family {
                    #(#parse_arms)*
                    _ => None,
                }
            }

            /// The code an answer of the family named `family` carries, as its
            /// error shape carries it; `None` for a family the crate does not
            /// define, or a code of the wrong kind for it.
            pub fn from_wire(family: &str, code: d::WireCode<'_>) -> Option<Self> {
                match family {
                    #(#wire_arms)*
                    _ => None,
                }
            }

            /// What the spec records, or `None` for a code it does not list.
            pub fn info(&self) -> Option<&'static d::ErrorInfo> {
                match self {
                    #info_arms
                }
            }

            /// The code as the vendor sends it (`4000301`, `-1`, `0011`).
            pub fn code(&self) -> std::borrow::Cow<'static, str> {
                match self {
                    #code_arms
                }
            }

            /// The family whose table the code belongs to.
            pub fn family(&self) -> &'static d::Family {
                match self {
                    #(#family_arms)*
                }
            }

            /// The variant name the spec gives the code, or `unknown code`.
            pub fn name(&self) -> &'static str {
                self.info().map_or("unknown code", |i| i.name)
            }

            /// Whether a retry can help; unknown codes are assumed not to.
            pub fn is_retryable(&self) -> bool {
                self.info().is_some_and(|i| i.retryable)
            }

            /// Whether the code is a rate limit (the caller sends too fast);
            /// unknown codes are assumed not to be.
            pub fn is_throttling(&self) -> bool {
                self.info().is_some_and(|i| i.throttling)
            }
        }

        #(#froms)*
    }
}
