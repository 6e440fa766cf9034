//! [`OneOrMany`]: a value the vendor sends bare in one place and as a list in another.

use serde::{Deserialize, Serialize};

/// One value or a list of them, kept exactly as it arrived.
///
/// NHN documents `totalCardNum` as a List but its example sends a string;
/// this type decodes both and writes back whichever form came in.
///
/// A list is tried first: serde reads a struct from a JSON array by
/// position, so trying a single value first would read `["698"]` as one
/// object whose first member is `"698"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// Sent as a JSON array, possibly empty.
    Many(Vec<T>),
    /// Sent bare, as a single value.
    One(T),
}

impl<T> OneOrMany<T> {
    /// The values, in order, whichever form they came in.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T: Default> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::One(T::default())
    }
}
