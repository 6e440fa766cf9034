//! [`RequestKey`]: the single-use ticket from an ID card recognition.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use crate::Sensitive;
use crate::descriptor::Endpoint;
use crate::error::{Error, InvalidInput};
use crate::wire::nhn_document_ocr_v2::{ID_CARD, IdCardResult, IdType};

/// Longest Request-Key accepted from the service, in bytes. The vendor
/// documents no format (its keys are opaque tokens; the emulator's are 32
/// hex digits); 1 KiB is generous for any token, and keeps a hostile answer
/// from making the client hold and resend megabytes as a header.
pub(crate) const MAX_REQUEST_KEY_LEN: usize = 1024;

/// The response header, as the spec names it.
const HEADER: &str = "Request-Key";
/// Where a Request-Key problem is reported, in field-path style.
const HEADER_PATH: &str = "Request-Key (header)";

/// An answer that comes with a Request-Key, and the key, for a later call
/// that spends it ([`DocumentClient::id_card_authenticity`](super::DocumentClient::id_card_authenticity)).
#[derive(Debug)]
pub struct Keyed<R> {
    /// The reading, decrypted.
    pub result: R,
    /// The key, when the service issued one (see the answer type's rule:
    /// for ID cards, resident cards and driver licences only; `None` for
    /// passports).
    pub request_key: Option<RequestKey>,
}

/// The result of an ID card recognition, with the ticket for a later
/// authenticity check.
pub type IdCardRecognition = Keyed<IdCardResult>;

/// When an answer must carry a Request-Key: the spec says it in words
/// (`when:` on the header), so each answer type that can carry one says it
/// here.
pub trait KeyRule {
    /// Whether this answer must come with a key.
    fn key_expected(&self) -> bool;
    /// Why, for the error when it does not.
    const WHY: &'static str;
}

impl KeyRule for IdCardResult {
    fn key_expected(&self) -> bool {
        matches!(self.id_type, Some(IdType::Resident | IdType::Driver))
    }
    const WHY: &'static str = "the service issues one for every resident card and driver licence";
}

/// The Request-Key an answer of `endpoint` carries, checked (see [`read`]).
pub(crate) fn from_answer<R: KeyRule>(
    endpoint: &'static Endpoint,
    headers: &HeaderMap,
    answer: &R,
    sent_at: Instant,
) -> Result<Option<RequestKey>, Error> {
    let expected = answer.key_expected().then_some(R::WHY);
    read(endpoint, headers, expected, sent_at)
}

/// The single-use ticket header of an `endpoint` answer, checked.
///
/// A well-formed key is one header value of 1 to [`MAX_REQUEST_KEY_LEN`]
/// visible ASCII characters (`!` to `~`: no spaces, no control characters,
/// nothing a proxy could re-encode), because the client must send it back
/// byte for byte in a header of its own. Anything else is a malformed
/// answer, not a key: sending it back could only fail later and more
/// obscurely. When the answer must carry one (`expected`, with the
/// reason), an answer without is malformed too.
pub(crate) fn read(
    endpoint: &'static Endpoint,
    headers: &HeaderMap,
    expected: Option<&str>,
    sent_at: Instant,
) -> Result<Option<RequestKey>, Error> {
    let header = endpoint
        .response
        .headers
        .iter()
        .find(|h| h.single_use)
        .map_or(HEADER, |h| h.name.as_str());
    let malformed = |reason: &str| Error::malformed(endpoint.name, HEADER_PATH, reason);
    let mut values = headers.get_all(header).iter();
    let Some(value) = values.next() else {
        return match expected {
            Some(why) => Err(malformed(&format!("missing, though {why}"))),
            None => Ok(None),
        };
    };
    if values.next().is_some() {
        return Err(malformed("sent more than once"));
    }
    let bytes = value.as_bytes();
    if bytes.is_empty() {
        return Err(malformed("empty"));
    }
    if bytes.len() > MAX_REQUEST_KEY_LEN {
        return Err(malformed(&format!(
            "longer than {MAX_REQUEST_KEY_LEN} bytes"
        )));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(malformed("not visible ASCII"));
    };
    if !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(malformed("not visible ASCII"));
    }
    Ok(Some(RequestKey::new(Sensitive::new(text), sent_at)))
}

/// The `Request-Key` an ID card recognition returns, which lets one
/// authenticity check follow it.
///
/// The service accepts it for one successful check and for a limited time
/// (one hour, from the descriptor). The type enforces what it can: it is
/// not `Clone` or `Copy` and the authenticity call takes it by value, so one
/// key cannot be spent twice by mistake; it remembers when it was issued
/// and is refused locally once too old, without a round trip. The value is
/// a secret: redacted in `Debug`, wiped on drop.
///
/// A key spends on one check:
///
/// ```
/// use ocrwire::nhn::{DocumentClient, RequestKey, ResidentCheck};
///
/// async fn verify_once(client: &DocumentClient, key: RequestKey, check: ResidentCheck) {
///     let _first = client.id_card_authenticity(key, check.clone()).await;
/// }
/// ```
///
/// and spending it on two does not compile (E0382: use of moved value
/// `key`). The example above is this one's twin: stable rustdoc does not
/// check the code written after `compile_fail`, so the twin is what shows
/// that the moved key is the one reason.
///
/// ```compile_fail,E0382
/// use ocrwire::nhn::{DocumentClient, RequestKey, ResidentCheck};
///
/// async fn verify_twice(client: &DocumentClient, key: RequestKey, check: ResidentCheck) {
///     let _first = client.id_card_authenticity(key, check.clone()).await;
///     let _second = client.id_card_authenticity(key, check).await; // `key` was moved
/// }
/// ```
pub struct RequestKey {
    value: Sensitive,
    /// When the recognition request was *sent*: the service issued the key
    /// later than that, so ageing from here errs on the safe side and needs
    /// no guessed margin for latency.
    issued_at: Instant,
}

impl RequestKey {
    /// How long the service accepts a key, as the spec records it (the
    /// `Request-Key` header's `valid_for_secs`).
    pub fn valid_for() -> Duration {
        let secs = ID_CARD
            .response_header("Request-Key")
            .and_then(|h| h.valid_for_secs)
            .unwrap_or(DEFAULT_VALID_FOR_SECS);
        Duration::from_secs(secs)
    }

    /// A key the application stored itself, for example between the
    /// recognition and a later confirmation by the user. Restoring the same
    /// value twice is possible but the service honours it once.
    pub fn restore(value: impl Into<Sensitive>, issued_at: std::time::Instant) -> RequestKey {
        RequestKey {
            value: value.into(),
            issued_at: Instant::from_std(issued_at),
        }
    }

    pub(crate) fn new(value: Sensitive, issued_at: Instant) -> RequestKey {
        RequestKey { value, issued_at }
    }

    /// When the key was issued (at the latest).
    pub fn issued_at(&self) -> std::time::Instant {
        self.issued_at.into_std()
    }

    /// Time since issue.
    pub fn age(&self) -> Duration {
        Instant::now().saturating_duration_since(self.issued_at)
    }

    /// Whether it is older than [`valid_for`](Self::valid_for), so the
    /// service would refuse it.
    pub fn is_expired(&self) -> bool {
        self.age() >= Self::valid_for()
    }

    /// Reads the key, to store it. Named so that every read stands out.
    pub fn expose(&self) -> &str {
        self.value.expose()
    }

    /// `Ok` while the service still accepts the key.
    pub(crate) fn check_fresh(&self) -> Result<(), Error> {
        let (age, valid_for) = (self.age(), Self::valid_for());
        if age >= valid_for {
            return Err(InvalidInput::RequestKeyExpired { age, valid_for }.into());
        }
        Ok(())
    }

    pub(crate) fn value(&self) -> &Sensitive {
        &self.value
    }
}

/// Used only if a spec edit dropped `valid_for_secs`; 001 states one hour.
const DEFAULT_VALID_FOR_SECS: u64 = 3600;

impl fmt::Debug for RequestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestKey")
            .field("value", &"<redacted>")
            .field("age", &self.age())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_keys_in_answers_are_checked() {
        use reqwest::header::HeaderValue;
        assert!(ID_CARD.response_header(HEADER).is_some(), "the spec's name");
        let answer = |values: &[&[u8]]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(HEADER, HeaderValue::from_bytes(v).unwrap());
            }
            h
        };
        let now = Instant::now();
        let card = |id_type: Option<IdType>| IdCardResult {
            id_type,
            ..IdCardResult::default()
        };
        let resident = &card(Some(IdType::Resident));
        let key = from_answer(&ID_CARD, &answer(&[b"0123abcdef"]), resident, now)
            .unwrap()
            .unwrap();
        assert_eq!(key.expose(), "0123abcdef");
        let longest = vec![b'k'; MAX_REQUEST_KEY_LEN];
        assert!(from_answer(&ID_CARD, &answer(&[&longest]), resident, now).is_ok());
        // None expected for a passport; required for resident and driver cards.
        assert!(
            from_answer(&ID_CARD, &answer(&[]), &card(Some(IdType::Passport)), now)
                .unwrap()
                .is_none()
        );
        assert!(
            from_answer(&ID_CARD, &answer(&[]), &card(None), now)
                .unwrap()
                .is_none()
        );
        let too_long = vec![b'k'; MAX_REQUEST_KEY_LEN + 1];
        for (values, reason) in [
            (&[][..], "missing, though"),
            (&[&b""[..]][..], "empty"),
            (&[&b"two words"[..]], "not visible ASCII"),
            (&[&b"tab\there"[..]], "not visible ASCII"),
            (&["키".as_bytes()], "not visible ASCII"),
            (&[&b"\xff\xfe"[..]], "not visible ASCII"),
            (&[&too_long[..]], "longer than 1024 bytes"),
            (&[&b"a"[..], &b"b"[..]], "sent more than once"),
        ] {
            for id_type in [IdType::Resident, IdType::Driver] {
                let e =
                    from_answer(&ID_CARD, &answer(values), &card(Some(id_type)), now).unwrap_err();
                assert_eq!(e.field_path(), Some("Request-Key (header)"));
                assert!(e.to_string().contains(reason), "{e}");
                assert!(matches!(e, Error::MalformedResponse { .. }));
            }
        }
    }

    #[test]
    fn the_spec_says_one_hour() {
        assert_eq!(RequestKey::valid_for(), Duration::from_secs(3600));
    }

    #[test]
    fn debug_is_redacted() {
        let key = RequestKey::new(Sensitive::new("rk-secret"), Instant::now());
        let shown = format!("{key:?}");
        assert!(
            shown.starts_with("RequestKey { value: \"<redacted>\", age: "),
            "{shown}"
        );
        assert!(!shown.contains("rk-secret"));
    }

    #[tokio::test(start_paused = true)]
    async fn refused_locally_after_an_hour() {
        let key = RequestKey::new(Sensitive::new("rk"), Instant::now());
        tokio::time::advance(Duration::from_secs(3599)).await;
        key.check_fresh().unwrap();
        assert!(!key.is_expired());
        tokio::time::advance(Duration::from_secs(1)).await;
        let e = key.check_fresh().unwrap_err();
        assert!(key.is_expired());
        assert!(matches!(
            e,
            Error::Invalid(InvalidInput::RequestKeyExpired { .. })
        ));
        assert_eq!(
            e.to_string(),
            "the Request-Key was issued 3600 s ago and expired after 3600 s; recognize the ID card again for a new one"
        );
    }
}
