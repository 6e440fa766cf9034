//! The validated model: what the emitter works from.
//!
//! Where [`crate::spec`] is the file as written, the model is the file as
//! understood: type expressions parsed and resolved, Rust names chosen and
//! checked for clashes, encrypted field paths computed. Everything is in the
//! spec file's order (`Vec`s built from `IndexMap`s), so generation is
//! deterministic.

use crate::spec;
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
    pub title: String,
    pub sources: Vec<String>,
    pub vendor: spec::Vendor,
    pub base_url: Option<String>,
    pub base_url_template: Option<String>,
    /// The path a caller-supplied base URL ends in (no `default` only).
    pub base_path: Option<String>,
    /// The `{variables}` of `base_path`, in order.
    pub base_path_params: Vec<String>,
    pub alternate_urls: Vec<(String, String)>,
    pub auth_header: String,
    pub auth_value: spec::HeaderValue,
    pub error_shape: spec::ErrorShape,
    pub envelope: Option<spec::Envelope>,
    pub limits: spec::Limits,
    pub errors: Vec<ErrorCode>,
    pub contradictions: Vec<spec::Contradiction>,
    pub enums: Vec<Enum>,
    pub types: Vec<Object>,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug)]
pub struct ErrorCode {
    /// The code as the vendor writes it (`"4000001"`, `"-1"`, `"0025"`).
    pub code: String,
    pub name: String,
    pub message: String,
    pub meaning: String,
    pub retryable: bool,
    pub http_status: Option<u16>,
    pub source: Option<String>,
}

#[derive(Debug)]
pub struct Enum {
    pub name: String,
    pub description: String,
    /// (wire value, Rust variant, description)
    pub values: Vec<(String, String, String)>,
}

#[derive(Debug)]
pub struct Object {
    pub name: String,
    pub description: String,
    pub fields: Vec<Field>,
    /// Accessors for fields the vendor spells more than one way.
    pub spelling_accessors: Vec<SpellingAccessor>,
    /// False when a required field has a type with no sensible default.
    pub derives_default: bool,
    /// The typed per-value checks, for a type with a `discriminator`.
    pub discriminated: Option<Discriminated>,
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
    pub format: Option<spec::Format>,
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
    /// The one value the field has on the wire; emitted as a constant.
    pub fixed: Option<String>,
    /// Set on the extra field generated for an alternate spelling.
    pub spelling_of: Option<String>,
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
}

/// A parsed, resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Int,
    Float,
    Bool,
    Json,
    Enum(String),
    Object(String),
    List(Box<TypeExpr>),
    OneOrList(Box<TypeExpr>),
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
    pub method: spec::Method,
    pub path: String,
    pub path_params: Vec<PathParam>,
    pub headers: Vec<Header>,
    /// The public-key service whose key seals the endpoint (enveloped
    /// endpoints only; validated against the public-key endpoint's `allowed`).
    pub key_service: Option<String>,
    pub request: Vec<Encoding>,
    pub response_body: String,
    pub document_field: Option<String>,
    pub response_headers: Vec<ResponseHeader>,
    pub errors: Vec<String>,
    /// Family limits with the endpoint's overrides applied.
    pub limits: spec::Limits,
    pub notes: Vec<String>,
    /// Wire paths of encrypted request data (`image`, `name`, ...).
    pub encrypted_request: Vec<String>,
    /// Wire paths of encrypted response data (`cardNums[].value`, ...).
    pub encrypted_response: Vec<String>,
    /// The JSON request body type, if the endpoint accepts one.
    pub json_body: Option<String>,
}

#[derive(Debug)]
pub struct PathParam {
    pub name: String,
    pub value: spec::ParamValue,
    pub description: String,
    pub allowed: Vec<String>,
}

#[derive(Debug)]
pub struct Header {
    pub name: String,
    pub value: spec::HeaderValue,
    pub required: bool,
    pub description: String,
}

#[derive(Debug)]
pub enum Encoding {
    Multipart(Vec<Part>),
    Json(String),
}

#[derive(Debug)]
pub struct Part {
    pub name: String,
    /// `None` for raw file bytes, else the object type sent as JSON text.
    pub json_type: Option<String>,
    pub description: String,
    pub required: bool,
    pub encrypted: bool,
}

#[derive(Debug)]
pub struct ResponseHeader {
    pub name: String,
    pub description: String,
    pub when: Option<String>,
    pub valid_for_secs: Option<u64>,
    pub single_use: bool,
}
