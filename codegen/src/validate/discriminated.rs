//! Types with a `discriminator`: requests whose needed fields depend on the
//! value of one enum field (the ID type of an authenticity check).
//!
//! The rules keep the spec the only source of each fact: every field says
//! per value whether it is required and what form it takes, nothing says it
//! again in prose, and every name the typed checks will get is free.

use super::Validator;
use crate::model::{self, TypeExpr};
use crate::names;
use crate::spec::{self, Format};
use indexmap::IndexSet;

impl Validator<'_> {
    /// Checks `obj`'s discriminator and per-value rules and builds its typed
    /// checks; on a type without a discriminator, refuses `variants`.
    ///
    /// `fields` is the object's validated model; `taken` holds every Rust
    /// type name the module defines, and receives the new ones.
    pub(super) fn discriminated(
        &mut self,
        at: &str,
        obj: &spec::ObjectType,
        fields: &[model::Field],
        enums: &[model::Enum],
        taken: &mut IndexSet<String>,
    ) -> Option<model::Discriminated> {
        for (wire, f) in obj.fields.iter() {
            for (value, rule) in f.variants.iter() {
                if let Some(format) = rule.format {
                    self.check_format(
                        &format!("{at}.fields.{wire}.variants.{value}.format"),
                        format,
                    );
                }
            }
        }
        let Some(d) = &obj.discriminator else {
            for (wire, f) in obj.fields.iter() {
                if !f.variants.is_empty() {
                    self.err(
                        format!("{at}.fields.{wire}.variants"),
                        "`variants` needs a `discriminator` on the type, naming the enum field whose values they are",
                    );
                }
            }
            return None;
        };
        let dat = format!("{at}.discriminator");
        let enum_type = self.discriminator_field(&dat, at, obj, fields, &d.field)?;
        let e = enums.iter().find(|e| e.name == enum_type)?;
        let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();

        for (wire, f) in obj.fields.iter().filter(|(wire, _)| **wire != d.field) {
            let fat = format!("{at}.fields.{wire}");
            if f.variants.is_empty() {
                self.err(
                    format!("{fat}.variants"),
                    format!(
                        "say which values of `{enum_type}` use this field: on a type with a `discriminator`, every other field depends on `{}`",
                        d.field
                    ),
                );
            }
            if f.required {
                self.err(
                    format!("{fat}.required"),
                    format!(
                        "whether `{wire}` is required depends on `{}`; say it per value under `variants`",
                        d.field
                    ),
                );
            }
            if f.format.is_some() {
                self.err(
                    format!("{fat}.format"),
                    "give the form per value under `variants`, where it is checked; a prose `format` here would state the same fact twice",
                );
            }
            if !f.also_spelled.is_empty() {
                self.err(
                    format!("{fat}.also_spelled"),
                    "a field with `variants` has one spelling: it becomes one field of each check struct",
                );
            }
            let model_type = fields.iter().find(|m| m.wire == *wire).map(|m| &m.ty);
            if model_type.is_some_and(|ty| *ty != TypeExpr::String) {
                self.err(
                    format!("{fat}.type"),
                    format!(
                        "a field with `variants` must be a `string`, not `{}`: its checks and formats apply to text",
                        f.ty
                    ),
                );
            }
            for value in f.variants.keys() {
                if !values.contains(&value.as_str()) {
                    self.err(
                        format!("{fat}.variants.{value}"),
                        format!(
                            "`{value}` is not a value of `{enum_type}` ({})",
                            values.join(", ")
                        ),
                    );
                }
            }
        }
        for value in &values {
            if !obj.fields.values().any(|f| f.variants.contains_key(*value)) {
                self.err(
                    &dat,
                    format!(
                        "value `{value}` of `{enum_type}` is used by no field; list it under the `variants` of the fields it needs"
                    ),
                );
            }
        }

        self.claim_name(&format!("{dat}.enum"), &d.enum_name, taken);
        if !names::is_upper_camel(&d.struct_suffix) {
            self.err(
                format!("{dat}.struct_suffix"),
                format!("`{}` must be UpperCamelCase", d.struct_suffix),
            );
        }
        let variants = e
            .values
            .iter()
            .map(|value| {
                let struct_name = format!("{}{}", value.rust, d.struct_suffix);
                self.claim_name(&format!("{dat}.struct_suffix"), &struct_name, taken);
                model::Variant {
                    wire: value.wire.clone(),
                    rust: value.rust.clone(),
                    struct_name,
                    description: value.description.clone(),
                    fields: variant_fields(fields, &value.wire),
                }
            })
            .collect();
        let field_rust = fields
            .iter()
            .find(|m| m.wire == d.field)
            .map(|m| m.rust.clone())?;
        Some(model::Discriminated {
            field_wire: d.field.clone(),
            field_rust,
            enum_type,
            checks_enum: d.enum_name.clone(),
            variants,
        })
    }

    /// The discriminator must be a required field of an enum type, and not
    /// itself depend on a value. Returns the enum's name.
    fn discriminator_field(
        &mut self,
        dat: &str,
        at: &str,
        obj: &spec::ObjectType,
        fields: &[model::Field],
        field: &str,
    ) -> Option<String> {
        let Some(model_field) = fields.iter().find(|m| m.wire == field) else {
            if !obj.fields.contains_key(field) {
                self.err(
                    format!("{dat}.field"),
                    format!("`{field}` is not a field of this type"),
                );
            }
            return None;
        };
        let mut ok = true;
        if !model_field.required {
            self.err(
                format!("{dat}.field"),
                format!(
                    "the discriminator `{field}` must be `required: true`: every request says which kind it is"
                ),
            );
            ok = false;
        }
        if !model_field.variants.is_empty() {
            self.err(
                format!("{at}.fields.{field}.variants"),
                "the discriminator cannot depend on its own value",
            );
            ok = false;
        }
        match &model_field.ty {
            TypeExpr::Enum(name) if ok => Some(name.clone()),
            TypeExpr::Enum(_) => None,
            _ => {
                let written = obj.fields.get(field).map_or("?", |f| f.ty.as_str());
                self.err(
                    format!("{dat}.field"),
                    format!(
                        "the discriminator `{field}` must have an enum type, not `{written}`: its values name the checks"
                    ),
                );
                None
            }
        }
    }

    pub(super) fn check_format(&mut self, at: &str, format: Format) {
        let length = match format {
            Format::Date => return,
            Format::Digits(l) | Format::Alnum(l) | Format::UpperAlnum(l) | Format::Chars(l) => l,
        };
        if length.min == 0 {
            self.err(
                at,
                "a length starts at 1: an empty value is refused anyway, and a value that may be left out is `required: false`",
            );
        }
        if length.min > length.max {
            self.err(
                at,
                format!(
                    "the range {}-{} is empty; write the smaller count first",
                    length.min, length.max
                ),
            );
        }
    }
}

/// The fields one value uses, with its rule for each, in field order.
fn variant_fields(fields: &[model::Field], value: &str) -> Vec<model::VariantField> {
    fields
        .iter()
        .filter_map(|f| {
            let (_, rule) = f.variants.iter().find(|(v, _)| v == value)?;
            Some(model::VariantField {
                wire: f.wire.clone(),
                rust: f.rust.clone(),
                description: f.description.clone(),
                secret: f.secret(),
                rule: *rule,
            })
        })
        .collect()
}
