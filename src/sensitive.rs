//! [`Sensitive`]: text that must not leak.
//!
//! Decrypted card numbers, resident numbers, names and every recognized text
//! of an identity document end up in a `Sensitive`. It prints as
//! `Sensitive(<redacted>)` in `Debug`, has no `Display`, is wiped from memory
//! when dropped, and is read only through [`Sensitive::expose`], so a stray
//! `{:?}` in a log line cannot reveal personal data. Serialization writes the
//! plain value: `--output json` and wire round-trips need it, and writing a
//! value out is an explicit act.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A string holding personal data or a secret; see the [module docs](self).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(Zeroizing<String>);

impl Sensitive {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Sensitive(Zeroizing::new(value.into()))
    }

    /// Reads the value. Named so that every read stands out in review.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes; safe to log.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds no bytes; safe to log.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Replaces the value, wiping the old one.
    pub fn replace(&mut self, value: Zeroizing<String>) {
        self.0.zeroize();
        self.0 = value;
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Sensitive(Zeroizing::new(value))
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Sensitive::new(value)
    }
}

impl From<Zeroizing<String>> for Sensitive {
    fn from(value: Zeroizing<String>) -> Self {
        Sensitive(value)
    }
}

impl PartialEq<str> for Sensitive {
    fn eq(&self, other: &str) -> bool {
        self.expose() == other
    }
}

impl PartialEq<&str> for Sensitive {
    fn eq(&self, other: &&str) -> bool {
        self.expose() == *other
    }
}

impl Serialize for Sensitive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Sensitive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Sensitive::from)
    }
}

/// Overwrites in place every string (its bytes) and number in `value`:
/// for JSON that held personal data in plain text, before it is dropped
/// (a client's `Called`, what the emulator opened).
#[cfg(feature = "client")]
pub(crate) fn wipe_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => text.zeroize(),
        Value::Number(number) => *number = 0u8.into(),
        Value::Array(items) => items.iter_mut().for_each(wipe_json),
        Value::Object(members) => members.values_mut().for_each(wipe_json),
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Sensitive::new("910623-1062372");
        assert_eq!(format!("{s:?}"), "Sensitive(<redacted>)");
        assert_eq!(
            format!("{:?}", Some(vec![s.clone()])),
            "Some([Sensitive(<redacted>)])"
        );
        assert_eq!(s.expose(), "910623-1062372");
    }

    #[test]
    fn serializes_as_the_plain_string() {
        let s = Sensitive::new("4221");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"4221\"");
        let back: Sensitive = serde_json::from_str("\"4221\"").unwrap();
        assert_eq!(back, s);
    }
}
