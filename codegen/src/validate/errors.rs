//! The error table: every code the family documents, parsed as the kind of
//! value its error shape carries.

use super::Validator;
use crate::model::{self, Code, CodeKind};
use crate::names;
use crate::spec::SpecFile;
use indexmap::IndexSet;

impl Validator<'_> {
    /// Each situation is one code of those an endpoint can answer, so the
    /// emulator knows which to send: one among its own codes (its error
    /// groups' included), one among the common ones, and its own wins over
    /// a common one (a business number's own "invalid format" code over the
    /// family's "invalid parameter").
    pub(super) fn check_answers(
        &mut self,
        table: &[model::ErrorCode],
        common: &[Code],
        groups: &[model::ErrorGroup],
        endpoints: &[model::Endpoint],
    ) {
        for e in endpoints {
            // An endpoint's groups are codes of its own, declared once.
            let own: Vec<Code> = e.own_codes(groups).cloned().collect();
            for codes in [&own[..], common] {
                let mut seen: Vec<(model::ErrorRole, &Code)> = Vec::new();
                for code in codes {
                    let Some(info) = table.iter().find(|i| &i.code == code) else {
                        continue;
                    };
                    for role in &info.answers {
                        match seen.iter().find(|(r, _)| r == role) {
                            Some((_, other)) => self.err(
                                format!("endpoints.{}.errors", e.name),
                                format!(
                                    "`{code}` and `{other}` both answer {role:?}; an endpoint answers each situation with one code"
                                ),
                            ),
                            None => seen.push((*role, code)),
                        }
                    }
                }
            }
        }
    }

    /// The family's common codes: each from the table, none twice, and none
    /// a code every version adds anyway.
    pub(super) fn common_errors(
        &mut self,
        s: &SpecFile,
        refs: &super::CodeRefs,
        versions: &[model::Version],
    ) -> Vec<Code> {
        self.code_list("common_errors", &s.common_errors, refs, versions)
    }

    /// Codes as the spec lists them at `at` (the common ones, a group's, an
    /// endpoint's own): each from the family's table, none twice, none of
    /// the common ones once those are read (every endpoint answers them
    /// already), and none a code every version adds to every call.
    pub(super) fn code_list(
        &mut self,
        at: &str,
        written: &[String],
        refs: &super::CodeRefs,
        versions: &[model::Version],
    ) -> Vec<Code> {
        let mut out = Vec::new();
        for written in written {
            let Some(code) = refs.get(written) else {
                self.err(
                    at,
                    format!("error code `{written}` is not in the family's `errors`"),
                );
                continue;
            };
            if out.contains(&code) {
                self.err(at, format!("duplicate error code `{written}`"));
            }
            if refs.common.contains(&code) {
                self.err(
                    at,
                    format!("`{written}` is in `common_errors`; every endpoint answers it already"),
                );
            }
            if versions.len() > 1 && versions.iter().all(|v| v.errors.contains(&code)) {
                self.err(
                    at,
                    format!("every version already adds `{written}`; list it there only"),
                );
            }
            out.push(code);
        }
        out
    }

    /// The family's error groups: each a name in kebab-case, a
    /// description, and codes from the table, none twice, none common and
    /// none a version adds to every call; each named by some endpoint.
    pub(super) fn error_groups(
        &mut self,
        s: &SpecFile,
        refs: &super::CodeRefs,
        versions: &[model::Version],
    ) -> Vec<model::ErrorGroup> {
        let mut out = Vec::new();
        for (name, group) in s.error_groups.iter() {
            let at = format!("error_groups.{name}");
            if !names::is_kebab(name) {
                self.err(
                    &at,
                    "a group's name is kebab-case (`file`, `sealed-request`)",
                );
            }
            if group.description.trim().is_empty() {
                self.err(
                    format!("{at}.description"),
                    "say what the codes have in common",
                );
            }
            if group.codes.len() < 2 {
                self.err(
                    format!("{at}.codes"),
                    "a group has at least two codes; list one on its endpoints",
                );
            }
            // A shared table's group may serve only some of the families
            // that take the table.
            if !s.shared_groups.contains_key(name)
                && !s.endpoints.values().any(|e| e.error_groups.contains(name))
            {
                self.err(&at, "no endpoint names this group in its `error_groups`");
            }
            let codes = self.code_list(&format!("{at}.codes"), &group.codes, refs, versions);
            // Disjoint, so an endpoint that names two groups answers each
            // code once.
            for code in &codes {
                if let Some(other) = out
                    .iter()
                    .find(|g: &&model::ErrorGroup| g.codes.contains(code))
                {
                    self.err(
                        format!("{at}.codes"),
                        format!(
                            "`{code}` is in error group `{}` too; a code belongs to one group",
                            other.name
                        ),
                    );
                }
            }
            let const_name = format!("{}_ERRORS", names::screaming_snake(name));
            let taken = const_name == "COMMON_ERRORS"
                || s.endpoints
                    .keys()
                    .any(|e| names::screaming_snake(e) == const_name)
                || s.auth
                    .keys()
                    .any(|a| names::screaming_snake(a) == const_name);
            if taken {
                self.err(
                    &at,
                    format!("the group's constant `{const_name}` is another item's name"),
                );
            }
            out.push(model::ErrorGroup {
                name: name.clone(),
                const_name,
                description: group.description.clone(),
                codes,
                table: s.shared_groups.get(name).cloned(),
            });
        }
        out
    }

    pub(super) fn errors_table(&mut self, s: &SpecFile, kind: CodeKind) -> Vec<model::ErrorCode> {
        if s.errors.is_empty() {
            self.err("errors", "a family must list its error codes");
        }
        let statuses = matches!(s.error_shape, crate::spec::ErrorShape::StatusAndBody(_));
        let mut variant_names = IndexSet::new();
        let mut out = Vec::new();
        for (written, e) in s.errors.iter() {
            let at = format!("errors.{written}");
            let code = match parse_code(kind, written) {
                Ok(code) => code,
                Err(problem) => {
                    self.err(&at, problem);
                    continue;
                }
            };
            if !names::is_upper_camel(&e.name) || e.name == "Unknown" {
                self.err(
                    format!("{at}.name"),
                    format!("`{}` must be UpperCamelCase and not `Unknown` (reserved for codes the spec lacks)", e.name),
                );
            }
            if !variant_names.insert(e.name.clone()) {
                self.err(
                    format!("{at}.name"),
                    format!("duplicate name: `{}` names two error codes", e.name),
                );
            }
            if let Some(key) = e.key.as_deref().filter(|k| !is_result_key(k)) {
                self.err(
                    format!("{at}.key"),
                    format!("`{key}` is not a vendor key (upper-case letters, digits and `_`)"),
                );
            }
            if e.throttling && !e.retryable {
                self.err(
                    format!("{at}.throttling"),
                    "a throttling code asks the caller to slow down and try again; mark it `retryable`",
                );
            }
            match (statuses, e.http_status) {
                (true, None) => self.err(
                    format!("{at}.http_status"),
                    "this family's failures arrive as HTTP statuses; give the code's",
                ),
                (_, Some(status)) if !(100..=599).contains(&status) => self.err(
                    format!("{at}.http_status"),
                    format!("{status} is not an HTTP status"),
                ),
                _ => {}
            }
            let mut answers = Vec::new();
            for name in &e.answers {
                let Some((_, role)) = model::ErrorRole::ALL.iter().find(|(n, _)| n == name) else {
                    let known: Vec<&str> = model::ErrorRole::ALL.iter().map(|(n, _)| *n).collect();
                    self.err(
                        format!("{at}.answers"),
                        format!(
                            "`{name}` is not a situation the emulator knows ({})",
                            known.join(", ")
                        ),
                    );
                    continue;
                };
                answers.push(*role);
            }
            out.push(model::ErrorCode {
                answers,
                code,
                key: e.key.clone(),
                name: e.name.clone(),
                message: e.message.clone(),
                meaning: e.meaning.clone(),
                retryable: e.retryable,
                throttling: e.throttling,
                http_status: e.http_status,
                source: e.source.clone(),
            });
        }
        out
    }
}

/// A code as the table writes it, read as `kind`. Integers must be written
/// the way the vendor sends them (no sign on a positive number, no leading
/// zeros), so the table's keys and the generated matches agree.
pub(super) fn parse_code(kind: CodeKind, written: &str) -> Result<Code, String> {
    match kind {
        CodeKind::Integer => match written.parse::<i64>() {
            Ok(n) if n.to_string() == written => Ok(Code::Integer(n)),
            Ok(n) => Err(format!(
                "write the integer code `{written}` as the vendor sends it: `{n}`"
            )),
            Err(_) => Err(format!(
                "`{written}` is not an integer: this family's error shape carries integer codes"
            )),
        },
        CodeKind::Text => {
            if written.is_empty() || !written.bytes().all(|b| b.is_ascii_graphic()) {
                Err(format!(
                    "`{written}` is not a code: text codes are visible ASCII without spaces"
                ))
            } else {
                Ok(Code::Text(written.to_string()))
            }
        }
    }
}

/// NHN's `resultKey` style: `INVALID_PARAMETER`.
fn is_result_key(key: &str) -> bool {
    !key.is_empty()
        && key.starts_with(|c: char| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_codes_are_written_as_sent() {
        assert_eq!(parse_code(CodeKind::Integer, "-1"), Ok(Code::Integer(-1)));
        assert_eq!(
            parse_code(CodeKind::Integer, "4000001"),
            Ok(Code::Integer(4_000_001))
        );
        assert!(parse_code(CodeKind::Integer, "04000001").is_err());
        assert!(parse_code(CodeKind::Integer, "+1").is_err());
        assert!(parse_code(CodeKind::Integer, "0011x").is_err());
    }

    #[test]
    fn text_codes_keep_their_zeros() {
        assert_eq!(
            parse_code(CodeKind::Text, "0011"),
            Ok(Code::Text("0011".into()))
        );
        assert_eq!(
            parse_code(CodeKind::Text, "invalid_client"),
            Ok(Code::Text("invalid_client".into()))
        );
        assert!(parse_code(CodeKind::Text, "").is_err());
        assert!(parse_code(CodeKind::Text, "two words").is_err());
    }

    #[test]
    fn result_keys() {
        assert!(is_result_key("INVALID_PARAMETER"));
        assert!(is_result_key("OCR_DOCUMENT_ID_CARD_API_FAIL"));
        assert!(!is_result_key("invalidParameter"));
        assert!(!is_result_key("_X"));
    }
}
