//! The fast path of tolerant decoding: the answer's bytes are walked once
//! against the spec's [`Shape`], without building a JSON tree, to find what
//! the spec does not know (unknown members and enum values) and whether
//! every member is of the kind its type takes. When it is (nearly always),
//! the caller decodes the bytes straight into the type; only an answer with
//! a member of an unexpected shape goes the slow way, through a
//! [`Value`](serde_json::Value) that can be pruned (`drift::tolerate`).
//!
//! A scan reports exactly what the slow walk reports for an answer whose
//! members all fit, paths and order included, so the two ways are one
//! behaviour at two speeds.

use std::fmt::{self, Write as _};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::drift::{Drift, DriftKind};
use crate::descriptor::{Member, Shape};

/// What a scan found.
pub(crate) struct Scan {
    /// Unknown members and enum values, with their paths.
    pub(crate) drift: Vec<Drift>,
    /// Whether every member is of its type's kind (else the slow path must
    /// set some aside).
    pub(crate) fits: bool,
}

/// Scans `bytes` against `shape`; `None` when they are not JSON (the slow
/// path then says where).
pub(crate) fn scan(shape: &Shape<'_>, bytes: &[u8], root: &str) -> Option<Scan> {
    let mut state = State {
        root,
        path: Vec::new(),
        drift: Vec::new(),
        fits: true,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Walk {
        shape,
        state: &mut state,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    // The slow walk reads members in key order: so are the findings here.
    state.drift.sort_by(|a, b| a.path.cmp(&b.path));
    Some(Scan {
        drift: state.drift,
        fits: state.fits,
    })
}

struct State<'s> {
    /// Where the walk started (`result`, or empty for the value itself).
    root: &'s str,
    /// Where the walk is, as steps: written out only for a finding, so the
    /// walk itself formats nothing.
    path: Vec<Step<'s>>,
    drift: Vec<Drift>,
    fits: bool,
}

/// One step of a path.
enum Step<'s> {
    /// A member the spec knows, by its wire name.
    Member(&'s str),
    /// A member it does not know, its name made safe to show.
    Unknown(String),
    /// A list's item.
    Index(usize),
}

impl State<'_> {
    fn push(&mut self, kind: DriftKind) {
        let mut path = self.root.to_string();
        for step in &self.path {
            let name = match step {
                Step::Member(name) => name,
                Step::Unknown(name) => name.as_str(),
                Step::Index(i) => {
                    let _ = write!(path, "[{i}]");
                    continue;
                }
            };
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(name);
        }
        self.drift.push(Drift { path, kind });
    }
}

/// A value to walk against its shape.
struct Walk<'s, 'st> {
    shape: &'s Shape<'s>,
    state: &'st mut State<'s>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.reads_text() {
            // `null` goes to `visit_none`, anything else to `visit_some`.
            deserializer.deserialize_option(self)
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

impl<'s, 'st> Walk<'s, 'st> {
    /// One value where the shape takes one or a list: the item's shape.
    fn one(self) -> Walk<'s, 'st> {
        match self.shape {
            Shape::OneOrList(inner) => Walk {
                shape: inner,
                state: self.state,
            },
            _ => self,
        }
    }

    /// Whether the value is taken to be text: read then as raw bytes, which
    /// spares checking its UTF-8 twice (the typed pass checks it, and any
    /// other kind of value makes it fail, so the slow path sees it).
    fn reads_text(&self) -> bool {
        matches!(
            self.shape,
            Shape::Text | Shape::Enum(_) | Shape::OneOrList(Shape::Text | Shape::Enum(_))
        )
    }

    /// A value of the wrong kind: the slow path sets its member aside.
    fn misfit(self) {
        if !matches!(self.shape, Shape::Any) {
            self.state.fits = false;
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.shape.expected())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        let this = self.one();
        if !matches!(this.shape, Shape::Bool | Shape::Any) {
            this.misfit();
        }
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        let this = self.one();
        if !matches!(
            this.shape,
            Shape::Integer | Shape::Number | Shape::IntegerOrText | Shape::Any
        ) {
            this.misfit();
        }
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<(), E> {
        let this = self.one();
        let fits = match this.shape {
            Shape::Integer | Shape::IntegerOrText => i64::try_from(n).is_ok(),
            Shape::Number | Shape::Any => true,
            _ => false,
        };
        if !fits {
            this.misfit();
        }
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        let this = self.one();
        if !matches!(this.shape, Shape::Number | Shape::Any) {
            this.misfit();
        }
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        self.visit_bytes(text.as_bytes())
    }

    fn visit_bytes<E: serde::de::Error>(self, text: &[u8]) -> Result<(), E> {
        let this = self.one();
        match this.shape {
            Shape::Enum(values) => {
                if !values.lists_bytes(text) {
                    this.state.push(DriftKind::UnknownValue);
                }
            }
            Shape::Text | Shape::IntegerOrText | Shape::Any => {}
            _ => this.misfit(),
        }
        Ok(())
    }

    /// Only text-like shapes read through `deserialize_option`: `null` is
    /// then seen here.
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    /// The value after `deserialize_option` found it is not `null`.
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_bytes(self)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        let this = self.one();
        // `null` fits an optional member (its member decides) and `Any`.
        if !matches!(this.shape, Shape::Any) {
            this.misfit();
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = match self.shape {
            Shape::List(inner) | Shape::OneOrList(inner) => *inner,
            Shape::Any => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            _ => {
                self.misfit();
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                return Ok(());
            }
        };
        let state = self.state;
        let mut i = 0usize;
        loop {
            state.path.push(Step::Index(i));
            let item = Walk {
                shape: inner,
                state: &mut *state,
            };
            let more = seq.next_element_seed(item)?.is_some();
            state.path.pop();
            if !more {
                break;
            }
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let this = self.one();
        let object = match this.shape {
            Shape::Object(object) => object,
            Shape::Any => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(());
            }
            _ => return misfit_map(this, map),
        };
        let state = this.state;
        while let Some(key) = map.next_key_seed(Key(object.members()))? {
            match key {
                Found::Member(member) => {
                    state.path.push(Step::Member(member.wire()));
                    map.next_value_seed(MemberValue {
                        member,
                        state: &mut *state,
                    })?;
                }
                Found::Unknown(name) => {
                    // The name is the answer's: made safe to show.
                    state
                        .path
                        .push(Step::Unknown(crate::text::printable(&name).into_owned()));
                    state.push(DriftKind::UnknownMember);
                    map.next_value::<IgnoredAny>()?;
                }
            }
            state.path.pop();
        }
        Ok(())
    }
}

fn misfit_map<'de, A: MapAccess<'de>>(walk: Walk<'_, '_>, mut map: A) -> Result<(), A::Error> {
    walk.misfit();
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// A member's value: `null` fits an optional member.
struct MemberValue<'s, 'st> {
    member: &'s Member<'s>,
    state: &'st mut State<'s>,
}

impl<'de> DeserializeSeed<'de> for MemberValue<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let walk = Walk {
            shape: self.member.shape(),
            state: &mut *self.state,
        };
        if walk.reads_text() {
            deserializer.deserialize_option(self)
        } else {
            deserializer.deserialize_any(self)
        }
    }
}

macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<E: serde::de::Error>(self, $($arg: $ty),*) -> Result<(), E> {
            Walk { shape: self.member.shape(), state: self.state }.$method($($arg),*)
        }
    )*};
}

impl<'de> Visitor<'de> for MemberValue<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.member.shape().expected())
    }

    forward! {
        visit_bool(v: bool);
        visit_i64(v: i64);
        visit_u64(v: u64);
        visit_f64(v: f64);
        visit_str(v: &str);
        visit_bytes(v: &[u8]);
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        if self.member.is_required() {
            self.state.fits = false;
        }
        Ok(())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_bytes(Walk {
            shape: self.member.shape(),
            state: self.state,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Walk {
            shape: self.member.shape(),
            state: self.state,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Walk {
            shape: self.member.shape(),
            state: self.state,
        }
        .visit_map(map)
    }
}

/// A key: the member it names, or the name itself when none does (only
/// then is it copied).
enum Found<'s> {
    Member(&'s Member<'s>),
    Unknown(String),
}

struct Key<'s>(&'s [Member<'s>]);

impl<'de, 's> DeserializeSeed<'de> for Key<'s> {
    type Value = Found<'s>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Found<'s>, D::Error> {
        // Raw: a known name is compared byte for byte, and only an unknown
        // one is read as text.
        deserializer.deserialize_bytes(self)
    }
}

impl<'de, 's> Visitor<'de> for Key<'s> {
    type Value = Found<'s>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Found<'s>, E> {
        self.visit_bytes(name.as_bytes())
    }

    fn visit_bytes<E: serde::de::Error>(self, name: &[u8]) -> Result<Found<'s>, E> {
        Ok(match self.0.iter().find(|m| m.wire().as_bytes() == name) {
            Some(member) => Found::Member(member),
            None => Found::Unknown(String::from_utf8_lossy(name).into_owned()),
        })
    }
}
