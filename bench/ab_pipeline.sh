#!/usr/bin/env bash
# Side-by-side pipeline timing of two `ix` binaries on one library:
# compile, check, profile and check-shards, the two binaries interleaved per
# stage so both see the same machine load. Prints one table row per run and
# checks that both produce byte-identical .ixe and .ixesp files.
#
#   bench/ab_pipeline.sh BASE_IX CUR_IX LIB.ndjson [SHARDS] [THREADS]
#
# Example (631k blocks): ix synth --blocks 631000 --seed 1 -o s.ndjson, then
#   bench/ab_pipeline.sh /tmp/ix-base target/release/ix s.ndjson 128 2
set -euo pipefail
base=${1:?base ix binary} cur=${2:?current ix binary} lib=${3:?NDJSON library}
shards=${4:-128} threads=${5:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # label binary args...
    local label=$1 bin=$2
    shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$bin" "$@" >/dev/null 2>"$work/err" ||
        { echo "$label failed: $(tail -1 "$work/err")" >&2; exit 1; }
    read -r wall user sys rss <"$work/t"
    printf '| %-22s | %-4s | %8s | %8s | %7s | %6.2f |\n' "$label" "$which" "$wall" "$user" "$sys" \
        "$(echo "$rss / 1048576" | bc -l)"
}

echo "| stage                  | bin  |   wall s |   user s |  sys s | RSS GB |"
echo "|---|---|---:|---:|---:|---:|"
for which in base cur; do
    bin=${!which}; run compile "$bin" compile "$lib" -o "$work/$which.ixe" -q
done
cmp "$work/base.ixe" "$work/cur.ixe" || { echo ".ixe files differ" >&2; exit 1; }
for which in base cur; do
    bin=${!which}; run "check -j$threads" "$bin" check "$work/base.ixe" -q -j "$threads"
done
for which in base cur; do
    bin=${!which}; run "profile -j$threads" "$bin" profile "$work/base.ixe" -o "$work/$which.ixesp" -q -j "$threads"
done
cmp "$work/base.ixesp" "$work/cur.ixesp" || { echo ".ixesp files differ" >&2; exit 1; }
"$cur" shard "$work/base.ixesp" -n "$shards" -o "$work/m.ixes" -q >/dev/null
for which in base cur; do
    bin=${!which}; run "check-shards N=$shards" "$bin" check-shards "$work/base.ixe" "$work/m.ixes" -q -j "$threads"
done
