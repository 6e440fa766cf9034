//! CLOVA General and Template OCR clients against the emulator over real
//! HTTP: one image read with typed options, in both encodings, the
//! emulator checking each request against its spec type.
#![cfg(feature = "emulator")]

use crate::support::emulator as emu_support;
use crate::support::example;
use ocrwire::clova::{
    ClovaGeneralClient, ClovaTemplateClient, GeneralOptions, Language, RequestEncoding,
    TemplateOptions,
};

#[tokio::test]
async fn general_and_template_read_an_image_with_typed_options() {
    let emu = emu_support::start().await;
    let url = emu.clova_invoke_url();
    let secret = emu.credentials().clova_secret.expose().to_owned();
    for encoding in [RequestEncoding::Multipart, RequestEncoding::Json] {
        let client = ClovaGeneralClient::builder(&url, secret.clone())
            .encoding(encoding)
            .build()
            .unwrap();
        let options = GeneralOptions::default()
            .languages([Language::Korean, Language::Japanese])
            .table_detection(true);
        let answer = client.read(&example("text.png"), &options).await.unwrap();
        assert!(answer.drift().is_empty(), "{encoding:?}");
        let image = &answer.images.as_ref().unwrap()[0];
        assert!(!image.text().expose().is_empty(), "{encoding:?}");

        let client = ClovaTemplateClient::builder(&url, secret.clone())
            .encoding(encoding)
            .build()
            .unwrap();
        let answer = client
            .read(
                &example("text.png"),
                &TemplateOptions::default().templates([7]),
            )
            .await
            .unwrap();
        let image = &answer.images.as_ref().unwrap()[0];
        assert!(image.matched_template.is_some(), "{encoding:?}");
    }
    // A format the endpoint does not take is refused before sending.
    let client = ClovaGeneralClient::new(&url, secret.clone()).unwrap();
    let gif = ocrwire::Image::from_bytes("a.gif", b"GIF89a\x01\x00\x01\x00".to_vec()).unwrap();
    let e = client
        .read(&gif, &GeneralOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(e, ocrwire::Error::Invalid(_)), "{e}");
}

#[test]
fn the_blocking_twins_read_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emu = runtime.block_on(emu_support::start());
    let url = emu.clova_invoke_url();
    let secret = emu.credentials().clova_secret.expose().to_owned();
    let client =
        ocrwire::blocking::ClovaGeneralClient::build(ClovaGeneralClient::builder(&url, secret))
            .unwrap();
    let answer = client
        .read(&example("text.png"), &GeneralOptions::default())
        .unwrap();
    assert!(answer.images.as_ref().is_some_and(|i| !i.is_empty()));
}
