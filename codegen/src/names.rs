//! Turning wire names into Rust names, and checking names written in specs.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// `cardNums` -> `card_nums`, `IDType` -> `id_type`, `MRZ1` -> `mrz1`.
pub fn snake(wire: &str) -> String {
    wire.to_snake_case()
}

/// `credit-card` -> `CreditCard`, `NO_REQUESTED` -> `NoRequested`.
pub fn upper_camel(wire: &str) -> String {
    wire.to_upper_camel_case()
}

/// `credit-card` -> `CREDIT_CARD`.
pub fn screaming_snake(wire: &str) -> String {
    wire.to_shouty_snake_case()
}

pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.contains("--")
        && !s.ends_with('-')
}

pub fn is_snake(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub fn is_upper_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && s.to_upper_camel_case() == s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_become_rust_names() {
        assert_eq!(snake("cardNums"), "card_nums");
        assert_eq!(snake("IDType"), "id_type");
        assert_eq!(snake("idtype"), "idtype");
        assert_eq!(snake("MRZ1"), "mrz1");
        assert_eq!(snake("dateOfBirthYMD"), "date_of_birth_ymd");
        assert_eq!(snake("x1"), "x1");
        assert_eq!(upper_camel("NO_REQUESTED"), "NoRequested");
        assert_eq!(upper_camel("credit-card"), "CreditCard");
        assert_eq!(
            screaming_snake("id-card-stand-alone"),
            "ID_CARD_STAND_ALONE"
        );
    }

    #[test]
    fn checks_spec_names() {
        assert!(is_kebab("nhn-document-ocr-v2"));
        assert!(!is_kebab("nhn_document"));
        assert!(is_upper_camel("CardNumber"));
        assert!(!is_upper_camel("cardNumber"));
        assert!(!is_upper_camel("IDCard")); // would read as `IdCard` in Rust
        assert!(is_snake("mrz1_lowercase"));
    }
}
