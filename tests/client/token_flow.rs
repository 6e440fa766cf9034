//! The User Access Key token flow of NHN's v2.1/v1.1 APIs, against a local
//! server that checks it as the docs describe (`crate::support::token`) and
//! against the emulator: one issuance for many concurrent first calls,
//! renewal before expiry, a new token and one resend after 4010006, the
//! secret-key header never on a token path, revocation.
#![cfg(feature = "emulator")]

use std::sync::Arc;
use std::time::Duration;

use crate::support::token::{APP_KEY, KEY_ID, SECRET_ACCESS_KEY, TokenServer};
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::nhn::GeneralClient;
use ocrwire::wire::nhn_general_ocr_v1::ErrorCode as GeneralCode;
use ocrwire::wire::nhn_user_access_key_token::ErrorCode as TokenCode;
use ocrwire::{Error, Image};

fn image() -> Image {
    Image::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/text.png")).unwrap()
}

fn client(server: &TokenServer, key_id: &str, secret: &str) -> GeneralClient {
    GeneralClient::builder(Credentials::user_access_key(APP_KEY, key_id, secret))
        .base_url(server.base_url.clone())
        .oauth_base_url(server.base_url.clone())
        .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
        .build()
        .unwrap()
}

fn ocr_calls(server: &TokenServer) -> Vec<crate::support::token::Seen> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.endpoint == "general")
        .collect()
}

#[tokio::test]
async fn concurrent_first_calls_share_one_issuance_and_clones_share_the_token() {
    let server = TokenServer::start(Duration::from_secs(3600)).await;
    let client = Arc::new(client(&server, KEY_ID, SECRET_ACCESS_KEY));
    assert_eq!(client.api_version(), "v1.1");
    let image = Arc::new(image());
    let mut calls = Vec::new();
    for _ in 0..8 {
        let (client, image) = (Arc::clone(&client), Arc::clone(&image));
        calls.push(tokio::spawn(async move { client.general(&*image).await }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let clone = (*client).clone();
    clone.general(&*image).await.unwrap();
    assert_eq!(server.issued(), 1, "one token for every call and clone");
    let ocr = ocr_calls(&server);
    assert_eq!(ocr.len(), 9);
    assert!(ocr.iter().all(|s| s.result_code == 0));
}

#[tokio::test]
async fn headers_travel_where_the_docs_say_and_nowhere_else() {
    let server = TokenServer::start(Duration::from_secs(3600)).await;
    client(&server, KEY_ID, SECRET_ACCESS_KEY)
        .general(&image())
        .await
        .unwrap();
    for seen in server.seen() {
        match seen.endpoint {
            "create" => {
                assert!(seen.header("authorization").unwrap().starts_with("Basic "));
                assert_eq!(
                    seen.header("content-type"),
                    Some("application/x-www-form-urlencoded")
                );
                assert_eq!(seen.body, b"grant_type=client_credentials");
                assert_eq!(seen.header("x-nhn-authorization"), None);
            }
            "general" => {
                // The secret-key header of v1.0 is never sent on a token path.
                assert_eq!(seen.header("authorization"), None);
                let bearer = seen.header("x-nhn-authorization").unwrap();
                assert!(bearer.starts_with("Bearer token-1-"), "{bearer}");
                assert!(!bearer.contains(SECRET_ACCESS_KEY));
            }
            other => panic!("unexpected {other}"),
        }
    }
}

#[tokio::test]
async fn a_token_is_renewed_before_it_expires() {
    // Two-second tokens: renewed a tenth of their life (0.2 s) before they end.
    let server = TokenServer::start(Duration::from_secs(2)).await;
    let client = client(&server, KEY_ID, SECRET_ACCESS_KEY);
    client.general(&image()).await.unwrap();
    client.general(&image()).await.unwrap();
    assert_eq!(server.issued(), 1);
    tokio::time::sleep(Duration::from_millis(1900)).await;
    client.general(&image()).await.unwrap();
    assert_eq!(server.issued(), 2, "renewed inside the margin");
    // The server never saw an expired token.
    assert!(ocr_calls(&server).iter().all(|s| s.result_code == 0));
}

#[tokio::test]
async fn a_refused_token_is_replaced_and_the_call_sent_again_once() {
    let server = TokenServer::start(Duration::from_secs(3600)).await;
    let client = client(&server, KEY_ID, SECRET_ACCESS_KEY);
    client.general(&image()).await.unwrap();
    server.revoke_all();
    client.general(&image()).await.unwrap();
    assert_eq!(server.issued(), 2);
    let codes: Vec<i64> = ocr_calls(&server).iter().map(|s| s.result_code).collect();
    assert_eq!(codes, [0, 4_010_006, 0]);

    // A service that refuses every token: one new token, one resend, then
    // the refusal, typed. No loop.
    server.refuse_all();
    let e = client.general(&image()).await.unwrap_err();
    let vendor = e.vendor().expect("a vendor error");
    assert_eq!(
        vendor.code,
        ocrwire::error::VendorErrorCode::NhnGeneralOcrV1(GeneralCode::InvalidToken)
    );
    assert_eq!(server.issued(), 3);
    assert_eq!(ocr_calls(&server).len(), 5);
}

#[tokio::test]
async fn a_wrong_key_pair_is_a_typed_token_api_error_without_the_secret() {
    let server = TokenServer::start(Duration::from_secs(3600)).await;
    let client = client(&server, KEY_ID, "not-the-secret-access-key");
    let e = client.general(&image()).await.unwrap_err();
    // The call asked for, what it needed, then the token API's refusal.
    let Error::Prerequisite {
        endpoint: "general",
        needed: ocrwire::error::Prerequisite::AccessToken,
        source,
    } = &e
    else {
        panic!("{e:?}")
    };
    let Error::Vendor(vendor) = source.as_ref() else {
        panic!("{e:?}")
    };
    assert!(
        e.to_string()
            .starts_with("general: could not get an access token first: create-token: "),
        "{e}"
    );
    assert_eq!(
        vendor.code,
        ocrwire::error::VendorErrorCode::NhnUserAccessKeyToken(TokenCode::InvalidClient)
    );
    assert_eq!(vendor.http_status, 401);
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains("not-the-secret-access-key"), "{shown}");
    assert!(!shown.contains(KEY_ID), "{shown}");
    assert!(ocr_calls(&server).is_empty(), "no OCR call without a token");
}

#[tokio::test]
async fn revoking_the_token_sends_it_to_the_token_api() {
    let server = TokenServer::start(Duration::from_secs(3600)).await;
    let client = client(&server, KEY_ID, SECRET_ACCESS_KEY);
    assert!(!client.revoke_token().await.unwrap(), "no token yet");
    client.general(&image()).await.unwrap();
    assert!(client.revoke_token().await.unwrap());
    let revoked = server.revoked();
    assert_eq!(revoked.len(), 1);
    let token = revoked.iter().next().unwrap();
    let revoke = server
        .seen()
        .into_iter()
        .find(|s| s.endpoint == "revoke")
        .unwrap();
    assert_eq!(revoke.body, format!("token={token}").into_bytes());
    assert!(
        revoke
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
    // The next call gets a new one.
    client.general(&image()).await.unwrap();
    assert_eq!(server.issued(), 2);
}

/// Against the emulator: Document OCR v2.1 end to end, an authenticity
/// check refused for its token is resent and its Request-Key still works
/// (a refused check did not run).
#[tokio::test]
async fn document_ocr_v2_1_with_the_emulator_survives_revoked_tokens() {
    use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
    use ocrwire::nhn::{AuthenticityCheck, DocumentClient};
    // Every token is revoked after two calls made with it: the public key
    // and the id-card read; the authenticity check then needs a new one.
    let emulator = Emulator::start(EmulatorConfig {
        faults: Faults {
            revoke_tokens_after: std::num::NonZeroU64::new(2),
            ..Faults::default()
        },
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let credentials = emulator.credentials();
    let client = DocumentClient::builder(Credentials::user_access_key(
        credentials.nhn_app_key.as_str(),
        credentials.user_access_key_id.clone(),
        credentials.secret_access_key.clone(),
    ))
    .base_url(emulator.nhn_base_url())
    .oauth_base_url(emulator.oauth_base_url())
    .build()
    .unwrap();
    assert_eq!(client.api_version(), "v2.1");
    let licence = Image::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/driver-license.png"
    ))
    .unwrap();
    // public-key and id-card use the first token; it is then revoked.
    let recognition = client.id_card(&licence).await.unwrap().into_inner();
    let request_key = recognition
        .request_key
        .expect("a licence gets a Request-Key");
    let check = AuthenticityCheck::from_recognition(&recognition.result).unwrap();
    // Refused (4010006), a new token, resent: the Request-Key is unspent.
    let verdict = client
        .id_card_authenticity(request_key, check)
        .await
        .unwrap();
    assert_eq!(verdict.is_authenticity, Some(true));
    assert_eq!(emulator.tokens_issued(), 2);
}

/// A token longer than the crate keeps is refused, not stored and sent.
#[tokio::test]
async fn an_oversized_token_is_refused() {
    let issuer = crate::support::Served::start(axum::Router::new().fallback(|| async {
        axum::Json(serde_json::json!({
            "access_token": "t".repeat(5000), "token_type": "Bearer", "expires_in": 86400
        }))
    }))
    .await;
    let client = GeneralClient::builder(Credentials::user_access_key(
        APP_KEY,
        KEY_ID,
        SECRET_ACCESS_KEY,
    ))
    .base_url(issuer.url())
    .oauth_base_url(issuer.url())
    .transport(TransportConfig::default().with_retry(RetryPolicy::disabled()))
    .build()
    .unwrap();
    let e = client.general(&image()).await.unwrap_err();
    assert!(matches!(e.root(), Error::MalformedResponse { .. }), "{e:?}");
    assert!(e.to_string().contains("longer than 4096 bytes"), "{e}");
}
