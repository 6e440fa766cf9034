//! The generator's golden files (`codegen/tests/goldens/*.rs`, one small
//! spec per feature) compile against this crate's runtime, and what they
//! generate behaves as the runtime relies on: serde uses the wire names,
//! verdicts read refusals, token glue builds its requests.

#[allow(dead_code, unused_imports)]
mod envelope {
    include!("../../codegen/tests/goldens/envelope.rs");
}
#[allow(dead_code, unused_imports)]
mod checks {
    include!("../../codegen/tests/goldens/checks.rs");
}
#[allow(dead_code, unused_imports)]
mod spellings {
    include!("../../codegen/tests/goldens/spellings.rs");
}
#[allow(dead_code, unused_imports)]
mod token_issuer {
    include!("../../codegen/tests/goldens/token-issuer.rs");
}
#[allow(dead_code, unused_imports)]
mod inputs {
    include!("../../codegen/tests/goldens/inputs.rs");
}

/// Checked inputs are data on the endpoint, read the same way by the
/// client (before sending) and the emulator (on receipt); enum values that
/// are no Rust names get the spec's names.
#[test]
fn checked_inputs_are_rules_on_the_endpoint() {
    use ocrwire::descriptor::Operation;
    use ocrwire::wire::format::check_inputs;
    let rules = inputs::LOOKUP.checks;
    assert_eq!(rules.len(), 4);
    // The client reads each checked field from the typed body, by the wire
    // name the rule gives: plain or personal, required or optional.
    let mut body = inputs::LookupQuery {
        number: "1234567890".into(),
        since: Some("2026-01-01".into()),
        branch: None,
        holder: "Kim".into(),
        pin: Some("123456".into()),
    };
    let read = |body: &inputs::LookupQuery, name: &str| {
        inputs::Lookup::checked_field(body, name).map(str::to_owned)
    };
    assert_eq!(read(&body, "number").as_deref(), Some("1234567890"));
    assert_eq!(read(&body, "branch"), None);
    assert_eq!(read(&body, "holder").as_deref(), Some("Kim"));
    assert_eq!(read(&body, "pin").as_deref(), Some("123456"));
    assert_eq!(read(&body, "since"), None, "its form is in words only");
    assert!(check_inputs(rules, |name| inputs::Lookup::checked_field(&body, name)).is_ok());
    body.number = "123-45-6789".into();
    let e = check_inputs(rules, |name| inputs::Lookup::checked_field(&body, name)).unwrap_err();
    assert!(e.to_string().contains("`number`"), "{e}");
    assert!(e.to_string().contains("10 digits"), "{e}");
    assert!(
        !e.to_string().contains("123-45"),
        "the value is never shown: {e}"
    );
    body.number = "1234567890".into();
    body.pin = Some("12".into());
    let e = check_inputs(rules, |name| inputs::Lookup::checked_field(&body, name)).unwrap_err();
    assert!(e.to_string().contains("`pin`"), "{e}");
    assert!(check_inputs(rules, |_| None).is_err(), "required");
    let question = inputs::ASK.checks;
    let (fits, over) = ("가".repeat(1000), "가".repeat(1001));
    assert!(
        check_inputs(question, |_| Some(&fits)).is_ok(),
        "characters, not bytes"
    );
    assert!(check_inputs(question, |_| Some(&over)).is_err());
    assert_eq!(
        inputs::Standing::from_wire("00"),
        inputs::Standing::NotTrading
    );
    assert_eq!(inputs::Standing::Trading.as_str(), "01");
    assert_eq!(
        inputs::Standing::from_wire("07"),
        inputs::Standing::Unknown("07".into())
    );
}

/// `ocrwire-codegen diff` calls every change from the old side to the new
/// one compatible: code written against the old side compiles against
/// both (`codegen/tests/diff.rs` explains the three sides).
#[allow(dead_code, unused_imports)]
mod diff_old {
    include!("../../codegen/tests/diff/old/diff.rs");
    pub mod user {
        use super::*;
        include!("../../codegen/tests/diff/user.rs");
    }
}
#[allow(dead_code, unused_imports)]
mod diff_new {
    include!("../../codegen/tests/diff/new/diff.rs");
    pub mod user {
        use super::*;
        include!("../../codegen/tests/diff/user.rs");
    }
}

use ocrwire::descriptor::{IssuesToken, Operation, RevokesToken, Verdict, WireCode};

#[test]
fn serde_reads_and_writes_the_wire_names() {
    let text =
        r#"{"IDType":"dl","idtype":"dl","dateOfBirthYMD":"19900101","numbers":"1234","count":"3"}"#;
    let reading: spellings::Reading = serde_json::from_str(text).unwrap();
    assert_eq!(reading.id_type(), Some(&"dl".to_string()));
    assert_eq!(reading.count.as_ref().and_then(|c| c.as_i64()), Some(3));
    let back: serde_json::Value = serde_json::to_value(&reading).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    assert_eq!(spellings::Request::VERSION, "V2");
}

#[test]
fn verdicts_read_refusals_in_either_shape() {
    let header: envelope::ResultHeader = serde_json::from_str(
        r#"{"isSuccessful":false,"resultCode":4000301,"resultMessage":"Invalid key version."}"#,
    )
    .unwrap();
    let refusal = header.refusal().unwrap();
    assert_eq!(refusal.code, WireCode::Integer(4_000_301));
    let ok: envelope::ResultHeader =
        serde_json::from_str(r#"{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"}"#)
            .unwrap();
    assert!(ok.refusal().is_none());
    let body: token_issuer::OAuthError =
        serde_json::from_str(r#"{"error":"invalid_client"}"#).unwrap();
    assert_eq!(
        body.refusal().unwrap().code,
        WireCode::Text("invalid_client")
    );
    assert_eq!(envelope::KeyService::ALL.len(), 2);
    assert_eq!(envelope::KeyService::IdCard.as_str(), "id-card");
}

/// An error group's codes are each endpoint's that names the group, and
/// no other's: `lists` and `codes` read them as its own.
#[test]
fn error_groups_are_codes_of_the_endpoints_that_name_them() {
    let card = &envelope::CARD;
    assert_eq!(card.error_groups.len(), 1);
    assert_eq!(card.error_groups[0].name, "sealed-request");
    assert!(card.lists("4000303") && card.lists("4000301") && card.lists("-1"));
    assert_eq!(
        card.codes().collect::<Vec<_>>(),
        ["-1", "4000301", "4000303"]
    );
    assert!(!envelope::PUBLIC_KEY.lists("4000303"));
    // The family lists its groups once, whichever endpoints name them.
    let groups: Vec<&str> = envelope::FAMILY
        .error_groups
        .iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(groups, ["sealed-request"]);
}

#[test]
fn token_glue_builds_requests_and_reads_answers() {
    let request = token_issuer::CreateToken::request();
    assert_eq!(request.body.grant_type, "client_credentials");
    let answer: <token_issuer::CreateToken as Operation>::Response =
        serde_json::from_str(r#"{"access_token":"t","token_type":"Bearer","expires_in":"600"}"#)
            .unwrap();
    assert_eq!(token_issuer::CreateToken::token(&answer).expose(), "t");
    assert_eq!(token_issuer::CreateToken::expires_in(&answer), Some(600));
    let revoke = token_issuer::RevokeToken::request(ocrwire::Sensitive::new("t"));
    assert_eq!(revoke.body.token.expose(), "t");
}

#[test]
fn typed_checks_hold_the_rules() {
    let check = checks::DocumentCheck::from(checks::CardCheck {
        holder: "1234567890123".into(),
        issued: "20240229".into(),
    });
    check.validate().unwrap();
    let wire = checks::CheckRequest::from(check);
    assert_eq!(wire.kind, checks::Kind::Card);
    let bad = checks::CardCheck {
        holder: "12".into(),
        issued: "20240229".into(),
    };
    assert!(bad.validate().is_err());
}

#[test]
fn code_written_for_the_old_spec_runs_against_the_compatible_new_one() {
    let reading: diff_new::Reading =
        serde_json::from_str(r#"{"kind": "pass", "count": 2, "number": "12", "confidence": 0.5}"#)
            .unwrap();
    // The new enum value reaches old code through its catch-all arm.
    assert_eq!(diff_new::user::describe(&reading), "another kind x2 12");
    let old: diff_old::Reading = serde_json::from_str(r#"{"kind": "pass", "count": 2}"#).unwrap();
    assert_eq!(diff_old::user::describe(&old), "another kind x2 ");
    assert_eq!(
        diff_new::user::advice(&diff_new::ErrorCode::TemporarilyUnavailable),
        "see the message"
    );
    assert_eq!(diff_old::user::upload_limit(), Some(5_242_880));
    assert_eq!(diff_new::user::upload_limit(), Some(20_971_520));
    assert_eq!(diff_new::user::endpoint(), "read");
}
