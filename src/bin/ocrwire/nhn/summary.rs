//! The readable summaries of `ocrwire nhn`.
//!
//! A terminal's scrollback, a shared screen or a pasted log outlives the
//! command, so the summary masks the identifying numbers partly (card
//! numbers keep the first 6 and last 4 digits, as card receipts do; resident
//! numbers keep the birth date and the next digit) and says so. `--reveal`
//! shows them in full; `--output json` is the complete decrypted result.

use std::fmt::Write as _;

use ocrwire::nhn::RequestKey;
use ocrwire::wire::nhn_document_ocr_v2::{
    AuthenticityResult, CreditCardResult, IdCardKey, IdCardResult,
};

const MASKED_NOTE: &str = "(numbers partly masked; --reveal or --output json shows them in full)";

/// Replaces every letter or digit of `value` with `*`, except the first
/// `keep_start` and the last `keep_end` of them; separators stay.
pub fn mask(value: &str, keep_start: usize, keep_end: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= keep_start || seen > total.saturating_sub(keep_end) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

pub fn credit_card(name: &str, result: &CreditCardResult, reveal: bool) -> String {
    let mut out = format!("Credit card ({name})\n");
    let groups: Vec<&str> = result
        .card_nums
        .iter()
        .flatten()
        .filter_map(|g| g.value.as_ref().map(|v| v.expose()))
        .collect();
    let number = if groups.is_empty() {
        result
            .total_card_num
            .as_ref()
            .map(|t| {
                t.as_slice()
                    .iter()
                    .map(|v| v.expose())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    } else {
        groups.join(" ")
    };
    let shown = if reveal {
        number.clone()
    } else {
        mask(&number, 6, 4)
    };
    let _ = writeln!(
        out,
        "  number      {}",
        if shown.is_empty() {
            "(not recognized)"
        } else {
            &shown
        }
    );
    let valid_thru = result
        .valid_thru
        .as_ref()
        .and_then(|v| v.value.as_ref())
        .map_or("(not recognized)", |v| v.expose());
    let _ = writeln!(out, "  valid thru  {valid_thru}");
    if let Some(resolution) = &result.resolution {
        let _ = writeln!(out, "  resolution  {resolution}");
    }
    if !reveal && !number.is_empty() {
        let _ = writeln!(out, "  {MASKED_NOTE}");
    }
    out
}

/// How much of an ID item the summary shows unless `--reveal`.
fn masking(key: &IdCardKey) -> Option<(usize, usize)> {
    match key {
        // Birth date and the gender/century digit; the rest identifies a person.
        IdCardKey::ResidentNumber => Some((7, 0)),
        // A passport's personal number is that same rest, after the gender digit.
        IdCardKey::PersonalNo => Some((1, 0)),
        IdCardKey::DriverLicenseNumber => Some((4, 0)),
        IdCardKey::PassportNo => Some((1, 0)),
        IdCardKey::SerialNum => Some((0, 0)),
        // The second MRZ line repeats the passport and personal numbers.
        IdCardKey::Mrz2 => Some((0, 0)),
        _ => None,
    }
}

pub fn id_card(name: &str, result: &IdCardResult, reveal: bool) -> String {
    let id_type = result
        .id_type
        .as_ref()
        .map_or("unknown type".to_string(), ToString::to_string);
    let mut out = format!("ID card: {id_type} ({name})\n");
    let mut masked_any = false;
    for item in result.key_values.iter().flatten() {
        let key = item
            .key
            .as_ref()
            .map_or("?".to_string(), ToString::to_string);
        let value = item.value.as_ref().map_or("", |v| v.expose());
        let rule = item.key.as_ref().and_then(masking).filter(|_| !reveal);
        let shown = match rule {
            Some((start, end)) => {
                masked_any = true;
                mask(value, start, end)
            }
            None => value.to_string(),
        };
        let conf = item.conf.map(|c| format!("  ({c:.2})")).unwrap_or_default();
        let _ = writeln!(out, "  {key:<20} {shown}{conf}");
    }
    if result.key_values.as_ref().is_none_or(Vec::is_empty) {
        let _ = writeln!(out, "  (nothing recognized)");
    }
    if let Some(resolution) = &result.resolution {
        let _ = writeln!(out, "  {:<20} {resolution}", "(resolution)");
    }
    if masked_any {
        let _ = writeln!(out, "  {MASKED_NOTE}");
    }
    out
}

pub fn request_key_note(key: Option<&RequestKey>) -> String {
    match key {
        Some(key) => format!(
            "A Request-Key was issued (valid for {} more minutes); run with --verify to check authenticity.",
            RequestKey::valid_for()
                .saturating_sub(key.age())
                .as_secs()
                .div_ceil(60)
        ),
        None => "No Request-Key was issued, so no authenticity check can follow.".to_string(),
    }
}

pub fn authenticity(verdict: &AuthenticityResult) -> String {
    match verdict.is_authenticity {
        Some(true) => {
            "Authenticity: genuine (the issuing authority confirmed the details)".to_string()
        }
        Some(false) => {
            "Authenticity: NOT confirmed (the issuing authority did not match the details)"
                .to_string()
        }
        None => "Authenticity: the service gave no verdict".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_separators_and_the_ends() {
        assert_eq!(mask("1234 5678 9012 3456", 6, 4), "1234 56** **** 3456");
        assert_eq!(mask("900101-1234567", 7, 0), "900101-1******");
        assert_eq!(mask("11-12-345678-90", 4, 0), "11-12-******-**");
        assert_eq!(mask("123", 6, 4), "123");
        assert_eq!(mask("", 6, 4), "");
    }
}
