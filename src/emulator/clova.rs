//! NAVER CLOVA OCR Document API.
//!
//! Checks run in this order: the invoke key in the URL (0001) and the
//! domain id (0022); `X-OCR-SECRET` missing or wrong (0002, HTTP 401); the
//! body (0011): over the emulator's cap, multipart without a valid `message`
//! and one `file` part, otherwise not a `DocumentRequest` JSON body (the
//! vendor's own curl example sends JSON without a JSON content type, so
//! anything not multipart is read as JSON); `version` not the spec's fixed
//! value (`DocumentRequest::VERSION`, `DocumentMessage::VERSION`; 0021); then
//! again 0011 for an image count other than the spec's `images_per_call`, a
//! format outside `limits.formats`, `data` that is not Base64, an empty file,
//! or bytes whose magic number is not the declared format (a PNG sent as
//! `jpg`).
//!
//! A valid request answers HTTP 200 with one image result. Its
//! `inferResult` is `SUCCESS`, with the document object under the
//! endpoint's `document_field`, unless:
//! - the image carries the marker `ocrwire:failure` (the emulator's notion
//!   of "decodes but unreadable"): `FAILURE`, no document object;
//! - it carries `ocrwire:error`, or its header cannot be read (a truncated
//!   file): `ERROR` with the message of the vendor's own example
//!   (`Read page:0 error.`), no document object.
//!
//! PDF and TIFF input also gets `convertedImageInfo` (the page size the
//! emulator read, page 0).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::codes::{Code, clova_document as clova};
use super::reply::{Outcome, json_ok, now_millis};
use super::request::{Call, ContentKind, content_kind, multipart, single_part};
use super::samples;
use super::sniff::{self, Marker};
use crate::wire::clova_document_ocr::ErrorCode as Clova;
// The file type sniffed from bytes, as opposed to the wire enum `format` declares.
use super::state::State;
use crate::descriptor::{Endpoint, Family};
use crate::image::ImageFormat as FileType;
use crate::wire::clova_document_ocr::{
    DocumentMessage, DocumentRequest, DocumentResponse, ImageFormat, ImageResult,
};

/// The invoke URL's path and where the emulator's credentials sit in it,
/// from the spec's `base_url.path` ([`Family::caller_path`]): its variables,
/// in order, are the domain id and the invoke key, as in 004's
/// `/custom/v1/{DomainId}/{InvokeKey}`. A renamed variable or a moved path
/// is a spec edit; the emulator reads the names from there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvokePath {
    /// The path with its variables unfilled.
    pub template: &'static str,
    /// The variable holding the domain id (a wrong one answers 0022).
    pub domain_id_param: &'static str,
    /// The variable holding the invoke key (a wrong one answers 0001).
    pub invoke_key_param: &'static str,
}

impl InvokePath {
    /// `None` unless the family's base path has exactly two variables.
    pub fn from_spec(family: &Family) -> Option<InvokePath> {
        match family.caller_path()? {
            (template, &[domain_id_param, invoke_key_param]) => Some(InvokePath {
                template,
                domain_id_param,
                invoke_key_param,
            }),
            _ => None,
        }
    }

    /// The path with a domain id and an invoke key filled in.
    pub fn render(&self, domain_id: &str, invoke_key: &str) -> String {
        self.template
            .replace(&format!("{{{}}}", self.domain_id_param), domain_id)
            .replace(&format!("{{{}}}", self.invoke_key_param), invoke_key)
    }
}

/// The engine's failure text, from the vendor's example (002).
const ERROR_MESSAGE: &str = "Read page:0 error.";
/// The emulator's text for an unreadable image; the docs give none.
const FAILURE_MESSAGE: &str = "Failed to recognize the document.";

/// One image, as the request described it.
struct Image {
    format: ImageFormat,
    name: String,
    data: Vec<u8>,
}

pub async fn handle(
    state: Arc<State>,
    family: &'static Family,
    endpoint: &'static Endpoint,
    call: Call,
) -> Outcome {
    super::generic::check_caller(&state, family, endpoint, &call)?;
    let bytes = call.body.map_err(|_| clova(Clova::InvalidRequestBody))?;
    let (version_ok, request_id, images) = match content_kind(&call.parts.headers) {
        ContentKind::Multipart => {
            let message_part = endpoint
                .multipart()
                .and_then(|parts| parts.iter().find(|p| p.json_type().is_some()))
                .ok_or(clova(Clova::InvalidRequestBody))?;
            let file_part = endpoint
                .multipart()
                .and_then(|parts| parts.iter().find(|p| p.is_file()))
                .ok_or(clova(Clova::InvalidRequestBody))?;
            let fields = multipart(call.parts, bytes)
                .await
                .ok_or(clova(Clova::InvalidRequestBody))?;
            let message =
                single_part(&fields, message_part.name).ok_or(clova(Clova::InvalidRequestBody))?;
            let file =
                single_part(&fields, file_part.name).ok_or(clova(Clova::InvalidRequestBody))?;
            let message: DocumentMessage =
                serde_json::from_slice(message).map_err(|_| clova(Clova::InvalidRequestBody))?;
            let mut images: Vec<Image> = message
                .images
                .into_iter()
                .map(|i| Image {
                    format: i.format,
                    name: i.name,
                    data: Vec::new(),
                })
                .collect();
            // The one file belongs to the first (and only) image entry.
            if let Some(first) = images.first_mut() {
                first.data = file.to_vec();
            }
            (
                message.version == DocumentMessage::VERSION,
                message.request_id,
                images,
            )
        }
        _ => {
            let request: DocumentRequest =
                serde_json::from_slice(&bytes).map_err(|_| clova(Clova::InvalidRequestBody))?;
            // Text that is not Base64 fails the decoding above.
            let images = request
                .images
                .into_iter()
                .map(|i| Image {
                    format: i.format,
                    name: i.name,
                    data: i.data.bytes().to_vec(),
                })
                .collect();
            (
                request.version == DocumentRequest::VERSION,
                request.request_id,
                images,
            )
        }
    };
    if !version_ok {
        return Err(clova(Clova::UnsupportedProtocolVersion));
    }
    // 004: `images` is an array but takes one image per call (the spec's
    // `images_per_call`); none at all is just as invalid.
    let per_call = endpoint
        .limits
        .images_per_call
        .map_or(usize::MAX, |n| n as usize);
    if images.is_empty() || images.len() > per_call {
        return Err(clova(Clova::InvalidRequestBody));
    }
    let results = images
        .iter()
        .map(|image| recognize(endpoint, image, &request_id))
        .collect::<Result<Vec<_>, Code>>()?;
    Ok(json_ok(&DocumentResponse {
        version: Some(DocumentResponse::VERSION.to_owned()),
        request_id: Some(request_id),
        timestamp: Some(now_millis()),
        images: Some(results),
    }))
}

fn recognize(endpoint: &Endpoint, image: &Image, request_id: &str) -> Result<ImageResult, Code> {
    let limits = &endpoint.limits;
    let declared = FileType::from_extension(image.format.as_str())
        .filter(|_| limits.formats.contains(&image.format.as_str()))
        .ok_or(clova(Clova::InvalidRequestBody))?;
    if image.data.is_empty() || FileType::sniff(&image.data) != Some(declared) {
        return Err(clova(Clova::InvalidRequestBody));
    }
    let size = sniff::dimensions(declared, &image.data);
    let marker = sniff::marker(&image.data);
    let (infer, message) = match (marker, size) {
        (Some(Marker::Failure), _) => ("FAILURE", FAILURE_MESSAGE),
        (Some(Marker::Error), _) | (_, None) => ("ERROR", ERROR_MESSAGE),
        _ => ("SUCCESS", "SUCCESS"),
    };
    let mut out = Map::new();
    out.insert(
        "uid".into(),
        Value::String(uid(request_id, &image.name, &image.data)),
    );
    out.insert("name".into(), Value::String(image.name.clone()));
    out.insert("inferResult".into(), Value::String(infer.into()));
    out.insert("message".into(), Value::String(message.into()));
    if infer == "SUCCESS" {
        let field = endpoint
            .response
            .document_field
            .ok_or(clova(Clova::UnknownServiceError))?;
        let sample = samples::example(endpoint, marker.map(Marker::word))
            .ok_or(clova(Clova::UnknownServiceError))?;
        let mut document: Value =
            serde_json::from_str(sample).map_err(|_| clova(Clova::UnknownServiceError))?;
        if let Some(size) = size {
            samples::fit_boxes(&mut document, size);
        }
        out.insert(field.into(), document);
    }
    out.insert(
        "validationResult".into(),
        json!({ "result": "NO_REQUESTED" }),
    );
    if let (FileType::Pdf | FileType::Tiff, Some((width, height))) = (declared, size) {
        out.insert(
            "convertedImageInfo".into(),
            json!({ "width": width, "height": height, "pageIndex": 0 }),
        );
    }
    // Through the generated type, so nothing leaves that a client's types
    // would not accept.
    serde_json::from_value(Value::Object(out)).map_err(|e| {
        tracing::error!(error = %e, "emulator CLOVA result does not fit ImageResult");
        clova(Clova::UnknownServiceError)
    })
}

/// A 32-hex-digit id, like the vendor's, derived from the request so that
/// the same request always gets the same id (FNV-1a, two seeds).
fn uid(request_id: &str, name: &str, data: &[u8]) -> String {
    let hash = |seed: u64| {
        let mut h = seed;
        for chunk in [request_id.as_bytes(), &[0], name.as_bytes(), &[0], data] {
            for &b in chunk {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01B3);
            }
        }
        h
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x6c62_272e_07bb_0142)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::BaseUrl;
    use crate::wire::clova_document_ocr::FAMILY;

    #[test]
    fn the_invoke_path_comes_from_the_spec_base_path() {
        let spec = InvokePath::from_spec(&FAMILY).unwrap();
        assert_eq!(
            spec,
            InvokePath {
                template: "/custom/v1/{DomainId}/{InvokeKey}",
                domain_id_param: "DomainId",
                invoke_key_param: "InvokeKey",
            }
        );
        assert_eq!(spec.render("12", "k3y"), "/custom/v1/12/k3y");
        // Whatever the descriptor says, not the names above.
        static RENAMED: Family = Family {
            base_url: BaseUrl::PerCaller {
                path: "/ocr/{Domain}/x/{Key}",
                params: &["Domain", "Key"],
            },
            ..FAMILY
        };
        let renamed = InvokePath::from_spec(&RENAMED).unwrap();
        assert_eq!(
            (renamed.domain_id_param, renamed.invoke_key_param),
            ("Domain", "Key")
        );
        assert_eq!(renamed.render("12", "k3y"), "/ocr/12/x/k3y");
        static ONE_VARIABLE: Family = Family {
            base_url: BaseUrl::PerCaller {
                path: "/ocr/{Key}",
                params: &["Key"],
            },
            ..FAMILY
        };
        assert_eq!(InvokePath::from_spec(&ONE_VARIABLE), None);
    }

    #[test]
    fn uids_are_stable() {
        assert_eq!(uid("a", "b", b"c"), uid("a", "b", b"c"));
        assert_ne!(uid("a", "b", b"c"), uid("a", "b", b"d"));
        assert_eq!(uid("a", "b", b"c").len(), 32);
    }
}
