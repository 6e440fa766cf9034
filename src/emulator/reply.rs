//! Turning an outcome into the vendor's HTTP answer.
//!
//! Error messages and CLOVA HTTP statuses come from the family's generated
//! error table, and the shape from its `error_shape`, so the emulator says
//! exactly what the spec says the vendor says.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::codes::Code;
use crate::descriptor::{CodeKind, Endpoint, ErrorShape, Family, Vendor, Version};

/// What a handler produces: the answer, or the vendor code to fail with.
pub type Outcome = Result<Response, Code>;

/// A successful JSON answer (HTTP 200).
pub fn json_ok<T: Serialize>(body: &T) -> Response {
    Json(body).into_response()
}

/// The vendor's failure answer for `code`.
///
/// `status` overrides the HTTP status (used for injected 5xx faults on NHN,
/// whose own errors always travel as HTTP 200). `path` is the request path,
/// which CLOVA echoes in its error body.
pub fn error(
    family: &Family,
    endpoint: Option<(&Version, &Endpoint)>,
    code: Code,
    path: &str,
    status: Option<StatusCode>,
) -> Response {
    let wire = code.code();
    if code.family().name != family.name {
        // A handler answered in another family's words: an emulator bug.
        tracing::error!(
            family = family.name,
            code = %wire,
            "emulator answered with another family's code"
        );
    }
    if let Some((_, endpoint)) = endpoint.filter(|(v, e)| !v.lists(e, &wire)) {
        // The spec lists what each endpoint can answer; saying something
        // else would teach clients a behaviour the vendor does not have.
        tracing::error!(
            endpoint = endpoint.name,
            code = %wire,
            "emulator answered a code the spec does not list for this endpoint"
        );
    }
    let Some(info) = code.info() else {
        tracing::error!(
            family = family.name,
            code = %wire,
            "code missing from the family's error table"
        );
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let code = match family.error_shape.codes() {
        CodeKind::Integer => json!(info.code.parse::<i64>().unwrap_or(-1)),
        CodeKind::Text => json!(info.code),
    };
    // The verdict's fields by the names the spec gives them, so every
    // family's failures are written from its descriptor.
    match family.error_shape {
        ErrorShape::ResultHeader {
            member,
            success,
            code: code_field,
            message,
            ..
        } => {
            let body = json!({
                member: { success: false, code_field: code, message: info.message }
            });
            (status.unwrap_or(StatusCode::OK), Json(body)).into_response()
        }
        ErrorShape::StatusAndBody {
            code: code_field,
            message,
            ..
        } => {
            let status = status
                .or_else(|| info.http_status.and_then(|s| StatusCode::from_u16(s).ok()))
                .unwrap_or(StatusCode::BAD_REQUEST);
            let mut body = json!({ code_field: code, message: info.message });
            if family.vendor == Vendor::Clova {
                // CLOVA's error body also echoes the path and stamps the time.
                body["path"] = json!(path);
                body["timestamp"] = json!(now_millis());
            }
            (status, Json(body)).into_response()
        }
    }
}

/// Unix time in milliseconds, as both vendors stamp their answers.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{clova_document_ocr, nhn_document_ocr_v2, nhn_general_ocr_v1};

    async fn body_of(response: Response) -> (StatusCode, serde_json::Value) {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn nhn_errors_are_http_200_with_the_spec_message() {
        let family = &nhn_document_ocr_v2::FAMILY;
        let r = error(
            family,
            Some((
                &nhn_document_ocr_v2::V2_0,
                &nhn_document_ocr_v2::CREDIT_CARD,
            )),
            Code::NhnDocumentOcrV2(nhn_document_ocr_v2::ErrorCode::InvalidSymmetricKey),
            "/x",
            None,
        );
        let (status, body) = body_of(r).await;
        assert_eq!(status, StatusCode::OK);
        let parsed: nhn_document_ocr_v2::Response<()> = serde_json::from_value(body).unwrap();
        assert!(!parsed.header.is_successful);
        assert_eq!(parsed.header.result_code, 4000302);
        assert_eq!(
            parsed.header.result_message,
            family.error("4000302").unwrap().message
        );
    }

    #[tokio::test]
    async fn clova_errors_carry_the_spec_status() {
        let family = &clova_document_ocr::FAMILY;
        let r = error(
            family,
            Some((&clova_document_ocr::VERSION, &clova_document_ocr::RECEIPT)),
            Code::ClovaDocumentOcr(clova_document_ocr::ErrorCode::SecretKeyValidationFailed),
            "/p",
            None,
        );
        let (status, body) = body_of(r).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let parsed: clova_document_ocr::ErrorBody = serde_json::from_value(body).unwrap();
        assert_eq!(parsed.code.as_deref(), Some("0002"));
        assert_eq!(parsed.path.as_deref(), Some("/p"));
        assert_eq!(
            parsed.message.as_deref(),
            Some(family.error("0002").unwrap().message)
        );
    }

    #[tokio::test]
    async fn a_shared_nhn_code_speaks_the_answering_familys_words() {
        // The emulator names NHN codes by Document OCR's enum; General OCR
        // answers with the same number and its own table's message.
        let family = &nhn_general_ocr_v1::FAMILY;
        let r = error(
            family,
            Some((&nhn_general_ocr_v1::V1_0, &nhn_general_ocr_v1::GENERAL)),
            nhn_general_ocr_v1::ErrorCode::InvalidFileType.into(),
            "/x",
            None,
        );
        let (status, body) = body_of(r).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["header"]["resultCode"], 4000003);
        assert_eq!(
            body["header"]["resultMessage"],
            family.error("4000003").unwrap().message
        );
    }

    #[tokio::test]
    async fn an_unknown_code_is_an_emulator_bug_answered_as_500() {
        let unknown = Code::ClovaDocumentOcr(clova_document_ocr::ErrorCode::Unknown("9999".into()));
        let response = error(&clova_document_ocr::FAMILY, None, unknown, "/", None);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
