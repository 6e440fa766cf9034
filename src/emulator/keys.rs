//! The emulator's RSA key pair and the versions it is published under.
//!
//! The spec's public-key endpoint issues keys per service (its `serviceName`
//! path variable, `allowed: [credit-card, id-card]`). The emulator keeps one
//! key pair for all services, but every service gets its own version number
//! (credit-card 1, id-card 2; 3 and 4 after a rotation, ...), so a call
//! sealed with another service's key, or with a key from before a rotation,
//! gets the spec's key-version error (4000301) exactly as it would from the
//! vendor. One key pair instead of one per service halves the key
//! generations a rotation costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::config::KeySource;
use crate::descriptor::{Endpoint, Family, ParamValue};
use crate::envelope::{EnvelopeError, PrivateKey};

/// The emulator-only private key embedded in the crate: generated once with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`. It is
/// public (it ships with the source), so it protects nothing; its only job
/// is to spare tests and `--mock` the 0.1-1 s of generating a key. Never use
/// it, or anything sealed with it, outside the emulator.
const EMBEDDED_PEM: &str = include_str!("emulator-key.pem");

/// Services that public keys are issued for, from the descriptors: the
/// `allowed` values of the public-key endpoint's argument path variable, in
/// every family that has an envelope.
pub fn services(families: &[&'static Family]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for family in families {
        let Some(envelope) = family.envelope else {
            continue;
        };
        let Some(endpoint) = family.endpoint(envelope.public_key_endpoint) else {
            continue;
        };
        for p in endpoint
            .path_params
            .iter()
            .filter(|p| p.value == ParamValue::Argument)
        {
            for service in p.allowed {
                if !out.contains(service) {
                    out.push(*service);
                }
            }
        }
    }
    out
}

/// The service whose key seals calls to `endpoint`: the service named by the
/// endpoint itself or by the longest prefix of its name (`id-card-authenticity`
/// and `id-card-stand-alone` use the `id-card` key, as the spec's notes say).
pub fn service_for(services: &[&'static str], endpoint: &Endpoint) -> Option<&'static str> {
    services
        .iter()
        .copied()
        .filter(|s| {
            endpoint.name == *s
                || endpoint
                    .name
                    .strip_prefix(*s)
                    .is_some_and(|rest| rest.starts_with('-'))
        })
        .max_by_key(|s| s.len())
}

/// One generation of keys: the pair, and each service's version of it.
pub struct KeySet {
    pub key: Arc<PrivateKey>,
    versions: Vec<(&'static str, String)>,
}

impl KeySet {
    pub fn version(&self, service: &str) -> Option<&str> {
        self.versions
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, v)| v.as_str())
    }
}

/// The current key set, swapped atomically on rotation.
pub struct Keys {
    services: Vec<&'static str>,
    current: RwLock<Arc<KeySet>>,
    next_version: AtomicU64,
    /// One rotation at a time, so two rotations never interleave versions.
    rotating: tokio::sync::Mutex<()>,
}

impl Keys {
    pub fn new(services: Vec<&'static str>, key: PrivateKey) -> Keys {
        let next_version = AtomicU64::new(1);
        let set = Self::key_set(&services, &next_version, key);
        Keys {
            services,
            current: RwLock::new(Arc::new(set)),
            next_version,
            rotating: tokio::sync::Mutex::new(()),
        }
    }

    fn key_set(services: &[&'static str], next: &AtomicU64, key: PrivateKey) -> KeySet {
        let versions = services
            .iter()
            .map(|s| (*s, next.fetch_add(1, Ordering::SeqCst).to_string()))
            .collect();
        KeySet {
            key: Arc::new(key),
            versions,
        }
    }

    pub fn services(&self) -> &[&'static str] {
        &self.services
    }

    pub fn current(&self) -> Arc<KeySet> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Replaces the key pair with a freshly generated one of the same size
    /// and gives every service a new version. Generation runs on the
    /// blocking pool; calls in flight keep the key set they started with.
    pub async fn rotate(&self) -> Result<(), EnvelopeError> {
        let _one_at_a_time = self.rotating.lock().await;
        let bits = self.current().key.bits();
        let key = tokio::task::spawn_blocking(move || PrivateKey::generate(bits))
            .await
            .map_err(|_| EnvelopeError::KeyGeneration)??;
        let set = Self::key_set(&self.services, &self.next_version, key);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(set);
        tracing::info!(bits, "emulator rotated its RSA key pair");
        Ok(())
    }
}

/// Loads or generates the key pair `source` names.
pub async fn load(source: &KeySource) -> Result<PrivateKey, EnvelopeError> {
    match source {
        KeySource::Embedded => PrivateKey::from_pkcs8_pem(EMBEDDED_PEM),
        KeySource::Pem(pem) => PrivateKey::from_pkcs8_pem(pem.expose()),
        KeySource::Generate { bits } => {
            let bits = *bits;
            tokio::task::spawn_blocking(move || PrivateKey::generate(bits))
                .await
                .map_err(|_| EnvelopeError::KeyGeneration)?
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{FAMILIES, nhn_document_ocr_v2 as doc};

    #[test]
    fn services_come_from_the_public_key_endpoint() {
        let s = services(FAMILIES);
        assert_eq!(s, vec!["credit-card", "id-card"]);
        assert_eq!(service_for(&s, &doc::CREDIT_CARD), Some("credit-card"));
        assert_eq!(service_for(&s, &doc::ID_CARD), Some("id-card"));
        assert_eq!(service_for(&s, &doc::ID_CARD_AUTHENTICITY), Some("id-card"));
        assert_eq!(service_for(&s, &doc::ID_CARD_STAND_ALONE), Some("id-card"));
        assert_eq!(service_for(&s, &doc::PUBLIC_KEY), None);
    }

    #[test]
    fn the_embedded_key_loads() {
        let key = PrivateKey::from_pkcs8_pem(EMBEDDED_PEM).unwrap();
        assert_eq!(key.bits(), 2048);
    }

    #[test]
    fn versions_differ_per_service() {
        let s = services(FAMILIES);
        let keys = Keys::new(s, PrivateKey::from_pkcs8_pem(EMBEDDED_PEM).unwrap());
        let set = keys.current();
        assert_eq!(set.version("credit-card"), Some("1"));
        assert_eq!(set.version("id-card"), Some("2"));
        assert_eq!(set.version("passport"), None);
    }
}
