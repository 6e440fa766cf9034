//! NHN Cloud General OCR v1.0: an uploaded image, or an image URL.
//!
//! Checks run in this order: required headers (4000005); secret and app key
//! (the scheme's `refused_with`); the body: too large (4131000), neither
//! multipart nor JSON (4000001). For an upload: the `image` part missing or
//! sent twice (4000001), empty (4000004), over the limit (4131000), not an
//! accepted type by magic number (4000003), unreadable header (4000002),
//! marker `ocrwire:error` (-1), marker `ocrwire:failure` (4000501, no text
//! found), longer than the spec's `max_aspect_ratio` allows (4000505). For
//! a URL: a body that is not `ImageUrlRequest`, or a URL that is not
//! http(s), has no host or names a port outside the spec's
//! `limits.url_ports` (4000001).
//!
//! The emulator never fetches the URL (tests must not reach the network, and
//! an emulator that fetched arbitrary URLs would be an open proxy). The last
//! path segment's extension stands in for the downloaded file's type: a known
//! image type that is not accepted (`.gif`) answers 4000003; otherwise the
//! result reports that type, or `jpg` when the URL names no image type.
//!
//! `slicesImages` (cropping only) is the long side over the short side,
//! rounded up and capped at the spec's `max_aspect_ratio`, so a 64x16 strip
//! is cut into 4 slices; an image known only by URL counts as 1 slice.

use std::sync::Arc;

use super::codes::Code;
use super::reply::{Outcome, json_ok};
use super::request::{
    BodyError, Call, ContentKind, check_access, content_kind, multipart, single_part,
};
use super::samples;
use super::sniff::{self, ImageFormat, Marker};
use super::state::State;
use crate::descriptor::{Endpoint, Limits};
use crate::wire::nhn_general_ocr_v1::{ErrorCode as Gen, ImageUrlRequest};

/// What the emulator knows about the image after validation, and what it
/// reads in it.
struct Image {
    kind: ImageFormat,
    size: Option<(u32, u32)>,
    /// The texts and boxes: from the bytes for an upload, the vendor's
    /// example for a URL (the emulator never fetches it).
    reading: serde_json::Value,
}

pub async fn handle(state: Arc<State>, endpoint: &'static Endpoint, call: Call) -> Outcome {
    check_access(
        &crate::wire::nhn_general_ocr_v1::FAMILY,
        endpoint,
        &call,
        &state,
    )?;
    let limits = &endpoint.limits;
    let bytes = call.body.map_err(|e| match e {
        BodyError::TooLarge => Gen::RequestTooLarge,
        BodyError::Broken => Gen::InvalidParameter,
    })?;
    let image = match content_kind(&call.parts.headers) {
        ContentKind::Multipart if endpoint.multipart().is_some() => {
            let file_part = endpoint
                .multipart()
                .and_then(|parts| parts.iter().find(|p| p.is_file()))
                .ok_or(Gen::UnknownError)?;
            let fields = multipart(call.parts, bytes)
                .await
                .ok_or(Gen::InvalidParameter)?;
            let data = single_part(&fields, file_part.name).ok_or(Gen::InvalidParameter)?;
            uploaded(data, endpoint)?
        }
        ContentKind::Json if endpoint.json_body().is_some() => {
            let request: ImageUrlRequest =
                serde_json::from_slice(&bytes).map_err(|_| Gen::InvalidParameter)?;
            Image {
                kind: by_url(&request.image_url, limits)?,
                size: None,
                // The spec's example: the vendor's own answer for its URL.
                reading: samples::example(endpoint, None)
                    .and_then(|text| serde_json::from_str(text).ok())
                    .ok_or(Gen::UnknownError)?,
            }
        }
        _ => return Err(Gen::InvalidParameter.into()),
    };
    let mut result = image.reading;
    if let serde_json::Value::Object(members) = &mut result {
        members.insert("fileType".into(), image.kind.extension().into());
        // Cut into slices first: what the service says it did.
        if endpoint.name == SLICES {
            members.insert(
                "slicesImages".into(),
                i64::from(slices(image.size, limits)).into(),
            );
        }
    }
    Ok(json_ok(&serde_json::json!({
        "header": {"isSuccessful": true, "resultCode": 0, "resultMessage": "SUCCESS"},
        "result": result,
    })))
}

/// The endpoint that slices a long image before reading it (and says into
/// how many pieces, `slicesImages`).
const SLICES: &str = "general-cropping";

fn uploaded(data: &[u8], endpoint: &'static Endpoint) -> Result<Image, Code> {
    let fail =
        |role| super::codes::answer_for(&crate::wire::nhn_general_ocr_v1::FAMILY, endpoint, role);
    let (kind, size) = super::generic::check_file(endpoint, data, &fail)?;
    let limits = &endpoint.limits;
    match sniff::marker(data) {
        Some(Marker::Error) => return Err(Gen::UnknownError.into()),
        Some(Marker::Failure) => return Err(Gen::TextNotFound.into()),
        _ => {}
    }
    if limits
        .max_aspect_ratio
        .is_some_and(|max| aspect_ratio(size) > max)
    {
        return Err(Gen::AspectRatioOutOfRange.into());
    }
    Ok(Image {
        kind,
        size: Some(size),
        reading: samples::general_result(data, size),
    })
}

/// Validates an image URL the way the vendor documents it, without fetching.
fn by_url(text: &str, limits: &Limits) -> Result<ImageFormat, Code> {
    let url = url::Url::parse(text.trim()).map_err(|_| Gen::InvalidParameter)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(Gen::InvalidParameter.into());
    }
    let port = url.port_or_known_default().ok_or(Gen::InvalidParameter)?;
    if !limits.allows_port(port) {
        return Err(Gen::InvalidParameter.into());
    }
    let extension = url
        .path_segments()
        .and_then(|mut segments| segments.next_back())
        .and_then(|last| last.rsplit_once('.'))
        .map(|(_, ext)| ext);
    match extension.and_then(ImageFormat::from_extension) {
        Some(kind) if kind.accepted_by(limits.formats) => Ok(kind),
        Some(_) => Err(Gen::InvalidFileType.into()),
        None => Ok(ImageFormat::Jpeg),
    }
}

/// The long side over the short one.
fn aspect_ratio((w, h): (u32, u32)) -> f64 {
    f64::from(w.max(h)) / f64::from(w.min(h).max(1))
}

/// As many slices as the long side holds short sides, up to the spec's
/// largest readable aspect ratio (images beyond it are refused earlier).
fn slices(size: Option<(u32, u32)>, limits: &Limits) -> u32 {
    let Some((w, h)) = size else { return 1 };
    let (long, short) = (w.max(h), w.min(h).max(1));
    let most = limits
        .max_aspect_ratio
        .map_or(u32::MAX, |r| r.ceil() as u32);
    long.div_ceil(short).clamp(1, most.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_general_ocr_v1::GENERAL;

    #[test]
    fn urls_are_validated_not_fetched() {
        let l = &GENERAL.limits;
        assert_eq!(
            by_url("https://example.com/example.jpg", l),
            Ok(ImageFormat::Jpeg)
        );
        assert_eq!(
            by_url("http://example.com:10000/a.PNG", l),
            Ok(ImageFormat::Png)
        );
        assert_eq!(
            by_url("https://example.com/image", l),
            Ok(ImageFormat::Jpeg)
        );
        assert_eq!(
            by_url("https://example.com/a.gif", l),
            Err(Gen::InvalidFileType.into())
        );
        for bad in [
            "ftp://example.com/a.jpg",
            "https://example.com:8080/a.jpg",
            "http://example.com:12001/a.jpg",
            "file:///etc/passwd",
            "not a url",
            "",
        ] {
            assert_eq!(by_url(bad, l), Err(Gen::InvalidParameter.into()), "{bad}");
        }
    }

    #[test]
    fn slices_follow_the_aspect_ratio_up_to_the_spec_s_limit() {
        let limits = &crate::wire::nhn_general_ocr_v1::GENERAL_CROPPING.limits;
        let most = limits.max_aspect_ratio.unwrap().ceil() as u32;
        assert_eq!(slices(None, limits), 1);
        assert_eq!(slices(Some((100, 100)), limits), 1);
        assert_eq!(slices(Some((16, 64)), limits), 4);
        assert_eq!(slices(Some((64, 24)), limits), 3);
        assert_eq!(slices(Some((1, 1000)), limits), most);
        assert!(aspect_ratio((16, 64)) == 4.0 && aspect_ratio((1, 1000)) > 10.0);
    }
}
