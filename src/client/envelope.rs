//! The envelope layer, one component of the call pipeline: one [`Session`]
//! per attempt, and a [`KeyCache`] of the services' public keys. Only a
//! family whose spec has an `envelope` has this layer (`Runtime::envelope`);
//! the call seam sees it through [`Envelope::seal`] and
//! [`Envelope::refused`], the request builder and the decoder through the
//! attempt's [`Seal`].
//!
//! A session is a fresh [`SymmetricKey`] plus its RSA-wrapped form for the
//! `Symmetric-Key` header and the version of the public key that wrapped
//! it. It seals the outgoing image and `#[encrypted]` JSON fields, and opens
//! the answer's `#[encrypted]` fields, all in place through the generated
//! [`EncryptedFields`] visitors. It is never reused: the vendor's IV is the
//! key's own prefix, so a second message under one key would leak (see
//! [`SymmetricKey`]); a retry builds a new session.
//!
//! Public keys come from the family's public-key endpoint, whose answer
//! names the key and its version in the members the spec's
//! `envelope.key_field` and `version_field` name; a call refused with the
//! spec's `key_version_error` drops the stale key, so the next attempt
//! fetches a new one.

use std::sync::Arc;

use reqwest::header::HeaderValue;
use tokio::sync::Mutex;

use super::upload::Piece;
use crate::descriptor::{self as d, Endpoint, HeaderRole};
use crate::envelope::{EncryptedFields, FieldError, FieldPath, PublicKey, SymmetricKey};
use crate::error::{Error, Prerequisite, VendorError};

// Every enveloped family's key length is the one this runtime seals with
// (AES-256). The generator refuses any other; this ties the generated data
// to the runtime's constant, so the two cannot part without a build error.
const _: () = {
    let families = crate::wire::FAMILIES;
    let mut i = 0;
    while i < families.len() {
        if let Some(envelope) = families[i].envelope {
            assert!(envelope.symmetric_key_bytes == crate::envelope::SYMMETRIC_KEY_LEN);
        }
        i += 1;
    }
};

/// The envelope layer of a runtime: the family's envelope facts and the
/// cache of its services' public keys.
///
/// A call meets it at three points, and nothing else in the pipeline knows
/// what it does: [`seal`](Self::seal) before a request is built (step 2),
/// the attempt's [`Seal`] while the request is built and its answer opened
/// (steps 3 and 4), and [`refused`](Self::refused) when a refusal is
/// classified (step 5). The envelope sends nothing itself: the one request
/// it needs, a service's public key, the runtime sends for it (with the
/// attempt's identity and retry policy), from the endpoint the envelope
/// names ([`key_endpoint`](Self::key_endpoint)), and the envelope reads the
/// answer ([`read_key`](Self::read_key)); [`key`](Self::key) is the cache
/// in front of that request.
pub(crate) struct Envelope {
    facts: d::Envelope,
    keys: KeyCache,
}

impl Envelope {
    pub(crate) fn new(facts: d::Envelope) -> Envelope {
        Envelope {
            facts,
            keys: KeyCache::default(),
        }
    }

    /// Step 2 for a sealed endpoint (one with a `key_service`): a fresh
    /// session under the service's public key, from the cache or from
    /// `fetch`. `None` for an endpoint that is not sealed.
    pub(crate) async fn seal<F, Fut>(
        &self,
        endpoint: &'static Endpoint,
        fetch: F,
    ) -> Result<Option<Sealed>, Error>
    where
        F: FnOnce(&'static str) -> Fut,
        Fut: Future<Output = Result<PublicKey, Error>>,
    {
        let Some(service) = endpoint.key_service else {
            return Ok(None);
        };
        let public = self
            .key(service, fetch)
            .await
            .map_err(|e| e.while_getting(endpoint.name, Prerequisite::PublicKey))?;
        let session = Session::new(endpoint.name, &public)?;
        Ok(Some(Sealed {
            session,
            public,
            service,
        }))
    }

    /// Step 5: whether `error` says the key version that sealed the attempt
    /// is stale (the spec's `key_version_error`). If so, the key is dropped
    /// (unless another call already replaced it), so no later attempt is
    /// sealed with it.
    pub(crate) async fn refused(
        &self,
        endpoint: &'static Endpoint,
        sealed: &Sealed,
        error: &VendorError,
    ) -> bool {
        if error.code.code() != self.facts.key_version_error {
            return false;
        }
        self.keys
            .invalidate(sealed.service, sealed.public.version())
            .await;
        tracing::debug!(
            endpoint = endpoint.name,
            service = sealed.service,
            // The service chose it: shown as safe text.
            stale_version = %crate::text::printable(sealed.public.version()),
            "key version refused; the next envelope gets a fresh public key"
        );
        true
    }

    /// The cached public key of `service`, or the one `fetch` returns (then
    /// cached; one fetch per service however many calls wait for it).
    pub(crate) async fn key<F, Fut>(
        &self,
        service: &'static str,
        fetch: F,
    ) -> Result<Arc<PublicKey>, Error>
    where
        F: FnOnce(&'static str) -> Fut,
        Fut: Future<Output = Result<PublicKey, Error>>,
    {
        self.keys.get(service, || fetch(service)).await
    }

    /// The endpoint that gives a service's public key (its one `argument`
    /// path variable takes the service).
    pub(crate) fn key_endpoint(&self) -> &'static Endpoint {
        self.facts.public_key_endpoint
    }

    /// The public key in the key endpoint's answer (its payload, under
    /// `root` in the whole answer), read from the members the spec names.
    pub(crate) fn read_key(
        &self,
        root: Option<&'static str>,
        answer: &serde_json::Value,
    ) -> Result<PublicKey, Error> {
        let endpoint = self.facts.public_key_endpoint;
        let path = |name: &str| root.map_or_else(|| name.to_string(), |r| format!("{r}.{name}"));
        let member = |name: &str, most: usize| -> Result<String, Error> {
            match answer.get(name) {
                Some(serde_json::Value::String(text)) if text.len() > most => {
                    Err(Error::malformed(
                        endpoint.name,
                        path(name),
                        format!("longer than {most} bytes"),
                    ))
                }
                Some(serde_json::Value::String(text)) => Ok(text.clone()),
                Some(_) => Err(Error::malformed(endpoint.name, path(name), "not a string")),
                None => Err(Error::malformed(endpoint.name, path(name), "missing")),
            }
        };
        let key = member(self.facts.key_field, MAX_PUBLIC_KEY_LEN)?;
        let version = member(self.facts.version_field, MAX_KEY_VERSION_LEN)?;
        if HeaderValue::from_str(&version).is_err() {
            return Err(Error::malformed(
                endpoint.name,
                path(self.facts.version_field),
                "cannot be sent back in X-Key-Version",
            ));
        }
        PublicKey::from_base64_der(&key, version)
            .map_err(|e| Error::malformed(endpoint.name, path(self.facts.key_field), e.to_string()))
    }
}

/// What a sealed attempt does to its request and its answer: the request
/// builder ([`Outgoing`](super::outgoing::Outgoing)) and the decoder see
/// the envelope only through this.
pub(crate) trait Seal: Send + Sync {
    /// The value of a header this seal fills, by the header's role (the
    /// key version, the sealed symmetric key); `None` for any other role.
    fn header(&self, role: HeaderRole) -> Option<&str>;
    /// A file part's body, encrypted a chunk at a time as it is sent.
    fn seal_part(&self, plaintext: bytes::Bytes) -> Piece;
    /// Seals every `#[encrypted]` string of a request body in place.
    fn seal_fields(&self, body: &mut dyn EncryptedFields) -> Result<(), FieldError>;
    /// Opens every `#[encrypted]` string of an answer in place; the first
    /// that does not open is reported by its path under `root`.
    fn open_fields(
        &self,
        endpoint: &'static str,
        root: Option<&'static str>,
        answer: &mut dyn EncryptedFields,
    ) -> Result<(), Error>;
}

/// A sealed attempt: its session, and the public key that sealed it.
pub(crate) struct Sealed {
    session: Session,
    public: Arc<PublicKey>,
    service: &'static str,
}

impl Sealed {
    /// What the attempt's request and answer see of it.
    pub(crate) fn as_seal(&self) -> &dyn Seal {
        &self.session
    }
}

/// The longest public key kept, in bytes of Base64: a 4096-bit RSA key
/// (the most the envelope accepts) takes about 740.
pub(crate) const MAX_PUBLIC_KEY_LEN: usize = 4096;

/// The longest key version kept and sent back (`X-Key-Version`), in bytes;
/// the vendor's are a few digits.
pub(crate) const MAX_KEY_VERSION_LEN: usize = 64;

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
    fn sealed_key(&self) -> &str {
        &self.sealed_key
    }

    /// The `X-Key-Version` header value.
    fn key_version(&self) -> &str {
        &self.key_version
    }

    /// A file part's body: the raw AES ciphertext.
    fn seal_file(&self, plaintext: bytes::Bytes) -> crate::envelope::cipher::CbcPkcs7Stream {
        self.key.seal_stream(plaintext)
    }
}

impl Seal for Session {
    fn header(&self, role: HeaderRole) -> Option<&str> {
        match role {
            HeaderRole::KeyVersion => Some(self.key_version()),
            HeaderRole::SealedSymmetricKey => Some(self.sealed_key()),
            HeaderRole::RequestKey => None,
        }
    }

    fn seal_part(&self, plaintext: bytes::Bytes) -> Piece {
        Piece::Sealed(Box::new(self.seal_file(plaintext)))
    }

    fn seal_fields(&self, body: &mut dyn EncryptedFields) -> Result<(), FieldError> {
        crate::envelope::seal_fields(&self.key, body)
    }

    fn open_fields(
        &self,
        endpoint: &'static str,
        root: Option<&'static str>,
        answer: &mut dyn EncryptedFields,
    ) -> Result<(), Error> {
        let at = root.map_or_else(FieldPath::new, FieldPath::root);
        crate::envelope::open_fields(&self.key, at, answer)
            .map_err(|source| Error::Decrypt { endpoint, source })
    }
}

/// The public key of each service (`credit-card`, `id-card`), fetched once
/// and shared by every call of a client.
///
/// Each service has its own async lock held across the fetch, so however
/// many calls start at once, one fetch is in flight per service and the
/// others wait for its result. A failed fetch is not cached: the next caller
/// tries again. A service's slot is made on its first use: the names are
/// the spec's (a sealed endpoint's `key_service`, which the generator checks
/// against the public-key endpoint's values), so none is checked here.
#[derive(Default)]
pub(crate) struct KeyCache {
    slots: std::sync::Mutex<Vec<(&'static str, Slot)>>,
}

/// One service's key, behind the lock its fetch holds.
type Slot = Arc<Mutex<Option<Arc<PublicKey>>>>;

impl KeyCache {
    /// The service's slot, made if it has none yet. (The list is only ever
    /// pushed to, so a poisoned lock still holds a usable one.)
    fn slot(&self, service: &'static str) -> Slot {
        let mut slots = self.slots();
        if let Some(slot) = find(&slots, service) {
            return slot;
        }
        let slot = Slot::default();
        slots.push((service, Arc::clone(&slot)));
        slot
    }

    /// `service`'s slot, if a key was ever asked for: forgetting a key
    /// makes none.
    fn existing_slot(&self, service: &str) -> Option<Slot> {
        find(&self.slots(), service)
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<(&'static str, Slot)>> {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached key, or the one `fetch` returns (then cached).
    pub(crate) async fn get<F, Fut>(
        &self,
        service: &'static str,
        fetch: F,
    ) -> Result<Arc<PublicKey>, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<PublicKey, Error>>,
    {
        let slot = self.slot(service);
        let mut cached = slot.lock().await;
        if let Some(key) = cached.as_ref() {
            return Ok(Arc::clone(key));
        }
        let key = Arc::new(fetch().await?);
        tracing::debug!(
            service,
            // The service chose it: shown as safe text.
            version = %crate::text::printable(key.version()),
            bits = key.bits(),
            "public key fetched"
        );
        *cached = Some(Arc::clone(&key));
        Ok(key)
    }

    /// Drops the cached key if it still has `stale_version`. A key another
    /// call has already replaced stays, so concurrent rejections of one
    /// stale version cause a single refetch.
    pub(crate) async fn invalidate(&self, service: &'static str, stale_version: &str) {
        let Some(slot) = self.existing_slot(service) else {
            return;
        };
        let mut cached = slot.lock().await;
        if cached
            .as_ref()
            .is_some_and(|k| k.version() == stale_version)
        {
            *cached = None;
        }
    }
}

fn find(slots: &[(&'static str, Slot)], service: &str) -> Option<Slot> {
    slots
        .iter()
        .find(|(name, _)| *name == service)
        .map(|(_, slot)| Arc::clone(slot))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let mut sealed = session.seal_file(bytes::Bytes::from_static(b"image"));
        let mut ciphertext = Vec::new();
        while let Some(chunk) = sealed.next_chunk() {
            ciphertext.extend(chunk);
        }
        assert_eq!(key.open_bytes(&ciphertext).unwrap().as_slice(), b"image");
        // Every session has its own key.
        let other = Session::new("credit-card", &server_key().public_key("v7")).unwrap();
        assert_ne!(other.key.expose_bytes(), session.key.expose_bytes());
    }

    #[test]
    fn fields_are_sealed_and_opened_in_place_and_failures_name_the_path() {
        let session = Session::new("id-card", &server_key().public_key("1")).unwrap();
        let mut request: doc::AuthenticityRequest =
            serde_json::from_str(r#"{"idType":"resident","name":"홍길동"}"#).unwrap();
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
        assert_eq!(request.id_type.as_str(), "resident");

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
        let cache = Arc::new(KeyCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, fetches) = (Arc::clone(&cache), Arc::clone(&fetches));
            tasks.push(tokio::spawn(async move {
                cache
                    .get("id-card", || async {
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
            .get("id-card", || async { Ok(server_key().public_key("2")) })
            .await
            .unwrap();
        assert_eq!(k.version(), "2");
        cache.invalidate("id-card", "1").await;
        let k = cache
            .get("id-card", || async { Ok(server_key().public_key("3")) })
            .await
            .unwrap();
        assert_eq!(k.version(), "2");

        // Forgetting a key of a service never asked for makes no slot.
        cache.invalidate("credit-card", "9").await;
        assert_eq!(cache.slots.lock().unwrap().len(), 1);

        // Another service has a slot of its own, made on its first use.
        let k = cache
            .get("credit-card", || async { Ok(server_key().public_key("9")) })
            .await
            .unwrap();
        assert_eq!(k.version(), "9");
        let k = cache
            .get("id-card", || async { panic!("id-card's key is cached") })
            .await
            .unwrap();
        assert_eq!(k.version(), "2");
    }
}
