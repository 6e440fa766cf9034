//! Each validation rule, broken on purpose: the error names the spec file,
//! the path inside it, and what is wrong.

use ocrwire_codegen::load_str;
use std::path::Path;

/// A small but complete family with an envelope; tests edit it.
const BASE: &str = r#"
family: demo-family
title: Demo
sources: [shared/docs/demo.txt]
vendor: nhn
base_url: {default: "https://demo.invalid"}
auth:
  secret-key: {header: Authorization, credential: secret-key, description: Secret key.}
error_shape:
  result_header: {member: header, type: ResultHeader, success: isSuccessful, code: resultCode, message: resultMessage, result: result}
envelope:
  symmetric_key_bytes: 32
  key_wrap: RSA/ECB/PKCS1Padding
  cipher: AES-256/CBC/PKCS7Padding
  iv: first 16 bytes of the key
  public_key_encoding: Base64 DER SPKI
  field_encoding: Base64 ciphertext
  file_encoding: raw ciphertext
  symmetric_key_encoding: Base64 RSA ciphertext
  public_key_endpoint: public-key
  key_field: key
  version_field: version
  key_version_error: "4000301"
  headers:
    X-Key-Version: {value: key-version, description: Version.}
    Symmetric-Key: {value: sealed-symmetric-key, description: Key.}
limits: {max_file_bytes: 100}
errors:
  "4000001": {name: InvalidParameter, message: Invalid parameter., meaning: Bad input., retryable: false}
  "4000301": {name: InvalidKeyVersion, message: Invalid key version., meaning: Stale key., retryable: true}
enums:
  Kind:
    description: Kind of document.
    values:
      card: A card.
      badge: A badge.
types:
  ResultHeader:
    description: Outcome.
    fields:
      isSuccessful: {type: bool, required: true, description: Success.}
      resultCode: {type: int, required: true, description: Code.}
      resultMessage: {type: string, required: true, description: Message.}
  KeyResult:
    description: A public key.
    fields:
      key: {type: string, description: The key.}
      version: {type: string, description: Its version.}
  CardResult:
    description: A card.
    fields:
      number: {type: string, encrypted: true, description: The number.}
      conf: {type: float, description: Confidence.}
  CheckRequest:
    description: Details to check, by kind.
    discriminator: {field: kind, enum: DocumentCheck, struct_suffix: Check}
    fields:
      kind: {type: Kind, required: true, description: Which kind.}
      holder:
        type: string
        encrypted: true
        description: Holder number.
        variants:
          card: {required: true, format: {digits: 13}}
          badge: {required: false, format: {upper-alnum: 5-6}}
      issued:
        type: string
        description: Issue date.
        variants:
          card: {required: true, format: date}
endpoints:
  card:
    summary: Read a card.
    method: POST
    path: /v1/{appKey}/card
    path_params:
      appKey: {value: app-key, description: App key.}
    key_service: card
    request:
      - multipart:
          image: {type: file, encrypted: true, description: Image.}
    response: {body: CardResult}
    errors: ["4000001", "4000301"]
  public-key:
    summary: Issue a public key.
    method: GET
    path: /v1/{appKey}/keys/{service}
    path_params:
      appKey: {value: app-key, description: App key.}
      service: {value: argument, description: Service., allowed: [card, badge]}
    response: {body: KeyResult}
    errors: ["4000001"]
"#;

fn file() -> &'static Path {
    Path::new("spec/demo-family.yaml")
}

/// Loads `BASE` with `from` replaced by `to`, expecting failure; returns the message.
fn error_after(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "test edit does not apply: {from}");
    let text = BASE.replacen(from, to, 1);
    match load_str(file(), &text) {
        Ok(_) => panic!("edit `{from}` -> `{to}` should be rejected"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "error should mention `{part}`:\n{message}"
        );
    }
}

#[test]
fn the_base_spec_is_valid_and_computes_encrypted_paths() {
    let family = load_str(file(), BASE).unwrap();
    let card = &family.endpoints[0];
    assert_eq!(card.encrypted_request, ["image"]);
    assert_eq!(card.encrypted_response, ["number"]);
}

#[test]
fn unknown_keys_are_rejected_with_their_location() {
    let e = error_after("conf: {type: float,", "conf: {type: float, optional: true,");
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "types.CardResult.fields.conf",
            "unknown field `optional`",
        ],
    );
}

#[test]
fn duplicate_keys_are_rejected() {
    let e = error_after(
        "      conf: {type: float, description: Confidence.}",
        "      conf: {type: float, description: Confidence.}\n      conf: {type: int, description: Again.}",
    );
    assert_mentions(&e, &["spec/demo-family.yaml", "duplicate key `conf`"]);
}

#[test]
fn undefined_types_are_named() {
    let e = error_after("conf: {type: float,", "conf: {type: list<Confidence>,");
    assert_mentions(
        &e,
        &[
            "types.CardResult.fields.conf.type",
            "undefined type `Confidence`",
        ],
    );
}

#[test]
fn encrypted_needs_a_string_carrying_type() {
    let e = error_after(
        "conf: {type: float,",
        "conf: {type: float, encrypted: true,",
    );
    assert_mentions(
        &e,
        &[
            "types.CardResult.fields.conf.encrypted",
            "`encrypted` on a field of type `float`",
            "only string",
        ],
    );
}

#[test]
fn encrypted_needs_an_envelope() {
    // Delete the whole `envelope:` section (up to `limits:`).
    let start = BASE.find("envelope:\n").unwrap();
    let end = BASE.find("limits:").unwrap();
    let without = format!("{}{}", &BASE[..start], &BASE[end..]);
    let e = load_str(file(), &without).unwrap_err().to_string();
    assert_mentions(
        &e,
        &["types.CardResult.fields.number.encrypted", "no `envelope`"],
    );
}

#[test]
fn an_endpoint_must_list_its_errors() {
    let e = error_after(r#"errors: ["4000001", "4000301"]"#, "errors: []");
    assert_mentions(&e, &["endpoints.card.errors", "must list the error codes"]);
}

#[test]
fn endpoint_errors_must_exist() {
    let e = error_after(
        r#"errors: ["4000001", "4000301"]"#,
        r#"errors: ["4000001", "4000999"]"#,
    );
    assert_mentions(
        &e,
        &[
            "endpoints.card.errors",
            "`4000999` is not in the family's `errors`",
        ],
    );
}

#[test]
fn path_variables_must_match_path_params() {
    let e = error_after("path: /v1/{appKey}/card", "path: /v1/{appKey}/{kind}/card");
    assert_mentions(&e, &["endpoints.card.path_params", "kind"]);
}

#[test]
fn duplicate_rust_names_are_rejected() {
    let e = error_after(
        "      conf: {type: float,",
        "      Conf: {type: float, description: Upper.}\n      conf: {type: float,",
    );
    assert_mentions(
        &e,
        &["types.CardResult.fields.conf", "duplicate name", "`conf`"],
    );
}

#[test]
fn type_names_must_be_upper_camel_case() {
    let e = error_after("  CardResult:\n", "  card_result:\n");
    assert_mentions(&e, &["types.card_result", "must be UpperCamelCase"]);
}

#[test]
fn encrypted_response_needs_a_key_to_be_sent() {
    let e = error_after("    key_service: card\n", "");
    assert_mentions(
        &e,
        &[
            "endpoints.card.response",
            "the request sends no symmetric key",
        ],
    );
}

// ---- The envelope's two headers, declared once ----

#[test]
fn a_sealed_endpoint_sends_the_envelopes_headers_first() {
    let family = load_str(file(), BASE).unwrap();
    let names = |name: &str| -> Vec<String> {
        let e = family.endpoint(name).unwrap();
        e.headers.iter().map(|h| h.name.clone()).collect()
    };
    assert_eq!(names("card"), ["X-Key-Version", "Symmetric-Key"]);
    assert!(names("public-key").is_empty(), "not sealed, no headers");
    // With a header of its own, after the envelope's.
    let text = BASE.replacen(
        "    key_service: card\n",
        "    headers:\n      Request-Key: {value: request-key, description: Ticket.}\n    key_service: card\n",
        1,
    );
    let family = load_str(file(), &text).unwrap();
    let e = family.endpoint("card").unwrap();
    let names: Vec<&str> = e.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["X-Key-Version", "Symmetric-Key", "Request-Key"]);
}

#[test]
fn an_endpoint_does_not_restate_the_envelopes_headers() {
    let e = error_after(
        "    key_service: card\n",
        "    headers:\n      X-Key-Version: {value: key-version, description: Again.}\n    key_service: card\n",
    );
    assert_mentions(
        &e,
        &[
            "endpoints.card.headers.X-Key-Version",
            "declared once, in `envelope.headers`",
        ],
    );
    assert_eq!(
        e.lines().count(),
        1,
        "one error for one restated header:\n{e}"
    );
    // Another value under the envelope header's name.
    let e = error_after(
        "    key_service: card\n",
        "    headers:\n      x-key-version: {value: request-key, description: Ticket.}\n    key_service: card\n",
    );
    assert_mentions(
        &e,
        &[
            "endpoints.card.headers.x-key-version",
            "this name is the envelope's header",
        ],
    );
}

#[test]
fn the_envelope_declares_exactly_its_two_headers() {
    let headers = "  headers:\n    X-Key-Version: {value: key-version, description: Version.}\n    Symmetric-Key: {value: sealed-symmetric-key, description: Key.}\n";
    let e = error_after(
        "    X-Key-Version: {value: key-version, description: Version.}\n",
        "",
    );
    assert_mentions(
        &e,
        &[
            "envelope.headers",
            "one `key-version` and one `sealed-symmetric-key`",
        ],
    );
    // The older format, each sealed endpoint listing both, still loads (for
    // `diff` against older specs), to the same model.
    let older = BASE.replacen(headers, "", 1).replacen(
        "    key_service: card\n",
        "    headers:\n      X-Key-Version: {value: key-version, description: Version.}\n      Symmetric-Key: {value: sealed-symmetric-key, description: Key.}\n    key_service: card\n",
        1,
    );
    let (old, new) = (
        load_str(file(), &older).unwrap(),
        load_str(file(), BASE).unwrap(),
    );
    let roles = |f: &ocrwire_codegen::model::Family| -> Vec<(String, String)> {
        f.endpoints
            .iter()
            .flat_map(|e| {
                e.headers
                    .iter()
                    .map(move |h| (e.name.clone(), h.name.clone()))
            })
            .collect()
    };
    assert_eq!(roles(&old), roles(&new));
    let e = error_after(
        "    Symmetric-Key: {value: sealed-symmetric-key, description: Key.}\n",
        "    Request-Key: {value: request-key, description: Ticket.}\n",
    );
    assert_mentions(
        &e,
        &[
            "envelope.headers",
            "a `request-key` header is an endpoint's",
        ],
    );
}

// ---- Which public-key service seals each enveloped endpoint ----

#[test]
fn the_key_service_is_carried_to_the_model_and_the_descriptor() {
    let family = load_str(file(), BASE).unwrap();
    let services: Vec<(&str, Option<&str>)> = family
        .endpoints
        .iter()
        .map(|e| (e.name.as_str(), e.key_service.as_deref()))
        .collect();
    assert_eq!(services, [("card", Some("card")), ("public-key", None)]);
    let code = ocrwire_codegen::generate(&family).contents;
    assert!(
        code.contains("key_service: Some(\"card\"),") && code.contains("key_service: None,"),
        "{code}"
    );
}

#[test]
fn an_enveloped_endpoint_must_name_its_key_service() {
    let e = error_after("    key_service: card\n", "");
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "endpoints.card.key_service",
            "sends encrypted data is sealed with the envelope: name the public-key service whose key seals it",
            "(one of card, badge, from `public-key`)",
        ],
    );
}

#[test]
fn the_key_service_must_be_one_the_public_key_endpoint_issues() {
    let e = error_after("key_service: card", "key_service: cards");
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "endpoints.card.key_service",
            "`cards` is not a service the public-key endpoint `public-key` issues keys for (card, badge)",
        ],
    );
}

#[test]
fn only_enveloped_endpoints_name_a_key_service() {
    let e = error_after(
        "    response: {body: KeyResult}\n",
        "    key_service: card\n    response: {body: KeyResult}\n",
    );
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "endpoints.public-key.key_service",
            "the public-key endpoint cannot itself be sealed",
        ],
    );
}

#[test]
fn the_public_key_endpoint_must_exist_and_list_its_services() {
    let e = error_after(
        "public_key_endpoint: public-key",
        "public_key_endpoint: keys",
    );
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "envelope.public_key_endpoint",
            "`keys` is not an endpoint of this family",
        ],
    );
    let e = error_after(", allowed: [card, badge]}", "}");
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "endpoints.public-key.path_params",
            "exactly one `argument` path variable whose `allowed` lists the services",
        ],
    );
    // The key that seals cannot itself come sealed.
    let e = error_after(
        "public_key_endpoint: public-key",
        "public_key_endpoint: card",
    );
    assert_mentions(
        &e,
        &[
            "endpoints.card.key_service",
            "the public-key endpoint cannot itself be sealed",
        ],
    );
}

// ---- Fixed wire values ----

const CONF: &str = "      conf: {type: float, description: Confidence.}\n";

/// `BASE` with one more `CardResult` field, written as `field`.
fn with_field(field: &str) -> String {
    assert!(BASE.contains(CONF));
    BASE.replacen(CONF, &format!("{CONF}      {field}\n"), 1)
}

/// Whitespace-free, so comparisons do not depend on prettyplease's layout.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_fixed_value_becomes_a_constant_on_its_type() {
    let field = "schema: {type: string, required: true, fixed: S1, description: Schema.}";
    let family = load_str(file(), &with_field(field)).unwrap();
    let card = family
        .types
        .iter()
        .find(|t| t.name == "CardResult")
        .unwrap();
    let schema = card.fields.iter().find(|f| f.wire == "schema").unwrap();
    assert_eq!(schema.fixed.as_deref(), Some("S1"));
    let code = flat(&ocrwire_codegen::generate(&family).contents);
    // An associated constant of `CardResult`, named after the field.
    let start = code
        .find("implCardResult{")
        .unwrap_or_else(|| panic!("{code}"));
    let block = &code[start..];
    let block = &block[..block.find('}').unwrap()];
    assert!(
        block.contains(r#"pubconstSCHEMA:&'staticstr="S1";"#),
        "{code}"
    );
    // Editing the spec's value is all it takes to change the constant.
    let edited = ocrwire_codegen::generate(
        &load_str(file(), &with_field(&field.replace("S1", "S2"))).unwrap(),
    );
    let edited = flat(&edited.contents);
    assert!(
        edited.contains(&flat(r#"pub const SCHEMA: &'static str = "S2";"#)),
        "{edited}"
    );
    assert!(!edited.contains("\"S1\""), "{edited}");
    // Without `fixed`, no constant (and no `impl` block to hold one).
    let plain = flat(&ocrwire_codegen::generate(&load_str(file(), BASE).unwrap()).contents);
    assert!(!plain.contains("implCardResult{"), "{plain}");
}

#[test]
fn a_fixed_value_is_plain_text_stated_once() {
    let e = error_after("conf: {type: float,", "conf: {type: float, fixed: \"1.0\",");
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "types.CardResult.fields.conf.fixed",
            "`fixed` on a field of type `float`: a fixed wire value is a `string`",
        ],
    );
    let e = error_after(
        "number: {type: string, encrypted: true,",
        "number: {type: string, encrypted: true, fixed: N1,",
    );
    assert_mentions(
        &e,
        &[
            "types.CardResult.fields.number.fixed",
            "`fixed` on an encrypted field",
        ],
    );
    let e = load_str(
        file(),
        &with_field("schema: {type: string, fixed: \" \", description: Schema.}"),
    )
    .unwrap_err()
    .to_string();
    assert_mentions(
        &e,
        &["types.CardResult.fields.schema.fixed", "cannot be blank"],
    );
    let e = load_str(
        file(),
        &with_field("schema: {type: string, fixed: S1, format: S1, description: Schema.}"),
    )
    .unwrap_err()
    .to_string();
    assert_mentions(
        &e,
        &[
            "types.CardResult.fields.schema.format",
            "`format` and `fixed` state the same fact twice",
        ],
    );
}

#[test]
fn editing_the_clova_spec_version_changes_the_generated_constants() {
    let spec_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/clova-document-ocr.yaml");
    let text = std::fs::read_to_string(&spec_file).unwrap();
    // The file's own place: its shared error table is read beside it.
    let constants = |text: &str, version: &str| {
        let code = ocrwire_codegen::generate(&load_str(&spec_file, text).unwrap()).contents;
        flat(&code)
            .matches(&flat(&format!(
                r#"pub const VERSION: &'static str = "{version}";"#
            )))
            .count()
    };
    // DocumentRequest, DocumentMessage and DocumentResponse.
    assert_eq!(constants(&text, "V2"), 3);
    assert_eq!(text.matches("fixed: V2").count(), 3);
    let edited = text.replace("fixed: V2", "fixed: V3");
    assert_eq!(constants(&edited, "V3"), 3);
    assert_eq!(constants(&edited, "V2"), 0);
}

// ---- The path a caller-supplied base URL ends in ----

const DEFAULT_URL: &str = r#"base_url: {default: "https://demo.invalid"}"#;

/// `BASE` with no default URL and `base_url.path` set to `path`.
fn with_base_path(path: &str) -> String {
    BASE.replacen(
        DEFAULT_URL,
        &format!(r#"base_url: {{default: null, template: "<your gateway URL>", path: "{path}"}}"#),
        1,
    )
}

#[test]
fn a_family_without_a_default_url_needs_a_base_path() {
    let e = error_after(
        DEFAULT_URL,
        r#"base_url: {default: null, template: "<your gateway URL>"}"#,
    );
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "base_url.path",
            "with no `default` URL, give the `path`",
        ],
    );
    let e = error_after(
        DEFAULT_URL,
        r#"base_url: {default: "https://demo.invalid", path: "/gw/{Key}"}"#,
    );
    assert_mentions(
        &e,
        &[
            "base_url.path",
            "`path` is for a family without a `default` URL",
        ],
    );
}

#[test]
fn a_base_path_is_well_formed() {
    for (path, problem) in [
        ("gw/{Key}", "`gw/{Key}` must start with `/`"),
        ("/gw/{Key}/", "must not end with `/`"),
        ("/", "must not end with `/`"),
        ("/gw//{Key}", "has an empty segment"),
        (
            "/gw/{Key",
            "segment `{Key` of `/gw/{Key` is not a well-formed variable",
        ),
        (
            "/gw/Key}",
            "segment `Key}` of `/gw/Key}` is not a well-formed variable",
        ),
        (
            "/gw/x{Key}",
            "segment `x{Key}` of `/gw/x{Key}` is not a well-formed variable",
        ),
        (
            "/gw/{}",
            "segment `{}` of `/gw/{}` is not a well-formed variable",
        ),
        (
            "/gw/{K-y}",
            "segment `{K-y}` of `/gw/{K-y}` is not a well-formed variable",
        ),
        (
            "/gw/{{Key}}",
            "segment `{{Key}}` of `/gw/{{Key}}` is not a well-formed variable",
        ),
        (
            "/gw/{Key}/{Key}",
            "variable `Key` appears twice in `/gw/{Key}/{Key}`",
        ),
    ] {
        let e = load_str(file(), &with_base_path(path))
            .err()
            .unwrap_or_else(|| panic!("`{path}` should be rejected"))
            .to_string();
        assert_mentions(&e, &["spec/demo-family.yaml", "base_url.path", problem]);
    }
}

#[test]
fn base_path_variables_are_not_endpoint_variables() {
    // Served as one route template, a name in both would be ambiguous.
    let e = load_str(file(), &with_base_path("/gw/{appKey}"))
        .unwrap_err()
        .to_string();
    assert_mentions(
        &e,
        &[
            "endpoints.card.path",
            "variable `appKey` is also a variable of `base_url.path`",
        ],
    );
}

#[test]
fn family_must_match_file_name() {
    let e = error_after("family: demo-family", "family: other-family");
    assert_mentions(
        &e,
        &["family", "must match the file name `demo-family.yaml`"],
    );
}

#[test]
fn request_encoding_needs_exactly_one_kind() {
    let e = error_after(
        "      - multipart:\n",
        "      - json: CardResult\n        multipart:\n",
    );
    assert_mentions(
        &e,
        &[
            "endpoints.card.request[0]",
            "exactly one of `multipart`, `json` or `form`",
        ],
    );
}

#[test]
fn wrong_value_kinds_are_reported_with_position() {
    let e = error_after("method: POST", "method: PUT");
    assert_mentions(&e, &["endpoints.card.method", "unknown variant `PUT`"]);
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let text = BASE
        .replacen(
            "conf: {type: float,",
            "conf: {type: float, encrypted: true,",
            1,
        )
        .replacen(r#"errors: ["4000001", "4000301"]"#, "errors: []", 1);
    let e = load_str(file(), &text).unwrap_err();
    assert_eq!(e.0.len(), 2, "{e}");
}

#[test]
fn generation_is_deterministic() {
    let a = ocrwire_codegen::generate(&load_str(file(), BASE).unwrap());
    let b = ocrwire_codegen::generate(&load_str(file(), BASE).unwrap());
    assert_eq!(a, b);
    assert!(
        a.contents
            .starts_with("// @generated by ocrwire-codegen from spec/demo-family.yaml.")
    );
    assert!(
        a.contents
            .contains("#[encrypted]\n    pub number: Option<Sensitive>,"),
        "{}",
        a.contents
    );
}

// ---- Types with a `discriminator` (per-value required fields and formats) ----

#[test]
fn a_discriminator_gives_one_check_per_enum_value() {
    use ocrwire_codegen::model::Rule;
    use ocrwire_codegen::model::{Format, Length};
    let family = load_str(file(), BASE).unwrap();
    let request = family
        .types
        .iter()
        .find(|t| t.name == "CheckRequest")
        .unwrap();
    let d = request.discriminated.as_ref().expect("discriminated");
    assert_eq!(
        (d.field_wire.as_str(), d.enum_type.as_str()),
        ("kind", "Kind")
    );
    let names: Vec<&str> = d.variants.iter().map(|v| v.struct_name.as_str()).collect();
    assert_eq!(names, ["CardCheck", "BadgeCheck"]);
    let card: Vec<(&str, Rule)> = d.variants[0]
        .fields
        .iter()
        .map(|f| (f.wire.as_str(), f.rule))
        .collect();
    assert_eq!(
        card,
        [
            (
                "holder",
                Rule {
                    required: true,
                    format: Some(Format::Digits(Length { min: 13, max: 13 }))
                }
            ),
            (
                "issued",
                Rule {
                    required: true,
                    format: Some(Format::Date)
                }
            ),
        ]
    );
    let badge = &d.variants[1].fields;
    assert_eq!(badge.len(), 1, "a badge does not use `issued`");
    assert_eq!(
        badge[0].rule,
        Rule {
            required: false,
            format: Some(Format::UpperAlnum(Length { min: 5, max: 6 }))
        }
    );
    assert!(badge[0].secret, "encrypted fields are held in `Sensitive`");
}

#[test]
fn a_variant_must_be_a_value_of_the_discriminator_enum() {
    let e = error_after(
        "          badge: {required: false,",
        "          bagde: {required: false,",
    );
    assert_mentions(
        &e,
        &[
            "spec/demo-family.yaml",
            "types.CheckRequest.fields.holder.variants.bagde",
            "`bagde` is not a value of `Kind` (card, badge)",
        ],
    );
}

#[test]
fn variants_need_a_discriminator() {
    let e = error_after(
        "    discriminator: {field: kind, enum: DocumentCheck, struct_suffix: Check}\n",
        "",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.holder.variants",
            "needs a `discriminator`",
        ],
    );
}

#[test]
fn the_discriminator_must_be_a_required_enum_field() {
    let e = error_after("field: kind,", "field: sort,");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.field",
            "`sort` is not a field",
        ],
    );
    let e = error_after("kind: {type: Kind, required: true,", "kind: {type: Kind,");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.field",
            "must be `required: true`",
        ],
    );
    let e = error_after(
        "kind: {type: Kind, required: true,",
        "kind: {type: string, required: true,",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.field",
            "must have an enum type, not `string`",
        ],
    );
}

#[test]
fn every_field_of_a_discriminated_type_says_its_variants() {
    let e = error_after(
        "      issued:\n",
        "      note: {type: string, description: A note.}\n      issued:\n",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.note.variants",
            "say which values of `Kind` use this field",
        ],
    );
}

#[test]
fn required_and_format_are_said_per_variant_only() {
    let e = error_after(
        "        description: Issue date.\n",
        "        description: Issue date.\n        required: true\n        format: YYYYMMDD\n",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.issued.required",
            "say it per value under `variants`",
            "types.CheckRequest.fields.issued.format",
            "state the same fact twice",
        ],
    );
}

#[test]
fn a_variant_field_holds_text() {
    let e = error_after(
        "        type: string\n        description: Issue date.",
        "        type: int\n        description: Issue date.",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.issued.type",
            "must be a `string`, not `int`",
        ],
    );
}

#[test]
fn every_enum_value_is_used_by_some_field() {
    let e = error_after(
        "          badge: {required: false, format: {upper-alnum: 5-6}}\n",
        "",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator",
            "value `badge` of `Kind` is used by no field",
        ],
    );
}

#[test]
fn formats_are_a_closed_set() {
    let e = error_after("format: {digits: 13}", "format: {regex: \"[0-9]{13}\"}");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.holder.variants.card.format",
            "unknown variant `regex`",
            "digits",
        ],
    );
    let e = error_after("format: date", "format: yyyymmdd");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.issued.variants.card.format",
            "unknown variant `yyyymmdd`",
        ],
    );
}

#[test]
fn lengths_are_counts_or_ranges_that_make_sense() {
    let e = error_after("{digits: 13}", "{digits: thirteen}");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.holder.variants.card.format",
            "a count such as 13 or a range such as 5-6",
        ],
    );
    let e = error_after("{digits: 13}", "{digits: 0}");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.holder.variants.card.format",
            "a length starts at 1",
        ],
    );
    let e = error_after("{upper-alnum: 5-6}", "{upper-alnum: 6-5}");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.holder.variants.badge.format",
            "the range 6-5 is empty",
        ],
    );
}

#[test]
fn a_variant_rule_says_whether_it_is_required() {
    let e = error_after(
        "card: {required: true, format: date}",
        "card: {format: date}",
    );
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.fields.issued.variants.card",
            "missing field `required`",
        ],
    );
}

#[test]
fn generated_check_names_must_be_free() {
    let e = error_after("enum: DocumentCheck", "enum: CardResult");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.enum",
            "duplicate name: `CardResult`",
        ],
    );
    // `card` + `Result` would be `CardResult`, which is taken.
    let e = error_after("struct_suffix: Check", "struct_suffix: Result");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.struct_suffix",
            "duplicate name: `CardResult`",
        ],
    );
    let e = error_after("struct_suffix: Check", "struct_suffix: check");
    assert_mentions(
        &e,
        &[
            "types.CheckRequest.discriminator.struct_suffix",
            "must be UpperCamelCase",
        ],
    );
}

#[test]
fn a_parse_error_says_its_path_once() {
    let e = error_after("format: {digits: 13}", "format: {regex: \"x\"}");
    assert_eq!(
        e.matches("types.CheckRequest.fields.holder.variants.card.format")
            .count(),
        1,
        "{e}"
    );
}

#[test]
fn a_throttling_code_must_be_retryable() {
    let e = error_after(
        "meaning: Bad input., retryable: false}",
        "meaning: Bad input., retryable: false, throttling: true}",
    );
    assert_mentions(&e, &["errors.4000001.throttling", "retryable"]);
    let ok = BASE.replacen(
        "meaning: Stale key., retryable: true}",
        "meaning: Stale key., retryable: true, throttling: true}",
        1,
    );
    let family = load_str(file(), &ok).unwrap();
    assert!(family.errors.iter().any(|e| e.throttling));
}

#[test]
fn the_envelope_key_is_the_runtimes_aes_256_key() {
    let e = error_after("  symmetric_key_bytes: 32", "  symmetric_key_bytes: 16");
    assert_mentions(&e, &["envelope.symmetric_key_bytes", "32 bytes"]);
}

/// The card endpoint with a report whose line is `line`.
fn card_report(line: &str) -> String {
    error_after(
        "    response: {body: CardResult}\n    errors: [\"4000001\", \"4000301\"]",
        &format!(
            "    response: {{body: CardResult}}\n    report:\n      title: Card\n      lines:\n        - {line}\n    errors: [\"4000001\", \"4000301\"]"
        ),
    )
}

#[test]
fn report_paths_are_checked_against_the_response_type() {
    let e = card_report(r#"{label: n, value: "{numbr}"}"#);
    assert_mentions(
        &e,
        &[
            "endpoints.card.report.lines[0].value",
            "`CardResult` has no member `numbr`",
        ],
    );
    let e = card_report(r#"{label: n, value: "{number[]}"}"#);
    assert_mentions(&e, &["`string` is not a list"]);
    let e = card_report(r#"{label: n, value: "{number:meaning}"}"#);
    assert_mentions(&e, &["`number:meaning`: `string` is not an enum"]);
    let e = card_report(r#"{label: n, value: "{number"}"#);
    assert_mentions(&e, &["`{` without `}`"]);
    let e = card_report(r#"{label: n, value: "{number}", masks: {x: [1, 1]}}"#);
    assert_mentions(&e, &["`masks` and `empty` are for lines with `each`"]);
    let e = card_report(r#"{label: n, value: "{x}", each: number}"#);
    assert_mentions(&e, &["endpoints.card.report.lines[0].each", "not a list"]);
    // A good one loads, with the family's width.
    let ok = BASE.replacen(
        "    response: {body: CardResult}\n    errors: [\"4000001\", \"4000301\"]",
        "    response: {body: CardResult}\n    report:\n      title: Card\n      lines:\n        - {label: number, value: \"{number ?? conf}\", mask: [6, 4]}\n    errors: [\"4000001\", \"4000301\"]",
        1,
    );
    let family = load_str(file(), &ok).unwrap();
    let report = family.endpoints[0].report.as_ref().unwrap();
    assert_eq!((report.width, report.lines[0].mask), (12, Some((6, 4))));
}

#[test]
fn reads_as_must_end_in_text() {
    let e = error_after(
        "  KeyResult:\n    description: A public key.\n",
        "  KeyResult:\n    description: A public key.\n    reads_as: [missing]\n",
    );
    assert_mentions(&e, &["types.KeyResult.reads_as[0]", "no member `missing`"]);
}

/// `BASE` with `common_errors` declared, and each endpoint's list edited.
fn with_common(common: &str, card: &str, public_key: &str) -> String {
    let text = BASE.replacen("enums:\n", &format!("common_errors: {common}\nenums:\n"), 1);
    let text = text.replacen(r#"errors: ["4000001", "4000301"]"#, card, 1);
    text.replacen(r#"    errors: ["4000001"]"#, public_key, 1)
}

#[test]
fn common_errors_are_every_endpoints_and_said_once() {
    // Declared once, a code is every endpoint's; an endpoint may then list none.
    let text = with_common(r#"["4000001"]"#, r#"errors: ["4000301"]"#, "");
    let family = load_str(file(), &text).expect("valid");
    let codes = |name: &str| -> Vec<String> {
        let e = family.endpoint(name).unwrap();
        family.codes_of(e).map(ToString::to_string).collect()
    };
    assert_eq!(codes("card"), ["4000301", "4000001"]);
    assert_eq!(codes("public-key"), ["4000001"]);
    assert!(family.codes_every_endpoint_lists().is_empty());

    // Said again on an endpoint, or not in the table: refused, with where.
    let text = with_common(r#"["4000001"]"#, r#"errors: ["4000001", "4000301"]"#, "");
    let e = load_str(file(), &text).unwrap_err().to_string();
    assert_mentions(
        &e,
        &["endpoints.card.errors", "`4000001` is in `common_errors`"],
    );
    let text = with_common(r#"["4000999"]"#, r#"errors: ["4000301"]"#, "");
    let e = load_str(file(), &text).unwrap_err().to_string();
    assert_mentions(
        &e,
        &["common_errors", "`4000999` is not in the family's `errors`"],
    );
    // With no common codes, an endpoint still needs one of its own.
    let text = with_common("[]", r#"errors: ["4000301"]"#, "");
    let e = load_str(file(), &text).unwrap_err().to_string();
    assert_mentions(
        &e,
        &["endpoints.public-key.errors", "must list the error codes"],
    );
}

/// `BASE` with a third code, `error_groups` declared, and the card's list
/// edited.
fn with_groups(groups: &str, card: &str) -> String {
    let text = BASE.replacen("enums:\n", &format!("error_groups:\n{groups}enums:\n"), 1);
    let text = text.replacen(
        "  \"4000301\": {name: InvalidKeyVersion",
        "  \"4000302\": {name: InvalidSymmetricKey, message: Invalid symmetric key., meaning: Bad seal., retryable: false}\n  \"4000301\": {name: InvalidKeyVersion",
        1,
    );
    text.replacen(r#"errors: ["4000001", "4000301"]"#, card, 1)
}

const SEALED: &str = "  sealed:\n    description: Codes about a sealed request.\n    codes: [\"4000301\", \"4000302\"]\n";

#[test]
fn an_error_group_is_declared_once_and_named_by_its_endpoints() {
    // Named by an endpoint, a group's codes are that endpoint's, and only
    // its.
    let card = "errors: [\"4000001\"]\n    error_groups: [sealed]";
    let family = load_str(file(), &with_groups(SEALED, card)).expect("valid");
    let codes = |name: &str| -> Vec<String> {
        let e = family.endpoint(name).unwrap();
        family.codes_of(e).map(ToString::to_string).collect()
    };
    assert_eq!(codes("card"), ["4000001", "4000301", "4000302"]);
    assert_eq!(codes("public-key"), ["4000001"]);
    assert_eq!(family.error_groups[0].const_name, "SEALED_ERRORS");

    // Each mistake refused, with where.
    for (groups, card, expected) in [
        (
            SEALED,
            "errors: [\"4000001\", \"4000301\"]\n    error_groups: [sealed]",
            &[
                "endpoints.card.errors",
                "`4000301` is in error group `sealed`",
            ][..],
        ),
        (
            SEALED,
            "errors: [\"4000001\"]\n    error_groups: [sealed, other]",
            &["endpoints.card.error_groups", "no error group `other`"],
        ),
        (
            SEALED,
            "errors: [\"4000001\"]\n    error_groups: [sealed, sealed]",
            &[
                "endpoints.card.error_groups",
                "duplicate error group `sealed`",
            ],
        ),
        (
            SEALED,
            "errors: [\"4000001\", \"4000301\", \"4000302\"]",
            &["error_groups.sealed", "no endpoint names this group"],
        ),
        (
            "  sealed:\n    description: One.\n    codes: [\"4000301\"]\n",
            "errors: [\"4000001\"]\n    error_groups: [sealed]",
            &["error_groups.sealed.codes", "at least two codes"],
        ),
        (
            "  sealed:\n    description: Two.\n    codes: [\"4000301\", \"4000999\"]\n",
            "errors: [\"4000001\"]\n    error_groups: [sealed]",
            &[
                "error_groups.sealed.codes",
                "`4000999` is not in the family's `errors`",
            ],
        ),
        (
            "  Sealed:\n    description: Two.\n    codes: [\"4000301\", \"4000302\"]\n",
            "errors: [\"4000001\"]\n    error_groups: [Sealed]",
            &["error_groups.Sealed", "kebab-case"],
        ),
        (
            "  sealed:\n    description: Two.\n    codes: [\"4000301\", \"4000302\"]\n  keys:\n    description: Two.\n    codes: [\"4000302\", \"4000001\"]\n",
            "errors: []\n    error_groups: [sealed, keys]",
            &[
                "error_groups.keys.codes",
                "`4000302` is in error group `sealed` too",
            ],
        ),
        (
            "  common:\n    description: Two.\n    codes: [\"4000301\", \"4000302\"]\n",
            "errors: [\"4000001\"]\n    error_groups: [common]",
            &[
                "error_groups.common",
                "`COMMON_ERRORS` is another item's name",
            ],
        ),
    ] {
        let e = load_str(file(), &with_groups(groups, card))
            .unwrap_err()
            .to_string();
        assert_mentions(&e, expected);
    }
}

#[test]
fn the_committed_specs_declare_the_envelopes_headers_once() {
    // Not a load error, so that `diff` still reads specs written when each
    // sealed endpoint listed them.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for file in ocrwire_codegen::parse::spec_files(&dir).unwrap() {
        let text = std::fs::read_to_string(&file).unwrap();
        let spec = ocrwire_codegen::parse::parse_str(&file, &text).unwrap();
        let Some(envelope) = &spec.envelope else {
            continue;
        };
        assert!(
            !envelope.headers.0.is_empty(),
            "{}: declare the envelope's headers in `envelope.headers`",
            file.display()
        );
    }
}

#[test]
fn the_committed_specs_declare_a_code_every_endpoint_answers_once() {
    // Not a load error, so that `diff` still reads specs written before
    // `common_errors` existed.
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for family in ocrwire_codegen::load_dir(&spec).expect("valid specs") {
        assert!(
            family.codes_every_endpoint_lists().is_empty(),
            "{}: every endpoint lists {:?}; move them to `common_errors`",
            family.name,
            family
                .codes_every_endpoint_lists()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_client_is_named_and_its_methods_do_not_shadow_the_common_ones() {
    let with_client = |client: &str| BASE.replacen("enums:\n", &format!("{client}\nenums:\n"), 1);
    let ok = with_client("client: {name: DemoClient, description: A demo client.}");
    let family = load_str(file(), &ok).expect("valid");
    let client = family.client.as_ref().unwrap();
    assert_eq!((client.name.as_str(), client.module), ("DemoClient", "nhn"));
    let e = load_str(
        file(),
        &with_client("client: {name: demo, description: A demo client.}"),
    )
    .unwrap_err()
    .to_string();
    assert_mentions(
        &e,
        &["client.name", "must be UpperCamelCase and end in `Client`"],
    );
    // NHN's variables are shared; `env` is for a family whose callers each have a URL.
    let e = load_str(
        file(),
        &with_client(
            "client: {name: DemoClient, description: D., env: {url: DEMO_URL, secret: DEMO_SECRET}}",
        ),
    )
    .unwrap_err()
    .to_string();
    assert_mentions(
        &e,
        &[
            "client.env",
            "only a family whose callers each have their own URL",
        ],
    );
    // An endpoint called `new` would be a method every client already has.
    let text = ok.replacen("\n  card:\n", "\n  new:\n", 1);
    let e = load_str(file(), &text).unwrap_err().to_string();
    assert_mentions(&e, &["endpoints.new", "which every client already has"]);
}

#[test]
fn each_endpoint_gets_the_method_shape_its_request_and_answer_give() {
    use ocrwire_codegen::model::CallKind;
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let families = ocrwire_codegen::load_dir(&spec).expect("valid specs");
    let kind = |family: &str, endpoint: &str| -> CallKind {
        let f = families.iter().find(|f| f.name == family).unwrap();
        f.endpoint(endpoint).unwrap().call.clone()
    };
    let doc = "nhn-document-ocr-v2";
    assert_eq!(kind(doc, "public-key"), CallKind::PublicKey);
    assert_eq!(
        kind(doc, "credit-card"),
        CallKind::Upload {
            url_body: None,
            issues_request_key: false
        }
    );
    assert_eq!(
        kind(doc, "id-card"),
        CallKind::Upload {
            url_body: None,
            issues_request_key: true
        }
    );
    assert_eq!(
        kind(doc, "id-card-authenticity"),
        CallKind::SpendsRequestKey {
            body: "AuthenticityRequest".into()
        }
    );
    assert_eq!(
        kind("nhn-general-ocr-v1", "general"),
        CallKind::Upload {
            url_body: Some("ImageUrlRequest".into()),
            issues_request_key: false
        }
    );
    assert_eq!(
        kind("clova-document-ocr", "receipt"),
        CallKind::Document {
            document: "ReceiptDocument".into()
        }
    );
    // The token API has no client: its calls are the clients' own.
    assert_eq!(
        kind("nhn-user-access-key-token", "create-token"),
        CallKind::Request
    );
    assert!(families.iter().any(|f| f.client.is_none()));
}

#[test]
fn an_outline_needs_the_members_it_names() {
    let e = error_after(
        "  CardResult:\n    description: A card.\n",
        "  CardResult:\n    description: A card.\n    outline: corners\n",
    );
    assert_mentions(&e, &["types.CardResult.outline", "x1, y1 ... x4, y4"]);
    let e = error_after(
        "  CardResult:\n    description: A card.\n",
        "  CardResult:\n    description: A card.\n    outline: vertices\n",
    );
    assert_mentions(&e, &["types.CardResult.outline", "`vertices` list"]);
    let e = error_after(
        "  CardResult:\n    description: A card.\n",
        "  CardResult:\n    description: A card.\n    outline: rectangle\n",
    );
    assert_mentions(
        &e,
        &["types.CardResult.outline", "top, left, width and height"],
    );
}

#[test]
fn a_checked_form_applies_to_text_sealed_or_not() {
    let e = error_after(
        "conf: {type: float, description: Confidence.}",
        "conf: {type: float, format: {digits: 3}, description: Confidence.}",
    );
    assert_mentions(
        &e,
        &["types.CardResult.fields.conf.format", "applies to text"],
    );
    // An encrypted field's form is checked on its plaintext, so only where
    // both sides see that: a member of a JSON request body (the client
    // before it seals, the emulator after it opens). `CardResult` is an
    // answer.
    let e = error_after(
        "number: {type: string, encrypted: true, description: The number.}",
        "number: {type: string, encrypted: true, format: {digits: 16}, description: The number.}",
    );
    assert_mentions(&e, &["fields.number.format", "JSON request body"]);
}

#[test]
fn an_enum_value_that_is_no_rust_name_must_be_named() {
    let e = error_after("      card: A card.", "      \"00\": A card.");
    assert_mentions(&e, &["enums.Kind.values.00", "give it one"]);
}

#[test]
fn an_enum_value_s_own_name_is_upper_camel_case() {
    let e = error_after(
        "      card: A card.",
        "      card: {name: card_kind, description: A card.}",
    );
    assert_mentions(
        &e,
        &[
            "enums.Kind.values.card.name",
            "`card_kind` must be UpperCamelCase",
        ],
    );
}

/// `errors_from`: a family takes a shared table's codes (`errors/<name>.yaml`
/// beside it), and may not restate one.
#[test]
fn a_shared_error_table_is_read_beside_the_spec_and_not_restated() {
    let dir = std::env::temp_dir().join(format!("ocrwire-errors-from-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("errors")).unwrap();
    let table = |rest: &str| {
        std::fs::write(
            dir.join("errors/shared.yaml"),
            format!("title: Shared\nsources: [x]\nerrors:\n  \"4000001\": {{name: InvalidParameter, message: Invalid parameter., meaning: Bad input., retryable: false}}\n{rest}"),
        )
        .unwrap();
    };
    table("");
    let file = dir.join("demo-family.yaml");
    let own = "  \"4000001\": {name: InvalidParameter, message: Invalid parameter., meaning: Bad input., retryable: false}\n";
    let shared = BASE
        .replacen("errors:\n", "errors_from: [shared]\nerrors:\n", 1)
        .replacen(own, "", 1);
    let family = load_str(&file, &shared).unwrap();
    assert_eq!(
        family.errors[0].code.to_string(),
        "4000001",
        "the table's codes come first"
    );
    assert_eq!(family.errors.len(), 2);

    let restated = BASE.replacen("errors:\n", "errors_from: [shared]\nerrors:\n", 1);
    let e = load_str(&file, &restated).unwrap_err().to_string();
    assert_mentions(&e, &["errors.4000001", "is in the shared table"]);

    // A table's error groups are every taking family's; a family names
    // those its endpoints answer, and does not restate one.
    table(
        "  \"4000002\": {name: InvalidFile, message: Invalid file., meaning: Bad file., retryable: false}\nerror_groups:\n  input:\n    description: Bad input.\n    codes: [\"4000001\", \"4000002\"]\n",
    );
    let family = load_str(&file, &shared).unwrap();
    assert_eq!(family.error_groups[0].name, "input");
    assert!(
        family.endpoints.iter().all(|e| e.error_groups.is_empty()),
        "a table's group that no endpoint of this family names is no error"
    );
    // ... but one that no family taking the table names is, at the table.
    let e = ocrwire_codegen::validate::check_links(std::slice::from_ref(&family))
        .unwrap_err()
        .to_string();
    assert_mentions(
        &e,
        &[
            "shared.yaml",
            "error_groups.input",
            "in any family that takes this table",
        ],
    );
    let named = shared.replacen(
        r#"errors: ["4000001", "4000301"]"#,
        "errors: [\"4000301\"]\n    error_groups: [input]",
        1,
    );
    let family = load_str(&file, &named).unwrap();
    ocrwire_codegen::validate::check_links(std::slice::from_ref(&family)).unwrap();
    let card = family.endpoint("card").unwrap();
    let codes: Vec<String> = family.codes_of(card).map(ToString::to_string).collect();
    assert_eq!(codes, ["4000301", "4000001", "4000002"]);
    let restated = named.replacen(
        "enums:\n",
        "error_groups:\n  input:\n    description: Again.\n    codes: [\"4000001\", \"4000002\"]\nenums:\n",
        1,
    );
    let e = load_str(&file, &restated).unwrap_err().to_string();
    assert_mentions(&e, &["error_groups.input", "is in the shared table"]);
    // A table's group holds the table's own codes, whichever family reads it.
    table(
        "error_groups:\n  input:\n    description: Bad input.\n    codes: [\"4000001\", \"4000301\"]\n",
    );
    let e = load_str(&file, &shared).unwrap_err().to_string();
    assert_mentions(
        &e,
        &[
            "shared.yaml",
            "error_groups.input.codes",
            "`4000301` is not in this table's `errors`",
        ],
    );

    let missing = BASE.replacen("errors:\n", "errors_from: [nowhere]\nerrors:\n", 1);
    let e = load_str(&file, &missing).unwrap_err().to_string();
    assert_mentions(
        &e,
        &[
            "errors_from[0]",
            "cannot read the error table",
            "nowhere.yaml",
        ],
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A format the limits accept is sent as the family's `ImageFormat` value,
/// so it must be one; with both in place, the base spec stays valid.
#[test]
fn image_formats_in_limits_are_values_of_the_image_format_enum() {
    let with_enum = BASE.replacen(
        "enums:\n",
        "enums:\n  ImageFormat:\n    description: Image format.\n    values:\n      jpg: JPEG.\n      png: PNG.\n",
        1,
    );
    let fits = with_enum.replacen(
        "limits: {max_file_bytes: 100}",
        "limits: {max_file_bytes: 100, formats: [jpg, png]}",
        1,
    );
    load_str(file(), &fits).unwrap();
    let gif = with_enum.replacen(
        "limits: {max_file_bytes: 100}",
        "limits: {max_file_bytes: 100, formats: [jpg, gif]}",
        1,
    );
    let e = load_str(file(), &gif).unwrap_err().to_string();
    assert_mentions(
        &e,
        &["demo-family.yaml", "limits.formats", "`gif`", "ImageFormat"],
    );
}

/// A URL drops a `.` segment and takes `..` as a step up, even
/// percent-encoded: a path argument with such a value would call another
/// path, so no `allowed` value can be one.
#[test]
fn a_path_argument_is_never_a_dot_segment() {
    for bad in [".", "..", "''"] {
        let e = error_after(
            "allowed: [card, badge]}",
            &format!("allowed: [card, badge, {bad}]}}"),
        );
        assert_mentions(
            &e,
            &[
                "demo-family.yaml",
                "path_params.service.allowed",
                "cannot be a path segment",
            ],
        );
    }
}

/// The client sets a rendered path as the URL's path: a `?` there would be
/// sent as `%3F`, never start a query, so the spec cannot write one.
#[test]
fn a_path_has_no_query_or_fragment() {
    for bad in [
        "/v1/{appKey}/card?page=1",
        "/v1/{appKey}/card#top",
        "/v1/{appKey}/my card",
    ] {
        let e = error_after("path: /v1/{appKey}/card", &format!("path: \"{bad}\""));
        assert_mentions(&e, &["demo-family.yaml", "endpoints.card.path", "no query"]);
    }
}
