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
                &TemplateOptions::default().templates([1]),
            )
            .await
            .unwrap();
        let image = &answer.images.as_ref().unwrap()[0];
        assert_eq!(
            image.matched_template.as_ref().and_then(|t| t.id),
            Some(1),
            "{encoding:?}"
        );
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

/// What the emulator answers depends on the request and on the domain's
/// settings: tables only when asked (0028 when the domain's option is
/// off), the matched template from the requested ids (1021 when none is
/// released).
#[tokio::test]
async fn tables_and_templates_follow_the_request_and_the_domain() {
    use ocrwire::emulator::EmulatorConfig;
    use ocrwire::error::VendorErrorCode;
    use ocrwire::wire::{clova_general_ocr, clova_template_ocr};
    let code = |e: &ocrwire::Error| e.vendor().map(|v| v.code.clone());

    let emu = emu_support::start_with(EmulatorConfig {
        clova_templates: Some(vec![7, 9]),
        ..EmulatorConfig::default()
    })
    .await;
    let url = emu.clova_invoke_url();
    let secret = emu.credentials().clova_secret.expose().to_owned();
    let general = ClovaGeneralClient::new(&url, secret.clone()).unwrap();
    let plain = general
        .read(&example("text.png"), &GeneralOptions::default())
        .await
        .unwrap();
    assert!(
        plain.images.as_ref().unwrap()[0].tables.is_none(),
        "no tables unless asked"
    );
    let asked = general
        .read(
            &example("text.png"),
            &GeneralOptions::default().table_detection(true),
        )
        .await
        .unwrap();
    assert!(!asked.images.as_ref().unwrap()[0].tables().is_empty());

    let template = ClovaTemplateClient::new(&url, secret.clone()).unwrap();
    for (requested, matched) in [(vec![], 7), (vec![9], 9), (vec![5, 9], 9)] {
        let answer = template
            .read(
                &example("text.png"),
                &TemplateOptions::default().templates(requested.clone()),
            )
            .await
            .unwrap();
        let image = &answer.images.as_ref().unwrap()[0];
        assert_eq!(
            image.matched_template.as_ref().and_then(|t| t.id),
            Some(matched),
            "{requested:?}"
        );
    }
    let e = template
        .read(
            &example("text.png"),
            &TemplateOptions::default().templates([5]),
        )
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        Some(VendorErrorCode::ClovaTemplateOcr(
            clova_template_ocr::ErrorCode::DeployInfoNotFound
        ))
    );

    // A domain with its table option off, and none released.
    let emu = emu_support::start_with(EmulatorConfig {
        clova_table_detection: false,
        clova_templates: Some(Vec::new()),
        ..EmulatorConfig::default()
    })
    .await;
    let url = emu.clova_invoke_url();
    let general = ClovaGeneralClient::new(&url, secret.clone()).unwrap();
    let e = general
        .read(
            &example("text.png"),
            &GeneralOptions::default().table_detection(true),
        )
        .await
        .unwrap_err();
    assert_eq!(
        code(&e),
        Some(VendorErrorCode::ClovaGeneralOcr(
            clova_general_ocr::ErrorCode::TableDetectionDisabled
        ))
    );
    general
        .read(&example("text.png"), &GeneralOptions::default())
        .await
        .unwrap();
    let template = ClovaTemplateClient::new(&url, secret).unwrap();
    let e = template
        .read(&example("text.png"), &TemplateOptions::default())
        .await
        .unwrap_err();
    assert!(code(&e).is_some(), "{e}");
}
