//! Drift: what an answer carries that the spec does not know, and decoding
//! that survives it.
//!
//! Vendors add members and enum values to their answers without notice,
//! and change a member's shape before their docs do. Decoding keeps
//! working through all three: unknown members are skipped, unknown enum
//! values land in `Unknown`, and an optional member that arrives in a shape
//! its type does not take (a list where the spec has one object) is set
//! aside, so one odd member does not sink the whole answer. Without a
//! report nobody would notice that the spec has fallen behind, so
//! [`decode`] walks an answer's JSON against its type's [`Shape`]
//! (generated from the spec) and lists each of the three with its wire
//! path, never its value. The clients decode every successful answer this
//! way and treat the list as their [`DriftMode`] says.

use std::fmt::{self, Write as _};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::descriptor::{Member, ObjectShape, Schema, Shape};

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
    /// What is unknown at the path: a member, an enum value, or the shape
    /// of a value.
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
    /// An optional member that arrived in a shape its type does not take
    /// (a list where the spec has one object, an object where it has a
    /// string). It was set aside, so the rest of the answer decoded, and the
    /// decoded answer has it empty. Only the kinds are kept, never the
    /// value.
    UnexpectedShape {
        /// What the spec's type takes (`an object`).
        expected: &'static str,
        /// What arrived (`a list`).
        found: &'static str,
    },
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
        match &self.kind {
            DriftKind::UnknownMember => {
                write!(f, "`{}`: a member the spec does not list", self.path)
            }
            DriftKind::UnknownValue => write!(f, "`{}`: a value the spec does not list", self.path),
            DriftKind::UnexpectedShape { expected, found } => write!(
                f,
                "`{}`: {found} where the spec has {expected} (set aside)",
                self.path
            ),
        }
    }
}

/// An answer that does not decode even with its unexpected members set
/// aside: a required member is missing or of the wrong shape, or the body
/// is not of its type's shape at all.
///
/// Neither field holds a value from the answer: the reason is the
/// decoder's, with what it quoted elided.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}`: {reason}")]
#[non_exhaustive]
pub struct DecodeError {
    /// Wire path of the offending member, from the decoded value's root;
    /// `.` when the value as a whole is unusable.
    pub path: String,
    /// What is wrong there, without the value.
    pub reason: String,
}

/// A value decoded into its type, and what the spec does not know in it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    /// The value, as typed. Members the spec does not know are not in it,
    /// and members of an unexpected shape are empty.
    pub value: T,
    /// Every unknown member, unknown enum value and member of an
    /// unexpected shape, with its wire path.
    pub drift: Vec<Drift>,
}

/// Decodes `value` as `T`, tolerantly: unknown members and enum values are
/// reported as drift (the types keep working without them), and an
/// optional member of a shape its type does not take is set aside and
/// reported, so one odd member does not sink the whole answer. A required
/// member of the wrong shape, or one that is missing, is still an error.
///
/// This is what the clients do with every answer; it is also how a saved
/// answer is checked offline (`ocrwire decode`).
///
/// # Errors
///
/// [`DecodeError`], naming the path, when the value does not decode even so.
pub fn decode<T: Schema + DeserializeOwned>(value: Value) -> Result<Decoded<T>, DecodeError> {
    decode_as(T::SHAPE, value, "")
}

/// [`decode`] from the answer's bytes: the same decoding, in one pass over
/// the bytes when every member is of its type's kind (nearly always), and
/// through a JSON tree only when one is not.
///
/// # Errors
///
/// As [`decode`]; bytes that are not JSON are an error at `.`.
pub fn decode_slice<T: Schema + DeserializeOwned>(bytes: &[u8]) -> Result<Decoded<T>, DecodeError> {
    if let Some(scan) = super::scan::scan(T::SHAPE, bytes, "")
        && scan.fits
        && let Ok(value) = serde_json::from_slice::<T>(bytes)
    {
        return Ok(Decoded {
            value,
            drift: scan.drift,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: Value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| DecodeError::new("", &e))?;
    decode::<T>(value)
}

/// [`decode`] against a shape given here rather than the type's own (a
/// whole answer put together around a generated type: NHN's `header` and
/// `result`); paths start with `root` (empty for the value itself).
///
/// # Errors
///
/// As [`decode`].
pub fn decode_as<T: DeserializeOwned>(
    shape: &Shape<'_>,
    mut value: Value,
    root: &str,
) -> Result<Decoded<T>, DecodeError> {
    let drift = tolerate(shape, &mut value, root);
    finish(shape, value, root, drift)
}

/// The second half of [`decode_as`], for a value [`tolerate`] has already
/// walked (finding `drift`).
pub(crate) fn finish<T: DeserializeOwned>(
    shape: &Shape<'_>,
    mut value: Value,
    root: &str,
    mut drift: Vec<Drift>,
) -> Result<Decoded<T>, DecodeError> {
    // serde would read an object's members from a list by position: a value
    // of the wrong kind is refused here, by its shape.
    if !shape.takes_kind_of(&value) {
        return Err(DecodeError {
            path: if root.is_empty() { "." } else { root }.to_string(),
            reason: format!(
                "invalid type: {}, expected {}",
                kind_of(&value),
                shape.expected()
            ),
        });
    }
    // Almost always the walk has left a value its type takes: decoded
    // once, without tracking paths.
    if let Ok(typed) = T::deserialize(&value) {
        return Ok(Decoded {
            value: typed,
            drift: sorted(drift),
        });
    }
    // The walk sets aside every member whose JSON kind is wrong. What only
    // the type itself can refuse (text that is not Base64, say) is found by
    // decoding with its path: such a member, if optional, is set aside too,
    // and decoding runs again; each round removes a member, so this ends.
    loop {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(value) => {
                return Ok(Decoded {
                    value,
                    drift: sorted(drift),
                });
            }
            Err(e) => {
                let Some(found) = optional_member_at(shape, &value, e.path()) else {
                    return Err(DecodeError::new(root, &e));
                };
                let path = found.path(root);
                let kind = found.remove(&mut value);
                // Whatever was found inside it went with it.
                drift.retain(|d| !is_within(&d.path, &path));
                drift.push(Drift {
                    path,
                    kind: DriftKind::UnexpectedShape {
                        expected: found.expected,
                        found: kind,
                    },
                });
            }
        }
    }
}

impl DecodeError {
    /// From serde's error and the path it names, relative to `root`.
    pub(crate) fn new(
        root: &str,
        e: &serde_path_to_error::Error<serde_json::Error>,
    ) -> DecodeError {
        let (path, reason) = error_place(e);
        let path = match (root, path.as_str()) {
            ("", inner) => inner.to_string(),
            (root, ".") => root.to_string(),
            (root, inner) => format!("{root}.{inner}"),
        };
        DecodeError {
            path: crate::text::printable(&path).into_owned(),
            reason: crate::error::without_values(&reason),
        }
    }
}

/// The place serde names (`.` for the value itself) and its reason.
pub(crate) fn error_place(e: &serde_path_to_error::Error<serde_json::Error>) -> (String, String) {
    // `?` marks a place serde could not name (a value cut off mid-way):
    // report its parent.
    let mut inner = e.path().to_string();
    while let Some(parent) = inner.strip_suffix(".?") {
        inner = parent.to_string();
    }
    if inner == "?" {
        inner = ".".to_string();
    }
    let reason = e.inner().to_string();
    // serde reports a missing member at its parent; name the member itself
    // (`header`, not the body), since that is what is wrong.
    if let Some(member) = reason
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        inner = match inner.as_str() {
            "." => member.to_string(),
            parent => format!("{parent}.{member}"),
        };
    }
    (inner, reason)
}

/// Whether `path` is `parent` or lies inside it.
fn is_within(path: &str, parent: &str) -> bool {
    path.strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// One step from a value into a part of it.
#[derive(Debug, Clone)]
enum Step {
    Member(String),
    Item(usize),
}

/// An optional member found on a decoding error's path: the steps that
/// reach it and what its shape takes.
struct FoundMember {
    steps: Vec<Step>,
    expected: &'static str,
}

impl FoundMember {
    fn path(&self, root: &str) -> String {
        let mut out = root.to_string();
        for step in &self.steps {
            match step {
                Step::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&crate::text::printable(name));
                }
                Step::Item(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// Removes the member from `value`; returns the kind of what it held.
    fn remove(&self, value: &mut Value) -> &'static str {
        let Some((last, parents)) = self.steps.split_last() else {
            return "a value";
        };
        let mut at = value;
        for step in parents {
            let next = match (step, at) {
                (Step::Member(name), Value::Object(map)) => map.get_mut(name),
                (Step::Item(i), Value::Array(items)) => items.get_mut(*i),
                _ => None,
            };
            match next {
                Some(next) => at = next,
                None => return "a value",
            }
        }
        match (last, at) {
            (Step::Member(name), Value::Object(map)) => {
                map.remove(name).map_or("a value", |v| kind_of(&v))
            }
            _ => "a value",
        }
    }
}

/// The member a decoding error lies in, if the last member on its path is
/// optional: setting it aside lets the rest decode. A required member, or
/// a path the shape does not follow, gives `None` (the error stands).
fn optional_member_at(
    shape: &Shape<'_>,
    value: &Value,
    path: &serde_path_to_error::Path,
) -> Option<FoundMember> {
    use serde_path_to_error::Segment;
    let mut steps = Vec::new();
    let mut last: Option<(usize, &Member<'_>)> = None;
    let (mut shape, mut value) = (shape, value);
    for segment in path.iter() {
        // A single value of a one-or-list stands for its item.
        if let (Shape::OneOrList(inner), false) = (shape, value.is_array()) {
            shape = inner;
        }
        match (segment, shape, value) {
            (Segment::Map { key }, Shape::Object(object), Value::Object(map)) => {
                let member = object.member(key)?;
                steps.push(Step::Member(key.clone()));
                last = Some((steps.len(), member));
                shape = member.shape();
                value = map.get(key)?;
            }
            (
                Segment::Seq { index },
                Shape::List(inner) | Shape::OneOrList(inner),
                Value::Array(items),
            ) => {
                steps.push(Step::Item(*index));
                shape = inner;
                value = items.get(*index)?;
            }
            _ => break,
        }
    }
    let (length, member) = last?;
    if member.is_required() {
        return None;
    }
    steps.truncate(length);
    Some(FoundMember {
        steps,
        expected: member.shape().expected(),
    })
}

/// Everything in `value` that `T`'s spec shape does not know.
pub fn check<T: Schema + ?Sized>(value: &Value) -> Vec<Drift> {
    check_shape(T::SHAPE, value, "")
}

/// Everything in `value` that `shape` does not know; paths start with
/// `root` (empty for the body itself).
pub fn check_shape(shape: &Shape<'_>, value: &Value, root: &str) -> Vec<Drift> {
    tolerate(shape, &mut value.clone(), root)
}

/// A whole answer of a result-header family: `{<header>: …, <result>: …}`.
pub fn check_members(members: &[Member<'_>], value: &Value) -> Vec<Drift> {
    check_shape(&Shape::Object(&ObjectShape::new("", members)), value, "")
}

/// What `value` holds that `shape` does not know, with every optional
/// member of an unexpected shape set aside (removed from `value`); paths
/// start with `root`. Decoding `value` afterwards fails only on what its
/// type alone can refuse, or on a required member.
pub fn tolerate(shape: &Shape<'_>, value: &mut Value, root: &str) -> Vec<Drift> {
    let mut out = Vec::new();
    let mut path = root.to_string();
    walk(shape, value, &mut path, &mut out);
    sorted(out)
}

/// Findings in the order of their paths, whichever way they were found.
fn sorted(mut drift: Vec<Drift>) -> Vec<Drift> {
    drift.sort_by(|a, b| a.path.cmp(&b.path));
    drift
}

/// [`tolerate`] for a whole answer already read as an object (NHN's
/// `header` and `result`).
pub fn tolerate_object(members: &[Member<'_>], object: &mut Map<String, Value>) -> Vec<Drift> {
    let mut out = Vec::new();
    walk_object(members, object, &mut String::new(), &mut out);
    sorted(out)
}

/// What JSON kind a value is, in a few words.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "a whole number",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Walks `value` against `shape`, recording drift and setting aside
/// optional members of an unexpected shape. Returns whether the value
/// itself is of the shape's kind (a list only if every item is); what
/// cannot be decided from the kind is left to decoding.
fn walk(shape: &Shape<'_>, value: &mut Value, path: &mut String, out: &mut Vec<Drift>) -> bool {
    if !shape.takes_kind_of(value) {
        return false;
    }
    match (shape, value) {
        (Shape::Object(object), Value::Object(map)) => {
            walk_object(object.members(), map, path, out)
        }
        (Shape::List(inner) | Shape::OneOrList(inner), Value::Array(items)) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                let fits = walk(inner, item, path, out);
                path.truncate(len);
                if !fits {
                    return false;
                }
            }
        }
        (Shape::OneOrList(inner), value) => return walk(inner, value, path, out),
        (Shape::Enum(values), Value::String(s)) if !values.lists(s) => {
            out.push(Drift {
                path: path.clone(),
                kind: DriftKind::UnknownValue,
            });
        }
        _ => {}
    }
    true
}

fn walk_object(
    members: &[Member<'_>],
    map: &mut Map<String, Value>,
    path: &mut String,
    out: &mut Vec<Drift>,
) {
    let mut set_aside = Vec::new();
    for (name, member_value) in map.iter_mut() {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        // The name is the answer's: make it safe to show.
        path.push_str(&crate::text::printable(name));
        match members.iter().find(|m| m.wire() == name) {
            Some(member) => {
                let before = out.len();
                // `null` is how some answers say "absent".
                let fits = (member_value.is_null() && !member.is_required())
                    || walk(member.shape(), member_value, path, out);
                if !fits && !member.is_required() {
                    // What was found inside goes with it.
                    out.truncate(before);
                    out.push(Drift {
                        path: path.clone(),
                        kind: DriftKind::UnexpectedShape {
                            expected: member.shape().expected(),
                            found: kind_of(member_value),
                        },
                    });
                    set_aside.push(name.clone());
                }
            }
            None => out.push(Drift {
                path: path.clone(),
                kind: DriftKind::UnknownMember,
            }),
        }
        path.truncate(len);
    }
    for name in set_aside {
        map.remove(&name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::descriptor::{EnumShape, EnumValue};

    const COLOR: Shape<'static> = Shape::Enum(&EnumShape::new(
        "Color",
        &[
            EnumValue::new("red", "Red."),
            EnumValue::new("blue", "Blue."),
        ],
    ));
    const ITEM: Shape<'static> = Shape::Object(&ObjectShape::new(
        "Item",
        &[
            Member::optional("name", &Shape::Text),
            Member::optional("color", &COLOR),
            Member::optional("extra", &Shape::Any),
        ],
    ));
    const BODY: Shape<'static> = Shape::Object(&ObjectShape::new(
        "Body",
        &[
            Member::optional("items", &Shape::List(&ITEM)),
            Member::optional("one", &Shape::OneOrList(&COLOR)),
        ],
    ));

    #[test]
    fn a_whole_answer_names_unknown_members_safely() {
        let answer = json!({"header": {}, "result": {"items": []}, "x\u{1b}]52;c;y": 1});
        let members = [
            Member::required("header", &Shape::Any),
            Member::optional("result", &BODY),
        ];
        let drift = tolerate_object(&members, &mut answer.as_object().unwrap().clone());
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
        // A known answer has no drift.
        assert!(check_shape(&BODY, &json!({"items": [], "one": "red"}), "").is_empty());
    }

    #[test]
    fn members_of_an_unexpected_shape_are_set_aside_and_named() {
        let mut value = json!({
            "items": [{"name": {"text": "a"}, "color": "red", "unknown": 1}],
            "one": 5,
        });
        let drift = tolerate(&BODY, &mut value, "");
        assert_eq!(
            drift,
            [
                Drift {
                    path: "items[0].name".into(),
                    kind: DriftKind::UnexpectedShape {
                        expected: "a string",
                        found: "an object"
                    }
                },
                Drift {
                    path: "items[0].unknown".into(),
                    kind: DriftKind::UnknownMember
                },
                Drift {
                    path: "one".into(),
                    kind: DriftKind::UnexpectedShape {
                        expected: "one value or a list",
                        found: "a whole number"
                    }
                },
            ]
        );
        // Set aside: the rest stays.
        assert_eq!(value, json!({"items": [{"color": "red", "unknown": 1}]}));
        assert_eq!(
            drift[0].to_string(),
            "`items[0].name`: an object where the spec has a string (set aside)"
        );
        // A list whose item is of the wrong kind goes as a whole, with what
        // was found inside it.
        let mut value = json!({"items": [{"color": "pink"}, "not an item"]});
        let drift = tolerate(&BODY, &mut value, "");
        assert_eq!(drift.len(), 1, "{drift:?}");
        assert_eq!(drift[0].path, "items");
        assert_eq!(value, json!({}));
        // `null` says absent.
        assert!(tolerate(&BODY, &mut json!({"items": null}), "").is_empty());
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Card {
        number: String,
        #[serde(default)]
        data: Option<crate::wire::Base64Data>,
        #[serde(default)]
        count: Option<i64>,
    }

    const CARD: Shape<'static> = Shape::Object(&ObjectShape::new(
        "Card",
        &[
            Member::required("number", &Shape::Text),
            Member::optional("data", &Shape::Text),
            Member::optional("count", &Shape::Integer),
        ],
    ));

    #[test]
    fn decoding_sets_aside_what_only_the_type_refuses_and_keeps_required_members() {
        // Text that is not Base64 is of the right kind; only decoding finds
        // it, and the optional member is set aside all the same.
        let decoded: Decoded<Card> = decode_as(
            &CARD,
            json!({"number": "1", "data": "%%", "count": 1.5}),
            "result",
        )
        .unwrap();
        assert_eq!(
            decoded.value,
            Card {
                number: "1".into(),
                data: None,
                count: None
            }
        );
        let paths: Vec<&str> = decoded.drift.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["result.count", "result.data"]);
        // A required member of the wrong shape, or a missing one, is an
        // error that names it without its value.
        let e =
            decode_as::<Card>(&CARD, json!({"number": {"secret": "4929"}}), "result").unwrap_err();
        assert_eq!(e.path, "result.number");
        assert!(!e.to_string().contains("4929"), "{e}");
        let e = decode_as::<Card>(&CARD, json!({}), "").unwrap_err();
        assert_eq!(e.path, "number");
        let e = decode_as::<Card>(&CARD, json!([1]), "").unwrap_err();
        assert_eq!(e.path, ".");
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
