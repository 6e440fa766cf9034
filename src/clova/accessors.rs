//! Accessors for the common fields of each CLOVA document, on the generated
//! wire types themselves.
//!
//! The wire types mirror the vendor's JSON: a receipt's total is
//! `result.totalPrice.price.formatted.value`, and every member is optional.
//! These methods walk those paths so the common case is one call, while the
//! types stay the exact wire types for everything else. Recognized text is
//! personal data, so every text comes back as `&Sensitive` (read with
//! [`Sensitive::expose`]); none of this prints anything in `Debug`.
//!
//! Where the vendor sends a normalized form (`formatted.value`) next to the
//! printed text, `value()` prefers the normalized one when it is not empty:
//! `1,600` on the paper is `1600` there. Where a list may hold several
//! candidates (name cards, ID cards), the singular accessor returns the
//! first, which is the service's best reading.

use crate::Sensitive;
use crate::wire::clova_document_ocr::{
    BaseObject, BizLicenseDocument, BizLicenseResult, CreditCardDocument, CreditCardResult,
    DateObject, FieldObject, FloatObject, IdCardDocument, IdCardResult, Item, MrzString,
    NameCardDocument, NameCardResult, PassportDocument, PassportResult, ReceiptDocument,
    ReceiptResult, StringObject, TelObject, ValueFormatted,
};

/// The normalized value when present and not empty, else the printed text.
fn normalized<'a>(
    formatted: Option<&'a ValueFormatted>,
    text: Option<&'a Sensitive>,
) -> Option<&'a Sensitive> {
    formatted
        .and_then(ValueFormatted::value)
        .filter(|v| !v.is_empty())
        .or(text)
}

fn non_empty(part: Option<&Sensitive>) -> Option<&str> {
    part.map(Sensitive::expose).filter(|s| !s.is_empty())
}

fn first<T>(list: Option<&Vec<T>>) -> Option<&T> {
    list.and_then(|l| l.first())
}

impl StringObject {
    /// The cleaned-up text when sent, else the text as printed.
    pub fn value(&self) -> Option<&Sensitive> {
        normalized(self.formatted.as_ref(), self.text.as_ref())
    }
}

impl FloatObject {
    /// The number without separators (`1600`) when sent, else as printed
    /// (`1,600`).
    pub fn value(&self) -> Option<&Sensitive> {
        normalized(self.formatted.as_ref(), self.text.as_ref())
    }
}

impl FloatObject {
    /// The number itself: the normalized value (or the printed text) with
    /// thousands separators, spaces and a won sign or suffix (`₩`, `원`)
    /// removed, as the docs define these values (numbers in text). `None`
    /// when nothing numeric was read, or the text holds anything else.
    pub fn number(&self) -> Option<f64> {
        parse_amount(self.value()?.expose())
    }
}

/// `"1,600"`, `"₩ 12,000"`, `"3원"`, `"-500"`, `"2.5"` as numbers.
fn parse_amount(text: &str) -> Option<f64> {
    let kept: String = text
        .trim()
        .trim_start_matches('₩')
        .trim_end_matches('원')
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '\u{a0}'))
        .collect();
    let digits = kept.strip_prefix('-').unwrap_or(&kept);
    let well_formed = digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    well_formed.then(|| kept.parse().ok()).flatten()
}

impl TelObject {
    /// The digits-only number when sent, else as printed.
    pub fn value(&self) -> Option<&Sensitive> {
        normalized(self.formatted.as_ref(), self.text.as_ref())
    }
}

impl BaseObject {
    /// The text (a base object has no normalized form).
    pub fn value(&self) -> Option<&Sensitive> {
        self.text.as_ref()
    }
}

impl FieldObject {
    /// The text (a credit card field has no normalized form).
    pub fn value(&self) -> Option<&Sensitive> {
        self.text.as_ref()
    }
}

impl MrzString {
    /// The interpreted value (`1987/02/01`, `Korea (the Republic of)`) when
    /// sent, else the characters as read from the MRZ (`870201`, `KOR`).
    pub fn value(&self) -> Option<&Sensitive> {
        self.refined_text
            .as_ref()
            .filter(|v| !v.is_empty())
            .or(self.raw_text.as_ref())
    }
}

impl DateObject {
    /// `YYYY-MM-DD` from the date's parts, when all three were read.
    pub fn iso_date(&self) -> Option<Sensitive> {
        let f = self.formatted.as_ref()?;
        let (year, month, day) = (
            non_empty(f.year.as_ref())?,
            non_empty(f.month.as_ref())?,
            non_empty(f.day.as_ref())?,
        );
        Some(Sensitive::new(format!("{year}-{month}-{day}")))
    }
}

// ---- receipt ---------------------------------------------------------------

/// One purchased line of a receipt, read out of its [`Item`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct LineItem<'a> {
    /// What was bought, as printed.
    pub name: Option<&'a Sensitive>,
    /// Quantity.
    pub count: Option<&'a Sensitive>,
    /// Amount of the line.
    pub price: Option<&'a Sensitive>,
    /// Price of one unit.
    pub unit_price: Option<&'a Sensitive>,
    /// The wire item, for boxes and confidences.
    pub item: &'a Item,
}

impl LineItem<'_> {
    /// The quantity as a number (see [`FloatObject::number`]).
    pub fn count_number(&self) -> Option<f64> {
        self.item.count.as_ref()?.number()
    }

    /// The line's amount as a number.
    pub fn price_amount(&self) -> Option<f64> {
        self.item.price.as_ref()?.price.as_ref()?.number()
    }

    /// The unit price as a number.
    pub fn unit_price_amount(&self) -> Option<f64> {
        self.item.price.as_ref()?.unit_price.as_ref()?.number()
    }
}

impl ReceiptDocument {
    fn fields(&self) -> Option<&ReceiptResult> {
        self.result.as_ref()
    }

    /// The merchant's name.
    pub fn store_name(&self) -> Option<&Sensitive> {
        self.fields()?.store_info.as_ref()?.name.as_ref()?.value()
    }

    /// The payment date; [`DateObject::iso_date`] gives `YYYY-MM-DD`.
    pub fn date(&self) -> Option<&DateObject> {
        self.fields()?.payment_info.as_ref()?.date.as_ref()
    }

    /// Every purchased line, in the order of the receipt's groups.
    pub fn items(&self) -> impl Iterator<Item = LineItem<'_>> {
        self.fields()
            .and_then(|r| r.sub_results.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|group| group.items.as_ref())
            .flatten()
            .map(|item| LineItem {
                name: item.name.as_ref().and_then(StringObject::value),
                count: item.count.as_ref().and_then(FloatObject::value),
                price: item
                    .price
                    .as_ref()
                    .and_then(|p| p.price.as_ref())
                    .and_then(FloatObject::value),
                unit_price: item
                    .price
                    .as_ref()
                    .and_then(|p| p.unit_price.as_ref())
                    .and_then(FloatObject::value),
                item,
            })
    }

    /// The total amount.
    pub fn total(&self) -> Option<&Sensitive> {
        self.fields()?.total_price.as_ref()?.price.as_ref()?.value()
    }

    /// The total amount as a number (see [`FloatObject::number`]).
    pub fn total_amount(&self) -> Option<f64> {
        self.fields()?
            .total_price
            .as_ref()?
            .price
            .as_ref()?
            .number()
    }
}

// ---- credit card -----------------------------------------------------------

impl CreditCardDocument {
    fn fields(&self) -> Option<&CreditCardResult> {
        self.result.as_ref()
    }

    /// The card number.
    pub fn number(&self) -> Option<&Sensitive> {
        self.fields()?.number.as_ref()?.value()
    }

    /// The expiry as printed (`12/29`).
    pub fn valid_thru(&self) -> Option<&Sensitive> {
        self.fields()?.valid_thru.as_ref()?.value()
    }

    /// The cardholder's name (sent since v1.0.4).
    pub fn holder_name(&self) -> Option<&Sensitive> {
        self.fields()?.name.as_ref()?.value()
    }
}

// ---- name card -------------------------------------------------------------

macro_rules! first_of {
    ($type:ident via $fields:ident: $($(#[$doc:meta])* $name:ident => $member:ident;)*) => {
        impl $type {$(
            $(#[$doc])*
            pub fn $name(&self) -> Option<&Sensitive> {
                first(self.$fields()?.$member.as_ref())?.value()
            }
        )*}
    };
}

impl NameCardDocument {
    fn fields(&self) -> Option<&NameCardResult> {
        self.result.as_ref()
    }
}

first_of! { NameCardDocument via fields:
    /// The person's name.
    name => name;
    /// The company's name.
    company => company;
    /// The department.
    department => department;
    /// The job title.
    position => position;
    /// The postal address.
    address => address;
    /// The mobile phone number.
    mobile => mobile;
    /// The office telephone number.
    tel => tel;
    /// The fax number.
    fax => fax;
    /// The e-mail address.
    email => email;
    /// The web site.
    homepage => homepage;
}

// ---- business licence ------------------------------------------------------

impl BizLicenseDocument {
    fn fields(&self) -> Option<&BizLicenseResult> {
        self.result.as_ref()
    }
}

first_of! { BizLicenseDocument via fields:
    /// The business registration number (`123-45-67890`).
    register_number => register_number;
    /// The trade name.
    company_name => company_name;
    /// The corporation's name, for a corporate business.
    corp_name => corp_name;
    /// The representative's name.
    representative => rep_name;
    /// The date the business opened, as printed.
    open_date => open_date;
    /// The place of business.
    address => bis_address;
    /// The head office's address, for a corporate business.
    head_address => head_address;
    /// The business category (업태).
    business_type => bis_type;
    /// The business items (종목).
    business_item => bis_item;
    /// The kind of certificate.
    document_type => document_type;
}

// ---- ID card ---------------------------------------------------------------

/// Which ID document the `id-card` endpoint found, by the member it filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdCardKind {
    /// `ic`: resident registration card.
    ResidentCard,
    /// `dl`: driver's licence.
    DriverLicense,
    /// `pp`: Korean passport (visual zone).
    Passport,
    /// `ac`: alien registration card.
    AlienCard,
}

impl IdCardKind {
    /// The document's name in English, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            IdCardKind::ResidentCard => "resident registration card",
            IdCardKind::DriverLicense => "driver's licence",
            IdCardKind::Passport => "passport",
            IdCardKind::AlienCard => "alien registration card",
        }
    }
}

impl std::fmt::Display for IdCardKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl IdCardDocument {
    fn fields(&self) -> Option<&IdCardResult> {
        self.result.as_ref()
    }

    /// The kind of document, from the member the service filled (`ic`,
    /// `dl`, `pp`, `ac`); `None` if none is. The vendor's own label, spelled
    /// three ways in its docs, is [`IdCardResult::id_type`].
    pub fn kind(&self) -> Option<IdCardKind> {
        let r = self.fields()?;
        if r.ic.is_some() {
            Some(IdCardKind::ResidentCard)
        } else if r.dl.is_some() {
            Some(IdCardKind::DriverLicense)
        } else if r.pp.is_some() {
            Some(IdCardKind::Passport)
        } else if r.ac.is_some() {
            Some(IdCardKind::AlienCard)
        } else {
            None
        }
    }

    /// Whether every field the kind requires was found (`isConfident`).
    pub fn is_confident(&self) -> Option<bool> {
        self.fields()?.is_confident
    }

    /// The holder's name: Korean full name for a passport.
    pub fn name(&self) -> Option<&Sensitive> {
        let r = self.fields()?;
        let list = match self.kind()? {
            IdCardKind::ResidentCard => r.ic.as_ref()?.name.as_ref(),
            IdCardKind::DriverLicense => r.dl.as_ref()?.name.as_ref(),
            IdCardKind::Passport => r.pp.as_ref()?.full_name_kor.as_ref(),
            IdCardKind::AlienCard => r.ac.as_ref()?.name.as_ref(),
        };
        first(list)?.value()
    }

    /// The resident registration number (resident card, licence,
    /// passport) or the alien registration number.
    pub fn personal_number(&self) -> Option<&Sensitive> {
        let r = self.fields()?;
        let list = match self.kind()? {
            IdCardKind::ResidentCard => r.ic.as_ref()?.personal_num.as_ref(),
            IdCardKind::DriverLicense => r.dl.as_ref()?.personal_num.as_ref(),
            IdCardKind::Passport => r.pp.as_ref()?.personal_num.as_ref(),
            IdCardKind::AlienCard => r.ac.as_ref()?.alien_reg_num.as_ref(),
        };
        first(list)?.value()
    }

    /// The licence number or passport number; `None` for the cards whose
    /// only number is the personal one.
    pub fn document_number(&self) -> Option<&Sensitive> {
        let r = self.fields()?;
        let list = match self.kind()? {
            IdCardKind::DriverLicense => r.dl.as_ref()?.num.as_ref(),
            IdCardKind::Passport => r.pp.as_ref()?.num.as_ref(),
            IdCardKind::ResidentCard | IdCardKind::AlienCard => None,
        };
        first(list)?.value()
    }

    /// The registered address (resident card, licence).
    pub fn address(&self) -> Option<&Sensitive> {
        let r = self.fields()?;
        let list = match self.kind()? {
            IdCardKind::ResidentCard => r.ic.as_ref()?.address.as_ref(),
            IdCardKind::DriverLicense => r.dl.as_ref()?.address.as_ref(),
            IdCardKind::Passport | IdCardKind::AlienCard => None,
        };
        first(list)?.value()
    }

    /// The date of issue; [`DateObject::iso_date`] gives `YYYY-MM-DD`.
    pub fn issue_date(&self) -> Option<&DateObject> {
        let r = self.fields()?;
        let list = match self.kind()? {
            IdCardKind::ResidentCard => r.ic.as_ref()?.issue_date.as_ref(),
            IdCardKind::DriverLicense => r.dl.as_ref()?.issue_date.as_ref(),
            IdCardKind::Passport => r.pp.as_ref()?.issue_date.as_ref(),
            IdCardKind::AlienCard => r.ac.as_ref()?.issue_date.as_ref(),
        };
        first(list)
    }

    /// The issuing office.
    pub fn authority(&self) -> Option<&Sensitive> {
        let r = self.fields()?;
        match self.kind()? {
            IdCardKind::ResidentCard => first(r.ic.as_ref()?.authority.as_ref())?.value(),
            IdCardKind::DriverLicense => first(r.dl.as_ref()?.authority.as_ref())?.value(),
            IdCardKind::Passport => first(r.pp.as_ref()?.authority.as_ref())?.value(),
            IdCardKind::AlienCard => first(r.ac.as_ref()?.authority.as_ref())?.value(),
        }
    }
}

// ---- passport (MRZ) --------------------------------------------------------

impl PassportDocument {
    fn fields(&self) -> Option<&PassportResult> {
        self.passport_result.as_ref()
    }

    /// Whether the passport has expired, as the service judged it.
    pub fn is_expired(&self) -> Option<bool> {
        self.fields()?.is_expired.as_ref()?.refined_text
    }

    /// The holder's age, from the date of birth.
    pub fn age(&self) -> Option<i64> {
        self.fields()?.age.as_ref()?.refined_text
    }
}

macro_rules! mrz {
    ($($(#[$doc:meta])* $name:ident => $member:ident;)*) => {
        impl PassportDocument {$(
            $(#[$doc])*
            pub fn $name(&self) -> Option<&Sensitive> {
                self.fields()?.$member.as_ref()?.value()
            }
        )*}
    };
}

mrz! {
    /// The passport number.
    document_number => document_number;
    /// The (first) surname.
    surname => last_name1;
    /// The given names.
    given_names => first_name;
    /// The nationality, interpreted (`Korea (the Republic of)`).
    nationality => nationality;
    /// The issuing state, interpreted.
    issuing_state => issuing_state_code;
    /// The date of birth, interpreted (`1987/02/01`).
    date_of_birth => date_of_birth;
    /// The sex, interpreted (`Female`).
    sex => gender;
    /// The expiry date, interpreted (`2030/08/15`).
    date_of_expiry => date_of_expiry;
    /// The MRZ's personal number field.
    personal_number => personal_number;
    /// The whole MRZ, lines separated by `\n`.
    mrz_lines => mrz_lines;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exposed(s: Option<&Sensitive>) -> Option<&str> {
        s.map(Sensitive::expose)
    }

    #[test]
    fn normalized_values_win_unless_empty() {
        let o: StringObject =
            serde_json::from_value(json!({"text": "1,600", "formatted": {"value": "1600"}}))
                .unwrap();
        assert_eq!(exposed(o.value()), Some("1600"));
        let o: StringObject =
            serde_json::from_value(json!({"text": "1,600", "formatted": {"value": ""}})).unwrap();
        assert_eq!(exposed(o.value()), Some("1,600"));
        let o: StringObject =
            serde_json::from_value(json!({"text": "x", "formatted": {"Value": "y"}})).unwrap();
        assert_eq!(exposed(o.value()), Some("y"));
    }

    #[test]
    fn amounts_and_counts_read_as_numbers() {
        let number =
            |v: serde_json::Value| serde_json::from_value::<FloatObject>(v).unwrap().number();
        assert_eq!(
            number(json!({"text": "1,600", "formatted": {"value": "1600"}})),
            Some(1600.0)
        );
        assert_eq!(number(json!({"text": "₩ 12,000"})), Some(12000.0));
        assert_eq!(number(json!({"text": "3원"})), Some(3.0));
        assert_eq!(number(json!({"text": "-500"})), Some(-500.0));
        assert_eq!(number(json!({"text": "2.5"})), Some(2.5));
        for text in ["", "free", "1.2.3", "12a", "-", "1,6OO"] {
            assert_eq!(number(json!({ "text": text })), None, "{text}");
        }
        let receipt: ReceiptDocument = serde_json::from_value(json!({"result": {
            "totalPrice": {"price": {"text": "13,600", "formatted": {"value": "13600"}}},
            "subResults": [{"items": [{"name": {"text": "커피"}, "count": {"text": "2"},
                "price": {"price": {"text": "9,000"}, "unitPrice": {"text": "4,500"}}}]}]
        }}))
        .unwrap();
        assert_eq!(receipt.total_amount(), Some(13600.0));
        let item = receipt.items().next().unwrap();
        assert_eq!(
            (
                item.count_number(),
                item.price_amount(),
                item.unit_price_amount()
            ),
            (Some(2.0), Some(9000.0), Some(4500.0))
        );
    }

    #[test]
    fn dates_need_all_three_parts() {
        let d: DateObject = serde_json::from_value(
            json!({"text": "2011.3. 6.", "formatted": {"year": "2011", "month": "03", "day": "06"}}),
        )
        .unwrap();
        assert_eq!(d.iso_date().unwrap().expose(), "2011-03-06");
        let d: DateObject = serde_json::from_value(
            json!({"text": "3. 6.", "formatted": {"year": "", "month": "03", "day": "06"}}),
        )
        .unwrap();
        assert!(d.iso_date().is_none());
    }

    #[test]
    fn an_empty_document_has_no_fields_and_no_panics() {
        let receipt = ReceiptDocument::default();
        assert!(receipt.store_name().is_none() && receipt.total().is_none());
        assert_eq!(receipt.items().count(), 0);
        assert!(IdCardDocument::default().kind().is_none());
        assert!(IdCardDocument::default().name().is_none());
        assert!(PassportDocument::default().surname().is_none());
        assert!(NameCardDocument::default().email().is_none());
    }
}
