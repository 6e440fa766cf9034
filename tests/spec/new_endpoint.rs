//! "A new endpoint is a spec edit": a copy of the crate whose General OCR
//! spec gains an endpoint (a multipart upload, with an example answer and
//! two codes of its own), and nothing else. Built with `--features regen`,
//! with no hand-written Rust for it:
//!
//! 1. the crate compiles with its async method and blocking twin, and its
//!    two codes in the family's `ErrorCode` (a probe that names them is part
//!    of the build), which `ocrwire endpoints` lists for it;
//! 2. the emulator answers it with the example's members, and refuses a
//!    wrong secret key with the scheme's code (4010001);
//! 3. the CLI runs it over a folder with `--output jsonl`.
//!
//! In the same copy (one build), Document OCR v2 gains a sealed JSON
//! endpoint, which a probe calls through its generated method against the
//! emulator: the envelope seals and opens both ways with no code written
//! for it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The endpoint, as a maintainer would add it from the vendor's docs.
const ENDPOINT: &str = r#"
  handwriting:
    summary: Recognize handwritten text in an image.
    method: POST
    path: /appkeys/{appKey}/handwriting
    path_params:
      appKey:
        value: app-key
        description: Project integrated app key or the service's app key.
    request:
      - multipart:
          image:
            type: file
            description: The image file.
    response:
      body: HandwritingResult
      examples: {note: nhn/handwriting.json}
    errors: ["4000801", "4000802"]
"#;

const TYPE: &str = r#"
  HandwritingResult:
    description: Handwritten text recognized in the image.
    fields:
      fileType:
        type: string
        description: Format the service detected.
      strokes:
        type: int
        description: How many strokes were read.
      lines:
        type: list<InferText>
        description: The lines read, in order.
"#;

const CODES: &str = r#"
  "4000801":
    name: NoHandwriting
    message: No handwriting found.
    meaning: The image holds no handwriting to read.
    retryable: false
  "4000802":
    name: HandwritingTooFaint
    message: Handwriting too faint.
    meaning: The strokes are too faint to read; a darker scan may do.
    retryable: false
"#;

const EXAMPLE: &str = r#"{
  "strokes": 42,
  "lines": [{"value": "hello", "conf": 0.98}, {"value": "world", "conf": 0.91}]
}"#;

/// And a sealed JSON endpoint in Document OCR v2: a field the envelope
/// seals on the way out, and one it seals on the way back.
const SEALED_ENDPOINT: &str = r#"
  card-lookup:
    summary: Find who holds a card, by its number.
    method: POST
    path: /appkeys/{appKey}/card-lookup
    path_params:
      appKey:
        value: app-key
        description: Project integrated app key or the service's app key.
    key_service: credit-card
    request:
      - json: CardQuery
    response:
      body: CardHolder
      examples: {note: nhn/card-holder.json}
    error_groups: [sealed-request]
"#;

const SEALED_TYPES: &str = r#"
  CardQuery:
    description: A card to look up.
    fields:
      cardNumber:
        type: string
        required: true
        encrypted: true
        sensitive: true
        format: {digits: 16}
        description: The card's number, sealed.
  CardHolder:
    description: Who holds the card.
    fields:
      holder:
        type: string
        encrypted: true
        sensitive: true
        description: The holder's name, sealed.
      known:
        type: bool
        description: Whether the number is known.
"#;

/// A probe that calls the sealed endpoint through the generated client,
/// against the emulator in the same process: the client checks the
/// number's form and seals it, the emulator opens it and checks its form
/// (the Base64 of ciphertext would be refused), and seals the holder the
/// client opens. A number out of form is refused before anything is sent.
/// It is added to the copy's library, and the copy's binary runs it when
/// `OCRWIRE_SPEC_EDIT_PROBE` is set: a program of its own would be one more
/// link of the whole crate (about 10 s of CI).
const SEALED_PROBE: &str = r#"
/// Calls the sealed endpoint the spec edit added (a test's probe).
pub fn probe_sealed() -> String {
    use wire::nhn_document_ocr_v2::{CardLookupRequest, CardQuery};
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let emulator = emulator::Emulator::start(Default::default()).await.unwrap();
        let client = emulator.document_client().build().unwrap();
        let mut body = CardQuery::default();
        body.card_number = "4929000011112222".into();
        let answer = client.card_lookup(&CardLookupRequest { body }).await.unwrap();
        let holder = answer.holder.as_ref().map(|h| h.expose().to_owned());
        let mut short = CardQuery::default();
        short.card_number = "49290000".into();
        let refused = client.card_lookup(&CardLookupRequest { body: short }).await.unwrap_err();
        format!("holder={} known={:?}\nrefused: {refused}\n", holder.unwrap_or_default(), answer.known)
    })
}
"#;

/// Runs `command`, which must succeed; its standard output.
fn succeeds(command: &mut Command) -> String {
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Inserts `text` right after the line `after` (a top-level key).
fn insert_after(spec: &str, after: &str, text: &str) -> String {
    let at = spec
        .find(after)
        .unwrap_or_else(|| panic!("the spec has `{after}`"))
        + after.len();
    format!(
        "{}{}{}",
        &spec[..at],
        text.trim_end_matches('\n'),
        &spec[at..]
    )
}

#[test]
fn a_new_endpoint_is_a_spec_edit() {
    let copy = super::generated_code::copy_of_the_crate();

    // The spec edit: the endpoint, its answer's type, its two codes and
    // its example answer.
    let spec_path = copy.path().join("spec/nhn-general-ocr-v1.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let spec = insert_after(&spec, "\nendpoints:", ENDPOINT);
    let spec = insert_after(&spec, "\ntypes:", TYPE);
    let spec = insert_after(&spec, "\nerrors:", CODES);
    std::fs::write(&spec_path, spec).unwrap();
    std::fs::write(
        copy.path().join("spec/examples/nhn/handwriting.json"),
        EXAMPLE,
    )
    .unwrap();

    // And a revision of a known endpoint in the same copy (one build for
    // both): the card confidence retyped to text.
    let v2_path = copy.path().join("spec/nhn-document-ocr-v2.yaml");
    let v2 = std::fs::read_to_string(&v2_path).unwrap();
    let v2 = super::generated_code::retype_card_confidence(v2);
    let v2 = insert_after(&v2, "\nendpoints:", SEALED_ENDPOINT);
    let v2 = insert_after(&v2, "\ntypes:", SEALED_TYPES);
    std::fs::write(&v2_path, v2).unwrap();
    std::fs::write(
        copy.path().join("spec/examples/nhn/card-holder.json"),
        r#"{"holder": "Hong Gildong", "known": true}"#,
    )
    .unwrap();

    // 1. The method and its blocking twin exist, with the spec's types; the
    //    retyped member is a String.
    let lib = copy.path().join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).unwrap();
    text.push_str(
        "\n/// Compiles only if the regenerated `conf` is a string.\n\
         pub fn probe_retyped(c: &wire::nhn_document_ocr_v2::CardNumber) -> Option<&String> { c.conf.as_ref() }\n",
    );
    text.push_str(
        "\n/// Compiles only if the new endpoint has its methods.\n\
         pub async fn probe(c: &nhn::GeneralClient, b: &blocking::GeneralClient, i: &Image) {\n\
             let _: Result<client::Answer<wire::nhn_general_ocr_v1::HandwritingResult>, Error> = c.handwriting(i).await;\n\
             let _: Result<client::Answer<wire::nhn_general_ocr_v1::HandwritingResult>, Error> = b.handwriting(i);\n\
         }\n\
         /// Compiles only if the family's codes have the endpoint's two.\n\
         pub fn probe_codes() -> [wire::nhn_general_ocr_v1::ErrorCode; 2] {\n\
             use wire::nhn_general_ocr_v1::ErrorCode::*;\n\
             [NoHandwriting, HandwritingTooFaint]\n\
         }\n",
    );
    text.push_str(SEALED_PROBE);
    std::fs::write(&lib, text).unwrap();
    // The copy's binary runs the probe when asked.
    let main = copy.path().join("src/bin/ocrwire/main.rs");
    let entry = "fn main() -> ExitCode {\n";
    let program = std::fs::read_to_string(&main).unwrap();
    assert!(program.contains(entry), "the binary's main has changed");
    let hook = "    if std::env::var_os(\"OCRWIRE_SPEC_EDIT_PROBE\").is_some() {\n        \
                print!(\"{}\", ocrwire::probe_sealed());\n        \
                return ExitCode::SUCCESS;\n    }\n";
    std::fs::write(&main, program.replacen(entry, &format!("{entry}{hook}"), 1)).unwrap();

    // The workspace's own target directory, so that only the copy itself
    // is compiled, and its dependencies are those the test run already
    // built:
    // - an example is built beside the binary: examples bring in the
    //   dev-dependencies' features, as the tests' build has them (tokio's
    //   `test-util`, for one). Without it, tokio and all that stands on it
    //   would be compiled again with the binary's features alone (about
    //   20 s). An empty one: the load example itself took 3 s more;
    // - the generator is not the copy's dev-dependency (only the
    //   workspace's own tests use it), so it is compiled once, for
    //   `build.rs`, and not a second time for tests that are never built.
    //
    // Nothing the copy builds may take the place of what the test run
    // built. Cargo names a workspace crate's files by its path relative to
    // the workspace root, so the copy's derive, the same crate at the same
    // path with the same features, overwrote the workspace's own, which the
    // doctests load after this test (seen: "can't find crate for
    // `ocrwire_derive`"). So the copy's derive and generator live in
    // folders of other names, and its binary and example have names of
    // their own.
    let manifest = copy.path().join("Cargo.toml");
    let mut edited = std::fs::read_to_string(&manifest).unwrap();
    for (from, to) in [
        (
            "[[bin]]\nname = \"ocrwire\"",
            "[[bin]]\nname = \"ocrwire-spec-edit\"",
        ),
        (
            "[[example]]\nname = \"load\"",
            "[[example]]\nname = \"spec-edit-empty\"\npath = \"examples/spec_edit_empty.rs\"",
        ),
        ("\nocrwire-codegen = { path = \"codegen\" }\n", "\n"),
        ("path = \"codegen\"", "path = \"spec-edit-codegen\""),
        ("path = \"derive\"", "path = \"spec-edit-derive\""),
        (
            "\"codegen\", \"derive\"",
            "\"spec-edit-codegen\", \"spec-edit-derive\"",
        ),
    ] {
        assert!(edited.contains(from), "Cargo.toml no longer has `{from}`");
        edited = edited.replacen(from, to, 1);
    }
    std::fs::write(&manifest, edited).unwrap();
    std::fs::write(
        copy.path().join("examples/spec_edit_empty.rs"),
        "fn main() {}\n",
    )
    .unwrap();
    for folder in ["codegen", "derive"] {
        std::fs::rename(
            copy.path().join(folder),
            copy.path().join(format!("spec-edit-{folder}")),
        )
        .unwrap();
    }
    let target: PathBuf = root().join("target");
    let out = super::generated_code::cargo()
        .args([
            "build",
            "--offline",
            "--features",
            "regen",
            "--bin",
            "ocrwire-spec-edit",
            "--example",
            "spec-edit-empty",
            "-p",
            "ocrwire",
        ])
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the edited crate did not build:\n{stderr}"
    );
    // The build regenerates from the edited specs and says the committed
    // code is stale.
    for stale in ["nhn_general_ocr_v1.rs", "nhn_document_ocr_v2.rs"] {
        assert!(
            stderr.contains(&format!("generated/{stale} is stale")),
            "build.rs should warn about drift in {stale}:\n{stderr}"
        );
    }
    let ocrwire = target.join("debug/ocrwire-spec-edit");

    // The sealed JSON endpoint, through its generated method, answered by
    // the emulator's generic steps with the envelope opened and sealed.
    let stdout = succeeds(Command::new(&ocrwire).env("OCRWIRE_SPEC_EDIT_PROBE", "1"));
    let lines: Vec<&str> = stdout.lines().collect();
    let (answered, refused) = (lines.first(), lines.get(1));
    assert_eq!(
        answered,
        Some(&"holder=Hong Gildong known=Some(true)"),
        "{stdout}"
    );
    assert!(
        refused.is_some_and(|r| r.starts_with("refused: ") && r.contains("16 digits")),
        "{stdout}"
    );
    assert!(
        !stdout.contains("49290000"),
        "a refusal never shows the value: {stdout}"
    );

    // The endpoint answers its two codes besides the family's common ones,
    // with the spec's names and messages.
    let listed: serde_json::Value =
        succeeds(Command::new(&ocrwire).args(["endpoints", "--output", "jsonl"]))
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|e| e["name"] == "handwriting")
            .expect("`ocrwire endpoints` lists the new endpoint");
    let codes = listed["errors"].as_array().unwrap();
    for (code, name) in [
        ("4000801", "NoHandwriting"),
        ("4000802", "HandwritingTooFaint"),
    ] {
        assert!(
            codes.iter().any(|c| c["code"] == code && c["name"] == name),
            "{listed}"
        );
    }
    let common = codes
        .iter()
        .filter(|c| c["code"] != "4000801" && c["code"] != "4000802");
    assert!(
        common.count() > 2,
        "and the family's common codes: {listed}"
    );

    // 3 (and 2): the CLI over a folder, against the emulator.
    let folder = copy.path().join("scans");
    std::fs::create_dir(&folder).unwrap();
    for name in ["a.png", "b.png"] {
        std::fs::copy(root().join("examples/text.png"), folder.join(name)).unwrap();
    }
    let stdout = succeeds(
        Command::new(&ocrwire)
            .args(["call", "nhn", "handwriting"])
            .arg(&folder)
            .args(["--mock", "--output", "jsonl"]),
    );
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for line in &lines {
        assert_eq!(line["ok"], true, "{line}");
        // The example's members, as the spec's type reads them.
        assert_eq!(line["result"]["strokes"], 42, "{line}");
        assert_eq!(line["result"]["lines"][1]["value"], "world", "{line}");
    }

    // 2: a wrong secret key gets the version's refusal, in the family's code.
    let mut serve = Command::new(&ocrwire)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let base_url = {
        use std::io::BufRead as _;
        let mut lines = std::io::BufReader::new(serve.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.split_once("NHN base URL:")
                    .map(|(_, url)| url.trim().to_owned())
            })
            .expect("the emulator prints its URL");
        // Read the rest as it comes, so the emulator never writes to a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        url
    };
    let out = Command::new(&ocrwire)
        .args(["call", "nhn", "handwriting"])
        .arg(folder.join("a.png"))
        .env("NHN_OCR_APP_KEY", "emulator-app-key")
        .env("NHN_OCR_SECRET_KEY", "not-the-secret")
        .env("NHN_OCR_BASE_URL", &base_url)
        .env_remove("NHN_USER_ACCESS_KEY_ID")
        .output()
        .unwrap();
    let _ = serve.kill();
    let _ = serve.wait();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("4010001"), "{stderr}");
}
