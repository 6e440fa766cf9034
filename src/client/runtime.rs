//! [`Runtime`]: the one call pipeline (see the [module docs](super)).

use std::sync::Arc;

use tracing::Instrument as _;

use reqwest::header::HeaderMap;

use super::envelope::{Envelope, Sealed};
use super::error_shape;
use super::identity::{Identity, TokenSource};
use super::outgoing::Outgoing;
use super::retry::{self, Retrier};
use super::transport::Transport;
use super::{Credentials, Settings};
use crate::Sensitive;
use crate::descriptor::{
    Api, Endpoint, Family, Operation, ParamValue, PartValue, Request, RequestBody, Version,
};
use crate::envelope::EncryptedFields;
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
        settings: &Settings,
    ) -> Result<Runtime, Error> {
        Self::check(family, &credentials)?;
        let identity = Identity::fixed(version.auth, &credentials)?;
        Self::with_identity(family, version, base_url, credentials, identity, settings)
    }

    /// A runtime whose calls present tokens from `tokens`, as `version`'s
    /// token scheme says.
    pub(crate) fn with_tokens(
        family: &'static Family,
        version: &'static Version,
        base_url: &str,
        credentials: Credentials,
        tokens: Arc<TokenSource>,
        settings: &Settings,
    ) -> Result<Runtime, Error> {
        Self::check(family, &credentials)?;
        let identity = Identity::tokens(version.auth, tokens)?;
        Self::with_identity(family, version, base_url, credentials, identity, settings)
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
        settings: &Settings,
    ) -> Result<Runtime, Error> {
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
                    if warned.insert((endpoint.name, found.pattern())) {
                        tracing::warn!(
                            family = self.family.name,
                            endpoint = endpoint.name,
                            path = %found.pattern(),
                            kind = ?found.kind,
                            "the answer has what the spec does not know (logged once per path)"
                        );
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
        check_input(endpoint, request.body())?;
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
    /// 1. **identity**: the auth header (a token is issued if need be);
    /// 2. **seal**: for a sealed endpoint, a fresh session under the
    ///    service's public key;
    /// 3. **send**: the request built from the typed request, the identity
    ///    and the session;
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
            let who = self
                .identity
                .present()
                .await
                .map_err(|e| e.while_getting(endpoint.name, Prerequisite::AccessToken))?;
            let sealed = self.seal::<A<R>>(endpoint, &who).await?;
            let session = sealed.as_ref().map(Sealed::session);
            let outgoing = Outgoing::build(self, endpoint, request, &who, session)?;
            let error = match self
                .send::<A<R>, Payload<R>>(endpoint, outgoing, session)
                .await
            {
                Err(Error::Vendor(error)) => error,
                outcome => return outcome,
            };
            if let Some(sealed) = &sealed
                && self.key_refused(endpoint, sealed, &error).await?
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
    pub(super) async fn send<A, P>(
        &self,
        endpoint: &'static Endpoint,
        outgoing: Outgoing,
        session: Option<&super::envelope::Session>,
    ) -> Result<Reply<P>, Error>
    where
        A: Api,
        P: serde::de::DeserializeOwned + EncryptedFields + crate::descriptor::Schema,
    {
        tracing::debug!(
            family = self.family.name,
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            sealed = session.is_some(),
            "sending"
        );
        let raw = self
            .transport
            .send(
                endpoint.name,
                endpoint.method,
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
        if let Some(session) = session {
            let root = self.family.error_shape.result_member();
            session.open_fields(endpoint.name, root, &mut payload)?;
        }
        Ok(Reply {
            body: payload,
            headers: raw.headers,
            drift: decoded.drift,
        })
    }
}

/// What the spec says of a request's input, checked before anything is
/// sent: each file against the endpoint's size and format limits, and each
/// checked field or text part against its form (`Endpoint::checks`).
fn check_input<B: serde::Serialize>(
    endpoint: &'static Endpoint,
    body: RequestBody<'_, B>,
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
        RequestBody::Json(body) | RequestBody::Form(body) if !endpoint.checks.is_empty() => {
            let value = serde_json::to_value(body)
                .map_err(|e| Error::spec(endpoint.name, format!("the body is not JSON: {e}")))?;
            crate::wire::format::check_inputs(endpoint.checks, |name| {
                value.get(name).and_then(serde_json::Value::as_str)
            })?;
        }
        _ => {}
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
        Runtime::new(
            &clova::FAMILY,
            &clova::VERSION,
            "http://127.0.0.1:9/custom/v1/1/k",
            Credentials::secret_only("s"),
            &Settings::default(),
        )
        .unwrap();
        let e = Runtime::new(
            &doc::FAMILY,
            &doc::V2_0,
            "http://127.0.0.1:9",
            Credentials::secret_only("s"),
            &Settings::default(),
        )
        .err()
        .unwrap();
        assert_eq!(e.to_string(), "the app key is empty");
    }

    #[test]
    fn only_an_enveloped_family_has_the_envelope_layer() {
        use crate::wire::nhn_general_ocr_v1 as general;
        let sealed = Runtime::new(
            &doc::FAMILY,
            &doc::V2_0,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
            &Settings::default(),
        )
        .unwrap();
        assert!(sealed.envelope.is_some());
        let plain = Runtime::new(
            &general::FAMILY,
            &general::V1_0,
            "http://127.0.0.1:9",
            Credentials::new("a", "s"),
            &Settings::default(),
        )
        .unwrap();
        assert!(plain.envelope.is_none());
    }
}
