//! The emulator's RSA key pair and the versions it is published under.
//!
//! The spec's public-key endpoint issues keys per service (its `serviceName`
//! path variable, `allowed: [credit-card, id-card]`), and each sealed
//! endpoint names the service whose key seals it (its `key_service`,
//! checked in `nhn_document`). The emulator keeps one
//! key pair for all services, but every service gets its own version number
//! (credit-card 1, id-card 2; 3 and 4 after a rotation, ...), so a call
//! sealed with another service's key, or with a key from before a rotation,
//! gets the spec's key-version error (4000301) exactly as it would from the
//! vendor. One key pair instead of one per service halves the key
//! generations a rotation costs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::config::KeySource;
use crate::descriptor::Family;
use crate::envelope::{EnvelopeError, PrivateKey};

/// The emulator-only private key embedded in the crate: generated once with
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`. It is
/// public (it ships with the source), so it protects nothing; its only job
/// is to spare tests and `--mock` the 0.1-1 s of generating a key. Never use
/// it, or anything sealed with it, outside the emulator.
const EMBEDDED_PEM: &str = include_str!("emulator-key.pem");

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
    /// Keys for every service the `families` issue public keys for
    /// ([`Family::key_services`]), each service once, in order.
    pub fn new(families: &[&'static Family], key: PrivateKey) -> Keys {
        let mut services: Vec<&'static str> = Vec::new();
        for service in families.iter().flat_map(|f| f.key_services()) {
            if !services.contains(service) {
                services.push(service);
            }
        }
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
        let keys = Keys::new(FAMILIES, PrivateKey::from_pkcs8_pem(EMBEDDED_PEM).unwrap());
        assert_eq!(keys.services(), ["credit-card", "id-card"]);
        // Every sealed endpoint's service has a key version to check against.
        let set = keys.current();
        for endpoint in doc::FAMILY.endpoints {
            match endpoint.key_service {
                Some(service) => assert!(set.version(service).is_some(), "{}", endpoint.name),
                None => assert!(!endpoint.uses_envelope(), "{}", endpoint.name),
            }
        }
        assert_eq!(doc::CREDIT_CARD.key_service, Some("credit-card"));
        assert_eq!(doc::ID_CARD.key_service, Some("id-card"));
        assert_eq!(doc::ID_CARD_AUTHENTICITY.key_service, Some("id-card"));
        assert_eq!(doc::ID_CARD_STAND_ALONE.key_service, Some("id-card"));
        assert_eq!(doc::PUBLIC_KEY.key_service, None);
    }

    #[test]
    fn the_embedded_key_loads() {
        let key = PrivateKey::from_pkcs8_pem(EMBEDDED_PEM).unwrap();
        assert_eq!(key.bits(), 2048);
    }

    #[test]
    fn versions_differ_per_service() {
        let keys = Keys::new(FAMILIES, PrivateKey::from_pkcs8_pem(EMBEDDED_PEM).unwrap());
        let set = keys.current();
        assert_eq!(set.version("credit-card"), Some("1"));
        assert_eq!(set.version("id-card"), Some("2"));
        assert_eq!(set.version("passport"), None);
    }
}
