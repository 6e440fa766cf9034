//! Reading one image with CLOVA General or Template OCR: the request fields
//! besides the image (`version`, a fresh `requestId`, the `timestamp`, the
//! image's `format` from its bytes, a neutral `name`) filled in, with the
//! caller's options typed. The generated methods (`general`, `infer`) take
//! the whole request for callers who want to write it themselves.

use crate::client::Answer;
use crate::clova::request::{IMAGE_NAME, call_fields};
use crate::clova::{ClovaGeneralClient, ClovaTemplateClient, RequestEncoding};
use crate::descriptor::Operation;
use crate::error::Error;
use crate::image::Image;
use crate::wire::Base64Data;
use crate::wire::clova_general_ocr::{
    self as general, GeneralJsonImage, GeneralJsonRequest, GeneralMessage, GeneralMessageImage,
    GeneralRequest, GeneralResponse, GeneralVersion,
};
use crate::wire::clova_template_ocr::{
    self as template, InferRequest, TemplateMessage, TemplateMessageImage, TemplateRequest,
    TemplateRequestImage, TemplateResponse, TemplateVersion,
};

/// A language CLOVA General and Template OCR read (`lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// Korean (`ko`).
    Korean,
    /// Japanese (`ja`).
    Japanese,
    /// Traditional Chinese (`zh-TW`).
    ChineseTraditional,
}

impl Language {
    /// Every language, in the order the vendor lists them.
    pub const ALL: [Language; 3] = [
        Language::Korean,
        Language::Japanese,
        Language::ChineseTraditional,
    ];

    /// The code the request sends.
    pub fn code(self) -> &'static str {
        match self {
            Language::Korean => "ko",
            Language::Japanese => "ja",
            Language::ChineseTraditional => "zh-TW",
        }
    }
}

/// `lang`: the codes joined by commas, or none (the domain's language).
fn lang(languages: &[Language]) -> Option<String> {
    let codes: Vec<&str> = languages.iter().map(|l| l.code()).collect();
    (!codes.is_empty()).then(|| codes.join(","))
}

/// How a General OCR call reads the image.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GeneralOptions {
    /// The protocol version (V2, recommended, unless set).
    pub version: GeneralVersion,
    /// The languages to read; the domain's when empty.
    pub languages: Vec<Language>,
    /// Also find tables (the domain's table option must be on, else the
    /// service answers 0028).
    pub table_detection: bool,
}

impl Default for GeneralOptions {
    fn default() -> Self {
        GeneralOptions {
            version: GeneralVersion::V2,
            languages: Vec::new(),
            table_detection: false,
        }
    }
}

impl GeneralOptions {
    /// These languages.
    pub fn languages(mut self, languages: impl IntoIterator<Item = Language>) -> Self {
        self.languages = languages.into_iter().collect();
        self
    }

    /// With table detection, or without.
    pub fn table_detection(mut self, on: bool) -> Self {
        self.table_detection = on;
        self
    }

    /// With this protocol version.
    pub fn version(mut self, version: GeneralVersion) -> Self {
        self.version = version;
        self
    }
}

/// How a Template OCR call reads the image.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TemplateOptions {
    /// The templates to match against; every released template of the
    /// domain when empty.
    pub template_ids: Vec<i64>,
    /// The languages to read; the domain's when empty.
    pub languages: Vec<Language>,
    /// Also find tables.
    pub table_detection: bool,
}

impl TemplateOptions {
    /// Match against these templates only.
    pub fn templates(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.template_ids = ids.into_iter().collect();
        self
    }

    /// These languages.
    pub fn languages(mut self, languages: impl IntoIterator<Item = Language>) -> Self {
        self.languages = languages.into_iter().collect();
        self
    }

    /// With table detection, or without.
    pub fn table_detection(mut self, on: bool) -> Self {
        self.table_detection = on;
        self
    }
}

/// The General OCR request for `image`, in `encoding`.
pub(crate) fn general_request(
    image: &Image,
    options: &GeneralOptions,
    encoding: RequestEncoding,
) -> Result<GeneralRequest, Error> {
    let endpoint = <general::General as Operation>::ENDPOINT;
    let (request_id, timestamp, format) = call_fields(endpoint, image)?;
    let tables = options.table_detection.then_some(true);
    Ok(match encoding {
        RequestEncoding::Multipart => GeneralRequest::Multipart {
            message: GeneralMessage {
                version: options.version.clone(),
                request_id,
                timestamp,
                lang: lang(&options.languages),
                images: vec![GeneralMessageImage {
                    format,
                    name: IMAGE_NAME.to_string(),
                }],
                enable_table_detection: tables,
            },
            file: image.clone(),
        },
        RequestEncoding::Json => GeneralRequest::Json(GeneralJsonRequest {
            version: options.version.clone(),
            request_id,
            timestamp,
            lang: lang(&options.languages),
            images: vec![GeneralJsonImage {
                format,
                name: IMAGE_NAME.to_string(),
                url: None,
                data: Some(Base64Data::from(image.shared_bytes())),
            }],
            enable_table_detection: tables,
        }),
    })
}

/// The Template OCR request for `image`, in `encoding`.
pub(crate) fn template_request(
    image: &Image,
    options: &TemplateOptions,
    encoding: RequestEncoding,
) -> Result<InferRequest, Error> {
    let endpoint = <template::Infer as Operation>::ENDPOINT;
    let (request_id, timestamp, format) = call_fields(endpoint, image)?;
    let ids = (!options.template_ids.is_empty()).then(|| options.template_ids.clone());
    let tables = options.table_detection.then_some(true);
    Ok(match encoding {
        RequestEncoding::Multipart => InferRequest::Multipart {
            message: TemplateMessage {
                version: TemplateVersion::V2,
                request_id,
                timestamp,
                lang: lang(&options.languages),
                images: vec![TemplateMessageImage {
                    format,
                    name: IMAGE_NAME.to_string(),
                    template_ids: ids,
                }],
                enable_table_detection: tables,
            },
            file: image.clone(),
        },
        RequestEncoding::Json => InferRequest::Json(TemplateRequest {
            version: TemplateVersion::V2,
            request_id,
            timestamp,
            lang: lang(&options.languages),
            images: vec![TemplateRequestImage {
                format,
                name: IMAGE_NAME.to_string(),
                url: None,
                data: Some(Base64Data::from(image.shared_bytes())),
                template_ids: ids,
            }],
            enable_table_detection: tables,
        }),
    })
}

/// Hand-written: one image read with typed options, on top of the
/// generated `general` method.
impl ClovaGeneralClient {
    /// Reads every text (and, if asked, every table) in `image`, with the
    /// client's encoding. The answer's [`GeneralImage::text`] is the text
    /// in reading order; [`GeneralImage::tables`] the tables.
    ///
    /// [`GeneralImage::text`]: general::GeneralImage::text
    /// [`GeneralImage::tables`]: general::GeneralImage::tables
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for a format the endpoint does not
    /// take or a multi-page PDF/TIFF; [`Error::Vendor`] for CLOVA's status
    /// codes (0028 when table detection is off for the domain); then as
    /// every call.
    pub async fn read(
        &self,
        image: &Image,
        options: &GeneralOptions,
    ) -> Result<Answer<GeneralResponse>, Error> {
        self.general(&general_request(image, options, self.encoding)?)
            .await
    }
}

/// Hand-written: one image read with typed options, on top of the
/// generated `infer` method.
impl ClovaTemplateClient {
    /// Reads the fields of `image` by the templates of the domain (or those
    /// `options` names), with the client's encoding. Fields are found by
    /// the names the template builder gave them:
    /// [`TemplateImage::field`](template::TemplateImage::field).
    ///
    /// # Errors
    ///
    /// As [`ClovaGeneralClient::read`]; 1021 when the domain has no
    /// released template.
    pub async fn read(
        &self,
        image: &Image,
        options: &TemplateOptions,
    ) -> Result<Answer<TemplateResponse>, Error> {
        self.infer(&template_request(image, options, self.encoding)?)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";

    #[test]
    fn the_message_carries_the_options_as_the_vendor_spells_them() {
        let image = Image::from_bytes("scan.jpg", PNG.to_vec()).unwrap();
        let options = GeneralOptions::default()
            .languages([Language::Korean, Language::ChineseTraditional])
            .table_detection(true);
        let GeneralRequest::Multipart { message, file } =
            general_request(&image, &options, RequestEncoding::Multipart).unwrap()
        else {
            panic!("multipart")
        };
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(json["version"], "V2");
        assert_eq!(json["lang"], "ko,zh-TW");
        assert_eq!(json["enableTableDetection"], true);
        // The format from the bytes, not the name; a neutral name.
        assert_eq!(json["images"][0]["format"], "png");
        assert_eq!(json["images"][0]["name"], IMAGE_NAME);
        assert!(json["requestId"].as_str().is_some_and(|id| id.len() == 36));
        assert_eq!(file.bytes(), image.bytes());

        // Defaults leave out what the domain decides.
        let GeneralRequest::Multipart { message, .. } = general_request(
            &image,
            &GeneralOptions::default(),
            RequestEncoding::Multipart,
        )
        .unwrap() else {
            panic!("multipart")
        };
        let json = serde_json::to_value(&message).unwrap();
        assert!(
            json.get("lang").is_none_or(serde_json::Value::is_null),
            "{json}"
        );
        assert!(
            json.get("enableTableDetection")
                .is_none_or(serde_json::Value::is_null)
        );

        let InferRequest::Multipart { message, .. } = template_request(
            &image,
            &TemplateOptions::default().templates([3, 9]),
            RequestEncoding::Multipart,
        )
        .unwrap() else {
            panic!("multipart")
        };
        let json = serde_json::to_value(&message).unwrap();
        assert_eq!(json["images"][0]["templateIds"], serde_json::json!([3, 9]));
    }
}
