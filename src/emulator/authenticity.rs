//! The ID-card authenticity check: whether a request is valid, and whether
//! it matches the card its Request-Key was issued for.
//!
//! What a valid request looks like (which fields each ID type needs, and
//! their forms) is the spec's: the generated
//! `TryFrom<AuthenticityRequest> for AuthenticityCheck` applies the same
//! rules the client checks before sending, and a request that breaks them
//! answers 4000001, as does an ID type the check does not take (passports,
//! since the vendor ended their verification: the spec's check type lists
//! resident and driver only).
//!
//! A valid request answers `isAuthenticity: true` only when the ID type is
//! the card's and every field equals what was recognized on the card, by
//! digits (`910623-1062372` on the card matches `9106231062372`,
//! `2011.03.06` matches `20110306`). A licence check carries only the
//! leading digits of the resident number, so those must be the card's.

use super::codes::{Code, document as doc};
use super::request_keys::IssuedFor;
use crate::Sensitive;
use crate::wire::nhn_document_ocr_v2::ErrorCode as Doc;
use crate::wire::nhn_document_ocr_v2::{AuthenticityCheck, AuthenticityRequest, IdCardKey};

/// Reads a decrypted request as a check this emulator answers.
pub fn validate(request: AuthenticityRequest) -> Result<AuthenticityCheck, Code> {
    AuthenticityCheck::try_from(request).map_err(|_| doc(Doc::InvalidParameter))
}

fn card_digits(card: &IssuedFor, key: &IdCardKey) -> String {
    card.value(key)
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// Whether the check matches the recognized card, field by field.
pub fn matches(check: &AuthenticityCheck, card: &IssuedFor) -> bool {
    let name_ok = |name: &Sensitive| card.value(&IdCardKey::Name) == Some(name.expose());
    let digits_equal =
        |key: &IdCardKey, claimed: &Sensitive| card_digits(card, key) == claimed.expose();
    // By wire value: the check's ID types are a subset of what a
    // recognition reports.
    card.id_type.as_str() == check.id_type().as_str()
        && match check {
            AuthenticityCheck::Resident(c) => {
                name_ok(&c.name)
                    && digits_equal(&IdCardKey::ResidentNumber, &c.resident_number)
                    && digits_equal(&IdCardKey::IssueDate, &c.issue_date)
            }
            AuthenticityCheck::Driver(c) => {
                name_ok(&c.name)
                    && card_digits(card, &IdCardKey::ResidentNumber)
                        .starts_with(c.resident_number.expose())
                    && digits_equal(&IdCardKey::DriverLicenseNumber, &c.driver_license_number)
                    && c.serial_num
                        .as_ref()
                        .is_none_or(|s| card.value(&IdCardKey::SerialNum) == Some(s.expose()))
            }
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::IdType;

    fn resident_card() -> IssuedFor {
        IssuedFor {
            id_type: IdType::Resident,
            values: vec![
                (IdCardKey::Name, Sensitive::new("홍길동")),
                (IdCardKey::ResidentNumber, Sensitive::new("910623-1062372")),
                (IdCardKey::IssueDate, Sensitive::new("2011.03.06")),
            ],
        }
    }

    fn driver_card() -> IssuedFor {
        IssuedFor {
            id_type: IdType::Driver,
            values: vec![
                (IdCardKey::Name, Sensitive::new("홍길동")),
                (IdCardKey::ResidentNumber, Sensitive::new("910623-1062372")),
                (
                    IdCardKey::DriverLicenseNumber,
                    Sensitive::new("11-19-174133-01"),
                ),
                (IdCardKey::SerialNum, Sensitive::new("5XC3T2")),
            ],
        }
    }

    fn request(json: &str) -> AuthenticityRequest {
        serde_json::from_str(json).unwrap()
    }

    fn check(json: &str) -> AuthenticityCheck {
        validate(request(json)).unwrap()
    }

    #[test]
    fn resident_fields_are_compared() {
        let ok = check(
            r#"{"idType":"resident","name":"홍길동","residentNumber":"9106231062372","issueDate":"20110306"}"#,
        );
        assert!(matches(&ok, &resident_card()));
        let wrong = check(
            r#"{"idType":"resident","name":"홍길동","residentNumber":"9106231062373","issueDate":"20110306"}"#,
        );
        assert!(!matches(&wrong, &resident_card()));
        let other_type = check(
            r#"{"idType":"driver","name":"홍길동","residentNumber":"9106231","driverLicenseNumber":"111917413301"}"#,
        );
        assert!(!matches(&other_type, &resident_card()));
    }

    #[test]
    fn driver_fields_are_compared() {
        let driver = |number: &str, serial: &str| {
            let json = format!(
                r#"{{"idType":"driver","name":"홍길동","residentNumber":"{number}","driverLicenseNumber":"111917413301"{serial}}}"#
            );
            matches(&check(&json), &driver_card())
        };
        assert!(driver("9106231", ""));
        assert!(driver("9106231", r#","serialNum":"5XC3T2""#));
        assert!(!driver("9106231", r#","serialNum":"5XC3T3""#));
        assert!(
            !driver("9106232", ""),
            "the leading digits must be the card's"
        );
    }

    #[test]
    fn malformed_requests_are_invalid_parameters() {
        for json in [
            r#"{"idType":"resident","name":"a","residentNumber":"910623-1062372","issueDate":"20110306"}"#,
            r#"{"idType":"resident","name":"a","residentNumber":"9106231062372","issueDate":"20111306"}"#,
            r#"{"idType":"resident","name":"a","residentNumber":"9106231062372","issueDate":"20110231"}"#,
            r#"{"idType":"resident","residentNumber":"9106231062372","issueDate":"20110306"}"#,
            r#"{"idType":"resident","name":"","residentNumber":"9106231062372","issueDate":"20110306"}"#,
            r#"{"idType":"driver","name":"a","residentNumber":"9106231","driverLicenseNumber":"1119"}"#,
            r#"{"idType":"driver","name":"a","residentNumber":"9106231","driverLicenseNumber":"111917413301","serialNum":"5XC"}"#,
            r#"{"idType":"passport","name":"a","passportNumber":"M12345678"}"#,
            // An ID type the spec lacks.
            r#"{"idType":"alien","name":"a"}"#,
        ] {
            assert_eq!(
                validate(request(json)).err(),
                Some(doc(Doc::InvalidParameter)),
                "{json}"
            );
        }
    }

    #[test]
    fn passports_are_refused_as_the_spec_no_longer_checks_them() {
        let json = r#"{"idType":"passport","name":"HONG","passportNumber":"M12345678","issueDate":"20200101","birthDate":"19900101","expirationDate":"20300101"}"#;
        assert!(AuthenticityCheck::try_from(request(json)).is_err());
        assert_eq!(
            validate(request(json)).err(),
            Some(doc(Doc::InvalidParameter))
        );
    }
}
