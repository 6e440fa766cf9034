//! [`Answer`]: what a client call returns, the payload and its drift.

use std::ops::Deref;

use crate::wire::drift::Drift;

/// A successful answer: the payload (the generated wire type, reached
/// through `Deref`), and what it carried that the spec does not know (see
/// [`DriftMode`](crate::wire::drift::DriftMode)).
///
/// Serializes as the payload alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    value: T,
    drift: Vec<Drift>,
}

impl<T> Answer<T> {
    /// An answer made by hand, for tests of code that handles answers.
    pub fn new(value: T, drift: Vec<Drift>) -> Answer<T> {
        Answer { value, drift }
    }

    /// Members and enum values the spec does not know, with their wire
    /// paths; empty when the answer is fully known or the client's mode is
    /// `Ignore`.
    pub fn drift(&self) -> &[Drift] {
        &self.drift
    }

    /// The decoded answer.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded answer, without the drift report.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for Answer<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: serde::Serialize> serde::Serialize for Answer<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}
