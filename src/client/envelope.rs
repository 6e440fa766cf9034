//! The envelope layer, steps 2 and 4 of a sealed call: one [`Session`] per
//! attempt, and a [`KeyCache`] of the services' public keys. Only a family
//! whose spec has an `envelope` has this layer (`Runtime::envelope`);
//! nothing else in the pipeline knows about it.
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

use super::identity::Presented;
use super::outgoing::Outgoing;
use super::runtime::Runtime;
use crate::descriptor::{self as d, Api, Endpoint};
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
pub(crate) struct Envelope {
    facts: d::Envelope,
    keys: KeyCache,
}

impl Envelope {
    pub(crate) fn new(facts: d::Envelope) -> Envelope {
        let services = facts
            .public_key_endpoint
            .argument_param()
            .map_or(&[][..], |p| p.allowed);
        Envelope {
            facts,
            keys: KeyCache::new(services),
        }
    }
}

/// A sealed attempt: its session, and the public key that sealed it.
pub(crate) struct Sealed {
    session: Session,
    public: Arc<PublicKey>,
    service: &'static str,
}

impl Sealed {
    pub(crate) fn session(&self) -> &Session {
        &self.session
    }
}

impl Runtime {
    /// Step 2 for a sealed endpoint: a fresh session under the service's
    /// cached public key (fetched with the attempt's identity if need be).
    pub(super) async fn seal<A>(
        &self,
        endpoint: &'static Endpoint,
        who: &Presented,
    ) -> Result<Option<Sealed>, Error>
    where
        A: Api,
    {
        let (Some(envelope), Some(service)) = (&self.envelope, endpoint.key_service) else {
            return Ok(None);
        };
        let public = envelope
            .keys
            .get(endpoint.name, service, || {
                self.fetch_public_key::<A>(envelope, service, who)
            })
            .await
            .map_err(|e| e.while_getting(endpoint.name, Prerequisite::PublicKey))?;
        let session = Session::new(endpoint.name, &public)?;
        Ok(Some(Sealed {
            session,
            public,
            service,
        }))
    }

    /// Whether `error` says the key version that sealed the attempt is
    /// stale (the spec's `key_version_error`). If so, the key is dropped
    /// (unless another call already replaced it), so no later attempt is
    /// sealed with it.
    pub(super) async fn key_refused(
        &self,
        endpoint: &'static Endpoint,
        sealed: &Sealed,
        error: &VendorError,
    ) -> Result<bool, Error> {
        let Some(envelope) = &self.envelope else {
            return Ok(false);
        };
        if error.code.code() != envelope.facts.key_version_error {
            return Ok(false);
        }
        envelope
            .keys
            .invalidate(sealed.service, sealed.public.version())
            .await;
        tracing::debug!(
            endpoint = endpoint.name,
            service = sealed.service,
            // The service chose it: shown as safe text.
            stale_version = %crate::text::printable(sealed.public.version()),
            "key version refused; the next envelope gets a fresh public key"
        );
        Ok(true)
    }

    /// The public key the runtime seals `service`'s calls with (fetched on
    /// first use, with retries: the fetch is a plain read).
    pub(crate) async fn public_key<A>(&self, service: &'static str) -> Result<PublicKey, Error>
    where
        A: Api,
    {
        let envelope = self
            .envelope
            .as_ref()
            .ok_or_else(|| Error::spec(self.family.name, "the family has no envelope"))?;
        let endpoint = envelope.facts.public_key_endpoint;
        let key = self
            .retry
            .run(
                endpoint.name,
                super::retry::safe_to_resend(endpoint),
                |_| async {
                    let who = self.identity.present().await?;
                    envelope
                        .keys
                        .get(endpoint.name, service, || {
                            self.fetch_public_key::<A>(envelope, service, &who)
                        })
                        .await
                },
            )
            .await?;
        Ok(PublicKey::clone(&key))
    }

    /// One request to the public-key endpoint; the key and its version are
    /// read from the members the spec names.
    async fn fetch_public_key<A>(
        &self,
        envelope: &Envelope,
        service: &str,
        who: &Presented,
    ) -> Result<PublicKey, Error>
    where
        A: Api,
    {
        let endpoint = envelope.facts.public_key_endpoint;
        let param = endpoint.argument_param().map(|p| p.name);
        let outgoing = Outgoing::bodiless(
            self,
            endpoint,
            |name| (Some(name) == param).then_some(service),
            who,
        )?;
        let reply = self
            .send::<A, serde_json::Value>(endpoint, outgoing, None)
            .await?;
        let root = self.family.error_shape.result_member();
        let member = |name: &str, most: usize| -> Result<String, Error> {
            let path = root.map_or_else(|| name.to_string(), |r| format!("{r}.{name}"));
            match reply.body.get(name) {
                Some(serde_json::Value::String(text)) if text.len() > most => Err(
                    Error::malformed(endpoint.name, path, format!("longer than {most} bytes")),
                ),
                Some(serde_json::Value::String(text)) => Ok(text.clone()),
                Some(_) => Err(Error::malformed(endpoint.name, path, "not a string")),
                None => Err(Error::malformed(endpoint.name, path, "missing")),
            }
        };
        let key = member(envelope.facts.key_field, MAX_PUBLIC_KEY_LEN)?;
        let version = member(envelope.facts.version_field, MAX_KEY_VERSION_LEN)?;
        if HeaderValue::from_str(&version).is_err() {
            let path = root.map_or_else(
                || envelope.facts.version_field.to_string(),
                |r| format!("{r}.{}", envelope.facts.version_field),
            );
            return Err(Error::malformed(
                endpoint.name,
                path,
                "cannot be sent back in X-Key-Version",
            ));
        }
        PublicKey::from_base64_der(&key, version).map_err(|e| {
            let path = root.map_or_else(
                || envelope.facts.key_field.to_string(),
                |r| format!("{r}.{}", envelope.facts.key_field),
            );
            Error::malformed(endpoint.name, path, e.to_string())
        })
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
    pub(crate) fn sealed_key(&self) -> &str {
        &self.sealed_key
    }

    /// The `X-Key-Version` header value.
    pub(crate) fn key_version(&self) -> &str {
        &self.key_version
    }

    /// A file part's body: the raw AES ciphertext.
    pub(crate) fn seal_file(
        &self,
        plaintext: bytes::Bytes,
    ) -> crate::envelope::cipher::CbcPkcs7Stream {
        self.key.seal_stream(plaintext)
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

    #[test]
    fn the_layer_keeps_a_key_per_service_the_spec_lists() {
        let layer = Envelope::new(doc::FAMILY.envelope.unwrap());
        assert_eq!(layer.keys.services(), ["credit-card", "id-card"]);
        assert_eq!(layer.keys.services(), doc::FAMILY.key_services());
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
