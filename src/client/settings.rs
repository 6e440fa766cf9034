//! [`Settings`]: how a client is built, beyond where it calls and as whom.
//! Every family's builder holds one and hands it to the runtime, so a
//! setting added here reaches every client.

use super::TransportConfig;
use crate::error::{Error, InvalidInput};
use crate::wire::drift::DriftMode;

/// The User-Agent every request carries unless the caller picks another.
pub const DEFAULT_USER_AGENT: &str = concat!("ocrwire/", env!("CARGO_PKG_VERSION"));

#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) transport: TransportConfig,
    /// `None`: `OCRWIRE_DRIFT` if set, else [`DriftMode::Warn`].
    pub(crate) drift: Option<DriftMode>,
    /// The caller's HTTP client (proxy, extra root certificates, default
    /// headers), instead of one built from `transport`.
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) user_agent: String,
}

/// The caller's HTTP client is named, not printed: its `Debug` shows its
/// default headers, which may carry the caller's own credentials.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("transport", &self.transport)
            .field("drift", &self.drift)
            .field(
                "http",
                &self.http.as_ref().map(|_| "the caller's reqwest::Client"),
            )
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            transport: TransportConfig::default(),
            drift: None,
            http: None,
            user_agent: DEFAULT_USER_AGENT.to_string(),
        }
    }
}

impl Settings {
    /// The drift mode the client runs with: the one set, else the
    /// environment's, else [`DriftMode::Warn`].
    pub(crate) fn drift_mode(&self) -> Result<DriftMode, Error> {
        if let Some(mode) = self.drift {
            return Ok(mode);
        }
        drift_mode_from(super::env::optional(super::env::DRIFT)?.as_deref())
    }
}

/// The drift mode a value of `OCRWIRE_DRIFT` asks for; unset, the default.
fn drift_mode_from(variable: Option<&str>) -> Result<DriftMode, Error> {
    match variable {
        None => Ok(DriftMode::default()),
        Some(text) => DriftMode::parse(text.trim()).ok_or_else(|| {
            InvalidInput::Environment {
                variable: super::env::DRIFT,
                problem: "must be fail, warn or ignore",
            }
            .into()
        }),
    }
}

/// The builder methods for the [`Settings`] every client has, written once:
/// a builder that holds `settings: Settings` invokes this inside its `impl`,
/// so a setting added here is offered by every builder alike.
macro_rules! settings_setters {
    () => {
        /// Timeouts, the response size cap and the retry policy, for every
        /// request the client sends (for an NHN client with a User Access
        /// Key, its token requests too).
        pub fn transport(mut self, config: $crate::client::TransportConfig) -> Self {
            self.settings.transport = config;
            self
        }

        /// What the client does when an answer carries members or enum values
        /// the spec does not know; unless set, `OCRWIRE_DRIFT`
        /// ([`env`](crate::client::env)), else
        /// [`DriftMode::Warn`](crate::wire::drift::DriftMode::Warn).
        pub fn drift(mut self, mode: $crate::wire::drift::DriftMode) -> Self {
            self.settings.drift = Some(mode);
            self
        }

        /// Send through your own `reqwest::Client`: a proxy, an extra root
        /// certificate for TLS inspection, default headers. It must not follow
        /// redirects (build it with `redirect(reqwest::redirect::Policy::none())`):
        /// the secret travels in headers, and a followed redirect ends the call
        /// with [`TransportError::Redirected`](crate::error::TransportError::Redirected).
        /// Its connect timeout is its own; the per-attempt timeout, deadline,
        /// retries and size cap of [`transport`](Self::transport) still apply.
        pub fn http_client(mut self, client: reqwest::Client) -> Self {
            self.settings.http = Some(client);
            self
        }

        /// The User-Agent of every request;
        /// [`DEFAULT_USER_AGENT`](crate::client::DEFAULT_USER_AGENT)
        /// (`ocrwire/<version>`) unless set.
        pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
            self.settings.user_agent = user_agent.into();
            self
        }
    };
}
pub(crate) use settings_setters;

#[cfg(test)]
mod tests {
    use super::{DriftMode, Settings, drift_mode_from};

    /// CI runs the suite with the variable set, so the unset default is
    /// pinned here, without the environment.
    #[test]
    fn the_drift_variable_unset_means_warn() {
        assert_eq!(drift_mode_from(None).unwrap(), DriftMode::Warn);
        assert_eq!(drift_mode_from(Some(" fail ")).unwrap(), DriftMode::Fail);
        let e = drift_mode_from(Some("loud")).unwrap_err();
        assert_eq!(e.to_string(), "OCRWIRE_DRIFT must be fail, warn or ignore");
    }

    #[test]
    fn debug_names_the_callers_http_client_without_its_headers() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-team-token", "team-secret-42".parse().unwrap());
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .unwrap();
        // What printing the client itself would show.
        assert!(format!("{client:?}").contains("team-secret-42"));
        let settings = Settings {
            http: Some(client),
            ..Settings::default()
        };
        let text = format!("{settings:?}");
        assert!(!text.contains("team-secret-42"), "{text}");
        assert!(text.contains("the caller's reqwest::Client"), "{text}");
    }
}
