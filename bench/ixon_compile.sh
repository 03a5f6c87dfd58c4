#!/usr/bin/env bash
# Ixon compile and read throughput. Usage: bench/ixon_compile.sh [BLOCKS]
# 1. The largest bundled export, compiled and read back 20 times each
#    (process start dominates at this size).
# 2. A synthetic library of BLOCKS blocks (`ix synth`, default 100000):
#    `ix compile` (NDJSON read + compile + atomic write) and `ix info` (full,
#    validating read of the .ixe through a memory map), in MB/s of input.
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${1:-100000}
cargo build --release --bin ix >/dev/null
ix=target/release/ix
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
mbps() { echo "$1 / $2 / 1000000" | bc -l | cut -c1-6; }
peak_rss() { grep -o 'Maximum resident set size (kbytes): [0-9]*' "$1" | grep -o '[0-9]*$'; }

largest=$(find tests/data/lean-exports -name '*.ndjson' -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2)
size=$(stat -c %s "$largest")
start=$(now)
for _ in $(seq 20); do "$ix" compile "$largest" -o "$tmp/small.ixe" >/dev/null; done
mid=$(now)
for _ in $(seq 20); do "$ix" info "$tmp/small.ixe" >/dev/null; done
end=$(now)
echo "largest bundled export $largest ($size bytes -> $(stat -c %s "$tmp/small.ixe") bytes .ixe):" \
  "compile $(echo "($mid - $start) / 20 * 1000" | bc -l | cut -c1-5) ms/run," \
  "info $(echo "($end - $mid) / 20 * 1000" | bc -l | cut -c1-5) ms/run"

"$ix" synth --blocks "$blocks" -o "$tmp/synth.ndjson" >/dev/null
size=$(stat -c %s "$tmp/synth.ndjson")
start=$(now)
/usr/bin/time -v "$ix" compile "$tmp/synth.ndjson" -o "$tmp/synth.ixe" > "$tmp/compile.out" 2> "$tmp/compile.time"
mid=$(now)
/usr/bin/time -v "$ix" info "$tmp/synth.ixe" > "$tmp/info.out" 2> "$tmp/info.time"
end=$(now)
ixe=$(stat -c %s "$tmp/synth.ixe")
csecs=$(echo "$mid - $start" | bc)
rsecs=$(echo "$end - $mid" | bc)
echo "synth $blocks blocks: $size bytes NDJSON -> $ixe bytes .ixe"
echo "  compile: $csecs s, $(mbps "$size" "$csecs") MB/s of NDJSON, peak RSS $(peak_rss "$tmp/compile.time") KB"
echo "  info (full read): $rsecs s, $(mbps "$ixe" "$rsecs") MB/s of .ixe, peak RSS $(peak_rss "$tmp/info.time") KB"
cat "$tmp/compile.out"
grep -E '^(constants|blobs|names|declarations) ' "$tmp/info.out"
