#!/usr/bin/env bash
# The shards of one library checked three ways on this machine, interleaved
# per round so that all three see the same load:
#   check-shards  one process, the .ixe read once, SLOTS shards at a time;
#   xargs         one `ix check-shard` process per shard, SLOTS at a time,
#                 each in its own session as a Slurm task is (with the
#                 kernel's autogroup scheduling, each session gets its own
#                 share of a contended CPU);
#   slurm         the Slurm array of deploy/slurm-array.sh on a throwaway
#                 single-host cluster (deploy/slurm/cluster.sh), one core per
#                 task, so SLOTS = this machine's cores tasks at a time.
# Each ends with the claims verified. xargs - check-shards is what separate
# processes cost (each reads the whole .ixe); slurm - xargs is what the
# scheduler costs, and so does the wall of a no-op array (the same $SHARDS
# tasks and resources running `true`). Wall for an array runs from sbatch
# until it has left the queue (polled every 0.1 s).
#
#   bash bench/slurm_fanout.sh [BLOCKS] [SHARDS] [ROUNDS]     # 100000 8 2
#
# Needs slurm-wlm and munge (deploy/slurm/test.sh installs them) and root.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
blocks=${1:-100000} shards=${2:-8} rounds=${3:-2}
slots=$(nproc)
data=target/bench-slurm/$blocks-$shards

if [ "${IX_BENCH_IN_CLUSTER:-}" != 1 ]; then
  cargo build --release --quiet --bin ix
  ix=$repo/target/release/ix
  mkdir -p "$data"
  if [ ! -f "$data/env.ixes" ]; then
    {
      "$ix" synth --blocks "$blocks" --seed 1 -o "$data/lib.ndjson" -q
      "$ix" compile "$data/lib.ndjson" -o "$data/env.ixe"
      "$ix" profile "$data/env.ixe" -o "$data/env.ixesp" -q
      "$ix" shard "$data/env.ixesp" -n "$shards" -o "$data/env.ixes"
    } >/dev/null
  fi
  IX_BENCH_IN_CLUSTER=1 PATH=$repo/target/release:$PATH exec deploy/slurm/cluster.sh bash "$0" "$@"
fi

work=$(dirname "$SLURM_CONF")/bench
mkdir -p "$work"
cd "$work"
env=$repo/$data/env.ixe
manifest=$repo/$data/env.ixes

# Runs "$@" and prints its wall time in seconds.
wall() {
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  echo "$EPOCHREALTIME - $start" | bc
}

check_shards() {
  rm -rf claims && mkdir claims
  ix check-shards "$env" "$manifest" -j "$slots" -q --claim-dir claims
}

xargs_fanout() {
  rm -rf claims && mkdir claims
  seq 0 $((shards - 1)) |
    xargs -P "$slots" -I{} setsid --wait ix check-shard "$env" "$manifest" --shard {} --claim-dir claims -j 1
  ix verify-claims "$env" "$manifest" claims
}

# Submits an array of $shards tasks (sbatch options "$@") and waits for it.
array_of() {
  local job
  job=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 "$@")
  while [ -n "$(squeue --noheader --jobs="$job")" ]; do sleep 0.1; done
  echo "$job"
}

noop_array() {
  array_of --mem=4G --output=/dev/null --wrap=true
}

slurm_array() {
  rm -rf claims
  local job
  job=$(array_of "$repo/deploy/slurm-array.sh" "$env" "$manifest" claims)
  local bad
  bad=$(scontrol show job --oneliner "$job" | grep -v "JobState=COMPLETED" || true)
  [ -z "$bad" ] || { echo "$bad" >&2; return 1; }
  ix verify-claims "$env" "$manifest" claims
}

echo "$blocks blocks, $shards shards, $slots at a time ($(ix --version); load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "| round | check-shards s | xargs s | slurm s | slurm / check-shards | (slurm - xargs) / task s | no-op array s |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq "$rounds"); do
  local_s=$(wall check_shards)
  xargs_s=$(wall xargs_fanout)
  slurm_s=$(wall slurm_array)
  noop_s=$(wall noop_array)
  printf '| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n' "$round" "$local_s" "$xargs_s" "$slurm_s" \
    "$(echo "$slurm_s / $local_s" | bc -l)" "$(echo "($slurm_s - $xargs_s) / $shards" | bc -l)" "$noop_s"
done
