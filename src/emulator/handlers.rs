//! Which code answers an endpoint: read from its descriptor where what it
//! does follows from what it is, found by name where it is behaviour no
//! spec can state, and the generic answer (the spec's checks and example,
//! [`generic`](super::generic)) for every other endpoint, a new one
//! included.
//!
//! | the endpoint | answered by |
//! |---|---|
//! | of a family that issues tokens (`response.token`) | `token_api` |
//! | carries a CLOVA document (`response.document_field`) | `clova` |
//! | the envelope's public-key endpoint, or sealed with it (`key_service`) | `nhn_document` |
//! | named in [`HOOKS`] | its hook |
//! | anything else | `generic` (then its entry in [`ADJUSTMENTS`], if any) |

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::reply::Outcome;
use super::request::Call;
use super::state::State;
use super::{clova, clova_reading, generic, nhn_document, nhn_general, token_api};
use crate::descriptor::{Endpoint, Family};

/// One endpoint's answer to one call.
pub type Handler = fn(
    Arc<State>,
    &'static Family,
    &'static Endpoint,
    Call,
) -> Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// Endpoints whose answers are behaviour of their own, by family and
/// endpoint name: NHN General OCR reads text the emulator generates from
/// the image (or fetches nothing for a URL) and slices long images.
pub const HOOKS: &[(&str, &str, Handler)] = &[
    ("nhn-general-ocr-v1", "general", |s, _, e, c| {
        Box::pin(nhn_general::handle(s, e, c))
    }),
    ("nhn-general-ocr-v1", "general-cropping", |s, _, e, c| {
        Box::pin(nhn_general::handle(s, e, c))
    }),
];

/// Endpoints whose generic answer then depends on their request and on the
/// emulated domain's settings, by family and endpoint name: CLOVA General
/// and Template OCR (tables only when asked, the matched template).
pub const ADJUSTMENTS: &[(&str, &str, clova_reading::Adjust)] = &[
    ("clova-general-ocr", "general", clova_reading::tables),
    ("clova-template-ocr", "infer", clova_reading::template),
];

/// The adjustment of `endpoint`'s generic answer, if it has one.
pub fn adjustment(family: &Family, endpoint: &Endpoint) -> Option<clova_reading::Adjust> {
    ADJUSTMENTS
        .iter()
        .find(|(f, e, _)| *f == family.name && *e == endpoint.name)
        .map(|(_, _, adjust)| *adjust)
}

/// Whether `family` is a token API (one of its endpoints issues tokens):
/// every endpoint of it, issuing or revoking, is the token service's.
pub fn issues_tokens(family: &Family) -> bool {
    family.endpoints.iter().any(|e| e.response.token.is_some())
}

/// The handler of `endpoint`.
pub fn of(family: &'static Family, endpoint: &'static Endpoint) -> Handler {
    if issues_tokens(family) {
        return |s, _, e, c| Box::pin(token_api::handle(s, e, c));
    }
    if endpoint.response.document_field.is_some() {
        return |s, f, e, c| Box::pin(clova::handle(s, f, e, c));
    }
    let sealed = family.envelope.is_some_and(|envelope| {
        endpoint.key_service.is_some() || envelope.public_key_endpoint.name == endpoint.name
    });
    if sealed {
        return |s, f, e, c| Box::pin(nhn_document::handle(s, f, e, c));
    }
    HOOKS
        .iter()
        .find(|(f, e, _)| *f == family.name && *e == endpoint.name)
        .map_or(
            |s, f, e, c| Box::pin(generic::handle(s, f, e, c)) as Pin<Box<_>>,
            |(_, _, hook)| *hook,
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FAMILIES;

    #[test]
    fn every_hook_names_an_endpoint_of_the_spec() {
        for (family, endpoint, _) in HOOKS {
            let f = FAMILIES.iter().find(|f| f.name == *family);
            assert!(
                f.and_then(|f| f.endpoint(endpoint)).is_some(),
                "{family}/{endpoint}"
            );
        }
    }
}
