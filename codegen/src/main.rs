//! `ocrwire-codegen`: the generator's command-line front end.
//!
//! ```text
//! cargo run -p ocrwire-codegen -- check                    # validate the specs and report drift
//! cargo run -p ocrwire-codegen -- bless                    # rewrite generated/ from the specs
//! cargo run -p ocrwire-codegen -- audit --docs DIR ...     # where the vendor docs and the specs disagree
//! cargo run -p ocrwire-codegen -- diff OLD NEW             # the API changelog between two specs
//! ```
//!
//! Every command reads the repository's `spec/` unless given `--spec DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  ocrwire-codegen check [--spec DIR] [--generated DIR]
  ocrwire-codegen bless [--spec DIR] [--generated DIR]
  ocrwire-codegen audit --docs DIR [--docs DIR ...] [--spec DIR] [--format text|json] [--all]
  ocrwire-codegen diff OLD NEW [--format markdown|json]
      OLD and NEW are spec directories or git revisions (read from spec/ at that revision)";

/// The parsed command line.
struct Args {
    command: String,
    positional: Vec<String>,
    spec: Option<PathBuf>,
    generated: Option<PathBuf>,
    docs: Vec<PathBuf>,
    format: Option<String>,
    all: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut raw = std::env::args().skip(1);
    let command = raw.next().ok_or("no command")?;
    let mut args = Args {
        command,
        positional: Vec::new(),
        spec: None,
        generated: None,
        docs: Vec::new(),
        format: None,
        all: false,
    };
    while let Some(arg) = raw.next() {
        let mut value = |name: &str| raw.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--spec" => args.spec = Some(value("--spec")?.into()),
            "--generated" => args.generated = Some(value("--generated")?.into()),
            "--docs" => args.docs.push(value("--docs")?.into()),
            "--format" => args.format = Some(value("--format")?),
            "--all" => args.all = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => args.positional.push(arg),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("error: {problem}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = workspace_root();
    // `check SPEC_DIR GENERATED_DIR`, as before the options existed.
    let mut positional = args.positional.iter().map(PathBuf::from);
    let spec_dir = args.spec.clone().unwrap_or_else(|| root.join("spec"));
    match args.command.as_str() {
        "check" | "bless" => {
            let spec_dir = positional.next().unwrap_or(spec_dir);
            let generated = args
                .generated
                .clone()
                .or_else(|| positional.next())
                .unwrap_or_else(|| root.join("generated"));
            generate(&args.command, &spec_dir, &generated)
        }
        "audit" => audit(&args, &spec_dir),
        "diff" => diff(&args, &root),
        other => {
            eprintln!("error: unknown command `{other}`\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn generate(
    command: &str,
    spec_dir: &std::path::Path,
    generated_dir: &std::path::Path,
) -> ExitCode {
    let files = match ocrwire_codegen::generate_dir(spec_dir) {
        Ok(files) => files,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    if command == "check" {
        let drift = ocrwire_codegen::drift(&files, generated_dir);
        if drift.is_empty() {
            println!("{} spec files valid; generated/ is up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for d in drift {
            eprintln!("{d}");
        }
        eprintln!("run `{}` to regenerate", ocrwire_codegen::BLESS_COMMAND);
        return ExitCode::FAILURE;
    }
    match ocrwire_codegen::write_all(&files, generated_dir) {
        Ok(written) => {
            for d in ocrwire_codegen::drift(&files, generated_dir) {
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
    }
}

/// Exit 0: nothing open; 1: open findings; 2: could not run.
fn audit(args: &Args, spec_dir: &std::path::Path) -> ExitCode {
    if args.docs.is_empty() {
        eprintln!("error: audit needs at least one --docs DIR\n{USAGE}");
        return ExitCode::from(2);
    }
    let families = match ocrwire_codegen::load_dir(spec_dir) {
        Ok(families) => families,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::from(2);
        }
    };
    // Findings name spec files as the reader passed them.
    let shown = args.spec.clone().unwrap_or_else(|| PathBuf::from("spec"));
    let report = match ocrwire_codegen::audit::audit(&families, &shown, &args.docs) {
        Ok(report) => report,
        Err(problem) => {
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    match args.format.as_deref().unwrap_or("text") {
        "text" => print!("{}", report.text(args.all)),
        "json" => println!("{}", report.json()),
        other => {
            eprintln!("error: unknown format `{other}` (text or json)");
            return ExitCode::from(2);
        }
    }
    if report.open().next().is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn diff(args: &Args, root: &std::path::Path) -> ExitCode {
    let [old, new] = args.positional.as_slice() else {
        eprintln!("error: diff needs OLD and NEW\n{USAGE}");
        return ExitCode::from(2);
    };
    let load = |side: &str| ocrwire_codegen::diff::load_side(root, side);
    let (old_families, new_families) = match (load(old), load(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let changes = ocrwire_codegen::diff::diff(&old_families, &new_families);
    match args.format.as_deref().unwrap_or("markdown") {
        "markdown" => print!("{}", ocrwire_codegen::diff::markdown(&changes, old, new)),
        "json" => println!("{}", ocrwire_codegen::diff::json(&changes)),
        other => {
            eprintln!("error: unknown format `{other}` (markdown or json)");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The workspace root: this crate lives in `<root>/codegen`.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
