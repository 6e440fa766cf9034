//! A local NHN Document OCR v2.0 server that checks the envelope the way the
//! vendor documents it, independently of the client's code paths.
//!
//! It holds its own RSA keys (one per service, rotatable), unwraps
//! `Symmetric-Key` with the private key, decrypts the raw `image` part and
//! the Base64 JSON fields with the unwrapped key, checks `X-Key-Version`,
//! `Authorization`, the app key and Request-Keys (single use, per the
//! docs), and answers with result fields really encrypted under the
//! request's key. It uses the wire format only (raw JSON values, header
//! strings), never the client's types. Everything it saw is recorded so
//! tests can assert on what travelled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::envelope::{PrivateKey, SymmetricKey};
use serde_json::{Value, json};

pub const APP_KEY: &str = "test-app-key";
pub const SECRET_KEY: &str = "test-secret-key";

/// RSA keys are slow to make; every server in a test binary draws from
/// this pool. Rotation moves a service to the next one.
fn key_pool() -> &'static [PrivateKey] {
    static POOL: OnceLock<Vec<PrivateKey>> = OnceLock::new();
    POOL.get_or_init(|| {
        (0..3)
            .map(|_| PrivateKey::generate(2048).expect("RSA key generation"))
            .collect()
    })
}

/// Which kind of ID document the next recognitions "see".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Resident,
    Driver,
    Passport,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub endpoint: &'static str,
    pub key_version: Option<String>,
    pub symmetric_key_header: Option<String>,
    /// The unwrapped key, when the header opened under the named version.
    pub symmetric_key: Option<[u8; 32]>,
    /// The decrypted image part.
    pub image: Option<Vec<u8>>,
    /// Decrypted (or plain) JSON fields of an authenticity request.
    pub fields: HashMap<String, String>,
    pub request_key: Option<String>,
    /// 0 on success, else the vendor code answered.
    pub result_code: i64,
}

struct Issued {
    expected: HashMap<&'static str, String>,
    id_type: &'static str,
    spent: bool,
}

#[derive(Default)]
struct Inner {
    /// Per service: versions in issue order, each with its pool index.
    versions: HashMap<&'static str, Vec<(String, usize)>>,
    next_key: usize,
    fetches: HashMap<String, usize>,
    attempts: Vec<Attempt>,
    issued: HashMap<String, Issued>,
    document: Option<Document>,
    fail_next: std::collections::VecDeque<i64>,
    corrupt: Option<&'static str>,
}

type Shared = Arc<Mutex<Inner>>;

/// A running server on 127.0.0.1; stops when dropped.
pub struct NhnServer {
    pub base_url: String,
    inner: Shared,
    server: super::Served,
}

impl NhnServer {
    pub async fn start() -> NhnServer {
        let pool_len = key_pool().len();
        let mut inner = Inner {
            document: Some(Document::Resident),
            ..Inner::default()
        };
        for (i, service) in ["credit-card", "id-card"].into_iter().enumerate() {
            inner
                .versions
                .insert(service, vec![(format!("{service}-v1"), i % pool_len)]);
        }
        inner.next_key = 2 % pool_len;
        let inner = Arc::new(Mutex::new(inner));
        let app = Router::new()
            .route(
                "/v2.0/appkeys/{app_key}/public-keys/{service}",
                get(public_key),
            )
            .route("/v2.0/appkeys/{app_key}/credit-card", post(credit_card))
            .route("/v2.0/appkeys/{app_key}/id-card", post(id_card))
            .route(
                "/v2.0/appkeys/{app_key}/id-card/stand-alone",
                post(id_card_stand_alone),
            )
            .route(
                "/v2.0/appkeys/{app_key}/id-card/authenticity",
                post(authenticity),
            )
            .layer(DefaultBodyLimit::max(8 * 1024 * 1024))
            .with_state(Arc::clone(&inner));
        let server = super::Served::start(app).await;
        NhnServer {
            base_url: server.url(),
            inner,
            server,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Issues a new key (and version) for `service`; the old version is
    /// refused from now on with 4000301.
    pub fn rotate(&self, service: &'static str) -> String {
        let mut inner = self.lock();
        let index = inner.next_key;
        inner.next_key = (index + 1) % key_pool().len();
        let versions = inner.versions.entry(service).or_default();
        let version = format!("{service}-v{}", versions.len() + 1);
        versions.push((version.clone(), index));
        version
    }

    pub fn current_version(&self, service: &str) -> String {
        self.lock()
            .versions
            .get(service)
            .and_then(|v| v.last())
            .map(|(v, _)| v.clone())
            .unwrap_or_default()
    }

    /// The service's current public key as the server publishes it.
    pub fn public_key_base64(&self, service: &str) -> String {
        let index = self
            .lock()
            .versions
            .get(service)
            .and_then(|v| v.last())
            .map(|(_, i)| *i)
            .unwrap_or(0);
        key_pool()[index].public_key_base64_der()
    }

    pub fn set_document(&self, document: Document) {
        self.lock().document = Some(document);
    }

    /// The next enveloped call that passes the envelope checks answers
    /// `code`; queued, one per call.
    pub fn fail_next(&self, code: i64) {
        self.lock().fail_next.push_back(code);
    }

    /// Answers carry invalid ciphertext in this field (e.g. `cardNums[2].value`).
    pub fn corrupt(&self, field: &'static str) {
        self.lock().corrupt = Some(field);
    }

    pub fn fetches(&self, service: &str) -> usize {
        self.lock().fetches.get(service).copied().unwrap_or(0)
    }

    pub fn attempts(&self) -> Vec<Attempt> {
        self.lock().attempts.clone()
    }
}

fn answer(code: i64, message: &str, result: Option<Value>) -> Response {
    let mut body = json!({"header": {"isSuccessful": code == 0, "resultCode": code, "resultMessage": message}});
    if let Some(result) = result {
        body["result"] = result;
    }
    axum::Json(body).into_response()
}

fn refuse(code: i64) -> Response {
    let message = match code {
        4000001 => "Invalid parameter.",
        4000002 => "Invalid file.",
        4000003 => "Invalid file type.",
        4000004 => "Uploaded file is empty.",
        4000005 => "Required headers is missing.",
        4000006 => {
            "Api call limit exceeded, If you need to adjust the limit, please contact customer service."
        }
        4000122 => "Request Key is invalid or expired.",
        4000301 => "Invalid key version.",
        4000302 => "Invalid symmetric key.",
        4000303 => "Invalid encrypted data.",
        _ => "Unknown error.",
    };
    answer(code, message, None)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Inner> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

async fn public_key(
    State(shared): State<Shared>,
    Path((app_key, service)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if header(&headers, "authorization").as_deref() != Some(SECRET_KEY) {
        return refuse(4000005);
    }
    if app_key != APP_KEY {
        return refuse(4000001);
    }
    let mut inner = lock(&shared);
    let Some((version, index)) = inner
        .versions
        .get(service.as_str())
        .and_then(|v| v.last())
        .cloned()
    else {
        return refuse(4000001);
    };
    *inner.fetches.entry(service).or_default() += 1;
    answer(
        0,
        "SUCCESS",
        Some(json!({"key": key_pool()[index].public_key_base64_der(), "version": version})),
    )
}

/// The envelope checks shared by every sealed endpoint: on success the
/// request's key, on failure the vendor code to answer.
fn open_envelope(
    shared: &Shared,
    endpoint: &'static str,
    service: &'static str,
    app_key: &str,
    headers: &HeaderMap,
) -> (Attempt, Result<SymmetricKey, i64>) {
    let mut attempt = Attempt {
        endpoint,
        key_version: header(headers, "x-key-version"),
        symmetric_key_header: header(headers, "symmetric-key"),
        symmetric_key: None,
        image: None,
        fields: HashMap::new(),
        request_key: header(headers, "request-key"),
        result_code: 0,
    };
    let inner = lock(shared);
    let outcome = (|| {
        if header(headers, "authorization").as_deref() != Some(SECRET_KEY) {
            return Err(4000005);
        }
        if app_key != APP_KEY {
            return Err(4000001);
        }
        let (Some(version), Some(sealed)) = (&attempt.key_version, &attempt.symmetric_key_header)
        else {
            return Err(4000005);
        };
        let versions = inner.versions.get(service).ok_or(4000001)?;
        // Unwrap under whichever version was named, even a stale one, so
        // tests can see what a refused attempt carried.
        let named = versions.iter().find(|(v, _)| v == version).map(|(_, i)| *i);
        if let Some(key) = named.and_then(|i| key_pool()[i].open_key(sealed).ok()) {
            attempt.symmetric_key = Some(*key.expose_bytes());
        }
        if versions.last().map(|(v, _)| v) != Some(version) {
            return Err(4000301);
        }
        let index = named.ok_or(4000301)?;
        key_pool()[index].open_key(sealed).map_err(|_| 4000302)
    })();
    drop(inner);
    (attempt, outcome)
}

fn record(shared: &Shared, mut attempt: Attempt, code: i64) {
    attempt.result_code = code;
    lock(shared).attempts.push(attempt);
}

/// Reads and decrypts the `image` part: raw AES ciphertext, per the docs.
async fn open_image(key: &SymmetricKey, mut multipart: Multipart) -> Result<Vec<u8>, i64> {
    let mut image = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("image") {
            image = Some(field.bytes().await.map_err(|_| 4000002)?);
        }
    }
    let ciphertext = image.ok_or(4000001)?;
    if ciphertext.is_empty() {
        return Err(4000004);
    }
    let plaintext = key.open_bytes(&ciphertext).map_err(|_| 4000303)?;
    let is_image =
        plaintext.starts_with(b"\x89PNG\r\n\x1a\n") || plaintext.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_image {
        return Err(4000003);
    }
    Ok(plaintext.to_vec())
}

/// An encrypted response field: Base64 of the ciphertext, or garbage
/// that is not a whole number of AES blocks when the test asked for it.
fn seal(key: &SymmetricKey, corrupt: Option<&str>, path: &str, value: &str) -> Value {
    if corrupt == Some(path) {
        return Value::String(BASE64.encode([7u8; 15]));
    }
    Value::String(key.seal_field(value))
}

/// The shared part of a sealed image call: envelope, failure injection,
/// image. Returns the request's key and the scenario knobs.
async fn sealed_image_call(
    shared: &Shared,
    endpoint: &'static str,
    service: &'static str,
    app_key: &str,
    headers: &HeaderMap,
    multipart: Multipart,
) -> Result<(SymmetricKey, Option<&'static str>, Option<Document>), Response> {
    let (mut attempt, opened) = open_envelope(shared, endpoint, service, app_key, headers);
    let key = match opened {
        Ok(key) => key,
        Err(code) => {
            record(shared, attempt, code);
            return Err(refuse(code));
        }
    };
    let image = open_image(&key, multipart).await;
    let (fail, corrupt, document) = {
        let mut inner = lock(shared);
        (inner.fail_next.pop_front(), inner.corrupt, inner.document)
    };
    let outcome = image
        .map(|bytes| attempt.image = Some(bytes))
        .and_then(|()| fail.map_or(Ok(()), Err));
    let code = outcome.err().unwrap_or(0);
    record(shared, attempt, code);
    if code != 0 {
        return Err(refuse(code));
    }
    Ok((key, corrupt, document))
}

async fn credit_card(
    State(shared): State<Shared>,
    Path(app_key): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (key, corrupt, _) = match sealed_image_call(
        &shared,
        "credit-card",
        "credit-card",
        &app_key,
        &headers,
        multipart,
    )
    .await
    {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let groups = ["1234", "5678", "9012", "3456"];
    let card_nums: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| json!({"value": seal(&key, corrupt, &format!("cardNums[{i}].value"), g), "conf": 0.9}))
        .collect();
    answer(
        0,
        "SUCCESS",
        Some(json!({
            "fileType": "png",
            "resolution": "normal",
            "cardNums": card_nums,
            "totalCardNum": seal(&key, corrupt, "totalCardNum", &groups.concat()),
            "cardNumBoxes": [],
            "validThru": {"value": seal(&key, corrupt, "validThru.value", "12/29"), "conf": 0.8},
        })),
    )
}

/// What a recognition of `document` "reads", as (key, value) pairs.
fn recognized(document: Document) -> (&'static str, Vec<(&'static str, &'static str)>) {
    match document {
        Document::Resident => (
            "resident",
            vec![
                ("name", "홍길동"),
                ("residentNumber", "900101-1234567"),
                ("issueDate", "2019.05.12"),
                ("issuer", "서울특별시 종로구청장"),
            ],
        ),
        Document::Driver => (
            "driver",
            vec![
                ("name", "홍길동"),
                ("residentNumber", "900101-1234567"),
                ("driverLicenseNumber", "11-12-345678-90"),
                ("serialNum", "A1B2C3"),
                ("issueDate", "2020.02.29"),
                ("licenseType", "1종보통"),
            ],
        ),
        Document::Passport => (
            "passport",
            vec![
                ("passportNo", "M12345678"),
                ("surName", "HONG"),
                ("givenName", "GILDONG"),
                ("dateOfBirthYMD", "19900101"),
            ],
        ),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// What an authenticity check must send back for a recognized document.
fn expected_check(document: Document) -> HashMap<&'static str, String> {
    let (_, values) = recognized(document);
    let get = |k: &str| {
        values
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    let mut expected = HashMap::new();
    expected.insert("name", get("name").to_string());
    match document {
        Document::Resident => {
            expected.insert("residentNumber", digits(get("residentNumber")));
            expected.insert("issueDate", digits(get("issueDate")));
        }
        Document::Driver => {
            expected.insert(
                "residentNumber",
                digits(get("residentNumber"))[..7].to_string(),
            );
            expected.insert("driverLicenseNumber", digits(get("driverLicenseNumber")));
            expected.insert("serialNum", get("serialNum").to_string());
        }
        Document::Passport => {}
    }
    expected
}

fn id_card_result(key: &SymmetricKey, corrupt: Option<&str>, document: Document) -> Value {
    let (id_type, values) = recognized(document);
    let key_values: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, (k, v))| json!({"key": k, "value": seal(key, corrupt, &format!("keyValues[{i}].value"), v), "conf": 0.9}))
        .collect();
    json!({"fileType": "png", "resolution": "low", "idType": id_type, "keyValues": key_values, "boxes": []})
}

async fn id_card(
    State(shared): State<Shared>,
    Path(app_key): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (key, corrupt, document) =
        match sealed_image_call(&shared, "id-card", "id-card", &app_key, &headers, multipart).await
        {
            Ok(ok) => ok,
            Err(response) => return response,
        };
    let document = document.unwrap_or(Document::Resident);
    let mut response = answer(0, "SUCCESS", Some(id_card_result(&key, corrupt, document)));
    // Request-Keys are issued for resident cards and driver licences only.
    if document != Document::Passport {
        let request_key = uuid::Uuid::new_v4().to_string();
        let (id_type, _) = recognized(document);
        lock(&shared).issued.insert(
            request_key.clone(),
            Issued {
                expected: expected_check(document),
                id_type,
                spent: false,
            },
        );
        if let Ok(value) = request_key.parse() {
            response.headers_mut().insert("Request-Key", value);
        }
    }
    response
}

async fn id_card_stand_alone(
    State(shared): State<Shared>,
    Path(app_key): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let (key, corrupt, document) = match sealed_image_call(
        &shared,
        "id-card-stand-alone",
        "id-card",
        &app_key,
        &headers,
        multipart,
    )
    .await
    {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    answer(
        0,
        "SUCCESS",
        Some(id_card_result(
            &key,
            corrupt,
            document.unwrap_or(Document::Resident),
        )),
    )
}

const ENCRYPTED_REQUEST_FIELDS: &[&str] = &[
    "name",
    "residentNumber",
    "issueDate",
    "driverLicenseNumber",
    "serialNum",
    "passportNumber",
    "birthDate",
];

async fn authenticity(
    State(shared): State<Shared>,
    Path(app_key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (mut attempt, opened) = open_envelope(
        &shared,
        "id-card-authenticity",
        "id-card",
        &app_key,
        &headers,
    );
    let key = match opened {
        Ok(key) => key,
        Err(code) => {
            record(&shared, attempt, code);
            return refuse(code);
        }
    };
    let outcome = (|| -> Result<bool, i64> {
        let request_key = attempt.request_key.clone().ok_or(4000005)?;
        let body: Value = serde_json::from_slice(&body).map_err(|_| 4000001)?;
        let object = body.as_object().ok_or(4000001)?;
        for (name, value) in object {
            let text = value.as_str().ok_or(4000001)?;
            let plain = if ENCRYPTED_REQUEST_FIELDS.contains(&name.as_str()) {
                key.open_field(text).map_err(|_| 4000303)?.to_string()
            } else {
                text.to_string()
            };
            attempt.fields.insert(name.clone(), plain);
        }
        if let Some(code) = lock(&shared).fail_next.pop_front() {
            return Err(code);
        }
        let mut inner = lock(&shared);
        let issued = inner.issued.get_mut(&request_key).ok_or(4000122)?;
        if issued.spent {
            return Err(4000122);
        }
        if attempt.fields.get("idType").map(String::as_str) != Some(issued.id_type) {
            return Err(4000001);
        }
        let genuine = issued
            .expected
            .iter()
            .all(|(k, v)| attempt.fields.get(*k) == Some(v));
        issued.spent = true;
        Ok(genuine)
    })();
    match outcome {
        Ok(genuine) => {
            record(&shared, attempt, 0);
            answer(0, "SUCCESS", Some(json!({"isAuthenticity": genuine})))
        }
        Err(code) => {
            record(&shared, attempt, code);
            refuse(code)
        }
    }
}

/// A tiny PNG-signed payload: the server checks the decrypted signature.
pub fn png(tag: &str) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}
