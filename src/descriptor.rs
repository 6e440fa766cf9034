//! The shapes of the generated descriptors.
//!
//! `generated/*.rs` describes each API family as `const` data of these
//! types: its versions and how each authenticates, its endpoints (method,
//! path, headers, encodings, encrypted fields, error codes, limits) and its
//! error table. The client, the emulator and the CLI all read the same
//! data, so they cannot disagree about the API, and a spec edit reaches all
//! three at once.
//!
//! Only what code reads is data here. The vendor's prose (sources, notes,
//! contradictions, descriptions) is in the generated doc comments, where a
//! reader of the generated code finds it.

use std::borrow::Cow;

/// One API family (one spec file).
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// The family's kebab-case name, the spec file's stem
    /// (`nhn-document-ocr-v2`); endpoints name their family by it.
    pub name: &'static str,
    /// The family's title for people (`NAVER CLOVA OCR Document API`), as
    /// `ocrwire endpoints` lists it.
    pub title: &'static str,
    /// Who publishes the API; the emulator shapes some answers by it (CLOVA's
    /// error body echoes the path).
    pub vendor: Vendor,
    /// Where the family's API lives: one default host, or a URL each caller
    /// supplies.
    pub base_url: BaseUrl,
    /// The generations of the API, oldest first; every endpoint exists in
    /// each, under the version's path prefix.
    pub versions: &'static [&'static Version],
    /// How an answer says it failed, with the wire names of the verdict's
    /// fields.
    pub error_shape: ErrorShape,
    /// The electronic envelope that seals sensitive request and response data
    /// (NHN Document OCR); `None` for a family without one.
    pub envelope: Option<Envelope>,
    /// Every error code the family documents (the spec's `errors` table),
    /// with the vendor's message and our reading of it.
    pub errors: &'static [ErrorInfo],
    /// Codes every endpoint can answer with besides its own (the spec's
    /// `common_errors`).
    pub common_errors: &'static [&'static str],
    /// Sets of codes several endpoints share (the spec's `error_groups`,
    /// its shared tables' first); each endpoint names those it answers
    /// ([`Endpoint::error_groups`]).
    pub error_groups: &'static [&'static ErrorGroup],
    /// Every endpoint of the family, in the spec's order.
    pub endpoints: &'static [&'static Endpoint],
    /// Families whose endpoint a name shared with this family means in the
    /// vendor's command group (`ocrwire nhn credit-card` is Document OCR
    /// v2's, not v1's): the spec's `cli.yields_to`.
    pub yields_to: &'static [&'static str],
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

    /// The code the family answers in situation `role`, if the spec names
    /// one (the first, where endpoints answer it with codes of their own;
    /// see [`code_for_endpoint`](Self::code_for_endpoint)).
    pub fn code_for(&self, role: ErrorRole) -> Option<&'static ErrorInfo> {
        self.errors.iter().find(|e| e.answers.contains(&role))
    }

    /// The code `endpoint` answers in situation `role`: one of its own
    /// codes (its error groups' included) or the common ones (validation
    /// makes it at most one of each, its own first), else the family's.
    pub fn code_for_endpoint(
        &self,
        endpoint: &Endpoint,
        role: ErrorRole,
    ) -> Option<&'static ErrorInfo> {
        endpoint
            .codes()
            .filter_map(|code| self.error(code))
            .find(|e| e.answers.contains(&role))
            .or_else(|| self.code_for(role))
    }

    /// The code the family answers when a caller exceeds its rate limit
    /// (the first the spec marks `throttling`), if it has one.
    pub fn throttling_code(&self) -> Option<&'static ErrorInfo> {
        self.errors.iter().find(|e| e.throttling)
    }

    /// The default host, for a family that has one.
    pub fn default_url(&self) -> Option<&'static str> {
        match self.base_url {
            BaseUrl::Fixed { default, .. } => Some(default),
            BaseUrl::PerCaller { .. } => None,
        }
    }

    /// For a family whose every caller has its own URL: the path that URL
    /// ends in, and its variables in order.
    pub fn caller_path(&self) -> Option<(&'static str, &'static [&'static str])> {
        match self.base_url {
            BaseUrl::PerCaller { path, params } => Some((path, params)),
            BaseUrl::Fixed { .. } => None,
        }
    }

    /// The first version whose auth scheme takes this kind of credential.
    /// (A client chooses by what its credentials can fill, and whether it
    /// has a token issuer: `ocrwire::client`'s core. For a token scheme that
    /// is the same version, given an issuer, as every client of a family
    /// with one has.)
    pub fn version_for(&self, holder: CredentialHolder) -> Option<&'static Version> {
        self.versions
            .iter()
            .copied()
            .find(|v| v.auth.credential.holder() == holder)
    }

    /// The endpoint that issues the envelope's public keys; `None` for a
    /// family without an envelope.
    pub fn public_key_endpoint(&self) -> Option<&'static Endpoint> {
        self.envelope.map(|env| env.public_key_endpoint)
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

    /// The endpoint whose answer carries an access token, for a family
    /// that issues them.
    pub fn token_endpoint(&self) -> Option<&'static Endpoint> {
        self.endpoints
            .iter()
            .copied()
            .find(|e| e.response.token.is_some())
    }
}

/// The company that publishes an API family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// NHN Cloud: Document OCR, General OCR and the User Access Key token
    /// API.
    Nhn,
    /// NAVER Cloud's CLOVA OCR.
    Clova,
}

/// Where a family's API lives.
#[derive(Debug, Clone, Copy)]
pub enum BaseUrl {
    /// One host for everyone; callers may point elsewhere (another
    /// documented host, an emulator).
    Fixed {
        /// The documented host, scheme included
        /// (`https://api-ocr.nhncloudservice.com`).
        default: &'static str,
        /// Other hosts the vendor documents, each with the day its support
        /// ends, if announced.
        alternates: &'static [AlternateUrl],
    },
    /// Every caller has its own URL (CLOVA's API Gateway invoke URL),
    /// ending in `path` (`/custom/v1/{DomainId}/{InvokeKey}`), whose
    /// `{variables}` are whole segments, `params` in order. Endpoint paths
    /// are appended to it. The client checks a caller's URL against it and
    /// the emulator serves under it.
    PerCaller {
        /// The path the caller's URL ends in, with its `{variables}`.
        path: &'static str,
        /// The names of the path's variables, in the order they appear
        /// (`DomainId`, `InvokeKey`).
        params: &'static [&'static str],
    },
}

/// Another documented host.
#[derive(Debug, Clone, Copy)]
pub struct AlternateUrl {
    /// The host, scheme included (`https://ocr.api.nhncloudservice.com`).
    pub url: &'static str,
    /// The last day the vendor supports it (`YYYY-MM-DD`), if announced.
    pub until: Option<&'static str>,
}

/// One generation of a family's API: its path prefix and how its calls
/// authenticate. Versions share every endpoint.
#[derive(Debug)]
pub struct Version {
    /// `v2.1`; `None` for a family with a single, unnamed version.
    pub name: Option<&'static str>,
    /// Put in front of every endpoint path (`/v2.1`); may be empty.
    pub path_prefix: &'static str,
    /// The scheme every call of this version authenticates with.
    pub auth: &'static AuthScheme,
    /// Codes (as the vendor writes them) every endpoint of this version can
    /// answer with besides its own.
    pub errors: &'static [&'static str],
}

impl Version {
    /// The endpoint's path under this version.
    pub fn path_of(&self, endpoint: &Endpoint) -> String {
        format!("{}{}", self.path_prefix, endpoint.path)
    }

    /// Whether `endpoint`, called in this version, can answer `code`.
    pub fn lists(&self, endpoint: &Endpoint, code: &str) -> bool {
        endpoint.lists(code) || self.errors.contains(&code)
    }
}

/// A set of codes several endpoints of a family can answer with, declared
/// once in the spec's `error_groups` and named by each of those endpoints
/// ([`Endpoint::error_groups`]).
#[derive(Debug)]
pub struct ErrorGroup {
    /// The spec's name for it (`file`).
    pub name: &'static str,
    /// What the codes have in common, and so which endpoints answer them.
    pub description: &'static str,
    /// The codes, as the vendor writes them.
    pub codes: &'static [&'static str],
}

/// How a call proves who is calling: the header, and what goes in it.
#[derive(Debug)]
pub struct AuthScheme {
    /// The spec's name for it (`user-access-key-token`).
    pub name: &'static str,
    /// The request header that carries the credential (`Authorization`,
    /// `X-NHN-Authorization`, `X-OCR-SECRET`).
    pub header: HeaderName,
    /// Written before the credential (`"Bearer "`).
    pub prefix: &'static str,
    /// What kind of credential the header carries after the prefix.
    pub credential: Credential,
    /// The code the service answers when the credential is wrong; for a
    /// token, also the cue to issue a new one and send again.
    pub refused_with: Option<&'static str>,
}

/// What an auth scheme's header carries after its prefix.
#[derive(Debug, Clone, Copy)]
pub enum Credential {
    /// A secret from the console (NHN's secret key, CLOVA's client
    /// secret), as it is.
    SecretKey,
    /// Base64 of `id:secret` for a key pair (RFC 7617's Basic form).
    KeyPair,
    /// An access token that `issued_by`'s token endpoint issues for the
    /// caller's key pair.
    Token {
        /// The family whose token endpoint issues the tokens
        /// (`nhn-user-access-key-token`).
        issued_by: &'static Family,
    },
}

/// What a caller holds, which decides the version a client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialHolder {
    /// A secret key (or client secret).
    SecretKey,
    /// A key pair, used as it is or to obtain tokens.
    KeyPair,
}

impl Credential {
    /// What a caller must hold to use this credential; a token is obtained
    /// with a key pair, so it needs one.
    pub fn holder(&self) -> CredentialHolder {
        match self {
            Credential::SecretKey => CredentialHolder::SecretKey,
            Credential::KeyPair | Credential::Token { .. } => CredentialHolder::KeyPair,
        }
    }
}

/// How a family reports failure. A client reads the verdict through the
/// family's generated [`Verdict`] type; the wire names of its fields are
/// here for whoever writes one (the emulator).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// Every answer is HTTP 200 with the verdict under `member` (its fields
    /// `success`, `code`, `message`) and the payload under `result`.
    ResultHeader {
        /// The body member holding the verdict (NHN's `header`).
        member: &'static str,
        /// The body member holding the payload of a success (`result`).
        result: &'static str,
        /// The verdict's boolean field that is true for a success
        /// (`isSuccessful`).
        success: &'static str,
        /// The verdict's field holding the error code (`resultCode`).
        code: &'static str,
        /// The verdict's field holding the vendor's message
        /// (`resultMessage`).
        message: &'static str,
        /// Whether the family's codes are JSON numbers or strings on the
        /// wire.
        codes: CodeKind,
    },
    /// A failure is an HTTP 4xx/5xx status with the verdict type as its
    /// body (fields `code`, `message`); a success is the payload.
    StatusAndBody {
        /// The body's field holding the error code (CLOVA's `code`, OAuth's
        /// `error`).
        code: &'static str,
        /// The body's field holding the vendor's message (CLOVA's `message`,
        /// OAuth's `error_description`).
        message: &'static str,
        /// Whether the family's codes are JSON numbers or strings on the
        /// wire.
        codes: CodeKind,
    },
}

impl ErrorShape {
    /// Where the payload sits in a success body (for field paths).
    pub fn result_member(&self) -> Option<&'static str> {
        match self {
            ErrorShape::ResultHeader { result, .. } => Some(result),
            ErrorShape::StatusAndBody { .. } => None,
        }
    }

    /// What kind of value the family's codes are.
    pub fn codes(&self) -> CodeKind {
        match self {
            ErrorShape::ResultHeader { codes, .. } | ErrorShape::StatusAndBody { codes, .. } => {
                *codes
            }
        }
    }
}

/// What kind of value a family's error codes are on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// A JSON number (NHN's `resultCode`).
    Integer,
    /// A JSON string (CLOVA's `"0011"`, OAuth's `"invalid_client"`).
    Text,
}

/// The electronic envelope, as the runtime applies it.
#[derive(Debug, Clone, Copy)]
pub struct Envelope {
    /// Length in bytes of the per-request AES key that seals the data (32,
    /// for AES-256).
    pub symmetric_key_bytes: usize,
    /// The endpoint that issues public keys.
    pub public_key_endpoint: &'static Endpoint,
    /// The members of its answer that hold the key (Base64 DER) and its
    /// version.
    pub key_field: &'static str,
    /// The member of that answer holding the key's version (`version`), which
    /// sealed calls send back in their key-version header.
    pub version_field: &'static str,
    /// The code that says the key version is stale: fetch a new key, seal
    /// again and resend once.
    pub key_version_error: &'static str,
}

/// One documented error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    /// As the vendor writes it: `"4000001"`, `"-1"`, `"0025"`.
    pub code: &'static str,
    /// The vendor's symbolic name (NHN's `resultKey`), when documented.
    pub key: Option<&'static str>,
    /// Variant name in the family's `ErrorCode`.
    pub name: &'static str,
    /// The vendor's message, verbatim.
    pub message: &'static str,
    /// Our reading of it.
    pub meaning: &'static str,
    /// Whether sending the same request again can succeed.
    pub retryable: bool,
    /// Whether it says the caller is sending too fast (a rate limit): the
    /// adaptive rate limiter slows down on it. Always also `retryable`.
    pub throttling: bool,
    /// HTTP status it arrives with (families whose failures are statuses).
    pub http_status: Option<u16>,
    /// The situations the service answers with it (the spec's `answers`),
    /// which the emulator acts out.
    pub answers: &'static [ErrorRole],
}

/// An example answer the spec names for an endpoint (`response.examples`):
/// the payload of a success, or the document of an endpoint with a
/// `document_field`. The emulator answers with it.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The family's name.
    pub family: &'static str,
    /// The endpoint's name.
    pub endpoint: &'static str,
    /// Which example (`resident`, `driver`); an endpoint's first is its
    /// default.
    pub variant: &'static str,
    /// The JSON text.
    pub json: &'static str,
}

/// A situation a service answers with one of its codes, whatever the
/// family: the emulator finds each family's code for it in the spec
/// ([`Family::code_for`]) rather than in code written per family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorRole {
    /// A path under the API that no endpoint serves.
    NoRoute,
    /// An endpoint's path called with another method.
    WrongMethod,
    /// A path variable that is not one the endpoint takes.
    BadPath,
    /// A required header is missing.
    MissingHeader,
    /// The credential is wrong (where the auth scheme names no code of
    /// its own).
    BadCredential,
    /// A valid token used for an app key its account may not use.
    PermissionDenied,
    /// The caller's quota is spent.
    Quota,
    /// The service failed.
    ServerError,
    /// The request is larger than the service takes.
    TooLarge,
    /// The body is malformed or misses a part.
    BadBody,
    /// A file that cannot be read as an image.
    UnreadableFile,
    /// A file of a format the endpoint does not take.
    FileType,
    /// An empty file.
    EmptyFile,
    /// Nothing of the kind the endpoint reads is in the image (a card not
    /// found).
    NothingFound,
    /// A caller URL of another domain or account than the credential's.
    OtherDomain,
    /// A field or text part whose value is not in the form the spec
    /// checks (`Endpoint::checks`), or not one of its enum's values.
    BadValue,
    /// A request option the caller's domain or account has switched off
    /// (CLOVA's table detection).
    OptionOff,
    /// Nothing released to answer with (CLOVA Template OCR without a
    /// released template).
    NotReleased,
}

/// An error code as an error shape carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireCode<'a> {
    /// NHN's `header.resultCode`.
    Integer(i64),
    /// CLOVA's `code` (digits with leading zeros), OAuth's `error`.
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
    /// Whether it is a rate limit. Unknown codes are assumed not to be.
    fn is_throttling(&self) -> bool {
        self.info().is_some_and(|i| i.throttling)
    }
}

/// A refusal read from an answer: the vendor's code and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal<'a> {
    /// The error code, as the answer carries it.
    pub code: WireCode<'a>,
    /// The vendor's message, as received; empty when the answer has none.
    pub message: &'a str,
}

/// The generated type that carries a family's verdict (NHN's
/// `ResultHeader`, CLOVA's `ErrorBody`), generated from the spec's
/// `error_shape`, so client and emulator read and write failures through
/// the same type.
pub trait Verdict {
    /// The refusal this verdict states, or `None` for a success (a result
    /// header) or a body that names no code (then the HTTP status is all
    /// there is).
    fn refusal(&self) -> Option<Refusal<'_>>;
}

/// A family's generated types, as one unit for the runtime's generic code.
pub trait Api: 'static {
    /// The family's descriptor (the generated `FAMILY`).
    const FAMILY: &'static Family;
    /// The family's error codes (the registry's
    /// [`VendorErrorCode`](crate::wire::VendorErrorCode) has a variant for
    /// each family the crate defines).
    type ErrorCode: VendorCode;
    /// The generated type a failure's verdict decodes into (NHN's
    /// `ResultHeader`, CLOVA's `ErrorBody`, OAuth's `OAuthError`).
    type Verdict: Verdict + serde::de::DeserializeOwned + serde::Serialize + Schema;
}

/// A family that issues access tokens (generated for the family with a
/// `response.token` endpoint): its issuing and revoking operations.
pub trait TokenApi: Api {
    /// The operation that issues an access token (`create-token`).
    type Create: IssuesToken<Api = Self>;
    /// The operation that revokes an access token (`revoke-token`).
    type Revoke: RevokesToken<Api = Self>;
}

/// A family with a token scheme (generated from the scheme's `issued_by`):
/// the family whose tokens its calls present.
pub trait UsesTokens: Api {
    /// The family whose token endpoint issues the tokens this family's calls
    /// present.
    type Issuer: TokenApi + FixedHost;
}

/// A family whose every caller has a URL of their own (CLOVA's invoke URL;
/// generated from a `PerCaller` base URL), which must end in [`PATH`].
///
/// [`PATH`]: PerCallerHost::PATH
pub trait PerCallerHost: Api {
    /// The path a caller's URL ends in (`/custom/v1/{DomainId}/{InvokeKey}`),
    /// each variable a whole segment.
    const PATH: &'static str;
}

/// A family with one host for everyone (NHN's; generated from a `Fixed`
/// base URL), so a client can be built without naming one. CLOVA's
/// families have none: every caller has an invoke URL of their own.
pub trait FixedHost: Api {
    /// The host a client calls unless told otherwise.
    const DEFAULT_URL: &'static str;
}

/// The HTTP method an endpoint is called with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`: the call sends no body.
    Get,
    /// `POST`: the call sends a body in one of the endpoint's encodings.
    Post,
}

impl Method {
    /// The method's name on the wire (`GET`, `POST`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// The name of the family it belongs to, as in `Family::name`
    /// (`nhn-document-ocr-v2`).
    pub family: &'static str,
    /// The endpoint's name as the spec writes it, e.g. `credit-card`; also
    /// its key in error messages.
    pub name: &'static str,
    /// One line, for listings (`ocrwire endpoints`).
    pub summary: &'static str,
    /// The HTTP method it is called with.
    pub method: Method,
    /// Template relative to the version's prefix, with `{variables}`.
    pub path: &'static str,
    /// The path's `{variables}` and what fills each: the caller's app key or
    /// a value chosen per call.
    pub path_params: &'static [PathParam],
    /// Request headers other than `Content-Type` and the auth scheme's.
    pub headers: &'static [Header],
    /// For an endpoint sealed with the envelope: the public-key service
    /// whose key seals it (one of [`Family::key_services`]). `None` for
    /// every other endpoint. The vendor pairs them by choice (`id-card`
    /// seals `id-card-authenticity`), so the spec says it per endpoint
    /// rather than anyone guessing it from names.
    pub key_service: Option<&'static str>,
    /// Accepted request bodies; empty for a GET.
    pub request: &'static [Encoding],
    /// What a success answers: its payload type, its response headers and,
    /// for a token endpoint, the token's lifetimes.
    pub response: Response,
    /// Codes (as the vendor writes them) the endpoint can answer with in
    /// every version besides its error groups' and the family's common ones:
    /// what it answers is [`Endpoint::codes`] (see also [`Endpoint::lists`]
    /// and [`Version::lists`]), not this list alone.
    pub errors: &'static [&'static str],
    /// The family's common codes ([`Family::common_errors`]), which every
    /// endpoint can answer with.
    pub common_errors: &'static [&'static str],
    /// The family's error groups whose codes this endpoint can answer with
    /// in every version, besides its own: sets the spec declares once for
    /// the endpoints that share them (NHN's codes about an uploaded file).
    pub error_groups: &'static [&'static ErrorGroup],
    /// The documented limits on what a call sends (file size, formats, image
    /// count, URL ports); the family's unless the spec gives the endpoint its
    /// own.
    pub limits: Limits,
    /// Wire paths of data sent encrypted (`image`, `name`, ...).
    pub encrypted_request: &'static [&'static str],
    /// Wire paths of data received encrypted (`cardNums[].value`, ...).
    pub encrypted_response: &'static [&'static str],
    /// The inputs whose form the spec checks (top-level body fields and
    /// text parts): the client checks them before a request goes out, the
    /// emulator when one arrives.
    pub checks: &'static [crate::wire::format::Rule],
    /// How the command line reports an answer in text, if the spec says.
    pub report: Option<&'static Report>,
}

/// The human report of an endpoint's answer (`ocrwire`'s text output): a
/// title and lines of `label  value`, masked where the spec says.
///
/// Values are templates over the payload's wire paths: `{storeInfo.name}`
/// is the text at that path (an object reads as its type's
/// [`ObjectShape::reading_paths`]), `{a ?? b}` the first of two that the
/// answer has, `{code:meaning}` an enum value with the spec's words for it,
/// `name[]` every item of a list (joined with spaces), `name[0]` one item.
/// The generator checked every path against the response type.
#[derive(Debug)]
pub struct Report {
    /// Where the paths start, from the payload's root
    /// (`images[0].receipt.result`); `None` for the payload itself.
    pub root: Option<&'static str>,
    /// The first line, before ` (<input>)`; `{kind}` is the words of the
    /// first of [`kinds`](Self::kinds) the answer has.
    pub title: &'static str,
    /// Path and words, for `{kind}`.
    pub kinds: &'static [(&'static str, &'static str)],
    /// The width of the label column.
    pub width: usize,
    /// The lines, in order.
    pub lines: &'static [ReportLine],
    /// A report the command line writes by hand for this answer, by name
    /// (texts paired with boxes from parallel lists).
    pub hook: Option<&'static str>,
}

impl Report {
    /// A report titled `title` with these lines, from the payload's root,
    /// with a 12-character label column.
    pub const fn new(title: &'static str, lines: &'static [ReportLine]) -> Report {
        Report {
            root: None,
            title,
            kinds: &[],
            width: 12,
            lines,
            hook: None,
        }
    }

    /// The same report, its paths starting at `path`.
    pub const fn root(self, path: &'static str) -> Report {
        Report {
            root: Some(path),
            ..self
        }
    }

    /// The same report, with `{kind}` read from these paths.
    pub const fn kinds(self, kinds: &'static [(&'static str, &'static str)]) -> Report {
        Report { kinds, ..self }
    }

    /// The same report, with a label column this wide.
    pub const fn width(self, width: usize) -> Report {
        Report { width, ..self }
    }

    /// The same report, written by the command line's hand-written `hook`.
    pub const fn hook(self, hook: &'static str) -> Report {
        Report {
            hook: Some(hook),
            ..self
        }
    }
}

/// One line of a [`Report`], or one per item of a list.
#[derive(Debug)]
pub struct ReportLine {
    /// The label: text, or a template over the item (with `each`).
    pub label: &'static str,
    /// The value, a template.
    pub value: &'static str,
    /// A list's path: one line per item, the templates read from the item.
    pub each: Option<&'static str>,
    /// Letters and digits kept at the start and at the end; the others are
    /// masked unless the user asks to see them.
    pub mask: Option<(usize, usize)>,
    /// Masks by the label's text (an item whose key names personal data).
    pub masks: &'static [(&'static str, (usize, usize))],
    /// Left out when the answer has no value (else "not recognized").
    pub optional: bool,
    /// A template shown after the value in parentheses (a confidence).
    pub note: Option<&'static str>,
    /// With `each` and no items: the text shown instead.
    pub empty: Option<&'static str>,
}

impl ReportLine {
    /// A line `label  value`, always shown, nothing masked.
    pub const fn new(label: &'static str, value: &'static str) -> ReportLine {
        ReportLine {
            label,
            value,
            each: None,
            mask: None,
            masks: &[],
            optional: false,
            note: None,
            empty: None,
        }
    }

    /// The same line, once per item of the list at `path`.
    pub const fn each(self, path: &'static str) -> ReportLine {
        ReportLine {
            each: Some(path),
            ..self
        }
    }

    /// The same line, masked but for `start` and `end` letters and digits.
    pub const fn mask(self, start: usize, end: usize) -> ReportLine {
        ReportLine {
            mask: Some((start, end)),
            ..self
        }
    }

    /// The same line, masked by its label's text.
    pub const fn masks(self, masks: &'static [(&'static str, (usize, usize))]) -> ReportLine {
        ReportLine { masks, ..self }
    }

    /// The same line, left out when the answer has no value.
    pub const fn optional(self) -> ReportLine {
        ReportLine {
            optional: true,
            ..self
        }
    }

    /// The same line, with `note` in parentheses after the value.
    pub const fn note(self, note: &'static str) -> ReportLine {
        ReportLine {
            note: Some(note),
            ..self
        }
    }

    /// The same line, showing `text` when its list has no items.
    pub const fn empty(self, text: &'static str) -> ReportLine {
        ReportLine {
            empty: Some(text),
            ..self
        }
    }
}

impl Endpoint {
    /// Whether calls need the envelope.
    pub fn uses_envelope(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h.role == HeaderRole::SealedSymmetricKey)
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
            _ => None,
        })
    }

    /// The JSON body type name, if the endpoint accepts one.
    pub fn json_body(&self) -> Option<&'static str> {
        self.request.iter().find_map(|e| match e {
            Encoding::Json { body_type } => Some(*body_type),
            _ => None,
        })
    }

    /// The form body type name, if the endpoint takes one.
    pub fn form_body(&self) -> Option<&'static str> {
        self.request.iter().find_map(|e| match e {
            Encoding::Form { body_type } => Some(*body_type),
            _ => None,
        })
    }

    /// The header that plays `role`, if the endpoint has one.
    pub fn header(&self, role: HeaderRole) -> Option<&'static Header> {
        self.headers.iter().find(|h| h.role == role)
    }

    /// The path with its variables filled in, each percent-encoded as a
    /// path segment. Variables without a value are left as written.
    pub fn render_path(&self, value_of: impl Fn(&PathParam) -> Option<String>) -> String {
        let mut path = String::with_capacity(self.path.len() + 32);
        self.render_path_into(&mut path, |p| value_of(p).map(std::borrow::Cow::Owned));
        path
    }

    /// [`render_path`](Self::render_path), appended to `out` in one pass
    /// (a call's request is built with no copies on the way).
    pub(crate) fn render_path_into<'v>(
        &self,
        out: &mut String,
        value_of: impl Fn(&PathParam) -> Option<std::borrow::Cow<'v, str>>,
    ) {
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}').map(|i| open + i) else {
                break;
            };
            let name = &rest[open + 1..close];
            let value = self
                .path_params
                .iter()
                .find(|p| p.name == name)
                .and_then(&value_of);
            match value {
                Some(value) => push_segment(out, &value),
                None => out.push_str(&rest[open..=close]),
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
    }

    /// Whether the endpoint can answer `code` in every version: its own
    /// codes, its error groups' and the family's common ones.
    pub fn lists(&self, code: &str) -> bool {
        self.codes().any(|c| c == code)
    }

    /// Every code the endpoint can answer with in every version: its own,
    /// its error groups', then the family's common ones.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.errors
            .iter()
            .chain(self.error_groups.iter().flat_map(|g| g.codes))
            .chain(self.common_errors)
            .copied()
    }

    /// The response header with this name.
    pub fn response_header(&self, name: &str) -> Option<&'static ResponseHeader> {
        self.response
            .headers
            .iter()
            .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
    }
}

/// Appends `value` as one path segment: everything but RFC 3986's
/// unreserved characters percent-encoded, so a value can never add a
/// segment or a query. (`.` and `..` are unreserved; the app key, the one
/// value not from the spec, is refused as either before any call.)
pub fn push_segment(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

/// A `{variable}` in an endpoint's path, and what fills it.
#[derive(Debug, Clone, Copy)]
pub struct PathParam {
    /// Its name as written between braces in the path (`appKey`,
    /// `serviceName`).
    pub name: &'static str,
    /// What fills it: the caller's app key, or a value chosen per call.
    pub value: ParamValue,
    /// Accepted values, when the vendor lists them.
    pub allowed: &'static [&'static str],
}

impl PathParam {
    /// A variable filled with the caller's app key.
    pub const fn app_key(name: &'static str) -> PathParam {
        PathParam {
            name,
            value: ParamValue::AppKey,
            allowed: &[],
        }
    }

    /// A variable chosen per call among `allowed` (any value when empty).
    pub const fn argument(name: &'static str, allowed: &'static [&'static str]) -> PathParam {
        PathParam {
            name,
            value: ParamValue::Argument,
            allowed,
        }
    }
}

/// What fills a path variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamValue {
    /// The caller's app key.
    AppKey,
    /// Chosen per call.
    Argument,
}

/// A header's name, as the vendor's docs spell it (`X-Key-Version`) and as
/// HTTP carries it, in lowercase (`x-key-version`).
///
/// Checked when a descriptor is compiled: [`new`](Self::new) in a constant,
/// as every generated descriptor calls it, fails the build for a name HTTP
/// cannot carry. So the client never parses a header name at run time, and
/// has no error to report for one. Two names are equal when HTTP takes them
/// for the same header: by their lowercase.
#[derive(Debug, Clone, Copy)]
pub struct HeaderName {
    spelled: &'static str,
    lowercase: &'static str,
}

impl HeaderName {
    /// The name `spelled` as the docs write it, and its ASCII `lowercase`
    /// (given, not computed: a `const fn` cannot make a new string, and the
    /// `http` crate's constant names are lowercase).
    ///
    /// # Panics
    ///
    /// If `spelled` is empty or longer than 65,535 bytes (the `http`
    /// crate's limit), has a character other than RFC 9110's token
    /// characters (letters, digits and ``!#$%&'*+-.^_`|~``), or `lowercase`
    /// is not its lowercase. In a constant, that is a compile error:
    ///
    /// ```
    /// use ocrwire::descriptor::HeaderName;
    /// const KEY_VERSION: HeaderName = HeaderName::new("X-Key-Version", "x-key-version");
    /// assert_eq!(KEY_VERSION.to_string(), "X-Key-Version");
    /// ```
    ///
    /// ```compile_fail
    /// use ocrwire::descriptor::HeaderName;
    /// // A space is not a token character: this does not compile.
    /// const BAD: HeaderName = HeaderName::new("Key Version", "key version");
    /// ```
    ///
    /// ```compile_fail
    /// use ocrwire::descriptor::HeaderName;
    /// // Nor does a lowercase form that is not the name's.
    /// const BAD: HeaderName = HeaderName::new("X-Key-Version", "x-key-versions");
    /// ```
    pub const fn new(spelled: &'static str, lowercase: &'static str) -> HeaderName {
        let (s, l) = (spelled.as_bytes(), lowercase.as_bytes());
        assert!(
            !s.is_empty() && s.len() <= u16::MAX as usize && s.len() == l.len(),
            "a header name is a token of 1 to 65,535 bytes, given with its lowercase"
        );
        let mut i = 0;
        while i < s.len() {
            let c = s[i];
            assert!(
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'!' | b'#'
                            | b'$'
                            | b'%'
                            | b'&'
                            | b'\''
                            | b'*'
                            | b'+'
                            | b'-'
                            | b'.'
                            | b'^'
                            | b'_'
                            | b'`'
                            | b'|'
                            | b'~'
                    ),
                "a header name has only RFC 9110 token characters"
            );
            assert!(
                l[i] == c.to_ascii_lowercase(),
                "the second name must be the first in lowercase"
            );
            i += 1;
        }
        HeaderName { spelled, lowercase }
    }

    /// As the vendor's docs spell it (`X-Key-Version`): for messages.
    pub const fn as_str(&self) -> &'static str {
        self.spelled
    }

    /// In lowercase (`x-key-version`), as HTTP/2 and the `http` crate
    /// carry it; a valid name by construction.
    pub const fn lowercase(&self) -> &'static str {
        self.lowercase
    }

    /// As the HTTP stack's header name. It cannot panic: `new` accepted
    /// only what `http::HeaderName::from_static` accepts (lowercase token
    /// characters, at most 65,535 of them).
    #[cfg(feature = "client")]
    pub(crate) fn to_http(self) -> reqwest::header::HeaderName {
        reqwest::header::HeaderName::from_static(self.lowercase)
    }
}

impl PartialEq for HeaderName {
    fn eq(&self, other: &HeaderName) -> bool {
        self.lowercase == other.lowercase
    }
}

impl Eq for HeaderName {}

impl std::hash::Hash for HeaderName {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.lowercase.hash(state);
    }
}

impl std::fmt::Display for HeaderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.spelled)
    }
}

/// A request header an endpoint takes besides `Content-Type` and the auth
/// scheme's.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    /// The header's name (`X-Key-Version`, `Symmetric-Key`).
    pub name: HeaderName,
    /// What the runtime fills it with.
    pub role: HeaderRole,
    /// Whether every call must send it; an optional header is left out when
    /// there is nothing to put in it.
    pub required: bool,
}

impl Header {
    /// A required header playing `role`.
    pub const fn new(name: HeaderName, role: HeaderRole) -> Header {
        Header {
            name,
            role,
            required: true,
        }
    }

    /// The same header, optional.
    pub const fn optional(self) -> Header {
        Header {
            required: false,
            ..self
        }
    }
}

/// What fills an endpoint's header. (The header that authenticates is the
/// version's [`AuthScheme`]'s.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRole {
    /// Version of the public key the envelope was sealed for.
    KeyVersion,
    /// The per-request AES key, RSA-encrypted, Base64.
    SealedSymmetricKey,
    /// A Request-Key from an earlier call.
    RequestKey,
}

/// A request body encoding an endpoint accepts.
#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    /// `multipart/form-data` with these parts.
    Multipart(&'static [Part]),
    /// `application/json` with a body of this generated type.
    Json {
        /// Name of the generated body type (`DocumentRequest`).
        body_type: &'static str,
    },
    /// `application/x-www-form-urlencoded` with this generated type's
    /// fields as names and values.
    Form {
        /// Name of the generated body type (`TokenRequest`).
        body_type: &'static str,
    },
}

/// One part of a `multipart/form-data` request body.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// The part's name in the form (`image`, `message`, `file`).
    pub name: &'static str,
    /// What it carries.
    pub kind: PartKind,
    /// Whether every call must send it.
    pub required: bool,
    /// The part's bytes are AES ciphertext under the request's key.
    pub encrypted: bool,
}

/// What a multipart part carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartKind {
    /// A file's raw bytes.
    File,
    /// The generated type of that name, as JSON text.
    Json(&'static str),
    /// A text field: one of `values` (an enum's wire values), or any text
    /// when that is empty (its form, if checked, in `Endpoint::checks`).
    Text {
        /// The values it may take; empty for any text.
        values: &'static [&'static str],
    },
}

impl Part {
    /// A required part carrying a file's bytes.
    pub const fn file(name: &'static str) -> Part {
        Part {
            name,
            kind: PartKind::File,
            required: true,
            encrypted: false,
        }
    }

    /// A required part carrying a generated type as JSON text.
    pub const fn json(name: &'static str, json_type: &'static str) -> Part {
        Part {
            name,
            kind: PartKind::Json(json_type),
            required: true,
            encrypted: false,
        }
    }

    /// A required text part: one of `values`, or any text if none.
    pub const fn text(name: &'static str, values: &'static [&'static str]) -> Part {
        Part {
            name,
            kind: PartKind::Text { values },
            required: true,
            encrypted: false,
        }
    }

    /// Whether it carries a file.
    pub const fn is_file(&self) -> bool {
        matches!(self.kind, PartKind::File)
    }

    /// The generated type it carries as JSON, if it does.
    pub const fn json_type(&self) -> Option<&'static str> {
        match self.kind {
            PartKind::Json(t) => Some(t),
            _ => None,
        }
    }

    /// The same part, optional.
    pub const fn optional(self) -> Part {
        Part {
            required: false,
            ..self
        }
    }

    /// The same part, sealed with the envelope.
    pub const fn encrypted(self) -> Part {
        Part {
            encrypted: true,
            ..self
        }
    }
}

/// What an endpoint's success answers.
#[derive(Debug, Clone, Copy)]
pub struct Response {
    /// Generated type of the payload (in a result header family, of its
    /// result member); `None` when a success carries nothing to read.
    pub body_type: Option<&'static str>,
    /// CLOVA: the image-result member holding this document's data.
    pub document_field: Option<&'static str>,
    /// Response headers the spec documents, whose values a later call can
    /// present (NHN's `Request-Key`).
    pub headers: &'static [ResponseHeader],
    /// For a token endpoint: the lifetimes its tokens can have.
    pub token: Option<Lifetime>,
}

/// A response header the spec documents, and how long its value can be used.
#[derive(Debug, Clone, Copy)]
pub struct ResponseHeader {
    /// The header's name (`Request-Key`); looked up case-insensitively.
    pub name: HeaderName,
    /// How long its value can be used, in seconds.
    pub valid_for_secs: Option<u64>,
    /// Whether its value can be used once only.
    pub single_use: bool,
}

impl ResponseHeader {
    /// A header whose value has no documented expiry and can be used more
    /// than once.
    pub const fn new(name: HeaderName) -> ResponseHeader {
        ResponseHeader {
            name,
            valid_for_secs: None,
            single_use: false,
        }
    }

    /// The same header, its value usable for `secs` seconds.
    pub const fn valid_for_secs(self, secs: u64) -> ResponseHeader {
        ResponseHeader {
            valid_for_secs: Some(secs),
            ..self
        }
    }

    /// The same header, its value usable once.
    pub const fn single_use(self) -> ResponseHeader {
        ResponseHeader {
            single_use: true,
            ..self
        }
    }
}

/// The lifetimes, in seconds, a token endpoint documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// The lifetime a token has unless the account sets another, in seconds.
    pub default_secs: u64,
    /// The shortest lifetime an account can set, in seconds.
    pub min_secs: u64,
    /// The longest lifetime an account can set, in seconds.
    pub max_secs: u64,
}

/// Documented limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest file the service accepts, in bytes; `None` when the vendor
    /// states none.
    pub max_file_bytes: Option<u64>,
    /// Accepted formats (lower-case extensions).
    pub formats: &'static [&'static str],
    /// How many images one call carries (CLOVA's `images` takes exactly 1);
    /// `None` when the vendor states no count.
    pub images_per_call: Option<u32>,
    /// Ports an image URL may name, as inclusive ranges.
    pub url_ports: &'static [(u16, u16)],
    /// How long the service waits for an image URL to download, in seconds;
    /// `None` when the vendor states no timeout.
    pub url_download_timeout_secs: Option<u32>,
    /// Width and height below which the service reports low resolution.
    pub recommended_resolution: Option<(u32, u32)>,
    /// Longest side over shortest side beyond which the service cannot read
    /// an image.
    pub max_aspect_ratio: Option<f64>,
    /// Longest side over shortest side beyond which it reads poorly.
    pub recommended_max_aspect_ratio: Option<f64>,
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
pub trait Operation: 'static {
    /// The endpoint's descriptor (the generated `const`, e.g. `CREDIT_CARD`).
    const ENDPOINT: &'static Endpoint;
    /// The family's generated types.
    type Api: Api;
    /// The JSON or form body, or `()` when the endpoint takes neither.
    type Body: serde::Serialize + Clone + Send + Sync;
    /// The payload (for a result header family, the `result` member), or
    /// `()` when a success carries none.
    type Response: serde::de::DeserializeOwned + serde::Serialize + Schema + Send;
    /// What one call sends (generated: `<Operation>Request`).
    type Request: Request<Operation = Self>;

    /// The body's `#[encrypted]` strings, which the envelope seals before
    /// sending. Generated only in a family with an envelope; elsewhere this
    /// default holds (nothing to seal), and the family's types carry no
    /// envelope code at all.
    fn encrypted_body(_body: &mut Self::Body) -> Option<&mut dyn crate::envelope::EncryptedFields> {
        None
    }

    /// The payload's `#[encrypted]` strings, which the envelope opens on
    /// receipt; as [`encrypted_body`](Self::encrypted_body), `None` in a
    /// family without an envelope.
    fn encrypted_response(
        _response: &mut Self::Response,
    ) -> Option<&mut dyn crate::envelope::EncryptedFields> {
        None
    }

    /// A checked field of the JSON or form body ([`Endpoint::checks`]), by
    /// its wire name, read from the typed body. Generated for a body with
    /// checked fields, from the same spec as the checks; elsewhere this
    /// default holds, and a required check finds no value and refuses the
    /// call.
    fn checked_field<'b>(_body: &'b Self::Body, _name: &str) -> Option<&'b str> {
        None
    }
}

/// What [`wire::visit_operations`](crate::wire::visit_operations) calls once
/// per endpoint, with its operation type: the way to write code for every
/// endpoint (a table of commands, a decoder per endpoint) without a list
/// that a new spec endpoint would have to be added to.
pub trait OperationVisitor {
    /// Called once per endpoint, in spec order.
    fn visit<O: Operation>(&mut self);
}

/// What [`wire::visit_image_calls`](crate::wire::visit_image_calls) calls
/// once per endpoint one image is sent to, with the bounds its call needs.
pub trait ImageCallVisitor {
    /// An endpoint whose request is one file part.
    fn upload<O: Operation>(&mut self)
    where
        O::Request: FromParts<Parts = (crate::image::Image,)>;
    /// An endpoint whose request is one file part, or a body naming the
    /// image by URL.
    fn upload_or_url<O: Operation, B: UrlBody>(&mut self)
    where
        O::Request: FromParts<Parts = (crate::image::Image,)> + FromBody<B>;
    /// An endpoint that reads one document of type `D` (CLOVA).
    fn document<D: crate::clova::Document>(&mut self);
}

/// A JSON body of one required text member and nothing else (NHN's
/// business status lookup, `{"businessNumber": ...}`): generated, so the
/// client method takes the text itself.
pub trait TextBody {
    /// The member's wire name, for errors.
    const FIELD: &'static str;
    /// The body carrying `text`.
    fn from_text(text: String) -> Self;
}

/// A request built from its body alone (generated for a request whose only
/// input is a JSON or form body).
pub trait FromBody<B>: Sized {
    /// The request that sends `body`.
    fn from_body(body: B) -> Self;
}

/// Inputs named by their wire names, for a request built by a program
/// that is told an endpoint's name rather than written against its type
/// (the CLI's `call`): the text of each text part or top-level body member.
///
/// A value may be one the envelope seals (a card number), so `Debug` shows
/// only the names, and dropping the inputs wipes the values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    values: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.values.keys()).finish()
    }
}

impl Drop for Inputs {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.values.values_mut().for_each(|v| v.zeroize());
    }
}

impl Inputs {
    /// No inputs.
    pub fn new() -> Inputs {
        Inputs::default()
    }

    /// Sets the input `name` to `value`, replacing an earlier one.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        if let Some(mut replaced) = self.values.insert(name.into(), value.into()) {
            zeroize::Zeroize::zeroize(&mut replaced);
        }
    }

    /// The input `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// The input `name`, which the request needs.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`](crate::error::InvalidInput::Field) when it
    /// is not given.
    pub fn required(&self, name: &'static str) -> Result<&str, crate::error::InvalidInput> {
        self.get(name).ok_or(crate::error::InvalidInput::Field {
            field: name,
            for_id_type: None,
            problem: "is required".to_string(),
        })
    }

    /// The input `name` as a value of the enum `E`, if given.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Field`](crate::error::InvalidInput::Field) for a
    /// value the spec does not list, naming the ones it does.
    pub fn one_of<E: WireEnum>(
        &self,
        name: &'static str,
    ) -> Result<Option<E>, crate::error::InvalidInput> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        let value = E::from_wire(text);
        if !value.is_unknown() {
            return Ok(Some(value));
        }
        let listed = match E::SHAPE {
            Shape::Enum(shape) => shape
                .values()
                .iter()
                .map(|v| v.wire())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        };
        Err(crate::error::InvalidInput::Field {
            field: name,
            for_id_type: None,
            problem: format!("must be one of {listed}"),
        })
    }

    /// Refuses any input not among `known` (the request's inputs), so a
    /// misspelt name is not silently left out.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Unsupported`](crate::error::InvalidInput::Unsupported)
    /// naming the first unknown input and the known ones.
    pub fn only(&self, known: &[&str]) -> Result<(), crate::error::InvalidInput> {
        match self
            .values
            .keys()
            .find(|name| !known.contains(&name.as_str()))
        {
            None => Ok(()),
            Some(name) => Err(crate::error::InvalidInput::Unsupported {
                problem: format!(
                    "`{name}` is not an input of this endpoint; it takes {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            }),
        }
    }

    /// A JSON body whose members are the inputs, as text.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Unsupported`](crate::error::InvalidInput::Unsupported)
    /// when the body cannot be built from them (a member missing, or one
    /// that is not text), in serde's words, which name the member.
    pub fn body<B: serde::de::DeserializeOwned>(&self) -> Result<B, crate::error::InvalidInput> {
        let object: serde_json::Map<String, serde_json::Value> = self
            .values
            .iter()
            .map(|(name, value)| (name.clone(), serde_json::Value::String(value.clone())))
            .collect();
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
            crate::error::InvalidInput::Unsupported {
                problem: format!("the request's body: {e}"),
            }
        })
    }
}

/// A request built from one optional image and named text inputs
/// ([`Inputs`]): generated for every request of multipart file and text
/// parts, and for every request whose only input is a JSON or form body.
pub trait FromInputs: Sized {
    /// Whether the request carries a file (then the image is required).
    const TAKES_A_FILE: bool;
    /// The request's named inputs, in spec order, each with whether it is
    /// required.
    const INPUTS: &'static [(&'static str, bool)];
    /// The request for `image` and `inputs`.
    ///
    /// # Errors
    ///
    /// An input the request does not take, a required one missing or not
    /// in its form, or an image given to a request that takes none (or
    /// none to one that needs it).
    fn from_inputs(
        image: Option<&crate::image::Image>,
        inputs: &Inputs,
    ) -> Result<Self, crate::error::InvalidInput>;
}

/// The image a request of [`FromInputs`] needs.
///
/// # Errors
///
/// [`InvalidInput::Unsupported`](crate::error::InvalidInput::Unsupported)
/// when there is none.
pub fn needed_image(
    image: Option<&crate::image::Image>,
) -> Result<crate::image::Image, crate::error::InvalidInput> {
    image
        .cloned()
        .ok_or_else(|| crate::error::InvalidInput::Unsupported {
            problem: "this endpoint needs an image".to_string(),
        })
}

/// Refuses an image for a request of [`FromInputs`] that takes none.
///
/// # Errors
///
/// [`InvalidInput::Unsupported`](crate::error::InvalidInput::Unsupported)
/// when one is given.
pub fn no_image(image: Option<&crate::image::Image>) -> Result<(), crate::error::InvalidInput> {
    match image {
        None => Ok(()),
        Some(_) => Err(crate::error::InvalidInput::Unsupported {
            problem: "this endpoint takes no image".to_string(),
        }),
    }
}

/// What [`wire::visit_input_calls`](crate::wire::visit_input_calls) calls
/// once per endpoint of a client whose request is built from named inputs.
pub trait InputCallVisitor {
    /// An endpoint whose request is [`FromInputs`].
    fn inputs<O: Operation>(&mut self)
    where
        O::Request: FromInputs;
}

/// A request built from its multipart parts alone, in the descriptor's
/// order (generated for a request whose only input is a multipart body).
pub trait FromParts: Sized {
    /// The parts' values as a tuple, in the descriptor's order (CLOVA:
    /// `(DocumentMessage, Image)`).
    type Parts;
    /// The request that sends `parts`.
    fn from_parts(parts: Self::Parts) -> Self;
}

/// A JSON body that names an image by URL instead of carrying it (NHN
/// General OCR's `{"imageUrl": ...}`): generated for a body of one required
/// text member sent as the alternative to an endpoint's one file part.
pub trait UrlBody: Sized {
    /// The member's wire name, for errors about the URL (`imageUrl`).
    const FIELD: &'static str;
    /// The body naming `url`.
    fn from_url(url: String) -> Self;
}

/// A request whose fields depend on a type field, as its per-value checks
/// (`AuthenticityCheck`): generated, with the validation the spec's rules
/// give each value.
pub trait Checks {
    /// Whether every field has the form the spec gives it for this value.
    ///
    /// # Errors
    ///
    /// The first field that does not, with what is wrong.
    fn validate(&self) -> Result<(), crate::error::InvalidInput>;
}

/// A request sent with a ticket header an earlier call issued (NHN's
/// `Request-Key`) and a body: generated for a request with a
/// `request-key` header and a JSON body.
pub trait KeyedRequest: Sized {
    /// The JSON body.
    type Body;
    /// The request that sends `body` with `request_key`.
    fn with_request_key(request_key: crate::Sensitive, body: Self::Body) -> Self;
}

/// A document type one endpoint reads into a member of its answer (CLOVA:
/// `ReceiptDocument` in `ImageResult::receipt`), generated from the
/// endpoint's `response.document_field`.
pub trait Document: Sized + Send + Sync + 'static {
    /// The endpoint that reads it.
    type Operation: Operation;
    /// The answer's object that holds it.
    type Container;
    /// Moves it out of `container`.
    fn take_from(container: &mut Self::Container) -> Option<Self>;
    /// Puts it back, to restore the answer as received.
    fn put_into(self, container: &mut Self::Container);
}

/// What one call of an operation sends, in plaintext (generated per
/// endpoint: `CreditCardRequest`, ...): its per-call path variables, its
/// Request-Key, and its body in one of the encodings the endpoint accepts.
/// The runtime adds the auth header, the app key and the envelope, so a
/// request that does not fit its endpoint does not compile.
pub trait Request: Send + Sync {
    /// The operation (the typed endpoint) this request calls.
    type Operation: Operation;
    /// Appends the endpoint's path (after the version's prefix) to `out`:
    /// its text, with `app_key` and the request's own path arguments each
    /// as one percent-encoded segment ([`push_segment`]). Generated from the
    /// spec's path, so every variable has its value by construction.
    fn write_path(&self, app_key: &str, out: &mut String);
    /// The Request-Key to present, for an endpoint with a `request-key`
    /// header.
    fn request_key(&self) -> Option<&crate::Sensitive> {
        None
    }
    /// The body, in the encoding this request chose.
    fn body(&self) -> RequestBody<'_, <Self::Operation as Operation>::Body>;
}

/// A request's body, as its generated type lays it out.
pub enum RequestBody<'a, B> {
    /// No body (a GET).
    None,
    /// `application/json`, the operation's body type.
    Json(&'a B),
    /// `application/x-www-form-urlencoded`, the operation's body type.
    Form(&'a B),
    /// `multipart/form-data`, the parts in the descriptor's order (an
    /// absent optional part left out).
    Multipart(Vec<PartValue<'a>>),
}

/// One multipart part of a request.
pub enum PartValue<'a> {
    /// A file's bytes; sealed with the envelope when `encrypted`.
    File {
        /// The part's name in the form (`image`, `file`).
        name: &'static str,
        /// The image whose bytes the part carries.
        image: &'a crate::Image,
        /// Whether the bytes are sealed with the envelope before they are
        /// sent.
        encrypted: bool,
    },
    /// A text field's value (never sealed).
    Text {
        /// The part's name in the form (`prompt`).
        name: &'static str,
        /// The text.
        value: &'a str,
    },
    /// A generated type, as JSON text (never sealed: the generator refuses
    /// encrypted fields in a JSON part).
    Json {
        /// The part's name in the form (`message`).
        name: &'static str,
        /// The value, written as JSON text when the body is built.
        value: &'a dyn JsonPart,
    },
}

/// A value that can travel as a JSON part; every generated type is one.
pub trait JsonPart: Send + Sync {
    /// The part's JSON text.
    fn to_json(&self) -> serde_json::Result<Vec<u8>>;
}

impl<T: serde::Serialize + Send + Sync> JsonPart for T {
    fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }
}

/// A token endpoint (generated from the spec's `response.token`): how to
/// ask for a token, and where its answer holds it.
pub trait IssuesToken: Operation {
    /// How long the tokens it issues live, as the spec gives it.
    const LIFETIME: Lifetime;
    /// The request, every field at its fixed value.
    fn request() -> Self::Request;
    /// The token in an answer.
    fn token(answer: &Self::Response) -> &crate::Sensitive;
    /// Its lifetime in seconds, if the answer states one the runtime can
    /// read.
    fn expires_in(answer: &Self::Response) -> Option<i64>;
}

/// A token-revoking endpoint (generated from the spec's `revokes_token`).
pub trait RevokesToken: Operation {
    /// The request that revokes `token`.
    fn request(token: crate::Sensitive) -> Self::Request;
}

/// What the spec knows of a JSON value's shape: the members of an object,
/// the values of an enum, the kind of a scalar. Decoding an answer walks it
/// against this (see [`wire::drift`](crate::wire::drift)): to report what
/// the spec does not know, and to set aside an optional member that arrived
/// in a shape its type does not take, so the rest of the answer still
/// decodes.
///
/// Generated for every spec type as [`Schema::SHAPE`]. The lifetime lets
/// the runtime put a shape together around generated ones (the members of
/// a whole answer, `header` and `result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shape<'a> {
    /// An object with these members (wire names); any other is drift.
    Object(&'a ObjectShape<'a>),
    /// A list of values of one shape.
    List(&'a Shape<'a>),
    /// One value, or a list of them (the spec's `one-or-list`).
    OneOrList(&'a Shape<'a>),
    /// A string from this list; any other string is drift.
    Enum(&'a EnumShape<'a>),
    /// A JSON string (the spec's `string` and `base64`).
    Text,
    /// A JSON number without a fraction that fits an `i64` (the spec's `int`).
    Integer,
    /// Any JSON number (the spec's `float`).
    Number,
    /// `true` or `false` (the spec's `bool`).
    Bool,
    /// A whole number or a string (the spec's `int-or-string`).
    IntegerOrText,
    /// Any JSON (the spec's `json`): not checked.
    Any,
}

impl Shape<'_> {
    /// Whether `value` is of this shape's JSON kind: an object for an
    /// object, an array of fitting items for a list, a string for an enum
    /// or text, and so on. Only the value itself is looked at, not what is
    /// inside an object (members are checked one by one, each at its own
    /// path).
    pub fn takes_kind_of(&self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (self, value) {
            (Shape::Any, _) => true,
            (Shape::Object(_), Value::Object(_)) => true,
            (Shape::List(_), Value::Array(_)) => true,
            (Shape::OneOrList(_), Value::Array(_)) => true,
            (Shape::OneOrList(inner), one) => inner.takes_kind_of(one),
            (Shape::Enum(_) | Shape::Text, Value::String(_)) => true,
            (Shape::Integer, Value::Number(n)) => n.is_i64(),
            (Shape::Number, Value::Number(_)) => true,
            (Shape::Bool, Value::Bool(_)) => true,
            (Shape::IntegerOrText, Value::String(_)) => true,
            (Shape::IntegerOrText, Value::Number(n)) => n.is_i64(),
            _ => false,
        }
    }

    /// What the shape takes, in a few words (`an object`, `a list`), for
    /// messages that name what arrived instead.
    pub fn expected(&self) -> &'static str {
        match self {
            Shape::Object(_) => "an object",
            Shape::List(_) => "a list",
            Shape::OneOrList(_) => "one value or a list",
            Shape::Enum(_) | Shape::Text => "a string",
            Shape::Integer => "a whole number",
            Shape::Number => "a number",
            Shape::Bool => "a boolean",
            Shape::IntegerOrText => "a whole number or a string",
            Shape::Any => "any JSON",
        }
    }
}

/// An object type's shape: its members, and how a value of it reads as
/// text (for summaries and picture labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectShape<'a> {
    name: &'a str,
    members: &'a [Member<'a>],
    reads_as: &'a [&'a str],
    outline: Option<Outline>,
}

/// How a type writes the corners of an area of the image (the spec's
/// `outline`), for code that draws what an answer found where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outline {
    /// Members `x1`, `y1` ... `x4`, `y4`.
    Corners,
    /// A `vertices` list of objects with `x` and `y`.
    Vertices,
    /// Members `top`, `left`, `width` and `height`: an upright box.
    Rectangle,
}

impl Outline {
    /// The corners a value of this kind gives, in order; none when it
    /// lacks them.
    pub fn corners(self, value: &serde_json::Value) -> Vec<(f64, f64)> {
        let number =
            |v: &serde_json::Value, key: &str| v.get(key).and_then(serde_json::Value::as_f64);
        match self {
            Outline::Corners => (1..=4)
                .map_while(|i| {
                    Some((
                        number(value, &format!("x{i}"))?,
                        number(value, &format!("y{i}"))?,
                    ))
                })
                .collect(),
            Outline::Rectangle => {
                let (Some(top), Some(left), Some(width), Some(height)) = (
                    number(value, "top"),
                    number(value, "left"),
                    number(value, "width"),
                    number(value, "height"),
                ) else {
                    return Vec::new();
                };
                vec![
                    (left, top),
                    (left + width, top),
                    (left + width, top + height),
                    (left, top + height),
                ]
            }
            Outline::Vertices => value
                .get("vertices")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .map_while(|v| Some((number(v, "x")?, number(v, "y")?)))
                .collect(),
        }
    }
}

impl<'a> ObjectShape<'a> {
    /// The type named `name` (as the spec names it) with these members.
    pub const fn new(name: &'a str, members: &'a [Member<'a>]) -> ObjectShape<'a> {
        ObjectShape {
            name,
            members,
            reads_as: &[],
            outline: None,
        }
    }

    /// The same shape, outlining an area of the image.
    pub const fn outline(self, outline: Outline) -> ObjectShape<'a> {
        ObjectShape {
            outline: Some(outline),
            ..self
        }
    }

    /// How a value of this type outlines an area of the image, if it does.
    pub fn outlines(&self) -> Option<Outline> {
        self.outline
    }

    /// The same shape, reading as text through these member paths
    /// (`formatted.value`, then `text`): the first that holds text is what
    /// a summary shows for a value of this type.
    pub const fn reads_as(self, paths: &'a [&'a str]) -> ObjectShape<'a> {
        ObjectShape {
            reads_as: paths,
            ..self
        }
    }

    /// The type's name, as the spec writes it (`StringObject`).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The members, in the spec's order.
    pub fn members(&self) -> &'a [Member<'a>] {
        self.members
    }

    /// The member with this wire name.
    pub fn member(&self, wire: &str) -> Option<&'a Member<'a>> {
        self.members.iter().find(|m| m.wire == wire)
    }

    /// Paths of the members a value of this type reads as, in order of
    /// preference; empty when the spec says none.
    pub fn reading_paths(&self) -> &'a [&'a str] {
        self.reads_as
    }
}

/// An enum type's shape: the values the spec lists, each with its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumShape<'a> {
    name: &'a str,
    values: &'a [EnumValue<'a>],
}

impl<'a> EnumShape<'a> {
    /// The enum named `name` (as the spec names it) with these values.
    pub const fn new(name: &'a str, values: &'a [EnumValue<'a>]) -> EnumShape<'a> {
        EnumShape { name, values }
    }

    /// The enum's name, as the spec writes it (`IdType`).
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The values, in the spec's order.
    pub fn values(&self) -> &'a [EnumValue<'a>] {
        self.values
    }

    /// Whether the spec lists `wire`.
    pub fn lists(&self, wire: &str) -> bool {
        self.values.iter().any(|v| v.wire == wire)
    }

    /// [`lists`](Self::lists) for a value not yet checked to be UTF-8.
    pub(crate) fn lists_bytes(&self, wire: &[u8]) -> bool {
        self.values.iter().any(|v| v.wire.as_bytes() == wire)
    }

    /// What the spec says `wire` means, for a listed value.
    pub fn meaning_of(&self, wire: &str) -> Option<&'a str> {
        self.values
            .iter()
            .find(|v| v.wire == wire)
            .map(|v| v.meaning)
    }
}

/// One value of an [`EnumShape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumValue<'a> {
    wire: &'a str,
    meaning: &'a str,
}

impl<'a> EnumValue<'a> {
    /// The value `wire`, meaning `meaning` (the spec's description).
    pub const fn new(wire: &'a str, meaning: &'a str) -> EnumValue<'a> {
        EnumValue { wire, meaning }
    }

    /// The value as it travels on the wire.
    pub fn wire(&self) -> &'a str {
        self.wire
    }

    /// What it means, in the spec's words.
    pub fn meaning(&self) -> &'a str {
        self.meaning
    }
}

/// One member of an object [`Shape`]: its wire name, its shape, and whether
/// every answer must carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'a> {
    wire: &'a str,
    shape: &'a Shape<'a>,
    required: bool,
}

impl<'a> Member<'a> {
    /// A member an object may leave out (an `Option` field): one that
    /// arrives in a shape it does not take is set aside, and the rest of the
    /// answer still decodes.
    pub const fn optional(wire: &'a str, shape: &'a Shape<'a>) -> Member<'a> {
        Member {
            wire,
            shape,
            required: false,
        }
    }

    /// A member every object carries: one in a shape it does not take makes
    /// the whole object undecodable.
    pub const fn required(wire: &'a str, shape: &'a Shape<'a>) -> Member<'a> {
        Member {
            wire,
            shape,
            required: true,
        }
    }

    /// The member's name on the wire.
    pub fn wire(&self) -> &'a str {
        self.wire
    }

    /// The shape its value must have.
    pub fn shape(&self) -> &'a Shape<'a> {
        self.shape
    }

    /// Whether every object carries it.
    pub fn is_required(&self) -> bool {
        self.required
    }
}

/// A type whose wire shape the spec defines (generated for every object
/// and enum).
pub trait Schema {
    /// The type's wire shape, as the spec defines it.
    const SHAPE: &'static Shape<'static>;
}

/// A generated enum: the values its spec lists, each a variant, and
/// `Unknown` keeping any other value exactly as sent. Code generic over
/// every such enum (and the crate's own test of each against its spec)
/// goes through this.
pub trait WireEnum:
    Schema + std::fmt::Debug + Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned
{
    /// The variant for a wire value, matched exactly as serde matches it;
    /// `Unknown` for a value the spec does not list.
    fn from_wire(value: &str) -> Self;
    /// The value as it travels on the wire.
    fn as_str(&self) -> &str;
    /// Whether this is a value the spec does not list.
    fn is_unknown(&self) -> bool;
}

/// A payload with nothing in it (an endpoint that answers no body).
impl Schema for () {
    const SHAPE: &'static Shape<'static> = &Shape::Any;
}

/// Any JSON: nothing to check.
impl Schema for serde_json::Value {
    const SHAPE: &'static Shape<'static> = &Shape::Any;
}
