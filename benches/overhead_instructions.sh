#!/usr/bin/env bash
# The client's own cost per call in instructions, which do not drift with
# the machine's load the way time does: benches/overhead.rs run under
# callgrind, one side at a time, counting only the calling thread (the
# emulator's threads are the same for both sides and left out).
#
# Each side runs twice, with 100 and 300 calls; the difference divided by
# 200 is one call's cost, so start-up and warm-up cancel out.
#
#   bash benches/overhead_instructions.sh
#
# Needs valgrind. Results: BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }

bench=$(cargo bench --bench overhead --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*overhead[^"]*\)".*/\1/p' | tail -1)
[ -x "$bench" ] || { echo "could not build benches/overhead.rs" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The calling thread's instruction count for one side and call count. The
# run does 50 warm-up calls through ocrwire and one round of plain calls
# before its own round, the same for every count: they cancel out too.
count() {
    OVERHEAD_ONLY=$1 OVERHEAD_ROUNDS=1 OVERHEAD_CALLS=$2 \
        valgrind --tool=callgrind --separate-threads=yes \
        --callgrind-out-file="$out/$1.$2" "$bench" --bench >/dev/null 2>&1
    awk '/^totals:/ {print $2}' "$out/$1.$2-01"
}

o100=$(count ocrwire 100); o300=$(count ocrwire 300)
r100=$(count reqwest 100); r300=$(count reqwest 300)
# A run of `n` calls with one side also made `n` plain calls (the warm-up
# round), so: plain = reqwest's difference / 2, ocrwire = its difference - plain.
awk -v o100="$o100" -v o300="$o300" -v r100="$r100" -v r300="$r300" 'BEGIN {
    plain = (r300 - r100) / 200 / 2
    ours = (o300 - o100) / 200 - plain
    printf "per call, calling thread: ocrwire %.0f instructions, reqwest alone %.0f (%+.1f%%)\n",
        ours, plain, (ours / plain - 1) * 100
}'
