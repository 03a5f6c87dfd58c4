#!/usr/bin/env bash
# One shard job, as a batch engine runs it: for each library size, generate
# a synthetic library (`ix synth`), compile, profile and shard it into N,
# then time `ix check-shard --shard K` (wall, user, system, peak RSS via
# /usr/bin/time) ROUNDS times, and print one table. With BASE=path/to/ix, the
# same job also runs under that binary, interleaved round by round, and the
# claims of the two are compared (they must be identical but for `seconds`).
#
# Usage: bench/shard_job.sh [SIZES] [N] [K] [ROUNDS]
#   SIZES   blocks per library, default "100000 631000"
#   N       shards, default 128
#   K       the shard timed, default 7
#   ROUNDS  runs per binary, default 3
# Environment: IX=path/to/ix uses that binary instead of building one;
#   BASE=path/to/ix also times that one; WORKDIR=dir keeps the generated
#   files there (default: a temporary folder, removed at exit). The
#   libraries are made by whichever binary is IX.
set -uo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"100000 631000"}
n=${2:-128}
k=${3:-7}
rounds=${4:-3}

if [ -z "${IX:-}" ]; then
  cargo build --release --bin ix >/dev/null || exit 1
  IX=target/release/ix
fi
IX=$(realpath "$IX")
binaries=("cur=$IX")
if [ -n "${BASE:-}" ]; then
  binaries=("base=$(realpath "$BASE")" "${binaries[@]}")
fi
if [ -n "${WORKDIR:-}" ]; then
  mkdir -p "$WORKDIR"
  work=$(realpath "$WORKDIR")
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
rows="$work/rows.tsv"
: > "$rows"

for size in $sizes; do
  lib="$work/synth$size"
  echo "[$(date +%T)] $size blocks: synth, compile, profile, shard -n $n" >&2
  "$IX" synth --blocks "$size" -q -o "$lib.ndjson" >/dev/null &&
    "$IX" compile "$lib.ndjson" -o "$lib.ixe" >/dev/null &&
    rm -f "$lib.ndjson" &&
    "$IX" profile -q -j 0 "$lib.ixe" -o "$lib.ixesp" >/dev/null &&
    "$IX" shard -q -n "$n" "$lib.ixesp" -o "$lib.ixes" >/dev/null || exit 1
  for round in $(seq "$rounds"); do
    for entry in "${binaries[@]}"; do
      name=${entry%%=*}
      bin=${entry#*=}
      timing="$work/time"
      if /usr/bin/time -f '%e %U %S %M' -o "$timing" \
        "$bin" check-shard "$lib.ixe" "$lib.ixes" --shard "$k" --json -q > "$work/claim.$name" 2>&1; then
        status=ok
      else
        status=FAIL
      fi
      read -r wall user sys rss < <(tail -n 1 "$timing")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "$wall" "$user" "$sys" "$rss" "$status" |
        tee -a "$rows" >&2
    done
    if [ -n "${BASE:-}" ] && ! cmp -s <(sed 's/"seconds":[^,}]*//' "$work/claim.base") \
      <(sed 's/"seconds":[^,}]*//' "$work/claim.cur"); then
      echo "the claims of base and cur differ at $size blocks" >&2
      exit 1
    fi
  done
done

echo
echo "one ix check-shard job, shard $k of $n ($(nproc) cores, $rounds rounds; median of each column)"
echo "| blocks | binary | wall s | user s | sys s | peak RSS MB | status |"
echo "|---:|---|---:|---:|---:|---:|---|"
sort -k1,1n -k2,2 "$rows" | awk -F'\t' '
  function median(list, count,   sorted, i, j, t) {
    for (i = 1; i <= count; i++) sorted[i] = list[i]
    for (i = 2; i <= count; i++) for (j = i; j > 1 && sorted[j-1] > sorted[j]; j--) {
      t = sorted[j]; sorted[j] = sorted[j-1]; sorted[j-1] = t }
    return count % 2 ? sorted[(count+1)/2] : (sorted[count/2] + sorted[count/2+1]) / 2
  }
  function flush() {
    if (key == "") return
    printf "| %s | %s | %.2f | %.2f | %.2f | %.0f | %s |\n", size, name,
      median(wall, c), median(user, c), median(sys, c), median(rss, c) / 1024, status
  }
  { if ($1 "\t" $2 != key) { flush(); key = $1 "\t" $2; size = $1; name = $2; c = 0; status = "ok" }
    c++; wall[c] = $3; user[c] = $4; sys[c] = $5; rss[c] = $6; if ($7 != "ok") status = $7 }
  END { flush() }'
