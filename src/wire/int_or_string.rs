//! [`IntOrString`]: a number the vendor documents as text but sends as a
//! number.

use serde::{Deserialize, Serialize};

/// A whole number that arrives either as a JSON number or as text, kept
/// exactly as it arrived.
///
/// NHN's token API documents `expires_in` as a String while its example
/// sends `86400`; this type decodes both and writes back whichever form
/// came in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrString {
    /// Sent as a JSON number (`86400`).
    Int(i64),
    /// Sent as a JSON string (`"86400"`), kept verbatim even when it is not
    /// a number.
    Text(String),
}

impl IntOrString {
    /// The number, whichever form it came in; `None` for text that is not
    /// a whole number.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            IntOrString::Int(n) => Some(*n),
            IntOrString::Text(t) => t.trim().parse().ok(),
        }
    }
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl From<i64> for IntOrString {
    fn from(n: i64) -> Self {
        IntOrString::Int(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_decode_and_round_trip() {
        let n: IntOrString = serde_json::from_str("86400").unwrap();
        assert_eq!(n.as_i64(), Some(86400));
        assert_eq!(serde_json::to_string(&n).unwrap(), "86400");
        let t: IntOrString = serde_json::from_str("\"3600\"").unwrap();
        assert_eq!(t.as_i64(), Some(3600));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"3600\"");
        let bad: IntOrString = serde_json::from_str("\"soon\"").unwrap();
        assert_eq!(bad.as_i64(), None);
    }
}
