//! Wire types: one struct per spec object, one enum per spec enum.

use super::{doc, ident, rust_type};
use crate::model::{Enum, Field, Object, RenameAll, TypeExpr};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn object(obj: &Object, enveloped: bool) -> TokenStream {
    let name = ident(&obj.name);
    let docs = match &obj.discriminated {
        Some(d) => doc(&format!(
            "{}\n\nWhich fields are needed depends on `{}`; [`{}`] holds exactly those per value.",
            obj.description, d.field_wire, d.checks_enum
        )),
        None => doc(&obj.description),
    };
    let default = obj.derives_default.then(|| quote! { Default, });
    let fields = obj.fields.iter().map(|f| field(f, obj.rename_all));
    let accessors = accessors(obj);
    let members = obj.fields.iter().map(|f| {
        let (wire, shape) = (&f.wire, shape(&f.ty));
        match f.required {
            true => quote! { d::Member::required(#wire, #shape), },
            false => quote! { d::Member::optional(#wire, #shape), },
        }
    });
    let type_name = &obj.name;
    let outline = obj.outline.map(|o| match o {
        crate::spec::Outline::Corners => quote! { .outline(d::Outline::Corners) },
        crate::spec::Outline::Vertices => quote! { .outline(d::Outline::Vertices) },
        crate::spec::Outline::Rectangle => quote! { .outline(d::Outline::Rectangle) },
    });
    let reads_as = (!obj.reads_as.is_empty()).then(|| {
        let paths = &obj.reads_as;
        quote! { .reads_as(&[#(#paths),*]) }
    });
    let schema = quote! {
        impl d::Schema for #name {
            const SHAPE: &'static d::Shape<'static> = &d::Shape::Object(
                &d::ObjectShape::new(#type_name, &[#(#members)*]) #reads_as #outline
            );
        }
    };
    let envelope = envelope_derive(enveloped);
    let rename_all = match obj.rename_all {
        RenameAll::None => None,
        RenameAll::CamelCase => Some(quote! { #[serde(rename_all = "camelCase")] }),
    };
    quote! {
        #docs
        #[derive(Clone, Debug, #default PartialEq, Serialize, Deserialize, #envelope)]
        #rename_all
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #accessors
        #schema
    }
}

/// The `EncryptedFields` derive, which only a family with an envelope
/// needs: the envelope seals and opens its `#[encrypted]` strings through
/// it. A family without one carries no envelope code at all.
fn envelope_derive(enveloped: bool) -> Option<TokenStream> {
    enveloped.then(|| quote! { EncryptedFields })
}

/// The spec's shape of a field's type, for decoding: the drift check and
/// setting aside a member of an unexpected shape.
fn shape(ty: &TypeExpr) -> TokenStream {
    match ty {
        TypeExpr::Enum(name) | TypeExpr::Object(name) => {
            let name = ident(name);
            quote! { #name::SHAPE }
        }
        TypeExpr::List(inner) => {
            let inner = shape(inner);
            quote! { &d::Shape::List(#inner) }
        }
        TypeExpr::OneOrList(inner) => {
            let inner = shape(inner);
            quote! { &d::Shape::OneOrList(#inner) }
        }
        TypeExpr::Json => quote! { &d::Shape::Any },
        TypeExpr::String | TypeExpr::Base64 => quote! { &d::Shape::Text },
        TypeExpr::Int => quote! { &d::Shape::Integer },
        TypeExpr::Float => quote! { &d::Shape::Number },
        TypeExpr::Bool => quote! { &d::Shape::Bool },
        TypeExpr::IntOrString => quote! { &d::Shape::IntegerOrText },
    }
}

fn field(f: &Field, rule: RenameAll) -> TokenStream {
    let name = ident(&f.rust);
    let wire = &f.wire;
    let inner = rust_type(&f.ty, f.secret());
    let mut text = f.description.clone();
    // What the declaration already shows (`Option` or not, `Sensitive`,
    // `#[encrypted]`) is not repeated in words.
    let mut facts = Vec::new();
    if let Some(format) = &f.format {
        facts.push(format!("format: {format}"));
    }
    if let Some(form) = f.checked {
        let form = super::checks::describe_format(form);
        facts.push(format!("{form}, checked before a request is sent"));
    }
    if let Some(value) = &f.fixed {
        let constant = crate::names::screaming_snake(&f.rust);
        facts.push(format!("always `{value}` ([`Self::{constant}`])"));
    }
    for (value, rule) in &f.variants {
        facts.push(format!("for `{value}` {}", super::checks::describe(*rule)));
    }
    if let Some(primary) = &f.spelling_of {
        facts.push(format!("another spelling of `{primary}`"));
    }
    if !facts.is_empty() {
        // The first fact starts a sentence.
        let first = &mut facts[0];
        if let Some(c) = first.get(..1) {
            *first = format!("{}{}", c.to_uppercase(), &first[1..]);
        }
        text.push_str("\n\n");
        text.push_str(&facts.join("; "));
        text.push('.');
    }
    let docs = doc(&text);
    let encrypted = f.encrypted.then(|| quote! { #[encrypted] });
    // Only names the type's rule does not produce are spelled out.
    let rename = (rule.apply(&f.rust) != *wire).then(|| quote! { rename = #wire, });
    if f.required {
        let rename = rename.map(|r| quote! { #[serde(#r)] });
        quote! {
            #docs
            #rename
            #encrypted
            pub #name: #inner,
        }
    } else {
        quote! {
            #docs
            #[serde(#rename default, skip_serializing_if = "Option::is_none")]
            #encrypted
            pub #name: Option<#inner>,
        }
    }
}

fn accessors(obj: &Object) -> Option<TokenStream> {
    if obj.spelling_accessors.is_empty() {
        return None;
    }
    let name = ident(&obj.name);
    let methods = obj.spelling_accessors.iter().map(|a| {
        let method = ident(&a.method);
        let ty = rust_type(&a.ty, a.secret);
        let wires: Vec<String> = a.wires.iter().map(|w| format!("`{w}`")).collect();
        let docs = doc(&format!(
            "The value under whichever spelling the vendor sent: {}.",
            wires.join(" or ")
        ));
        let mut fields = a.fields.iter().map(|f| ident(f));
        let first = fields.next();
        quote! {
            #docs
            pub fn #method(&self) -> Option<&#ty> {
                self.#first.as_ref() #(.or(self.#fields.as_ref()))*
            }
        }
    });
    Some(quote! {
        impl #name {
            #(#methods)*
        }
    })
}

pub(super) fn enumeration(e: &Enum, enveloped: bool) -> TokenStream {
    let name = ident(&e.name);
    let envelope = envelope_derive(enveloped);
    let docs = doc(&format!(
        "{}\n\nA value the spec does not list is kept in `Unknown`, exactly as sent.",
        e.description
    ));
    let variants = e.values.iter().map(|v| {
        let (wire, variant) = (&v.wire, ident(&v.rust));
        let docs = doc(&format!("`{wire}`: {}", v.description));
        quote! {
            #docs
            #[serde(rename = #wire)]
            #variant,
        }
    });
    let arms = e.values.iter().map(|v| {
        let (wire, variant) = (&v.wire, ident(&v.rust));
        quote! { Self::#variant => #wire, }
    });
    let enum_name = &e.name;
    let values = e.values.iter().map(|v| {
        let (wire, meaning) = (&v.wire, &v.description);
        quote! { d::EnumValue::new(#wire, #meaning) }
    });
    let parse_arms = e.values.iter().map(|v| {
        let (wire, variant) = (&v.wire, ident(&v.rust));
        quote! { #wire => Self::#variant, }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, #envelope)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not know, as sent (a
            /// client's drift check reports it).
            #[serde(untagged)]
            Unknown(String),
        }
        impl #name {
            /// The variant for a wire value, matched exactly as serde matches it.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #(#parse_arms)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl d::Schema for #name {
            const SHAPE: &'static d::Shape<'static> = &d::Shape::Enum(
                &d::EnumShape::new(#enum_name, &[#(#values),*])
            );
        }
        impl d::WireEnum for #name {
            fn from_wire(value: &str) -> Self {
                Self::from_wire(value)
            }
            fn as_str(&self) -> &str {
                Self::as_str(self)
            }
            fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
