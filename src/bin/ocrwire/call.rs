//! `ocrwire call <nhn|clova> <endpoint> IMAGE...`: any endpoint one image
//! is sent to, by its name in the spec, with every command's conventions:
//! one image gets the spec's report (`--output json` for the answer), many
//! images, a folder or `--output jsonl` make a batch (`--jobs`, `--resume`,
//! progress on a terminal, one JSON line per image, exit status 1 when any
//! failed).
//!
//! The command knows no endpoint: what it can call is the library's
//! [`AnyClient`] table, built from the generated registry, so an endpoint
//! added to a spec is callable here with no code. The named commands
//! (`nhn credit-card`, `clova receipt`, ...) add what only they do (the
//! authenticity check after an ID card, drawings).

use ocrwire::client::AnyClient;
use ocrwire::descriptor::BaseUrl;

use crate::batch::{self, Accept, Answered, BatchArgs, Input};
use crate::command::{self, Work};
use crate::nhn::Auth;
use crate::operations::{self, Operation};
use crate::output::{Output, emit, print_json};
use crate::{Failure, describe};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vendor's group: `nhn` or `clova`.
    group: String,
    /// The endpoint, as the spec names it (see `ocrwire endpoints`).
    endpoint: String,
    /// Image files, folders of them, `-` for one on standard input, or (for
    /// an endpoint that takes one) an image URL.
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    /// `text`: the spec's report; `json`: the answer; `jsonl`: one line per
    /// image.
    #[arg(long, value_enum, default_value_t)]
    output: Output,
    /// Show identifying numbers in full in the report.
    #[arg(long)]
    reveal: bool,
    /// Call the built-in emulator instead of the vendor (no credentials).
    #[arg(long)]
    mock: bool,
    /// NHN: which credentials to use (as `ocrwire nhn`).
    #[arg(long, value_enum)]
    auth: Option<Auth>,
    /// CLOVA: send the image Base64-encoded in a JSON body.
    #[arg(long)]
    json_body: bool,
    #[command(flatten)]
    batch: BatchArgs,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let op = operations::find(&args.group, &args.endpoint).map_err(Failure::Usage)?;
    if !AnyClient::takes_an_image(op.endpoint) {
        return Err(Failure::Usage(format!(
            "`{}` takes no single image, so `call` cannot send it one; see `ocrwire endpoints`",
            op.endpoint.name
        )));
    }
    let urls = AnyClient::takes_a_url(op.endpoint);
    let inputs = batch::inputs(
        &args.images,
        &args.batch,
        args.output,
        Accept::Images(op.endpoint.limits.formats),
        urls,
    )?;
    let endpoint = op.endpoint;
    let args = &args;
    command::run(
        Work::of(inputs)?,
        args.mock,
        args.batch.plan(),
        |mock| client(op, args, mock),
        move |client: AnyClient, input: Input| async move {
            let image = command::read(&input).await?;
            let called = client
                .call(endpoint, command::source(image.as_ref(), &input))
                .await?;
            let answered = Answered::new(&called.answer, None, input, image, |_| Vec::new()).await;
            Ok(answered.with_drift(&called.drift))
        },
        |client, input, image| async move {
            let called = client
                .call(endpoint, command::source(image.as_ref(), &input))
                .await
                .map_err(describe)?;
            show(op, args, &input, &called.answer)
        },
    )
}

/// The family's client, as every command builds it: from the environment,
/// or pointed at `--mock`.
fn client(
    op: &Operation,
    args: &Args,
    mock: Option<&crate::mock::Mock>,
) -> Result<AnyClient, Failure> {
    let family = op.family.name;
    let transport = args.batch.transport();
    let client = match op.family.base_url {
        BaseUrl::Fixed { .. } => {
            let builder = crate::nhn::builder::<ocrwire::nhn::DocumentClient>(args.auth, mock)?;
            AnyClient::nhn(family, builder.transport(transport))
        }
        BaseUrl::PerCaller { .. } => {
            let (url, secret) = match mock {
                Some(mock) => (mock.clova_invoke_url.clone(), mock.clova_secret.clone()),
                None => own_url_from_env(family)?,
            };
            let encoding = if args.json_body {
                ocrwire::clova::RequestEncoding::Json
            } else {
                ocrwire::clova::RequestEncoding::Multipart
            };
            let builder = ocrwire::clova::ClovaClientBuilder::new(&url, secret)
                .encoding(encoding)
                .transport(transport);
            AnyClient::own_url(family, builder)
        }
    };
    client.map_err(|e| Failure::Usage(describe(e)))
}

/// The caller's URL and secret, from the family's variables.
fn own_url_from_env(family: &str) -> Result<(String, String), Failure> {
    let (url_var, secret_var) = AnyClient::own_url_variables(family)
        .ok_or_else(|| Failure::Usage(format!("no client calls the family `{family}`")))?;
    let var = |name: &str| match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(value),
        _ => Err(Failure::Usage(format!(
            "set {name} (from the service's console), or use --mock"
        ))),
    };
    Ok((var(url_var)?, var(secret_var)?))
}

/// One answer: the spec's report, or the answer as JSON.
fn show(
    op: &Operation,
    args: &Args,
    input: &Input,
    answer: &serde_json::Value,
) -> Result<(), Failure> {
    match args.output {
        Output::Json | Output::Jsonl => Ok(print_json(answer)?),
        Output::Text => {
            let report = match op.endpoint.report {
                Some(report) => {
                    crate::report::render(report, op.shape, answer, &input.name(), args.reveal)
                }
                None => format!(
                    "{} ({}): the spec gives no report; --output json shows the answer\n",
                    op.endpoint.name,
                    input.name()
                ),
            };
            Ok(emit(&report)?)
        }
    }
}
