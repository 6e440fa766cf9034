//! Hostile and malformed requests to every endpoint the descriptors list:
//! each one is routed (no 404), and every answer is the vendor's error shape
//! with a code the spec lists for that endpoint, never a crash or a 5xx.

#![cfg(feature = "emulator")]

use crate::support::emulator::*;
use ocrwire::descriptor::{Endpoint, ErrorShape, Family, Method, ParamValue, Vendor};
use ocrwire::emulator::Emulator;
use ocrwire::wire;
use serde_json::Value;

fn url_of(emu: &Emulator, family: &Family, endpoint: &Endpoint, app_key: &str) -> String {
    match family.vendor {
        Vendor::Nhn => {
            let path = endpoint.render_path(|p| match p.value {
                ParamValue::AppKey => Some(app_key.to_owned()),
                ParamValue::Argument => p.allowed.first().map(|s| (*s).to_owned()),
            });
            let version = family.versions[0];
            format!("{}{}{}", emu.nhn_base_url(), version.path_prefix, path)
        }
        Vendor::Clova => format!("{}{}", emu.clova_invoke_url(), endpoint.path),
    }
}

fn assert_vendor_shaped(family: &Family, endpoint: &Endpoint, status: u16, body: &Value) {
    let code = match family.error_shape {
        ErrorShape::ResultHeader {
            member,
            success,
            code,
            ..
        } => {
            assert_eq!(status, 200, "{}: {body}", endpoint.name);
            if body[member][success] == true {
                return;
            }
            body[member][code].as_i64().unwrap().to_string()
        }
        ErrorShape::StatusAndBody { code, .. } => {
            assert!(
                status == 400 || status == 401,
                "{}: {status} {body}",
                endpoint.name
            );
            body[code].as_str().unwrap().to_owned()
        }
    };
    assert!(
        lists(family, endpoint, &code),
        "{} answered {code}, which the spec does not list: {body}",
        endpoint.name
    );
}

#[tokio::test]
async fn every_endpoint_answers_garbage_in_the_vendor_shape() {
    let emu = start().await;
    let http = http();
    let mut routed = 0;
    for (family, endpoint) in wire::endpoints() {
        routed += 1;
        let key = emu.credentials().nhn_app_key.clone();
        let url = url_of(&emu, family, endpoint, &key);
        let method = match endpoint.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let secret_header = family.versions[0].auth.header.lowercase();
        let secret = match family.vendor {
            Vendor::Nhn => secret(&emu),
            Vendor::Clova => emu.credentials().clova_secret.expose().to_owned(),
        };
        let requests = vec![
            // Nothing at all.
            http.request(method.clone(), &url),
            // Authenticated, with every header garbage and odd bodies.
            http.request(method.clone(), &url)
                .header(secret_header, &secret)
                .header(
                    "X-Key-Version",
                    reqwest::header::HeaderValue::from_bytes(b"\xc3\xa9 not ascii").unwrap(),
                )
                .header("Symmetric-Key", "A".repeat(64 * 1024))
                .header("Request-Key", "../../etc/passwd")
                .header("Content-Type", "multipart/form-data; boundary=nope")
                .body(vec![0xFFu8; 4096]),
            http.request(method.clone(), &url)
                .header(secret_header, &secret)
                .header("Content-Type", "multipart/form-data")
                .body("--x\r\n\r\n"),
            http.request(method.clone(), &url)
                .header(secret_header, &secret)
                .header("Content-Type", "application/json")
                .body("{\"images\": [{\"data\": null}], \"version\": 2}"),
            http.request(method.clone(), &url)
                .header(secret_header, &secret)
                .header("Content-Type", "application/json")
                .body("[".repeat(10_000)),
            // Path variables that are not UTF-8 once decoded, or not ours.
            http.request(method.clone(), url_of(&emu, family, endpoint, "%FF%FE"))
                .header(secret_header, &secret),
            http.request(method.clone(), url_of(&emu, family, endpoint, "a%2Fb"))
                .header(secret_header, &secret),
        ];
        for request in requests {
            let (status, _, body) = json_of(request.send().await.unwrap()).await;
            assert_vendor_shaped(family, endpoint, status, &body);
        }
    }
    // Every endpoint the specs define (a new one is a spec edit, and needs
    // no edit here).
    let all = wire::endpoints().count() as u64;
    assert_eq!(routed, all);
    // Token API calls are not numbered with the OCR calls.
    let token_api = wire::nhn_user_access_key_token::FAMILY.endpoints.len() as u64;
    assert_eq!(emu.total_requests(), (all - token_api) * 7);
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let emu = start().await;
    // Under an NHN version: the family's codes, in its shape (HTTP 200).
    let (status, _, body) = json_of(
        http()
            .get(format!("{}/v2.0/nothing", emu.nhn_base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_nhn_body(&wire::nhn_document_ocr_v2::FAMILY, &body, "4041007");
    let (status, _, body) = json_of(
        http()
            .get(format!("{}/v1.0/appkeys/k/general", emu.nhn_base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_nhn_body(&wire::nhn_general_ocr_v1::FAMILY, &body, "405");
    // Outside every API: a plain 404.
    let response = http()
        .get(format!("{}/nothing", emu.nhn_base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    // Anything under the CLOVA invoke path is the vendor's "Invalid URL".
    let url = format!("{}/document/receipt", emu.clova_invoke_url());
    let (status, _, body) = json_of(http().get(&url).send().await.unwrap()).await;
    let path = reqwest::Url::parse(&url).unwrap().path().to_owned();
    assert_clova_error(
        &wire::clova_document_ocr::FAMILY,
        status,
        &body,
        "0001",
        &path,
    );
}
