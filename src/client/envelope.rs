//! The envelope as the runtime applies it: one [`Session`] per attempt, and
//! a [`KeyCache`] of the service's public keys.
//!
//! A session is a fresh [`SymmetricKey`] plus its RSA-wrapped form for the
//! `Symmetric-Key` header and the version of the public key that wrapped
//! it. It seals the outgoing image and `#[encrypted]` JSON fields, and opens
//! the answer's `#[encrypted]` fields, all in place through the generated
//! [`EncryptedFields`] visitors. It is never reused: the vendor's IV is the
//! key's own prefix, so a second message under one key would leak (see
//! [`SymmetricKey`]); a retry builds a new session.

use std::sync::Arc;

use tokio::sync::Mutex;

use crate::envelope::{EncryptedFields, FieldError, FieldPath, PublicKey, SymmetricKey};
use crate::error::Error;

/// The envelope of one request/response exchange.
pub(crate) struct Session {
    key: SymmetricKey,
    sealed_key: String,
    key_version: String,
}

impl Session {
    /// Draws a fresh key from the OS and wraps it for `public`.
    pub(crate) fn new(endpoint: &'static str, public: &PublicKey) -> Result<Session, Error> {
        let envelope_error = |source| Error::Envelope { endpoint, source };
        let key = SymmetricKey::generate().map_err(envelope_error)?;
        let sealed_key = public.seal_key(&key).map_err(envelope_error)?;
        Ok(Session {
            key,
            sealed_key,
            key_version: public.version().to_string(),
        })
    }

    /// A session around a known key, for tests that must build ciphertext
    /// the session will open.
    #[cfg(test)]
    pub(crate) fn with_key(key: SymmetricKey) -> Session {
        Session {
            key,
            sealed_key: String::new(),
            key_version: "test".to_string(),
        }
    }

    /// The `Symmetric-Key` header value: Base64 of the RSA ciphertext.
    pub(crate) fn sealed_key(&self) -> &str {
        &self.sealed_key
    }

    /// The `X-Key-Version` header value.
    pub(crate) fn key_version(&self) -> &str {
        &self.key_version
    }

    /// A file part's body: the raw AES ciphertext.
    pub(crate) fn seal_file(&self, plaintext: &[u8]) -> Vec<u8> {
        self.key.seal_bytes(plaintext)
    }

    /// Seals every `#[encrypted]` string of a request body in place.
    pub(crate) fn seal_fields<B: EncryptedFields>(&self, body: &mut B) -> Result<(), FieldError> {
        crate::envelope::seal_fields(&self.key, body)
    }

    /// Opens every `#[encrypted]` string of an answer in place; the first
    /// that does not open is reported by its path under `root`.
    pub(crate) fn open_fields<R: EncryptedFields>(
        &self,
        endpoint: &'static str,
        root: Option<&'static str>,
        body: &mut R,
    ) -> Result<(), Error> {
        let at = root.map_or_else(FieldPath::new, FieldPath::root);
        crate::envelope::open_fields(&self.key, at, body)
            .map_err(|source| Error::Decrypt { endpoint, source })
    }
}

/// The public key of each service (`credit-card`, `id-card`), fetched once
/// and shared by every call of a client.
///
/// Each service has its own async lock held across the fetch, so however
/// many calls start at once, one fetch is in flight per service and the
/// others wait for its result. A failed fetch is not cached: the next caller
/// tries again.
pub(crate) struct KeyCache {
    slots: Vec<(&'static str, Mutex<Option<Arc<PublicKey>>>)>,
}

impl KeyCache {
    pub(crate) fn new(services: &[&'static str]) -> KeyCache {
        KeyCache {
            slots: services.iter().map(|s| (*s, Mutex::new(None))).collect(),
        }
    }

    /// The services it keeps a key for, in order (for tests of where that
    /// list comes from).
    #[cfg(test)]
    pub(crate) fn services(&self) -> Vec<&'static str> {
        self.slots.iter().map(|(name, _)| *name).collect()
    }

    fn slot(&self, service: &str) -> Option<&Mutex<Option<Arc<PublicKey>>>> {
        self.slots
            .iter()
            .find(|(name, _)| *name == service)
            .map(|(_, slot)| slot)
    }

    /// The cached key, or the one `fetch` returns (then cached).
    pub(crate) async fn get<F, Fut>(
        &self,
        endpoint: &'static str,
        service: &str,
        fetch: F,
    ) -> Result<Arc<PublicKey>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<PublicKey, Error>>,
    {
        let slot = self
            .slot(service)
            .ok_or_else(|| Error::spec(endpoint, format!("no public-key service `{service}`")))?;
        let mut cached = slot.lock().await;
        if let Some(key) = cached.as_ref() {
            return Ok(Arc::clone(key));
        }
        let key = Arc::new(fetch().await?);
        tracing::debug!(
            service,
            version = key.version(),
            bits = key.bits(),
            "public key fetched"
        );
        *cached = Some(Arc::clone(&key));
        Ok(key)
    }

    /// Drops the cached key if it still has `stale_version`. A key another
    /// call has already replaced stays, so concurrent rejections of one
    /// stale version cause a single refetch.
    pub(crate) async fn invalidate(&self, service: &str, stale_version: &str) {
        if let Some(slot) = self.slot(service) {
            let mut cached = slot.lock().await;
            if cached
                .as_ref()
                .is_some_and(|k| k.version() == stale_version)
            {
                *cached = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sensitive;
    use crate::envelope::PrivateKey;
    use crate::wire::nhn_document_ocr_v2 as doc;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn server_key() -> &'static PrivateKey {
        static KEY: OnceLock<PrivateKey> = OnceLock::new();
        KEY.get_or_init(|| PrivateKey::generate(2048).expect("key generation"))
    }

    #[test]
    fn a_session_is_what_the_server_can_open() {
        let session = Session::new("credit-card", &server_key().public_key("v7")).unwrap();
        assert_eq!(session.key_version(), "v7");
        let key = server_key().open_key(session.sealed_key()).unwrap();
        assert_eq!(
            key.open_bytes(&session.seal_file(b"image"))
                .unwrap()
                .as_slice(),
            b"image"
        );
        // Every session has its own key.
        let other = Session::new("credit-card", &server_key().public_key("v7")).unwrap();
        assert_ne!(other.key.expose_bytes(), session.key.expose_bytes());
    }

    #[test]
    fn fields_are_sealed_and_opened_in_place_and_failures_name_the_path() {
        let session = Session::new("id-card", &server_key().public_key("1")).unwrap();
        let mut request: doc::AuthenticityRequest = serde_json::from_str(
            r#"{"idType":"resident","name":"홍길동","expirationDate":"20300101"}"#,
        )
        .unwrap();
        session.seal_fields(&mut request).unwrap();
        let sealed_name = request.name.clone().unwrap();
        assert_ne!(sealed_name, "홍길동");
        assert_eq!(
            session
                .key
                .open_field(sealed_name.expose())
                .unwrap()
                .as_str(),
            "홍길동"
        );
        // Not encrypted on the wire: left alone.
        assert_eq!(request.expiration_date, Some(Sensitive::new("20300101")));

        let mut answer = doc::CreditCardResult {
            card_nums: Some(vec![
                doc::CardNumber {
                    value: Some(session.key.seal_field("1234").into()),
                    ..Default::default()
                },
                doc::CardNumber {
                    value: Some("not ciphertext".into()),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let e = session
            .open_fields("credit-card", Some("result"), &mut answer)
            .unwrap_err();
        assert_eq!(e.field_path(), Some("result.cardNums[1].value"));
        assert_eq!(
            answer.card_nums.as_ref().unwrap()[0]
                .value
                .as_ref()
                .unwrap(),
            "1234"
        );
    }

    #[tokio::test]
    async fn one_fetch_per_service_however_many_callers() {
        let cache = Arc::new(KeyCache::new(&["credit-card", "id-card"]));
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (Arc::clone(&cache), Arc::clone(&fetches));
            tasks.push(tokio::spawn(async move {
                cache
                    .get("id-card", "id-card", || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Ok(server_key().public_key("1"))
                    })
                    .await
                    .map(|k| k.version().to_string())
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), "1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // Invalidating an old version after a newer key arrived keeps the newer one.
        cache.invalidate("id-card", "1").await;
        let k = cache
            .get("id-card", "id-card", || async {
                Ok(server_key().public_key("2"))
            })
            .await
            .unwrap();
        assert_eq!(k.version(), "2");
        cache.invalidate("id-card", "1").await;
        let k = cache
            .get("id-card", "id-card", || async {
                Ok(server_key().public_key("3"))
            })
            .await
            .unwrap();
        assert_eq!(k.version(), "2");

        let e = cache
            .get("x", "passport", || async {
                Ok(server_key().public_key("1"))
            })
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Spec { .. }));
    }
}
