//! What the running emulator shares between calls.

use std::sync::atomic::{AtomicU64, Ordering};

use super::clova::InvokePath;
use super::config::EmulatorConfig;
use super::keys::Keys;
use super::rate_limit::RateLimits;
use super::request_keys::RequestKeys;
use super::tokens::Tokens;
use std::collections::HashMap;

use crate::descriptor::{Endpoint, Operation, OperationVisitor, Schema, Shape};

pub struct State {
    pub config: EmulatorConfig,
    pub keys: Keys,
    pub request_keys: RequestKeys,
    pub tokens: Tokens,
    pub counters: Counters,
    pub rate_limits: RateLimits,
    /// The CLOVA invoke path (`/custom/v1/{DomainId}/{InvokeKey}`) and its
    /// variables, from the spec's `base_url.path`.
    pub clova_invoke: InvokePath,
    /// Each endpoint's response shape, by family and endpoint name, for an
    /// answer built from the shape when the spec names no example.
    pub shapes: Shapes,
}

/// Response shapes by `(family, endpoint)`.
pub type Shapes = HashMap<(&'static str, &'static str), &'static Shape<'static>>;

/// Every endpoint's response shape, from the registry.
pub fn shapes() -> Shapes {
    struct Collect(Shapes);
    impl OperationVisitor for Collect {
        fn visit<O: Operation>(&mut self) {
            self.0.insert(
                (O::ENDPOINT.family, O::ENDPOINT.name),
                <O::Response as Schema>::SHAPE,
            );
        }
    }
    let mut collect = Collect(HashMap::new());
    crate::wire::visit_operations(&mut collect);
    collect.0
}

/// Calls received, in total (this numbers the calls for fault injection)
/// and per endpoint (for tests).
pub struct Counters {
    total: AtomicU64,
    per_endpoint: Vec<(&'static str, &'static str, AtomicU64)>,
}

impl Counters {
    pub fn new<'a>(endpoints: impl Iterator<Item = &'a Endpoint>) -> Counters {
        Counters {
            total: AtomicU64::new(0),
            per_endpoint: endpoints
                .map(|e| (e.family, e.name, AtomicU64::new(0)))
                .collect(),
        }
    }

    /// Counts a call to `endpoint`; a `numbered` one also gets the next
    /// number in the total (1, 2, ...), which it returns (0 otherwise).
    pub fn begin(&self, endpoint: &Endpoint, numbered: bool) -> u64 {
        if let Some((_, _, n)) = self
            .per_endpoint
            .iter()
            .find(|(f, e, _)| *f == endpoint.family && *e == endpoint.name)
        {
            n.fetch_add(1, Ordering::SeqCst);
        }
        if !numbered {
            return 0;
        }
        self.total.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn of(&self, endpoint: &Endpoint) -> u64 {
        self.per_endpoint
            .iter()
            .find(|(f, e, _)| *f == endpoint.family && *e == endpoint.name)
            .map_or(0, |(_, _, n)| n.load(Ordering::SeqCst))
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::SeqCst)
    }
}
