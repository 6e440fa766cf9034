//! What a client checks of its family's descriptors and its own settings
//! when it is built. A spec fact the runtime cannot follow is an error at
//! once (a spec edit must never be silently ignored); a setting that will
//! hurt later, measured against a documented fact, is a warning now.

use std::time::Duration;

use crate::descriptor::{BaseUrl, Family};
use crate::envelope::SYMMETRIC_KEY_LEN;
use crate::error::Error;

/// The envelope's symmetric key is as long as the spec says (32 bytes in
/// NHN's docs). The runtime seals with AES-256 only, so a spec that names
/// another length is refused here rather than sealed with the wrong key.
pub(crate) fn envelope_key_length(family: &Family) -> Result<(), Error> {
    match family.envelope {
        Some(envelope) if envelope.symmetric_key_bytes != SYMMETRIC_KEY_LEN => Err(Error::spec(
            family.name,
            format!(
                "the envelope's symmetric key is {} bytes in the spec; this runtime seals with AES-256 ({SYMMETRIC_KEY_LEN} bytes)",
                envelope.symmetric_key_bytes
            ),
        )),
        _ => Ok(()),
    }
}

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
    use crate::descriptor::Envelope;
    use crate::wire::{clova_document_ocr as clova, nhn_document_ocr_v2 as doc};
    use crate::wire::{nhn_general_ocr_v1 as general, nhn_user_access_key_token as token};

    #[test]
    fn an_envelope_key_length_the_runtime_cannot_seal_with_is_refused() {
        for family in [
            &doc::FAMILY,
            &general::FAMILY,
            &clova::FAMILY,
            &token::FAMILY,
        ] {
            envelope_key_length(family).unwrap();
        }
        let envelope = doc::FAMILY.envelope.unwrap();
        let edited = Family {
            envelope: Some(Envelope {
                symmetric_key_bytes: 16,
                ..envelope
            }),
            ..doc::FAMILY
        };
        let e = envelope_key_length(&edited).unwrap_err().to_string();
        assert!(
            e.contains("16 bytes in the spec") && e.contains("AES-256"),
            "{e}"
        );
    }

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
