//! Deciding, per call number, whether a configured fault replaces the
//! answer, and what the vendor's answer for that fault looks like.

use axum::http::StatusCode;
use axum::response::Response;

use super::codes::{Emulated, NhnCodes};
use super::config::Faults;
use super::reply;
use crate::descriptor::{Endpoint, Family, Version};
use crate::error::VendorErrorCode;
use crate::wire::{
    clova_document_ocr::ErrorCode as Clova, nhn_document_ocr_v2::ErrorCode as Doc,
    nhn_general_ocr_v1::ErrorCode as Gen,
};

/// A fault that answers instead of the endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injected {
    Quota,
    RateLimit,
    ServerError,
}

fn every(period: Option<std::num::NonZeroU64>, call: u64) -> bool {
    period.is_some_and(|n| call.is_multiple_of(n.get()))
}

/// The fault for call number `call` (1-based), if any.
pub fn injected(faults: &Faults, call: u64) -> Option<Injected> {
    if faults.call_quota.is_some_and(|quota| call > quota) {
        Some(Injected::Quota)
    } else if every(faults.rate_limit_every, call) {
        Some(Injected::RateLimit)
    } else if every(faults.server_error_every, call) {
        Some(Injected::ServerError)
    } else {
        None
    }
}

/// Whether the key pair is replaced after answering call number `call`.
pub fn rotates_after(faults: &Faults, call: u64) -> bool {
    every(faults.rotate_keys_every, call)
}

/// The vendor's answer to a fault.
pub fn answer(
    family: &Family,
    version: &Version,
    endpoint: &Endpoint,
    fault: Injected,
    path: &str,
) -> Response {
    let throttling = family
        .throttling_code()
        .and_then(|info| VendorErrorCode::parse(family.name, info.code));
    let (code, status): (VendorErrorCode, _) = match (Emulated::of(family), fault, throttling) {
        // The code the spec marks `throttling`, whatever the family.
        (_, Injected::RateLimit, Some(code)) => (code, None),
        (Some(Emulated::NhnDocument), fault, _) => nhn::<Doc>(fault),
        (Some(Emulated::NhnGeneral), fault, _) => nhn::<Gen>(fault),
        (_, Injected::Quota, _) => (Clova::RequestQuotaExhausted.into(), None),
        (_, Injected::RateLimit | Injected::ServerError, _) => {
            (Clova::UnknownServiceError.into(), None)
        }
    };
    reply::error(family, Some((version, endpoint)), code, path, status)
}

/// An NHN family's answer to a fault: it has no quota code, so a quota
/// answers as the rate limit does. NHN's own errors are always HTTP 200; a
/// 5xx comes from in front of the service, and the emulator still sends
/// NHN's generic failure body.
fn nhn<C: NhnCodes>(fault: Injected) -> (VendorErrorCode, Option<StatusCode>) {
    match fault {
        Injected::Quota | Injected::RateLimit => (C::CALL_LIMIT.into(), None),
        Injected::ServerError => (C::UNKNOWN.into(), Some(StatusCode::INTERNAL_SERVER_ERROR)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroU64;

    #[test]
    fn every_nth_call() {
        let f = Faults {
            rate_limit_every: NonZeroU64::new(3),
            server_error_every: NonZeroU64::new(2),
            ..Faults::default()
        };
        let got: Vec<_> = (1..=6).map(|c| injected(&f, c)).collect();
        assert_eq!(
            got,
            [
                None,
                Some(Injected::ServerError),
                Some(Injected::RateLimit),
                Some(Injected::ServerError),
                None,
                Some(Injected::RateLimit)
            ]
        );
    }

    #[test]
    fn quota_wins() {
        let f = Faults {
            call_quota: Some(2),
            rate_limit_every: NonZeroU64::new(1),
            ..Faults::default()
        };
        assert_eq!(injected(&f, 1), Some(Injected::RateLimit));
        assert_eq!(injected(&f, 3), Some(Injected::Quota));
        assert!(!rotates_after(&f, 3));
    }
}
