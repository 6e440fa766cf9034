//! The error shape: how an answer says it failed, and which fields of
//! which generated type carry the verdict. From it the generator writes the
//! type's `Verdict` impl, so the runtime reads failures through the same
//! generated types the emulator writes them with.

use super::Validator;
use crate::model::{self, CodeKind, FieldRef, TypeExpr};
use crate::spec;

impl Validator<'_> {
    /// The shape, and the kind of value its code field carries (which is
    /// how the family's error codes are read).
    pub(super) fn error_shape(
        &mut self,
        shape: &spec::ErrorShape,
        types: &[model::Object],
    ) -> Option<(model::ErrorShape, CodeKind)> {
        match shape {
            spec::ErrorShape::ResultHeader(h) => {
                let at = "error_shape.result_header";
                let object = self.verdict_type(at, &h.ty, types)?;
                let success =
                    self.verdict_field(at, "success", object, &h.success, |t| *t == TypeExpr::Bool);
                let code = self.code_field(at, object, &h.code);
                let message = self.verdict_field(at, "message", object, &h.message, |t| {
                    *t == TypeExpr::String
                });
                for (what, member) in [("member", &h.member), ("result", &h.result)] {
                    if member.is_empty() {
                        self.err(format!("{at}.{what}"), "name the body member");
                    }
                }
                if h.member == h.result {
                    self.err(
                        format!("{at}.result"),
                        "the verdict and the payload are different members",
                    );
                }
                let (success, (code, kind), message) = (success?, code?, message?);
                for (what, field) in [("success", &success), ("code", &code)] {
                    if field.optional {
                        self.err(
                            format!("{at}.{what}"),
                            "a result header always carries this field: make it `required: true`",
                        );
                    }
                }
                Some((
                    model::ErrorShape::ResultHeader {
                        member: h.member.clone(),
                        header_type: h.ty.clone(),
                        success,
                        code,
                        message,
                        result: h.result.clone(),
                    },
                    kind,
                ))
            }
            spec::ErrorShape::StatusAndBody(b) => {
                let at = "error_shape.status_and_body";
                let object = self.verdict_type(at, &b.ty, types)?;
                let code = self.code_field(at, object, &b.code);
                let message = self.verdict_field(at, "message", object, &b.message, |t| {
                    *t == TypeExpr::String
                });
                let ((code, kind), message) = (code?, message?);
                Some((
                    model::ErrorShape::StatusAndBody {
                        body_type: b.ty.clone(),
                        code,
                        message,
                    },
                    kind,
                ))
            }
        }
    }

    fn verdict_type<'t>(
        &mut self,
        at: &str,
        name: &str,
        types: &'t [model::Object],
    ) -> Option<&'t model::Object> {
        let found = types.iter().find(|t| t.name == name);
        if found.is_none() {
            self.err(
                format!("{at}.type"),
                format!("`{name}` is not an object type of this family"),
            );
        }
        found
    }

    fn verdict_field(
        &mut self,
        at: &str,
        what: &str,
        object: &model::Object,
        wire: &str,
        fits: impl Fn(&TypeExpr) -> bool,
    ) -> Option<FieldRef> {
        let Some(field) = object.fields.iter().find(|f| f.wire == wire) else {
            self.err(
                format!("{at}.{what}"),
                format!("`{wire}` is not a field of `{}`", object.name),
            );
            return None;
        };
        if !fits(&field.ty) || field.secret() {
            self.err(
                format!("{at}.{what}"),
                format!(
                    "`{wire}` cannot carry the {what}: expected a plain {}",
                    if what == "success" { "bool" } else { "string" }
                ),
            );
            return None;
        }
        Some(field.as_ref())
    }

    /// The code field: an `int` (integer codes) or a `string` (text codes).
    fn code_field(
        &mut self,
        at: &str,
        object: &model::Object,
        wire: &str,
    ) -> Option<(FieldRef, CodeKind)> {
        let Some(field) = object.fields.iter().find(|f| f.wire == wire) else {
            self.err(
                format!("{at}.code"),
                format!("`{wire}` is not a field of `{}`", object.name),
            );
            return None;
        };
        let kind = match field.ty {
            TypeExpr::Int => CodeKind::Integer,
            TypeExpr::String if !field.secret() => CodeKind::Text,
            _ => {
                self.err(
                    format!("{at}.code"),
                    format!("`{wire}` cannot carry a code: an error code is an `int` or a plain `string`"),
                );
                return None;
            }
        };
        Some((field.as_ref(), kind))
    }
}

/// Stands in for a shape that did not validate (the model is then dropped).
pub(super) fn placeholder() -> model::ErrorShape {
    let none = || FieldRef {
        wire: String::new(),
        rust: String::new(),
        optional: true,
    };
    model::ErrorShape::StatusAndBody {
        body_type: String::new(),
        code: none(),
        message: none(),
    }
}
