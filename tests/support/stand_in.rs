//! A hand-written stand-in for any NHN family of the fixed host: it serves
//! every endpoint of the family under the secret-key version's prefix,
//! records each request exactly as it travelled (path, headers, multipart
//! parts, JSON), and answers what the test scripts, else an empty success
//! in NHN's `{header, result}` form.
//!
//! It reads the wire only, so the tests' assertions about what the docs
//! prescribe do not lean on the client's own descriptors for the request.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Part;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const APP_KEY: &str = "stand-in-app-key";
pub const SECRET_KEY: &str = "stand-in-secret-key";

#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub parts: Vec<Part>,
    pub json: Option<Value>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.part(name)
            .map(|p| String::from_utf8(p.bytes.clone()).expect("a text part"))
    }
}

#[derive(Default)]
struct Inner {
    seen: Vec<Seen>,
    replies: VecDeque<String>,
}

type Shared = Arc<Mutex<Inner>>;

pub struct StandIn {
    pub base_url: String,
    inner: Shared,
    _server: super::Served,
}

impl StandIn {
    /// Serves `family` on 127.0.0.1.
    pub async fn start(family: &'static ocrwire::descriptor::Family) -> StandIn {
        let inner: Shared = Arc::default();
        let prefix = super::emulator::secret_key_version(family.endpoints[0]).path_prefix;
        let mut app = Router::new();
        for endpoint in family.endpoints {
            let route = format!("{prefix}{}", endpoint.path);
            app = app.route(&route, axum::routing::post(answer));
        }
        let app = app
            .layer(DefaultBodyLimit::max(super::MAX_BODY))
            .with_state(Arc::clone(&inner));
        let server = super::Served::start(app).await;
        StandIn {
            base_url: server.url(),
            inner,
            _server: server,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next request is answered with this body (HTTP 200, as NHN does).
    pub fn reply_next(&self, body: impl Into<String>) {
        self.lock().replies.push_back(body.into());
    }

    /// The next request succeeds with the example file `spec/examples/<path>`
    /// as its result.
    pub fn succeed_next(&self, example: &str) -> Value {
        let text = std::fs::read_to_string(format!(
            "{}/spec/examples/{example}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("example file");
        let result: Value = serde_json::from_str(&text).unwrap();
        self.reply_next(
            json!({
                "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
                "result": result,
            })
            .to_string(),
        );
        result
    }

    /// The next request is refused with `code` and its message.
    pub fn refuse_next(&self, code: i64, message: &str) {
        self.reply_next(
            json!({"header": {"isSuccessful": false, "resultCode": code, "resultMessage": message}})
                .to_string(),
        );
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    pub fn last(&self) -> Seen {
        self.seen().pop().expect("a request reached the stand-in")
    }
}

async fn answer(State(shared): State<Shared>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let headers = request.headers().clone();
    let Some(super::Body { parts, json }) = super::read_body(request).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let scripted = {
        let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
        inner.seen.push(Seen {
            path,
            headers,
            parts,
            json,
        });
        inner.replies.pop_front()
    };
    let body = scripted.unwrap_or_else(|| {
        json!({
            "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
            "result": {},
        })
        .to_string()
    });
    ([("content-type", "application/json")], body).into_response()
}
