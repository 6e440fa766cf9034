//! [`Runtime`]: the generic call pipeline (see the [module docs](super)).

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue as HttpHeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error_shape::{self, FamilyErrorCode};
use super::identity::{Identity, Presented, TokenSource};
use super::retry::{self, Retrier};
use super::transport::{Body, Transport};
use super::{Credentials, KeyCache, Session, TransportConfig};
use crate::Sensitive;
use crate::descriptor::{Api, Endpoint, Family, HeaderRole, Operation, ParamValue, Version};
use crate::envelope::{EncryptedFields, PublicKey};
use crate::error::{Error, VendorError};
use crate::image::Image;
use crate::wire::nhn_document_ocr_v2::PublicKeyResult;

/// What a call sends, in plaintext. The runtime adds auth and the envelope.
pub(crate) struct Call<'a, B> {
    /// Values of the endpoint's `argument` path variables, by name.
    pub(crate) path_args: Vec<(&'static str, &'a str)>,
    /// The JSON or form body (or the JSON part), if the endpoint takes one.
    pub(crate) body: Option<&'a B>,
    /// The file for the endpoint's file part.
    pub(crate) image: Option<&'a Image>,
    /// Fills a [`HeaderRole::RequestKey`] header.
    pub(crate) request_key: Option<&'a Sensitive>,
    /// JSON text for a multipart part whose type is not the endpoint's JSON
    /// body: CLOVA's `message` part is a `DocumentMessage` (no image data),
    /// while its JSON body is a `DocumentRequest` (Base64 image inline), so
    /// `body` cannot serve both. Sent as is; it cannot be sealed.
    pub(crate) part_json: Option<&'a [u8]>,
}

impl<B> Default for Call<'_, B> {
    fn default() -> Self {
        Call {
            path_args: Vec::new(),
            body: None,
            image: None,
            request_key: None,
            part_json: None,
        }
    }
}

/// A decoded, decrypted answer and its HTTP headers.
pub(crate) struct Reply<R> {
    pub(crate) body: R,
    pub(crate) headers: HeaderMap,
}

/// One family's client state: where to send, as whom, the envelope's
/// public keys and the retry budget.
pub(crate) struct Runtime {
    family: &'static Family,
    /// The version calls go to, which decides the path prefix and the auth
    /// scheme.
    version: &'static Version,
    transport: Transport,
    app_key: Sensitive,
    identity: Identity,
    keys: KeyCache,
    retry: Retrier,
}

/// What an attempt has already resent once, and must not again.
#[derive(Default)]
struct Resent {
    /// Under a new public key, after the key-version error.
    new_key: bool,
    /// With a new token, after the token was refused.
    new_token: bool,
}

impl Runtime {
    /// A runtime whose calls authenticate with `credentials` themselves (a
    /// secret key, or a key pair in the Basic form), as `version`'s scheme
    /// says.
    pub(crate) fn new(
        family: &'static Family,
        version: &'static Version,
        base_url: &str,
        credentials: Credentials,
        config: TransportConfig,
    ) -> Result<Runtime, Error> {
        Self::check(family, &credentials)?;
        let identity = Identity::fixed(version.auth, &credentials)?;
        Self::with_identity(family, version, base_url, credentials, identity, config)
    }

    /// A runtime whose calls present tokens from `tokens`, as `version`'s
    /// token scheme says.
    pub(crate) fn with_tokens(
        family: &'static Family,
        version: &'static Version,
        base_url: &str,
        credentials: Credentials,
        tokens: Arc<TokenSource>,
        config: TransportConfig,
    ) -> Result<Runtime, Error> {
        Self::check(family, &credentials)?;
        let identity = Identity::tokens(version.auth, tokens)?;
        Self::with_identity(family, version, base_url, credentials, identity, config)
    }

    fn check(family: &Family, credentials: &Credentials) -> Result<(), Error> {
        let needs_app_key = family
            .endpoints
            .iter()
            .any(|e| e.path_params.iter().any(|p| p.value == ParamValue::AppKey));
        credentials.check(needs_app_key)
    }

    fn with_identity(
        family: &'static Family,
        version: &'static Version,
        base_url: &str,
        credentials: Credentials,
        identity: Identity,
        config: TransportConfig,
    ) -> Result<Runtime, Error> {
        Ok(Runtime {
            family,
            version,
            retry: Retrier::new(config.retry.clone(), config.deadline),
            transport: Transport::new(base_url, config)?,
            app_key: credentials.app_key().clone(),
            identity,
            keys: KeyCache::new(family.key_services()),
        })
    }

    /// The version this runtime calls.
    pub(crate) fn version(&self) -> &'static Version {
        self.version
    }

    /// The token source, when the version takes tokens.
    pub(crate) fn token_source(&self) -> Option<&Arc<TokenSource>> {
        self.identity.token_source()
    }

    /// Calls `O` with plaintext input and returns its plaintext answer;
    /// the envelope, when the descriptor asks for one, is applied here, and
    /// failures are retried as the [`RetryPolicy`](super::RetryPolicy) says.
    /// The input is checked first, so refused input never costs a request.
    pub(crate) async fn call<O>(
        &self,
        call: &Call<'_, O::Body>,
    ) -> Result<Reply<O::Response>, Error>
    where
        O: Operation,
        <O::Api as Api>::ErrorCode: FamilyErrorCode,
    {
        let endpoint = O::ENDPOINT;
        if let Some(image) = call.image {
            image.check_for(endpoint)?;
        }
        self.retry
            .run(endpoint.name, retry::safe_to_resend(endpoint), |_| {
                self.attempt::<O>(call)
            })
            .await
    }

    /// One attempt, as visible steps: the identity (step 1), the envelope's
    /// session for a sealed endpoint (2), then the exchange: send, decode
    /// by the error shape, open (3-5). Two refusals name their own cure and
    /// are resent at once, each at most once and free of retry budget (they
    /// fix a known cause rather than hope a blip has passed): a stale key
    /// version (fetch the key again, seal anew) and a refused token (issue
    /// a new one). Neither request ran on the service, so resending is safe
    /// even for an authenticity check.
    async fn attempt<O>(&self, call: &Call<'_, O::Body>) -> Result<Reply<O::Response>, Error>
    where
        O: Operation,
        <O::Api as Api>::ErrorCode: FamilyErrorCode,
    {
        let endpoint = O::ENDPOINT;
        let mut resent = Resent::default();
        loop {
            let who = self.identity.present().await?;
            let sealed = self.seal::<O::Api>(endpoint, &who).await?;
            let session = sealed.as_ref().map(|(session, _)| session);
            let error = match self
                .exchange::<_, _, O::Api>(endpoint, call, &who, session)
                .await
            {
                Err(Error::Vendor(error)) => error,
                outcome => return outcome,
            };
            if let Some((_, public)) = &sealed {
                if self.is_key_version_error(&error) {
                    // Whether resent now or by a later attempt, the stale
                    // key must not seal anything again.
                    let service = self.key_service(endpoint)?;
                    self.keys.invalidate(service, public.version()).await;
                    if !resent.new_key {
                        resent.new_key = true;
                        tracing::debug!(
                            endpoint = endpoint.name,
                            service,
                            stale_version = public.version(),
                            "key version refused; fetching the public key again and resending under a new envelope"
                        );
                        continue;
                    }
                    return Err(error.into());
                }
            }
            if self.identity.refused(&who, &error).await && !resent.new_token {
                resent.new_token = true;
                tracing::debug!(
                    endpoint = endpoint.name,
                    "access token refused; resending with a new one"
                );
                continue;
            }
            return Err(error.into());
        }
    }

    /// Step 2 for a sealed endpoint: a fresh session under the service's
    /// cached public key (fetched with the same identity if need be).
    async fn seal<A>(
        &self,
        endpoint: &'static Endpoint,
        who: &Presented,
    ) -> Result<Option<(Session, Arc<PublicKey>)>, Error>
    where
        A: Api,
        A::ErrorCode: FamilyErrorCode,
    {
        if !endpoint.uses_envelope() {
            return Ok(None);
        }
        let service = self.key_service(endpoint)?;
        let public = self
            .keys
            .get(endpoint.name, service, || {
                self.fetch_public_key::<A>(service, who)
            })
            .await?;
        let session = Session::new(endpoint.name, &public)?;
        Ok(Some((session, public)))
    }

    /// The public key the runtime seals `service`'s calls with (fetched on
    /// first use, with retries: the fetch is a plain read).
    pub(crate) async fn public_key<A: Api>(&self, service: &'static str) -> Result<PublicKey, Error>
    where
        A::ErrorCode: FamilyErrorCode,
    {
        let endpoint = self.public_key_endpoint()?;
        let key = self
            .retry
            .run(endpoint.name, retry::safe_to_resend(endpoint), |_| async {
                let who = self.identity.present().await?;
                self.keys
                    .get(endpoint.name, service, || {
                        self.fetch_public_key::<A>(service, &who)
                    })
                    .await
            })
            .await?;
        Ok(PublicKey::clone(&key))
    }

    fn is_key_version_error(&self, e: &VendorError) -> bool {
        self.family
            .envelope
            .is_some_and(|env| e.code.code() == env.key_version_error)
    }

    fn public_key_endpoint(&self) -> Result<&'static Endpoint, Error> {
        self.family
            .public_key_endpoint()
            .ok_or_else(|| Error::spec(self.family.name, "the family names no public-key endpoint"))
    }

    /// The public-key service an enveloped endpoint is sealed for, as its
    /// descriptor says (the spec's `key_service`).
    fn key_service(&self, endpoint: &'static Endpoint) -> Result<&'static str, Error> {
        endpoint
            .key_service
            .ok_or_else(|| Error::spec(endpoint.name, "no public-key service serves this endpoint"))
    }

    async fn fetch_public_key<A: Api>(
        &self,
        service: &'static str,
        who: &Presented,
    ) -> Result<PublicKey, Error>
    where
        A::ErrorCode: FamilyErrorCode,
    {
        let endpoint = self.public_key_endpoint()?;
        let param = endpoint
            .argument_param()
            .ok_or_else(|| Error::spec(endpoint.name, "no service path variable"))?;
        let call = Call::<()> {
            path_args: vec![(param.name, service)],
            ..Call::default()
        };
        // The envelope belongs to NHN Document OCR, whose public-key answer
        // is `PublicKeyResult`.
        let reply = self
            .exchange::<(), PublicKeyResult, A>(endpoint, &call, who, None)
            .await?;
        let missing = |path| Error::malformed(endpoint.name, path, "missing");
        let key = reply.body.key.ok_or_else(|| missing("result.key"))?;
        let version = reply
            .body
            .version
            .ok_or_else(|| missing("result.version"))?;
        if HttpHeaderValue::from_str(&version).is_err() {
            return Err(Error::malformed(
                endpoint.name,
                "result.version",
                "cannot be sent back in X-Key-Version",
            ));
        }
        PublicKey::from_base64_der(&key, version)
            .map_err(|e| Error::malformed(endpoint.name, "result.key", e.to_string()))
    }

    /// One attempt: build, send, decode, open.
    async fn exchange<B, R, A>(
        &self,
        endpoint: &'static Endpoint,
        call: &Call<'_, B>,
        who: &Presented,
        session: Option<&Session>,
    ) -> Result<Reply<R>, Error>
    where
        B: Serialize + EncryptedFields + Clone,
        R: DeserializeOwned + EncryptedFields,
        A: Api,
        A::ErrorCode: FamilyErrorCode,
    {
        let path = self.render_path(endpoint, call)?;
        let headers = self.headers(endpoint, call, who, session)?;
        let body = self.body(endpoint, call, session)?;
        tracing::debug!(
            family = self.family.name,
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            sealed = session.is_some(),
            "sending"
        );
        let raw = self
            .transport
            .send(endpoint.name, endpoint.method, &path, headers, body)
            .await?;
        let root = self.family.error_shape.result_member();
        let mut result: R = error_shape::decode::<A, R>(endpoint, &raw)?;
        if let Some(session) = session {
            session.open_fields(endpoint.name, root, &mut result)?;
        }
        Ok(Reply {
            body: result,
            headers: raw.headers,
        })
    }

    fn render_path<B>(
        &self,
        endpoint: &'static Endpoint,
        call: &Call<'_, B>,
    ) -> Result<String, Error> {
        let missing = std::cell::Cell::new(None);
        let path = self.version.path_prefix.to_string()
            + &endpoint.render_path(|p| {
                let value = match p.value {
                    ParamValue::AppKey => Some(self.app_key.expose()),
                    ParamValue::Argument => call
                        .path_args
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map(|(_, v)| *v),
                };
                let allowed = value.is_some_and(|v| p.allowed.is_empty() || p.allowed.contains(&v));
                if !allowed {
                    missing.set(Some(p.name));
                }
                value.map(str::to_string)
            });
        match missing.get() {
            Some(name) => Err(Error::spec(
                endpoint.name,
                format!("no usable value for path variable `{name}`"),
            )),
            None => Ok(path),
        }
    }

    fn headers<B>(
        &self,
        endpoint: &'static Endpoint,
        call: &Call<'_, B>,
        who: &Presented,
        session: Option<&Session>,
    ) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(who.header.clone(), who.value.clone());
        for header in endpoint.headers {
            let value = match header.role {
                HeaderRole::KeyVersion => session
                    .map(|s| sensitive_header(endpoint, s.key_version()))
                    .transpose()?,
                HeaderRole::SealedSymmetricKey => session
                    .map(|s| sensitive_header(endpoint, s.sealed_key()))
                    .transpose()?,
                HeaderRole::RequestKey => call
                    .request_key
                    .map(|k| sensitive_header(endpoint, k.expose()))
                    .transpose()?,
            };
            let name = HeaderName::from_bytes(header.name.as_bytes()).map_err(|_| {
                Error::spec(
                    endpoint.name,
                    format!("`{}` is not a header name", header.name),
                )
            })?;
            match value {
                Some(value) => {
                    headers.insert(name, value);
                }
                None if header.required => {
                    return Err(Error::spec(
                        endpoint.name,
                        format!("nothing to fill the `{}` header", header.name),
                    ));
                }
                None => {}
            }
        }
        Ok(headers)
    }

    fn body<B>(
        &self,
        endpoint: &'static Endpoint,
        call: &Call<'_, B>,
        session: Option<&Session>,
    ) -> Result<Body, Error>
    where
        B: Serialize + EncryptedFields + Clone,
    {
        let json_text = || -> Result<Vec<u8>, Error> {
            let json = call
                .body
                .ok_or_else(|| Error::spec(endpoint.name, "the endpoint needs a JSON body"))?;
            let encode = |body: &B| {
                serde_json::to_vec(body)
                    .map_err(|e| Error::spec(endpoint.name, format!("cannot encode the body: {e}")))
            };
            let Some(session) = session else {
                return encode(json);
            };
            // Sealing rewrites fields in place, so it works on a copy: the
            // caller's plaintext must survive for the next attempt's session.
            let mut sealed = json.clone();
            session
                .seal_fields(&mut sealed)
                .map_err(|e| Error::spec(endpoint.name, e.to_string()))?;
            encode(&sealed)
        };
        match (call.image, endpoint.multipart(), endpoint.json_body()) {
            (Some(image), Some(parts), _) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    let body = match (part.json_type, call.part_json) {
                        (Some(_), Some(_)) if session.is_some() => {
                            return Err(Error::spec(
                                endpoint.name,
                                format!("part `{}` is pre-encoded and cannot be sealed", part.name),
                            ));
                        }
                        (Some(_), Some(text)) => reqwest::multipart::Part::bytes(text.to_vec())
                            .mime_str("application/json"),
                        (Some(_), None) if call.body.is_some() || part.required => {
                            reqwest::multipart::Part::bytes(json_text()?)
                                .mime_str("application/json")
                        }
                        (Some(_), None) => continue,
                        (None, _) => {
                            // A plain file is shared, not copied: every
                            // attempt sends the same reference-counted bytes.
                            let bytes = match (part.encrypted, session) {
                                (true, Some(session)) => {
                                    bytes::Bytes::from(session.seal_file(image.bytes()))
                                }
                                (true, None) => {
                                    return Err(Error::spec(
                                        endpoint.name,
                                        "an encrypted part without an envelope",
                                    ));
                                }
                                (false, _) => image.shared_bytes(),
                            };
                            let length = bytes.len() as u64;
                            // A neutral name: the service reads the type from
                            // the extension at most, and the user's file name
                            // may itself be personal ("<name>_id.jpg").
                            let format = image.format();
                            reqwest::multipart::Part::stream_with_length(bytes, length)
                                .file_name(format!("image.{format}"))
                                .mime_str(format.mime_type())
                        }
                    };
                    let body = body.map_err(|e| {
                        Error::spec(endpoint.name, format!("bad part `{}`: {e}", part.name))
                    })?;
                    form = form.part(part.name, body);
                }
                Ok(Body::Multipart(form))
            }
            (None, _, Some(_)) if call.body.is_some() => Ok(Body::Json(json_text()?)),
            (None, _, None) if endpoint.form_body().is_some() => {
                // A form carries plain text only (the generator checks it),
                // so there is nothing to seal.
                let body = call
                    .body
                    .ok_or_else(|| Error::spec(endpoint.name, "the endpoint needs a form body"))?;
                let text = serde_urlencoded::to_string(body).map_err(|e| {
                    Error::spec(endpoint.name, format!("cannot encode the form: {e}"))
                })?;
                Ok(Body::Form(zeroize::Zeroizing::new(text.into_bytes())))
            }
            (None, _, _) if endpoint.request.is_empty() => Ok(Body::Empty),
            _ => Err(Error::spec(
                endpoint.name,
                "the call does not match any request encoding the endpoint accepts",
            )),
        }
    }
}

/// A header value that the HTTP stack must never print.
fn sensitive_header(endpoint: &'static Endpoint, value: &str) -> Result<HttpHeaderValue, Error> {
    let mut value = HttpHeaderValue::from_str(value)
        .map_err(|_| Error::spec(endpoint.name, "a header value is not valid in HTTP"))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2 as doc;

    fn runtime() -> Runtime {
        Runtime::new(
            &doc::FAMILY,
            &doc::V2_0,
            "http://127.0.0.1:9",
            Credentials::new("app/key", "secret"),
            TransportConfig::default(),
        )
        .unwrap()
    }

    #[test]
    fn families_without_an_app_key_take_a_secret_alone() {
        use crate::wire::clova_document_ocr as clova;
        Runtime::new(
            &clova::FAMILY,
            &clova::VERSION,
            "http://127.0.0.1:9/custom/v1/1/k",
            Credentials::secret_only("s"),
            TransportConfig::default(),
        )
        .unwrap();
        let e = Runtime::new(
            &doc::FAMILY,
            &doc::V2_0,
            "http://127.0.0.1:9",
            Credentials::secret_only("s"),
            TransportConfig::default(),
        )
        .err()
        .unwrap();
        assert_eq!(e.to_string(), "the app key is empty");
    }

    #[test]
    fn a_pre_encoded_part_is_sent_but_never_sealed() {
        use crate::wire::clova_document_ocr as clova;
        let rt = Runtime::new(
            &clova::FAMILY,
            &clova::VERSION,
            "http://127.0.0.1:9/custom/v1/1/k",
            Credentials::secret_only("s"),
            TransportConfig::default(),
        )
        .unwrap();
        let image = Image::from_bytes("a.png", b"\x89PNG\r\n\x1a\n".to_vec()).unwrap();
        let call = Call::<clova::DocumentRequest> {
            image: Some(&image),
            part_json: Some(b"{}"),
            ..Call::default()
        };
        assert!(matches!(
            rt.body(&clova::RECEIPT, &call, None),
            Ok(Body::Multipart(_))
        ));
        // Without it, the required `message` part has nothing to carry.
        let bare = Call::<clova::DocumentRequest> {
            image: Some(&image),
            ..Call::default()
        };
        assert!(matches!(
            rt.body(&clova::RECEIPT, &bare, None),
            Err(Error::Spec { .. })
        ));
        let key = crate::envelope::PrivateKey::generate(2048).unwrap();
        let session = Session::new("receipt", &key.public_key("1")).unwrap();
        let Err(e) = rt.body(&clova::RECEIPT, &call, Some(&session)) else {
            panic!("a pre-encoded part was sealed")
        };
        assert!(e.to_string().contains("cannot be sealed"), "{e}");
    }

    #[test]
    fn every_enveloped_endpoint_has_a_key_service() {
        let rt = runtime();
        // The cache holds one key per service the public-key endpoint issues.
        assert_eq!(rt.keys.services(), ["credit-card", "id-card"]);
        let mut enveloped = 0;
        for endpoint in doc::FAMILY.endpoints {
            if endpoint.uses_envelope() {
                enveloped += 1;
                let service = rt.key_service(endpoint).unwrap();
                let expected = if endpoint.name == "credit-card" {
                    "credit-card"
                } else {
                    "id-card"
                };
                assert_eq!(service, expected, "{}", endpoint.name);
                assert!(rt.keys.services().contains(&service), "{}", endpoint.name);
            } else {
                assert_eq!(endpoint.key_service, None, "{}", endpoint.name);
                assert!(rt.key_service(endpoint).is_err(), "{}", endpoint.name);
            }
        }
        assert_eq!(enveloped, 4);
    }

    #[test]
    fn paths_are_filled_and_encoded() {
        let rt = runtime();
        let call = Call::<()> {
            path_args: vec![("serviceName", "id-card")],
            ..Call::default()
        };
        assert_eq!(
            rt.render_path(&doc::PUBLIC_KEY, &call).unwrap(),
            "/v2.0/appkeys/app%2Fkey/public-keys/id-card"
        );
        let not_allowed = Call::<()> {
            path_args: vec![("serviceName", "passport")],
            ..Call::default()
        };
        assert!(matches!(
            rt.render_path(&doc::PUBLIC_KEY, &not_allowed),
            Err(Error::Spec { .. })
        ));
        assert!(matches!(
            rt.render_path(&doc::PUBLIC_KEY, &Call::<()>::default()),
            Err(Error::Spec { .. })
        ));
    }

    #[tokio::test]
    async fn headers_come_from_the_descriptor() {
        let rt = runtime();
        let who = rt.identity.present().await.unwrap();
        let key = crate::envelope::PrivateKey::generate(2048).unwrap();
        let session = Session::new("id-card-authenticity", &key.public_key("3")).unwrap();
        let request_key = Sensitive::new("rk-1");
        let call = Call::<()> {
            request_key: Some(&request_key),
            ..Call::default()
        };
        let headers = rt
            .headers(&doc::ID_CARD_AUTHENTICITY, &call, &who, Some(&session))
            .unwrap();
        assert_eq!(headers["authorization"], "secret");
        assert_eq!(headers["x-key-version"], "3");
        assert_eq!(headers["request-key"], "rk-1");
        assert!(headers["symmetric-key"].is_sensitive());
        assert_eq!(
            key.open_key(headers["symmetric-key"].to_str().unwrap())
                .unwrap()
                .expose_bytes()
                .len(),
            32
        );
        // A required header with nothing to fill it is a spec mismatch, never a silent omission.
        let e = rt
            .headers(
                &doc::ID_CARD_AUTHENTICITY,
                &Call::<()>::default(),
                &who,
                Some(&session),
            )
            .unwrap_err();
        assert!(e.to_string().contains("Request-Key"), "{e}");
    }
}
