//! [`Base64Data`]: bytes that travel as Base64 text inside JSON (the spec's
//! `base64` type), such as CLOVA's inline image.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that travel as Base64 text (standard alphabet, padded).
///
/// It holds the bytes, not the text: an image shared with its
/// [`Image`](crate::Image) costs nothing more to put in a request, and the
/// client encodes it while the request streams out instead of building the
/// text (a third larger than the image) and then a JSON copy of it.
/// Serializing it some other way (`serde_json::to_string`) writes the whole
/// Base64 text, as the wire has it.
///
/// It is always redacted in `Debug`: what travels this way is a picture of
/// a personal document.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Base64Data(Bytes);

impl Base64Data {
    /// Wraps raw (not yet encoded) bytes; encoding happens on the wire.
    pub fn new(bytes: impl Into<Bytes>) -> Base64Data {
        Base64Data(bytes.into())
    }

    /// The bytes (decoded).
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The length of the Base64 text on the wire.
    pub fn encoded_len(&self) -> usize {
        base64_len(self.0.len())
    }
}

/// The length of the padded Base64 text of `len` bytes (saturating: no
/// image comes near `usize::MAX` bytes).
pub(crate) fn base64_len(len: usize) -> usize {
    base64::encoded_len(len, true).unwrap_or(usize::MAX)
}

impl From<Bytes> for Base64Data {
    fn from(bytes: Bytes) -> Base64Data {
        Base64Data(bytes)
    }
}

impl From<Vec<u8>> for Base64Data {
    fn from(bytes: Vec<u8>) -> Base64Data {
        Base64Data(bytes.into())
    }
}

impl fmt::Debug for Base64Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64Data(<{} bytes, redacted>)", self.0.len())
    }
}

/// How the client streams a JSON body's [`Base64Data`]: serialized under
/// [`capture`], each value leaves a placeholder and its bytes are kept
/// aside, to be Base64-encoded while the body is sent.
#[cfg(feature = "client")]
mod capture {
    use std::cell::RefCell;

    use bytes::Bytes;
    use serde::Serialize;

    thread_local! {
        /// While [`capture`] runs on this thread: its placeholder's random
        /// stem, and the values serialized so far, in order.
        static CAPTURED: RefCell<Option<(String, Vec<Bytes>)>> = const { RefCell::new(None) };
    }

    /// What a value serialized to under [`capture`]: its JSON text with a
    /// placeholder string where each [`Base64Data`] goes, and their bytes in
    /// order.
    pub(crate) struct Captured {
        pub(super) json: Vec<u8>,
        pub(super) stem: String,
        pub(super) data: Vec<Bytes>,
    }

    impl Captured {
        /// The JSON text split around the placeholders: `texts` has one more
        /// entry than `data`, and text, data (as Base64), text, … rebuilds the
        /// body. `None` if a placeholder is not found exactly once, which a
        /// caller's string could only cause by containing the random stem.
        pub(crate) fn split(self) -> Option<(Vec<Bytes>, Vec<Bytes>)> {
            if self.data.is_empty() {
                return Some((vec![Bytes::from(self.json)], Vec::new()));
            }
            let json = Bytes::from(self.json);
            let mut texts = Vec::with_capacity(self.data.len() + 1);
            let mut start = 0;
            for i in 0..self.data.len() {
                let marker = format!("\"{}{i}\"", self.stem);
                let mut hits = json
                    .windows(marker.len())
                    .enumerate()
                    .filter(|(_, w)| *w == marker.as_bytes())
                    .map(|(at, _)| at);
                let (Some(at), None) = (hits.next(), hits.next()) else {
                    return None;
                };
                if at < start {
                    return None;
                }
                // The placeholder is a JSON string: keep its quotes around the
                // text that goes in its place.
                texts.push(json.slice(start..at + 1));
                start = at + marker.len() - 1;
            }
            texts.push(json.slice(start..));
            Some((texts, self.data))
        }
    }

    /// Serializes `value` to JSON with every [`Base64Data`] in it left out, for
    /// the client to encode while it streams the body.
    pub(crate) fn capture<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Captured> {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                CAPTURED.with(|c| c.borrow_mut().take());
            }
        }
        // Characters serde_json writes as they are, and a stem no caller's
        // text holds by accident.
        let stem = format!("ocrwire-base64-{}-", uuid::Uuid::new_v4().simple());
        CAPTURED.with(|c| *c.borrow_mut() = Some((stem.clone(), Vec::new())));
        let _reset = Reset;
        let json = serde_json::to_vec(value)?;
        let data = CAPTURED
            .with(|c| c.borrow_mut().take())
            .map(|(_, data)| data)
            .unwrap_or_default();
        Ok(Captured { json, stem, data })
    }

    /// The placeholder for `bytes` while [`capture`] runs on this thread.
    pub(super) fn placeholder_for(bytes: &Bytes) -> Option<String> {
        CAPTURED.with(|c| {
            c.borrow_mut().as_mut().map(|(stem, captured)| {
                captured.push(bytes.clone());
                format!("{stem}{}", captured.len() - 1)
            })
        })
    }
}

#[cfg(feature = "client")]
pub(crate) use capture::capture;

impl Serialize for Base64Data {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "client")]
        if let Some(placeholder) = capture::placeholder_for(&self.0) {
            return serializer.serialize_str(&placeholder);
        }
        serializer.serialize_str(&BASE64.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Data {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        BASE64
            .decode(text.as_bytes())
            .map(Base64Data::from)
            .map_err(|_| serde::de::Error::custom("not Base64 text (standard alphabet, padded)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "client")]
    #[derive(Serialize)]
    struct Body {
        name: String,
        images: Vec<Image>,
    }
    #[cfg(feature = "client")]
    #[derive(Serialize)]
    struct Image {
        data: Base64Data,
        format: &'static str,
    }

    #[cfg(feature = "client")]
    fn body() -> Body {
        Body {
            name: "ocrwire-base64-0".into(),
            images: vec![
                Image {
                    data: Base64Data::new(&b"first image"[..]),
                    format: "png",
                },
                Image {
                    data: Base64Data::new(&b"2nd"[..]),
                    format: "jpg",
                },
            ],
        }
    }

    #[cfg(feature = "client")]
    #[test]
    fn captured_pieces_rebuild_exactly_the_plain_serialization() {
        let plain = serde_json::to_string(&body()).unwrap();
        assert!(plain.contains(&BASE64.encode(b"first image")), "{plain}");
        let (texts, data) = capture(&body()).unwrap().split().unwrap();
        assert_eq!(texts.len(), 3);
        let mut rebuilt = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            rebuilt.extend_from_slice(text);
            if let Some(d) = data.get(i) {
                rebuilt.extend_from_slice(BASE64.encode(d).as_bytes());
            }
        }
        assert_eq!(String::from_utf8(rebuilt).unwrap(), plain);
        // Outside `capture`, serialization is plain again.
        assert_eq!(serde_json::to_string(&body()).unwrap(), plain);
    }

    #[test]
    fn decodes_base64_and_refuses_anything_else_and_never_prints_bytes() {
        let d: Base64Data = serde_json::from_str("\"aGk=\"").unwrap();
        assert_eq!(d.bytes(), b"hi");
        assert_eq!(d.encoded_len(), 4);
        assert!(serde_json::from_str::<Base64Data>("\"not base64!\"").is_err());
        assert_eq!(format!("{d:?}"), "Base64Data(<2 bytes, redacted>)");
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_placeholder_found_twice_gives_up_streaming() {
        let captured = capture::Captured {
            json: br#"["s-0","s-0"]"#.to_vec(),
            stem: "s-".into(),
            data: vec![Bytes::new()],
        };
        assert!(captured.split().is_none());
    }
}
