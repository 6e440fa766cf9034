//! `--mock`: the built-in emulator, started in-process, and the settings a
//! command needs to point its client at it instead of the vendor.
//!
//! It uses the embedded emulator-only RSA key, so start-up takes about a
//! millisecond (generating a 2048-bit key would add 0.1-1 s to every mocked
//! command). Fault variables (`OCRWIRE_EMULATOR_RATE_LIMIT_EVERY`, ...) apply,
//! so `--mock` can demonstrate retries; the port is always a free one.

use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};

/// A running in-process emulator and where to find it.
///
/// The credentials are the emulator's own throwaway values, as plain
/// `String`s for the CLI to hand to its clients. The emulator stops when
/// this is dropped (or, waiting for it, with [`Mock::shutdown`]).
#[derive(Debug)]
pub struct Mock {
    pub emulator: Emulator,
    pub nhn_base_url: String,
    pub nhn_oauth_base_url: String,
    pub nhn_app_key: String,
    pub nhn_secret_key: String,
    pub nhn_user_access_key_id: String,
    pub nhn_secret_access_key: String,
    pub clova_invoke_url: String,
    pub clova_secret: String,
}

/// Starts the emulator on 127.0.0.1 (a free port) on the current runtime.
///
/// # Errors
///
/// A message for the user when the fault variables are malformed or the
/// emulator cannot bind a port.
pub async fn start() -> Result<Mock, String> {
    let config = EmulatorConfig {
        port: 0,
        faults: Faults::from_env()?,
        ..EmulatorConfig::default()
    }
    .clova_domain_from_env()?;
    let emulator = Emulator::start(config)
        .await
        .map_err(|e| format!("cannot start the built-in emulator for --mock: {e}"))?;
    let credentials = emulator.credentials();
    Ok(Mock {
        nhn_base_url: emulator.nhn_base_url(),
        nhn_oauth_base_url: emulator.oauth_base_url(),
        nhn_app_key: credentials.nhn_app_key.clone(),
        nhn_secret_key: credentials.nhn_secret_key.expose().to_owned(),
        nhn_user_access_key_id: credentials.user_access_key_id.expose().to_owned(),
        nhn_secret_access_key: credentials.secret_access_key.expose().to_owned(),
        clova_invoke_url: emulator.clova_invoke_url(),
        clova_secret: credentials.clova_secret.expose().to_owned(),
        emulator,
    })
}

impl Mock {
    /// Stops the emulator and waits for it.
    ///
    /// # Errors
    ///
    /// The server's I/O error, if it failed while running.
    pub async fn shutdown(self) -> Result<(), String> {
        self.emulator.shutdown().await.map_err(|e| e.to_string())
    }
}
