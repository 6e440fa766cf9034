//! `ocrwire nhn ...`: NHN Cloud Document OCR v2.0 from the command line.
//!
//! Credentials come from the environment only (`NHN_OCR_APP_KEY`,
//! `NHN_OCR_SECRET_KEY`), never from flags, which other users of the machine
//! can read in the process list; `NHN_OCR_BASE_URL` overrides the spec's
//! default host. The envelope is applied by the library; this module only
//! reads arguments, calls the client and prints.

pub mod summary;

use std::path::PathBuf;

use ocrwire::client::Credentials;
use ocrwire::nhn::{AuthenticityCheck, DocumentClient};
use ocrwire::wire::nhn_document_ocr_v2 as doc;
use ocrwire::{Error, Image};
use serde_json::json;

use crate::output::Output;

pub const APP_KEY_VAR: &str = "NHN_OCR_APP_KEY";
pub const SECRET_KEY_VAR: &str = "NHN_OCR_SECRET_KEY";
pub const BASE_URL_VAR: &str = "NHN_OCR_BASE_URL";

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Family,
}

/// Document OCR's commands, and General OCR's (its own module).
#[derive(Debug, clap::Subcommand)]
enum Family {
    #[command(flatten)]
    Document(Command),
    /// General OCR v1.0: all text in an image file or at an image URL.
    General(crate::nhn_general::Args),
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Read the number and expiry of a credit card image.
    CreditCard(CreditCardArgs),
    /// Read a resident card, driver licence or passport image.
    IdCard(IdCardArgs),
}

/// Flags every `nhn` command takes.
#[derive(Debug, clap::Args)]
struct Common {
    /// `text`: a summary with card and ID numbers partly masked; `json`:
    /// the decrypted result with the API's field names, nothing masked.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show card and ID numbers in full in the text summary.
    #[arg(long)]
    reveal: bool,
    /// Send to the built-in emulator (started in-process) instead of NHN
    /// Cloud; needs no credentials or network.
    #[arg(long)]
    mock: bool,
}

#[derive(Debug, clap::Args)]
struct CreditCardArgs {
    /// The card image (JPEG or PNG, within the spec's size limit).
    image: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct IdCardArgs {
    /// The ID document image (JPEG or PNG, within the spec's size limit).
    image: PathBuf,
    /// Use the cheaper stand-alone endpoint (no authenticity check possible).
    #[arg(long, conflicts_with = "verify")]
    stand_alone: bool,
    /// Then check the recognized details with the issuing authority, using
    /// the Request-Key the recognition returned.
    #[arg(long)]
    verify: bool,
    #[command(flatten)]
    common: Common,
}

/// Where to send and as whom.
struct Target {
    base_url: String,
    credentials: Credentials,
}

impl Target {
    fn from_env() -> Result<Target, String> {
        let var = |name: &str, what: &str| match std::env::var(name) {
            Ok(value) if !value.trim().is_empty() => Ok(value),
            _ => Err(format!(
                "set {name} to your {what} (from the NHN Cloud console)"
            )),
        };
        let app_key = var(APP_KEY_VAR, "app key")?;
        let secret_key = var(SECRET_KEY_VAR, "secret key")?;
        let base_url = match std::env::var(BASE_URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => doc::FAMILY
                .default_url()
                .ok_or("the spec names no default host; set NHN_OCR_BASE_URL")?
                .to_string(),
        };
        Ok(Target {
            base_url,
            credentials: Credentials::new(app_key, secret_key),
        })
    }

    fn mock(mock: &crate::mock::Mock) -> Target {
        Target {
            base_url: mock.nhn_base_url.clone(),
            credentials: Credentials::new(mock.nhn_app_key.as_str(), mock.nhn_secret_key.as_str()),
        }
    }

    fn client(self) -> Result<DocumentClient, String> {
        DocumentClient::builder(self.credentials)
            .base_url(self.base_url)
            .build()
            .map_err(describe)
    }
}

pub fn run(args: Args) -> Result<(), String> {
    let command = match args.command {
        Family::General(general) => return crate::nhn_general::run(general),
        Family::Document(command) => command,
    };
    crate::block_on(async {
        let common = match &command {
            Command::CreditCard(a) => &a.common,
            Command::IdCard(a) => &a.common,
        };
        // Held until the command is done: dropping it stops the emulator.
        let mock = if common.mock {
            Some(crate::mock::start().await?)
        } else {
            None
        };
        let target = match &mock {
            Some(mock) => Target::mock(mock),
            None => Target::from_env()?,
        };
        let client = target.client()?;
        let outcome = match &command {
            Command::CreditCard(args) => credit_card(&client, args).await,
            Command::IdCard(args) => id_card(&client, args).await,
        };
        if let Some(mock) = mock {
            mock.shutdown().await?;
        }
        outcome
    })
}

async fn credit_card(client: &DocumentClient, args: &CreditCardArgs) -> Result<(), String> {
    let image = Image::from_path(&args.image).map_err(|e| e.to_string())?;
    let result = client.credit_card(&image).await.map_err(describe)?;
    match args.common.output {
        Output::Json => print_json(&result),
        Output::Text => emit(&summary::credit_card(
            image.name(),
            &result,
            args.common.reveal,
        )),
    }
}

async fn id_card(client: &DocumentClient, args: &IdCardArgs) -> Result<(), String> {
    let image = Image::from_path(&args.image).map_err(|e| e.to_string())?;
    let reveal = args.common.reveal;
    if args.stand_alone {
        let result = client.id_card_stand_alone(&image).await.map_err(describe)?;
        return match args.common.output {
            Output::Json => print_json(&result),
            Output::Text => emit(&summary::id_card(image.name(), &result, reveal)),
        };
    }
    let recognition = client.id_card(&image).await.map_err(describe)?;
    let text = (args.common.output == Output::Text)
        .then(|| summary::id_card(image.name(), &recognition.result, reveal));
    if !args.verify {
        return match text {
            None => print_json(&recognition.result),
            Some(text) => {
                let note = summary::request_key_note(recognition.request_key.as_ref());
                emit(&format!("{text}{note}\n"))
            }
        };
    }
    if let Some(text) = &text {
        // Shown before the second call, so a refusal still leaves the reading.
        emit(text)?;
    }
    let request_key = recognition.request_key.ok_or_else(|| {
        "cannot verify: the service issued no Request-Key (it does so for resident cards and driver licences only)"
            .to_string()
    })?;
    let check = AuthenticityCheck::from_recognition(&recognition.result)
        .map_err(|e| format!("cannot verify: {e}"))?;
    let verdict = client
        .id_card_authenticity(request_key, check)
        .await
        .map_err(describe)?;
    match text {
        None => print_json(&json!({
            doc::ID_CARD.name: recognition.result,
            doc::ID_CARD_AUTHENTICITY.name: verdict,
        })),
        Some(_) => emit(&format!("{}\n", summary::authenticity(&verdict))),
    }
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text =
        serde_json::to_string_pretty(value).map_err(|e| format!("cannot encode JSON: {e}"))?;
    emit(&format!("{text}\n"))
}

/// Writes to stdout; a reader that went away (`| head`) ends the output
/// quietly instead of panicking as `print!` would.
pub(crate) fn emit(text: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// The error, plus what the spec says a vendor code means.
pub(crate) fn describe(e: Error) -> String {
    match e.vendor().and_then(|v| v.info()) {
        Some(info) => format!("{e}\n  meaning: {}", info.meaning),
        None => e.to_string(),
    }
}
