//! A scriptable hostile server on 127.0.0.1, for the reliability tests.
//!
//! It answers any path. Public-key requests (`.../public-keys/{service}`)
//! get the emulator's embedded RSA key (published with the source, so
//! harmless) under version `v1`; every other request gets the next scripted
//! answer, or the fallback once the script is empty. A script entry sees the
//! request, including the symmetric key it unwrapped from `Symmetric-Key`,
//! so it can answer under the request's own key: correctly, with bad
//! padding, non-UTF-8 plaintext, and so on. Everything is counted, so tests
//! can prove that refused input never reached the network.
//!
//! Transport-level abuse (stalls, dribbles, connect timeouts, oversized
//! chunked bodies) lives in `raw_*` helpers over plain TCP, where every byte
//! is under the test's control.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::envelope::{PrivateKey, SymmetricKey};
use serde_json::{Value, json};

pub const APP_KEY: &str = "hostile-app-key";
pub const SECRET_KEY: &str = "hostile-secret-key";
pub const KEY_VERSION: &str = "v1";

/// The emulator's embedded key: loading it is instant.
pub fn server_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        PrivateKey::from_pkcs8_pem(include_str!("../../../src/emulator/emulator-key.pem"))
            .expect("embedded emulator key")
    })
}

/// A request as the server saw it.
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Unwrapped from `Symmetric-Key`, when present and valid.
    pub key: Option<SymmetricKey>,
}

/// What to do with one request.
pub enum Act {
    Reply {
        status: u16,
        headers: Vec<(&'static str, Vec<u8>)>,
        body: Vec<u8>,
    },
    /// Never answer (the connection stays open until the server stops).
    Stall,
}

impl Act {
    pub fn json(status: u16, value: &Value) -> Act {
        Act::raw(status, value.to_string().into_bytes())
    }

    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Act {
        Act::Reply {
            status,
            headers: vec![("content-type", b"application/json".to_vec())],
            body: body.into(),
        }
    }

    /// Adds a header (repeatable, any bytes HTTP allows).
    pub fn header(mut self, name: &'static str, value: impl Into<Vec<u8>>) -> Act {
        if let Act::Reply { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }

    /// An NHN success answer carrying `result`.
    pub fn nhn_ok(result: Value) -> Act {
        Act::json(
            200,
            &json!({
                "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
                "result": result,
            }),
        )
    }

    /// An NHN refusal with `code`.
    pub fn nhn_error(code: i64, message: &str) -> Act {
        Act::json(
            200,
            &json!({
                "header": {"isSuccessful": false, "resultCode": code, "resultMessage": message},
            }),
        )
    }

    /// A CLOVA error answer.
    pub fn clova_error(status: u16, code: &str) -> Act {
        Act::json(
            status,
            &json!({"code": code, "message": "scripted", "path": "/x", "timestamp": 0}),
        )
    }
}

pub type Script = Box<dyn FnOnce(&Seen) -> Act + Send>;
pub type Fallback = Arc<dyn Fn(&Seen) -> Act + Send + Sync>;

struct Shared {
    script: Mutex<VecDeque<Script>>,
    fallback: Mutex<Fallback>,
    requests: AtomicUsize,
    key_fetches: AtomicUsize,
    symmetric_keys: Mutex<Vec<[u8; 32]>>,
}

/// A running hostile server; stops when dropped.
pub struct Hostile {
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    /// Starts with a fallback that answers HTTP 500 to anything unscripted.
    pub async fn start() -> Hostile {
        let shared = Arc::new(Shared {
            script: Mutex::new(VecDeque::new()),
            fallback: Mutex::new(Arc::new(|_: &Seen| Act::raw(500, "unscripted"))),
            requests: AtomicUsize::new(0),
            key_fetches: AtomicUsize::new(0),
            symmetric_keys: Mutex::new(Vec::new()),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr: SocketAddr = listener.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Hostile {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Queues the answer to the next non-key request.
    pub fn then(&self, act: impl FnOnce(&Seen) -> Act + Send + 'static) -> &Self {
        self.shared
            .script
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_back(Box::new(act));
        self
    }

    /// Answers every unscripted request.
    pub fn always(&self, act: impl Fn(&Seen) -> Act + Send + Sync + 'static) {
        *self
            .shared
            .fallback
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Arc::new(act);
    }

    /// Requests other than public-key fetches.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    pub fn key_fetches(&self) -> usize {
        self.shared.key_fetches.load(Ordering::SeqCst)
    }

    /// Every request, key fetches included.
    pub fn total(&self) -> usize {
        self.requests() + self.key_fetches()
    }

    /// The symmetric keys unwrapped so far, in arrival order.
    pub fn symmetric_keys(&self) -> Vec<[u8; 32]> {
        self.shared
            .symmetric_keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    if path.contains("/public-keys/") {
        shared.key_fetches.fetch_add(1, Ordering::SeqCst);
        return reply(Act::nhn_ok(json!({
            "key": server_key().public_key_base64_der(),
            "version": KEY_VERSION,
        })));
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let key = headers
        .get("symmetric-key")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| server_key().open_key(v).ok());
    if let Some(key) = &key {
        shared
            .symmetric_keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(*key.expose_bytes());
    }
    let seen = Seen {
        method,
        path,
        headers,
        body,
        key,
    };
    let scripted = shared
        .script
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop_front();
    let act = match scripted {
        Some(script) => script(&seen),
        None => {
            let fallback = Arc::clone(&shared.fallback.lock().unwrap_or_else(|p| p.into_inner()));
            fallback(&seen)
        }
    };
    match act {
        Act::Stall => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            reply(Act::raw(500, "stalled"))
        }
        act => reply(act),
    }
}

fn reply(act: Act) -> Response {
    let Act::Reply {
        status,
        headers,
        body,
    } = act
    else {
        unreachable!("stalls are handled by the caller")
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).expect("status");
    for (name, value) in headers {
        response.headers_mut().append(
            name,
            axum::http::HeaderValue::from_bytes(&value).expect("header value"),
        );
    }
    response
}

/// The request's key, or a panic naming what the client failed to send.
pub fn key_of(seen: &Seen) -> &SymmetricKey {
    seen.key
        .as_ref()
        .expect("the client sent a Symmetric-Key the server could unwrap")
}

/// Base64 of the AES-CBC encryption of exactly one 16-byte block with no
/// padding added: decrypting it gives `block` back, and the padding check
/// then judges `block`'s last byte.
pub fn one_block(key: &SymmetricKey, block: [u8; 16]) -> String {
    let sealed = key.seal_bytes(&block);
    BASE64.encode(&sealed[..16])
}

/// Base64 of `bytes` encrypted (with valid padding) under `key`.
pub fn sealed(key: &SymmetricKey, bytes: &[u8]) -> String {
    BASE64.encode(key.seal_bytes(bytes))
}

/// A credit-card `result` whose first number is `value` (as sent).
pub fn card_result(value: &str) -> Value {
    json!({"cardNums": [{"value": value, "conf": 0.9}], "fileType": "png"})
}

/// A resident-card `result` whose name is `value` (as sent).
pub fn id_result(key: &SymmetricKey) -> Value {
    json!({
        "idType": "resident",
        "keyValues": [{"key": "name", "value": key.seal_field("홍길동"), "conf": 0.9}],
    })
}

// ---- raw TCP ----------------------------------------------------------

/// A raw TCP server on 127.0.0.1: each accepted connection goes to
/// `serve` on its own task. Returns the address and a connection counter.
pub async fn raw_server<F, Fut>(serve: F) -> (SocketAddr, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(socket));
        }
    });
    (addr, count)
}

/// Reads the request head (up to the blank line), ignoring the body.
pub async fn read_head(socket: &mut tokio::net::TcpStream) {
    use tokio::io::AsyncReadExt as _;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}
