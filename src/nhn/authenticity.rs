//! The authenticity check's input, typed per ID type.
//!
//! The wire type ([`AuthenticityRequest`]) has one optional field per item
//! because which items are needed depends on `idType`. Here each ID type
//! has its own struct whose required items are plain (non-optional) public
//! fields, so leaving one out does not compile. The forms the spec states
//! (digit counts, `YYYYMMDD` dates that exist on the calendar) are checked
//! by [`AuthenticityCheck::validate`], which the client runs before
//! anything is sent; its errors name the field and describe the problem,
//! never the value.

use crate::Sensitive;
use crate::error::{Error, InvalidInput};
use crate::wire::nhn_document_ocr_v2::{AuthenticityRequest, IdType};

/// What to verify, by ID type.
#[derive(Debug, Clone)]
pub enum AuthenticityCheck {
    Resident(ResidentCheck),
    Driver(DriverCheck),
    /// As the v2.0 snapshot documents it; the vendor removed passports from
    /// this API in 2026-05, so the service may refuse it.
    Passport(PassportCheck),
}

/// A Korean resident registration card.
#[derive(Debug, Clone)]
pub struct ResidentCheck {
    /// The holder's name.
    pub name: Sensitive,
    /// All 13 digits, without the hyphen.
    pub resident_number: Sensitive,
    /// `YYYYMMDD`.
    pub issue_date: Sensitive,
}

/// A Korean driver licence.
#[derive(Debug, Clone)]
pub struct DriverCheck {
    /// The holder's name.
    pub name: Sensitive,
    /// The first 7 digits of the resident registration number (the 6 of
    /// the birth date plus the next one).
    pub resident_number: Sensitive,
    /// All 12 digits, without separators.
    pub driver_license_number: Sensitive,
    /// The 5- or 6-character security serial number; optional.
    pub serial_num: Option<Sensitive>,
}

/// A passport (see [`AuthenticityCheck::Passport`]).
#[derive(Debug, Clone)]
pub struct PassportCheck {
    /// The holder's name.
    pub name: Sensitive,
    /// 9 characters: upper-case letters and digits.
    pub passport_number: Sensitive,
    /// `YYYYMMDD`.
    pub issue_date: Sensitive,
    /// `YYYYMMDD`.
    pub birth_date: Sensitive,
    /// `YYYYMMDD`; the only item the service receives unencrypted.
    pub expiration_date: Sensitive,
}

impl From<ResidentCheck> for AuthenticityCheck {
    fn from(check: ResidentCheck) -> Self {
        AuthenticityCheck::Resident(check)
    }
}

impl From<DriverCheck> for AuthenticityCheck {
    fn from(check: DriverCheck) -> Self {
        AuthenticityCheck::Driver(check)
    }
}

impl From<PassportCheck> for AuthenticityCheck {
    fn from(check: PassportCheck) -> Self {
        AuthenticityCheck::Passport(check)
    }
}

impl AuthenticityCheck {
    pub fn id_type(&self) -> IdType {
        match self {
            AuthenticityCheck::Resident(_) => IdType::Resident,
            AuthenticityCheck::Driver(_) => IdType::Driver,
            AuthenticityCheck::Passport(_) => IdType::Passport,
        }
    }

    /// Checks every item's documented form.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`] for the first item that does not fit.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            AuthenticityCheck::Resident(c) => {
                let t = Some("resident");
                not_empty("name", t, &c.name)?;
                digits("residentNumber", t, &c.resident_number, 13)?;
                date("issueDate", t, &c.issue_date)
            }
            AuthenticityCheck::Driver(c) => {
                let t = Some("driver");
                not_empty("name", t, &c.name)?;
                digits("residentNumber", t, &c.resident_number, 7)?;
                digits("driverLicenseNumber", t, &c.driver_license_number, 12)?;
                match &c.serial_num {
                    Some(serial) => serial_number("serialNum", t, serial),
                    None => Ok(()),
                }
            }
            AuthenticityCheck::Passport(c) => {
                let t = Some("passport");
                not_empty("name", t, &c.name)?;
                passport_number("passportNumber", t, &c.passport_number)?;
                date("issueDate", t, &c.issue_date)?;
                date("birthDate", t, &c.birth_date)?;
                date("expirationDate", t, &c.expiration_date)
            }
        }
    }

    /// The wire request, in plaintext (the runtime seals it).
    pub(crate) fn to_wire(&self) -> AuthenticityRequest {
        let mut wire = AuthenticityRequest {
            id_type: self.id_type(),
            name: None,
            resident_number: None,
            issue_date: None,
            driver_license_number: None,
            serial_num: None,
            passport_number: None,
            birth_date: None,
            expiration_date: None,
        };
        match self {
            AuthenticityCheck::Resident(c) => {
                wire.name = Some(c.name.clone());
                wire.resident_number = Some(c.resident_number.clone());
                wire.issue_date = Some(c.issue_date.clone());
            }
            AuthenticityCheck::Driver(c) => {
                wire.name = Some(c.name.clone());
                wire.resident_number = Some(c.resident_number.clone());
                wire.driver_license_number = Some(c.driver_license_number.clone());
                wire.serial_num = c.serial_num.clone();
            }
            AuthenticityCheck::Passport(c) => {
                wire.name = Some(c.name.clone());
                wire.passport_number = Some(c.passport_number.clone());
                wire.issue_date = Some(c.issue_date.clone());
                wire.birth_date = Some(c.birth_date.clone());
                wire.expiration_date = Some(c.expiration_date.clone());
            }
        }
        wire
    }
}

fn refuse(
    field: &'static str,
    for_id_type: Option<&'static str>,
    problem: impl Into<String>,
) -> Error {
    InvalidInput::Field {
        field,
        for_id_type,
        problem: problem.into(),
    }
    .into()
}

fn not_empty(field: &'static str, t: Option<&'static str>, value: &Sensitive) -> Result<(), Error> {
    if value.expose().trim().is_empty() {
        return Err(refuse(field, t, "must not be empty"));
    }
    Ok(())
}

/// Describes a value's shape without revealing it.
fn shape(value: &str) -> String {
    let chars = value.chars().count();
    if value.chars().all(|c| c.is_ascii_digit()) {
        format!("got {chars} digits")
    } else {
        format!("got {chars} characters, not all digits")
    }
}

fn digits(
    field: &'static str,
    t: Option<&'static str>,
    value: &Sensitive,
    count: usize,
) -> Result<(), Error> {
    let v = value.expose();
    if v.len() != count || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(
            field,
            t,
            format!("must be exactly {count} digits; {}", shape(v)),
        ));
    }
    Ok(())
}

fn serial_number(
    field: &'static str,
    t: Option<&'static str>,
    value: &Sensitive,
) -> Result<(), Error> {
    let v = value.expose();
    if !(5..=6).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let chars = v.chars().count();
        return Err(refuse(
            field,
            t,
            format!("must be 5 or 6 letters or digits; got {chars} characters"),
        ));
    }
    Ok(())
}

fn passport_number(
    field: &'static str,
    t: Option<&'static str>,
    value: &Sensitive,
) -> Result<(), Error> {
    let v = value.expose();
    if v.len() != 9
        || !v
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        let chars = v.chars().count();
        return Err(refuse(
            field,
            t,
            format!("must be 9 upper-case letters or digits; got {chars} characters"),
        ));
    }
    Ok(())
}

/// `YYYYMMDD` naming a day that exists in the (proleptic Gregorian) calendar.
fn date(field: &'static str, t: Option<&'static str>, value: &Sensitive) -> Result<(), Error> {
    let v = value.expose();
    if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse(
            field,
            t,
            format!("must be a date as YYYYMMDD; {}", shape(v)),
        ));
    }
    let number = |range: std::ops::Range<usize>| {
        v.get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(refuse(field, t, "is not a real calendar date (YYYYMMDD)"));
    }
    Ok(())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resident(number: &str, date: &str) -> AuthenticityCheck {
        ResidentCheck {
            name: "홍길동".into(),
            resident_number: number.into(),
            issue_date: date.into(),
        }
        .into()
    }

    #[test]
    fn valid_checks_pass_and_convert() {
        let check = resident("9001011234567", "20200229");
        check.validate().unwrap();
        let wire = check.to_wire();
        assert_eq!(wire.id_type, IdType::Resident);
        assert_eq!(wire.resident_number.as_ref().unwrap(), "9001011234567");
        assert!(wire.driver_license_number.is_none());

        let driver = AuthenticityCheck::from(DriverCheck {
            name: "홍길동".into(),
            resident_number: "9001011".into(),
            driver_license_number: "111234567890".into(),
            serial_num: Some("A1B2C".into()),
        });
        driver.validate().unwrap();
        let wire = serde_json::to_value(driver.to_wire()).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({"idType": "driver", "name": "홍길동", "residentNumber": "9001011",
                "driverLicenseNumber": "111234567890", "serialNum": "A1B2C"})
        );

        let passport = AuthenticityCheck::from(PassportCheck {
            name: "HONG GILDONG".into(),
            passport_number: "M12345678".into(),
            issue_date: "20200101".into(),
            birth_date: "19900101".into(),
            expiration_date: "20300101".into(),
        });
        passport.validate().unwrap();
        assert_eq!(passport.to_wire().expiration_date.unwrap(), "20300101");
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
                resident("9001011234567", "20201301"),
                "`issueDate` (for resident): is not a real calendar date (YYYYMMDD)",
            ),
            (
                resident("9001011234567", "20200431"),
                "`issueDate` (for resident): is not a real calendar date (YYYYMMDD)",
            ),
            (
                resident("9001011234567", "00000101"),
                "`issueDate` (for resident): is not a real calendar date (YYYYMMDD)",
            ),
        ];
        for (check, message) in cases {
            let e = check.validate().unwrap_err();
            assert_eq!(e.to_string(), message);
        }
        assert!(resident("9001011234567", "19000228").validate().is_ok());
        assert!(
            resident("9001011234567", "19000229").validate().is_err(),
            "1900 is not a leap year"
        );
        assert!(
            resident("9001011234567", "20000229").validate().is_ok(),
            "2000 is"
        );

        let driver = |number: &str, licence: &str, serial: Option<&str>| {
            AuthenticityCheck::from(DriverCheck {
                name: "홍길동".into(),
                resident_number: number.into(),
                driver_license_number: licence.into(),
                serial_num: serial.map(Into::into),
            })
            .validate()
            .map_err(|e| e.to_string())
        };
        assert_eq!(
            driver("9001011234567", "111234567890", None).unwrap_err(),
            "`residentNumber` (for driver): must be exactly 7 digits; got 13 digits"
        );
        assert_eq!(
            driver("9001011", "11-12-345678-90", None).unwrap_err(),
            "`driverLicenseNumber` (for driver): must be exactly 12 digits; got 15 characters, not all digits"
        );
        assert_eq!(
            driver("9001011", "111234567890", Some("1234")).unwrap_err(),
            "`serialNum` (for driver): must be 5 or 6 letters or digits; got 4 characters"
        );

        let e = AuthenticityCheck::from(ResidentCheck {
            name: " ".into(),
            resident_number: "9001011234567".into(),
            issue_date: "20200101".into(),
        })
        .validate()
        .unwrap_err();
        assert_eq!(e.to_string(), "`name` (for resident): must not be empty");

        let e = AuthenticityCheck::from(PassportCheck {
            name: "HONG".into(),
            passport_number: "m1234567".into(),
            issue_date: "20200101".into(),
            birth_date: "19900101".into(),
            expiration_date: "20300101".into(),
        })
        .validate()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "`passportNumber` (for passport): must be 9 upper-case letters or digits; got 8 characters"
        );
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
