//! `--verify`: the authenticity check built from what the recognition read.
//!
//! Recognized text keeps the card's printed separators (`900101-1234567`,
//! `11-12-345678-90`, `2019.05.12`) while the check wants bare digits, so
//! numbers and dates are reduced to their digits here; the library then
//! validates the counts and dates and says which item is off. The one count
//! this needs (how many leading digits of the resident number a licence
//! check carries) is read from the spec's rules, not restated.

use ocrwire::Sensitive;
use ocrwire::nhn::{AuthenticityCheck, DriverCheck, ResidentCheck};
use ocrwire::wire::format::Format;
use ocrwire::wire::nhn_document_ocr_v2::{IdCardKey, IdCardResult, IdType};

/// The recognized value of `key`, if any.
fn value(result: &IdCardResult, key: IdCardKey) -> Option<&Sensitive> {
    result
        .key_values
        .iter()
        .flatten()
        .find(|kv| kv.key.as_ref() == Some(&key))
        .and_then(|kv| kv.value.as_ref())
        .filter(|v| !v.expose().trim().is_empty())
}

fn required(result: &IdCardResult, key: IdCardKey) -> Result<&Sensitive, String> {
    value(result, key.clone())
        .ok_or_else(|| format!("cannot verify: the recognition has no `{key}`"))
}

/// The ASCII digits of a value, at most `limit` of them.
fn digits(value: &Sensitive, limit: usize) -> Sensitive {
    Sensitive::new(
        value
            .expose()
            .chars()
            .filter(char::is_ascii_digit)
            .take(limit)
            .collect::<String>(),
    )
}

/// How many leading digits of the resident number a licence check takes:
/// the spec's digit count for `driver`'s `residentNumber`. Without a count
/// (a spec that stopped giving one) all digits go, and the library's
/// validation says what is wrong.
fn licence_resident_digits() -> usize {
    DriverCheck::RULES
        .iter()
        .find(|rule| rule.field == "residentNumber")
        .and_then(|rule| match rule.format {
            Some(Format::Digits(length)) => Some(length.max),
            _ => None,
        })
        .unwrap_or(usize::MAX)
}

pub fn check_from(result: &IdCardResult) -> Result<AuthenticityCheck, String> {
    match &result.id_type {
        Some(IdType::Resident) => Ok(ResidentCheck {
            name: required(result, IdCardKey::Name)?.clone(),
            resident_number: digits(required(result, IdCardKey::ResidentNumber)?, usize::MAX),
            issue_date: digits(required(result, IdCardKey::IssueDate)?, usize::MAX),
        }
        .into()),
        Some(IdType::Driver) => Ok(DriverCheck {
            name: required(result, IdCardKey::Name)?.clone(),
            resident_number: digits(
                required(result, IdCardKey::ResidentNumber)?,
                licence_resident_digits(),
            ),
            driver_license_number: digits(
                required(result, IdCardKey::DriverLicenseNumber)?,
                usize::MAX,
            ),
            serial_num: value(result, IdCardKey::SerialNum).cloned(),
        }
        .into()),
        Some(other) => Err(format!(
            "cannot verify a `{other}` document: the service checks resident cards and driver licences"
        )),
        None => {
            Err("cannot verify: the service did not say which kind of document it read".to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(json: &str) -> IdCardResult {
        serde_json::from_str(json).expect("result")
    }

    #[test]
    fn resident_values_are_reduced_to_digits() {
        let r = result(
            r#"{"idType":"resident","keyValues":[{"key":"name","value":"홍길동"},
            {"key":"residentNumber","value":"900101-1234567"},{"key":"issueDate","value":"2019.05.12"}]}"#,
        );
        let AuthenticityCheck::Resident(check) = check_from(&r).unwrap() else {
            panic!()
        };
        assert_eq!(check.resident_number, "9001011234567");
        assert_eq!(check.issue_date, "20190512");
        AuthenticityCheck::Resident(check).validate().unwrap();
    }

    #[test]
    fn driver_takes_seven_resident_digits_and_an_optional_serial() {
        let r = result(
            r#"{"idType":"driver","keyValues":[{"key":"name","value":"홍길동"},
            {"key":"residentNumber","value":"900101-1234567"},{"key":"driverLicenseNumber","value":"11-12-345678-90"}]}"#,
        );
        let AuthenticityCheck::Driver(check) = check_from(&r).unwrap() else {
            panic!()
        };
        assert_eq!(check.resident_number, "9001011");
        assert_eq!(check.driver_license_number, "111234567890");
        assert!(check.serial_num.is_none());
        AuthenticityCheck::Driver(check).validate().unwrap();
    }

    #[test]
    fn missing_items_and_other_documents_are_explained() {
        let r = result(r#"{"idType":"resident","keyValues":[{"key":"name","value":"홍길동"}]}"#);
        assert_eq!(
            check_from(&r).unwrap_err(),
            "cannot verify: the recognition has no `residentNumber`"
        );
        let r = result(r#"{"idType":"passport"}"#);
        assert!(check_from(&r).unwrap_err().contains("`passport`"));
    }
}
