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
//! An endpoint sealed with the envelope is the envelope's handler's
//! ([`nhn_document`](super::nhn_document)): it checks the envelope's
//! headers, then runs the same steps 2 and 3 here, opening the sealed
//! parts and members first ([`read_request`] with an [`Unseal`]), and seals
//! the answer's encrypted members.

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
use crate::envelope::SymmetricKey;
use crate::image::ImageFormat;
use crate::wire::format::check_inputs;

pub async fn handle(
    state: Arc<State>,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
) -> Outcome {
    if endpoint.key_service.is_some() {
        tracing::error!(
            endpoint = endpoint.name,
            "a sealed endpoint needs the envelope's handler; none is registered"
        );
        return Err(codes::answer_for(family, endpoint, ErrorRole::ServerError));
    }
    check_caller(&state, family, endpoint, &call)?;
    let read = read_request(family, endpoint, call, None).await?;
    let payload = example_answer(&state, family, endpoint, &read)?;
    Ok(json_ok(&success(family, payload)))
}

/// How a sealed request is opened: the call's symmetric key, and the code
/// that refuses a part or field it does not open.
pub(super) struct Unseal<'a> {
    pub key: &'a SymmetricKey,
    pub refused: Code,
}

/// What a request said, once every check of step 2 passed.
#[derive(Default)]
pub(super) struct Read {
    /// The marker word in the image sent (`ocrwire:<variant>`).
    pub marker: Option<Marker>,
    /// The image sent: its format and size, which the answer's boxes are
    /// placed in.
    pub image: Option<(ImageFormat, (u32, u32))>,
    /// The JSON body or part, opened, for an endpoint whose answer depends
    /// on it (`handlers::ADJUSTMENTS`).
    pub json: Option<Opened>,
}

/// JSON a request sent, with what it sealed opened: wiped when dropped,
/// on every way out.
pub(super) struct Opened(Value);

impl Drop for Opened {
    fn drop(&mut self) {
        crate::sensitive::wipe_json(&mut self.0);
    }
}

/// Step 2: the body, in an encoding the endpoint takes, against everything
/// the descriptor says of it. A sealed endpoint's encrypted file parts and
/// JSON members (`encrypted_request`) are opened with `unseal` first, so
/// the checks see what the caller sealed.
pub(super) async fn read_request(
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
    unseal: Option<&Unseal<'_>>,
) -> Result<Read, Code> {
    let fail = |role| codes::answer_for(family, endpoint, role);
    let bytes = call.body.map_err(|e| match e {
        BodyError::TooLarge => fail(ErrorRole::TooLarge),
        BodyError::Broken => fail(ErrorRole::BadBody),
    })?;
    let kind = content_kind(&call.parts.headers);
    let mut read = Read::default();
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
                        // A part is checked whole: the descriptor's checks
                        // and sealed members are the body's and text parts'.
                        read.json = Some(json_value(endpoint, type_name, data, None, &[], &fail)?);
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
                        let opened = match (part.encrypted, unseal) {
                            (false, _) => None,
                            // Ciphertext of nothing is a block long: an
                            // empty part is told apart before opening.
                            (true, _) if data.is_empty() => {
                                return Err(fail(ErrorRole::EmptyFile));
                            }
                            (true, Some(unseal)) => Some(
                                unseal
                                    .key
                                    .open_bytes(data)
                                    .map_err(|_| unseal.refused.clone())?,
                            ),
                            (true, None) => {
                                tracing::error!(
                                    endpoint = endpoint.name,
                                    part = part.name,
                                    "an encrypted part, and no envelope to open it"
                                );
                                return Err(fail(ErrorRole::ServerError));
                            }
                        };
                        let data: &[u8] = opened.as_deref().map_or(data, Vec::as_slice);
                        read.image = Some(check_file(endpoint, data, &fail)?);
                        read.marker = read.marker.or(sniff::marker(data));
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
            let body = json_value(endpoint, body_type, &bytes, unseal, endpoint.checks, &fail)?;
            read.json = Some(body);
        }
        (Some(Encoding::Form { .. }), _) => {}
    }
    Ok(read)
}

/// A JSON body or part of the type `type_name`: its members sealed with
/// `unseal` opened (`encrypted_request`), the members `checks` name in
/// their form, then the whole in the shape of its type.
fn json_value(
    endpoint: &Endpoint,
    type_name: &str,
    bytes: &[u8],
    unseal: Option<&Unseal<'_>>,
    checks: &[crate::wire::format::Rule],
    fail: &impl Fn(ErrorRole) -> Code,
) -> Result<Opened, Code> {
    let mut body = Opened(serde_json::from_slice(bytes).map_err(|_| fail(ErrorRole::BadBody))?);
    if let Some(unseal) = unseal {
        for path in endpoint.encrypted_request {
            let mut broken = false;
            at_path(
                &mut body.0,
                path,
                &mut |text| match unseal.key.open_field(text) {
                    Ok(open) => text.replace_range(.., &open),
                    Err(_) => broken = true,
                },
            );
            if broken {
                return Err(unseal.refused.clone());
            }
        }
    }
    let json = &body.0;
    // A checked member that is there but not text is malformed.
    if checks
        .iter()
        .any(|rule| json.get(rule.field).is_some_and(|v| !v.is_string()))
    {
        return Err(fail(ErrorRole::BadValue));
    }
    check_inputs(checks, |name| json.get(name).and_then(Value::as_str))
        .map_err(|_| fail(ErrorRole::BadValue))?;
    // Then the whole body, in the shape of its type (as opened).
    let opened;
    let bytes = match unseal {
        Some(_) => {
            let text = serde_json::to_vec(&body.0).map_err(|_| fail(ErrorRole::BadBody))?;
            opened = zeroize::Zeroizing::new(text);
            opened.as_slice()
        }
        None => bytes,
    };
    well_formed(endpoint, type_name, bytes).ok_or_else(|| fail(ErrorRole::BadBody))?;
    Ok(body)
}

/// Calls `f` on the text at the wire path `path` of `value`
/// (`cardNums[].value`: the `value` of every item of `cardNums`); a path
/// that is not there is passed over.
pub(super) fn at_path(value: &mut Value, path: &str, f: &mut impl FnMut(&mut String)) {
    fn walk(value: &mut Value, steps: &[&str], f: &mut impl FnMut(&mut String)) {
        let Some((step, rest)) = steps.split_first() else {
            if let Value::String(text) = value {
                f(text);
            }
            return;
        };
        let (name, each) = match step.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*step, false),
        };
        let Some(member) = value.get_mut(name) else {
            return;
        };
        match (each, member) {
            (true, Value::Array(items)) => {
                for item in items {
                    walk(item, rest, f);
                }
            }
            (_, member) => walk(member, rest, f),
        }
    }
    let steps: Vec<&str> = path.split('.').collect();
    walk(value, &steps, f);
}

/// Step 3: the answer to a request `read` passed, before the family's
/// success form wraps it: the example the spec names (the image's marker
/// word picks a variant), else one built from the response type's shape,
/// then the endpoint's adjustment, and its boxes placed inside the image.
pub(super) fn example_answer(
    state: &State,
    family: &'static Family,
    endpoint: &'static Endpoint,
    read: &Read,
) -> Result<Value, Code> {
    let fail = |role| codes::answer_for(family, endpoint, role);
    match read.marker {
        Some(Marker::Error) => return Err(fail(ErrorRole::ServerError)),
        // Nothing of the endpoint's kind in the image.
        Some(Marker::Failure) => return Err(fail(ErrorRole::NothingFound)),
        _ => {}
    }
    let mut payload = match samples::example(endpoint, read.marker.map(Marker::word)) {
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
        let sent = read.json.as_ref().map(|json| &json.0);
        adjust(state, endpoint, sent, &mut payload).map_err(fail)?;
    }
    // Boxes inside the image sent, so a picture drawn from the answer
    // shows them on it.
    if let Some((_, size)) = read.image {
        samples::fit_boxes(&mut payload, size);
    }
    Ok(payload)
}

/// Whether the answer type of `endpoint` has the member `wire`.
pub(super) fn answer_has(state: &State, endpoint: &Endpoint, wire: &str) -> bool {
    matches!(
        state.shapes.get(&(endpoint.family, endpoint.name)),
        Some(Shape::Object(object)) if object.members().iter().any(|m| m.wire() == wire)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::{ErrorCode as Doc, ID_CARD_AUTHENTICITY};

    /// A sealed JSON body is opened member by member, as the descriptor
    /// lists them, before any check sees it; a member that does not open
    /// is refused with the envelope's code, not read as text.
    #[test]
    fn a_sealed_json_body_is_opened_before_it_is_checked() {
        let key = SymmetricKey::from_bytes([7; 32]);
        let refused = codes::document(Doc::InvalidEncryptedData);
        let unseal = Unseal {
            key: &key,
            refused: refused.clone(),
        };
        let fail = |_| codes::document(Doc::InvalidParameter);
        let body = json!({
            "idType": "resident",
            "name": key.seal_field("홍길동"),
            "residentNumber": key.seal_field("9001011234567"),
            "issueDate": key.seal_field("20200101"),
        });
        let read = |body: &Value| {
            let bytes = serde_json::to_vec(body).unwrap();
            let request = "AuthenticityRequest";
            json_value(
                &ID_CARD_AUTHENTICITY,
                request,
                &bytes,
                Some(&unseal),
                &[],
                &fail,
            )
        };
        let opened = read(&body).unwrap().0.clone();
        assert_eq!(opened["name"], "홍길동");
        assert_eq!(opened["residentNumber"], "9001011234567");
        assert_eq!(opened["idType"], "resident", "what is not sealed stays");

        let mut broken = body;
        broken["issueDate"] = json!("not sealed");
        let Err(refusal) = read(&broken) else {
            panic!("a member that does not open is refused")
        };
        assert_eq!(refusal, refused);
    }

    #[test]
    fn at_path_reaches_every_item_of_a_list() {
        let mut value = json!({"cardNums": [{"value": "a"}, {"value": "b"}], "x": "c"});
        let mut seen = Vec::new();
        at_path(&mut value, "cardNums[].value", &mut |t| {
            seen.push(t.clone())
        });
        at_path(&mut value, "missing.value", &mut |t| seen.push(t.clone()));
        assert_eq!(seen, ["a", "b"]);
    }
}
