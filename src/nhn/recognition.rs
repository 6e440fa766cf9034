//! Reading an ID card recognition: its values by key, and the authenticity
//! check those values imply.
//!
//! The recognition returns its items as a list of `{key, value}` pairs, and
//! keeps the card's printed separators (`900101-1234567`, `2019.05.12`),
//! while the authenticity check wants bare digits. Doing that step here,
//! once, spares every caller (and the CLI's `--verify`) from rewriting it.
//! The one count it needs, how many leading digits of the resident number a
//! licence check carries, is read from the spec's generated rules.

use crate::Sensitive;
use crate::descriptor::WireEnum;
use crate::error::InvalidInput;
use crate::wire::format::Format;
use crate::wire::nhn_document_ocr_v2::{
    AuthenticityCheck, BoundingBox, CreditCardResult, DriverCheck, IdCardKey, IdCardResult, IdType,
    ResidentCheck,
};

impl BoundingBox {
    /// The corners clockwise from top-left as `(x, y)`, when all eight
    /// coordinates were sent.
    pub fn corners(&self) -> Option<[(i64, i64); 4]> {
        super::lines::corners([
            (self.x1, self.y1),
            (self.x2, self.y2),
            (self.x3, self.y3),
            (self.x4, self.y4),
        ])
    }
}

impl CreditCardResult {
    /// The whole card number as read (already decrypted): the printed
    /// groups (`cardNums`) joined, or else `totalCardNum` (joined if the
    /// service sent it as a list). `None` when the service read none.
    pub fn number(&self) -> Option<Sensitive> {
        let groups: Vec<&str> = self
            .card_nums
            .iter()
            .flatten()
            .filter_map(|g| g.value.as_ref().map(Sensitive::expose))
            .collect();
        let parts: Vec<&str> = if groups.is_empty() {
            let total = self.total_card_num.as_ref()?;
            total.as_slice().iter().map(Sensitive::expose).collect()
        } else {
            groups
        };
        // Written once into a buffer of its final size, which is wiped
        // when dropped: no copy of the number is left behind.
        let mut digits =
            zeroize::Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
        for part in parts {
            digits.extend(part.chars().filter(|c| !c.is_whitespace()));
        }
        (!digits.is_empty()).then(|| Sensitive::from(digits))
    }

    /// The expiry as printed (`MM/YY`), already decrypted.
    pub fn valid_thru(&self) -> Option<&Sensitive> {
        self.valid_thru.as_ref()?.value.as_ref()
    }
}

impl IdCardResult {
    /// The recognized (already decrypted) value of `key`; `None` when the
    /// service read nothing, or only blanks, for it.
    pub fn value(&self, key: &IdCardKey) -> Option<&Sensitive> {
        self.value_named(key.as_str())
    }

    fn value_named(&self, name: &str) -> Option<&Sensitive> {
        self.key_values
            .iter()
            .flatten()
            .find(|kv| kv.key.as_ref().is_some_and(|k| k.as_str() == name))
            .and_then(|kv| kv.value.as_ref())
            .filter(|v| !v.expose().trim().is_empty())
    }
}

impl AuthenticityCheck {
    /// The authenticity check for what a recognition read: the card's own
    /// items, numbers and dates reduced to their digits. Validate it (the
    /// client does, before sending) to learn whether the reading has the
    /// documented form.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`] naming a required item the recognition did
    /// not read, or `idType` when the document is not one the service
    /// verifies from a recognition (resident cards and driver licences).
    pub fn from_recognition(result: &IdCardResult) -> Result<AuthenticityCheck, InvalidInput> {
        let required = |name: &'static str, id_type: &'static str| {
            result.value_named(name).ok_or_else(|| InvalidInput::Field {
                field: name,
                for_id_type: Some(id_type),
                problem: "the recognition did not read it".to_string(),
            })
        };
        match &result.id_type {
            Some(IdType::Resident) => Ok(ResidentCheck {
                name: required("name", "resident")?.clone(),
                resident_number: digits(required("residentNumber", "resident")?, usize::MAX),
                issue_date: digits(required("issueDate", "resident")?, usize::MAX),
            }
            .into()),
            Some(IdType::Driver) => Ok(DriverCheck {
                name: required("name", "driver")?.clone(),
                resident_number: digits(
                    required("residentNumber", "driver")?,
                    licence_resident_digits(),
                ),
                driver_license_number: digits(
                    required("driverLicenseNumber", "driver")?,
                    usize::MAX,
                ),
                serial_num: result.value_named("serialNum").cloned(),
            }
            .into()),
            Some(other) => Err(InvalidInput::Field {
                field: "idType",
                for_id_type: None,
                problem: format!(
                    "{} cannot be verified from its recognition; the service verifies resident cards and driver licences",
                    // A value the spec does not list is the answer's own
                    // text: it stays out of the message.
                    if other.is_unknown() {
                        "a kind of document the spec does not list".to_string()
                    } else {
                        format!("a `{other}` document")
                    }
                ),
            }),
            None => Err(InvalidInput::Field {
                field: "idType",
                for_id_type: None,
                problem: "the recognition did not say which kind of document it read".to_string(),
            }),
        }
    }
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

/// The spec's digit count for a licence check's `residentNumber`. Without
/// one (a spec that stopped giving it) all digits go, and validation says
/// what is wrong.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn result(json: &str) -> IdCardResult {
        serde_json::from_str(json).expect("result")
    }

    #[test]
    fn values_are_found_by_key_and_blanks_count_as_missing() {
        let r = result(
            r#"{"keyValues":[{"key":"name","value":"홍길동"},{"key":"issuer","value":"  "}]}"#,
        );
        assert_eq!(
            r.value(&IdCardKey::Name).map(Sensitive::expose),
            Some("홍길동")
        );
        assert!(r.value(&IdCardKey::Issuer).is_none());
        assert!(r.value(&IdCardKey::ResidentNumber).is_none());
    }

    #[test]
    fn resident_values_are_reduced_to_digits() {
        let r = result(
            r#"{"idType":"resident","keyValues":[{"key":"name","value":"홍길동"},
            {"key":"residentNumber","value":"900101-1234567"},{"key":"issueDate","value":"2019.05.12"}]}"#,
        );
        let AuthenticityCheck::Resident(check) = AuthenticityCheck::from_recognition(&r).unwrap()
        else {
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
        let AuthenticityCheck::Driver(check) = AuthenticityCheck::from_recognition(&r).unwrap()
        else {
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
            AuthenticityCheck::from_recognition(&r)
                .unwrap_err()
                .to_string(),
            "`residentNumber` (for resident): the recognition did not read it"
        );
        let r = result(r#"{"idType":"passport"}"#);
        assert!(
            AuthenticityCheck::from_recognition(&r)
                .unwrap_err()
                .to_string()
                .contains("a `passport` document cannot be verified")
        );
        let r = result(r#"{"idType":"4929000011112222\u001b]52;c;x"}"#);
        let message = AuthenticityCheck::from_recognition(&r)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("a kind of document the spec does not list cannot be verified")
                && !message.contains("4929"),
            "{message}"
        );
        let r = result(r#"{"keyValues":[]}"#);
        assert_eq!(
            AuthenticityCheck::from_recognition(&r)
                .unwrap_err()
                .to_string(),
            "`idType`: the recognition did not say which kind of document it read"
        );
    }

    #[test]
    fn a_card_number_comes_from_its_groups_or_else_the_total() {
        let card = |json: &str| serde_json::from_str::<CreditCardResult>(json).unwrap();
        let groups = card(
            r#"{"cardNums": [{"value": "1111"}, {"value": "2222 "}, {"value": "3333"}, {"value": "4444"}],
                "totalCardNum": "9999", "validThru": {"value": "04/29"}}"#,
        );
        assert_eq!(groups.number().unwrap().expose(), "1111222233334444");
        assert_eq!(groups.valid_thru().unwrap().expose(), "04/29");
        let total = card(r#"{"totalCardNum": ["1111", "2222"]}"#);
        assert_eq!(total.number().unwrap().expose(), "11112222");
        assert!(card("{}").number().is_none());
        assert!(card(r#"{"cardNums": [{"value": " "}]}"#).number().is_none());
        assert!(card("{}").valid_thru().is_none());
    }
}
