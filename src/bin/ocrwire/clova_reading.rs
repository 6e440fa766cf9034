//! `ocrwire clova general|template IMAGE...`: CLOVA General and Template
//! OCR from the command line, through the library's typed clients
//! (`ClovaGeneralClient::read`, `ClovaTemplateClient::read`), with every
//! command's batch conventions. What it prints is each endpoint's spec
//! report (General's: the text in reading order, then its tables).
//!
//! Each is a domain of its own kind, with its own invoke URL and secret:
//! the variables the spec's `client.env` names.

use ocrwire::clova::{
    ClovaGeneralClient, ClovaTemplateClient, GeneralOptions, Language, RequestEncoding,
    TemplateOptions,
};
use ocrwire::wire::drift::Drift;
use ocrwire::wire::{clova_general_ocr as general, clova_template_ocr as template};
use serde_json::Value;

use crate::annotate::Annotate;
use crate::batch::{self, Answered, Input, Inputs};
use crate::clova::Args;
use crate::command::{self, Work};

use crate::{Failure, describe};

/// The client of the kind the command names.
#[derive(Clone)]
enum Reader {
    General(ClovaGeneralClient, GeneralOptions),
    Template(ClovaTemplateClient, TemplateOptions),
}

impl Reader {
    /// Reads `image`: the whole response as JSON, and what it held that
    /// the spec does not know.
    async fn read(&self, image: &ocrwire::Image) -> Result<(Value, Vec<Drift>), ocrwire::Error> {
        // The generated types serialize to plain JSON.
        fn json<T: serde::Serialize>(answer: ocrwire::client::Answer<T>) -> (Value, Vec<Drift>) {
            let drift = answer.drift().to_vec();
            (
                serde_json::to_value(answer.into_inner()).unwrap_or_default(),
                drift,
            )
        }
        Ok(match self {
            Reader::General(client, options) => json(client.read(image, options).await?),
            Reader::Template(client, options) => json(client.read(image, options).await?),
        })
    }
}

/// The languages `--lang` names (clap took only the library's codes).
fn languages(codes: &[String]) -> Vec<Language> {
    codes
        .iter()
        .filter_map(|code| Language::ALL.into_iter().find(|l| l.code() == code))
        .collect()
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let is_general = args.document == "general";
    if is_general && !args.template_ids.is_empty() {
        return Err(Failure::Usage(
            "--template-id is for `clova template`".into(),
        ));
    }
    let (family, endpoint) = if is_general {
        (&general::FAMILY, &general::GENERAL)
    } else {
        (&template::FAMILY, &template::INFER)
    };
    let op = crate::operations::find(family.name, endpoint.name).map_err(Failure::Usage)?;
    let accept = batch::Accept::Images(endpoint.limits.formats);
    let inputs = batch::inputs(&args.images, &args.batch, args.output, accept, false)?;
    let batch_of = matches!(inputs, Inputs::Many(_));
    let annotate = args
        .annotate
        .as_deref()
        .map(|out| Annotate::new(out, args.reveal, batch_of));
    let marks = move |answer: &Value| crate::annotate::outlined(op.shape, answer);
    command::run(
        Work::of(inputs)?,
        args.mock,
        args.batch.plan(),
        |mock| reader(args, is_general, mock),
        {
            let annotate = annotate.clone();
            move |reader: Reader, input: Input| {
                let annotate = annotate.clone();
                async move {
                    let image = input.read_off_thread().await?;
                    let (answer, drift) = reader.read(&image).await?;
                    let answered =
                        Answered::new(&answer, annotate, input, Some(image), marks).await;
                    Ok::<_, batch::Failed>(answered.with_drift(&drift))
                }
            }
        },
        |reader, input, image| async move {
            let Some(image) = image else {
                return Err(Failure::Usage("no image given".into()));
            };
            let (answer, _) = reader.read(&image).await.map_err(describe)?;
            crate::report::print(args.output, endpoint, &answer, image.name(), args.reveal)?;
            match annotate {
                Some(a) => a
                    .report(&input, &image, &marks(&answer))
                    .map_err(Failure::from),
                None => Ok(()),
            }
        },
    )
}

/// The typed client: pointed at `--mock`, or from the family's variables.
fn reader(
    args: &Args,
    is_general: bool,
    mock: Option<&crate::mock::Mock>,
) -> Result<Reader, Failure> {
    let family = if is_general {
        general::FAMILY.name
    } else {
        template::FAMILY.name
    };
    let (url, secret) = match mock {
        Some(mock) => (mock.clova_invoke_url.clone(), mock.clova_secret.clone()),
        None => crate::call::own_url_from_env(family)?,
    };
    let encoding = if args.json_body {
        RequestEncoding::Json
    } else {
        RequestEncoding::Multipart
    };
    let languages = languages(&args.languages);
    let transport = args.batch.transport();
    Ok(if is_general {
        let client = ClovaGeneralClient::builder(&url, secret)
            .encoding(encoding)
            .transport(transport)
            .build()
            .map_err(|e| Failure::Usage(describe(e)))?;
        let options = GeneralOptions::default()
            .languages(languages)
            .table_detection(args.tables);
        Reader::General(client, options)
    } else {
        let client = ClovaTemplateClient::builder(&url, secret)
            .encoding(encoding)
            .transport(transport)
            .build()
            .map_err(|e| Failure::Usage(describe(e)))?;
        let options = TemplateOptions::default()
            .templates(args.template_ids.iter().copied())
            .languages(languages)
            .table_detection(args.tables);
        Reader::Template(client, options)
    })
}
