#!/usr/bin/env bash
# Regenerates every figure under docs/ (the README's charts) with the current
# code: a 100,000-block synthetic library, profiled and split into 128 shards.
#
#   bash docs/figures.sh            # builds target/release/ix first
#   IX=path/to/ix bash docs/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${IX:-}" ]; then
  echo "== building target/release/ix" >&2
  cargo build --release --quiet --bin ix
  IX=target/release/ix
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== synth, compile, profile (docs/profile.svg), shard (docs/shards.svg)" >&2
"$IX" synth --blocks 100000 --seed 0 -q -o "$work/lib.ndjson"
"$IX" compile "$work/lib.ndjson" -o "$work/lib.ixe" -q
"$IX" profile "$work/lib.ixe" -o "$work/lib.ixesp" -q --plot docs/profile.svg
"$IX" shard "$work/lib.ixesp" -n 128 -q -o "$work/lib.ixes" --plot docs/shards.svg
