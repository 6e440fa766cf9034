//! The CLOVA invoke URL: checked against the spec's template, and never
//! shown whole.
//!
//! CLOVA has no fixed host: each OCR domain gets an API Gateway invoke URL
//! ending in `/custom/v1/{DomainId}/{InvokeKey}` (the family's
//! [`base_path`](Family::base_path)), and the client appends each endpoint's path
//! (`/document/receipt`). The check is strict because the common mistakes
//! fail remotely with a vague `0001 Invalid URL`: pasting the URL with an
//! endpoint path already appended, or only the host. The invoke key is the
//! URL's unguessable part, so errors show the origin and never the path.

use url::Url;

use crate::descriptor::Family;
use crate::error::{Error, InvalidInput};

/// A checked invoke URL, without a trailing slash.
pub(crate) struct InvokeUrl(String);

impl InvokeUrl {
    /// Checks `text` against `base_path`, the path every caller's URL of
    /// `family` ends in (its generated `PerCallerHost::PATH`).
    ///
    /// # Errors
    ///
    /// [`InvalidInput::BaseUrl`] naming only the URL's origin.
    pub(crate) fn parse(
        family: &Family,
        base_path: &'static str,
        text: &str,
    ) -> Result<InvokeUrl, Error> {
        let text = text.trim();
        let url = Url::parse(text).map_err(|e| refuse(None, format!("is not a URL: {e}")))?;
        let bad = |problem: &str| refuse(Some(&url), problem.to_string());
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not contain credentials"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a query or a fragment"));
        }
        let template = template_segments(base_path);
        let segments: Vec<&str> = url
            .path()
            .trim_end_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        if let Some(endpoint) = family
            .endpoints
            .iter()
            .find(|e| url.path().trim_end_matches('/').ends_with(e.path))
        {
            return Err(bad(&format!(
                "ends with the endpoint path `{}`; give the invoke URL alone, the client appends each endpoint's path",
                endpoint.path
            )));
        }
        let fits = segments.len() >= template.len()
            && segments[segments.len() - template.len()..]
                .iter()
                .zip(&template)
                .all(|(given, wanted)| match wanted {
                    Segment::Literal(literal) => given == literal,
                    Segment::Variable => !given.is_empty(),
                });
        if !fits {
            return Err(bad(&format!(
                "must end in `{base_path}`: the API Gateway invoke URL of your CLOVA OCR domain"
            )));
        }
        Ok(InvokeUrl(url.as_str().trim_end_matches('/').to_string()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

fn refuse(url: Option<&Url>, problem: String) -> Error {
    InvalidInput::BaseUrl {
        url: url.map_or_else(
            || "(not shown)".to_string(),
            |u| crate::text::url_for_display(u.as_str()),
        ),
        problem,
    }
    .into()
}

enum Segment {
    Literal(&'static str),
    Variable,
}

/// The base path's segments; the generator checked that each variable is
/// a whole segment.
fn template_segments(base_path: &'static str) -> Vec<Segment> {
    base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Variable
            } else {
                Segment::Literal(s)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::PerCallerHost;
    use crate::wire::clova_document_ocr::{Api, FAMILY};

    fn parse(text: &str) -> Result<String, String> {
        InvokeUrl::parse(&FAMILY, <Api as PerCallerHost>::PATH, text)
            .map(|u| u.as_str().to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_check_follows_the_base_path_in_the_spec() {
        assert_eq!(
            <Api as PerCallerHost>::PATH,
            "/custom/v1/{DomainId}/{InvokeKey}"
        );
        // Another path, and the same URL is judged by it.
        let moved = |text: &str| {
            InvokeUrl::parse(&FAMILY, "/ocr/{Tenant}", text).map_err(|e| e.to_string())
        };
        assert!(moved("https://gw.example/ocr/t1").is_ok());
        let e = moved("https://gw.example/custom/v1/123/key").err().unwrap();
        assert!(e.contains("must end in `/ocr/{Tenant}`"), "{e}");
        parse("https://gw.example/custom/v1/123/key").unwrap();
        assert!(parse("https://gw.example/ocr/t1").is_err());
    }

    #[test]
    fn accepts_invoke_urls_and_drops_the_trailing_slash() {
        assert_eq!(
            parse("https://abc.apigw.ntruss.com/custom/v1/123/s3cr3tkey/").unwrap(),
            "https://abc.apigw.ntruss.com/custom/v1/123/s3cr3tkey"
        );
        // Behind a path prefix (a proxy, the emulator) the tail still decides.
        parse("http://127.0.0.1:8080/proxy/custom/v1/1/k").unwrap();
    }

    #[test]
    fn refusals_say_why_and_never_show_the_invoke_key() {
        for (url, problem) in [
            (
                "https://abc.apigw.ntruss.com/custom/v1/123/s3cr3tkey/document/receipt",
                "ends with the endpoint path `/document/receipt`",
            ),
            (
                "https://abc.apigw.ntruss.com/custom/v1/s3cr3tkey",
                "must end in `/custom/v1/{DomainId}/{InvokeKey}`",
            ),
            ("https://abc.apigw.ntruss.com", "must end in"),
            (
                "ftp://abc.apigw.ntruss.com/custom/v1/1/s3cr3tkey",
                "scheme must be http or https",
            ),
            (
                "https://abc.apigw.ntruss.com/custom/v1/1/s3cr3tkey?x=1",
                "query",
            ),
            ("https://u:s3cr3tkey@abc/custom/v1/1/k", "credentials"),
            ("s3cr3tkey", "is not a URL"),
        ] {
            let e = parse(url).unwrap_err();
            assert!(e.contains(problem), "{url}: {e}");
            assert!(!e.contains("s3cr3tkey"), "{url}: {e}");
        }
        let e = parse("https://abc.apigw.ntruss.com/custom/v1/1").unwrap_err();
        assert!(
            e.starts_with("base URL `https://abc.apigw.ntruss.com/…`"),
            "{e}"
        );
    }
}
