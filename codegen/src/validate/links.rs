//! References between families, checked once every family is loaded: a
//! token scheme's issuer is a family with exactly one token endpoint, and
//! that family authenticates with the key pair the caller holds; a family
//! a name yields to is another of the same vendor; a shared error table's
//! group is named by an endpoint of some family that takes the table.

use crate::error::{SpecError, SpecErrors};
use crate::model::{Credential, Family};
use std::path::Path;

/// Checks every cross-family reference in `families`.
pub fn check_links(families: &[Family]) -> Result<(), SpecErrors> {
    let mut errors = Vec::new();
    for family in families {
        for (i, other) in family.yields_to.iter().enumerate() {
            let yields = families.iter().find(|f| &f.name == other);
            let problem = match yields {
                None => Some(format!("no spec defines the family `{other}`")),
                Some(f) if f.name == family.name => {
                    Some("a family cannot yield to itself".to_string())
                }
                Some(f) if f.vendor != family.vendor => Some(format!(
                    "`{other}` is another vendor's: names are shared only within a vendor's group"
                )),
                Some(f) if f.yields_to.contains(&family.name) => Some(format!(
                    "`{other}` yields to this family too: one of the two must keep the name"
                )),
                Some(_) => None,
            };
            if let Some(message) = problem {
                errors.push(SpecError::new(
                    &family.spec_path,
                    format!("cli.yields_to[{i}]"),
                    message,
                ));
            }
        }
        for scheme in &family.auth {
            let Credential::Token { issued_by, .. } = &scheme.credential else {
                continue;
            };
            let at = format!("auth.{}.issued_by", scheme.name);
            let mut err = |message: String| {
                errors.push(SpecError::new(&family.spec_path, at.clone(), message));
            };
            let Some(issuer) = families.iter().find(|f| &f.name == issued_by) else {
                err(format!("no spec defines the family `{issued_by}`"));
                continue;
            };
            let issuing = issuer
                .endpoints
                .iter()
                .filter(|e| e.response.token.is_some())
                .count();
            let revoking = issuer
                .endpoints
                .iter()
                .filter(|e| e.revokes_token.is_some())
                .count();
            if (issuing, revoking) != (1, 1) {
                err(format!(
                    "`{issued_by}` must have exactly one endpoint whose response carries a `token` and one that `revokes_token`; it has {issuing} and {revoking}"
                ));
            }
            let pays_with_key_pair = issuer.versions.iter().all(|v| {
                issuer
                    .auth
                    .get(v.auth)
                    .is_some_and(|a| a.credential == Credential::KeyPair)
            });
            if !pays_with_key_pair {
                err(format!(
                    "`{issued_by}` must authenticate with `credential: key-pair`: tokens are issued for the caller's key pair"
                ));
            }
        }
    }
    check_shared_groups(families, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}

/// A shared table's error group is named by some endpoint, in any family
/// that takes the table: one family alone need not (validation of a
/// family's spec allows that), but a group no family names is dead. The
/// error names the table's file.
fn check_shared_groups(families: &[Family], errors: &mut Vec<SpecError>) {
    let mut shared: Vec<(&Path, &str)> = families
        .iter()
        .flat_map(|f| &f.error_groups)
        .filter_map(|g| Some((g.table.as_deref()?, g.name.as_str())))
        .collect();
    shared.sort_unstable();
    shared.dedup();
    for (table, name) in shared {
        let named = families.iter().any(|f| {
            let takes = f
                .error_groups
                .iter()
                .any(|g| g.name == name && g.table.as_deref() == Some(table));
            takes
                && f.endpoints
                    .iter()
                    .any(|e| e.error_groups.iter().any(|n| n == name))
        });
        if !named {
            errors.push(SpecError::new(
                table,
                format!("error_groups.{name}"),
                "no endpoint names this group in its `error_groups`, in any family that takes this table",
            ));
        }
    }
}
