#!/usr/bin/env bash
# A throwaway single-host Slurm cluster around one command.
#
#   deploy/slurm/cluster.sh                       # a shell with the cluster up
#   deploy/slurm/cluster.sh bash deploy/slurm/test.sh --in-cluster
#
# Starts munged, slurmctld and slurmd of this machine (one node with its
# cores and memory) with every key, socket, state, spool, log and pid file in
# a temp folder and ports above 1024, waits until `sinfo` shows the node
# idle, runs the command with SLURM_CONF pointing at the cluster, then cancels
# what is left, stops the daemons and deletes the folder, also on failure or
# interrupt. Nothing outside the temp folder is written. Needs `slurm-wlm`
# and `munge` (Debian packages), python3 (to find free ports) and root.
#
# IX_SLURM_ACCOUNTING=1 adds job accounting (`sacct`): a MariaDB server and
# slurmdbd, in the temp folder too. IX_SLURM_SCHEDULER_PARAMETERS sets
# slurm.conf's SchedulerParameters (Slurm's defaults otherwise).
# IX_SLURM_KEEP=1 keeps the temp folder (logs) after the command.
set -euo pipefail

tools="munged slurmctld slurmd sinfo python3"
[ "${IX_SLURM_ACCOUNTING:-0}" != 1 ] || tools+=" slurmdbd mariadbd"
for tool in $tools; do
  command -v "$tool" >/dev/null || {
    echo "cluster.sh: $tool not found: apt-get install slurm-wlm munge (and for accounting slurmdbd mariadb-server)" >&2
    exit 2
  }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/ix-slurm.XXXXXX")
chmod 700 "$dir"
mkdir -p "$dir"/{state,spool,log,munge}

# Stops the daemons started here, by the pids they wrote, after cancelling
# the jobs so that no slurmstepd outlives the cluster.
teardown() {
  local status=$?
  set +e
  if [ -n "${command_pid:-}" ] && kill -0 "$command_pid" 2>/dev/null; then
    kill -TERM -- "-$command_pid" 2>/dev/null
  fi
  if [ -f "$dir/slurmctld.pid" ]; then
    scancel --quiet --user="$(id -un)" 2>/dev/null
    for _ in $(seq 50); do
      [ -z "$(squeue --noheader 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  for daemon in slurmd slurmctld slurmdbd mariadbd munged; do
    local pid
    pid=$(cat "$dir/$daemon.pid" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
  done
  if [ "${IX_SLURM_KEEP:-0}" = 1 ]; then
    echo "cluster.sh: kept $dir (logs in $dir/log)" >&2
  else
    rm -rf "$dir"
    [ "$status" = 0 ] || echo "cluster.sh: exit $status; IX_SLURM_KEEP=1 keeps the cluster's folder and logs" >&2
  fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free TCP port above 1024 (the kernel's pick for an ephemeral bind).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# munge: a fresh key; the socket, log, pid and seed in the temp folder.
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force \
  --key-file="$dir/munge/munge.key" \
  --socket="$dir/munge/munge.sock" \
  --pid-file="$dir/munged.pid" \
  --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge/munged.seed"

# Job accounting, on request: a MariaDB server and slurmdbd, so that `sacct`
# answers (without it only the controller knows the jobs, for MinJobAge).
accounting=AccountingStorageType=accounting_storage/none
if [ "${IX_SLURM_ACCOUNTING:-0}" = 1 ]; then
  mkdir -p "$dir/mysql"
  mariadb-install-db --no-defaults --datadir="$dir/mysql/data" --user="$(id -un)" \
    --auth-root-authentication-method=socket --skip-test-db >"$dir/log/mariadb-install.log" 2>&1
  # slurmdbd's MySQL client reaches "localhost" through this socket.
  export MYSQL_UNIX_PORT=$dir/mysql/mysqld.sock
  mariadbd --no-defaults --datadir="$dir/mysql/data" --socket="$MYSQL_UNIX_PORT" \
    --skip-networking --user="$(id -un)" --pid-file="$dir/mariadbd.pid" \
    --log-error="$dir/log/mariadbd.log" </dev/null >/dev/null 2>&1 &
  echo $! >"$dir/mariadbd.pid" # for the teardown, until mariadbd writes it
  for _ in $(seq 100); do
    [ -S "$MYSQL_UNIX_PORT" ] && break
    sleep 0.2
  done
  dbd_port=$(free_port)
  cat >"$dir/slurmdbd.conf" <<CONF
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$dbd_port
SlurmUser=$(id -un)
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=$(id -un)
StorageLoc=ix_throwaway_acct
PidFile=$dir/slurmdbd.pid
LogFile=$dir/log/slurmdbd.log
CONF
  chmod 600 "$dir/slurmdbd.conf"
  accounting="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$dbd_port
AccountingStoragePass=$dir/munge/munge.sock"
fi

host=$(hostname -s)
# This machine's cores and memory, as slurmd sees them.
node=$(slurmd -C | head -1 | sed "s/^NodeName=[^ ]*/NodeName=$host NodeAddr=127.0.0.1/")
cat > "$dir/slurm.conf" <<CONF
ClusterName=ix-throwaway
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
$accounting
SchedulerType=sched/backfill
${IX_SLURM_SCHEDULER_PARAMETERS:+SchedulerParameters=$IX_SLURM_SCHEDULER_PARAMETERS}
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=${IX_SLURM_MIN_JOB_AGE:-3600}
SlurmdTimeout=60
$node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

if [ "${IX_SLURM_ACCOUNTING:-0}" = 1 ]; then
  slurmdbd
  for _ in $(seq 100); do
    timeout 10 sacctmgr --immediate add cluster ix-throwaway >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
slurmctld -i
slurmd
for _ in $(seq 100); do
  [ "$(sinfo --noheader --format=%t 2>/dev/null)" = idle ] && break
  sleep 0.2
done
if [ "$(sinfo --noheader --format=%t 2>/dev/null)" != idle ]; then
  echo "cluster.sh: the node did not come up idle; see $dir/log" >&2
  sinfo >&2 || true
  exit 1
fi
echo "cluster.sh: cluster up ($SLURM_CONF)" >&2

if [ $# -eq 0 ]; then
  "${SHELL:-bash}"
  exit
fi
# In its own process group, in the background: bash runs a trap only between
# commands, and `wait` is one it can interrupt, so a TERM or INT here tears
# the cluster down at once and takes the command's whole group with it.
setsid --wait "$@" &
command_pid=$!
wait "$command_pid"
