//! The property of tolerant decoding, checked for every generated type
//! (walked through the registry, so a new spec type is covered with no
//! list to update):
//!
//! - a full value of the type (every member present, built from its shape)
//!   decodes with no drift and writes back unchanged;
//! - an optional member given a value of another shape (every wrong shape
//!   its kind admits) yields exactly one drift, `UnexpectedShape` at that
//!   member's path, and the rest decodes: the value writes back as the full
//!   value without that member;
//! - a required member given a value of another shape is an error that
//!   names its path;
//! - decoding from the bytes (the clients' one-pass way) gives exactly what
//!   decoding from a JSON tree gives, drift and errors included.

use serde_json::{Map, Value, json};

use crate::descriptor::{Member, Schema, Shape};
use crate::wire::drift::{self, DriftKind};

/// Deep enough for every generated type; deeper optional members are left
/// out (a required one never is).
const MAX_DEPTH: usize = 8;

/// A value of `shape` with every member present (to `MAX_DEPTH`).
fn full(shape: &Shape<'_>, depth: usize) -> Value {
    match shape {
        Shape::Object(object) => Value::Object(
            object
                .members()
                .iter()
                .filter(|m| m.is_required() || depth < MAX_DEPTH)
                .map(|m| (m.wire().to_string(), full(m.shape(), depth + 1)))
                .collect(),
        ),
        Shape::List(inner) | Shape::OneOrList(inner) => json!([full(inner, depth + 1)]),
        Shape::Enum(e) => json!(e.values().first().map_or("value", |v| v.wire())),
        // Base64 of "text": a string for text, Base64 data and fixed values.
        Shape::Text => json!("dGV4dA=="),
        Shape::Integer | Shape::IntegerOrText => json!(7),
        Shape::Number => json!(0.5),
        Shape::Bool => json!(true),
        // `Shape` is non-exhaustive; `Any` and whatever comes take anything.
        _ => json!({"any": [1, "two"]}),
    }
}

/// Values whose JSON kind `shape` does not take (none for `Any`).
fn wrong(shape: &Shape<'_>) -> Vec<Value> {
    let candidates = [
        json!("text"),
        json!(1.5),
        json!(9),
        json!(false),
        json!({"member": 1}),
        json!(["item"]),
        json!([{"member": 1}]),
    ];
    candidates
        .into_iter()
        .filter(|v| !shape.takes_kind_of(v) && !lists_of_fitting_kind(shape, v))
        .collect()
}

/// A list whose items all fit the list's item kind is not a wrong shape.
fn lists_of_fitting_kind(shape: &Shape<'_>, value: &Value) -> bool {
    match (shape, value) {
        (Shape::List(inner) | Shape::OneOrList(inner), Value::Array(items)) => {
            items.iter().all(|item| inner.takes_kind_of(item))
        }
        _ => false,
    }
}

#[derive(Default)]
struct Checked {
    types: usize,
    optional: usize,
    required: usize,
}

impl super::TypeVisitor for Checked {
    fn visit<T>(&mut self, module: &'static str, name: &'static str)
    where
        T: Schema + serde::de::DeserializeOwned + serde::Serialize + 'static,
    {
        let Shape::Object(object) = T::SHAPE else {
            panic!("{module}::{name} is not an object shape");
        };
        self.types += 1;
        let value = full(T::SHAPE, 0);
        let fast = drift::decode_slice::<T>(&serde_json::to_vec(&value).unwrap())
            .unwrap_or_else(|e| panic!("{module}::{name}: a full value does not decode fast: {e}"));
        assert!(fast.drift.is_empty(), "{module}::{name}: {:?}", fast.drift);
        let decoded = drift::decode::<T>(value.clone())
            .unwrap_or_else(|e| panic!("{module}::{name}: a full value does not decode: {e}"));
        assert!(
            decoded.drift.is_empty(),
            "{module}::{name}: {:?}",
            decoded.drift
        );
        assert_eq!(
            serde_json::to_value(&decoded.value).unwrap(),
            value,
            "{module}::{name} does not write back what it read"
        );
        // A member the spec does not list: reported the same both ways.
        let mut extra = value.clone();
        extra["memberTheSpecLacks"] = json!({"inside": [1, "two"]});
        let slow = drift::decode::<T>(extra.clone()).unwrap();
        let fast = drift::decode_slice::<T>(&serde_json::to_vec(&extra).unwrap()).unwrap();
        assert_eq!(slow.drift, fast.drift, "{module}::{name}");
        assert_eq!(slow.drift.len(), 1, "{module}::{name}: {:?}", slow.drift);
        for member in object.members() {
            for bad in wrong(member.shape()) {
                self.check_member::<T>(module, name, &value, member, bad);
            }
        }
    }
}

impl Checked {
    fn check_member<T>(
        &mut self,
        module: &str,
        name: &str,
        full: &Value,
        member: &Member<'_>,
        bad: Value,
    ) where
        T: Schema + serde::de::DeserializeOwned + serde::Serialize,
    {
        let at = format!("{module}::{name}.{} = {bad}", member.wire());
        let mut broken = full.clone();
        broken[member.wire()] = bad;
        let bytes = serde_json::to_vec(&broken).unwrap();
        let outcome = drift::decode::<T>(broken);
        // From the bytes (the clients' fast way): the same outcome.
        let fast = drift::decode_slice::<T>(&bytes);
        match (&outcome, &fast) {
            (Ok(slow), Ok(fast)) => {
                assert_eq!(slow.drift, fast.drift, "{at}: the two ways differ");
                assert_eq!(
                    serde_json::to_value(&slow.value).unwrap(),
                    serde_json::to_value(&fast.value).unwrap(),
                    "{at}: the two ways decode differently"
                );
            }
            (Err(slow), Err(fast)) => assert_eq!(slow, fast, "{at}: the two ways fail differently"),
            _ => panic!("{at}: one way decodes, the other does not"),
        }
        if member.is_required() {
            self.required += 1;
            let e = outcome.err().unwrap_or_else(|| panic!("{at}: decoded"));
            assert_eq!(e.path, member.wire(), "{at}");
            return;
        }
        self.optional += 1;
        let decoded = outcome.unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(decoded.drift.len(), 1, "{at}: {:?}", decoded.drift);
        assert_eq!(decoded.drift[0].path, member.wire(), "{at}");
        assert!(
            matches!(decoded.drift[0].kind, DriftKind::UnexpectedShape { .. }),
            "{at}: {:?}",
            decoded.drift
        );
        let mut rest: Map<String, Value> = full.as_object().cloned().unwrap_or_default();
        rest.remove(member.wire());
        assert_eq!(
            serde_json::to_value(&decoded.value).unwrap(),
            Value::Object(rest),
            "{at}: the rest did not decode as it was"
        );
    }
}

#[test]
fn every_member_of_every_type_tolerates_or_refuses_another_shape_as_it_should() {
    let mut checked = Checked::default();
    super::visit_types(&mut checked);
    // Every spec type was walked (the registry lists them all), and the
    // walk reached members of both kinds.
    let spec_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec");
    let in_specs: usize = ocrwire_codegen::load_dir(&spec_dir)
        .unwrap()
        .iter()
        .map(|f| f.types.len())
        .sum();
    assert_eq!(checked.types, in_specs);
    assert!(
        checked.optional > 1000 && checked.required > 20,
        "{} optional, {} required",
        checked.optional,
        checked.required
    );
}
