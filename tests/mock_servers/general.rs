//! A local NHN General OCR v1.0 that records every request exactly as it
//! travelled and answers with the vendor docs' own example bodies.
//!
//! It reads the wire format only (header strings, multipart part names,
//! raw JSON), so tests can assert what the docs prescribe independently of
//! the client: `Authorization` carrying the secret key, the app key in the
//! path, a multipart body with one `image` part or a JSON body with exactly
//! `imageUrl`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;

pub const APP_KEY: &str = "general-app-key";
pub const SECRET_KEY: &str = "general-secret-key";

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

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
    task: tokio::task::JoinHandle<()>,
}

impl Drop for GeneralServer {
    fn drop(&mut self) {
        self.task.abort();
    }
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
            .layer(DefaultBodyLimit::max(16 * 1024 * 1024))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr: SocketAddr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        GeneralServer {
            base_url: format!("http://{addr}"),
            inner,
            task,
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
    let multipart = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    let mut parts = Vec::new();
    let mut json = None;
    if multipart {
        let Ok(mut form) = Multipart::from_request(request, &()).await else {
            return StatusCode::BAD_REQUEST.into_response();
        };
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
    } else {
        let Ok(bytes) = axum::body::to_bytes(request.into_body(), 1024 * 1024).await else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        json = serde_json::from_slice(&bytes).ok();
    }
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
