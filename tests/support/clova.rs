//! A local CLOVA Document API that records every request exactly as it
//! travelled and answers with the vendor docs' own example bodies.
//!
//! It reads the wire format only (header strings, multipart part names and
//! content types, raw JSON values), never the client's types, so tests can
//! assert what the docs prescribe independently of the client's code: the
//! invoke path with `/document/<type>` appended, `X-OCR-SECRET`, the
//! Content-Type, the `message`/`file` parts or the JSON body with
//! `version`/`requestId`/`timestamp`/`images[].format/name/data`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Part;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;

pub const DOMAIN_ID: &str = "4321";
pub const INVOKE_KEY: &str = "a1b2c3d4e5f6invokekey";
pub const SECRET: &str = "test-clova-secret";

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The path after the invoke URL, e.g. `/document/receipt`.
    pub endpoint_path: String,
    pub domain_id: String,
    pub invoke_key: String,
    pub headers: HeaderMap,
    /// Multipart parts, in order; empty for a JSON request.
    pub parts: Vec<Part>,
    /// The JSON body, or the `message` part parsed.
    pub json: Option<Value>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }
}

#[derive(Default)]
struct Inner {
    seen: Vec<Seen>,
    /// Scripted answers (status, body), one per request, before the defaults.
    replies: VecDeque<(u16, String)>,
}

type Shared = Arc<Mutex<Inner>>;

/// A running server on 127.0.0.1; stops when dropped.
pub struct ClovaServer {
    inner: Shared,
    server: super::Served,
}

/// The docs' example response for an endpoint path (`/document/receipt`).
pub fn fixture_for(endpoint_path: &str) -> Option<String> {
    let name = endpoint_path.strip_prefix("/document/")?;
    std::fs::read_to_string(fixture_path(&format!("{name}.response.json"))).ok()
}

pub fn fixture_path(name: &str) -> String {
    format!(
        "{}/tests/fixtures/clova-document-ocr/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

impl ClovaServer {
    pub async fn start() -> ClovaServer {
        let inner: Shared = Arc::default();
        let app = Router::new()
            .route("/custom/v1/{domain}/{key}/document/{kind}", post(recognize))
            .layer(DefaultBodyLimit::max(super::MAX_BODY))
            .with_state(Arc::clone(&inner));
        let server = super::Served::start(app).await;
        ClovaServer { inner, server }
    }

    /// The invoke URL of the test domain.
    pub fn invoke_url(&self) -> String {
        format!("{}/custom/v1/{DOMAIN_ID}/{INVOKE_KEY}", self.server.url())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next request is answered with this status and body.
    pub fn reply_next(&self, status: u16, body: impl Into<String>) {
        self.lock().replies.push_back((status, body.into()));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    pub fn last(&self) -> Seen {
        self.seen().pop().expect("a request reached the server")
    }
}

async fn recognize(
    State(shared): State<Shared>,
    Path((domain_id, invoke_key, kind)): Path<(String, String, String)>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let Some(super::Body { parts, json }) = super::read_body(request).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    // A multipart request carries its JSON in the `message` part.
    let json = json.or_else(|| {
        parts
            .iter()
            .find(|p| p.name == "message")
            .and_then(|p| serde_json::from_slice(&p.bytes).ok())
    });
    let endpoint_path = format!("/document/{kind}");
    let scripted = {
        let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
        inner.seen.push(Seen {
            endpoint_path: endpoint_path.clone(),
            domain_id,
            invoke_key,
            headers,
            parts,
            json,
        });
        inner.replies.pop_front()
    };
    let (status, body) = match scripted {
        Some(reply) => reply,
        None => match fixture_for(&endpoint_path) {
            Some(body) => (200, body),
            None => (404, String::new()),
        },
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [("content-type", "application/json")], body).into_response()
}
