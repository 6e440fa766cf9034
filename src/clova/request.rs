//! The request fields CLOVA wants besides the image: `version` (the
//! spec's fixed value, [`DocumentRequest::VERSION`]), `requestId`,
//! `timestamp` and each image's `format` and `name`.
//!
//! `format` is derived from the bytes (the [`Image`]'s sniffed format),
//! never from a file name: a PNG saved as `scan.jpg` declared `jpg` would be
//! refused remotely with a bare `0011 Invalid request body`.

use std::time::{SystemTime, UNIX_EPOCH};

use super::pages;
use crate::descriptor::Endpoint;
use crate::error::Error;
use crate::image::{Image, ImageError};
use crate::wire::clova_document_ocr::{
    DocumentMessage, DocumentRequest, ImageFormat, MessageImage, RequestImage,
};

/// The label sent as `images[].name`. The service only echoes it back, and
/// the caller's file name may itself be personal (`<name>_id.jpg`), so a
/// neutral one goes instead, as for the multipart file name.
pub const IMAGE_NAME: &str = "image";

/// The fields every request of one call shares.
#[derive(Debug)]
pub(crate) struct RequestFields {
    pub(crate) request_id: String,
    pub(crate) timestamp: i64,
    pub(crate) format: ImageFormat,
}

impl RequestFields {
    /// Checks `image` against `endpoint` and fills the call's fields.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming the file: a format the endpoint does not
    /// take, or a PDF/TIFF with visibly more than one page.
    pub(crate) fn new(endpoint: &'static Endpoint, image: &Image) -> Result<RequestFields, Error> {
        let (request_id, timestamp, format) = call_fields(endpoint, image)?;
        Ok(RequestFields {
            request_id,
            timestamp,
            format,
        })
    }
}

/// What every CLOVA request of one call carries besides its options: a
/// fresh `requestId`, the `timestamp` and the image's wire `format` (as the
/// family's enum `F`), once the image is checked against the endpoint (a
/// format it takes, one page).
///
/// # Errors
///
/// [`Error::Invalid`] naming the file.
pub(crate) fn call_fields<F: crate::descriptor::WireEnum>(
    endpoint: &'static Endpoint,
    image: &Image,
) -> Result<(String, i64, F), Error> {
    image.check_for(endpoint)?;
    if let Some(pages) = pages::visible_pages(image.format(), image.bytes()).filter(|&p| p > 1) {
        return Err(ImageError::MultiPage {
            name: image.name().to_string(),
            format: image.format(),
            pages,
            endpoint: endpoint.name,
        }
        .into());
    }
    Ok((
        uuid::Uuid::new_v4().to_string(),
        now_millis(),
        wire_format(endpoint, image)?,
    ))
}

impl RequestFields {
    /// The JSON body, with the image in `images[0].data` (shared, not
    /// copied: the client Base64-encodes it as the body streams out).
    pub(crate) fn json_body(&self, image: &Image) -> DocumentRequest {
        DocumentRequest {
            version: DocumentRequest::VERSION.to_string(),
            request_id: self.request_id.clone(),
            timestamp: self.timestamp,
            images: vec![RequestImage {
                format: self.format.clone(),
                data: crate::wire::Base64Data::from(image.shared_bytes()),
                name: IMAGE_NAME.to_string(),
            }],
        }
    }

    /// The multipart `message` part; the image goes in `file`.
    pub(crate) fn message(&self) -> DocumentMessage {
        DocumentMessage {
            version: DocumentMessage::VERSION.to_string(),
            request_id: self.request_id.clone(),
            timestamp: self.timestamp,
            images: vec![MessageImage {
                format: self.format.clone(),
                name: IMAGE_NAME.to_string(),
            }],
        }
    }
}

/// The wire `format` for the image's sniffed type: its first extension the
/// endpoint's `limits.formats` lists (`jpg` for JPEG, `tif` for TIFF), as
/// the family's `ImageFormat` enum `F`. Fails only for an image of a type
/// the endpoint does not take.
pub(crate) fn wire_format<F: crate::descriptor::WireEnum>(
    endpoint: &'static Endpoint,
    image: &Image,
) -> Result<F, Error> {
    let extension = image
        .format()
        .extensions()
        .iter()
        .find(|ext| endpoint.limits.formats.contains(ext))
        .ok_or_else(|| ImageError::UnsupportedFormat {
            name: image.name().to_string(),
            format: image.format(),
            endpoint: endpoint.name,
            accepted: endpoint.limits.formats,
        })?;
    // Every value of `limits.formats` is one of the enum's: the generator
    // checks it, so this is a known variant (and any other would still send
    // the spec's own text).
    let format = F::from_wire(extension);
    debug_assert!(!format.is_unknown(), "`{extension}` is not an ImageFormat");
    Ok(format)
}

/// Unix time in milliseconds, as the vendor's examples send it.
fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;

    use super::*;
    use crate::clova::pages::tests::{pdf, tiff};
    use crate::error::InvalidInput;
    use crate::wire::clova_document_ocr::RECEIPT;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10];

    fn fields(name: &str, bytes: &[u8]) -> Result<RequestFields, Error> {
        RequestFields::new(&RECEIPT, &Image::from_bytes(name, bytes.to_vec()).unwrap())
    }

    #[test]
    fn the_format_comes_from_the_bytes_not_the_name() {
        assert_eq!(fields("scan.png", JPEG).unwrap().format, ImageFormat::Jpg);
        assert_eq!(fields("scan.jpg", PNG).unwrap().format, ImageFormat::Png);
        assert_eq!(
            fields("a.tif", &tiff(&[0])).unwrap().format,
            ImageFormat::Tif
        );
        assert_eq!(fields("doc", &pdf(1)).unwrap().format, ImageFormat::Pdf);
        let e = fields("anim.png", b"GIF89a....").unwrap_err();
        assert_eq!(
            e.to_string(),
            "image `anim.png` is gif; receipt accepts only jpg, jpeg, png, pdf, tif, tiff"
        );
    }

    #[test]
    fn multi_page_files_are_refused_locally() {
        let e = fields("contract.pdf", &pdf(3)).unwrap_err();
        assert!(matches!(
            e,
            Error::Invalid(InvalidInput::Image(ImageError::MultiPage { pages: 3, .. }))
        ));
        assert_eq!(
            e.to_string(),
            "image `contract.pdf` has 3 pages; receipt reads single-page pdf files only"
        );
        let e = fields("fax.tiff", &tiff(&[2, 2])).unwrap_err();
        assert!(e.to_string().contains("has 2 pages"), "{e}");
    }

    #[test]
    fn fields_are_filled_as_documented() {
        let image = Image::from_bytes("x.png", PNG.to_vec()).unwrap();
        let a = RequestFields::new(&RECEIPT, &image).unwrap();
        let b = RequestFields::new(&RECEIPT, &image).unwrap();
        assert_ne!(a.request_id, b.request_id);
        assert!(uuid::Uuid::parse_str(&a.request_id).is_ok());
        // Milliseconds: after 2020 in ms, not in seconds.
        assert!(a.timestamp > 1_577_836_800_000, "{}", a.timestamp);

        let body = serde_json::to_value(a.json_body(&image)).unwrap();
        assert_eq!(body["version"], "V2");
        assert_eq!(body["images"][0]["format"], "png");
        assert_eq!(body["images"][0]["name"], IMAGE_NAME);
        assert_eq!(
            BASE64
                .decode(body["images"][0]["data"].as_str().unwrap())
                .unwrap(),
            PNG
        );
        let message = serde_json::to_value(a.message()).unwrap();
        assert_eq!(message["requestId"], body["requestId"]);
        assert_eq!(message["version"], "V2");
        assert!(message["images"][0].get("data").is_none());
    }
}
