//! [`Runtime`]: the one call pipeline (see the [module docs](super)).

use std::sync::Arc;

use tracing::Instrument as _;

use reqwest::header::HeaderMap;

use super::envelope::{Envelope, Seal, Sealed};
use super::error_shape;
use super::identity::{Identity, Signer, TokenSource};
use super::outgoing::Outgoing;
use super::retry::{self, Retrier};
use super::transport::Transport;
use super::{Credentials, Settings};
use crate::Sensitive;
use crate::descriptor::{
    Api, Endpoint, Family, Operation, ParamValue, PartValue, Request, RequestBody, Version,
};
use crate::envelope::{EncryptedFields, PublicKey};
use crate::error::{Error, Prerequisite};
use crate::wire::drift::{Drift, DriftMode};

/// A decoded, decrypted answer, its HTTP headers and what it carried that
/// the spec does not know.
pub(crate) struct Reply<R> {
    pub(crate) body: R,
    pub(crate) headers: HeaderMap,
    pub(crate) drift: Vec<Drift>,
}

impl<R> Reply<R> {
    pub(crate) fn into_answer(self) -> crate::client::Answer<R> {
        crate::client::Answer::new(self.body, self.drift)
    }
}

/// The payload type of request `R`'s operation.
pub(crate) type Payload<R> = <<R as Request>::Operation as Operation>::Response;

/// One family's client state: where to send, as whom, the envelope's
/// public keys and the retry budget.
pub(crate) struct Runtime {
    pub(super) family: &'static Family,
    /// The version calls go to, which decides the path prefix and the auth
    /// scheme.
    pub(super) version: &'static Version,
    transport: Transport,
    pub(super) app_key: Sensitive,
    /// Step 1: who is calling.
    pub(super) identity: Identity,
    /// Step 2 and 4, for a family with an envelope.
    pub(super) envelope: Option<Envelope>,
    pub(super) retry: Retrier,
    drift: DriftMode,
    /// Drift already logged (endpoint and path pattern): each once.
    warned: std::sync::Mutex<std::collections::HashSet<(&'static str, String)>>,
}

/// How many drift paths a client logs in its life, at most (each once).
const MAX_DRIFT_WARNINGS: usize = 256;

/// What an attempt has already resent once, and must not again.
#[derive(Default)]
struct Resent {
    /// Under a new public key, after the key-version error.
    new_key: bool,
    /// With a new token, after the token was refused.
    new_token: bool,
}

/// What a family's builder gathers for a client: the credentials and the
/// hosts. The core picks the rest from the spec ([`Runtime::connect`]).
pub(crate) struct Connection<'a> {
    pub(crate) family: &'static Family,
    pub(crate) credentials: Credentials,
    /// The service's host: the caller's, or the family's default
    /// (`FixedHost`), which the builder chose.
    pub(crate) base_url: &'a str,
    /// Where tokens come from, for a family with a token scheme: the
    /// issuing family's token source (generated: the family's
    /// `UsesTokens::Issuer`) and its host (its default when `None`).
    pub(crate) tokens: Option<TokenIssuer<'a>>,
}

/// How a family's calls get tokens: the issuing family's token source, at
/// a host.
pub(crate) struct TokenIssuer<'a> {
    /// The caller's host for the token API; the issuing family's default
    /// when `None`.
    pub(crate) base_url: Option<&'a str>,
    pub(crate) source: fn(Option<&str>, &Credentials, &Settings) -> Result<TokenSource, Error>,
}

impl Runtime {
    /// A runtime for `connection`. The core decides, from the spec, what
    /// the builders used to: the version the credentials can call (a
    /// secret key the version that takes one, a User Access Key the version
    /// that takes its tokens), the host, and the identity its calls present
    /// ([`Identity::choose`]).
    pub(crate) fn connect(
        connection: Connection<'_>,
        settings: &Settings,
    ) -> Result<Runtime, Error> {
        let Connection {
            family,
            credentials,
            base_url,
            tokens,
        } = connection;
        Self::check(family, &credentials)?;
        let (version, identity) = Identity::choose(family, &credentials, tokens, settings)?;
        let config = &settings.transport;
        let runtime = Runtime {
            family,
            version,
            retry: Retrier::new(config.retry.clone(), config.deadline),
            transport: Transport::new(base_url, settings)?,
            app_key: credentials.app_key().clone(),
            identity,
            envelope: family.envelope.map(Envelope::new),
            drift: settings.drift_mode()?,
            warned: Default::default(),
        };
        // Only for a client that is built: a refused one says why instead.
        let notices = [
            super::build_checks::alternate_host_notice(family, base_url),
            super::build_checks::url_download_notice(family, config.request_timeout),
        ];
        for notice in notices.into_iter().flatten() {
            tracing::warn!(family = family.name, "{notice}");
        }
        Ok(runtime)
    }

    /// A runtime with default settings and no token issuer, the version
    /// picked by the credentials.
    #[cfg(test)]
    pub(crate) fn for_tests(
        family: &'static Family,
        base_url: &str,
        credentials: Credentials,
    ) -> Result<Runtime, Error> {
        let connection = Connection {
            family,
            credentials,
            base_url,
            tokens: None,
        };
        Self::connect(connection, &Settings::default())
    }

    fn check(family: &Family, credentials: &Credentials) -> Result<(), Error> {
        let needs_app_key = family
            .endpoints
            .iter()
            .any(|e| e.path_params.iter().any(|p| p.value == ParamValue::AppKey));
        credentials.check(needs_app_key)
    }

    /// What the client does with an answer's drift: refuse it, or keep it
    /// and log each new path once.
    fn judge_drift(&self, endpoint: &'static Endpoint, drift: &[Drift]) -> Result<(), Error> {
        if drift.is_empty() {
            return Ok(());
        }
        match self.drift {
            DriftMode::Fail => Err(Error::Drift {
                endpoint: endpoint.name,
                drift: drift.to_vec(),
            }),
            DriftMode::Warn => {
                let mut warned = self.warned.lock().unwrap_or_else(|p| p.into_inner());
                for found in drift {
                    // The paths are the server's member names: a server that
                    // sends new ones on every call must not grow the set, or
                    // the log, without end.
                    if warned.len() >= MAX_DRIFT_WARNINGS {
                        break;
                    }
                    if warned.insert((endpoint.name, found.pattern())) {
                        tracing::warn!(
                            family = self.family.name,
                            endpoint = endpoint.name,
                            path = %found.pattern(),
                            kind = ?found.kind,
                            "the answer has what the spec does not know (logged once per path)"
                        );
                        if warned.len() == MAX_DRIFT_WARNINGS {
                            tracing::warn!(
                                family = self.family.name,
                                "{MAX_DRIFT_WARNINGS} drift paths logged; no more are"
                            );
                        }
                    }
                }
                Ok(())
            }
            DriftMode::Ignore => Ok(()),
        }
    }

    /// The version this runtime calls.
    pub(crate) fn version(&self) -> &'static Version {
        self.version
    }

    /// The adaptive rate limiter's current rate, if it is pacing.
    pub(crate) fn paced_rate(&self) -> Option<f64> {
        self.retry.paced_rate()
    }

    /// The token source, when the version takes tokens.
    pub(crate) fn token_source(&self) -> Option<&Arc<TokenSource>> {
        self.identity.token_source()
    }

    /// Sends `request` and returns its plaintext answer; failures are
    /// retried as the [`RetryPolicy`](super::RetryPolicy) says. The input
    /// is checked first, so refused input never costs a request.
    pub(crate) async fn call<R: Request>(&self, request: &R) -> Result<Reply<Payload<R>>, Error>
where {
        let endpoint = R::Operation::ENDPOINT;
        check_input::<R::Operation>(endpoint, request.body())?;
        if let Some(key) = request.request_key()
            && reqwest::header::HeaderValue::from_str(key.expose()).is_err()
        {
            return Err(super::outgoing::unsendable_request_key());
        }
        let call = tracing::info_span!(
            "ocrwire.call",
            family = self.family.name,
            endpoint = endpoint.name,
            version = self.version.name.unwrap_or(""),
            outcome = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let outcome = self
            .retry
            .run(endpoint.name, retry::safe_to_resend(endpoint), |number| {
                let span = tracing::info_span!(
                    "ocrwire.attempt",
                    attempt = number,
                    status = tracing::field::Empty,
                    vendor_code = tracing::field::Empty,
                    duration_ms = tracing::field::Empty,
                );
                async move {
                    let started = std::time::Instant::now();
                    let outcome = self.attempt(request).await;
                    let span = tracing::Span::current();
                    span.record("duration_ms", started.elapsed().as_millis() as u64);
                    if let Some(vendor) = outcome.as_ref().err().and_then(Error::vendor) {
                        // The service chose it: shown as safe text.
                        let code = vendor.code.code();
                        span.record(
                            "vendor_code",
                            tracing::field::display(crate::text::printable(&code)),
                        );
                    }
                    outcome
                }
                .instrument(span)
            })
            .instrument(call.clone())
            .await;
        call.record("duration_ms", started.elapsed().as_millis() as u64);
        call.record("outcome", if outcome.is_ok() { "ok" } else { "error" });
        outcome
    }

    /// One attempt, as visible steps:
    ///
    /// 1. **identity**: who calls (a token is issued if need be);
    /// 2. **seal**: for a sealed endpoint, the envelope's fresh session
    ///    under the service's public key;
    /// 3. **build, sign, send**: the request built from the typed request
    ///    and the seal, then signed by the identity (only a signed request
    ///    can be sent), then sent;
    /// 4. **open**: the answer decoded by the family's error shape, its
    ///    encrypted fields opened;
    /// 5. **classify**: a refusal that names its own cure is resent at once,
    ///    each at most once and free of retry budget (it fixes a known cause
    ///    rather than hopes a blip has passed): a stale key version (fetch
    ///    the key again, seal anew) and a refused token (issue a new one).
    ///    Neither request ran on the service, so resending is safe even for
    ///    an authenticity check. Every other failure goes back to the retry
    ///    loop, which decides by its own table.
    async fn attempt<R: Request>(&self, request: &R) -> Result<Reply<Payload<R>>, Error>
where {
        type A<R> = <<R as Request>::Operation as Operation>::Api;
        let endpoint = R::Operation::ENDPOINT;
        let mut resent = Resent::default();
        loop {
            // 1. Identity.
            let who = self
                .identity
                .resolve()
                .await
                .map_err(|e| e.while_getting(endpoint.name, Prerequisite::AccessToken))?;
            // 2. Seal.
            let sealed = match &self.envelope {
                Some(envelope) => {
                    envelope
                        .seal(endpoint, |service| {
                            self.fetch_public_key::<A<R>>(envelope, service, &who)
                        })
                        .await?
                }
                None => None,
            };
            let seal = sealed.as_ref().map(Sealed::as_seal);
            // 3. Build, sign, send; 4. decode and open.
            let outgoing = who.sign(Outgoing::build(self, endpoint, request, seal)?);
            let opened = self
                .send::<A<R>, Payload<R>>(
                    endpoint,
                    outgoing,
                    seal,
                    <R::Operation as Operation>::encrypted_response,
                )
                .await;
            let error = match opened {
                Err(Error::Vendor(error)) => error,
                outcome => return outcome,
            };
            // 5. Classify: a refusal that names its own cure.
            if let (Some(envelope), Some(sealed)) = (&self.envelope, &sealed)
                && envelope.refused(endpoint, sealed, &error).await
            {
                if !resent.new_key {
                    resent.new_key = true;
                    continue;
                }
                return Err(error.into());
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

    /// Steps 3 and 4: sends, decodes by the family's error shape and opens
    /// the answer's encrypted fields.
    async fn send<A, P>(
        &self,
        endpoint: &'static Endpoint,
        outgoing: Outgoing,
        seal: Option<&dyn Seal>,
        encrypted: fn(&mut P) -> Option<&mut dyn EncryptedFields>,
    ) -> Result<Reply<P>, Error>
    where
        A: Api,
        P: serde::de::DeserializeOwned + crate::descriptor::Schema,
    {
        tracing::debug!(
            family = self.family.name,
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            sealed = seal.is_some(),
            "sending"
        );
        let raw = self
            .transport
            .send(
                endpoint.name,
                outgoing.method,
                &outgoing.path,
                outgoing.headers,
                outgoing.body,
            )
            .await?;
        // The attempt's span (the status of its last exchange).
        tracing::Span::current().record("status", raw.status);
        let look = self.drift != DriftMode::Ignore;
        let decoded = error_shape::decode::<A, P>(endpoint, &raw, look)?;
        self.judge_drift(endpoint, &decoded.drift)?;
        let mut payload = decoded.payload;
        if let Some(seal) = seal {
            match encrypted(&mut payload) {
                Some(fields) => {
                    let root = self.family.error_shape.result_member();
                    seal.open_fields(endpoint.name, root, fields)?;
                }
                // Never ciphertext handed over as if it were the answer.
                None if !endpoint.encrypted_response.is_empty() => {
                    return Err(Error::spec(
                        endpoint.name,
                        "the answer has encrypted fields, but its operation does not hand them to the envelope",
                    ));
                }
                None => {}
            }
        }
        Ok(Reply {
            body: payload,
            headers: raw.headers,
            drift: decoded.drift,
        })
    }

    /// The public key the runtime seals `service`'s calls with (fetched on
    /// first use, with retries: the fetch is a plain read).
    pub(crate) async fn public_key<A>(&self, service: &'static str) -> Result<PublicKey, Error>
    where
        A: Api,
    {
        let envelope = self
            .envelope
            .as_ref()
            .ok_or_else(|| Error::spec(self.family.name, "the family has no envelope"))?;
        let endpoint = envelope.key_endpoint();
        let key = self
            .retry
            .run(endpoint.name, retry::safe_to_resend(endpoint), |_| async {
                let who = self.identity.resolve().await?;
                envelope
                    .key(service, |service| {
                        self.fetch_public_key::<A>(envelope, service, &who)
                    })
                    .await
            })
            .await?;
        Ok(PublicKey::clone(&key))
    }

    /// The one request the envelope needs: `service`'s public key, from the
    /// endpoint the envelope names, read from the members it names.
    async fn fetch_public_key<A>(
        &self,
        envelope: &Envelope,
        service: &str,
        who: &Signer,
    ) -> Result<PublicKey, Error>
    where
        A: Api,
    {
        let endpoint = envelope.key_endpoint();
        let outgoing = who.sign(Outgoing::bodiless(self, endpoint, service)?);
        let reply = self
            .send::<A, serde_json::Value>(endpoint, outgoing, None, |_| None)
            .await?;
        envelope.read_key(self.family.error_shape.result_member(), &reply.body)
    }
}

/// What the spec says of a request's input, checked before anything is
/// sent: each file against the endpoint's size and format limits, and each
/// checked field or text part against its form (`Endpoint::checks`).
fn check_input<O: Operation>(
    endpoint: &'static Endpoint,
    body: RequestBody<'_, O::Body>,
) -> Result<(), Error> {
    match body {
        RequestBody::Multipart(parts) => {
            for part in &parts {
                if let PartValue::File { image, .. } = part {
                    image.check_for(endpoint)?;
                }
            }
            crate::wire::format::check_inputs(endpoint.checks, |name| {
                parts.iter().find_map(|part| match part {
                    PartValue::Text { name: n, value } if *n == name => Some(*value),
                    _ => None,
                })
            })?;
        }
        RequestBody::Json(body) | RequestBody::Form(body) => {
            crate::wire::format::check_inputs(endpoint.checks, |name| {
                O::checked_field(body, name)
            })?;
        }
        RequestBody::None => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2 as doc;

    #[test]
    fn families_without_an_app_key_take_a_secret_alone() {
        use crate::wire::clova_document_ocr as clova;
        Runtime::for_tests(
            &clova::FAMILY,
            "http://127.0.0.1:9/custom/v1/1/k",
            Credentials::secret_only("s"),
        )
        .unwrap();
        let e = Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::secret_only("s"),
        )
        .err()
        .unwrap();
        assert_eq!(e.to_string(), "the app key is empty");
    }

    #[test]
    fn the_core_picks_the_version_and_identity_from_the_credentials() {
        use crate::wire::clova_document_ocr as clova;
        let secret = Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
        )
        .unwrap();
        assert_eq!(secret.version().name, doc::V2_0.name);
        assert!(secret.token_source().is_none());
        // A User Access Key calls the version that takes tokens, which needs
        // the issuer the family's builder names: without one, no version
        // takes the key pair.
        let e = Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::user_access_key("a", "id", "secret"),
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "the key pair is not taken by any version of this API"
        );
        // No CLOVA version takes a key pair: the caller's mistake, said so.
        let e = Runtime::for_tests(
            &clova::FAMILY,
            "http://127.0.0.1:9/custom/v1/1/k",
            Credentials::user_access_key("a", "id", "secret"),
        )
        .err()
        .unwrap();
        assert!(matches!(e, Error::Invalid(_)), "{e}");
        assert_eq!(
            e.to_string(),
            "the key pair is not taken by any version of this API"
        );
    }

    /// Refused before anything is sent: not even the public key is fetched
    /// (port 9 would answer that with a transport error).
    #[tokio::test]
    async fn an_unsendable_request_key_is_refused_before_any_request() {
        let rt = Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
        )
        .unwrap();
        let request = crate::client::outgoing::tests::resident_authenticity("rk\r\n1");
        let e = rt.call(&request).await.err().unwrap();
        assert!(matches!(e, Error::Invalid(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "`Request-Key`: cannot be sent in an HTTP header"
        );
    }

    #[test]
    fn only_an_enveloped_family_has_the_envelope_layer() {
        use crate::wire::nhn_general_ocr_v1 as general;
        let sealed = Runtime::for_tests(
            &doc::FAMILY,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
        )
        .unwrap();
        assert!(sealed.envelope.is_some());
        let plain = Runtime::for_tests(
            &general::FAMILY,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
        )
        .unwrap();
        assert!(plain.envelope.is_none());
    }
}
