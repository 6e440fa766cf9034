//! Timeouts and broken connections, against raw TCP servers that stall,
//! dribble, hang up or never accept.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ocrwire::Error;
use ocrwire::client::TransportConfig;
use ocrwire::error::TransportError;
use tokio::io::AsyncWriteExt as _;

use super::hostile::{raw_server, read_head};
use super::{clova, example, no_retries, quick};

const SHORT: Duration = Duration::from_millis(300);

fn short_timeouts(base: TransportConfig) -> TransportConfig {
    base.with_request_timeout(SHORT).with_connect_timeout(SHORT)
}

/// Calls a CLOVA receipt on `addr` and returns the error and how long it took.
async fn fail_against(addr: std::net::SocketAddr, transport: TransportConfig) -> (Error, Duration) {
    let started = Instant::now();
    let e = clova(&format!("http://{addr}"), transport)
        .receipt(&example("receipt.jpg"))
        .await
        .expect_err("the call must fail");
    (e, started.elapsed())
}

/// Our request timeout fired, and the message says so.
fn is_exchange_timeout(e: &Error) -> bool {
    matches!(
        e,
        Error::Transport(TransportError::Timeout {
            connecting: false,
            timer: ocrwire::error::Timer::Request,
            ..
        })
    ) && e.to_string().contains("(the request timeout)")
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (addr, connections) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let (e, took) = fail_against(addr, short_timeouts(no_retries())).await;
    assert!(is_exchange_timeout(&e), "{e:?}");
    assert!(took >= SHORT && took < Duration::from_secs(3), "{took:?}");
    assert_eq!(
        e.to_string(),
        "receipt: no complete answer within 300ms (the request timeout)",
        "names the endpoint and the limit"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    // With retries (a recognition is safe to resend): three attempts.
    let (e, _) = fail_against(addr, short_timeouts(quick())).await;
    assert!(is_exchange_timeout(&e), "{e:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_body_that_stalls_or_dribbles_is_cut_off_by_the_total_timeout() {
    // Headers and a few bytes, then silence.
    let (addr, _) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"version\":")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let (e, took) = fail_against(addr, short_timeouts(no_retries())).await;
    assert!(is_exchange_timeout(&e), "{e:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");

    // A byte every 50 ms, forever: never idle, still cut at the total.
    let (addr, _) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n")
            .await;
        for _ in 0..600 {
            if socket.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let (e, took) = fail_against(addr, short_timeouts(no_retries())).await;
    assert!(is_exchange_timeout(&e), "{e:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn a_connection_that_is_never_accepted_hits_the_connect_timeout() {
    // A listener with the smallest backlog that nobody accepts from: once
    // its queue is full, the kernel drops further SYNs and connect() hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    let mut queue_full = false;
    for _ in 0..64 {
        match tokio::time::timeout(
            Duration::from_millis(100),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => {
                queue_full = true;
                break;
            }
        }
    }
    assert!(
        queue_full,
        "the kernel accepted {} connections to a full backlog; no hanging connect to test",
        fillers.len()
    );
    // The exchange's timeout covers connecting too, so give it more time
    // than the connect timeout to see which one fired.
    let transport = no_retries()
        .with_connect_timeout(SHORT)
        .with_request_timeout(Duration::from_secs(5));
    let (e, took) = fail_against(addr, transport).await;
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::Timeout {
                connecting: true,
                ..
            })
        ),
        "{e:?}"
    );
    assert!(took >= SHORT && took < Duration::from_secs(3), "{took:?}");
    drop((listener, fillers));
}

#[tokio::test]
async fn a_connection_that_breaks_mid_exchange_is_typed_and_retried_for_reads() {
    let (addr, connections) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n{\"ver")
            .await;
        // Hang up with the body unfinished.
    })
    .await;
    let (e, _) = fail_against(addr, quick()).await;
    assert!(
        matches!(e, Error::Transport(TransportError::Http { .. })),
        "{e:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn oversized_answers_stop_at_the_cap_with_or_without_a_length() {
    let cap = 64 * 1024;
    let capped = no_retries().with_max_response_bytes(cap);
    // Declared too long: refused before reading.
    let (addr, _) = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 999999999\r\n\r\n{")
            .await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    })
    .await;
    let (e, _) = fail_against(addr, capped.clone()).await;
    assert!(
        matches!(
            e,
            Error::Transport(TransportError::BodyTooLarge { limit, .. }) if limit == cap
        ),
        "{e:?}"
    );

    // Chunked, no length, endless: cut once past the cap, not read to the end.
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&sent);
    let (addr, _) = raw_server(move |mut socket| {
        let counter = Arc::clone(&counter);
        async move {
            read_head(&mut socket).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            let chunk = format!("{:x}\r\n{}\r\n", 4096, "x".repeat(4096));
            for _ in 0..100_000 {
                if socket.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
                counter.fetch_add(4096, Ordering::SeqCst);
            }
        }
    })
    .await;
    let (e, _) = fail_against(addr, capped).await;
    assert!(
        matches!(e, Error::Transport(TransportError::BodyTooLarge { .. })),
        "{e:?}"
    );
    // The server got well under 64 MiB out before the client hung up.
    assert!(sent.load(Ordering::SeqCst) < 16 * 1024 * 1024);
    assert_eq!(
        e.to_string(),
        format!("receipt: the response body exceeds the cap of {cap} bytes")
    );
}

#[test]
fn defaults_are_bounded() {
    let d = TransportConfig::default();
    assert_eq!(d.connect_timeout, Duration::from_secs(10));
    assert_eq!(d.request_timeout, Duration::from_secs(60));
    assert_eq!(d.deadline, Duration::from_secs(120));
    assert_eq!(d.max_response_bytes, 8 * 1024 * 1024);
    assert_eq!(d.retry.max_attempts, 3);
}
