//! Walking a wire value to its `#[encrypted]` fields.
//!
//! Generated types derive [`EncryptedFields`]; the derive visits every field
//! marked `#[encrypted]` (through [`EncryptedLeaf`]) and recurses into every
//! other field that might contain one. The envelope supplies the visitor:
//! seal in place before sending, open in place after receiving. The
//! [`FieldPath`] travels along so that a failure names the exact field
//! (`result.cardNums[2].value`), never its contents.

use super::EnvelopeError;
#[cfg(feature = "envelope")]
use super::SymmetricKey;
use crate::Sensitive;
use std::fmt;

/// Where a value sits in a document, in wire names: `cardNums[2].value`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Segment>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Field(&'static str),
    Index(usize),
}

impl FieldPath {
    /// The empty path (the document itself).
    pub fn new() -> Self {
        FieldPath(Vec::new())
    }

    /// A path starting at a named root (`result`).
    pub fn root(name: &'static str) -> Self {
        FieldPath(vec![Segment::Field(name)])
    }

    /// Steps into the member `name` (its wire name).
    pub fn push_field(&mut self, name: &'static str) {
        self.0.push(Segment::Field(name));
    }

    /// Steps into the array element at `index`.
    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    /// Steps back out of the last member or element.
    pub fn pop(&mut self) {
        self.0.pop();
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(idx) => write!(f, "[{idx}]")?,
            }
        }
        Ok(())
    }
}

/// An envelope failure at one field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("encrypted field `{path}`: {source}")]
pub struct FieldError {
    /// Wire path of the field, e.g. `result.cardNums[2].value`.
    pub path: String,
    /// What went wrong with its value (never the value itself).
    #[source]
    pub source: EnvelopeError,
}

/// What the envelope does to each encrypted string.
pub type Visitor<'a> = dyn FnMut(&FieldPath, &mut Sensitive) -> Result<(), FieldError> + 'a;

/// A value whose `#[encrypted]` strings can be visited. Derived for every
/// generated type; implemented here for the containers they use.
pub trait EncryptedFields {
    /// Calls `visit` on every `#[encrypted]` string inside, `path` naming
    /// where it sits; stops at the first error.
    fn visit_encrypted(
        &mut self,
        path: &mut FieldPath,
        visit: &mut Visitor<'_>,
    ) -> Result<(), FieldError>;
}

/// A field marked `#[encrypted]`: one or more strings that travel as ciphertext.
#[diagnostic::on_unimplemented(
    message = "`#[encrypted]` cannot mark a field of type `{Self}`",
    note = "the envelope sends Base64 ciphertext, so an encrypted field must be `Sensitive`, `Option<Sensitive>`, `Vec<Sensitive>` or `OneOrMany<Sensitive>`"
)]
pub trait EncryptedLeaf {
    /// Calls `visit` on each string of this field (one, or each element),
    /// `path` naming it; stops at the first error.
    fn visit_leaf(
        &mut self,
        path: &mut FieldPath,
        visit: &mut Visitor<'_>,
    ) -> Result<(), FieldError>;
}

impl EncryptedLeaf for Sensitive {
    fn visit_leaf(
        &mut self,
        path: &mut FieldPath,
        visit: &mut Visitor<'_>,
    ) -> Result<(), FieldError> {
        visit(path, self)
    }
}

/// Replaces every `#[encrypted]` string of `value` with Base64 of its
/// ciphertext under `key`: what a request body (client) or an answer
/// (service) goes through before it is sent.
///
/// # Errors
///
/// Only if a visitor of `T` fails; sealing itself cannot.
#[cfg(feature = "envelope")]
pub fn seal_fields<T: EncryptedFields + ?Sized>(
    key: &SymmetricKey,
    value: &mut T,
) -> Result<(), FieldError> {
    value.visit_encrypted(&mut FieldPath::new(), &mut |_, text| {
        text.replace(zeroize::Zeroizing::new(key.seal_field(text.expose())));
        Ok(())
    })
}

/// Replaces every `#[encrypted]` string of `value` with its plaintext under
/// `key`: what a received answer (client) or request (service) goes through.
/// `at` is where `value` sits in the document, so that errors name the full
/// path (`result.cardNums[2].value`).
///
/// # Errors
///
/// [`FieldError`] for the first field that is not Base64 ciphertext under
/// `key` with valid padding and UTF-8 plaintext.
#[cfg(feature = "envelope")]
pub fn open_fields<T: EncryptedFields + ?Sized>(
    key: &SymmetricKey,
    mut at: FieldPath,
    value: &mut T,
) -> Result<(), FieldError> {
    value.visit_encrypted(&mut at, &mut |path, text| {
        let plaintext = key.open_field(text.expose()).map_err(|source| FieldError {
            path: path.to_string(),
            source,
        })?;
        text.replace(plaintext);
        Ok(())
    })
}

/// `Option`, `Vec` and `OneOrMany` pass the visit on to what they hold, with
/// list indices added to the path; the same for both traits.
macro_rules! containers {
    ($trait:ident, $method:ident) => {
        impl<T: $trait> $trait for Option<T> {
            fn $method(
                &mut self,
                path: &mut FieldPath,
                visit: &mut Visitor<'_>,
            ) -> Result<(), FieldError> {
                match self {
                    Some(inner) => inner.$method(path, visit),
                    None => Ok(()),
                }
            }
        }

        impl<T: $trait> $trait for Vec<T> {
            fn $method(
                &mut self,
                path: &mut FieldPath,
                visit: &mut Visitor<'_>,
            ) -> Result<(), FieldError> {
                for (i, item) in self.iter_mut().enumerate() {
                    path.push_index(i);
                    let outcome = item.$method(path, visit);
                    path.pop();
                    outcome?;
                }
                Ok(())
            }
        }

        impl<T: $trait> $trait for crate::wire::OneOrMany<T> {
            fn $method(
                &mut self,
                path: &mut FieldPath,
                visit: &mut Visitor<'_>,
            ) -> Result<(), FieldError> {
                match self {
                    crate::wire::OneOrMany::One(inner) => inner.$method(path, visit),
                    crate::wire::OneOrMany::Many(items) => items.$method(path, visit),
                }
            }
        }
    };
}

containers!(EncryptedLeaf, visit_leaf);
containers!(EncryptedFields, visit_encrypted);

/// Values that never hold encrypted fields.
macro_rules! plain {
    ($($ty:ty),*) => {$(
        impl EncryptedFields for $ty {
            fn visit_encrypted(&mut self, _: &mut FieldPath, _: &mut Visitor<'_>) -> Result<(), FieldError> {
                Ok(())
            }
        }
    )*};
}

plain!(
    String,
    Sensitive,
    bool,
    i64,
    u64,
    f64,
    serde_json::Value,
    crate::wire::IntOrString,
    crate::wire::Base64Data,
    ()
);

#[cfg(all(test, feature = "envelope"))]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::CreditCardResult;

    fn card() -> CreditCardResult {
        serde_json::from_str(
            r#"{"cardNums": [{"value": "1111"}, {"value": "2222"}], "totalCardNum": "11112222",
                "validThru": {"value": "04/29", "conf": 0.5}}"#,
        )
        .unwrap()
    }

    #[test]
    fn sealed_fields_open_back_and_plain_fields_are_untouched() {
        let key = SymmetricKey::from_bytes([7; 32]);
        let mut value = card();
        seal_fields(&key, &mut value).unwrap();
        let cards = value.card_nums.as_ref().unwrap();
        assert_eq!(
            cards[0].value.as_ref().unwrap().expose(),
            key.seal_field("1111")
        );
        assert_eq!(value.valid_thru.as_ref().unwrap().conf, Some(0.5));
        open_fields(&key, FieldPath::root("result"), &mut value).unwrap();
        assert_eq!(value, card());
    }

    #[test]
    fn a_field_under_another_key_is_named_by_its_full_path() {
        let mut value = card();
        seal_fields(&SymmetricKey::from_bytes([7; 32]), &mut value).unwrap();
        let e = open_fields(
            &SymmetricKey::from_bytes([8; 32]),
            FieldPath::root("result"),
            &mut value,
        )
        .unwrap_err();
        assert_eq!(e.path, "result.cardNums[0].value");
    }
}
