//! The service's rate limit: at most R accepted calls in any one second,
//! per family (each vendor service counts its own calls), answered beyond
//! that with the code the spec marks `throttling` (NHN 4000006, CLOVA
//! 0025). Refused calls do not count against the limit, as on a service
//! that turns them away at the gateway.
//!
//! A sliding window, not a fixed one: a fixed window lets 2R calls through
//! around each boundary, which would flatter a client that bursts.

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::descriptor::{Endpoint, Family, Version};

const WINDOW: Duration = Duration::from_secs(1);

/// The limit and each family's calls in the last second.
pub struct RateLimits {
    per_sec: Option<NonZeroU32>,
    accepted: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
    throttled: AtomicU64,
}

impl RateLimits {
    pub fn new(per_sec: Option<NonZeroU32>) -> RateLimits {
        RateLimits {
            per_sec,
            accepted: Mutex::new(HashMap::new()),
            throttled: AtomicU64::new(0),
        }
    }

    /// Whether a call to `endpoint` may run now; a call that may is
    /// counted. Endpoints whose family has no throttling code, or which the
    /// spec does not let answer it, are never limited.
    pub fn admit(&self, family: &'static Family, version: &Version, endpoint: &Endpoint) -> bool {
        let Some(limit) = self.per_sec else {
            return true;
        };
        let limited = family
            .throttling_code()
            .is_some_and(|code| version.lists(endpoint, code.code));
        if !limited {
            return true;
        }
        let now = Instant::now();
        let mut accepted = self.accepted.lock().unwrap_or_else(|p| p.into_inner());
        let window = accepted.entry(family.name).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            window.pop_front();
        }
        if window.len() < limit.get() as usize {
            window.push_back(now);
            true
        } else {
            self.throttled.fetch_add(1, Ordering::Relaxed);
            false
        }
    }

    /// Calls refused so far.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{clova_document_ocr as clova, nhn_user_access_key_token as token};

    #[test]
    fn at_most_r_per_second_per_family_and_refusals_do_not_count() {
        let limits = RateLimits::new(NonZeroU32::new(3));
        let admit = || limits.admit(&clova::FAMILY, &clova::VERSION, &clova::RECEIPT);
        assert_eq!(
            [admit(), admit(), admit(), admit(), admit()],
            [true, true, true, false, false]
        );
        assert_eq!(limits.throttled(), 2);
        // Another family counts its own calls.
        let general = &crate::wire::nhn_general_ocr_v1::FAMILY;
        let v = &crate::wire::nhn_general_ocr_v1::V1_0;
        assert!(limits.admit(general, v, &crate::wire::nhn_general_ocr_v1::GENERAL));
        // A family without a throttling code (the token API) is not limited.
        for _ in 0..10 {
            assert!(limits.admit(&token::FAMILY, &token::VERSION, &token::CREATE_TOKEN));
        }
        std::thread::sleep(WINDOW);
        assert!(admit(), "the window slid");
    }

    #[test]
    fn no_limit_admits_everything() {
        let limits = RateLimits::new(None);
        for _ in 0..100 {
            assert!(limits.admit(&clova::FAMILY, &clova::VERSION, &clova::RECEIPT));
        }
        assert_eq!(limits.throttled(), 0);
    }
}
