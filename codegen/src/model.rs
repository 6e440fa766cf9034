//! The validated model: what the emitter works from.
//!
//! Where [`crate::spec`] is the file as written, the model is the file as
//! understood: every fact parsed into its own type (codes are numbers or
//! text, ports are ranges, resolutions are pairs, type expressions are
//! trees), names resolved and checked for clashes, family limits merged into
//! each endpoint, encrypted field paths computed. Nothing here is a spec
//! type, so the emitter never parses or guesses: what it reads has already
//! been checked. Everything is in the spec file's order, so generation is
//! deterministic.

use std::fmt;
use std::path::PathBuf;

/// One API family, ready to emit.
#[derive(Debug)]
pub struct Family {
    /// Path of the spec file, relative to the workspace (`spec/x.yaml`).
    pub spec_path: PathBuf,
    /// Kebab-case family name.
    pub name: String,
    /// snake_case module / generated file stem.
    pub module: String,
    /// UpperCamelCase name of the family (`NhnDocumentOcrV2`): its variant
    /// in the registry's enums.
    pub variant: String,
    pub title: String,
    pub sources: Vec<String>,
    pub vendor: Vendor,
    pub base_url: BaseUrl,
    pub auth: Vec<AuthScheme>,
    /// At least one; a family without `versions` in its spec has one
    /// unnamed version with no prefix.
    pub versions: Vec<Version>,
    pub error_shape: ErrorShape,
    /// What kind of value the shape's code field carries.
    pub code_kind: CodeKind,
    /// The shared error table (`spec/errors/<name>.yaml`) that is the whole
    /// of this family's codes (`errors_from` one table, no codes of its
    /// own): its `ERRORS` and `ErrorCode` are generated once, in their own
    /// module, and the family re-exports them.
    pub shared_errors: Option<String>,
    pub envelope: Option<Envelope>,
    /// Limits of every endpoint that does not override them.
    pub limits: Limits,
    pub errors: Vec<ErrorCode>,
    /// Codes every endpoint can answer with, besides its own.
    pub common_errors: Vec<Code>,
    /// Sets of codes several endpoints can answer with, each named by those
    /// endpoints.
    pub error_groups: Vec<ErrorGroup>,
    pub contradictions: Vec<Contradiction>,
    pub enums: Vec<Enum>,
    pub types: Vec<Object>,
    pub endpoints: Vec<Endpoint>,
    /// What the docs audit reads for this family, and what it accepts.
    pub audit: Audit,
    /// The family's client type, if it has one.
    pub client: Option<Client>,
    /// Families whose endpoint a shared name means in the vendor's command
    /// group (`spec::Cli::yields_to`).
    pub yields_to: Vec<String>,
}

/// A situation the service answers with one of its codes, which the
/// emulator acts out (`spec::ErrorCode::answers`); `ErrorRole` in the
/// runtime's descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorRole {
    NoRoute,
    WrongMethod,
    BadPath,
    MissingHeader,
    BadCredential,
    PermissionDenied,
    Quota,
    ServerError,
    TooLarge,
    BadBody,
    UnreadableFile,
    FileType,
    EmptyFile,
    NothingFound,
    OtherDomain,
    BadValue,
    OptionOff,
    NotReleased,
}

impl ErrorRole {
    /// Every role, with its name in the spec.
    pub const ALL: [(&'static str, ErrorRole); 18] = [
        ("no-route", ErrorRole::NoRoute),
        ("wrong-method", ErrorRole::WrongMethod),
        ("bad-path", ErrorRole::BadPath),
        ("missing-header", ErrorRole::MissingHeader),
        ("bad-credential", ErrorRole::BadCredential),
        ("permission-denied", ErrorRole::PermissionDenied),
        ("quota", ErrorRole::Quota),
        ("server-error", ErrorRole::ServerError),
        ("too-large", ErrorRole::TooLarge),
        ("bad-body", ErrorRole::BadBody),
        ("unreadable-file", ErrorRole::UnreadableFile),
        ("file-type", ErrorRole::FileType),
        ("empty-file", ErrorRole::EmptyFile),
        ("nothing-found", ErrorRole::NothingFound),
        ("other-domain", ErrorRole::OtherDomain),
        ("bad-value", ErrorRole::BadValue),
        ("option-off", ErrorRole::OptionOff),
        ("not-released", ErrorRole::NotReleased),
    ];

    /// The runtime's variant name (`BadCredential`).
    pub fn variant(self) -> String {
        format!("{self:?}")
    }
}

/// A family's client type (see `spec::Client`).
#[derive(Debug)]
pub struct Client {
    pub name: String,
    pub description: String,
    /// The public module it lives in: the vendor's (`nhn`, `clova`).
    pub module: &'static str,
    /// For a family whose every caller has its own URL: the variables
    /// holding that URL and the secret.
    pub env: Option<(String, String)>,
}

/// What a client method takes and gives back, read from the endpoint's
/// descriptor. Each shape is one shared function in the runtime; the
/// generated method is a call to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallKind {
    /// The family envelope's public-key endpoint: a service in, the key
    /// out (through the client's key cache).
    PublicKey,
    /// An endpoint whose answer carries one document (`document_field`):
    /// an image in, the document out.
    Document { document: String },
    /// One file part: an image in, the answer out. `url_body`: a JSON
    /// body of one required string, the image's URL, the other way to
    /// send it. `issues_request_key`: the answer carries a single-use
    /// Request-Key header.
    Upload {
        url_body: Option<String>,
        issues_request_key: bool,
    },
    /// A Request-Key header and a JSON body: the key (spent) and the body
    /// (its per-value checks when it has a discriminator) in.
    SpendsRequestKey { body: String },
    /// A JSON body of one required text member and nothing else (a
    /// business number): the text in.
    Text { body: String, field: String },
    /// Anything else: the generated request type in, the answer out.
    Request,
}

impl Family {
    pub fn error(&self, code: &Code) -> Option<&ErrorCode> {
        self.errors.iter().find(|e| &e.code == code)
    }

    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }

    /// Codes every endpoint lists as its own: each belongs in
    /// `common_errors` instead (a test holds the committed specs to it; an
    /// older spec that predates `common_errors` still loads, for `diff`).
    pub fn codes_every_endpoint_lists(&self) -> Vec<&Code> {
        match self.endpoints.as_slice() {
            [first, _, ..] => self
                .own_codes_of(first)
                .filter(|c| {
                    self.endpoints
                        .iter()
                        .all(|e| self.own_codes_of(e).any(|x| x == *c))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The codes `endpoint` lists itself or through its error groups.
    fn own_codes_of<'a>(&'a self, endpoint: &'a Endpoint) -> impl Iterator<Item = &'a Code> {
        endpoint.own_codes(&self.error_groups)
    }

    /// Every code `endpoint` can answer with in every version: its own,
    /// its groups', then the family's common ones.
    pub fn codes_of<'a>(&'a self, endpoint: &'a Endpoint) -> impl Iterator<Item = &'a Code> {
        self.own_codes_of(endpoint).chain(&self.common_errors)
    }

    /// The error groups `endpoint` names, in its order.
    pub fn groups_of<'a>(&'a self, endpoint: &'a Endpoint) -> impl Iterator<Item = &'a ErrorGroup> {
        endpoint.groups(&self.error_groups)
    }

    pub fn object(&self, name: &str) -> Option<&Object> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The limits that apply to `endpoint`.
    pub fn limits_of<'a>(&'a self, endpoint: &'a Endpoint) -> &'a Limits {
        endpoint.limits.as_ref().unwrap_or(&self.limits)
    }
}

/// A named set of codes several endpoints can answer with.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorGroup {
    /// The spec's name (`file`).
    pub name: String,
    /// Its descriptor constant (`FILE_ERRORS`).
    pub const_name: String,
    pub description: String,
    pub codes: Vec<Code>,
    /// The shared error table (`spec/errors/<name>.yaml`) that declares
    /// it, if a table does rather than the family.
    pub table: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Nhn,
    Clova,
}

/// Where a family's API lives.
#[derive(Debug)]
pub enum BaseUrl {
    /// One host for everyone (NHN), perhaps with other documented hosts.
    Fixed {
        default: String,
        alternates: Vec<AlternateUrl>,
    },
    /// Every caller has its own URL (CLOVA's invoke URL), ending in `path`.
    PerCaller {
        /// What to supply, in words.
        template: String,
        /// `/custom/v1/{DomainId}/{InvokeKey}`.
        path: String,
        /// Its `{variables}`, in order.
        params: Vec<String>,
    },
}

#[derive(Debug)]
pub struct AlternateUrl {
    pub url: String,
    pub note: String,
    /// The last supported day, `YYYY-MM-DD`.
    pub until: Option<String>,
}

/// One way of authenticating.
#[derive(Debug)]
pub struct AuthScheme {
    /// Kebab-case name from the spec (`user-access-key-token`).
    pub name: String,
    /// SCREAMING_SNAKE constant name of its descriptor.
    pub const_name: String,
    pub header: String,
    pub prefix: String,
    pub credential: Credential,
    /// The code the service answers when this credential is wrong (for a
    /// token scheme also: issue a new token and send again).
    pub refused_with: Option<Code>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    SecretKey,
    KeyPair,
    Token {
        /// The issuing family's kebab name and module.
        issued_by: String,
        issued_by_module: String,
    },
}

/// One generation of the family's API.
#[derive(Debug)]
pub struct Version {
    /// `v2.1`; `None` for a family with a single, unnamed version.
    pub name: Option<String>,
    /// SCREAMING_SNAKE constant name (`V2_1`), for named versions.
    pub const_name: Option<String>,
    pub path_prefix: String,
    /// Index into [`Family::auth`].
    pub auth: usize,
    /// Codes every endpoint of this version can answer besides its own.
    pub errors: Vec<Code>,
}

/// How a family reports failure, with the Rust names of the fields that
/// carry the verdict (the generated `Verdict` impl reads them).
#[derive(Debug)]
pub enum ErrorShape {
    ResultHeader {
        member: String,
        header_type: String,
        success: FieldRef,
        code: FieldRef,
        message: FieldRef,
        result: String,
    },
    StatusAndBody {
        body_type: String,
        code: FieldRef,
        message: FieldRef,
    },
}

impl ErrorShape {
    /// The object type that carries a failure's code and message.
    pub fn verdict_type(&self) -> &str {
        match self {
            ErrorShape::ResultHeader { header_type, .. } => header_type,
            ErrorShape::StatusAndBody { body_type, .. } => body_type,
        }
    }

    /// The field holding the code.
    pub fn code_field(&self) -> &FieldRef {
        match self {
            ErrorShape::ResultHeader { code, .. } | ErrorShape::StatusAndBody { code, .. } => code,
        }
    }

    /// Where the endpoint's payload sits in a success body, for field paths.
    pub fn result_member(&self) -> Option<&str> {
        match self {
            ErrorShape::ResultHeader { result, .. } => Some(result),
            ErrorShape::StatusAndBody { .. } => None,
        }
    }
}

/// A field of an object type, by its Rust name, with whether it is an
/// `Option`.
#[derive(Debug, Clone)]
pub struct FieldRef {
    pub wire: String,
    pub rust: String,
    pub optional: bool,
}

/// What kind of value a family's error codes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// NHN's `resultCode`.
    Integer,
    /// CLOVA's `"0011"`, OAuth's `"invalid_client"`.
    Text,
}

/// An error code, parsed by its family's [`CodeKind`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code {
    Integer(i64),
    Text(String),
}

impl fmt::Display for Code {
    /// As the vendor writes it (and the spec keys it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Integer(n) => write!(f, "{n}"),
            Code::Text(t) => f.write_str(t),
        }
    }
}

/// The envelope: what the runtime reads, and the vendor's words for docs.
#[derive(Debug)]
pub struct Envelope {
    pub symmetric_key_bytes: u32,
    pub public_key_endpoint: String,
    /// Wire names of the key and its version in the public-key answer.
    pub key_field: String,
    pub version_field: String,
    pub key_version_error: Code,
    /// (what, the vendor's words), for the family's doc comment.
    pub facts: Vec<(&'static str, String)>,
}

#[derive(Debug)]
pub struct ErrorCode {
    pub code: Code,
    /// The vendor's symbolic name (`INVALID_PARAMETER`).
    pub key: Option<String>,
    pub name: String,
    pub message: String,
    pub meaning: String,
    pub retryable: bool,
    /// A rate limit: the caller is sending too fast.
    pub throttling: bool,
    pub http_status: Option<u16>,
    pub source: Option<String>,
    /// The situations the service answers with it (`bad-credential`).
    pub answers: Vec<ErrorRole>,
}

/// The docs audit's settings for one family.
#[derive(Debug, Default)]
pub struct Audit {
    pub docs: Vec<String>,
    /// What the spec has decided on.
    pub acknowledged: Vec<Acknowledged>,
    /// `YYYY-MM-DD`: release-note entries after it are findings.
    pub reconciled: Option<String>,
    /// Overview sections (their headings in each language) and the
    /// endpoints whose limits they state.
    pub overview: Vec<(Vec<String>, Vec<String>)>,
}

/// An acknowledged finding.
#[derive(Debug, Clone)]
pub struct Acknowledged {
    /// The finding's key (`error-missing: 4000101`).
    pub finding: String,
    pub because: String,
    pub against: Option<String>,
    /// Languages whose pages show the finding; empty: any.
    pub languages: Vec<String>,
}

#[derive(Debug)]
pub struct Contradiction {
    pub at: String,
    pub what: String,
    pub resolution: String,
}

#[derive(Debug)]
pub struct Enum {
    pub name: String,
    pub description: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug)]
pub struct EnumValue {
    pub wire: String,
    pub rust: String,
    pub description: String,
}

#[derive(Debug)]
pub struct Object {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// How serde names the fields: `camelCase` when that fits most wire
    /// names, else none; fields it does not fit carry their own `rename`.
    pub rename_all: RenameAll,
    /// Accessors for fields the vendor spells more than one way.
    pub spelling_accessors: Vec<SpellingAccessor>,
    /// False when a required field has a type with no sensible default.
    pub derives_default: bool,
    /// The typed per-value checks, for a type with a `discriminator`.
    pub discriminated: Option<Discriminated>,
    /// Member paths a value of this type reads as in a report, in order of
    /// preference (checked to end in text).
    pub reads_as: Vec<String>,
    /// How a value of this type outlines an image area, if it does.
    pub outline: Option<crate::spec::Outline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameAll {
    /// Rust names are the wire names.
    None,
    /// serde's `camelCase` of the Rust name is the wire name.
    CamelCase,
}

impl RenameAll {
    /// The wire name serde derives from `rust` under this rule. Mirrors
    /// serde's `RenameRule` exactly, so the emitter knows which fields
    /// need their own `rename`.
    pub fn apply(self, rust: &str) -> String {
        match self {
            RenameAll::None => rust.to_string(),
            RenameAll::CamelCase => {
                let mut out = String::with_capacity(rust.len());
                let mut upper = false;
                for c in rust.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.push(c.to_ascii_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// A request type whose needed fields depend on the value of one enum
/// field: each value gets a struct holding exactly its fields, and an enum
/// gathers those structs.
#[derive(Debug)]
pub struct Discriminated {
    /// The discriminator field's wire and Rust names (`idType`, `id_type`).
    pub field_wire: String,
    pub field_rust: String,
    /// The discriminator's enum type (`IdType`).
    pub enum_type: String,
    /// The generated enum over the per-value structs (`AuthenticityCheck`).
    pub checks_enum: String,
    /// One per value of the enum, in the enum's order.
    pub variants: Vec<Variant>,
}

/// One value of a discriminator and the fields it uses.
#[derive(Debug)]
pub struct Variant {
    /// The value on the wire (`resident`).
    pub wire: String,
    /// Its variant name, in the discriminator enum and the checks enum alike.
    pub rust: String,
    /// The struct holding its fields (`ResidentCheck`).
    pub struct_name: String,
    /// The enum value's description.
    pub description: String,
    /// The fields this value uses, in the type's field order.
    pub fields: Vec<VariantField>,
}

#[derive(Debug)]
pub struct VariantField {
    pub wire: String,
    pub rust: String,
    pub description: String,
    /// Held in `Sensitive` (encrypted or sensitive) rather than `String`.
    pub secret: bool,
    pub rule: Rule,
}

/// What one discriminator value needs of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub required: bool,
    pub format: Option<Format>,
}

/// A machine-checked form, as the runtime's `wire::format` checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Date,
    Digits(Length),
    Alnum(Length),
    UpperAlnum(Length),
    Chars(Length),
}

/// An inclusive character count range, `min <= max`, `min >= 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub min: u64,
    pub max: u64,
}

#[derive(Debug)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: TypeExpr,
    pub required: bool,
    pub encrypted: bool,
    pub sensitive: bool,
    pub description: String,
    /// Per discriminator value (wire), what it needs of this field.
    pub variants: Vec<(String, Rule)>,
    /// A form stated in words, for the doc comment only.
    pub format: Option<String>,
    /// A checked form: the client checks a request's value before sending,
    /// the emulator on receipt.
    pub checked: Option<Format>,
    /// The one value the field has on the wire; emitted as a constant.
    pub fixed: Option<String>,
    /// Set on the extra field generated for an alternate spelling.
    pub spelling_of: Option<String>,
}

impl Field {
    /// Held in `Sensitive`: encrypted on the wire, or personal data.
    pub fn secret(&self) -> bool {
        self.encrypted || self.sensitive
    }

    pub fn as_ref(&self) -> FieldRef {
        FieldRef {
            wire: self.wire.clone(),
            rust: self.rust.clone(),
            optional: !self.required,
        }
    }
}

#[derive(Debug)]
pub struct SpellingAccessor {
    /// Method name (the primary field's Rust name).
    pub method: String,
    /// Field names to try, primary first.
    pub fields: Vec<String>,
    /// Wire spellings, primary first, for the doc comment.
    pub wires: Vec<String>,
    pub ty: TypeExpr,
    pub secret: bool,
}

/// A parsed, resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Int,
    Float,
    Bool,
    Json,
    IntOrString,
    /// Bytes that travel as Base64 text (`wire::Base64Data`): always
    /// redacted, and streamed by the client.
    Base64,
    Enum(String),
    Object(String),
    List(Box<TypeExpr>),
    OneOrList(Box<TypeExpr>),
}

impl fmt::Display for TypeExpr {
    /// As the spec writes it (`list<CardNumber>`, `one-or-list<string>`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Int => f.write_str("int"),
            TypeExpr::Float => f.write_str("float"),
            TypeExpr::Bool => f.write_str("bool"),
            TypeExpr::Json => f.write_str("json"),
            TypeExpr::IntOrString => f.write_str("int-or-string"),
            TypeExpr::Base64 => f.write_str("base64"),
            TypeExpr::Enum(n) | TypeExpr::Object(n) => f.write_str(n),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::OneOrList(inner) => write!(f, "one-or-list<{inner}>"),
        }
    }
}

impl TypeExpr {
    /// Whether a value of this type is, or is made only of, strings: the only
    /// shape the envelope can encrypt (it sends Base64 text).
    pub fn carries_only_strings(&self) -> bool {
        match self {
            TypeExpr::String => true,
            TypeExpr::List(inner) | TypeExpr::OneOrList(inner) => inner.carries_only_strings(),
            _ => false,
        }
    }
}

#[derive(Debug)]
pub struct Endpoint {
    pub name: String,
    /// UpperCamelCase operation type name.
    pub op_name: String,
    /// SCREAMING_SNAKE descriptor constant name.
    pub const_name: String,
    pub summary: String,
    pub method: Method,
    /// Relative to the version's prefix.
    pub path: String,
    pub path_params: Vec<PathParam>,
    pub headers: Vec<Header>,
    /// The public-key service whose key seals the endpoint (enveloped
    /// endpoints only; validated against the public-key endpoint's `allowed`).
    pub key_service: Option<String>,
    pub request: Vec<Encoding>,
    pub response: Response,
    /// Codes of its own, besides the family's common ones.
    pub errors: Vec<Code>,
    /// The family's error groups (by name) whose codes it can answer with.
    pub error_groups: Vec<String>,
    /// The endpoint's own limits (the family's with its overrides), when
    /// it overrides any; `None` when the family's [`Family::limits`] apply.
    pub limits: Option<Limits>,
    pub notes: Vec<String>,
    /// Wire paths of encrypted request data (`image`, `name`, ...).
    pub encrypted_request: Vec<String>,
    /// Wire paths of encrypted response data (`cardNums[].value`, ...).
    pub encrypted_response: Vec<String>,
    /// For a token-revoking endpoint: the request field naming the token.
    pub revokes_token: Option<FieldRef>,
    /// How the command line reports an answer, its paths checked against
    /// the response type.
    pub report: Option<Report>,
    /// Its client method's shape.
    pub call: CallKind,
}

/// The human report of an endpoint's answer: templates over wire paths of
/// the payload, each checked against the response type.
#[derive(Debug, Clone)]
pub struct Report {
    /// Where the paths start, from the payload's root.
    pub root: Option<String>,
    pub title: String,
    /// Path -> words, for `{kind}` in the title.
    pub kinds: Vec<(String, String)>,
    /// The label column's width.
    pub width: usize,
    pub lines: Vec<ReportLine>,
    /// A hand-written report the CLI provides, by name.
    pub hook: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReportLine {
    pub label: String,
    pub value: String,
    pub each: Option<String>,
    pub mask: Option<(usize, usize)>,
    pub masks: Vec<(String, (usize, usize))>,
    pub optional: bool,
    pub note: Option<String>,
    pub empty: Option<String>,
}

impl Endpoint {
    /// The error groups (of the family's `groups`) it names, in its order.
    pub fn groups<'a>(&'a self, groups: &'a [ErrorGroup]) -> impl Iterator<Item = &'a ErrorGroup> {
        self.error_groups
            .iter()
            .filter_map(|name| groups.iter().find(|g| &g.name == name))
    }

    /// The codes it lists itself or through its error groups (of the
    /// family's `groups`).
    pub fn own_codes<'a>(&'a self, groups: &'a [ErrorGroup]) -> impl Iterator<Item = &'a Code> {
        self.errors
            .iter()
            .chain(self.groups(groups).flat_map(|g| &g.codes))
    }

    /// The JSON request body type, if the endpoint accepts one.
    pub fn json_body(&self) -> Option<&str> {
        self.request.iter().find_map(|e| match e {
            Encoding::Json(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// The form body type, if the endpoint takes one.
    pub fn form_body(&self) -> Option<&str> {
        self.request.iter().find_map(|e| match e {
            Encoding::Form(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// Whether calls are sealed with the envelope.
    pub fn sealed(&self) -> bool {
        self.headers
            .iter()
            .any(|h| h.role == HeaderRole::SealedSymmetricKey)
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

#[derive(Debug)]
pub struct PathParam {
    pub name: String,
    pub value: ParamValue,
    pub description: String,
    pub allowed: Vec<String>,
}

/// A piece of a path template: text as written, or a `{variable}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece<'a> {
    Text(&'a str),
    Variable(&'a str),
}

/// `path` split at its `{variables}`, in order (an unclosed `{` and what
/// follows it are text). The validator reads the variables from it, the
/// emitter writes the path from it.
pub fn path_pieces(path: &str) -> Vec<PathPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        if open > 0 {
            out.push(PathPiece::Text(&rest[..open]));
        }
        out.push(PathPiece::Variable(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathPiece::Text(rest));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamValue {
    AppKey,
    Argument,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub role: HeaderRole,
    pub required: bool,
    pub description: String,
}

/// What fills an endpoint's header (the auth header is the scheme's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRole {
    KeyVersion,
    SealedSymmetricKey,
    RequestKey,
}

#[derive(Debug)]
pub enum Encoding {
    Multipart(Vec<Part>),
    Json(String),
    Form(String),
}

#[derive(Debug)]
pub struct Part {
    pub name: String,
    pub kind: PartKind,
    pub description: String,
    pub required: bool,
    pub encrypted: bool,
}

/// What a multipart part carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartKind {
    /// A file's raw bytes.
    File,
    /// An object type, as JSON text.
    Json(String),
    /// A text field: any text (`enum_type` none) or a value of an enum,
    /// in `format` when the spec gives one.
    Text {
        enum_type: Option<String>,
        format: Option<Format>,
    },
}

impl Part {
    /// The object type a JSON part carries.
    pub fn json_type(&self) -> Option<&str> {
        match &self.kind {
            PartKind::Json(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_file(&self) -> bool {
        self.kind == PartKind::File
    }
}

#[derive(Debug)]
pub struct Response {
    /// The payload's object type; `None` when a success carries nothing.
    pub body: Option<String>,
    /// Which member of a CLOVA image result carries this document's data
    /// (wire name).
    pub document_field: Option<String>,
    pub headers: Vec<ResponseHeader>,
    pub token: Option<TokenIssue>,
    /// `(variant, file under spec/examples/)`, the default first.
    pub examples: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct TokenIssue {
    pub value: FieldRef,
    pub expires_in: FieldRef,
    /// The lifetime field's type: the vendor documents text, sends a number.
    pub expires_in_type: TypeExpr,
    pub default_secs: u64,
    pub min_secs: u64,
    pub max_secs: u64,
}

#[derive(Debug)]
pub struct ResponseHeader {
    pub name: String,
    pub description: String,
    pub when: Option<String>,
    pub valid_for_secs: Option<u64>,
    pub single_use: bool,
}

/// The limits that apply to one endpoint.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub max_file_bytes: Option<u64>,
    pub formats: Vec<String>,
    pub images_per_call: Option<u32>,
    pub url_ports: Vec<PortRange>,
    pub url_download_timeout_secs: Option<u32>,
    pub recommended_resolution: Option<Resolution>,
    pub max_aspect_ratio: Option<f64>,
    pub recommended_max_aspect_ratio: Option<f64>,
    pub notes: Vec<String>,
}

/// An inclusive port range (`80` is `80-80`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub low: u16,
    pub high: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub width: u32,
    pub height: u32,
}
