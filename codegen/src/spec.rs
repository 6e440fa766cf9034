//! The YAML spec format, exactly as written in `spec/*.yaml`.
//!
//! These structs *are* the format: every key a spec file may use is a field
//! here, and every struct rejects unknown keys, so a typo in a spec is an
//! error rather than a silently ignored line. Maps keep the file's order
//! ([`UniqueMap`] over an `IndexMap`) so the generated code follows the order
//! the vendor documents, and a key written twice is an error.
//!
//! Nothing here is interpreted: cross-references, names and flags are checked
//! in [`crate::validate`], which turns a [`SpecFile`] into a [`crate::model`].

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// One API family: one YAML file, one generated Rust module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Kebab-case family name; also the file stem (`nhn-document-ocr-v2`).
    pub family: String,
    /// Human title of the API family.
    pub title: String,
    /// Which vendor document(s) under `shared/docs/` the facts come from.
    pub sources: Vec<String>,
    /// Which runtime conventions the family follows.
    pub vendor: Vendor,
    /// Where the API lives.
    pub base_url: BaseUrl,
    /// The ways a caller can authenticate, by scheme name. Which one a
    /// call uses is its version's `auth` (or the only scheme, for a family
    /// without `versions`).
    pub auth: UniqueMap<AuthScheme>,
    /// Generations of the API that share every endpoint and differ only in
    /// their path prefix and authentication (`v2.0`, `v2.1`). Absent: one
    /// version, paths as written, the family's only auth scheme.
    #[serde(default)]
    pub versions: UniqueMap<Version>,
    /// How failures come back.
    #[serde(with = "serde_norway::with::singleton_map")]
    pub error_shape: ErrorShape,
    /// The electronic envelope, for families that encrypt.
    #[serde(default)]
    pub envelope: Option<Envelope>,
    /// Limits that apply to every endpoint unless the endpoint overrides them.
    pub limits: Limits,
    /// Shared error tables (`spec/errors/<name>.yaml`) whose codes are this
    /// family's too: one vendor page that several families' APIs answer
    /// from (Document OCR's error-code page, for v1.x and v2.x), written
    /// once. Their codes come first, then the family's own `errors`.
    #[serde(default)]
    pub errors_from: Vec<String>,
    /// How many of `errors` the family states itself (the rest come from
    /// `errors_from`); set when the tables are merged.
    #[serde(skip)]
    pub own_error_count: usize,
    /// Every error code the family documents, keyed by the code as written
    /// (besides those of `errors_from`).
    #[serde(default)]
    pub errors: UniqueMap<ErrorCode>,
    /// Codes (from `errors`) every endpoint of the family can answer with,
    /// declared once rather than on each endpoint (bad credentials, a full
    /// quota, a server error).
    #[serde(default)]
    pub common_errors: Vec<String>,
    /// Named sets of codes (from `errors`) that several endpoints, but not
    /// all, can answer with: declared once, and named by each endpoint's
    /// `error_groups` (NHN's codes about an uploaded file, or about a
    /// sealed request).
    #[serde(default)]
    pub error_groups: UniqueMap<ErrorGroup>,
    /// Which of `error_groups` come from the tables of `errors_from`, and
    /// the table file of each (set when the tables are merged): a family
    /// need not name each of them, but some family that takes the table
    /// must (`validate::check_links`).
    #[serde(skip)]
    pub shared_groups: indexmap::IndexMap<String, std::path::PathBuf>,
    /// Places where the vendor's documents disagree with themselves.
    #[serde(default)]
    pub contradictions: Vec<Contradiction>,
    /// Closed sets of string values (`SUCCESS`, `FAILURE`, ...).
    #[serde(default)]
    pub enums: UniqueMap<EnumType>,
    /// Object types, keyed by Rust type name (UpperCamelCase).
    pub types: UniqueMap<ObjectType>,
    /// Endpoints, keyed by kebab-case endpoint name.
    pub endpoints: UniqueMap<Endpoint>,
    /// What `ocrwire-codegen audit` compares this spec with, and the
    /// findings it has already decided on.
    #[serde(default)]
    pub audit: Audit,
    /// How the command line shows this family's answers.
    #[serde(default)]
    pub cli: Cli,
    /// The family's client: a type in the vendor's module with one method
    /// per endpoint, and its blocking twin. A family without one (the token
    /// API, which the clients call themselves) is reached only through
    /// others.
    #[serde(default)]
    pub client: Option<Client>,
}

/// A family's client type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// The type's name, UpperCamelCase and ending in `Client`
    /// (`DocumentClient`); the async one is `ocrwire::<vendor>::<name>`,
    /// the blocking one `ocrwire::blocking::<name>`.
    pub name: String,
    /// The first paragraph of its doc comment.
    pub description: String,
    /// For a family whose every caller has its own URL: the environment
    /// variables `from_env` reads it and the secret from.
    #[serde(default)]
    pub env: Option<ClientEnv>,
}

/// Where `from_env` finds a caller's own URL and secret.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientEnv {
    /// The variable holding the URL (`CLOVA_OCR_INVOKE_URL`).
    pub url: String,
    /// The variable holding the secret (`CLOVA_OCR_SECRET`).
    pub secret: String,
}

/// How the command line shows a family's answers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cli {
    /// The width of a report's label column (`store           emart`);
    /// 12 when absent.
    #[serde(default)]
    pub label_width: Option<usize>,
    /// Families whose endpoint a name means, where this family has an
    /// endpoint of the same name in the same vendor's group (`ocrwire nhn
    /// credit-card` is Document OCR v2's; v1's is reached by its family's
    /// name). A spec that adds a family thereby keeps every existing
    /// command line meaning what it meant.
    #[serde(default)]
    pub yields_to: Vec<String>,
}

/// The human report of one endpoint's answer (`ocrwire`'s text output):
/// a title and a line per field worth showing, with what is masked.
/// Values are templates over the answer's wire paths, checked against the
/// response type when the spec is validated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Where every path starts, from the payload's root
    /// (`images[0].receipt.result`); the payload itself when absent.
    #[serde(default)]
    pub root: Option<String>,
    /// The first line, before ` (<input>)`: text with `{path}` placeholders,
    /// and `{kind}` for the first of `kinds` present.
    pub title: String,
    /// Path -> words: `{kind}` in the title reads as the words of the first
    /// path the answer has.
    #[serde(default)]
    pub kinds: UniqueMap<String>,
    /// The label column's width, when not the family's.
    #[serde(default)]
    pub width: Option<usize>,
    #[serde(default)]
    pub lines: Vec<ReportLine>,
    /// A report the command line writes by hand, by name, for an answer no
    /// template can show (texts paired with boxes from parallel lists).
    #[serde(default)]
    pub hook: Option<String>,
}

/// One line of a [`Report`], or one per item of a list (`each`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportLine {
    /// The label: text, or a template over the item for `each`.
    pub label: String,
    /// The value: a template (`{price.text}  x{count.text}`); `{a ?? b}`
    /// takes the first path the answer has, `{code:meaning}` adds an enum
    /// value's meaning.
    pub value: String,
    /// A list path (`subResults[].items[]`): one line per item, the label
    /// and value read from the item.
    #[serde(default)]
    pub each: Option<String>,
    /// Letters and digits kept at the start and at the end; the rest is
    /// masked unless `--reveal`.
    #[serde(default)]
    pub mask: Option<[usize; 2]>,
    /// Masks by the label's text (for `each`: an item whose label is a
    /// key that names personal data).
    #[serde(default)]
    pub masks: UniqueMap<[usize; 2]>,
    /// Leave the line out when the answer has no value (instead of
    /// "(not recognized)").
    #[serde(default)]
    pub optional: bool,
    /// Shown after the value in parentheses (a confidence).
    #[serde(default)]
    pub note: Option<String>,
    /// For `each` with no items: the line shown instead.
    #[serde(default)]
    pub empty: Option<String>,
}

/// The spec's side of the docs audit.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// File names of the vendor pages that document this family (found
    /// anywhere under the audited directories, in every language).
    #[serde(default)]
    pub docs: Vec<String>,
    /// Findings the spec has decided on, each with its reason.
    #[serde(default)]
    pub acknowledged: Vec<Acknowledgement>,
    /// The day (`YYYY-MM-DD`) the spec was last reconciled with its
    /// release notes: a dated entry after it is a finding until it is
    /// acknowledged with what was done about it.
    #[serde(default)]
    pub reconciled: Option<String>,
    /// The sections of the overview page that state this family's limits,
    /// and the endpoints each applies to.
    #[serde(default)]
    pub overview: Vec<OverviewSection>,
}

/// A section of the vendor's overview page whose limits (formats, largest
/// file, recommended resolution, aspect ratios) the audit compares with
/// the spec's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewSection {
    /// The section's heading in each language the page has (`Credit Card
    /// Analysis`, `신용카드 분석`).
    pub headings: Vec<String>,
    /// The endpoints whose limits it states.
    pub endpoints: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The finding's key as the audit prints it (`error-missing: 4000101`).
    pub finding: String,
    /// Why the spec differs from the docs here.
    pub because: String,
    /// The day or page revision it was decided against, for the reader.
    #[serde(default)]
    pub against: Option<String>,
    /// The languages whose pages show the finding (`[ko]` for a difference
    /// only the Korean page has): an audit given none of them reports the
    /// acknowledgement as not checked rather than stale.
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Vendor {
    Nhn,
    Clova,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseUrl {
    /// The URL used when the caller configures nothing; `null` when every
    /// caller has its own (CLOVA's API Gateway invoke URL).
    pub default: Option<String>,
    /// What the caller must supply instead, in words, for people.
    #[serde(default)]
    pub template: Option<String>,
    /// For a family with no `default`: the path every caller's URL ends in,
    /// with `{variables}` as whole segments (`/custom/v1/{DomainId}/{InvokeKey}`).
    /// Endpoint paths are appended to it. Data, so that the client's URL
    /// check and the emulator's routes read it rather than parse `template`.
    #[serde(default)]
    pub path: Option<String>,
    /// Other documented hosts, with what the vendor said about them.
    #[serde(default)]
    pub alternates: Vec<AlternateUrl>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternateUrl {
    pub url: String,
    pub note: String,
    /// The last day the vendor supports it (`YYYY-MM-DD`), when announced.
    #[serde(default)]
    pub until: Option<String>,
}

/// One way of authenticating: which header carries what.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthScheme {
    /// The request header that carries the credential.
    pub header: String,
    /// What the header's value is made from.
    pub credential: CredentialKind,
    /// Written before the credential (`"Bearer "`, `"Basic "`).
    #[serde(default)]
    pub prefix: String,
    /// For `credential: token`: the family whose token endpoint issues it.
    #[serde(default)]
    pub issued_by: Option<String>,
    /// For `credential: token`: the error code that says the token is
    /// invalid or expired, so a new one is issued and the call resent once.
    #[serde(default)]
    pub refused_with: Option<String>,
    pub description: String,
}

/// The credential an auth scheme sends. A closed set: each kind is one
/// piece of runtime code; header names, prefixes and issuers are data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// A secret from the console (NHN's secret key, CLOVA's client
    /// secret), sent as it is.
    SecretKey,
    /// A key pair (NHN's User Access Key ID and Secret Access Key), sent as
    /// Base64 of `id:secret` (the RFC 7617 Basic form).
    KeyPair,
    /// A token another family's token endpoint issues for a key pair.
    Token,
}

/// One generation of a family's API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// Put in front of every endpoint path (`/v2.1`).
    pub path_prefix: String,
    /// The auth scheme (a key of `auth`) its calls use.
    pub auth: String,
    /// Codes (from `errors`) every endpoint of this version can answer
    /// with, besides its own list (the token errors of a token version).
    #[serde(default)]
    pub errors: Vec<String>,
}

/// How a family reports failure.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorShape {
    /// Every answer is HTTP 200 with a verdict object (NHN's `header`) and
    /// the payload beside it (`result`).
    ResultHeader(ResultHeaderShape),
    /// A failure is an HTTP 4xx/5xx status with an error object as body;
    /// a success is the payload itself (CLOVA, OAuth 2.0).
    StatusAndBody(StatusAndBodyShape),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultHeaderShape {
    /// Member of the body that holds the verdict (`header`).
    pub member: String,
    /// Its object type (`ResultHeader`).
    #[serde(rename = "type")]
    pub ty: String,
    /// The verdict's fields: a bool, the code, the message.
    pub success: String,
    pub code: String,
    pub message: String,
    /// Member of the body that holds the endpoint's payload (`result`).
    pub result: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusAndBodyShape {
    /// Object type of a failure's body.
    #[serde(rename = "type")]
    pub ty: String,
    /// Its fields holding the code and the message.
    pub code: String,
    pub message: String,
}

/// The electronic envelope's facts, as the vendor documents them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub symmetric_key_bytes: u32,
    /// Cipher for the symmetric key, e.g. `RSA/ECB/PKCS1Padding`.
    pub key_wrap: String,
    /// Cipher for payloads, e.g. `AES-256/CBC/PKCS7Padding`.
    pub cipher: String,
    /// Where the IV comes from, in words.
    pub iv: String,
    /// Encoding of the public key the issuance endpoint returns.
    pub public_key_encoding: String,
    /// Encoding of encrypted JSON string fields (both directions).
    pub field_encoding: String,
    /// Encoding of encrypted file parts.
    pub file_encoding: String,
    /// Encoding of the `Symmetric-Key` header.
    pub symmetric_key_encoding: String,
    /// The endpoint that issues public keys; the services it issues them
    /// for are the `allowed` values of its `argument` path variable.
    pub public_key_endpoint: String,
    /// The fields of its answer that hold the key and its version.
    pub key_field: String,
    pub version_field: String,
    /// Error codes that mean "the envelope was wrong".
    pub key_version_error: String,
    /// The two headers that carry a sealed call's key version and sealed
    /// symmetric key (values `key-version` and `sealed-symmetric-key`),
    /// declared once: every endpoint with a `key_service` sends them.
    #[serde(default)]
    pub headers: UniqueMap<Header>,
}

/// Limits, all optional; an endpoint's limits override its family's.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted request (file) in bytes.
    #[serde(default)]
    pub max_file_bytes: Option<u64>,
    /// Accepted image formats, lower-case extensions.
    #[serde(default)]
    pub formats: Option<Vec<String>>,
    /// Images per call.
    #[serde(default)]
    pub images_per_call: Option<u32>,
    /// Ports an image URL may name (`80`, `443`, `10000-12000`).
    #[serde(default)]
    pub url_ports: Option<Vec<String>>,
    /// How long the vendor waits for an image URL to download.
    #[serde(default)]
    pub url_download_timeout_secs: Option<u32>,
    /// Recommended minimum resolution, `WIDTHxHEIGHT` (`760x480`).
    #[serde(default)]
    pub recommended_resolution: Option<String>,
    /// Longest side over shortest side above which the service cannot
    /// read an image at all (General OCR's "about 1:10").
    #[serde(default)]
    pub max_aspect_ratio: Option<f64>,
    /// Longest side over shortest side above which the service reads
    /// poorly and recommends slicing (General OCR's 1:2.5).
    #[serde(default)]
    pub recommended_max_aspect_ratio: Option<f64>,
    /// Where each number came from and whether it changed since.
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// UpperCamelCase variant name in the generated code enum.
    pub name: String,
    /// The vendor's symbolic name for the code (NHN's `resultKey`,
    /// `INVALID_PARAMETER`), when it documents one.
    #[serde(default)]
    pub key: Option<String>,
    /// The vendor's message, verbatim.
    pub message: String,
    /// What it means, in our words.
    pub meaning: String,
    /// Whether sending the same request again can succeed.
    pub retryable: bool,
    /// Whether the code says the caller is sending too fast (a rate limit,
    /// not a quota): the client's adaptive rate limiter slows down on it,
    /// and the emulator answers it when its rate limit is exceeded. Implies
    /// `retryable`.
    #[serde(default)]
    pub throttling: bool,
    /// HTTP status the code arrives with (families whose failures are
    /// HTTP statuses).
    #[serde(default)]
    pub http_status: Option<u16>,
    /// Where the code is documented, when it is not the family's main source.
    #[serde(default)]
    pub source: Option<String>,
    /// The situations the service answers with this code, from the closed
    /// set the emulator acts out (`bad-credential`, `file-type`, ...); each
    /// situation is one code of the family at most.
    #[serde(default)]
    pub answers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contradiction {
    /// The spec location it concerns (`types.CreditCardResult.totalCardNum`).
    pub at: String,
    /// What the documents say, and where.
    pub what: String,
    /// What the spec and the generated code do about it.
    pub resolution: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    pub description: String,
    /// Wire value -> description, or `{name, description}` for a wire value
    /// that is no Rust name (`"00"`).
    pub values: UniqueMap<EnumValue>,
}

/// One value of an enum: its description, or its variant name and
/// description when the wire text does not make a variant name.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EnumValue {
    Described(String),
    Named {
        /// The Rust variant, `UpperCamelCase`.
        name: String,
        description: String,
    },
}

impl EnumValue {
    pub fn description(&self) -> &str {
        match self {
            EnumValue::Described(d) | EnumValue::Named { description: d, .. } => d,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectType {
    pub description: String,
    /// For a request whose needed fields depend on the value of one of its
    /// enum fields (the ID type of an authenticity check): which field that
    /// is, and what the typed per-value checks are called. Every other
    /// field then says, under `variants`, what each value needs of it.
    #[serde(default)]
    pub discriminator: Option<Discriminator>,
    /// Wire name -> field.
    pub fields: UniqueMap<Field>,
    /// How a value of this type reads as text in a report: member paths in
    /// order of preference (`formatted.value`, then `text`).
    #[serde(default)]
    pub reads_as: Vec<String>,
    /// A value of this type outlines an area of the image: how its corners
    /// are written. The CLI's `--annotate` draws every such value of an
    /// answer.
    #[serde(default)]
    pub outline: Option<Outline>,
}

/// How a type writes the corners of an area of the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outline {
    /// Members `x1`, `y1` ... `x4`, `y4` (NHN).
    Corners,
    /// A `vertices` list of objects with `x` and `y` (CLOVA).
    Vertices,
    /// Members `top`, `left`, `width`, `height`: an upright box (CLOVA V1).
    Rectangle,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discriminator {
    /// Wire name of a required, enum-typed field of the same type (`idType`).
    pub field: String,
    /// Rust name of the generated enum with one variant per value of that
    /// enum (`AuthenticityCheck`).
    #[serde(rename = "enum")]
    pub enum_name: String,
    /// Appended to each value's UpperCamelCase name to name the struct that
    /// holds its fields (`Check`: `resident` -> `ResidentCheck`).
    pub struct_suffix: String,
}

/// What one value of the discriminator needs of a field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantRule {
    /// Required for this value: a plain field of the check struct, so
    /// leaving it out does not compile. Written out every time, because
    /// "absent" is too easy to misread as either answer.
    pub required: bool,
    /// The form the value must have, checked by client and emulator alike.
    /// Absent: any text that is not blank.
    // `{digits: 13}` rather than serde_norway's default `!digits 13` tags.
    #[serde(default, with = "serde_norway::with::singleton_map")]
    pub format: Option<Format>,
}

/// A machine-checked form: a closed set, so the generated checks call the
/// runtime's one implementation of each (no regular expressions).
///
/// Written `date`, `{digits: 13}`, `{alnum: 5-6}`, `{upper-alnum: 9}` or
/// `{chars: 5-6}`; a length is a count or an inclusive `min-max` range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `YYYYMMDD` naming a real calendar day.
    Date,
    /// ASCII digits.
    Digits(Length),
    /// ASCII letters and digits.
    Alnum(Length),
    /// Upper-case ASCII letters and digits.
    UpperAlnum(Length),
    /// Any characters.
    Chars(Length),
}

/// A character count: `13`, or `5-6` for 5 to 6 inclusive. Whether the
/// range makes sense (not empty, not zero) is checked in validation, where
/// the error can name the spec path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub min: u64,
    pub max: u64,
}

impl<'de> Deserialize<'de> for Length {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LengthVisitor;
        impl Visitor<'_> for LengthVisitor {
            type Value = Length;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a count such as 13 or a range such as 5-6")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Length, E> {
                Ok(Length { min: n, max: n })
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Length, E> {
                u64::try_from(n)
                    .map(|n| Length { min: n, max: n })
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(n), &self))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Length, E> {
                let range = s
                    .split_once('-')
                    .and_then(|(lo, hi)| Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?)));
                match range {
                    Some((min, max)) => Ok(Length { min, max }),
                    None => Err(E::invalid_value(de::Unexpected::Str(s), &self)),
                }
            }
        }
        deserializer.deserialize_any(LengthVisitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Type expression: `string`, `int`, `float`, `bool`, `json`, an enum or
    /// object name, `list<T>`, `one-or-list<T>` (a value the vendor sends
    /// sometimes bare, sometimes as a list), `int-or-string` (a number
    /// the vendor documents as text but sends as a number), or `base64`
    /// (bytes that travel as Base64 text).
    #[serde(rename = "type")]
    pub ty: String,
    /// One line, in our own words.
    pub description: String,
    /// Absent from the wire is an error when true; the field is an `Option`
    /// otherwise.
    #[serde(default)]
    pub required: bool,
    /// Travels as Base64 AES ciphertext under the request's symmetric key.
    #[serde(default)]
    pub encrypted: bool,
    /// Personal data that is not encrypted on the wire but must still be
    /// redacted in `Debug` and zeroized on drop.
    #[serde(default)]
    pub sensitive: bool,
    /// Rust field name, when the snake_case of the wire name would not do.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Other spellings the vendor uses for this field. Each becomes its own
    /// field (so a document round-trips byte for byte) plus an accessor that
    /// returns whichever spelling is present.
    #[serde(default)]
    pub also_spelled: Vec<Spelling>,
    /// On a type with a `discriminator`: what each of its values needs of
    /// this field (value -> rule). Values not listed do not use the field.
    #[serde(default)]
    pub variants: UniqueMap<VariantRule>,
    /// The form the value takes: a checked form (`{digits: 10}`, `date`),
    /// which the client checks before a request goes out and the emulator
    /// when one arrives, or words the vendor states (`yyyy`), for the
    /// documentation only. On a type with a `discriminator` the form goes
    /// per value under `variants`, and a value that never changes under
    /// `fixed`.
    #[serde(default)]
    pub format: Option<FieldFormat>,
    /// The one value this string field ever has on the wire (CLOVA's
    /// `version: V2`). It becomes a constant on the type named after the
    /// field (`DocumentRequest::VERSION`), which the client sends and the
    /// emulator insists on, so the value is written here only.
    #[serde(default)]
    pub fixed: Option<String>,
}

/// A field's `format`: checked, or words.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FieldFormat {
    // `{digits: 10}` rather than serde_norway's default `!digits 10` tags.
    Checked(#[serde(with = "serde_norway::with::singleton_map")] Format),
    Words(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spelling {
    pub wire: String,
    /// Rust name of the extra field.
    pub rust_name: String,
    /// Which document uses this spelling.
    pub seen_in: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub summary: String,
    pub method: Method,
    /// Path template relative to the base URL, with `{variables}`.
    pub path: String,
    /// Every `{variable}` in `path`, in order.
    #[serde(default)]
    pub path_params: UniqueMap<PathParam>,
    /// Request headers other than `Content-Type` (which the encoding implies).
    #[serde(default)]
    pub headers: UniqueMap<Header>,
    /// For an endpoint sealed with the envelope: the service whose public
    /// key seals it, one of the `allowed` values of the public-key
    /// endpoint's `argument` path variable (`id-card` seals
    /// `id-card-authenticity`). Written down because the pairing is the
    /// vendor's choice, not something the names imply.
    #[serde(default)]
    pub key_service: Option<String>,
    /// The accepted request bodies; empty for a GET.
    #[serde(default)]
    pub request: Vec<Encoding>,
    pub response: Response,
    /// Codes from the family's `errors` this endpoint can answer with
    /// besides the family's `common_errors` and its `error_groups`.
    #[serde(default)]
    pub errors: Vec<String>,
    /// The family's error groups whose codes this endpoint can answer with.
    #[serde(default)]
    pub error_groups: Vec<String>,
    /// Overrides of the family's limits.
    #[serde(default)]
    pub limits: Option<Limits>,
    /// For an endpoint that revokes tokens: the request field that names
    /// the token.
    #[serde(default)]
    pub revokes_token: Option<String>,
    /// Anything else a caller must know (single-use keys, pricing notes).
    #[serde(default)]
    pub notes: Vec<String>,
    /// How the command line reports an answer in text.
    #[serde(default)]
    pub report: Option<Report>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathParam {
    pub value: ParamValue,
    pub description: String,
    /// The values the vendor accepts, when it lists them.
    #[serde(default)]
    pub allowed: Vec<String>,
}

/// What fills a path variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamValue {
    /// The caller's app key.
    AppKey,
    /// Chosen per call by the runtime (the service a public key is for).
    Argument,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub value: HeaderValue,
    #[serde(default = "yes")]
    pub required: bool,
    pub description: String,
}

fn yes() -> bool {
    true
}

/// What the runtime puts in a header; the emulator checks the same thing.
/// (The header that authenticates a call is the auth scheme's, not an
/// endpoint's.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderValue {
    /// Version string of the public key the envelope was sealed for.
    KeyVersion,
    /// The per-request AES key, RSA-encrypted and Base64-encoded.
    SealedSymmetricKey,
    /// A Request-Key returned by an earlier call.
    RequestKey,
}

/// One way of sending a request body: exactly one of `multipart`, `json`
/// or `form`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encoding {
    /// `multipart/form-data`; part name -> part.
    #[serde(default)]
    pub multipart: Option<UniqueMap<Part>>,
    /// `application/json` with the named object type as the body.
    #[serde(default)]
    pub json: Option<String>,
    /// `application/x-www-form-urlencoded` with the named object type's
    /// fields (strings only) as the form's names and values.
    #[serde(default)]
    pub form: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// `file` for raw bytes, `string` or an enum name for a text field, or
    /// an object type name sent as JSON text.
    #[serde(rename = "type")]
    pub ty: String,
    pub description: String,
    #[serde(default = "yes")]
    pub required: bool,
    /// A text part's checked form (`{chars: 1-1000}`), checked by the
    /// client before sending and by the emulator on receipt.
    #[serde(default, with = "serde_norway::with::singleton_map")]
    pub format: Option<Format>,
    /// The part's bytes are AES ciphertext under the request's key.
    #[serde(default)]
    pub encrypted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Object type of the body; for a `result_header` family, of its
    /// result member. Absent: a success carries no body worth reading.
    #[serde(default)]
    pub body: Option<String>,
    /// Which member of a CLOVA image result carries this document's data.
    #[serde(default)]
    pub document_field: Option<String>,
    /// Response headers worth reading.
    #[serde(default)]
    pub headers: UniqueMap<ResponseHeader>,
    /// For an endpoint that issues access tokens: which body fields hold
    /// the token and its lifetime, and the lifetimes the vendor allows.
    #[serde(default)]
    pub token: Option<TokenIssue>,
    /// Example answers, by variant (`resident`, `driver`; the first is the
    /// default): files under `spec/examples/`, each the payload of a
    /// success (the document, for an endpoint with a `document_field`).
    /// The emulator answers with them.
    #[serde(default)]
    pub examples: UniqueMap<String>,
}

/// The token an issuing endpoint's answer carries.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenIssue {
    /// Field holding the token (`access_token`).
    pub value: String,
    /// Field holding its lifetime in seconds (`expires_in`).
    pub expires_in: String,
    /// The lifetimes the vendor documents, in seconds.
    pub lifetime_secs: Lifetime,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifetime {
    /// Unless the account configures another.
    pub default: u64,
    pub min: u64,
    pub max: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    pub description: String,
    /// When the header is sent ("resident and driver cards only").
    #[serde(default)]
    pub when: Option<String>,
    /// How long its value can be used, in seconds.
    #[serde(default)]
    pub valid_for_secs: Option<u64>,
    /// Whether its value can be used once only.
    #[serde(default)]
    pub single_use: bool,
}

/// A shared error table, `spec/errors/<name>.yaml`: the codes of one vendor
/// page that several families answer with, in the family spec's `errors`
/// format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTable {
    pub title: String,
    pub sources: Vec<String>,
    pub errors: UniqueMap<ErrorCode>,
    /// Groups of the table's codes, which every family taking the table
    /// has (its endpoints name those they answer).
    #[serde(default)]
    pub error_groups: UniqueMap<ErrorGroup>,
}

/// A named set of codes several endpoints can answer with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorGroup {
    /// What the codes have in common, and so which endpoints answer them.
    pub description: String,
    /// Codes from the family's `errors`.
    pub codes: Vec<String>,
}

/// An insertion-ordered map that refuses a key written twice.
///
/// YAML parsers differ on duplicate keys (some keep the last silently); a
/// spec that says the same field twice is a mistake we want reported.
#[derive(Debug)]
pub struct UniqueMap<V>(pub IndexMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        UniqueMap(IndexMap::new())
    }
}

impl<V> std::ops::Deref for UniqueMap<V> {
    type Target = IndexMap<String, V>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UniqueVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueVisitor<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping with unique keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}
