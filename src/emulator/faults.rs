//! Deciding, per call number, whether a configured fault replaces the
//! answer, and what the vendor's answer for that fault looks like.

use axum::http::StatusCode;
use axum::response::Response;

use super::codes;
use super::config::Faults;
use super::reply;
use crate::descriptor::{Endpoint, ErrorRole, ErrorShape, Family, Version};

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
    family: &'static Family,
    version: &Version,
    endpoint: &Endpoint,
    fault: Injected,
    path: &str,
) -> Response {
    let role = match fault {
        Injected::RateLimit => None,
        Injected::Quota => Some(ErrorRole::Quota),
        Injected::ServerError => Some(ErrorRole::ServerError),
    };
    // A rate limit answers the code the spec marks `throttling`; a family
    // with no quota code answers a quota as a rate limit, and one with no
    // rate limit code as a server error.
    let throttling = family
        .throttling_code()
        .and_then(|info| codes::named(family, info.code));
    let code = match (role, throttling) {
        (None, Some(code)) => code,
        (Some(ErrorRole::Quota), Some(code)) if family.code_for(ErrorRole::Quota).is_none() => code,
        (role, _) => codes::answer(family, role.unwrap_or(ErrorRole::ServerError)),
    };
    // A family whose every answer is HTTP 200 (NHN) still fails a server
    // error with a 5xx: it comes from in front of the service.
    let status = match (fault, family.error_shape) {
        (Injected::ServerError, ErrorShape::ResultHeader { .. }) => {
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        }
        _ => None,
    };
    reply::error(family, Some((version, endpoint)), code, path, status)
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
