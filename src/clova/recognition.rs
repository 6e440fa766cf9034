//! From a CLOVA answer to a [`Recognized`] document, or a
//! [`RecognitionError`] that says why there is none.
//!
//! CLOVA answers HTTP 200 even when it could not read the image: the
//! verdict is the image result's `inferResult` (`FAILURE`, `ERROR`), and an
//! optional validity check adds `validationResult`. A client that returned
//! the body as is would let a caller read an empty receipt as "no items".
//! So the answer is only a success when the one image was recognized and
//! its validity check, if one ran, did not object; anything else is an
//! [`Error::Recognition`] holding the whole response, so nothing is lost.

use std::fmt;

use crate::descriptor::{self, FromBody, FromParts, Operation, WireEnum};
use crate::error::{Error, tidy_message};
use crate::image::Image;
use crate::wire::clova_document_ocr::{
    self as clova, DocumentMessage, DocumentRequest, DocumentResponse, ImageResult, InferResult,
    ValidationResult, ValidationResultCode,
};
use crate::wire::drift::Drift;

/// An endpoint of the CLOVA Document API, as the client calls it: a JSON
/// body or a multipart `message` and file, the Document API's answer.
/// Every CLOVA endpoint is one; nothing else can be.
pub trait DocumentOperation:
    Operation<
        Api = clova::Api,
        Body = DocumentRequest,
        Response = DocumentResponse,
        Request: FromBody<DocumentRequest> + FromParts<Parts = (DocumentMessage, Image)>,
    >
{
}

impl<O> DocumentOperation for O where
    O: Operation<
            Api = clova::Api,
            Body = DocumentRequest,
            Response = DocumentResponse,
            Request: FromBody<DocumentRequest> + FromParts<Parts = (DocumentMessage, Image)>,
        >
{
}

/// A document type CLOVA reads (`ReceiptDocument`, ...): generated from
/// each endpoint's `document_field`, which names the member of the image
/// result that carries it and the endpoint that fills it.
pub trait Document:
    descriptor::Document<Container = ImageResult, Operation: DocumentOperation>
{
}

impl<D> Document for D where
    D: descriptor::Document<Container = ImageResult, Operation: DocumentOperation>
{
}

/// A document the service read, with the rest of its answer.
///
/// [`document`](Self::document) is the reading;
/// [`image`](Self::image) the image result's metadata (`uid`, `name`,
/// `inferResult`, `validationResult`, `convertedImageInfo`);
/// [`into_response`](Self::into_response) the response exactly as received,
/// for `--output json` and logging pipelines.
#[derive(Debug, Clone)]
pub struct Recognized<D> {
    document: D,
    /// The image result with the document member moved to `document`.
    image: ImageResult,
    /// The response with `images` moved to `image`.
    response: DocumentResponse,
    drift: Vec<Drift>,
}

impl<D: Document> Recognized<D> {
    /// The reading: the generated wire type, with accessors for the common
    /// fields (see [`crate::clova`]).
    pub fn document(&self) -> &D {
        &self.document
    }

    /// The reading, owned.
    pub fn into_document(self) -> D {
        self.document
    }

    /// The image result around the document: `uid` (the vendor's trace
    /// id), `name`, `inferResult`, `message`, `validationResult`,
    /// `convertedImageInfo`. Its document member is empty; the document is
    /// [`document`](Self::document).
    pub fn image(&self) -> &ImageResult {
        &self.image
    }

    /// The validity check's outcome: absent, `NO_REQUESTED` or `VALID`
    /// (any other outcome is an [`Error::Recognition`]).
    pub fn validation(&self) -> Option<&ValidationResult> {
        self.image.validation_result.as_ref()
    }

    /// Members and enum values of the response that the spec does not
    /// know, with their wire paths (see
    /// [`DriftMode`](crate::wire::drift::DriftMode)).
    pub fn drift(&self) -> &[Drift] {
        &self.drift
    }

    /// The reading in a response as the service sends it, checked as a
    /// client checks it: for tests of code that handles readings, without
    /// a server.
    ///
    /// # Errors
    ///
    /// As a client call: [`Error::Recognition`] when `inferResult` or the
    /// validity check says the image was not read, and
    /// [`Error::MalformedResponse`] for a response without exactly one
    /// image result.
    pub fn from_response(response: DocumentResponse) -> Result<Recognized<D>, Error> {
        recognized(response)
    }

    #[cfg(feature = "client")]
    pub(crate) fn with_drift(mut self, drift: Vec<Drift>) -> Self {
        self.drift = drift;
        self
    }

    /// The `requestId` the service echoed.
    pub fn request_id(&self) -> Option<&str> {
        self.response.request_id.as_deref()
    }

    /// The response as the service sent it, document included.
    pub fn into_response(self) -> DocumentResponse {
        let mut image = self.image;
        self.document.put_into(&mut image);
        let mut response = self.response;
        response.images = Some(vec![image]);
        response
    }
}

/// An answer without a usable reading of the image.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum RecognitionError {
    /// `inferResult` is `FAILURE`, `ERROR` or a value the spec does not
    /// know: the service could not read the image (blurred, not this kind
    /// of document, an engine failure). Another image may work; the same
    /// one rarely does.
    #[error(
        "{endpoint}: the service could not read the image (inferResult {}): {message}",
        known(infer_result)
    )]
    NotRecognized {
        /// The endpoint called, as the spec names it (`receipt`, ...).
        endpoint: &'static str,
        /// What `inferResult` said.
        infer_result: InferResult,
        /// The vendor's reason (`message`), tidied.
        message: String,
        /// The whole answer, for its `uid` and other members.
        response: Box<DocumentResponse>,
    },
    /// The image was read, but the domain's validity check answered
    /// `INVALID`, `UNCHECKED`, `ERROR` or a value the spec does not know.
    /// The reading is in [`response`](Self::response), for a caller that
    /// decides to use it anyway.
    #[error("{endpoint}: the image was read, but the validity check answered {}{}", known(result), message.as_ref().map(|m| format!(": {m}")).unwrap_or_default())]
    NotValidated {
        /// The endpoint called, as the spec names it (`receipt`, ...).
        endpoint: &'static str,
        /// What the validity check (`validationResult.result`) answered.
        result: ValidationResultCode,
        /// The check's detail message, when sent, tidied.
        message: Option<String>,
        /// The whole answer, with the reading.
        response: Box<DocumentResponse>,
    },
}

/// A value the spec lists, by name; any other stays out of the message (it
/// is the answer's, and could be anything).
fn known<T: WireEnum>(value: &T) -> String {
    if value.is_unknown() {
        "a value the spec does not list".to_string()
    } else {
        value.as_str().to_string()
    }
}

impl RecognitionError {
    /// The response as received.
    pub fn response(&self) -> &DocumentResponse {
        match self {
            RecognitionError::NotRecognized { response, .. }
            | RecognitionError::NotValidated { response, .. } => response,
        }
    }

    /// The response as received, owned.
    pub fn into_response(self) -> DocumentResponse {
        match self {
            RecognitionError::NotRecognized { response, .. }
            | RecognitionError::NotValidated { response, .. } => *response,
        }
    }
}

impl fmt::Debug for RecognitionError {
    /// Without the response: it is long, and its text is redacted anyway.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecognitionError::NotRecognized {
                endpoint,
                infer_result,
                message,
                ..
            } => f
                .debug_struct("NotRecognized")
                .field("endpoint", endpoint)
                .field("infer_result", &known(infer_result))
                .field("message", message)
                .finish_non_exhaustive(),
            RecognitionError::NotValidated {
                endpoint,
                result,
                message,
                ..
            } => f
                .debug_struct("NotValidated")
                .field("endpoint", endpoint)
                .field("result", &known(result))
                .field("message", message)
                .finish_non_exhaustive(),
        }
    }
}

/// Reads `D` out of an answer to a one-image request.
pub(crate) fn recognized<D: Document>(
    mut response: DocumentResponse,
) -> Result<Recognized<D>, Error> {
    let endpoint = <D::Operation as Operation>::ENDPOINT;
    let member = endpoint.response.document_field.unwrap_or("(document)");
    let images = response
        .images
        .take()
        .ok_or_else(|| Error::malformed(endpoint.name, "images", "missing"))?;
    let count = images.len();
    let Ok([mut image]) = <[ImageResult; 1]>::try_from(images) else {
        return Err(Error::malformed(
            endpoint.name,
            "images",
            format!("{count} results for the one image sent"),
        ));
    };
    let restore = |image: ImageResult, document: Option<D>| {
        let mut image = image;
        if let Some(document) = document {
            document.put_into(&mut image);
        }
        let mut response = response.clone();
        response.images = Some(vec![image]);
        Box::new(response)
    };
    let document = D::take_from(&mut image);
    match image.infer_result.clone() {
        Some(InferResult::Success) => {}
        Some(infer_result) => {
            let message = tidy_message(image.message.as_deref().unwrap_or(""));
            return Err(RecognitionError::NotRecognized {
                endpoint: endpoint.name,
                infer_result,
                message,
                response: restore(image, document),
            }
            .into());
        }
        None => {
            return Err(Error::malformed(
                endpoint.name,
                "images[0].inferResult",
                "missing",
            ));
        }
    }
    let Some(document) = document else {
        return Err(Error::malformed(
            endpoint.name,
            format!("images[0].{member}"),
            "missing although inferResult is SUCCESS",
        ));
    };
    let verdict = image
        .validation_result
        .as_ref()
        .and_then(|v| v.result.clone());
    match verdict {
        None | Some(ValidationResultCode::NoRequested | ValidationResultCode::Valid) => {
            Ok(Recognized {
                document,
                image,
                response,
                drift: Vec::new(),
            })
        }
        Some(result) => {
            let message = image
                .validation_result
                .as_ref()
                .and_then(|v| v.message.as_deref())
                .map(tidy_message);
            Err(RecognitionError::NotValidated {
                endpoint: endpoint.name,
                result,
                message,
                response: restore(image, Some(document)),
            }
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::Operation;
    use crate::wire::clova_document_ocr::{
        BizLicenseDocument, CreditCardDocument, IdCardDocument, NameCardDocument, PassportDocument,
        ReceiptDocument,
    };
    use serde_json::{Value, json};

    fn response(image: Value) -> DocumentResponse {
        serde_json::from_value(json!({
            "version": "V2", "requestId": "r-1", "timestamp": 1, "images": [image]
        }))
        .unwrap()
    }

    fn card(extra: Value) -> Value {
        let mut image = json!({
            "uid": "u", "name": "image", "inferResult": "SUCCESS", "message": "SUCCESS",
            "creditCard": {"result": {"number": {"text": "1111 2222 3333 4444"}}},
            "validationResult": {"result": "NO_REQUESTED"}
        });
        if let (Some(image), Value::Object(extra)) = (image.as_object_mut(), extra) {
            image.extend(extra);
        }
        image
    }

    /// The member each `Document` moves is the descriptor's `document_field`.
    #[test]
    fn documents_pair_with_their_descriptor_field() {
        fn member_of<D: Document + Default>() -> (String, &'static str) {
            let mut image = ImageResult::default();
            D::default().put_into(&mut image);
            let value = serde_json::to_value(&image).unwrap();
            let keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
            assert_eq!(keys.len(), 1, "{keys:?}");
            let field = <D::Operation as Operation>::ENDPOINT
                .response
                .document_field
                .unwrap();
            (keys[0].clone(), field)
        }
        for (key, field) in [
            member_of::<ReceiptDocument>(),
            member_of::<CreditCardDocument>(),
            member_of::<NameCardDocument>(),
            member_of::<BizLicenseDocument>(),
            member_of::<IdCardDocument>(),
            member_of::<PassportDocument>(),
        ] {
            assert_eq!(key, field);
        }
    }

    #[test]
    fn success_moves_the_document_and_restores_the_response() {
        let sent = response(card(json!({})));
        let ok = recognized::<CreditCardDocument>(sent.clone()).unwrap();
        assert_eq!(ok.request_id(), Some("r-1"));
        assert_eq!(ok.image().uid.as_deref(), Some("u"));
        assert!(ok.image().credit_card.is_none());
        assert_eq!(
            ok.validation().and_then(|v| v.result.clone()),
            Some(ValidationResultCode::NoRequested)
        );
        assert_eq!(ok.into_response(), sent);
    }

    #[test]
    fn failure_and_error_are_typed_errors_with_the_response() {
        // A value the spec lacks is no success either.
        let cases = vec![
            ("FAILURE", InferResult::Failure),
            ("ERROR", InferResult::Error),
            (
                "SOMETHING_NEW",
                InferResult::Unknown("SOMETHING_NEW".into()),
            ),
        ];
        for (infer, want) in cases {
            let sent = response(json!({
                "inferResult": infer, "message": "Read page:0 error.",
                "validationResult": {"result": "NO_REQUESTED"}
            }));
            let e = recognized::<CreditCardDocument>(sent.clone()).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("credit-card: the service could not read the image"),
                "{e}"
            );
            let Error::Recognition(RecognitionError::NotRecognized {
                infer_result,
                message,
                ..
            }) = &e
            else {
                panic!("{e:?}")
            };
            assert_eq!(*infer_result, want);
            assert_eq!(message, "Read page:0 error.");
            let Error::Recognition(r) = e else { panic!() };
            assert_eq!(r.into_response(), sent);
        }
    }

    #[test]
    fn a_validity_check_that_objects_is_an_error_that_keeps_the_reading() {
        let cases = vec![
            ("INVALID", ValidationResultCode::Invalid),
            ("UNCHECKED", ValidationResultCode::Unchecked),
            ("ERROR", ValidationResultCode::Error),
            ("LATER", ValidationResultCode::Unknown("LATER".into())),
        ];
        for (code, want) in cases {
            let sent = response(card(json!({
                "validationResult": {"result": code, "message": "number\u{7}mismatch"}
            })));
            let e = recognized::<CreditCardDocument>(sent.clone()).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "credit-card: the image was read, but the validity check answered {}: number\\u{{7}}mismatch",
                    if code == "LATER" {
                        "a value the spec does not list"
                    } else {
                        code
                    }
                )
            );
            let Error::Recognition(r) = e else { panic!() };
            assert!(matches!(&r, RecognitionError::NotValidated { result, .. } if *result == want));
            assert!(!format!("{r:?}").contains("1111"), "{r:?}");
            assert_eq!(r.into_response(), sent);
        }
        let valid = response(card(json!({"validationResult": {"result": "VALID"}})));
        recognized::<CreditCardDocument>(valid).unwrap();
        let absent = response(card(json!({})));
        let mut absent = absent;
        if let Some(images) = absent.images.as_mut() {
            images[0].validation_result = None;
        }
        recognized::<CreditCardDocument>(absent).unwrap();
    }

    #[test]
    fn malformed_answers_name_the_member() {
        let e = recognized::<ReceiptDocument>(response(card(json!({})))).unwrap_err();
        assert_eq!(e.field_path(), Some("images[0].receipt"));
        let e = recognized::<ReceiptDocument>(DocumentResponse::default()).unwrap_err();
        assert_eq!(e.field_path(), Some("images"));
        let mut two = response(card(json!({})));
        if let Some(images) = two.images.as_mut() {
            images.push(images[0].clone());
        }
        let e = recognized::<CreditCardDocument>(two).unwrap_err();
        assert!(
            e.to_string().contains("2 results for the one image sent"),
            "{e}"
        );
        let none = response(json!({"creditCard": {}}));
        let e = recognized::<CreditCardDocument>(none).unwrap_err();
        assert_eq!(e.field_path(), Some("images[0].inferResult"));
    }
}
