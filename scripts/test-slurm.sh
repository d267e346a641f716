#!/bin/bash
# make test-slurm: `ratingrl sweep --backend slurm` against a real Slurm on this
# one machine. Starts munged, slurmctld and slurmd with everything under a
# private folder (loopback only), submits a tiny grid, SIGKILLs one run and
# sends Slurm's SIGTERM to another mid-way, resubmits, and checks that every run ends with the summary.json of
# the same run trained locally (timings aside). Stops what it started, by pid,
# however it ends.
set -euo pipefail

BIN=$(realpath "${RATINGRL:-.build/release/ratingrl}")
MODELS=$(realpath "${RATINGRL_MODELS:-models}")
TIMEOUT=${SLURM_TEST_TIMEOUT:-600}
host=$(hostname -s)
base=$(mktemp -d /tmp/ratingrl-slurm.XXXXXX)
pids=()

say() { echo "test-slurm: $*"; }
fail() { say "FAILED: $*"; for log in "$base"/*.log; do echo "--- $log"; tail -n 20 "$log"; done; exit 1; }

cleanup() {
    local status=$?
    # Reverse order: slurmd, slurmctld, munged. Job steps (slurmstepd ignores
    # SIGTERM) and runs are found by the private SLURM_CONF in their environment.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill "${pids[i]}" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
        kill -9 "${pids[i]}" 2>/dev/null || true
        wait "${pids[i]}" 2>/dev/null || true
    done
    for pid in $(grep -l "SLURM_CONF=$base/slurm.conf" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3); do
        kill -9 "$pid" 2>/dev/null || true
    done
    pkill -9 -f "$base/" 2>/dev/null || true
    rm -rf "$base"
    exit $status
}
trap cleanup EXIT INT TERM

# --- Slurm and munge from Debian, if missing.
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    say "installing slurm-wlm and munge"
    sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
[[ $(id -u) -eq 0 ]] || fail "slurmd must run as root here (run make test-slurm as root, e.g. in a container)"

# --- munge: a private key, socket and pid file.
mkdir -p "$base/munge" "$base/state" "$base/spool"
chmod 700 "$base" "$base/munge"
mungekey --create --keyfile="$base/munge/munge.key" >/dev/null
chmod 400 "$base/munge/munge.key"
munged --foreground --force --key-file="$base/munge/munge.key" --socket="$base/munge/munge.sock" \
    --pid-file="$base/munge/munged.pid" --log-file="$base/munged.log" --seed-file="$base/munge/munge.seed" \
    >>"$base/munged.log" 2>&1 &
pids+=($!)

# --- Slurm: free ports, one node with this machine's CPUs, one partition.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cat > "$base/slurm.conf" <<EOF
ClusterName=ratingrltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$base/munge/munge.sock
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/slurmctld.log
SlurmdLogFile=$base/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$base/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$base/slurm.conf
slurmctld -D -c -i -f "$SLURM_CONF" >/dev/null 2>&1 &
pids+=($!)
slurmd -D -c -N "$host" -f "$SLURM_CONF" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 150); do [[ $(sinfo -h -o %t 2>/dev/null) == idle ]] && break; sleep 0.2; done
[[ $(sinfo -h -o %t 2>/dev/null) == idle ]] || fail "the Slurm node did not come up"
say "Slurm is up ($(sinfo -h -o '%P %D %c %t'))"

# --- The grid: ppo and ours, two seeds, small cartpole runs with feedback rounds.
cat > "$base/grid.yaml" <<EOF
tasks: [cartpole-balance]
methods: [ppo, ours]
seeds: [0, 1]
steps: 24576
ppo: {environments: 2}
rewardEpochs: 5
firstRound: 4096
roundInterval: 4096
ratings: 300
ratingsPerRound: 50
EOF

wait_for_queue() {  # until no task of the sweep is queued or running
    local deadline=$((SECONDS + TIMEOUT))
    while [[ -n $(squeue -h 2>/dev/null) ]]; do
        ((SECONDS < deadline)) || fail "jobs still queued after ${TIMEOUT}s: $(squeue -h | head -5)"
        sleep 0.5
    done
}

root=$base/slurm-runs
"$BIN" sweep "$base/grid.yaml" --out "$root" --backend slurm --models "$MODELS" --time 00:20:00
# Four one-CPU tasks on this machine's CPUs: some run, the rest wait, and --status says so.
"$BIN" sweep --status "$root" | tee "$base/status.txt"
grep -Eq "(running|pending) in Slurm: [0-9]" "$base/status.txt" || fail "--status shows no queued or running Slurm tasks"
# Two ways a run stops early: ours seed 0's trainer is SIGKILLed once it has made
# progress (a crashed node, as far as the run can tell), and ours seed 1's array
# task gets Slurm's SIGTERM (what --signal sends before the time limit, or a
# preemption): it checkpoints and waits to be resubmitted.
progress_of() { [[ -s $1/progress.csv ]] && echo $(($(wc -l < "$1/progress.csv") - 1)) || echo 0; }
wait_for_progress() {
    local deadline=$((SECONDS + TIMEOUT))
    until (($(progress_of "$1") >= 2)); do
        ((SECONDS < deadline)) || fail "$1 never made progress"
        sleep 0.2
    done
}
killed=$root/cartpole-balance/ours/n4/seed0
preempted=$root/cartpole-balance/ours/n4/seed1
wait_for_progress "$killed"
trainer=$(head -1 "$killed/.lock" | cut -d' ' -f1)
kill -9 "$trainer"
say "SIGKILLed the trainer of ours/seed0 (pid $trainer) at update $(progress_of "$killed")"
wait_for_progress "$preempted"
job=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["job"])' "$root/slurm/jobs.jsonl")
index=$(($(grep -n '^cartpole-balance/ours/n4/seed1$' "$root/slurm/submit-1.runs" | cut -d: -f1) - 1))
scancel --batch --signal=TERM "${job}_${index}"
say "sent Slurm's SIGTERM to array task ${job}_${index} (ours/seed1) at update $(progress_of "$preempted")"
wait_for_queue
[[ ! -f $killed/summary.json && ! -f $preempted/summary.json ]] || fail "a stopped run finished anyway"
ls "$preempted"/checkpoints/*.state >/dev/null 2>&1 || fail "the run stopped by SIGTERM left no checkpoint"
"$BIN" sweep --status "$root"

say "resubmitting"
"$BIN" sweep --out "$root" --backend slurm --models "$MODELS" --time 00:20:00 | tee "$base/resubmit.txt"
grep -q "submitted 2 runs " "$base/resubmit.txt" || fail "the resubmission did not send exactly the two stopped runs"
wait_for_queue
"$BIN" sweep --status "$root"

say "training the same grid locally"
"$BIN" sweep "$base/grid.yaml" --out "$base/local-runs" --jobs 2 --models "$MODELS" >/dev/null
python3 - "$root" "$base/local-runs" <<'EOF'
import json, pathlib, sys
slurm, local = map(pathlib.Path, sys.argv[1:])
timings = {"wall_seconds", "reward_training_seconds"}
runs = sorted(p.parent.relative_to(local) for p in local.rglob("summary.json"))
assert len(runs) == 4, f"local sweep finished {len(runs)} runs, expected 4"
for run in runs:
    path = slurm / run / "summary.json"
    assert path.exists(), f"{run}: no summary.json from Slurm"
    a, b = (json.loads((root / run / "summary.json").read_text()) for root in (slurm, local))
    for key in timings:
        a.pop(key, None); b.pop(key, None)
    assert a == b, f"{run}: Slurm and local summaries differ: " + str({k: (a.get(k), b.get(k)) for k in a if a.get(k) != b.get(k)})
    print(f"test-slurm: {run}: same summary as the local run (final return {a['final_eval_return']:.1f})")
EOF
say "passed"
