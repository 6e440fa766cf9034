//! The real `ocrwire` binary refuses bad input before any network call:
//! each case exits non-zero with one clear `error: ...` line on stderr,
//! never a panic, and the service it is pointed at never sees a connection.
//!
//! "Never sees a connection" is checked at the TCP level: the service is a
//! listener nobody accepts from, so any connection attempt, even one closed
//! at once, would still be waiting in its queue at the end.

#![cfg(feature = "cli")]

use crate::support::png_of_len;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

struct Case {
    args: Vec<String>,
    /// Text the one error line must contain.
    expect: Vec<String>,
}

fn case<S: AsRef<str>>(args: &[S], expect: &[&str]) -> Case {
    Case {
        args: args.iter().map(|a| a.as_ref().to_string()).collect(),
        expect: expect.iter().map(ToString::to_string).collect(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    std::fs::write(dir.join(name), bytes).expect("write");
    name.to_string()
}

fn three_page_pdf() -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>\nendobj\n"
        .to_vec();
    for id in 3..6 {
        pdf.extend_from_slice(
            format!("{id} 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n").as_bytes(),
        );
    }
    pdf.extend_from_slice(b"%%EOF\n");
    pdf
}

#[test]
fn bad_input_is_one_error_line_a_failure_exit_and_no_connection() {
    let service = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", service.local_addr().expect("addr"));
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("a-directory.png")).expect("dir");
    let empty = write(d, "empty.png", b"");
    let text = write(d, "notes.png", b"these are notes, not a picture");
    let gif = write(
        d,
        "anim.gif",
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/not-an-image.gif"
        ))
        .expect("gif"),
    );
    // One byte over the spec's limit (the same for every NHN endpoint).
    let limit = ocrwire::wire::nhn_document_ocr_v2::CREDIT_CARD
        .limits
        .max_file_bytes
        .expect("the spec gives NHN a size limit");
    let big = write(d, "big.png", &png_of_len(limit as usize + 1));
    let too_big = format!("{} bytes", limit + 1);
    let at_most = format!("at most {limit}");
    let pdf = write(d, "contract.pdf", &three_page_pdf());

    let mut cases = Vec::new();
    // Every command that reads a file: missing, unreadable, empty, not an image.
    let file_commands: &[&[&str]] = &[
        &["nhn", "credit-card"],
        &["nhn", "id-card"],
        &["nhn", "id-card", "--stand-alone"],
        &["nhn", "general"],
        &["nhn", "general", "--cropping"],
        &["clova", "receipt"],
        &["clova", "id-card"],
    ];
    for command in file_commands {
        let with = |file: &str| -> Vec<String> {
            let mut args: Vec<String> = command.iter().map(ToString::to_string).collect();
            args.insert(2, file.to_string());
            args
        };
        cases.push(case(
            &with("missing.png"),
            &["cannot read image", "missing.png"],
        ));
        cases.push(case(
            &with("a-directory.png"),
            &["a-directory.png", "holds no file this command takes"],
        ));
        cases.push(case(&with(&empty), &["image", "empty.png", "is empty"]));
        // A device never ends; it is refused before it is read.
        cases.push(case(
            &with("/dev/zero"),
            &["/dev/zero", "is a device, not a regular file"],
        ));
        cases.push(case(&with(&text), &["notes.png", "not an image format"]));
    }
    // Over the endpoint's size limit, or a type it does not take (by content).
    for command in [
        &["nhn", "credit-card"][..],
        &["nhn", "id-card"],
        &["nhn", "general"],
    ] {
        let mut args = command.to_vec();
        args.push(&big);
        cases.push(case(&args, &["big.png", &too_big, &at_most]));
        let mut args = command.to_vec();
        args.push(&gif);
        cases.push(case(&args, &["anim.gif", "is gif", "accepts only"]));
    }
    cases.push(case(
        &["clova", "credit-card", &gif],
        &["anim.gif", "is gif"],
    ));
    cases.push(case(
        &["clova", "receipt", &pdf],
        &["contract.pdf", "has 3 pages", "single-page"],
    ));
    // Malformed image URLs for General OCR.
    for (url, why) in [
        ("http://exa mple.com/a.png", "imageUrl"),
        ("https://", "imageUrl"),
        ("https://example.com:8080/a.png", "port 8080"),
    ] {
        cases.push(case(&["nhn", "general", url], &[why]));
        cases.push(case(&["nhn", "general", url, "--cropping"], &[why]));
    }

    for case in &cases {
        let out = Command::new(env!("CARGO_BIN_EXE_ocrwire"))
            .args(&case.args)
            .current_dir(d)
            .env_clear()
            .env("NHN_OCR_APP_KEY", "app-key")
            .env("NHN_OCR_SECRET_KEY", "secret-key")
            .env("NHN_OCR_BASE_URL", &base)
            .env(
                "CLOVA_OCR_INVOKE_URL",
                format!("{base}/custom/v1/1000/invoke"),
            )
            .env("CLOVA_OCR_SECRET", "clova-secret")
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{:?}: {stderr}", case.args);
        assert!(out.stdout.is_empty(), "{:?} printed a result", case.args);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{:?}: one line, got {stderr:?}", case.args);
        assert!(lines[0].starts_with("error: "), "{:?}: {stderr}", case.args);
        for expected in &case.expect {
            assert!(
                lines[0].contains(expected.as_str()),
                "{:?}: `{expected}` missing from {stderr:?}",
                case.args
            );
        }
        assert!(!stderr.contains("panicked"), "{:?}", case.args);
    }
    assert!(cases.len() > 40);
    service.set_nonblocking(true).expect("nonblocking");
    assert!(
        matches!(service.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a connection reached the service"
    );
}
