//! NHN Cloud Document OCR v2.0, with its electronic envelope.
//!
//! Checks run in this order, and the first failure answers:
//!
//! 1. required headers present (4000005); secret key and app key right, and
//!    `serviceName` among the spec's `allowed` values (4000001);
//! 2. `X-Key-Version` is the current version of the endpoint's `key_service`
//!    (the spec's `envelope.key_version_error`, 4000301);
//! 3. `Symmetric-Key` unwraps to 32 bytes (4000302 for every reason: not
//!    Base64, wrong length, bad PKCS#1 padding or a key of another size are
//!    deliberately indistinguishable, or the answer would be a padding oracle);
//! 4. the body, by the generic steps ([`generic::read_request`]) with the
//!    sealed parts and members opened first: too large (4131000), not
//!    multipart/JSON as the endpoint expects, a part missing or sent twice
//!    (4000001), an empty image (4000004), ciphertext that does not decrypt
//!    (4000303), an image over the limit (4131000), not an accepted type by
//!    its magic number (4000003), an unreadable image header (4000002),
//!    marker `ocrwire:error` (-1); then the example, the endpoint's hook
//!    (`id-card` issues a Request-Key) and the answer's encrypted members
//!    sealed. A new sealed endpoint, multipart or JSON, is answered so
//!    with no code of its own;
//! 5. authenticity, the one sealed endpoint with behaviour of its own:
//!    fields that do not decrypt (4000303), missing or malformed fields
//!    (4000001), then the Request-Key (4000122).

use std::sync::Arc;

use axum::http::HeaderValue as HttpValue;

use serde_json::{Value, json};

use super::authenticity;
use super::codes::{self, Code, document as doc};
use super::generic;
use super::reply::{Outcome, json_ok};
use super::request::{Call, ContentKind, check_access, content_kind, header_for};
use super::request_keys::IssuedFor;
use super::samples;
use super::sniff::{self, Marker};
use super::state::State;
use crate::descriptor::{Endpoint, Family, HeaderName, HeaderRole, ParamValue, ResponseHeader};
use crate::envelope::{self, EnvelopeError, FieldPath, SymmetricKey};
use crate::wire::nhn_document_ocr_v2::{
    AuthenticityRequest, AuthenticityResult, ErrorCode as Doc, IdCardResult, IdType,
    PublicKeyResult, Response, ResultHeader,
};

/// The endpoint whose answer is the authenticity verdict for a spent
/// Request-Key (a hook by name: the verdict is the emulator's behaviour).
const AUTHENTICITY: &str = "id-card-authenticity";

pub async fn handle(
    state: Arc<State>,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
) -> Outcome {
    let Some(envelope) = family.envelope else {
        return Err(doc(Doc::UnknownError));
    };
    check_access(family, endpoint, &call, &state)?;
    if endpoint.name == envelope.public_key_endpoint.name {
        return public_key(&state, endpoint, &call);
    }
    let service = endpoint.key_service.ok_or(doc(Doc::UnknownError))?;
    let keys = state.keys.current();
    let version = header_for(endpoint, call.headers(), HeaderRole::KeyVersion);
    if version.is_none() || version != keys.version(service) {
        return Err(codes::answer_named(family, envelope.key_version_error));
    }
    let sealed = header_for(endpoint, call.headers(), HeaderRole::SealedSymmetricKey).unwrap_or("");
    let key = match keys.key.open_key(sealed) {
        Ok(key) => key,
        Err(EnvelopeError::Random) => return Err(doc(Doc::DecryptFailed)),
        Err(_) => return Err(doc(Doc::InvalidSymmetricKey)),
    };
    if endpoint.name == AUTHENTICITY {
        return authenticity(&state, endpoint, call, &key);
    }
    answer(&state, family, endpoint, call, &key).await
}

fn success<T>(result: T) -> Response<T> {
    Response {
        header: ResultHeader {
            is_successful: true,
            result_code: 0,
            result_message: "SUCCESS".to_owned(),
        },
        result: Some(result),
    }
}

fn public_key(state: &State, endpoint: &Endpoint, call: &Call) -> Outcome {
    let service = endpoint
        .path_params
        .iter()
        .find(|p| p.value == ParamValue::Argument && !p.allowed.is_empty())
        .and_then(|p| call.params.get(p.name))
        .ok_or(doc(Doc::InvalidParameter))?;
    let keys = state.keys.current();
    let version = keys.version(service).ok_or(doc(Doc::InvalidParameter))?;
    Ok(json_ok(&success(PublicKeyResult {
        key: Some(keys.key.public_key_base64_der()),
        version: Some(version.to_owned()),
    })))
}

/// The response header that carries a Request-Key, if this endpoint sends
/// one: the family's `request-key` header, as listed in the endpoint's
/// response headers.
fn request_key_header(
    family: &Family,
    endpoint: &'static Endpoint,
) -> Option<&'static ResponseHeader> {
    let name = family
        .endpoints
        .iter()
        .flat_map(|e| e.headers)
        .find(|h| h.role == HeaderRole::RequestKey)?
        .name;
    endpoint.response_header(name.as_str())
}

/// Every sealed endpoint but the authenticity check: the generic steps
/// with the envelope's parts and members opened, what the service reports
/// of the image it read, the endpoint's hook, and the answer's encrypted
/// members sealed (as the descriptor lists them).
async fn answer(
    state: &State,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
    key: &SymmetricKey,
) -> Outcome {
    let unseal = generic::Unseal {
        key,
        refused: doc(Doc::InvalidEncryptedData),
    };
    let read = generic::read_request(family, endpoint, call, Some(&unseal)).await?;
    let mut result = generic::example_answer(state, family, endpoint, &read)?;
    // What the service reports about the image it read, where the answer's
    // type has it.
    if let (Some((kind, size)), Value::Object(members)) = (read.image, &mut result) {
        if generic::answer_has(state, endpoint, "fileType") {
            members.insert("fileType".into(), Value::from(kind.extension()));
        }
        if generic::answer_has(state, endpoint, "resolution") {
            let normal = sniff::meets_resolution(size, endpoint.limits.recommended_resolution);
            let resolution = if normal { "normal" } else { "low" };
            members.insert("resolution".into(), Value::from(resolution));
        }
    }
    let ticket = match AFTER_RECOGNITION
        .iter()
        .find(|(name, _)| *name == endpoint.name)
    {
        Some((_, hook)) => hook(state, family, endpoint, &result, read.marker)?,
        None => None,
    };
    for path in endpoint.encrypted_response {
        generic::at_path(&mut result, path, &mut |text| *text = key.seal_field(text));
    }
    let mut response = json_ok(&json!({
        "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
        "result": result,
    }));
    if let Some((name, value)) = ticket {
        let name = name.to_http();
        let value = HttpValue::from_str(&value).map_err(|_| doc(Doc::UnknownError))?;
        response.headers_mut().insert(name, value);
    }
    Ok(response)
}

/// A header to add to a recognition's answer: its name and value.
type Ticket = Option<(HeaderName, String)>;

/// What a recognition endpoint does besides answering, by endpoint name:
/// `id-card` issues a Request-Key for a resident card or a driver licence
/// (the header's `when`) and remembers what it read, for the authenticity
/// check that spends it.
const AFTER_RECOGNITION: &[(&str, AfterRecognition)] = &[("id-card", issue_request_key)];

/// A hook run on a recognition's result before it is sealed.
type AfterRecognition =
    fn(&State, &Family, &'static Endpoint, &Value, Option<Marker>) -> Result<Ticket, Code>;

fn issue_request_key(
    state: &State,
    family: &Family,
    endpoint: &'static Endpoint,
    result: &Value,
    marker: Option<Marker>,
) -> Result<Ticket, Code> {
    let id_type = samples::nhn_id_type(marker);
    let Some(header) = request_key_header(family, endpoint)
        .filter(|_| matches!(id_type, IdType::Resident | IdType::Driver))
    else {
        return Ok(None);
    };
    let read: IdCardResult = serde_json::from_value(result.clone()).map_err(|e| {
        tracing::error!(error = %e, "the id-card example does not fit IdCardResult");
        doc(Doc::UnknownError)
    })?;
    let values = read
        .key_values
        .iter()
        .flatten()
        .filter_map(|kv| Some((kv.key.clone()?, kv.value.clone()?)))
        .collect();
    let value = state.request_keys.issue(IssuedFor { id_type, values });
    Ok(Some((header.name, value)))
}

fn authenticity(state: &State, endpoint: &Endpoint, call: Call, key: &SymmetricKey) -> Outcome {
    let bytes = call.body.map_err(|_| doc(Doc::InvalidParameter))?;
    if content_kind(&call.parts.headers) != ContentKind::Json {
        return Err(doc(Doc::InvalidParameter));
    }
    let mut request: AuthenticityRequest =
        serde_json::from_slice(&bytes).map_err(|_| doc(Doc::InvalidParameter))?;
    envelope::open_fields(key, FieldPath::new(), &mut request)
        .map_err(|_| doc(Doc::InvalidEncryptedData))?;
    let check = authenticity::validate(request)?;
    let ticket = header_for(endpoint, &call.parts.headers, HeaderRole::RequestKey)
        .ok_or(doc(Doc::MissingRequiredHeaders))?;
    let card = state
        .request_keys
        .take(ticket)
        .ok_or(doc(Doc::InvalidRequestKey))?;
    Ok(json_ok(&success(AuthenticityResult {
        is_authenticity: Some(authenticity::matches(&check, &card)),
    })))
}
