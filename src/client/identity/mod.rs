//! Step 1 of every call, who is calling, and the signing of the built
//! request with it ("resolve the identity, then sign", as the AWS SDKs'
//! orchestrator puts it).
//!
//! The two are separate steps: [`Identity::resolve`] runs before the
//! request is built (a token may have to be issued first), and
//! [`Signer::sign`] after, on the built request. Today's schemes put a
//! fixed header; a scheme that signs the request itself (an HMAC over
//! method, path and time) would compute its header in `sign`, from the
//! request it is given.
//!
//! The version's [`AuthScheme`] says which header and what goes in it; the
//! kinds of credential are a closed set, each a few lines here:
//!
//! - **secret key** and **key pair**: the header is computed once from the
//!   [`Credentials`](super::Credentials) and sent as it is;
//! - **token**: the header carries the current token of a [`TokenSource`],
//!   issued on first use, shared by every call of the client and its
//!   clones, and renewed shortly before it expires. If the service refuses
//!   a call with the scheme's `refused_with` code (NHN's 4010006, "Invalid
//!   token."), the call did not run: the token is forgotten and the call is
//!   sent again, once, with a new one.

mod tokens;

use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue};

pub(crate) use tokens::TokenSource;

use super::credentials::sensitive_value;
use super::outgoing::{Outgoing, Unsigned};
use super::runtime::TokenIssuer;
use super::{Credentials, Settings};
use crate::descriptor::{AuthScheme, Credential, CredentialHolder, Family, Version};
use crate::error::{Error, InvalidInput, VendorError};

/// How a client's calls prove who is calling.
pub(crate) struct Identity {
    header: HeaderName,
    source: Source,
}

enum Source {
    /// The same value on every call.
    Fixed(HeaderValue),
    /// The current token, after the scheme's prefix.
    Tokens {
        prefix: &'static str,
        /// The scheme's refusal code, the cue to issue a new token. The
        /// generator requires one of every token scheme; without one, a
        /// token would only be renewed as it expires.
        refused_with: Option<&'static str>,
        tokens: Arc<TokenSource>,
    },
}

/// What one attempt authenticates with: the header, and the token it held,
/// so that a refusal forgets exactly that token.
pub(crate) struct Signer {
    header: HeaderName,
    value: HeaderValue,
    token: Option<Arc<tokens::Token>>,
}

impl Signer {
    /// Signs the built request, which only then can be sent: today the
    /// scheme's header, marked sensitive so the HTTP stack never prints it.
    /// A scheme that signs the request itself has the method, the path and
    /// the body here.
    pub(crate) fn sign(&self, request: Unsigned) -> Outgoing {
        let Unsigned(mut request) = request;
        let mut value = self.value.clone();
        value.set_sensitive(true);
        request.headers.insert(self.header.clone(), value);
        request
    }
}

impl Identity {
    /// The first version of `family` whose scheme the credentials can fill,
    /// and the identity its calls present: a secret key the version that
    /// takes one; a key pair the version that takes it in the Basic form,
    /// or the version that takes its tokens, when the client has a token
    /// issuer (`tokens`). One match decides both, so no version is chosen
    /// that the credentials then cannot serve.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::Credentials`] when no version takes these
    /// credentials, or their text cannot be a header; the token issuer's
    /// errors (its host).
    pub(crate) fn choose(
        family: &'static Family,
        credentials: &Credentials,
        mut tokens: Option<TokenIssuer<'_>>,
        settings: &Settings,
    ) -> Result<(&'static Version, Identity), Error> {
        for &version in family.versions {
            let scheme = version.auth;
            let identity = match scheme.credential {
                Credential::Token { .. } => {
                    if credentials.holder() != CredentialHolder::KeyPair {
                        continue;
                    }
                    let Some(issuer) = tokens.take() else {
                        continue;
                    };
                    let source = (issuer.source)(issuer.base_url, credentials, settings)?;
                    Self::tokens(scheme, Arc::new(source))
                }
                Credential::SecretKey | Credential::KeyPair => {
                    let Some(value) = credentials.header_for(scheme)? else {
                        continue;
                    };
                    Identity {
                        header: scheme.header.to_http(),
                        source: Source::Fixed(value),
                    }
                }
            };
            return Ok((version, identity));
        }
        let what = match credentials.holder() {
            CredentialHolder::SecretKey => "secret key",
            CredentialHolder::KeyPair => "key pair",
        };
        Err(InvalidInput::Credentials {
            what,
            problem: "is not taken by any version of this API",
        }
        .into())
    }

    /// A token scheme, whose tokens come from `tokens`.
    fn tokens(scheme: &'static AuthScheme, tokens: Arc<TokenSource>) -> Identity {
        Identity {
            header: scheme.header.to_http(),
            source: Source::Tokens {
                prefix: scheme.prefix,
                refused_with: scheme.refused_with,
                tokens,
            },
        }
    }

    /// Who the next attempt calls as; for a token scheme, the current
    /// token (issued first if there is none, or it is about to expire).
    pub(crate) async fn resolve(&self) -> Result<Signer, Error> {
        match &self.source {
            Source::Fixed(value) => Ok(Signer {
                header: self.header.clone(),
                value: value.clone(),
                token: None,
            }),
            Source::Tokens { prefix, tokens, .. } => {
                let token = tokens.current().await?;
                let text = zeroize::Zeroizing::new(format!("{prefix}{}", token.value().expose()));
                Ok(Signer {
                    header: self.header.clone(),
                    value: sensitive_value(&text, "access token")?,
                    token: Some(token),
                })
            }
        }
    }

    /// Whether the service refused `presented` for its token (the scheme's
    /// `refused_with` code). If so, that token is forgotten, so the next
    /// [`resolve`](Self::resolve) issues a new one.
    pub(crate) async fn refused(&self, presented: &Signer, error: &VendorError) -> bool {
        let Source::Tokens {
            refused_with,
            tokens,
            ..
        } = &self.source
        else {
            return false;
        };
        let Some(token) = &presented.token else {
            return false;
        };
        if *refused_with != Some(&*error.code.code()) {
            return false;
        }
        tokens.forget(token).await;
        true
    }

    /// The token source, for a token scheme.
    pub(crate) fn token_source(&self) -> Option<&Arc<TokenSource>> {
        match &self.source {
            Source::Tokens { tokens, .. } => Some(tokens),
            Source::Fixed(_) => None,
        }
    }
}
