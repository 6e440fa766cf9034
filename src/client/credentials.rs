//! [`Credentials`]: the app key and the secret key of an NHN Cloud project.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::Sensitive;
use crate::error::{Error, InvalidInput};

/// An app key (goes into the URL path) and a secret key (goes into the
/// `Authorization` header). Both are secrets: `Debug` is redacted, the
/// values are wiped when dropped, and no error or log line shows them.
#[derive(Clone)]
pub struct Credentials {
    app_key: Sensitive,
    secret_key: Sensitive,
}

impl Credentials {
    pub fn new(app_key: impl Into<Sensitive>, secret_key: impl Into<Sensitive>) -> Self {
        Credentials {
            app_key: app_key.into(),
            secret_key: secret_key.into(),
        }
    }

    /// Only a secret, for a family whose paths carry no app key (CLOVA: the
    /// invoke URL names the domain, `X-OCR-SECRET` authenticates).
    pub(crate) fn secret_only(secret_key: impl Into<Sensitive>) -> Self {
        Credentials {
            app_key: Sensitive::default(),
            secret_key: secret_key.into(),
        }
    }

    /// Refuses values the service could never accept, before any call, so
    /// the failure is local and clear instead of a vendor 4000005. The app
    /// key is checked only when the family's paths need one.
    pub(crate) fn check(&self, needs_app_key: bool) -> Result<(), Error> {
        let refuse = |what, problem| Err(InvalidInput::Credentials { what, problem }.into());
        if needs_app_key && self.app_key.expose().trim().is_empty() {
            return refuse("app key", "is empty");
        }
        if self.secret_key.expose().trim().is_empty() {
            return refuse("secret key", "is empty");
        }
        if HeaderValue::from_str(self.secret_key.expose()).is_err() {
            return refuse(
                "secret key",
                "contains characters an HTTP header cannot carry",
            );
        }
        Ok(())
    }

    pub(crate) fn app_key(&self) -> &Sensitive {
        &self.app_key
    }

    /// The secret after `prefix`, as a header value marked sensitive, so
    /// the HTTP stack never prints it either.
    pub(crate) fn secret_header(&self, prefix: &str) -> Result<HeaderValue, Error> {
        let text = zeroize::Zeroizing::new(format!("{prefix}{}", self.secret_key.expose()));
        let mut value = HeaderValue::from_str(&text).map_err(|_| InvalidInput::Credentials {
            what: "secret key",
            problem: "contains characters an HTTP header cannot carry",
        })?;
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials { app_key: <redacted>, secret_key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_bad_values_are_refused_without_showing_them() {
        let c = Credentials::new("app-123", "secret-456");
        assert_eq!(
            format!("{c:?}"),
            "Credentials { app_key: <redacted>, secret_key: <redacted> }"
        );
        c.check(true).unwrap();
        assert!(c.secret_header("").unwrap().is_sensitive());

        let e = Credentials::new("", "s").check(true).unwrap_err();
        assert_eq!(e.to_string(), "the app key is empty");
        let e = Credentials::new("a", "line\nbreak")
            .check(true)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the secret key contains characters an HTTP header cannot carry"
        );
    }

    #[test]
    fn a_secret_alone_serves_families_without_an_app_key() {
        let c = Credentials::secret_only("clova-secret");
        c.check(false).unwrap();
        assert_eq!(c.secret_header("").unwrap(), "clova-secret");
        // The same credentials cannot serve a family whose paths need one.
        assert_eq!(
            c.check(true).unwrap_err().to_string(),
            "the app key is empty"
        );
        let e = Credentials::secret_only(" ").check(false).unwrap_err();
        assert_eq!(e.to_string(), "the secret key is empty");
    }
}
