//! The access tokens the emulator's token API has issued.
//!
//! A token is random, lives the configured lifetime (the spec's default
//! unless set), and works until it expires or is revoked: by the revoke
//! endpoint, or all at once by the `revoke_tokens_after` fault.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rand_core::RngCore as _;
use tokio::time::Instant;

use crate::Sensitive;

/// Why a presented token does not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Never issued, revoked, or expired: the vendor answers all three the
    /// same way (4010006).
    Invalid,
}

pub struct Tokens {
    lifetime: Duration,
    revoke_after: Option<NonZeroU64>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Live tokens and when each expires.
    live: HashMap<String, Instant>,
    /// Calls authenticated since the last revocation of every token.
    uses: u64,
    /// Tokens issued so far (for tests).
    issued: u64,
}

impl Tokens {
    pub fn new(lifetime: Duration, revoke_after: Option<NonZeroU64>) -> Tokens {
        Tokens {
            lifetime,
            revoke_after,
            state: Mutex::new(State::default()),
        }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A new token, valid for the lifetime from now.
    pub fn issue(&self) -> Sensitive {
        let mut bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut state = self.lock();
        state
            .live
            .insert(token.clone(), Instant::now() + self.lifetime);
        state.issued += 1;
        Sensitive::new(token)
    }

    /// Whether `token` authenticates a call now; counts the call toward the
    /// `revoke_tokens_after` fault.
    pub fn check(&self, token: &str) -> Result<(), Refused> {
        let mut state = self.lock();
        let now = Instant::now();
        state.live.retain(|_, expires| *expires > now);
        // Compare in constant time with every live token, so timing says
        // nothing about a guess.
        let known = state.live.keys().fold(false, |found, live| {
            found | super::request::secret_eq(token, live)
        });
        if !known {
            return Err(Refused::Invalid);
        }
        state.uses += 1;
        if self.revoke_after.is_some_and(|n| state.uses >= n.get()) {
            tracing::info!(
                uses = state.uses,
                "emulator revoked every access token (fault)"
            );
            state.live.clear();
            state.uses = 0;
        }
        Ok(())
    }

    /// Revokes `token`; an unknown one is ignored (RFC 7009 answers both
    /// alike).
    pub fn revoke(&self, token: &str) {
        self.lock().live.remove(token);
    }

    /// How many tokens have been issued.
    pub fn issued(&self) -> u64 {
        self.lock().issued
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_and_are_revoked() {
        let tokens = Tokens::new(Duration::from_secs(60), None);
        let a = tokens.issue();
        tokens.check(a.expose()).unwrap();
        assert_eq!(tokens.check("nope"), Err(Refused::Invalid));
        tokio::time::advance(Duration::from_secs(61)).await;
        assert_eq!(tokens.check(a.expose()), Err(Refused::Invalid));
        let b = tokens.issue();
        tokens.revoke(b.expose());
        assert_eq!(tokens.check(b.expose()), Err(Refused::Invalid));
        assert_eq!(tokens.issued(), 2);
    }

    #[test]
    fn the_fault_revokes_every_token_after_n_uses() {
        let tokens = Tokens::new(Duration::from_secs(600), NonZeroU64::new(2));
        let a = tokens.issue();
        let b = tokens.issue();
        tokens.check(a.expose()).unwrap();
        tokens.check(b.expose()).unwrap();
        assert_eq!(tokens.check(a.expose()), Err(Refused::Invalid));
        assert_eq!(tokens.check(b.expose()), Err(Refused::Invalid));
        let c = tokens.issue();
        tokens.check(c.expose()).unwrap();
    }
}
