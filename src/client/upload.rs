//! Upload bodies made as they are sent, so an upload never holds a second
//! copy of the file: the image's bytes are shared (reference-counted), and
//! what travels in another form (AES ciphertext for a sealed part, Base64
//! inside a JSON body) is produced a chunk at a time while the request
//! streams out. Each attempt makes a fresh stream from the same bytes (a
//! retry re-sends, under a new key).
//!
//! The length of every piece is known before the first byte goes, so the
//! request carries a `Content-Length`, as the vendors' examples do.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;

use crate::envelope::cipher::{CbcPkcs7Stream, STREAM_CHUNK};

/// One piece of an upload body.
pub(crate) enum Piece {
    /// Sent as it is.
    Plain(Bytes),
    /// Sent as Base64 text (standard alphabet, padded), encoded on the way.
    Base64(Bytes),
    /// Sent as AES ciphertext, encrypted on the way.
    Sealed(Box<CbcPkcs7Stream>),
}

impl Piece {
    fn len(&self) -> usize {
        match self {
            Piece::Plain(bytes) => bytes.len(),
            Piece::Base64(bytes) => crate::wire::base64_data::base64_len(bytes.len()),
            Piece::Sealed(stream) => stream.len(),
        }
    }
}

/// A body made of pieces, produced in order, a chunk at a time.
pub(crate) struct Pieces {
    pieces: VecDeque<Piece>,
    /// How far into the front `Base64` piece the encoding has got.
    offset: usize,
    length: u64,
}

impl Pieces {
    pub(crate) fn new(pieces: Vec<Piece>) -> Pieces {
        let length = pieces.iter().map(|p| p.len() as u64).sum();
        Pieces {
            pieces: pieces.into(),
            offset: 0,
            length,
        }
    }

    /// The whole body's length.
    pub(crate) fn len(&self) -> u64 {
        self.length
    }

    /// The next chunk, or `None` at the end.
    fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            match self.pieces.front_mut()? {
                Piece::Plain(bytes) => {
                    let bytes = std::mem::take(bytes);
                    self.pieces.pop_front();
                    if !bytes.is_empty() {
                        return Some(bytes);
                    }
                }
                Piece::Base64(bytes) => {
                    if self.offset >= bytes.len() {
                        self.pieces.pop_front();
                        self.offset = 0;
                        continue;
                    }
                    // A multiple of 3 bytes encodes to Base64 without
                    // padding, so the chunks join into one valid text.
                    let take = (STREAM_CHUNK / 4 * 3).min(bytes.len() - self.offset);
                    let text = BASE64.encode(&bytes[self.offset..self.offset + take]);
                    self.offset += take;
                    return Some(Bytes::from(text));
                }
                Piece::Sealed(stream) => match stream.next_chunk() {
                    Some(chunk) => return Some(Bytes::from(chunk)),
                    None => {
                        self.pieces.pop_front();
                    }
                },
            }
        }
    }

    /// As a body reqwest streams.
    pub(crate) fn into_body(self) -> reqwest::Body {
        reqwest::Body::wrap_stream(self)
    }
}

impl futures_core::Stream for Pieces {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Everything is in memory already: each chunk is ready at once.
        Poll::Ready(self.get_mut().next_chunk().map(Ok))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::SymmetricKey;

    fn collect(mut pieces: Pieces) -> Vec<u8> {
        let length = pieces.len();
        let mut out = Vec::new();
        while let Some(chunk) = pieces.next_chunk() {
            out.extend_from_slice(&chunk);
        }
        assert_eq!(out.len() as u64, length, "the announced length is exact");
        out
    }

    #[test]
    fn pieces_join_into_exactly_the_one_shot_encodings() {
        let key = SymmetricKey::from_bytes([5; 32]);
        for size in [
            0usize,
            1,
            2,
            3,
            4,
            5,
            STREAM_CHUNK / 4 * 3,
            STREAM_CHUNK + 1,
            200_001,
        ] {
            let data = Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<_>>());
            let body = collect(Pieces::new(vec![
                Piece::Plain(Bytes::from_static(b"{\"data\":\"")),
                Piece::Base64(data.clone()),
                Piece::Plain(Bytes::from_static(b"\"}")),
            ]));
            let expected = format!("{{\"data\":\"{}\"}}", BASE64.encode(&data));
            assert_eq!(String::from_utf8(body).unwrap(), expected, "{size}");
            let sealed = collect(Pieces::new(vec![Piece::Sealed(Box::new(
                key.seal_stream(data.clone()),
            ))]));
            assert_eq!(sealed, key.seal_bytes(&data), "{size}");
        }
    }
}
