//! A local emulator of every endpoint in the spec, for tests, demos and the
//! CLI's `--mock`.
//!
//! Nobody can try these APIs without paid credentials and the network; the
//! emulator answers like the vendors do, on 127.0.0.1, from the same
//! generated descriptors the clients use. Its routes (method and path
//! template), required headers (by their role: secret key, key version,
//! sealed symmetric key, Request-Key, CLOVA secret), body encodings and part
//! names, file limits and formats, URL port rule, images per call, error
//! codes and messages, CLOVA HTTP statuses, the Request-Key header and its
//! validity, the public-key services and the key-version error code all come
//! from [`crate::wire::FAMILIES`]. Responses go through the generated types.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use ocrwire::emulator::{Emulator, EmulatorConfig};
//! let emulator = Emulator::start(EmulatorConfig::default()).await?;
//! let base = emulator.nhn_base_url(); // http://127.0.0.1:PORT
//! let app_key = &emulator.credentials().nhn_app_key;
//! // ... point a client at `base` ...
//! emulator.shutdown().await
//! # }
//! ```
//!
//! # What it recognizes
//!
//! Results are the vendors' example values (see `samples/README.md`) and the
//! same for the same request. What the image *is* comes from its bytes: the
//! type from its magic number (never the file name or declared format), its
//! pixel size from its header (NHN `resolution` is `normal` at the spec's
//! recommended 760x480 or above, `low` below), and the document from an
//! ASCII marker anywhere in the bytes (a PNG `tEXt` chunk or a JPEG comment
//! is the natural place; `examples/make_examples.py` shows how):
//!
//! | marker | NHN Document OCR | CLOVA |
//! |---|---|---|
//! | none, `ocrwire:resident` | resident card (+ Request-Key) | `idCard` with `ic` |
//! | `ocrwire:driver` | driver's licence (+ Request-Key) | `idCard` with `dl` |
//! | `ocrwire:passport` | passport (no Request-Key) | `idCard` with `pp` |
//! | `ocrwire:alien` | resident card | `idCard` with `ac` |
//! | `ocrwire:failure` | normal result | `inferResult: FAILURE`, no document |
//! | `ocrwire:error` | -1 Unknown error | `inferResult: ERROR` |
//!
//! The ID markers matter only for ID-card endpoints; `ocrwire:error` also
//! gives -1 on General OCR. The files in `examples/` carry these markers.
//!
//! # Errors and the requests that cause them
//!
//! The order of checks, and the code each failure answers with, is
//! documented per family in [`nhn_document`], [`nhn_general`] and
//! [`clova`]. In short: a missing required header is 4000005 (CLOVA: 0002);
//! a wrong NHN secret key or app key is 4000001 (NHN documents no
//! authentication error; see [`codes::nhn::INVALID_PARAMETER`]); a wrong
//! CLOVA secret is 0002 (HTTP 401), a wrong invoke key 0001 and a wrong
//! domain id 0022; an empty image 4000004; an image over `max_file_bytes`
//! 4131000; a type the endpoint does not accept, by magic number, 4000003;
//! an unreadable image header 4000002; a stale `X-Key-Version` 4000301; a
//! `Symmetric-Key` that does not unwrap 4000302; ciphertext that does not
//! decrypt 4000303; a spent, expired or unknown Request-Key 4000122; a
//! malformed body 4000001 (CLOVA 0011), a CLOVA `version` other than `V2`
//! 0021. Codes no request can cause (server-side failures such as 5000007,
//! 0501, 1021, 0028) are not produced.
//!
//! # Request-Keys and authenticity
//!
//! `id-card` issues a Request-Key (the spec's response header) for resident
//! cards and driver's licences, valid for the spec's 3600 s (or
//! [`EmulatorConfig::request_key_ttl`]) and spent by the first authenticity
//! call that presents it and gets an answer. The check compares each
//! decrypted field with the card the key was issued for; see
//! [`authenticity`].
//!
//! # Faults
//!
//! [`Faults`] (or `ocrwire serve` flags / `OCRWIRE_EMULATOR_*` variables)
//! numbers the calls and answers every Nth with the vendor's rate-limit
//! error or an HTTP 500, adds latency, enforces a call quota, or rotates the
//! key pair every N calls; [`Emulator::rotate_keys`] rotates on demand.

mod authenticity;
mod clova;
pub mod codes;
mod config;
mod faults;
mod keys;
mod nhn_document;
mod nhn_general;
mod reply;
mod request;
mod request_keys;
mod routes;
mod samples;
mod server;
mod sniff;
mod state;

pub use clova::PROTOCOL_VERSION as CLOVA_PROTOCOL_VERSION;
pub use config::{
    Credentials, DEFAULT_CLOVA_DOMAIN_ID, DEFAULT_CLOVA_INVOKE_KEY, DEFAULT_CLOVA_MAX_BODY_BYTES,
    DEFAULT_CLOVA_SECRET, DEFAULT_NHN_APP_KEY, DEFAULT_NHN_SECRET_KEY, EmulatorConfig, Faults,
    KeySource, env,
};
pub use server::Emulator;
