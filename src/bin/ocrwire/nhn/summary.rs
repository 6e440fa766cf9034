//! What `ocrwire nhn id-card` says beyond an answer's report (which is the
//! spec's, `report::of`): whether a Request-Key came with the reading, and
//! the authenticity verdict of `--verify`.

use ocrwire::nhn::RequestKey;
use ocrwire::wire::nhn_document_ocr_v2::AuthenticityResult;

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
