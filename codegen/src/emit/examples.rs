//! The examples registry: every example answer the specs name, for the
//! emulator, which answers an endpoint with its example (the spec says
//! which file; no hand-written list repeats it).

use super::render;
use crate::model::Family;
use quote::quote;

/// File name of the registry inside `generated/`.
pub const FILE_NAME: &str = "examples.rs";

/// The registry's source: one `d::Example` per file a spec names, in spec
/// order, each read from `spec/examples/` when the crate compiles.
pub fn emit(families: &[Family]) -> String {
    let examples = families.iter().flat_map(|f| {
        f.endpoints.iter().flat_map(move |e| {
            e.response.examples.iter().map(move |(variant, file)| {
                let (family, endpoint) = (&f.name, &e.name);
                let path = format!("/spec/examples/{file}");
                quote! {
                    d::Example {
                        family: #family,
                        endpoint: #endpoint,
                        variant: #variant,
                        json: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), #path)),
                    }
                }
            })
        })
    });
    render(
        &super::header("spec/"),
        quote! {
            /// Every example answer the specs name, by family, endpoint and variant (the
            /// first of an endpoint's is its default).
            pub const EXAMPLES: &[d::Example] = &[#(#examples),*];
        },
    )
}
