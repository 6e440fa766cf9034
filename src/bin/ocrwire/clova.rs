//! `ocrwire clova <document> IMAGE...`: the NAVER CLOVA OCR Document API from
//! the command line.
//!
//! The domain comes from the environment only (`CLOVA_OCR_INVOKE_URL`,
//! `CLOVA_OCR_SECRET`), never from flags, which other users of the machine
//! can read in the process list. This module only reads arguments, calls the
//! client and prints; the request fields, the encoding and the typed
//! outcomes are the library's.

mod summary;

use ocrwire::Error;
use ocrwire::clova::{ClovaClient, Document, Recognized, RequestEncoding};
use ocrwire::descriptor::Operation;
use ocrwire::wire::clova_document_ocr::{
    BizLicenseDocument, CreditCardDocument, DocumentResponse, IdCardDocument, NameCardDocument,
    PassportDocument, ReceiptDocument,
};

use crate::Failure;
use crate::annotate::{self, Annotate};
use crate::batch::{self, Answered, BatchArgs, Input, Inputs};
use crate::command::{self, Work};
use crate::describe;
use crate::output::Output;
use crate::output::{emit, print_json};

pub const INVOKE_URL_VAR: &str = ocrwire::client::env::CLOVA_INVOKE_URL;
pub const SECRET_VAR: &str = ocrwire::client::env::CLOVA_SECRET;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind of document the images show (the endpoint to call).
    #[arg(value_enum)]
    document: DocumentKind,
    /// Images (JPEG, PNG, or single-page PDF or TIFF), folders of them, or
    /// `-` for one on standard input.
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    /// Send the image Base64-encoded in a JSON body instead of as a
    /// multipart file (a third larger upload).
    #[arg(long)]
    json_body: bool,
    /// `text`: a summary with card and ID numbers partly masked; `json`:
    /// the response with the API's field names, nothing masked; `jsonl`:
    /// one line per input.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show card and ID numbers in full in the text summary (and the
    /// values on `--annotate` pictures).
    #[arg(long)]
    reveal: bool,
    /// Draw every recognized field's box, labelled with its name, on a
    /// copy of the image: OUT is the picture (`.png`) or a folder for them.
    #[arg(long, value_name = "OUT")]
    annotate: Option<std::path::PathBuf>,
    /// Send to the built-in emulator (started in-process) instead of CLOVA;
    /// needs no credentials or network.
    #[arg(long)]
    mock: bool,
    #[command(flatten)]
    batch: BatchArgs,
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

pub fn run(args: Args) -> Result<(), Failure> {
    match args.document {
        DocumentKind::Receipt => run_as::<ReceiptDocument>(args, summary::receipt),
        DocumentKind::CreditCard => run_as::<CreditCardDocument>(args, summary::credit_card),
        DocumentKind::NameCard => run_as::<NameCardDocument>(args, summary::name_card),
        DocumentKind::BizLicense => run_as::<BizLicenseDocument>(args, summary::biz_license),
        DocumentKind::IdCard => run_as::<IdCardDocument>(args, summary::id_card),
        DocumentKind::Passport => run_as::<PassportDocument>(args, summary::passport),
    }
}

/// The command for one document type: one image with a summary, or a batch.
fn run_as<D: Document>(args: Args, summarize: fn(&str, &D, bool) -> String) -> Result<(), Failure> {
    let formats = <D::Operation as Operation>::ENDPOINT.limits.formats;
    let accept = batch::Accept::Images(formats);
    let inputs = batch::inputs(&args.images, &args.batch, args.output, accept, false)?;
    let batch_of = matches!(inputs, Inputs::Many(_));
    let args = &args;
    let annotate = args
        .annotate
        .as_deref()
        .map(|out| Annotate::new(out, args.reveal, batch_of));
    command::run(
        Work::of(inputs)?,
        args.mock,
        args.batch.plan(),
        |mock| {
            let (invoke_url, secret) = match mock {
                Some(mock) => (mock.clova_invoke_url.clone(), mock.clova_secret.clone()),
                None => from_env()?,
            };
            let encoding = if args.json_body {
                RequestEncoding::Json
            } else {
                RequestEncoding::Multipart
            };
            let client = ClovaClient::builder(&invoke_url, secret)
                .transport(args.batch.transport())
                .encoding(encoding)
                .build()
                .map_err(describe)?;
            Ok(client)
        },
        {
            let annotate = annotate.clone();
            move |client: ClovaClient, input: Input| {
                let annotate = annotate.clone();
                async move {
                    let image = input.read_off_thread().await?;
                    let read = client.recognize::<D>(&image).await?;
                    let drift = read.drift().to_vec();
                    let read = read.into_response();
                    let answered =
                        Answered::new(&read, annotate, input, Some(image), marks::<D>).await;
                    Ok::<_, batch::Failed>(answered.with_drift(&drift))
                }
            }
        },
        |client, input, image| async move {
            // A single input is always a file (this command takes no URLs).
            let Some(image) = image else {
                return Err(Failure::Usage("no image given".into()));
            };
            let outcome = client.recognize::<D>(&image).await;
            let response = show(outcome, args, image.name(), summarize)?;
            match annotate {
                Some(a) => {
                    let response = serde_json::to_value(response).unwrap_or_default();
                    a.report(&input, &image, &marks::<D>(&response))
                        .map_err(Failure::from)
                }
                None => Ok(()),
            }
        },
    )
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

/// The boxes of an answer (its JSON): the document's fields.
fn marks<D: Document>(response: &serde_json::Value) -> Vec<annotate::Mark> {
    let field = <D::Operation as Operation>::ENDPOINT
        .response
        .document_field
        .unwrap_or_default();
    annotate::clova(&response["images"][0][field])
}

/// Prints a reading and returns its response, for a picture. An image the
/// service could not read is an error (exit status 1); with `--output json`
/// its response is printed first, since that is the API's own account of
/// what happened.
fn show<D: Document>(
    outcome: Result<Recognized<D>, Error>,
    args: &Args,
    name: &str,
    summarize: fn(&str, &D, bool) -> String,
) -> Result<DocumentResponse, String> {
    match (outcome, args.output) {
        (Ok(read), Output::Json | Output::Jsonl) => {
            let response = read.into_response();
            print_json(&response)?;
            Ok(response)
        }
        (Ok(read), Output::Text) => {
            emit(&summarize(name, read.document(), args.reveal))?;
            Ok(read.into_response())
        }
        (Err(Error::Recognition(e)), Output::Json | Output::Jsonl) => {
            print_json(e.response())?;
            Err(describe(Error::Recognition(e)))
        }
        (Err(e), _) => Err(describe(e)),
    }
}
