//! [`Settings`]: how a client is built, beyond where it calls and as whom.
//! Every family's builder holds one and hands it to the runtime, so a
//! setting added here reaches every client.

use super::TransportConfig;
use crate::error::{Error, InvalidInput};
use crate::wire::drift::DriftMode;

/// The User-Agent every request carries unless the caller picks another.
pub const DEFAULT_USER_AGENT: &str = concat!("ocrwire/", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) transport: TransportConfig,
    /// `None`: `OCRWIRE_DRIFT` if set, else [`DriftMode::Warn`].
    pub(crate) drift: Option<DriftMode>,
    /// The caller's HTTP client (proxy, extra root certificates, default
    /// headers), instead of one built from `transport`.
    pub(crate) http: Option<reqwest::Client>,
    pub(crate) user_agent: String,
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
        let variable = super::env::DRIFT;
        match super::env::optional(variable)? {
            None => Ok(DriftMode::default()),
            Some(text) => DriftMode::parse(text.trim()).ok_or_else(|| {
                InvalidInput::Environment {
                    variable,
                    problem: "must be fail, warn or ignore",
                }
                .into()
            }),
        }
    }
}
