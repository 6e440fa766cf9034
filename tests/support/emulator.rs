//! Shared helpers for the emulator tests: plain HTTP with reqwest, requests
//! built by hand the way the vendor documents them (not with the crate's
//! clients), and checks that errors carry the spec's code and message.

// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use ocrwire::descriptor::{Endpoint, Family};
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::envelope::{EncryptedFields, FieldPath, PublicKey, SymmetricKey};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

pub const CARD_PNG: &[u8] = include_bytes!("../../examples/card.png");
pub const ID_CARD_PNG: &[u8] = include_bytes!("../../examples/id-card.png");
pub const DRIVER_PNG: &[u8] = include_bytes!("../../examples/driver-license.png");
pub const PASSPORT_PNG: &[u8] = include_bytes!("../../examples/passport.png");
pub const ALIEN_PNG: &[u8] = include_bytes!("../../examples/alien-card.png");
pub const TEXT_PNG: &[u8] = include_bytes!("../../examples/text.png");
pub const LONG_TEXT_PNG: &[u8] = include_bytes!("../../examples/long-text.png");
pub const UNREADABLE_PNG: &[u8] = include_bytes!("../../examples/unreadable.png");
pub const RECEIPT_JPG: &[u8] = include_bytes!("../../examples/receipt.jpg");
pub const GIF: &[u8] = include_bytes!("../../examples/not-an-image.gif");

/// A PNG whose header is cut off: the magic number is right, the IHDR is not.
pub const TRUNCATED_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHD";

/// `image` with a marker appended after its end (where decoders ignore it).
pub fn with_marker(image: &[u8], marker: &str) -> Vec<u8> {
    let mut out = image.to_vec();
    out.extend_from_slice(marker.as_bytes());
    out
}

pub use super::png_of_len;

pub async fn start() -> Emulator {
    start_with(EmulatorConfig::default()).await
}

pub async fn start_with(config: EmulatorConfig) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The URL of an NHN endpoint in the version that takes a secret key, its
/// path variables filled in: the app key, and `argument` for the other one
/// (the public-key service).
pub fn nhn_url(emulator: &Emulator, endpoint: &Endpoint, argument: &str) -> String {
    let app_key = emulator.credentials().nhn_app_key.clone();
    let path = endpoint.render_path(|p| match p.value {
        ocrwire::descriptor::ParamValue::AppKey => Some(app_key.clone()),
        ocrwire::descriptor::ParamValue::Argument => Some(argument.to_owned()),
    });
    format!(
        "{}{}{}",
        emulator.nhn_base_url(),
        secret_key_version(endpoint).path_prefix,
        path
    )
}

/// The version of `endpoint`'s family that takes a secret key.
pub fn secret_key_version(endpoint: &Endpoint) -> &'static ocrwire::descriptor::Version {
    ocrwire::wire::FAMILIES
        .iter()
        .find(|f| f.name == endpoint.family)
        .and_then(|f| f.version_for(ocrwire::descriptor::CredentialHolder::SecretKey))
        .expect("the family has a secret-key version")
}

pub fn secret(emulator: &Emulator) -> String {
    emulator.credentials().nhn_secret_key.expose().to_owned()
}

/// Reads an answer: status and JSON body.
pub async fn json_of(response: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, headers, body)
}

/// Asserts an NHN failure: HTTP 200, `isSuccessful` false, the code, the
/// family's message for it, and a code the spec lists for the endpoint.
pub fn assert_nhn_error(
    family: &Family,
    endpoint: &Endpoint,
    status: u16,
    body: &Value,
    code: &str,
) {
    assert_eq!(status, 200, "NHN errors travel as HTTP 200: {body}");
    assert_nhn_body(family, body, code);
    assert!(
        lists(family, endpoint, code),
        "{code} is not listed for {}",
        endpoint.name
    );
}

/// Whether the spec lists `code` for `endpoint`: the endpoint's own codes,
/// or a version's (every call of that version can answer them).
pub fn lists(family: &Family, endpoint: &Endpoint, code: &str) -> bool {
    family.versions.iter().any(|v| v.lists(endpoint, code))
}

pub fn assert_nhn_body(family: &Family, body: &Value, code: &str) {
    let header = &body["header"];
    assert_eq!(header["isSuccessful"], false, "{body}");
    assert_eq!(
        header["resultCode"].as_i64(),
        Some(code.parse().unwrap()),
        "{body}"
    );
    assert_eq!(
        header["resultMessage"],
        family.error(code).unwrap().message,
        "{body}"
    );
    assert!(body.get("result").is_none(), "{body}");
}

/// Asserts a CLOVA failure: the spec's HTTP status, code and message, and
/// the request path echoed.
pub fn assert_clova_error(family: &Family, status: u16, body: &Value, code: &str, path: &str) {
    let info = family.error(code).unwrap();
    assert_eq!(Some(status), info.http_status, "{body}");
    let parsed: ocrwire::wire::clova_document_ocr::ErrorBody =
        serde_json::from_value(body.clone()).unwrap();
    assert_eq!(parsed.code.as_deref(), Some(code));
    assert_eq!(parsed.message.as_deref(), Some(info.message));
    assert_eq!(parsed.path.as_deref(), Some(path));
    assert!(parsed.timestamp.unwrap_or(0) > 1_600_000_000_000, "{body}");
}

/// Fetches a public key the documented way.
pub async fn public_key(emulator: &Emulator, service: &str) -> PublicKey {
    let (key, version) = public_key_base64(emulator, service).await;
    PublicKey::from_base64_der(&key, version).unwrap()
}

/// The public-key endpoint's `result.key` and `result.version`.
pub async fn public_key_base64(emulator: &Emulator, service: &str) -> (String, String) {
    use ocrwire::wire::nhn_document_ocr_v2 as doc;
    let response = http()
        .get(nhn_url(emulator, &doc::PUBLIC_KEY, service))
        .header("Authorization", secret(emulator))
        .send()
        .await
        .unwrap();
    let (_, _, body) = json_of(response).await;
    let parsed: doc::Response<doc::PublicKeyResult> = serde_json::from_value(body).unwrap();
    assert!(parsed.header.is_successful);
    let result = parsed.result.unwrap();
    (result.key.unwrap(), result.version.unwrap())
}

/// RSA-PKCS#1 v1.5-wraps arbitrary bytes (not a 32-byte key) under a
/// Base64 DER public key, which the crate's API rightly cannot do.
pub fn wrap_raw(public_base64_der: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    use rsa::pkcs8::DecodePublicKey as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(public_base64_der)
        .unwrap();
    let key = rsa::RsaPublicKey::from_public_key_der(&der).unwrap();
    let sealed = key
        .encrypt(&mut rand_core::OsRng, rsa::Pkcs1v15Encrypt, bytes)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(sealed)
}

/// One sealed exchange: the request's key and its headers.
pub struct Envelope {
    pub key: SymmetricKey,
    pub version: String,
    pub sealed_key: String,
}

pub fn envelope(public: &PublicKey) -> Envelope {
    envelope_with(public, SymmetricKey::generate().unwrap())
}

/// An envelope around a known key, for tests that need a deterministic
/// outcome (such as which wrong key fails to decrypt).
pub fn envelope_with(public: &PublicKey, key: SymmetricKey) -> Envelope {
    let sealed_key = public.seal_key(&key).unwrap();
    Envelope {
        key,
        version: public.version().to_owned(),
        sealed_key,
    }
}

/// The multipart form carrying one file part.
pub fn file_form(part: &str, bytes: Vec<u8>) -> Form {
    Form::new().part(part.to_owned(), Part::bytes(bytes).file_name("image"))
}

/// Posts a sealed image the documented way (`-F image=@...` with the
/// ciphertext, the three headers).
pub async fn post_sealed_image(
    emulator: &Emulator,
    endpoint: &Endpoint,
    envelope: &Envelope,
    image: &[u8],
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = http()
        .post(nhn_url(emulator, endpoint, ""))
        .header("Authorization", secret(emulator))
        .header("X-Key-Version", &envelope.version)
        .header("Symmetric-Key", &envelope.sealed_key)
        .multipart(file_form("image", envelope.key.seal_bytes(image)))
        .send()
        .await
        .unwrap();
    json_of(response).await
}

/// Decrypts every `#[encrypted]` field of a response in place.
pub fn open_fields<T: EncryptedFields>(value: &mut T, key: &SymmetricKey) {
    ocrwire::envelope::open_fields(key, FieldPath::root("result"), value).unwrap();
}

/// Encrypts every `#[encrypted]` field of a request in place.
pub fn seal_fields<T: EncryptedFields>(value: &mut T, key: &SymmetricKey) {
    ocrwire::envelope::seal_fields(key, value).unwrap();
}

/// What the emulator answers a wrong secret key or another app key with,
/// for `version`: its scheme's `refused_with` where the spec names one,
/// else 4000001 ("a header value is malformed").
pub fn credential_refusal(version: &ocrwire::descriptor::Version) -> &'static str {
    version.auth.refused_with.unwrap_or("4000001")
}
