//! Retries: [`RetryPolicy`] (what the caller configures) and `Retrier` (the
//! loop every call of every family runs through).
//!
//! The model is the AWS SDKs' "standard" retry mode, because it is a
//! well-studied answer to the same two dangers: giving up on a blip the next
//! attempt would survive, and a fleet of clients turning one failing service
//! into a hammered one.
//!
//! - **At most 3 attempts** by default, each under a **fresh envelope** (the
//!   runtime builds a new session per exchange; a symmetric key never serves
//!   twice).
//! - **Exponential backoff with full jitter**: before retry *n* (1, 2, ...)
//!   wait a uniformly random time in `[0, min(max_delay, base_delay ×
//!   2^(n-1))]`. Full jitter spreads clients that failed together, so they
//!   do not come back together.
//! - **`Retry-After`** (seconds or an HTTP date) is a floor on that wait, up
//!   to [`RetryPolicy::max_retry_after`]; a server asking for longer gets
//!   its error returned at once instead of a caller stuck for minutes.
//! - **A retry budget** per client: a token bucket (500 tokens); a retry
//!   costs 5 (10 after a timeout, the most expensive failure to repeat), a
//!   first-attempt success returns 1, a success after retries returns what
//!   its last retry cost. When the bucket cannot pay, the error is returned
//!   without retrying, so when most calls fail the client stops multiplying
//!   its load.
//! - **An overall deadline** ([`TransportConfig::deadline`]) across attempts,
//!   waits and public-key fetches; no wait is started that would end past
//!   it.
//!
//! # What is retried
//!
//! Only what another attempt can fix, and only where sending again cannot
//! do something twice:
//!
//! | failure | retried |
//! |---|---|
//! | a vendor code the spec marks `retryable` (NHN 4000006, CLOVA 0025, 0500, 0501, 1021, ...) | yes |
//! | a vendor code marked not retryable (CLOVA 0023 quota, NHN -1, every bad request) or unknown | no |
//! | cannot connect, or the connect timed out | yes: nothing was sent |
//! | HTTP 429 without a vendor body | yes: the request was declined unprocessed |
//! | HTTP 500, 502, 503, 504 without a vendor body; no answer within the timeout; the connection broke mid-exchange | only if the endpoint is safe to resend (below) |
//! | everything else (other statuses, malformed or oversized answers, decryption failures, local errors) | no |
//!
//! The vendors' `retryable` flags in `spec/` are the only source for vendor
//! codes; nothing here names a code. The key-version error (NHN 4000301)
//! keeps its own handling in the runtime: the first one in an attempt
//! refetches the key and resends at once, without waiting or spending
//! budget (the service told us exactly what to fix); a repeat is an
//! ordinary retryable code.
//!
//! # Safe to resend
//!
//! An endpoint that presents a Request-Key (`id-card-authenticity`) spends
//! it server-side when the check *succeeds*. A vendor error answer means
//! the check did not succeed, so the key is unspent and resending is safe.
//! But after a timeout, a broken connection or a gateway's 5xx, the service
//! may have run the check and spent the key while the answer was lost; a
//! resend would then fail with "Request Key is invalid" (4000122), hiding
//! the real outcome. Such endpoints are therefore resent only when the
//! request provably never reached the service (connection refused, connect
//! timeout, 429). Every other endpoint only reads an image: sending it again
//! costs a second billed call at worst, so those failures are retried.
//!
//! Whether an endpoint spends a Request-Key comes from its descriptor (a
//! header filled by [`HeaderRole::RequestKey`]), so a spec edit that adds
//! such an endpoint is covered without touching this file.
//!
//! After the last attempt, the last error is returned unchanged (typed as
//! usual); the attempts are logged at `debug`.
//!
//! # Adaptive mode
//!
//! [`RetryMode::Adaptive`] adds the AWS SDKs' client-side rate limiter (see
//! `rate_limiter.rs`): every attempt first takes a token from a bucket whose
//! rate drops when the service answers a code the spec marks `throttling`
//! (NHN 4000006, CLOVA 0025) or HTTP 429, and grows back as calls succeed.
//! A client alone with the service is never slowed; a batch of many
//! concurrent calls settles just under the service's limit instead of
//! being refused over and over. One limiter serves a client and its
//! clones.
//!
//! [`TransportConfig::deadline`]: super::TransportConfig::deadline
//! [`HeaderRole::RequestKey`]: crate::descriptor::HeaderRole::RequestKey

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

use super::rate_limiter::RateLimiter;
use crate::descriptor::{Endpoint, HeaderRole};
use crate::error::{Error, TransportError};

/// How a client retries failed calls; see the [module docs](self) for what
/// is retried and why.
///
/// ```
/// use std::time::Duration;
/// use ocrwire::client::{RetryPolicy, TransportConfig};
///
/// let patient = TransportConfig::default()
///     .with_retry(RetryPolicy::default().with_max_attempts(5))
///     .with_deadline(Duration::from_secs(300));
/// let never = TransportConfig::default().with_retry(RetryPolicy::disabled());
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per call, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The backoff's first ceiling; it doubles per retry.
    pub base_delay: Duration,
    /// The backoff's ceiling never exceeds this.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; a server asking for more gets its
    /// error returned without a retry.
    pub max_retry_after: Duration,
    /// Tokens in a full retry budget (per client, shared by its clones).
    pub budget: u32,
    /// Tokens a retry costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs.
    pub timeout_retry_cost: u32,
    /// Whether attempts are paced by the adaptive rate limiter.
    pub mode: RetryMode,
}

/// Whether a client paces its attempts to the service's rate limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryMode {
    /// Retries with backoff and a budget; attempts go out as soon as they
    /// are made.
    #[default]
    Standard,
    /// Standard, plus the adaptive rate limiter (see the
    /// [module docs](self#adaptive-mode)): for batches, and any program
    /// that sends many calls at once.
    Adaptive,
}

impl Default for RetryPolicy {
    /// The AWS "standard" numbers: 3 attempts, a 1 s base doubling up to
    /// 20 s, a 500-token budget at 5 per retry (10 after a timeout), and
    /// `Retry-After` honoured up to 20 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(20),
            budget: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            mode: RetryMode::Standard,
        }
    }
}

impl RetryPolicy {
    /// One attempt per call: every failure is returned as it happens (the
    /// key-version refetch, which is part of the envelope, still applies).
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The same policy in [`RetryMode::Adaptive`]: attempts paced to the
    /// service's rate limit.
    pub fn adaptive(mut self) -> Self {
        self.mode = RetryMode::Adaptive;
        self
    }

    /// Sets how many attempts a call makes in all (1: no retry).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the backoff's first ceiling and its cap.
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// Sets the longest `Retry-After` the client waits for; a longer one
    /// ends the call with the error instead.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Sets the budget's size and the cost of a retry (doubled after a
    /// timeout).
    pub fn with_budget(mut self, tokens: u32, retry_cost: u32) -> Self {
        self.budget = tokens;
        self.retry_cost = retry_cost;
        self.timeout_retry_cost = retry_cost.saturating_mul(2);
        self
    }

    /// The backoff ceiling before retry `n` (1-based): `base × 2^(n-1)`,
    /// capped.
    fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }
}

/// Whether a request may be sent again after the service may have acted on
/// it (see "Safe to resend" in the [module docs](self)).
pub(crate) fn safe_to_resend(endpoint: &Endpoint) -> bool {
    !endpoint
        .headers
        .iter()
        .any(|h| h.role == HeaderRole::RequestKey)
}

/// What a failure allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Not retried.
    Final,
    /// Retried at normal cost.
    Retry,
    /// Retried at timeout cost.
    RetryAfterTimeout,
}

/// Reads a failure against the table in the [module docs](self).
fn verdict(error: &Error, resendable: bool) -> Verdict {
    let if_resendable = |v| if resendable { v } else { Verdict::Final };
    match error {
        // Nothing of the call itself went out, so resending is safe
        // whatever the endpoint; the fetch's own failure decides.
        Error::Prerequisite { source, .. } => verdict(source, true),
        Error::Vendor(v) if v.is_retryable() => Verdict::Retry,
        Error::Transport(t) => match t {
            TransportError::Connect { .. } => Verdict::Retry,
            TransportError::Timeout {
                connecting: true, ..
            } => Verdict::RetryAfterTimeout,
            TransportError::Timeout { .. } => if_resendable(Verdict::RetryAfterTimeout),
            TransportError::Status { status: 429, .. } => Verdict::Retry,
            TransportError::Status {
                status: 500 | 502 | 503 | 504,
                ..
            }
            | TransportError::Http { .. } => if_resendable(Verdict::Retry),
            _ => Verdict::Final,
        },
        _ => Verdict::Final,
    }
}

/// Whether the service said the client sends too fast: a code the spec
/// marks `throttling`, or HTTP 429 without a vendor body.
fn is_throttling(error: &Error) -> bool {
    match error.root() {
        Error::Vendor(v) => v.code.is_throttling(),
        Error::Transport(TransportError::Status { status: 429, .. }) => true,
        _ => false,
    }
}

/// The wait a failure asked for, if it carried `Retry-After`.
fn asked_wait(error: &Error) -> Option<Duration> {
    match error.root() {
        Error::Vendor(v) => v.retry_after,
        Error::Transport(TransportError::Status { retry_after, .. }) => *retry_after,
        _ => None,
    }
}

/// `Retry-After` as a wait from now: delay-seconds or an HTTP date (a date
/// in the past means "now"). `None` when absent, repeated or unreadable:
/// a header we cannot read is not a reason to fail the call.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let mut values = headers.get_all(RETRY_AFTER).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        // Longer than u64 seconds is "forever": saturate, the cap decides.
        return Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A uniformly random duration in `[0, ceiling]`. Jitter needs no secrecy;
/// if the OS refuses randomness, the full ceiling is the safe fallback.
fn full_jitter(ceiling: Duration) -> Duration {
    use rand_core::RngCore as _;
    let mut bytes = [0u8; 8];
    match rand_core::OsRng.try_fill_bytes(&mut bytes) {
        Ok(()) => jittered(ceiling, u64::from_le_bytes(bytes)),
        Err(_) => ceiling,
    }
}

/// `ceiling × random / 2^64`, in nanoseconds.
fn jittered(ceiling: Duration, random: u64) -> Duration {
    let nanos = ceiling.as_nanos().min(u128::from(u64::MAX));
    let scaled = (nanos * u128::from(random)) >> 64;
    Duration::from_nanos(u64::try_from(scaled).unwrap_or(u64::MAX))
}

/// The retry budget: a token bucket shared by every call of one client.
#[derive(Debug)]
struct Budget {
    capacity: u32,
    tokens: Mutex<u32>,
}

impl Budget {
    fn new(capacity: u32) -> Budget {
        Budget {
            capacity,
            tokens: Mutex::new(capacity),
        }
    }

    /// Takes `cost` tokens if there are that many.
    fn withdraw(&self, cost: u32) -> bool {
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match tokens.checked_sub(cost) {
            Some(left) => {
                *tokens = left;
                true
            }
            None => false,
        }
    }

    fn deposit(&self, amount: u32) {
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *tokens = tokens.saturating_add(amount).min(self.capacity);
    }

    fn available(&self) -> u32 {
        *self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One client's retry state: its policy, budget, deadline and, in
/// adaptive mode, its rate limiter.
#[derive(Debug)]
pub(crate) struct Retrier {
    policy: RetryPolicy,
    deadline: Duration,
    budget: Budget,
    limiter: Option<RateLimiter>,
}

impl Retrier {
    pub(crate) fn new(policy: RetryPolicy, deadline: Duration) -> Retrier {
        Retrier {
            budget: Budget::new(policy.budget),
            limiter: (policy.mode == RetryMode::Adaptive).then(RateLimiter::new),
            policy,
            deadline,
        }
    }

    /// The calls per second the rate limiter lets through; `None` in
    /// standard mode or until the service has throttled this client.
    pub(crate) fn paced_rate(&self) -> Option<f64> {
        self.limiter.as_ref().and_then(RateLimiter::rate)
    }

    /// Tokens left in the budget (for tests and diagnostics).
    #[cfg(test)]
    fn available(&self) -> u32 {
        self.budget.available()
    }

    /// Runs `attempt` (given the attempt number, from 1) until it succeeds,
    /// fails for good, runs out of attempts or budget, or the deadline
    /// passes. `resendable`: see [`safe_to_resend`].
    pub(crate) async fn run<T, F, Fut>(
        &self,
        endpoint: &'static str,
        resendable: bool,
        mut attempt: F,
    ) -> Result<T, Error>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let started = Instant::now();
        let deadline = started + self.deadline;
        let mut number = 1;
        let mut last_cost = None;
        loop {
            let paced = async {
                let sent = match &self.limiter {
                    Some(limiter) => Some(limiter.acquire().await),
                    None => None,
                };
                (sent, attempt(number).await)
            };
            let (sent, outcome) = match tokio::time::timeout_at(deadline, paced).await {
                Ok(sent_and_outcome) => sent_and_outcome,
                Err(_) => {
                    return Err(TransportError::Deadline {
                        endpoint,
                        after: self.deadline,
                        attempts: number,
                    }
                    .into());
                }
            };
            if let (Some(limiter), Some(sent)) = (&self.limiter, sent) {
                limiter.answered(sent, outcome.as_ref().err().is_some_and(is_throttling));
            }
            let error = match outcome {
                Ok(value) => {
                    // A success after retries gives back what its last
                    // retry took; a first-time success adds one token.
                    self.budget.deposit(last_cost.unwrap_or(1));
                    return Ok(value);
                }
                Err(error) => error,
            };
            let cost = match verdict(&error, resendable) {
                Verdict::Final => return Err(error),
                Verdict::Retry => self.policy.retry_cost,
                Verdict::RetryAfterTimeout => self.policy.timeout_retry_cost,
            };
            let give_up = |why: &'static str| {
                tracing::debug!(endpoint, attempt = number, why, "not retrying");
            };
            if number >= self.policy.max_attempts {
                give_up("out of attempts");
                return Err(error);
            }
            let asked = asked_wait(&error);
            if asked.is_some_and(|wait| wait > self.policy.max_retry_after) {
                give_up("Retry-After is beyond the configured maximum");
                return Err(error);
            }
            let wait = full_jitter(self.policy.ceiling(number)).max(asked.unwrap_or_default());
            if Instant::now() + wait >= deadline {
                give_up("the wait would end past the deadline");
                return Err(error);
            }
            if !self.budget.withdraw(cost) {
                give_up("the retry budget is exhausted");
                return Err(error);
            }
            tracing::debug!(
                endpoint,
                attempt = number,
                failure = failure_kind(&error),
                wait_ms = wait.as_millis() as u64,
                budget_left = self.budget.available(),
                "retrying"
            );
            last_cost = Some(cost);
            tokio::time::sleep(wait).await;
            number += 1;
        }
    }
}

/// A short, secret-free name for a failure, for logs.
fn failure_kind(error: &Error) -> String {
    match error.root() {
        // The code is the service's text: shown as safe text.
        Error::Vendor(v) => format!("vendor code {}", crate::text::printable(&v.code.code())),
        Error::Transport(TransportError::Status { status, .. }) => format!("HTTP {status}"),
        Error::Transport(TransportError::Connect { .. }) => "connect".into(),
        Error::Transport(TransportError::Timeout { .. }) => "timeout".into(),
        Error::Transport(_) => "transport".into(),
        _ => "other".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::VendorError;
    use crate::wire::{clova_document_ocr as clova, nhn_document_ocr_v2 as doc};
    use std::sync::atomic::{AtomicU32, Ordering};

    fn vendor(code: crate::error::VendorErrorCode) -> Error {
        VendorError::new("x", code, "m", 200).into()
    }

    /// Document OCR v2's code (its table is shared with v1, so the family
    /// is named).
    fn nhn(code: doc::ErrorCode) -> crate::error::VendorErrorCode {
        crate::error::VendorErrorCode::NhnDocumentOcrV2(code)
    }

    /// CLOVA Document's code (its table is shared).
    fn clova_code(code: clova::ErrorCode) -> crate::error::VendorErrorCode {
        crate::error::VendorErrorCode::ClovaDocumentOcr(code)
    }

    fn status(status: u16) -> Error {
        TransportError::Status {
            endpoint: "x",
            status,
            retry_after: None,
        }
        .into()
    }

    fn timeout(connecting: bool) -> Error {
        TransportError::Timeout {
            endpoint: "x",
            after: Duration::from_secs(1),
            connecting,
            timer: if connecting {
                crate::error::Timer::Connect
            } else {
                crate::error::Timer::Request
            },
        }
        .into()
    }

    #[test]
    fn vendor_codes_follow_the_spec_flags() {
        use clova::ErrorCode as C;
        use doc::ErrorCode as N;
        // The issue's list, checked against the spec's flags.
        for retried in [
            vendor(nhn(N::CallLimitExceeded)),
            vendor(nhn(N::InvalidKeyVersion)),
            vendor(clova_code(C::from_code("0025"))),
            vendor(clova_code(C::from_code("0500"))),
            vendor(clova_code(C::from_code("0501"))),
            vendor(clova_code(C::from_code("1021"))),
        ] {
            assert_eq!(verdict(&retried, false), Verdict::Retry, "{retried}");
        }
        for refused in [
            vendor(nhn(N::UnknownError)),
            vendor(nhn(N::InvalidParameter)),
            vendor(nhn(N::InvalidRequestKey)),
            vendor(clova_code(C::from_code("0023"))),
            vendor(clova_code(C::from_code("0011"))),
            vendor(nhn(N::from_code(4999999))),
        ] {
            assert_eq!(verdict(&refused, true), Verdict::Final, "{refused}");
        }
        // And every code the spec marks retryable is retried, none other.
        for family in crate::wire::FAMILIES {
            for info in family.errors {
                let e =
                    vendor(crate::error::VendorErrorCode::parse(family.name, info.code).unwrap());
                assert_eq!(
                    verdict(&e, true) == Verdict::Retry,
                    info.retryable,
                    "{} {}",
                    family.name,
                    info.code
                );
            }
        }
    }

    #[test]
    fn transport_failures_are_retried_only_where_resending_is_safe() {
        assert_eq!(verdict(&status(429), false), Verdict::Retry);
        assert_eq!(verdict(&timeout(true), false), Verdict::RetryAfterTimeout);
        assert_eq!(verdict(&timeout(false), true), Verdict::RetryAfterTimeout);
        assert_eq!(verdict(&timeout(false), false), Verdict::Final);
        for s in [500, 502, 503, 504] {
            assert_eq!(verdict(&status(s), true), Verdict::Retry);
            assert_eq!(verdict(&status(s), false), Verdict::Final);
        }
        for s in [400, 401, 404, 501] {
            assert_eq!(verdict(&status(s), true), Verdict::Final);
        }
        let too_big = TransportError::BodyTooLarge {
            endpoint: "x",
            limit: 1,
        };
        assert_eq!(verdict(&too_big.into(), true), Verdict::Final);
        assert_eq!(
            verdict(&Error::malformed("x", "result", "missing"), true),
            Verdict::Final
        );
    }

    #[test]
    fn only_the_request_key_endpoint_is_unsafe_to_resend() {
        let unsafe_: Vec<_> = crate::wire::FAMILIES
            .iter()
            .flat_map(|f| f.endpoints.iter())
            .filter(|e| !safe_to_resend(e))
            .map(|e| e.name)
            .collect();
        assert_eq!(unsafe_, ["id-card-authenticity"]);
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_jitter_stays_inside() {
        let p = RetryPolicy::default();
        let secs = |n| p.ceiling(n).as_secs_f64();
        assert_eq!(
            [secs(1), secs(2), secs(3), secs(5), secs(6), secs(40)],
            [1.0, 2.0, 4.0, 16.0, 20.0, 20.0]
        );
        let ceiling = Duration::from_secs(4);
        assert_eq!(jittered(ceiling, 0), Duration::ZERO);
        assert_eq!(jittered(ceiling, u64::MAX / 2 + 1), Duration::from_secs(2));
        assert!(jittered(ceiling, u64::MAX) <= ceiling);
        assert!(jittered(Duration::MAX, u64::MAX) > Duration::ZERO);
        for _ in 0..100 {
            assert!(full_jitter(ceiling) <= ceiling);
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let headers = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append(RETRY_AFTER, v.parse().unwrap());
            }
            h
        };
        assert_eq!(retry_after(&headers(&["7"])), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers(&["99999999999999999999999"])),
            Some(Duration::from_secs(u64::MAX))
        );
        let soon = SystemTime::now() + Duration::from_secs(30);
        let wait = retry_after(&headers(&[&httpdate::fmt_http_date(soon)])).unwrap();
        assert!(wait <= Duration::from_secs(30) && wait >= Duration::from_secs(28));
        assert_eq!(
            retry_after(&headers(&["Thu, 01 Jan 1970 00:00:00 GMT"])),
            Some(Duration::ZERO)
        );
        for unreadable in [&[][..], &["soon"], &["-1"], &["1.5"], &["1", "2"]] {
            assert_eq!(retry_after(&headers(unreadable)), None, "{unreadable:?}");
        }
    }

    /// An attempt function that fails with the given errors, then succeeds.
    fn script(
        calls: &AtomicU32,
        failures: Vec<fn() -> Error>,
    ) -> impl FnMut(u32) -> std::future::Ready<Result<u32, Error>> + '_ {
        move |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready(match failures.get(n as usize - 1) {
                Some(f) => Err(f()),
                None => Ok(n),
            })
        }
    }

    fn rate_limited() -> Error {
        vendor(nhn(doc::ErrorCode::CallLimitExceeded))
    }

    #[tokio::test(start_paused = true)]
    async fn three_attempts_then_the_last_error() {
        let r = Retrier::new(RetryPolicy::default(), Duration::from_secs(120));
        let calls = AtomicU32::new(0);
        let started = Instant::now();
        let ok = r
            .run("x", true, script(&calls, vec![rate_limited, rate_limited]))
            .await
            .unwrap();
        assert_eq!(ok, 3);
        // Two waits, each at most its ceiling (1 s, then 2 s).
        assert!(started.elapsed() <= Duration::from_secs(3));
        // A success after retries refunds the last retry's cost only.
        assert_eq!(r.available(), 500 - 5);

        let calls = AtomicU32::new(0);
        let e = r
            .run("x", true, script(&calls, vec![rate_limited; 5]))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(e.vendor().is_some_and(VendorError::is_retryable), "{e}");
    }

    #[tokio::test(start_paused = true)]
    async fn final_errors_and_disabled_retries_make_one_attempt() {
        let calls = AtomicU32::new(0);
        let quota = || vendor(clova_code(clova::ErrorCode::from_code("0023")));
        let r = Retrier::new(RetryPolicy::default(), Duration::from_secs(120));
        r.run("x", true, script(&calls, vec![quota]))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        let calls = AtomicU32::new(0);
        let off = Retrier::new(RetryPolicy::disabled(), Duration::from_secs(120));
        off.run("x", true, script(&calls, vec![rate_limited]))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 1);

        // A read timeout on a call that spends a Request-Key: not resent.
        let calls = AtomicU32::new(0);
        r.run("x", false, script(&calls, vec![|| timeout(false)]))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_budget_stops_retries_and_successes_refill_it() {
        // Room for two retries at cost 5.
        let r = Retrier::new(
            RetryPolicy::default().with_budget(10, 5),
            Duration::from_secs(600),
        );
        let always = || vec![rate_limited as fn() -> Error; 9];
        let calls = AtomicU32::new(0);
        r.run("x", true, script(&calls, always()))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 3, "two retries paid for");
        assert_eq!(r.available(), 0);
        let calls = AtomicU32::new(0);
        r.run("x", true, script(&calls, always()))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 1, "no budget, no retry");
        // Five first-time successes buy one retry again.
        for _ in 0..5 {
            r.run("x", true, script(&AtomicU32::new(0), vec![]))
                .await
                .unwrap();
        }
        let calls = AtomicU32::new(0);
        r.run("x", true, script(&calls, always()))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        // Timeouts cost double: 5 tokens do not pay for one.
        for _ in 0..5 {
            r.run("x", true, script(&AtomicU32::new(0), vec![]))
                .await
                .unwrap();
        }
        let calls = AtomicU32::new(0);
        r.run("x", true, script(&calls, vec![|| timeout(true); 3]))
            .await
            .unwrap_err();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    fn asking(wait: Duration) -> Error {
        let mut v = VendorError::new("x", nhn(doc::ErrorCode::CallLimitExceeded), "m", 200);
        v.retry_after = Some(wait);
        v.into()
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_a_floor_up_to_its_cap() {
        let r = Retrier::new(RetryPolicy::default(), Duration::from_secs(120));
        let started = Instant::now();
        let mut n = 0;
        r.run("x", true, |_| {
            n += 1;
            std::future::ready(if n == 1 {
                Err(asking(Duration::from_secs(15)))
            } else {
                Ok(())
            })
        })
        .await
        .unwrap();
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_secs(15) && waited < Duration::from_secs(16),
            "{waited:?}"
        );

        // Beyond the cap: the error comes back at once.
        let started = Instant::now();
        let mut n = 0;
        let e = r
            .run("x", true, |_| {
                n += 1;
                std::future::ready(Err::<(), _>(asking(Duration::from_secs(3600))))
            })
            .await
            .unwrap_err();
        assert_eq!(n, 1);
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert_eq!(
            e.vendor().and_then(|v| v.retry_after),
            Some(Duration::from_secs(3600))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_bounds_attempts_and_waits() {
        // An attempt that hangs is cut at the deadline, with a typed error.
        let r = Retrier::new(RetryPolicy::default(), Duration::from_secs(5));
        let started = Instant::now();
        let e = r
            .run("credit-card", true, |_| {
                std::future::pending::<Result<(), Error>>()
            })
            .await
            .unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_secs(5));
        assert!(
            matches!(
                e,
                Error::Transport(TransportError::Deadline { attempts: 1, .. })
            ),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "credit-card: no answer within the call's deadline of 5s (1 attempt(s))"
        );

        // A wait that would end past the deadline is not started.
        let r = Retrier::new(RetryPolicy::default(), Duration::from_secs(10));
        let started = Instant::now();
        let mut n = 0;
        r.run("x", true, |_| {
            n += 1;
            std::future::ready(Err::<(), _>(asking(Duration::from_secs(11))))
        })
        .await
        .unwrap_err();
        assert_eq!((n, started.elapsed()), (1, Duration::ZERO));
    }
}
