//! Step 1 of every call: who is calling, as the version's auth header
//! ("resolve the identity, then sign", as the AWS SDKs' orchestrator puts
//! it).
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

use super::Credentials;
use super::credentials::sensitive_value;
use crate::descriptor::{AuthScheme, Credential};
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
        refused_with: &'static str,
        tokens: Arc<TokenSource>,
    },
}

/// What one attempt authenticated with: the header, and the token it held,
/// so that a refusal forgets exactly that token.
pub(crate) struct Presented {
    pub(crate) header: HeaderName,
    pub(crate) value: HeaderValue,
    token: Option<Arc<tokens::Token>>,
}

impl Identity {
    /// A scheme whose header the credentials fill themselves (a secret key,
    /// or a key pair in the Basic form).
    pub(crate) fn fixed(
        scheme: &'static AuthScheme,
        credentials: &Credentials,
    ) -> Result<Identity, Error> {
        let value = credentials.header_for(scheme)?.ok_or_else(|| {
            Error::spec(
                scheme.name,
                "these credentials cannot fill this scheme's header",
            )
        })?;
        Ok(Identity {
            header: header_name(scheme)?,
            source: Source::Fixed(value),
        })
    }

    /// A token scheme, whose tokens come from `tokens`.
    pub(crate) fn tokens(
        scheme: &'static AuthScheme,
        tokens: Arc<TokenSource>,
    ) -> Result<Identity, Error> {
        let (Credential::Token { .. }, Some(refused_with)) =
            (scheme.credential, scheme.refused_with)
        else {
            return Err(Error::spec(
                scheme.name,
                "not a token scheme with a refusal code",
            ));
        };
        Ok(Identity {
            header: header_name(scheme)?,
            source: Source::Tokens {
                prefix: scheme.prefix,
                refused_with,
                tokens,
            },
        })
    }

    /// The header for the next attempt; for a token scheme, the current
    /// token (issued first if there is none, or it is about to expire).
    pub(crate) async fn present(&self) -> Result<Presented, Error> {
        match &self.source {
            Source::Fixed(value) => Ok(Presented {
                header: self.header.clone(),
                value: value.clone(),
                token: None,
            }),
            Source::Tokens { prefix, tokens, .. } => {
                let token = tokens.current().await?;
                let text = zeroize::Zeroizing::new(format!("{prefix}{}", token.value().expose()));
                Ok(Presented {
                    header: self.header.clone(),
                    value: sensitive_value(&text, "access token")?,
                    token: Some(token),
                })
            }
        }
    }

    /// Whether the service refused `presented` for its token (the scheme's
    /// `refused_with` code). If so, that token is forgotten, so the next
    /// [`present`](Self::present) issues a new one.
    pub(crate) async fn refused(&self, presented: &Presented, error: &VendorError) -> bool {
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
        if error.code.code() != *refused_with {
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

fn header_name(scheme: &AuthScheme) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(scheme.header.as_bytes()).map_err(|_| {
        Error::spec(
            scheme.name,
            format!("`{}` is not a header name", scheme.header),
        )
    })
}
