//! Blocking clients (feature `blocking`): the async clients' methods, for
//! programs without an async runtime (small tools, batch jobs, scripts).
//!
//! Each client wraps the async one and runs its calls on an internal tokio
//! runtime, so the guarantees are the same ones: the envelope, tokens,
//! retries, timeouts, drift checks. Clones share the runtime, the
//! connection pool and the key and token caches, and calls may come from
//! many threads at once.
//!
//! A blocking call made from inside an async runtime would stall that
//! runtime's thread (or deadlock a single-threaded one), so it is refused
//! with [`Error::Blocking`] instead. Use the async clients there.
//!
//! ```no_run
//! use ocrwire::blocking::DocumentClient;
//! use ocrwire::{Error, Image};
//!
//! # fn demo() -> Result<(), Error> {
//! let client = DocumentClient::from_env()?;
//! let card = client.credit_card(&Image::from_path("card.png")?)?;
//! println!("{:?}", card.number());
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;

use crate::clova::{Document, Recognized, RequestEncoding};
use crate::error::Error;
use crate::image::Image;
#[cfg(doc)]
use crate::{clova, nhn};

/// The internal runtime. It is shut down without waiting when the last
/// client goes, so dropping a client is safe anywhere, async code included.
struct Engine(Option<tokio::runtime::Runtime>);

impl Engine {
    fn start() -> Result<Arc<Engine>, Error> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ocrwire-blocking")
            .enable_all()
            .build()
            .map(|runtime| Arc::new(Engine(Some(runtime))))
            .map_err(|_| Error::Blocking {
                method: "(client setup)",
                problem: "the internal runtime could not start",
            })
    }

    /// Runs `call` to completion on the internal runtime, unless the caller
    /// is itself on an async runtime.
    fn run<T>(&self, method: &'static str, call: impl Future<Output = T>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Blocking {
                method,
                problem: "was called from async code, where blocking would stall the runtime; use the async client there",
            });
        }
        match &self.0 {
            Some(runtime) => Ok(runtime.block_on(call)),
            None => Err(Error::Blocking {
                method,
                problem: "the internal runtime is gone",
            }),
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

// The clients, generated from the spec: for each family's async client, a
// blocking twin with the same constructors and one method per endpoint.
include_generated!("blocking.rs");

/// Hand-written: any document by its type, as the async client has it.
impl ClovaClient {
    /// As [`clova::ClovaClient::recognize`]: the document type picks the
    /// endpoint.
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn recognize<D: Document>(&self, image: &Image) -> Result<Recognized<D>, Error> {
        self.engine.run("recognize", self.inner.recognize(image))?
    }

    /// As [`clova::ClovaClient::recognize_as`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn recognize_as<D: Document>(
        &self,
        image: &Image,
        encoding: RequestEncoding,
    ) -> Result<Recognized<D>, Error> {
        self.engine
            .run("recognize_as", self.inner.recognize_as(image, encoding))?
    }
}

/// Hand-written: one image read with typed options, as the async client has it.
impl ClovaGeneralClient {
    /// As [`crate::clova::ClovaGeneralClient::read`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn read(
        &self,
        image: &Image,
        options: &crate::clova::GeneralOptions,
    ) -> Result<crate::client::Answer<crate::wire::clova_general_ocr::GeneralResponse>, Error> {
        self.engine.run("read", self.inner.read(image, options))?
    }
}

/// Hand-written: one image read with typed options, as the async client has it.
impl ClovaTemplateClient {
    /// As [`crate::clova::ClovaTemplateClient::read`].
    ///
    /// # Errors
    ///
    /// As the async method, or [`Error::Blocking`].
    pub fn read(
        &self,
        image: &Image,
        options: &crate::clova::TemplateOptions,
    ) -> Result<crate::client::Answer<crate::wire::clova_template_ocr::TemplateResponse>, Error>
    {
        self.engine.run("read", self.inner.read(image, options))?
    }
}
