//! The envelope's cryptography against outside references: Project
//! Wycheproof's known answers, the `openssl` command-line tool, and
//! property tests of seal/open.
//!
//! Run a part with its module name, e.g. `cargo test --test envelope wycheproof`.

#![cfg(feature = "envelope")]

mod openssl;
mod props;
mod wycheproof;
