//! The runtime seam: the one place every request passes through.
//!
//! A family client's methods are thin: each names its endpoint's generated
//! [`Operation`] type and hands plaintext input to `Runtime::call`. The
//! runtime reads everything else from the endpoint's descriptor:
//!
//! 1. the path, with the app key and any argument filled in;
//! 2. the headers: the version's auth scheme, and by what fills them
//!    ([`HeaderRole`]), for an enveloped endpoint ([`Endpoint::uses_envelope`]) the key
//!    version and the sealed symmetric key, plus a Request-Key if given;
//! 3. the body: multipart parts as the descriptor lists them (a part marked
//!    `encrypted` is sealed), or JSON with its `#[encrypted]` fields sealed;
//! 4. the exchange itself (`transport`: timeouts, a response size cap);
//! 5. the family's [`ErrorShape`], giving the response or a typed vendor
//!    error (`error_shape`);
//! 6. the answer's `#[encrypted]` fields, opened in place.
//!
//! For enveloped endpoints, `Runtime::call` wraps that in the key logic:
//! the service's public key comes from a `KeyCache` (fetched once); each
//! attempt gets a fresh `Session`; if the service answers the envelope's
//! key-version error, the key is fetched again and the call is resent once,
//! under a brand-new session.
//!
//! Around all of that, `Runtime::call` runs the retry loop ([`retry`]):
//! attempts with backoff, a retry budget and an overall deadline, set by
//! [`TransportConfig`] and its [`RetryPolicy`]. Every family's client goes
//! through it, so none needs to know about retries, timeouts or body caps.
//!
//! [`Operation`]: crate::descriptor::Operation
//! [`HeaderRole`]: crate::descriptor::HeaderRole
//! [`Endpoint::uses_envelope`]: crate::descriptor::Endpoint::uses_envelope
//! [`ErrorShape`]: crate::descriptor::ErrorShape

mod credentials;
#[cfg(test)]
mod decode_props;
pub mod env;
mod envelope;
mod error_shape;
pub(crate) mod identity;
mod outgoing;
pub mod retry;
pub(crate) mod runtime;
mod transport;
mod upload;

pub use credentials::Credentials;
pub use error_shape::FamilyErrorCode;
pub use retry::RetryPolicy;
pub(crate) use runtime::Runtime;
pub use transport::TransportConfig;
