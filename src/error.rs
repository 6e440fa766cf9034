//! [`Error`]: the one error type every client call returns.
//!
//! Callers match on the kind of failure, not on text: the network
//! ([`Error::Transport`]), the vendor refusing the call with one of its
//! documented codes ([`Error::Vendor`], typed per family with the spec's
//! meaning and retry advice), a response field that does not decrypt
//! ([`Error::Decrypt`], naming the field), input refused before anything was
//! sent ([`Error::Invalid`]) and a response that is not shaped as documented
//! ([`Error::MalformedResponse`], naming where).
//!
//! No message carries a secret: the app key travels in the URL path, so
//! errors name endpoints, never URLs; personal data and keys are never
//! formatted; and text quoted from a malformed response is elided, because a
//! family without the envelope sends personal data in plaintext.

use std::time::Duration;

use crate::descriptor::ErrorInfo;
use crate::envelope::{EnvelopeError, FieldError};
use crate::image::ImageError;

/// Everything a client call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable HTTP answer: connection, timeout, status, size cap.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The service refused the call with one of its error codes.
    #[error(transparent)]
    Vendor(#[from] VendorError),
    /// An encrypted response field did not open under this request's key.
    #[error("{endpoint}: cannot decrypt the response: {source}")]
    Decrypt {
        endpoint: &'static str,
        /// Names the field, e.g. `result.cardNums[2].value`.
        #[source]
        source: FieldError,
    },
    /// The envelope could not be sealed: the OS refused randomness, or the
    /// key wrap failed.
    #[error("{endpoint}: cannot seal the request: {source}")]
    Envelope {
        endpoint: &'static str,
        #[source]
        source: EnvelopeError,
    },
    /// The answer carries members or enum values the spec does not know,
    /// and the client's [`DriftMode`](crate::wire::drift::DriftMode) is
    /// `Fail`. Lists each with its wire path (never the value).
    #[error(
        "{endpoint}: the answer has what the spec does not know: {}",
        list_drift(drift)
    )]
    Drift {
        endpoint: &'static str,
        drift: Vec<crate::wire::drift::Drift>,
    },
    /// The service answered, but with no usable reading of the image: CLOVA
    /// reports per image (`inferResult`, `validationResult`) inside an
    /// HTTP 200, which must not pass for a success.
    #[error(transparent)]
    Recognition(#[from] crate::clova::RecognitionError),
    /// The input was refused locally; nothing was sent.
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    /// The response is not shaped as the spec documents it.
    #[error("{endpoint}: malformed response at `{path}`: {reason}")]
    MalformedResponse {
        endpoint: &'static str,
        /// Wire path of the offending member (`result.key`, `header`), or
        /// `(body)` when the body as a whole is unusable.
        path: String,
        reason: String,
    },
    /// What the call needed first failed: the envelope's public key or an
    /// access token could not be had. Names the endpoint the caller asked
    /// for; `source` is the failure of the request that fetched it (which
    /// names that endpoint: `public-key`, `create`).
    #[error("{endpoint}: could not get {needed} first: {source}")]
    Prerequisite {
        endpoint: &'static str,
        needed: Prerequisite,
        source: Box<Error>,
    },
    /// A blocking client could not run the call: it was called from async
    /// code (where blocking would stall the runtime), or its internal
    /// runtime is unavailable.
    #[error("blocking::{method}: {problem}")]
    Blocking {
        method: &'static str,
        problem: &'static str,
    },
    /// The descriptors do not say how to make this call: the spec and the
    /// runtime disagree. A bug in ocrwire, never caused by input.
    #[error("{endpoint}: {reason} (the spec and the runtime disagree; please report this)")]
    Spec {
        endpoint: &'static str,
        reason: String,
    },
}

/// What a call must have before its request can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Prerequisite {
    /// The service's public key, for the envelope.
    PublicKey,
    /// An access token, for a User Access Key.
    AccessToken,
}

impl std::fmt::Display for Prerequisite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Prerequisite::PublicKey => "the envelope's public key",
            Prerequisite::AccessToken => "an access token",
        })
    }
}

impl Error {
    /// The failure itself, beneath any [`Error::Prerequisite`] around it.
    pub fn root(&self) -> &Error {
        match self {
            Error::Prerequisite { source, .. } => source.root(),
            other => other,
        }
    }

    /// The vendor's error, if that is what this is (or what a prerequisite
    /// failed with).
    pub fn vendor(&self) -> Option<&VendorError> {
        match self.root() {
            Error::Vendor(v) => Some(v),
            _ => None,
        }
    }

    /// `self`, as the failure of `needed` for a call of `endpoint`.
    #[cfg(feature = "client")]
    pub(crate) fn while_getting(self, endpoint: &'static str, needed: Prerequisite) -> Error {
        Error::Prerequisite {
            endpoint,
            needed,
            source: Box::new(self),
        }
    }

    /// Wire path of the field a decryption failure or a malformed response
    /// is about.
    pub fn field_path(&self) -> Option<&str> {
        match self.root() {
            Error::Decrypt { source, .. } => Some(&source.path),
            Error::MalformedResponse { path, .. } => Some(path),
            _ => None,
        }
    }

    pub(crate) fn malformed(
        endpoint: &'static str,
        path: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Error::MalformedResponse {
            endpoint,
            path: path.into(),
            reason: redact_quoted(&reason.into()),
        }
    }

    #[cfg(feature = "client")]
    pub(crate) fn spec(endpoint: &'static str, reason: impl Into<String>) -> Self {
        Error::Spec {
            endpoint,
            reason: reason.into(),
        }
    }
}

impl From<ImageError> for Error {
    fn from(e: ImageError) -> Self {
        Error::Invalid(InvalidInput::Image(e))
    }
}

/// The request got no usable HTTP answer.
#[cfg(feature = "client")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The connection could not be made (DNS, refused, TLS).
    #[error("{endpoint}: cannot connect to the service: {source}")]
    Connect {
        endpoint: &'static str,
        /// Stripped of the URL, which holds the app key.
        #[source]
        source: reqwest::Error,
    },
    /// No complete answer in time.
    #[error("{endpoint}: no complete answer within {after:?}")]
    Timeout {
        endpoint: &'static str,
        after: Duration,
        /// The connection was never made (so nothing was sent): the connect
        /// timeout, not the exchange's.
        connecting: bool,
    },
    /// The call's overall deadline passed (attempts, waits between them and
    /// public-key fetches together); see `TransportConfig::deadline`.
    #[error(
        "{endpoint}: no answer within the call's deadline of {after:?} ({attempts} attempt(s))"
    )]
    Deadline {
        endpoint: &'static str,
        after: Duration,
        /// Attempts started, the interrupted one included.
        attempts: u32,
    },
    /// An HTTP status the family's error shape does not explain.
    #[error("{endpoint}: unexpected HTTP status {status}")]
    Status {
        endpoint: &'static str,
        status: u16,
        /// The wait the answer's `Retry-After` asked for, if readable.
        retry_after: Option<Duration>,
    },
    /// The answer came from another URL than the one called: the HTTP
    /// client followed a redirect. Only a client the caller supplied can
    /// (see `http_client` on the builders); the APIs never redirect.
    #[error(
        "{endpoint}: the HTTP client followed a redirect, which the APIs never send (build it with `redirect::Policy::none()`)"
    )]
    Redirected { endpoint: &'static str },
    /// The response body is larger than the configured cap.
    #[error("{endpoint}: the response body exceeds the cap of {limit} bytes")]
    BodyTooLarge { endpoint: &'static str, limit: u64 },
    /// Anything else the HTTP stack reported while sending or receiving.
    #[error("{endpoint}: {source}")]
    Http {
        endpoint: &'static str,
        /// Stripped of the URL, which holds the app key.
        #[source]
        source: reqwest::Error,
    },
}

#[cfg(feature = "client")]
impl TransportError {
    pub fn endpoint(&self) -> &'static str {
        match self {
            TransportError::Connect { endpoint, .. }
            | TransportError::Timeout { endpoint, .. }
            | TransportError::Deadline { endpoint, .. }
            | TransportError::Status { endpoint, .. }
            | TransportError::BodyTooLarge { endpoint, .. }
            | TransportError::Redirected { endpoint }
            | TransportError::Http { endpoint, .. } => endpoint,
        }
    }
}

/// The service refused the call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{endpoint}: the service answered {} ({}): {message}", code.code(), code.name())]
#[non_exhaustive]
pub struct VendorError {
    pub endpoint: &'static str,
    /// The code, typed by family; an undocumented one is kept as `Unknown`.
    pub code: VendorErrorCode,
    /// The vendor's own message, as sent (control characters removed,
    /// length capped).
    pub message: String,
    /// The HTTP status it came with (NHN always answers 200).
    pub http_status: u16,
    /// The wait the answer's `Retry-After` header asked for, if it had a
    /// readable one (seconds or an HTTP date, counted from receipt).
    pub retry_after: Option<Duration>,
}

impl VendorError {
    /// A refusal as a client reports it (the message tidied like the
    /// service's): for tests of code that handles vendor errors.
    pub fn new(
        endpoint: &'static str,
        code: VendorErrorCode,
        message: &str,
        http_status: u16,
    ) -> Self {
        VendorError {
            endpoint,
            code,
            message: tidy_message(message),
            http_status,
            retry_after: None,
        }
    }

    /// What the spec records about the code: the vendor's documented
    /// message, our reading of it, whether a retry can help.
    pub fn info(&self) -> Option<&'static ErrorInfo> {
        self.code.info()
    }

    /// Whether sending the same request again can succeed.
    pub fn is_retryable(&self) -> bool {
        self.code.is_retryable()
    }
}

pub use crate::wire::VendorErrorCode;

/// Input refused before anything was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The image cannot be sent to this endpoint.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// A request field does not have the documented form. The message
    /// describes the problem, never the value.
    #[error("`{field}`{}: {problem}", for_id_type.map(|t| format!(" (for {t})")).unwrap_or_default())]
    Field {
        /// Wire name of the field, e.g. `residentNumber`.
        field: &'static str,
        /// The ID type whose rules apply, when they differ by type.
        for_id_type: Option<&'static str>,
        problem: String,
    },
    /// The Request-Key is older than the service accepts; run the ID card
    /// recognition again to get a new one.
    #[error(
        "the Request-Key was issued {} s ago and expired after {} s; recognize the ID card again for a new one",
        age.as_secs(),
        valid_for.as_secs()
    )]
    RequestKeyExpired { age: Duration, valid_for: Duration },
    /// A credential cannot be sent (empty, or not valid in an HTTP header
    /// or URL). Never shows the value.
    #[error("the {what} {problem}")]
    Credentials {
        what: &'static str,
        problem: &'static str,
    },
    /// The base URL is unusable.
    #[error("base URL `{url}`: {problem}")]
    BaseUrl { url: String, problem: String },
    /// A client setting is unusable.
    #[error("the {setting} setting {problem}")]
    Setting {
        setting: &'static str,
        problem: &'static str,
    },
    /// A configuration variable is missing or unusable (`from_env`).
    #[error("{variable} {problem}")]
    Environment {
        variable: &'static str,
        problem: &'static str,
    },
}

/// At most five findings, then a count.
fn list_drift(drift: &[crate::wire::drift::Drift]) -> String {
    let mut shown: Vec<String> = drift.iter().take(5).map(ToString::to_string).collect();
    if drift.len() > 5 {
        shown.push(format!("and {} more", drift.len() - 5));
    }
    shown.join("; ")
}

/// Replaces every double-quoted run in a decoder message with `"…"`:
/// serde quotes the offending string value there, which may be personal
/// data; field names (in backticks) stay.
pub(crate) fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        match (c, inside) {
            ('"', false) => {
                inside = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                inside = false;
                out.push('"');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    if inside {
        out.push('"');
    }
    out
}

/// Longest vendor message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// A vendor message fit for a terminal and a log line: control characters
/// become spaces and the length is capped.
pub(crate) fn tidy_message(message: &str) -> String {
    let mut out: String = message
        .chars()
        .take(MAX_MESSAGE_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if message.chars().nth(MAX_MESSAGE_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_document_ocr_v2::ErrorCode;

    #[test]
    fn errors_cross_threads() {
        fn send_sync_static<T: Send + Sync + 'static>() {}
        send_sync_static::<Error>();
    }

    #[test]
    fn quoted_values_are_elided() {
        assert_eq!(
            redact_quoted("invalid type: string \"900101-1234567\", expected i64 at `result.x`"),
            "invalid type: string \"…\", expected i64 at `result.x`"
        );
        assert_eq!(redact_quoted("unterminated \"abc"), "unterminated \"…\"");
        assert_eq!(
            redact_quoted("missing field `header`"),
            "missing field `header`"
        );
    }

    #[test]
    fn vendor_error_names_the_code_and_keeps_the_message() {
        let e = VendorError::new(
            "credit-card",
            ErrorCode::from_code(4000301).into(),
            "Invalid key version.\n",
            200,
        );
        assert_eq!(
            e.to_string(),
            "credit-card: the service answered 4000301 (InvalidKeyVersion): Invalid key version. "
        );
        assert!(e.is_retryable());
        assert_eq!(
            e.code,
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::InvalidKeyVersion)
        );
        let unknown = VendorError::new("id-card", ErrorCode::from_code(42).into(), "?", 200);
        assert_eq!(
            unknown.to_string(),
            "id-card: the service answered 42 (unknown code): ?"
        );
        assert!(!unknown.is_retryable());
        assert!(unknown.info().is_none());
    }

    #[test]
    fn long_vendor_messages_are_capped() {
        let e = VendorError::new("x", ErrorCode::UnknownError.into(), &"a".repeat(2000), 200);
        assert_eq!(e.message.chars().count(), MAX_MESSAGE_CHARS + 1);
    }
}
