//! `ocrwire-codegen`: the generator's command-line front end.
//!
//! ```text
//! cargo run -p ocrwire-codegen -- check                    # validate the specs and report drift
//! cargo run -p ocrwire-codegen -- bless                    # rewrite generated/ from the specs
//! cargo run -p ocrwire-codegen -- audit --docs DIR ...     # where the vendor docs and the specs disagree
//! cargo run -p ocrwire-codegen -- lock --docs DIR ...      # record the vendor pages as reconciled
//! cargo run -p ocrwire-codegen -- diff OLD NEW             # the API changelog between two specs
//! ```
//!
//! Every command reads the repository's `spec/` unless given `--spec DIR`.
//! Exit status: 0 clean (or done), 1 findings or drift, 2 a usage error or
//! input that cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

/// Standard output that a reader may close (`| head`): the rest is dropped
/// quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

const USAGE: &str = "\
usage:
  ocrwire-codegen check [--spec DIR] [--generated DIR]
  ocrwire-codegen bless [--spec DIR] [--generated DIR]
  ocrwire-codegen audit --docs DIR [--docs DIR ...] [--spec DIR] [--format text|json] [--all]
  ocrwire-codegen lock --docs DIR [--docs DIR ...] [--spec DIR]
  ocrwire-codegen diff OLD NEW [--format markdown|json]
  ocrwire-codegen help [COMMAND]

exit status: 0 clean, 1 findings (audit) or stale generated code (check), 2 usage";

/// `help <command>`: what each command does.
const HELP: &[(&str, &str)] = &[
    (
        "check",
        "Validates every spec in spec/ (or --spec DIR) and compares what it generates with\n\
         generated/ (or --generated DIR). Exit 1 when they differ, with the first\n\
         difference per file and the command that regenerates.",
    ),
    (
        "bless",
        "Validates the specs and rewrites generated/ from them (only files whose contents\n\
         change are written).",
    ),
    (
        "audit",
        "Compares the vendor pages under every --docs DIR with the specs:\n\
         - every page is claimed by a family's `audit.docs` or declared out of scope in\n\
           spec/audit/pages.yaml (else page-unclaimed);\n\
         - the tables of each claimed page (endpoints, headers, path variables, fields,\n\
           encryption, error codes, messages, hosts) against its family's spec;\n\
         - the overview's limits (formats, largest file, resolution, aspect ratios)\n\
           against the spec's (`audit.overview`);\n\
         - release-note entries dated after the family's `audit.reconciled`;\n\
         - every page's normalised text against the lock, spec/audit/pages.lock\n\
           (page-changed shows the changed lines).\n\
         A finding a spec acknowledges (`audit.acknowledged`) is not open. --format json\n\
         carries every finding; --all lists acknowledged ones in text too.\n\
         Exit 0 when nothing is open, 1 when something is, 2 for a usage error.",
    ),
    (
        "lock",
        "Records every claimed or out-of-scope page under the --docs directories in\n\
         spec/audit/pages.lock, as they are now: run it after the specs were reconciled\n\
         with a change the audit reported.",
    ),
    (
        "diff",
        "The API changelog between two spec directories or git revisions, breaking\n\
         changes first (--format markdown or json).",
    ),
];

/// The parsed command line.
struct Args {
    command: String,
    positional: Vec<String>,
    spec: Option<PathBuf>,
    generated: Option<PathBuf>,
    docs: Vec<PathBuf>,
    format: Option<String>,
    all: bool,
    /// `-h` or `--help` after the command.
    help: bool,
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
        help: false,
    };
    while let Some(arg) = raw.next() {
        let mut value = |name: &str| raw.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--spec" => args.spec = Some(value("--spec")?.into()),
            "--generated" => args.generated = Some(value("--generated")?.into()),
            "--docs" => args.docs.push(value("--docs")?.into()),
            "--format" => args.format = Some(value("--format")?),
            "--all" => args.all = true,
            "-h" | "--help" => args.help = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => args.positional.push(arg),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let first = std::env::args().nth(1);
    if matches!(first.as_deref(), Some("-h" | "--help" | "help")) {
        return help(std::env::args().nth(2).as_deref());
    }
    let args = match parse_args() {
        Ok(args) if args.help => return help(Some(&args.command)),
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
        "lock" => lock(&args, &spec_dir),
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
            outln!("{} spec files valid; generated/ is up to date", files.len());
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
            outln!("{} files generated, {} changed", files.len(), written.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", generated_dir.display());
            ExitCode::FAILURE
        }
    }
}

/// `help` or `--help`: the usage, or one command's help. Exit 0, or 2 for
/// a command that does not exist.
fn help(command: Option<&str>) -> ExitCode {
    match command {
        None => {
            outln!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(name) => match HELP.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => {
                outln!("{USAGE}\n\n{name}:\n{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: unknown command `{name}`\n{USAGE}");
                ExitCode::from(2)
            }
        },
    }
}

/// The families and the doc set (`spec/audit/`), or exit 2.
fn load(
    args: &Args,
    spec_dir: &std::path::Path,
    command: &str,
) -> Result<
    (
        Vec<ocrwire_codegen::model::Family>,
        ocrwire_codegen::audit::scope::DocSet,
    ),
    ExitCode,
> {
    if args.docs.is_empty() {
        eprintln!("error: {command} needs at least one --docs DIR\n{USAGE}");
        return Err(ExitCode::from(2));
    }
    let families = ocrwire_codegen::load_dir(spec_dir).map_err(|errors| {
        eprintln!("{errors}");
        ExitCode::from(2)
    })?;
    // Findings name spec files as the reader passed them.
    let shown = args.spec.clone().unwrap_or_else(|| PathBuf::from("spec"));
    let set = ocrwire_codegen::audit::scope::DocSet::load(spec_dir, &shown).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    Ok((families, set))
}

/// Writes `spec/audit/pages.lock` from the pages as they are now.
fn lock(args: &Args, spec_dir: &std::path::Path) -> ExitCode {
    let (families, set) = match load(args, spec_dir, "lock") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let lock = match ocrwire_codegen::audit::lock_pages(&families, &set, &args.docs) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let path = spec_dir.join(ocrwire_codegen::audit::lock::FILE);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&path, lock.render()) {
        Ok(()) => {
            outln!("{} pages recorded in {}", lock.pages.len(), path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

/// Exit 0: nothing open; 1: open findings; 2: could not run.
fn audit(args: &Args, spec_dir: &std::path::Path) -> ExitCode {
    let (families, set) = match load(args, spec_dir, "audit") {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let shown = args.spec.clone().unwrap_or_else(|| PathBuf::from("spec"));
    let report = match ocrwire_codegen::audit::audit(&families, &set, &shown, &args.docs) {
        Ok(report) => report,
        Err(problem) => {
            eprintln!("error: {problem}");
            return ExitCode::from(2);
        }
    };
    match args.format.as_deref().unwrap_or("text") {
        "text" => out!("{}", report.text(args.all)),
        "json" => outln!("{}", report.json()),
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
        "markdown" => out!("{}", ocrwire_codegen::diff::markdown(&changes, old, new)),
        "json" => outln!("{}", ocrwire_codegen::diff::json(&changes)),
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
