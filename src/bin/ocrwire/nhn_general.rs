//! `ocrwire nhn general IMAGE_OR_URL [--cropping]`: NHN Cloud General OCR
//! (v1.0 with a secret key, v1.1 with a User Access Key) from the command
//! line.
//!
//! Same configuration as the other `nhn` commands. An argument starting with
//! `http://` or `https://` is sent as the image URL for the service to
//! fetch; anything else is read as a file and uploaded.

use ocrwire::Image;
use ocrwire::nhn::{GeneralClient, ImageSource, TextLine};

use crate::nhn::{Auth, builder, describe, emit, print_json};
use crate::output::Output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// An image file (JPEG or PNG), or an http(s) URL the service fetches
    /// (ports 80, 443 or 10000-12000).
    image: String,
    /// Use `general/cropping`: the service first cuts a long image
    /// (a receipt, a scroll) into slices.
    #[arg(long)]
    cropping: bool,
    /// `text`: the recognized texts in order with their boxes; `json`: the
    /// result with the API's field names.
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
}

pub fn run(args: Args) -> Result<(), String> {
    crate::block_on(async {
        let is_url = ["http://", "https://"].iter().any(|scheme| {
            args.image
                .get(..scheme.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
        });
        let image = if is_url {
            None
        } else {
            Some(Image::from_path(&args.image).map_err(|e| e.to_string())?)
        };
        let source = match &image {
            Some(image) => ImageSource::File(image),
            None => ImageSource::Url(&args.image),
        };
        // The URL's path only: its query may carry a signed token.
        let shown = match &image {
            Some(image) => image.name().to_string(),
            None => args
                .image
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .to_string(),
        };
        // Held until the command is done: dropping it stops the emulator.
        let mock = if args.mock {
            Some(crate::mock::start().await?)
        } else {
            None
        };
        let client: GeneralClient = builder(args.auth, mock.as_ref())?
            .build()
            .map_err(describe)?;
        let outcome = if args.cropping {
            match client.general_cropping(source).await {
                Ok(result) => match args.output {
                    Output::Json => print_json(&result),
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
                    Output::Json => print_json(&result),
                    Output::Text => emit(&summary(&shown, "", result.lines())),
                },
                Err(e) => Err(describe(e)),
            }
        };
        if let Some(mock) = mock {
            mock.shutdown().await?;
        }
        outcome
    })
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
