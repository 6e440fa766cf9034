#!/usr/bin/env bash
# The envelope's primitives measured by OpenSSL, for comparison with
# `cargo bench --bench envelope`. Prints OpenSSL's own tables.
set -euo pipefail
seconds="${1:-3}"
echo "== openssl version"; openssl version
echo "== AES-256-CBC (OpenSSL EVP; throughput in kB/s per block size)"
openssl speed -seconds "$seconds" -evp aes-256-cbc -bytes 65536 2>/dev/null | tail -2
openssl speed -seconds "$seconds" -evp aes-256-cbc -bytes 1048576 2>/dev/null | tail -2
echo "== AES-256-CBC without AES-NI (software AES, as a floor)"
OPENSSL_ia32cap="~0x200000200000000" openssl speed -seconds "$seconds" -evp aes-256-cbc -bytes 1048576 2>/dev/null | tail -2
echo "== RSA-2048 (encrypt = client's seal_key, decrypt = server's open_key)"
openssl speed -seconds "$seconds" rsa2048 2>/dev/null | tail -3
