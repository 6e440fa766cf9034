//! Reading a request the way the descriptors say it is built.
//!
//! Everything here treats the client as hostile: bodies are read with a cap,
//! header values must be visible ASCII, multipart bodies are parsed only
//! after they are fully (and boundedly) in memory, and no input can make
//! these functions panic.

use std::collections::HashMap;
use std::future::poll_fn;
use std::pin::Pin;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{FromRequest as _, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::codes::{self, Code};
use super::state::State;
use crate::descriptor::{Credential, Endpoint, ErrorRole, Family, HeaderRole, ParamValue, Version};

/// Bytes a multipart body may carry beyond its file: boundaries, part
/// headers, a JSON message part.
pub const MULTIPART_SLACK: usize = 64 * 1024;

/// A body over its cap is still read (and thrown away) up to this many bytes,
/// so the client finishes sending and sees the vendor's "too large" answer
/// instead of a reset connection. Beyond it the emulator stops reading.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Most multipart parts the emulator looks at; the APIs use one or two.
const MAX_PARTS: usize = 16;

/// What one call to an emulated endpoint carries.
pub struct Call {
    /// Request parts (method, URI, headers, and axum's extensions).
    pub parts: Parts,
    /// Path variables by the names the spec's path template gives them.
    pub params: HashMap<String, String>,
    /// The body, already read with the endpoint's cap.
    pub body: Result<Bytes, BodyError>,
    /// The version the call's path belongs to (its prefix), which decides
    /// how the call must authenticate.
    pub version: &'static Version,
}

impl Call {
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }
}

/// Why a body could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the cap.
    TooLarge,
    /// The connection failed mid-body.
    Broken,
}

/// Reads the whole body, keeping at most `cap` bytes.
pub async fn read_body(body: Body, cap: usize) -> Result<Bytes, BodyError> {
    let mut body = body;
    let mut kept = Vec::new();
    let mut seen = 0usize;
    loop {
        let frame = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        let Some(frame) = frame else { break };
        let Ok(frame) = frame else {
            return Err(BodyError::Broken);
        };
        let Ok(data) = frame.into_data() else {
            continue; // trailers
        };
        seen = seen.saturating_add(data.len());
        if seen <= cap {
            kept.extend_from_slice(&data);
        } else if seen > DRAIN_LIMIT {
            return Err(BodyError::TooLarge);
        }
    }
    if seen > cap {
        Err(BodyError::TooLarge)
    } else {
        Ok(Bytes::from(kept))
    }
}

/// How the body says it is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentKind {
    Multipart,
    Json,
    /// Anything else, or no `Content-Type`.
    Other,
}

pub fn content_kind(headers: &HeaderMap) -> ContentKind {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return ContentKind::Other;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "multipart/form-data" => ContentKind::Multipart,
        "application/json" => ContentKind::Json,
        _ => ContentKind::Other,
    }
}

/// The parts of a multipart body, by name, in order. Parts without a name
/// are skipped.
pub async fn multipart(parts: Parts, bytes: Bytes) -> Option<Vec<(String, Bytes)>> {
    // The parts keep the extension set by the router's
    // `DefaultBodyLimit::disable()`: the body is already capped and read.
    let request = Request::from_parts(parts, Body::from(bytes));
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.ok()? {
        if fields.len() == MAX_PARTS {
            return None;
        }
        let name = field.name().map(str::to_owned);
        let data = field.bytes().await.ok()?;
        if let Some(name) = name {
            fields.push((name, data));
        }
    }
    Some(fields)
}

/// The one part named `name`; `None` when absent or sent twice.
pub fn single_part<'a>(fields: &'a [(String, Bytes)], name: &str) -> Option<&'a Bytes> {
    let mut matching = fields.iter().filter(|(n, _)| n == name);
    let first = matching.next()?;
    matching.next().is_none().then_some(&first.1)
}

/// A header's value if it is present, non-empty visible ASCII.
pub fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The value of the endpoint's header that plays `role`.
pub fn header_for<'a>(
    endpoint: &Endpoint,
    headers: &'a HeaderMap,
    role: HeaderRole,
) -> Option<&'a str> {
    endpoint
        .headers
        .iter()
        .find(|h| h.role == role)
        .and_then(|h| header_value(headers, h.name.lowercase()))
}

/// Whether every header the endpoint requires is present, the version's
/// auth header included.
pub fn has_required_headers(endpoint: &Endpoint, version: &Version, headers: &HeaderMap) -> bool {
    header_value(headers, version.auth.header.lowercase()).is_some()
        && endpoint
            .headers
            .iter()
            .filter(|h| h.required)
            .all(|h| header_value(headers, h.name.lowercase()).is_some())
}

/// What the version's auth header carries after the scheme's prefix; `None`
/// when absent or without the prefix.
pub fn credential<'a>(version: &Version, headers: &'a HeaderMap) -> Option<&'a str> {
    header_value(headers, version.auth.header.lowercase())?.strip_prefix(version.auth.prefix)
}

/// Whether the call's auth header carries `secret` (compared in constant
/// time).
pub fn presents_secret(call: &Call, secret: &str) -> bool {
    credential(call.version, call.headers()).is_some_and(|given| secret_eq(given, secret))
}

/// Compares secrets in constant time (RustCrypto's `subtle`), so timing
/// says nothing about how much of a guess was right. Only a length mismatch
/// answers early, and the length of a secret is no secret worth keeping.
pub fn secret_eq(given: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq as _;
    given.as_bytes().ct_eq(expected.as_bytes()).into()
}

/// The access checks every endpoint of a family with a fixed host shares,
/// by the version's auth scheme, each refusal in the family's own code for
/// the situation: required headers present (`missing-header`); then, with
/// a secret key, the key right and the app key ours (the scheme's
/// `refused_with`, else `bad-credential`); with a token, the token live
/// (the scheme's `refused_with`) and the app key ours (`permission-denied`:
/// the token's account may not use another app key); and path variables
/// among their `allowed` values (`bad-path`).
pub fn check_access(
    family: &'static Family,
    endpoint: &Endpoint,
    call: &Call,
    state: &State,
) -> Result<(), Code> {
    let credentials = &state.config.credentials;
    if !has_required_headers(endpoint, call.version, call.headers()) {
        return Err(codes::answer(family, ErrorRole::MissingHeader));
    }
    let refused = codes::refused(family, call.version);
    let wrong_app_key = match call.version.auth.credential {
        Credential::SecretKey => {
            if !presents_secret(call, credentials.nhn_secret_key.expose()) {
                return Err(refused);
            }
            refused
        }
        Credential::Token { .. } => {
            let token = credential(call.version, call.headers()).unwrap_or_default();
            if state.tokens.check(token).is_err() {
                return Err(refused);
            }
            codes::answer(family, ErrorRole::PermissionDenied)
        }
        // No OCR version takes a key pair as it is.
        Credential::KeyPair => return Err(refused),
    };
    for p in endpoint.path_params {
        let Some(value) = call.params.get(p.name) else {
            return Err(codes::answer(family, ErrorRole::BadPath));
        };
        match p.value {
            ParamValue::AppKey if value != &credentials.nhn_app_key => return Err(wrong_app_key),
            ParamValue::Argument
                if !(p.allowed.is_empty() || p.allowed.contains(&value.as_str())) =>
            {
                return Err(codes::answer(family, ErrorRole::BadPath));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The byte cap for a body carrying one file of at most `max_file` bytes.
pub fn file_body_cap(max_file: Option<u64>, fallback: usize) -> usize {
    max_file
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(fallback)
        .saturating_add(MULTIPART_SLACK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_are_capped() {
        assert_eq!(
            read_body(Body::from(vec![1u8; 10]), 10)
                .await
                .unwrap()
                .len(),
            10
        );
        assert_eq!(
            read_body(Body::from(vec![1u8; 11]), 10).await,
            Err(BodyError::TooLarge)
        );
        assert_eq!(read_body(Body::empty(), 0).await.unwrap().len(), 0);
    }

    #[test]
    fn content_types() {
        let mut h = HeaderMap::new();
        assert_eq!(content_kind(&h), ContentKind::Other);
        h.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(content_kind(&h), ContentKind::Json);
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=x".parse().unwrap(),
        );
        assert_eq!(content_kind(&h), ContentKind::Multipart);
    }

    #[test]
    fn secrets() {
        assert!(secret_eq("abc", "abc"));
        assert!(!secret_eq("abd", "abc"));
        assert!(!secret_eq("ab", "abc"));
        assert!(!secret_eq("abcd", "abc"));
        assert!(!secret_eq("", "abc"));
    }

    #[test]
    fn single_parts() {
        let f = vec![
            ("a".to_owned(), Bytes::from_static(b"1")),
            ("b".to_owned(), Bytes::new()),
        ];
        assert_eq!(single_part(&f, "a").map(|b| b.len()), Some(1));
        assert!(single_part(&f, "c").is_none());
        let twice = vec![f[0].clone(), f[0].clone()];
        assert!(single_part(&twice, "a").is_none());
    }
}
