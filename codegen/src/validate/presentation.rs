//! How answers are shown: what a type reads as (`reads_as`) and an
//! endpoint's report (`report`). Both name wire paths into the answer;
//! each path is resolved against the spec's types here, so a renamed
//! member breaks the spec's validation, not a user's summary.

use super::Validator;
use crate::model::{self, Object, TypeExpr};
use crate::spec;

/// The width of a report's label column when neither the report nor its
/// family sets one.
const DEFAULT_WIDTH: usize = 12;

/// One `{...}` of a template: its alternatives, each a path and whether
/// it asks for an enum value's meaning.
#[derive(Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub alternatives: Vec<(String, bool)>,
}

/// The placeholders of `template`, or what is wrong with its braces.
pub fn placeholders(template: &str) -> Result<Vec<Placeholder>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without `}}` in `{template}`"))?;
        let inner = &after[..close];
        if inner.contains('{') {
            return Err(format!("nested `{{` in `{template}`"));
        }
        let alternatives = inner
            .split("??")
            .map(|alt| {
                let alt = alt.trim();
                match alt.strip_suffix(":meaning") {
                    Some(path) => (path.trim().to_string(), true),
                    None => (alt.to_string(), false),
                }
            })
            .collect::<Vec<_>>();
        if alternatives.iter().any(|(p, _)| p.is_empty()) {
            return Err(format!("an empty placeholder in `{template}`"));
        }
        out.push(Placeholder { alternatives });
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("`}}` without `{{` in `{template}`"));
    }
    Ok(out)
}

/// The type `path` (`a.b[].c`) names, starting from `start`.
pub fn resolve(start: &TypeExpr, path: &str, types: &[Object]) -> Result<TypeExpr, String> {
    let mut ty = start.clone();
    for segment in path.split('.') {
        let (name, index) = match segment.find('[') {
            Some(at) => (&segment[..at], Some(&segment[at..])),
            None => (segment, None),
        };
        let TypeExpr::Object(object) = &ty else {
            return Err(format!("`{name}` in `{path}`: `{ty}` has no members"));
        };
        let object = types
            .iter()
            .find(|t| &t.name == object)
            .ok_or_else(|| format!("`{path}`: no type `{object}`"))?;
        let field = object
            .fields
            .iter()
            .find(|f| f.wire == name)
            .ok_or_else(|| format!("`{path}`: `{}` has no member `{name}`", object.name))?;
        ty = field.ty.clone();
        if let Some(index) = index {
            let inner = index
                .strip_prefix('[')
                .and_then(|i| i.strip_suffix(']'))
                .filter(|i| i.is_empty() || i.parse::<usize>().is_ok())
                .ok_or_else(|| format!("`{segment}` in `{path}`: write `[]` or `[N]`"))?;
            let _ = inner;
            ty = match ty {
                TypeExpr::List(item) | TypeExpr::OneOrList(item) => *item,
                other => return Err(format!("`{segment}` in `{path}`: `{other}` is not a list")),
            };
        }
    }
    Ok(ty)
}

/// Whether a value of `ty` reads as text: a scalar, an enum, a type with
/// `reads_as`, or a list of those (joined).
fn readable(ty: &TypeExpr, types: &[Object]) -> bool {
    match ty {
        TypeExpr::String
        | TypeExpr::Int
        | TypeExpr::Float
        | TypeExpr::Bool
        | TypeExpr::IntOrString
        | TypeExpr::Enum(_) => true,
        TypeExpr::Object(name) => types
            .iter()
            .any(|t| &t.name == name && !t.reads_as.is_empty()),
        TypeExpr::List(inner) | TypeExpr::OneOrList(inner) => readable(inner, types),
        TypeExpr::Json | TypeExpr::Base64 => false,
    }
}

fn is_enum(ty: &TypeExpr) -> bool {
    match ty {
        TypeExpr::Enum(_) => true,
        TypeExpr::List(inner) | TypeExpr::OneOrList(inner) => is_enum(inner),
        _ => false,
    }
}

impl Validator<'_> {
    /// Every `reads_as` path of every type ends in text, and every type
    /// that says it outlines an area has the members that say where.
    pub(super) fn check_reads_as(&mut self, types: &[Object]) {
        for t in types {
            self.check_outline(t, types);
            for (i, path) in t.reads_as.iter().enumerate() {
                let at = format!("types.{}.reads_as[{i}]", t.name);
                match resolve(&TypeExpr::Object(t.name.clone()), path, types) {
                    Ok(ty) if readable(&ty, types) => {}
                    Ok(ty) => self.err(
                        at,
                        format!("`{path}` is a `{ty}`, which does not read as text"),
                    ),
                    Err(e) => self.err(at, e),
                }
            }
        }
    }

    fn check_outline(&mut self, t: &Object, types: &[Object]) {
        let Some(outline) = t.outline else {
            return;
        };
        let number = |ty: Option<&TypeExpr>| matches!(ty, Some(TypeExpr::Int | TypeExpr::Float));
        let member = |o: &Object, wire: &str| {
            o.fields
                .iter()
                .find(|f| f.wire == wire)
                .map(|f| f.ty.clone())
        };
        let fits = match outline {
            crate::spec::Outline::Corners => ["x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"]
                .iter()
                .all(|w| number(member(t, w).as_ref())),
            crate::spec::Outline::Rectangle => ["top", "left", "width", "height"]
                .iter()
                .all(|w| number(member(t, w).as_ref())),
            crate::spec::Outline::Vertices => match member(t, "vertices") {
                Some(TypeExpr::List(inner)) => match inner.as_ref() {
                    TypeExpr::Object(point) => {
                        types.iter().find(|o| &o.name == point).is_some_and(|p| {
                            number(member(p, "x").as_ref()) && number(member(p, "y").as_ref())
                        })
                    }
                    _ => false,
                },
                _ => false,
            },
        };
        if !fits {
            self.err(
                format!("types.{}.outline", t.name),
                match outline {
                    crate::spec::Outline::Corners => {
                        "`corners` needs number members x1, y1 ... x4, y4"
                    }
                    crate::spec::Outline::Vertices => {
                        "`vertices` needs a `vertices` list of objects with number members x and y"
                    }
                    crate::spec::Outline::Rectangle => {
                        "`rectangle` needs number members top, left, width and height"
                    }
                },
            );
        }
    }

    /// Checks an endpoint's report against its response type.
    pub(super) fn report(
        &mut self,
        at: &str,
        report: &spec::Report,
        body: Option<&str>,
        types: &[Object],
        family_width: Option<usize>,
    ) -> Option<model::Report> {
        let Some(body) = body else {
            self.err(
                at,
                "an endpoint whose answer has no body has nothing to report",
            );
            return None;
        };
        let payload = TypeExpr::Object(body.to_string());
        let root = match &report.root {
            Some(path) => match resolve(&payload, path, types) {
                Ok(ty @ TypeExpr::Object(_)) => ty,
                Ok(ty) => {
                    self.err(
                        format!("{at}.root"),
                        format!("`{path}` is a `{ty}`, not an object"),
                    );
                    return None;
                }
                Err(e) => {
                    self.err(format!("{at}.root"), e);
                    return None;
                }
            },
            None => payload,
        };
        if report.hook.is_none() && report.lines.is_empty() {
            self.err(at, "a report needs `lines` or a `hook`");
        }
        for (path, words) in report.kinds.iter() {
            if let Err(e) = resolve(&root, path, types) {
                self.err(format!("{at}.kinds.{path}"), e);
            }
            if words.trim().is_empty() {
                self.err(
                    format!("{at}.kinds.{path}"),
                    "say in words what the kind is",
                );
            }
        }
        let title_kinds = !report.kinds.is_empty();
        self.template(
            &format!("{at}.title"),
            &report.title,
            &root,
            types,
            title_kinds,
        );
        let mut lines = Vec::new();
        for (i, line) in report.lines.iter().enumerate() {
            let lat = format!("{at}.lines[{i}]");
            let scope = match &line.each {
                Some(each) => match resolve(&root, each, types) {
                    Ok(TypeExpr::List(item) | TypeExpr::OneOrList(item)) => *item,
                    Ok(item) if each.ends_with("[]") => item,
                    Ok(ty) => {
                        self.err(
                            format!("{lat}.each"),
                            format!("`{each}` is a `{ty}`, not a list"),
                        );
                        continue;
                    }
                    Err(e) => {
                        self.err(format!("{lat}.each"), e);
                        continue;
                    }
                },
                None => root.clone(),
            };
            self.template(&format!("{lat}.label"), &line.label, &scope, types, false);
            self.template(&format!("{lat}.value"), &line.value, &scope, types, false);
            if let Some(note) = &line.note {
                self.template(&format!("{lat}.note"), note, &scope, types, false);
            }
            if line.each.is_none() && (!line.masks.is_empty() || line.empty.is_some()) {
                self.err(&lat, "`masks` and `empty` are for lines with `each`");
            }
            lines.push(model::ReportLine {
                label: line.label.clone(),
                value: line.value.clone(),
                each: line.each.clone(),
                mask: line.mask.map(|[s, e]| (s, e)),
                masks: line
                    .masks
                    .iter()
                    .map(|(k, [s, e])| (k.clone(), (*s, *e)))
                    .collect(),
                optional: line.optional,
                note: line.note.clone(),
                empty: line.empty.clone(),
            });
        }
        Some(model::Report {
            root: report.root.clone(),
            title: report.title.clone(),
            kinds: report
                .kinds
                .iter()
                .map(|(p, w)| (p.clone(), w.clone()))
                .collect(),
            width: report.width.or(family_width).unwrap_or(DEFAULT_WIDTH),
            lines,
            hook: report.hook.clone(),
        })
    }

    /// Every placeholder of `template` names a path from `scope` that reads
    /// as text (`:meaning` only on an enum); `{kind}` where `kinds` allows.
    fn template(
        &mut self,
        at: &str,
        template: &str,
        scope: &TypeExpr,
        types: &[Object],
        kinds: bool,
    ) {
        let placeholders = match placeholders(template) {
            Ok(p) => p,
            Err(e) => return self.err(at, e),
        };
        for p in placeholders {
            for (path, meaning) in &p.alternatives {
                if path == "kind" && kinds {
                    continue;
                }
                match resolve(scope, path, types) {
                    Ok(ty) if !readable(&ty, types) => {
                        self.err(
                            at,
                            format!("`{path}` is a `{ty}`, which does not read as text"),
                        );
                    }
                    Ok(ty) if *meaning && !is_enum(&ty) => {
                        self.err(at, format!("`{path}:meaning`: `{ty}` is not an enum"));
                    }
                    Ok(_) => {}
                    Err(e) => self.err(at, e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_their_paths_and_alternatives() {
        let p = placeholders("{a.b}  x{c ?? d:meaning}").unwrap();
        assert_eq!(
            p,
            [
                Placeholder {
                    alternatives: vec![("a.b".into(), false)]
                },
                Placeholder {
                    alternatives: vec![("c".into(), false), ("d".into(), true)]
                },
            ]
        );
        assert!(placeholders("{a").is_err());
        assert!(placeholders("a}").is_err());
        assert!(placeholders("{}").is_err());
        assert!(placeholders("plain").unwrap().is_empty());
    }
}
