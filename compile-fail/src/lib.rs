//! Guarantees of ocrwire's wire types that hold at compile time, checked by
//! compiling code that breaks them.
//!
//! Each guarantee is a pair of examples that differ in one place: the first
//! compiles, the second is `compile_fail`. The twin that compiles is what
//! makes the pair a test: a `compile_fail` example passes on any error at
//! all (stable rustdoc does not check the error code written after
//! `compile_fail`, and no example checks the message), so without it a
//! typo or a renamed import would pass for the guarantee. With it, the one
//! place where the two differ is the one reason the second does not
//! compile. The error each one gives is named above it.
//!
//! These are doctests of this crate, compiled against the `ocrwire` the
//! tests have already built, so they cost no build of their own. The
//! derive's message itself is checked to the letter by the derive's unit
//! tests (`derive/src/lib.rs`).
//!
//! (A `RequestKey` being spent by the authenticity call is checked by the
//! `compile_fail` example in its own documentation.)
//!
//! # Each ID type's authenticity check has its required items as plain fields
//!
//! So leaving one out is a missing-field error (E0063: missing field
//! `issue_date` in initializer of `ResidentCheck`).
//!
//! ```
//! use ocrwire::nhn::ResidentCheck;
//!
//! let _check = ResidentCheck {
//!     name: "홍길동".into(),
//!     resident_number: "9001011234567".into(),
//!     issue_date: "20200101".into(),
//! };
//! ```
//!
//! ```compile_fail
//! use ocrwire::nhn::ResidentCheck;
//!
//! let _check = ResidentCheck {
//!     name: "홍길동".into(),
//!     resident_number: "9001011234567".into(),
//! };
//! ```
//!
//! # `#[encrypted]` marks only a field that can carry Base64 ciphertext
//!
//! The derive refuses any other ("#\[encrypted\] cannot mark a field of
//! type `f64`: the envelope sends Base64 ciphertext, ...", pointing at the
//! type).
//!
//! ```
//! use ocrwire::{EncryptedFields, Sensitive};
//!
//! #[derive(EncryptedFields)]
//! struct Reading {
//!     confidence: f64,
//!     #[encrypted]
//!     value: Option<Sensitive>,
//! }
//! ```
//!
//! ```compile_fail
//! use ocrwire::{EncryptedFields, Sensitive};
//!
//! #[derive(EncryptedFields)]
//! struct Reading {
//!     #[encrypted]
//!     confidence: f64,
//!     #[encrypted]
//!     value: Option<Sensitive>,
//! }
//! ```
//!
//! # What `ocrwire-codegen diff` calls breaking breaks code written before
//!
//! `codegen/tests/diff/{old,breaking}/diff.rs` are one family generated
//! before and after changes `diff` calls breaking. Each use below, taken
//! from `codegen/tests/diff/user.rs` (code written against the old side),
//! compiles against the old side and not against the breaking one: one
//! pair per breaking change, so each is shown to break on its own. (That
//! the whole of `user.rs` compiles against the old and the compatible side
//! is `tests/spec/goldens.rs`.)
//!
//! A removed enum variant (E0599: no variant named `Badge` found for enum
//! `Kind`):
//!
//! ```
//! # mod generated { include!("../../codegen/tests/diff/old/diff.rs"); }
//! # use generated::*;
//! fn is_badge(reading: &Reading) -> bool {
//!     matches!(reading.kind, Some(Kind::Badge))
//! }
//! ```
//!
//! ```compile_fail
//! # mod generated { include!("../../codegen/tests/diff/breaking/diff.rs"); }
//! # use generated::*;
//! fn is_badge(reading: &Reading) -> bool {
//!     matches!(reading.kind, Some(Kind::Badge))
//! }
//! ```
//!
//! A removed field (E0609: no field `count` on type `&Reading`):
//!
//! ```
//! # mod generated { include!("../../codegen/tests/diff/old/diff.rs"); }
//! # use generated::*;
//! fn count(reading: &Reading) -> i64 {
//!     reading.count.map_or(0, |c| c)
//! }
//! ```
//!
//! ```compile_fail
//! # mod generated { include!("../../codegen/tests/diff/breaking/diff.rs"); }
//! # use generated::*;
//! fn count(reading: &Reading) -> i64 {
//!     reading.count.map_or(0, |c| c)
//! }
//! ```
//!
//! An optional field made required (E0599: no method named `as_ref` found
//! for struct `Sensitive`):
//!
//! ```
//! # mod generated { include!("../../codegen/tests/diff/old/diff.rs"); }
//! # use generated::*;
//! fn number(reading: &Reading) -> &str {
//!     reading.number.as_ref().map_or("", |n| n.expose())
//! }
//! ```
//!
//! ```compile_fail
//! # mod generated { include!("../../codegen/tests/diff/breaking/diff.rs"); }
//! # use generated::*;
//! fn number(reading: &Reading) -> &str {
//!     reading.number.as_ref().map_or("", |n| n.expose())
//! }
//! ```
//!
//! A removed error code (E0599: no variant named `InvalidParameter` found
//! for enum `ErrorCode`):
//!
//! ```
//! # mod generated { include!("../../codegen/tests/diff/old/diff.rs"); }
//! # use generated::*;
//! fn is_invalid(code: &ErrorCode) -> bool {
//!     matches!(code, ErrorCode::InvalidParameter)
//! }
//! ```
//!
//! ```compile_fail
//! # mod generated { include!("../../codegen/tests/diff/breaking/diff.rs"); }
//! # use generated::*;
//! fn is_invalid(code: &ErrorCode) -> bool {
//!     matches!(code, ErrorCode::InvalidParameter)
//! }
//! ```
