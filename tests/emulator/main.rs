//! The built-in emulator over real HTTP on 127.0.0.1, driven the way the
//! vendors document their APIs (hand-built requests, not the crate's
//! clients), and with the crate's own clients: every endpoint, every
//! documented error, fault injection and hostile requests.
//!
//! Run a part with its module name, e.g. `cargo test --test emulator faults`.

#![cfg(feature = "emulator")]

#[path = "../support/mod.rs"]
mod support;

mod clients;
mod clova;
mod faults;
mod hostile;
mod nhn_client;
mod nhn_document;
mod nhn_general;
mod nhn_v1;
