#!/usr/bin/env bash
# Kernel check throughput: wall time of `ix check` per file and declarations
# per second. Usage: bench/kernel_check.sh [BLOCKS] [JOBS]
# Checks every bundled export (tests/data/lean-exports) and a synthetic
# well-typed library of BLOCKS blocks (`ix synth`, default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${1:-100000}
jobs=${2:-0}
cargo build --release --bin ix >/dev/null
ix=target/release/ix
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

start=$(now)
count=0
while IFS=$'\t' read -r path expected _; do
  [ "$path" = path ] && continue
  "$ix" check -j "$jobs" "tests/data/lean-exports/$path" >/dev/null || true
  count=$((count + 1))
done < tests/data/lean-exports/MANIFEST.tsv
end=$(now)
echo "bundled exports: $count files in $(echo "$end - $start" | bc) s"

"$ix" synth --blocks "$blocks" -o "$tmp/synth.ndjson" >/dev/null
size=$(stat -c %s "$tmp/synth.ndjson")
start=$(now)
"$ix" check -j "$jobs" --json "$tmp/synth.ndjson" > "$tmp/report.json"
end=$(now)
secs=$(echo "$end - $start" | bc)
decls=$(grep -o '"declarations":[0-9]*' "$tmp/report.json" | cut -d: -f2)
verdict=$(grep -o '"verdict":"[a-z]*"' "$tmp/report.json")
echo "synth $blocks blocks ($size bytes, $decls declarations): $verdict in $secs s," \
  "$(echo "$decls / $secs" | bc) declarations/s, $(echo "$size / $secs / 1000000" | bc -l | cut -c1-5) MB/s"
