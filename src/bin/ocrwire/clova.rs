//! `ocrwire clova <document> IMAGE...`: the NAVER CLOVA OCR Document API from
//! the command line.
//!
//! The domain comes from the environment only (`CLOVA_OCR_INVOKE_URL`,
//! `CLOVA_OCR_SECRET`), never from flags, which other users of the machine
//! can read in the process list. The documents it reads are the CLOVA
//! endpoints the specs give a `document_field`, called through the
//! library's [`AnyClient`]; what it prints is each endpoint's spec report.
//! A document a spec adds is a command here with no code.

use ocrwire::Error;
use ocrwire::client::AnyClient;
use ocrwire::clova::{ClovaClientBuilder, RequestEncoding};
use ocrwire::image::ImageSource;

use crate::Failure;
use crate::annotate::{self, Annotate};
use crate::batch::{self, Answered, BatchArgs, Input, Inputs};
use crate::command::{self, Work};
use crate::describe;
use crate::operations::{self, Operation};
use crate::output::Output;
use crate::output::{emit, print_json};

pub const INVOKE_URL_VAR: &str = ocrwire::client::env::CLOVA_INVOKE_URL;
pub const SECRET_VAR: &str = ocrwire::client::env::CLOVA_SECRET;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The kind of document the images show: the endpoint to call, as the
    /// spec names it.
    #[arg(value_parser = documents())]
    pub(crate) document: String,
    /// Images (JPEG, PNG, or single-page PDF or TIFF), folders of them, or
    /// `-` for one on standard input.
    #[arg(required = true, value_name = "IMAGE")]
    pub(crate) images: Vec<String>,
    /// Send the image Base64-encoded in a JSON body instead of as a
    /// multipart file (a third larger upload).
    #[arg(long)]
    pub(crate) json_body: bool,
    /// General and Template OCR: the languages to read (`ko`, `ja`,
    /// `zh-TW`; the domain's when absent).
    #[arg(long = "lang", value_name = "CODE", value_parser = language_codes())]
    pub(crate) languages: Vec<String>,
    /// General and Template OCR: also find tables (the domain's table
    /// option must be on).
    #[arg(long)]
    pub(crate) tables: bool,
    /// Template OCR: match against this template (repeatable; every
    /// released template of the domain when absent).
    #[arg(long = "template-id", value_name = "N")]
    pub(crate) template_ids: Vec<i64>,
    /// `text`: a summary with card and ID numbers partly masked; `json`:
    /// the response with the API's field names, nothing masked; `jsonl`:
    /// one line per input.
    #[arg(long, value_enum, default_value_t)]
    pub(crate) output: Output,
    /// Show card and ID numbers in full in the text summary (and the
    /// values on `--annotate` pictures).
    #[arg(long)]
    pub(crate) reveal: bool,
    /// Draw every recognized field's box, labelled with its name, on a
    /// copy of the image: OUT is the picture (`.png`) or a folder for them.
    #[arg(long, value_name = "OUT")]
    pub(crate) annotate: Option<std::path::PathBuf>,
    /// Send to the built-in emulator (started in-process) instead of CLOVA;
    /// needs no credentials or network.
    #[arg(long)]
    pub(crate) mock: bool,
    #[command(flatten)]
    pub(crate) batch: BatchArgs,
}

/// `--lang`'s values: the library's language codes.
fn language_codes() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        ocrwire::clova::Language::ALL.map(ocrwire::clova::Language::code),
    )
}

/// The CLOVA endpoints that read a document (a `document_field` in the
/// spec), as the values of `<document>`, each with its summary.
fn documents() -> clap::builder::PossibleValuesParser {
    let values = documents_in_specs()
        .map(|op| clap::builder::PossibleValue::new(op.endpoint.name).help(op.endpoint.summary));
    let readers = [
        (
            "general",
            "General OCR: every text of the image in reading order, and its tables",
        ),
        (
            "template",
            "Template OCR: the fields of a template the domain released",
        ),
    ]
    .map(|(name, help)| clap::builder::PossibleValue::new(name).help(help));
    clap::builder::PossibleValuesParser::new(values.chain(readers))
}

fn documents_in_specs() -> impl Iterator<Item = &'static Operation> {
    operations::all().iter().filter(|op| {
        op.family.vendor == ocrwire::descriptor::Vendor::Clova
            && op.endpoint.response.document_field.is_some()
    })
}

pub fn run(args: Args) -> Result<(), Failure> {
    if matches!(args.document.as_str(), "general" | "template") {
        return crate::clova_reading::run(&args);
    }
    for (given, flag) in [
        (!args.languages.is_empty(), "--lang"),
        (args.tables, "--tables"),
        (!args.template_ids.is_empty(), "--template-id"),
    ] {
        if given {
            return Err(Failure::Usage(format!(
                "{flag} is for `clova general` and `clova template`, not `{}`",
                args.document
            )));
        }
    }
    let op = operations::find("clova", &args.document).map_err(Failure::Usage)?;
    let endpoint = op.endpoint;
    let accept = batch::Accept::Images(endpoint.limits.formats);
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
            let builder = ClovaClientBuilder::new(&invoke_url, secret)
                .transport(args.batch.transport())
                .encoding(encoding);
            AnyClient::own_url(op.family.name, builder).map_err(|e| Failure::Usage(describe(e)))
        },
        {
            let annotate = annotate.clone();
            move |client: AnyClient, input: Input| {
                let annotate = annotate.clone();
                async move {
                    let image = input.read_off_thread().await?;
                    let called = client.call(endpoint, ImageSource::File(&image)).await?;
                    let marks = |answer: &serde_json::Value| marks(op, answer);
                    let answered =
                        Answered::new(&called.answer, annotate, input, Some(image), marks).await;
                    Ok::<_, batch::Failed>(answered.with_drift(&called.drift))
                }
            }
        },
        |client, input, image| async move {
            // A single input is always a file (this command takes no URLs).
            let Some(image) = image else {
                return Err(Failure::Usage("no image given".into()));
            };
            let outcome = client.call(endpoint, ImageSource::File(&image)).await;
            let answer = show(op, outcome, args, image.name())?;
            match annotate {
                Some(a) => a
                    .report(&input, &image, &marks(op, &answer))
                    .map_err(Failure::from),
                None => Ok(()),
            }
        },
    )
}

pub(crate) fn from_env() -> Result<(String, String), String> {
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
fn marks(op: &Operation, response: &serde_json::Value) -> Vec<annotate::Mark> {
    let field = op.endpoint.response.document_field.unwrap_or_default();
    annotate::clova(&response["images"][0][field])
}

/// Prints a reading (the spec's report, or the response) and returns the
/// response, for a picture. An image the service could not read is an
/// error (exit status 1); with `--output json` its response is printed
/// first, since that is the API's own account of what happened.
fn show(
    op: &Operation,
    outcome: Result<ocrwire::client::Called, Error>,
    args: &Args,
    name: &str,
) -> Result<serde_json::Value, String> {
    match (outcome, args.output) {
        (Ok(called), Output::Json | Output::Jsonl) => {
            print_json(&called.answer)?;
            Ok(called.into_answer())
        }
        (Ok(called), Output::Text) => {
            let text = match op.endpoint.report {
                Some(report) => {
                    crate::report::render(report, op.shape, &called.answer, name, args.reveal)
                }
                None => format!(
                    "{} ({name}): the spec gives no report; --output json shows the answer\n",
                    op.endpoint.name
                ),
            };
            emit(&text)?;
            Ok(called.into_answer())
        }
        (Err(Error::Recognition(e)), Output::Json | Output::Jsonl) => {
            print_json(e.response())?;
            Err(describe(Error::Recognition(e)))
        }
        (Err(e), _) => Err(describe(e)),
    }
}
