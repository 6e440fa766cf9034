//! The OS random number generator, made fallible for the `rsa` crate.
//!
//! `rand_core::OsRng` panics from `fill_bytes` if the operating system refuses
//! randomness, and the `rsa` crate only ever calls `fill_bytes`. The envelope
//! must never panic, so RSA operations get [`CheckedOsRng`] instead: it asks the
//! OS through the fallible `try_fill_bytes`, and if that ever fails it remembers
//! the failure and returns an error from [`CheckedOsRng::finish`]. Whatever the
//! RSA operation produced in the meantime is thrown away by the caller.

use rand_core::{CryptoRng, OsRng, RngCore};

use super::error::EnvelopeError;

/// An [`OsRng`] wrapper whose failure is reported, not panicked on.
///
/// After a failure it keeps feeding the callee *non-secret filler* (a fixed
/// xorshift sequence, never zero bytes) only so that loops inside the `rsa`
/// crate which wait for non-zero bytes or a fresh prime candidate terminate.
/// That output is never used: [`finish`](Self::finish) turns the run into
/// [`EnvelopeError::Random`] and every caller checks it before returning
/// anything derived from the randomness.
pub(super) struct CheckedOsRng {
    /// `None` while the OS delivers; the filler state after the first failure.
    filler: Option<u64>,
}

impl CheckedOsRng {
    pub(super) fn new() -> Self {
        Self { filler: None }
    }

    /// `Ok` if every request was served by the OS.
    pub(super) fn finish(self) -> Result<(), EnvelopeError> {
        match self.filler {
            None => Ok(()),
            Some(_) => Err(EnvelopeError::Random),
        }
    }

    fn fill_with_filler(state: &mut u64, dest: &mut [u8]) {
        for byte in dest {
            // xorshift64: cheap, never sticks at zero, varies every byte.
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            let [low, ..] = state.to_le_bytes();
            *byte = low | 1;
        }
    }
}

impl RngCore for CheckedOsRng {
    fn next_u32(&mut self) -> u32 {
        let mut buf = [0u8; 4];
        self.fill_bytes(&mut buf);
        u32::from_le_bytes(buf)
    }

    fn next_u64(&mut self) -> u64 {
        let mut buf = [0u8; 8];
        self.fill_bytes(&mut buf);
        u64::from_le_bytes(buf)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        if self.filler.is_none() && OsRng.try_fill_bytes(dest).is_ok() {
            return;
        }
        let state = self.filler.get_or_insert(0x9E37_79B9_7F4A_7C15);
        Self::fill_with_filler(state, dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        if self.filler.is_some() {
            return Err(rand_core::Error::from(
                std::num::NonZeroU32::new(rand_core::Error::CUSTOM_START)
                    .unwrap_or(std::num::NonZeroU32::MIN),
            ));
        }
        OsRng.try_fill_bytes(dest).inspect_err(|_| {
            self.filler = Some(0x9E37_79B9_7F4A_7C15);
        })
    }
}

impl CryptoRng for CheckedOsRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_os_rng_finishes_ok() {
        let mut rng = CheckedOsRng::new();
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut a);
        rng.fill_bytes(&mut b);
        assert_ne!(a, b);
        assert_eq!(rng.finish(), Ok(()));
    }

    #[test]
    fn a_failure_is_reported_and_filler_is_nonzero() {
        let mut rng = CheckedOsRng {
            filler: Some(0x9E37_79B9_7F4A_7C15),
        };
        let mut buf = [0u8; 64];
        rng.fill_bytes(&mut buf);
        assert!(buf.iter().all(|&b| b != 0));
        assert!(rng.try_fill_bytes(&mut buf).is_err());
        assert_eq!(rng.finish(), Err(EnvelopeError::Random));
    }
}
