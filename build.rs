//! Build script: with the `regen` feature, regenerate the wire types from
//! `spec/` into `OUT_DIR` (the crate then compiles those instead of the
//! committed `generated/`). Without it, it does nothing, so downstream builds
//! never run the YAML parser, the generator or prettyplease.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "regen")]
    regen();
}

#[cfg(feature = "regen")]
fn regen() {
    use std::path::PathBuf;
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let spec_dir = root.join("spec");
    println!("cargo::rerun-if-changed={}", spec_dir.display());
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("generated");
    let files = match ocrwire_codegen::generate_dir(&spec_dir) {
        Ok(files) => files,
        Err(errors) => {
            for line in errors.to_string().lines() {
                println!("cargo::error={line}");
            }
            std::process::exit(1);
        }
    };
    if let Err(e) = ocrwire_codegen::write_all(&files, &out) {
        println!("cargo::error=cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
    for drift in ocrwire_codegen::drift(&files, &root.join("generated")) {
        println!(
            "cargo::warning={drift} (run `{}`)",
            ocrwire_codegen::BLESS_COMMAND
        );
    }
}
