//! Interop of the envelope's cryptography with the `openssl` command-line tool.
//!
//! OpenSSL stands in for the vendor's (Java) side: if OpenSSL can open what we
//! seal and we can open what it seals, the wire formats agree. The tests need
//! the `openssl` binary (OpenSSL 3) and fail, rather than skip, without it.
//! They use only temporary files and child processes; no network.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ocrwire::envelope::{PrivateKey, PublicKey, SymmetricKey};

const MISSING: &str = "the `openssl` command-line tool is required by tests/envelope/openssl.rs \
                       but was not found on PATH; install it (Debian/Ubuntu: `apt-get install -y openssl`)";

/// Runs `openssl ARGS`, feeding `stdin`, and returns stdout; fails the test
/// with stderr if it exits non-zero, and with install advice if it is absent.
fn openssl(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = match Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!("{MISSING}"),
        Err(e) => panic!("cannot run openssl: {e}"),
    };
    // A separate thread writes stdin so a large output cannot deadlock us.
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let output = child
        .wait_with_output()
        .expect("openssl runs to completion");
    writer
        .join()
        .expect("stdin writer thread")
        .expect("write to openssl stdin");
    assert!(
        output.status.success(),
        "openssl {args:?} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Payloads the envelope must handle: several blocks with a partial last
/// block, exactly two blocks, and nothing at all.
fn payloads() -> Vec<(&'static str, Vec<u8>)> {
    let multi_block: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
    vec![
        ("multi-block", multi_block),
        (
            "block-aligned",
            b"0123456789abcdef0123456789ABCDEF".to_vec(),
        ),
        ("empty", Vec::new()),
    ]
}

/// `openssl enc -aes-256-cbc` with the envelope's key and IV rule, no salt.
fn openssl_aes(decrypt: bool, key: &SymmetricKey, input: &[u8]) -> Vec<u8> {
    let key_hex = hex(key.expose_bytes());
    let iv_hex = hex(&key.iv());
    let mut args = vec!["enc"];
    if decrypt {
        args.push("-d");
    }
    args.extend(["-aes-256-cbc", "-K", &key_hex, "-iv", &iv_hex]);
    openssl(&args, input)
}

/// Generates a 2048-bit RSA key with OpenSSL in `dir`; returns the paths of
/// the PKCS#8 private key PEM and of the public key as DER SPKI.
fn openssl_rsa_key(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let private_pem = dir.join("priv.pem");
    let public_der = dir.join("pub.der");
    openssl(
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            path_str(&private_pem),
        ],
        b"",
    );
    openssl(
        &[
            "pkey",
            "-in",
            path_str(&private_pem),
            "-pubout",
            "-outform",
            "DER",
            "-out",
            path_str(&public_der),
        ],
        b"",
    );
    (private_pem, public_der)
}

/// (a) A `Symmetric-Key` header made by `PublicKey::seal_key` from an
/// OpenSSL-generated public key decrypts with `openssl pkeyutl` to the key.
#[test]
fn seal_key_decrypts_with_openssl_pkeyutl() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (private_pem, public_der) = openssl_rsa_key(dir.path());
    let spki_b64 = BASE64.encode(std::fs::read(&public_der).expect("read pub.der"));
    let public = PublicKey::from_base64_der(&spki_b64, "3").expect("OpenSSL's SPKI parses");
    assert_eq!(public.version(), "3");
    assert_eq!(public.bits(), 2048);

    let key = SymmetricKey::generate().expect("OS RNG");
    let header = public.seal_key(&key).expect("wrap");
    let wrapped = dir.path().join("symmetric-key.bin");
    std::fs::write(&wrapped, BASE64.decode(&header).expect("header is Base64")).expect("write");
    let unwrapped = openssl(
        &[
            "pkeyutl",
            "-decrypt",
            "-inkey",
            path_str(&private_pem),
            "-pkeyopt",
            "rsa_padding_mode:pkcs1",
            "-in",
            path_str(&wrapped),
        ],
        b"",
    );
    assert_eq!(hex(&unwrapped), hex(key.expose_bytes()));
}

/// (b) `seal_bytes` / `seal_field` output decrypts with `openssl enc -d`
/// given the key and IV = key bytes 0..16.
#[test]
fn seal_bytes_decrypts_with_openssl_enc() {
    let key = SymmetricKey::generate().expect("OS RNG");
    for (name, payload) in payloads() {
        let sealed = key.seal_bytes(&payload);
        assert_eq!(sealed.len() % 16, 0, "{name}");
        assert!(sealed.len() > payload.len(), "{name}: padding always added");
        let opened = openssl_aes(true, &key, &sealed);
        assert_eq!(hex(&opened), hex(&payload), "{name}");
    }
    let text = "카드번호 4111 1111 1111 1111";
    let field = key.seal_field(text);
    let opened = openssl_aes(true, &key, &BASE64.decode(&field).expect("field is Base64"));
    assert_eq!(String::from_utf8(opened).expect("UTF-8"), text);
}

/// (c, AES) `openssl enc` output opens with `open_bytes` / `open_field`, and
/// is byte-identical to what `seal_bytes` produces (CBC with a fixed IV is
/// deterministic).
#[test]
fn openssl_enc_output_opens_with_open_bytes() {
    let key = SymmetricKey::generate().expect("OS RNG");
    for (name, payload) in payloads() {
        let sealed_by_openssl = openssl_aes(false, &key, &payload);
        assert_eq!(
            hex(&sealed_by_openssl),
            hex(&key.seal_bytes(&payload)),
            "{name}"
        );
        let opened = key.open_bytes(&sealed_by_openssl).expect("opens");
        assert_eq!(hex(&opened), hex(&payload), "{name}");
    }
    let text = "{\"name\":\"홍길동\"}";
    let field = BASE64.encode(openssl_aes(false, &key, text.as_bytes()));
    assert_eq!(key.open_field(&field).expect("opens").as_str(), text);
}

/// (c, RSA) A 32-byte key encrypted by `openssl pkeyutl -encrypt` (PKCS#1
/// v1.5) opens with `PrivateKey::open_key` after loading OpenSSL's PKCS#8
/// PEM; our SPKI encoding of that key matches OpenSSL's byte for byte.
#[test]
fn openssl_pkeyutl_encrypt_opens_with_private_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (private_pem, public_der) = openssl_rsa_key(dir.path());
    let pem = std::fs::read_to_string(&private_pem).expect("read priv.pem");
    let server = PrivateKey::from_pkcs8_pem(&pem).expect("OpenSSL's PKCS#8 PEM loads");
    assert_eq!(
        server.public_key_base64_der(),
        BASE64.encode(std::fs::read(&public_der).expect("read pub.der"))
    );

    let key_bytes: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5a);
    let key_file = dir.path().join("key.bin");
    std::fs::write(&key_file, key_bytes).expect("write key");
    let wrapped = openssl(
        &[
            "pkeyutl",
            "-encrypt",
            "-inkey",
            path_str(&private_pem),
            "-pkeyopt",
            "rsa_padding_mode:pkcs1",
            "-in",
            path_str(&key_file),
        ],
        b"",
    );
    let opened = server.open_key(&BASE64.encode(&wrapped)).expect("unwraps");
    assert_eq!(opened.expose_bytes(), &key_bytes);
}

/// The emulator's side the other way round: a key pair generated by
/// `PrivateKey::generate` is usable by OpenSSL (its PEM loads, its SPKI
/// matches, and OpenSSL-wrapped keys open with it).
#[test]
fn generated_private_key_interoperates_with_openssl() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = PrivateKey::generate(2048).expect("keygen");
    let private_pem = dir.path().join("ours.pem");
    std::fs::write(&private_pem, server.to_pkcs8_pem().as_bytes()).expect("write pem");
    let public_der = openssl(
        &[
            "pkey",
            "-in",
            path_str(&private_pem),
            "-pubout",
            "-outform",
            "DER",
        ],
        b"",
    );
    assert_eq!(server.public_key_base64_der(), BASE64.encode(&public_der));

    let key = SymmetricKey::generate().expect("OS RNG");
    let key_file = dir.path().join("key.bin");
    std::fs::write(&key_file, key.expose_bytes()).expect("write key");
    let wrapped = openssl(
        &[
            "pkeyutl",
            "-encrypt",
            "-inkey",
            path_str(&private_pem),
            "-pkeyopt",
            "rsa_padding_mode:pkcs1",
            "-in",
            path_str(&key_file),
        ],
        b"",
    );
    let opened = server.open_key(&BASE64.encode(&wrapped)).expect("unwraps");
    assert_eq!(opened.expose_bytes(), key.expose_bytes());
}
