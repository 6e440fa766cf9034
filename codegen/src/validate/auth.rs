//! Auth schemes and versions.
//!
//! A scheme says which header carries which kind of credential; a version
//! says which path prefix and which scheme its calls use. Versions share
//! every endpoint, so a new generation of an API that differs only in
//! those two is a few lines of spec, not a copy of its tables.

use super::{CodeRefs, Validator};
use crate::model::{self, Credential};
use crate::names;
use crate::spec::{CredentialKind, SpecFile};

impl Validator<'_> {
    pub(super) fn auth_schemes(&mut self, s: &SpecFile, refs: &CodeRefs) -> Vec<model::AuthScheme> {
        if s.auth.is_empty() {
            self.err("auth", "a family needs at least one auth scheme");
        }
        let mut out = Vec::new();
        for (name, scheme) in s.auth.iter() {
            let at = format!("auth.{name}");
            if !names::is_kebab(name) {
                self.err(&at, format!("scheme name `{name}` must be kebab-case"));
            }
            if let Some(problem) = header_name_problem(&scheme.header) {
                self.err(format!("{at}.header"), problem);
            }
            if scheme.prefix.chars().any(|c| c.is_control()) {
                self.err(
                    format!("{at}.prefix"),
                    "a header value cannot hold control characters",
                );
            }
            let credential = match scheme.credential {
                CredentialKind::SecretKey | CredentialKind::KeyPair => {
                    if scheme.issued_by.is_some() {
                        self.err(
                            format!("{at}.issued_by"),
                            "only a `credential: token` scheme has an issuer",
                        );
                    }
                    match scheme.credential {
                        CredentialKind::SecretKey => Credential::SecretKey,
                        _ => Credential::KeyPair,
                    }
                }
                CredentialKind::Token => self.token_credential(&at, scheme),
            };
            let refused_with = match &scheme.refused_with {
                Some(code) => Some(refs.get(code).unwrap_or_else(|| {
                    self.err(
                        format!("{at}.refused_with"),
                        format!("error code `{code}` is not in the family's `errors`"),
                    );
                    model::Code::Text(code.clone())
                })),
                None if matches!(scheme.credential, CredentialKind::Token) => {
                    self.err(
                        format!("{at}.refused_with"),
                        "a token scheme names the code that says a token is invalid or expired, so the runtime knows when to issue a new one",
                    );
                    None
                }
                None => None,
            };
            out.push(model::AuthScheme {
                name: name.clone(),
                const_name: names::screaming_snake(name),
                header: scheme.header.clone(),
                prefix: scheme.prefix.clone(),
                credential,
                refused_with,
                description: scheme.description.clone(),
            });
        }
        out
    }

    fn token_credential(&mut self, at: &str, scheme: &crate::spec::AuthScheme) -> Credential {
        let issued_by = match &scheme.issued_by {
            Some(family) if names::is_kebab(family) => family.clone(),
            Some(family) => {
                self.err(
                    format!("{at}.issued_by"),
                    format!("`{family}` is not a family name (kebab-case)"),
                );
                family.clone()
            }
            None => {
                self.err(
                    format!("{at}.issued_by"),
                    "a token scheme names the family whose token endpoint issues its tokens",
                );
                String::new()
            }
        };
        Credential::Token {
            issued_by_module: names::snake(&issued_by),
            issued_by,
        }
    }

    /// The versions, or the one implicit version of a family without
    /// `versions` (which must then have exactly one scheme).
    pub(super) fn versions(
        &mut self,
        s: &SpecFile,
        schemes: &[model::AuthScheme],
        refs: &CodeRefs,
    ) -> Vec<model::Version> {
        if s.versions.is_empty() {
            if schemes.len() > 1 {
                self.err(
                    "versions",
                    "with more than one auth scheme, list the versions that use them",
                );
            }
            return vec![model::Version {
                name: None,
                const_name: None,
                path_prefix: String::new(),
                auth: 0,
                errors: Vec::new(),
            }];
        }
        let mut out = Vec::new();
        for (name, version) in s.versions.iter() {
            let at = format!("versions.{name}");
            if !is_version_name(name) {
                self.err(
                    &at,
                    format!("`{name}` is not a version name such as `v2.1`"),
                );
            }
            let prefix = &version.path_prefix;
            if !prefix.is_empty() && (!prefix.starts_with('/') || prefix.ends_with('/')) {
                self.err(
                    format!("{at}.path_prefix"),
                    format!("`{prefix}` must start with `/` and not end with one (or be empty)"),
                );
            }
            if prefix.contains(['{', '}', '?', '#']) {
                self.err(
                    format!("{at}.path_prefix"),
                    "a prefix is plain path text: no variables, query or fragment",
                );
            }
            let auth = schemes.iter().position(|a| a.name == version.auth);
            if auth.is_none() {
                self.err(
                    format!("{at}.auth"),
                    format!("`{}` is not a scheme under `auth`", version.auth),
                );
            }
            let mut errors = Vec::new();
            for code in &version.errors {
                match refs.get(code) {
                    Some(c) if !errors.contains(&c) => errors.push(c),
                    Some(_) => self.err(
                        format!("{at}.errors"),
                        format!("duplicate error code `{code}`"),
                    ),
                    None => self.err(
                        format!("{at}.errors"),
                        format!("error code `{code}` is not in the family's `errors`"),
                    ),
                }
            }
            out.push(model::Version {
                name: Some(name.clone()),
                const_name: Some(names::screaming_snake(&name.replace('.', "_"))),
                path_prefix: prefix.clone(),
                auth: auth.unwrap_or(0),
                errors,
            });
        }
        self.check_versions_apart(&out, schemes);
        out
    }

    /// Two versions never share a prefix (the emulator could not tell their
    /// calls apart), every scheme is used, a token scheme's refusal code is
    /// one its version's endpoints can answer, and a client holding one
    /// kind of credential finds one version for it.
    fn check_versions_apart(&mut self, versions: &[model::Version], schemes: &[model::AuthScheme]) {
        for (i, v) in versions.iter().enumerate() {
            let name = v.name.as_deref().unwrap_or_default();
            if versions[..i].iter().any(|o| o.path_prefix == v.path_prefix) {
                self.err(
                    format!("versions.{name}.path_prefix"),
                    format!(
                        "another version already uses the prefix `{}`",
                        v.path_prefix
                    ),
                );
            }
            let Some(scheme) = schemes.get(v.auth) else {
                continue;
            };
            if versions[..i].iter().any(|o| {
                schemes
                    .get(o.auth)
                    .is_some_and(|s| same_holder(&s.credential, &scheme.credential))
            }) {
                self.err(
                    format!("versions.{name}.auth"),
                    "another version takes the same kind of credential; a client could not tell which to call",
                );
            }
            if let Some(refused_with) = &scheme.refused_with
                && !v.errors.contains(refused_with)
            {
                self.err(
                        format!("versions.{name}.errors"),
                        format!(
                            "list `{refused_with}` (the scheme's `refused_with`): every call of this version can be refused for its credential"
                        ),
                    );
            }
        }
        let issuers: Vec<&str> = schemes
            .iter()
            .filter_map(|s| match &s.credential {
                Credential::Token { issued_by, .. } => Some(issued_by.as_str()),
                _ => None,
            })
            .collect();
        if issuers.windows(2).any(|w| w[0] != w[1]) {
            self.err(
                "auth",
                "every token scheme of a family is issued by the same family",
            );
        }
        for (i, scheme) in schemes.iter().enumerate() {
            if !versions.iter().any(|v| v.auth == i) {
                self.err(
                    format!("auth.{}", scheme.name),
                    "no version uses this scheme",
                );
            }
        }
    }
}

/// Whether two credentials come from the same thing a caller holds (a key
/// pair serves both its Basic form and the tokens issued for it).
fn same_holder(a: &Credential, b: &Credential) -> bool {
    let holder = |c: &Credential| match c {
        Credential::SecretKey => 0,
        Credential::KeyPair | Credential::Token { .. } => 1,
    };
    holder(a) == holder(b)
}

/// `v2`, `v2.1`, `v10.0`.
fn is_version_name(name: &str) -> bool {
    name.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Why `name` cannot be an HTTP header name (RFC 9110 token characters),
/// or why it must not be listed.
pub(super) fn header_name_problem(name: &str) -> Option<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Some(format!("`{name}` is not an HTTP header name"));
    }
    if name.eq_ignore_ascii_case("content-type") {
        return Some("Content-Type follows from the request encoding; do not list it".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        assert!(is_version_name("v2.1"));
        assert!(is_version_name("v1"));
        assert!(!is_version_name("2.1"));
        assert!(!is_version_name("v2."));
        assert!(!is_version_name("v2.x"));
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name_problem("X-NHN-Authorization"), None);
        assert!(header_name_problem("Bad Header").is_some());
        assert!(header_name_problem("").is_some());
        assert!(header_name_problem("content-type").is_some());
    }

    #[test]
    fn one_version_per_kind_of_credential() {
        let token = Credential::Token {
            issued_by: "t".into(),
            issued_by_module: "t".into(),
        };
        assert!(same_holder(&Credential::KeyPair, &token));
        assert!(!same_holder(&Credential::SecretKey, &token));
    }
}
