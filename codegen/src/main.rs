//! `ocrwire-codegen`: regenerate or check `generated/` from `spec/`.
//!
//! ```text
//! cargo run -p ocrwire-codegen -- check   # validate the specs and report drift
//! cargo run -p ocrwire-codegen -- bless   # rewrite generated/ from the specs
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let root = workspace_root();
    let spec_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("spec"));
    let generated_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("generated"));
    let files = match ocrwire_codegen::generate_dir(&spec_dir) {
        Ok(files) => files,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    match command.as_str() {
        "check" => {
            let drift = ocrwire_codegen::drift(&files, &generated_dir);
            if drift.is_empty() {
                println!("{} spec files valid; generated/ is up to date", files.len());
                ExitCode::SUCCESS
            } else {
                for d in drift {
                    eprintln!("{d}");
                }
                eprintln!("run `{}` to regenerate", ocrwire_codegen::BLESS_COMMAND);
                ExitCode::FAILURE
            }
        }
        "bless" => match ocrwire_codegen::write_all(&files, &generated_dir) {
            Ok(written) => {
                for d in ocrwire_codegen::drift(&files, &generated_dir) {
                    if let ocrwire_codegen::Drift::Orphan { name } = d {
                        eprintln!(
                            "note: generated/{name} has no spec; delete it if the family is gone"
                        );
                    }
                }
                println!("{} files generated, {} changed", files.len(), written.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {}: {e}", generated_dir.display());
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: ocrwire-codegen <check|bless> [SPEC_DIR] [GENERATED_DIR]");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: this crate lives in `<root>/codegen`.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
