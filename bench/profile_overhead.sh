#!/usr/bin/env bash
# Profiling overhead (issue 4): is `ix check` as fast as a kernel with the
# profiling hooks cut out, and does `ix profile` cost at most 1.3x `ix check`?
#
# Builds two binaries from HEAD in a temporary git worktree (never committed):
# "current" as is, and "baseline" with the profile hooks removed from the
# kernel (the delta-unfold sink insert in `unfold_definition` and the meter in
# TypeChecker's Drop, rust/kernel/src/tc.rs). Then, on one synthetic library,
# runs baseline check, current check and current profile in turn, ROUNDS
# times (alternating, so load drift hits all three alike), and prints the
# runs, the medians and the ratios, of wall time and of CPU time.
#
# Usage: bench/profile_overhead.sh [BLOCKS] [ROUNDS] [JOBS]
#   defaults: 100000 blocks, 5 rounds, 1 worker thread
# Environment: OVERHEAD_TARGET=dir reuses a cargo target folder between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
blocks=${1:-100000}
rounds=${2:-5}
jobs=${3:-1}
repo=$(pwd)
tmp=$(mktemp -d)
worktree="$tmp/worktree"
target=${OVERHEAD_TARGET:-$tmp/target}
cleanup() {
  git -C "$repo" worktree remove --force "$worktree" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

git worktree add --quiet --detach "$worktree" HEAD
commit=$(git -C "$worktree" rev-parse --short HEAD)
build() {
  (cd "$worktree" && CARGO_TARGET_DIR="$target" cargo build --quiet --release --bin ix)
  cp "$target/release/ix" "$tmp/ix-$1"
}
echo "building current ($commit) ..." >&2
build current

# Cut the hooks out; every pattern must match exactly once, or stop.
tc="$worktree/rust/kernel/src/tc.rs"
sink='if let Some(sink) = &mut self.unfolded {'
meter='if let Some(meter) = &self.meter {'
for pattern in "$sink" "$meter" 'sink.insert(n.clone());' 'meter.add(self.heartbeats, self.unfolded.take());'; do
  count=$(grep -cF "$pattern" "$tc" || true)
  if [ "$count" != 1 ]; then
    echo "profile_overhead: expected one '$pattern' in rust/kernel/src/tc.rs, found $count" >&2
    exit 1
  fi
done
# Each hook is an `if let` block closed by a `}` at its own indentation.
sed -i -e '/if let Some(sink) = &mut self.unfolded {/,/^        }$/d' \
  -e '/if let Some(meter) = &self.meter {/,/^        }$/d' "$tc"
if grep -qF -e 'sink.insert(n.clone());' -e 'meter.add(self.heartbeats' "$tc"; then
  echo "profile_overhead: the patch did not remove the hooks" >&2
  exit 1
fi
git -C "$worktree" diff --stat >&2
echo "building baseline (hooks removed) ..." >&2
build baseline

lib="$tmp/synth$blocks"
"$tmp/ix-current" synth --blocks "$blocks" -o "$lib.ndjson" >/dev/null
"$tmp/ix-current" compile -q "$lib.ndjson" -o "$lib.ixe" >/dev/null

# measure CMD...: sets $wall and $cpu (user + system, the steadier figure
# on a shared machine) to the seconds of one run; stops if CMD fails.
measure() {
  if ! /usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >/dev/null 2>&1; then
    echo "profile_overhead: failed: $*" >&2
    exit 1
  fi
  read -r wall cpu < <(awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/time")
}
declare -a base_wall cur_wall prof_wall base_cpu cur_cpu prof_cpu
for round in $(seq "$rounds"); do
  measure "$tmp/ix-baseline" check -q -j "$jobs" "$lib.ixe"
  base_wall+=("$wall") base_cpu+=("$cpu")
  measure "$tmp/ix-current" check -q -j "$jobs" "$lib.ixe"
  cur_wall+=("$wall") cur_cpu+=("$cpu")
  measure "$tmp/ix-current" profile -q -j "$jobs" "$lib.ixe" -o "$lib.ixesp"
  prof_wall+=("$wall") prof_cpu+=("$cpu")
  echo "round $round (wall/CPU s): baseline check ${base_wall[-1]}/${base_cpu[-1]}," \
    "current check ${cur_wall[-1]}/${cur_cpu[-1]}, current profile ${prof_wall[-1]}/${prof_cpu[-1]}" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
# row LABEL MEDIAN_WALL MEDIAN_CPU WALLS CPUS: one table row, CPU ratios.
row() {
  local label=$1 mw=$2 mc=$3 walls=$4 cpus=$5
  echo "| $label | $walls | $mw | $cpus | $mc | $(ratio "$mc" "$bc") | $(ratio "$mc" "$cc") |"
}
bw=$(median "${base_wall[@]}") bc=$(median "${base_cpu[@]}")
cw=$(median "${cur_wall[@]}") cc=$(median "${cur_cpu[@]}")
pw=$(median "${prof_wall[@]}") pc=$(median "${prof_cpu[@]}")

echo
echo "profiling overhead: $blocks blocks, $rounds rounds, -j $jobs, $commit, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | wall per round (s) | median wall | CPU per round (s) | median CPU | CPU vs baseline check | CPU vs current check |"
echo "|---|---|---:|---|---:|---:|---:|"
row "baseline \`ix check\` (hooks removed)" "$bw" "$bc" "${base_wall[*]}" "${base_cpu[*]}"
row "current \`ix check\` (no sink attached)" "$cw" "$cc" "${cur_wall[*]}" "${cur_cpu[*]}"
row "current \`ix profile\`" "$pw" "$pc" "${prof_wall[*]}" "${prof_cpu[*]}"
