//! A caller's own `reqwest::Client`: through a forward proxy on 127.0.0.1
//! to the emulator, with the ocrwire User-Agent (or the caller's), and a
//! client that follows redirects is caught.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use ocrwire::Error;
use ocrwire::client::{Credentials, DEFAULT_USER_AGENT};
use ocrwire::emulator::{Emulator, EmulatorConfig};
use ocrwire::error::TransportError;
use ocrwire::nhn::{DocumentClient, GeneralClient};

use crate::support::{Served, example};

/// What the proxy forwarded: the absolute URI and the User-Agent.
#[derive(Default)]
struct Log(Mutex<Vec<(String, String)>>);

/// A plain-HTTP forward proxy: requests arrive in absolute form
/// (`POST http://127.0.0.1:port/...`) and are sent on as they are.
async fn forward(
    State(log): State<Arc<Log>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let agent = headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    log.0.lock().unwrap().push((uri.to_string(), agent));
    let upstream = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut request = upstream.request(method, uri.to_string()).body(body);
    for (name, value) in &headers {
        if name != "host" {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
    (status, answer.bytes().await.unwrap()).into_response()
}

fn credentials(emulator: &Emulator) -> Credentials {
    let c = emulator.credentials();
    Credentials::new(c.nhn_app_key.as_str(), c.nhn_secret_key.expose().to_owned())
}

#[tokio::test]
async fn calls_go_through_the_callers_client_and_its_proxy() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let log = Arc::new(Log::default());
    let proxy = Served::start(
        axum::Router::new()
            .fallback(forward)
            .with_state(Arc::clone(&log)),
    )
    .await;
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(proxy.url()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // The envelope's key fetch and the sealed call both pass the proxy.
    let document = DocumentClient::builder(credentials(&emulator))
        .base_url(emulator.nhn_base_url())
        .http_client(http.clone())
        .build()
        .unwrap();
    let card = document.credit_card(&example("card.png")).await.unwrap();
    assert!(card.number().is_some());
    let seen = std::mem::take(&mut *log.0.lock().unwrap());
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[0].0.contains("/public-keys/credit-card"), "{seen:?}");
    assert!(seen[1].0.ends_with("/credit-card"), "{seen:?}");
    assert!(seen.iter().all(|(_, agent)| agent == DEFAULT_USER_AGENT));
    assert!(DEFAULT_USER_AGENT.starts_with("ocrwire/"));

    // The caller's own User-Agent replaces ocrwire's.
    let general = GeneralClient::builder(credentials(&emulator))
        .base_url(emulator.nhn_base_url())
        .http_client(http)
        .user_agent("acme-batch/2.1 ocrwire")
        .build()
        .unwrap();
    general.general(&example("text.png")).await.unwrap();
    let seen = std::mem::take(&mut *log.0.lock().unwrap());
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].1, "acme-batch/2.1 ocrwire");
}

#[tokio::test]
async fn a_client_that_follows_redirects_is_caught() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let target = format!("{}/v1.0/appkeys/x/general", emulator.nhn_base_url());
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let redirecting = Served::start(axum::Router::new().fallback(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let target = target.clone();
        async move { (StatusCode::FOUND, [("location", target)]) }
    }))
    .await;
    let general = GeneralClient::builder(credentials(&emulator))
        .base_url(redirecting.url())
        // reqwest's default policy follows up to 10 redirects.
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let e = general.general(&example("text.png")).await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Redirected {
                endpoint: "general"
            })
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("redirect::Policy::none()"), "{e}");
    // Retrying cannot help: one attempt only.
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn an_unsendable_user_agent_is_refused_when_building() {
    let e = GeneralClient::builder(Credentials::new("a", "s"))
        .user_agent("bad\nagent")
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the user_agent setting is not valid in an HTTP header"
    );
}
