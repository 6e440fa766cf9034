//! Guarantees that hold at compile time, checked by compiling code that
//! breaks them (`tests/compile_fail/*.rs`, expected errors in `.stderr`).
//!
//! - A `RequestKey` is spent by the authenticity call: using it twice is a
//!   move error.
//! - Each ID type's authenticity check has its required items as plain
//!   fields: leaving one out is a missing-field error.
//! - `#[encrypted]` on a field that cannot carry Base64 ciphertext is
//!   refused by the derive with a readable message.
//! - Code written against one spec does not compile against a change
//!   `ocrwire-codegen diff` calls breaking (`codegen/tests/diff/`).
//!
//! Regenerate the expected output after an intended change with
//! `TRYBUILD=overwrite cargo test --test compile_fail`.

#![cfg(feature = "client")]

#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
