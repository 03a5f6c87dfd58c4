#!/usr/bin/env bash
# End-to-end pipeline at scale: for each library size, generate a synthetic
# library (`ix synth`), then time compile, check, profile, shard (each N) and
# check-shards (each N), with wall time and peak RSS per stage, as one table,
# followed by the growth exponent of each stage between consecutive sizes
# (slope of log(time) against log(blocks)).
#
# Usage: bench/pipeline_scale.sh [SIZES] [SHARD_COUNTS] [JOBS]
#   SIZES         blocks per library, default "10000 100000 631000"
#   SHARD_COUNTS  default "64 128 256"
#   JOBS          worker threads for check/profile/check-shards, default 0 (all cores)
# Environment: IX=path/to/ix uses that binary instead of building one;
#   WORKDIR=dir keeps the generated files there (default: a temporary folder,
#   removed at exit); TABLE=file also writes the raw rows (TSV) there.
# A stage that fails is reported as FAIL and the run goes on with what it can.
set -uo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10000 100000 631000"}
shard_counts=${2:-"64 128 256"}
jobs=${3:-0}

if [ -z "${IX:-}" ]; then
  cargo build --release --bin ix >/dev/null || exit 1
  IX=target/release/ix
fi
IX=$(realpath "$IX")
if [ -n "${WORKDIR:-}" ]; then
  mkdir -p "$WORKDIR"
  work=$(realpath "$WORKDIR")
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
rows=${TABLE:-$work/rows.tsv}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
: > "$rows"

# run SIZE STAGE CMD...: times CMD, appends "SIZE STAGE WALL RSS_KB STATUS".
run() {
  local size=$1 stage=$2
  shift 2
  local timing="$work/time.$$"
  echo "[$(date +%T)] $size $stage: $*" >&2
  if /usr/bin/time -f '%e %M' -o "$timing" "$@" > "$work/$size.$stage.out" 2>&1; then
    status=ok
  else
    status=FAIL
  fi
  # /usr/bin/time writes "Command exited with non-zero status" first on failure.
  read -r wall rss < <(tail -n 1 "$timing")
  printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$stage" "$wall" "$rss" "$status" | tee -a "$rows" >&2
}

for size in $sizes; do
  lib="$work/synth$size"
  run "$size" synth "$IX" synth --blocks "$size" -o "$lib.ndjson"
  run "$size" compile "$IX" compile "$lib.ndjson" -o "$lib.ixe"
  run "$size" check "$IX" check -j "$jobs" "$lib.ixe"
  run "$size" profile "$IX" profile -q -j "$jobs" "$lib.ixe" -o "$lib.ixesp"
  for n in $shard_counts; do
    run "$size" "shard-$n" "$IX" shard -q -n "$n" "$lib.ixesp" -o "$lib.$n.ixes"
    run "$size" "check-shards-$n" "$IX" check-shards -j "$jobs" "$lib.ixe" "$lib.$n.ixes"
  done
done

echo
echo "ix pipeline at scale ($(nproc) cores, jobs=$jobs, $IX at $commit)"
awk -F'\t' '
  { key = $2; if (!(key in seen)) { seen[key] = 1; order[++stages] = key }
    if (!($1 in sized)) { sized[$1] = 1; size[++sizes] = $1 }
    wall[$1, key] = $3; rss[$1, key] = $4; ok[$1, key] = $5 }
  END {
    printf "| stage |"; for (s = 1; s <= sizes; s++) printf " %s blocks: wall s / peak RSS MB |", size[s]
    for (s = 2; s <= sizes; s++) printf " exponent %s→%s |", size[s-1], size[s]
    printf "\n|---|"; for (s = 1; s < 2 * sizes; s++) printf "---:|"; printf "\n"
    for (i = 1; i <= stages; i++) {
      k = order[i]; printf "| %s |", k
      for (s = 1; s <= sizes; s++) {
        if (!((size[s], k) in wall)) { printf " — |"; continue }
        printf " %.1f / %.0f%s |", wall[size[s], k], rss[size[s], k] / 1024,
          (ok[size[s], k] == "ok" ? "" : " FAIL")
      }
      for (s = 2; s <= sizes; s++) {
        a = wall[size[s-1], k]; b = wall[size[s], k]
        if (a > 0 && b > 0 && ok[size[s-1], k] == "ok" && ok[size[s], k] == "ok")
          printf " %.2f |", log(b / a) / log(size[s] / size[s-1])
        else printf " — |"
      }
      printf "\n"
    }
  }' "$rows"
