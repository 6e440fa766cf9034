//! `ocrwire-codegen`: the API specs in `spec/` -> Rust wire types.
//!
//! One library, three front ends: `build.rs` (feature `regen` of `ocrwire`),
//! the drift test in `ocrwire/tests/`, and the `ocrwire-codegen` command that
//! writes `generated/`. Each run goes the same way:
//!
//! ```text
//! spec/*.yaml --parse--> spec::SpecFile --validate--> model::Family --emit--> generated/<family>.rs
//!                                              all families --link check--> generated/registry.rs
//! ```
//!
//! Parsing rejects unknown and duplicate keys; validation resolves names and
//! checks the rules a reader of the generated code relies on, then checks
//! what families say about each other (a token's issuer); emission is
//! deterministic (spec order throughout) and formatted with prettyplease.

pub mod audit;
pub mod diff;
pub mod emit;
pub mod error;
pub mod model;
pub mod names;
pub mod parse;
pub mod spec;
pub mod validate;

pub use error::{SpecError, SpecErrors};

use std::path::{Path, PathBuf};

/// One generated source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// File name inside `generated/` (`nhn_document_ocr_v2.rs`).
    pub name: String,
    pub contents: String,
}

/// Parses and validates one spec file.
pub fn load(file: &Path) -> Result<model::Family, SpecErrors> {
    let spec = parse::parse_file(file)?;
    validate::validate(file, spec)
}

/// Parses and validates spec text as if read from `file` (for tests).
pub fn load_str(file: &Path, text: &str) -> Result<model::Family, SpecErrors> {
    let spec = parse::parse_str(file, text)?;
    validate::validate(file, spec)
}

/// Generates the source for one family.
pub fn generate(family: &model::Family) -> GeneratedFile {
    GeneratedFile {
        name: format!("{}.rs", family.module),
        contents: emit::emit(family),
    }
}

/// Loads and validates every spec in `spec_dir`, and the references
/// between them, reporting the problems of all files at once.
pub fn load_dir(spec_dir: &Path) -> Result<Vec<model::Family>, SpecErrors> {
    let mut families = Vec::new();
    let mut errors = Vec::new();
    for file in parse::spec_files(spec_dir)? {
        match load(&file) {
            Ok(family) => families.push(family),
            Err(SpecErrors(mut e)) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    validate::check_links(&families)?;
    Ok(families)
}

/// Every generated file for `spec_dir`: one per family, the registry, the
/// async clients of each vendor module, and the blocking clients.
pub fn generate_dir(spec_dir: &Path) -> Result<Vec<GeneratedFile>, SpecErrors> {
    let families = load_dir(spec_dir)?;
    check_examples(spec_dir, &families)?;
    let mut out: Vec<GeneratedFile> = families.iter().map(generate).collect();
    for (name, family, same_kind) in emit::shared_error_tables(&families) {
        if !same_kind {
            return Err(SpecErrors(vec![SpecError::new(
                spec_dir.join("errors").join(format!("{name}.yaml")),
                String::new(),
                "the families that take this table read their codes differently (integers and text)",
            )]));
        }
        out.push(GeneratedFile {
            name: format!("{}.rs", emit::errors::shared_module(name)),
            contents: emit::emit_shared_errors(name, family),
        });
    }
    out.push(GeneratedFile {
        name: emit::registry::FILE_NAME.to_string(),
        contents: emit::registry::emit(&families),
    });
    out.push(GeneratedFile {
        name: emit::examples::FILE_NAME.to_string(),
        contents: emit::examples::emit(&families),
    });
    out.extend(
        emit::clients::emit(&families)
            .into_iter()
            .map(|(name, contents)| GeneratedFile { name, contents }),
    );
    Ok(out)
}

/// Every example a spec names is a file under `spec_dir/examples/` holding
/// one JSON value (the generated registry includes it as text).
fn check_examples(spec_dir: &Path, families: &[model::Family]) -> Result<(), SpecErrors> {
    let mut errors = Vec::new();
    for f in families {
        for e in &f.endpoints {
            for (variant, file) in &e.response.examples {
                let path = spec_dir.join("examples").join(file);
                let problem = match std::fs::read_to_string(&path) {
                    Err(err) => Some(format!("cannot read spec/examples/{file}: {err}")),
                    Ok(text) => serde_json::from_str::<serde_json::Value>(&text)
                        .err()
                        .map(|err| format!("spec/examples/{file} is not JSON: {err}")),
                };
                if let Some(problem) = problem {
                    errors.push(error::SpecError::new(
                        &f.spec_path,
                        format!("endpoints.{}.response.examples.{variant}", e.name),
                        problem,
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(SpecErrors(errors))
    }
}

/// Writes generated files into `out_dir`, touching only files whose contents
/// changed (so builds that watch them do not rerun needlessly).
pub fn write_all(files: &[GeneratedFile], out_dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out_dir)?;
    let mut written = Vec::new();
    for f in files {
        let path = out_dir.join(&f.name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(f.contents.as_str()) {
            std::fs::write(&path, &f.contents)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// A difference between what the specs generate and what is committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The committed file differs; `first_difference` is a 1-based line.
    Changed {
        name: String,
        first_difference: usize,
        expected: String,
        committed: String,
    },
    /// A spec has no committed file.
    Missing { name: String },
    /// A committed file has no spec.
    Orphan { name: String },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Changed {
                name,
                first_difference,
                expected,
                committed,
            } => write!(
                f,
                "generated/{name} is stale: first difference at line {first_difference}\n  spec says:      {expected}\n  committed says: {committed}"
            ),
            Drift::Missing { name } => write!(f, "generated/{name} is missing"),
            Drift::Orphan { name } => write!(f, "generated/{name} has no spec file"),
        }
    }
}

/// Compares freshly generated files with those committed in `generated_dir`.
pub fn drift(files: &[GeneratedFile], generated_dir: &Path) -> Vec<Drift> {
    let mut out = Vec::new();
    for f in files {
        match std::fs::read_to_string(generated_dir.join(&f.name)) {
            Err(_) => out.push(Drift::Missing {
                name: f.name.clone(),
            }),
            Ok(committed) if committed != f.contents => {
                let mut exp = f.contents.lines();
                let mut com = committed.lines();
                let mut line = 1;
                loop {
                    match (exp.next(), com.next()) {
                        (Some(a), Some(b)) if a == b => line += 1,
                        (a, b) => {
                            out.push(Drift::Changed {
                                name: f.name.clone(),
                                first_difference: line,
                                expected: a.unwrap_or("<end of file>").to_string(),
                                committed: b.unwrap_or("<end of file>").to_string(),
                            });
                            break;
                        }
                    }
                }
            }
            Ok(_) => {}
        }
    }
    if let Ok(entries) = std::fs::read_dir(generated_dir) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        names.sort();
        for n in names {
            if !files.iter().any(|f| f.name == n) {
                out.push(Drift::Orphan { name: n });
            }
        }
    }
    out
}

/// The command that rewrites `generated/` from `spec/`.
pub const BLESS_COMMAND: &str = "cargo run -p ocrwire-codegen -- bless";
