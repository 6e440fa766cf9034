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
use crate::descriptor::{AuthScheme, Credential, Version};
use crate::error::{Error, VendorError};

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
    /// The identity `version`'s scheme asks for: tokens from `tokens` for a
    /// token scheme, the credentials themselves for any other.
    pub(crate) fn for_version(
        version: &'static Version,
        credentials: &Credentials,
        tokens: Option<TokenIssuer<'_>>,
        settings: &Settings,
    ) -> Result<Identity, Error> {
        match (version.auth.credential, tokens) {
            (Credential::Token { .. }, Some(issuer)) => {
                let source = (issuer.source)(issuer.base_url, credentials, settings)?;
                Ok(Self::tokens(version.auth, Arc::new(source)))
            }
            (Credential::Token { .. }, None) => Err(Error::spec(
                version.auth.name,
                "a token scheme, but the client knows no token issuer",
            )),
            _ => Self::fixed(version.auth, credentials),
        }
    }

    /// A scheme whose header the credentials fill themselves (a secret key,
    /// or a key pair in the Basic form).
    fn fixed(scheme: &'static AuthScheme, credentials: &Credentials) -> Result<Identity, Error> {
        let value = credentials.header_for(scheme)?.ok_or_else(|| {
            Error::spec(
                scheme.name,
                "these credentials cannot fill this scheme's header",
            )
        })?;
        Ok(Identity {
            header: scheme.header.to_http(),
            source: Source::Fixed(value),
        })
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
