//! `ocrwire nhn general IMAGE_OR_URL [--cropping]`: NHN Cloud General OCR
//! (v1.0 with a secret key, v1.1 with a User Access Key) from the command
//! line.
//!
//! Same configuration as the other `nhn` commands. An argument starting with
//! `http://` or `https://` is sent as the image URL for the service to
//! fetch; anything else is read as a file and uploaded.

use ocrwire::nhn::GeneralClient;
use ocrwire::wire::nhn_general_ocr_v1 as general;

use crate::Failure;
use crate::annotate::{self, Annotate};
use crate::batch::{self, Answered, BatchArgs, Input, Inputs};
use crate::command::{self, Work};
use crate::describe;
use crate::nhn::{Auth, builder};
use crate::output::Output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Image files (JPEG or PNG), folders of them, `-` for one on standard
    /// input, or http(s) URLs the service fetches (ports 80, 443 or
    /// 10000-12000).
    #[arg(required = true, value_name = "IMAGE_OR_URL")]
    images: Vec<String>,
    /// Use `general/cropping`: the service first cuts a long image
    /// (a receipt, a scroll) into slices.
    #[arg(long)]
    cropping: bool,
    /// `text`: the recognized texts in order with their boxes; `json`: the
    /// result with the API's field names; `jsonl`: one line per input.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Send to the built-in emulator (started in-process) instead of NHN
    /// Cloud; needs no credentials or network.
    #[arg(long)]
    mock: bool,
    /// Authenticate with a secret key (v1.0) or a User Access Key (v1.1)
    /// [default: user-access-key when NHN_USER_ACCESS_KEY_ID is set].
    #[arg(long, value_enum)]
    auth: Option<Auth>,
    /// Draw every recognized box, numbered, on a copy of the image: OUT is
    /// the picture (`.png`) or a folder for them (files only, not URLs).
    #[arg(long, value_name = "OUT")]
    annotate: Option<std::path::PathBuf>,
    /// Write the recognized texts on `--annotate` pictures, not just their
    /// numbers.
    #[arg(long)]
    reveal: bool,
    #[command(flatten)]
    batch: BatchArgs,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let formats = general::GENERAL.limits.formats;
    let inputs = batch::inputs(
        &args.images,
        &args.batch,
        args.output,
        batch::Accept::Images(formats),
        true,
    )?;
    if let (Inputs::One(Input::Url(_)), Some(_)) = (&inputs, &args.annotate) {
        return Err(Failure::Usage(
            "--annotate draws on image files; the service fetches a URL itself".into(),
        ));
    }
    let args = &args;
    let cropping = args.cropping;
    let annotate = annotate_for(args, true);
    command::run(
        Work::of(inputs)?,
        args.mock,
        args.batch.plan(),
        |mock| {
            let client: GeneralClient = builder(args.auth, mock)?
                .transport(args.batch.transport())
                .build()
                .map_err(describe)?;
            Ok(client)
        },
        move |client, input| {
            let annotate = annotate.clone();
            async move { recognize(&client, input, cropping, annotate).await }
        },
        |client, input, image| async move {
            one(&client, args, &input, image.as_ref())
                .await
                .map_err(Failure::from)
        },
    )
}

fn annotate_for(args: &Args, batch: bool) -> Option<Annotate> {
    args.annotate
        .as_deref()
        .map(|out| Annotate::new(out, args.reveal, batch))
}

/// One input of a batch: its answer as JSON, and its picture if asked.
async fn recognize(
    client: &GeneralClient,
    input: Input,
    cropping: bool,
    annotate: Option<Annotate>,
) -> Result<Answered, batch::Failed> {
    let image = command::read(&input).await?;
    let source = command::source(image.as_ref(), &input);
    Ok(if cropping {
        let answer = client.general_cropping(source).await?;
        let marks = |_: &_| annotate::general(answer.lines());
        let answered = Answered::new(&answer, annotate, input, image, marks).await;
        answered.with_drift(answer.drift())
    } else {
        let answer = client.general(source).await?;
        let marks = |_: &_| annotate::general(answer.lines());
        let answered = Answered::new(&answer, annotate, input, image, marks).await;
        answered.with_drift(answer.drift())
    })
}

async fn one(
    client: &GeneralClient,
    args: &Args,
    input: &Input,
    image: Option<&ocrwire::Image>,
) -> Result<(), String> {
    let marks = answer_one(client, args, input, image).await?;
    match (annotate_for(args, false), image) {
        (Some(a), Some(image)) => a.report(input, image, &marks),
        _ => Ok(()),
    }
}

/// Prints one answer (the spec's report, as `ocrwire call` shows it);
/// returns its boxes, for a picture.
async fn answer_one(
    client: &GeneralClient,
    args: &Args,
    input: &Input,
    image: Option<&ocrwire::Image>,
) -> Result<Vec<annotate::Mark>, String> {
    let source = command::source(image, input);
    let shown = input.name();
    let (out, reveal) = (args.output, args.reveal);
    if args.cropping {
        let result = client.general_cropping(source).await.map_err(describe)?;
        crate::report::print(out, &general::GENERAL_CROPPING, &*result, &shown, reveal)?;
        Ok(annotate::general(result.lines()))
    } else {
        let result = client.general(source).await.map_err(describe)?;
        crate::report::print(out, &general::GENERAL, &*result, &shown, reveal)?;
        Ok(annotate::general(result.lines()))
    }
}
