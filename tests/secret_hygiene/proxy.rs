//! A recording proxy in front of the emulator, on 127.0.0.1.
//!
//! It forwards every request unchanged and keeps what must never show up in
//! a log: each `Symmetric-Key` header and the 32-byte key it wraps (the
//! emulator uses its embedded key pair, whose private half the test can
//! load), and each `Request-Key` the emulator issues.

use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use ocrwire::envelope::PrivateKey;

fn emulator_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        PrivateKey::from_pkcs8_pem(include_str!("../../src/emulator/emulator-key.pem"))
            .expect("embedded emulator key")
    })
}

#[derive(Default)]
pub struct Recorded {
    pub sealed_keys: Vec<String>,
    pub symmetric_keys: Vec<[u8; 32]>,
    pub request_keys: Vec<String>,
    /// Every access token the token API issued, and every header value
    /// that carried one or a key pair (`Bearer ...`, `Basic ...`).
    pub tokens: Vec<String>,
    pub auth_headers: Vec<String>,
}

struct Shared {
    upstream: String,
    http: reqwest::Client,
    recorded: Mutex<Recorded>,
}

pub struct Proxy {
    shared: Arc<Shared>,
    server: crate::support::Served,
}

impl Proxy {
    pub async fn start(upstream: String) -> Proxy {
        let shared = Arc::new(Shared {
            upstream,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("http client"),
            recorded: Mutex::new(Recorded::default()),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(Arc::clone(&shared));
        let server = crate::support::Served::start(app).await;
        Proxy { shared, server }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn take(&self) -> Recorded {
        std::mem::take(&mut *self.shared.recorded.lock().expect("lock"))
    }
}

async fn forward(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    for name in ["x-nhn-authorization", "authorization"] {
        if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok())
            && (value.starts_with("Bearer ") || value.starts_with("Basic "))
        {
            let mut recorded = shared.recorded.lock().expect("lock");
            recorded.auth_headers.push(value.to_string());
        }
    }
    if let Some(sealed) = headers.get("symmetric-key").and_then(|v| v.to_str().ok()) {
        let mut recorded = shared.recorded.lock().expect("lock");
        recorded.sealed_keys.push(sealed.to_string());
        if let Ok(key) = emulator_key().open_key(sealed) {
            recorded.symmetric_keys.push(*key.expose_bytes());
        }
    }
    let target = format!(
        "{}{}",
        shared.upstream,
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut request = shared.http.request(method, target).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(_) => {
            let mut response = Response::new(Body::from("proxy: upstream failed"));
            *response.status_mut() = axum::http::StatusCode::BAD_GATEWAY;
            return response;
        }
    };
    if let Some(key) = answer
        .headers()
        .get("request-key")
        .and_then(|v| v.to_str().ok())
    {
        shared
            .recorded
            .lock()
            .expect("lock")
            .request_keys
            .push(key.to_string());
    }
    let status = answer.status();
    let mut out_headers = answer.headers().clone();
    out_headers.remove("content-length");
    out_headers.remove("transfer-encoding");
    let bytes = answer.bytes().await.unwrap_or_default();
    if let Some(token) = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v["access_token"].as_str().map(str::to_owned))
    {
        shared.recorded.lock().expect("lock").tokens.push(token);
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = out_headers;
    response
}
