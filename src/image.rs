//! [`Image`]: the file a recognition call uploads.
//!
//! The format is sniffed from the file's first bytes, not taken from its
//! name, because the service decides by content too and a mislabelled file
//! would otherwise fail remotely with a vaguer error. Each endpoint's limits
//! (size, formats) come from its descriptor and are checked before anything
//! is sent, so the error can name the file.

use std::fmt;
use std::io::Read;
use std::path::Path;

use bytes::Bytes;

use crate::descriptor::Endpoint;

/// Files larger than this are refused while reading, before any endpoint
/// limit applies: no documented endpoint takes more than 20 MB, and a wrong
/// path (a video, a disk image) should not be read into memory whole.
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// An image (or document) to upload, with the name it is reported under.
#[derive(Clone)]
pub struct Image {
    name: String,
    bytes: Bytes,
    format: ImageFormat,
}

impl Image {
    /// Reads a file and sniffs its format.
    ///
    /// # Errors
    ///
    /// [`ImageError::Unreadable`], [`ImageError::Empty`],
    /// [`ImageError::TooLarge`] (over [`MAX_READ_BYTES`]) or
    /// [`ImageError::UnknownFormat`], each naming the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Image, ImageError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let unreadable = |source| ImageError::Unreadable {
            name: name.clone(),
            source,
        };
        let not_a_file = |meta: &std::fs::Metadata| ImageError::NotAFile {
            name: name.clone(),
            kind: file_kind(meta),
        };
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        if !meta.is_file() {
            return Err(not_a_file(&meta));
        }
        // Without blocking: should the path have been swapped for a FIFO
        // since, opening it must not wait for a writer.
        let file = open_without_blocking(path).map_err(unreadable)?;
        let meta = file.metadata().map_err(unreadable)?;
        if !meta.is_file() {
            return Err(not_a_file(&meta));
        }
        // Sized from the file's length up front: a growing buffer would
        // briefly hold up to twice the image.
        let expected = meta.len().min(MAX_READ_BYTES + 1);
        match Self::read_capped(name.clone(), file, expected) {
            // The file's own length, not how far the read went.
            Err(ImageError::TooLarge { size, .. }) => Err(ImageError::TooLarge {
                name,
                size: size.max(meta.len()),
                limit: MAX_READ_BYTES,
                endpoint: None,
            }),
            other => other,
        }
    }

    /// Reads an image from a stream (standard input, a socket) and sniffs
    /// its format, reading at most [`MAX_READ_BYTES`] plus one: a stream
    /// that goes on is refused, not held in memory.
    ///
    /// # Errors
    ///
    /// [`ImageError::Unreadable`], [`ImageError::Empty`],
    /// [`ImageError::TooLarge`] (its `size` is then what was read, the cap
    /// plus one: a stream's length is not known) or
    /// [`ImageError::UnknownFormat`], each naming the image `name`.
    pub fn from_reader(name: impl Into<String>, reader: impl Read) -> Result<Image, ImageError> {
        Self::read_capped(name.into(), reader, 0)
    }

    /// [`MAX_READ_BYTES`] plus one at the most, into a buffer sized
    /// `expected` up front.
    fn read_capped(name: String, reader: impl Read, expected: u64) -> Result<Image, ImageError> {
        let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        if let Err(source) = reader.take(MAX_READ_BYTES + 1).read_to_end(&mut bytes) {
            return Err(ImageError::Unreadable { name, source });
        }
        if bytes.len() as u64 > MAX_READ_BYTES {
            return Err(ImageError::TooLarge {
                name,
                size: bytes.len() as u64,
                limit: MAX_READ_BYTES,
                endpoint: None,
            });
        }
        Self::from_bytes(name, bytes)
    }

    /// Wraps bytes already in memory; `name` is only for messages and the
    /// multipart file name.
    ///
    /// # Errors
    ///
    /// [`ImageError::Empty`] or [`ImageError::UnknownFormat`].
    pub fn from_bytes(
        name: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Result<Image, ImageError> {
        let name = name.into();
        let bytes = bytes.into();
        if bytes.is_empty() {
            return Err(ImageError::Empty { name });
        }
        let format = ImageFormat::sniff(&bytes)
            .ok_or_else(|| ImageError::UnknownFormat { name: name.clone() })?;
        Ok(Image {
            name,
            bytes,
            format,
        })
    }

    /// The name given at construction (the path, for [`from_path`](Self::from_path)).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The last path component of the name, for the multipart file name:
    /// the service needs no directory names.
    pub fn file_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }

    /// The format sniffed from the first bytes.
    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// The file's contents, as they will be uploaded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes as a cheap, reference-counted handle, so that each attempt
    /// of a call can send them without copying the file.
    pub fn shared_bytes(&self) -> Bytes {
        self.bytes.clone()
    }

    /// Size of the file, in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file has no bytes; never true for a constructed image.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Checks the endpoint's documented size and format limits, as a
    /// client does before sending.
    ///
    /// # Errors
    ///
    /// [`ImageError::TooLarge`] or [`ImageError::UnsupportedFormat`]
    /// naming the image and the endpoint.
    pub fn check_for(&self, endpoint: &'static Endpoint) -> Result<(), ImageError> {
        let size = self.bytes.len() as u64;
        if let Some(limit) = endpoint.limits.max_file_bytes.filter(|&limit| size > limit) {
            return Err(ImageError::TooLarge {
                name: self.name.clone(),
                size,
                limit,
                endpoint: Some(endpoint.name),
            });
        }
        let accepted = endpoint.limits.formats;
        if !accepted.is_empty()
            && !self
                .format
                .extensions()
                .iter()
                .any(|ext| accepted.contains(ext))
        {
            return Err(ImageError::UnsupportedFormat {
                name: self.name.clone(),
                format: self.format,
                endpoint: endpoint.name,
                accepted,
            });
        }
        Ok(())
    }
}

/// What to recognize, for an endpoint that takes either: a file to upload,
/// or a URL the service fetches the image from (NHN General OCR).
#[derive(Debug, Clone, Copy)]
pub enum ImageSource<'a> {
    /// Uploaded as the endpoint's file part.
    File(&'a Image),
    /// Sent as the endpoint's URL body; checked locally first.
    Url(&'a str),
}

impl<'a> From<&'a Image> for ImageSource<'a> {
    fn from(image: &'a Image) -> Self {
        ImageSource::File(image)
    }
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The bytes are a picture of an ID card or a credit card: never printed.
        f.debug_struct("Image")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Every format [`ImageFormat::sniff`] can recognize.
const ALL: [ImageFormat; 7] = [
    ImageFormat::Jpeg,
    ImageFormat::Png,
    ImageFormat::Pdf,
    ImageFormat::Tiff,
    ImageFormat::Gif,
    ImageFormat::Bmp,
    ImageFormat::Webp,
];

/// A file format recognized by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG (`jpg`, `jpeg`), starting `FF D8 FF`.
    Jpeg,
    /// PNG (`png`), starting with the PNG signature.
    Png,
    /// PDF (`pdf`), starting `%PDF-`.
    Pdf,
    /// TIFF (`tif`, `tiff`), little- or big-endian.
    Tiff,
    /// GIF (`gif`), version 87a or 89a.
    Gif,
    /// Windows bitmap (`bmp`), starting `BM` with room for its headers.
    Bmp,
    /// WebP (`webp`), a RIFF container of type `WEBP`.
    Webp,
}

impl ImageFormat {
    /// The format the bytes start with, if known.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        const SIGNATURES: &[(&[u8], ImageFormat)] = &[
            (&[0xFF, 0xD8, 0xFF], ImageFormat::Jpeg),
            (b"\x89PNG\r\n\x1a\n", ImageFormat::Png),
            (b"%PDF-", ImageFormat::Pdf),
            (b"II*\0", ImageFormat::Tiff),
            (b"MM\0*", ImageFormat::Tiff),
            (b"GIF87a", ImageFormat::Gif),
            (b"GIF89a", ImageFormat::Gif),
        ];
        if let Some((_, format)) = SIGNATURES
            .iter()
            .find(|(magic, _)| bytes.starts_with(magic))
        {
            return Some(*format);
        }
        // "BM" alone starts plenty of text files; a real BMP has at least its
        // 14-byte file header and a 12-byte core DIB header.
        if bytes.starts_with(b"BM") && bytes.len() >= 26 {
            return Some(ImageFormat::Bmp);
        }
        (bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
            .then_some(ImageFormat::Webp)
    }

    /// The format an extension (any case, no dot) names, as the specs'
    /// `limits.formats` and CLOVA's `format` field write it.
    pub fn from_extension(name: &str) -> Option<ImageFormat> {
        let name = name.to_ascii_lowercase();
        ALL.into_iter()
            .find(|f| f.extensions().contains(&name.as_str()))
    }

    /// The main extension (`jpg`, `png`, ...): what NHN reports as `fileType`.
    pub fn extension(self) -> &'static str {
        match self.extensions() {
            [first, ..] => first,
            [] => "",
        }
    }

    /// Whether a spec's `limits.formats` list accepts this format.
    pub fn accepted_by(self, formats: &[&str]) -> bool {
        self.extensions().iter().any(|e| formats.contains(e))
    }

    /// File extensions the specs use for the format (lower case, no dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ImageFormat::Jpeg => &["jpg", "jpeg"],
            ImageFormat::Png => &["png"],
            ImageFormat::Pdf => &["pdf"],
            ImageFormat::Tiff => &["tif", "tiff"],
            ImageFormat::Gif => &["gif"],
            ImageFormat::Bmp => &["bmp"],
            ImageFormat::Webp => &["webp"],
        }
    }

    /// The MIME type a multipart upload labels the file with (`image/png`).
    pub fn mime_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Pdf => "application/pdf",
            ImageFormat::Tiff => "image/tiff",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Webp => "image/webp",
        }
    }
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extensions()[0])
    }
}

/// What a path is, when it is not a regular file.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Opens for reading with `O_NONBLOCK` where the platform has it: a FIFO
/// then opens at once instead of waiting for a writer (and is refused just
/// after); a regular file reads as usual.
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(0o4000); // O_NONBLOCK
    }
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(0x0004); // O_NONBLOCK
    }
    options.open(path)
}

/// Why an image cannot be used; every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The file or stream could not be opened, inspected or read.
    #[error("cannot read image `{name}`: {source}")]
    Unreadable {
        /// The path the image was read from, or the name given to
        /// [`Image::from_reader`] (the CLI uses `-` for standard input).
        name: String,
        /// What the operating system reported.
        #[source]
        source: std::io::Error,
    },
    /// The file or the bytes given hold nothing.
    #[error("image `{name}` is empty")]
    Empty {
        /// The image's name: the path it was read from, or the label given to
        /// [`Image::from_bytes`].
        name: String,
    },
    /// A directory, a FIFO, a device or a socket: refused before reading,
    /// since reading one could wait forever or never end.
    #[error("`{name}` is {kind}, not a regular file")]
    NotAFile {
        /// The path the image was to be read from.
        name: String,
        /// What the path is instead, in words (`a directory`, `a FIFO`).
        kind: &'static str,
    },
    /// The image is larger than the endpoint's documented limit, or than
    /// [`MAX_READ_BYTES`] when read from a path or a stream.
    #[error(
        "image `{name}` is {size} bytes; {} accepts at most {limit}",
        endpoint.unwrap_or("ocrwire")
    )]
    TooLarge {
        /// The image's name: the path it was read from, or the label given to
        /// [`Image::from_bytes`].
        name: String,
        /// Size of the image, in bytes (a file's length; for a stream over
        /// the read cap, what was read: the cap plus one).
        size: u64,
        /// The limit it exceeds, in bytes.
        limit: u64,
        /// The endpoint whose limit it exceeds; `None` for the read cap.
        endpoint: Option<&'static str>,
    },
    /// The first bytes match none of the formats in [`ImageFormat`].
    #[error(
        "`{name}` is not an image format ocrwire recognizes (JPEG, PNG, PDF, TIFF, GIF, BMP, WebP)"
    )]
    UnknownFormat {
        /// The image's name: the path it was read from, or the label given to
        /// [`Image::from_bytes`].
        name: String,
    },
    /// The file holds more pages than the endpoint reads (CLOVA reads
    /// single-page PDF and TIFF files only).
    #[error("image `{name}` has {pages} pages; {endpoint} reads single-page {format} files only")]
    MultiPage {
        /// The image's name: the path it was read from, or the label given to
        /// [`Image::from_bytes`].
        name: String,
        /// The file's format (PDF or TIFF).
        format: ImageFormat,
        /// Pages the file visibly holds, more than one.
        pages: usize,
        /// The endpoint called, as the spec names it (`receipt`).
        endpoint: &'static str,
    },
    /// The endpoint does not accept the image's format.
    #[error("image `{name}` is {format}; {endpoint} accepts only {}", accepted.join(", "))]
    UnsupportedFormat {
        /// The image's name: the path it was read from, or the label given to
        /// [`Image::from_bytes`].
        name: String,
        /// The format sniffed from the image's first bytes.
        format: ImageFormat,
        /// The endpoint called, as the spec names it (`credit-card`).
        endpoint: &'static str,
        /// The extensions the endpoint's spec lists as accepted (`jpg`,
        /// `png`).
        accepted: &'static [&'static str],
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{clova_document_ocr, nhn_document_ocr_v2};

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn the_read_cap_names_a_files_length_and_ends_an_endless_stream() {
        // A sparse file: its length is real, its blocks cost nothing.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.png");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_READ_BYTES + 4096).unwrap();
        let e = Image::from_path(&path).unwrap_err();
        assert!(
            matches!(e, ImageError::TooLarge { size, limit, endpoint: None, .. }
                if size == MAX_READ_BYTES + 4096 && limit == MAX_READ_BYTES),
            "{e:?}"
        );

        // Standard input that never ends is cut off after the cap plus one.
        let e = Image::from_reader("-", std::io::repeat(0)).unwrap_err();
        assert!(
            matches!(e, ImageError::TooLarge { size, .. } if size == MAX_READ_BYTES + 1),
            "{e:?}"
        );
        let mut png = PNG.to_vec();
        png.resize(100, 0);
        let image = Image::from_reader("-", png.as_slice()).unwrap();
        assert_eq!((image.format(), image.len()), (ImageFormat::Png, 100));
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(ImageFormat::sniff(PNG), Some(ImageFormat::Png));
        assert_eq!(
            ImageFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(ImageFormat::sniff(b"%PDF-1.7"), Some(ImageFormat::Pdf));
        assert_eq!(ImageFormat::sniff(b"II*\0...."), Some(ImageFormat::Tiff));
        assert_eq!(ImageFormat::sniff(b"MM\0*...."), Some(ImageFormat::Tiff));
        // A text file that happens to start with "BM" is not a bitmap.
        assert_eq!(ImageFormat::sniff(b"BMW invoice"), None);
        assert_eq!(
            ImageFormat::sniff(&[
                b'B', b'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ]),
            Some(ImageFormat::Bmp)
        );
        assert_eq!(
            ImageFormat::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageFormat::Webp)
        );
        assert_eq!(ImageFormat::sniff(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(ImageFormat::sniff(b"hello"), None);
        assert_eq!(ImageFormat::sniff(b""), None);
    }

    #[test]
    fn refuses_empty_and_unknown() {
        assert!(
            matches!(Image::from_bytes("a.png", Vec::new()), Err(ImageError::Empty { name }) if name == "a.png")
        );
        let e = Image::from_bytes("notes.txt", b"hello".to_vec()).unwrap_err();
        assert!(e.to_string().contains("`notes.txt`"), "{e}");
    }

    #[test]
    fn endpoint_limits_come_from_the_descriptor() {
        let card = &nhn_document_ocr_v2::CREDIT_CARD;
        let png = Image::from_bytes("dir/card.png", PNG.to_vec()).unwrap();
        assert_eq!(png.file_name(), "card.png");
        png.check_for(card).unwrap();

        let pdf = Image::from_bytes("card.pdf", b"%PDF-1.4".to_vec()).unwrap();
        let e = pdf.check_for(card).unwrap_err();
        assert_eq!(
            e.to_string(),
            "image `card.pdf` is pdf; credit-card accepts only jpg, jpeg, png"
        );
        // CLOVA takes PDFs.
        pdf.check_for(&clova_document_ocr::CREDIT_CARD).unwrap();

        let limit = card.limits.max_file_bytes.unwrap();
        let mut big = PNG.to_vec();
        big.resize(limit as usize + 1, 0);
        let e = Image::from_bytes("big.png", big)
            .unwrap()
            .check_for(card)
            .unwrap_err();
        assert!(
            matches!(e, ImageError::TooLarge { size, .. } if size == limit + 1),
            "{e}"
        );
        assert!(e.to_string().starts_with(&format!(
            "image `big.png` is {} bytes; credit-card accepts at most {limit}",
            limit + 1
        )));
    }

    #[test]
    fn reads_files_and_names_them_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("card.png");
        std::fs::write(&path, PNG).unwrap();
        let image = Image::from_path(&path).unwrap();
        assert_eq!(image.format(), ImageFormat::Png);
        assert_eq!(image.bytes(), PNG);

        let missing = dir.path().join("missing.png");
        let e = Image::from_path(&missing).unwrap_err();
        assert!(matches!(e, ImageError::Unreadable { .. }));
        assert!(e.to_string().contains("missing.png"), "{e}");

        let empty = dir.path().join("empty.jpg");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(
            Image::from_path(&empty),
            Err(ImageError::Empty { .. })
        ));
    }

    /// Refused at once, never read: a directory, a device that never ends,
    /// a FIFO that no one writes to (opening it would wait forever).
    #[test]
    fn what_is_not_a_regular_file_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let e = Image::from_path(dir.path()).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("is a directory, not a regular file"),
            "{e}"
        );
        #[cfg(unix)]
        {
            let e = Image::from_path("/dev/zero").unwrap_err();
            assert_eq!(e.to_string(), "`/dev/zero` is a device, not a regular file");
            let fifo = dir.path().join("pipe.png");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo (coreutils)");
            let started = std::time::Instant::now();
            let e = Image::from_path(&fifo).unwrap_err();
            assert!(
                e.to_string().ends_with("is a FIFO, not a regular file"),
                "{e}"
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(1));
        }
    }

    #[test]
    fn debug_hides_the_bytes() {
        let image = Image::from_bytes("card.png", PNG.to_vec()).unwrap();
        assert_eq!(
            format!("{image:?}"),
            "Image { name: \"card.png\", format: Png, len: 16 }"
        );
    }
}
