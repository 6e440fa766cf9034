//! Shared by the integration tests; each test binary uses part of it.
#![allow(dead_code)]

pub mod nhn_server;
