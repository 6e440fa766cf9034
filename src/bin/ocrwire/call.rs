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
use ocrwire::descriptor::Inputs;

use crate::annotate::Annotate;
use crate::batch::{self, Accept, Answered, BatchArgs, Input};
use crate::command::{self, Work};
use crate::nhn::Auth;
use crate::operations::{self, Operation};
use crate::output::{Output, emit, print_json};
use crate::{Failure, describe};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The vendor's group (`nhn`, `clova`), or a family's name
    /// (`nhn-document-ocr-v1`) where two families have the endpoint.
    group: String,
    /// The endpoint, as the spec names it (see `ocrwire endpoints`).
    endpoint: String,
    /// Image files, folders of them, `-` for one on standard input, or (for
    /// an endpoint that takes one) an image URL. For an endpoint that takes
    /// no image: values of its one required input no --field gives (`-`:
    /// one per line of standard input).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// A named input of the endpoint, by its wire name (a text part or a
    /// body member: `--field prompt="Summarize this"`); repeatable.
    #[arg(long = "field", value_name = "NAME=VALUE")]
    fields: Vec<String>,
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
    /// Draw every area the answer outlines (the types the spec marks with
    /// `outline`), labelled with its member, on a copy of the image: OUT is
    /// the picture (`.png`) or a folder for them.
    #[arg(long, value_name = "OUT")]
    annotate: Option<std::path::PathBuf>,
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
    let fields = fields(&args.fields)?;
    let image_call = AnyClient::takes_an_image(op.endpoint);
    if fields.is_some() || !image_call {
        return run_with_inputs(op, &args, fields.unwrap_or_default());
    }
    let urls = AnyClient::takes_a_url(op.endpoint);
    let inputs = batch::inputs(
        &args.inputs,
        &args.batch,
        args.output,
        Accept::Images(op.endpoint.limits.formats),
        urls,
    )?;
    send(op, &args, inputs, &How::Image)
}

/// How each input becomes a call: an image (or its URL) sent as the
/// endpoint's one image, or the named inputs with the input's image or
/// value.
enum How<'a> {
    Image,
    Inputs {
        fields: &'a Inputs,
        value_of: Option<&'a str>,
    },
}

impl How<'_> {
    async fn call(
        &self,
        client: &AnyClient,
        endpoint: &'static ocrwire::descriptor::Endpoint,
        image: Option<&ocrwire::Image>,
        input: &Input,
    ) -> Result<ocrwire::client::Called, ocrwire::Error> {
        match self {
            How::Image => client.call(endpoint, command::source(image, input)).await,
            How::Inputs { fields, value_of } => {
                let inputs = with_value(fields, *value_of, input);
                client.call_with(endpoint, image, &inputs).await
            }
        }
    }
}

/// Every input sent as `how` says, with every command's conventions: one
/// input's report (or answer) and picture, or a batch of JSON lines.
fn send(
    op: &'static Operation,
    args: &Args,
    inputs: batch::Inputs,
    how: &How<'_>,
) -> Result<(), Failure> {
    let endpoint = op.endpoint;
    let annotate = annotate_for(args, &inputs);
    command::run(
        Work::of(inputs)?,
        args.mock,
        args.batch.plan(),
        |mock| client(op, args, mock),
        {
            let annotate = annotate.clone();
            move |client: AnyClient, input: Input| {
                let annotate = annotate.clone();
                async move {
                    let image = command::read(&input).await?;
                    let called = how.call(&client, endpoint, image.as_ref(), &input).await?;
                    let marks = |answer: &serde_json::Value| marks(op, answer);
                    let answered =
                        Answered::new(&called.answer, annotate, input, image, marks).await;
                    Ok(answered.with_drift(&called.drift))
                }
            }
        },
        |client, input, image| async move {
            let called = how
                .call(&client, endpoint, image.as_ref(), &input)
                .await
                .map_err(describe)?;
            show(op, args, &input, &called.answer)?;
            picture(annotate, op, &input, image.as_ref(), &called.answer)
        },
    )
}

/// `--annotate`'s settings, once the inputs say whether this is a batch.
fn annotate_for(args: &Args, inputs: &batch::Inputs) -> Option<Annotate> {
    let batch_of = matches!(inputs, batch::Inputs::Many(_));
    args.annotate
        .as_deref()
        .map(|out| Annotate::new(out, args.reveal, batch_of))
}

/// The areas an answer outlines, from where its report reads it.
fn marks(op: &Operation, answer: &serde_json::Value) -> Vec<crate::annotate::Mark> {
    let (root, shape) = crate::report::root(op.endpoint.report, op.shape, answer);
    crate::annotate::outlined(shape, root)
}

/// One input's picture, when `--annotate` asks for one and there is an
/// image to draw on.
fn picture(
    annotate: Option<Annotate>,
    op: &Operation,
    input: &Input,
    image: Option<&ocrwire::Image>,
    answer: &serde_json::Value,
) -> Result<(), Failure> {
    match (annotate, image) {
        (Some(a), Some(image)) => a
            .report(input, image, &marks(op, answer))
            .map_err(Failure::from),
        (Some(_), None) => Err(Failure::Failed(format!(
            "{}: --annotate draws on an image; a URL or value has none",
            input.name()
        ))),
        (None, _) => Ok(()),
    }
}

/// `ocrwire <group> <endpoint> ...` for an endpoint no named command has
/// (`ocrwire nhn business-status 1234567890`): `call` under the group,
/// where each named input of the endpoint is also a flag of its own
/// (`--prompt TEXT` for `--field prompt=TEXT`, the wire name in kebab
/// case).
pub fn run_named(group: &str, raw: Vec<std::ffi::OsString>) -> Result<(), Failure> {
    let raw: Vec<String> = raw
        .into_iter()
        .map(|a| {
            a.into_string()
                .map_err(|a| Failure::Usage(format!("{} is not UTF-8", a.to_string_lossy())))
        })
        .collect::<Result<_, _>>()?;
    let Some((endpoint, rest)) = raw.split_first() else {
        return Err(Failure::Usage(format!("name an endpoint of `{group}`")));
    };
    let op = operations::find(group, endpoint).map_err(Failure::Usage)?;
    let flags: Vec<(String, &str)> = AnyClient::inputs_of(op.endpoint)
        .map(|of| {
            of.inputs
                .iter()
                .map(|(name, _)| (kebab(name), *name))
                .collect()
        })
        .unwrap_or_default();
    let mut argv = vec![
        format!("ocrwire {group}"),
        group.to_string(),
        endpoint.clone(),
    ];
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        let flag = arg
            .strip_prefix("--")
            .map(|f| f.split_once('=').unwrap_or((f, "")));
        let named = flag.and_then(|(f, _)| flags.iter().find(|(kebab, _)| kebab == f));
        match (named, flag) {
            (Some((_, wire)), Some((_, inline))) if arg.contains('=') => {
                argv.extend(["--field".to_string(), format!("{wire}={inline}")]);
            }
            (Some((kebab, wire)), _) => {
                let value = rest
                    .next()
                    .ok_or_else(|| Failure::Usage(format!("--{kebab} takes a value")))?;
                argv.extend(["--field".to_string(), format!("{wire}={value}")]);
            }
            _ => argv.push(arg.clone()),
        }
    }
    #[derive(clap::Parser)]
    struct Named {
        #[command(flatten)]
        args: Args,
    }
    let named = <Named as clap::Parser>::try_parse_from(argv).unwrap_or_else(|e| e.exit());
    run(named.args)
}

/// `documentTypeCode` -> `document-type-code`.
fn kebab(wire: &str) -> String {
    let mut out = String::new();
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    out
}

/// `--field NAME=VALUE`s, or none when none were given.
fn fields(given: &[String]) -> Result<Option<Inputs>, Failure> {
    if given.is_empty() {
        return Ok(None);
    }
    let mut inputs = Inputs::new();
    for field in given {
        let (name, value) = field
            .split_once('=')
            .ok_or_else(|| Failure::Usage(format!("--field takes NAME=VALUE, not `{field}`")))?;
        inputs.set(name.trim(), value);
    }
    Ok(Some(inputs))
}

/// An endpoint sent named inputs: the `--field`s, and per input an image
/// (an endpoint that takes one) or a value for its one required input no
/// `--field` gives (one that takes none: a business number).
fn run_with_inputs(op: &'static Operation, args: &Args, fields: Inputs) -> Result<(), Failure> {
    let endpoint = op.endpoint;
    let of = AnyClient::inputs_of(endpoint).ok_or_else(|| {
        Failure::Usage(format!(
            "`{}` takes no image or named inputs that `call` can send; see `ocrwire endpoints`",
            endpoint.name
        ))
    })?;
    let names: Vec<&str> = of.inputs.iter().map(|(name, _)| *name).collect();
    // Misspelt names are refused before anything starts.
    fields
        .only(&names)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let (accept, value_of) = if of.takes_a_file {
        (Accept::Images(endpoint.limits.formats), None)
    } else {
        let open: Vec<&str> = of
            .inputs
            .iter()
            .filter(|(name, required)| *required && fields.get(name).is_none())
            .map(|(name, _)| *name)
            .collect();
        match open.as_slice() {
            [one] => (Accept::Values, Some(*one)),
            _ => {
                return Err(Failure::Usage(format!(
                    "`{}` takes no image; its inputs are {}: give all but one with --field, and values for that one",
                    endpoint.name,
                    names.join(", ")
                )));
            }
        }
    };
    let missing = of
        .inputs
        .iter()
        .find(|(name, required)| *required && fields.get(name).is_none() && value_of != Some(name));
    if let Some((name, _)) = missing {
        return Err(Failure::Usage(format!(
            "`{}` needs `{name}`: give it with --field {name}=... (or --{} under `ocrwire {} {}`)",
            endpoint.name,
            kebab(name),
            crate::operations::group(op.family.vendor),
            endpoint.name
        )));
    }
    if args.annotate.is_some() && !of.takes_a_file {
        return Err(Failure::Usage(format!(
            "`{}` takes no image, so there is nothing for --annotate to draw on",
            endpoint.name
        )));
    }
    let inputs = batch::inputs(&args.inputs, &args.batch, args.output, accept, false)?;
    let how = How::Inputs {
        fields: &fields,
        value_of,
    };
    send(op, args, inputs, &how)
}

/// The `--field`s, with the input's value under `value_of` if the command
/// reads values.
fn with_value(fields: &Inputs, value_of: Option<&str>, input: &Input) -> Inputs {
    let mut inputs = fields.clone();
    if let (Some(name), Input::Value(value)) = (value_of, input) {
        inputs.set(name, value.as_str());
    }
    inputs
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
pub(crate) fn own_url_from_env(family: &str) -> Result<(String, String), Failure> {
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
