//! [`decode_saved`]: an answer saved earlier, decoded offline exactly as a
//! live call decodes it.
//!
//! A capture from your own account, a line the CLI wrote, a response pasted
//! into an issue: whether the spec knows it is the question a maintainer
//! asks before anything else. This runs the same steps a call runs after
//! the exchange (the family's error shape, tolerant decoding, the drift
//! check) on bytes from a file.

use bytes::Bytes;

use super::Answer;
use super::error_shape;
use super::transport::RawResponse;
use crate::descriptor::{Api, ErrorShape, Operation};
use crate::error::Error;
use crate::wire::drift::DriftMode;

/// Decodes `body`, an answer of `O`'s endpoint as the service sent it (the
/// whole body: NHN's `{header, result}`, CLOVA's document response, CLOVA's
/// error body), as a call in `mode` would.
///
/// Encrypted fields stay as they were saved: their key was the call's own,
/// and only that call could open them.
///
/// # Errors
///
/// [`Error::Vendor`] for a saved refusal (NHN's `header` with
/// `isSuccessful: false`, a body of CLOVA's error shape), with the spec's
/// reading of its code; [`Error::MalformedResponse`] naming the path when
/// the answer does not decode even tolerantly; [`Error::Drift`] in
/// [`DriftMode::Fail`] when it holds what the spec does not know.
pub fn decode_saved<O: Operation>(
    body: &[u8],
    mode: DriftMode,
) -> Result<Answer<O::Response>, Error> {
    let endpoint = O::ENDPOINT;
    let family = <O::Api as Api>::FAMILY;
    // A status-and-body family fails with a status the file does not keep:
    // a body that carries the verdict's code is read as the failure it is.
    let status = match family.error_shape {
        ErrorShape::StatusAndBody { code, .. } => {
            let failed = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get(code).cloned())
                .is_some_and(|c| !c.is_null());
            if failed { 400 } else { 200 }
        }
        ErrorShape::ResultHeader { .. } => 200,
    };
    let raw = RawResponse {
        status,
        headers: Default::default(),
        body: Bytes::copy_from_slice(body),
    };
    let decoded =
        error_shape::decode::<O::Api, O::Response>(endpoint, &raw, mode != DriftMode::Ignore)?;
    if mode == DriftMode::Fail && !decoded.drift.is_empty() {
        return Err(Error::Drift {
            endpoint: endpoint.name,
            drift: decoded.drift,
        });
    }
    Ok(Answer::new(decoded.payload, decoded.drift))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::clova_document_ocr as clova;
    use crate::wire::drift::DriftKind;
    use crate::wire::nhn_document_ocr_v2 as doc;

    #[test]
    fn a_saved_receipt_decodes_with_its_drift() {
        let body = br#"{"version":"V2","images":[{"inferResult":"SUCCESS","receipt":{"result":{"totalPrice":{"price":{"text":"698","formatted":{"value":"698"}}},"newThing":1}}}]}"#;
        let answer = decode_saved::<clova::Receipt>(body, DriftMode::Warn).unwrap();
        let paths: Vec<&str> = answer.drift().iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["images[0].receipt.result.newThing"]);
        let e = decode_saved::<clova::Receipt>(body, DriftMode::Fail).unwrap_err();
        assert!(matches!(e, Error::Drift { .. }), "{e:?}");
        let quiet = decode_saved::<clova::Receipt>(body, DriftMode::Ignore).unwrap();
        assert!(quiet.drift().is_empty());
    }

    #[test]
    fn saved_refusals_are_vendor_errors_in_either_shape() {
        let e = decode_saved::<clova::Receipt>(
            br#"{"code":"0011","message":"Request body invalid.","path":"/x","timestamp":1}"#,
            DriftMode::Warn,
        )
        .unwrap_err();
        assert_eq!(e.vendor().map(|v| v.code.code()), Some("0011".into()));
        let e = decode_saved::<doc::CreditCard>(
            br#"{"header":{"isSuccessful":false,"resultCode":4000111,"resultMessage":"Credit card info not found."}}"#,
            DriftMode::Warn,
        )
        .unwrap_err();
        assert_eq!(e.vendor().map(|v| v.code.code()), Some("4000111".into()));
    }

    #[test]
    fn a_saved_answer_of_another_shape_names_the_place() {
        let answer = decode_saved::<doc::CreditCard>(
            br#"{"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},"result":{"cardNums":{"value":"x"}}}"#,
            DriftMode::Warn,
        )
        .unwrap();
        assert!(matches!(
            answer.drift()[0].kind,
            DriftKind::UnexpectedShape { .. }
        ));
        let e = decode_saved::<doc::CreditCard>(b"[1, 2]", DriftMode::Warn).unwrap_err();
        assert_eq!(e.field_path(), Some("(body)"));
    }
}
