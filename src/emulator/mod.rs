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
//! In a downstream crate's integration tests (feature `emulator`, which
//! brings the clients; no network, no credentials):
//!
//! ```
//! use ocrwire::emulator::{Emulator, EmulatorConfig};
//! use ocrwire::Image;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
//! let client = emulator.document_client().build().unwrap(); // http://127.0.0.1:PORT
//! let card = Image::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/card.png")).unwrap();
//! let answer = client.credit_card(&card).await.unwrap();
//! assert!(answer.number().is_some());
//! assert!(answer.drift().is_empty());
//! emulator.shutdown().await.unwrap();
//! # }
//! ```
//!
//! # What it recognizes
//!
//! Results are the vendors' example values (see `spec/examples/README.md`) and the
//! same for the same request. Their boxes are moved and scaled to lie inside
//! the image sent, so a picture drawn from an answer (`ocrwire ... --annotate`)
//! shows them on it. General OCR reads an uploaded image as lines of words
//! chosen from its bytes: the same image always reads the same, different
//! images read differently (an image URL, which the emulator never fetches,
//! gets the vendor's example). What the image *is* comes from its bytes: the
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
//! | `ocrwire:failure` | no document found: 4000111 (credit card), 4000121 (ID card), 4000501 (General OCR) | `inferResult: FAILURE`, no document |
//! | `ocrwire:error` | -1 Unknown error | `inferResult: ERROR` |
//!
//! The ID markers matter only for ID-card endpoints; `ocrwire:error` also
//! gives -1 on General OCR. The files in `examples/` carry these markers.
//!
//! # Errors and the requests that cause them
//!
//! Checks run in a fixed order and the first failure answers. NHN families
//! answer HTTP 200 with `header.isSuccessful: false`; CLOVA answers the
//! spec's HTTP status with `{code, message, path, timestamp}`. Messages are
//! the family's own wording from the spec.
//!
//! Every endpoint is served under each of its family's versions (v2.0 and
//! v2.1 of Document OCR, v1.0 and v1.1 of General OCR), and authenticated
//! as that version's auth scheme says.
//!
//! **NHN Document OCR v2.0/v2.1** (public-key, credit-card, id-card,
//! id-card-stand-alone, id-card-authenticity):
//! 0. a path under a version's prefix that names no endpoint: 4041007 (405
//!    for one that takes another method);
//! 1. a required header absent or empty (the version's auth header
//!    included): 4000005;
//! 2. with a secret key (v2.0): a wrong secret key or another app key: the
//!    scheme's `refused_with` (4000001 where the spec names none); a
//!    `serviceName` outside the spec's `allowed`, or a path variable that is
//!    not UTF-8: 4000001 (the spec reads it as "a path variable, header
//!    value or body field is malformed"); with a token (v2.1): a token that was never
//!    issued, has expired or was revoked, or a header without `Bearer `:
//!    the scheme's `refused_with` (4010006); another app key: 4010007;
//! 3. `X-Key-Version` not the current version of the endpoint's service
//!    (another service's version, or one from before a rotation): 4000301;
//! 4. `Symmetric-Key` that does not unwrap to 32 bytes: 4000302, with one
//!    identical answer whether it is not Base64, not one RSA block, badly
//!    padded or a key of another size (anything finer is a padding oracle);
//! 5. recognition bodies: over the size limit (before or after decryption):
//!    4131000; not multipart, or the `image` part missing or sent twice:
//!    4000001; the part or its plaintext empty: 4000004; not ciphertext
//!    under the request's key: 4000303; not an accepted type by magic
//!    number: 4000003; an unreadable image header: 4000002; marker
//!    `ocrwire:error`: -1; marker `ocrwire:failure`: 4000111 (credit card)
//!    or 4000121 (ID card);
//! 6. authenticity bodies: not JSON or not an `AuthenticityRequest`:
//!    4000001; a field that does not decrypt: 4000303; a field missing or
//!    malformed for the `idType`, or an `idType` the check does not take
//!    (`passport` since 2026-05-27): 4000001; then the
//!    Request-Key: absent 4000005, unknown, spent or expired 4000122.
//!
//! **NHN General OCR v1.0/v1.1** (general, general-cropping): 1 and 2 as above;
//! then over the limit 4131000; neither multipart nor JSON 4000001; for an
//! upload the `image` part missing 4000001, empty 4000004, not an accepted
//! type 4000003, unreadable 4000002, marker `ocrwire:error` -1, marker
//! `ocrwire:failure` 4000501, longer than the spec's `max_aspect_ratio`
//! 4000505; for a URL a
//! body that is not `ImageUrlRequest`, or a URL that is not http(s), has no
//! host or names a port outside `limits.url_ports`: 4000001, and a URL
//! whose file extension names an unaccepted image type (`.gif`): 4000003.
//! The URL is never fetched (tests stay off the network, and an emulator
//! that fetched URLs would be an open proxy); its extension stands in for
//! the downloaded file's type (`jpg` when it names none). Cropping's
//! `slicesImages` is the long side over the short side, rounded up, at most
//! 10 (1 for a URL).
//!
//! **CLOVA Document** (receipt, credit-card, name-card, biz-license,
//! id-card, passport): another invoke key in the URL, an unknown document
//! path, or a wrong method under the invoke URL: 0001; another domain id:
//! 0022; `X-OCR-SECRET` missing or wrong: 0002 (401); a body over
//! [`EmulatorConfig::clova_max_body_bytes`] (the vendor states no limit),
//! multipart without one valid `message` and one `file`, or anything else
//! that is not a `DocumentRequest` (the vendor's curl example sends JSON
//! without a JSON content type, so non-multipart bodies are read as JSON):
//! 0011; `version` other than `V2`: 0021; then 0011 again for an image count
//! other than the spec's `images_per_call`, a format outside
//! `limits.formats`, `data` that is not Base64, an empty file, or bytes whose
//! magic number is not the declared format. Unreadable images still answer
//! HTTP 200, with `inferResult` `FAILURE` (marker `ocrwire:failure`) or
//! `ERROR` and the vendor's example message `Read page:0 error.` (marker
//! `ocrwire:error`, or a truncated image header).
//!
//! **NHN's token API** (create-token, revoke-token): `Authorization` not
//! `Basic` with the emulator's User Access Key ID and Secret Access Key:
//! `invalid_client` (401); a body that is not the endpoint's form type:
//! `invalid_request` (400); a `grant_type` other than the spec's fixed
//! `client_credentials`: `unsupported_grant_type` (400). A token lives the
//! spec's default lifetime (86,400 s) or
//! [`EmulatorConfig::token_lifetime`]; the answer states it in `expires_in`.
//! Revoking answers 200 with no body, whether or not the token was live.
//! Token API calls are not numbered with the OCR calls and get no faults.
//!
//! Codes only a failing vendor service produces (5000006 and 5000007 except
//! by an RNG failure, 0501, 1021, 0028) are not produced; rate limits,
//! quotas and 5xx come from [`Faults`].
//!
//! # Request-Keys and authenticity
//!
//! `id-card` issues a Request-Key (the spec's response header) for resident
//! cards and driver's licences, valid for the spec's 3600 s (or
//! [`EmulatorConfig::request_key_ttl`]) and spent by the first authenticity
//! call that presents it and gets an answer (`isAuthenticity` true or
//! false; a refused request does not spend it). A request must meet the
//! spec's rules for its ID type (`types.AuthenticityRequest`: which fields
//! each ID type needs, and their forms), checked by the same generated code
//! the client runs before sending; one that does not, and any `passport`
//! request (the check's ID types no longer include it), answers 4000001. It answers
//! true only when the ID type is the card's and every field equals what was
//! recognized on it, compared by digits (`910623-1062372` on the card
//! matches `9106231062372`, `2011.03.06` matches `20110306`; a licence
//! check's resident number is the card's leading digits), so a client can
//! verify by sending back the digits of what it recognized.
//!
//! # Faults
//!
//! [`Faults`] (or `ocrwire serve` flags / `OCRWIRE_EMULATOR_*` variables)
//! numbers the calls and answers every Nth with the vendor's rate-limit
//! error or an HTTP 500, adds latency, enforces a call quota, rotates the
//! key pair every N calls, or revokes every access token after N calls made
//! with tokens; [`Emulator::rotate_keys`] rotates on demand.

mod authenticity;
mod clova;
mod clova_reading;
mod codes;
mod config;
mod faults;
mod generic;
mod handlers;
mod keys;
mod nhn_document;
mod nhn_general;
mod rate_limit;
mod reply;
mod request;
mod request_keys;
mod routes;
mod samples;
mod server;
mod sniff;
mod state;
mod token_api;
mod tokens;

pub use config::{
    Credentials, DEFAULT_CLOVA_DOMAIN_ID, DEFAULT_CLOVA_INVOKE_KEY, DEFAULT_CLOVA_MAX_BODY_BYTES,
    DEFAULT_CLOVA_SECRET, DEFAULT_NHN_APP_KEY, DEFAULT_NHN_SECRET_KEY, DEFAULT_SECRET_ACCESS_KEY,
    DEFAULT_USER_ACCESS_KEY_ID, EmulatorConfig, Faults, KeySource, env,
};
pub use server::Emulator;
