//! [`AnyClient`]: a client of whichever family a program picks at run
//! time, for code that is told an endpoint's name rather than written
//! against its type (the command line's `call`).
//!
//! It calls any endpoint one image is sent to, through the same shared
//! functions as the typed methods (`calls`, `clova::recognize`), and
//! answers as JSON. The table of what it can call is built once from the
//! generated registry ([`visit_image_calls`](crate::wire::visit_image_calls),
//! and [`visit_input_calls`](crate::wire::visit_input_calls) for endpoints
//! that take named text inputs beside or instead of an image), so a new
//! spec endpoint is callable with no code here.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use super::{Runtime, calls};
use crate::clova::RequestEncoding;
use crate::descriptor::{
    Endpoint, FromBody, FromInputs, FromParts, ImageCallVisitor, InputCallVisitor, Inputs,
    Operation, UrlBody,
};
use crate::error::{Error, InvalidInput};
use crate::image::{Image, ImageSource};
use crate::wire::drift::Drift;

/// A client of one family, calling its endpoints by descriptor.
#[derive(Clone)]
pub struct AnyClient {
    runtime: Arc<Runtime>,
    encoding: RequestEncoding,
}

impl std::fmt::Debug for AnyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnyClient")
            .field("family", &self.runtime.family.name)
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

/// An answer, as JSON (decrypted, exactly as `--output json` shows it: an
/// NHN payload, a CLOVA document response), with its drift.
///
/// The JSON holds what the typed answer marks [`Sensitive`](crate::Sensitive)
/// in plain text (a card number, a resident number), so `Debug` shows only
/// its size, and dropping it overwrites every string and number in it.
#[non_exhaustive]
pub struct Called {
    /// The answer.
    pub answer: Value,
    /// What it held that the spec does not know.
    pub drift: Vec<Drift>,
}

impl std::fmt::Debug for Called {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.answer {
            Value::Object(members) => format!("<an object of {} members>", members.len()),
            Value::Array(items) => format!("<a list of {} items>", items.len()),
            _ => "<a value>".to_owned(),
        };
        f.debug_struct("Called")
            .field("answer", &format_args!("{kind}"))
            .field("drift", &self.drift)
            .finish()
    }
}

impl Called {
    /// The answer, taken out: yours to keep, and to wipe.
    pub fn into_answer(mut self) -> Value {
        std::mem::take(&mut self.answer)
    }
}

impl Drop for Called {
    fn drop(&mut self) {
        crate::sensitive::wipe_json(&mut self.answer);
    }
}

type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<Called, Error>> + Send + 'a>>;
type CallFn = for<'a> fn(&'a Runtime, ImageSource<'a>, RequestEncoding) -> CallFuture<'a>;

impl AnyClient {
    pub(crate) fn new(runtime: Arc<Runtime>, encoding: RequestEncoding) -> AnyClient {
        AnyClient { runtime, encoding }
    }

    /// The client of the NHN-style family named `family` (a fixed host,
    /// credentials that choose the version), with `builder`'s settings.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a family with no such client, or as the
    /// typed client's `build`.
    pub fn nhn<C>(family: &str, builder: crate::nhn::ClientBuilder<C>) -> Result<AnyClient, Error> {
        crate::nhn::any_client(family, builder).unwrap_or_else(|| Err(no_client(family)))
    }

    /// The client of the family named `family` whose every caller has its
    /// own URL (CLOVA-style), with `builder`'s settings.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] for a family with no such client, or as the
    /// typed client's `build`.
    pub fn own_url<C>(
        family: &str,
        builder: crate::clova::ClientBuilder<C>,
    ) -> Result<AnyClient, Error> {
        crate::clova::any_client(family, builder).unwrap_or_else(|| Err(no_client(family)))
    }

    /// The variables holding the URL and the secret of a caller of the
    /// family named `family`, for one whose every caller has its own URL
    /// (CLOVA's `CLOVA_OCR_INVOKE_URL`, `CLOVA_OCR_SECRET`).
    pub fn own_url_variables(family: &str) -> Option<(&'static str, &'static str)> {
        crate::clova::variables(family)
    }

    /// The family this client calls.
    pub fn family(&self) -> &'static crate::descriptor::Family {
        self.runtime.family
    }

    /// Whether [`call`](Self::call) reaches `endpoint`: one image is sent to
    /// it (a file part, a URL body beside one, or a document).
    pub fn takes_an_image(endpoint: &Endpoint) -> bool {
        table().contains_key(&(endpoint.family, endpoint.name))
    }

    /// Whether `endpoint` also takes an image by URL.
    pub fn takes_a_url(endpoint: &Endpoint) -> bool {
        urls().contains(&(endpoint.family, endpoint.name))
    }

    /// Sends `source` to `endpoint`, one of this client's family.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for an endpoint of another family
    /// or one no image is sent to, a URL to an endpoint that takes only
    /// files, or an image its limits refuse; then as every call.
    pub async fn call(
        &self,
        endpoint: &'static Endpoint,
        source: ImageSource<'_>,
    ) -> Result<Called, Error> {
        let refuse = |problem: String| -> Error { InvalidInput::Unsupported { problem }.into() };
        self.check_family(endpoint)?;
        let Some(call) = table().get(&(endpoint.family, endpoint.name)) else {
            return Err(refuse(format!(
                "`{}` takes no single image; only its typed method calls it",
                endpoint.name
            )));
        };
        if matches!(source, ImageSource::Url(_)) && !Self::takes_a_url(endpoint) {
            return Err(refuse(format!(
                "`{}` takes an uploaded image, not a URL",
                endpoint.name
            )));
        }
        call(&self.runtime, source, self.encoding).await
    }
}

/// What an endpoint called with named inputs takes
/// ([`AnyClient::inputs_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputsOf {
    /// Whether it takes an image (then one is required).
    pub takes_a_file: bool,
    /// Its named inputs, by wire name, in spec order, each with whether it
    /// is required.
    pub inputs: &'static [(&'static str, bool)],
}

impl AnyClient {
    /// What [`call_with`](Self::call_with) can send `endpoint`: `None` when
    /// its request is not built from named inputs (it has other arguments,
    /// or a JSON part, or a body of more than text).
    pub fn inputs_of(endpoint: &Endpoint) -> Option<InputsOf> {
        input_table()
            .get(&(endpoint.family, endpoint.name))
            .map(|entry| entry.of)
    }

    /// Sends `endpoint`, one of this client's family, the request built
    /// from `image` and the named `inputs` (text parts or body members, by
    /// wire name). The request is checked as every call's is (the image's
    /// limits, the spec's checked forms) before anything is sent.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] (nothing sent) for an endpoint of another family
    /// or one not built from named inputs, an input it does not take, a
    /// required one missing or out of form, or an image where it takes none
    /// (or none where it needs one); then as every call.
    pub async fn call_with(
        &self,
        endpoint: &'static Endpoint,
        image: Option<&Image>,
        inputs: &Inputs,
    ) -> Result<Called, Error> {
        let refuse = |problem: String| -> Error { InvalidInput::Unsupported { problem }.into() };
        self.check_family(endpoint)?;
        let Some(entry) = input_table().get(&(endpoint.family, endpoint.name)) else {
            return Err(refuse(format!(
                "`{}` is not built from named inputs; only its typed method calls it",
                endpoint.name
            )));
        };
        (entry.call)(&self.runtime, image, inputs).await
    }
}

impl AnyClient {
    /// Refuses an endpoint of another family than this client's.
    fn check_family(&self, endpoint: &Endpoint) -> Result<(), Error> {
        if endpoint.family == self.runtime.family.name {
            return Ok(());
        }
        Err(InvalidInput::Unsupported {
            problem: format!(
                "`{}` is an endpoint of {}, not of {}",
                endpoint.name, endpoint.family, self.runtime.family.name
            ),
        }
        .into())
    }
}

fn no_client(family: &str) -> Error {
    InvalidInput::Unsupported {
        problem: format!("no client calls the family `{family}`"),
    }
    .into()
}

/// The image to upload, or an error for a URL.
fn file<'a>(source: ImageSource<'a>, endpoint: &Endpoint) -> Result<&'a Image, Error> {
    match source {
        ImageSource::File(image) => Ok(image),
        ImageSource::Url(_) => Err(InvalidInput::Unsupported {
            problem: format!("`{}` takes an uploaded image, not a URL", endpoint.name),
        }
        .into()),
    }
}

fn called<R: serde::Serialize>(answer: crate::client::Answer<R>) -> Called {
    let drift = answer.drift().to_vec();
    Called {
        // The generated types serialize to plain JSON.
        answer: serde_json::to_value(answer.into_inner()).unwrap_or_default(),
        drift,
    }
}

fn upload<'a, O>(
    runtime: &'a Runtime,
    source: ImageSource<'a>,
    _: RequestEncoding,
) -> CallFuture<'a>
where
    O: Operation,
    O::Request: FromParts<Parts = (Image,)> + Send + Sync,
{
    Box::pin(async move {
        let image = file(source, O::ENDPOINT)?;
        Ok(called(calls::upload::<O>(runtime, image).await?))
    })
}

fn upload_or_url<'a, O, B>(
    runtime: &'a Runtime,
    source: ImageSource<'a>,
    _: RequestEncoding,
) -> CallFuture<'a>
where
    O: Operation,
    O::Request: FromParts<Parts = (Image,)> + FromBody<B> + Send + Sync,
    B: UrlBody,
{
    Box::pin(async move { Ok(called(calls::upload_or_url::<O, B>(runtime, source).await?)) })
}

fn document<'a, D: crate::clova::Document>(
    runtime: &'a Runtime,
    source: ImageSource<'a>,
    encoding: RequestEncoding,
) -> CallFuture<'a> {
    Box::pin(async move {
        let endpoint = <D::Operation as Operation>::ENDPOINT;
        let image = file(source, endpoint)?;
        let read = crate::clova::recognize::<D>(runtime, image, encoding).await?;
        let drift = read.drift().to_vec();
        Ok(Called {
            answer: serde_json::to_value(read.into_response()).unwrap_or_default(),
            drift,
        })
    })
}

type InputFuture<'a> = Pin<Box<dyn Future<Output = Result<Called, Error>> + Send + 'a>>;
type InputFn = for<'a> fn(&'a Runtime, Option<&'a Image>, &'a Inputs) -> InputFuture<'a>;

fn with_inputs<'a, O>(
    runtime: &'a Runtime,
    image: Option<&'a Image>,
    inputs: &'a Inputs,
) -> InputFuture<'a>
where
    O: Operation,
    O::Request: FromInputs + Send + Sync,
{
    Box::pin(async move {
        let request = O::Request::from_inputs(image, inputs)?;
        Ok(called(calls::send(runtime, &request).await?))
    })
}

struct InputEntry {
    call: InputFn,
    of: InputsOf,
}

/// Every endpoint built from named inputs, and how, from the registry.
fn input_table() -> &'static HashMap<(&'static str, &'static str), InputEntry> {
    static TABLE: OnceLock<HashMap<(&'static str, &'static str), InputEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut collect = CollectInputs::default();
        crate::wire::visit_input_calls(&mut collect);
        collect.0
    })
}

#[derive(Default)]
struct CollectInputs(HashMap<(&'static str, &'static str), InputEntry>);

impl InputCallVisitor for CollectInputs {
    fn inputs<O: Operation>(&mut self)
    where
        O::Request: FromInputs,
    {
        let entry = InputEntry {
            call: with_inputs::<O>,
            of: InputsOf {
                takes_a_file: <O::Request as FromInputs>::TAKES_A_FILE,
                inputs: <O::Request as FromInputs>::INPUTS,
            },
        };
        self.0.insert(key::<O>(), entry);
    }
}

type Table = HashMap<(&'static str, &'static str), CallFn>;

/// Every endpoint an image is sent to, and how, from the registry.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut collect = Collect::default();
        crate::wire::visit_image_calls(&mut collect);
        collect.calls
    })
}

/// The endpoints that also take an image by URL.
fn urls() -> &'static [(&'static str, &'static str)] {
    static URLS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    URLS.get_or_init(|| {
        let mut collect = Collect::default();
        crate::wire::visit_image_calls(&mut collect);
        collect.urls
    })
}

#[derive(Default)]
struct Collect {
    calls: Table,
    urls: Vec<(&'static str, &'static str)>,
}

fn key<O: Operation>() -> (&'static str, &'static str) {
    (O::ENDPOINT.family, O::ENDPOINT.name)
}

impl ImageCallVisitor for Collect {
    fn upload<O: Operation>(&mut self)
    where
        O::Request: FromParts<Parts = (Image,)>,
    {
        self.calls.insert(key::<O>(), upload::<O>);
    }

    fn upload_or_url<O: Operation, B: UrlBody>(&mut self)
    where
        O::Request: FromParts<Parts = (Image,)> + FromBody<B>,
    {
        self.calls.insert(key::<O>(), upload_or_url::<O, B>);
        self.urls.push(key::<O>());
    }

    fn document<D: crate::clova::Document>(&mut self) {
        self.calls.insert(key::<D::Operation>(), document::<D>);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn called_shows_no_reading_and_its_json_can_be_wiped() {
        let called = Called {
            answer: serde_json::json!({"cardNum": "4929000011112222", "n": [900101, {"name": "김철수"}]}),
            drift: Vec::new(),
        };
        let shown = format!("{called:?}");
        assert_eq!(
            shown,
            "Called { answer: <an object of 2 members>, drift: [] }"
        );

        let mut answer = called.answer.clone();
        crate::sensitive::wipe_json(&mut answer);
        assert_eq!(
            answer,
            serde_json::json!({"cardNum": "", "n": [0, {"name": ""}]})
        );
    }
}
