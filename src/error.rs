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
        /// The endpoint whose answer did not open, as the spec names it
        /// (`credit-card`).
        endpoint: &'static str,
        /// Names the field, e.g. `result.cardNums[2].value`.
        #[source]
        source: FieldError,
    },
    /// The envelope could not be sealed: the OS refused randomness, or the
    /// key wrap failed.
    #[error("{endpoint}: cannot seal the request: {source}")]
    Envelope {
        /// The endpoint whose request was being sealed, as the spec names it
        /// (`id-card`).
        endpoint: &'static str,
        /// What failed: drawing the symmetric key or wrapping it with the
        /// public key.
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
        /// The endpoint whose answer drifted, as the spec names it
        /// (`receipt`).
        endpoint: &'static str,
        /// Every finding, each a wire path and what is unknown there.
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
        /// The endpoint whose answer is malformed, as the spec names it
        /// (`credit-card`).
        endpoint: &'static str,
        /// Wire path of the offending member (`result.key`, `header`), or
        /// `(body)` when the body as a whole is unusable.
        path: String,
        /// What is wrong there; a decoder's message loses every quoted
        /// value first.
        reason: String,
    },
    /// What the call needed first failed: the envelope's public key or an
    /// access token could not be had. Names the endpoint the caller asked
    /// for; `source` is why: usually the failure of the request that
    /// fetched it (which names that endpoint: `public-key`,
    /// `create-token`), else a local refusal before that request went.
    #[error("{endpoint}: could not get {needed} first: {source}")]
    Prerequisite {
        /// The endpoint the caller asked for, as the spec names it
        /// (`credit-card`).
        endpoint: &'static str,
        /// What could not be had: the envelope's public key or an access
        /// token.
        needed: Prerequisite,
        /// Why it could not be had; [`Error::root`] reaches the failure
        /// beneath.
        source: Box<Error>,
    },
    /// A blocking client could not run the call: it was called from async
    /// code (where blocking would stall the runtime), or its internal
    /// runtime is unavailable.
    #[error("blocking::{method}: {problem}")]
    Blocking {
        /// The blocking client's method that was called (`revoke_token`), or
        /// `(client setup)` when the internal runtime could not start.
        method: &'static str,
        /// Why the call could not run, as fixed text.
        problem: &'static str,
    },
    /// The descriptors do not say how to make this call: the spec and the
    /// runtime disagree. A bug in ocrwire, never caused by input.
    #[error("{endpoint}: {reason} (the spec and the runtime disagree; please report this)")]
    Spec {
        /// What the descriptors fail for, as the spec names it: an endpoint
        /// (`credit-card`), a family or an auth scheme.
        endpoint: &'static str,
        /// What the descriptors lack or contradict.
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
            // The first member set aside for its shape (`DriftMode::Fail`).
            Error::Drift { drift, .. } => drift
                .iter()
                .find(|d| {
                    matches!(
                        d.kind,
                        crate::wire::drift::DriftKind::UnexpectedShape { .. }
                    )
                })
                .map(|d| d.path.as_str()),
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
            // Member names can come from the answer: make them safe to show.
            path: crate::text::printable(&path.into()).into_owned(),
            reason: without_values(&reason.into()),
        }
    }

    /// A decoding error that already names its path and keeps no value.
    #[cfg(feature = "client")]
    pub(crate) fn undecodable(endpoint: &'static str, e: crate::wire::drift::DecodeError) -> Self {
        Error::MalformedResponse {
            endpoint,
            path: match e.path.as_str() {
                "." | "" => "(body)".to_string(),
                _ => e.path,
            },
            reason: e.reason,
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
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// Stripped of the URL, which holds the app key.
        #[source]
        source: reqwest::Error,
    },
    /// No complete answer in time. `timer` says which timer fired, and
    /// `after` how long it had run.
    #[error("{endpoint}: {}", timeout_message(*timer, *after))]
    Timeout {
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// How long `timer` had run: the configured timeout for ours, the
        /// measured time of the exchange for the network's.
        after: Duration,
        /// The connection was never made (so nothing was sent): the connect
        /// timeout, not the exchange's.
        connecting: bool,
        /// Which timer fired.
        timer: Timer,
    },
    /// The call's overall deadline passed (attempts, waits between them and
    /// public-key fetches together); see `TransportConfig::deadline`.
    #[error(
        "{endpoint}: no answer within the call's deadline of {after:?} ({attempts} attempt(s))"
    )]
    Deadline {
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// The call's configured deadline (`TransportConfig::deadline`).
        after: Duration,
        /// Attempts started, the interrupted one included.
        attempts: u32,
    },
    /// An HTTP status the family's error shape does not explain.
    #[error("{endpoint}: unexpected HTTP status {status}")]
    Status {
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// The HTTP status code of the answer.
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
    Redirected {
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
    },
    /// The response body is larger than the configured cap.
    #[error("{endpoint}: the response body exceeds the cap of {limit} bytes")]
    BodyTooLarge {
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// The configured cap on the response body, in bytes.
        limit: u64,
    },
    /// Anything else the HTTP stack reported while sending or receiving.
    #[error("{endpoint}: {source}")]
    Http {
        /// The endpoint called, as the spec names it (`credit-card`), or
        /// `(client setup)` when building the HTTP client failed.
        endpoint: &'static str,
        /// Stripped of the URL, which holds the app key.
        #[source]
        source: reqwest::Error,
    },
}

/// Which timer ended an exchange.
#[cfg(feature = "client")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Timer {
    /// `TransportConfig::connect_timeout`: no connection was made.
    Connect,
    /// `TransportConfig::request_timeout`: the exchange took too long.
    Request,
    /// Neither of ours: the network stack gave up first (a TCP user
    /// timeout, a keep-alive probe, a peer that stopped reading).
    Network,
}

#[cfg(feature = "client")]
fn timeout_message(timer: Timer, after: Duration) -> String {
    match timer {
        Timer::Connect => format!("no connection within {after:?} (the connect timeout)"),
        Timer::Request => format!("no complete answer within {after:?} (the request timeout)"),
        Timer::Network => format!(
            "the connection timed out after {after:?}: the network gave up before the request timeout"
        ),
    }
}

#[cfg(feature = "client")]
impl TransportError {
    /// The endpoint the failure is about, as the spec names it
    /// (`credit-card`), or `(client setup)` when building the HTTP client
    /// failed.
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
#[error("{endpoint}: the service answered {} ({}): {message}", shown_code(code), code.name())]
#[non_exhaustive]
pub struct VendorError {
    /// The endpoint that refused, as the spec names it (`credit-card`,
    /// `public-key`).
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
        /// What is wrong with the field, in words (`is required`).
        problem: String,
    },
    /// The Request-Key is older than the service accepts; run the ID card
    /// recognition again to get a new one.
    #[error(
        "the Request-Key was issued {} s ago and expired after {} s; recognize the ID card again for a new one",
        age.as_secs(),
        valid_for.as_secs()
    )]
    RequestKeyExpired {
        /// Time since the Request-Key was issued.
        age: Duration,
        /// How long the service accepts a Request-Key after issue.
        valid_for: Duration,
    },
    /// A credential cannot be sent (empty, or not valid in an HTTP header
    /// or URL). Never shows the value.
    #[error("the {what} {problem}")]
    Credentials {
        /// Which credential, in words (`app key`, `secret key`).
        what: &'static str,
        /// What is wrong with it, as fixed text that never includes the
        /// value.
        problem: &'static str,
    },
    /// The base URL is unusable.
    #[error("base URL `{url}`: {problem}")]
    BaseUrl {
        /// The URL as it may be shown: scheme, host and port (any path
        /// elided as `/…`), or a placeholder such as `(not shown)`.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A client setting is unusable.
    #[error("the {setting} setting {problem}")]
    Setting {
        /// Name of the setting (`user_agent`).
        setting: &'static str,
        /// What is wrong with its value, as fixed text.
        problem: &'static str,
    },
    /// The endpoint cannot be called this way (through
    /// [`AnyClient`](crate::client::AnyClient): an endpoint of another
    /// family, a URL where only files go).
    #[error("{problem}")]
    Unsupported {
        /// What cannot be done, in words.
        problem: String,
    },
    /// A configuration variable is missing or unusable (`from_env`).
    #[error("{variable} {problem}")]
    Environment {
        /// Name of the environment variable (`NHN_OCR_APP_KEY`).
        variable: &'static str,
        /// What is wrong with it (`is not set`), as fixed text that never
        /// includes the value.
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

/// A decoder's complaint without the value it complains about.
///
/// serde names the offending value in its messages (``invalid type:
/// integer `4929000011112222`, expected a string``, `unknown variant
/// "X"`), and a family without the envelope sends personal data in
/// plaintext, so no error may repeat it, whatever its JSON type. The known
/// shapes keep their kind and what was expected (those words come from the
/// types, not the answer); anything else loses every quoted or
/// back-quoted run. The whole is then made safe for a terminal.
pub(crate) fn without_values(message: &str) -> String {
    let (body, position) = match message.rfind(" at line ") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let expected = |rest: &str| {
        rest.split_once(", expected ")
            .map(|(_, e)| format!(", expected {}", strip_quoted(e)))
            .unwrap_or_default()
    };
    let described = if let Some(rest) = body.strip_prefix("invalid type: ") {
        format!("invalid type: {}{}", value_kind(rest), expected(rest))
    } else if let Some(rest) = body.strip_prefix("invalid value: ") {
        format!("invalid value: {}{}", value_kind(rest), expected(rest))
    } else if let Some(rest) = body.strip_prefix("unknown variant ") {
        format!("a value the type does not list{}", expected(rest))
    } else if body.starts_with("missing field `") || body.starts_with("duplicate field `") {
        // Field names are the type's own.
        body.to_string()
    } else {
        strip_quoted(body)
    };
    crate::text::printable(&format!("{described}{position}")).into_owned()
}

/// The kind of value serde's "unexpected" part names, never the value.
fn value_kind(unexpected: &str) -> &'static str {
    [
        ("string", "a string"),
        ("integer", "an integer"),
        ("floating point", "a number"),
        ("boolean", "a boolean"),
        ("null", "null"),
        ("unit", "null"),
        ("map", "an object"),
        ("sequence", "a list"),
        ("char", "a character"),
    ]
    .iter()
    .find(|(prefix, _)| unexpected.starts_with(prefix))
    .map_or("a value", |(_, kind)| kind)
}

/// Every `"..."` and `` `...` `` run replaced by `…`.
fn strip_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside: Option<char> = None;
    for c in text.chars() {
        match (inside, c) {
            (None, '"' | '`') => {
                inside = Some(c);
                out.push('…');
            }
            (Some(open), c) if c == open => inside = None,
            (Some(_), _) => {}
            (None, c) => out.push(c),
        }
    }
    out
}

/// Longest vendor message kept, in characters.
const MAX_MESSAGE_CHARS: usize = 500;

/// A vendor message fit for a terminal and a log line: capped in length,
/// and whatever a terminal would act on written visibly ([`crate::text`]).
pub(crate) fn tidy_message(message: &str) -> String {
    tidy(message, MAX_MESSAGE_CHARS)
}

/// The longest code an error message shows; no vendor's is longer than 8.
const MAX_CODE_CHARS: usize = 32;

/// A code as an error message shows it. An undocumented code is kept as
/// the server sent it (`Unknown`), so it is tidied like a message: its
/// control characters escaped, its length capped.
fn shown_code(code: &VendorErrorCode) -> String {
    tidy(&code.code(), MAX_CODE_CHARS)
}

/// `text` on one line, with every character a terminal acts on escaped,
/// and at most `max` characters of it.
fn tidy(message: &str, max: usize) -> String {
    // Line breaks and tabs read as spaces; other controls are escaped.
    let spaced: String = message
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let shown = crate::text::printable(&spaced);
    let mut out: String = shown.chars().take(max).collect();
    if shown.chars().nth(max).is_some() {
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
    fn decoder_messages_lose_every_value() {
        for (message, shown) in [
            (
                "invalid type: string \"900101-1234567\", expected i64 at line 1 column 9",
                "invalid type: a string, expected i64 at line 1 column 9",
            ),
            (
                "invalid type: integer `4929000011112222`, expected a string",
                "invalid type: an integer, expected a string",
            ),
            (
                "invalid type: floating point `1.25`, expected u32",
                "invalid type: a number, expected u32",
            ),
            (
                "invalid value: integer `-7`, expected u8",
                "invalid value: an integer, expected u8",
            ),
            (
                "unknown variant `PASSPORTX`, expected one of `resident`, `driver`",
                "a value the type does not list, expected one of …, …",
            ),
            ("missing field `header`", "missing field `header`"),
            ("unterminated \"abc", "unterminated …"),
            (
                "trailing characters at line 1 column 3",
                "trailing characters at line 1 column 3",
            ),
        ] {
            assert_eq!(without_values(message), shown);
        }
        assert_eq!(without_values("bad \u{1b}[2J"), "bad \\u{1b}[2J");
    }

    #[test]
    fn vendor_error_names_the_code_and_keeps_the_message() {
        let e = VendorError::new(
            "credit-card",
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::from_code(4000301)),
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
        let unknown = VendorError::new(
            "id-card",
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::from_code(42)),
            "?",
            200,
        );
        assert_eq!(
            unknown.to_string(),
            "id-card: the service answered 42 (unknown code): ?"
        );
        assert!(!unknown.is_retryable());
        assert!(unknown.info().is_none());
    }

    #[test]
    fn long_vendor_messages_are_capped() {
        let e = VendorError::new(
            "x",
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::UnknownError),
            &"a".repeat(2000),
            200,
        );
        assert_eq!(e.message.chars().count(), MAX_MESSAGE_CHARS + 1);
    }

    /// An undocumented code is the server's text: the message shows it
    /// tidied, while `code` keeps it exactly as sent.
    #[test]
    fn an_unknown_code_is_shown_tidied() {
        use crate::wire::errors_clova_ocr::ErrorCode as Clova;
        let sent = format!("\u{1b}]52;c;{}\u{7}", "A".repeat(100));
        let e = VendorError::new(
            "receipt",
            VendorErrorCode::ClovaDocumentOcr(Clova::from_code(&sent)),
            "no",
            400,
        );
        let shown = e.to_string();
        assert_eq!(
            shown,
            "receipt: the service answered \\u{1b}]52;c;AAAAAAAAAAAAAAAAAAAA… (unknown code): no"
        );
        assert_eq!(e.code.code(), sent);
    }
}
