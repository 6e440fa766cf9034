//! Local stand-ins for the CLOVA Document API and NHN General OCR that
//! record what travelled and answer with the docs' example bodies. Each
//! test binary uses part of this.
//!
//! Both read the wire only (header strings, part names, raw JSON), never the
//! client's types, so what they record is what the client really sent.
#![allow(dead_code)]

pub mod clova;
pub mod general;
pub mod token;

use axum::Router;
use axum::extract::{FromRequest, Multipart, Request};
use serde_json::Value;
use std::net::SocketAddr;
use tokio::task::JoinHandle;

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

/// Serves `app` on a free port of 127.0.0.1 until the task is aborted.
pub async fn serve(app: Router) -> (SocketAddr, JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}
