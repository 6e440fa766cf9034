//! AES-256-CBC with PKCS#7 padding: the envelope's payload cipher.
//!
//! These two functions are the only place the envelope touches AES. They take
//! the IV explicitly so that standard test vectors (Project Wycheproof, which
//! carry their own IVs) exercise exactly the code that
//! [`SymmetricKey::seal_bytes`](super::SymmetricKey::seal_bytes) and
//! [`SymmetricKey::open_bytes`](super::SymmetricKey::open_bytes) run; the
//! envelope itself always passes the key's first 16 bytes as IV.
//!
//! There is no MAC: the vendor's scheme is plain CBC, so a ciphertext can be
//! altered without detection beyond the padding check. The decryption error
//! for a failed padding check is the bare [`EnvelopeError::BadPadding`], so
//! it reveals nothing more than that the check failed.

use aes::Aes256;
use bytes::Bytes;
use cbc::cipher::block_padding::{Padding, Pkcs7};
use cbc::cipher::generic_array::GenericArray;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use zeroize::Zeroizing;

use super::error::EnvelopeError;

/// AES block size in bytes; also the CBC IV length.
pub const BLOCK_LEN: usize = 16;

type Encryptor = cbc::Encryptor<Aes256>;
type Decryptor = cbc::Decryptor<Aes256>;

/// Encrypts `plaintext` with AES-256-CBC and PKCS#7 padding.
///
/// The output is always a non-empty multiple of [`BLOCK_LEN`]: an empty or
/// block-aligned plaintext gains a whole block of padding. Nothing (no IV,
/// no length) is prepended.
#[must_use]
pub fn encrypt_cbc_pkcs7(key: &[u8; 32], iv: &[u8; BLOCK_LEN], plaintext: &[u8]) -> Vec<u8> {
    Encryptor::new(key.into(), iv.into()).encrypt_padded_vec_mut::<Pkcs7>(plaintext)
}

/// The length of the ciphertext [`encrypt_cbc_pkcs7`] gives for a
/// plaintext of `plaintext_len` bytes.
#[must_use]
pub fn ciphertext_len(plaintext_len: usize) -> usize {
    (plaintext_len / BLOCK_LEN + 1) * BLOCK_LEN
}

/// How much ciphertext [`CbcPkcs7Stream`] hands out at a time.
pub const STREAM_CHUNK: usize = 64 * 1024;

/// [`encrypt_cbc_pkcs7`] a chunk at a time, over a plaintext held
/// elsewhere: the same bytes, without a second copy of the whole message
/// in memory. An upload encrypts as it is sent.
pub struct CbcPkcs7Stream {
    encryptor: Encryptor,
    plaintext: Bytes,
    position: usize,
    finished: bool,
}

impl CbcPkcs7Stream {
    /// The ciphertext of `plaintext` under `key` and `iv`, produced as it is read.
    #[must_use]
    pub fn new(key: &[u8; 32], iv: &[u8; BLOCK_LEN], plaintext: Bytes) -> CbcPkcs7Stream {
        CbcPkcs7Stream {
            encryptor: Encryptor::new(key.into(), iv.into()),
            plaintext,
            position: 0,
            finished: false,
        }
    }

    /// The whole ciphertext's length, known before any of it is made.
    #[must_use]
    pub fn len(&self) -> usize {
        ciphertext_len(self.plaintext.len())
    }

    /// Never empty: even an empty plaintext gains a block of padding.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The next piece of ciphertext (at most [`STREAM_CHUNK`] bytes), or
    /// `None` once the padded last block has been handed out.
    pub fn next_chunk(&mut self) -> Option<Vec<u8>> {
        if self.finished {
            return None;
        }
        let rest = &self.plaintext[self.position..];
        let whole_blocks = rest.len() / BLOCK_LEN * BLOCK_LEN;
        if whole_blocks > 0 {
            // Full blocks, without padding, up to a chunk; the tail (and
            // the padding) waits for the last call.
            let take = whole_blocks.min(STREAM_CHUNK);
            let mut chunk = rest[..take].to_vec();
            for block in chunk.chunks_exact_mut(BLOCK_LEN) {
                self.encryptor
                    .encrypt_block_mut(GenericArray::from_mut_slice(block));
            }
            self.position += take;
            return Some(chunk);
        }
        // Fewer than a block left: pad it into the last block.
        let mut last = GenericArray::default();
        last[..rest.len()].copy_from_slice(rest);
        Pkcs7::pad(&mut last, rest.len());
        self.encryptor.encrypt_block_mut(&mut last);
        self.position = self.plaintext.len();
        self.finished = true;
        Some(last.to_vec())
    }
}

/// Decrypts AES-256-CBC and strips PKCS#7 padding.
///
/// # Errors
///
/// - [`EnvelopeError::InvalidCiphertextLength`] if the ciphertext is empty or
///   not a multiple of [`BLOCK_LEN`] (checked before any decryption; the
///   length is public anyway);
/// - [`EnvelopeError::BadPadding`] if the last block does not end in valid
///   PKCS#7 padding, which is what a wrong key or a tampered ciphertext gives.
///
/// The plaintext comes back in [`Zeroizing`] so it is wiped when dropped;
/// the working buffer is wiped on the error path too.
pub fn decrypt_cbc_pkcs7(
    key: &[u8; 32],
    iv: &[u8; BLOCK_LEN],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, EnvelopeError> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK_LEN) {
        return Err(EnvelopeError::InvalidCiphertextLength {
            len: ciphertext.len(),
        });
    }
    // Decrypt in place inside a zeroizing buffer, so the decrypted bytes are
    // wiped whether or not the padding turns out valid.
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let plaintext_len = Decryptor::new(key.into(), iv.into())
        .decrypt_padded_mut::<Pkcs7>(buffer.as_mut_slice())
        .map_err(|_| EnvelopeError::BadPadding)?
        .len();
    buffer.truncate(plaintext_len);
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const IV: [u8; 16] = [9; 16];

    #[test]
    fn round_trips_all_lengths_around_blocks() {
        for len in 0..=49 {
            let plaintext: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ciphertext = encrypt_cbc_pkcs7(&KEY, &IV, &plaintext);
            assert_eq!(ciphertext.len(), (len / BLOCK_LEN + 1) * BLOCK_LEN);
            let opened = decrypt_cbc_pkcs7(&KEY, &IV, &ciphertext).unwrap();
            assert_eq!(opened.as_slice(), plaintext.as_slice());
        }
    }

    #[test]
    fn the_stream_gives_exactly_the_one_shot_ciphertext() {
        let sizes = [
            0,
            1,
            15,
            16,
            17,
            31,
            32,
            33,
            STREAM_CHUNK - 1,
            STREAM_CHUNK,
            STREAM_CHUNK + 17,
            3 * STREAM_CHUNK + 5,
        ];
        for len in sizes {
            let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let whole = encrypt_cbc_pkcs7(&KEY, &IV, &plaintext);
            let mut stream = CbcPkcs7Stream::new(&KEY, &IV, Bytes::from(plaintext));
            assert_eq!(stream.len(), whole.len(), "{len}");
            let mut streamed = Vec::new();
            while let Some(chunk) = stream.next_chunk() {
                assert!(chunk.len() <= STREAM_CHUNK && !chunk.is_empty());
                streamed.extend(chunk);
            }
            assert_eq!(streamed, whole, "{len}");
            assert!(stream.next_chunk().is_none());
        }
    }

    #[test]
    fn rejects_bad_lengths_before_decrypting() {
        for len in [0usize, 1, 15, 17, 31, 33] {
            assert_eq!(
                decrypt_cbc_pkcs7(&KEY, &IV, &vec![0u8; len]),
                Err(EnvelopeError::InvalidCiphertextLength { len })
            );
        }
    }

    #[test]
    fn wrong_key_or_iv_fails_or_differs() {
        let ciphertext = encrypt_cbc_pkcs7(&KEY, &IV, b"sixteen byte msg and more");
        // A wrong key garbles the last block: almost always bad padding; in
        // the rare valid-looking case the plaintext still differs.
        match decrypt_cbc_pkcs7(&[8; 32], &IV, &ciphertext) {
            Err(e) => assert_eq!(e, EnvelopeError::BadPadding),
            Ok(p) => assert_ne!(p.as_slice(), b"sixteen byte msg and more"),
        }
        // A wrong IV only changes the first block (CBC), the padding survives.
        let opened = decrypt_cbc_pkcs7(&KEY, &[0; 16], &ciphertext).unwrap();
        assert_ne!(&opened[..16], b"sixteen byte msg");
        assert_eq!(&opened[16..], b" and more");
    }

    #[test]
    fn truncated_ciphertext_fails() {
        let ciphertext = encrypt_cbc_pkcs7(&KEY, &IV, &[0x41; 40]);
        assert_eq!(ciphertext.len(), 48);
        // Dropping the final block leaves plaintext bytes where padding should be.
        assert_eq!(
            decrypt_cbc_pkcs7(&KEY, &IV, &ciphertext[..32]),
            Err(EnvelopeError::BadPadding)
        );
        assert_eq!(
            decrypt_cbc_pkcs7(&KEY, &IV, &ciphertext[..47]),
            Err(EnvelopeError::InvalidCiphertextLength { len: 47 })
        );
    }
}
