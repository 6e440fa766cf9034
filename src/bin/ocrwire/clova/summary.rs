//! The readable summaries of `ocrwire clova`.
//!
//! One line per common field, from the library's accessors. As in
//! `ocrwire nhn`, the numbers that identify a person or a card are partly
//! masked unless `--reveal` (a terminal's scrollback outlives the command);
//! `--output json` is the complete response.

use std::fmt::Write as _;

use ocrwire::Sensitive;
use ocrwire::wire::clova_document_ocr::{
    BizLicenseDocument, CreditCardDocument, IdCardDocument, NameCardDocument, PassportDocument,
    ReceiptDocument,
};

use crate::nhn::summary::mask;

const MASKED_NOTE: &str = "(numbers partly masked; --reveal or --output json shows them in full)";
const MISSING: &str = "(not recognized)";

/// Collects `label  value` lines and whether any value was masked.
struct Summary {
    out: String,
    reveal: bool,
    masked: bool,
}

impl Summary {
    fn new(title: String, reveal: bool) -> Summary {
        Summary {
            out: format!("{title}\n"),
            reveal,
            masked: false,
        }
    }

    fn line(&mut self, label: &str, value: Option<&str>) {
        let value = value.filter(|v| !v.is_empty()).unwrap_or(MISSING);
        let _ = writeln!(self.out, "  {label:<16}{value}");
    }

    fn text(&mut self, label: &str, value: Option<&Sensitive>) {
        self.line(label, value.map(Sensitive::expose));
    }

    /// A number shown with only `keep_start`/`keep_end` characters unless
    /// `--reveal`.
    fn number(&mut self, label: &str, value: Option<&Sensitive>, keep: (usize, usize)) {
        let shown = value.map(|v| {
            if self.reveal {
                v.expose().to_string()
            } else {
                self.masked = true;
                mask(v.expose(), keep.0, keep.1)
            }
        });
        self.line(label, shown.as_deref());
    }

    fn finish(mut self) -> String {
        if self.masked {
            let _ = writeln!(self.out, "  {MASKED_NOTE}");
        }
        self.out
    }
}

pub fn receipt(name: &str, doc: &ReceiptDocument, reveal: bool) -> String {
    let mut s = Summary::new(format!("Receipt ({name})"), reveal);
    s.text("store", doc.store_name());
    let date = doc
        .date()
        .and_then(|d| d.iso_date().or_else(|| d.text.clone()));
    s.text("date", date.as_ref());
    let mut any = false;
    for item in doc.items() {
        any = true;
        let text = |v: Option<&Sensitive>| v.map_or("?", Sensitive::expose).to_string();
        let line = format!(
            "{}  x{}  {}",
            text(item.name),
            text(item.count),
            text(item.price)
        );
        s.line("item", Some(&line));
    }
    if !any {
        s.line("items", None);
    }
    s.text("total", doc.total());
    s.finish()
}

pub fn credit_card(name: &str, doc: &CreditCardDocument, reveal: bool) -> String {
    let mut s = Summary::new(format!("Credit card ({name})"), reveal);
    s.number("number", doc.number(), (6, 4));
    s.text("valid thru", doc.valid_thru());
    s.text("holder", doc.holder_name());
    s.finish()
}

pub fn name_card(name: &str, doc: &NameCardDocument, reveal: bool) -> String {
    let mut s = Summary::new(format!("Name card ({name})"), reveal);
    s.text("name", doc.name());
    s.text("company", doc.company());
    s.text("department", doc.department());
    s.text("position", doc.position());
    s.text("mobile", doc.mobile());
    s.text("tel", doc.tel());
    s.text("email", doc.email());
    s.text("address", doc.address());
    s.finish()
}

pub fn biz_license(name: &str, doc: &BizLicenseDocument, reveal: bool) -> String {
    let mut s = Summary::new(format!("Business licence ({name})"), reveal);
    s.text("register no.", doc.register_number());
    s.text("company", doc.company_name().or(doc.corp_name()));
    s.text("representative", doc.representative());
    s.text("opened", doc.open_date());
    s.text("address", doc.address());
    s.text("business type", doc.business_type());
    s.text("business item", doc.business_item());
    s.finish()
}

pub fn id_card(name: &str, doc: &IdCardDocument, reveal: bool) -> String {
    let kind = doc.kind().map_or("unknown kind", |k| k.as_str());
    let mut s = Summary::new(format!("ID card: {kind} ({name})"), reveal);
    s.text("name", doc.name());
    // Birth date and the gender/century digit; the rest identifies a person.
    s.number("personal no.", doc.personal_number(), (7, 0));
    if doc.document_number().is_some() {
        s.number("document no.", doc.document_number(), (1, 0));
    }
    let issued = doc
        .issue_date()
        .and_then(|d| d.iso_date().or_else(|| d.text.clone()));
    s.text("issued", issued.as_ref());
    if doc.address().is_some() {
        s.text("address", doc.address());
    }
    s.text("authority", doc.authority());
    s.finish()
}

pub fn passport(name: &str, doc: &PassportDocument, reveal: bool) -> String {
    let mut s = Summary::new(format!("Passport MRZ ({name})"), reveal);
    s.number("passport no.", doc.document_number(), (1, 0));
    s.text("surname", doc.surname());
    s.text("given names", doc.given_names());
    s.text("nationality", doc.nationality());
    s.text("date of birth", doc.date_of_birth());
    s.text("sex", doc.sex());
    s.text("expires", doc.date_of_expiry());
    let expired = doc.is_expired().map(|e| if e { "yes" } else { "no" });
    s.line("expired", expired);
    s.finish()
}
