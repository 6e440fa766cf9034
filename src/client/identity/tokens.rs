//! [`TokenSource`]: access tokens for a key pair, issued on first use,
//! shared, renewed before they expire.
//!
//! One source serves every call of a client and its clones. Its lock is
//! held across an issuance, so however many calls need a token at once,
//! one request reaches the token endpoint and the others wait for its
//! answer. A token is used until shortly before its lifetime ends: the
//! margin is a tenth of the lifetime, at most 60 s, so a call never leaves
//! with a token that expires on the way. A token the service refuses is
//! forgotten, unless another call has already replaced it, so concurrent
//! refusals of one token cause a single new issuance.
//!
//! The lifetime comes from the answer's `expires_in`, within the spec's
//! documented range; an answer without a readable one is taken to live the
//! spec's minimum, the shortest lifetime the vendor allows (a renewal too
//! many costs one request; a token used past its end costs a refused call).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::Sensitive;
use crate::client::runtime::{Connection, Runtime};
use crate::client::{Credentials, Settings};
use crate::descriptor::{FixedHost, IssuesToken, Lifetime, Operation, RevokesToken, TokenApi};
use crate::error::{Error, InvalidInput};

/// Longest renewal margin.
const MAX_MARGIN: Duration = Duration::from_secs(60);

/// One issued token and when it stops being used.
pub(crate) struct Token {
    value: Sensitive,
    /// Renewed from here on (the expiry minus the margin).
    renew_at: Instant,
    /// Numbered in issue order, so a refusal forgets only its own token.
    serial: u64,
}

impl Token {
    pub(crate) fn value(&self) -> &Sensitive {
        &self.value
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The token family's two calls, behind one object so the source does not
/// depend on which family issues its tokens.
trait Issue: Send + Sync {
    /// A new token and the lifetime the answer states, if readable.
    fn issue(&self) -> BoxFuture<'_, Result<(Sensitive, Option<i64>), Error>>;
    fn revoke(&self, token: Sensitive) -> BoxFuture<'_, Result<(), Error>>;
}

/// The issuing family `T`'s calls, through its own runtime (which
/// authenticates with the key pair in the Basic form).
struct Issuer<T> {
    runtime: Runtime,
    family: PhantomData<fn() -> T>,
}

impl<T: TokenApi> Issue for Issuer<T> {
    fn issue(&self) -> BoxFuture<'_, Result<(Sensitive, Option<i64>), Error>> {
        Box::pin(async move {
            let request = <T::Create as IssuesToken>::request();
            let reply = self.runtime.call(&request).await?;
            let token = <T::Create as IssuesToken>::token(&reply.body).clone();
            // It is kept for a day and sent with every call: bounded.
            if token.expose().len() > MAX_TOKEN_LEN {
                let endpoint = <T::Create as Operation>::ENDPOINT;
                return Err(Error::malformed(
                    endpoint.name,
                    "(access token)",
                    format!("longer than {MAX_TOKEN_LEN} bytes"),
                ));
            }
            Ok((token, <T::Create as IssuesToken>::expires_in(&reply.body)))
        })
    }

    fn revoke(&self, token: Sensitive) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let request = <T::Revoke as RevokesToken>::request(token);
            self.runtime.call(&request).await?;
            Ok(())
        })
    }
}

/// The longest access token kept, in bytes (NHN's Opaque tokens are a few
/// dozen).
pub(crate) const MAX_TOKEN_LEN: usize = 4096;

/// Access tokens for one key pair.
pub(crate) struct TokenSource {
    issuer: Box<dyn Issue>,
    lifetime: Lifetime,
    current: Mutex<Option<Arc<Token>>>,
    issued: AtomicU64,
}

impl TokenSource {
    /// Tokens from family `T`'s token endpoint at `base_url` (the family's
    /// default host when `None`), for the key pair in `credentials`.
    pub(crate) fn new<T: TokenApi + FixedHost>(
        base_url: Option<&str>,
        credentials: &Credentials,
        settings: &Settings,
    ) -> Result<TokenSource, Error> {
        let family = T::FAMILY;
        let lifetime = <T::Create as IssuesToken>::LIFETIME;
        let key_pair = credentials
            .key_pair_only()
            .ok_or(InvalidInput::Credentials {
                what: "secret key",
                problem: "cannot obtain access tokens (a User Access Key can)",
            })?;
        let connection = Connection {
            family,
            credentials: key_pair,
            base_url: base_url.unwrap_or(T::DEFAULT_URL),
            tokens: None,
        };
        let runtime = Runtime::connect(connection, settings)?;
        Ok(TokenSource {
            issuer: Box::new(Issuer::<T> {
                runtime,
                family: PhantomData,
            }),
            lifetime,
            current: Mutex::new(None),
            issued: AtomicU64::new(0),
        })
    }

    /// The token to use now: the current one, or a new one when there is
    /// none or it is due for renewal. One issuance at a time.
    pub(crate) async fn current(&self) -> Result<Arc<Token>, Error> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| Instant::now() < t.renew_at) {
            return Ok(Arc::clone(token));
        }
        let asked_at = Instant::now();
        let (value, expires_in) = self.issuer.issue().await?;
        let lives = self.lifetime_of(expires_in);
        let serial = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = Arc::new(Token {
            value,
            renew_at: asked_at + lives - margin(lives),
            serial,
        });
        tracing::debug!(
            serial,
            lifetime_secs = lives.as_secs(),
            "access token issued"
        );
        *current = Some(Arc::clone(&token));
        Ok(token)
    }

    /// Forgets `token` after the service refused it, unless another call
    /// has replaced it already.
    pub(crate) async fn forget(&self, token: &Token) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| t.serial == token.serial) {
            tracing::debug!(
                serial = token.serial,
                "access token refused; a new one will be issued"
            );
            *current = None;
        }
    }

    /// Revokes the current token, if there is one, and forgets it. Returns
    /// whether there was one.
    pub(crate) async fn revoke(&self) -> Result<bool, Error> {
        let mut current = self.current.lock().await;
        let Some(token) = current.take() else {
            return Ok(false);
        };
        self.issuer.revoke(token.value.clone()).await?;
        Ok(true)
    }

    /// The stated lifetime, kept within the documented range; the
    /// documented minimum when none is stated.
    fn lifetime_of(&self, expires_in: Option<i64>) -> Duration {
        let secs = expires_in
            .and_then(|s| u64::try_from(s).ok())
            .filter(|s| *s > 0)
            .map_or(self.lifetime.min_secs, |s| s.min(self.lifetime.max_secs));
        Duration::from_secs(secs.max(1))
    }
}

/// How long before its end a token is renewed: a tenth of its lifetime,
/// at most [`MAX_MARGIN`].
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(MAX_MARGIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated constant and the descriptor say the same lifetime.
    #[test]
    fn the_token_lifetime_is_the_descriptors() {
        use crate::wire::nhn_user_access_key_token as token;
        assert_eq!(
            Some(<token::CreateToken as IssuesToken>::LIFETIME),
            <token::CreateToken as Operation>::ENDPOINT.response.token
        );
    }

    #[test]
    fn the_margin_is_a_tenth_up_to_a_minute() {
        assert_eq!(margin(Duration::from_secs(86_400)), Duration::from_secs(60));
        assert_eq!(margin(Duration::from_secs(60)), Duration::from_secs(6));
        assert_eq!(margin(Duration::from_secs(1)), Duration::from_millis(100));
    }
}
