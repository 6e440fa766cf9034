//! The family as a whole: `FAMILY`, its auth schemes and versions, the
//! `Api` marker that names its generated types for the runtime, the
//! verdict glue of its error shape, and its public-key services.

use super::{doc, ident, opt_str};
use crate::model::{BaseUrl, Credential, ErrorShape, Family};
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn family(f: &Family) -> TokenStream {
    let family_const = family_const(f);
    let schemes = f.auth.iter().map(|a| {
        let name = ident(&a.const_name);
        let (scheme, header, prefix) = (&a.name, &a.header, &a.prefix);
        let credential = match &a.credential {
            Credential::SecretKey => quote! { d::Credential::SecretKey },
            Credential::KeyPair => quote! { d::Credential::KeyPair },
            Credential::Token {
                issued_by_module, ..
            } => {
                let module = ident(issued_by_module);
                quote! {
                    d::Credential::Token {
                        issued_by: &::ocrwire::wire::#module::FAMILY,
                    }
                }
            }
        };
        let refused_with = opt_str(a.refused_with.as_ref().map(ToString::to_string).as_deref());
        let header_name = super::endpoints::header_name(header);
        let docs = doc(&format!(
            "Auth scheme `{scheme}`: {}\n\n`{header}: {prefix}<{}>`",
            a.description,
            match &a.credential {
                Credential::SecretKey => "secret key".to_string(),
                Credential::KeyPair => "Base64 of id:secret".to_string(),
                Credential::Token { issued_by, .. } => format!("token from {issued_by}"),
            }
        ));
        quote! {
            #docs
            pub const #name: d::AuthScheme = d::AuthScheme {
                name: #scheme,
                header: #header_name,
                prefix: #prefix,
                credential: #credential,
                refused_with: #refused_with,
            };
        }
    });
    let versions = f.versions.iter().map(|v| {
        let name = ident(&version_const(v));
        let auth = &f.auth[v.auth];
        let scheme = ident(&auth.const_name);
        let prefix = &v.path_prefix;
        let errors: Vec<String> = v.errors.iter().map(ToString::to_string).collect();
        let label = opt_str(v.name.as_deref());
        let docs = doc(&match &v.name {
            Some(n) => format!(
                "Version `{n}`: paths under `{prefix}`, authenticated by [`{}`].",
                auth.const_name
            ),
            None => format!(
                "The family's one version, authenticated by [`{}`].",
                auth.const_name
            ),
        });
        quote! {
            #docs
            pub const #name: d::Version = d::Version {
                name: #label,
                path_prefix: #prefix,
                auth: &#scheme,
                errors: &[#(#errors),*],
            };
        }
    });
    let api = api(f);
    let verdict = verdict(f);
    let response = response_wrapper(f);
    let key_service = key_service(f);
    let limits = super::endpoints::limits(&f.limits);
    let mut limit_notes = String::from("The limits of every endpoint that states none of its own.");
    for note in &f.limits.notes {
        limit_notes.push_str(&format!("\n\n- {note}"));
    }
    let limit_docs = doc(&limit_notes);
    quote! {
        #family_const
        #limit_docs
        pub const LIMITS: d::Limits = #limits;
        #(#schemes)*
        #(#versions)*
        #api
        #verdict
        #response
        #key_service
    }
}

/// The constant name of a version: `V2_1`, or `VERSION` for the only one.
pub(super) fn version_const(v: &crate::model::Version) -> String {
    v.const_name
        .clone()
        .unwrap_or_else(|| "VERSION".to_string())
}

fn family_const(f: &Family) -> TokenStream {
    let (name, title) = (&f.name, &f.title);
    let vendor = f.vendor;
    let base_url = match &f.base_url {
        BaseUrl::Fixed {
            default,
            alternates,
        } => {
            let alternates = alternates.iter().map(|a| {
                let (url, until) = (&a.url, opt_str(a.until.as_deref()));
                quote! { d::AlternateUrl { url: #url, until: #until } }
            });
            quote! { d::BaseUrl::Fixed { default: #default, alternates: &[#(#alternates),*] } }
        }
        BaseUrl::PerCaller { path, params, .. } => {
            quote! { d::BaseUrl::PerCaller { path: #path, params: &[#(#params),*] } }
        }
    };
    let versions = f.versions.iter().map(|v| {
        let v = ident(&version_const(v));
        quote! { &#v }
    });
    let codes = match f.code_kind {
        crate::model::CodeKind::Integer => quote! { d::CodeKind::Integer },
        crate::model::CodeKind::Text => quote! { d::CodeKind::Text },
    };
    let error_shape = match &f.error_shape {
        ErrorShape::ResultHeader {
            member,
            result,
            success,
            code,
            message,
            ..
        } => {
            let (success, code, message) = (&success.wire, &code.wire, &message.wire);
            quote! {
                d::ErrorShape::ResultHeader {
                    member: #member,
                    result: #result,
                    success: #success,
                    code: #code,
                    message: #message,
                    codes: #codes,
                }
            }
        }
        ErrorShape::StatusAndBody { code, message, .. } => {
            let (code, message) = (&code.wire, &message.wire);
            quote! { d::ErrorShape::StatusAndBody { code: #code, message: #message, codes: #codes } }
        }
    };
    let envelope = match &f.envelope {
        Some(e) => {
            let bytes = super::num(e.symmetric_key_bytes);
            let endpoint = f
                .endpoint(&e.public_key_endpoint)
                .map(|ep| ident(&ep.const_name));
            let code = e.key_version_error.to_string();
            let (key, version) = (&e.key_field, &e.version_field);
            quote! {
                Some(d::Envelope {
                    symmetric_key_bytes: #bytes,
                    public_key_endpoint: &#endpoint,
                    key_field: #key,
                    version_field: #version,
                    key_version_error: #code,
                })
            }
        }
        None => quote! { None },
    };
    let yields_to = &f.yields_to;
    let error_groups = f.error_groups.iter().map(|g| {
        let c = ident(&g.const_name);
        quote! { &#c }
    });
    let endpoints = f.endpoints.iter().map(|e| {
        let c = ident(&e.const_name);
        quote! { &#c }
    });
    let docs = doc(&family_docs(f));
    quote! {
        #docs
        pub const FAMILY: d::Family = d::Family {
            name: #name,
            title: #title,
            vendor: #vendor,
            base_url: #base_url,
            versions: &[#(#versions),*],
            error_shape: #error_shape,
            envelope: #envelope,
            errors: ERRORS,
            common_errors: COMMON_ERRORS,
            error_groups: &[#(#error_groups),*],
            endpoints: &[#(#endpoints),*],
            yields_to: &[#(#yields_to),*],
        };
    }
}

/// What a reader of the generated file should know about the family, in
/// the vendor's words where it matters: sources, hosts, the envelope, and
/// where the documents disagree with themselves.
fn family_docs(f: &Family) -> String {
    let mut text = format!("{}.\n\nSources: {}.", f.title, f.sources.join(", "));
    match &f.base_url {
        BaseUrl::Fixed { alternates, .. } => {
            for a in alternates {
                let until = a
                    .until
                    .as_deref()
                    .map_or(String::new(), |d| format!(" (until {d})"));
                text.push_str(&format!(
                    "\n\nAlso served at `{}`{until}: {}",
                    a.url, a.note
                ));
            }
        }
        BaseUrl::PerCaller { template, .. } => {
            text.push_str(&format!("\n\nBase URL: {template}."));
        }
    }
    if let Some(e) = &f.envelope {
        text.push_str("\n\n# The envelope\n");
        for (what, words) in &e.facts {
            text.push_str(&format!("\n- {what}: {words}"));
        }
    }
    if !f.contradictions.is_empty() {
        text.push_str("\n\n# Where the vendor's documents disagree\n");
        for c in &f.contradictions {
            text.push_str(&format!(
                "\n- `{}`: {}\n  Resolution: {}",
                c.at, c.what, c.resolution
            ));
        }
    }
    text
}

/// `pub struct Api;` and its `d::Api` impl.
fn api(f: &Family) -> TokenStream {
    let verdict = ident(f.error_shape.verdict_type());
    let token_api = token_api(f);
    let uses_tokens = uses_tokens(f);
    let host = host(f);
    let docs = doc(&format!(
        "The generated types of `{}`, as one unit for the runtime's generic code.",
        f.name
    ));
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct Api;

        impl d::Api for Api {
            const FAMILY: &'static d::Family = &FAMILY;
            type ErrorCode = ErrorCode;
            type Verdict = #verdict;
        }

        #token_api
        #uses_tokens
        #host
    }
}

/// `impl d::FixedHost` for a family with one host for everyone, or
/// `impl d::PerCallerHost` for one whose callers each have a URL.
fn host(f: &Family) -> TokenStream {
    match &f.base_url {
        crate::model::BaseUrl::Fixed { default, .. } => quote! {
            impl d::FixedHost for Api {
                const DEFAULT_URL: &'static str = #default;
            }
        },
        crate::model::BaseUrl::PerCaller { path, .. } => quote! {
            impl d::PerCallerHost for Api {
                const PATH: &'static str = #path;
            }
        },
    }
}

/// `impl d::TokenApi`, for a family with a token endpoint (validation
/// makes sure it also has exactly one revoking endpoint).
fn token_api(f: &Family) -> Option<TokenStream> {
    let create = f.endpoints.iter().find(|e| e.response.token.is_some())?;
    let revoke = f.endpoints.iter().find(|e| e.revokes_token.is_some())?;
    let (create, revoke) = (ident(&create.op_name), ident(&revoke.op_name));
    Some(quote! {
        impl d::TokenApi for Api {
            type Create = #create;
            type Revoke = #revoke;
        }
    })
}

/// `impl d::UsesTokens`, for a family with a token scheme.
fn uses_tokens(f: &Family) -> Option<TokenStream> {
    let issuer = f.auth.iter().find_map(|a| match &a.credential {
        Credential::Token {
            issued_by_module, ..
        } => Some(ident(issued_by_module)),
        _ => None,
    })?;
    Some(quote! {
        impl d::UsesTokens for Api {
            type Issuer = ::ocrwire::wire::#issuer::Api;
        }
    })
}

/// `impl d::Verdict` for the type the error shape names, reading the
/// fields it names.
fn verdict(f: &Family) -> TokenStream {
    let read = |field: &crate::model::FieldRef, text: bool| {
        let name = ident(&field.rust);
        match (field.optional, text) {
            (false, true) => quote! { self.#name.as_str() },
            (true, true) => quote! { self.#name.as_deref() },
            (false, false) => quote! { self.#name },
            (true, false) => quote! { self.#name },
        }
    };
    let integer = f.code_kind == crate::model::CodeKind::Integer;
    let (ty, body) = match &f.error_shape {
        ErrorShape::ResultHeader {
            header_type,
            success,
            code,
            message,
            ..
        } => {
            let success = ident(&success.rust);
            let code = ident(&code.rust);
            let code = if integer {
                quote! { d::WireCode::Integer(self.#code) }
            } else {
                quote! { d::WireCode::Text(&self.#code) }
            };
            let message = if message.optional {
                let m = ident(&message.rust);
                quote! { self.#m.as_deref().unwrap_or_default() }
            } else {
                read(message, true)
            };
            (
                header_type,
                quote! {
                    if self.#success {
                        return None;
                    }
                    Some(d::Refusal { code: #code, message: #message })
                },
            )
        }
        ErrorShape::StatusAndBody {
            body_type,
            code,
            message,
        } => {
            let c = ident(&code.rust);
            let code = match (integer, code.optional) {
                (true, true) => quote! { d::WireCode::Integer(self.#c?) },
                (true, false) => quote! { d::WireCode::Integer(self.#c) },
                (false, true) => quote! { d::WireCode::Text(self.#c.as_deref()?) },
                (false, false) => quote! { d::WireCode::Text(&self.#c) },
            };
            let message = if message.optional {
                let m = ident(&message.rust);
                quote! { self.#m.as_deref().unwrap_or_default() }
            } else {
                read(message, true)
            };
            (
                body_type,
                quote! {
                    Some(d::Refusal { code: #code, message: #message })
                },
            )
        }
    };
    let ty = ident(ty);
    quote! {
        impl d::Verdict for #ty {
            fn refusal(&self) -> Option<d::Refusal<'_>> {
                #body
            }
        }
    }
}

/// For a result-header family: the whole answer, `{header, result}` by the
/// shape's member names.
fn response_wrapper(f: &Family) -> Option<TokenStream> {
    let ErrorShape::ResultHeader {
        member,
        header_type,
        result,
        ..
    } = &f.error_shape
    else {
        return None;
    };
    let header = ident(&names::snake(member));
    let result_field = ident(&names::snake(result));
    let header_ty = ident(header_type);
    let docs = doc(&format!(
        "A whole answer: the verdict (`{member}`) and, on success, the endpoint's payload (`{result}`)."
    ));
    let header_docs = doc(&format!(
        "Whether the call succeeded, with the vendor's code and message (`{member}`)."
    ));
    let result_docs = doc(&format!(
        "The endpoint's payload (`{result}`): present on success, absent when the call was refused."
    ));
    // The envelope opens the payload's strings through the wrapper, in a
    // family that has one.
    let enveloped = f.envelope.is_some().then(|| quote! {
        impl<T: ::ocrwire::envelope::EncryptedFields> ::ocrwire::envelope::EncryptedFields for Response<T> {
            fn visit_encrypted(
                &mut self,
                path: &mut ::ocrwire::envelope::FieldPath,
                visit: &mut ::ocrwire::envelope::Visitor<'_>,
            ) -> Result<(), ::ocrwire::envelope::FieldError> {
                path.push_field(#result);
                let outcome = self.#result_field.visit_encrypted(path, visit);
                path.pop();
                outcome
            }
        }
    });
    Some(quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct Response<T> {
            #header_docs
            #[serde(rename = #member)]
            pub #header: #header_ty,
            #result_docs
            #[serde(rename = #result, default = "Option::default", skip_serializing_if = "Option::is_none")]
            pub #result_field: Option<T>,
        }

        impl<T: d::Schema> Response<T> {
            /// The members of a whole answer: the verdict, which every answer
            /// carries, and the payload.
            pub fn members() -> [d::Member<'static>; 2] {
                [
                    d::Member::required(#member, <#header_ty as d::Schema>::SHAPE),
                    d::Member::optional(#result, T::SHAPE),
                ]
            }

            /// What a whole answer carries that the spec does not know.
            pub fn drift(answer: &serde_json::Value) -> Vec<::ocrwire::wire::drift::Drift> {
                ::ocrwire::wire::drift::check_members(&Self::members(), answer)
            }
        }

        #enveloped
    })
}

/// For a family with an envelope: the services its public keys are issued
/// for, as an enum (the public-key endpoint's `allowed` values).
fn key_service(f: &Family) -> Option<TokenStream> {
    let envelope = f.envelope.as_ref()?;
    let endpoint = f.endpoint(&envelope.public_key_endpoint)?;
    let param = endpoint
        .path_params
        .iter()
        .find(|p| p.value == crate::model::ParamValue::Argument)?;
    let variants: Vec<_> = param
        .allowed
        .iter()
        .map(|value| (value, ident(&names::upper_camel(value))))
        .collect();
    let defs = variants.iter().map(|(value, v)| {
        let docs = doc(&format!("`{value}`"));
        quote! { #docs #v, }
    });
    let arms = variants
        .iter()
        .map(|(value, v)| quote! { Self::#v => #value, });
    let all = variants.iter().map(|(_, v)| quote! { Self::#v });
    let docs = doc(&format!(
        "A service the public-key endpoint (`{}`) issues keys for: the `allowed` values of its `{}`.",
        endpoint.name, param.name
    ));
    Some(quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum KeyService {
            #(#defs)*
        }

        impl KeyService {
            /// Every service, in the spec's order.
            pub const ALL: &'static [KeyService] = &[#(#all),*];

            /// The path value.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }
    })
}
