//! `ocrwire nhn ...`: NHN Cloud Document OCR (v2.0 with a secret key, v2.1
//! with a User Access Key) from the command line.
//!
//! Credentials come from the environment only, never from flags, which
//! other users of the machine can read in the process list; the library's
//! `ocrwire::client::env` names the variables and reads them. The envelope
//! is applied by the library; this module only reads arguments, calls the
//! client and prints.

pub mod summary;

use ocrwire::Image;
use ocrwire::client::{Credentials, env};
use ocrwire::nhn::{AuthenticityCheck, ClientBuilder, DocumentClient, NhnClient};
use ocrwire::wire::nhn_document_ocr_v2::{self as doc, IdCardResult};
use serde_json::json;

use std::ffi::OsString;
use std::path::PathBuf;

use crate::Failure;
use crate::annotate::{self, Annotate};
use crate::batch::{self, Answered, BatchArgs, Input, Inputs};
use crate::command::{self, Work};
use crate::describe;
use crate::output::{Output, emit, print_json};

/// How an `nhn` command authenticates, which decides the API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Auth {
    /// `NHN_OCR_SECRET_KEY`: Document OCR v2.0, General OCR v1.0.
    SecretKey,
    /// `NHN_USER_ACCESS_KEY_ID` and `NHN_SECRET_ACCESS_KEY`, exchanged for
    /// tokens: Document OCR v2.1, General OCR v1.1.
    UserAccessKey,
}

impl Auth {
    /// The flag's choice, else a User Access Key when its ID is set.
    fn resolve(flag: Option<Auth>) -> Auth {
        flag.unwrap_or_else(|| {
            if std::env::var(env::NHN_USER_ACCESS_KEY_ID).is_ok_and(|v| !v.trim().is_empty()) {
                Auth::UserAccessKey
            } else {
                Auth::SecretKey
            }
        })
    }
}

/// A builder for an NHN client: from the environment, or pointed at the
/// `--mock` emulator with its throwaway credentials of the chosen kind.
pub(crate) fn builder<C: NhnClient>(
    auth: Option<Auth>,
    mock: Option<&crate::mock::Mock>,
) -> Result<ClientBuilder<C>, String> {
    let auth = Auth::resolve(auth);
    match mock {
        Some(mock) => {
            let credentials = match auth {
                Auth::SecretKey => {
                    Credentials::new(mock.nhn_app_key.as_str(), mock.nhn_secret_key.as_str())
                }
                Auth::UserAccessKey => Credentials::user_access_key(
                    mock.nhn_app_key.as_str(),
                    mock.nhn_user_access_key_id.as_str(),
                    mock.nhn_secret_access_key.as_str(),
                ),
            };
            Ok(ClientBuilder::new(credentials)
                .base_url(mock.nhn_base_url.clone())
                .oauth_base_url(mock.nhn_oauth_base_url.clone()))
        }
        None => {
            let credentials = match auth {
                Auth::SecretKey => Credentials::secret_key_from_env(),
                Auth::UserAccessKey => Credentials::user_access_key_from_env(),
            }
            .map_err(|e| format!("{e} (see `ocrwire nhn --help`)"))?;
            ClientBuilder::from_env_with(credentials).map_err(describe)
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Every other endpoint of the NHN specs is a command too, by its name in `ocrwire endpoints` \
                  (`ocrwire nhn business scan.pdf`, `ocrwire nhn business-status 1234567890`, \
                  `ocrwire nhn document-ai scan.png --prompt TEXT`): see `ocrwire call --help`."
)]
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
    /// Any other endpoint of the NHN specs, by its name (`ocrwire
    /// endpoints`): `business`, `business-status NUMBER...`, `document-ai
    /// IMAGE --prompt TEXT`, as `ocrwire call nhn <endpoint>` with each
    /// input of the endpoint also a flag.
    #[command(external_subcommand)]
    Endpoint(Vec<OsString>),
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
    /// Show card and ID numbers in full in the text summary and on
    /// `--annotate` pictures.
    #[arg(long)]
    reveal: bool,
    /// Draw every recognized box, labelled with its field, on a copy of
    /// the image: OUT is the picture (`.png`) or a folder for them.
    #[arg(long, value_name = "OUT")]
    annotate: Option<PathBuf>,
    /// Send to the built-in emulator (started in-process) instead of NHN
    /// Cloud; needs no credentials or network.
    #[arg(long)]
    mock: bool,
    /// Authenticate with a secret key (v2.0) or a User Access Key (v2.1)
    /// [default: user-access-key when NHN_USER_ACCESS_KEY_ID is set].
    #[arg(long, value_enum)]
    auth: Option<Auth>,
}

impl Common {
    fn annotate(&self, batch: bool) -> Option<Annotate> {
        self.annotate
            .as_deref()
            .map(|out| Annotate::new(out, self.reveal, batch))
    }
}

#[derive(Debug, clap::Args)]
struct CreditCardArgs {
    /// Card images (JPEG or PNG, within the spec's size limit), folders of
    /// them, or `-` for one on standard input.
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(Debug, clap::Args)]
struct IdCardArgs {
    /// ID document images (JPEG or PNG, within the spec's size limit),
    /// folders of them, or `-` for one on standard input.
    #[arg(required = true, value_name = "IMAGE")]
    images: Vec<String>,
    /// Use the cheaper stand-alone endpoint (no authenticity check possible).
    #[arg(long, conflicts_with = "verify")]
    stand_alone: bool,
    /// Then check the recognized details with the issuing authority, using
    /// the Request-Key the recognition returned (one image at a time).
    #[arg(long)]
    verify: bool,
    #[command(flatten)]
    common: Common,
    #[command(flatten)]
    batch: BatchArgs,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let command = match args.command {
        Family::General(general) => return crate::nhn_general::run(general),
        Family::Endpoint(raw) => return crate::call::run_named("nhn", raw),
        Family::Document(command) => command,
    };
    let (images, common, batch, endpoint) = match &command {
        Command::CreditCard(a) => (&a.images, &a.common, &a.batch, &doc::CREDIT_CARD),
        Command::IdCard(a) => (&a.images, &a.common, &a.batch, &doc::ID_CARD),
    };
    // Usage and files first: a mistake should not wait for an emulator.
    let accept = batch::Accept::Images(endpoint.limits.formats);
    let inputs = batch::inputs(images, batch, common.output, accept, false)?;
    if matches!(&command, Command::IdCard(a) if a.verify) && matches!(inputs, Inputs::Many(_)) {
        return Err(Failure::Usage(
            "--verify checks one ID card at a time; name one image".into(),
        ));
    }
    let annotate = common.annotate(matches!(inputs, Inputs::Many(_)));
    let stand_alone = matches!(&command, Command::IdCard(a) if a.stand_alone);
    let credit_card = matches!(&command, Command::CreditCard(_));
    let chosen = &command;
    command::run(
        Work::of(inputs)?,
        common.mock,
        batch.plan(),
        |mock| {
            let client: DocumentClient = builder(common.auth, mock)?
                .transport(batch.transport())
                .build()
                .map_err(describe)?;
            Ok(client)
        },
        {
            let annotate = annotate.clone();
            move |client: DocumentClient, input: Input| {
                let annotate = annotate.clone();
                async move {
                    let image = input.read_off_thread().await?;
                    if credit_card {
                        let answer = client.credit_card(&image).await?;
                        let marks = |_: &_| annotate::credit_card(&answer);
                        let answered =
                            Answered::new(&answer, annotate, input, Some(image), marks).await;
                        return Ok(answered.with_drift(answer.drift()));
                    }
                    let (answer, drift) = if stand_alone {
                        let answer = client.id_card_stand_alone(&image).await?;
                        let drift = answer.drift().to_vec();
                        (answer.into_inner(), drift)
                    } else {
                        let answer = client.id_card(&image).await?;
                        let drift = answer.drift().to_vec();
                        (answer.into_inner().result, drift)
                    };
                    let marks = |_: &_| annotate::id_card(&answer);
                    let answered =
                        Answered::new(&answer, annotate, input, Some(image), marks).await;
                    Ok::<_, batch::Failed>(answered.with_drift(&drift))
                }
            }
        },
        |client, input, image| async move {
            // A single input is always a file (these commands take no URLs).
            let Some(image) = image else {
                return Err(Failure::Usage("no image given".into()));
            };
            let marks = match chosen {
                Command::CreditCard(args) => {
                    let result = client.credit_card(&image).await.map_err(describe)?;
                    let common = &args.common;
                    let name = image.name();
                    crate::report::print(
                        common.output,
                        &doc::CREDIT_CARD,
                        &result,
                        name,
                        common.reveal,
                    )?;
                    annotate::credit_card(&result)
                }
                Command::IdCard(args) => {
                    annotate::id_card(&id_card_one(&client, args, &image).await?)
                }
            };
            match annotate {
                Some(a) => a.report(&input, &image, &marks).map_err(Failure::from),
                None => Ok(()),
            }
        },
    )
}

/// One ID card: printed, verified if asked; returns the reading, for a
/// picture.
async fn id_card_one(
    client: &DocumentClient,
    args: &IdCardArgs,
    image: &Image,
) -> Result<IdCardResult, String> {
    let reveal = args.common.reveal;
    if args.stand_alone {
        let result = client
            .id_card_stand_alone(image)
            .await
            .map_err(describe)?
            .into_inner();
        let stand_alone = &doc::ID_CARD_STAND_ALONE;
        crate::report::print(
            args.common.output,
            stand_alone,
            &result,
            image.name(),
            reveal,
        )?;
        return Ok(result);
    }
    let recognition = client.id_card(image).await.map_err(describe)?.into_inner();
    let text = (args.common.output == Output::Text)
        .then(|| crate::report::of(&doc::ID_CARD, &recognition.result, image.name(), reveal));
    if !args.verify {
        match text {
            None => print_json(&recognition.result),
            Some(text) => {
                let note = summary::request_key_note(recognition.request_key.as_ref());
                emit(&format!("{text}{note}\n"))
            }
        }?;
        return Ok(recognition.result);
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
            doc::ID_CARD.name: &recognition.result,
            doc::ID_CARD_AUTHENTICITY.name: verdict,
        })),
        Some(_) => emit(&format!("{}\n", summary::authenticity(&verdict))),
    }?;
    Ok(recognition.result)
}
