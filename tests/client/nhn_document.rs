//! The real NHN Document OCR v2.0 client over real HTTP on 127.0.0.1,
//! against a server that checks the envelope independently
//! (`tests/support/nhn.rs`: it unwraps `Symmetric-Key` with its RSA
//! private key, decrypts the image and the JSON fields, and encrypts its
//! answers under the request's key).
#![cfg(feature = "emulator")] // needs axum test servers and the emulator

use std::collections::HashSet;
use std::time::Duration;

use crate::support::nhn::{APP_KEY, Document, NhnServer, SECRET_KEY, png};
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::envelope::PublicKey;
use ocrwire::error::{InvalidInput, VendorErrorCode};
use ocrwire::image::ImageError;
use ocrwire::nhn::{DocumentClient, DriverCheck, KeyService, RequestKey, ResidentCheck};
use ocrwire::wire::nhn_document_ocr_v2::{ErrorCode, IdCardResult, IdType};
use ocrwire::{Error, Image};

/// The standard retry policy with millisecond waits, so retries cost the
/// suite no time.
fn quick_retries() -> TransportConfig {
    TransportConfig::default().with_retry(
        RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

fn client(server: &NhnServer) -> DocumentClient {
    client_with(server, quick_retries())
}

fn client_with(server: &NhnServer, transport: TransportConfig) -> DocumentClient {
    DocumentClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(&server.base_url)
        .transport(transport)
        .build()
        .expect("client")
}

fn card_image() -> Image {
    Image::from_bytes("card.png", png("credit card")).expect("image")
}

/// The plaintext keyValues of an ID card result, as (key, value) pairs.
fn key_values(result: &IdCardResult) -> Vec<(String, String)> {
    result
        .key_values
        .iter()
        .flatten()
        .map(|kv| {
            let key = kv.key.as_ref().map(ToString::to_string).unwrap_or_default();
            let value = kv
                .value
                .as_ref()
                .map(|v| v.expose().to_string())
                .unwrap_or_default();
            (key, value)
        })
        .collect()
}

fn vendor_code(e: &Error) -> Option<&VendorErrorCode> {
    e.vendor().map(|v| &v.code)
}

#[tokio::test]
async fn all_five_endpoints_with_a_checked_envelope() {
    let server = NhnServer::start().await;
    let client = client(&server);

    // public-key: what the server publishes, with its version.
    let key = client.public_key(KeyService::CreditCard).await.unwrap();
    let published =
        PublicKey::from_base64_der(&server.public_key_base64("credit-card"), "credit-card-v1")
            .unwrap();
    assert_eq!(key, published);
    assert_eq!(key.version(), server.current_version("credit-card"));

    // credit-card: the image arrives decrypted intact; the answer is plaintext.
    let image = card_image();
    let card = client.credit_card(&image).await.unwrap().into_inner();
    let groups: Vec<&str> = card
        .card_nums
        .iter()
        .flatten()
        .filter_map(|g| g.value.as_ref())
        .map(|v| v.expose())
        .collect();
    assert_eq!(groups, ["1234", "5678", "9012", "3456"]);
    assert_eq!(
        card.total_card_num.unwrap().as_slice()[0],
        "1234567890123456"
    );
    assert_eq!(card.valid_thru.unwrap().value.unwrap(), "12/29");
    let seen = server.attempts();
    assert_eq!(seen.last().unwrap().image.as_deref(), Some(image.bytes()));

    // id-card: a resident card comes with a Request-Key.
    let recognition = client
        .id_card(&Image::from_bytes("id.png", png("id card")).unwrap())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(recognition.result.id_type, Some(IdType::Resident));
    let values = key_values(&recognition.result);
    assert!(
        values.contains(&("residentNumber".into(), "900101-1234567".into())),
        "{values:?}"
    );
    assert!(values.contains(&("name".into(), "홍길동".into())));
    let request_key = recognition
        .request_key
        .expect("resident cards get a Request-Key");
    assert!(!request_key.is_expired());

    // id-card-authenticity: the server decrypts the fields it gets.
    let check = ResidentCheck {
        name: "홍길동".into(),
        resident_number: "9001011234567".into(),
        issue_date: "20190512".into(),
    };
    let verdict = client
        .id_card_authenticity(request_key, check)
        .await
        .unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));
    let seen = server.attempts().pop().unwrap();
    assert_eq!(seen.endpoint, "id-card-authenticity");
    assert_eq!(seen.fields["idType"], "resident");
    assert_eq!(seen.fields["residentNumber"], "9001011234567");
    assert_eq!(seen.fields["issueDate"], "20190512");

    // id-card-stand-alone: same reading, no Request-Key by type.
    let alone: IdCardResult = client
        .id_card_stand_alone(&card_image())
        .await
        .unwrap()
        .into_inner();
    assert_eq!(key_values(&alone), values);

    // One public-key fetch per service; a fresh symmetric key per request.
    assert_eq!(
        (server.fetches("credit-card"), server.fetches("id-card")),
        (1, 1)
    );
    let attempts = server.attempts();
    assert_eq!(attempts.len(), 4);
    assert!(attempts.iter().all(|a| a.result_code == 0), "{attempts:?}");
    let keys: HashSet<[u8; 32]> = attempts
        .iter()
        .map(|a| a.symmetric_key.expect("unwrapped"))
        .collect();
    assert_eq!(keys.len(), 4, "every request has its own symmetric key");
}

#[tokio::test]
async fn a_driver_licence_is_verified_with_its_own_fields() {
    let server = NhnServer::start().await;
    server.set_document(Document::Driver);
    let client = client(&server);
    let recognition = client.id_card(&card_image()).await.unwrap().into_inner();
    assert_eq!(recognition.result.id_type, Some(IdType::Driver));
    let check = DriverCheck {
        name: "홍길동".into(),
        resident_number: "9001011".into(),
        driver_license_number: "111234567890".into(),
        serial_num: Some("A1B2C3".into()),
    };
    let verdict = client
        .id_card_authenticity(recognition.request_key.unwrap(), check)
        .await
        .unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));
    let seen = server.attempts().pop().unwrap();
    assert_eq!(seen.fields["driverLicenseNumber"], "111234567890");
    assert_eq!(seen.fields["serialNum"], "A1B2C3");
    assert!(!seen.fields.contains_key("issueDate"));
}

#[tokio::test]
async fn a_passport_gets_no_request_key() {
    let server = NhnServer::start().await;
    server.set_document(Document::Passport);
    let recognition = client(&server).id_card(&card_image()).await.unwrap();
    assert_eq!(recognition.result.id_type, Some(IdType::Passport));
    assert!(recognition.request_key.is_none());
}

#[tokio::test]
async fn key_rotation_refetches_once_and_reseals_with_a_new_key() {
    let server = NhnServer::start().await;
    let client = client(&server);
    client.credit_card(&card_image()).await.unwrap();
    let new_version = server.rotate("credit-card");

    let card = client.credit_card(&card_image()).await.unwrap();
    assert!(card.card_nums.is_some());
    assert_eq!(server.fetches("credit-card"), 2);
    let attempts = server.attempts();
    let [.., refused, resent] = attempts.as_slice() else {
        panic!("{attempts:?}")
    };
    assert_eq!(refused.result_code, 4000301);
    assert_eq!(refused.key_version.as_deref(), Some("credit-card-v1"));
    assert_eq!(resent.result_code, 0);
    assert_eq!(resent.key_version.as_deref(), Some(new_version.as_str()));
    // A brand-new envelope: another symmetric key, wrapped for the new public key.
    assert_ne!(refused.symmetric_key_header, resent.symmetric_key_header);
    assert_ne!(
        refused.symmetric_key.expect("unwrapped"),
        resent.symmetric_key.expect("unwrapped")
    );
    assert_eq!(
        client
            .public_key(KeyService::CreditCard)
            .await
            .unwrap()
            .version(),
        new_version
    );

    // A second refusal in a row ends the attempt: without retries it
    // surfaces, typed, after one refetch.
    let no_retries = client_with(
        &server,
        TransportConfig::default().with_retry(RetryPolicy::disabled()),
    );
    let fetches = server.fetches("credit-card");
    server.fail_next(4000301);
    server.fail_next(4000301);
    let e = no_retries.credit_card(&card_image()).await.unwrap_err();
    assert_eq!(
        vendor_code(&e),
        Some(&VendorErrorCode::NhnDocumentOcrV2(
            ErrorCode::InvalidKeyVersion
        ))
    );
    // One fetch for the new client's first call, one refetch.
    assert_eq!(server.fetches("credit-card"), fetches + 2);
    let sent = server.attempts().len();
    assert_eq!(sent, attempts.len() + 2);

    // With retries, the code (retryable in the spec) is retried after a
    // backoff, by an attempt that fetches the key again first.
    server.fail_next(4000301);
    server.fail_next(4000301);
    client.credit_card(&card_image()).await.unwrap();
    assert_eq!(server.fetches("credit-card"), fetches + 4);
    let attempts = server.attempts();
    let codes: Vec<_> = attempts[sent..].iter().map(|a| a.result_code).collect();
    assert_eq!(codes, [4000301, 4000301, 0]);
    let keys: HashSet<_> = attempts[sent..]
        .iter()
        .map(|a| a.symmetric_key.expect("unwrapped"))
        .collect();
    assert_eq!(keys.len(), 3, "every send has its own envelope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_fetch_the_public_key_once() {
    let server = NhnServer::start().await;
    let client = client(&server);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (client, image) = (client.clone(), card_image());
        calls.spawn(async move { client.credit_card(&image).await });
    }
    while let Some(outcome) = calls.join_next().await {
        outcome.expect("task").expect("call");
    }
    assert_eq!(server.fetches("credit-card"), 1);
    assert_eq!(server.fetches("id-card"), 0);
    assert_eq!(server.attempts().len(), 8);
}

#[tokio::test]
async fn a_reused_request_key_is_refused_by_the_service_with_a_typed_code() {
    let server = NhnServer::start().await;
    let client = client(&server);
    let key = client
        .id_card(&card_image())
        .await
        .unwrap()
        .into_inner()
        .request_key
        .unwrap();
    // The type cannot be used twice (see its compile_fail example); an application
    // that stored the value and restores it twice gets the vendor's refusal.
    let (value, issued_at) = (key.expose().to_string(), key.issued_at());
    let check = || ResidentCheck {
        name: "홍길동".into(),
        resident_number: "9001011234567".into(),
        issue_date: "20190512".into(),
    };
    client.id_card_authenticity(key, check()).await.unwrap();
    let again = RequestKey::restore(value, issued_at);
    let e = client
        .id_card_authenticity(again, check())
        .await
        .unwrap_err();
    assert_eq!(
        vendor_code(&e),
        Some(&VendorErrorCode::NhnDocumentOcrV2(
            ErrorCode::InvalidRequestKey
        ))
    );
    assert_eq!(
        e.vendor().unwrap().message,
        "Request Key is invalid or expired."
    );
}

#[tokio::test]
async fn an_expired_request_key_is_refused_locally() {
    let server = NhnServer::start().await;
    let client = client(&server);
    let key = client
        .id_card(&card_image())
        .await
        .unwrap()
        .into_inner()
        .request_key
        .unwrap();
    let sent = server.attempts().len();
    // Only the clock moves; nothing below touches the network before the check.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(3600)).await;
    let check = ResidentCheck {
        name: "홍길동".into(),
        resident_number: "9001011234567".into(),
        issue_date: "20190512".into(),
    };
    let e = client.id_card_authenticity(key, check).await.unwrap_err();
    assert!(
        matches!(e, Error::Invalid(InvalidInput::RequestKeyExpired { .. })),
        "{e:?}"
    );
    assert_eq!(server.attempts().len(), sent, "nothing was sent");
}

#[tokio::test]
async fn a_field_that_does_not_decrypt_is_named() {
    let server = NhnServer::start().await;
    server.corrupt("cardNums[2].value");
    let e = client(&server)
        .credit_card(&card_image())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Decrypt { .. }), "{e:?}");
    assert_eq!(e.field_path(), Some("result.cardNums[2].value"));
    assert_eq!(
        e.to_string(),
        "credit-card: cannot decrypt the response: encrypted field `result.cardNums[2].value`: \
         AES-CBC ciphertext of 15 bytes is not a non-empty multiple of 16"
    );

    server.corrupt("keyValues[1].value");
    let e = client(&server)
        .id_card_stand_alone(&card_image())
        .await
        .unwrap_err();
    assert_eq!(e.field_path(), Some("result.keyValues[1].value"));
}

#[tokio::test]
async fn a_vendor_error_surfaces_as_a_typed_code_with_the_vendor_message() {
    let server = NhnServer::start().await;
    // Retryable: the client tries three times (each under a fresh
    // envelope), then returns the last answer.
    for _ in 0..3 {
        server.fail_next(4000006);
    }
    let e = client(&server)
        .credit_card(&card_image())
        .await
        .unwrap_err();
    let attempts = server.attempts();
    assert_eq!(attempts.len(), 3);
    let keys: HashSet<_> = attempts
        .iter()
        .map(|a| a.symmetric_key.expect("unwrapped"))
        .collect();
    assert_eq!(keys.len(), 3);
    let Error::Vendor(vendor) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        vendor.code,
        VendorErrorCode::NhnDocumentOcrV2(ErrorCode::CallLimitExceeded)
    );
    assert!(vendor.is_retryable());
    assert_eq!(vendor.endpoint, "credit-card");
    assert!(vendor.message.starts_with("Api call limit exceeded"));
    assert_eq!(vendor.info().unwrap().code, "4000006");

    // An undocumented code keeps its number, and is not retried.
    server.fail_next(4999999);
    let e = client(&server)
        .credit_card(&card_image())
        .await
        .unwrap_err();
    assert_eq!(server.attempts().len(), 4);
    assert_eq!(
        vendor_code(&e),
        Some(&VendorErrorCode::NhnDocumentOcrV2(ErrorCode::Unknown(
            4999999
        )))
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = NhnServer::start().await;
    let client = client(&server);

    let mut big = png("big");
    let limit = ocrwire::wire::nhn_document_ocr_v2::CREDIT_CARD
        .limits
        .max_file_bytes;
    big.resize(limit.expect("the spec gives a size limit") as usize + 1, 0);
    let e = client
        .credit_card(&Image::from_bytes("big.png", big).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid(InvalidInput::Image(ImageError::TooLarge { .. }))
        ),
        "{e:?}"
    );
    let pdf = Image::from_bytes("scan.pdf", b"%PDF-1.7".to_vec()).unwrap();
    let e = client.id_card(&pdf).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "image `scan.pdf` is pdf; id-card accepts only jpg, jpeg, png"
    );

    let key = client
        .id_card(&card_image())
        .await
        .unwrap()
        .into_inner()
        .request_key
        .unwrap();
    let sent = server.attempts().len();
    let check = ResidentCheck {
        name: "홍길동".into(),
        resident_number: "900101-1234567".into(),
        issue_date: "20190512".into(),
    };
    let e = client.id_card_authenticity(key, check).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Invalid(InvalidInput::Field {
                field: "residentNumber",
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(server.attempts().len(), sent);
    assert_eq!(
        server.fetches("credit-card"),
        0,
        "not even the public key was fetched"
    );
}

#[tokio::test]
async fn wrong_credentials_and_unreachable_hosts_are_typed() {
    let server = NhnServer::start().await;
    let wrong = DocumentClient::builder(Credentials::new(APP_KEY, "not-the-secret"))
        .base_url(&server.base_url)
        .build()
        .unwrap();
    let e = wrong.credit_card(&card_image()).await.unwrap_err();
    assert_eq!(
        vendor_code(&e),
        Some(&VendorErrorCode::NhnDocumentOcrV2(
            ErrorCode::MissingRequiredHeaders
        ))
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = DocumentClient::builder(Credentials::new("app-key-in-the-path", SECRET_KEY))
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let e = offline.credit_card(&card_image()).await.unwrap_err();
    // The key fetch failed first; the error names the call asked for.
    assert!(
        matches!(
            &e,
            Error::Prerequisite {
                endpoint: "credit-card",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(matches!(e.root(), Error::Transport(_)), "{e:?}");
    let shown = format!("{e} {e:?}");
    assert!(
        !shown.contains("app-key-in-the-path") && !shown.contains(SECRET_KEY),
        "{shown}"
    );
}

#[tokio::test]
async fn plaintext_results_stay_redacted_in_debug() {
    let server = NhnServer::start().await;
    let card = client(&server).credit_card(&card_image()).await.unwrap();
    let shown = format!("{card:?}");
    assert!(
        !shown.contains("5678") && !shown.contains("12/29"),
        "{shown}"
    );
    assert!(shown.contains("Sensitive(<redacted>)"));
}

/// The same client against the crate's emulator: an implementation of the
/// service written separately from the client, which also unwraps the
/// envelope with its own private key and seals its answers.
mod against_the_emulator {
    use super::*;
    use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
    use ocrwire::nhn::AuthenticityCheck;
    use ocrwire::wire::nhn_document_ocr_v2 as doc;
    use std::num::NonZeroU64;

    use crate::support::example;

    fn client_of(emulator: &Emulator) -> DocumentClient {
        client_with_transport(emulator, quick_retries())
    }

    fn client_with_transport(emulator: &Emulator, transport: TransportConfig) -> DocumentClient {
        let credentials = emulator.credentials();
        DocumentClient::builder(Credentials::new(
            credentials.nhn_app_key.as_str(),
            credentials.nhn_secret_key.clone(),
        ))
        .base_url(emulator.nhn_base_url())
        .transport(transport)
        .build()
        .expect("client")
    }

    /// The check `ocrwire nhn id-card --verify` sends: the library's own
    /// reading of the recognized items.
    fn check_from(result: &IdCardResult) -> AuthenticityCheck {
        AuthenticityCheck::from_recognition(result).expect("a resident card or licence")
    }

    #[tokio::test]
    async fn all_five_endpoints() {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        let client = client_of(&emulator);

        let key = client.public_key(KeyService::IdCard).await.unwrap();
        assert_eq!(
            Some(key.version().to_string()),
            emulator.key_version("id-card")
        );

        let card = client
            .credit_card(&example("card.png"))
            .await
            .unwrap()
            .into_inner();
        let total = card.total_card_num.expect("total");
        let number = total.as_slice()[0].expose();
        assert!(
            number.len() >= 15 && number.bytes().all(|b| b.is_ascii_digit()),
            "decrypted: {number:?}"
        );

        for (file, id_type) in [
            ("id-card.png", IdType::Resident),
            ("driver-license.png", IdType::Driver),
        ] {
            let recognition = client.id_card(&example(file)).await.unwrap().into_inner();
            assert_eq!(recognition.result.id_type, Some(id_type.clone()), "{file}");
            let check = check_from(&recognition.result);
            let request_key = recognition.request_key.expect("Request-Key");
            let verdict = client
                .id_card_authenticity(request_key, check)
                .await
                .unwrap();
            assert_eq!(verdict.is_authenticity, Some(true), "{file}");
        }

        let passport = client.id_card(&example("passport.png")).await.unwrap();
        assert_eq!(passport.result.id_type, Some(IdType::Passport));
        assert!(passport.request_key.is_none());

        let alone = client
            .id_card_stand_alone(&example("id-card.png"))
            .await
            .unwrap();
        assert_eq!(alone.id_type, Some(IdType::Resident));
        assert!(
            alone
                .key_values
                .iter()
                .flatten()
                .all(|kv| kv.value.is_some())
        );

        assert_eq!(
            emulator.requests(&doc::PUBLIC_KEY),
            2,
            "one fetch per service"
        );
        emulator.shutdown().await.unwrap();
    }

    #[tokio::test]
    async fn key_rotation_is_followed_by_one_refetch_and_a_resend() {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        let client = client_of(&emulator);
        client.credit_card(&example("card.png")).await.unwrap();
        let old = emulator.key_version("credit-card");
        emulator.rotate_keys().await.unwrap();
        assert_ne!(emulator.key_version("credit-card"), old);

        client.credit_card(&example("card.png")).await.unwrap();
        assert_eq!(emulator.requests(&doc::PUBLIC_KEY), 2);
        assert_eq!(
            emulator.requests(&doc::CREDIT_CARD),
            3,
            "first call, refused call, resent call"
        );
        assert_eq!(
            client
                .public_key(KeyService::CreditCard)
                .await
                .unwrap()
                .version(),
            emulator.key_version("credit-card").unwrap()
        );
        emulator.shutdown().await.unwrap();
    }

    #[tokio::test]
    async fn a_request_key_is_good_for_one_check() {
        let emulator = Emulator::start(EmulatorConfig::default())
            .await
            .expect("emulator");
        let client = client_of(&emulator);
        let recognition = client
            .id_card(&example("id-card.png"))
            .await
            .unwrap()
            .into_inner();
        let key = recognition.request_key.unwrap();
        let (value, issued_at) = (key.expose().to_string(), key.issued_at());
        let check = check_from(&recognition.result);
        client
            .id_card_authenticity(key, check.clone())
            .await
            .unwrap();
        let e = client
            .id_card_authenticity(RequestKey::restore(value, issued_at), check)
            .await
            .unwrap_err();
        assert_eq!(
            vendor_code(&e),
            Some(&VendorErrorCode::NhnDocumentOcrV2(
                ErrorCode::InvalidRequestKey
            ))
        );
        emulator.shutdown().await.unwrap();
    }

    #[tokio::test]
    async fn the_rate_limit_arrives_as_a_typed_retryable_code() {
        let config = EmulatorConfig {
            faults: Faults {
                // Call 1 fetches the public key; call 2 is refused.
                rate_limit_every: NonZeroU64::new(2),
                ..Faults::default()
            },
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::start(config).await.expect("emulator");
        let no_retries = TransportConfig::default().with_retry(RetryPolicy::disabled());
        let e = client_with_transport(&emulator, no_retries)
            .credit_card(&example("card.png"))
            .await
            .unwrap_err();
        let vendor = e.vendor().expect("vendor error");
        assert_eq!(
            vendor.code,
            VendorErrorCode::NhnDocumentOcrV2(ErrorCode::CallLimitExceeded)
        );
        assert!(vendor.is_retryable());
        // With retries, call 4 is refused and call 5 answers.
        let card = client_of(&emulator)
            .credit_card(&example("card.png"))
            .await
            .unwrap();
        assert!(card.card_nums.is_some());
        assert_eq!(emulator.total_requests(), 5);
        emulator.shutdown().await.unwrap();
    }
}
