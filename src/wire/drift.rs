//! Drift: what an answer carries that the spec does not know.
//!
//! Vendors add members and enum values to their answers without notice.
//! Decoding keeps working (unknown members are skipped, unknown enum values
//! land in `Unknown`), so without a check nobody notices that the spec has
//! fallen behind. [`check`] walks an answer's JSON against its type's
//! [`Shape`] (generated from the spec) and lists each unknown member and
//! enum value with its wire path. The clients run it on every successful
//! answer, as their [`DriftMode`] says.

use std::fmt;

use serde_json::{Map, Value};

use crate::descriptor::{Member, Schema, Shape};

/// What a client does when an answer carries what the spec does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DriftMode {
    /// Refuse the answer ([`Error::Drift`](crate::Error)): for maintainers
    /// and test suites that must notice every change at once.
    Fail,
    /// Keep the answer, log each unknown path once per client (`tracing`,
    /// level `warn`) and list the drift on the answer.
    #[default]
    Warn,
    /// Keep the answer and do not look.
    Ignore,
}

impl DriftMode {
    /// `fail`, `warn` or `ignore`.
    pub fn parse(text: &str) -> Option<DriftMode> {
        match text {
            "fail" => Some(DriftMode::Fail),
            "warn" => Some(DriftMode::Warn),
            "ignore" => Some(DriftMode::Ignore),
            _ => None,
        }
    }

    /// The mode's name as [`DriftMode::parse`] reads it and `OCRWIRE_DRIFT`
    /// holds it: `fail`, `warn` or `ignore`.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftMode::Fail => "fail",
            DriftMode::Warn => "warn",
            DriftMode::Ignore => "ignore",
        }
    }
}

/// One thing the spec does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Drift {
    /// Wire path, e.g. `result.cardNums[0].bank` (from the body's root).
    pub path: String,
    /// Whether the path names an unknown member or an unknown enum value.
    pub kind: DriftKind,
}

/// What the spec does not know at a [`Drift`]'s path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the type does not list.
    UnknownMember,
    /// An enum value the type does not list. The value itself is not kept:
    /// an answer's strings may be personal data.
    UnknownValue,
}

impl Drift {
    /// The path with list indices dropped (`images[].receipt.meta`): the
    /// same unknown member in every list entry is one finding.
    pub fn pattern(&self) -> String {
        let mut out = String::with_capacity(self.path.len());
        let mut in_index = false;
        for c in self.path.chars() {
            match c {
                '[' => {
                    in_index = true;
                    out.push('[');
                }
                ']' => {
                    in_index = false;
                    out.push(']');
                }
                _ if in_index => {}
                c => out.push(c),
            }
        }
        out
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DriftKind::UnknownMember => {
                write!(f, "`{}`: a member the spec does not list", self.path)
            }
            DriftKind::UnknownValue => write!(f, "`{}`: a value the spec does not list", self.path),
        }
    }
}

/// Everything in `value` that `T`'s spec shape does not know.
pub fn check<T: Schema + ?Sized>(value: &Value) -> Vec<Drift> {
    check_shape(T::SHAPE, value, "")
}

/// Everything in `value` that `shape` does not know; paths start with
/// `root` (empty for the body itself).
pub fn check_shape(shape: &Shape<'_>, value: &Value, root: &str) -> Vec<Drift> {
    let mut out = Vec::new();
    let mut path = root.to_string();
    walk(shape, value, &mut path, &mut out);
    out
}

/// A whole answer of a result-header family: `{<header>: …, <result>: …}`.
pub fn check_members(members: &[Member<'_>], value: &Value) -> Vec<Drift> {
    check_shape(&Shape::Object(members), value, "")
}

/// [`check_members`] for an answer already read as an object.
pub fn check_object(members: &[Member<'_>], object: &Map<String, Value>) -> Vec<Drift> {
    let mut out = Vec::new();
    walk_object(members, object, &mut String::new(), &mut out);
    out
}

/// Values of the wrong JSON type are not drift: decoding reports those.
fn walk(shape: &Shape<'_>, value: &Value, path: &mut String, out: &mut Vec<Drift>) {
    match (shape, value) {
        (Shape::Object(members), Value::Object(map)) => walk_object(members, map, path, out),
        (Shape::List(inner) | Shape::OneOrList(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(inner, item, path, out);
                path.truncate(len);
            }
        }
        (Shape::OneOrList(inner), value) => walk(inner, value, path, out),
        (Shape::Enum(values), Value::String(s)) if !values.contains(&s.as_str()) => {
            out.push(Drift {
                path: path.clone(),
                kind: DriftKind::UnknownValue,
            });
        }
        _ => {}
    }
}

fn walk_object(
    members: &[Member<'_>],
    map: &Map<String, Value>,
    path: &mut String,
    out: &mut Vec<Drift>,
) {
    for (name, member_value) in map {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        // The name is the answer's: make it safe to show.
        path.push_str(&crate::text::printable(name));
        match members.iter().find(|m| m.wire() == name) {
            Some(member) => walk(member.shape(), member_value, path, out),
            None => out.push(Drift {
                path: path.clone(),
                kind: DriftKind::UnknownMember,
            }),
        }
        path.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COLOR: Shape<'static> = Shape::Enum(&["red", "blue"]);
    const ITEM: Shape<'static> = Shape::Object(&[
        Member("name", &Shape::Scalar),
        Member("color", &COLOR),
        Member("extra", &Shape::Any),
    ]);
    const BODY: Shape<'static> = Shape::Object(&[
        Member("items", &Shape::List(&ITEM)),
        Member("one", &Shape::OneOrList(&COLOR)),
    ]);

    #[test]
    fn a_whole_answer_names_unknown_members_safely() {
        let answer = json!({"header": {}, "result": {"items": []}, "x\u{1b}]52;c;y": 1});
        let members = [Member("header", &Shape::Any), Member("result", &BODY)];
        let drift = check_object(&members, answer.as_object().unwrap());
        assert_eq!(drift, check_members(&members, &answer));
        assert_eq!(drift.len(), 1);
        assert!(!drift[0].path.contains('\u{1b}'), "{:?}", drift[0].path);
        assert_eq!(drift[0].kind, DriftKind::UnknownMember);
    }

    #[test]
    fn unknown_members_and_values_are_found_with_their_paths() {
        let value = json!({
            "items": [
                {"name": "a", "color": "red", "extra": {"anything": 1}},
                {"name": "b", "color": "green", "size": 3},
            ],
            "one": ["blue", "pink"],
            "new": null,
        });
        let drift = check_shape(&BODY, &value, "");
        let found: Vec<(String, DriftKind)> = drift
            .iter()
            .map(|d| (d.path.clone(), d.kind.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("items[1].color".to_string(), DriftKind::UnknownValue),
                ("items[1].size".to_string(), DriftKind::UnknownMember),
                ("new".to_string(), DriftKind::UnknownMember),
                ("one[1]".to_string(), DriftKind::UnknownValue),
            ]
        );
        assert_eq!(drift[1].pattern(), "items[].size");
        // The value is never part of the message.
        assert!(!drift[0].to_string().contains("green"));
        // A known answer has no drift; a wrongly typed value is decoding's
        // business, not drift.
        assert!(check_shape(&BODY, &json!({"items": [], "one": "red"}), "").is_empty());
        assert!(check_shape(&BODY, &json!({"items": "x", "one": 5}), "").is_empty());
    }

    #[test]
    fn modes_parse_from_their_names() {
        for mode in [DriftMode::Fail, DriftMode::Warn, DriftMode::Ignore] {
            assert_eq!(DriftMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(DriftMode::parse("strict"), None);
        assert_eq!(DriftMode::default(), DriftMode::Warn);
    }
}
