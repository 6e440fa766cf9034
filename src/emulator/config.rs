//! What an [`Emulator`](super::Emulator) is started with.
//!
//! Everything has a default that suits tests: a free port, fixed throwaway
//! credentials, the embedded emulator-only RSA key (loading it takes well
//! under a millisecond, generating a 2048-bit key 0.1-1 s), no faults.

use std::ffi::OsString;
use std::num::{NonZeroU32, NonZeroU64};
use std::time::Duration;

use crate::Sensitive;

/// App key the emulator accepts unless configured otherwise.
pub const DEFAULT_NHN_APP_KEY: &str = "emulator-app-key";
/// NHN secret key the emulator accepts unless configured otherwise.
pub const DEFAULT_NHN_SECRET_KEY: &str = "emulator-secret-key";
/// User Access Key ID the emulator's token API accepts unless configured otherwise.
pub const DEFAULT_USER_ACCESS_KEY_ID: &str = "emulator-user-access-key-id";
/// Secret Access Key the emulator's token API accepts unless configured otherwise.
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "emulator-secret-access-key";
/// CLOVA client secret the emulator accepts unless configured otherwise.
pub const DEFAULT_CLOVA_SECRET: &str = "emulator-clova-secret";
/// CLOVA domain id in the emulator's invoke URL.
pub const DEFAULT_CLOVA_DOMAIN_ID: &str = "1000";
/// CLOVA invoke key in the emulator's invoke URL.
pub const DEFAULT_CLOVA_INVOKE_KEY: &str = "emulator-invoke-key";

/// The emulator's CLOVA request-body cap when none is configured. The
/// vendor documents no size limit; this one only bounds memory.
pub const DEFAULT_CLOVA_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The credentials the emulator accepts. They exist only inside the
/// emulator, so printing them (as `ocrwire serve` does) reveals nothing.
#[derive(Clone, Debug)]
pub struct Credentials {
    /// NHN app key, sent in the URL path (not a secret).
    pub nhn_app_key: String,
    /// NHN secret key, sent as the whole `Authorization` header (the
    /// versions that take one: Document OCR v2.0, General OCR v1.0).
    pub nhn_secret_key: Sensitive,
    /// NHN User Access Key ID, for which the token API issues the tokens
    /// the other versions take (v2.1, v1.1).
    pub user_access_key_id: Sensitive,
    /// Its Secret Access Key.
    pub secret_access_key: Sensitive,
    /// CLOVA client secret, sent as `X-OCR-SECRET`.
    pub clova_secret: Sensitive,
}

impl Default for Credentials {
    fn default() -> Self {
        Credentials {
            nhn_app_key: DEFAULT_NHN_APP_KEY.to_owned(),
            nhn_secret_key: Sensitive::new(DEFAULT_NHN_SECRET_KEY),
            user_access_key_id: Sensitive::new(DEFAULT_USER_ACCESS_KEY_ID),
            secret_access_key: Sensitive::new(DEFAULT_SECRET_ACCESS_KEY),
            clova_secret: Sensitive::new(DEFAULT_CLOVA_SECRET),
        }
    }
}

/// Where the emulator's RSA key pair comes from.
#[derive(Clone, Debug, Default)]
pub enum KeySource {
    /// The 2048-bit key embedded in the crate (`src/emulator/emulator-key.pem`):
    /// instant start-up. It is published with the source code, so it protects
    /// nothing and must never serve anything but the emulator.
    #[default]
    Embedded,
    /// An unencrypted PKCS#8 PEM (`openssl genpkey -algorithm RSA`).
    Pem(Sensitive),
    /// A fresh key of this many bits (2048..=4096), generated at start-up.
    Generate {
        /// The key's size in bits.
        bits: usize,
    },
}

/// Deterministic fault injection, and the service's rate limit.
///
/// Calls are numbered 1, 2, 3, ... in the order the emulator receives them,
/// across all endpoints (including the public-key endpoint). "Every N" means
/// calls N, 2N, 3N, ... When several faults hit the same call, the first in
/// this order wins: quota, rate limit, server error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// Answer every Nth call with the vendor's rate-limit error (NHN 4000006,
    /// CLOVA 0025 with its HTTP status).
    pub rate_limit_every: Option<NonZeroU64>,
    /// Answer every Nth call with HTTP 500 (CLOVA 0500; NHN -1 in the NHN
    /// body shape, as a failing gateway in front of NHN would).
    pub server_error_every: Option<NonZeroU64>,
    /// After this many calls, answer every further call with the quota error
    /// (CLOVA 0023; NHN has no quota code and answers 4000006).
    pub call_quota: Option<u64>,
    /// Wait this long before answering each call.
    pub latency: Duration,
    /// After answering every Nth call, replace the RSA key pair and its
    /// versions, so calls sealed for the old version then get 4000301. Keep N
    /// above the number of calls one exchange needs (a public-key fetch plus
    /// the call), or a client that refetches on 4000301 can never succeed.
    pub rotate_keys_every: Option<NonZeroU64>,
    /// After the Nth call authenticated by a token (counted across all
    /// tokens), revoke every token: call N is answered, call N+1 gets the
    /// invalid-token error (4010006), and the counting starts again with
    /// the next token. Token API calls are not numbered with the others and
    /// get no other faults.
    pub revoke_tokens_after: Option<NonZeroU64>,
    /// The service's rate limit: at most this many calls per second per
    /// family (a sliding one-second window); calls beyond it get the code
    /// the spec marks `throttling` (NHN 4000006, CLOVA 0025) and do not
    /// count. Unlike the faults above, this depends on time, not call
    /// numbers: it is for load tests and benchmarks of client pacing.
    pub rate_limit_per_sec: Option<NonZeroU32>,
}

/// Environment variables read by [`Faults::from_env`] and `ocrwire serve`.
pub mod env {
    /// `ocrwire serve`'s port on 127.0.0.1 (0 picks a free one).
    pub const PORT: &str = "OCRWIRE_EMULATOR_PORT";
    /// [`Faults::rate_limit_every`](super::Faults::rate_limit_every): answer every Nth call with the throttling code.
    pub const RATE_LIMIT_EVERY: &str = "OCRWIRE_EMULATOR_RATE_LIMIT_EVERY";
    /// [`Faults::rate_limit_per_sec`](super::Faults::rate_limit_per_sec): the service's rate limit, in calls per second.
    pub const RATE_LIMIT_PER_SEC: &str = "OCRWIRE_EMULATOR_RATE_LIMIT_PER_SEC";
    /// [`Faults::server_error_every`](super::Faults::server_error_every): answer every Nth call with a server error.
    pub const SERVER_ERROR_EVERY: &str = "OCRWIRE_EMULATOR_SERVER_ERROR_EVERY";
    /// [`Faults::call_quota`](super::Faults::call_quota): calls allowed before the quota code.
    pub const CALL_QUOTA: &str = "OCRWIRE_EMULATOR_CALL_QUOTA";
    /// [`Faults::latency`](super::Faults::latency), in milliseconds.
    pub const LATENCY_MS: &str = "OCRWIRE_EMULATOR_LATENCY_MS";
    /// [`Faults::rotate_keys_every`](super::Faults::rotate_keys_every): a new envelope key pair every N calls.
    pub const ROTATE_KEYS_EVERY: &str = "OCRWIRE_EMULATOR_ROTATE_KEYS_EVERY";
    /// [`Faults::revoke_tokens_after`](super::Faults::revoke_tokens_after): access tokens refused after N uses.
    pub const REVOKE_TOKENS_AFTER: &str = "OCRWIRE_EMULATOR_REVOKE_TOKENS_AFTER";
    /// [`EmulatorConfig::token_lifetime`](super::EmulatorConfig::token_lifetime), in seconds.
    pub const TOKEN_LIFETIME_SECS: &str = "OCRWIRE_EMULATOR_TOKEN_LIFETIME_SECS";
    /// [`EmulatorConfig::request_key_ttl`](super::EmulatorConfig::request_key_ttl), in seconds.
    pub const REQUEST_KEY_TTL_SECS: &str = "OCRWIRE_EMULATOR_REQUEST_KEY_TTL_SECS";
    /// [`KeySource::Generate`](super::KeySource::Generate)'s size in bits; unset: the embedded key.
    pub const KEY_BITS: &str = "OCRWIRE_EMULATOR_KEY_BITS";
    /// [`EmulatorConfig::clova_table_detection`](super::EmulatorConfig::clova_table_detection)
    /// off when set to `true`: the CLOVA domain's table option is off.
    pub const CLOVA_TABLES_OFF: &str = "OCRWIRE_EMULATOR_CLOVA_TABLES_OFF";
    /// [`EmulatorConfig::clova_templates`](super::EmulatorConfig::clova_templates):
    /// the released template ids, comma-separated.
    pub const CLOVA_TEMPLATES: &str = "OCRWIRE_EMULATOR_CLOVA_TEMPLATES";
}

impl Faults {
    /// Reads the fault settings from the `OCRWIRE_EMULATOR_*` variables in
    /// [`env`](mod@env), so an in-process emulator (the CLI's `--mock`) can be given
    /// faults without new flags. Unset or empty variables mean "no fault".
    ///
    /// # Errors
    ///
    /// A message naming the variable when a value is not a number (or is 0
    /// where a period is expected).
    pub fn from_env() -> Result<Faults, String> {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// [`from_env`](Self::from_env) with the variables supplied by `lookup`
    /// (for tests, or settings kept elsewhere).
    ///
    /// # Errors
    ///
    /// As for [`from_env`](Self::from_env).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Result<Faults, String> {
        let number = |name: &str| env_number(name, lookup(name));
        let period = |name: &str| {
            number(name)?
                .map(|n| NonZeroU64::new(n).ok_or_else(|| format!("{name} must be at least 1")))
                .transpose()
        };
        Ok(Faults {
            rate_limit_every: period(env::RATE_LIMIT_EVERY)?,
            server_error_every: period(env::SERVER_ERROR_EVERY)?,
            call_quota: number(env::CALL_QUOTA)?,
            latency: Duration::from_millis(number(env::LATENCY_MS)?.unwrap_or(0)),
            rotate_keys_every: period(env::ROTATE_KEYS_EVERY)?,
            revoke_tokens_after: period(env::REVOKE_TOKENS_AFTER)?,
            rate_limit_per_sec: number(env::RATE_LIMIT_PER_SEC)?
                .map(|n| {
                    u32::try_from(n)
                        .ok()
                        .and_then(NonZeroU32::new)
                        .ok_or_else(|| {
                            format!("{} must be from 1 to {}", env::RATE_LIMIT_PER_SEC, u32::MAX)
                        })
                })
                .transpose()?,
        })
    }

    /// Whether any fault is configured (for start-up banners).
    pub fn any(&self) -> bool {
        *self != Faults::default()
    }
}

fn env_number(name: &str, value: Option<OsString>) -> Result<Option<u64>, String> {
    let Some(text) = env_text(name, value)? else {
        return Ok(None);
    };
    text.parse()
        .map(Some)
        .map_err(|_| format!("{name} must be a whole number, got {text:?}"))
}

/// A variable's trimmed text; unset or empty is `None`.
fn env_text(name: &str, value: Option<OsString>) -> Result<Option<String>, String> {
    let Some(value) = value else { return Ok(None) };
    let text = value
        .to_str()
        .ok_or_else(|| format!("{name} is not valid text"))?
        .trim();
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

impl EmulatorConfig {
    /// This configuration with the CLOVA domain's settings from the
    /// `OCRWIRE_EMULATOR_CLOVA_*` variables in [`env`](mod@env), for an
    /// in-process emulator (the CLI's `--mock`) and `ocrwire serve` alike.
    /// Unset or empty variables leave the settings as they are.
    ///
    /// # Errors
    ///
    /// A message naming the variable when its value is malformed.
    pub fn clova_domain_from_env(self) -> Result<EmulatorConfig, String> {
        self.clova_domain_from_lookup(|name| std::env::var_os(name))
    }

    /// [`clova_domain_from_env`](Self::clova_domain_from_env) with the
    /// variables supplied by `lookup`.
    ///
    /// # Errors
    ///
    /// As for [`clova_domain_from_env`](Self::clova_domain_from_env).
    pub fn clova_domain_from_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<OsString>,
    ) -> Result<EmulatorConfig, String> {
        let name = env::CLOVA_TABLES_OFF;
        if let Some(off) = env_text(name, lookup(name))? {
            self.clova_table_detection = match off.to_ascii_lowercase().as_str() {
                "true" => false,
                "false" => true,
                _ => return Err(format!("{name} must be true or false, got {off:?}")),
            };
        }
        let name = env::CLOVA_TEMPLATES;
        if let Some(ids) = env_text(name, lookup(name))? {
            let parsed = ids
                .split(',')
                .map(|id| id.trim().parse::<i64>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| {
                    format!("{name} must be template ids separated by commas, got {ids:?}")
                })?;
            self.clova_templates = Some(parsed);
        }
        Ok(self)
    }
}

/// Everything [`Emulator::start`](super::Emulator::start) needs.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Port on 127.0.0.1; 0 lets the OS pick a free one.
    pub port: u16,
    /// The NHN app key and secret key (and User Access Key) the emulator accepts;
    /// the CLOVA secret too.
    pub credentials: Credentials,
    /// `{DomainId}` of the CLOVA invoke URL; another value answers 0022.
    pub clova_domain_id: String,
    /// `{InvokeKey}` of the CLOVA invoke URL; another value answers 0001.
    pub clova_invoke_key: String,
    /// The RSA key pair the envelope's public key comes from.
    pub keys: KeySource,
    /// How long a Request-Key stays valid; `None` takes the spec's
    /// `valid_for_secs` (3600). Zero makes every Request-Key expire at once.
    pub request_key_ttl: Option<Duration>,
    /// How long an access token lives (the `expires_in` the token API
    /// answers); `None` takes the spec's default lifetime (86,400 s).
    pub token_lifetime: Option<Duration>,
    /// Largest CLOVA request body accepted (larger ones answer 0011).
    pub clova_max_body_bytes: usize,
    /// Whether the CLOVA domain's table option is on: off, a call asking
    /// for tables (`enableTableDetection`) answers 0028.
    pub clova_table_detection: bool,
    /// The ids of the CLOVA Template domain's released templates: a call
    /// matches the first it names that is released (or, naming none, the
    /// first released); none released answers 1021. `None`: whatever a call
    /// names is released (template 1 when it names none).
    pub clova_templates: Option<Vec<i64>>,
    /// Faults to inject, and the rate limit.
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: 0,
            credentials: Credentials::default(),
            clova_domain_id: DEFAULT_CLOVA_DOMAIN_ID.to_owned(),
            clova_invoke_key: DEFAULT_CLOVA_INVOKE_KEY.to_owned(),
            keys: KeySource::Embedded,
            request_key_ttl: None,
            token_lifetime: None,
            clova_max_body_bytes: DEFAULT_CLOVA_MAX_BODY_BYTES,
            clova_table_detection: true,
            clova_templates: None,
            faults: Faults::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_clova_domain_from_variables() {
        let config = EmulatorConfig::default()
            .clova_domain_from_lookup(lookup(&[
                (env::CLOVA_TABLES_OFF, " TRUE "),
                (env::CLOVA_TEMPLATES, "7, 9"),
            ]))
            .unwrap();
        assert!(!config.clova_table_detection);
        assert_eq!(config.clova_templates, Some(vec![7, 9]));
        // Unset or empty: the settings stay as they were.
        let config = EmulatorConfig::default()
            .clova_domain_from_lookup(lookup(&[(env::CLOVA_TEMPLATES, "")]))
            .unwrap();
        assert!(config.clova_table_detection);
        assert_eq!(config.clova_templates, None);
        for (vars, named) in [
            (&[(env::CLOVA_TABLES_OFF, "yes")][..], env::CLOVA_TABLES_OFF),
            (&[(env::CLOVA_TEMPLATES, "7,x")][..], env::CLOVA_TEMPLATES),
        ] {
            let vars: &'static [(&'static str, &'static str)] = vars;
            let e = EmulatorConfig::default()
                .clova_domain_from_lookup(lookup(vars))
                .unwrap_err();
            assert!(e.starts_with(named), "{e}");
        }
    }

    #[test]
    fn faults_from_variables() {
        let faults = Faults::from_lookup(lookup(&[
            (env::RATE_LIMIT_EVERY, "5"),
            (env::LATENCY_MS, " 20 "),
            (env::SERVER_ERROR_EVERY, ""),
            (env::CALL_QUOTA, "0"),
            (env::RATE_LIMIT_PER_SEC, "40"),
        ]))
        .unwrap();
        assert_eq!(faults.rate_limit_per_sec, NonZeroU32::new(40));
        assert_eq!(faults.rate_limit_every, NonZeroU64::new(5));
        assert_eq!(faults.latency, Duration::from_millis(20));
        assert_eq!(faults.server_error_every, None);
        assert_eq!(faults.call_quota, Some(0));
        assert!(faults.any());
        assert!(!Faults::from_lookup(lookup(&[])).unwrap().any());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Faults::from_lookup(lookup(&[(env::ROTATE_KEYS_EVERY, "0")])).unwrap_err();
        assert!(err.contains(env::ROTATE_KEYS_EVERY), "{err}");
        let err = Faults::from_lookup(lookup(&[(env::LATENCY_MS, "soon")])).unwrap_err();
        assert!(err.contains(env::LATENCY_MS), "{err}");
        let err = Faults::from_lookup(lookup(&[(env::RATE_LIMIT_PER_SEC, "0")])).unwrap_err();
        assert!(err.contains(env::RATE_LIMIT_PER_SEC), "{err}");
    }
}
