//! `ocrwire serve`: the built-in emulator as a standalone server on
//! 127.0.0.1, for trying the APIs (or another client) without credentials
//! or the network.
//!
//! Every flag can also come from an `OCRWIRE_EMULATOR_*` variable (see
//! `ocrwire::emulator::env`); the same fault variables also apply to the
//! in-process emulator of `--mock`.

use std::num::{NonZeroU32, NonZeroU64};
use std::time::Duration;

use ocrwire::emulator::{Emulator, EmulatorConfig, Faults, KeySource, env};

/// Port `serve` uses unless told otherwise; fixed, so scripts can rely on it.
const DEFAULT_PORT: u16 = 8765;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, env = env::PORT, default_value_t = DEFAULT_PORT)]
    port: u16,
    #[command(flatten)]
    faults: FaultArgs,
    /// How long a Request-Key stays valid, in seconds [default: the spec's 3600].
    #[arg(long, env = env::REQUEST_KEY_TTL_SECS, value_name = "SECS")]
    request_key_ttl_secs: Option<u64>,
    /// How long an access token lives, in seconds [default: the spec's 86400].
    #[arg(long, env = env::TOKEN_LIFETIME_SECS, value_name = "SECS")]
    token_lifetime_secs: Option<u64>,
    /// Generate a fresh RSA key pair of this many bits (2048-4096) instead of
    /// using the embedded emulator-only key (generation takes up to a few seconds).
    #[arg(long, env = env::KEY_BITS, value_name = "BITS")]
    key_bits: Option<usize>,
    /// The CLOVA domain's table option is off: a General or Template call
    /// asking for tables gets 0028 [env: OCRWIRE_EMULATOR_CLOVA_TABLES_OFF=true].
    #[arg(long)]
    clova_tables_off: bool,
    /// The template ids the CLOVA Template domain has released: a call
    /// naming none of them gets 1021 [default: whatever a call names]
    /// [env: OCRWIRE_EMULATOR_CLOVA_TEMPLATES].
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    clova_templates: Option<Vec<i64>>,
}

/// Fault injection (calls are numbered 1, 2, ... across all endpoints) and
/// the rate limit.
#[derive(Debug, clap::Args)]
struct FaultArgs {
    /// Answer every Nth call with the vendor's rate-limit error (NHN 4000006, CLOVA 0025).
    #[arg(long, env = env::RATE_LIMIT_EVERY, value_name = "N")]
    rate_limit_every: Option<NonZeroU64>,
    /// Answer every Nth call with HTTP 500.
    #[arg(long, env = env::SERVER_ERROR_EVERY, value_name = "N")]
    server_error_every: Option<NonZeroU64>,
    /// Refuse every call after the first N (CLOVA 0023, NHN 4000006).
    #[arg(long, env = env::CALL_QUOTA, value_name = "N")]
    call_quota: Option<u64>,
    /// Wait this many milliseconds before answering each call.
    #[arg(long, env = env::LATENCY_MS, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Replace the RSA key pair after every Nth call (stale versions then get 4000301).
    #[arg(long, env = env::ROTATE_KEYS_EVERY, value_name = "N")]
    rotate_keys_every: Option<NonZeroU64>,
    /// Revoke every access token after N calls made with tokens (the next gets 4010006).
    #[arg(long, env = env::REVOKE_TOKENS_AFTER, value_name = "N")]
    revoke_tokens_after: Option<NonZeroU64>,
    /// The service's rate limit: above R calls per second (per service),
    /// answer its throttling code (NHN 4000006, CLOVA 0025).
    #[arg(long, env = env::RATE_LIMIT_PER_SEC, value_name = "R")]
    rate_limit_per_sec: Option<NonZeroU32>,
}

impl FaultArgs {
    fn faults(&self) -> Faults {
        Faults {
            rate_limit_every: self.rate_limit_every,
            server_error_every: self.server_error_every,
            call_quota: self.call_quota,
            latency: Duration::from_millis(self.latency_ms),
            rotate_keys_every: self.rotate_keys_every,
            revoke_tokens_after: self.revoke_tokens_after,
            rate_limit_per_sec: self.rate_limit_per_sec,
        }
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    // The variables first (as `--mock` reads them), then the flags over them.
    let mut config = EmulatorConfig {
        port: args.port,
        keys: match args.key_bits {
            Some(bits) => KeySource::Generate { bits },
            None => KeySource::Embedded,
        },
        request_key_ttl: args.request_key_ttl_secs.map(Duration::from_secs),
        token_lifetime: args.token_lifetime_secs.map(Duration::from_secs),
        faults: args.faults.faults(),
        ..EmulatorConfig::default()
    }
    .clova_domain_from_env()?;
    if args.clova_tables_off {
        config.clova_table_detection = false;
    }
    if let Some(ids) = &args.clova_templates {
        config.clova_templates = Some(ids.clone());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let emulator = Emulator::start(config)
            .await
            .map_err(|e| format!("cannot start the emulator on 127.0.0.1:{}: {e}", args.port))?;
        print_banner(&emulator);
        // Runs until Ctrl-C, then stops accepting and lets calls in flight
        // finish, so a demo or test script sees no reset connections.
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
        eprintln!("stopping the emulator");
        emulator
            .shutdown()
            .await
            .map_err(|e| format!("the emulator did not stop cleanly: {e}"))
    })
}

/// The CLOVA domain's settings, in words.
fn describe_domain(config: &EmulatorConfig) -> String {
    let tables = if config.clova_table_detection {
        "tables on"
    } else {
        "tables off"
    };
    let templates = match &config.clova_templates {
        None => "any template id released".to_string(),
        Some(ids) if ids.is_empty() => "no template released".to_string(),
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            format!("templates {} released", ids.join(", "))
        }
    };
    format!("{tables}, {templates}")
}

fn print_banner(emulator: &Emulator) {
    use ocrwire::client::env as vars;
    use std::fmt::Write as _;
    let credentials = emulator.credentials();
    let (app_key, secret_key, clova_secret) = (
        &credentials.nhn_app_key,
        credentials.nhn_secret_key.expose(),
        credentials.clova_secret.expose(),
    );
    let (key_id, access_key) = (
        credentials.user_access_key_id.expose(),
        credentials.secret_access_key.expose(),
    );
    let faults = &emulator.config().faults;
    // One write: a reader that stops early (`| head`) ends it quietly.
    let mut out = String::new();
    let _ = writeln!(out, "ocrwire emulator listening on {}", emulator.addr());
    let _ = writeln!(
        out,
        "These credentials exist only inside this emulator; they are not secrets."
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "  NHN base URL:            {}",
        emulator.nhn_base_url()
    );
    let _ = writeln!(
        out,
        "  NHN token API URL:       {}",
        emulator.oauth_base_url()
    );
    let _ = writeln!(out, "  NHN app key:             {app_key}");
    let _ = writeln!(out, "  NHN secret key:          {secret_key}");
    let _ = writeln!(out, "  NHN User Access Key ID:  {key_id}");
    let _ = writeln!(out, "  NHN Secret Access Key:   {access_key}");
    let _ = writeln!(
        out,
        "  CLOVA invoke URL:        {}",
        emulator.clova_invoke_url()
    );
    let _ = writeln!(out, "  CLOVA secret:            {clova_secret}");
    let _ = writeln!(
        out,
        "  CLOVA domain:            {}",
        describe_domain(emulator.config())
    );
    let _ = writeln!(out, "  faults:                  {}", describe(faults));
    out.push('\n');
    let _ = writeln!(
        out,
        "For the ocrwire CLI (or any client reading the same variables):"
    );
    let _ = writeln!(
        out,
        "  export {}={} {}={app_key} {}={secret_key}",
        vars::NHN_BASE_URL,
        emulator.nhn_base_url(),
        vars::NHN_APP_KEY,
        vars::NHN_SECRET_KEY,
    );
    let _ = writeln!(
        out,
        "or, for the versions that take User Access Key tokens (v2.1, v1.1):"
    );
    let _ = writeln!(
        out,
        "  export {}={} {}={} {}={app_key} {}={key_id} {}={access_key}",
        vars::NHN_BASE_URL,
        emulator.nhn_base_url(),
        vars::NHN_OAUTH_BASE_URL,
        emulator.oauth_base_url(),
        vars::NHN_APP_KEY,
        vars::NHN_USER_ACCESS_KEY_ID,
        vars::NHN_SECRET_ACCESS_KEY,
    );
    let _ = writeln!(
        out,
        "  export {}={} {}={clova_secret}",
        vars::CLOVA_INVOKE_URL,
        emulator.clova_invoke_url(),
        vars::CLOVA_SECRET,
    );
    out.push('\n');
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    let _ = crate::output::write_stdout(&out);
}

/// The configured faults in words, for the banner.
fn describe(faults: &Faults) -> String {
    let every = |n: NonZeroU64| {
        if n.get() == 1 {
            "every call".to_owned()
        } else {
            format!("every {n} calls")
        }
    };
    let mut parts = Vec::new();
    if let Some(r) = faults.rate_limit_per_sec {
        parts.push(format!("rate limit of {r} calls per second"));
    }
    if let Some(n) = faults.rate_limit_every {
        parts.push(format!("rate limit {}", every(n)));
    }
    if let Some(n) = faults.server_error_every {
        parts.push(format!("HTTP 500 {}", every(n)));
    }
    if let Some(n) = faults.call_quota {
        parts.push(format!("quota of {n} calls"));
    }
    if !faults.latency.is_zero() {
        parts.push(format!("{} ms latency", faults.latency.as_millis()));
    }
    if let Some(n) = faults.rotate_keys_every {
        parts.push(format!("new key pair after {}", every(n)));
    }
    if let Some(n) = faults.revoke_tokens_after {
        parts.push(format!("every token revoked after {n} token calls"));
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}
