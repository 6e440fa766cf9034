//! `ocrwire nhn general IMAGE_OR_URL [--cropping]`: NHN Cloud General OCR
//! (v1.0 with a secret key, v1.1 with a User Access Key) from the command
//! line.
//!
//! Same configuration as the other `nhn` commands. An argument starting with
//! `http://` or `https://` is sent as the image URL for the service to
//! fetch; anything else is read as a file and uploaded.

use ocrwire::nhn::{GeneralClient, ImageSource, TextLine};
use ocrwire::wire::nhn_general_ocr_v1 as general;

use crate::Failure;
use crate::batch::{self, BatchArgs, Input};
use crate::describe;
use crate::nhn::{Auth, builder};
use crate::output::Output;
use crate::output::{emit, print_json};

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
    #[command(flatten)]
    batch: BatchArgs,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let formats = general::GENERAL.limits.formats;
    let inputs = batch::batch_inputs(&args.images, &args.batch, args.output, formats, true)?;
    // Read first: a missing file should not wait for an emulator.
    let single = match &inputs {
        None => Some(batch::single(&args.images, true)?),
        Some(_) => None,
    };
    let image = match &single {
        Some(Input::Url(_)) | None => None,
        Some(input) => Some(input.read().map_err(describe)?),
    };
    crate::block_on(async {
        // Held until the command is done: dropping it stops the emulator.
        let mock = if args.mock {
            Some(crate::mock::start().await?)
        } else {
            None
        };
        let client: GeneralClient = builder(args.auth, mock.as_ref())?
            .transport(args.batch.transport())
            .build()
            .map_err(describe)?;
        let outcome = match (inputs, single) {
            (Some(inputs), _) => {
                let cropping = args.cropping;
                batch::run(inputs, args.batch.plan(), move |input: Input| {
                    let client = client.clone();
                    async move { recognize(&client, &input, cropping).await }
                })
                .await
            }
            (None, Some(input)) => one(&client, &args, &input, image.as_ref())
                .await
                .map_err(Failure::from),
            (None, None) => Err(Failure::Usage("no image given".into())),
        };
        if let Some(mock) = mock {
            mock.shutdown().await?;
        }
        outcome
    })
}

/// One input of a batch, as JSON.
async fn recognize(
    client: &GeneralClient,
    input: &Input,
    cropping: bool,
) -> Result<serde_json::Value, ocrwire::Error> {
    let image;
    let source = match input {
        Input::Url(url) => ImageSource::Url(url),
        file => {
            image = file.read()?;
            ImageSource::File(&image)
        }
    };
    Ok(if cropping {
        serde_json::to_value(client.general_cropping(source).await?).unwrap_or_default()
    } else {
        serde_json::to_value(client.general(source).await?).unwrap_or_default()
    })
}

async fn one(
    client: &GeneralClient,
    args: &Args,
    input: &Input,
    image: Option<&ocrwire::Image>,
) -> Result<(), String> {
    let source = match (image, input) {
        (Some(image), _) => ImageSource::File(image),
        (None, Input::Url(url)) => ImageSource::Url(url),
        (None, _) => return Err("no image given".into()),
    };
    let shown = input.name();
    if args.cropping {
        match client.general_cropping(source).await {
            Ok(result) => match args.output {
                Output::Json | Output::Jsonl => print_json(&result),
                Output::Text => {
                    let slices = result
                        .slices_images
                        .map(|n| {
                            let plural = if n == 1 { "" } else { "s" };
                            format!(", cut into {n} slice{plural}")
                        })
                        .unwrap_or_default();
                    emit(&summary(&shown, &slices, result.lines()))
                }
            },
            Err(e) => Err(describe(e)),
        }
    } else {
        match client.general(source).await {
            Ok(result) => match args.output {
                Output::Json | Output::Jsonl => print_json(&result),
                Output::Text => emit(&summary(&shown, "", result.lines())),
            },
            Err(e) => Err(describe(e)),
        }
    }
}

/// The texts in reading order, one per line, with confidence and box.
fn summary<'a>(name: &str, extra: &str, lines: impl Iterator<Item = TextLine<'a>>) -> String {
    use std::fmt::Write as _;
    let mut body = String::new();
    let mut count = 0;
    for line in lines {
        count += 1;
        let text = line.text.map_or("", |t| t.expose());
        let conf = line
            .confidence
            .map(|c| format!("  ({c:.2})"))
            .unwrap_or_default();
        let corners = line
            .bounding_box
            .and_then(|b| b.corners())
            .map(|c| {
                let points: Vec<String> = c.iter().map(|(x, y)| format!("{x},{y}")).collect();
                format!("  [{}]", points.join(" "))
            })
            .unwrap_or_default();
        let _ = writeln!(body, "  {text}{conf}{corners}");
    }
    if count == 0 {
        body.push_str("  (no text recognized)\n");
    }
    let plural = if count == 1 { "" } else { "s" };
    format!("General OCR ({name}): {count} text{plural}{extra}\n{body}")
}
