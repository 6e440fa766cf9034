//! Guarantees of ocrwire's wire types that hold at compile time, checked by
//! compiling code that breaks them (`cases/*.rs`, expected errors in
//! `cases/*.stderr`).
//!
//! - Each ID type's authenticity check has its required items as plain
//!   fields: leaving one out is a missing-field error.
//! - `#[encrypted]` on a field that cannot carry Base64 ciphertext is
//!   refused by the derive with a readable message.
//! - Code written against one spec does not compile against a change
//!   `ocrwire-codegen diff` calls breaking (`codegen/tests/diff/`).
//!
//! (A `RequestKey` being spent by the authenticity call is checked by the
//! `compile_fail` example in its documentation: it needs the client, which
//! this crate does not build.)
//!
//! A crate of its own because trybuild checks every dependency of the crate
//! whose test calls it once more, in its own target directory: from here
//! that is the wire types alone.
//!
//! Regenerate the expected output after an intended change with
//! `TRYBUILD=overwrite cargo test -p ocrwire-compile-fail`.

#[cfg(test)]
#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("cases/*.rs");
}
