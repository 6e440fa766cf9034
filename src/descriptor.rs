//! The shapes of the generated descriptors.
//!
//! `generated/*.rs` describes each API family as `const` data of these
//! types: its endpoints (method, path, headers, encodings, encrypted fields,
//! error codes, limits) and its error table. The client, the emulator and the
//! CLI all read the same data, so they cannot disagree about the API, and a
//! spec edit reaches all three at once.

use std::borrow::Cow;

/// One API family (one spec file).
#[derive(Debug, Clone, Copy)]
pub struct Family {
    pub name: &'static str,
    pub title: &'static str,
    /// The spec file it was generated from (`spec/x.yaml`).
    pub spec_file: &'static str,
    /// Vendor documents the spec was written from.
    pub sources: &'static [&'static str],
    pub vendor: Vendor,
    /// Default base URL; `None` when every caller has its own (CLOVA).
    pub base_url: Option<&'static str>,
    /// What to supply when there is no default, in words.
    pub base_url_template: Option<&'static str>,
    /// When there is no default: the path every caller's base URL ends in
    /// (CLOVA's `/custom/v1/{DomainId}/{InvokeKey}`), with `{variables}` as
    /// whole segments; endpoint paths are appended to it. The client checks
    /// a caller's URL against it and the emulator serves under it.
    pub base_path: Option<&'static str>,
    /// The `{variables}` of [`base_path`](Self::base_path), in order.
    pub base_path_params: &'static [&'static str],
    pub alternate_urls: &'static [AlternateUrl],
    pub auth_header: &'static str,
    pub auth_value: HeaderValue,
    pub error_shape: ErrorShape,
    pub envelope: Option<EnvelopeFacts>,
    pub errors: &'static [ErrorInfo],
    pub contradictions: &'static [Contradiction],
    pub endpoints: &'static [&'static Endpoint],
}

impl Family {
    /// The endpoint with this name.
    pub fn endpoint(&self, name: &str) -> Option<&'static Endpoint> {
        self.endpoints.iter().copied().find(|e| e.name == name)
    }

    /// What the spec says about an error code, as the vendor writes it.
    pub fn error(&self, code: &str) -> Option<&'static ErrorInfo> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The endpoint that issues the envelope's public keys; `None` for a
    /// family without an envelope.
    pub fn public_key_endpoint(&self) -> Option<&'static Endpoint> {
        self.envelope
            .and_then(|env| self.endpoint(env.public_key_endpoint))
    }

    /// The services public keys are issued for: the `allowed` values of the
    /// public-key endpoint's `argument` path variable (`credit-card`,
    /// `id-card`). Every enveloped endpoint's [`Endpoint::key_service`] is
    /// one of them (the generator checks it), so a client can keep one
    /// cached key per value and an emulator one key version per value.
    /// Empty for a family without an envelope.
    pub fn key_services(&self) -> &'static [&'static str] {
        self.public_key_endpoint()
            .and_then(Endpoint::argument_param)
            .map_or(&[], |p| p.allowed)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Nhn,
    Clova,
}

#[derive(Debug, Clone, Copy)]
pub struct AlternateUrl {
    pub url: &'static str,
    pub note: &'static str,
}

/// How a family reports failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// Always HTTP 200; `header.isSuccessful` and `header.resultCode` tell.
    NhnHeader,
    /// HTTP 4xx/5xx with a `{code, message, path, timestamp}` body.
    ClovaHttp,
}

/// The envelope as the vendor documents it.
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeFacts {
    pub symmetric_key_bytes: usize,
    pub key_wrap: &'static str,
    pub cipher: &'static str,
    pub iv: &'static str,
    pub public_key_encoding: &'static str,
    pub field_encoding: &'static str,
    pub file_encoding: &'static str,
    pub symmetric_key_encoding: &'static str,
    /// Name of the endpoint that issues public keys.
    pub public_key_endpoint: &'static str,
    /// Code the server answers when the key version is stale.
    pub key_version_error: &'static str,
}

/// A place where the vendor's documents disagree with themselves.
#[derive(Debug, Clone, Copy)]
pub struct Contradiction {
    pub at: &'static str,
    pub what: &'static str,
    pub resolution: &'static str,
}

/// One documented error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    /// As the vendor writes it: `"4000001"`, `"-1"`, `"0025"`.
    pub code: &'static str,
    /// Variant name in the family's `ErrorCode`.
    pub name: &'static str,
    /// The vendor's message, verbatim.
    pub message: &'static str,
    /// Our reading of it.
    pub meaning: &'static str,
    /// Whether sending the same request again can succeed.
    pub retryable: bool,
    /// HTTP status it arrives with (CLOVA).
    pub http_status: Option<u16>,
    /// Where the code is documented, when not in the family's main source.
    pub source: Option<&'static str>,
}

/// An error code as an error shape carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireCode<'a> {
    /// NHN's `header.resultCode`.
    Integer(i64),
    /// CLOVA's `code`, digits with leading zeros.
    Text(&'a str),
}

/// A family's error-code enum (generated), seen generically.
pub trait VendorCode: std::fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The code for what an error shape carries; `None` if this family's
    /// codes are never of that kind (an integer for CLOVA, text for NHN).
    /// Generated, because the spec knows which kind each family's codes are.
    fn from_wire(code: WireCode<'_>) -> Option<Self>;
    /// What the spec records, or `None` for a code it does not list.
    fn info(&self) -> Option<&'static ErrorInfo>;
    /// The code as the vendor sends it.
    fn code(&self) -> Cow<'static, str>;
    /// Whether a retry can help. Unknown codes are assumed not to.
    fn is_retryable(&self) -> bool {
        self.info().is_some_and(|i| i.retryable)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub family: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub method: Method,
    /// Template relative to the base URL, with `{variables}`.
    pub path: &'static str,
    pub path_params: &'static [PathParam],
    /// Request headers other than `Content-Type`.
    pub headers: &'static [Header],
    /// For an endpoint sealed with the envelope: the public-key service
    /// whose key seals it (one of [`Family::key_services`]). `None` for
    /// every other endpoint. The vendor pairs them by choice (`id-card`
    /// seals `id-card-authenticity`), so the spec says it per endpoint
    /// rather than anyone guessing it from names.
    pub key_service: Option<&'static str>,
    /// Accepted request bodies; empty for a GET.
    pub request: &'static [Encoding],
    pub response: Response,
    /// Codes (as the vendor writes them) the endpoint can answer with.
    pub errors: &'static [&'static str],
    pub limits: Limits,
    pub notes: &'static [&'static str],
    /// Wire paths of data sent encrypted (`image`, `name`, ...).
    pub encrypted_request: &'static [&'static str],
    /// Wire paths of data received encrypted (`cardNums[].value`, ...).
    pub encrypted_response: &'static [&'static str],
}

impl Endpoint {
    /// Whether calls need the envelope.
    pub fn uses_envelope(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h.value == HeaderValue::SealedSymmetricKey)
    }

    /// The path variable chosen per call (`argument`): on the public-key
    /// endpoint, the service a key is issued for.
    pub fn argument_param(&self) -> Option<&'static PathParam> {
        self.path_params
            .iter()
            .find(|p| p.value == ParamValue::Argument)
    }

    /// The multipart encoding, if the endpoint accepts one.
    pub fn multipart(&self) -> Option<&'static [Part]> {
        self.request.iter().find_map(|e| match e {
            Encoding::Multipart(parts) => Some(*parts),
            Encoding::Json { .. } => None,
        })
    }

    /// The JSON body type name, if the endpoint accepts one.
    pub fn json_body(&self) -> Option<&'static str> {
        self.request.iter().find_map(|e| match e {
            Encoding::Json { body_type } => Some(*body_type),
            Encoding::Multipart(_) => None,
        })
    }

    /// The path with its variables filled in, each percent-encoded as a
    /// path segment. Variables without a value are left as written.
    pub fn render_path(&self, value_of: impl Fn(&PathParam) -> Option<String>) -> String {
        let mut path = self.path.to_string();
        for p in self.path_params {
            if let Some(v) = value_of(p) {
                path = path.replace(&format!("{{{}}}", p.name), &encode_segment(&v));
            }
        }
        path
    }

    /// The response header with this name.
    pub fn response_header(&self, name: &str) -> Option<&'static ResponseHeader> {
        self.response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a
/// value can never add a path segment or a query.
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
pub struct PathParam {
    pub name: &'static str,
    pub value: ParamValue,
    pub description: &'static str,
    /// Accepted values, when the vendor lists them.
    pub allowed: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamValue {
    /// The caller's app key.
    AppKey,
    /// Chosen per call.
    Argument,
}

#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub name: &'static str,
    pub value: HeaderValue,
    pub required: bool,
    pub description: &'static str,
}

/// What fills a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderValue {
    /// NHN secret key.
    SecretKey,
    /// CLOVA client secret.
    ClovaSecret,
    /// Version of the public key the envelope was sealed for.
    KeyVersion,
    /// The per-request AES key, RSA-encrypted, Base64.
    SealedSymmetricKey,
    /// A Request-Key from an earlier call.
    RequestKey,
}

#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    /// `multipart/form-data` with these parts.
    Multipart(&'static [Part]),
    /// `application/json` with a body of this generated type.
    Json { body_type: &'static str },
}

#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub name: &'static str,
    /// `None` for raw file bytes; else the generated type sent as JSON text.
    pub json_type: Option<&'static str>,
    pub description: &'static str,
    pub required: bool,
    /// The part's bytes are AES ciphertext under the request's key.
    pub encrypted: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Response {
    /// Generated type of the body (NHN: of `result`).
    pub body_type: &'static str,
    /// CLOVA: the image-result member holding this document's data.
    pub document_field: Option<&'static str>,
    pub headers: &'static [ResponseHeader],
}

#[derive(Debug, Clone, Copy)]
pub struct ResponseHeader {
    pub name: &'static str,
    pub description: &'static str,
    pub when: Option<&'static str>,
    pub valid_for_secs: Option<u64>,
    pub single_use: bool,
}

/// Documented limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: Option<u64>,
    /// Accepted formats (lower-case extensions).
    pub formats: &'static [&'static str],
    pub images_per_call: Option<u32>,
    /// Ports an image URL may name, as inclusive ranges.
    pub url_ports: &'static [(u16, u16)],
    pub url_download_timeout_secs: Option<u32>,
    pub recommended_resolution: Option<&'static str>,
    pub notes: &'static [&'static str],
}

impl Limits {
    /// Whether an image URL may name this port.
    pub fn allows_port(&self, port: u16) -> bool {
        self.url_ports.is_empty()
            || self
                .url_ports
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&port))
    }
}

/// A typed endpoint: the link between a descriptor and its wire types.
///
/// Generated as a unit struct per endpoint (`nhn_document_ocr_v2::CreditCard`);
/// the runtime's generic call functions take it as a type parameter.
pub trait Operation {
    const ENDPOINT: &'static Endpoint;
    /// The JSON request body, or `()` when the endpoint takes none.
    type JsonBody;
    /// The response body (for NHN families, the `result` member).
    type Response;
    /// The family's error codes.
    type ErrorCode: VendorCode;
}
