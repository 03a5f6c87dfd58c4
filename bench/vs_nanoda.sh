#!/usr/bin/env bash
# `ix check` against nanoda on the same NDJSON, side by side in one run:
# wall time and peak RSS of each, and their ratios.
#
# Usage: bench/vs_nanoda.sh [BLOCKS...] [--dag "D1 D2 D3 D4"] [-j JOBS]
#   BLOCKS   sizes of `ix synth --blocks` libraries, default 100000
#   --dag    depths of `ix synth --dag` inputs (DAG size D, tree size 2^D),
#            default "2000 4000 8000 16000"; the table then also gives each
#            stage's growth exponent between consecutive depths
#   -j       threads for both checkers, default 2
# Environment: NANODA=path/to/nanoda_bin (default: built from
#   ../shared/peers/nanoda_lib into a folder outside the tree);
#   IX=path/to/ix (default: built here). Files go to a temporary folder.
set -uo pipefail
cd "$(dirname "$0")/.."
sizes=()
depths="2000 4000 8000 16000"
jobs=2
while [ $# -gt 0 ]; do
  case $1 in
    --dag) depths=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -eq 0 ] && sizes=(100000)

if [ -z "${IX:-}" ]; then
  cargo build --release --bin ix >/dev/null || exit 1
  IX=target/release/ix
fi
if [ -z "${NANODA:-}" ]; then
  peer=../shared/peers/nanoda_lib
  [ -d "$peer" ] || { echo "no $peer: set NANODA=path/to/nanoda_bin" >&2; exit 1; }
  target=${TMPDIR:-/tmp}/nanoda-target
  cargo build --release --manifest-path "$peer/Cargo.toml" --target-dir "$target" \
    >/dev/null 2>&1 || { echo "building nanoda failed" >&2; exit 1; }
  NANODA=$target/release/nanoda_bin
fi
IX=$(realpath "$IX")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/nanoda.json" <<EOF
{"use_stdin":true,"nat_extension":true,"string_extension":true,
 "unpermitted_axiom_hard_error":false,
 "permitted_axioms":["propext","Classical.choice","Quot.sound","Lean.trustCompiler"],
 "num_threads":$jobs,"print_success_message":false}
EOF

# measure CMD...: prints "WALL RSS_MB EXIT" of CMD (stdin from $stdin_file).
measure() {
  /usr/bin/time -f "%e %M %x" -o "$work/time" "$@" <"${stdin_file:-/dev/null}" \
    >/dev/null 2>"$work/err"
  read -r wall rss code < <(tail -1 "$work/time")
  echo "$wall $((rss / 1024)) $code"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# growth exponent of y between x0 and x1: log(y1/y0) / log(x1/x0)
slope() {
  awk -v y0="$1" -v y1="$2" -v x0="$3" -v x1="$4" \
    'BEGIN { if (y0 > 0 && y1 > 0) printf "%.2f", log(y1/y0) / log(x1/x0); else print "-" }'
}

echo "ix $(git rev-parse --short HEAD 2>/dev/null) vs nanoda ($NANODA), -j $jobs, $(date -u +%FT%TZ)"
printf '| input | NDJSON MB | ix wall s | ix RSS MB | nanoda wall s | nanoda RSS MB | wall ratio | RSS ratio | exits ix/nanoda |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---|\n'
row() {
  local label=$1 file=$2
  local mb
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
  read -r iw ir ic < <(stdin_file=/dev/null measure "$IX" check -q -j "$jobs" "$file")
  read -r nw nr nc < <(stdin_file=$file measure "$NANODA" "$work/nanoda.json")
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s/%s |\n' "$label" "$mb" \
    "$iw" "$ir" "$nw" "$nr" "$(ratio "$iw" "$nw")" "$(ratio "$ir" "$nr")" "$ic" "$nc"
  echo "$iw $ir $nw $nr" > "$work/last"
}

for blocks in "${sizes[@]}"; do
  "$IX" synth --blocks "$blocks" -o "$work/lib.ndjson" -q 2>/dev/null
  row "ix synth --blocks $blocks" "$work/lib.ndjson"
  rm -f "$work/lib.ndjson"
done

prev=""
growth=()
for d in $depths; do
  "$IX" synth --dag "$d" -o "$work/dag.ndjson" 2>/dev/null
  row "ix synth --dag $d" "$work/dag.ndjson"
  read -r iw ir nw nr < "$work/last"
  if [ -n "$prev" ]; then
    read -r pd piw pir pnw pnr <<< "$prev"
    growth+=("| $pd -> $d | $(slope "$piw" "$iw" "$pd" "$d") | $(slope "$pir" "$ir" "$pd" "$d") | $(slope "$pnw" "$nw" "$pd" "$d") | $(slope "$pnr" "$nr" "$pd" "$d") |")
  fi
  prev="$d $iw $ir $nw $nr"
done
if [ ${#growth[@]} -gt 0 ]; then
  echo
  echo "Growth exponents on the DAG inputs (1 = linear in D; a tree-sized stage would be exponential):"
  printf '| depths | ix wall | ix RSS | nanoda wall | nanoda RSS |\n|---|---:|---:|---:|---:|\n'
  printf '%s\n' "${growth[@]}"
fi
