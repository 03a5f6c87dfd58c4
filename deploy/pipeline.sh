#!/usr/bin/env bash
# The whole ix pipeline on one environment, with the shards fanned out
# locally as independent processes (the same jobs a Kubernetes Indexed Job or
# a Slurm array would run; see k8s-indexed-job.yaml and slurm-array.sh).
#
#   bash deploy/pipeline.sh                      # a 20,000-block synthetic library, 8 shards
#   bash deploy/pipeline.sh EXPORT.ndjson 4      # a lean4export file of yours, 4 shards
#
# Relative paths (EXPORT, IX_WORK) are taken from the folder you run it in.
# Writes everything under ${IX_WORK:-<repo>/target/pipeline} and prints the
# what-if report of the sharding.
set -euo pipefail
input="${1:-}"
shards="${2:-8}"
jobs="${IX_JOBS:-$(nproc)}"
# Resolve the caller's paths before moving to the repository root.
if [ -n "$input" ]; then
  [ -f "$input" ] || { echo "pipeline.sh: $input: no such file" >&2; exit 1; }
  input=$(realpath "$input")
fi
if [ -n "${IX_WORK:-}" ]; then
  mkdir -p "$IX_WORK"
  work=$(realpath "$IX_WORK")
fi
cd "$(dirname "$0")/.."
work="${work:-$PWD/target/pipeline}"
mkdir -p "$work/claims"
rm -f "$work"/claims/*.json

echo "== build ix (release; a few minutes the first time)"
cargo build --release --bin ix
ix=target/release/ix

if [ -z "$input" ]; then
  input="$work/library.ndjson"
  echo "== synth: a 20,000-block library"
  "$ix" synth --declarations 20000 --seed 1 -o "$input"
fi
echo "== compile $input"
"$ix" compile "$input" -o "$work/env.ixe"
"$ix" info "$work/env.ixe"
echo "== check"
"$ix" check "$work/env.ixe" -j "$jobs"
echo "== profile"
"$ix" profile "$work/env.ixe" -o "$work/env.ixesp" -j "$jobs"
echo "== shard into $shards (the what-if report)"
"$ix" shard "$work/env.ixesp" -n "$shards" -o "$work/env.ixes" --plot "$work/shards.svg"
echo "== check each shard on its own, $jobs at a time"
seq 0 $((shards - 1)) | xargs -P "$jobs" -I{} "$ix" check-shard "$work/env.ixe" "$work/env.ixes" --shard {} --claim-dir "$work/claims" -j 1
echo "== verify the claims"
"$ix" verify-claims "$work/env.ixe" "$work/env.ixes" "$work/claims"
echo "shard plot: $work/shards.svg"
