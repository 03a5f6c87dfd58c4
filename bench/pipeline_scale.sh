#!/usr/bin/env bash
# End-to-end pipeline at scale: for each library size, generate a synthetic
# library (`ix synth`), check it with nanoda as well as ix, then time compile,
# check, profile, and for each shard count shard, check-shards (writing every
# claim), one check-shard job and verify-claims. Prints one table of wall
# time, CPU time (user + system) and peak RSS per stage, each stage's wall
# against nanoda's check of the same NDJSON, the growth exponent of each
# stage between consecutive sizes (slope of log(wall) against log(size)),
# the weight of each declaration (NDJSON bytes, nanoda's and ix's check
# time), and the what-if report's total cross-shard ingress per shard count with its
# growth per doubling of N.
#
# Usage: bench/pipeline_scale.sh [SIZES] [SHARD_COUNTS] [JOBS]
#   SIZES         declarations per library, or a percentage of Mathlib's
#                 650,000 ("10%"); default "10000 100000 631000"
#   SHARD_COUNTS  default "64 128 256"
#   JOBS          worker threads for check/profile/check-shards and nanoda,
#                 default 0 (all cores; nanoda then gets one per core too)
# Environment: LIKE=mathlib makes `ix synth --like mathlib` libraries (default
#   light); IX=path/to/ix uses that binary instead of building one;
#   NANODA=path/to/nanoda_bin (default: built from ../shared/peers/nanoda_lib
#   outside the tree; NANODA=none skips it); WORKDIR=dir keeps the generated
#   files there (default: a temporary folder, removed at exit); TABLE=file
#   also writes the raw rows (TSV) there; STAGES=first stops after synth,
#   nanoda and ix check of the NDJSON (no .ixe, profile or shards);
#   STAGES=ingress runs only what the ingress needs (synth, compile,
#   profile, shard), for fitting the generator's locality.
# A stage that fails is reported as FAIL and the run goes on with what it can.
set -uo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"10000 100000 631000"}
shard_counts=${2:-"64 128 256"}
jobs=${3:-0}
like=${LIKE:-light}
mathlib_declarations=650000

if [ -z "${IX:-}" ]; then
  cargo build --release --bin ix >/dev/null || exit 1
  IX=target/release/ix
fi
IX=$(realpath "$IX")
if [ -z "${NANODA:-}" ]; then
  peer=../shared/peers/nanoda_lib
  target=${TMPDIR:-/tmp}/nanoda-target
  if [ -d "$peer" ] && cargo build --release --manifest-path "$peer/Cargo.toml" \
    --target-dir "$target" >/dev/null 2>&1; then
    NANODA=$target/release/nanoda_bin
  else
    echo "no nanoda peer built: its row is skipped (NANODA=path to give one)" >&2
    NANODA=none
  fi
fi
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
nanoda_threads=$jobs
[ "$jobs" = 0 ] && nanoda_threads=$(nproc)
cat > "$work/nanoda.json" <<EOF
{"use_stdin":true,"nat_extension":true,"string_extension":true,
 "unpermitted_axiom_hard_error":false,
 "permitted_axioms":["propext","Classical.choice","Quot.sound","Lean.trustCompiler"],
 "num_threads":$nanoda_threads,"print_success_message":false}
EOF

# run SIZE STAGE CMD...: times CMD (stdin from $stdin_file, default none),
# appends "SIZE STAGE WALL CPU RSS_KB STATUS" to the rows.
run() {
  local size=$1 stage=$2
  shift 2
  local timing="$work/time.$$"
  echo "[$(date +%T)] $size $stage: $*" >&2
  if /usr/bin/time -f '%e %U %S %M' -o "$timing" "$@" <"${stdin_file:-/dev/null}" \
    > "$work/$size.$stage.out" 2>&1; then
    status=ok
  else
    status=FAIL
  fi
  # /usr/bin/time writes "Command exited with non-zero status" first on failure.
  read -r wall user sys rss < <(tail -n 1 "$timing")
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$stage" "$wall" "$cpu" "$rss" "$status" \
    | tee -a "$rows" >&2
}

declarations() {
  case $1 in
    *%) awk -v p="${1%\%}" -v m="$mathlib_declarations" 'BEGIN { printf "%d", p * m / 100 }' ;;
    *) echo "$1" ;;
  esac
}

ingress="$work/ingress.tsv"
ndjson_sizes="$work/ndjson.tsv"
: > "$ingress"
: > "$ndjson_sizes"
for size in $sizes; do
  blocks=$(declarations "$size")
  lib="$work/synth$blocks"
  run "$blocks" synth "$IX" synth --like "$like" --blocks "$blocks" -q -o "$lib.ndjson"
  printf '%s\t%s\n' "$blocks" "$(stat -c %s "$lib.ndjson" 2>/dev/null || echo 0)" >> "$ndjson_sizes"
  stages=${STAGES:-all}
  if [ "$NANODA" != none ] && [ "$stages" != ingress ]; then
    stdin_file=$lib.ndjson run "$blocks" nanoda "$NANODA" "$work/nanoda.json"
  fi
  # ix as a drop-in arena checker, on the same NDJSON as nanoda.
  [ "$stages" != ingress ] && run "$blocks" check-ndjson "$IX" check -q -j "$jobs" "$lib.ndjson"
  if [ "$stages" = first ]; then
    [ -z "${WORKDIR:-}" ] && rm -f "$lib".*
    continue
  fi
  run "$blocks" compile "$IX" compile -q "$lib.ndjson" -o "$lib.ixe"
  [ "$stages" != ingress ] && run "$blocks" check "$IX" check -q -j "$jobs" "$lib.ixe"
  run "$blocks" profile "$IX" profile -q -j "$jobs" "$lib.ixe" -o "$lib.ixesp"
  for n in $shard_counts; do
    run "$blocks" "shard-$n" "$IX" shard -q --json -n "$n" "$lib.ixesp" -o "$lib.$n.ixes"
    total=$(sed -n 's/.*"total_cross_ingress": *\([0-9]*\).*/\1/p' "$work/$blocks.shard-$n.out")
    printf '%s\t%s\t%s\n' "$blocks" "$n" "${total:-?}" >> "$ingress"
    [ "$stages" = ingress ] && continue
    claims="$work/claims$blocks.$n"
    rm -rf "$claims"
    run "$blocks" "check-shards-$n" "$IX" check-shards -q -j "$jobs" "$lib.ixe" "$lib.$n.ixes" \
      --claim-dir "$claims"
    run "$blocks" "check-shard-$n" "$IX" check-shard -q -j "$jobs" "$lib.ixe" "$lib.$n.ixes" \
      --shard 0
    run "$blocks" "verify-claims-$n" "$IX" verify-claims "$lib.ixe" "$lib.$n.ixes" "$claims"
  done
  echo "[$(date +%T)] $blocks files: $(du -sh "$work" | cut -f1) in $work;" \
    "NDJSON $(stat -c %s "$lib.ndjson") bytes" >&2
  [ -z "${WORKDIR:-}" ] && rm -f "$lib".* && rm -rf "$work"/claims"$blocks".*
done

echo
echo "ix pipeline at scale: $like libraries ($(nproc) cores, jobs=$jobs, $IX at $commit," \
  "nanoda $NANODA)"
echo "Each cell: wall s / CPU s / peak RSS MB; 'x nanoda' = the stage's wall over nanoda's."
awk -F'\t' '
  { key = $2; if (!(key in seen)) { seen[key] = 1; order[++stages] = key }
    if (!($1 in sized)) { sized[$1] = 1; size[++sizes] = $1 }
    wall[$1, key] = $3; cpu[$1, key] = $4; rss[$1, key] = $5; ok[$1, key] = $6 }
  END {
    printf "| stage |"
    for (s = 1; s <= sizes; s++) printf " %s decls | x nanoda |", size[s]
    for (s = 2; s <= sizes; s++) printf " exponent %s→%s |", size[s-1], size[s]
    printf "\n|---|"; for (s = 1; s < 3 * sizes; s++) printf "---:|"; printf "\n"
    for (i = 1; i <= stages; i++) {
      k = order[i]; printf "| %s |", k
      for (s = 1; s <= sizes; s++) {
        if (!((size[s], k) in wall)) { printf " — | — |"; continue }
        printf " %.1f / %.1f / %.0f%s |", wall[size[s], k], cpu[size[s], k],
          rss[size[s], k] / 1024, (ok[size[s], k] == "ok" ? "" : " FAIL")
        n = wall[size[s], "nanoda"]
        if (n > 0) printf " %.2f |", wall[size[s], k] / n; else printf " — |"
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

echo
echo "Per declaration (Mathlib, the arena's export: ~7.5 KB of NDJSON, nanoda ~0.65 ms)"
awk -F'\t' '
  FNR == NR { bytes[$1] = $2; order[++sizes] = $1; next }
  { wall[$1, $2] = $3; cpu[$1, $2] = $4 }
  END {
    print "| decls | NDJSON KB | nanoda wall ms | nanoda CPU ms | ix check (NDJSON) wall ms | ix check (NDJSON) CPU ms |"
    print "|---|---:|---:|---:|---:|---:|"
    for (s = 1; s <= sizes; s++) {
      d = order[s]
      printf "| %s | %.2f |", d, bytes[d] / d / 1000
      for (k = 1; k <= 2; k++) {
        stage = k == 1 ? "nanoda" : "check-ndjson"
        if ((d, stage) in wall)
          printf " %.3f | %.3f |", 1000 * wall[d, stage] / d, 1000 * cpu[d, stage] / d
        else printf " — | — |"
      }
      printf "\n"
    }
  }' "$ndjson_sizes" "$rows"

[ "${STAGES:-all}" = first ] && exit 0
echo
echo "What-if total cross-shard ingress (bytes) by shard count; growth per doubling of N"
echo "(Mathlib, the seed's report: 93.6M -> 131.8M -> 184.3M at 64/128/256, x1.41 per doubling)."
awk -F'\t' '
  { total[$1, $2] = $3; if (!($1 in sized)) { sized[$1] = 1; size[++sizes] = $1 }
    if (!($2 in counted)) { counted[$2] = 1; count[++counts] = $2 } }
  END {
    printf "| decls |"; for (c = 1; c <= counts; c++) printf " N = %s |", count[c]
    printf " growth per doubling |\n|---|"; for (c = 0; c <= counts; c++) printf "---:|"; printf "\n"
    for (s = 1; s <= sizes; s++) {
      printf "| %s |", size[s]
      for (c = 1; c <= counts; c++) printf " %s |", total[size[s], count[c]]
      a = total[size[s], count[1]]; b = total[size[s], count[counts]]
      doublings = log(count[counts] / count[1]) / log(2)
      if (a > 0 && b > 0 && doublings > 0) printf " x%.2f |\n", exp(log(b / a) / doublings)
      else printf " — |\n"
    }
  }' "$ingress"
