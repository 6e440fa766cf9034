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
    let code = |code: &str| (format!("errors.{code}"), format!("`{code}`"));
    let group = |name: &str| {
        (
            format!("error_groups.{name}"),
            format!("error group `{name}`"),
        )
    };
    let (mut codes, mut groups) = (Merged::default(), Merged::default());
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
        // A table's group is of the table's own codes, so it means the same
        // in every family that takes it.
        for (name, g) in table.error_groups.0.iter() {
            if let Some(stray) = g.codes.iter().find(|c| !table.errors.0.contains_key(*c)) {
                return Err(SpecError::new(
                    &table_file,
                    format!("error_groups.{name}.codes"),
                    format!("error code `{stray}` is not in this table's `errors`"),
                ));
            }
        }
        codes.table(&table_file, table.errors.0, code)?;
        groups.table(&table_file, table.error_groups.0, group)?;
    }
    spec.shared_groups = groups.from.clone();
    let own_groups = std::mem::take(&mut spec.error_groups.0);
    spec.error_groups.0 = groups.own(file, own_groups, group)?;
    let own = std::mem::take(&mut spec.errors.0);
    spec.own_error_count = own.len();
    spec.errors.0 = codes.own(file, own, code)?;
    Ok(())
}

/// Items (codes, error groups) of the shared tables, each with the table
/// it came from, then a family's own after them.
struct Merged<V> {
    items: indexmap::IndexMap<String, V>,
    from: indexmap::IndexMap<String, PathBuf>,
}

impl<V> Default for Merged<V> {
    fn default() -> Self {
        Merged {
            items: indexmap::IndexMap::new(),
            from: indexmap::IndexMap::new(),
        }
    }
}

/// Where an item is in a file, and how an error names it.
type Label = fn(&str) -> (String, String);

impl<V> Merged<V> {
    /// `items` from `file`: one already merged (from a table) is an error
    /// naming both places, in the words `clash` gives (what the item is,
    /// and the file that has it).
    fn add(
        &mut self,
        file: &Path,
        items: indexmap::IndexMap<String, V>,
        label: Label,
        clash: fn(&str, &Path) -> String,
    ) -> Result<(), SpecError> {
        for (key, value) in items {
            if let Some(other) = self.from.get(&key) {
                let (at, what) = label(&key);
                return Err(SpecError::new(file, at, clash(&what, other)));
            }
            self.from.insert(key.clone(), file.to_path_buf());
            self.items.insert(key, value);
        }
        Ok(())
    }

    /// A table's items: one another table has is an error naming both.
    fn table(
        &mut self,
        table_file: &Path,
        items: indexmap::IndexMap<String, V>,
        label: Label,
    ) -> Result<(), SpecError> {
        self.add(table_file, items, label, |what, other| {
            format!("{what} is in {} too", other.display())
        })
    }

    /// Every item: the tables', then the family's `own`, none of which
    /// may restate a table's.
    fn own(
        mut self,
        file: &Path,
        own: indexmap::IndexMap<String, V>,
        label: Label,
    ) -> Result<indexmap::IndexMap<String, V>, SpecError> {
        self.add(file, own, label, |what, other| {
            format!(
                "{what} is in the shared table {}: a family does not restate it",
                other.display()
            )
        })?;
        Ok(self.items)
    }
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
