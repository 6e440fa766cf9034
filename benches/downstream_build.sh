#!/usr/bin/env bash
# A build of a one-file downstream crate that depends on ocrwire with the
# given features, as a user's crate would: by default from this checkout,
# or (FROM_PACKAGES=1) from the `.crate` files `cargo package` makes, which
# is what a user of the registry gets: a dependency that only has a path,
# or a file the package leaves out, fails here.
#
#   bash benches/downstream_build.sh                    # default-features = false (the wire types)
#   bash benches/downstream_build.sh client             # features = ["client"], no defaults
#   bash benches/downstream_build.sh default            # the default features
#   MAX_CRATES=20 bash benches/downstream_build.sh      # fail if more crates are compiled
#   FROM_PACKAGES=1 bash benches/downstream_build.sh    # from the packaged sources, [patch]ed in
#   CHECK=1 CARGO_TARGET_DIR=target bash benches/...    # `cargo check` into a shared target dir
#
# Prints the crates compiled (from `cargo tree`, the downstream crate itself
# not counted) and the wall and CPU time of `cargo build` from an empty
# target directory (bash's `time`), unless CHECK=1 (then `cargo check` into
# CARGO_TARGET_DIR, reusing what it holds). Uses the registry cache; nothing
# is downloaded when the workspace has been built before.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
features="${1:-none}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -n "${FROM_PACKAGES:-}" ]; then
    # The crates as they would be published (not verified by building
    # each: the downstream build below is the verification).
    cargo package --manifest-path "$here/Cargo.toml" --offline --no-verify --allow-dirty --quiet \
        -p ocrwire-derive -p ocrwire-codegen -p ocrwire --target-dir "$work/package" 2>"$work/package.err" || { cat "$work/package.err" >&2; exit 1; }
    mkdir -p "$work/crates"
    for crate in "$work"/package/package/*.crate; do
        tar xzf "$crate" -C "$work/crates"
    done
    source="version = \"0.1\""
    patch="[patch.crates-io]
ocrwire = { path = \"$work/crates/ocrwire-0.1.0\" }
ocrwire-derive = { path = \"$work/crates/ocrwire-derive-0.1.0\" }
ocrwire-codegen = { path = \"$work/crates/ocrwire-codegen-0.1.0\" }"
else
    source="path = \"$here\""
    patch=""
fi

case "$features" in
    none) dep="ocrwire = { $source, default-features = false }" ;;
    default) dep="ocrwire = { $source }" ;;
    *) dep="ocrwire = { $source, default-features = false, features = [\"${features//,/\", \"}\"] }" ;;
esac

mkdir -p "$work/src"
cat >"$work/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.0.0"
edition = "2024"

[dependencies]
$dep

$patch

[workspace]
TOML
if [ -n "${CHECK:-}" ]; then
    # Into a shared target directory: the same profiles as this workspace,
    # so the dependencies it already checked are reused, not checked anew.
    awk '/^\[/ { keep = /^\[profile/ } keep' "$here/Cargo.toml" >>"$work/Cargo.toml"
fi
cat >"$work/src/lib.rs" <<'RS'
/// Names an exact wire type and an error code, as a downstream crate would.
pub fn describe(card: &ocrwire::wire::nhn_document_ocr_v2::CreditCardResult) -> usize {
    let _code = ocrwire::wire::nhn_document_ocr_v2::ErrorCode::from_code(4000301);
    card.card_nums.as_ref().map_or(0, Vec::len)
}
RS
if [[ "$features" == *client* || "$features" == default ]]; then
    cat >>"$work/src/lib.rs" <<'RS'

/// Builds a client, as a downstream crate with the clients would.
pub fn client() -> Result<ocrwire::nhn::GeneralClient, ocrwire::Error> {
    ocrwire::nhn::GeneralClient::new(ocrwire::client::Credentials::new("app", "secret"))
}
RS
fi

cd "$work"
cp "$here/Cargo.lock" "$work/Cargo.lock" 2>/dev/null || true
crates=$(cargo tree -e normal,build --prefix none --offline 2>/dev/null | sed 's/ (.*//' | sort -u | grep -v '^downstream ' | wc -l)
if [ -n "${CHECK:-}" ]; then
    command="check"
else
    command="build"
    export CARGO_TARGET_DIR="$work/target"
fi
TIMEFORMAT='%R %U %S'
{ time cargo "$command" --offline ${VERBOSE:+-v} --quiet 2>"$work/build.err"; } 2>"$work/time" || {
    cat "$work/build.err" >&2
    exit 1
}
read -r wall user sys <"$work/time"
cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
echo "features: $features${FROM_PACKAGES:+ (from the packaged crates)}"
echo "crates compiled: $crates"
echo "$command wall: ${wall} s, CPU: ${cpu} s"
if [ -n "${MAX_CRATES:-}" ] && [ "$crates" -gt "$MAX_CRATES" ]; then
    echo "more than $MAX_CRATES crates" >&2
    exit 1
fi
