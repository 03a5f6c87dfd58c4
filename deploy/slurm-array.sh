#!/usr/bin/env bash
# Check every shard of an environment as one Slurm job array.
#
#   sbatch --array=0-$((N-1)) deploy/slurm-array.sh env.ixe env.ixes claims/
#
# Slurm sets SLURM_ARRAY_TASK_ID in each task; `ix check-shard` without
# --shard reads it and writes claims/shard-K.json. `ix` must be on the PATH
# of the nodes (sbatch passes on the submitting shell's PATH). When the array
# is done:
#
#   ix verify-claims env.ixe env.ixes claims/
#
# Run directly, from the folder the array was submitted in, it resubmits the
# tasks of an array that did not complete (failed, cancelled, timed out, lost
# with their node), as a new array of only those tasks; sbatch options may
# stand before the three paths:
#
#   deploy/slurm-array.sh --retry-failed JOBID [SBATCH_OPTION...] env.ixe env.ixes claims/
#
# It reads the per-task states from the controller (scontrol) while it still
# remembers the job (MinJobAge, 300 s by default), else from job accounting
# (sacct), for every shard of the manifest; a shard the job has no record of
# and no claim for (a task cancelled before it started leaves no record) is
# resubmitted too. It refuses while tasks of the job are pending or running.
#
#SBATCH --job-name=ix-check-shards
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=01:00:00
#SBATCH --output=ix-shard-%A_%a.log
set -euo pipefail

usage="usage: sbatch --array=0-N-1 slurm-array.sh ENV.ixe MANIFEST.ixes CLAIMS_DIR
   or: slurm-array.sh --retry-failed JOBID [SBATCH_OPTION...] ENV.ixe MANIFEST.ixes CLAIMS_DIR"

die() {
  echo "slurm-array.sh: $*" >&2
  exit 2
}

# Prints "TASKS STATE" for each task record of array job $1 (TASKS is an
# index or, for tasks not yet started, a range such as 3-7).
task_states() {
  local job=$1 out
  if out=$(scontrol show job --oneliner "$job" 2>/dev/null); then
    sed -n 's/.* ArrayTaskId=\([0-9,-]*\)[^ ]* .* JobState=\([A-Z_]*\) .*/\1 \2/p' <<<"$out"
  elif out=$(sacct --jobs="$job" --allocations --noheader --parsable2 --format=JobID,State 2>/dev/null) &&
    [ -n "$out" ]; then
    sed -n 's/^[0-9]*_\[\{0,1\}\([0-9,-]*\)[^|]*|\([A-Z_]*\).*/\1 \2/p' <<<"$out"
  else
    die "job $job: neither the controller (scontrol) nor accounting (sacct) knows it"
  fi
}

# The shard count of an .ixes manifest: a little-endian u32 at byte 28, after
# the magic, the version and the total ingress (docs/PROFILE_SHARD.md §4).
shard_count() {
  [ "$(head -c 8 "$1" 2>/dev/null | tr '\0' .)" = IXES.... ] || die "$1: not an .ixes manifest"
  od --address-radix=n --format=u4 --endian=little --skip-bytes=28 --read-bytes=4 "$1" | tr -d ' '
}

retry_failed() {
  local job=${1:-}
  shift || true
  [[ $job =~ ^[0-9]+$ ]] || die "--retry-failed needs a job id, got '$job'"$'\n'"$usage"
  [ $# -ge 3 ] || die "$usage"
  local options=("${@:1:$#-3}") env_file=${*: -3:1} manifest=${*: -2:1} claims=${*: -1}
  local shards records
  shards=$(shard_count "$manifest")
  records=$(task_states "$job")
  [ -n "$records" ] || die "job $job is not a job array"
  # One "TASK STATE" line per task index of the records' ranges.
  local -A state
  local task st
  while read -r task st; do
    state[$task]=$st
  done < <(awk '{ n = split($1, parts, ",")
                  for (i = 1; i <= n; i++) {
                    split(parts[i], r, "-"); last = (r[2] == "" ? r[1] : r[2])
                    for (k = r[1] + 0; k <= last + 0; k++) print k, $2 } }' <<<"$records")
  local active=() failed=() report=()
  for ((task = 0; task < shards; task++)); do
    st=${state[$task]:-}
    case $st in
      COMPLETED) ;;
      PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED | REQUEUE_HOLD | REQUEUE_FED | RESIZING | SIGNALING | STAGE_OUT)
        active+=("$task") ;;
      '')
        # No record: not a task of this job (then an earlier job wrote its
        # claim), or cancelled before it started (Slurm keeps no record).
        if [ ! -e "$claims/shard-$task.json" ]; then
          failed+=("$task")
          report+=("$task NOT STARTED")
        fi
        ;;
      *)
        failed+=("$task")
        report+=("$task $st")
        ;;
    esac
  done
  [ ${#active[@]} = 0 ] ||
    die "job $job: tasks $(IFS=,; echo "${active[*]}") are still pending or running; wait for them or scancel them"
  if [ ${#failed[@]} = 0 ]; then
    echo "job $job: every task completed; nothing to resubmit"
    return
  fi
  local list text
  list=$(IFS=,; echo "${failed[*]}")
  text=$(printf '%s, ' "${report[@]}")
  echo "job $job: ${text%, }; resubmitting tasks $list"
  sbatch --array="$list" "${options[@]}" "$0" "$env_file" "$manifest" "$claims"
}

if [ "${1:-}" = --retry-failed ]; then
  shift
  retry_failed "$@"
  exit
fi

env_file="${1:?$usage}"
manifest="${2:?$usage}"
claims="${3:?$usage}"
mkdir -p "$claims"
exec ix check-shard "$env_file" "$manifest" --claim-dir "$claims" -j "${SLURM_CPUS_PER_TASK:-1}"
