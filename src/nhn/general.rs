//! [`GeneralClient`]: NHN Cloud General OCR v1.0, `/general` and
//! `/general/cropping`.
//!
//! Each method is a thin typed front for one endpoint: an uploaded
//! [`Image`] goes as the multipart `image` part, an image URL as the JSON
//! `imageUrl`; the runtime reads which from the descriptor and decodes the
//! NHN `{header, result}` envelope into the result or a typed vendor error
//! (see [`crate::client`]).
//!
//! The service downloads an image URL itself, and only from ports 80, 443
//! and 10000-12000 (the spec's `limits.url_ports`). A URL it cannot use
//! would cost a call and come back as a bare `4000001 Invalid parameter`,
//! so malformed URLs and other ports are refused locally, with the reason.

use crate::client::Answer;
use crate::descriptor::{Endpoint, FromBody, FromParts, Operation};
use crate::error::{Error, InvalidInput};
use crate::image::Image;
use crate::wire::nhn_general_ocr_v1::{
    self as general, CroppingResult, General, GeneralCropping, GeneralResult, ImageUrlRequest,
};

/// What to recognize: a file to upload, or a URL the service fetches.
#[derive(Debug, Clone, Copy)]
pub enum ImageSource<'a> {
    /// Uploaded as the multipart `image` part.
    File(&'a Image),
    /// Sent as the JSON `imageUrl`; checked locally first.
    Url(&'a str),
}

impl<'a> From<&'a Image> for ImageSource<'a> {
    fn from(image: &'a Image) -> Self {
        ImageSource::File(image)
    }
}

super::builder::nhn_client! {
    /// An async client of NHN Cloud General OCR v1.0. Cheap to clone; clones
    /// share the connection pool.
    client GeneralClient, builder GeneralClientBuilder, api general::Api,
    versions "`v1.0` with a secret key, `v1.1` with a User Access Key"
}

impl GeneralClient {
    /// `general`: all text in the image.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for an image over the size limit
    /// or of another format, or a malformed URL or one on a port the
    /// service does not fetch from; [`Error::Vendor`] with a
    /// [`general::ErrorCode`] when the service refuses.
    pub async fn general<'a>(
        &self,
        source: impl Into<ImageSource<'a>>,
    ) -> Result<Answer<GeneralResult>, Error> {
        self.recognize::<General>(source.into()).await
    }

    /// `general/cropping`: all text in a long image, which the service
    /// first cuts into slices (`slicesImages` says how many).
    ///
    /// # Errors
    ///
    /// As [`general`](Self::general).
    pub async fn general_cropping<'a>(
        &self,
        source: impl Into<ImageSource<'a>>,
    ) -> Result<Answer<CroppingResult>, Error> {
        self.recognize::<GeneralCropping>(source.into()).await
    }

    /// One call of `O`, whose request is an upload or an image URL.
    async fn recognize<O>(&self, source: ImageSource<'_>) -> Result<Answer<O::Response>, Error>
    where
        O: Operation<Api = general::Api>,
        O::Request: FromParts<Parts = (Image,)> + FromBody<ImageUrlRequest>,
    {
        let request = match source {
            ImageSource::File(image) => O::Request::from_parts((image.clone(),)),
            ImageSource::Url(text) => O::Request::from_body(ImageUrlRequest {
                image_url: checked_url(O::ENDPOINT, text)?,
            }),
        };
        Ok(self.runtime.call(&request).await?.into_answer())
    }
}

/// The URL as it will be sent, if the service can fetch from it: http(s),
/// a host, and a port in the endpoint's `limits.url_ports`. Problems are
/// described without the URL, which may carry a signed token.
fn checked_url(endpoint: &'static Endpoint, text: &str) -> Result<String, Error> {
    let refuse = |problem: String| -> Error {
        InvalidInput::Field {
            field: "imageUrl",
            for_id_type: None,
            problem,
        }
        .into()
    };
    let url = url::Url::parse(text.trim())
        .map_err(|e| refuse(format!("is not a valid absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(format!(
            "must be an http or https URL, not {}",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("has no host".to_string()));
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| refuse("names no port".to_string()))?;
    if !endpoint.limits.allows_port(port) {
        return Err(refuse(format!(
            "names port {port}; {} fetches images only from ports {}",
            endpoint.name,
            port_list(endpoint.limits.url_ports)
        )));
    }
    Ok(url.into())
}

/// `80, 443 and 10000-12000`.
fn port_list(ranges: &[(u16, u16)]) -> String {
    let items: Vec<String> = ranges
        .iter()
        .map(|&(lo, hi)| {
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        })
        .collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Credentials;
    use general::{GENERAL, GENERAL_CROPPING};

    #[test]
    fn ports_come_from_the_spec() {
        assert_eq!(
            GENERAL.limits.url_ports,
            [(80, 80), (443, 443), (10000, 12000)]
        );
        assert_eq!(
            port_list(GENERAL.limits.url_ports),
            "80, 443 and 10000-12000"
        );
        assert_eq!(port_list(&[(1, 2)]), "1-2");
        assert_eq!(port_list(&[]), "");
    }

    #[test]
    fn usable_urls_pass_and_others_are_refused_with_the_reason() {
        for ok in [
            "https://example.com/example.jpg",
            "http://example.com/a.png",
            "https://example.com:443/a.png",
            "http://example.com:10000/a.png",
            "http://example.com:12000/a.png",
            "  https://example.com/a.png?sig=abc  ",
        ] {
            checked_url(&GENERAL, ok).unwrap();
            checked_url(&GENERAL_CROPPING, ok).unwrap();
        }
        for (bad, problem) in [
            (
                "https://example.com:8443/a.png?sig=s3cr3t",
                "`imageUrl`: names port 8443; general fetches images only from ports 80, 443 and 10000-12000",
            ),
            ("http://example.com:9999/a.png", "names port 9999"),
            ("http://example.com:12001/a.png", "names port 12001"),
            (
                "ftp://example.com/a.png",
                "must be an http or https URL, not ftp",
            ),
            ("file:///etc/passwd", "not file"),
            ("example.com/a.png", "is not a valid absolute URL"),
            ("https://", "is not a valid absolute URL"),
            ("", "is not a valid absolute URL"),
        ] {
            let e = checked_url(&GENERAL, bad).unwrap_err();
            assert!(matches!(
                e,
                Error::Invalid(InvalidInput::Field {
                    field: "imageUrl",
                    ..
                })
            ));
            assert!(e.to_string().contains(problem), "{bad}: {e}");
            assert!(!e.to_string().contains("s3cr3t"), "{e}");
        }
    }

    #[test]
    fn defaults_to_the_spec_host() {
        let client = GeneralClient::new(Credentials::new("a", "s")).unwrap();
        assert_eq!(format!("{client:?}"), "GeneralClient { .. }");
        let e = GeneralClient::new(Credentials::new("", "s")).unwrap_err();
        assert_eq!(e.to_string(), "the app key is empty");
    }
}
