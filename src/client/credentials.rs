//! [`Credentials`]: who a client calls as.

use std::fmt;

use base64::Engine as _;
use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use crate::Sensitive;
use crate::descriptor::{AuthScheme, Credential, CredentialHolder};
use crate::error::{Error, InvalidInput};

/// An app key (it goes into the URL path) and the secret that proves the
/// caller may use it: either the project's secret key, or a User Access
/// Key (an ID and its Secret Access Key) for which the client obtains
/// access tokens.
///
/// Which one a client holds decides which version of the API it calls:
/// NHN Document OCR v2.0 and General OCR v1.0 take a secret key; v2.1 and
/// v1.1 take User Access Key tokens. Every value is a secret: `Debug` is
/// redacted, the values are wiped when dropped, and no error or log line
/// shows them.
#[derive(Clone)]
pub struct Credentials {
    app_key: Sensitive,
    secret: Secret,
}

#[derive(Clone)]
enum Secret {
    /// A secret sent as it is: NHN's secret key, CLOVA's client secret.
    Key(Sensitive),
    /// A User Access Key ID and its Secret Access Key.
    KeyPair { id: Sensitive, secret: Sensitive },
}

impl Credentials {
    /// An app key and the secret key issued with it in the console (NHN
    /// Document OCR v2.0, General OCR v1.0).
    pub fn new(app_key: impl Into<Sensitive>, secret_key: impl Into<Sensitive>) -> Self {
        Credentials {
            app_key: app_key.into(),
            secret: Secret::Key(secret_key.into()),
        }
    }

    /// An app key and a User Access Key: its ID and Secret Access Key (NHN
    /// Document OCR v2.1, General OCR v1.1). The client exchanges them for
    /// access tokens on first use and renews them as they expire.
    pub fn user_access_key(
        app_key: impl Into<Sensitive>,
        user_access_key_id: impl Into<Sensitive>,
        secret_access_key: impl Into<Sensitive>,
    ) -> Self {
        Credentials {
            app_key: app_key.into(),
            secret: Secret::KeyPair {
                id: user_access_key_id.into(),
                secret: secret_access_key.into(),
            },
        }
    }

    /// NHN credentials from the environment ([`env`](super::env)):
    /// `NHN_OCR_APP_KEY`, and a User Access Key (`NHN_USER_ACCESS_KEY_ID`,
    /// `NHN_SECRET_ACCESS_KEY`) when its ID is set, else
    /// `NHN_OCR_SECRET_KEY`.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Environment`] naming the first variable that is
    /// missing; the values are checked when a client is built.
    pub fn from_env() -> Result<Credentials, Error> {
        use super::env;
        if env::optional(env::NHN_USER_ACCESS_KEY_ID)?.is_some() {
            Self::user_access_key_from_env()
        } else {
            Self::secret_key_from_env()
        }
    }

    /// `NHN_OCR_APP_KEY` and `NHN_OCR_SECRET_KEY`.
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn secret_key_from_env() -> Result<Credentials, Error> {
        use super::env;
        let app_key = env::required(env::NHN_APP_KEY)?;
        Ok(Credentials::new(
            app_key,
            env::required(env::NHN_SECRET_KEY)?,
        ))
    }

    /// `NHN_OCR_APP_KEY`, `NHN_USER_ACCESS_KEY_ID` and `NHN_SECRET_ACCESS_KEY`.
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn user_access_key_from_env() -> Result<Credentials, Error> {
        use super::env;
        let app_key = env::required(env::NHN_APP_KEY)?;
        let id = env::required(env::NHN_USER_ACCESS_KEY_ID)?;
        let secret = env::required(env::NHN_SECRET_ACCESS_KEY)?;
        Ok(Credentials::user_access_key(app_key, id, secret))
    }

    /// Only a secret, for a family whose paths carry no app key (CLOVA: the
    /// invoke URL names the domain, `X-OCR-SECRET` authenticates).
    pub(crate) fn secret_only(secret_key: impl Into<Sensitive>) -> Self {
        Credentials {
            app_key: Sensitive::default(),
            secret: Secret::Key(secret_key.into()),
        }
    }

    /// The same key pair without an app key, for the token API (whose
    /// paths name none).
    pub(crate) fn key_pair_only(&self) -> Option<Credentials> {
        match &self.secret {
            Secret::KeyPair { .. } => Some(Credentials {
                app_key: Sensitive::default(),
                secret: self.secret.clone(),
            }),
            Secret::Key(_) => None,
        }
    }

    /// What kind of secret these are, which decides the version a client
    /// calls.
    pub fn holder(&self) -> CredentialHolder {
        match self.secret {
            Secret::Key(_) => CredentialHolder::SecretKey,
            Secret::KeyPair { .. } => CredentialHolder::KeyPair,
        }
    }

    /// Refuses values the service could never accept, before any call, so
    /// the failure is local and clear instead of a vendor error. The app
    /// key is checked only when the family's paths need one.
    pub(crate) fn check(&self, needs_app_key: bool) -> Result<(), Error> {
        let refuse = |what, problem| Err(InvalidInput::Credentials { what, problem }.into());
        if needs_app_key && self.app_key.expose().trim().is_empty() {
            return refuse("app key", "is empty");
        }
        // A path segment of its own: a URL drops `.` and takes `..` for the
        // segment before it, so the call would go to another path.
        if needs_app_key && matches!(self.app_key.expose(), "." | "..") {
            return refuse("app key", "is a dot segment (`.` or `..`)");
        }
        match &self.secret {
            Secret::Key(key) => {
                if key.expose().trim().is_empty() {
                    return refuse("secret key", "is empty");
                }
                if HeaderValue::from_str(key.expose()).is_err() {
                    return refuse(
                        "secret key",
                        "contains characters an HTTP header cannot carry",
                    );
                }
            }
            Secret::KeyPair { id, secret } => {
                if id.expose().trim().is_empty() {
                    return refuse("User Access Key ID", "is empty");
                }
                // RFC 7617: the user-id of a Basic credential has no colon.
                if id.expose().contains(':') {
                    return refuse("User Access Key ID", "contains a colon");
                }
                if secret.expose().trim().is_empty() {
                    return refuse("Secret Access Key", "is empty");
                }
                if id
                    .expose()
                    .chars()
                    .chain(secret.expose().chars())
                    .any(char::is_control)
                {
                    return refuse("User Access Key", "contains control characters");
                }
            }
        }
        Ok(())
    }

    pub(crate) fn app_key(&self) -> &Sensitive {
        &self.app_key
    }

    /// The header value `scheme` sends for these credentials, marked
    /// sensitive so the HTTP stack never prints it either; `None` when the
    /// scheme takes a token (which a token source provides) or another kind
    /// of secret.
    pub(crate) fn header_for(&self, scheme: &AuthScheme) -> Result<Option<HeaderValue>, Error> {
        let text = match (&scheme.credential, &self.secret) {
            (Credential::SecretKey, Secret::Key(key)) => {
                Zeroizing::new(format!("{}{}", scheme.prefix, key.expose()))
            }
            (Credential::KeyPair, Secret::KeyPair { id, secret }) => {
                let pair = Zeroizing::new(format!("{}:{}", id.expose(), secret.expose()));
                let encoded = Zeroizing::new(
                    base64::engine::general_purpose::STANDARD.encode(pair.as_bytes()),
                );
                Zeroizing::new(format!("{}{}", scheme.prefix, encoded.as_str()))
            }
            _ => return Ok(None),
        };
        sensitive_value(&text, "credentials").map(Some)
    }
}

/// `text` as a header value the HTTP stack will not print.
pub(crate) fn sensitive_value(text: &str, what: &'static str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(text).map_err(|_| InvalidInput::Credentials {
        what,
        problem: "contain characters an HTTP header cannot carry",
    })?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.secret {
            Secret::Key(_) => {
                f.write_str("Credentials { app_key: <redacted>, secret_key: <redacted> }")
            }
            Secret::KeyPair { .. } => f.write_str(
                "Credentials { app_key: <redacted>, user_access_key_id: <redacted>, secret_access_key: <redacted> }",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::HeaderName;

    const SECRET_SCHEME: AuthScheme = AuthScheme {
        name: "secret-key",
        header: HeaderName::new("Authorization", "authorization"),
        prefix: "",
        credential: Credential::SecretKey,
        refused_with: None,
    };
    const BASIC_SCHEME: AuthScheme = AuthScheme {
        name: "user-access-key",
        header: HeaderName::new("Authorization", "authorization"),
        prefix: "Basic ",
        credential: Credential::KeyPair,
        refused_with: None,
    };

    #[test]
    fn debug_is_redacted_and_bad_values_are_refused_without_showing_them() {
        let c = Credentials::new("app-123", "secret-456");
        assert_eq!(
            format!("{c:?}"),
            "Credentials { app_key: <redacted>, secret_key: <redacted> }"
        );
        c.check(true).unwrap();
        assert!(
            c.header_for(&SECRET_SCHEME)
                .unwrap()
                .unwrap()
                .is_sensitive()
        );

        let e = Credentials::new("", "s").check(true).unwrap_err();
        assert_eq!(e.to_string(), "the app key is empty");
        for dots in [".", ".."] {
            let e = Credentials::new(dots, "s").check(true).unwrap_err();
            assert_eq!(e.to_string(), "the app key is a dot segment (`.` or `..`)");
        }
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
        assert_eq!(
            c.header_for(&SECRET_SCHEME).unwrap().unwrap(),
            "clova-secret"
        );
        // The same credentials cannot serve a family whose paths need one.
        assert_eq!(
            c.check(true).unwrap_err().to_string(),
            "the app key is empty"
        );
        let e = Credentials::secret_only(" ").check(false).unwrap_err();
        assert_eq!(e.to_string(), "the secret key is empty");
    }

    #[test]
    fn a_key_pair_is_sent_in_the_basic_form() {
        // The vendor's own example: `userAccessKey:userSecretKey`.
        let c = Credentials::user_access_key("app", "userAccessKey", "userSecretKey");
        assert_eq!(c.holder(), CredentialHolder::KeyPair);
        c.check(true).unwrap();
        let value = c.header_for(&BASIC_SCHEME).unwrap().unwrap();
        assert_eq!(value, "Basic dXNlckFjY2Vzc0tleTp1c2VyU2VjcmV0S2V5");
        assert!(value.is_sensitive());
        // A key pair does not fill a secret-key header, nor a key a Basic one.
        assert!(c.header_for(&SECRET_SCHEME).unwrap().is_none());
        assert!(
            Credentials::new("a", "s")
                .header_for(&BASIC_SCHEME)
                .unwrap()
                .is_none()
        );
        let shown = format!("{c:?}");
        assert!(!shown.contains("userAccessKey") && !shown.contains("userSecretKey"));
        for (id, secret, problem) in [
            ("", "s", "the User Access Key ID is empty"),
            ("a:b", "s", "the User Access Key ID contains a colon"),
            ("a", " ", "the Secret Access Key is empty"),
            (
                "a",
                "s\n",
                "the User Access Key contains control characters",
            ),
        ] {
            let e = Credentials::user_access_key("app", id, secret)
                .check(true)
                .unwrap_err();
            assert_eq!(e.to_string(), problem);
        }
        assert!(c.key_pair_only().is_some());
        assert!(Credentials::new("a", "s").key_pair_only().is_none());
    }
}
