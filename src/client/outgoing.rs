//! [`Outgoing`]: an HTTP request built from a typed request and, for a
//! sealed endpoint, the attempt's [`Seal`] (step 3's input). The identity
//! signs it afterwards ([`Signer::sign`](super::identity::Signer::sign)).
//!
//! The typed request fits its endpoint by construction (it is generated
//! from the same spec), so what is left here is assembly: the path with
//! the version's prefix, the app key and the request's path variables; the
//! endpoint's headers by role (the seal's, a Request-Key), every one marked
//! sensitive so the HTTP stack never prints it; and the body in the
//! request's encoding, its encrypted fields and parts sealed.

use reqwest::header::{HeaderMap, HeaderValue};
use serde::Serialize;

use super::envelope::Seal;
use super::runtime::Runtime;
use super::transport::Body;
use super::upload::{Piece, Pieces};
use crate::descriptor::{
    Endpoint, HeaderRole, Method, Operation, ParamValue, PartValue, Request, RequestBody,
};
use crate::error::{Error, InvalidInput};

/// What one attempt sends, signed.
pub(crate) struct Outgoing {
    pub(crate) method: Method,
    /// Rendered, percent-encoded, with the version's prefix.
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
}

/// A request built but not yet signed. Only the identity's
/// [`Signer::sign`](super::identity::Signer::sign) makes it an [`Outgoing`],
/// which is what the transport takes: no path can send a request unsigned.
pub(crate) struct Unsigned(pub(super) Outgoing);

impl Outgoing {
    pub(crate) fn build<R: Request>(
        runtime: &Runtime,
        endpoint: &'static Endpoint,
        request: &R,
        seal: Option<&dyn Seal>,
    ) -> Result<Unsigned, Error> {
        Ok(Unsigned(Outgoing {
            method: endpoint.method,
            path: {
                let mut path = prefixed(runtime, endpoint);
                request.write_path(runtime.app_key.expose(), &mut path);
                path
            },
            headers: headers(endpoint, seal, request.request_key())?,
            body: body::<R::Operation>(endpoint, request.body(), seal)?,
        }))
    }

    /// A request without a body, for the runtime's own calls (the
    /// envelope's public key for `service`, the endpoint's one argument:
    /// a sealed endpoint's `key_service`, which the generator checks is one
    /// of its values).
    pub(crate) fn bodiless(
        runtime: &Runtime,
        endpoint: &'static Endpoint,
        service: &str,
    ) -> Result<Unsigned, Error> {
        let mut path = prefixed(runtime, endpoint);
        endpoint.render_path_into(&mut path, |p| {
            Some(std::borrow::Cow::Borrowed(match p.value {
                ParamValue::AppKey => runtime.app_key.expose(),
                ParamValue::Argument => service,
            }))
        });
        Ok(Unsigned(Outgoing {
            method: endpoint.method,
            path,
            headers: headers(endpoint, None, None)?,
            body: Body::Empty,
        }))
    }
}

/// The version's prefix, with room for the endpoint's path after it.
fn prefixed(runtime: &Runtime, endpoint: &'static Endpoint) -> String {
    let prefix = runtime.version.path_prefix;
    let mut path = String::with_capacity(prefix.len() + endpoint.path.len() + 48);
    path.push_str(prefix);
    path
}

/// The endpoint's own headers by role: the request's Request-Key, and
/// whatever the seal fills.
fn headers(
    endpoint: &'static Endpoint,
    seal: Option<&dyn Seal>,
    request_key: Option<&crate::Sensitive>,
) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    for header in endpoint.headers {
        let value = match header.role {
            HeaderRole::RequestKey => request_key.map(crate::Sensitive::expose),
            role @ (HeaderRole::KeyVersion | HeaderRole::SealedSymmetricKey) => {
                seal.and_then(|seal| seal.header(role))
            }
        };
        let Some(value) = value else {
            if header.required {
                return Err(Error::spec(
                    endpoint.name,
                    format!("nothing to fill the `{}` header", header.name),
                ));
            }
            continue;
        };
        let name = header.name.to_http();
        let mut value = HeaderValue::from_str(value).map_err(|_| match header.role {
            // A caller's value (`Runtime::call` checks it before anything is
            // sent; this is the same answer).
            HeaderRole::RequestKey => unsendable_request_key(),
            // The seal's values are Base64 and a checked key version.
            _ => Error::spec(endpoint.name, "a header value is not valid in HTTP"),
        })?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    Ok(headers)
}

/// A Request-Key no HTTP header can carry: the caller's input, refused.
pub(crate) fn unsendable_request_key() -> Error {
    InvalidInput::Field {
        field: "Request-Key",
        for_id_type: None,
        problem: "cannot be sent in an HTTP header".to_string(),
    }
    .into()
}

/// The body in the request's encoding; encrypted fields and parts sealed
/// by `seal`.
fn body<O: Operation>(
    endpoint: &'static Endpoint,
    body: RequestBody<'_, O::Body>,
    seal: Option<&dyn Seal>,
) -> Result<Body, Error> {
    let encode_error = |e: &dyn std::fmt::Display| {
        Error::spec(endpoint.name, format!("cannot encode the body: {e}"))
    };
    match body {
        RequestBody::None => Ok(Body::Empty),
        RequestBody::Json(json) => match seal {
            // Sealing rewrites fields in place, so it works on a copy: the
            // caller's plaintext must survive for the next attempt's
            // session.
            Some(seal) => {
                let mut sealed = json.clone();
                match O::encrypted_body(&mut sealed) {
                    Some(fields) => seal.seal_fields(fields).map_err(|e| encode_error(&e))?,
                    // Never plaintext where the spec says ciphertext.
                    None if !endpoint.encrypted_request.is_empty() => {
                        return Err(Error::spec(
                            endpoint.name,
                            "the body has encrypted fields, but its operation does not hand them to the envelope",
                        ));
                    }
                    None => {}
                }
                json_body(&sealed)
            }
            None => json_body(json),
        }
        .map_err(|e| encode_error(&e)),
        RequestBody::Form(form) => {
            // A form carries plain text only (the generator checks it), so
            // there is nothing to seal.
            let text = serde_urlencoded::to_string(form).map_err(|e| encode_error(&e))?;
            Ok(Body::Form(zeroize::Zeroizing::new(text.into_bytes())))
        }
        RequestBody::Multipart(parts) => {
            let mut form = reqwest::multipart::Form::new();
            for part in parts {
                let (name, part) = match part {
                    // A form field, as curl's `-F name=value` sends it: no
                    // content type of its own.
                    PartValue::Text { name, value } => {
                        (name, Ok(reqwest::multipart::Part::text(value.to_owned())))
                    }
                    PartValue::Json { name, value } => {
                        let text = value.to_json().map_err(|e| encode_error(&e))?;
                        (
                            name,
                            reqwest::multipart::Part::bytes(text).mime_str("application/json"),
                        )
                    }
                    PartValue::File {
                        name,
                        image,
                        encrypted,
                    } => {
                        // The file is shared, not copied: every attempt sends
                        // the same reference-counted bytes, a sealed part
                        // encrypted a chunk at a time as it goes.
                        let piece = match (encrypted, seal) {
                            (true, Some(seal)) => seal.seal_part(image.shared_bytes()),
                            (true, None) => {
                                return Err(Error::spec(
                                    endpoint.name,
                                    "an encrypted part without an envelope",
                                ));
                            }
                            (false, _) => Piece::Plain(image.shared_bytes()),
                        };
                        let pieces = Pieces::new(vec![piece]);
                        let length = pieces.len();
                        // A neutral name: the service reads the type from
                        // the extension at most, and the user's file name
                        // may itself be personal ("<name>_id.jpg").
                        let format = image.format();
                        (
                            name,
                            reqwest::multipart::Part::stream_with_length(
                                pieces.into_body(),
                                length,
                            )
                            .file_name(format!("image.{format}"))
                            .mime_str(format.mime_type()),
                        )
                    }
                };
                let part = part.map_err(|e| encode_error(&e))?;
                form = form.part(name, part);
            }
            Ok(Body::Multipart(form))
        }
    }
}

/// A JSON body. Bytes sent as Base64 ([`Base64Data`]) are encoded as the
/// body streams out, so the text (a third larger than the image) and a
/// JSON copy of it never exist whole.
///
/// [`Base64Data`]: crate::wire::Base64Data
fn json_body<B: Serialize>(json: &B) -> serde_json::Result<Body> {
    let Some((texts, data)) = crate::wire::capture_base64(json)?.split() else {
        // A caller's string held the placeholder: send the body whole.
        return Ok(Body::Json(serde_json::to_vec(json)?.into()));
    };
    if data.is_empty() {
        return Ok(Body::Json(texts.into_iter().next().unwrap_or_default()));
    }
    let mut pieces = Vec::with_capacity(texts.len() + data.len());
    let mut data = data.into_iter();
    for text in texts {
        pieces.push(Piece::Plain(text));
        if let Some(bytes) = data.next() {
            pieces.push(Piece::Base64(bytes));
        }
    }
    Ok(Body::Stream {
        content_type: "application/json",
        pieces: Pieces::new(pieces),
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::client::Credentials;
    use crate::wire::nhn_document_ocr_v2 as doc;

    /// An authenticity check of a resident card, with `request_key`: a
    /// request with encrypted fields and a Request-Key header.
    pub(in crate::client) fn resident_authenticity(
        request_key: &str,
    ) -> doc::IdCardAuthenticityRequest {
        doc::IdCardAuthenticityRequest {
            request_key: crate::Sensitive::new(request_key),
            body: doc::AuthenticityRequest::from(doc::AuthenticityCheck::Resident(
                doc::ResidentCheck {
                    name: "홍길동".into(),
                    resident_number: "9001011234567".into(),
                    issue_date: "20190512".into(),
                },
            )),
        }
    }

    fn runtime() -> Runtime {
        Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::new("app/key", "secret"),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn paths_carry_the_prefix_the_app_key_and_the_typed_arguments() {
        let rt = runtime();
        let who = rt.identity.resolve().await.unwrap();
        let request = doc::PublicKeyRequest {
            service_name: doc::KeyService::IdCard,
        };
        let out = who.sign(Outgoing::build(&rt, &doc::PUBLIC_KEY, &request, None).unwrap());
        // The app key is percent-encoded as one segment.
        assert_eq!(out.path, "/v2.0/appkeys/app%2Fkey/public-keys/id-card");
        assert_eq!(out.headers["authorization"], "secret");
        assert!(out.headers["authorization"].is_sensitive());
        assert!(matches!(out.body, Body::Empty));
    }

    #[test]
    fn a_callers_unsendable_request_key_is_invalid_input_not_a_spec_error() {
        let rt = runtime();
        // A Request-Key that no HTTP header can carry.
        let session = crate::client::envelope::Session::with_key(
            crate::envelope::SymmetricKey::generate().unwrap(),
        );
        let request = resident_authenticity("rk\n1");
        let e = Outgoing::build(&rt, &doc::ID_CARD_AUTHENTICITY, &request, Some(&session))
            .err()
            .unwrap();
        assert!(matches!(e, Error::Invalid(_)), "{e:?}");
        assert!(!e.to_string().contains("rk"), "{e}");
    }

    /// An operation of a sealed endpoint that keeps its encrypted fields
    /// from the envelope (as a hand-written `Operation` could): refused,
    /// never sent in plaintext.
    #[test]
    fn encrypted_fields_the_envelope_cannot_reach_are_refused_not_sent() {
        struct Forgetful;
        impl Operation for Forgetful {
            const ENDPOINT: &'static Endpoint = &doc::ID_CARD_AUTHENTICITY;
            type Api = doc::Api;
            type Body = doc::AuthenticityRequest;
            type Response = doc::AuthenticityResult;
            type Request = ForgetfulRequest;
        }
        struct ForgetfulRequest(doc::AuthenticityRequest, crate::Sensitive);
        impl Request for ForgetfulRequest {
            type Operation = Forgetful;
            fn write_path(&self, app_key: &str, out: &mut String) {
                crate::descriptor::push_segment(out, app_key);
            }
            fn request_key(&self) -> Option<&crate::Sensitive> {
                Some(&self.1)
            }
            fn body(&self) -> RequestBody<'_, doc::AuthenticityRequest> {
                RequestBody::Json(&self.0)
            }
        }
        let session = crate::client::envelope::Session::with_key(
            crate::envelope::SymmetricKey::generate().unwrap(),
        );
        let typed = resident_authenticity("rk-1");
        let request = ForgetfulRequest(typed.body, typed.request_key);
        let e = Outgoing::build(
            &runtime(),
            &doc::ID_CARD_AUTHENTICITY,
            &request,
            Some(&session),
        )
        .err()
        .unwrap();
        assert!(matches!(e, Error::Spec { .. }), "{e}");
        assert!(e.to_string().contains("does not hand them"), "{e}");
    }

    #[tokio::test]
    async fn the_envelope_and_request_key_headers_come_from_the_descriptor() {
        let rt = runtime();
        let key = crate::envelope::PrivateKey::generate(2048).unwrap();
        let session =
            crate::client::envelope::Session::new("id-card-authenticity", &key.public_key("3"))
                .unwrap();
        let request = resident_authenticity("rk-1");
        let Unsigned(out) =
            Outgoing::build(&rt, &doc::ID_CARD_AUTHENTICITY, &request, Some(&session)).unwrap();
        assert_eq!(out.headers["x-key-version"], "3");
        assert_eq!(out.headers["request-key"], "rk-1");
        assert!(out.headers["request-key"].is_sensitive());
        assert!(out.headers["symmetric-key"].is_sensitive());
        let opened = key
            .open_key(out.headers["symmetric-key"].to_str().unwrap())
            .unwrap();
        assert_eq!(opened.expose_bytes().len(), 32);
        // The JSON body went out sealed: the name is not in it.
        let Body::Json(text) = out.body else {
            panic!("a JSON body")
        };
        let text = String::from_utf8(text.to_vec()).unwrap();
        assert!(
            !text.contains("홍길동") && !text.contains("9001011234567"),
            "{text}"
        );
        assert!(text.contains("\"idType\":\"resident\""), "{text}");
        // A sealed endpoint without a session is a spec mismatch, never a
        // silent omission of its headers.
        let e = Outgoing::build(&rt, &doc::ID_CARD_AUTHENTICITY, &request, None)
            .err()
            .unwrap();
        assert!(e.to_string().contains("X-Key-Version"), "{e}");
    }
}
