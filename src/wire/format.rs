//! The forms request fields must have, checked once for the client and the
//! emulator alike.
//!
//! The spec states, per variant of a request (per ID type of an
//! authenticity check), which fields are required and what form each takes
//! (`{digits: 13}`, `date`, ...). The generated code turns those facts into
//! a table of [`Rule`]s per variant and hands it to [`check`]; the logic
//! lives here, written once, so the generated code stays data, and the client
//! (before sending) and the emulator (after decrypting) cannot disagree
//! about what a valid request is.
//!
//! Errors name the field, the variant and the rule, and describe the value
//! only by its length and character class: these values are personal data.

use crate::error::InvalidInput;
use std::fmt;

/// How many characters a value has: exactly one count, or an inclusive range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    /// Fewest characters allowed (Unicode scalar values).
    pub min: usize,
    /// Most characters allowed (Unicode scalar values), inclusive.
    pub max: usize,
}

impl Length {
    /// Exactly `count` characters, as the spec's `{digits: 13}` states.
    pub const fn exactly(count: usize) -> Self {
        Length {
            min: count,
            max: count,
        }
    }

    /// From `min` to `max` characters, both included.
    pub const fn between(min: usize, max: usize) -> Self {
        Length { min, max }
    }

    fn contains(self, count: usize) -> bool {
        (self.min..=self.max).contains(&count)
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "exactly {}", self.min)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

/// A form the spec states for a field: a closed set, so that every rule is
/// checked the same way everywhere (no regular expressions to drift apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `YYYYMMDD` naming a day that exists in the (proleptic Gregorian)
    /// calendar: `20190229` is refused, `20200229` is not.
    Date,
    /// ASCII digits only (`0`-`9`).
    Digits(Length),
    /// ASCII letters and digits.
    Alnum(Length),
    /// Upper-case ASCII letters and digits.
    UpperAlnum(Length),
    /// Any characters, counted as Unicode scalar values.
    Chars(Length),
}

/// The character classes behind [`Format`], with the words errors use.
#[derive(Clone, Copy)]
enum Class {
    Digits,
    Alnum,
    UpperAlnum,
    Any,
}

impl Class {
    fn admits(self, c: char) -> bool {
        match self {
            Class::Digits => c.is_ascii_digit(),
            Class::Alnum => c.is_ascii_alphanumeric(),
            Class::UpperAlnum => c.is_ascii_uppercase() || c.is_ascii_digit(),
            Class::Any => true,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Class::Digits => "digits",
            Class::Alnum => "letters or digits",
            Class::UpperAlnum => "upper-case letters or digits",
            Class::Any => "characters",
        }
    }

    /// The value's length and whether it fits the class, never its content.
    fn shape(self, value: &str) -> String {
        let count = value.chars().count();
        match (self, value.chars().all(|c| self.admits(c))) {
            (Class::Digits, true) => format!("got {count} digits"),
            (_, true) => format!("got {count} characters"),
            (_, false) => format!("got {count} characters, not all {}", self.noun()),
        }
    }
}

impl Format {
    /// Checks `value` against this form.
    ///
    /// # Errors
    ///
    /// What is wrong, in words that never include the value.
    pub fn check(self, value: &str) -> Result<(), String> {
        let (class, length) = match self {
            Format::Date => return check_date(value),
            Format::Digits(length) => (Class::Digits, length),
            Format::Alnum(length) => (Class::Alnum, length),
            Format::UpperAlnum(length) => (Class::UpperAlnum, length),
            Format::Chars(length) => (Class::Any, length),
        };
        let fits = length.contains(value.chars().count()) && value.chars().all(|c| class.admits(c));
        if fits {
            Ok(())
        } else {
            Err(format!(
                "must be {length} {}; {}",
                class.noun(),
                class.shape(value)
            ))
        }
    }
}

fn check_date(value: &str) -> Result<(), String> {
    let digits = Format::Digits(Length::exactly(8));
    if digits.check(value).is_err() {
        return Err(format!(
            "must be a date as YYYYMMDD; {}",
            Class::Digits.shape(value)
        ));
    }
    // Eight ASCII digits, so every slice below exists and parses.
    let number = |range: std::ops::Range<usize>| {
        value
            .get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    if year == 0 || day == 0 || day > days_in_month(year, month) {
        return Err("is not a real calendar date (YYYYMMDD)".to_string());
    }
    Ok(())
}

/// Days in `month` of `year`; 0 for a month that does not exist.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// What one variant (such as the ID type `resident`) needs of one field:
/// the generated checks hold one table of these per variant, in the spec's
/// field order, so other code can read the spec's rules too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Wire name of the field; errors name it.
    pub field: &'static str,
    /// A required value must be given; an optional one is checked only
    /// when it is.
    pub required: bool,
    /// The form a given value must have; `None` for any text that is not
    /// blank.
    pub format: Option<Format>,
}

impl Rule {
    /// A rule for a field the variant must be given, in `format` if any.
    pub const fn required(field: &'static str, format: Option<Format>) -> Self {
        Rule {
            field,
            required: true,
            format,
        }
    }

    /// A rule for a field the variant may omit, checked against `format`
    /// only when given.
    pub const fn optional(field: &'static str, format: Option<Format>) -> Self {
        Rule {
            field,
            required: false,
            format,
        }
    }

    /// Checks one value (`None`: not given) for `variant`, the
    /// discriminator's wire value, which errors name.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`] naming the field, the variant and the broken
    /// rule.
    pub fn check(&self, variant: &'static str, value: Option<&str>) -> Result<(), InvalidInput> {
        self.check_for(Some(variant), value)
    }

    /// Checks one value (`None`: not given) of a request's input, whatever
    /// its other fields (an endpoint's [`checks`](crate::descriptor::Endpoint::checks)).
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`] naming the field and the broken rule.
    pub fn check_input(&self, value: Option<&str>) -> Result<(), InvalidInput> {
        self.check_for(None, value)
    }

    fn check_for(
        &self,
        variant: Option<&'static str>,
        value: Option<&str>,
    ) -> Result<(), InvalidInput> {
        let refuse = |problem: String| InvalidInput::Field {
            field: self.field,
            for_id_type: variant,
            problem,
        };
        let Some(value) = value else {
            return match self.required {
                true => Err(refuse("is required".to_string())),
                false => Ok(()),
            };
        };
        if value.trim().is_empty() {
            return Err(refuse("must not be empty".to_string()));
        }
        match self.format {
            Some(format) => format.check(value).map_err(refuse),
            None => Ok(()),
        }
    }
}

/// Checks an endpoint's checked inputs (its descriptor's `checks`), each
/// value found by `value_of` from its wire name (`None`: not given), in
/// order, stopping at the first that breaks its rule.
///
/// # Errors
///
/// As [`Rule::check_input`].
pub fn check_inputs<'v>(
    rules: &[Rule],
    mut value_of: impl FnMut(&str) -> Option<&'v str>,
) -> Result<(), InvalidInput> {
    rules
        .iter()
        .try_for_each(|rule| rule.check_input(value_of(rule.field)))
}

/// Checks each value against its rule, in order, stopping at the first
/// that breaks it. One value per rule: the array lengths must agree, so a
/// generated check that forgot a field does not compile.
///
/// # Errors
///
/// As [`Rule::check`].
pub fn check<const N: usize>(
    variant: &'static str,
    rules: &[Rule; N],
    values: [Option<&str>; N],
) -> Result<(), InvalidInput> {
    rules
        .iter()
        .zip(values)
        .try_for_each(|(rule, value)| rule.check(variant, value))
}

/// A required value taken out of a wire request, where every field is an
/// `Option` because which ones are needed depends on the variant.
///
/// # Errors
///
/// [`InvalidInput::Field`] saying the field is required.
pub fn present<T>(
    variant: &'static str,
    field: &'static str,
    value: Option<T>,
) -> Result<T, InvalidInput> {
    value.ok_or(InvalidInput::Field {
        field,
        for_id_type: Some(variant),
        problem: "is required".to_string(),
    })
}

/// The discriminator holds a value the spec gives no rules for.
pub fn unknown_variant(field: &'static str, known: &'static [&'static str]) -> InvalidInput {
    InvalidInput::Field {
        field,
        for_id_type: None,
        problem: format!("must be one of {}", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(format: Format, value: &str) -> String {
        format.check(value).unwrap_err()
    }

    #[test]
    fn digits_count_and_class() {
        let thirteen = Format::Digits(Length::exactly(13));
        assert!(thirteen.check("9001011234567").is_ok());
        assert_eq!(
            problem(thirteen, "900101123456"),
            "must be exactly 13 digits; got 12 digits"
        );
        assert_eq!(
            problem(thirteen, "900101-1234567"),
            "must be exactly 13 digits; got 14 characters, not all digits"
        );
        // Non-ASCII digits are not digits here.
        assert!(thirteen.check("９００１０１１２３４５６７").is_err());
        let range = Format::Digits(Length::between(5, 6));
        assert!(range.check("12345").is_ok() && range.check("123456").is_ok());
        assert_eq!(
            problem(range, "1234567"),
            "must be 5 to 6 digits; got 7 digits"
        );
    }

    #[test]
    fn character_classes() {
        let passport = Format::UpperAlnum(Length::exactly(9));
        assert!(passport.check("M12345678").is_ok());
        assert_eq!(
            problem(passport, "m12345678"),
            "must be exactly 9 upper-case letters or digits; got 9 characters, not all upper-case letters or digits"
        );
        assert_eq!(
            problem(passport, "M1234567"),
            "must be exactly 9 upper-case letters or digits; got 8 characters"
        );
        let alnum = Format::Alnum(Length::between(5, 6));
        assert!(alnum.check("a1B2c").is_ok());
        assert!(alnum.check("a1-2c").is_err());
        let chars = Format::Chars(Length::between(5, 6));
        assert!(chars.check("5XC3T2").is_ok() && chars.check("가나다라마").is_ok());
        assert_eq!(
            problem(chars, "1234"),
            "must be 5 to 6 characters; got 4 characters"
        );
    }

    #[test]
    fn dates_must_exist() {
        for ok in ["20200229", "20000229", "19000228", "00011231", "20241031"] {
            assert!(Format::Date.check(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("19000229", "1900 is not a leap year"),
            ("20190229", "2019 is not a leap year"),
            ("20201301", "month 13"),
            ("20200001", "month 0"),
            ("20200431", "April has 30 days"),
            ("20200100", "day 0"),
            ("00000101", "year 0"),
        ] {
            assert_eq!(
                problem(Format::Date, bad),
                "is not a real calendar date (YYYYMMDD)",
                "{why}"
            );
        }
        assert_eq!(
            problem(Format::Date, "2020.01.01"),
            "must be a date as YYYYMMDD; got 10 characters, not all digits"
        );
        assert_eq!(
            problem(Format::Date, "2020011"),
            "must be a date as YYYYMMDD; got 7 digits"
        );
    }

    #[test]
    fn rules_name_field_and_variant_never_the_value() {
        let number = Rule::required("residentNumber", Some(Format::Digits(Length::exactly(13))));
        let e = number
            .check("resident", Some("900101-1234567"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "`residentNumber` (for resident): must be exactly 13 digits; got 14 characters, not all digits"
        );
        assert!(!e.contains("900101"));
        assert_eq!(
            number.check("resident", None).unwrap_err().to_string(),
            "`residentNumber` (for resident): is required"
        );
        let name = Rule::required("name", None);
        assert_eq!(
            name.check("resident", Some(" \t")).unwrap_err().to_string(),
            "`name` (for resident): must not be empty"
        );
        assert!(name.check("resident", Some("홍길동")).is_ok());
        let serial = Rule::optional("serialNum", Some(Format::Chars(Length::between(5, 6))));
        assert!(serial.check("driver", None).is_ok());
        assert!(
            serial.check("driver", Some("")).is_err(),
            "given means checked"
        );
        assert_eq!(
            present::<&str>("resident", "issueDate", None)
                .unwrap_err()
                .to_string(),
            "`issueDate` (for resident): is required"
        );
        assert_eq!(present("resident", "issueDate", Some(1)).unwrap(), 1);
        assert_eq!(
            unknown_variant("idType", &["resident", "driver"]).to_string(),
            "`idType`: must be one of resident, driver"
        );
    }

    #[test]
    fn a_table_is_checked_in_order_up_to_the_first_failure() {
        let rules = [
            Rule::required("name", None),
            Rule::required("issueDate", Some(Format::Date)),
            Rule::optional("serialNum", Some(Format::Digits(Length::exactly(2)))),
        ];
        assert!(check("t", &rules, [Some("a"), Some("20200101"), None]).is_ok());
        let e = check("t", &rules, [Some(""), Some("x"), Some("123")]).unwrap_err();
        assert!(e.to_string().starts_with("`name`"), "{e}");
        let e = check("t", &rules, [Some("a"), Some("20200101"), Some("123")]).unwrap_err();
        assert!(e.to_string().starts_with("`serialNum`"), "{e}");
    }
}
