//! What an uploaded file really is, judged from its bytes.
//!
//! The vendors decide the file type from the content, not from a name or a
//! declared format, so the emulator does too: magic numbers give the type,
//! the format's header gives the pixel size (a file whose header cannot be
//! read is "invalid", not "of the wrong type"), and an ASCII marker anywhere
//! in the bytes tells the emulator what document to pretend it recognized.

/// File types come from the same magic-number table the client uses
/// ([`ImageFormat::sniff`]): there is one definition of "what a JPEG is".
pub use crate::image::ImageFormat;

/// Width and height in pixels (PDF: the first `/MediaBox` in points), or
/// `None` when the header is missing, truncated or says 0.
pub fn dimensions(kind: ImageFormat, bytes: &[u8]) -> Option<(u32, u32)> {
    let size = match kind {
        ImageFormat::Png => png_size(bytes),
        ImageFormat::Jpeg => jpeg_size(bytes),
        ImageFormat::Tiff => tiff_size(bytes),
        ImageFormat::Pdf => pdf_size(bytes),
        ImageFormat::Gif => {
            let w = u16::from_le_bytes([*bytes.get(6)?, *bytes.get(7)?]);
            let h = u16::from_le_bytes([*bytes.get(8)?, *bytes.get(9)?]);
            Some((u32::from(w), u32::from(h)))
        }
        ImageFormat::Bmp | ImageFormat::Webp => None,
    }?;
    (size.0 > 0 && size.1 > 0).then_some(size)
}

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// The IHDR chunk must come first: length 13, type `IHDR`, then width and
/// height as big-endian u32.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if be_u32(bytes, 8)? != 13 || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be_u32(bytes, 16)?, be_u32(bytes, 20)?))
}

/// Walks the marker segments up to the first start-of-frame.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        // Markers may be preceded by any number of fill bytes.
        while *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Stand-alone markers carry no length.
            0x01 | 0xD0..=0xD8 => at += 2,
            // Start of scan or end of image before any frame header.
            0xD9 | 0xDA => return None,
            // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = be_u16(bytes, at + 5)?;
                let width = be_u16(bytes, at + 7)?;
                return Some((u32::from(width), u32::from(height)));
            }
            _ => {
                let len = usize::from(be_u16(bytes, at + 2)?);
                if len < 2 {
                    return None;
                }
                at = at.checked_add(2 + len)?;
            }
        }
    }
}

/// Reads ImageWidth (256) and ImageLength (257) from the first IFD.
fn tiff_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let little = bytes.starts_with(b"II");
    let u16_at = |at: usize| -> Option<u16> {
        let b = [*bytes.get(at)?, *bytes.get(at + 1)?];
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let s = bytes.get(at..at.checked_add(4)?)?;
        let b = [s[0], s[1], s[2], s[3]];
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    // Offsets past the end are invalid; bailing here also keeps the entry
    // arithmetic below far from overflow.
    if ifd >= bytes.len() {
        return None;
    }
    let count = usize::from(u16_at(ifd)?);
    let (mut width, mut height) = (None, None);
    for i in 0..count {
        let entry = ifd + 2 + i * 12;
        let tag = u16_at(entry)?;
        let value = match u16_at(entry + 2)? {
            3 => u32::from(u16_at(entry + 8)?),
            4 => u32_at(entry + 8)?,
            _ => continue,
        };
        match tag {
            256 => width = Some(value),
            257 => height = Some(value),
            _ => {}
        }
    }
    Some((width?, height?))
}

/// `/MediaBox [x0 y0 x1 y1]`, in points; good enough for a page size.
fn pdf_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let at = find(bytes, b"/MediaBox")?;
    let rest = bytes.get(at + 9..)?;
    let open = rest.iter().position(|&b| b == b'[')?;
    let close = rest.iter().position(|&b| b == b']')?;
    let inner = std::str::from_utf8(rest.get(open + 1..close)?).ok()?;
    let numbers: Vec<f64> = inner
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [x0, y0, x1, y1] = numbers.as_slice() else {
        return None;
    };
    let (w, h) = ((x1 - x0).abs().round(), (y1 - y0).abs().round());
    // Refuse absurd sizes rather than saturating into nonsense.
    if !(1.0..=1e6).contains(&w) || !(1.0..=1e6).contains(&h) {
        return None;
    }
    // In range 1..=1e6 after the check, so the casts are exact.
    Some((w as u32, h as u32))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What an `ocrwire:<word>` marker in the image asks the emulator to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Recognize a Korean resident registration card.
    Resident,
    /// Recognize a Korean driver's licence.
    Driver,
    /// Recognize a passport.
    Passport,
    /// Recognize an alien registration card (CLOVA only).
    Alien,
    /// The image is unreadable: CLOVA answers `inferResult: FAILURE`.
    Failure,
    /// The engine fails on the image: CLOVA answers `inferResult: ERROR`,
    /// NHN answers -1.
    Error,
}

impl Marker {
    /// The marker's word, which also names an example variant in the spec
    /// (`ocrwire:driver` picks the `driver` example).
    pub fn word(self) -> &'static str {
        match self {
            Marker::Resident => "resident",
            Marker::Driver => "driver",
            Marker::Passport => "passport",
            Marker::Alien => "alien",
            Marker::Failure => "failure",
            Marker::Error => "error",
        }
    }
}

/// The first recognized `ocrwire:<word>` marker in the bytes, if any.
/// Unknown words are skipped, so a stray match cannot change the outcome.
pub fn marker(bytes: &[u8]) -> Option<Marker> {
    const PREFIX: &[u8] = b"ocrwire:";
    let mut rest = bytes;
    while let Some(at) = find(rest, PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        let word_len = after
            .iter()
            .position(|b| !b.is_ascii_lowercase())
            .unwrap_or(after.len());
        let found = match &after[..word_len] {
            b"resident" => Some(Marker::Resident),
            b"driver" => Some(Marker::Driver),
            b"passport" => Some(Marker::Passport),
            b"alien" => Some(Marker::Alien),
            b"failure" => Some(Marker::Failure),
            b"error" => Some(Marker::Error),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        rest = after;
    }
    None
}

/// Whether an image meets a recommended resolution (the spec's
/// `recommended_resolution`). Orientation does not matter: the long side is
/// compared with the larger number. Without a recommendation every image is
/// "normal".
pub fn meets_resolution(size: (u32, u32), recommended: Option<(u32, u32)>) -> bool {
    let Some((w, h)) = recommended else {
        return true;
    };
    let (long, short) = (size.0.max(size.1), size.0.min(size.1));
    long >= w.max(h) && short >= w.min(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(width.to_be_bytes());
        b.extend(height.to_be_bytes());
        b.extend([8, 2, 0, 0, 0]);
        b
    }

    #[test]
    fn png_header() {
        assert_eq!(ImageFormat::sniff(&png(86, 54)), Some(ImageFormat::Png));
        assert_eq!(dimensions(ImageFormat::Png, &png(86, 54)), Some((86, 54)));
        assert_eq!(dimensions(ImageFormat::Png, &png(0, 54)), None);
        assert_eq!(dimensions(ImageFormat::Png, &png(86, 54)[..20]), None);
    }

    #[test]
    fn jpeg_header() {
        // SOI, APP0 (length 4), SOF0 with height 64, width 48.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
            0x40, 0x00, 0x30, 0x01, 0x01, 0x11, 0x00,
        ];
        assert_eq!(ImageFormat::sniff(&jpeg), Some(ImageFormat::Jpeg));
        assert_eq!(dimensions(ImageFormat::Jpeg, &jpeg), Some((48, 64)));
        // Scan before any frame, and truncation, are unreadable.
        assert_eq!(
            dimensions(ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF, 0xDA]),
            None
        );
        assert_eq!(dimensions(ImageFormat::Jpeg, &jpeg[..12]), None);
        // A zero length cannot loop forever.
        assert_eq!(
            dimensions(ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            None
        );
    }

    #[test]
    fn tiff_and_pdf() {
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend(2u16.to_le_bytes());
        for (tag, value) in [(256u16, 300u16), (257, 200)] {
            tiff.extend(tag.to_le_bytes());
            tiff.extend(3u16.to_le_bytes());
            tiff.extend(1u32.to_le_bytes());
            tiff.extend(value.to_le_bytes());
            tiff.extend([0, 0]);
        }
        assert_eq!(ImageFormat::sniff(&tiff), Some(ImageFormat::Tiff));
        assert_eq!(dimensions(ImageFormat::Tiff, &tiff), Some((300, 200)));
        assert_eq!(
            dimensions(ImageFormat::Tiff, b"II*\0\xff\xff\xff\xff"),
            None
        );
        assert_eq!(dimensions(ImageFormat::Tiff, &tiff[..20]), None);
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Page /MediaBox [0 0 595.3 841.9] >>";
        assert_eq!(ImageFormat::sniff(pdf), Some(ImageFormat::Pdf));
        assert_eq!(dimensions(ImageFormat::Pdf, pdf), Some((595, 842)));
        assert_eq!(
            dimensions(ImageFormat::Pdf, b"%PDF-1.4 /MediaBox [0 0 x 1]"),
            None
        );
    }

    #[test]
    fn unknown_and_unsupported() {
        assert_eq!(ImageFormat::sniff(b""), None);
        assert_eq!(ImageFormat::sniff(b"hello"), None);
        assert_eq!(
            ImageFormat::sniff(b"GIF89a\x01\0\x01\0"),
            Some(ImageFormat::Gif)
        );
        assert!(!ImageFormat::Gif.accepted_by(&["jpg", "jpeg", "png"]));
        assert!(ImageFormat::Jpeg.accepted_by(&["jpeg"]));
        assert_eq!(ImageFormat::from_extension("TIF"), Some(ImageFormat::Tiff));
    }

    #[test]
    fn markers() {
        assert_eq!(marker(b"..ocrwire:driver.."), Some(Marker::Driver));
        assert_eq!(
            marker(b"ocrwire:nothing ocrwire:passport"),
            Some(Marker::Passport)
        );
        assert_eq!(marker(b"ocrwire:"), None);
        assert_eq!(marker(b"no marker"), None);
    }

    #[test]
    fn resolution() {
        assert!(meets_resolution((760, 480), Some((760, 480))));
        assert!(meets_resolution((480, 760), Some((760, 480))));
        assert!(!meets_resolution((86, 54), Some((760, 480))));
        assert!(meets_resolution((1, 1), None));
    }
}
