//! What every command over images does, written once: the inputs read
//! first (a missing file should not wait for an emulator), the `--mock`
//! emulator started and stopped around the work, the client built, then
//! either a batch ([`batch::run`]: `--jobs`, `--resume`, JSON Lines,
//! progress, exit statuses) or one input with its printed answer.
//!
//! Each command gives only what is its own: how to build its client, what
//! one input of a batch answers, and how one input is shown.

use std::future::Future;

use ocrwire::Image;

use crate::batch::{self, Answered, Failed, Input, Inputs, Plan};
use crate::mock::Mock;
use crate::{Failure, describe};

/// The inputs, checked: many, or one with its image read (none for a URL).
pub enum Work {
    Batch(Vec<Input>),
    One(Input, Option<Image>),
}

impl Work {
    /// Reads a single file input now, so that its problems come first.
    ///
    /// # Errors
    ///
    /// The file's problem, as a failure of the command.
    pub fn of(inputs: Inputs) -> Result<Work, Failure> {
        Ok(match inputs {
            Inputs::Many(inputs) => Work::Batch(inputs),
            Inputs::One(input @ (Input::Url(_) | Input::Value(_))) => Work::One(input, None),
            Inputs::One(input) => {
                let image = input.read().map_err(describe)?;
                Work::One(input, Some(image))
            }
        })
    }
}

/// Runs a command over `work`: the emulator if `mock`, the client
/// `client` builds, then `each` for every input of a batch or `one` for a
/// single input.
///
/// # Errors
///
/// The command's failure: the emulator or the client could not start, a
/// batch had failures, or the single input failed.
pub fn run<C, Each, EachFut, One, OneFut>(
    work: Work,
    mock: bool,
    plan: Plan,
    client: impl FnOnce(Option<&Mock>) -> Result<C, Failure>,
    each: Each,
    one: One,
) -> Result<(), Failure>
where
    C: Clone,
    Each: Fn(C, Input) -> EachFut,
    EachFut: Future<Output = Result<Answered, Failed>>,
    One: FnOnce(C, Input, Option<Image>) -> OneFut,
    OneFut: Future<Output = Result<(), Failure>>,
{
    crate::block_on(async move {
        // Held until the command is done: dropping it stops the emulator.
        let mock = if mock {
            Some(crate::mock::start().await?)
        } else {
            None
        };
        let client = client(mock.as_ref())?;
        let outcome = match work {
            Work::Batch(inputs) => {
                batch::run(inputs, plan, move |input| each(client.clone(), input)).await
            }
            Work::One(input, image) => one(client, input, image).await,
        };
        if let Some(mock) = mock {
            mock.shutdown().await?;
        }
        outcome
    })
}

/// What to send: the image read from a file, else the input's URL.
pub fn source<'a>(image: Option<&'a Image>, input: &'a Input) -> ocrwire::image::ImageSource<'a> {
    use ocrwire::image::ImageSource;
    match (image, input) {
        (Some(image), _) => ImageSource::File(image),
        (None, Input::Url(url)) => ImageSource::Url(url),
        // A file is always read first (`Work::of`, `Input::read`); an
        // empty URL is refused by the client like any malformed one.
        (None, _) => ImageSource::Url(""),
    }
}

/// The image of one input of a batch: read off the async threads, or none
/// for a URL.
///
/// # Errors
///
/// The file's problem, as the input's failure.
pub async fn read(input: &Input) -> Result<Option<Image>, Failed> {
    Ok(match input {
        Input::Url(_) | Input::Value(_) => None,
        file => Some(file.read_off_thread().await?),
    })
}
