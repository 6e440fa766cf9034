//! The envelope's cost per request: AES-256-CBC over the image and the
//! fields, RSA-2048 PKCS#1 v1.5 over the key.
//!
//! `benches/compare_openssl.sh` measures the same operations with the
//! `openssl` tool for comparison; results are in `BENCHMARKS.md`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use ocrwire::envelope::{PrivateKey, SymmetricKey};
use std::hint::black_box;

/// Image sizes: a phone snapshot, the docs' 5 MB limit, the later 20 MB limit.
const SIZES: &[(&str, usize)] = &[("64KiB", 64 << 10), ("1MiB", 1 << 20), ("5MiB", 5 << 20)];

fn aes(c: &mut Criterion) {
    let key = SymmetricKey::from_bytes(*b"0123456789abcdef0123456789abcdef");
    let mut group = c.benchmark_group("aes-256-cbc");
    for &(label, size) in SIZES {
        let plaintext = vec![0x5a_u8; size];
        let ciphertext = key.seal_bytes(&plaintext);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("seal_bytes", label), &plaintext, |b, p| {
            b.iter(|| key.seal_bytes(black_box(p)))
        });
        // The upload path: the same ciphertext a 64 KiB chunk at a time,
        // never held whole.
        let shared = bytes::Bytes::from(plaintext.clone());
        group.bench_with_input(BenchmarkId::new("seal_stream", label), &shared, |b, p| {
            b.iter(|| {
                let mut stream = key.seal_stream(black_box(p.clone()));
                let mut sent = 0;
                while let Some(chunk) = stream.next_chunk() {
                    sent += chunk.len();
                }
                sent
            })
        });
        group.bench_with_input(
            BenchmarkId::new("open_bytes", label),
            &ciphertext,
            |b, ct| b.iter(|| key.open_bytes(black_box(ct)).map(|p| p.len())),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("fields");
    let sealed = key.seal_field("5307123456749012");
    group.bench_function("seal_field/card-number", |b| {
        b.iter(|| key.seal_field(black_box("5307123456749012")))
    });
    group.bench_function("open_field/card-number", |b| {
        b.iter(|| key.open_field(black_box(&sealed)).map(|p| p.len()))
    });
    group.finish();
}

fn rsa(c: &mut Criterion) {
    let private = PrivateKey::generate(2048).expect("RSA-2048 key generation");
    let public = private.public_key("1");
    let key = SymmetricKey::generate().expect("OS randomness");
    let header = public.seal_key(&key).expect("seal");
    let mut group = c.benchmark_group("rsa-2048-pkcs1v15");
    group.bench_function("seal_key (client, per request)", |b| {
        b.iter(|| public.seal_key(black_box(&key)))
    });
    group.bench_function("open_key (emulator, per request)", |b| {
        b.iter(|| private.open_key(black_box(&header)))
    });
    group.bench_function("symmetric key generate (OS CSPRNG)", |b| {
        b.iter(SymmetricKey::generate)
    });
    group.finish();
}

criterion_group!(benches, aes, rsa);
criterion_main!(benches);
