//! `#[derive(EncryptedFields)]` and its `#[encrypted]` field marker.
//!
//! The derive writes one method that walks a value and hands every
//! `#[encrypted]` string to a visitor, with the wire path of the field
//! (`result.cardNums[2].value`). The runtime's envelope passes a visitor that
//! seals (requests) or opens (responses) each string in place, so generated
//! types never contain crypto code, and a decryption error can name the field.
//!
//! `#[encrypted]` is refused at compile time on a field whose type cannot
//! carry ciphertext: the envelope sends Base64 text, so only `Sensitive`
//! values (alone, in an `Option`, a `Vec` or a `OneOrMany`) qualify.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, PathArguments, Type, parse_macro_input};

#[proc_macro_derive(EncryptedFields, attributes(encrypted))]
pub fn derive_encrypted_fields(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(|e| e.to_compile_error())
        .into()
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let rule = rename_all(&input.attrs)?;
    let body = match &input.data {
        Data::Struct(s) => {
            let visits = visit_fields(&s.fields, rule, |member| quote! { &mut self.#member })?;
            quote! { #(#visits)* }
        }
        Data::Enum(e) => {
            let mut arms = Vec::new();
            for v in &e.variants {
                let vname = &v.ident;
                let bindings: Vec<_> = v
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| f.ident.clone().unwrap_or_else(|| format_ident!("field{i}")))
                    .collect();
                let visits = visit_fields(&v.fields, None, |member| {
                    let binding = match member {
                        syn::Member::Named(id) => id.clone(),
                        syn::Member::Unnamed(idx) => format_ident!("field{}", idx.index),
                    };
                    quote! { #binding }
                })?;
                let pattern = match &v.fields {
                    Fields::Named(_) => quote! { Self::#vname { #(#bindings),* } },
                    Fields::Unnamed(_) => quote! { Self::#vname ( #(#bindings),* ) },
                    Fields::Unit => quote! { Self::#vname },
                };
                let silence = (!bindings.is_empty()).then(|| quote! { #( let _ = &#bindings; )* });
                arms.push(quote! { #pattern => { #silence #(#visits)* } });
            }
            if arms.is_empty() {
                quote! {}
            } else {
                quote! {
                    #[allow(unused_variables)]
                    match self { #(#arms)* }
                }
            }
        }
        Data::Union(u) => {
            return Err(syn::Error::new(
                u.union_token.span(),
                "EncryptedFields cannot be derived for a union",
            ));
        }
    };
    Ok(quote! {
        impl #impl_generics ::ocrwire::envelope::EncryptedFields for #name #ty_generics #where_clause {
            fn visit_encrypted(
                &mut self,
                path: &mut ::ocrwire::envelope::FieldPath,
                visit: &mut ::ocrwire::envelope::Visitor<'_>,
            ) -> ::core::result::Result<(), ::ocrwire::envelope::FieldError> {
                #body
                ::core::result::Result::Ok(())
            }
        }
    })
}

/// One visit per field that is, or may contain, encrypted data.
fn visit_fields(
    fields: &Fields,
    rule: Option<RenameRule>,
    access: impl Fn(&syn::Member) -> TokenStream2,
) -> syn::Result<Vec<TokenStream2>> {
    let mut out = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let member = match &field.ident {
            Some(id) => syn::Member::Named(id.clone()),
            None => syn::Member::Unnamed(syn::Index {
                index: i as u32,
                span: Span::call_site(),
            }),
        };
        let wire = wire_name(field)?.unwrap_or_else(|| match &member {
            syn::Member::Named(id) => {
                let name = id.to_string().trim_start_matches("r#").to_string();
                match rule {
                    Some(rule) => rule.apply(&name),
                    None => name,
                }
            }
            syn::Member::Unnamed(idx) => idx.index.to_string(),
        });
        let place = access(&member);
        let encrypted = field.attrs.iter().find(|a| a.path().is_ident("encrypted"));
        if let Some(attr) = encrypted {
            if !matches!(attr.meta, syn::Meta::Path(_)) {
                return Err(syn::Error::new(
                    attr.span(),
                    "`#[encrypted]` takes no arguments",
                ));
            }
            if !carries_ciphertext(&field.ty) {
                let ty = &field.ty;
                let ty_text = quote!(#ty).to_string().replace(' ', "");
                let message = format!(
                    "#[encrypted] cannot mark a field of type `{ty_text}`: the envelope sends Base64 ciphertext, \
                     so an encrypted field must be `Sensitive`, `Option<Sensitive>`, `Vec<Sensitive>` or `OneOrMany<Sensitive>`"
                );
                out.push(quote_spanned! { ty.span() => ::core::compile_error!(#message); });
                continue;
            }
            out.push(quote! {
                path.push_field(#wire);
                let outcome = ::ocrwire::envelope::EncryptedLeaf::visit_leaf(#place, path, visit);
                path.pop();
                outcome?;
            });
        } else if !is_plain(&field.ty) {
            out.push(quote! {
                path.push_field(#wire);
                let outcome = ::ocrwire::envelope::EncryptedFields::visit_encrypted(#place, path, visit);
                path.pop();
                outcome?;
            });
        }
    }
    Ok(out)
}

/// A container's `#[serde(rename_all = "...")]`, for the rules generated
/// code uses.
#[derive(Clone, Copy)]
enum RenameRule {
    CamelCase,
}

impl RenameRule {
    /// As serde applies it to a field name.
    fn apply(self, field: &str) -> String {
        match self {
            RenameRule::CamelCase => {
                let mut out = String::with_capacity(field.len());
                let mut upper = false;
                for c in field.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.push(c.to_ascii_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// The container's `rename_all`: field paths in errors must be the wire
/// names serde uses.
fn rename_all(attrs: &[syn::Attribute]) -> syn::Result<Option<RenameRule>> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(match value.value().as_str() {
                    "camelCase" => RenameRule::CamelCase,
                    other => {
                        return Err(meta.error(format!(
                            "EncryptedFields does not know the rename rule `{other}`"
                        )));
                    }
                });
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                let _: TokenStream2 = content.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(found)
}

/// The field's serde wire name (`#[serde(rename = "...")]`), if any.
fn wire_name(field: &syn::Field) -> syn::Result<Option<String>> {
    let mut found = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                let _: TokenStream2 = content.parse()?;
            }
            Ok(())
        })?;
    }
    Ok(found)
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

fn single_generic(seg: &syn::PathSegment) -> Option<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match args.args.first() {
            Some(GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// `Sensitive`, or `Option`/`Vec`/`OneOrMany` of something that carries ciphertext.
fn carries_ciphertext(ty: &Type) -> bool {
    let Some(seg) = last_segment(ty) else {
        return false;
    };
    match seg.ident.to_string().as_str() {
        "Sensitive" => matches!(seg.arguments, PathArguments::None),
        "Option" | "Vec" | "OneOrMany" => single_generic(seg).is_some_and(carries_ciphertext),
        _ => false,
    }
}

/// Types that can never contain encrypted data, so need no visit.
fn is_plain(ty: &Type) -> bool {
    let Some(seg) = last_segment(ty) else {
        return false;
    };
    match seg.ident.to_string().as_str() {
        "String" | "bool" | "char" | "f32" | "f64" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "Sensitive" => {
            matches!(seg.arguments, PathArguments::None)
        }
        "Option" | "Vec" => single_generic(seg).is_some_and(is_plain),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(item: &str) -> String {
        let input: DeriveInput = syn::parse_str(item).unwrap();
        expand(&input).unwrap().to_string()
    }

    /// The message a user reads, to the letter; `compile-fail/` shows that
    /// it stops the build.
    #[test]
    fn a_field_that_cannot_carry_ciphertext_is_refused_with_the_reason() {
        let out = expanded(
            "struct Reading { #[encrypted] confidence: f64, #[encrypted] value: Option<Sensitive> }",
        );
        let message = proc_macro2::Literal::string(
            "#[encrypted] cannot mark a field of type `f64`: the envelope sends Base64 ciphertext, \
             so an encrypted field must be `Sensitive`, `Option<Sensitive>`, `Vec<Sensitive>` or \
             `OneOrMany<Sensitive>`",
        )
        .to_string();
        assert!(
            out.contains(&format!("compile_error ! ({message})")),
            "{out}"
        );
        // The field that can carry ciphertext is still visited.
        assert!(out.contains("push_field (\"value\")"), "{out}");
    }

    #[test]
    fn every_carrier_of_ciphertext_is_accepted() {
        for ty in [
            "Sensitive",
            "Option<Sensitive>",
            "Vec<Sensitive>",
            "OneOrMany<Sensitive>",
            "::ocrwire::Sensitive",
        ] {
            let out = expanded(&format!("struct Reading {{ #[encrypted] value: {ty} }}"));
            assert!(!out.contains("compile_error"), "{ty}: {out}");
            assert!(out.contains("push_field (\"value\")"), "{ty}: {out}");
        }
    }
}
