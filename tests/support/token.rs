//! A local NHN token API and General OCR v1.1 that check the User Access Key
//! token flow the way the vendor documents it, from the wire alone:
//!
//! - `POST /oauth2/token/create`: `Content-Type:
//!   application/x-www-form-urlencoded`, `Authorization: Basic
//!   base64(UserAccessKeyID:SecretAccessKey)`, body exactly
//!   `grant_type=client_credentials`; answers `access_token`, `token_type`,
//!   `expires_in` (a number, as the docs' example sends it), or an OAuth 2.0
//!   error (`invalid_client` 401, `invalid_request` or
//!   `unsupported_grant_type` 400);
//! - `POST /oauth2/token/revoke`: the same Basic credentials, body
//!   `token=...`; answers 200;
//! - `POST /v1.1/appkeys/{appKey}/general`: `X-NHN-Authorization: Bearer
//!   <token>` with a live token, else 4010006 in NHN's HTTP 200 body.
//!
//! It records every request, so tests can assert what travelled where (no
//! secret key on a token path, no token at the token API).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use serde_json::json;

pub const APP_KEY: &str = "token-app-key";
pub const KEY_ID: &str = "uak-id-7f3a";
pub const SECRET_ACCESS_KEY: &str = "uak-secret-91c4e2";

#[derive(Debug, Clone)]
pub struct Seen {
    /// `create`, `revoke` or `general`.
    pub endpoint: &'static str,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// For `general`: the code answered (0 on success).
    pub result_code: i64,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

struct Inner {
    seen: Vec<Seen>,
    live: HashMap<String, Instant>,
    revoked: HashSet<String>,
    lifetime: Duration,
    issued: u64,
    /// Refuse every token, live or not.
    refuse_all: bool,
}

type Shared = Arc<Mutex<Inner>>;

pub struct TokenServer {
    pub base_url: String,
    inner: Shared,
    server: super::Served,
}

impl TokenServer {
    /// A server whose tokens live `lifetime`.
    pub async fn start(lifetime: Duration) -> TokenServer {
        let inner: Shared = Arc::new(Mutex::new(Inner {
            seen: Vec::new(),
            live: HashMap::new(),
            revoked: HashSet::new(),
            lifetime,
            issued: 0,
            refuse_all: false,
        }));
        let app = Router::new()
            .route("/oauth2/token/create", post(create))
            .route("/oauth2/token/revoke", post(revoke))
            .route("/v1.1/appkeys/{app_key}/general", post(general))
            .with_state(Arc::clone(&inner));
        let server = super::Served::start(app).await;
        TokenServer {
            base_url: server.url(),
            inner,
            server,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    /// Tokens issued so far.
    pub fn issued(&self) -> u64 {
        self.lock().issued
    }

    /// Revokes every live token now, as an operator would.
    pub fn revoke_all(&self) {
        let mut inner = self.lock();
        let live: Vec<String> = inner.live.drain().map(|(t, _)| t).collect();
        inner.revoked.extend(live);
    }

    /// From now on, every token is refused.
    pub fn refuse_all(&self) {
        self.lock().refuse_all = true;
    }

    /// Tokens a revoke request named.
    pub fn revoked(&self) -> HashSet<String> {
        self.lock().revoked.clone()
    }
}

fn basic_ok(headers: &HeaderMap) -> bool {
    let expected =
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY_ID}:{SECRET_ACCESS_KEY}"));
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(format!("Basic {expected}").as_str())
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
}

fn oauth_error(status: StatusCode, code: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": code, "error_description": code })),
    )
        .into_response()
}

async fn body_of(request: Request) -> (HeaderMap, Vec<u8>) {
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    (headers, body)
}

async fn create(State(shared): State<Shared>, request: Request) -> Response {
    let (headers, body) = body_of(request).await;
    let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
    inner.seen.push(Seen {
        endpoint: "create",
        headers: headers.clone(),
        body: body.clone(),
        result_code: 0,
    });
    if !basic_ok(&headers) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if !is_form(&headers) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    if body != b"grant_type=client_credentials" {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    inner.issued += 1;
    let token = format!("token-{}-of-this-server", inner.issued);
    let lifetime = inner.lifetime;
    inner.live.insert(token.clone(), Instant::now() + lifetime);
    axum::Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs_f64().ceil() as u64,
    }))
    .into_response()
}

async fn revoke(State(shared): State<Shared>, request: Request) -> Response {
    let (headers, body) = body_of(request).await;
    let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
    inner.seen.push(Seen {
        endpoint: "revoke",
        headers: headers.clone(),
        body: body.clone(),
        result_code: 0,
    });
    if !basic_ok(&headers) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let Some(token) = std::str::from_utf8(&body)
        .ok()
        .and_then(|b| b.strip_prefix("token="))
        .map(str::to_owned)
    else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    };
    inner.live.remove(&token);
    inner.revoked.insert(token);
    StatusCode::OK.into_response()
}

async fn general(
    State(shared): State<Shared>,
    Path(app_key): Path<String>,
    request: Request,
) -> Response {
    let (headers, body) = body_of(request).await;
    let mut inner = shared.lock().unwrap_or_else(|p| p.into_inner());
    let token = headers
        .get("x-nhn-authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let now = Instant::now();
    let live = !inner.refuse_all
        && token
            .as_ref()
            .and_then(|t| inner.live.get(t))
            .is_some_and(|expires| *expires > now);
    let code = match (token.is_some(), live, app_key == APP_KEY) {
        (false, _, _) => 4_000_005,
        (true, false, _) => 4_010_006,
        (true, true, false) => 4_010_007,
        (true, true, true) => 0,
    };
    inner.seen.push(Seen {
        endpoint: "general",
        headers,
        body,
        result_code: code,
    });
    if code != 0 {
        let message = match code {
            4_010_006 => "Invalid token.",
            4_010_007 => "Permission denied.",
            _ => "Required headers are missing.",
        };
        return axum::Json(json!({
            "header": {"isSuccessful": false, "resultCode": code, "resultMessage": message}
        }))
        .into_response();
    }
    (
        [("content-type", "application/json")],
        super::general::fixture("general.response.json"),
    )
        .into_response()
}
