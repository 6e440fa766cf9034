//! The authenticity check's input, typed per ID type.
//!
//! The wire type ([`AuthenticityRequest`]) has one optional field per item,
//! because which items are needed depends on `idType`. The spec says, per
//! ID type, which items are required and what form each takes
//! (`types.AuthenticityRequest` with its `discriminator` and `variants`),
//! and the generator turns that into one struct per ID type whose required
//! items are plain fields, so leaving one out does not compile. Their
//! `validate` (digit counts, `YYYYMMDD` dates that exist) is generated from
//! the same rules and runs in the client before anything is sent; the
//! emulator runs it on what it receives. Nothing here restates a rule: a
//! vendor change to them is a spec edit.
//!
//! [`AuthenticityRequest`]: crate::wire::nhn_document_ocr_v2::AuthenticityRequest

// Whatever checks the spec defines, by a generated list.
pub use crate::wire::nhn_document_ocr_v2::authenticity_checks::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::{AuthenticityIdType, AuthenticityRequest};

    fn resident(number: &str, date: &str) -> AuthenticityCheck {
        ResidentCheck {
            name: "홍길동".into(),
            resident_number: number.into(),
            issue_date: date.into(),
        }
        .into()
    }

    fn driver(number: &str, licence: &str, serial: Option<&str>) -> AuthenticityCheck {
        DriverCheck {
            name: "홍길동".into(),
            resident_number: number.into(),
            driver_license_number: licence.into(),
            serial_num: serial.map(Into::into),
        }
        .into()
    }

    #[test]
    fn valid_checks_pass_and_convert() {
        let check = resident("9001011234567", "20200229");
        check.validate().unwrap();
        assert_eq!(check.id_type(), AuthenticityIdType::Resident);
        let wire = AuthenticityRequest::from(check);
        assert_eq!(wire.id_type, AuthenticityIdType::Resident);
        assert_eq!(wire.resident_number.as_ref().unwrap(), "9001011234567");
        assert!(wire.driver_license_number.is_none());

        let check = driver("9001011", "111234567890", Some("A1B2C"));
        check.validate().unwrap();
        let wire = serde_json::to_value(AuthenticityRequest::from(check)).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"idType": "driver", "name": "홍길동", "residentNumber": "9001011",
                "driverLicenseNumber": "111234567890", "serialNum": "A1B2C"})
        );
    }

    #[test]
    fn errors_name_the_field_and_never_the_value() {
        let cases = [
            (
                resident("900101-1234567", "20200101"),
                "`residentNumber` (for resident): must be exactly 13 digits; got 14 characters, not all digits",
            ),
            (
                resident("900101123456", "20200101"),
                "`residentNumber` (for resident): must be exactly 13 digits; got 12 digits",
            ),
            (
                resident("9001011234567", "2020.01.01"),
                "`issueDate` (for resident): must be a date as YYYYMMDD; got 10 characters, not all digits",
            ),
            (
                resident("9001011234567", "20190229"),
                "`issueDate` (for resident): is not a real calendar date (YYYYMMDD)",
            ),
            (
                driver("9001011234567", "111234567890", None),
                "`residentNumber` (for driver): must be exactly 7 digits; got 13 digits",
            ),
            (
                driver("9001011", "11-12-345678-90", None),
                "`driverLicenseNumber` (for driver): must be exactly 12 digits; got 15 characters, not all digits",
            ),
            (
                driver("9001011", "111234567890", Some("1234")),
                "`serialNum` (for driver): must be 5 to 6 characters; got 4 characters",
            ),
            (
                driver("9001011", "111234567890", Some("")),
                "`serialNum` (for driver): must not be empty",
            ),
        ];
        for (check, message) in cases {
            let e = check.validate().unwrap_err();
            assert_eq!(e.to_string(), message);
        }
        assert!(
            resident("9001011234567", "19000229").validate().is_err(),
            "1900 is not a leap year"
        );

        let e = AuthenticityCheck::from(ResidentCheck {
            name: " ".into(),
            resident_number: "9001011234567".into(),
            issue_date: "20200101".into(),
        })
        .validate()
        .unwrap_err();
        assert_eq!(e.to_string(), "`name` (for resident): must not be empty");
    }

    /// What a server does with a received request: the same rules, plus
    /// "every required field is there" and "the ID type is one the spec knows".
    #[test]
    fn wire_requests_are_read_back_and_validated() {
        let read = |json: &str| {
            let wire: AuthenticityRequest = serde_json::from_str(json).unwrap();
            AuthenticityCheck::try_from(wire).map_err(|e| e.to_string())
        };
        let check = read(
            r#"{"idType":"driver","name":"a","residentNumber":"9106231","driverLicenseNumber":"111917413301","issueDate":"ignored"}"#,
        )
        .unwrap();
        let AuthenticityCheck::Driver(driver) = check else {
            panic!("a driver request reads as a driver check")
        };
        assert_eq!(driver.driver_license_number, "111917413301");
        assert!(driver.serial_num.is_none());
        assert_eq!(
            read(
                r#"{"idType":"resident","residentNumber":"9106231062372","issueDate":"20110306"}"#
            )
            .unwrap_err(),
            "`name` (for resident): is required"
        );
        assert_eq!(
            read(r#"{"idType":"resident","name":"a","residentNumber":"9106231062372","issueDate":"20111306"}"#)
                .unwrap_err(),
            "`issueDate` (for resident): is not a real calendar date (YYYYMMDD)"
        );
        // An ID type the check lacks: passports, since 2026-05-27, and
        // anything the spec never had.
        for id_type in ["passport", "alien"] {
            assert_eq!(
                read(&format!(r#"{{"idType":"{id_type}","name":"a"}}"#)).unwrap_err(),
                "`idType`: must be one of resident, driver"
            );
        }
    }

    #[test]
    fn debug_is_redacted() {
        let shown = format!("{:?}", resident("9001011234567", "20200101"));
        assert!(
            !shown.contains("9001011234567") && !shown.contains("홍길동"),
            "{shown}"
        );
    }
}
