//! The crate's clients over real HTTP on 127.0.0.1, against local stand-ins
//! for the vendors' services (`tests/support/`) and against the built-in
//! emulator: what goes on the wire, what comes back typed, and how the
//! clients behave when the network or the service misbehaves.
//!
//! One test binary for all of it (linking axum, reqwest and rsa once).
//! Run a part with its module name, e.g. `cargo test --test client reliability::retries`.

#![cfg(feature = "emulator")] // the stand-ins are axum servers

#[path = "../support/mod.rs"]
mod support;

mod blocking;
mod clova;
mod clova_general;
mod drift;
mod http_client;
mod nhn_document;
mod nhn_general;
mod nhn_v1;
mod observability;
mod reliability;
mod token_flow;
