//! The family as a whole: its name, where its facts come from, and where
//! its API lives.

use super::Validator;
use crate::model;
use crate::names;
use crate::spec::{self, SpecFile};

impl Validator<'_> {
    /// The family is named after its file, in kebab-case, and says where
    /// its facts come from.
    pub(super) fn identity(&mut self, s: &SpecFile) {
        let stem = self
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        if s.family != stem {
            self.err(
                "family",
                format!(
                    "family `{}` must match the file name `{stem}.yaml`",
                    s.family
                ),
            );
        }
        if !names::is_kebab(&s.family) {
            self.err("family", format!("`{}` is not kebab-case", s.family));
        }
        if s.sources.is_empty() {
            self.err(
                "sources",
                "list at least one vendor document the facts come from",
            );
        }
    }

    /// A fixed https host (with documented alternates), or the path every
    /// caller's own URL ends in.
    pub(super) fn base_url(&mut self, base: &spec::BaseUrl) -> model::BaseUrl {
        for (i, alt) in base.alternates.iter().enumerate() {
            if !alt.url.starts_with("https://") {
                self.err(
                    format!("base_url.alternates[{i}].url"),
                    format!("`{}` must be an https URL", alt.url),
                );
            }
            if let Some(until) = alt.until.as_deref().filter(|d| !is_iso_date(d)) {
                self.err(
                    format!("base_url.alternates[{i}].until"),
                    format!("`{until}` is not a date written YYYY-MM-DD"),
                );
            }
        }
        let alternates = base
            .alternates
            .iter()
            .map(|a| model::AlternateUrl {
                url: a.url.clone(),
                note: a.note.clone(),
                until: a.until.clone(),
            })
            .collect();
        match (&base.default, &base.path) {
            (Some(default), None) => {
                if !default.starts_with("https://") {
                    self.err(
                        "base_url.default",
                        format!("`{default}` must be an https URL"),
                    );
                }
                model::BaseUrl::Fixed {
                    default: default.clone(),
                    alternates,
                }
            }
            (Some(_), Some(_)) => {
                self.err(
                    "base_url.path",
                    "`path` is for a family without a `default` URL: it describes the URL each caller supplies",
                );
                placeholder_url()
            }
            (None, None) => {
                self.err(
                    "base_url.path",
                    "with no `default` URL, give the `path` every caller's URL ends in, such as `/custom/v1/{DomainId}/{InvokeKey}`",
                );
                placeholder_url()
            }
            (None, Some(path)) => {
                if !base.alternates.is_empty() {
                    self.err(
                        "base_url.alternates",
                        "alternate hosts are for a family with a `default` URL",
                    );
                }
                let template = match &base.template {
                    Some(t) => t.clone(),
                    None => {
                        self.err(
                            "base_url.template",
                            "say in words what URL a caller supplies",
                        );
                        String::new()
                    }
                };
                let params = self.base_path(path);
                model::BaseUrl::PerCaller {
                    template,
                    path: path.clone(),
                    params,
                }
            }
        }
    }

    /// Checks `base_url.path` and returns its variables, in order: whole
    /// segments, each named once. (The client checks a caller's URL
    /// against it; the emulator serves under it.)
    fn base_path(&mut self, path: &str) -> Vec<String> {
        let at = "base_url.path";
        let Some(rest) = path.strip_prefix('/') else {
            self.err(at, format!("`{path}` must start with `/`"));
            return Vec::new();
        };
        if rest.is_empty() || rest.ends_with('/') {
            self.err(
                at,
                format!("`{path}` must not end with `/`: endpoint paths, which start with one, are appended to it"),
            );
            return Vec::new();
        }
        let mut vars: Vec<String> = Vec::new();
        for segment in rest.split('/') {
            if segment.is_empty() {
                self.err(at, format!("`{path}` has an empty segment"));
            } else if segment.contains(['{', '}']) {
                match whole_segment_variable(segment) {
                    None => self.err(
                        at,
                        format!("segment `{segment}` of `{path}` is not a well-formed variable: a variable is a whole segment `{{Name}}` of letters, digits or `_`"),
                    ),
                    Some(name) if vars.iter().any(|v| v == name) => {
                        self.err(at, format!("variable `{name}` appears twice in `{path}`"))
                    }
                    Some(name) => vars.push(name.to_string()),
                }
            }
        }
        vars
    }
}

/// `{Name}` as a whole path segment, its name letters, digits or `_`.
fn whole_segment_variable(segment: &str) -> Option<&str> {
    segment
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// `YYYY-MM-DD` with a month and day in range (not a full calendar check:
/// the date is shown to people and compared as text).
pub(super) fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        text.get(r)
            .filter(|s| s.bytes().all(|c| c.is_ascii_digit()))?
            .parse()
            .ok()
    };
    matches!(
        (digits(0..4), digits(5..7), digits(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    )
}

fn placeholder_url() -> model::BaseUrl {
    model::BaseUrl::Fixed {
        default: String::new(),
        alternates: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_whole_segments() {
        assert_eq!(whole_segment_variable("{DomainId}"), Some("DomainId"));
        assert_eq!(whole_segment_variable("{a_1}"), Some("a_1"));
        assert_eq!(whole_segment_variable("x{A}"), None);
        assert_eq!(whole_segment_variable("{}"), None);
        assert_eq!(whole_segment_variable("{a-b}"), None);
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("2027-07-31"));
        assert!(!is_iso_date("2027-7-31"));
        assert!(!is_iso_date("2027-13-01"));
        assert!(!is_iso_date("July 31, 2027"));
    }
}
