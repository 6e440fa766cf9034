//! The exact wire types, generated from `spec/`.
//!
//! Each family's module is `generated/<family>.rs`, committed and included
//! here through the generated registry (`generated/registry.rs`); with the
//! `regen` feature, `build.rs` regenerates both from `spec/` instead. The
//! modules hold serde types (the exact wire names, `#[encrypted]` on
//! encrypted fields, `Sensitive` for personal data), the family's error
//! codes, its versions and auth schemes, and one descriptor plus one
//! [`Operation`] type per endpoint. Requests whose fields depend on a type
//! field also get typed per-value checks, which apply the spec's rules
//! through [`format`](mod@format).
//!
//! [`Operation`]: crate::descriptor::Operation

pub(crate) mod base64_data;
pub mod drift;
pub mod format;
mod int_or_string;
mod one_or_many;
pub(crate) mod scan;
#[cfg(test)]
mod tolerance_props;

pub use base64_data::Base64Data;
#[cfg(feature = "client")]
pub(crate) use base64_data::capture as capture_base64;
pub use int_or_string::IntOrString;
pub use one_or_many::OneOrMany;

/// Declares a generated family module: from `generated/` normally, from
/// `OUT_DIR` when `build.rs` regenerated it (feature `regen`). The
/// registry below invokes it once per spec file.
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

// The registry (generated): every family's module, `FAMILIES`, and
// `VendorErrorCode` over every family's codes.
#[cfg(not(feature = "regen"))]
include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/generated/registry.rs"
));
#[cfg(feature = "regen")]
include!(concat!(env!("OUT_DIR"), "/generated/registry.rs"));

use crate::descriptor::Family;

/// Every endpoint of every family, in spec order.
pub fn endpoints() -> impl Iterator<Item = (&'static Family, &'static crate::descriptor::Endpoint)>
{
    FAMILIES
        .iter()
        .flat_map(|f| f.endpoints.iter().map(move |e| (*f, *e)))
}

#[cfg(test)]
mod tests {
    use super::{
        clova_document_ocr as clova, nhn_document_ocr_v2 as nhn_doc, nhn_general_ocr_v1 as nhn_gen,
    };
    use crate::descriptor::{ErrorInfo, VendorCode, WireCode, WireEnum};
    use std::path::Path;

    /// A check of one generated enum's `from_wire` against the values its
    /// spec lists.
    type ParserCheck = fn(&[String]);

    /// Each listed value parses to a known variant that writes it back
    /// unchanged and equals serde's reading of it; anything else is kept
    /// verbatim in `Unknown`.
    fn parses_exactly<E: WireEnum>(values: &[String]) {
        let name = std::any::type_name::<E>();
        assert!(!values.is_empty(), "{name} lists no values");
        for value in values {
            let parsed = E::from_wire(value);
            assert!(
                !parsed.is_unknown(),
                "{name}::from_wire({value:?}) is Unknown"
            );
            assert_eq!(parsed.as_str(), value);
            let by_serde: E = serde_json::from_value(serde_json::json!(value)).unwrap();
            assert_eq!(parsed, by_serde, "{value:?}");
        }
        let other = E::from_wire("not-in-the-spec");
        assert!(other.is_unknown() && other.as_str() == "not-in-the-spec");
    }

    /// Every generated enum, as the registry walks them.
    #[derive(Default)]
    struct EveryEnum(Vec<(&'static str, &'static str, ParserCheck)>);

    impl super::EnumVisitor for EveryEnum {
        fn visit<E: WireEnum + 'static>(&mut self, module: &'static str, name: &'static str) {
            self.0
                .push((module, name, parses_exactly::<E> as ParserCheck));
        }
    }

    #[test]
    fn every_generated_enum_parses_exactly_the_values_its_spec_lists() {
        let mut every = EveryEnum::default();
        super::visit_enums(&mut every);
        let checks = every.0;
        let spec_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
        let mut checked = 0;
        for file in ocrwire_codegen::parse::spec_files(&spec_dir).unwrap() {
            let family = ocrwire_codegen::load(&file).unwrap();
            for e in &family.enums {
                let (_, _, check) = checks
                    .iter()
                    .find(|(module, name, _)| *module == family.module && *name == e.name)
                    .unwrap_or_else(|| {
                        panic!("the registry does not visit {}::{}", family.module, e.name)
                    });
                let values: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
                check(&values);
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            checks.len(),
            "the registry visits an enum the spec does not define"
        );
    }

    /// Reads every code of `errors` through `from_wire` as its family's
    /// shape carries it, and checks it lands on the code's own entry.
    fn assert_reads_every_code<C: VendorCode>(
        errors: &[ErrorInfo],
        carried: fn(&str) -> WireCode<'_>,
    ) {
        for info in errors {
            let code = C::from_wire(carried(info.code))
                .unwrap_or_else(|| panic!("{} not read", info.code));
            assert_eq!(code.info(), Some(info), "{}", info.code);
            assert_eq!(code.code(), info.code);
        }
    }

    #[test]
    fn every_code_of_every_family_is_read_back_through_the_registry() {
        for family in super::FAMILIES {
            for info in family.errors {
                let code = super::VendorErrorCode::parse(family.name, info.code)
                    .unwrap_or_else(|| panic!("{} {} not read", family.name, info.code));
                assert_eq!(code.info(), Some(info), "{}", info.code);
                assert_eq!(code.code(), info.code);
                assert_eq!(code.family().name, family.name);
            }
        }
    }

    #[test]
    fn each_family_reads_the_codes_its_error_shape_carries() {
        let integer = |code: &str| WireCode::Integer(code.parse().unwrap());
        assert_reads_every_code::<nhn_doc::ErrorCode>(nhn_doc::ERRORS, integer);
        assert_reads_every_code::<nhn_gen::ErrorCode>(nhn_gen::ERRORS, integer);
        assert_reads_every_code::<clova::ErrorCode>(clova::ERRORS, |code| WireCode::Text(code));

        // A code the spec lacks is kept, not refused.
        assert_eq!(
            nhn_doc::ErrorCode::from_wire(WireCode::Integer(4_999_999)),
            Some(nhn_doc::ErrorCode::Unknown(4_999_999))
        );
        assert_eq!(
            nhn_doc::ErrorCode::from_wire(WireCode::Integer(-1)),
            Some(nhn_doc::ErrorCode::UnknownError)
        );
        // CLOVA's codes are text: leading zeros are part of the code.
        assert_eq!(
            clova::ErrorCode::from_wire(WireCode::Text("0011")),
            Some(clova::ErrorCode::InvalidRequestBody)
        );
        assert_eq!(
            clova::ErrorCode::from_wire(WireCode::Text("11")),
            Some(clova::ErrorCode::Unknown("11".into()))
        );
        // The other kind is not this family's: refused, never misread.
        assert_eq!(
            nhn_doc::ErrorCode::from_wire(WireCode::Text("4000001")),
            None
        );
        assert_eq!(
            nhn_gen::ErrorCode::from_wire(WireCode::Text("4000001")),
            None
        );
        assert_eq!(clova::ErrorCode::from_wire(WireCode::Integer(11)), None);
    }

    #[test]
    fn parsing_is_exact_like_serde() {
        use clova::ImageFormat;
        assert_eq!(ImageFormat::from_wire("tif"), ImageFormat::Tif);
        assert_eq!(ImageFormat::from_wire("tiff"), ImageFormat::Tiff);
        // No case folding or trimming: the wire value is matched as sent.
        assert_eq!(
            ImageFormat::from_wire("JPG"),
            ImageFormat::Unknown("JPG".into())
        );
        assert_eq!(
            ImageFormat::from_wire(" png"),
            ImageFormat::Unknown(" png".into())
        );
        assert_eq!(
            nhn_doc::IdType::from_wire("driver"),
            nhn_doc::IdType::Driver
        );
    }
}
