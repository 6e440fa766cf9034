//! Secret hygiene: with logging at its most verbose (`trace`, for every
//! crate), nothing secret reaches a log line, an error message, a `Debug`
//! print or a panic message, whether through the library or the real CLI
//! binary.
//!
//! The world: the emulator with distinctive credentials (and retryable
//! faults, so retry paths log too), behind a recording proxy that unwraps
//! every `Symmetric-Key` with the emulator's key and keeps every issued
//! Request-Key; images with a random tail, so their bytes are findable.
//!
//! Never anywhere (logs, errors, stdout in any mode): the NHN app key and
//! secret key, the CLOVA secret and invoke key, every symmetric key (hex and
//! Base64) and its RSA-wrapped header, every Request-Key, and the image
//! bytes (Base64, hex, escaped or as a byte list).
//!
//! Personal data (every recognized value that holds a digit or a non-ASCII
//! letter: names, numbers, dates, addresses): never in logs, errors or
//! `Debug` prints. On the CLI's stdout, the default text summary may show
//! names and dates (that is what the user asked to see) but never an
//! identifying number (card, resident, licence, passport, personal number)
//! in full; `--reveal` and `--output json` print them in full because the
//! user asked for that, which the test checks too, so the check is not
//! vacuous.

#![cfg(all(feature = "cli", feature = "emulator"))]

#[path = "../support/mod.rs"]
mod support;

mod hostile_text;
mod proxy;

use std::io::Write as _;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::client::{Credentials, RetryPolicy, TransportConfig};
use ocrwire::clova::{ClovaClient, RequestEncoding};
use ocrwire::emulator::{Emulator, EmulatorConfig, Faults};
use ocrwire::nhn::{AuthenticityCheck, DocumentClient, GeneralClient, ImageSource};
use ocrwire::wire::nhn_document_ocr_v2::IdCardKey;
use ocrwire::{Image, Sensitive};
use serde_json::Value;

use proxy::{Proxy, Recorded};

const APP_KEY: &str = "appkey-H7q2Vx";
const SECRET_KEY: &str = "secretkey-Zk93xQ";
const CLOVA_SECRET: &str = "clovasecret-Pw81Lm";
const INVOKE_KEY: &str = "invokekey-Jm55Rt";
const KEY_ID: &str = "uakid-Qm42Hs";
const SECRET_ACCESS_KEY: &str = "uaksecret-Tn67Wc";

// ---- what must not leak ---------------------------------------------------

/// A secret value and the name it is reported under (never the value).
struct Secret {
    what: String,
    text: String,
}

#[derive(Default)]
struct Secrets(Vec<Secret>);

impl Secrets {
    fn add(&mut self, what: impl Into<String>, text: impl Into<String>) {
        let text = text.into();
        if text.len() >= 6 {
            self.0.push(Secret {
                what: what.into(),
                text,
            });
        }
    }

    fn credentials() -> Secrets {
        let mut s = Secrets::default();
        s.add("NHN app key", APP_KEY);
        s.add("NHN secret key", SECRET_KEY);
        s.add("CLOVA secret", CLOVA_SECRET);
        s.add("CLOVA invoke key", INVOKE_KEY);
        s.add("User Access Key ID", KEY_ID);
        s.add("Secret Access Key", SECRET_ACCESS_KEY);
        s.add(
            "the key pair in Basic form",
            BASE64.encode(format!("{KEY_ID}:{SECRET_ACCESS_KEY}")),
        );
        s
    }

    fn image(&mut self, name: &str, bytes: &[u8]) {
        // The random tail: any encoding of the whole file contains these.
        let tail = &bytes[bytes.len() - 600..];
        let whole = BASE64.encode(bytes);
        let middle = whole.len() - 400;
        self.add(format!("{name} as Base64"), &whole[middle..middle + 60]);
        let chunk = &tail[100..124];
        let hex: String = chunk.iter().map(|b| format!("{b:02x}")).collect();
        self.add(format!("{name} as hex"), hex.clone());
        self.add(format!("{name} as HEX"), hex.to_uppercase());
        let list = format!("{:?}", &chunk[..10]);
        self.add(
            format!("{name} as a byte list"),
            list.trim_matches(['[', ']']).to_string(),
        );
        let escaped = format!("{:?}", bytes::Bytes::copy_from_slice(chunk));
        self.add(
            format!("{name} escaped"),
            escaped
                .trim_start_matches("b\"")
                .trim_end_matches('"')
                .to_string(),
        );
    }

    fn recorded(&mut self, recorded: &Recorded) {
        for (i, sealed) in recorded.sealed_keys.iter().enumerate() {
            self.add(format!("Symmetric-Key header #{i}"), sealed.clone());
        }
        for (i, key) in recorded.symmetric_keys.iter().enumerate() {
            let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
            self.add(format!("symmetric key #{i} (hex)"), hex.clone());
            self.add(format!("symmetric key #{i} (HEX)"), hex.to_uppercase());
            self.add(format!("symmetric key #{i} (Base64)"), BASE64.encode(key));
            self.add(
                format!("symmetric key #{i} (bytes)"),
                format!("{:?}", &key[..12])
                    .trim_matches(['[', ']'])
                    .to_string(),
            );
        }
        for (i, token) in recorded.tokens.iter().enumerate() {
            self.add(format!("access token #{i}"), token.clone());
        }
        for (i, value) in recorded.auth_headers.iter().enumerate() {
            self.add(format!("auth header #{i}"), value.clone());
        }
        for (i, key) in recorded.request_keys.iter().enumerate() {
            self.add(format!("Request-Key #{i}"), key.clone());
        }
    }

    /// Fails naming what leaked and where; the value itself is not shown.
    fn assert_absent(&self, text: &str, context: &str) {
        let leaked: Vec<&str> = self
            .0
            .iter()
            .filter(|s| text.contains(&s.text))
            .map(|s| s.what.as_str())
            .collect();
        assert!(leaked.is_empty(), "{context} shows: {leaked:?}");
    }
}

/// Recognized values that are personal data: every string in a result that
/// holds a digit or a non-ASCII letter, outside bookkeeping members.
fn personal_values(value: &Value, out: &mut Vec<String>) {
    const BOOKKEEPING: &[&str] = &["requestId", "uid", "version", "fileType", "message"];
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if !BOOKKEEPING.contains(&k.as_str()) {
                    personal_values(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| personal_values(v, out)),
        Value::String(s)
            if s.chars().count() >= 3 && s.chars().any(|c| c.is_ascii_digit() || !c.is_ascii()) =>
        {
            out.push(s.clone());
        }
        _ => {}
    }
}

fn personal(values: &[String]) -> Secrets {
    let mut s = Secrets::default();
    for (i, v) in values.iter().enumerate() {
        // Short values (a 4-digit card group, "04/29") are too common to
        // test for; the longer ones carry the identity.
        if v.len() >= 6 {
            s.add(format!("personal value #{i}"), v.clone());
        }
    }
    s
}

// ---- the world --------------------------------------------------------

/// An example image with 4 KiB of pseudo-random bytes appended (decoders
/// and the emulator ignore what follows the image).
fn with_random_tail(name: &str, seed: u64) -> Vec<u8> {
    let mut bytes =
        std::fs::read(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).expect("example");
    let mut state = seed | 1;
    for _ in 0..4096 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.push((state >> 24) as u8);
    }
    bytes
}

const IMAGES: &[(&str, u64)] = &[
    ("card.png", 11),
    ("id-card.png", 12),
    ("driver-license.png", 13),
    ("passport.png", 14),
    ("text.png", 15),
    ("receipt.jpg", 16),
];

struct World {
    emulator: Emulator,
    proxy: Proxy,
    images: Vec<(&'static str, Vec<u8>)>,
}

impl World {
    async fn start(faults: Faults) -> World {
        let mut config = EmulatorConfig {
            clova_invoke_key: INVOKE_KEY.to_string(),
            faults,
            ..EmulatorConfig::default()
        };
        config.credentials.nhn_app_key = APP_KEY.to_string();
        config.credentials.nhn_secret_key = Sensitive::new(SECRET_KEY);
        config.credentials.clova_secret = Sensitive::new(CLOVA_SECRET);
        config.credentials.user_access_key_id = Sensitive::new(KEY_ID);
        config.credentials.secret_access_key = Sensitive::new(SECRET_ACCESS_KEY);
        let emulator = Emulator::start(config).await.expect("emulator");
        let proxy = Proxy::start(emulator.nhn_base_url()).await;
        let images = IMAGES
            .iter()
            .map(|(name, seed)| (*name, with_random_tail(name, *seed)))
            .collect();
        World {
            emulator,
            proxy,
            images,
        }
    }

    fn image(&self, name: &str) -> Image {
        let bytes = &self
            .images
            .iter()
            .find(|(n, _)| *n == name)
            .expect("image")
            .1;
        Image::from_bytes(name, bytes.clone()).expect("image")
    }

    fn clova_invoke_url(&self) -> String {
        let emulator = self.emulator.nhn_base_url();
        self.emulator
            .clova_invoke_url()
            .replace(&emulator, &self.proxy.url())
    }

    fn secrets(&self, recorded: &Recorded) -> Secrets {
        let mut s = Secrets::credentials();
        for (name, bytes) in &self.images {
            s.image(name, bytes);
        }
        s.recorded(recorded);
        s
    }
}

// ---- the library ---------------------------------------------------------

/// Everything the global subscriber writes.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_ansi(false)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .try_init()
            .expect("the only subscriber in this test binary");
        logs
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn quick() -> TransportConfig {
    TransportConfig::default().with_retry(
        RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

fn value_of(
    result: &ocrwire::wire::nhn_document_ocr_v2::IdCardResult,
    key: IdCardKey,
) -> Sensitive {
    result.value(&key).cloned().unwrap_or_default()
}

/// Every result as JSON, and every `Debug` and error text, of a session of
/// calls through all three clients.
async fn library_session(world: &World) -> (Vec<Value>, String) {
    let credentials = || Credentials::new(APP_KEY, SECRET_KEY);
    let nhn = DocumentClient::builder(credentials())
        .base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    let general = GeneralClient::builder(credentials())
        .base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    let mut results = Vec::new();
    let mut shown = String::new();
    let mut show = |text: String| {
        shown.push_str(&text);
        shown.push('\n');
    };
    macro_rules! keep {
        ($call:expr) => {
            match $call {
                Ok(result) => {
                    show(format!("{result:?}"));
                    results.push(serde_json::to_value(&result).expect("json"));
                }
                Err(e) => show(format!("{e}\n{e:?}")),
            }
        };
    }
    keep!(nhn.credit_card(&world.image("card.png")).await);
    keep!(nhn.id_card_stand_alone(&world.image("passport.png")).await);
    for name in ["id-card.png", "driver-license.png"] {
        match nhn.id_card(&world.image(name)).await {
            Ok(recognition) => {
                show(format!("{recognition:?}"));
                let recognition = recognition.into_inner();
                results.push(serde_json::to_value(&recognition.result).expect("json"));
                if let (Some(key), "id-card.png") = (recognition.request_key, name) {
                    let check = AuthenticityCheck::from_recognition(&recognition.result)
                        .expect("a resident card gives a check");
                    keep!(nhn.id_card_authenticity(key, check).await);
                }
            }
            Err(e) => show(format!("{e}\n{e:?}")),
        }
    }
    keep!(general.general(&world.image("text.png")).await);
    keep!(general.general_cropping(&world.image("text.png")).await);
    keep!(
        general
            .general(ImageSource::Url("https://example.com/scan.png"))
            .await
    );
    for encoding in [RequestEncoding::Multipart, RequestEncoding::Json] {
        let clova = ClovaClient::builder(&world.clova_invoke_url(), CLOVA_SECRET)
            .encoding(encoding)
            .transport(quick())
            .build()
            .expect("client");
        keep!(
            clova
                .receipt(&world.image("receipt.jpg"))
                .await
                .map(|r| r.into_response())
        );
        keep!(
            clova
                .credit_card(&world.image("card.png"))
                .await
                .map(|r| r.into_response())
        );
        keep!(
            clova
                .id_card(&world.image("id-card.png"))
                .await
                .map(|r| r.into_response())
        );
        keep!(
            clova
                .passport(&world.image("passport.png"))
                .await
                .map(|r| r.into_response())
        );
        show(format!("{clova:?}"));
    }
    // The token-authenticated versions (v2.1, v1.1): tokens issued,
    // renewed after a refusal, revoked.
    let uak = || Credentials::user_access_key(APP_KEY, KEY_ID, SECRET_ACCESS_KEY);
    let nhn_v21 = DocumentClient::builder(uak())
        .base_url(world.proxy.url())
        .oauth_base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    let general_v11 = GeneralClient::builder(uak())
        .base_url(world.proxy.url())
        .oauth_base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    keep!(nhn_v21.credit_card(&world.image("card.png")).await);
    keep!(general_v11.general(&world.image("text.png")).await);
    keep!(nhn_v21.revoke_token().await);
    keep!(
        nhn_v21
            .id_card_stand_alone(&world.image("id-card.png"))
            .await
    );
    let wrong_pair = GeneralClient::builder(Credentials::user_access_key(
        APP_KEY,
        KEY_ID,
        "uaksecret-wrong0",
    ))
    .base_url(world.proxy.url())
    .oauth_base_url(world.proxy.url())
    .transport(quick())
    .build()
    .expect("client");
    keep!(wrong_pair.general(&world.image("text.png")).await);
    show(format!("{nhn_v21:?} {general_v11:?} {:?}", uak()));
    // Failures: wrong credentials, refused input.
    let wrong = DocumentClient::builder(Credentials::new(APP_KEY, "secretkey-wrong0"))
        .base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    keep!(wrong.credit_card(&world.image("card.png")).await);
    let wrong_clova = ClovaClient::builder(&world.clova_invoke_url(), "clova-wrong-secret")
        .build()
        .expect("client");
    keep!(
        wrong_clova
            .receipt(&world.image("receipt.jpg"))
            .await
            .map(|r| r.into_response())
    );
    keep!(nhn.credit_card(&world.image("receipt.jpg")).await);
    show(format!("{nhn:?} {general:?} {:?}", credentials()));
    (results, shown)
}

#[test]
fn the_library_logs_no_secrets_at_trace_level() {
    let logs = captured();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let world = World::start(Faults {
            // Every 5th call is rate limited, every 7th a 5xx: retries log.
            rate_limit_every: std::num::NonZeroU64::new(5),
            server_error_every: std::num::NonZeroU64::new(7),
            ..Faults::default()
        })
        .await;
        let (results, shown) = library_session(&world).await;
        let recorded = world.proxy.take();
        assert!(recorded.symmetric_keys.len() >= 5, "the envelope was used");
        assert!(
            !recorded.request_keys.is_empty(),
            "a Request-Key was issued"
        );
        assert!(recorded.tokens.len() >= 2, "tokens were issued");
        let logs = String::from_utf8_lossy(&logs.lock().expect("lock")).into_owned();
        // Proof the logs are the verbose ones, from the library and the stack.
        for expected in [
            "TRACE",
            "DEBUG",
            "sending",
            "answer received",
            "retrying",
            "public key fetched",
        ] {
            assert!(logs.contains(expected), "no `{expected}` in the logs");
        }
        let secrets = world.secrets(&recorded);
        // The detector finds each secret when it is there.
        for secret in &secrets.0 {
            let probe = format!("log line {} end", secret.text);
            let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                secrets.assert_absent(&probe, "probe")
            }));
            assert!(found.is_err(), "{} is not detected", secret.what);
        }
        secrets.assert_absent(&logs, "the trace logs");
        secrets.assert_absent(&shown, "errors and Debug output");
        let mut values = Vec::new();
        results.iter().for_each(|r| personal_values(r, &mut values));
        assert!(
            values.iter().any(|v| v.contains("910623")),
            "results were collected"
        );
        let personal = personal(&values);
        personal.assert_absent(&logs, "the trace logs");
        personal.assert_absent(&shown, "errors and Debug output");
        world.emulator.shutdown().await.expect("shutdown");
    });
}

// ---- the CLI ---------------------------------------------------------------

/// Runs the real binary with `RUST_LOG=trace` against the proxy.
fn ocrwire(world: &World, args: &[&str], files: &tempfile::TempDir) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ocrwire"));
    command
        .args(args)
        .current_dir(files.path())
        .env_clear()
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .env("NHN_OCR_APP_KEY", APP_KEY)
        .env("NHN_OCR_SECRET_KEY", SECRET_KEY)
        .env("NHN_OCR_BASE_URL", world.proxy.url())
        .env("CLOVA_OCR_INVOKE_URL", world.clova_invoke_url())
        .env("CLOVA_OCR_SECRET", CLOVA_SECRET);
    if args.contains(&"user-access-key") {
        command
            .env("NHN_USER_ACCESS_KEY_ID", KEY_ID)
            .env("NHN_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
            .env("NHN_OAUTH_BASE_URL", world.proxy.url());
    }
    command.output().expect("the ocrwire binary runs")
}

/// `run(item)` for every item, `workers` at a time, the results in the
/// items' order.
fn run_all<T: Sync, R: Send>(items: &[T], workers: usize, run: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = run(item);
                    *results[i].lock().unwrap() = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap().expect("every item ran"))
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The identifying numbers the summaries mask, as the library reads them.
async fn identifying_numbers(world: &World) -> Vec<String> {
    let nhn = DocumentClient::builder(Credentials::new(APP_KEY, SECRET_KEY))
        .base_url(world.proxy.url())
        .transport(quick())
        .build()
        .expect("client");
    let mut out = Vec::new();
    let card = nhn
        .credit_card(&world.image("card.png"))
        .await
        .expect("card");
    let groups: Vec<&str> = card
        .card_nums
        .iter()
        .flatten()
        .filter_map(|g| g.value.as_ref().map(Sensitive::expose))
        .collect();
    out.push(groups.join(" "));
    for name in ["id-card.png", "driver-license.png", "passport.png"] {
        let result = nhn
            .id_card_stand_alone(&world.image(name))
            .await
            .expect("id");
        for key in [
            IdCardKey::ResidentNumber,
            IdCardKey::DriverLicenseNumber,
            IdCardKey::PassportNo,
            IdCardKey::PersonalNo,
        ] {
            let value = value_of(&result, key);
            if !value.is_empty() {
                out.push(value.expose().to_string());
            }
        }
    }
    let clova = ClovaClient::builder(&world.clova_invoke_url(), CLOVA_SECRET)
        .transport(quick())
        .build()
        .expect("client");
    let card = clova
        .credit_card(&world.image("card.png"))
        .await
        .expect("card");
    out.extend(card.document().number().map(|v| v.expose().to_string()));
    let id = clova
        .id_card(&world.image("id-card.png"))
        .await
        .expect("id");
    out.extend(
        id.document()
            .personal_number()
            .map(|v| v.expose().to_string()),
    );
    out.retain(|v| v.len() >= 6);
    out
}

#[test]
fn the_cli_logs_no_secrets_at_trace_level_and_masks_numbers_unless_asked() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let world = runtime.block_on(World::start(Faults {
        // Rare enough that the CLI's real 1 s backoff costs little.
        rate_limit_every: std::num::NonZeroU64::new(20),
        ..Faults::default()
    }));
    let files = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in &world.images {
        std::fs::File::create(files.path().join(name))
            .and_then(|mut f| f.write_all(bytes))
            .expect("image file");
    }
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/not-an-image.gif"),
        files.path().join("not-an-image.gif"),
    )
    .expect("gif");
    let numbers = runtime.block_on(identifying_numbers(&world));
    assert!(numbers.len() >= 4, "{} numbers", numbers.len());

    let commands: &[&[&str]] = &[
        &["nhn", "credit-card", "card.png"],
        &["nhn", "id-card", "id-card.png", "--verify"],
        &["nhn", "id-card", "driver-license.png"],
        &["nhn", "id-card", "passport.png", "--stand-alone"],
        &["nhn", "general", "text.png"],
        &["nhn", "general", "text.png", "--cropping"],
        &[
            "nhn",
            "credit-card",
            "card.png",
            "--auth",
            "user-access-key",
        ],
        &[
            "nhn",
            "id-card",
            "id-card.png",
            "--verify",
            "--auth",
            "user-access-key",
        ],
        &["nhn", "general", "text.png", "--auth", "user-access-key"],
        &["clova", "receipt", "receipt.jpg"],
        &["clova", "credit-card", "card.png"],
        &["clova", "id-card", "id-card.png", "--json-body"],
        &["clova", "passport", "passport.png"],
    ];
    let mut runs: Vec<(Vec<&str>, &[&str])> = Vec::new();
    for args in commands {
        for mode in [&[][..], &["--reveal"], &["--output", "json"]] {
            if args[1] == "general" && mode == ["--reveal"] {
                continue; // General OCR has nothing to mask.
            }
            runs.push((args.iter().chain(mode).copied().collect(), mode));
        }
    }
    // The processes mostly wait on the network: four at a time keeps the
    // test short. Their outputs are read in the list's order below.
    let outputs = run_all(&runs, 4, |(full, _)| ocrwire(&world, full, &files));
    let mut stdout_text = String::new();
    let mut stdout_revealed = String::new();
    let mut stdout_json = Vec::new();
    let mut stderr_all = String::new();
    for ((full, mode), out) in runs.iter().zip(outputs) {
        assert!(
            out.status.success(),
            "{full:?} failed: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"), "{full:?}");
        if mode.is_empty() {
            stdout_text.push_str(&text(&out.stdout));
        } else {
            stdout_revealed.push_str(&text(&out.stdout));
        }
        if mode.contains(&"json") {
            stdout_json.push(serde_json::from_slice::<Value>(&out.stdout).expect("JSON"));
        }
        stderr_all.push_str(&text(&out.stderr));
    }
    // Failing commands: wrong secret, bad input, unreachable service.
    for args in [
        &["nhn", "credit-card", "not-an-image.gif"][..],
        &["nhn", "credit-card", "missing.png"],
        &["clova", "receipt", "not-an-image.gif", "--output", "json"],
    ] {
        let out = ocrwire(&world, args, &files);
        assert!(!out.status.success(), "{args:?} should fail");
        stderr_all.push_str(&text(&out.stderr));
        stdout_text.push_str(&text(&out.stdout));
    }
    let mut wrong = Command::new(env!("CARGO_BIN_EXE_ocrwire"));
    let out = wrong
        .args(["nhn", "credit-card", "card.png"])
        .current_dir(files.path())
        .env_clear()
        .env("RUST_LOG", "trace")
        .env("NHN_OCR_APP_KEY", APP_KEY)
        .env("NHN_OCR_SECRET_KEY", "secretkey-wrong0")
        .env("NHN_OCR_BASE_URL", world.proxy.url())
        .output()
        .expect("runs");
    assert!(!out.status.success());
    stderr_all.push_str(&text(&out.stderr));

    let recorded = world.proxy.take();
    assert!(recorded.symmetric_keys.len() >= 10, "the envelope was used");
    assert!(recorded.tokens.len() >= 3, "tokens were issued");
    let secrets = world.secrets(&recorded);
    for expected in ["TRACE", "DEBUG", "sending", "answer received", "retrying"] {
        assert!(
            stderr_all.contains(expected),
            "RUST_LOG=trace is honoured: no `{expected}`"
        );
    }
    secrets.assert_absent(&stderr_all, "stderr (logs and errors)");
    secrets.assert_absent(&stdout_text, "stdout (text)");
    secrets.assert_absent(&stdout_revealed, "stdout (--reveal, --output json)");

    let mut identifying = Secrets::default();
    for (i, n) in numbers.iter().enumerate() {
        identifying.add(format!("identifying number #{i}"), n.clone());
    }
    identifying.assert_absent(&stdout_text, "stdout (text summary)");
    identifying.assert_absent(&stderr_all, "stderr");
    for n in &numbers {
        assert!(
            stdout_revealed.contains(n.as_str()),
            "--reveal / --output json should show every number in full"
        );
    }
    // All recognized personal values stay out of stderr.
    let mut values = Vec::new();
    stdout_json
        .iter()
        .for_each(|v| personal_values(v, &mut values));
    assert!(
        values.iter().any(|v| v.contains("910623")),
        "results were collected"
    );
    personal(&values).assert_absent(&stderr_all, "stderr (logs and errors)");
    runtime.block_on(async { world.emulator.shutdown().await.expect("shutdown") });
}

#[test]
fn the_mock_emulator_logs_no_secrets_either() {
    // `--mock` runs the emulator in the same process, so its logs join the
    // CLI's on stderr: they must not show its credentials or the image.
    let files = tempfile::tempdir().expect("tempdir");
    let image = with_random_tail("id-card.png", 99);
    std::fs::write(files.path().join("id.png"), &image).expect("image");
    let mut stderr = String::new();
    let mut stdout = String::new();
    for auth in ["secret-key", "user-access-key"] {
        let out = Command::new(env!("CARGO_BIN_EXE_ocrwire"))
            .args([
                "nhn", "id-card", "id.png", "--verify", "--mock", "--auth", auth,
            ])
            .current_dir(files.path())
            .env_clear()
            .env("RUST_LOG", "trace")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", text(&out.stderr));
        stderr.push_str(&text(&out.stderr));
        stdout.push_str(&text(&out.stdout));
    }
    assert!(stderr.contains("access token issued"), "the token path ran");
    assert!(
        stderr.contains("emulator listening"),
        "the emulator's logs are included"
    );
    let mut secrets = Secrets::default();
    secrets.add(
        "emulator secret key",
        ocrwire::emulator::DEFAULT_NHN_SECRET_KEY,
    );
    secrets.add("emulator app key", ocrwire::emulator::DEFAULT_NHN_APP_KEY);
    secrets.add(
        "emulator User Access Key ID",
        ocrwire::emulator::DEFAULT_USER_ACCESS_KEY_ID,
    );
    secrets.add(
        "emulator Secret Access Key",
        ocrwire::emulator::DEFAULT_SECRET_ACCESS_KEY,
    );
    secrets.image("id.png", &image);
    secrets.assert_absent(&stderr, "stderr with --mock");
    secrets.assert_absent(&stdout, "stdout with --mock");
    assert!(
        !stderr.contains("910623-1062372"),
        "personal data in the logs"
    );
}
