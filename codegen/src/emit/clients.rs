//! The clients, as tonic-build writes a client from a service description:
//! per vendor module, each family's client type with one method per
//! endpoint (`generated/<vendor>_clients.rs`), and every client's blocking
//! twin (`generated/blocking.rs`).
//!
//! A method is a call into shared runtime code chosen by the endpoint's
//! [`CallKind`]; nothing of the request pipeline is written here. These
//! files name crate-private items (the runtime, the blocking engine), so
//! unlike the family files they compile only inside `ocrwire`, each
//! included in the module whose privates it uses.

use super::{doc, ident, render};
use crate::model::{BaseUrl, CallKind, Client, Credential, Endpoint, Family};
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;

/// The generated file of the async clients of one vendor module.
pub fn file_name(module: &str) -> String {
    format!("{module}_clients.rs")
}

/// The generated file of the blocking clients.
pub const BLOCKING_FILE: &str = "blocking.rs";

/// Every client module's file, then the blocking file: `(name, source)`.
pub fn emit(families: &[Family]) -> Vec<(String, String)> {
    let mut modules: Vec<&'static str> = families
        .iter()
        .filter_map(|f| f.client.as_ref().map(|c| c.module))
        .collect();
    modules.sort_unstable();
    modules.dedup();
    let mut out: Vec<(String, String)> = modules
        .iter()
        .map(|module| {
            let of_module: Vec<&Family> = families
                .iter()
                .filter(|f| f.client.as_ref().is_some_and(|c| c.module == *module))
                .collect();
            let clients = of_module.iter().map(|f| async_client(f));
            let any = any_dispatch(&of_module);
            (
                file_name(module),
                render(&super::header("spec/"), quote! { #(#clients)* #any }),
            )
        })
        .collect();
    let blocking = families
        .iter()
        .filter(|f| f.client.is_some())
        .map(blocking_client);
    out.push((
        BLOCKING_FILE.to_string(),
        render(&super::header("spec/"), quote! { #(#blocking)* }),
    ));
    out
}

/// The family's wire module (`::ocrwire::wire::nhn_document_ocr_v2`).
fn wire(f: &Family) -> TokenStream {
    let module = ident(&f.module);
    quote! { ::ocrwire::wire::#module }
}

/// Whether every caller has a URL of its own (CLOVA): the client is built
/// from that URL and a secret rather than from NHN's credentials.
fn per_caller(f: &Family) -> bool {
    matches!(f.base_url, BaseUrl::PerCaller { .. })
}

/// `v2.0` (secret-key), `v2.1` (user-access-key-token).
fn versions_in_words(f: &Family) -> String {
    f.versions
        .iter()
        .map(|v| {
            let scheme = &f.auth[v.auth];
            let credential = match &scheme.credential {
                Credential::SecretKey => "a secret key".to_string(),
                Credential::KeyPair => "a key pair".to_string(),
                Credential::Token { .. } => "a User Access Key".to_string(),
            };
            match &v.name {
                Some(name) => format!("`{name}` with {credential}"),
                None => format!("one version, with {credential}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn async_client(f: &Family) -> TokenStream {
    let Some(c) = f.client.as_ref() else {
        return TokenStream::new();
    };
    let name = ident(&c.name);
    let builder = ident(&format!("{}Builder", c.name));
    let wire = wire(f);
    let docs = doc(&format!(
        "{}\n\nGenerated from `{}`: one method per endpoint.",
        c.description,
        f.spec_path.display()
    ));
    let builder_docs = doc(&format!("Settings for a [`{}`].", c.name));
    let methods = f.endpoints.iter().map(|e| async_method(f, e));
    let title = &c.name;
    if per_caller(f) {
        let (url_var, secret_var) = c.env.clone().unwrap_or_default();
        quote! {
            #docs
            #[derive(Clone)]
            pub struct #name {
                pub(crate) runtime: ::std::sync::Arc<::ocrwire::client::Runtime>,
                pub(crate) encoding: ::ocrwire::clova::RequestEncoding,
            }

            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#title).field("encoding", &self.encoding).finish_non_exhaustive()
                }
            }

            #builder_docs
            pub type #builder = ::ocrwire::clova::ClientBuilder<#name>;

            impl ::ocrwire::clova::OwnUrlClient for #name {}

            #[allow(private_interfaces)]
            impl ::ocrwire::clova::sealed::Sealed for #name {
                type Api = #wire::Api;
                const URL_VARIABLE: &'static str = #url_var;
                const SECRET_VARIABLE: &'static str = #secret_var;
                fn from_runtime(
                    runtime: ::std::sync::Arc<::ocrwire::client::Runtime>,
                    encoding: ::ocrwire::clova::RequestEncoding,
                ) -> Self {
                    #name { runtime, encoding }
                }
            }

            impl #name {
                /// A client of the domain behind `url` (the API Gateway URL the service
                /// gives it), authenticated by `secret`, sending multipart requests.
                ///
                /// # Errors
                ///
                /// [`Error::Invalid`](::ocrwire::Error::Invalid) for a URL of the wrong
                /// shape or an unsendable secret; the message shows neither.
                pub fn new(
                    url: &str,
                    secret: impl Into<::ocrwire::Sensitive>,
                ) -> Result<#name, ::ocrwire::Error> {
                    #builder::new(url, secret).build()
                }

                /// A client configured from the environment (see
                /// [`env`](::ocrwire::client::env)):
                #[doc = concat!("`", #url_var, "` and `", #secret_var, "`.")]
                ///
                /// # Errors
                ///
                /// [`Error::Invalid`](::ocrwire::Error::Invalid) naming a missing
                /// variable, or as [`new`](Self::new).
                pub fn from_env() -> Result<#name, ::ocrwire::Error> {
                    #builder::from_env()?.build()
                }

                /// Settings other than the defaults: encoding, timeouts, retries.
                pub fn builder(url: &str, secret: impl Into<::ocrwire::Sensitive>) -> #builder {
                    #builder::new(url, secret)
                }

                /// The calls per second the adaptive rate limiter lets through now;
                /// `None` in [`RetryMode::Standard`](::ocrwire::client::RetryMode) or
                /// while the service has not throttled this client (or a clone of it).
                pub fn paced_rate(&self) -> Option<f64> {
                    self.runtime.paced_rate()
                }

                /// How this client encodes the image in its requests.
                pub fn encoding(&self) -> ::ocrwire::clova::RequestEncoding {
                    self.encoding
                }

                #(#methods)*
            }
        }
    } else {
        let versions = format!(
            "The API version this client calls ({}).",
            versions_in_words(f)
        );
        quote! {
            #docs
            #[derive(Clone)]
            pub struct #name {
                pub(crate) runtime: ::std::sync::Arc<::ocrwire::client::Runtime>,
            }

            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#title).finish_non_exhaustive()
                }
            }

            #builder_docs
            pub type #builder = ::ocrwire::nhn::ClientBuilder<#name>;

            impl ::ocrwire::nhn::NhnClient for #name {}

            #[allow(private_interfaces)]
            impl ::ocrwire::nhn::sealed::Sealed for #name {
                type Api = #wire::Api;
                fn from_runtime(runtime: ::std::sync::Arc<::ocrwire::client::Runtime>) -> Self {
                    #name { runtime }
                }
            }

            impl #name {
                /// A client of the default host with default settings; the
                /// credentials choose the version.
                ///
                /// # Errors
                ///
                /// [`Error::Invalid`](::ocrwire::Error::Invalid) for empty or
                /// unsendable credentials.
                pub fn new(credentials: ::ocrwire::client::Credentials) -> Result<#name, ::ocrwire::Error> {
                    #name::builder(credentials).build()
                }

                /// A client configured from the environment (see
                /// [`env`](::ocrwire::client::env)): credentials, hosts.
                ///
                /// # Errors
                ///
                /// [`Error::Invalid`](::ocrwire::Error::Invalid) naming a missing
                /// variable, or for unusable values.
                pub fn from_env() -> Result<#name, ::ocrwire::Error> {
                    #builder::from_env()?.build()
                }

                /// Settings other than the defaults: host, timeouts, retries.
                pub fn builder(credentials: ::ocrwire::client::Credentials) -> #builder {
                    #builder::new(credentials)
                }

                /// The calls per second the adaptive rate limiter lets through now;
                /// `None` in [`RetryMode::Standard`](::ocrwire::client::RetryMode) or
                /// while the service has not throttled this client (or a clone of it).
                pub fn paced_rate(&self) -> Option<f64> {
                    self.runtime.paced_rate()
                }

                #[doc = #versions]
                pub fn api_version(&self) -> &'static str {
                    self.runtime.version().name.unwrap_or_default()
                }

                /// Revokes the access token the client holds, if it holds one (a
                /// client built with a User Access Key, after a call). The next call
                /// gets a new token. Returns whether a token was revoked.
                ///
                /// # Errors
                ///
                /// The token API's refusal, or a transport error; the token is
                /// forgotten either way.
                pub async fn revoke_token(&self) -> Result<bool, ::ocrwire::Error> {
                    ::ocrwire::client::calls::revoke_token(&self.runtime).await
                }

                #(#methods)*
            }
        }
    }
}

/// A method's name: the endpoint's (`id-card-stand-alone` ->
/// `id_card_stand_alone`).
fn method_name(e: &Endpoint) -> proc_macro2::Ident {
    ident(&names::snake(&e.name))
}

/// The payload type of a success (`()` for none).
fn response_type(f: &Family, e: &Endpoint) -> TokenStream {
    let wire = wire(f);
    match &e.response.body {
        Some(body) => {
            let body = ident(body);
            quote! { #wire::#body }
        }
        None => quote! { () },
    }
}

/// What the method takes, gives back, and calls: `(parameters, generics,
/// output, body)`.
struct Signature {
    generics: TokenStream,
    params: TokenStream,
    output: TokenStream,
    call: TokenStream,
    /// The arguments as the blocking twin passes them on.
    args: TokenStream,
}

fn signature(f: &Family, e: &Endpoint) -> Signature {
    let wire = wire(f);
    let op = ident(&e.op_name);
    let response = response_type(f, e);
    let answer = quote! { ::ocrwire::client::Answer<#response> };
    let calls = quote! { ::ocrwire::client::calls };
    match &e.call {
        CallKind::PublicKey => Signature {
            generics: quote! {},
            params: quote! { service: #wire::KeyService },
            output: quote! { ::ocrwire::envelope::PublicKey },
            call: quote! { self.runtime.public_key::<#wire::Api>(service.as_str()).await },
            args: quote! { service },
        },
        CallKind::Document { document } => {
            let document = ident(document);
            Signature {
                generics: quote! {},
                params: quote! { image: &::ocrwire::Image },
                output: quote! { ::ocrwire::clova::Recognized<#wire::#document> },
                call: quote! {
                    ::ocrwire::clova::recognize::<#wire::#document>(&self.runtime, image, self.encoding).await
                },
                args: quote! { image },
            }
        }
        CallKind::Upload {
            url_body: None,
            issues_request_key: false,
        } => Signature {
            generics: quote! {},
            params: quote! { image: &::ocrwire::Image },
            output: answer,
            call: quote! { #calls::upload::<#wire::#op>(&self.runtime, image).await },
            args: quote! { image },
        },
        CallKind::Upload {
            url_body: None,
            issues_request_key: true,
        } => Signature {
            generics: quote! {},
            params: quote! { image: &::ocrwire::Image },
            output: quote! { ::ocrwire::client::Answer<::ocrwire::nhn::Keyed<#response>> },
            call: quote! { #calls::upload_keyed::<#wire::#op>(&self.runtime, image).await },
            args: quote! { image },
        },
        CallKind::Upload {
            url_body: Some(url_body),
            ..
        } => {
            let url_body = ident(url_body);
            Signature {
                generics: quote! { <'a> },
                params: quote! { source: impl Into<::ocrwire::image::ImageSource<'a>> },
                output: answer,
                call: quote! {
                    #calls::upload_or_url::<#wire::#op, #wire::#url_body>(&self.runtime, source.into()).await
                },
                args: quote! { source },
            }
        }
        CallKind::SpendsRequestKey { body } => {
            let checked = f
                .object(body)
                .and_then(|o| o.discriminated.as_ref())
                .map(|d| d.checks_enum.clone());
            let (param, ty) = match &checked {
                Some(checks) => (ident("check"), ident(checks)),
                None => (ident("body"), ident(body)),
            };
            Signature {
                generics: quote! {},
                params: quote! {
                    request_key: ::ocrwire::nhn::RequestKey,
                    #param: impl Into<#wire::#ty>
                },
                output: answer,
                call: quote! {
                    #calls::spend_request_key::<#wire::#op, #wire::#ty>(&self.runtime, request_key, #param.into()).await
                },
                args: quote! { request_key, #param },
            }
        }
        CallKind::Text { body, field } => {
            let body = ident(body);
            let param = ident(field);
            Signature {
                generics: quote! {},
                params: quote! { #param: impl Into<String> },
                output: answer,
                call: quote! {
                    #calls::send_text::<#wire::#op, #wire::#body>(&self.runtime, #param.into()).await
                },
                args: quote! { #param },
            }
        }
        CallKind::Request => {
            let request = ident(&super::requests::request_name(e));
            Signature {
                generics: quote! {},
                params: quote! { request: &#wire::#request },
                output: answer,
                call: quote! { #calls::send(&self.runtime, request).await },
                args: quote! { request },
            }
        }
    }
}

/// The spec's words for the method, and what can go wrong.
fn method_docs(f: &Family, e: &Endpoint) -> TokenStream {
    let module = &f.module;
    let mut text = format!("`{}`: {}", e.name, e.summary);
    if let CallKind::Request = e.call {
        text.push_str(&format!(
            "\n\nThe request is [`{}`](::ocrwire::wire::{module}::{}), exactly as it goes out (less auth and envelope).",
            super::requests::request_name(e),
            super::requests::request_name(e)
        ));
    }
    text.push_str(&format!(
        "\n\n# Errors\n\n[`Error::Invalid`](::ocrwire::Error::Invalid) (nothing sent) for input the endpoint's limits refuse; [`Error::Vendor`](::ocrwire::Error::Vendor) with a [`ErrorCode`](::ocrwire::wire::{module}::ErrorCode) when the service refuses; [`Error::Transport`](::ocrwire::Error::Transport) and [`Error::MalformedResponse`](::ocrwire::Error::MalformedResponse) as for every call."
    ));
    doc(&text)
}

fn async_method(f: &Family, e: &Endpoint) -> TokenStream {
    let name = method_name(e);
    let docs = method_docs(f, e);
    let Signature {
        generics,
        params,
        output,
        call,
        ..
    } = signature(f, e);
    quote! {
        #docs
        pub async fn #name #generics(&self, #params) -> Result<#output, ::ocrwire::Error> {
            #call
        }
    }
}

fn blocking_client(f: &Family) -> TokenStream {
    let Some(c) = f.client.as_ref() else {
        return TokenStream::new();
    };
    let name = ident(&c.name);
    let builder = ident(&format!("{}Builder", c.name));
    let module = ident(c.module);
    let docs = doc(&format!(
        "Blocking [`{0}::{1}`]: {2}",
        c.module, c.name, c.description
    ));
    let debug_name = format!("blocking::{}", c.name);
    let front = blocking_front(c, &name, &module, &builder);
    let methods = f.endpoints.iter().map(|e| blocking_method(f, c, e));
    quote! {
        #docs
        #[derive(Clone)]
        pub struct #name {
            inner: crate::#module::#name,
            engine: Arc<Engine>,
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(#debug_name).field(&self.inner).finish()
            }
        }

        impl #name {
            #front
            #(#methods)*
        }
    }
}

/// Construction, pacing and the family's own extras, over the async client.
fn blocking_front(
    c: &Client,
    name: &proc_macro2::Ident,
    module: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
) -> TokenStream {
    let async_path = format!("{}::{}", c.module, c.name);
    let from_env_doc = format!("As [`{async_path}::from_env`].");
    let new_doc = format!("As [`{async_path}::new`].");
    let build_doc = format!(
        "Builds the client from the async builder's settings: `{}::build({async_path}::builder(..).drift(..))`.",
        c.name
    );
    let extras = if c.env.is_some() {
        quote! {
            #[doc = #new_doc]
            ///
            /// # Errors
            ///
            /// As the async constructor, or [`Error::Blocking`] if the internal
            /// runtime cannot start.
            pub fn new(url: &str, secret: impl Into<crate::Sensitive>) -> Result<#name, Error> {
                Self::from_async(crate::#module::#name::new(url, secret)?)
            }

            /// How this client encodes the image in its requests (multipart, or JSON
            /// with Base64).
            pub fn encoding(&self) -> crate::clova::RequestEncoding {
                self.inner.encoding()
            }
        }
    } else {
        quote! {
            #[doc = #new_doc]
            ///
            /// # Errors
            ///
            /// As the async constructor, or [`Error::Blocking`] if the internal
            /// runtime cannot start.
            pub fn new(credentials: crate::client::Credentials) -> Result<#name, Error> {
                Self::from_async(crate::#module::#name::new(credentials)?)
            }

            /// The API version this client calls (see the async client's `api_version`).
            pub fn api_version(&self) -> &'static str {
                self.inner.api_version()
            }

            /// As the async client's `revoke_token`.
            ///
            /// # Errors
            ///
            /// As the async method, or [`Error::Blocking`].
            pub fn revoke_token(&self) -> Result<bool, Error> {
                self.engine.run("revoke_token", self.inner.revoke_token())?
            }
        }
    };
    quote! {
        #[doc = #from_env_doc]
        ///
        /// # Errors
        ///
        /// As [`new`](Self::new).
        pub fn from_env() -> Result<#name, Error> {
            Self::from_async(crate::#module::#name::from_env()?)
        }

        #[doc = #build_doc]
        ///
        /// # Errors
        ///
        /// As [`new`](Self::new).
        pub fn build(builder: crate::#module::#builder) -> Result<#name, Error> {
            Self::from_async(builder.build()?)
        }

        /// A blocking front for an async client (they then share their caches).
        ///
        /// # Errors
        ///
        /// [`Error::Blocking`] if the internal runtime cannot start.
        pub fn from_async(inner: crate::#module::#name) -> Result<#name, Error> {
            Ok(#name { inner, engine: Engine::start()? })
        }

        /// The calls per second the adaptive rate limiter lets through now (see the
        /// async client's `paced_rate`).
        pub fn paced_rate(&self) -> Option<f64> {
            self.inner.paced_rate()
        }

        #extras
    }
}

fn blocking_method(f: &Family, c: &Client, e: &Endpoint) -> TokenStream {
    let name = method_name(e);
    let label = name.to_string();
    let Signature {
        generics,
        params,
        output,
        args,
        ..
    } = signature(f, e);
    let docs = doc(&format!(
        "`{}`, as [`{1}::{2}::{label}`].\n\n# Errors\n\nAs the async method, or [`Error::Blocking`].",
        e.name, c.module, c.name
    ));
    quote! {
        #docs
        pub fn #name #generics(&self, #params) -> Result<#output, Error> {
            self.engine.run(#label, self.inner.#name(#args))?
        }
    }
}

/// The module's [`AnyClient`] dispatch: a builder's settings, built into
/// the client of the family named at run time, and each client as one.
fn any_dispatch(families: &[&Family]) -> TokenStream {
    let Some(first) = families.first().and_then(|f| f.client.as_ref()) else {
        return TokenStream::new();
    };
    let builder = if first.env.is_some() {
        quote! { ::ocrwire::clova::ClientBuilder<C> }
    } else {
        quote! { ::ocrwire::nhn::ClientBuilder<C> }
    };
    let arms = families.iter().filter_map(|f| {
        let c = f.client.as_ref()?;
        let (family, name) = (&f.name, ident(&c.name));
        Some(quote! {
            #family => Some(builder.retarget::<#name>().build().map(Into::into)),
        })
    });
    let froms = families.iter().filter_map(|f| {
        let c = f.client.as_ref()?;
        let name = ident(&c.name);
        let encoding = if per_caller(f) {
            quote! { client.encoding }
        } else {
            quote! { ::ocrwire::clova::RequestEncoding::default() }
        };
        Some(quote! {
            impl From<#name> for ::ocrwire::client::AnyClient {
                fn from(client: #name) -> Self {
                    ::ocrwire::client::AnyClient::new(client.runtime, #encoding)
                }
            }
        })
    });
    let variables = first.env.is_some().then(|| {
        let arms = families.iter().filter_map(|f| {
            let (url, secret) = f.client.as_ref()?.env.clone()?;
            let family = &f.name;
            Some(quote! { #family => Some((#url, #secret)), })
        });
        quote! {
            /// The variables holding the URL and the secret of a caller of the family
            /// named `family`.
            pub(crate) fn variables(family: &str) -> Option<(&'static str, &'static str)> {
                match family {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    });
    quote! {
        #variables

        /// The client of the family named `family`, with `builder`'s settings, as an
        /// [`AnyClient`](::ocrwire::client::AnyClient); `None` for a family of another module.
        pub(crate) fn any_client<C>(
            family: &str,
            builder: #builder,
        ) -> Option<Result<::ocrwire::client::AnyClient, ::ocrwire::Error>> {
            match family {
                #(#arms)*
                _ => None,
            }
        }

        #(#froms)*
    }
}
