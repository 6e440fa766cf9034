//! Property tests ("fuzzing on stable") of the envelope's seal/open.
//!
//! What the vendor's scheme can promise, stated exactly. AES-256-CBC with
//! PKCS#7 padding and no MAC gives confidentiality, not integrity:
//!
//! 1. **Round trip**: `open(seal(p)) == p` for every key and plaintext
//!    (bytes and UTF-8 fields), and the ciphertext is `p` padded to the next
//!    whole block.
//! 2. **Total**: `open` of *any* input returns `Ok` or a typed error; it
//!    never panics. Lengths that are not a non-empty multiple of 16 are
//!    always refused; a field that is not Base64 is always refused.
//! 3. **Tampering is not always detected, and this is exactly how**: CBC
//!    is malleable. Flipping bit `b` of ciphertext block `i`, when at least
//!    two blocks follow it, *always* opens "successfully": plaintext block
//!    `i` turns to noise, block `i + 1` has exactly bit `b` flipped, and
//!    every other block is unchanged. So `open` succeeding does not mean the
//!    data is what the service sent; integrity comes from TLS alone. What
//!    `open` does guarantee is that it never returns the *original*
//!    plaintext for a changed ciphertext, and that the padding check is
//!    applied: a change that breaks the padding is an error, never a
//!    truncated or extended plaintext returned silently.
//! 4. **Another key**: ciphertext under one key opened under another fails
//!    or yields something other than the plaintext (for non-trivial
//!    plaintexts the chance of yielding it is 2^-128).
//! 5. **Key unwrap**: any `Symmetric-Key` text given to the private key
//!    returns a key or a typed error, never a panic.
//!
//! 64 cases per property from a fixed seed by default (`PROPTEST_CASES`,
//! `PROPTEST_RNG_SEED` override); failures persist in
//! `tests/proptest-regressions/envelope.txt`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::envelope::{EnvelopeError, PrivateKey, SymmetricKey};
use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngSeed};
use std::sync::OnceLock;

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64),
        rng_seed: match base.rng_seed {
            RngSeed::Random => RngSeed::Fixed(0x0e5e_10fe),
            fixed => fixed,
        },
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/proptest-regressions/envelope.txt",
        ))),
        ..base
    }
}

fn server_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        PrivateKey::from_pkcs8_pem(include_str!("../../src/emulator/emulator-key.pem"))
            .expect("embedded emulator key")
    })
}

const BLOCK: usize = 16;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn bytes_round_trip(key in any::<[u8; 32]>(), plaintext in prop::collection::vec(any::<u8>(), 0..600)) {
        let key = SymmetricKey::from_bytes(key);
        let sealed = key.seal_bytes(&plaintext);
        prop_assert_eq!(sealed.len(), (plaintext.len() / BLOCK + 1) * BLOCK);
        let opened = key.open_bytes(&sealed).unwrap();
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn fields_round_trip(key in any::<[u8; 32]>(), text in any::<String>()) {
        let key = SymmetricKey::from_bytes(key);
        let sealed = key.seal_field(&text);
        let opened = key.open_field(&sealed).unwrap();
        prop_assert_eq!(opened.as_str(), text.as_str());
    }

    #[test]
    fn opening_anything_is_total(key in any::<[u8; 32]>(), junk in prop::collection::vec(any::<u8>(), 0..200), text in any::<String>()) {
        let key = SymmetricKey::from_bytes(key);
        match key.open_bytes(&junk) {
            Ok(plain) => {
                prop_assert!(!junk.is_empty() && junk.len() % BLOCK == 0);
                // Padding of 1..=16 bytes was removed, no more, no less.
                prop_assert!(plain.len() < junk.len() && plain.len() + BLOCK >= junk.len());
            }
            Err(EnvelopeError::InvalidCiphertextLength { len }) => {
                prop_assert_eq!(len, junk.len());
                prop_assert!(junk.is_empty() || junk.len() % BLOCK != 0);
            }
            Err(EnvelopeError::BadPadding) => prop_assert!(junk.len() % BLOCK == 0),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        match key.open_field(&text) {
            Ok(_) => prop_assert!(BASE64.decode(&text).is_ok()),
            Err(EnvelopeError::InvalidBase64) => prop_assert!(BASE64.decode(&text).is_err()),
            Err(EnvelopeError::InvalidCiphertextLength { .. } | EnvelopeError::BadPadding | EnvelopeError::NotUtf8) => {}
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
        // Base64 of arbitrary bytes: past the Base64 check, still total.
        let _ = key.open_field(&BASE64.encode(&junk));
    }

    #[test]
    fn a_bit_flip_with_two_blocks_after_it_always_opens_to_predictable_damage(
        key in any::<[u8; 32]>(),
        plaintext in prop::collection::vec(any::<u8>(), 3 * BLOCK..8 * BLOCK),
        at in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let key = SymmetricKey::from_bytes(key);
        let mut sealed = key.seal_bytes(&plaintext);
        let blocks = sealed.len() / BLOCK;
        // A block with at least two blocks after it.
        let block = at.index(blocks - 2);
        let offset = at.index(BLOCK);
        sealed[block * BLOCK + offset] ^= 1 << bit;
        let opened = key.open_bytes(&sealed).expect("CBC cannot notice this change");
        prop_assert_eq!(opened.len(), plaintext.len());
        prop_assert_ne!(opened.as_slice(), plaintext.as_slice());
        let range = |b: usize| b * BLOCK..((b + 1) * BLOCK).min(plaintext.len());
        let mut expected_next = plaintext[range(block + 1)].to_vec();
        expected_next[offset] ^= 1 << bit;
        prop_assert_eq!(&opened[range(block + 1)], expected_next.as_slice());
        for other in (0..blocks).filter(|b| *b != block && *b != block + 1) {
            let r = range(other);
            if r.start < r.end {
                prop_assert_eq!(&opened[r.clone()], &plaintext[r]);
            }
        }
    }

    #[test]
    fn any_change_never_opens_to_the_original(
        key in any::<[u8; 32]>(),
        plaintext in prop::collection::vec(any::<u8>(), 0..200),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
        cut in 0usize..3,
    ) {
        let key = SymmetricKey::from_bytes(key);
        let original = key.seal_bytes(&plaintext);
        let mut tampered = original.clone();
        for (at, mask) in edits {
            let i = at.index(tampered.len());
            tampered[i] ^= mask;
        }
        // Also drop or add whole blocks sometimes.
        match cut {
            1 if tampered.len() > BLOCK => tampered.truncate(tampered.len() - BLOCK),
            2 => tampered.extend_from_slice(&original[..BLOCK]),
            _ => {}
        }
        prop_assume!(tampered != original);
        if let Ok(opened) = key.open_bytes(&tampered) {
            prop_assert_ne!(opened.as_slice(), plaintext.as_slice());
        }
    }

    #[test]
    fn another_key_does_not_open_to_the_plaintext(
        k1 in any::<[u8; 32]>(),
        k2 in any::<[u8; 32]>(),
        text in "[ -~]{1,80}",
    ) {
        prop_assume!(k1 != k2);
        let sealed = SymmetricKey::from_bytes(k1).seal_field(&text);
        match SymmetricKey::from_bytes(k2).open_field(&sealed) {
            Ok(opened) => prop_assert_ne!(opened.as_str(), text.as_str()),
            Err(e) => prop_assert!(matches!(e, EnvelopeError::BadPadding | EnvelopeError::NotUtf8), "{e:?}"),
        }
    }
}

proptest! {
    // RSA is slower; fewer cases.
    #![proptest_config(ProptestConfig { cases: config().cases.min(32), ..config() })]

    #[test]
    fn any_symmetric_key_header_unwraps_or_is_refused(text in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for header in [text, BASE64.encode(&bytes)] {
            match server_key().open_key(&header) {
                Ok(key) => prop_assert_eq!(key.expose_bytes().len(), 32),
                Err(e) => prop_assert!(
                    matches!(e, EnvelopeError::InvalidBase64 | EnvelopeError::KeyUnwrap | EnvelopeError::WrongKeyLength { .. }),
                    "{e:?}"
                ),
            }
        }
    }

    #[test]
    fn key_wrap_round_trips(key in any::<[u8; 32]>()) {
        let key = SymmetricKey::from_bytes(key);
        let wrapped = server_key().public_key("v1").seal_key(&key).unwrap();
        let unwrapped = server_key().open_key(&wrapped).unwrap();
        prop_assert_eq!(unwrapped.expose_bytes(), key.expose_bytes());
    }
}
