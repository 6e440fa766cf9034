//! Fixed wire values: a field the spec marks `fixed` (CLOVA's `version`,
//! always `V2`) becomes a constant on its type, named after the field.
//!
//! The runtime sends the constant and the emulator refuses anything else,
//! so a vendor changing the value is an edit of the spec's `fixed` and
//! nothing more.

use super::{doc, ident};
use crate::model::Object;
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;

/// `impl Type { pub const FIELD: &'static str = "value"; }`, if any field
/// of `obj` has a fixed value.
pub(super) fn constants(obj: &Object) -> Option<TokenStream> {
    let constants: Vec<TokenStream> = obj
        .fields
        .iter()
        .filter_map(|f| {
            let value = f.fixed.as_deref()?;
            let name = ident(&names::screaming_snake(&f.rust));
            let docs = doc(&format!(
                "The one value `{}` ever has on the wire (the spec's `fixed`). Code that sends or\nchecks the field uses this rather than its own copy of the value.",
                f.wire
            ));
            Some(quote! {
                #docs
                pub const #name: &'static str = #value;
            })
        })
        .collect();
    if constants.is_empty() {
        return None;
    }
    let name = ident(&obj.name);
    Some(quote! {
        impl #name {
            #(#constants)*
        }
    })
}
