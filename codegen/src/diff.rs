//! `ocrwire-codegen diff OLD NEW`: the API changelog between two versions
//! of the specs, each change classed by what it does to code written
//! against the old generated API and to what goes over the wire.
//!
//! The classes follow what the generator emits: structs and enums are
//! `#[non_exhaustive]`, every enum and `ErrorCode` keeps unknown values in
//! `Unknown`, optional fields are `Option`s. So an added optional field,
//! enum value, error code, endpoint or type is **compatible** (code
//! written before still compiles and behaves), while a removed or renamed
//! item, a changed type, a field becoming required or optional (`T` <->
//! `Option<T>`) and a flipped encryption flag are **breaking**. Changes
//! that only move wire behaviour (a message, a limit, a host, retry
//! advice) are compatible, and say what changes on the wire.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{BaseUrl, Code, Endpoint, Enum, ErrorCode, Family, Field, Object};

/// What a change does to code written against the old specs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Compatible,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
        }
    }
}

/// One change between the two sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub class: Class,
    pub family: String,
    /// `host`, `version`, `auth`, `endpoint`, `header`, `type`, `field`,
    /// `encryption`, `enum value`, `error code`, `limit`, `family`.
    pub area: &'static str,
    /// What changed (`CreditCardResult.bank`, `4000111`).
    pub subject: String,
    /// The change, in a sentence.
    pub what: String,
    /// Why it has its class.
    pub why: &'static str,
}

const ADDED: &str = "added: code written before does not name it";
const ADDED_OPTIONAL: &str =
    "an added optional field: structs are #[non_exhaustive], the field is an Option";
const ADDED_VALUE: &str =
    "an added value: the enum is #[non_exhaustive], and the value decoded as Unknown before";
const ADDED_CODE: &str =
    "an added code: ErrorCode is #[non_exhaustive], and the code decoded as Unknown before";
const REMOVED: &str = "removed: code that names it no longer compiles";
const RENAMED_WIRE: &str =
    "the wire name changed: answers in the old spelling no longer fill the field";
const RETYPED: &str =
    "the Rust type changed: code that reads or builds the field no longer compiles";
const NOW_REQUIRED: &str =
    "now required: the field is T instead of Option<T>, and answers without it no longer decode";
const NOW_OPTIONAL: &str = "now optional: the field is Option<T> instead of T";
const ENCRYPTION: &str =
    "the encryption flag flipped: the field goes over the wire in another form";
const WIRE_ONLY: &str = "the generated API is unchanged; behaviour on the wire changes";
const TEXT_ONLY: &str = "text only: nothing compiled or sent changes";
const REQUEST_ARGUMENT: &str = "the typed request gains or loses a value the caller supplies: code that builds it no longer compiles";

/// Every change from `old` to `new`: breaking ones first, then family by
/// family in name order, each in spec order.
pub fn diff(old: &[Family], new: &[Family]) -> Vec<Change> {
    let mut out = Vec::new();
    let old_by: BTreeMap<&str, &Family> = old.iter().map(|f| (f.name.as_str(), f)).collect();
    let new_by: BTreeMap<&str, &Family> = new.iter().map(|f| (f.name.as_str(), f)).collect();
    for (name, o) in &old_by {
        match new_by.get(name) {
            Some(n) => family(&mut out, o, n),
            None => out.push(change(
                Class::Breaking,
                name,
                "family",
                name,
                "the family is gone".into(),
                REMOVED,
            )),
        }
    }
    for name in new_by.keys().filter(|n| !old_by.contains_key(*n)) {
        out.push(change(
            Class::Compatible,
            name,
            "family",
            name,
            "a new family".into(),
            ADDED,
        ));
    }
    // Breaking changes first; otherwise in spec order.
    out.sort_by_key(|c| c.class);
    out
}

fn change(
    class: Class,
    family: &str,
    area: &'static str,
    subject: &str,
    what: String,
    why: &'static str,
) -> Change {
    Change {
        class,
        family: family.to_string(),
        area,
        subject: subject.to_string(),
        what,
        why,
    }
}

/// Items keyed by name on both sides: removed, added, and present in both.
fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> String,
) -> (Vec<&'a T>, Vec<&'a T>, Vec<(&'a T, &'a T)>) {
    let removed = old
        .iter()
        .filter(|o| !new.iter().any(|n| key(n) == key(o)))
        .collect();
    let added = new
        .iter()
        .filter(|n| !old.iter().any(|o| key(o) == key(n)))
        .collect();
    let both = old
        .iter()
        .filter_map(|o| new.iter().find(|n| key(n) == key(o)).map(|n| (o, n)))
        .collect();
    (removed, added, both)
}

fn family(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let name = new.name.as_str();
    let mut push = |class, area, subject: &str, what: String, why| {
        out.push(change(class, name, area, subject, what, why));
    };
    // Hosts.
    if let (
        BaseUrl::Fixed {
            default: o,
            alternates: oa,
        },
        BaseUrl::Fixed {
            default: n,
            alternates: na,
        },
    ) = (&old.base_url, &new.base_url)
    {
        if o != n {
            push(
                Class::Compatible,
                "host",
                n,
                format!("the default host is now {n} (was {o})"),
                WIRE_ONLY,
            );
        }
        let (removed, added, both) = pair(oa, na, |a| a.url.clone());
        // An alternate promoted to the default is told once, above.
        for a in removed.into_iter().filter(|a| a.url != *n) {
            push(
                Class::Compatible,
                "host",
                &a.url,
                "no longer a documented alternate host".into(),
                WIRE_ONLY,
            );
        }
        for a in added {
            let until = a
                .until
                .as_deref()
                .map(|u| format!(", until {u}"))
                .unwrap_or_default();
            push(
                Class::Compatible,
                "host",
                &a.url,
                format!("a documented alternate host{until}"),
                ADDED,
            );
        }
        for (o, n) in both {
            if o.until != n.until {
                push(
                    Class::Compatible,
                    "host",
                    &n.url,
                    format!(
                        "the alternate host's end of support is now {}",
                        n.until.as_deref().unwrap_or("not stated")
                    ),
                    WIRE_ONLY,
                );
            }
        }
    }
    // Versions and auth schemes.
    let version_key = |v: &crate::model::Version| v.name.clone().unwrap_or_default();
    let (removed, added, both) = pair(&old.versions, &new.versions, version_key);
    for v in removed {
        push(
            Class::Breaking,
            "version",
            &version_key(v),
            format!("version {} is gone", v.path_prefix),
            REMOVED,
        );
    }
    for v in added {
        push(
            Class::Compatible,
            "version",
            &version_key(v),
            format!("a new version under {}", v.path_prefix),
            ADDED,
        );
    }
    for (o, n) in both {
        if o.path_prefix != n.path_prefix {
            push(
                Class::Compatible,
                "version",
                &version_key(n),
                format!("path prefix {} (was {})", n.path_prefix, o.path_prefix),
                WIRE_ONLY,
            );
        }
        if let Some(what) = listed_codes(&o.errors, &n.errors) {
            push(
                Class::Compatible,
                "error code",
                &version_key(n),
                format!("every call of the version {what}"),
                TEXT_ONLY,
            );
        }
    }
    let (removed, added, both) = pair(&old.auth, &new.auth, |a| a.name.clone());
    for a in removed {
        push(
            Class::Breaking,
            "auth",
            &a.name,
            "the auth scheme is gone".into(),
            REMOVED,
        );
    }
    for a in added {
        push(
            Class::Compatible,
            "auth",
            &a.name,
            format!("a new auth scheme (`{}`)", a.header),
            ADDED,
        );
    }
    for (o, n) in both {
        if o.refused_with != n.refused_with {
            let code = |c: &Option<crate::model::Code>| {
                c.as_ref().map_or("none".to_string(), ToString::to_string)
            };
            push(
                Class::Compatible,
                "auth",
                &n.name,
                format!(
                    "a refused credential is answered with {} (was {})",
                    code(&n.refused_with),
                    code(&o.refused_with)
                ),
                WIRE_ONLY,
            );
        }
        if o.header != n.header || o.prefix != n.prefix {
            push(
                Class::Compatible,
                "auth",
                &n.name,
                format!(
                    "sent as `{}: {}…` (was `{}: {}…`)",
                    n.header, n.prefix, o.header, o.prefix
                ),
                WIRE_ONLY,
            );
        }
    }
    // Limits.
    if let Some(what) = limits_what(&old.limits, &new.limits) {
        push(Class::Compatible, "limit", "limits", what, WIRE_ONLY);
    }
    endpoints(out, old, new);
    types(out, old, new);
    enums(out, old, new);
    errors(out, old, new);
    error_groups(out, old, new);
}

/// Error groups as generated constants (`FILE_ERRORS`): one gone breaks
/// code that names it, one new is an addition. What each endpoint answers
/// is compared by the endpoints, wherever its codes are declared.
fn error_groups(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let (removed, added, _) = pair(&old.error_groups, &new.error_groups, |g| g.name.clone());
    for g in removed {
        out.push(change(
            Class::Breaking,
            &new.name,
            "error group",
            &g.name,
            format!("the group is gone ({})", g.const_name),
            REMOVED,
        ));
    }
    for g in added {
        out.push(change(
            Class::Compatible,
            &new.name,
            "error group",
            &g.name,
            format!("new: {} ({} codes)", g.const_name, g.codes.len()),
            ADDED,
        ));
    }
}

/// What changed between two sets of limits, every field but the notes
/// (prose); `None` when nothing did.
fn limits_what(old: &crate::model::Limits, new: &crate::model::Limits) -> Option<String> {
    let mut parts = Vec::new();
    if old.max_file_bytes != new.max_file_bytes {
        parts.push(format!(
            "max_file_bytes {} (was {})",
            opt(new.max_file_bytes),
            opt(old.max_file_bytes)
        ));
    }
    if old.formats != new.formats {
        parts.push(format!(
            "formats {} (was {})",
            new.formats.join(", "),
            old.formats.join(", ")
        ));
    }
    if old.recommended_resolution != new.recommended_resolution {
        parts.push("recommended resolution".into());
    }
    if old.max_aspect_ratio != new.max_aspect_ratio
        || old.recommended_max_aspect_ratio != new.recommended_max_aspect_ratio
    {
        parts.push(format!(
            "aspect ratio: max {}, recommended {} (was {}, {})",
            opt(new.max_aspect_ratio),
            opt(new.recommended_max_aspect_ratio),
            opt(old.max_aspect_ratio),
            opt(old.recommended_max_aspect_ratio)
        ));
    }
    if old.url_ports != new.url_ports
        || old.url_download_timeout_secs != new.url_download_timeout_secs
    {
        parts.push("image URL rules".into());
    }
    if old.images_per_call != new.images_per_call {
        parts.push("images per call".into());
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("none".into(), |v| v.to_string())
}

fn endpoints(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let name = new.name.as_str();
    let (removed, added, both) = pair(&old.endpoints, &new.endpoints, |e| e.name.clone());
    for e in removed {
        out.push(change(
            Class::Breaking,
            name,
            "endpoint",
            &e.name,
            format!("`{} {}` is gone", e.method.as_str(), e.path),
            REMOVED,
        ));
    }
    for e in added {
        out.push(change(
            Class::Compatible,
            name,
            "endpoint",
            &e.name,
            format!("new: `{} {}`", e.method.as_str(), e.path),
            ADDED,
        ));
    }
    for (o, n) in &both {
        endpoint(out, name, o, n);
    }
    endpoint_codes(out, (old, new), &both);
}

fn endpoint(out: &mut Vec<Change>, family: &str, old: &Endpoint, new: &Endpoint) {
    let subject = new.name.as_str();
    if old.method != new.method || old.path != new.path {
        out.push(change(
            Class::Compatible,
            family,
            "endpoint",
            subject,
            format!(
                "now `{} {}` (was `{} {}`)",
                new.method.as_str(),
                new.path,
                old.method.as_str(),
                old.path
            ),
            WIRE_ONLY,
        ));
    }
    let (removed, added, _) = pair(&old.headers, &new.headers, |h| h.name.clone());
    let removed = removed.into_iter().map(|h| (h, "no longer sent"));
    let added = added.into_iter().map(|h| {
        (
            h,
            "now sent (filled by the runtime unless the caller supplies it)",
        )
    });
    for (h, what) in removed.chain(added) {
        // A Request-Key header is a request argument; any other is filled
        // by the runtime and changes only the wire.
        let (class, why) = if h.role == crate::model::HeaderRole::RequestKey {
            (Class::Breaking, REQUEST_ARGUMENT)
        } else {
            (Class::Compatible, WIRE_ONLY)
        };
        out.push(change(
            class,
            family,
            "header",
            &format!("{subject} {}", h.name),
            what.into(),
            why,
        ));
    }
    if old.response.body != new.response.body {
        out.push(change(
            Class::Breaking,
            family,
            "endpoint",
            subject,
            format!(
                "answers with {} (was {})",
                new.response.body.as_deref().unwrap_or("nothing"),
                old.response.body.as_deref().unwrap_or("nothing")
            ),
            RETYPED,
        ));
    }
    let what = match (&old.limits, &new.limits) {
        (Some(o), Some(n)) => limits_what(o, n),
        (None, None) => None,
        _ => Some("the endpoint's own limits changed".into()),
    };
    if let Some(what) = what {
        out.push(change(
            Class::Compatible,
            family,
            "limit",
            subject,
            what,
            WIRE_ONLY,
        ));
    }
}

/// What changed in the codes each endpoint can answer, its own, its error
/// groups' and the family's common ones together: where a code is declared
/// is no change callers see (a group's constant is, in `error_groups`). A
/// code every endpoint gained or lost is said once.
fn endpoint_codes(
    out: &mut Vec<Change>,
    families: (&Family, &Family),
    both: &[(&Endpoint, &Endpoint)],
) {
    let (old_f, new_f) = families;
    let family = new_f.name.as_str();
    // Per endpoint: [added, removed].
    let changes: Vec<(&str, [Vec<&Code>; 2])> = both
        .iter()
        .map(|(o, n)| {
            let added = new_f
                .codes_of(n)
                .filter(|c| !old_f.codes_of(o).any(|x| x == *c))
                .collect();
            let removed = old_f
                .codes_of(o)
                .filter(|c| !new_f.codes_of(n).any(|x| x == *c))
                .collect();
            (n.name.as_str(), [added, removed])
        })
        .collect();
    let everywhere = |k: usize| -> Vec<&Code> {
        match changes.as_slice() {
            [first, _, ..] => first.1[k]
                .iter()
                .filter(|c| changes.iter().all(|ch| ch.1[k].contains(c)))
                .copied()
                .collect(),
            _ => Vec::new(),
        }
    };
    let (all_added, all_removed) = (everywhere(0), everywhere(1));
    if let Some(what) = changed_codes(all_added.clone(), all_removed.clone()) {
        out.push(change(
            Class::Compatible,
            family,
            "error code",
            "every endpoint",
            format!("every endpoint {what}"),
            TEXT_ONLY,
        ));
    }
    for (name, [added, removed]) in changes {
        let added = added
            .into_iter()
            .filter(|c| !all_added.contains(c))
            .collect();
        let removed = removed
            .into_iter()
            .filter(|c| !all_removed.contains(c))
            .collect();
        if let Some(what) = changed_codes(added, removed) {
            out.push(change(
                Class::Compatible,
                family,
                "error code",
                name,
                format!("the endpoint {what}"),
                TEXT_ONLY,
            ));
        }
    }
}

/// "now lists 400, 401; no longer lists 5" for two lists of codes, or
/// `None` when they hold the same codes.
fn listed_codes(old: &[crate::model::Code], new: &[crate::model::Code]) -> Option<String> {
    let (removed, added, _) = pair(old, new, ToString::to_string);
    changed_codes(added, removed)
}

/// The same, for the codes added and removed.
fn changed_codes(
    added: Vec<&crate::model::Code>,
    removed: Vec<&crate::model::Code>,
) -> Option<String> {
    let join = |codes: Vec<&crate::model::Code>| {
        codes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("now lists {}", join(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("no longer lists {}", join(removed)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn types(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let name = new.name.as_str();
    let (removed, added, both) = pair(&old.types, &new.types, |t| t.name.clone());
    for t in removed {
        out.push(change(
            Class::Breaking,
            name,
            "type",
            &t.name,
            "the type is gone".into(),
            REMOVED,
        ));
    }
    for t in added {
        out.push(change(
            Class::Compatible,
            name,
            "type",
            &t.name,
            "a new type".into(),
            ADDED,
        ));
    }
    for (o, n) in both {
        object(out, name, o, n);
    }
}

fn object(out: &mut Vec<Change>, family: &str, old: &Object, new: &Object) {
    let ty = new.name.as_str();
    // Fields are matched by Rust name, so a changed wire name shows as such.
    let (removed, added, both) = pair(&old.fields, &new.fields, |f| f.rust.clone());
    for f in removed {
        out.push(change(
            Class::Breaking,
            family,
            "field",
            &format!("{ty}.{}", f.wire),
            "the field is gone".into(),
            REMOVED,
        ));
    }
    for f in added {
        let (class, why) = if f.required {
            (Class::Breaking, NOW_REQUIRED)
        } else {
            (Class::Compatible, ADDED_OPTIONAL)
        };
        let what = if f.required {
            "a new required field"
        } else {
            "a new optional field"
        };
        out.push(change(
            class,
            family,
            "field",
            &format!("{ty}.{}", f.wire),
            what.into(),
            why,
        ));
    }
    for (o, n) in both {
        field(out, family, ty, o, n);
    }
    // The per-type checks of a discriminated request (the authenticity check).
    if let (Some(od), Some(nd)) = (&old.discriminated, &new.discriminated) {
        let (removed, added, _) = pair(&od.variants, &nd.variants, |v| v.wire.clone());
        for v in removed {
            out.push(change(
                Class::Breaking,
                family,
                "type",
                &format!("{}::{}", nd.checks_enum, v.rust),
                format!("the `{}` check ({}) is gone", v.wire, v.struct_name),
                REMOVED,
            ));
        }
        for v in added {
            out.push(change(
                Class::Compatible,
                family,
                "type",
                &format!("{}::{}", nd.checks_enum, v.rust),
                format!("a new `{}` check ({})", v.wire, v.struct_name),
                ADDED,
            ));
        }
    }
}

fn field(out: &mut Vec<Change>, family: &str, ty: &str, old: &Field, new: &Field) {
    let subject = format!("{ty}.{}", new.wire);
    let mut push =
        |class, area, what: String, why| out.push(change(class, family, area, &subject, what, why));
    if old.wire != new.wire {
        push(
            Class::Breaking,
            "field",
            format!("travels as `{}` (was `{}`)", new.wire, old.wire),
            RENAMED_WIRE,
        );
    }
    if old.ty != new.ty || old.secret() != new.secret() {
        push(
            Class::Breaking,
            "field",
            format!(
                "type {}{} (was {}{})",
                new.ty,
                if new.secret() { ", Sensitive" } else { "" },
                old.ty,
                if old.secret() { ", Sensitive" } else { "" }
            ),
            RETYPED,
        );
    }
    if old.required != new.required {
        if new.required {
            push(
                Class::Breaking,
                "field",
                "now required".into(),
                NOW_REQUIRED,
            );
        } else {
            push(
                Class::Breaking,
                "field",
                "now optional".into(),
                NOW_OPTIONAL,
            );
        }
    }
    if old.encrypted != new.encrypted {
        let what = if new.encrypted {
            "now encrypted"
        } else {
            "no longer encrypted"
        };
        push(Class::Breaking, "encryption", what.into(), ENCRYPTION);
    }
}

fn enums(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let name = new.name.as_str();
    let (removed, added, both) = pair(&old.enums, &new.enums, |e| e.name.clone());
    for e in removed {
        out.push(change(
            Class::Breaking,
            name,
            "type",
            &e.name,
            "the enum is gone".into(),
            REMOVED,
        ));
    }
    for e in added {
        out.push(change(
            Class::Compatible,
            name,
            "type",
            &e.name,
            "a new enum".into(),
            ADDED,
        ));
    }
    for (o, n) in both {
        enum_values(out, name, o, n);
    }
}

fn enum_values(out: &mut Vec<Change>, family: &str, old: &Enum, new: &Enum) {
    let (removed, added, _) = pair(&old.values, &new.values, |v| v.wire.clone());
    for v in removed {
        out.push(change(
            Class::Breaking,
            family,
            "enum value",
            &format!("{}::{}", new.name, v.rust),
            format!("`{}` is gone", v.wire),
            REMOVED,
        ));
    }
    for v in added {
        out.push(change(
            Class::Compatible,
            family,
            "enum value",
            &format!("{}::{}", new.name, v.rust),
            format!("new value `{}`", v.wire),
            ADDED_VALUE,
        ));
    }
}

fn errors(out: &mut Vec<Change>, old: &Family, new: &Family) {
    let name = new.name.as_str();
    let key = |e: &ErrorCode| e.code.to_string();
    let (removed, added, both) = pair(&old.errors, &new.errors, key);
    for e in removed {
        out.push(change(
            Class::Breaking,
            name,
            "error code",
            &key(e),
            format!("{} ({}) is gone", key(e), e.name),
            REMOVED,
        ));
    }
    for e in added {
        let retry = if e.retryable { ", retryable" } else { "" };
        out.push(change(
            Class::Compatible,
            name,
            "error code",
            &key(e),
            format!("new: {} ({}{retry}) \"{}\"", key(e), e.name, e.message),
            ADDED_CODE,
        ));
    }
    for (o, n) in both {
        let subject = key(n);
        if o.name != n.name {
            out.push(change(
                Class::Breaking,
                name,
                "error code",
                &subject,
                format!("variant {} (was {})", n.name, o.name),
                REMOVED,
            ));
        }
        if o.message != n.message {
            out.push(change(
                Class::Compatible,
                name,
                "error code",
                &subject,
                format!("message \"{}\" (was \"{}\")", n.message, o.message),
                TEXT_ONLY,
            ));
        }
        if o.retryable != n.retryable {
            let what = if n.retryable {
                "now retried"
            } else {
                "no longer retried"
            };
            out.push(change(
                Class::Compatible,
                name,
                "error code",
                &subject,
                what.into(),
                WIRE_ONLY,
            ));
        }
        if o.throttling != n.throttling {
            let what = if n.throttling {
                "now a rate limit (the adaptive rate limiter slows down on it)"
            } else {
                "no longer a rate limit"
            };
            out.push(change(
                Class::Compatible,
                name,
                "error code",
                &subject,
                what.into(),
                WIRE_ONLY,
            ));
        }
        if o.key != n.key {
            out.push(change(
                Class::Compatible,
                name,
                "error code",
                &subject,
                format!("resultKey {}", n.key.as_deref().unwrap_or("removed")),
                TEXT_ONLY,
            ));
        }
        if o.http_status != n.http_status {
            out.push(change(
                Class::Compatible,
                name,
                "error code",
                &subject,
                format!(
                    "HTTP status {} (was {})",
                    opt(n.http_status),
                    opt(o.http_status)
                ),
                WIRE_ONLY,
            ));
        }
    }
}

/// Markdown for `CHANGELOG.md`: breaking changes first, one line each.
pub fn markdown(changes: &[Change], old: &str, new: &str) -> String {
    let mut out = format!("## API changes from `{old}` to `{new}`\n\n");
    if changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    for class in [Class::Breaking, Class::Compatible] {
        let of_class: Vec<&Change> = changes.iter().filter(|c| c.class == class).collect();
        if of_class.is_empty() {
            continue;
        }
        let title = match class {
            Class::Breaking => "Breaking changes",
            Class::Compatible => "Compatible changes",
        };
        let _ = writeln!(out, "### {title}\n");
        for c in of_class {
            let _ = writeln!(
                out,
                "- **{}** {} `{}`: {}. _{}._",
                c.family, c.area, c.subject, c.what, c.why
            );
        }
        out.push('\n');
    }
    out
}

/// JSON: an array of changes.
pub fn json(changes: &[Change]) -> String {
    let items: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "class": c.class.as_str(),
                "family": c.family,
                "area": c.area,
                "subject": c.subject,
                "what": c.what,
                "why": c.why,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_default()
}

/// One side of a diff: a spec directory, or a git revision whose `spec/`
/// is read with `git show` (relative to `root`, the repository).
///
/// # Errors
///
/// A side that is neither, or specs that do not validate (an old
/// revision may predate the current spec format).
pub fn load_side(root: &Path, side: &str) -> Result<Vec<Family>, String> {
    let as_dir = PathBuf::from(side);
    if as_dir.is_dir() {
        return crate::load_dir(&as_dir).map_err(|e| format!("{side}: {e}"));
    }
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))
    };
    // Every YAML file under spec/ (the families, and the shared error
    // tables under spec/errors/ they take codes from).
    let listing = git(&["ls-tree", "-r", "--name-only", &format!("{side}:spec")])?;
    if !listing.status.success() {
        return Err(format!(
            "`{side}` is neither a directory nor a git revision with a spec/ folder"
        ));
    }
    let dir = std::env::temp_dir().join(format!(
        "ocrwire-diff-{}-{}",
        std::process::id(),
        side.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let result = (|| {
        for name in String::from_utf8_lossy(&listing.stdout).lines() {
            if !name.ends_with(".yaml") {
                continue;
            }
            let shown = git(&["show", &format!("{side}:spec/{name}")])?;
            if !shown.status.success() {
                return Err(format!("git show {side}:spec/{name} failed"));
            }
            let to = dir.join(name);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&to, &shown.stdout).map_err(|e| format!("cannot write {name}: {e}"))?;
        }
        crate::load_dir(&dir).map_err(|e| {
            format!("the specs at {side} do not validate with this generator (an older spec format?):\n{e}")
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
