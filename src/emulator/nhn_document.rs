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
//! 4. the body: too large (4131000), not multipart/JSON as the endpoint
//!    expects, a part missing or sent twice (4000001), an empty image
//!    (4000004), ciphertext that does not decrypt (4000303), an image over
//!    the limit (4131000), not an accepted type by its magic number
//!    (4000003), an unreadable image header (4000002), marker
//!    `ocrwire:error` (-1);
//! 5. authenticity: fields that do not decrypt (4000303), missing or
//!    malformed fields (4000001), then the Request-Key (4000122).

use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue as HttpValue};
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use super::authenticity;
use super::codes::NhnCodes as _;
use super::reply::{Outcome, json_ok};
use super::request::{
    BodyError, Call, ContentKind, check_nhn_access, content_kind, header_for, multipart,
    single_part,
};
use super::request_keys::IssuedFor;
use super::samples;
use super::sniff::{self, ImageFormat, Marker};
use super::state::State;
use crate::descriptor::{Endpoint, Family, HeaderRole, ParamValue, ResponseHeader};
use crate::envelope::{self, EncryptedFields, EnvelopeError, FieldPath, SymmetricKey};
use crate::wire::nhn_document_ocr_v2::{
    AuthenticityRequest, AuthenticityResult, CreditCardResult, ErrorCode as Doc, IdCardResult,
    IdType, PublicKeyResult, Response, ResultHeader,
};

pub async fn handle(
    state: Arc<State>,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
) -> Outcome {
    let Some(envelope) = family.envelope else {
        return Err(Doc::UnknownError.into());
    };
    check_nhn_access::<Doc>(endpoint, &call, &state)?;
    if endpoint.name == envelope.public_key_endpoint.name {
        return public_key(&state, endpoint, &call);
    }
    let service = endpoint.key_service.ok_or(Doc::UnknownError)?;
    let keys = state.keys.current();
    let version = header_for(endpoint, call.headers(), HeaderRole::KeyVersion);
    if version.is_none() || version != keys.version(service) {
        return Err(Doc::named(envelope.key_version_error).into());
    }
    let sealed = header_for(endpoint, call.headers(), HeaderRole::SealedSymmetricKey).unwrap_or("");
    let key = match keys.key.open_key(sealed) {
        Ok(key) => key,
        Err(EnvelopeError::Random) => return Err(Doc::DecryptFailed.into()),
        Err(_) => return Err(Doc::InvalidSymmetricKey.into()),
    };
    if endpoint.json_body().is_some() {
        authenticity(&state, endpoint, call, &key)
    } else if endpoint.multipart().is_some() {
        recognize(&state, family, endpoint, call, &key).await
    } else {
        Err(Doc::UnknownError.into())
    }
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
        .ok_or(Doc::InvalidParameter)?;
    let keys = state.keys.current();
    let version = keys.version(service).ok_or(Doc::InvalidParameter)?;
    Ok(json_ok(&success(PublicKeyResult {
        key: Some(keys.key.public_key_base64_der()),
        version: Some(version.to_owned()),
    })))
}

/// The sample, its boxes fitted inside an image of `size`, as `T`.
fn parse_sample<T: DeserializeOwned>(text: &str, size: (u32, u32)) -> Result<T, Doc> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        tracing::error!(error = %e, "emulator sample is not JSON");
        Doc::UnknownError
    })?;
    samples::fit_boxes(&mut value, size);
    serde_json::from_value(value).map_err(|e| {
        tracing::error!(error = %e, "emulator sample does not fit its type");
        Doc::UnknownError
    })
}

/// Encrypts every `#[encrypted]` field in place under the request's key.
fn seal<T: EncryptedFields>(value: &mut T, key: &SymmetricKey) -> Result<(), Doc> {
    envelope::seal_fields(key, value).map_err(|_| Doc::EncryptFailed)
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
    endpoint.response_header(name)
}

async fn recognize(
    state: &State,
    family: &Family,
    endpoint: &'static Endpoint,
    call: Call,
    key: &SymmetricKey,
) -> Outcome {
    let file_part = endpoint
        .multipart()
        .and_then(|parts| parts.iter().find(|p| p.json_type.is_none()))
        .ok_or(Doc::UnknownError)?;
    let limits = &endpoint.limits;
    let bytes = call.body.map_err(|e| match e {
        BodyError::TooLarge => Doc::RequestTooLarge,
        BodyError::Broken => Doc::InvalidParameter,
    })?;
    if content_kind(&call.parts.headers) != ContentKind::Multipart {
        return Err(Doc::InvalidParameter.into());
    }
    let fields = multipart(call.parts, bytes)
        .await
        .ok_or(Doc::InvalidParameter)?;
    let sent = single_part(&fields, file_part.name).ok_or(Doc::InvalidParameter)?;
    if sent.is_empty() {
        return Err(Doc::EmptyFile.into());
    }
    let image = if file_part.encrypted {
        key.open_bytes(sent)
            .map_err(|_| Doc::InvalidEncryptedData)?
    } else {
        Zeroizing::new(sent.to_vec())
    };
    if image.is_empty() {
        return Err(Doc::EmptyFile.into());
    }
    if limits
        .max_file_bytes
        .is_some_and(|max| image.len() as u64 > max)
    {
        return Err(Doc::RequestTooLarge.into());
    }
    let kind = ImageFormat::sniff(&image)
        .filter(|k| k.accepted_by(limits.formats))
        .ok_or(Doc::InvalidFileType)?;
    let size = sniff::dimensions(kind, &image).ok_or(Doc::InvalidFile)?;
    let marker = sniff::marker(&image);
    let body_type = endpoint.response.body_type.unwrap_or_default();
    match marker {
        Some(Marker::Error) => return Err(Doc::UnknownError.into()),
        // No document of the endpoint's kind in the image.
        Some(Marker::Failure) if body_type == "CreditCardResult" => {
            return Err(Doc::CreditCardNotFound.into());
        }
        Some(Marker::Failure) => return Err(Doc::IdCardNotFound.into()),
        _ => {}
    }
    let file_type = Some(kind.extension().to_owned());
    let resolution = Some(
        if sniff::meets_resolution(size, limits.recommended_resolution) {
            "normal"
        } else {
            "low"
        }
        .to_owned(),
    );
    let id_type = samples::nhn_id_type(marker);
    let sample = samples::nhn_result(body_type, &id_type).ok_or(Doc::UnknownError)?;
    match body_type {
        "CreditCardResult" => {
            let mut result: CreditCardResult = parse_sample(sample, size)?;
            result.file_type = file_type;
            result.resolution = resolution;
            seal(&mut result, key)?;
            Ok(json_ok(&success(result)))
        }
        "IdCardResult" => {
            let mut result: IdCardResult = parse_sample(sample, size)?;
            result.file_type = file_type;
            result.resolution = resolution;
            // Per the header's `when`: resident cards and driver's licences only.
            let ticket = request_key_header(family, endpoint)
                .filter(|_| matches!(id_type, IdType::Resident | IdType::Driver))
                .map(|header| {
                    let values = result
                        .key_values
                        .iter()
                        .flatten()
                        .filter_map(|kv| Some((kv.key.clone()?, kv.value.clone()?)))
                        .collect();
                    let value = state.request_keys.issue(IssuedFor {
                        id_type: id_type.clone(),
                        values,
                    });
                    (header.name, value)
                });
            seal(&mut result, key)?;
            let mut response = json_ok(&success(result));
            if let Some((name, value)) = ticket {
                let name =
                    HeaderName::from_bytes(name.as_bytes()).map_err(|_| Doc::UnknownError)?;
                let value = HttpValue::from_str(&value).map_err(|_| Doc::UnknownError)?;
                response.headers_mut().insert(name, value);
            }
            Ok(response)
        }
        _ => Err(Doc::UnknownError.into()),
    }
}

fn authenticity(state: &State, endpoint: &Endpoint, call: Call, key: &SymmetricKey) -> Outcome {
    let bytes = call.body.map_err(|_| Doc::InvalidParameter)?;
    if content_kind(&call.parts.headers) != ContentKind::Json {
        return Err(Doc::InvalidParameter.into());
    }
    if endpoint.json_body() != Some("AuthenticityRequest") {
        return Err(Doc::UnknownError.into());
    }
    let mut request: AuthenticityRequest =
        serde_json::from_slice(&bytes).map_err(|_| Doc::InvalidParameter)?;
    envelope::open_fields(key, FieldPath::new(), &mut request)
        .map_err(|_| Doc::InvalidEncryptedData)?;
    let check = authenticity::validate(request)?;
    let ticket = header_for(endpoint, &call.parts.headers, HeaderRole::RequestKey)
        .ok_or(Doc::MissingRequiredHeaders)?;
    let card = state
        .request_keys
        .take(ticket)
        .ok_or(Doc::InvalidRequestKey)?;
    Ok(json_ok(&success(AuthenticityResult {
        is_authenticity: Some(authenticity::matches(&check, &card)),
    })))
}
