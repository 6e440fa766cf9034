//! One `ToTokens` per model enum: each writes its twin in the runtime's
//! `descriptor` (or `wire::format`) module, so the mapping from a spec word
//! to a runtime value is written once, here.

use crate::model::{
    Code, Format, HeaderRole, Length, Method, ParamValue, PortRange, Resolution, Vendor,
};
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

impl ToTokens for Method {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            Method::Get => quote! { d::Method::Get },
            Method::Post => quote! { d::Method::Post },
        });
    }
}

impl ToTokens for HeaderRole {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            HeaderRole::KeyVersion => quote! { d::HeaderRole::KeyVersion },
            HeaderRole::SealedSymmetricKey => quote! { d::HeaderRole::SealedSymmetricKey },
            HeaderRole::RequestKey => quote! { d::HeaderRole::RequestKey },
        });
    }
}

impl ToTokens for ParamValue {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            ParamValue::AppKey => quote! { d::ParamValue::AppKey },
            ParamValue::Argument => quote! { d::ParamValue::Argument },
        });
    }
}

impl ToTokens for Vendor {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            Vendor::Nhn => quote! { d::Vendor::Nhn },
            Vendor::Clova => quote! { d::Vendor::Clova },
        });
    }
}

/// A code as a pattern or expression of its kind: `-1`, `4000001`, `"0011"`.
impl ToTokens for Code {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            Code::Integer(n) if *n < 0 => {
                let abs = Literal::i64_unsuffixed(-n);
                quote! { -#abs }
            }
            Code::Integer(n) => Literal::i64_unsuffixed(*n).into_token_stream(),
            Code::Text(t) => Literal::string(t).into_token_stream(),
        });
    }
}

impl ToTokens for PortRange {
    fn to_tokens(&self, out: &mut TokenStream) {
        let (low, high) = (
            Literal::u16_unsuffixed(self.low),
            Literal::u16_unsuffixed(self.high),
        );
        out.extend(quote! { (#low, #high) });
    }
}

impl ToTokens for Resolution {
    fn to_tokens(&self, out: &mut TokenStream) {
        let (w, h) = (
            Literal::u32_unsuffixed(self.width),
            Literal::u32_unsuffixed(self.height),
        );
        out.extend(quote! { (#w, #h) });
    }
}

/// `f::Length::exactly(13)` or `f::Length::between(5, 6)`.
impl ToTokens for Length {
    fn to_tokens(&self, out: &mut TokenStream) {
        let (min, max) = (
            Literal::u64_unsuffixed(self.min),
            Literal::u64_unsuffixed(self.max),
        );
        out.extend(if self.min == self.max {
            quote! { f::Length::exactly(#min) }
        } else {
            quote! { f::Length::between(#min, #max) }
        });
    }
}

/// `f::Format::Digits(f::Length::exactly(13))`.
impl ToTokens for Format {
    fn to_tokens(&self, out: &mut TokenStream) {
        out.extend(match self {
            Format::Date => quote! { f::Format::Date },
            Format::Digits(l) => quote! { f::Format::Digits(#l) },
            Format::Alnum(l) => quote! { f::Format::Alnum(#l) },
            Format::UpperAlnum(l) => quote! { f::Format::UpperAlnum(#l) },
            Format::Chars(l) => quote! { f::Format::Chars(#l) },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_literals_of_their_kind() {
        assert_eq!(Code::Integer(-1).to_token_stream().to_string(), "- 1");
        assert_eq!(
            Code::Integer(4_000_001).to_token_stream().to_string(),
            "4000001"
        );
        assert_eq!(
            Code::Text("0011".into()).to_token_stream().to_string(),
            "\"0011\""
        );
    }

    #[test]
    fn lengths() {
        let exact = Length { min: 13, max: 13 };
        assert_eq!(
            exact.to_token_stream().to_string(),
            "f :: Length :: exactly (13)"
        );
        let range = Format::Chars(Length { min: 5, max: 6 });
        assert_eq!(
            range.to_token_stream().to_string(),
            "f :: Format :: Chars (f :: Length :: between (5 , 6))"
        );
    }
}
