//! The crate's own NHN Document OCR client against the emulator: the two
//! were written independently from the same spec, so this checks that they
//! agree on the envelope, the Request-Key and key rotation over real HTTP.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use ocrwire::Image;
use ocrwire::client::Credentials;
use ocrwire::emulator::Emulator;
use ocrwire::nhn::{AuthenticityCheck, DocumentClient};
use ocrwire::wire::nhn_document_ocr_v2::{self as doc, IdType};

fn client(emu: &Emulator, secret: &str) -> DocumentClient {
    let credentials = Credentials::new(emu.credentials().nhn_app_key.clone(), secret.to_owned());
    DocumentClient::builder(credentials)
        .base_url(emu.nhn_base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_client_reads_every_endpoint_of_the_emulator() {
    let emu = start().await;
    let client = client(&emu, &secret(&emu));

    let card = client
        .credit_card(&Image::from_bytes("card.png", CARD_PNG).unwrap())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(card.card_nums.unwrap()[0].value.as_ref().unwrap(), "1111");

    let stand_alone = client
        .id_card_stand_alone(&Image::from_bytes("id.png", ID_CARD_PNG).unwrap())
        .await
        .unwrap();
    assert_eq!(stand_alone.id_type, Some(IdType::Resident));

    // Resident card -> Request-Key -> authenticity with the recognized values.
    let resident = client
        .id_card(&Image::from_bytes("id.png", ID_CARD_PNG).unwrap())
        .await
        .unwrap()
        .into_inner();
    let check = AuthenticityCheck::from_recognition(&resident.result).unwrap();
    assert!(matches!(check, AuthenticityCheck::Resident(_)));
    let verdict = client
        .id_card_authenticity(resident.request_key.unwrap(), check)
        .await
        .unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));

    // Driver's licence, the same way.
    let driver = client
        .id_card(&Image::from_bytes("dl.png", DRIVER_PNG).unwrap())
        .await
        .unwrap()
        .into_inner();
    let check = AuthenticityCheck::from_recognition(&driver.result).unwrap();
    let AuthenticityCheck::Driver(driver_check) = &check else {
        panic!("a driver's licence gives a driver check")
    };
    assert!(
        driver_check.serial_num.is_some(),
        "the recognized serial goes along"
    );
    let verdict = client
        .id_card_authenticity(driver.request_key.unwrap(), check)
        .await
        .unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));

    // Passports get no Request-Key.
    let passport = client
        .id_card(&Image::from_bytes("pp.png", PASSPORT_PNG).unwrap())
        .await
        .unwrap();
    assert!(passport.request_key.is_none());
    assert_eq!(passport.result.id_type, Some(IdType::Passport));

    // One key fetch per service, then cached.
    assert_eq!(emu.requests(&doc::PUBLIC_KEY), 2);
}

#[tokio::test]
async fn the_client_refetches_the_key_after_a_rotation() {
    let emu = start().await;
    let client = client(&emu, &secret(&emu));
    let image = Image::from_bytes("card.png", CARD_PNG).unwrap();
    client.credit_card(&image).await.unwrap();
    emu.rotate_keys().await.unwrap();
    client.credit_card(&image).await.unwrap();
    // The stale call answered 4000301, the client fetched the new key once
    // and sent the call again.
    assert_eq!(emu.requests(&doc::PUBLIC_KEY), 2);
    assert_eq!(emu.requests(&doc::CREDIT_CARD), 3);
}

#[tokio::test]
async fn emulator_errors_reach_the_client_typed() {
    let emu = start().await;
    let client = client(&emu, "not-the-secret");
    let err = client
        .credit_card(&Image::from_bytes("card.png", CARD_PNG).unwrap())
        .await
        .unwrap_err();
    let vendor = err.vendor().expect("a vendor error");
    let refused = credential_refusal(&doc::V2_0);
    assert_eq!(vendor.code.code(), refused);
    assert_eq!(vendor.message, doc::FAMILY.error(refused).unwrap().message);
}
