#!/usr/bin/env bash
# Peak memory of one upload per upload path, measured with GNU time.
#
#   bash benches/upload_memory.sh            # this checkout
#   bash benches/upload_memory.sh 00769d8    # another revision, built in a worktree
#
# The `ocrwire` CLI (release build) sends one ~19 MB PNG to the emulator,
# which runs as a separate process (`ocrwire serve`) so that its memory is
# not counted. Each path is also run with a 3 KB image; the difference
# between the two peaks is what the upload itself costs, and the table
# gives it as a multiple of the image's size. Needs python3 (to draw the
# image) and /usr/bin/time; touches loopback only.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:-}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    if [ -n "$rev" ]; then git -C "$here" worktree remove --force "$work/src" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "$rev" ]; then
    git -C "$here" worktree add --detach "$work/src" "$rev" >/dev/null
    src="$work/src"
    # Its own target dir: an old revision must not overwrite this one's.
    export CARGO_TARGET_DIR="$here/target/upload-memory-$rev"
else
    src="$here"
fi
cargo build --release --quiet --manifest-path "$src/Cargo.toml" --bin ocrwire
bin="${CARGO_TARGET_DIR:-$src/target}/release/ocrwire"

# A PNG of random pixels (incompressible): 2500 x 2530 RGB, about 19 MB.
python3 - "$work/big.png" <<'EOF'
import os, struct, sys, zlib
w, h = 2500, 2530
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
raw = b"".join(b"\x00" + os.urandom(w * 3) for _ in range(h))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
EOF
small="$here/examples/card.png"
size=$(stat -c %s "$work/big.png")

"$bin" serve --port 0 >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
done
addr=$(sed -n 's/.*listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/serve.out")
[ -n "$addr" ] || { cat "$work/serve.out"; exit 1; }
export NHN_OCR_BASE_URL="http://$addr" NHN_OCR_APP_KEY=emulator-app-key NHN_OCR_SECRET_KEY=emulator-secret-key
export CLOVA_OCR_INVOKE_URL="http://$addr/custom/v1/1000/emulator-invoke-key" CLOVA_OCR_SECRET=emulator-clova-secret
unset NHN_USER_ACCESS_KEY_ID NHN_SECRET_ACCESS_KEY

# Peak resident set size in KiB of one CLI run.
peak() {
    /usr/bin/time -v "$bin" "$@" --output json >/dev/null 2>"$work/time.out" || {
        cat "$work/time.out" >&2
        exit 1
    }
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.out"
}

echo "revision: $(git -C "$src" rev-parse --short HEAD)$( [ -z "$rev" ] && ! git -C "$src" diff --quiet && echo ' (with uncommitted changes)')"
echo "image: $size bytes"
echo
echo "| upload path | command | peak, 3 KB image | peak, 19 MB image | upload's cost | x image size |"
echo "|---|---|---|---|---|---|"
run() {
    local label="$1" shift_args
    shift
    local base big
    base=$(peak "$@" "$small")
    big=$(peak "$@" "$work/big.png")
    awk -v l="$label" -v c="$*" -v b="$base" -v g="$big" -v s="$size" 'BEGIN {
        extra = (g - b) * 1024
        printf "| %s | `ocrwire %s` | %.1f MB | %.1f MB | %.1f MB | %.2f |\n", l, c, b * 1024 / 1e6, g * 1024 / 1e6, extra / 1e6, extra / s
    }'
}
run "NHN, sealed multipart (envelope)" nhn credit-card
run "NHN General OCR, plain multipart" nhn general
run "CLOVA, multipart" clova receipt
run "CLOVA, Base64 in JSON" clova receipt --json-body
