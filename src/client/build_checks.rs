//! What a client checks of its settings against its family's documented
//! facts when it is built: a setting that will hurt later is a warning now.
//! (Spec facts the runtime cannot follow are refused earlier: by the
//! generator's validation, and at compile time, as the envelope's key
//! length is in `client::envelope`.)

use std::time::Duration;

use crate::descriptor::{BaseUrl, Family};

/// A note for a base URL that the vendor documents as an alternate host:
/// until when it is supported, and the host its docs name. The URL quoted
/// is the spec's, never the caller's (which may carry credentials).
pub(crate) fn alternate_host_notice(family: &Family, base_url: &str) -> Option<String> {
    let BaseUrl::Fixed {
        default,
        alternates,
    } = family.base_url
    else {
        return None;
    };
    let url = base_url.trim_end_matches('/');
    let alternate = alternates
        .iter()
        .find(|a| a.url.trim_end_matches('/').eq_ignore_ascii_case(url))?;
    Some(match alternate.until {
        Some(until) => format!(
            "{} is an alternate host that {} supports until {until}; its documented host is {default}",
            alternate.url, family.title
        ),
        None => format!(
            "{} is an alternate host of {}; its documented host is {default}",
            alternate.url, family.title
        ),
    })
}

/// A note when one attempt may end before the service has finished
/// downloading an image URL: the spec says how long the service may take
/// (General OCR: 20 s, then 4000503), and a shorter per-attempt timeout
/// gives up on calls the service would have answered.
pub(crate) fn url_download_notice(family: &Family, request_timeout: Duration) -> Option<String> {
    let (endpoint, secs) = family
        .endpoints
        .iter()
        .filter_map(|e| Some((e.name, e.limits.url_download_timeout_secs?)))
        .max_by_key(|&(_, secs)| secs)?;
    (request_timeout <= Duration::from_secs(secs.into())).then(|| {
        format!(
            "the request timeout ({} s) is not longer than the {secs} s `{endpoint}` may spend downloading an image URL: such calls can time out before the service answers",
            request_timeout.as_secs_f64()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nhn_general_ocr_v1 as general;
    use crate::wire::{clova_document_ocr as clova, nhn_document_ocr_v2 as doc};

    #[test]
    fn an_alternate_host_is_named_with_its_end_of_support() {
        let BaseUrl::Fixed {
            default,
            alternates,
        } = doc::FAMILY.base_url
        else {
            panic!("NHN has a fixed host")
        };
        let old = alternates.first().expect("the spec lists the old host");
        let note = alternate_host_notice(&doc::FAMILY, &format!("{}/", old.url)).unwrap();
        assert!(
            note.contains(old.url) && note.contains(default) && note.contains("2027-07-31"),
            "{note}"
        );
        assert_eq!(alternate_host_notice(&doc::FAMILY, default), None);
        assert_eq!(
            alternate_host_notice(&doc::FAMILY, "http://127.0.0.1:8765"),
            None
        );
        assert_eq!(
            alternate_host_notice(&clova::FAMILY, "https://x.apigw.ntruss.com"),
            None
        );
    }

    #[test]
    fn a_request_timeout_within_the_url_download_time_is_noted() {
        let note = url_download_notice(&general::FAMILY, Duration::from_secs(10)).unwrap();
        assert!(note.contains("(10 s)") && note.contains("20 s"), "{note}");
        assert_eq!(
            url_download_notice(&general::FAMILY, Duration::from_secs(60)),
            None
        );
        assert_eq!(
            url_download_notice(&doc::FAMILY, Duration::from_secs(1)),
            None
        );
    }
}
