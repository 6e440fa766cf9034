//! The answer of an endpoint no hook knows: every check the descriptors
//! describe, then the spec's example.
//!
//! This is what a new endpoint gets from a spec edit alone. In order, the
//! first failure answering in the family's own code for the situation
//! (`answers:` in its error table):
//!
//! 1. access: a family with a fixed host checks headers, credential, app
//!    key and path variables as every NHN endpoint does
//!    ([`check_access`](super::request::check_access)); a family whose
//!    callers have their own URL checks the URL's variables
//!    (`bad-path`, `other-domain`) and the secret (`bad-credential`);
//! 2. the body, in an encoding the endpoint takes: over the cap
//!    (`too-large`), malformed, or a declared part missing or sent twice
//!    (`bad-body`); each file part not empty (`empty-file`), within the
//!    size limit (`too-large`), of an accepted format by its magic number
//!    (`file-type`) and readable (`unreadable-file`); a JSON body or part in
//!    the shape of its type (`bad-body`); each text part one of
//!    its enum's values, and each checked field or text part in its form
//!    (`bad-value`, from the descriptor's `checks`);
//! 3. the answer: the example the spec names for the endpoint (the marker
//!    word `ocrwire:<variant>` in an image picks a variant), else one built
//!    from the response type's shape, its boxes moved and scaled to lie
//!    inside the image sent, in the family's success form (NHN's
//!    `{header, result}`, or the payload itself).
//!
//! An endpoint sealed with the envelope needs the envelope's handler; one
//! without a hook answers a server error, logged.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::codes::{self, Code};
use super::reply::{Outcome, json_ok};
use super::request::{
    BodyError, Call, ContentKind, check_access, content_kind, has_required_headers, multipart,
    presents_secret, single_part,
};
use super::samples;
use super::sniff::{self, Marker};
use super::state::State;
use crate::descriptor::{
    BaseUrl, Encoding, Endpoint, ErrorRole, ErrorShape, Family, ObjectShape, PartKind, Shape,
};
use crate::image::ImageFormat;
use crate::wire::format::check_inputs;

pub async fn handle(
    state: Arc<State>,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
) -> Outcome {
    let fail = |role| codes::answer_for(family, endpoint, role);
    if endpoint.key_service.is_some() {
        tracing::error!(
            endpoint = endpoint.name,
            "a sealed endpoint needs the envelope's handler; none is registered"
        );
        return Err(fail(ErrorRole::ServerError));
    }
    check_caller(&state, family, endpoint, &call)?;
    let bytes = call.body.map_err(|e| match e {
        BodyError::TooLarge => fail(ErrorRole::TooLarge),
        BodyError::Broken => fail(ErrorRole::BadBody),
    })?;
    let kind = content_kind(&call.parts.headers);
    let mut marker = None;
    // What the request said besides its file, for an endpoint whose
    // answer depends on it (`handlers::ADJUSTMENTS`).
    let mut request_json: Option<Value> = None;
    // The image sent, whose area the answer's boxes are placed in.
    let mut size: Option<(u32, u32)> = None;
    let encoding = endpoint.request.iter().find(|e| match e {
        Encoding::Multipart(_) => kind == ContentKind::Multipart,
        Encoding::Json { .. } => kind != ContentKind::Multipart,
        Encoding::Form { .. } => kind == ContentKind::Other,
    });
    match (encoding, endpoint.request.is_empty()) {
        (_, true) => {}
        (None, false) => return Err(fail(ErrorRole::BadBody)),
        (Some(Encoding::Multipart(parts)), _) => {
            let fields = multipart(call.parts, bytes)
                .await
                .ok_or_else(|| fail(ErrorRole::BadBody))?;
            let mut texts: Vec<(&str, &str)> = Vec::new();
            for part in *parts {
                let Some(data) = single_part(&fields, part.name) else {
                    if part.required {
                        return Err(fail(ErrorRole::BadBody));
                    }
                    continue;
                };
                match part.kind {
                    PartKind::Json(type_name) => {
                        well_formed(endpoint, type_name, data)
                            .ok_or_else(|| fail(ErrorRole::BadBody))?;
                        request_json = serde_json::from_slice(data).ok();
                    }
                    PartKind::Text { values } => {
                        let text =
                            std::str::from_utf8(data).map_err(|_| fail(ErrorRole::BadBody))?;
                        if !values.is_empty() && !values.contains(&text) {
                            return Err(fail(ErrorRole::BadValue));
                        }
                        texts.push((part.name, text));
                    }
                    _ => {
                        size = Some(check_file(endpoint, data, &fail)?.1);
                        marker = marker.or(sniff::marker(data));
                    }
                }
            }
            check_inputs(endpoint.checks, |name| {
                texts
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, text)| *text)
            })
            .map_err(|_| fail(ErrorRole::BadValue))?;
        }
        (Some(Encoding::Json { body_type }), _) => {
            let body =
                serde_json::from_slice::<Value>(&bytes).map_err(|_| fail(ErrorRole::BadBody))?;
            // A checked member that is there but not text is malformed.
            let not_text = endpoint
                .checks
                .iter()
                .any(|rule| body.get(rule.field).is_some_and(|v| !v.is_string()));
            if not_text {
                return Err(fail(ErrorRole::BadValue));
            }
            check_inputs(endpoint.checks, |name| {
                body.get(name).and_then(Value::as_str)
            })
            .map_err(|_| fail(ErrorRole::BadValue))?;
            // Then the whole body, in the shape of its type.
            well_formed(endpoint, body_type, &bytes).ok_or_else(|| fail(ErrorRole::BadBody))?;
            request_json = Some(body);
        }
        (Some(Encoding::Form { .. }), _) => {}
    }
    if marker == Some(Marker::Error) {
        return Err(fail(ErrorRole::ServerError));
    }
    if marker == Some(Marker::Failure) {
        return Err(fail(ErrorRole::NothingFound));
    }
    let mut payload = match samples::example(endpoint, marker.map(Marker::word)) {
        Some(text) => serde_json::from_str(text).map_err(|e| {
            tracing::error!(endpoint = endpoint.name, error = %e, "the spec's example is not JSON");
            fail(ErrorRole::ServerError)
        })?,
        None => state
            .shapes
            .get(&(endpoint.family, endpoint.name))
            .map_or(Value::Null, |shape| from_shape(shape, 0)),
    };
    if let Some(adjust) = super::handlers::adjustment(family, endpoint) {
        adjust(&state, endpoint, request_json.as_ref(), &mut payload).map_err(fail)?;
    }
    // Boxes inside the image sent, so a picture drawn from the answer
    // shows them on it.
    if let Some(size) = size {
        samples::fit_boxes(&mut payload, size);
    }
    Ok(json_ok(&success(family, payload)))
}

/// Who is calling, checked the way the family's host is reached (every
/// handler's first step).
pub(super) fn check_caller(
    state: &State,
    family: &'static Family,
    endpoint: &Endpoint,
    call: &Call,
) -> Result<(), Code> {
    match family.base_url {
        BaseUrl::Fixed { .. } => check_access(family, endpoint, call, state),
        BaseUrl::PerCaller { .. } => {
            let config = &state.config;
            let invoke = &state.clova_invoke;
            if call.params.get(invoke.invoke_key_param) != Some(&config.clova_invoke_key) {
                return Err(codes::answer(family, ErrorRole::BadPath));
            }
            if call.params.get(invoke.domain_id_param) != Some(&config.clova_domain_id) {
                return Err(codes::answer(family, ErrorRole::OtherDomain));
            }
            if !has_required_headers(endpoint, call.version, call.headers())
                || !presents_secret(call, config.credentials.clova_secret.expose())
            {
                return Err(codes::refused(family, call.version));
            }
            Ok(())
        }
    }
}

/// `Some` when `json` is a well-formed value of the request type
/// `type_name` (a type no request sends counts as well-formed JSON).
fn well_formed(endpoint: &Endpoint, type_name: &str, json: &[u8]) -> Option<()> {
    match crate::wire::reads_request_json(endpoint.family, type_name, json) {
        Some(true) => Some(()),
        Some(false) => None,
        None => serde_json::from_slice::<Value>(json).ok().map(|_| ()),
    }
}

/// One file part against the endpoint's limits: not empty, within the size
/// limit, of an accepted format by its bytes, and readable: that format,
/// and its size (which the answer's boxes are placed in). Every handler that takes a
/// file checks it here, each failure in the family's code for it.
pub(super) fn check_file(
    endpoint: &Endpoint,
    data: &[u8],
    fail: &impl Fn(ErrorRole) -> Code,
) -> Result<(ImageFormat, (u32, u32)), Code> {
    let limits = &endpoint.limits;
    if data.is_empty() {
        return Err(fail(ErrorRole::EmptyFile));
    }
    if limits
        .max_file_bytes
        .is_some_and(|max| data.len() as u64 > max)
    {
        return Err(fail(ErrorRole::TooLarge));
    }
    let kind = ImageFormat::sniff(data)
        .filter(|k| k.accepted_by(limits.formats))
        .ok_or_else(|| fail(ErrorRole::FileType))?;
    let size = sniff::dimensions(kind, data).ok_or_else(|| fail(ErrorRole::UnreadableFile))?;
    Ok((kind, size))
}

/// A success in the family's form: NHN's verdict header around the
/// payload, or the payload itself for a family whose failures are HTTP
/// statuses.
fn success(family: &Family, payload: Value) -> Value {
    match family.error_shape {
        ErrorShape::ResultHeader {
            member,
            success,
            code,
            message,
            result,
            ..
        } => json!({
            member: { success: true, code: 0, message: "SUCCESS" },
            result: payload,
        }),
        ErrorShape::StatusAndBody { .. } => payload,
    }
}

/// A value of `shape` for an endpoint whose spec names no example: the
/// required members and one item of each list, with placeholder text,
/// numbers and the first value of an enum. Deep enough for any shape the
/// specs have; a cycle stops at the depth limit.
pub(crate) fn from_shape(shape: &Shape<'_>, depth: usize) -> Value {
    if depth > 12 {
        return Value::Null;
    }
    match shape {
        Shape::Text => Value::String("text".into()),
        Shape::Integer | Shape::IntegerOrText => Value::from(1),
        Shape::Number => Value::from(0.9),
        Shape::Bool => Value::Bool(true),
        Shape::Any => Value::Null,
        Shape::Enum(e) => e
            .values()
            .first()
            .map_or(Value::Null, |v| Value::String(v.wire().into())),
        Shape::List(inner) | Shape::OneOrList(inner) => {
            Value::Array(vec![from_shape(inner, depth + 1)])
        }
        Shape::Object(object) => object_from_shape(object, depth),
    }
}

fn object_from_shape(object: &ObjectShape<'_>, depth: usize) -> Value {
    let mut map = Map::new();
    for member in object.members() {
        map.insert(
            member.wire().to_owned(),
            from_shape(member.shape(), depth + 1),
        );
    }
    Value::Object(map)
}
