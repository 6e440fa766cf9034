//! What the integration test binaries share: one way to run a local HTTP
//! server, and stand-ins for the vendors' services built on it.
//!
//! - [`Served`]: an axum app on a free port of 127.0.0.1, stopped when
//!   dropped. Every stand-in below runs on it.
//! - `nhn`: NHN Document OCR v2.0 with a real envelope (its own RSA keys,
//!   rotation, recorded requests).
//! - `clova`, `general`, `token`: CLOVA's Document API, NHN General OCR and
//!   NHN's token API, answering with the docs' example bodies.
//! - `emulator`: plain-HTTP helpers for testing the built-in emulator the
//!   way the vendor documents its API (not with the crate's clients).
//! - `cli`: running the real `ocrwire` binary from a clean environment.
//!
//! The stand-ins read the wire only (header strings, part names, raw JSON),
//! never the client's types, so what they record is what the client really
//! sent. Each test binary includes this module with
//! `#[path = "../support/mod.rs"]` and uses part of it.
#![allow(dead_code, unused_imports)]

pub mod cli;
pub mod clova;
pub mod emulator;
pub mod general;
pub mod nhn;
pub mod stand_in;
pub mod token;

use axum::Router;
use axum::extract::{FromRequest, Multipart, Request};
use serde_json::Value;
use std::net::SocketAddr;
use tokio::task::JoinHandle;

/// An image from `examples/`.
pub fn example(name: &str) -> ocrwire::Image {
    ocrwire::Image::from_path(example_path(name)).expect("example image")
}

/// The path of a file in `examples/`.
pub fn example_path(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A PNG of exactly `len` bytes: a real header (`examples/text.png`), then
/// filler.
pub fn png_of_len(len: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(example_path("text.png")).expect("example");
    bytes.resize(len, 0);
    bytes
}

/// Largest body the stand-ins read: above every limit the specs set.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// One multipart part as it arrived.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// A request body as it arrived: its multipart parts in order (empty for
/// JSON), and the JSON body if it was one.
pub struct Body {
    pub parts: Vec<Part>,
    pub json: Option<Value>,
}

/// Reads a request body as multipart or JSON, whichever its Content-Type
/// says; `None` if it claims multipart but is not.
pub async fn read_body(request: Request) -> Option<Body> {
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .ok()?;
        return Some(Body {
            parts: Vec::new(),
            json: serde_json::from_slice(&bytes).ok(),
        });
    }
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    let mut parts = Vec::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(str::to_string);
        let bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        parts.push(Part {
            name,
            file_name,
            content_type,
            bytes,
        });
    }
    Some(Body { parts, json: None })
}

/// An app served on a free port of 127.0.0.1 until dropped.
pub struct Served {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Served {
    pub async fn start(app: Router) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Served { addr, task }
    }

    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}
