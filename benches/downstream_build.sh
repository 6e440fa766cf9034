#!/usr/bin/env bash
# A cold build of a one-file downstream crate that depends on this checkout
# with the given features, as a user's crate would.
#
#   bash benches/downstream_build.sh                    # default-features = false (the wire types)
#   bash benches/downstream_build.sh client             # features = ["client"], no defaults
#   bash benches/downstream_build.sh default            # the default features
#   MAX_CRATES=20 bash benches/downstream_build.sh      # fail if more crates are compiled
#
# Prints the crates compiled (from `cargo tree`, the downstream crate itself
# not counted) and the wall and CPU time of `cargo build` from an empty
# target directory (bash's `time`). Uses the registry cache; nothing is downloaded when the
# workspace has been built before.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
features="${1:-none}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

case "$features" in
    none) dep="ocrwire = { path = \"$here\", default-features = false }" ;;
    default) dep="ocrwire = { path = \"$here\" }" ;;
    *) dep="ocrwire = { path = \"$here\", default-features = false, features = [\"${features//,/\", \"}\"] }" ;;
esac

mkdir -p "$work/src"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.0.0"
edition = "2024"

[dependencies]
$dep

[workspace]
TOML
cat >"$work/src/lib.rs" <<'RS'
/// Names an exact wire type and an error code, as a downstream crate would.
pub fn describe(card: &ocrwire::wire::nhn_document_ocr_v2::CreditCardResult) -> usize {
    let _code = ocrwire::wire::nhn_document_ocr_v2::ErrorCode::from_code(4000301);
    card.card_nums.as_ref().map_or(0, Vec::len)
}
RS

cd "$work"
cp "$here/Cargo.lock" "$work/Cargo.lock" 2>/dev/null || true
crates=$(cargo tree -e normal,build --prefix none --offline 2>/dev/null | sed 's/ (.*//' | sort -u | grep -v '^downstream ' | wc -l)
export CARGO_TARGET_DIR="$work/target"
TIMEFORMAT='%R %U %S'
{ time cargo build --offline --quiet 2>"$work/build.err"; } 2>"$work/time" || {
    cat "$work/build.err" >&2
    exit 1
}
read -r wall user sys <"$work/time"
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
echo "features: $features"
echo "crates compiled: $crates"
echo "wall: ${wall} s, CPU: ${cpu} s"
if [ -n "${MAX_CRATES:-}" ] && [ "$crates" -gt "$MAX_CRATES" ]; then
    echo "more than $MAX_CRATES crates" >&2
    exit 1
fi
