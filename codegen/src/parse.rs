//! Reading spec files: YAML text -> [`SpecFile`], with errors that say where.

use crate::error::{SpecError, SpecErrors};
use crate::spec::SpecFile;
use std::path::{Path, PathBuf};

/// Parses one spec file's text. `file` is only used in error messages.
pub fn parse_str(file: &Path, text: &str) -> Result<SpecFile, SpecError> {
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
