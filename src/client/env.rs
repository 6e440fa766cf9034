//! Configuration from the environment: the variable names the CLI reads,
//! read the same way by the library's `from_env` constructors, so a program
//! and the `ocrwire` command configured alike call the same thing.
//!
//! | variable | what |
//! |---|---|
//! | `NHN_OCR_APP_KEY` | the NHN app key (in every NHN path) |
//! | `NHN_OCR_SECRET_KEY` | the secret key, for Document OCR v2.0 / General OCR v1.0 |
//! | `NHN_USER_ACCESS_KEY_ID`, `NHN_SECRET_ACCESS_KEY` | a User Access Key, for v2.1 / v1.1 (then no secret key is needed) |
//! | `NHN_OCR_BASE_URL` | another NHN OCR host (default: the spec's) |
//! | `NHN_OAUTH_BASE_URL` | another host for NHN's token API (default: the spec's) |
//! | `CLOVA_OCR_INVOKE_URL`, `CLOVA_OCR_SECRET` | a CLOVA domain's invoke URL and secret |
//! | `OCRWIRE_DRIFT` | `fail`, `warn` or `ignore`: what every client that was not given a [`DriftMode`](crate::wire::drift::DriftMode) does with answers the spec does not fully know (default `warn`) |
//!
//! Secrets come from the environment, never from command-line flags, which
//! other users of the machine can read in the process list. An empty or
//! blank variable counts as unset.

use crate::error::{Error, InvalidInput};

/// The NHN app key, in every NHN path.
pub const NHN_APP_KEY: &str = "NHN_OCR_APP_KEY";
/// The NHN secret key (Document OCR v2.0, General OCR v1.0).
pub const NHN_SECRET_KEY: &str = "NHN_OCR_SECRET_KEY";
/// The User Access Key ID (Document OCR v2.1, General OCR v1.1, with the token API).
pub const NHN_USER_ACCESS_KEY_ID: &str = "NHN_USER_ACCESS_KEY_ID";
/// The Secret Access Key that goes with the User Access Key ID.
pub const NHN_SECRET_ACCESS_KEY: &str = "NHN_SECRET_ACCESS_KEY";
/// Another NHN OCR host than the spec's default.
pub const NHN_BASE_URL: &str = "NHN_OCR_BASE_URL";
/// Another host for NHN's token API than the spec's default.
pub const NHN_OAUTH_BASE_URL: &str = "NHN_OAUTH_BASE_URL";
/// A CLOVA OCR domain's invoke URL (holds its invoke key: never printed whole).
pub const CLOVA_INVOKE_URL: &str = "CLOVA_OCR_INVOKE_URL";
/// The CLOVA OCR domain's secret (`X-OCR-SECRET`).
pub const CLOVA_SECRET: &str = "CLOVA_OCR_SECRET";
/// `fail`, `warn` or `ignore`: the drift mode of every client not given one.
pub const DRIFT: &str = "OCRWIRE_DRIFT";

/// Every variable above.
pub const ALL: &[&str] = &[
    NHN_APP_KEY,
    NHN_SECRET_KEY,
    NHN_USER_ACCESS_KEY_ID,
    NHN_SECRET_ACCESS_KEY,
    NHN_BASE_URL,
    NHN_OAUTH_BASE_URL,
    CLOVA_INVOKE_URL,
    CLOVA_SECRET,
    DRIFT,
];

/// The value of `name`, if set and not blank.
pub(crate) fn optional(name: &'static str) -> Result<Option<String>, Error> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(InvalidInput::Environment {
            variable: name,
            problem: "is not valid Unicode",
        }
        .into()),
    }
}

/// The value of `name`, which must be set.
pub(crate) fn required(name: &'static str) -> Result<String, Error> {
    optional(name)?.ok_or_else(|| {
        InvalidInput::Environment {
            variable: name,
            problem: "is not set",
        }
        .into()
    })
}
