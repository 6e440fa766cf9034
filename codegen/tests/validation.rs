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
auth: {header: Authorization, value: secret-key, description: Secret key.}
error_shape: nhn-header
envelope:
  symmetric_key_bytes: 32
  key_wrap: RSA/ECB/PKCS1Padding
  cipher: AES-256/CBC/PKCS7Padding
  iv: first 16 bytes of the key
  public_key_encoding: Base64 DER SPKI
  field_encoding: Base64 ciphertext
  file_encoding: raw ciphertext
  symmetric_key_encoding: Base64 RSA ciphertext
  public_key_endpoint: card
  key_version_error: "4000301"
limits: {max_file_bytes: 100}
errors:
  "4000001": {name: InvalidParameter, message: Invalid parameter., meaning: Bad input., retryable: false}
  "4000301": {name: InvalidKeyVersion, message: Invalid key version., meaning: Stale key., retryable: true}
types:
  ResultHeader:
    description: Outcome.
    fields:
      isSuccessful: {type: bool, required: true, description: Success.}
  CardResult:
    description: A card.
    fields:
      number: {type: string, encrypted: true, description: The number.}
      conf: {type: float, description: Confidence.}
endpoints:
  card:
    summary: Read a card.
    method: POST
    path: /v1/{appKey}/card
    path_params:
      appKey: {value: app-key, description: App key.}
    headers:
      Authorization: {value: secret-key, description: Secret.}
      X-Key-Version: {value: key-version, description: Version.}
      Symmetric-Key: {value: sealed-symmetric-key, description: Key.}
    request:
      - multipart:
          image: {type: file, encrypted: true, description: Image.}
    response: {body: CardResult}
    errors: ["4000001", "4000301"]
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
    let e = error_after(
        "      Symmetric-Key: {value: sealed-symmetric-key, description: Key.}\n",
        "",
    );
    assert_mentions(&e, &["endpoints.card", "sealed-symmetric-key"]);
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
            "exactly one of `multipart` or `json`",
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
