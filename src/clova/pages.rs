//! How many pages a PDF or TIFF holds, where that can be seen without a
//! full parser.
//!
//! CLOVA reads single-page PDF and TIFF files only (the spec's limits
//! notes). Sending a 30-page contract would upload it whole and fail
//! remotely, so the client counts pages first and refuses more than one.
//! The count is a lower bound, taken without decompressing anything:
//!
//! - **PDF**: the distinct objects whose dictionary says `/Type /Page`
//!   (page leaves, not the `/Pages` tree nodes), keyed by their `N G obj`
//!   header so an incremental update that rewrites a page is not counted
//!   twice. Pages stored inside compressed object streams (PDF 1.5+) are
//!   invisible to this; such files are sent and the service decides.
//! - **TIFF**: the chain of image file directories (IFDs) from the header,
//!   skipping those marked as reduced-resolution copies (thumbnails) by
//!   `NewSubfileType` bit 0. The walk is bounded and stops at a loop or at
//!   the end of the bytes.

use std::collections::HashSet;

use crate::image::ImageFormat;

/// Most IFDs followed: far above any real page count, and a bound on work
/// for a hostile file.
const MAX_IFDS: usize = 4096;
/// Most IFD entries read in all, so overlapping directories that each claim
/// 65535 entries cannot make the walk slow.
const MAX_ENTRIES: usize = 1 << 20;

/// Pages the bytes visibly hold; `None` when the format has no pages or
/// none can be seen.
pub(crate) fn visible_pages(format: ImageFormat, bytes: &[u8]) -> Option<usize> {
    let pages = match format {
        ImageFormat::Pdf => pdf_pages(bytes),
        ImageFormat::Tiff => tiff_pages(bytes),
        _ => 0,
    };
    (pages > 0).then_some(pages)
}

fn pdf_pages(bytes: &[u8]) -> usize {
    // Object id of the object being scanned; page dictionaries outside any
    // visible object header get ids of their own.
    let mut current: Option<(u64, u64)> = None;
    let mut pages: HashSet<(u64, u64)> = HashSet::new();
    let mut loose = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"obj") && is_boundary(bytes, i.checked_sub(1)) {
            if let Some(id) = object_header_before(bytes, i) {
                current = Some(id);
            }
            i += 3;
        } else if rest.starts_with(b"/Type") {
            let mut j = i + b"/Type".len();
            while bytes.get(j).is_some_and(|b| is_pdf_whitespace(*b)) {
                j += 1;
            }
            let page_name = bytes.get(j..).is_some_and(|r| r.starts_with(b"/Page"));
            let end = j + b"/Page".len();
            if page_name && !bytes.get(end).is_some_and(|b| is_regular(*b)) {
                let id = current.unwrap_or_else(|| {
                    loose += 1;
                    (u64::MAX, loose)
                });
                pages.insert(id);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    pages.len()
}

/// Parses `N G` right before the `obj` at `at` (`12 0 obj`).
fn object_header_before(bytes: &[u8], at: usize) -> Option<(u64, u64)> {
    let head = bytes.get(at.saturating_sub(48)..at)?;
    let text = std::str::from_utf8(head).ok().or_else(|| {
        // Binary stream bytes may precede the header; keep the tail only.
        let start = head.iter().rposition(|b| !b.is_ascii())? + 1;
        std::str::from_utf8(&head[start..]).ok()
    })?;
    let mut words = text.split_ascii_whitespace().rev();
    let generation = words.next()?.parse().ok()?;
    let number = words.next()?.parse().ok()?;
    Some((number, generation))
}

fn is_pdf_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

/// A byte that continues a PDF name (`/Pages`, `/PageLabel`).
fn is_regular(b: u8) -> bool {
    !is_pdf_whitespace(b) && !b"()<>[]{}/%".contains(&b)
}

fn is_boundary(bytes: &[u8], at: Option<usize>) -> bool {
    at.and_then(|i| bytes.get(i))
        .is_none_or(|b| is_pdf_whitespace(*b))
}

fn tiff_pages(bytes: &[u8]) -> usize {
    let little = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return 0,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    if u16_at(2) != Some(42) {
        return 0;
    }
    let mut pages = 0;
    let mut budget = MAX_ENTRIES;
    let mut seen = HashSet::new();
    let mut next = u32_at(4).unwrap_or(0) as usize;
    while next != 0 && seen.len() < MAX_IFDS && seen.insert(next) {
        let Some(entries) = u16_at(next) else { break };
        let Some(left) = budget.checked_sub(usize::from(entries)) else {
            break;
        };
        budget = left;
        let mut thumbnail = false;
        for k in 0..usize::from(entries) {
            let entry = next + 2 + 12 * k;
            // NewSubfileType (254), a LONG whose bit 0 marks a reduced-resolution copy.
            if u16_at(entry) == Some(254) {
                thumbnail = u32_at(entry + 8).is_some_and(|v| v & 1 == 1);
            }
        }
        if !thumbnail {
            pages += 1;
        }
        match u32_at(next + 2 + 12 * usize::from(entries)) {
            Some(offset) => next = offset as usize,
            None => break,
        }
    }
    pages
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal PDF with `pages` page objects, written as object headers
    /// and dictionaries the way PDF writers lay them out.
    pub(crate) fn pdf(pages: usize) -> Vec<u8> {
        let mut out =
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                .to_vec();
        let kids: Vec<String> = (0..pages).map(|p| format!("{} 0 R", p + 3)).collect();
        out.extend_from_slice(
            format!(
                "2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} >>\nendobj\n",
                kids.join(" ")
            )
            .as_bytes(),
        );
        for p in 0..pages {
            out.extend_from_slice(
                format!(
                    "{} 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox [0 0 612 792]>>\nendobj\n",
                    p + 3
                )
                .as_bytes(),
            );
        }
        out.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        out
    }

    /// A little-endian TIFF whose IFD chain has one directory per entry of
    /// `subfile_types` (the NewSubfileType of each).
    pub(crate) fn tiff(subfile_types: &[u32]) -> Vec<u8> {
        let mut out = b"II*\0".to_vec();
        out.extend_from_slice(&8u32.to_le_bytes());
        for (i, kind) in subfile_types.iter().enumerate() {
            let here = out.len();
            out.extend_from_slice(&1u16.to_le_bytes());
            out.extend_from_slice(&254u16.to_le_bytes());
            out.extend_from_slice(&4u16.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            let next = if i + 1 == subfile_types.len() {
                0
            } else {
                here + 2 + 12 + 4
            };
            out.extend_from_slice(&(next as u32).to_le_bytes());
        }
        out
    }

    #[test]
    fn counts_pdf_page_objects() {
        assert_eq!(visible_pages(ImageFormat::Pdf, &pdf(1)), Some(1));
        assert_eq!(visible_pages(ImageFormat::Pdf, &pdf(3)), Some(3));
        // An incremental update rewrites page 3 0 obj: still one page.
        let mut updated = pdf(1);
        updated.extend_from_slice(b"3 0 obj\n<< /Type /Page /Rotate 90 >>\nendobj\n%%EOF\n");
        assert_eq!(visible_pages(ImageFormat::Pdf, &updated), Some(1));
        // Pages hidden in compressed object streams are not visible.
        assert_eq!(
            visible_pages(ImageFormat::Pdf, b"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm >>"),
            None
        );
        // `/Pages` and `/PageLabels` are not pages.
        assert_eq!(
            visible_pages(ImageFormat::Pdf, b"%PDF-1.7 /Type /Pages /Type/PageLabels"),
            None
        );
    }

    #[test]
    fn counts_tiff_directories_but_not_thumbnails() {
        assert_eq!(visible_pages(ImageFormat::Tiff, &tiff(&[0])), Some(1));
        assert_eq!(visible_pages(ImageFormat::Tiff, &tiff(&[0, 2, 2])), Some(3));
        assert_eq!(visible_pages(ImageFormat::Tiff, &tiff(&[0, 1])), Some(1));
        // Big-endian header, one empty directory.
        let be = b"MM\0*\0\0\0\x08\0\0\0\0\0\0".to_vec();
        assert_eq!(visible_pages(ImageFormat::Tiff, &be), Some(1));
    }

    #[test]
    fn hostile_tiffs_end_the_walk() {
        // A directory pointing at itself.
        let mut looped = tiff(&[0]);
        let len = looped.len();
        looped[len - 4..].copy_from_slice(&8u32.to_le_bytes());
        assert_eq!(visible_pages(ImageFormat::Tiff, &looped), Some(1));
        // Offsets past the end, absurd entry counts, truncation.
        assert_eq!(
            visible_pages(ImageFormat::Tiff, b"II*\0\xff\xff\xff\xff"),
            None
        );
        assert_eq!(
            visible_pages(ImageFormat::Tiff, b"II*\0\x08\0\0\0\xff\xff"),
            Some(1)
        );
        assert_eq!(visible_pages(ImageFormat::Tiff, b"II*"), None);
        assert_eq!(visible_pages(ImageFormat::Png, b"\x89PNG"), None);
    }
}
