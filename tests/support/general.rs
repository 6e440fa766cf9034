//! A local NHN General OCR v1.0 that records every request exactly as it
//! travelled and answers with the vendor docs' own example bodies.
//!
//! It reads the wire format only (header strings, multipart part names,
//! raw JSON), so tests can assert what the docs prescribe independently of
//! the client: `Authorization` carrying the secret key, the app key in the
//! path, a multipart body with one `image` part or a JSON body with exactly
//! `imageUrl`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Part;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;

pub const APP_KEY: &str = "general-app-key";
pub const SECRET_KEY: &str = "general-secret-key";

#[derive(Debug, Clone)]
pub struct Seen {
    /// `general` or `general/cropping`.
    pub endpoint: String,
    pub app_key: String,
    pub headers: HeaderMap,
    pub parts: Vec<Part>,
    /// The JSON body, for an `imageUrl` request.
    pub json: Option<Value>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Default)]
struct Inner {
    seen: Vec<Seen>,
    replies: VecDeque<String>,
}

type Shared = Arc<Mutex<Inner>>;

pub struct GeneralServer {
    pub base_url: String,
    inner: Shared,
    server: super::Served,
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/nhn-general-ocr-v1/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

impl GeneralServer {
    pub async fn start() -> GeneralServer {
        let inner: Shared = Arc::default();
        let app = Router::new()
            .route(
                "/v1.0/appkeys/{app_key}/general",
                post(
                    |state: State<Shared>, path: Path<String>, request: Request| {
                        recognize(state, path, request, "general")
                    },
                ),
            )
            .route(
                "/v1.0/appkeys/{app_key}/general/cropping",
                post(
                    |state: State<Shared>, path: Path<String>, request: Request| {
                        recognize(state, path, request, "general/cropping")
                    },
                ),
            )
            .layer(DefaultBodyLimit::max(super::MAX_BODY))
            .with_state(Arc::clone(&inner));
        let server = super::Served::start(app).await;
        GeneralServer {
            base_url: server.url(),
            inner,
            server,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next request is answered with this body (HTTP 200, as NHN does).
    pub fn reply_next(&self, body: impl Into<String>) {
        self.lock().replies.push_back(body.into());
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
    Path(app_key): Path<String>,
    request: Request,
    endpoint: &'static str,
) -> Response {
    let headers = request.headers().clone();
    let Some(super::Body { parts, json }) = super::read_body(request).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let scripted = {
        let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
        inner.seen.push(Seen {
            endpoint: endpoint.to_string(),
            app_key,
            headers,
            parts,
            json,
        });
        inner.replies.pop_front()
    };
    let body = scripted.unwrap_or_else(|| {
        fixture(match endpoint {
            "general" => "general.response.json",
            _ => "general-cropping.response.json",
        })
    });
    ([("content-type", "application/json")], body).into_response()
}
