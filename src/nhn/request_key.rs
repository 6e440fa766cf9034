//! [`RequestKey`]: the single-use ticket from an ID card recognition.

use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

use crate::Sensitive;
use crate::error::{Error, InvalidInput};
use crate::wire::nhn_document_ocr_v2::ID_CARD;

/// The `Request-Key` an ID card recognition returns, which lets one
/// authenticity check follow it.
///
/// The service accepts it for one successful check and for a limited time
/// (one hour, from the descriptor). The type enforces what it can: it is
/// not `Clone` or `Copy` and the authenticity call takes it by value, so one
/// key cannot be spent twice by mistake; it remembers when it was issued
/// and is refused locally once too old, without a round trip. The value is
/// a secret: redacted in `Debug`, wiped on drop.
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
