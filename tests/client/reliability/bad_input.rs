//! Input the service could never accept is refused before any network
//! call: the server counts every request (public-key fetches included) and
//! must stay at zero. (The CLI's messages and exit codes for the same cases
//! are checked in `tests/cli/bad_input.rs`.)

use std::time::Duration;

use ocrwire::error::InvalidInput;
use ocrwire::image::ImageError;
use ocrwire::nhn::{ImageSource, RequestKey, ResidentCheck};
use ocrwire::{Error, Image};

use super::hostile::Hostile;
use super::{clova, document, example, general, quick};

fn png_of_len(len: usize) -> Image {
    let mut bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/text.png")).expect("example");
    bytes.resize(len, 0);
    Image::from_bytes("big.png", bytes).expect("a PNG")
}

fn three_page_pdf() -> Image {
    let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>\nendobj\n"
        .to_vec();
    for id in 3..6 {
        pdf.extend_from_slice(
            format!("{id} 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n").as_bytes(),
        );
    }
    pdf.extend_from_slice(b"%%EOF\n");
    Image::from_bytes("contract.pdf", pdf).expect("a PDF")
}

fn refused_image(e: &Error) -> &ImageError {
    match e {
        Error::Invalid(InvalidInput::Image(image)) => image,
        other => panic!("expected a refused image, got {other:?}"),
    }
}

#[tokio::test]
async fn every_client_refuses_bad_input_without_a_request() {
    let server = Hostile::start().await;
    let nhn = document(&server.base_url, quick());
    let gif = example("not-an-image.gif");

    // Over the endpoint's size limit, as the spec states it.
    let limit = ocrwire::wire::nhn_document_ocr_v2::CREDIT_CARD
        .limits
        .max_file_bytes
        .expect("the spec gives NHN a size limit");
    let big = png_of_len(limit as usize + 1);
    let e = nhn.credit_card(&big).await.unwrap_err();
    assert!(
        matches!(refused_image(&e), ImageError::TooLarge { .. }),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        format!(
            "image `big.png` is {} bytes; credit-card accepts at most {limit}",
            limit + 1
        )
    );
    // A format the endpoint does not take, by content.
    let e = nhn.id_card(&gif).await.unwrap_err();
    assert!(matches!(
        refused_image(&e),
        ImageError::UnsupportedFormat { .. }
    ));
    nhn.id_card_stand_alone(&gif).await.unwrap_err();

    // Authenticity: a malformed item, and an expired Request-Key.
    let stale = std::time::Instant::now()
        .checked_sub(Duration::from_secs(7200))
        .map(|at| RequestKey::restore("rk", at));
    let check = ResidentCheck {
        name: "홍길동".into(),
        resident_number: "123".into(),
        issue_date: "20190512".into(),
    };
    let e = nhn
        .id_card_authenticity(RequestKey::restore("rk", std::time::Instant::now()), check)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Invalid(InvalidInput::Field { .. })),
        "{e}"
    );
    if let Some(stale) = stale {
        let check = ResidentCheck {
            name: "홍길동".into(),
            resident_number: "9001011234567".into(),
            issue_date: "20190512".into(),
        };
        let e = nhn.id_card_authenticity(stale, check).await.unwrap_err();
        assert!(
            matches!(e, Error::Invalid(InvalidInput::RequestKeyExpired { .. })),
            "{e}"
        );
    }

    // General OCR: malformed or unusable URLs, a format it does not take.
    let gen_client = general(&server.base_url, quick());
    for url in [
        "not a url",
        "ftp://example.com/a.png",
        "http://",
        "https://user@/a.png",
        "https://example.com:8080/a.png",
        "",
    ] {
        let e = gen_client.general(ImageSource::Url(url)).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid(InvalidInput::Field {
                    field: "imageUrl",
                    ..
                })
            ),
            "{url}: {e}"
        );
        gen_client
            .general_cropping(ImageSource::Url(url))
            .await
            .unwrap_err();
    }
    let e = gen_client.general(&gif).await.unwrap_err();
    assert!(matches!(
        refused_image(&e),
        ImageError::UnsupportedFormat { .. }
    ));

    // CLOVA: a multi-page PDF, a GIF.
    let clova_client = clova(&server.base_url, quick());
    let e = clova_client.receipt(&three_page_pdf()).await.unwrap_err();
    assert!(
        matches!(refused_image(&e), ImageError::MultiPage { pages: 3, .. }),
        "{e}"
    );
    let e = clova_client.credit_card(&gif).await.unwrap_err();
    assert!(matches!(
        refused_image(&e),
        ImageError::UnsupportedFormat { .. }
    ));

    assert_eq!(server.total(), 0, "nothing reached the network");
}

#[test]
fn images_are_refused_when_read_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let e = Image::from_path(&missing).unwrap_err();
    assert!(matches!(e, ImageError::Unreadable { .. }));
    assert!(e.to_string().contains("missing.png"), "{e}");
    // A directory is refused before it is opened.
    let e = Image::from_path(dir.path()).unwrap_err();
    assert!(
        matches!(
            e,
            ImageError::NotAFile {
                kind: "a directory",
                ..
            }
        ),
        "{e}"
    );

    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Image::from_path(&empty),
        Err(ImageError::Empty { .. })
    ));

    // Sniffed by content: a text file named .png is not an image.
    let text = dir.path().join("notes.png");
    std::fs::write(&text, b"just text").unwrap();
    let e = Image::from_path(&text).unwrap_err();
    assert!(matches!(e, ImageError::UnknownFormat { .. }), "{e}");
}
