//! The exact wire types, generated from `spec/`.
//!
//! Each family's module is `generated/<family>.rs`, committed and included
//! here; with the `regen` feature, `build.rs` regenerates it from `spec/`
//! instead. The modules hold serde types (renamed to the exact wire names,
//! `#[encrypted]` on encrypted fields, `Sensitive` for personal data), the
//! family's error codes, and one descriptor plus one [`Operation`] type per
//! endpoint. Requests whose fields depend on a type field also get typed
//! per-value checks, which apply the spec's rules through [`format`](mod@format).
//!
//! [`Operation`]: crate::descriptor::Operation

pub mod format;
mod nhn_response;
mod one_or_many;

pub use nhn_response::NhnResponse;
pub use one_or_many::OneOrMany;

use crate::descriptor::Family;

/// Includes a generated family module: from `generated/` normally, from
/// `OUT_DIR` when `build.rs` regenerated it (feature `regen`).
macro_rules! family_module {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub mod $name {
            #[cfg(not(feature = "regen"))]
            include!(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/", $file));
            #[cfg(feature = "regen")]
            include!(concat!(env!("OUT_DIR"), "/generated/", $file));
        }
    };
}

family_module!(
    /// NHN Cloud Document OCR v2.0: credit card, ID card, authenticity; with the envelope.
    nhn_document_ocr_v2,
    "nhn_document_ocr_v2.rs"
);
family_module!(
    /// NHN Cloud General OCR v1.0.
    nhn_general_ocr_v1,
    "nhn_general_ocr_v1.rs"
);
family_module!(
    /// NAVER CLOVA OCR Document API.
    clova_document_ocr,
    "clova_document_ocr.rs"
);

/// Every family the spec defines.
pub const FAMILIES: &[&Family] = &[
    &nhn_document_ocr_v2::FAMILY,
    &nhn_general_ocr_v1::FAMILY,
    &clova_document_ocr::FAMILY,
];

/// Every endpoint of every family, in spec order.
pub fn endpoints() -> impl Iterator<Item = (&'static Family, &'static crate::descriptor::Endpoint)>
{
    FAMILIES
        .iter()
        .flat_map(|f| f.endpoints.iter().map(move |e| (*f, *e)))
}
