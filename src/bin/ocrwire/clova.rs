//! `ocrwire clova <document> IMAGE`: the NAVER CLOVA OCR Document API from
//! the command line.
//!
//! The domain comes from the environment only (`CLOVA_OCR_INVOKE_URL`,
//! `CLOVA_OCR_SECRET`), never from flags, which other users of the machine
//! can read in the process list. This module only reads arguments, calls the
//! client and prints; the request fields, the encoding and the typed
//! outcomes are the library's.

mod summary;

use std::path::PathBuf;

use ocrwire::clova::{ClovaClient, Document, Recognized, RequestEncoding};
use ocrwire::{Error, Image};

use crate::nhn::{describe, emit, print_json};
use crate::output::Output;

pub const INVOKE_URL_VAR: &str = ocrwire::client::env::CLOVA_INVOKE_URL;
pub const SECRET_VAR: &str = ocrwire::client::env::CLOVA_SECRET;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind of document the image shows (the endpoint to call).
    #[arg(value_enum)]
    document: DocumentKind,
    /// The image: JPEG, PNG, or a single-page PDF or TIFF.
    image: PathBuf,
    /// Send the image Base64-encoded in a JSON body instead of as a
    /// multipart file (a third larger upload).
    #[arg(long)]
    json_body: bool,
    /// `text`: a summary with card and ID numbers partly masked; `json`:
    /// the response with the API's field names, nothing masked.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show card and ID numbers in full in the text summary.
    #[arg(long)]
    reveal: bool,
    /// Send to the built-in emulator (started in-process) instead of CLOVA;
    /// needs no credentials or network.
    #[arg(long)]
    mock: bool,
}

/// The endpoints, named as the spec names them (`credit-card`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DocumentKind {
    /// Store, date, items and total of a receipt.
    Receipt,
    /// Number, expiry and holder of a credit card.
    CreditCard,
    /// Contact details on a business card.
    NameCard,
    /// A Korean business registration certificate.
    BizLicense,
    /// Resident card, driver's licence, Korean passport or alien card.
    IdCard,
    /// The machine readable zone of any passport.
    Passport,
}

pub fn run(args: Args) -> Result<(), String> {
    crate::block_on(async {
        // Read first: a missing file should not wait for an emulator.
        let image = Image::from_path(&args.image).map_err(|e| e.to_string())?;
        // Held until the command is done: dropping it stops the emulator.
        let mock = if args.mock {
            Some(crate::mock::start().await?)
        } else {
            None
        };
        let (invoke_url, secret) = match &mock {
            Some(mock) => (mock.clova_invoke_url.clone(), mock.clova_secret.clone()),
            None => from_env()?,
        };
        let encoding = if args.json_body {
            RequestEncoding::Json
        } else {
            RequestEncoding::Multipart
        };
        let client = ClovaClient::builder(&invoke_url, secret)
            .encoding(encoding)
            .build()
            .map_err(describe)?;
        let name = image.name().to_string();
        let outcome = match args.document {
            DocumentKind::Receipt => {
                show(client.receipt(&image).await, &args, &name, summary::receipt)
            }
            DocumentKind::CreditCard => show(
                client.credit_card(&image).await,
                &args,
                &name,
                summary::credit_card,
            ),
            DocumentKind::NameCard => show(
                client.name_card(&image).await,
                &args,
                &name,
                summary::name_card,
            ),
            DocumentKind::BizLicense => show(
                client.biz_license(&image).await,
                &args,
                &name,
                summary::biz_license,
            ),
            DocumentKind::IdCard => {
                show(client.id_card(&image).await, &args, &name, summary::id_card)
            }
            DocumentKind::Passport => show(
                client.passport(&image).await,
                &args,
                &name,
                summary::passport,
            ),
        };
        if let Some(mock) = mock {
            mock.shutdown().await?;
        }
        outcome
    })
}

fn from_env() -> Result<(String, String), String> {
    let var = |name: &str, what: &str| match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(format!("set {name} to {what} (from the CLOVA OCR console)")),
    };
    Ok((
        var(
            INVOKE_URL_VAR,
            "your domain's API Gateway invoke URL, ending in /custom/v1/{DomainId}/{InvokeKey}",
        )?,
        var(SECRET_VAR, "your domain's secret key (X-OCR-SECRET)")?,
    ))
}

/// Prints a reading. An image the service could not read is an error
/// (exit status 1); with `--output json` its response is printed first,
/// since that is the API's own account of what happened.
fn show<D: Document>(
    outcome: Result<Recognized<D>, Error>,
    args: &Args,
    name: &str,
    summarize: fn(&str, &D, bool) -> String,
) -> Result<(), String> {
    match (outcome, args.output) {
        (Ok(read), Output::Json) => print_json(&read.into_response()),
        (Ok(read), Output::Text) => emit(&summarize(name, read.document(), args.reveal)),
        (Err(Error::Recognition(e)), Output::Json) => {
            print_json(e.response())?;
            Err(describe(Error::Recognition(e)))
        }
        (Err(e), _) => Err(describe(e)),
    }
}
