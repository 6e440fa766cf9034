//! Reading spec files: YAML text -> [`SpecFile`], with errors that say where.

use crate::error::{SpecError, SpecErrors};
use crate::spec::SpecFile;
use std::path::{Path, PathBuf};

/// Parses one spec file's text. `file` names it in error messages, and
/// its folder holds the shared error tables it names (`errors/`).
pub fn parse_str(file: &Path, text: &str) -> Result<SpecFile, SpecError> {
    let mut spec: SpecFile = deserialize(file, text)?;
    include_tables(file, &mut spec)?;
    Ok(spec)
}

/// The codes and error groups of each table in `errors_from`, then the
/// family's own: a code or a group in two places is an error naming both.
fn include_tables(file: &Path, spec: &mut SpecFile) -> Result<(), SpecError> {
    if spec.errors_from.is_empty() {
        return Ok(());
    }
    let dir = file.parent().unwrap_or(Path::new(".")).join("errors");
    let mut merged = indexmap::IndexMap::new();
    let mut from: indexmap::IndexMap<String, PathBuf> = indexmap::IndexMap::new();
    let mut groups = indexmap::IndexMap::new();
    let mut groups_from: indexmap::IndexMap<String, PathBuf> = indexmap::IndexMap::new();
    for (i, name) in spec.errors_from.iter().enumerate() {
        let table_file = dir.join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&table_file).map_err(|e| {
            SpecError::new(
                file,
                format!("errors_from[{i}]"),
                format!("cannot read the error table {}: {e}", table_file.display()),
            )
        })?;
        let table: crate::spec::ErrorTable = deserialize(&table_file, &text)?;
        for (code, info) in table.errors.0 {
            if let Some(other) = from.get(&code) {
                return Err(SpecError::new(
                    &table_file,
                    format!("errors.{code}"),
                    format!("`{code}` is in {} too", other.display()),
                ));
            }
            from.insert(code.clone(), table_file.clone());
            merged.insert(code, info);
        }
        for (name, group) in table.error_groups.0 {
            if let Some(other) = groups_from.get(&name) {
                return Err(SpecError::new(
                    &table_file,
                    format!("error_groups.{name}"),
                    format!("error group `{name}` is in {} too", other.display()),
                ));
            }
            groups_from.insert(name.clone(), table_file.clone());
            groups.insert(name, group);
        }
    }
    for (name, _) in spec.error_groups.0.iter() {
        if let Some(other) = groups_from.get(name) {
            return Err(SpecError::new(
                file,
                format!("error_groups.{name}"),
                format!(
                    "error group `{name}` is in the shared table {}: a family does not restate it",
                    other.display()
                ),
            ));
        }
    }
    spec.shared_groups = groups.keys().cloned().collect();
    let own_groups = std::mem::take(&mut spec.error_groups.0);
    groups.extend(own_groups);
    spec.error_groups.0 = groups;
    let own = std::mem::take(&mut spec.errors.0);
    spec.own_error_count = own.len();
    for (code, info) in own {
        if let Some(other) = from.get(&code) {
            return Err(SpecError::new(
                file,
                format!("errors.{code}"),
                format!(
                    "`{code}` is in the shared table {}: a family does not restate it",
                    other.display()
                ),
            ));
        }
        merged.insert(code, info);
    }
    spec.errors.0 = merged;
    Ok(())
}

fn deserialize<T: serde::de::DeserializeOwned>(file: &Path, text: &str) -> Result<T, SpecError> {
    let de = serde_norway::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let at = err.path().to_string();
        let at = if at == "." { String::new() } else { at };
        // serde_norway already prefixes its message with the path (through
        // `singleton_map`, one segment shorter than ours); say it once.
        let message = err.into_inner().to_string();
        let message = match message.split_once(": ") {
            Some((path, rest)) if !path.is_empty() && at.starts_with(path) => rest.to_string(),
            _ => message,
        };
        SpecError::new(file, at, message)
    })
}

/// Reads and parses one spec file.
pub fn parse_file(file: &Path) -> Result<SpecFile, SpecError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| SpecError::new(file, "", format!("cannot read spec file: {e}")))?;
    parse_str(file, &text)
}

/// The spec files in a directory, sorted by name so every run sees the same order.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, SpecErrors> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| SpecError::new(dir, "", format!("cannot list spec directory: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| SpecError::new(dir, "", format!("cannot list spec directory: {e}")))?
            .path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(SpecError::new(dir, "", "no *.yaml spec files found").into());
    }
    Ok(files)
}
