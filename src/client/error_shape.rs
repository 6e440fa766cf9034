//! Reading an answer by its family's [`ErrorShape`]: success body or typed
//! vendor error.
//!
//! NHN answers HTTP 200 for everything and puts the verdict in `header`;
//! CLOVA uses HTTP statuses with a `{code, message, path, timestamp}` body.
//! The descriptor says which; this module turns either into the endpoint's
//! response type or an [`Error::Vendor`] with the family's typed code.
//! Decoding failures name the wire path (`result.cardNums[0].conf`) through
//! `serde_path_to_error`, and nothing here can panic on any input.

use serde::Deserialize as _;
use serde::de::{DeserializeOwned, DeserializeSeed as _};

use super::transport::RawResponse;
use crate::descriptor::{
    Api, Endpoint, ErrorShape, Member, ObjectShape, Refusal, Schema, Shape, VendorCode, Verdict,
};
use crate::error::{Error, TransportError, VendorError, VendorErrorCode};
use crate::wire::drift::{self, Drift};

/// A family's generated `ErrorCode` that the registry files under
/// [`VendorErrorCode`]: every family's own table is one. A shared table's
/// codes (`spec/errors/`) are not: the same code belongs to several
/// families, so its `VendorErrorCode` is built by family. (The runtime reads
/// codes through the registry, by the family's name, so it needs no bound.)
pub trait FamilyErrorCode: VendorCode + Into<VendorErrorCode> {}

impl<C: VendorCode + Into<VendorErrorCode>> FamilyErrorCode for C {}

/// A successful answer's payload, and what it carried that the spec does
/// not know (looked for only when asked: it costs a second walk).
pub(crate) struct Decoded<R> {
    pub(crate) payload: R,
    pub(crate) drift: Vec<Drift>,
}

/// The endpoint's payload `R`, or the error the answer stands for, read by
/// family `A`'s error shape and its generated verdict type. With
/// `look_for_drift`, a success is also checked against the spec's shapes.
pub(crate) fn decode<A, R>(
    endpoint: &'static Endpoint,
    raw: &RawResponse,
    look_for_drift: bool,
) -> Result<Decoded<R>, Error>
where
    A: Api,
    R: DeserializeOwned + Schema,
{
    match A::FAMILY.error_shape {
        ErrorShape::ResultHeader { member, result, .. } => {
            result_header::<A, R>(endpoint, raw, member, result, look_for_drift)
        }
        ErrorShape::StatusAndBody { .. } => status_and_body::<A, R>(endpoint, raw, look_for_drift),
    }
}

/// Every answer is `{<member>: verdict, <result>: payload}`, HTTP 200 even
/// on failure (NHN).
fn result_header<A, R>(
    endpoint: &'static Endpoint,
    raw: &RawResponse,
    member: &'static str,
    result: &'static str,
    look_for_drift: bool,
) -> Result<Decoded<R>, Error>
where
    A: Api,
    R: DeserializeOwned + Schema,
{
    let members = [
        Member::required(member, A::Verdict::SHAPE),
        Member::optional(result, R::SHAPE),
    ];
    let whole = ObjectShape::new("", &members);
    // The fast way: one pass to check the answer against the shapes, one to
    // decode it, both over the bytes.
    if let Some(scan) = crate::wire::scan::scan(&Shape::Object(&whole), &raw.body, "") {
        let wanted = endpoint.response.body_type.is_some();
        let read = Whole::<A::Verdict, R>::new(member, result, wanted)
            .deserialize(&mut serde_json::Deserializer::from_slice(&raw.body));
        if let (true, Ok((Some(verdict), payload))) = (scan.fits, read) {
            let drift = if look_for_drift {
                scan.drift
            } else {
                Vec::new()
            };
            return settle::<A, R>(endpoint, raw, result, verdict, payload, drift);
        }
    }
    // Read without tracking paths; only a failure is read again, with them,
    // to say where.
    let mut body: serde_json::Map<String, serde_json::Value> =
        match serde_json::from_slice(&raw.body) {
            Ok(body) => body,
            // A gateway's error page, not the service: the status says more.
            Err(_) if !is_success(raw.status) => return Err(status_error(endpoint, raw)),
            Err(_) => {
                let mut de = serde_json::Deserializer::from_slice(&raw.body);
                let e = serde_path_to_error::deserialize::<
                    _,
                    serde_json::Map<String, serde_json::Value>,
                >(&mut de)
                .err();
                return Err(match e {
                    Some(e) => decode_error(endpoint, None, &e),
                    None => Error::malformed(endpoint.name, "(body)", "not a JSON object"),
                });
            }
        };
    // The whole answer at once, as the generated `Response::drift` reads it;
    // optional members of an unexpected shape are set aside here.
    let drift = drift::tolerate_object(&members, &mut body);
    let verdict = match body.remove(member) {
        Some(verdict) => verdict,
        // A gateway's JSON error, not the service's: the status says more.
        None if !is_success(raw.status) => return Err(status_error(endpoint, raw)),
        None => {
            return Err(Error::malformed(
                endpoint.name,
                member,
                format!("missing field `{member}`"),
            ));
        }
    };
    let verdict: A::Verdict = match A::Verdict::deserialize(&verdict) {
        Ok(verdict) => verdict,
        Err(_) => serde_path_to_error::deserialize(verdict)
            .map_err(|e| decode_error(endpoint, Some(member), &e))?,
    };
    if let Some(refusal) = verdict.refusal() {
        return Err(vendor_error::<A>(endpoint, raw, refusal));
    }
    if !is_success(raw.status) {
        return Err(status_error(endpoint, raw));
    }
    let drift = if look_for_drift { drift } else { Vec::new() };
    if endpoint.response.body_type.is_none() {
        return payload_of_nothing(endpoint, drift);
    }
    let payload = body.remove(result).ok_or_else(|| {
        Error::malformed(endpoint.name, result, "missing from a successful answer")
    })?;
    let decoded = drift::finish(R::SHAPE, payload, result, drift)
        .map_err(|e| Error::undecodable(endpoint.name, e))?;
    Ok(Decoded {
        payload: decoded.value,
        drift: decoded.drift,
    })
}

/// A result-header answer read in one pass: its verdict, then the payload
/// or the refusal it stands for.
fn settle<A, R>(
    endpoint: &'static Endpoint,
    raw: &RawResponse,
    result: &'static str,
    verdict: A::Verdict,
    payload: Option<R>,
    drift: Vec<Drift>,
) -> Result<Decoded<R>, Error>
where
    A: Api,
    R: DeserializeOwned,
{
    if let Some(refusal) = verdict.refusal() {
        return Err(vendor_error::<A>(endpoint, raw, refusal));
    }
    if !is_success(raw.status) {
        return Err(status_error(endpoint, raw));
    }
    if endpoint.response.body_type.is_none() {
        return payload_of_nothing(endpoint, drift);
    }
    let payload = payload.ok_or_else(|| {
        Error::malformed(endpoint.name, result, "missing from a successful answer")
    })?;
    Ok(Decoded { payload, drift })
}

/// `{<member>: V, <result>: P}`, decoded in one pass with the member names
/// the family's error shape gives; other members are skipped (the scan has
/// reported them).
struct Whole<V, P> {
    member: &'static str,
    result: &'static str,
    /// Whether the endpoint's success carries a payload to decode.
    wanted: bool,
    types: std::marker::PhantomData<fn() -> (V, P)>,
}

impl<V, P> Whole<V, P> {
    fn new(member: &'static str, result: &'static str, wanted: bool) -> Self {
        Whole {
            member,
            result,
            wanted,
            types: std::marker::PhantomData,
        }
    }
}

impl<'de, V: serde::Deserialize<'de>, P: serde::Deserialize<'de>> serde::de::DeserializeSeed<'de>
    for Whole<V, P>
{
    type Value = (Option<V>, Option<P>);

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, V: serde::Deserialize<'de>, P: serde::Deserialize<'de>> serde::de::Visitor<'de>
    for Whole<V, P>
{
    type Value = (Option<V>, Option<P>);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an answer object")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let (mut verdict, mut payload) = (None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.member {
                verdict = Some(map.next_value()?);
            } else if key == self.result && self.wanted {
                payload = map.next_value::<Option<P>>()?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok((verdict, payload))
    }
}

/// A failure is an HTTP 4xx/5xx status with the verdict type as body; a
/// success is the payload itself (CLOVA, OAuth 2.0).
fn status_and_body<A, R>(
    endpoint: &'static Endpoint,
    raw: &RawResponse,
    look_for_drift: bool,
) -> Result<Decoded<R>, Error>
where
    A: Api,
    R: DeserializeOwned + Schema,
{
    if is_success(raw.status) {
        if endpoint.response.body_type.is_none() {
            return payload_of_nothing(endpoint, Vec::new());
        }
        // One pass over the bytes (a JSON tree only for an answer with a
        // member of an unexpected shape).
        let decoded = drift::decode_slice::<R>(&raw.body)
            .map_err(|e| Error::undecodable(endpoint.name, e))?;
        let drift = if look_for_drift {
            decoded.drift
        } else {
            Vec::new()
        };
        return Ok(Decoded {
            payload: decoded.value,
            drift,
        });
    }
    let Ok(verdict) = serde_json::from_slice::<A::Verdict>(&raw.body) else {
        return Err(status_error(endpoint, raw));
    };
    match verdict.refusal() {
        Some(refusal) => Err(vendor_error::<A>(endpoint, raw, refusal)),
        None => Err(status_error(endpoint, raw)),
    }
}

/// An endpoint whose success carries nothing: `()`, whatever the body.
fn payload_of_nothing<R: DeserializeOwned>(
    endpoint: &'static Endpoint,
    drift: Vec<Drift>,
) -> Result<Decoded<R>, Error> {
    let payload = R::deserialize(serde_json::Value::Null).map_err(|e| {
        Error::spec(
            endpoint.name,
            format!("the endpoint answers no body, but its payload type needs one: {e}"),
        )
    })?;
    Ok(Decoded { payload, drift })
}

fn vendor_error<A>(endpoint: &'static Endpoint, raw: &RawResponse, refusal: Refusal<'_>) -> Error
where
    A: Api,
{
    // Through the registry, which knows every family's codes.
    let Some(code) = VendorErrorCode::from_wire(A::FAMILY.name, refusal.code) else {
        return Error::spec(
            endpoint.name,
            "the answer's code is not of this family's kind",
        );
    };
    let mut error = VendorError::new(endpoint.name, code, refusal.message, raw.status);
    error.retry_after = super::retry::retry_after(&raw.headers);
    // The code is the service's text: shown as safe text.
    tracing::debug!(
        endpoint = endpoint.name,
        code = %crate::text::printable(&error.code.code()),
        "the service refused the call"
    );
    error.into()
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn status_error(endpoint: &'static Endpoint, raw: &RawResponse) -> Error {
    TransportError::Status {
        endpoint: endpoint.name,
        status: raw.status,
        retry_after: super::retry::retry_after(&raw.headers),
    }
    .into()
}

fn decode_error(
    endpoint: &'static Endpoint,
    root: Option<&str>,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let (inner, reason) = drift::error_place(e);
    let path = match (root, inner.as_str()) {
        (Some(root), ".") => root.to_string(),
        (Some(root), inner) => format!("{root}.{inner}"),
        (None, ".") => "(body)".to_string(),
        (None, inner) => inner.to_string(),
    };
    Error::malformed(endpoint.name, path, reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::{self as doc, ErrorCode};
    use reqwest::header::HeaderMap;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    fn card(status: u16, body: &str) -> Result<doc::CreditCardResult, Error> {
        decode::<doc::Api, doc::CreditCardResult>(&doc::CREDIT_CARD, &raw(status, body), true)
            .map(|d| d.payload)
    }

    #[test]
    fn nhn_success_gives_the_result() {
        let ok = card(
            200,
            r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"fileType":"png"}}"#,
        )
        .unwrap();
        assert_eq!(ok.file_type.as_deref(), Some("png"));
    }

    #[test]
    fn nhn_failure_is_a_typed_vendor_error() {
        let e = card(
            200,
            r#"{"header":{"isSuccessful":false,"resultCode":4000006,"resultMessage":"Api call limit exceeded"}}"#,
        )
        .unwrap_err();
        let Error::Vendor(v) = e else { panic!("{e:?}") };
        assert_eq!(
            v.code,
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::CallLimitExceeded)
        );
        assert_eq!(v.message, "Api call limit exceeded");
        assert!(v.is_retryable());
    }

    #[test]
    fn an_optional_member_of_another_shape_is_set_aside_and_reported() {
        let decoded = decode::<doc::Api, doc::CreditCardResult>(
            &doc::CREDIT_CARD,
            &raw(
                200,
                r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"fileType":"png","cardNums":[{"conf":"900101-1234567","value":"a"}]}}"#,
            ),
            true,
        )
        .unwrap();
        assert_eq!(decoded.payload.file_type.as_deref(), Some("png"));
        let nums = decoded.payload.card_nums.unwrap();
        assert_eq!(nums[0].conf, None);
        assert_eq!(decoded.drift.len(), 1);
        assert_eq!(decoded.drift[0].path, "result.cardNums[0].conf");
        assert!(!decoded.drift[0].to_string().contains("900101"));
        // Not looking for drift, the answer is still decoded the same way.
        let quiet = decode::<doc::Api, doc::CreditCardResult>(
            &doc::CREDIT_CARD,
            &raw(
                200,
                r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"fileType":"png","cardNums":{"conf":1}}}"#,
            ),
            false,
        )
        .unwrap();
        assert!(quiet.drift.is_empty() && quiet.payload.card_nums.is_none());
    }

    #[test]
    fn malformed_answers_name_the_path_without_values() {
        let e = card(
            200,
            r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":["900101-1234567"]}"#,
        )
        .unwrap_err();
        assert_eq!(e.field_path(), Some("result"));
        assert!(!e.to_string().contains("900101"), "{e}");

        let e = card(
            200,
            r#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"}}"#,
        )
        .unwrap_err();
        assert_eq!(e.field_path(), Some("result"));
        let e = card(200, r#"{"header":{"isSuccessful":"yes"}}"#).unwrap_err();
        assert_eq!(e.field_path(), Some("header.isSuccessful"));
        let e = card(200, "<html>").unwrap_err();
        assert_eq!(e.field_path(), Some("(body)"));
    }

    #[test]
    fn a_gateway_page_is_a_status_error() {
        for body in [
            "<html>Bad Gateway</html>",
            r#"{"message": "gateway timeout"}"#,
        ] {
            let e = card(502, body).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Transport(TransportError::Status { status: 502, .. })
                ),
                "{e:?}"
            );
        }
        // With HTTP 200, a body without the verdict is malformed.
        let e = card(200, r#"{"message": "?"}"#).unwrap_err();
        assert_eq!(e.field_path(), Some("header"), "{e:?}");
    }

    #[test]
    fn clova_errors_come_from_the_http_status_and_body() {
        use crate::wire::clova_document_ocr::{self as clova, ErrorCode as ClovaCode};
        let decode_clova = |status, body: &str| {
            decode::<clova::Api, clova::DocumentResponse>(
                &clova::CREDIT_CARD,
                &raw(status, body),
                true,
            )
            .map(|d| d.payload)
        };
        let fixture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/clova-document-ocr/common.error.json"
        ))
        .unwrap();
        let Err(Error::Vendor(v)) = decode_clova(400, &fixture) else {
            panic!()
        };
        assert_eq!(
            v.code,
            VendorErrorCode::ClovaDocumentOcr(ClovaCode::Unknown("Error Code".into()))
        );
        assert_eq!(
            (v.message.as_str(), v.http_status),
            ("error details message.", 400)
        );

        let known = r#"{"code":"0011","message":"Request invalid","path":"/x","timestamp":1}"#;
        let Err(Error::Vendor(v)) = decode_clova(400, known) else {
            panic!()
        };
        assert_eq!(
            v.code,
            VendorErrorCode::ClovaDocumentOcr(ClovaCode::from_code("0011"))
        );
        assert!(v.info().is_some());

        let e = decode_clova(500, "oops").unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport(TransportError::Status { status: 500, .. })
            ),
            "{e:?}"
        );
    }
}
