//! The ID-card authenticity check: what a request must contain, and whether
//! it matches the card its Request-Key was issued for.
//!
//! Which fields each ID type needs, and their formats, are the spec's
//! (`AuthenticityRequest` field descriptions, `applies_to` and `format`):
//!
//! - resident: `name`, `residentNumber` (13 digits), `issueDate` (YYYYMMDD);
//! - driver: `name`, `residentNumber` (7 digits: the first 6 and the next
//!   one), `driverLicenseNumber` (12 digits), `serialNum` optional.
//!
//! A missing or malformed field, and `passport` (removed from the API in
//! 2026-05, and never given a Request-Key), answer 4000001. A well-formed
//! request answers `isAuthenticity: true` only when every field equals what
//! was recognized on the card (digits only, so `910623-1062372` on the card
//! matches `9106231062372`, `2011.03.06` matches `20110306`) and the ID type
//! is the card's.

use super::codes::{Code, nhn};
use super::request_keys::IssuedFor;
use crate::Sensitive;
use crate::wire::nhn_document_ocr_v2::{AuthenticityRequest, IdCardKey, IdType};

/// A validated authenticity request (plaintext).
#[derive(Debug)]
pub enum Claim<'a> {
    Resident {
        name: &'a str,
        resident_number: &'a str,
        issue_date: &'a str,
    },
    Driver {
        name: &'a str,
        resident_number: &'a str,
        license_number: &'a str,
        serial: Option<&'a str>,
    },
}

fn field(value: &Option<Sensitive>) -> Result<&str, Code> {
    value
        .as_ref()
        .map(Sensitive::expose)
        .filter(|v| !v.is_empty())
        .ok_or(nhn::INVALID_PARAMETER)
}

fn digits(value: &str, count: usize) -> Result<&str, Code> {
    if value.len() == count && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value)
    } else {
        Err(nhn::INVALID_PARAMETER)
    }
}

fn date(value: &str) -> Result<&str, Code> {
    let v = digits(value, 8)?;
    let month: u32 = v[4..6].parse().map_err(|_| nhn::INVALID_PARAMETER)?;
    let day: u32 = v[6..8].parse().map_err(|_| nhn::INVALID_PARAMETER)?;
    if (1..=12).contains(&month) && (1..=31).contains(&day) {
        Ok(v)
    } else {
        Err(nhn::INVALID_PARAMETER)
    }
}

/// Checks that `request` (already decrypted) has what its ID type needs.
pub fn validate(request: &AuthenticityRequest) -> Result<Claim<'_>, Code> {
    match request.id_type {
        IdType::Resident => Ok(Claim::Resident {
            name: field(&request.name)?,
            resident_number: digits(field(&request.resident_number)?, 13)?,
            issue_date: date(field(&request.issue_date)?)?,
        }),
        IdType::Driver => Ok(Claim::Driver {
            name: field(&request.name)?,
            resident_number: digits(field(&request.resident_number)?, 7)?,
            license_number: digits(field(&request.driver_license_number)?, 12)?,
            serial: request
                .serial_num
                .as_ref()
                .map(Sensitive::expose)
                .filter(|s| !s.is_empty()),
        }),
        _ => Err(nhn::INVALID_PARAMETER),
    }
}

fn card_digits(card: &IssuedFor, key: &IdCardKey) -> String {
    card.value(key)
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// Whether the claim matches the recognized card, field by field.
pub fn matches(claim: &Claim<'_>, card: &IssuedFor) -> bool {
    let name_ok = |name: &str| card.value(&IdCardKey::Name) == Some(name);
    match *claim {
        Claim::Resident {
            name,
            resident_number,
            issue_date,
        } => {
            card.id_type == IdType::Resident
                && name_ok(name)
                && card_digits(card, &IdCardKey::ResidentNumber) == resident_number
                && card_digits(card, &IdCardKey::IssueDate) == issue_date
        }
        Claim::Driver {
            name,
            resident_number,
            license_number,
            serial,
        } => {
            card.id_type == IdType::Driver
                && name_ok(name)
                && card_digits(card, &IdCardKey::ResidentNumber).get(..7) == Some(resident_number)
                && card_digits(card, &IdCardKey::DriverLicenseNumber) == license_number
                && serial.is_none_or(|s| card.value(&IdCardKey::SerialNum) == Some(s))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn request(json: &str) -> AuthenticityRequest {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn resident_fields_are_compared() {
        let ok = request(
            r#"{"idType":"resident","name":"홍길동","residentNumber":"9106231062372","issueDate":"20110306"}"#,
        );
        assert!(matches(&validate(&ok).unwrap(), &resident_card()));
        let wrong = request(
            r#"{"idType":"resident","name":"홍길동","residentNumber":"9106231062373","issueDate":"20110306"}"#,
        );
        assert!(!matches(&validate(&wrong).unwrap(), &resident_card()));
        let other_type = request(
            r#"{"idType":"driver","name":"홍길동","residentNumber":"9106231","driverLicenseNumber":"111917413301"}"#,
        );
        assert!(!matches(&validate(&other_type).unwrap(), &resident_card()));
    }

    #[test]
    fn malformed_requests_are_invalid_parameters() {
        for json in [
            r#"{"idType":"resident","name":"a","residentNumber":"910623-1062372","issueDate":"20110306"}"#,
            r#"{"idType":"resident","name":"a","residentNumber":"9106231062372","issueDate":"20111306"}"#,
            r#"{"idType":"resident","residentNumber":"9106231062372","issueDate":"20110306"}"#,
            r#"{"idType":"driver","name":"a","residentNumber":"9106231","driverLicenseNumber":"1119"}"#,
            r#"{"idType":"passport","name":"a","passportNumber":"M12345678"}"#,
            r#"{"idType":"alien","name":"a"}"#,
        ] {
            assert_eq!(
                validate(&request(json)).err(),
                Some(nhn::INVALID_PARAMETER),
                "{json}"
            );
        }
    }
}
