//! [`Transport`]: one HTTP client bound to one base URL, with timeouts and a
//! cap on response size.
//!
//! Everything here is family-neutral: it moves bytes and classifies network
//! failures. Auth, the envelope and the vendor's error shapes live one layer
//! up, in the runtime, so a retry policy (issue 6) can wrap this one call.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use url::Url;

use super::{RetryPolicy, Settings};
use crate::descriptor::Method;
use crate::error::{Error, InvalidInput, Timer, TransportError};

/// Network settings shared by every call of a client.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TransportConfig {
    /// Time allowed to establish a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed for one exchange (one attempt), upload and download
    /// included.
    pub request_timeout: Duration,
    /// Time allowed for a whole call: every attempt, the waits between
    /// them and any public-key fetch. Past it the call ends with
    /// [`TransportError::Deadline`].
    pub deadline: Duration,
    /// Largest response body accepted, in bytes.
    pub max_response_bytes: u64,
    /// Which failures are retried, how often and how patiently.
    pub retry: RetryPolicy,
}

impl Default for TransportConfig {
    /// 10 s to connect; 60 s per exchange, because recognition of a 20 MB
    /// image takes seconds on the service side; 120 s per call, room for a
    /// slow attempt and two quick retries without leaving a caller waiting
    /// unboundedly; 8 MiB of response, far above any documented answer (a
    /// few KB for NHN, hundreds of KB for a long CLOVA receipt) yet small
    /// enough that a misbehaving server cannot exhaust memory; the standard
    /// [`RetryPolicy`].
    fn default() -> Self {
        TransportConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            deadline: Duration::from_secs(120),
            max_response_bytes: 8 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

impl TransportConfig {
    /// Sets the time one call may take in all, retries and waits included.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the time a connection may take to open (TCP and TLS).
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the time one attempt may take, from sending to the end of the answer.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the largest answer body read, in bytes; a larger one is an error.
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }
}

/// A request body, already sealed where the envelope applies.
pub(crate) enum Body {
    Empty,
    Json(bytes::Bytes),
    /// `application/x-www-form-urlencoded`; it may carry a token to
    /// revoke, so this copy is wiped when dropped.
    Form(zeroize::Zeroizing<Vec<u8>>),
    Multipart(reqwest::multipart::Form),
    /// A body produced as it is sent (JSON with Base64 data in it).
    Stream {
        content_type: &'static str,
        pieces: super::upload::Pieces,
    },
}

/// An HTTP answer, read in full (within the cap).
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Checked in [`new`](Self::new): `http(s)`, no credentials, query or
    /// fragment. Each request's URL is this one with its path set, which
    /// cannot fail: a URL that can be a base takes any path.
    base: Url,
    config: TransportConfig,
    user_agent: reqwest::header::HeaderValue,
}

impl Transport {
    /// # Errors
    ///
    /// [`InvalidInput::BaseUrl`] for a URL that is not plain `http(s)`
    /// without credentials, query or fragment; [`TransportError::Http`] if
    /// the HTTP stack cannot be initialised.
    pub(crate) fn new(base_url: &str, settings: &Settings) -> Result<Transport, Error> {
        let config = settings.transport.clone();
        let bad = |problem: &str| InvalidInput::BaseUrl {
            url: crate::text::url_for_display(base_url),
            problem: problem.to_string(),
        };
        let url = Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https").into());
        }
        if !url.username().is_empty() || url.password().is_some() {
            // URLs end up in proxies' and servers' logs; credentials go in headers.
            return Err(bad("must not contain credentials").into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not have a query or a fragment").into());
        }
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        let user_agent =
            reqwest::header::HeaderValue::from_str(&settings.user_agent).map_err(|_| {
                InvalidInput::Setting {
                    setting: "user_agent",
                    problem: "is not valid in an HTTP header",
                }
            })?;
        let http = match &settings.http {
            // The caller's client, with its proxy, certificates and default
            // headers. Timeouts per attempt are set on each request, so
            // they hold for it too.
            Some(http) => http.clone(),
            None => {
                let mut builder = reqwest::Client::builder()
                    .connect_timeout(config.connect_timeout)
                    // The APIs never redirect; following one would resend
                    // the secret key and the envelope to wherever it
                    // points.
                    .redirect(reqwest::redirect::Policy::none());
                if loopback {
                    // A local emulator must not be reached through a
                    // system proxy.
                    builder = builder.no_proxy();
                }
                builder.build().map_err(|source| TransportError::Http {
                    endpoint: "(client setup)",
                    source: source.without_url(),
                })?
            }
        };
        Ok(Transport {
            http,
            base: url,
            config,
            user_agent,
        })
    }

    /// The base URL with `path` (rendered, percent-encoded, starting with
    /// a slash) after the base's own path.
    fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}{path}", self.base.path().trim_end_matches('/')));
        url
    }

    /// Sends one request and reads the whole answer, whatever its status.
    ///
    /// `path` is already rendered and percent-encoded. Errors never carry
    /// the URL: it holds the app key.
    pub(crate) async fn send(
        &self,
        endpoint: &'static str,
        method: Method,
        path: &str,
        headers: HeaderMap,
        body: Body,
    ) -> Result<RawResponse, Error> {
        let url = self.url(path);
        let method = match method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut request = self
            .http
            .request(method, url.clone())
            .timeout(self.config.request_timeout)
            .header(reqwest::header::USER_AGENT, self.user_agent.clone())
            .headers(headers);
        request = match body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes),
            // The form carries a token (the revocation's): it is handed
            // over as its own `Zeroizing` buffer, wiped when the last
            // reference to it goes, not copied. (What the HTTP and TLS
            // layers buffer of it is theirs.)
            Body::Form(bytes) => request
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(bytes::Bytes::from_owner(bytes)),
            Body::Multipart(form) => request.multipart(form),
            Body::Stream {
                content_type,
                pieces,
            } => request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .header(reqwest::header::CONTENT_LENGTH, pieces.len())
                .body(pieces.into_body()),
        };
        let started = Instant::now();
        let mut response = request
            .send()
            .await
            .map_err(|e| self.classify(endpoint, e, started.elapsed()))?;
        if response.url() != &url {
            // Only a caller's own client can have followed a redirect.
            return Err(TransportError::Redirected { endpoint }.into());
        }
        let status = response.status().as_u16();
        let limit = self.config.max_response_bytes;
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(TransportError::BodyTooLarge { endpoint, limit }.into());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.classify(endpoint, e, started.elapsed()))?
        {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(TransportError::BodyTooLarge { endpoint, limit }.into());
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            endpoint,
            status,
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "answer received"
        );
        Ok(RawResponse {
            status,
            headers: std::mem::take(response.headers_mut()),
            body: Bytes::from(body),
        })
    }

    /// A failure of the HTTP stack, `elapsed` into the exchange. A timeout
    /// names the timer that really fired: ours, or the network's when it
    /// came before ours could have.
    fn classify(&self, endpoint: &'static str, error: reqwest::Error, elapsed: Duration) -> Error {
        let error = error.without_url();
        let transport = if error.is_timeout() {
            let connecting = error.is_connect();
            // A little slack: timers fire a few milliseconds late or early.
            let ours = self
                .config
                .request_timeout
                .saturating_sub(Duration::from_millis(50));
            let (timer, after) = if connecting {
                (Timer::Connect, self.config.connect_timeout)
            } else if elapsed >= ours {
                (Timer::Request, self.config.request_timeout)
            } else {
                (
                    Timer::Network,
                    Duration::from_millis(elapsed.as_millis() as u64),
                )
            };
            TransportError::Timeout {
                endpoint,
                after,
                connecting,
                timer,
            }
        } else if error.is_connect() {
            TransportError::Connect {
                endpoint,
                source: error,
            }
        } else {
            TransportError::Http {
                endpoint,
                source: error,
            }
        };
        transport.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        let ok =
            Transport::new("https://ocr.api.nhncloudservice.com/", &Settings::default()).unwrap();
        assert_eq!(ok.base.as_str(), "https://ocr.api.nhncloudservice.com/");
        let prefixed =
            Transport::new("http://127.0.0.1:8080/proxy/", &Settings::default()).unwrap();
        assert_eq!(prefixed.base.as_str(), "http://127.0.0.1:8080/proxy/");
        // A path goes after the base's own, its percent-encoding kept; a
        // `?` in it would be a character of the path, never a query.
        assert_eq!(
            ok.url("/v2.0/appkeys/a%2Fb/credit-card").as_str(),
            "https://ocr.api.nhncloudservice.com/v2.0/appkeys/a%2Fb/credit-card"
        );
        assert_eq!(
            prefixed.url("/v1/x?y").as_str(),
            "http://127.0.0.1:8080/proxy/v1/x%3Fy"
        );
        for bad in [
            "ftp://example.com",
            "https://user:pw@example.com",
            "https://example.com/?a=1",
            "not a url",
        ] {
            let e = Transport::new(bad, &Settings::default()).unwrap_err();
            assert!(
                matches!(e, Error::Invalid(InvalidInput::BaseUrl { .. })),
                "{bad}: {e}"
            );
        }
    }

    #[tokio::test]
    async fn connection_failures_are_typed_and_never_show_the_url() {
        // Bind then drop a listener to get a port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let transport =
            Transport::new(&format!("http://127.0.0.1:{port}"), &Settings::default()).unwrap();
        let e = transport
            .send(
                "credit-card",
                Method::Get,
                "/v2.0/appkeys/SECRET-APP-KEY/x",
                HeaderMap::new(),
                Body::Empty,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(e, Error::Transport(TransportError::Connect { .. })),
            "{e:?}"
        );
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("SECRET-APP-KEY"), "{shown}");
    }

    #[tokio::test]
    async fn slow_and_oversized_answers_are_cut_off() {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            // First connection: answer with a body over the cap. Second: never answer.
            let mut held = Vec::new();
            for i in 0..2 {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                if i == 0 {
                    let body = "x".repeat(2048);
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                }
                held.push(socket);
            }
            tokio::time::sleep(Duration::from_secs(10)).await;
        });
        let config = TransportConfig::default()
            .with_max_response_bytes(1024)
            .with_request_timeout(Duration::from_millis(300));
        let settings = Settings {
            transport: config,
            ..Settings::default()
        };
        let transport = Transport::new(&format!("http://{addr}"), &settings).unwrap();
        let e = transport
            .send(
                "id-card",
                Method::Get,
                "/big",
                HeaderMap::new(),
                Body::Empty,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport(TransportError::BodyTooLarge { limit: 1024, .. })
            ),
            "{e:?}"
        );
        let e = transport
            .send(
                "id-card",
                Method::Get,
                "/slow",
                HeaderMap::new(),
                Body::Empty,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport(TransportError::Timeout {
                    timer: Timer::Request,
                    ..
                })
            ),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .ends_with("within 300ms (the request timeout)"),
            "{e}"
        );
    }

    /// A timeout that fired long before ours (the network's, here a
    /// 5 ms client timeout standing in for a TCP user timeout) is reported
    /// as the network's, with the time it really took.
    #[tokio::test]
    async fn a_timeout_before_ours_is_the_network_s() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (_socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let early = reqwest::Client::new()
            .get(format!("http://{addr}/"))
            .timeout(Duration::from_millis(5))
            .send()
            .await
            .unwrap_err();
        assert!(early.is_timeout());
        let transport = Transport::new(&format!("http://{addr}"), &Settings::default()).unwrap();
        let e = transport.classify("general", early, Duration::from_millis(1234));
        let Error::Transport(TransportError::Timeout { timer, after, .. }) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(
            (*timer, *after),
            (Timer::Network, Duration::from_millis(1234))
        );
        assert!(
            e.to_string()
                .contains("the network gave up before the request timeout"),
            "{e}"
        );
        server.abort();
    }
}
