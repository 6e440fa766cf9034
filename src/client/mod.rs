//! The runtime seam: the one pipeline every request passes through.
//!
//! A family client's methods are thin: each builds its operation's
//! generated typed request (`<Operation>Request`, which fits its endpoint
//! by construction) and hands it to `Runtime::call`. The runtime runs each
//! attempt as visible steps, reading every fact from the endpoint's
//! descriptor:
//!
//! 1. **identity** (`identity`): who calls, from a fixed credential or from
//!    a token (`TokenSource`: issued on first use, renewed before expiry,
//!    replaced once if refused). Which version and which identity a client
//!    uses is decided once, by the core, from the credentials and the spec
//!    (`Runtime::connect`); the vendor builders only gather settings;
//! 2. **seal** (`envelope`, only for a family with an envelope): the
//!    service's public key from a `KeyCache`, and a fresh `Session` (a new
//!    symmetric key) for this attempt. The envelope is one component: the
//!    seam calls its `seal` and `refused`, and the request builder and the
//!    decoder see the attempt's `Seal` only;
//! 3. **build, sign, send** (`outgoing`, `upload`, `transport`): the path,
//!    the headers by role ([`HeaderRole`]), and the body in the request's
//!    encoding, encrypted parts and Base64 data produced as they stream
//!    out; then the identity signs the built request (today: its header);
//!    then the exchange itself, with timeouts and a response size cap;
//! 4. **open**: the answer decoded by the family's [`ErrorShape`]
//!    (`error_shape`) into a payload or a typed vendor error, and the
//!    payload's `#[encrypted]` fields opened (`Operation::encrypted_response`:
//!    only an enveloped family's types have any);
//! 5. **classify**: a refusal that names its own cure (a stale key version,
//!    a refused token) is resent once; everything else goes to the retry
//!    loop ([`retry`]: attempts with backoff, a retry budget and an overall
//!    deadline, set by [`TransportConfig`] and its [`RetryPolicy`]).
//!
//! Vendor specifics are layers around this seam (the envelope, token
//! issuance), chosen by the spec's data, never by the family's name.
//!
//! [`HeaderRole`]: crate::descriptor::HeaderRole
//! [`ErrorShape`]: crate::descriptor::ErrorShape

mod answer;
mod any;
mod build_checks;
pub(crate) mod calls;
mod credentials;
#[cfg(test)]
mod decode_props;
pub mod env;
mod envelope;
mod error_shape;
pub(crate) mod identity;
mod outgoing;
mod rate_limiter;
pub mod retry;
pub(crate) mod runtime;
mod saved;
mod settings;
mod transport;
mod upload;

pub use answer::Answer;
pub use any::{AnyClient, Called, InputsOf};
pub use credentials::Credentials;
pub use error_shape::FamilyErrorCode;
pub use retry::{RetryMode, RetryPolicy};
pub(crate) use runtime::Runtime;
pub use saved::decode_saved;
pub use settings::DEFAULT_USER_AGENT;
pub(crate) use settings::{Settings, settings_setters};
pub use transport::TransportConfig;
