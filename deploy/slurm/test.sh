#!/usr/bin/env bash
# End to end: the shards of a real bundled export and of a synthetic library
# checked as Slurm job arrays (deploy/slurm-array.sh) on a throwaway
# single-host cluster (deploy/slurm/cluster.sh), with the faults a user meets:
# a task that fails, a task cancelled mid-run, a tampered claim.
#
#   bash deploy/slurm/test.sh
#
# Installs slurm-wlm, munge, slurmdbd and mariadb-server if they are missing
# (Debian, as root), runs the cluster with job accounting, builds the debug
# `ix` (IX_BIN=path uses that binary instead) and closes with
# "slurm: N passed, N failed"; exits non-zero if a case failed.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
repo=$PWD
shards=8

if [ "${1:-}" != --in-cluster ]; then
  packages=(slurm-wlm munge slurmdbd mariadb-server)
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null ||
    ! command -v slurmdbd >/dev/null || ! command -v mariadbd >/dev/null; then
    [ "$(id -u)" = 0 ] || {
      echo "test.sh: some of ${packages[*]} are missing; install them (root): apt-get install ${packages[*]}" >&2
      exit 2
    }
    echo "== installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi
  if [ -z "${IX_BIN:-}" ]; then
    cargo build --quiet --bin ix
    IX_BIN=$repo/target/debug/ix
  fi
  export IX_BIN
  # A guard, not the expected time: the cases wait on bounded deadlines.
  # batch_sched_delay=0: start the next task as soon as one ends (by default
  # Slurm may wait 3 s, which would be most of this test's time).
  IX_SLURM_ACCOUNTING=1 IX_SLURM_SCHEDULER_PARAMETERS=batch_sched_delay=0 \
    exec timeout 600 deploy/slurm/cluster.sh bash "$0" --in-cluster
fi

# ---- inside the cluster (SLURM_CONF is set) ----
work=$(dirname "$SLURM_CONF")/work
mkdir -p "$work/bin" "$work/faults"
cd "$work"
array=$repo/deploy/slurm-array.sh

# The `ix` the tasks find on their PATH: the real binary, unless the case
# planted a fault for this task: faults/fail-K makes task K read an env file
# that is not there (a node without the shared volume), faults/hang-K makes it
# hang before checking (a stuck node).
cat >bin/ix <<SHIM
#!/usr/bin/env bash
task=\${SLURM_ARRAY_TASK_ID:-none}
if [ -e "$work/faults/hang-\$task" ]; then sleep 600; fi
if [ -e "$work/faults/fail-\$task" ] && [ "\$1" = check-shard ]; then
  set -- "\$1" "$work/faults/absent.ixe" "\${@:3}"
fi
exec "$IX_BIN" "\$@"
SHIM
chmod +x bin/ix
export PATH=$work/bin:$PATH

die() {
  echo "$*" >&2
  exit 1
}

# compile, profile and shard NDJSON $1 into $shards, as $2.ixe / $2.ixes.
prepare() {
  ix compile "$1" -o "$2.ixe"
  ix profile "$2.ixe" -o "$2.ixesp" -q
  ix shard "$2.ixesp" -n "$shards" -o "$2.ixes" >/dev/null
}

# sbatch "$@"; prints the job id.
submit() {
  local out
  out=$(sbatch "$@")
  echo "$out" >&2
  [[ $out =~ ^Submitted\ batch\ job\ ([0-9]+)$ ]] || die "sbatch said: $out"
  echo "${BASH_REMATCH[1]}"
}

# Waits until job $1 has left the queue (every task ended), 120 s at most.
await() {
  local deadline=$((SECONDS + 120))
  while [ -n "$(squeue --noheader --jobs="$1" 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || die "job $1 still queued after 120 s: $(squeue --jobs="$1")"
    sleep 0.5
  done
}

# "TASK STATE EXITCODE" per task of array job $1, by task, from the controller.
states() {
  scontrol show job --oneliner "$1" |
    awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) }
           print f["ArrayTaskId"], f["JobState"], f["ExitCode"] }' | sort -n
}

# The expected states: every task of 0..shards-1 COMPLETED 0:0, except the
# "TASK STATE EXITCODE" lines given.
expect_states() {
  local job=$1 k line exception
  shift
  local expected=""
  for k in $(seq 0 $((shards - 1))); do
    line="$k COMPLETED 0:0"
    for exception in "$@"; do
      [ "${exception%% *}" = "$k" ] && line=$exception
    done
    # "K none": the scheduler keeps no record of task K.
    [ "$line" = "$k none" ] || expected+="$line"$'\n'
  done
  local actual
  actual=$(states "$job")
  [ "$actual" = "${expected%$'\n'}" ] || die "job $job: states"$'\n'"$actual"$'\n'"expected"$'\n'"${expected%$'\n'}"
}

# verify-claims on $1.ixe/$1.ixes and the claims in $2 must accept.
verified() {
  local out
  out=$(ix verify-claims "$1.ixe" "$1.ixes" "$2")
  echo "$out"
  [[ $out == "verified: $shards claims cover $1.ixe"* ]] || die "verify-claims said: $out"
}

# verify-claims must refuse (exit 1, not an error) and name $3 in its message.
refused() {
  local err status=0
  err=$(ix verify-claims "$1.ixe" "$1.ixes" "$2" 2>&1) || status=$?
  echo "$err"
  [ "$status" = 1 ] || die "verify-claims exited $status, expected 1: $err"
  [[ $err == *"$3"* ]] || die "verify-claims did not say '$3': $err"
}

claims_count() {
  find "$1" -name 'shard-*.json' | wc -l
}

# --retry-failed for job $1 (on $2.ixe, claims $3) must say $4 and resubmit
# exactly tasks $5 (as "5,6"), which must then complete; a retry of that job
# must then find nothing to resubmit.
retry() {
  local out
  out=$("$array" --retry-failed "$1" "$2.ixe" "$2.ixes" "$3")
  echo "$out"
  [[ $out == "job $1: $4; resubmitting tasks $5"$'\n'* ]] || die "retry said: $out"
  [[ $out =~ Submitted\ batch\ job\ ([0-9]+)$ ]] || die "retry submitted nothing: $out"
  local job=${BASH_REMATCH[1]}
  await "$job"
  local actual expected
  actual=$(states "$job")
  expected=$(tr , '\n' <<<"$5" | sed 's/$/ COMPLETED 0:0/')
  [ "$actual" = "$expected" ] || die "retry job $job: $actual"$'\n'"expected"$'\n'"$expected"
  # The new job has no record of the other shards, but their claims are there.
  out=$("$array" --retry-failed "$job" "$2.ixe" "$2.ixes" "$3")
  [ "$out" = "job $job: every task completed; nothing to resubmit" ] || die "retry of $job said: $out"
}

# ---- the cases ----

real_export_fans_out() {
  prepare "$repo/tests/data/lean-exports/lean4export/Nat.add_succ.ndjson" nat
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" nat.ixe nat.ixes nat-claims)
  await "$job"
  expect_states "$job"
  [ "$(claims_count nat-claims)" = "$shards" ] || die "claims: $(ls nat-claims)"
  verified nat nat-claims
  echo "$job" >nat.job
}

synthetic_library_fans_out() {
  ix synth --declarations 3000 --seed 7 -o lib.ndjson -q
  prepare lib.ndjson lib
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" lib.ixe lib.ixes lib-claims)
  await "$job"
  expect_states "$job"
  verified lib lib-claims
}

retry_with_nothing_failed_submits_nothing() {
  local job out
  job=$(cat nat.job)
  out=$("$array" --retry-failed "$job" nat.ixe nat.ixes nat-claims)
  [ "$out" = "job $job: every task completed; nothing to resubmit" ] || die "retry said: $out"
}

failed_task_is_reported_and_retried_alone() {
  touch faults/fail-5
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" lib.ixe lib.ixes fail-claims)
  await "$job"
  expect_states "$job" "5 FAILED 3:0"
  grep -q "absent.ixe: cannot open" "ix-shard-${job}_5.log" || die "task 5 log: $(cat "ix-shard-${job}_5.log")"
  [ "$(claims_count fail-claims)" = $((shards - 1)) ] || die "claims: $(ls fail-claims)"
  refused lib fail-claims "no claim for shard 5"
  local before
  before=$(cat fail-claims/*.json | md5sum)
  rm faults/fail-5
  retry "$job" lib fail-claims "5 FAILED" 5
  verified lib fail-claims
  rm fail-claims/shard-5.json
  [ "$(cat fail-claims/*.json | md5sum)" = "$before" ] || die "the retry rewrote claims of tasks that had completed"
}

cancelled_task_is_resubmitted_alone() {
  touch faults/hang-2
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" lib.ixe lib.ixes cancel-claims)
  local deadline=$((SECONDS + 60))
  until states "$job" | grep -qx "2 RUNNING 0:0"; do
    [ $SECONDS -lt $deadline ] || die "task 2 never ran: $(states "$job")"
    sleep 0.5
  done
  local out status=0
  out=$("$array" --retry-failed "$job" lib.ixe lib.ixes cancel-claims 2>&1) || status=$?
  if [ "$status" != 2 ] || [[ $out != *"still pending or running"* ]]; then
    die "retry while running exited $status: $out"
  fi
  scancel "${job}_2"
  await "$job"
  expect_states "$job" "2 CANCELLED 0:15"
  refused lib cancel-claims "no claim for shard 2"
  rm faults/hang-2
  retry "$job" lib cancel-claims "2 CANCELLED" 2
  verified lib cancel-claims
}

# Tasks cancelled before they started leave no record in the controller;
# their shards have no claim, and --retry-failed resubmits them.
pending_tasks_cancelled_are_resubmitted() {
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" lib.ixe lib.ixes pending-claims)
  scancel "${job}_[5-7]"
  await "$job"
  expect_states "$job" "5 none" "6 none" "7 none"
  refused lib pending-claims "no claim for shard 5"
  retry "$job" lib pending-claims "5 NOT STARTED, 6 NOT STARTED, 7 NOT STARTED" 5,6,7
  verified lib pending-claims
}

# Once the controller has forgotten a job (past MinJobAge, or here restarted
# without its state), --retry-failed reads the task states from accounting
# (sacct), which has no record of tasks cancelled before they started either.
# Last case: the restarted controller numbers jobs from 1 again.
retry_reads_accounting_once_the_controller_forgot() {
  touch faults/fail-4
  local job
  job=$(submit --array=0-$((shards - 1)) "$array" lib.ixe lib.ixes acct-claims)
  scancel "${job}_[6-7]"
  await "$job"
  expect_states "$job" "4 FAILED 3:0" "6 none" "7 none"
  local deadline=$((SECONDS + 30))
  until [ "$(sacct --jobs="$job" --allocations --noheader --parsable2 --format=JobID,State | wc -l)" = 6 ]; do
    [ $SECONDS -lt $deadline ] || die "accounting: $(sacct --jobs="$job" --allocations)"
    sleep 0.5
  done
  local pid
  pid=$(cat "$(dirname "$SLURM_CONF")/slurmctld.pid")
  scontrol shutdown slurmctld
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "slurmctld $pid did not stop"
    sleep 0.2
  done
  slurmctld -c
  until [ "$(sinfo --noheader --format=%t 2>/dev/null)" = idle ]; do
    [ $SECONDS -lt $deadline ] || die "the restarted controller: $(sinfo)"
    sleep 0.2
  done
  if scontrol show job "$job" >/dev/null 2>&1; then
    die "the restarted controller still knows job $job"
  fi
  rm faults/fail-4
  retry "$job" lib acct-claims "4 FAILED, 6 NOT STARTED, 7 NOT STARTED" 4,6,7
  verified lib acct-claims
}

# Each tampering of one accepted claim must be refused, naming the file.
tampered_claim_is_refused() {
  local field
  for field in owned_root env_root verdict; do
    rm -rf tampered
    cp -r lib-claims tampered
    python3 - tampered/shard-3.json "$field" <<'PY'
import json, sys
path, field = sys.argv[1], sys.argv[2]
claim = json.load(open(path))
if field == "verdict":
    claim[field] = "reject"
else:
    last = claim[field][-1]
    claim[field] = claim[field][:-1] + ("0" if last != "0" else "1")
json.dump(claim, open(path, "w"))
PY
    refused lib tampered "tampered/shard-3.json"
  done
  verified lib lib-claims
}

passed=0
failed=0
run() {
  local status
  rm -f faults/*
  set +e
  (set -e; "$1") >"$1.log" 2>&1
  status=$?
  set -e
  if [ "$status" = 0 ]; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1"
    sed 's/^/    /' "$1.log"
    failed=$((failed + 1))
  fi
}

started=$SECONDS
run real_export_fans_out
run synthetic_library_fans_out
run retry_with_nothing_failed_submits_nothing
run failed_task_is_reported_and_retried_alone
run cancelled_task_is_resubmitted_alone
run pending_tasks_cancelled_are_resubmitted
run tampered_claim_is_refused
run retry_reads_accounting_once_the_controller_forgot
echo "($((SECONDS - started)) s on the cluster)"
echo "slurm: $passed passed, $failed failed"
[ "$failed" = 0 ]
