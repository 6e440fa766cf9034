//! Typed checks for a type with a `discriminator`: one struct per value
//! holding exactly the fields that value uses (required ones plain, so a
//! missing one does not compile), an enum over them, conversions to and
//! from the wire type, and validation.
//!
//! The validation is data: a `RULES` table per struct (one
//! `crate::wire::format::Rule` per field) handed with the field values to
//! the runtime's `format::check`. The checking itself is written once, by
//! hand, and shared by the client and the emulator; other code (the CLI)
//! can read the table.

use super::{doc, ident};
use crate::model::{Discriminated, Format, Length, Object, Rule, Variant, VariantField};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The checks for `obj`, if it has a discriminator.
pub(super) fn checks(obj: &Object) -> Option<TokenStream> {
    let d = obj.discriminated.as_ref()?;
    let structs = d.variants.iter().map(|v| variant_struct(obj, d, v));
    let checks_enum = checks_enum(obj, d);
    let to_wire = to_wire(obj, d);
    let from_wire = from_wire(obj, d);
    let reexports = reexports(d);
    Some(quote! {
        #checks_enum
        #(#structs)*
        #to_wire
        #from_wire
        #reexports
    })
}

/// A module naming the enum and every per-value struct, so that hand-written
/// code re-exports them with a glob and follows the spec when a value comes
/// or goes.
fn reexports(d: &Discriminated) -> TokenStream {
    let module = ident(&format!("{}s", crate::names::snake(&d.checks_enum)));
    let checks = ident(&d.checks_enum);
    let structs = d.variants.iter().map(|v| ident(&v.struct_name));
    let docs = doc(&format!(
        "[`{}`] and its per-value structs, for re-exporting with a glob.",
        d.checks_enum
    ));
    quote! {
        #docs
        pub mod #module {
            pub use super::{#checks, #(#structs),*};
        }
    }
}

/// A rule in words, for doc comments (the runtime words its errors itself).
pub(super) fn describe(rule: Rule) -> String {
    let presence = if rule.required {
        "required"
    } else {
        "optional"
    };
    match rule.format {
        Some(format) => format!("{presence}, {}", describe_format(format)),
        None => format!("{presence}, any text that is not blank"),
    }
}

pub(super) fn describe_format(format: Format) -> String {
    let length = |l: Length| {
        if l.min == l.max {
            format!("exactly {}", l.min)
        } else {
            format!("{} to {}", l.min, l.max)
        }
    };
    match format {
        Format::Date => "a real calendar date as YYYYMMDD".to_string(),
        Format::Digits(l) => format!("{} digits", length(l)),
        Format::Alnum(l) => format!("{} letters or digits", length(l)),
        Format::UpperAlnum(l) => format!("{} upper-case letters or digits", length(l)),
        Format::Chars(l) => format!("{} characters", length(l)),
    }
}

/// `Some(f::Format::Digits(f::Length::exactly(13)))`, or `None`.
fn format_tokens(format: Option<Format>) -> TokenStream {
    match format {
        Some(format) => quote! { Some(#format) },
        None => quote! { None },
    }
}

fn value_type(field: &VariantField) -> TokenStream {
    if field.secret {
        quote! { Sensitive }
    } else {
        quote! { String }
    }
}

fn checks_enum(obj: &Object, d: &Discriminated) -> TokenStream {
    let name = ident(&d.checks_enum);
    let discriminator = &d.field_wire;
    let docs = doc(&format!(
        "`{}` typed by `{discriminator}`: one variant per value, each holding exactly the \
         fields that value uses, as the spec's `variants` say.\n\n\
         Convert it into the wire type with `From`; a received wire request becomes one \
         (validated) with `TryFrom`.",
        obj.name
    ));
    let variants = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let inner = ident(&v.struct_name);
        let docs = doc(&format!("`{}`: {}", v.wire, v.description));
        quote! {
            #docs
            #rust(#inner),
        }
    });
    let accessor = ident(&d.field_rust);
    let enum_type = ident(&d.enum_type);
    let value_arms = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        quote! { Self::#rust(_) => #enum_type::#rust, }
    });
    let validate_arms = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        quote! { Self::#rust(check) => check.validate(), }
    });
    let accessor_doc = doc(&format!("The `{discriminator}` this check is for."));
    let validate_doc = doc(&format!(
        "Checks every field against the spec's rules for its `{discriminator}`.\n\n\
         # Errors\n\n\
         `InvalidInput::Field` for the first field that breaks its rule, naming the rule, \
         never the value."
    ));
    let froms = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let inner = ident(&v.struct_name);
        quote! {
            impl From<#inner> for #name {
                fn from(check: #inner) -> Self {
                    Self::#rust(check)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub enum #name {
            #(#variants)*
        }
        impl #name {
            #accessor_doc
            pub fn #accessor(&self) -> #enum_type {
                match self {
                    #(#value_arms)*
                }
            }
            #validate_doc
            pub fn validate(&self) -> Result<(), ::ocrwire::error::InvalidInput> {
                match self {
                    #(#validate_arms)*
                }
            }
        }
        impl d::Checks for #name {
            fn validate(&self) -> Result<(), ::ocrwire::error::InvalidInput> {
                #name::validate(self)
            }
        }
        #(#froms)*
    }
}

fn variant_struct(obj: &Object, d: &Discriminated, v: &Variant) -> TokenStream {
    let name = ident(&v.struct_name);
    let docs = doc(&format!(
        "The fields of `{}` for `{}` `{}`: {}\n\n\
         Required fields are plain, so leaving one out does not compile; `validate` checks \
         their forms.",
        obj.name, d.field_wire, v.wire, v.description
    ));
    let fields = v.fields.iter().map(|field| {
        let rust = ident(&field.rust);
        let ty = value_type(field);
        let docs = doc(&format!(
            "{}\n\nWire name `{}`; {}.",
            field.description,
            field.wire,
            describe(field.rule)
        ));
        let ty = if field.rule.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        quote! {
            #docs
            pub #rust: #ty,
        }
    });
    let wire_value = &v.wire;
    let count = Literal::usize_unsuffixed(v.fields.len());
    let rules = v.fields.iter().map(|field| {
        let wire = &field.wire;
        let format = format_tokens(field.rule.format);
        if field.rule.required {
            quote! { f::Rule::required(#wire, #format), }
        } else {
            quote! { f::Rule::optional(#wire, #format), }
        }
    });
    let values = v.fields.iter().map(|field| {
        let rust = ident(&field.rust);
        match (field.rule.required, field.secret) {
            (true, true) => quote! { Some(self.#rust.expose()), },
            (true, false) => quote! { Some(self.#rust.as_str()), },
            (false, true) => quote! { self.#rust.as_ref().map(Sensitive::expose), },
            (false, false) => quote! { self.#rust.as_deref(), },
        }
    });
    let rules_doc = doc(&format!(
        "The spec's rule for each field for `{wire_value}`, in field order."
    ));
    let validate_doc = doc(
        "Checks each field against its rule in [`Self::RULES`], in order.\n\n\
         # Errors\n\n\
         `InvalidInput::Field` for the first field that breaks its rule.",
    );
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #name {
            #(#fields)*
        }
        impl #name {
            #rules_doc
            pub const RULES: [f::Rule; #count] = [
                #(#rules)*
            ];
            #validate_doc
            pub fn validate(&self) -> Result<(), ::ocrwire::error::InvalidInput> {
                f::check(#wire_value, &Self::RULES, [#(#values)*])
            }
        }
    }
}

/// `From<checks enum> for <wire type>`: the value's fields set, every other
/// field `None`.
fn to_wire(obj: &Object, d: &Discriminated) -> TokenStream {
    let wire_type = ident(&obj.name);
    let checks = ident(&d.checks_enum);
    let enum_type = ident(&d.enum_type);
    let discriminator = ident(&d.field_rust);
    let arms = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let values = obj
            .fields
            .iter()
            .filter(|f| f.rust != d.field_rust)
            .map(|f| {
                let name = ident(&f.rust);
                match v.fields.iter().find(|vf| vf.rust == f.rust) {
                    Some(vf) if vf.rule.required => quote! { #name: Some(check.#name), },
                    Some(_) => quote! { #name: check.#name, },
                    None => quote! { #name: None, },
                }
            });
        quote! {
            #checks::#rust(check) => #wire_type {
                #discriminator: #enum_type::#rust,
                #(#values)*
            },
        }
    });
    let docs = doc("The wire request, in plaintext (the runtime seals its encrypted fields).");
    quote! {
        #docs
        impl From<#checks> for #wire_type {
            fn from(check: #checks) -> Self {
                match check {
                    #(#arms)*
                }
            }
        }
    }
}

/// `TryFrom<wire type> for <checks enum>`: what a server does with a
/// received, decrypted request before acting on it.
fn from_wire(obj: &Object, d: &Discriminated) -> TokenStream {
    let wire_type = ident(&obj.name);
    let checks = ident(&d.checks_enum);
    let enum_type = ident(&d.enum_type);
    let discriminator = ident(&d.field_rust);
    let discriminator_wire = &d.field_wire;
    let known: Vec<&str> = d.variants.iter().map(|v| v.wire.as_str()).collect();
    let arms = d.variants.iter().map(|v| {
        let rust = ident(&v.rust);
        let inner = ident(&v.struct_name);
        let wire_value = &v.wire;
        let values = v.fields.iter().map(|vf| {
            let name = ident(&vf.rust);
            let wire = &vf.wire;
            if vf.rule.required {
                quote! { #name: f::present(#wire_value, #wire, wire.#name)?, }
            } else {
                quote! { #name: wire.#name, }
            }
        });
        quote! {
            #enum_type::#rust => Self::#rust(#inner {
                #(#values)*
            }),
        }
    });
    let docs = doc(&format!(
        "Reads a received (decrypted) request as the check for its `{discriminator_wire}` and \
         validates it. Fields the value does not use are ignored."
    ));
    quote! {
        #docs
        impl TryFrom<#wire_type> for #checks {
            type Error = ::ocrwire::error::InvalidInput;
            fn try_from(wire: #wire_type) -> Result<Self, Self::Error> {
                let check = match wire.#discriminator {
                    #(#arms)*
                    _ => return Err(f::unknown_variant(#discriminator_wire, &[#(#known),*])),
                };
                check.validate()?;
                Ok(check)
            }
        }
    }
}
