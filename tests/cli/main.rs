//! The real `ocrwire` binary, run as a user runs it: against the built-in
//! emulator (`--mock`, `serve`) and against local stand-ins, with
//! credentials from the environment, and with bad input it must refuse.
//!
//! Run a part with its module name, e.g. `cargo test --test cli bad_input`.

#![cfg(feature = "cli")] // needs the binary

#[path = "../support/mod.rs"]
mod support;

mod annotate;
mod bad_input;
mod batch;
mod call;
mod clova;
mod conventions;
mod decode;
mod emulator;
mod endpoints;
mod nhn;
mod nhn_general;
mod nhn_v1;
mod pipes;
