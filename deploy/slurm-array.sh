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
# (sacct); it refuses while tasks of the job are still pending or running.
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

retry_failed() {
  local job=${1:-}
  shift || true
  [[ $job =~ ^[0-9]+$ ]] || die "--retry-failed needs a job id, got '$job'"$'\n'"$usage"
  [ $# -ge 3 ] || die "$usage"
  local options=("${@:1:$#-3}") paths=("${@:$#-2}")
  local states
  states=$(task_states "$job")
  [ -n "$states" ] || die "job $job is not a job array"
  local active failed
  active=$(awk '$2 ~ /^(PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED|REQUEUE_HOLD|REQUEUE_FED|RESIZING|SIGNALING|STAGE_OUT)$/ {print $1}' <<<"$states" | paste -sd,)
  [ -z "$active" ] || die "job $job: tasks $active are still pending or running; wait for them or scancel them"
  failed=$(awk '$2 != "COMPLETED" {print $1}' <<<"$states" | sort -n | paste -sd,)
  if [ -z "$failed" ]; then
    echo "job $job: every task completed; nothing to resubmit"
    return
  fi
  local report
  report=$(awk '$2 != "COMPLETED" {print $1 " " $2}' <<<"$states" | sort -n | paste -sd, | sed 's/,/, /g')
  echo "job $job: $report; resubmitting tasks $failed"
  sbatch --array="$failed" "${options[@]}" "$0" "${paths[@]}"
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
