//! The crate's CLOVA and NHN General OCR clients against the emulator: they
//! were written independently from the same spec, so this checks that they
//! agree over real HTTP, for every endpoint and both CLOVA encodings.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use ocrwire::client::Credentials;
use ocrwire::clova::{ClovaClient, IdCardKind, RecognitionError, RequestEncoding};
use ocrwire::emulator::Emulator;
use ocrwire::nhn::{GeneralClient, ImageSource};
use ocrwire::wire::clova_document_ocr::{self as clova, InferResult};
use ocrwire::wire::nhn_general_ocr_v1 as general;
use ocrwire::{Error, Image};

fn clova_client(emu: &Emulator, encoding: RequestEncoding, secret: &str) -> ClovaClient {
    ClovaClient::builder(&emu.clova_invoke_url(), secret.to_owned())
        .encoding(encoding)
        .build()
        .unwrap()
}

fn general_client(emu: &Emulator) -> GeneralClient {
    let credentials = Credentials::new(emu.credentials().nhn_app_key.clone(), secret(emu));
    GeneralClient::builder(credentials)
        .base_url(emu.nhn_base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn clova_client_reads_every_document_in_both_encodings() {
    let emu = start().await;
    let secret = emu.credentials().clova_secret.expose().to_owned();
    let receipt = Image::from_bytes("receipt.jpg", RECEIPT_JPG).unwrap();
    for encoding in [RequestEncoding::Multipart, RequestEncoding::Json] {
        let client = clova_client(&emu, encoding, &secret);
        let r = client.receipt(&receipt).await.unwrap();
        assert!(r.document().result.is_some());
        let card = client.credit_card(&receipt).await.unwrap();
        assert_eq!(
            card.document().number().unwrap().expose(),
            "5307123456749012"
        );
        assert!(
            client
                .name_card(&receipt)
                .await
                .unwrap()
                .document()
                .result
                .is_some()
        );
        assert!(
            client
                .biz_license(&receipt)
                .await
                .unwrap()
                .document()
                .result
                .is_some()
        );
        assert!(
            client
                .passport(&receipt)
                .await
                .unwrap()
                .document()
                .passport_result
                .is_some()
        );
        for (bytes, kind) in [
            (ID_CARD_PNG, IdCardKind::ResidentCard),
            (DRIVER_PNG, IdCardKind::DriverLicense),
            (PASSPORT_PNG, IdCardKind::Passport),
            (ALIEN_PNG, IdCardKind::AlienCard),
        ] {
            let image = Image::from_bytes("id.png", bytes).unwrap();
            let id = client.id_card(&image).await.unwrap();
            assert_eq!(id.document().kind(), Some(kind));
        }
    }
    assert_eq!(emu.requests(&clova::ID_CARD), 8);
}

#[tokio::test]
async fn clova_client_sees_failures_and_vendor_errors() {
    let emu = start().await;
    let secret = emu.credentials().clova_secret.expose().to_owned();
    let client = clova_client(&emu, RequestEncoding::Multipart, &secret);
    let unreadable = Image::from_bytes("unreadable.png", UNREADABLE_PNG).unwrap();
    match client.receipt(&unreadable).await.unwrap_err() {
        Error::Recognition(RecognitionError::NotRecognized { infer_result, .. }) => {
            assert_eq!(infer_result, InferResult::Failure);
        }
        other => panic!("expected a recognition failure, got {other:?}"),
    }

    let wrong = clova_client(&emu, RequestEncoding::Json, "not-the-secret");
    let err = wrong.receipt(&unreadable).await.unwrap_err();
    let vendor = err.vendor().expect("a vendor error");
    assert_eq!(vendor.code.code(), "0002");
    assert_eq!(vendor.http_status, 401);
}

#[tokio::test]
async fn general_client_reads_files_and_urls() {
    let emu = start().await;
    let client = general_client(&emu);
    let text = Image::from_bytes("text.png", TEXT_PNG).unwrap();
    let result = client.general(&text).await.unwrap();
    assert_eq!(result.file_type.as_deref(), Some("png"));
    assert!(result.lines().count() >= 1);
    let long = Image::from_bytes("long-text.png", LONG_TEXT_PNG).unwrap();
    let cropped = client.general_cropping(&long).await.unwrap();
    assert_eq!(cropped.slices_images, Some(4));

    let url = ImageSource::Url("https://example.com/example.jpg");
    let by_url = client.general(url).await.unwrap();
    assert_eq!(by_url.file_type.as_deref(), Some("jpg"));
    assert_eq!(by_url.lines().count(), 3, "the vendor's example for a URL");
    assert_eq!(
        client.general_cropping(url).await.unwrap().slices_images,
        Some(1)
    );

    let err = client
        .general(ImageSource::Url("https://example.com/a.gif"))
        .await
        .unwrap_err();
    assert_eq!(err.vendor().expect("a vendor error").code.code(), "4000003");
    assert_eq!(emu.requests(&general::GENERAL), 3);
}
