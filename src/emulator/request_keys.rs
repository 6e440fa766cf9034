//! Request-Keys: the tickets an ID-card recognition issues for one later
//! authenticity check.
//!
//! Each key remembers the card it was issued for (its type and recognized
//! values), so the authenticity check can compare field by field. A key is
//! removed when a check presents it (single use); one past its TTL counts as
//! never issued. The store is bounded: when full, the oldest keys go first.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::Sensitive;
use crate::wire::nhn_document_ocr_v2::{IdCardKey, IdType};

/// Most live Request-Keys kept; a hostile client cannot grow the store
/// beyond this.
const MAX_KEYS: usize = 100_000;

/// The card a Request-Key was issued for.
#[derive(Clone, Debug)]
pub struct IssuedFor {
    pub id_type: IdType,
    pub values: Vec<(IdCardKey, Sensitive)>,
}

impl IssuedFor {
    /// The recognized value of `key`, if the card had one.
    pub fn value(&self, key: &IdCardKey) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.expose())
    }
}

struct Entry {
    card: IssuedFor,
    issued: Instant,
}

pub struct RequestKeys {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl RequestKeys {
    pub fn new(ttl: Duration) -> RequestKeys {
        RequestKeys {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Issues a new key for `card`. Keys are random UUIDs: guessing one is
    /// as hard as with the vendor's opaque keys.
    pub fn issue(&self, card: IssuedFor) -> String {
        let key = uuid::Uuid::new_v4().simple().to_string();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let ttl = self.ttl;
        entries.retain(|_, e| e.issued.elapsed() < ttl);
        if entries.len() >= MAX_KEYS {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.issued)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                entries.remove(&oldest);
            }
        }
        entries.insert(
            key.clone(),
            Entry {
                card,
                issued: Instant::now(),
            },
        );
        key
    }

    /// Spends `key`: returns its card if it was issued and has not expired,
    /// and removes it either way.
    pub fn take(&self, key: &str) -> Option<IssuedFor> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.remove(key)?;
        (entry.issued.elapsed() < self.ttl).then_some(entry.card)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> IssuedFor {
        IssuedFor {
            id_type: IdType::Resident,
            values: vec![(IdCardKey::Name, Sensitive::new("홍길동"))],
        }
    }

    #[test]
    fn single_use() {
        let store = RequestKeys::new(Duration::from_secs(3600));
        let key = store.issue(card());
        let got = store.take(&key).unwrap();
        assert_eq!(got.value(&IdCardKey::Name), Some("홍길동"));
        assert!(store.take(&key).is_none());
        assert!(store.take("never-issued").is_none());
    }

    #[test]
    fn zero_ttl_expires_at_once() {
        let store = RequestKeys::new(Duration::ZERO);
        let key = store.issue(card());
        assert!(store.take(&key).is_none());
    }
}
