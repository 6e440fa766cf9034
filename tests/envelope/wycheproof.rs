//! Project Wycheproof known-answer tests for the envelope's cryptography.
//!
//! - AES-CBC-PKCS5 vectors (every 256-bit-key case; the envelope is AES-256
//!   only) against `crypto::cipher::{encrypt,decrypt}_cbc_pkcs7`, the exact
//!   functions `SymmetricKey::seal_bytes`/`open_bytes` call. The vectors carry
//!   their own IVs, hence the low-level entry points.
//! - RSAES-PKCS1-v1_5 decryption vectors (2048/3072/4096-bit keys) against
//!   `PrivateKey::open_key`, the public unwrap path: Base64 in, 32-byte key out.
//!
//! Wycheproof semantics: a `valid` case must succeed with the given result, an
//! `invalid` case must fail (here: with a typed error, never a panic), an
//! `acceptable` case may do either but must not produce a wrong result.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::envelope::crypto::cipher::{decrypt_cbc_pkcs7, encrypt_cbc_pkcs7};
use ocrwire::envelope::{EnvelopeError, PrivateKey};
use wycheproof::TestResult;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn aes_256_cbc_pkcs5() {
    let set = wycheproof::cipher::TestSet::load(wycheproof::cipher::TestName::AesCbcPkcs5)
        .expect("wycheproof AES-CBC-PKCS5 vectors load");
    let (mut valid, mut invalid, mut acceptable, mut skipped_other_sizes) = (0, 0, 0, 0);

    for group in &set.test_groups {
        if group.key_size != 256 {
            skipped_other_sizes += group.tests.len();
            continue;
        }
        assert_eq!(group.nonce_size, 128, "CBC IV is one AES block");
        for test in &group.tests {
            let id = test.tc_id;
            let key: &[u8; 32] = test.key.as_slice().try_into().expect("256-bit key");
            let iv: &[u8; 16] = test.nonce.as_slice().try_into().expect("128-bit IV");
            let decrypted = decrypt_cbc_pkcs7(key, iv, &test.ct);
            match test.result {
                TestResult::Valid => {
                    valid += 1;
                    assert_eq!(
                        hex(&encrypt_cbc_pkcs7(key, iv, &test.pt)),
                        hex(&test.ct),
                        "tcId {id} ({}): ciphertext mismatch",
                        test.comment
                    );
                    let plaintext = decrypted.unwrap_or_else(|e| {
                        panic!("tcId {id} ({}): valid case failed: {e}", test.comment)
                    });
                    assert_eq!(
                        hex(&plaintext),
                        hex(&test.pt),
                        "tcId {id}: plaintext mismatch"
                    );
                }
                TestResult::Invalid => {
                    invalid += 1;
                    match decrypted {
                        Err(EnvelopeError::BadPadding)
                        | Err(EnvelopeError::InvalidCiphertextLength { .. }) => {}
                        Err(other) => panic!("tcId {id}: unexpected error kind {other:?}"),
                        Ok(_) => panic!(
                            "tcId {id} ({}, flags {:?}): invalid ciphertext was accepted",
                            test.comment, test.flags
                        ),
                    }
                }
                TestResult::Acceptable => {
                    acceptable += 1;
                    if let Ok(plaintext) = decrypted {
                        assert_eq!(hex(&plaintext), hex(&test.pt), "tcId {id}");
                    }
                }
            }
        }
    }

    println!(
        "Wycheproof AES-CBC-PKCS5, 256-bit keys: {} cases ({valid} valid, {invalid} invalid, \
         {acceptable} acceptable); {skipped_other_sizes} cases with other key sizes not applicable",
        valid + invalid + acceptable
    );
    assert!(valid > 0, "no valid AES-256 vectors ran");
    assert!(invalid > 0, "no invalid AES-256 vectors ran");
}

#[test]
fn rsa_pkcs1_v15_unwrap() {
    use wycheproof::rsa_pkcs1_decrypt::{TestName, TestSet};

    let (mut valid, mut invalid, mut acceptable) = (0, 0, 0);
    for name in [TestName::Rsa2048, TestName::Rsa3072, TestName::Rsa4096] {
        let set = TestSet::load(name).expect("wycheproof RSA PKCS#1 vectors load");
        for group in &set.test_groups {
            let server = PrivateKey::from_pkcs8_pem(&group.pem)
                .unwrap_or_else(|e| panic!("{name:?}: key does not load: {e}"));
            assert_eq!(server.bits(), group.key_size);
            for test in &group.tests {
                let id = test.tc_id;
                let header = BASE64.encode(test.ct.as_slice());
                let outcome = server.open_key(&header);
                // What a successful decryption of `msg` must look like through
                // the envelope API: the key if it is 32 bytes, otherwise the
                // typed length error.
                let matches_msg = |outcome: &Result<_, EnvelopeError>| match outcome {
                    Ok(key) => {
                        let key: &ocrwire::envelope::SymmetricKey = key;
                        test.pt.len() == 32 && key.expose_bytes().as_slice() == test.pt.as_slice()
                    }
                    Err(EnvelopeError::WrongKeyLength { len }) => {
                        *len == test.pt.len() && *len != 32
                    }
                    Err(_) => false,
                };
                match test.result {
                    TestResult::Valid => {
                        valid += 1;
                        assert!(
                            matches_msg(&outcome),
                            "{name:?} tcId {id} ({}): valid case gave {outcome:?}",
                            test.comment
                        );
                    }
                    TestResult::Invalid => {
                        invalid += 1;
                        assert!(
                            matches!(outcome, Err(EnvelopeError::KeyUnwrap)),
                            "{name:?} tcId {id} ({}, flags {:?}): invalid case gave {outcome:?}",
                            test.comment,
                            test.flags
                        );
                    }
                    TestResult::Acceptable => {
                        acceptable += 1;
                        assert!(
                            matches_msg(&outcome)
                                || matches!(outcome, Err(EnvelopeError::KeyUnwrap)),
                            "{name:?} tcId {id}: acceptable case gave {outcome:?}"
                        );
                    }
                }
            }
        }
    }
    println!(
        "Wycheproof RSAES-PKCS1-v1_5 decrypt: {} cases ({valid} valid, {invalid} invalid, \
         {acceptable} acceptable)",
        valid + invalid + acceptable
    );
    assert!(valid > 0 && invalid > 0);
}
