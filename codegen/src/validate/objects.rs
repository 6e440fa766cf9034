//! Enums, object types and their fields.

use super::{Kind, Kinds, Validator};
use crate::model::{self, RenameAll, TypeExpr};
use crate::names;
use crate::spec::{self, SpecFile};
use indexmap::{IndexMap, IndexSet};

/// Names the generated module defines or imports itself.
const RESERVED: &[&str] = &[
    "Sensitive",
    "Serialize",
    "Response",
    "Deserialize",
    "EncryptedFields",
    "ErrorCode",
    "OneOrMany",
    "IntOrString",
    "Base64Data",
    "Option",
    "Vec",
    "String",
    "Api",
    "KeyService",
];

impl Validator<'_> {
    /// Every enum and object name, checked, so references resolve in any
    /// order.
    pub(super) fn kinds(&mut self, s: &SpecFile) -> Kinds {
        let mut kinds = IndexMap::new();
        for name in s.enums.keys() {
            self.check_type_name(&format!("enums.{name}"), name);
            kinds.insert(name.clone(), Kind::Enum);
        }
        for name in s.types.keys() {
            self.check_type_name(&format!("types.{name}"), name);
            if kinds.insert(name.clone(), Kind::Object).is_some() {
                self.err(
                    format!("types.{name}"),
                    format!("duplicate name: `{name}` is also an enum"),
                );
            }
        }
        // Operation types share the namespace.
        for name in s.endpoints.keys() {
            let op = names::upper_camel(name);
            if kinds.contains_key(&op) {
                self.err(
                    format!("endpoints.{name}"),
                    format!("duplicate name: endpoint `{name}` becomes `{op}`, which is taken"),
                );
            }
        }
        kinds
    }

    pub(super) fn check_type_name(&mut self, at: &str, name: &str) {
        if !names::is_upper_camel(name) {
            self.err(at, format!("type name `{name}` must be UpperCamelCase"));
        }
        if RESERVED.contains(&name) {
            self.err(
                at,
                format!("type name `{name}` is reserved: the generated module already uses it"),
            );
        }
    }

    /// A generated type name: well formed, and not already used in the module.
    pub(super) fn claim_name(&mut self, at: &str, name: &str, taken: &mut IndexSet<String>) {
        self.check_type_name(at, name);
        if !taken.insert(name.to_string()) {
            self.err(
                at,
                format!("duplicate name: `{name}` is already a type, enum or endpoint name"),
            );
        }
    }

    pub(super) fn enums(&mut self, s: &SpecFile) -> Vec<model::Enum> {
        let mut out = Vec::new();
        for (name, e) in s.enums.iter() {
            let mut variants = IndexSet::new();
            let mut values = Vec::new();
            if e.values.is_empty() {
                self.err(
                    format!("enums.{name}.values"),
                    "an enum needs at least one value",
                );
            }
            for (wire, value) in e.values.iter() {
                let variant = match value {
                    spec::EnumValue::Described(_) => names::upper_camel(wire),
                    spec::EnumValue::Named { name: variant, .. } => {
                        if !names::is_upper_camel(variant) {
                            self.err(
                                format!("enums.{name}.values.{wire}.name"),
                                format!("`{variant}` must be UpperCamelCase"),
                            );
                        }
                        variant.clone()
                    }
                };
                let starts_well = variant.starts_with(|c: char| c.is_ascii_alphabetic());
                if variant.is_empty() || variant == "Unknown" || !starts_well {
                    self.err(
                        format!("enums.{name}.values.{wire}"),
                        format!("`{wire}` cannot become a variant name (`Unknown` is reserved); give it one: `{{name: ..., description: ...}}`"),
                    );
                } else if !variants.insert(variant.clone()) {
                    self.err(
                        format!("enums.{name}.values.{wire}"),
                        format!("duplicate name: `{wire}` becomes variant `{variant}` twice"),
                    );
                }
                values.push(model::EnumValue {
                    wire: wire.clone(),
                    rust: variant,
                    description: value.description().to_string(),
                });
            }
            out.push(model::Enum {
                name: name.clone(),
                description: e.description.clone(),
                values,
            });
        }
        out
    }

    pub(super) fn parse_type(&mut self, at: &str, expr: &str, kinds: &Kinds) -> Option<TypeExpr> {
        match parse_type_expr(expr, kinds) {
            Ok(ty) => Some(ty),
            Err(problem) => {
                self.err(at, problem);
                None
            }
        }
    }

    pub(super) fn objects(
        &mut self,
        s: &SpecFile,
        kinds: &Kinds,
        enums: &[model::Enum],
        taken: &mut IndexSet<String>,
    ) -> Vec<model::Object> {
        let uses_envelope = s.envelope.is_some();
        // The types sent as a JSON request body: their own members' forms
        // are checked on the plaintext, by the client before it seals and
        // by the emulator after it opens (`Endpoint::checks`).
        let json_bodies: IndexSet<&str> = s
            .endpoints
            .iter()
            .flat_map(|(_, e)| &e.request)
            .filter_map(|encoding| encoding.json.as_deref())
            .collect();
        let mut out = Vec::new();
        for (name, obj) in s.types.iter() {
            let at = format!("types.{name}");
            if obj.fields.is_empty() {
                self.err(
                    format!("{at}.fields"),
                    "an object type needs at least one field",
                );
            }
            let mut rust_names: IndexMap<String, String> = IndexMap::new();
            let mut fields = Vec::new();
            let mut accessors = Vec::new();
            let mut derives_default = true;
            for (wire, f) in obj.fields.iter() {
                let fat = format!("{at}.fields.{wire}");
                let rust = self.rust_field_name(&fat, wire, f);
                self.claim_field(&fat, &rust, wire, &mut rust_names);
                let Some(ty) = self.parse_type(&format!("{fat}.type"), &f.ty, kinds) else {
                    continue;
                };
                self.check_secrecy(&fat, f, &ty, uses_envelope);
                if let Some(value) = &f.fixed {
                    self.check_fixed(&fat, f, &ty, value);
                }
                if let Some(spec::FieldFormat::Checked(form)) = f.format {
                    self.check_format(&format!("{fat}.format"), form);
                    if ty != TypeExpr::String {
                        self.err(
                            format!("{fat}.format"),
                            "a checked form applies to text: make the field a `string`, or state the form in words",
                        );
                    }
                    if f.encrypted && !json_bodies.contains(name.as_str()) {
                        self.err(
                            format!("{fat}.format"),
                            "an encrypted field's form is checked only as a member of a JSON request body (on the plaintext, before sealing and after opening); elsewhere it travels as ciphertext",
                        );
                    }
                }
                if f.required && matches!(ty, TypeExpr::Enum(_)) {
                    derives_default = false;
                }
                let base = model::Field {
                    wire: wire.clone(),
                    rust: rust.clone(),
                    ty: ty.clone(),
                    required: f.required,
                    encrypted: f.encrypted,
                    sensitive: f.sensitive,
                    description: f.description.clone(),
                    variants: rules(f),
                    format: words(f),
                    checked: checked(f),
                    fixed: f.fixed.clone(),
                    spelling_of: None,
                };
                if f.also_spelled.is_empty() {
                    fields.push(base);
                    continue;
                }
                // Other spellings: one more field each, after the primary,
                // and an accessor that returns whichever was sent.
                if f.required {
                    self.err(format!("{fat}.also_spelled"), "a field with other spellings cannot be required: any one spelling may be the one sent");
                }
                let mut accessor = model::SpellingAccessor {
                    method: rust.clone(),
                    fields: vec![rust.clone()],
                    wires: vec![wire.clone()],
                    ty: ty.clone(),
                    secret: base.secret(),
                };
                let mut extra = Vec::new();
                for (i, sp) in f.also_spelled.iter().enumerate() {
                    let sat = format!("{fat}.also_spelled[{i}]");
                    if !names::is_snake(&sp.rust_name) {
                        self.err(
                            format!("{sat}.rust_name"),
                            format!("`{}` must be snake_case", sp.rust_name),
                        );
                    }
                    if obj.fields.contains_key(&sp.wire) || sp.wire == *wire {
                        self.err(
                            &sat,
                            format!("duplicate name: spelling `{}` is already a field", sp.wire),
                        );
                    }
                    self.claim_field(&sat, &sp.rust_name, &sp.wire, &mut rust_names);
                    accessor.fields.push(sp.rust_name.clone());
                    accessor.wires.push(sp.wire.clone());
                    extra.push(model::Field {
                        wire: sp.wire.clone(),
                        rust: sp.rust_name.clone(),
                        required: false,
                        // The constant is named after the primary field.
                        fixed: None,
                        spelling_of: Some(wire.clone()),
                        ty: ty.clone(),
                        encrypted: f.encrypted,
                        sensitive: f.sensitive,
                        description: f.description.clone(),
                        variants: rules(f),
                        format: words(f),
                        checked: checked(f),
                    });
                }
                fields.push(base);
                fields.extend(extra);
                accessors.push(accessor);
            }
            let discriminated = self.discriminated(&at, obj, &fields, enums, taken);
            out.push(model::Object {
                name: name.clone(),
                description: obj.description.clone(),
                rename_all: rename_rule(&fields),
                fields,
                spelling_accessors: accessors,
                derives_default,
                discriminated,
                reads_as: obj.reads_as.clone(),
                outline: obj.outline,
            });
        }
        out
    }

    fn rust_field_name(&mut self, fat: &str, wire: &str, f: &spec::Field) -> String {
        let rust = match &f.rust_name {
            Some(r) if !names::is_snake(r) => {
                self.err(
                    format!("{fat}.rust_name"),
                    format!("`{r}` must be snake_case"),
                );
                r.clone()
            }
            Some(r) => r.clone(),
            None => names::snake(wire),
        };
        if rust.is_empty() {
            self.err(
                fat,
                format!("wire name `{wire}` gives no usable Rust name; set `rust_name`"),
            );
        }
        rust
    }

    fn claim_field(
        &mut self,
        at: &str,
        rust: &str,
        wire: &str,
        taken: &mut IndexMap<String, String>,
    ) {
        if let Some(other) = taken.insert(rust.to_string(), wire.to_string()) {
            self.err(
                at,
                format!("duplicate name: `{wire}` and `{other}` both become Rust field `{rust}`"),
            );
        }
    }

    /// `encrypted` needs the envelope and text to encrypt; `sensitive`
    /// needs text to redact.
    fn check_secrecy(&mut self, fat: &str, f: &spec::Field, ty: &TypeExpr, uses_envelope: bool) {
        if f.encrypted {
            if !uses_envelope {
                self.err(
                    format!("{fat}.encrypted"),
                    "this family has no `envelope`, so nothing can travel encrypted",
                );
            }
            if !ty.carries_only_strings() {
                self.err(
                    format!("{fat}.encrypted"),
                    format!(
                        "`encrypted` on a field of type `{}`: the envelope sends Base64 ciphertext, so only string, list<string> or one-or-list<string> fields can carry it",
                        f.ty
                    ),
                );
            }
        }
        if f.sensitive && !(ty.carries_only_strings() || *ty == TypeExpr::Base64) {
            self.err(
                format!("{fat}.sensitive"),
                format!(
                    "`sensitive` on a field of type `{}`: only string-carrying and `base64` fields can be redacted",
                    f.ty
                ),
            );
        }
    }

    /// A `fixed` wire value: plain text that is sent as written, so only on a
    /// `string` field that is not encrypted (ciphertext differs every time),
    /// not blank, and not restated in prose under `format`.
    fn check_fixed(&mut self, fat: &str, f: &spec::Field, ty: &TypeExpr, value: &str) {
        let at = format!("{fat}.fixed");
        if *ty != TypeExpr::String {
            self.err(
                &at,
                format!(
                    "`fixed` on a field of type `{}`: a fixed wire value is a `string`",
                    f.ty
                ),
            );
        }
        if f.encrypted {
            self.err(
                &at,
                "`fixed` on an encrypted field: its ciphertext differs on every call",
            );
        }
        if f.sensitive {
            self.err(
                &at,
                "a value written in the spec is no secret: drop `sensitive`",
            );
        }
        if value.trim().is_empty() {
            self.err(&at, "a fixed value cannot be blank");
        }
        if f.format.is_some() {
            self.err(
                format!("{fat}.format"),
                "`format` and `fixed` state the same fact twice; keep `fixed`",
            );
        }
    }

    /// Object types must not contain themselves without indirection; the
    /// vendors' formats never do, so a cycle is a typo.
    pub(super) fn check_no_cycles(&mut self, types: &[model::Object]) {
        fn refs(ty: &TypeExpr, out: &mut Vec<String>) {
            match ty {
                TypeExpr::Object(n) => out.push(n.clone()),
                TypeExpr::List(_) => {} // a Vec is indirection enough
                TypeExpr::OneOrList(inner) => refs(inner, out),
                _ => {}
            }
        }
        let by_name: IndexMap<&str, &model::Object> =
            types.iter().map(|t| (t.name.as_str(), t)).collect();
        for start in types {
            let mut stack = vec![start.name.clone()];
            let mut seen = IndexSet::new();
            while let Some(name) = stack.pop() {
                let Some(obj) = by_name.get(name.as_str()) else {
                    continue;
                };
                for f in &obj.fields {
                    let mut next = Vec::new();
                    refs(&f.ty, &mut next);
                    for n in next {
                        if n == start.name {
                            self.err(
                                format!("types.{}", start.name),
                                format!(
                                    "`{}` contains itself (through `{}`); wrap the field in a list",
                                    start.name, f.wire
                                ),
                            );
                            return;
                        }
                        if seen.insert(n.clone()) {
                            stack.push(n);
                        }
                    }
                }
            }
        }
    }
}

/// Parses a type expression against the spec's names.
fn parse_type_expr(expr: &str, kinds: &Kinds) -> Result<TypeExpr, String> {
    let expr = expr.trim();
    let generic = |prefix: &str| {
        expr.strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('<'))
            .and_then(|rest| rest.strip_suffix('>'))
    };
    if let Some(inner) = generic("list") {
        return parse_type_expr(inner, kinds).map(|t| TypeExpr::List(Box::new(t)));
    }
    if let Some(inner) = generic("one-or-list") {
        let inner = parse_type_expr(inner, kinds)?;
        if matches!(inner, TypeExpr::List(_) | TypeExpr::OneOrList(_)) {
            return Err("one-or-list<T> needs a single-valued T".to_string());
        }
        return Ok(TypeExpr::OneOrList(Box::new(inner)));
    }
    Ok(match expr {
        "string" => TypeExpr::String,
        "int" => TypeExpr::Int,
        "float" => TypeExpr::Float,
        "bool" => TypeExpr::Bool,
        "json" => TypeExpr::Json,
        "int-or-string" => TypeExpr::IntOrString,
        "base64" => TypeExpr::Base64,
        name => match kinds.get(name) {
            Some(Kind::Enum) => TypeExpr::Enum(name.to_string()),
            Some(Kind::Object) => TypeExpr::Object(name.to_string()),
            None => return Err(format!("undefined type `{name}`")),
        },
    })
}

/// A field's per-value rules as the model holds them.
fn rules(f: &spec::Field) -> Vec<(String, model::Rule)> {
    f.variants
        .iter()
        .map(|(value, r)| {
            let rule = model::Rule {
                required: r.required,
                format: r.format.map(format),
            };
            (value.clone(), rule)
        })
        .collect()
}

/// A field's `format` in words, for its doc comment.
fn words(f: &spec::Field) -> Option<String> {
    match &f.format {
        Some(spec::FieldFormat::Words(words)) => Some(words.clone()),
        _ => None,
    }
}

/// A field's checked `format`.
fn checked(f: &spec::Field) -> Option<model::Format> {
    match f.format {
        Some(spec::FieldFormat::Checked(form)) => Some(format(form)),
        _ => None,
    }
}

pub(super) fn format(f: spec::Format) -> model::Format {
    let l = |l: spec::Length| model::Length {
        min: l.min,
        max: l.max,
    };
    match f {
        spec::Format::Date => model::Format::Date,
        spec::Format::Digits(n) => model::Format::Digits(l(n)),
        spec::Format::Alnum(n) => model::Format::Alnum(l(n)),
        spec::Format::UpperAlnum(n) => model::Format::UpperAlnum(l(n)),
        spec::Format::Chars(n) => model::Format::Chars(l(n)),
    }
}

/// The serde naming rule that fits most fields: `camelCase` when it gives
/// more wire names than the Rust names themselves do. The rest get a
/// `rename` of their own.
fn rename_rule(fields: &[model::Field]) -> RenameAll {
    let fits = |rule: RenameAll| {
        fields
            .iter()
            .filter(|f| rule.apply(&f.rust) == f.wire)
            .count()
    };
    if fits(RenameAll::CamelCase) > fits(RenameAll::None) {
        RenameAll::CamelCase
    } else {
        RenameAll::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Kinds {
        let mut k = IndexMap::new();
        k.insert("Box".to_string(), Kind::Object);
        k.insert("Kind".to_string(), Kind::Enum);
        k
    }

    #[test]
    fn type_expressions() {
        let k = kinds();
        assert_eq!(
            parse_type_expr("list<Box>", &k),
            Ok(TypeExpr::List(Box::new(TypeExpr::Object("Box".into()))))
        );
        assert_eq!(
            parse_type_expr("one-or-list<string>", &k),
            Ok(TypeExpr::OneOrList(Box::new(TypeExpr::String)))
        );
        assert_eq!(
            parse_type_expr("int-or-string", &k),
            Ok(TypeExpr::IntOrString)
        );
        assert_eq!(parse_type_expr("base64", &k), Ok(TypeExpr::Base64));
        assert_eq!(
            parse_type_expr("Kind", &k),
            Ok(TypeExpr::Enum("Kind".into()))
        );
        assert!(parse_type_expr("one-or-list<list<int>>", &k).is_err());
        assert_eq!(
            parse_type_expr("Nope", &k),
            Err("undefined type `Nope`".to_string())
        );
    }

    fn field(wire: &str, rust: &str) -> model::Field {
        model::Field {
            wire: wire.into(),
            rust: rust.into(),
            ty: TypeExpr::String,
            required: false,
            encrypted: false,
            sensitive: false,
            description: String::new(),
            variants: Vec::new(),
            format: None,
            checked: None,
            fixed: None,
            spelling_of: None,
        }
    }

    #[test]
    fn the_rename_rule_mirrors_serde() {
        assert_eq!(RenameAll::CamelCase.apply("card_nums"), "cardNums");
        assert_eq!(RenameAll::CamelCase.apply("x1"), "x1");
        assert_eq!(
            RenameAll::CamelCase.apply("date_of_birth_ymd"),
            "dateOfBirthYmd"
        );
        let camel = [field("cardNums", "card_nums"), field("IDType", "id_type")];
        assert_eq!(rename_rule(&camel), RenameAll::CamelCase);
        let snake = [
            field("access_token", "access_token"),
            field("expires_in", "expires_in"),
        ];
        assert_eq!(rename_rule(&snake), RenameAll::None);
        // Single-word names fit both; no rule is simpler.
        assert_eq!(rename_rule(&[field("key", "key")]), RenameAll::None);
    }
}
